/*
 * The module ELF loader: System V ABI "Object Files" (gABI 4.1, chapter
 * 4) and the Intel386 supplement (4.4, relocation types). It checks a
 * relocatable i386 file whole before anything is allocated, lays out its
 * loaded sections in four page-aligned parts (text, read-only, data,
 * freed after the fixup pass), then copies and relocates them. Every
 * offset, size and index the file gives is checked against the file
 * before it is used; the image is written only within its size. Used by
 * module.c at boot and by tests/fuzz/fuzz_modload.c on the host.
 */
#include <kernel/modload.h>
#include <kernel/compiler.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/fixup.h>

#define MOD_PAGE		4096u
#define MOD_MAX_SYMS		2048	/* kept for the oops path */

static int refuse(struct modload *m, const char *fmt, ...) __printf(2, 3);

static int __init refuse(struct modload *m, const char *fmt, ...)
{
	va_list ap;

	char *p;

	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
	/* a name from the file may hold any byte: keep it one line */
	for (p = m->why; *p; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';
	return -1;
}

/*
 * *sum + add, if that stays within limit: a sum of a file's sizes or
 * counts is checked before it is stored, never after it has wrapped.
 */
static bool __init add_within(u32 *sum, u32 add, u32 limit)
{
	u32 s;

	if (__builtin_add_overflow(*sum, add, &s) || s > limit)
		return false;
	*sum = s;
	return true;
}

/* [off, off + size) within n bytes, without overflow. */
static bool __init within(u32 off, u32 size, u32 n)
{
	return off <= n && size <= n - off;
}

static u32 __init get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static void __init put32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static bool __init loaded(const struct modload *m, u32 shndx)
{
	return shndx < m->nsec && m->place[shndx] != MODLOAD_NOT_LOADED;
}

/*
 * A relocation section that applies: REL, for a section that is loaded.
 * check_relocations() and relocate() both go by it, so that only checked
 * entries are ever applied.
 */
static bool __init applies(const struct modload *m, const struct elf32_shdr *s)
{
	return s->sh_type == SHT_REL && loaded(m, s->sh_info);
}

static const char *__init sym_name(const struct modload *m,
			    const struct elf32_sym *s)
{
	return m->str + s->st_name;
}

static int __init check_header(struct modload *m)
{
	const struct elf32_hdr *eh = (const void *)m->file;

	if (m->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, 4) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_type != ET_REL || eh->e_machine != EM_386)
		return refuse(m, "not an ELF32 i386 relocatable file");
	if (eh->e_shentsize != sizeof(struct elf32_shdr) ||
	    eh->e_shoff % 4 ||
	    !within(eh->e_shoff, (u32)eh->e_shnum * sizeof(struct elf32_shdr),
		    m->size))
		return refuse(m, "section header table outside the file");
	if (eh->e_shnum > MODLOAD_MAX_SECTIONS)
		return refuse(m, "%u sections, at most %u", eh->e_shnum,
			      MODLOAD_MAX_SECTIONS);
	m->sh = (const void *)(m->file + eh->e_shoff);
	m->nsec = eh->e_shnum;
	return 0;
}

/* A string table: in the file, not empty, its last byte a NUL. */
static bool __init good_strtab(const struct modload *m, u32 i)
{
	const struct elf32_shdr *s = &m->sh[i];

	return i < m->nsec && s->sh_type == SHT_STRTAB && s->sh_size &&
	       !m->file[s->sh_offset + s->sh_size - 1];
}

static int __init check_sections(struct modload *m)
{
	const struct elf32_hdr *eh = (const void *)m->file;
	u32 i, symtab = 0;

	for (i = 0; i < m->nsec; i++) {
		const struct elf32_shdr *s = &m->sh[i];
		u32 a = s->sh_addralign;

		if (s->sh_type != SHT_NOBITS && s->sh_type != SHT_NULL &&
		    !within(s->sh_offset, s->sh_size, m->size))
			return refuse(m, "section %u outside the file", i);
		if (a & (a - 1) || a > MOD_PAGE)
			return refuse(m, "section %u: alignment %u", i, a);
		/* the tables read in place: 4-byte words (the file is) */
		if ((s->sh_type == SHT_SYMTAB || s->sh_type == SHT_REL) &&
		    s->sh_offset % 4)
			return refuse(m, "section %u: table not 4-byte "
				      "aligned", i);
		if (s->sh_type == SHT_RELA)
			return refuse(m, "section %u: RELA relocations "
				      "(i386 uses REL)", i);
		if (s->sh_type == SHT_SYMTAB) {
			if (symtab)
				return refuse(m, "two symbol tables");
			symtab = i;
		}
	}
	if (!good_strtab(m, eh->e_shstrndx))
		return refuse(m, "no section name table");
	if (!symtab || m->sh[symtab].sh_size % sizeof(struct elf32_sym) ||
	    !good_strtab(m, m->sh[symtab].sh_link))
		return refuse(m, "no symbol table");
	m->sym = (const void *)(m->file + m->sh[symtab].sh_offset);
	m->nsym = m->sh[symtab].sh_size / sizeof(struct elf32_sym);
	m->str = (const char *)m->file + m->sh[m->sh[symtab].sh_link].sh_offset;
	m->strsize = m->sh[m->sh[symtab].sh_link].sh_size;
	return 0;
}

static const char *__init sec_name(const struct modload *m, u32 i)
{
	const struct elf32_hdr *eh = (const void *)m->file;
	const struct elf32_shdr *names = &m->sh[eh->e_shstrndx];

	if (m->sh[i].sh_name >= names->sh_size)
		return "?";
	return (const char *)m->file + names->sh_offset + m->sh[i].sh_name;
}

static unsigned int __init part_of(const struct modload *m, u32 i)
{
	if (!strcmp(sec_name(m, i), ".fixup_sites"))
		return MOD_INIT;
	if (!strcmp(sec_name(m, i), ".selftests"))
		return MOD_RO;		/* whatever its flags say */
	if (m->sh[i].sh_flags & SHF_EXECINSTR)
		return MOD_TEXT;
	return m->sh[i].sh_flags & SHF_WRITE ? MOD_RW : MOD_RO;
}

/* Place [size bytes aligned to align] at *off; false past the limit. */
static bool __init reserve(u32 *off, u32 size, u32 align, u32 *at)
{
	u32 o = ALIGN_UP(*off, align ? align : 1);

	if (o > MODLOAD_MAX_SIZE || size > MODLOAD_MAX_SIZE - o)
		return false;
	*at = o;
	*off = o + size;
	return true;
}

/* The symbols kept for the oops path: functions and objects with a size. */
static bool __init kept_sym(const struct modload *m,
			    const struct elf32_sym *s)
{
	unsigned int t = ELF32_ST_TYPE(s->st_info);

	return (t == STT_FUNC || t == STT_OBJECT) && s->st_size &&
	       loaded(m, s->st_shndx);
}

static int __init layout(struct modload *m)
{
	u32 off = 0, i, p, at;

	for (i = 0; i < m->nsec; i++) {
		u32 t = m->sh[i].sh_type;

		/* loaded() holds from here: the symbols are counted first */
		m->place[i] = i && (m->sh[i].sh_flags & SHF_ALLOC) ? 0
						: MODLOAD_NOT_LOADED;
		if (i && !(m->sh[i].sh_flags & SHF_ALLOC) &&
		    !strcmp(sec_name(m, i), ".fixup_sites"))
			return refuse(m, ".fixup_sites is not loaded (no "
				      "SHF_ALLOC)");
		if (i && (m->sh[i].sh_flags & SHF_ALLOC) &&
		    t != SHT_PROGBITS && t != SHT_NOBITS)
			return refuse(m, "section %u (%s): type %u not "
				      "loadable", i, sec_name(m, i), t);
	}
	for (p = 0; p < MOD_NR_PARTS; p++) {
		off = ALIGN_UP(off, MOD_PAGE);
		m->part[p] = off;
		for (i = 1; i < m->nsec; i++) {
			const struct elf32_shdr *s = &m->sh[i];

			if (!(s->sh_flags & SHF_ALLOC) || part_of(m, i) != p)
				continue;
			if (!reserve(&off, s->sh_size, s->sh_addralign,
				     &m->place[i]))
				return refuse(m, "larger than %u KiB",
					      MODLOAD_MAX_SIZE / 1024);
			if (!strcmp(sec_name(m, i), ".fixup_sites")) {
				if (m->sites_size)
					return refuse(m, "two .fixup_sites");
				m->sites = m->place[i];
				m->sites_size = s->sh_size;
			} else if (!strcmp(sec_name(m, i), ".selftests")) {
				if (m->tests_size)
					return refuse(m, "two .selftests");
				m->tests = m->place[i];
				m->tests_size = s->sh_size;
			}
		}
		if (p == MOD_TEXT)
			m->text_size = off - m->part[MOD_TEXT];
		if (p != MOD_RO)
			continue;
		/*
		 * The symbol table: addresses, sizes, name offsets, names.
		 * Names may share bytes in the file (2,000 symbols naming
		 * one name of 2 MiB): their sum is checked as it grows.
		 */
		for (i = 1; i < m->nsym; i++) {
			if (!kept_sym(m, &m->sym[i]))
				continue;
			if (!add_within(&m->nsyms, 1, MOD_MAX_SYMS))
				return refuse(m, "more than %u symbols",
					      MOD_MAX_SYMS);
			if (!add_within(&m->names_size,
					strlen(sym_name(m, &m->sym[i])) + 1,
					MODLOAD_MAX_SIZE))
				return refuse(m, "symbol names: more than %u "
					      "bytes", MODLOAD_MAX_SIZE);
		}
		/* at most 12 * 2048 + 4 MiB: no wrap */
		if (!reserve(&off, 12 * m->nsyms + m->names_size, 4, &at))
			return refuse(m, "larger than %u KiB",
				      MODLOAD_MAX_SIZE / 1024);
		m->syms = at;
	}
	m->part[MOD_NR_PARTS] = ALIGN_UP(off, MOD_PAGE);
	if (m->sites_size % FIXUP_RECORD_SIZE)
		return refuse(m, ".fixup_sites: %u bytes, not whole records",
			      m->sites_size);
	return 0;
}

/* Before the layout: each symbol's name and section index. */
static int __init check_symtab(struct modload *m)
{
	u32 i;

	for (i = 1; i < m->nsym; i++) {
		const struct elf32_sym *s = &m->sym[i];
		const char *name;

		if (s->st_name >= m->strsize)
			return refuse(m, "symbol %u: name outside its table",
				      i);
		name = sym_name(m, s);
		if (s->st_shndx == SHN_COMMON)
			return refuse(m, "common symbol '%s'", name);
		if (s->st_shndx >= SHN_LORESERVE && s->st_shndx != SHN_ABS)
			return refuse(m, "symbol '%s': section 0x%x", name,
				      s->st_shndx);
		if (s->st_shndx != SHN_ABS && s->st_shndx >= m->nsec)
			return refuse(m, "symbol '%s' in no section", name);
	}
	return 0;
}

/* After it: values, and what the global ones resolve to. */
static int __init check_symbols(struct modload *m)
{
	u32 i, addr, n;

	m->init = MODLOAD_NOT_LOADED;
	for (i = 1; i < m->nsym; i++) {
		const struct elf32_sym *s = &m->sym[i];
		unsigned int bind = ELF32_ST_BIND(s->st_info);
		const char *name = sym_name(m, s);

		if (loaded(m, s->st_shndx) &&
		    s->st_value > m->sh[s->st_shndx].sh_size)
			return refuse(m, "symbol '%s' outside its section",
				      name);
		/* nothing may resolve a local: refused, never relocated */
		if (bind == STB_LOCAL && s->st_shndx == SHN_UNDEF)
			return refuse(m, "undefined symbol '%s'", name);
		if (bind == STB_LOCAL)
			continue;
		n = m->resolve(m->ctx, name, &addr);
		if (s->st_shndx == SHN_UNDEF && n == 0)
			return refuse(m, "undefined symbol '%s'", name);
		if (s->st_shndx == SHN_UNDEF && n > 1)
			return refuse(m, "ambiguous symbol '%s': exported %u "
				      "times", name, n);
		if (s->st_shndx != SHN_UNDEF && n)
			return refuse(m, "ambiguous symbol '%s': defined here "
				      "and exported by the kernel", name);
		if (!strcmp(name, "init_module") &&
		    loaded(m, s->st_shndx) &&
		    part_of(m, s->st_shndx) == MOD_TEXT &&
		    s->st_value < m->sh[s->st_shndx].sh_size)
			m->init = m->place[s->st_shndx] + s->st_value;
	}
	if (m->init == MODLOAD_NOT_LOADED)
		return refuse(m, "no init_module function (module_init())");
	return 0;
}

/* Each REL section whose target is loaded: entries, types, bounds. */
static int __init check_relocations(struct modload *m)
{
	u32 i, j;

	for (i = 1; i < m->nsec; i++) {
		const struct elf32_shdr *s = &m->sh[i];
		const struct elf32_rel *r;
		u32 t = s->sh_info;

		if (!applies(m, s))
			continue;
		if (s->sh_size % sizeof(*r) || s->sh_link >= m->nsec ||
		    m->sh[s->sh_link].sh_type != SHT_SYMTAB)
			return refuse(m, "section %u: bad relocation table",
				      i);
		if (m->sh[t].sh_type == SHT_NOBITS && s->sh_size)
			return refuse(m, "relocations in %s, which has no "
				      "contents", sec_name(m, t));
		r = (const void *)(m->file + s->sh_offset);
		for (j = 0; j < s->sh_size / sizeof(*r); j++) {
			u32 type = ELF32_R_TYPE(r[j].r_info);
			u32 sym = ELF32_R_SYM(r[j].r_info);
			u16 shndx;

			if (type == R_386_NONE)
				continue;
			if (type != R_386_32 && type != R_386_PC32)
				return refuse(m, "relocation %u in %s: "
					      "unknown type %u", j,
					      sec_name(m, t), type);
			if (!within(r[j].r_offset, 4, m->sh[t].sh_size))
				return refuse(m, "relocation %u outside %s "
					      "(offset 0x%x)", j,
					      sec_name(m, t), r[j].r_offset);
			if (sym >= m->nsym)
				return refuse(m, "relocation %u in %s: no "
					      "symbol %u", j, sec_name(m, t),
					      sym);
			shndx = m->sym[sym].st_shndx;
			if (shndx != SHN_UNDEF && shndx != SHN_ABS &&
			    !loaded(m, shndx))
				return refuse(m, "relocation %u in %s: against "
					      "a section not loaded", j,
					      sec_name(m, t));
		}
	}
	return 0;
}

int __init modload_check(struct modload *m, const void *file, u32 size,
		  modload_resolve_fn resolve, void *ctx)
{
	memset(m, 0, sizeof(*m));
	m->file = file;
	m->size = size;
	m->resolve = resolve;
	m->ctx = ctx;
	if (check_header(m) || check_sections(m) || check_symtab(m) ||
	    layout(m) || check_symbols(m) || check_relocations(m))
		return -1;
	return 0;
}

/* A symbol's address once placed at addr (checked by modload_check()). */
static u32 __init sym_addr(const struct modload *m, u32 i, u32 addr)
{
	const struct elf32_sym *s = &m->sym[i];
	u32 a = 0;

	if (s->st_shndx == SHN_UNDEF) {
		if (i)			/* a global: check_symbols() */
			m->resolve(m->ctx, sym_name(m, s), &a);
		return a;
	}
	if (s->st_shndx == SHN_ABS)
		return s->st_value;
	return addr + m->place[s->st_shndx] + s->st_value;
}

static void __init relocate(struct modload *m, u8 *mem, u32 addr)
{
	u32 i, j;

	for (i = 1; i < m->nsec; i++) {
		const struct elf32_shdr *s = &m->sh[i];
		const struct elf32_rel *r;
		u32 t = s->sh_info;

		if (!applies(m, s))
			continue;
		r = (const void *)(m->file + s->sh_offset);
		for (j = 0; j < s->sh_size / sizeof(*r); j++) {
			u32 off = m->place[t] + r[j].r_offset, v;

			if (ELF32_R_TYPE(r[j].r_info) == R_386_NONE)
				continue;	/* its offset is not checked */
			v = sym_addr(m, ELF32_R_SYM(r[j].r_info), addr) +
			    get32(mem + off);	/* A: REL, in place */
			switch (ELF32_R_TYPE(r[j].r_info)) {
			case R_386_32:
				put32(mem + off, v);
				break;
			case R_386_PC32:
				put32(mem + off, v - (addr + off));
				break;
			}
		}
	}
}

/* Every record's site lies whole in the text part. */
static int __init check_records(struct modload *m, const u8 *mem, u32 addr)
{
	u32 i;

	for (i = 0; i < m->sites_size / FIXUP_RECORD_SIZE; i++) {
		u32 rec = m->sites + i * FIXUP_RECORD_SIZE;
		u32 site = addr + rec + get32(mem + rec);
		u32 off = site - addr - m->part[MOD_TEXT];
		u8 len = mem[rec + 5];

		if (off >= m->text_size || len > m->text_size - off)
			return refuse(m, "fixup record %u points outside the "
				      "module's text (0x%08x)", i, site);
	}
	return 0;
}

/* The kept symbols, sorted by address, for ksym_lookup(). */
static void __init build_symbols(struct modload *m, u8 *mem, u32 addr)
{
	u8 *a = mem + m->syms, *sz = a + 4 * m->nsyms, *no = sz + 4 * m->nsyms;
	char *names = (char *)no + 4 * m->nsyms;
	u32 i, n = 0, at = 0;

	for (i = 1; i < m->nsym; i++) {
		const struct elf32_sym *s = &m->sym[i];
		const char *name = sym_name(m, s);
		u32 v = sym_addr(m, i, addr), k;
		size_t len = strlen(name) + 1;

		if (!kept_sym(m, s))
			continue;
		/* insertion sort: a module has a few dozen symbols */
		for (k = n; k && get32(a + 4 * (k - 1)) > v; k--) {
			put32(a + 4 * k, get32(a + 4 * (k - 1)));
			put32(sz + 4 * k, get32(sz + 4 * (k - 1)));
			put32(no + 4 * k, get32(no + 4 * (k - 1)));
		}
		put32(a + 4 * k, v);
		put32(sz + 4 * k, s->st_size);
		put32(no + 4 * k, at);
		memcpy(names + at, name, len);
		at += len;
		n++;
	}
}

int __init modload_place(struct modload *m, u8 *mem, u32 addr)
{
	u32 i;

	memset(mem, 0, m->part[MOD_NR_PARTS]);
	for (i = 1; i < m->nsec; i++)
		if (loaded(m, i) && m->sh[i].sh_type == SHT_PROGBITS)
			memcpy(mem + m->place[i], m->file + m->sh[i].sh_offset,
			       m->sh[i].sh_size);
	relocate(m, mem, addr);
	build_symbols(m, mem, addr);
	return check_records(m, mem, addr);
}

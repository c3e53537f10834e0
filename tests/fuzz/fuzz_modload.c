// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the module ELF loader (arch/i386/kernel/modload.c):
 * the input is a module file; the seeds (tests/fuzz/mkseeds fuzz_modload)
 * are modules/modtest.ko and the corrupt copies tests/modules.t makes of
 * it, one per reason a file is refused. Checked:
 *
 *  - no read outside the file: it is copied into an exact-size malloc,
 *    so ASan reports any byte before or after it; and no write outside
 *    the image: modload_place() gets exactly part[MOD_NR_PARTS] bytes;
 *  - no hang (libFuzzer's -timeout);
 *  - a file that is refused has a reason, one line;
 *  - a file that is accepted has no undefined symbol but globals that
 *    exactly one export resolves;
 *  - an image that is accepted keeps the promises module.c relies on:
 *    its parts are page-aligned and in order, within MODLOAD_MAX_SIZE;
 *    init_module, every fixup record's site and the .selftests table lie
 *    where they must; the symbol table is sorted, every symbol in the
 *    image and every name a string inside it.
 *
 * The exports it resolves against: the names modtest.ko imports, plus
 * "twice", exported twice (an import of it is ambiguous).
 *
 * Sizes and counts that add up past 2^32 need files of megabytes and
 * values no byte flip finds. So an input may end in a trailer (grow())
 * that makes the file it stands for megabytes long: N more copies of
 * one symbol sharing one new name of L bytes; and the target brings two
 * mutations of its own beside libFuzzer's (LLVMFuzzerCustomMutator): a
 * header, symbol or relocation word set near 2^32 or near a limit, and
 * a trailer with N * L near 2^32 or near MODLOAD_MAX_SIZE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/modload.h>
#include <asm/fixup.h>

#define FUZZ_NAME "fuzz_modload"
#include "fuzz.h"

#define LOAD_ADDR	0xd0000000u	/* as the kernel's module area */

static const char *const exports[] = {
	"printk", "selftest_diag", "smp_call_all", "alloc_page", "free_page",
	"memcmp", "memcpy", "memset", "strlen", "strcmp", "page_flags",
	"module_of", "__spin_lock", "__spin_unlock", "__spin_trylock",
	"copy_page_rep", "clear_page_rep", "clock_ns", "twice", "twice",
};

static unsigned int resolve(void *ctx, const char *name, u32 *addr)
{
	unsigned int i, n = 0;

	(void)ctx;
	for (i = 0; i < sizeof(exports) / sizeof(exports[0]); i++) {
		if (!strcmp(exports[i], name)) {
			*addr = 0x100000 + 16 * i;
			n++;
		}
	}
	return n;
}

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* Accepted: every undefined symbol is a global that one export names. */
static void check_undefined(const struct modload *m)
{
	u32 i, addr;

	for (i = 1; i < m->nsym; i++) {
		const struct elf32_sym *s = &m->sym[i];

		if (s->st_shndx != SHN_UNDEF)
			continue;
		if (ELF32_ST_BIND(s->st_info) == STB_LOCAL ||
		    resolve(NULL, m->str + s->st_name, &addr) != 1)
			fail("symbol %u '%s' is undefined, yet accepted", i,
			     m->str + s->st_name);
	}
}

static void check_image(const struct modload *m, const u8 *mem)
{
	u32 size = m->part[MOD_NR_PARTS], text = m->part[MOD_TEXT], i;
	const u8 *addr = mem + m->syms;
	const u8 *name_off = addr + 8 * m->nsyms;
	const char *names = (const char *)name_off + 4 * m->nsyms;

	for (i = 0; i < MOD_NR_PARTS; i++)
		if (m->part[i] % 4096 || m->part[i] > m->part[i + 1])
			fail("part %u at 0x%x", i, m->part[i]);
	if (size > MODLOAD_MAX_SIZE || m->text_size > m->part[MOD_RO] - text)
		fail("image %u bytes, text %u", size, m->text_size);
	if (m->init - text >= m->text_size)
		fail("init_module at 0x%x, outside the text", m->init);
	if (m->sites_size && (m->sites < m->part[MOD_INIT] ||
			      m->sites + m->sites_size > size))
		fail("the table at 0x%x outside the init part", m->sites);
	if (m->tests_size && (m->tests < m->part[MOD_RO] ||
			      m->tests + m->tests_size > m->part[MOD_RW]))
		fail(".selftests at 0x%x outside rodata", m->tests);
	for (i = 0; i < m->sites_size / FIXUP_RECORD_SIZE; i++) {
		u32 rec = m->sites + i * FIXUP_RECORD_SIZE;
		u32 site = rec + get32(mem + rec);

		if (site < text || site + mem[rec + 5] > text + m->text_size)
			fail("record %u: site 0x%x outside the text", i, site);
	}
	if (m->syms < m->part[MOD_RO] ||
	    m->syms + 12 * m->nsyms + m->names_size > m->part[MOD_RW])
		fail("symbol table outside rodata");
	for (i = 0; i < m->nsyms; i++) {
		u32 a = get32(addr + 4 * i), off = get32(name_off + 4 * i);

		if (a - LOAD_ADDR >= size)
			fail("symbol %u at 0x%x, outside the image", i, a);
		if (i && a < get32(addr + 4 * (i - 1)))
			fail("symbols not sorted at %u", i);
		if (off >= m->names_size ||
		    !memchr(names + off, 0, m->names_size - off))
			fail("symbol %u: name outside the table", i);
	}
}

/* ---- the input: a module file, and how to grow it ---- */

size_t LLVMFuzzerMutate(u8 *data, size_t size, size_t max_size);

static void put32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/*
 * A file of megabytes is written as the module file followed by this
 * trailer: the harness appends new symbol and string tables in which
 * "copies" more copies of symbol "sym" share one new name of "len"
 * bytes. The corpus stays small and every mutation cheap.
 */
#define GROW_MAGIC	0x776f7267u	/* "grow" */
#define GROW_SIZE	16		/* magic, sym, copies, len */

/* The parts of a file the trailer and the mutations touch, checked. */
struct elf_view {
	u32 shoff, nsec, symtab, strtab;	/* section indexes */
};

#define SH_TYPE		4
#define SH_OFFSET	16
#define SH_SIZE		20
#define SH_LINK		24

static u32 shdr(const u8 *d, const struct elf_view *v, u32 i, u32 field)
{
	return get32(d + v->shoff + 40 * i + field);
}

static bool in_file(const u8 *d, size_t size, const struct elf_view *v,
		    u32 i)
{
	return shdr(d, v, i, SH_OFFSET) <= size &&
	       shdr(d, v, i, SH_SIZE) <= size - shdr(d, v, i, SH_OFFSET);
}

/* Section headers in the file, and a symbol table with its strings. */
static bool view(const u8 *d, size_t size, struct elf_view *v)
{
	u32 i;

	if (size < 52 || memcmp(d, "\177ELF", 4))
		return false;
	v->shoff = get32(d + 32);
	v->nsec = d[48] | d[49] << 8;
	if (v->shoff % 4 || v->shoff > size || v->nsec > (size - v->shoff) / 40)
		return false;
	for (i = 0; i < v->nsec; i++) {
		if (shdr(d, v, i, SH_TYPE) != SHT_SYMTAB)
			continue;
		v->symtab = i;
		v->strtab = shdr(d, v, i, SH_LINK);
		return v->strtab < v->nsec && in_file(d, size, v, i) &&
		       in_file(d, size, v, v->strtab) &&
		       shdr(d, v, i, SH_SIZE) >= 32;
	}
	return false;
}

/*
 * The grown file, in an exact-size malloc: the old tables' contents
 * first (every offset into them stays good), then the copies. NULL when
 * the trailer makes no sense or the file would pass MODLOAD_MAX_SIZE.
 */
static u8 *grow(const u8 *d, size_t size, const u8 *trailer, size_t *n)
{
	u32 sym = get32(trailer + 4), copies = get32(trailer + 8);
	u32 len = get32(trailer + 12), symoff, symsize, stroff, strsize;
	u64 want;
	size_t at, i;
	struct elf_view v;
	u8 *g;

	if (!view(d, size, &v))
		return NULL;
	symoff = shdr(d, &v, v.symtab, SH_OFFSET);
	symsize = shdr(d, &v, v.symtab, SH_SIZE) & ~15u;
	stroff = shdr(d, &v, v.strtab, SH_OFFSET);
	strsize = shdr(d, &v, v.strtab, SH_SIZE);
	want = size + 8ull + strsize + len + symsize + 16ull * copies;
	if (!len || sym >= symsize / 16 || want > MODLOAD_MAX_SIZE)
		return NULL;
	g = calloc(want, 1);
	memcpy(g, d, size);
	at = (size + 3) & ~(size_t)3;
	memcpy(g + at, d + stroff, strsize);
	memset(g + at + strsize, 'x', len - 1);
	put32(g + v.shoff + 40 * v.strtab + SH_OFFSET, at);
	put32(g + v.shoff + 40 * v.strtab + SH_SIZE, strsize + len);
	at = (at + strsize + len + 3) & ~(size_t)3;
	memcpy(g + at, d + symoff, symsize);
	for (i = 0; i < copies; i++) {
		u8 *c = g + at + symsize + 16 * i;

		memcpy(c, d + symoff + 16 * sym, 16);
		put32(c, strsize);		/* st_name: the new name */
	}
	put32(g + v.shoff + 40 * v.symtab + SH_OFFSET, at);
	put32(g + v.shoff + 40 * v.symtab + SH_SIZE, symsize + 16 * copies);
	*n = at + symsize + 16ull * copies;
	return g;
}

/* ---- the mutations ---- */

static u32 rnd(u32 *state)
{
	*state = *state * 1103515245u + 12345u;	/* C's example rand() */
	return *state >> 8;
}

/* Values that wrap a sum or a product, or sit at a limit. */
static u32 near_limit(u32 old, u32 *st)
{
	static const u32 v[] = {
		0, 1, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffc,
		0xffffffff, MODLOAD_MAX_SIZE - 1, MODLOAD_MAX_SIZE,
		MODLOAD_MAX_SIZE + 1, 4096,
	};
	u32 r = rnd(st) % (ARRAY_SIZE(v) + 3);

	if (r < ARRAY_SIZE(v))
		return v[r];
	if (r == ARRAY_SIZE(v))
		return -old;			/* old + this wraps to 0 */
	if (r == ARRAY_SIZE(v) + 1)
		return old + 0x80000000;
	return old + (rnd(st) % 9) - 4;
}

/* One word of a section header, a symbol or a relocation, near a limit. */
static void mutate_word(u8 *d, size_t size, const struct elf_view *v,
			u32 *st)
{
	u32 i = rnd(st) % v->nsec, off, n;

	if (shdr(d, v, i, SH_TYPE) == SHT_SYMTAB ||
	    shdr(d, v, i, SH_TYPE) == SHT_REL) {
		n = shdr(d, v, i, SH_SIZE) / 8;	/* entries of 8 or 16 */
		off = shdr(d, v, i, SH_OFFSET);
		if (n && in_file(d, size, v, i)) {
			off += 8 * (rnd(st) % n) + 4 * (rnd(st) % 2);
			put32(d + off, near_limit(get32(d + off), st));
			return;
		}
	}
	off = v->shoff + 40 * i + 4 * (rnd(st) % 10);
	put32(d + off, near_limit(get32(d + off), st));
}

/* Mostly a function or an object with a size: what the loader keeps. */
static u32 kept_like(const u8 *sym, u32 n, u32 *st)
{
	u32 i, first = 1 + rnd(st) % (n - 1);

	if (rnd(st) % 4 == 0)
		return first;
	for (i = 0; i < n - 1; i++) {
		const u8 *s = sym + 16 * (1 + (first - 1 + i) % (n - 1));
		u32 type = s[12] & 0xf;

		if ((type == STT_FUNC || type == STT_OBJECT) && get32(s + 8))
			return (s - sym) / 16;
	}
	return first;
}

/* A trailer whose copies * len is near 2^32 or near the size limit. */
static void mutate_names(u8 *trailer, const u8 *d, const struct elf_view *v,
			 u32 *st)
{
	static const u32 totals[] = { 0xffffffff, MODLOAD_MAX_SIZE };
	u32 n = 1 + rnd(st) % 2048;	/* modload.c keeps 2048 symbols */
	u64 total = (u64)totals[rnd(st) % ARRAY_SIZE(totals)] + rnd(st) % 64;

	put32(trailer, GROW_MAGIC);
	put32(trailer + 4, kept_like(d + shdr(d, v, v->symtab, SH_OFFSET),
				     shdr(d, v, v->symtab, SH_SIZE) / 16, st));
	put32(trailer + 8, n);
	put32(trailer + 12, total / n + 1);
}

size_t LLVMFuzzerCustomMutator(u8 *d, size_t size, size_t max, u32 seed);
size_t LLVMFuzzerCustomMutator(u8 *d, size_t size, size_t max, u32 seed)
{
	u32 st = seed, how = rnd(&st) % 4;
	size_t file = size;
	struct elf_view v;

	if (size >= GROW_SIZE && get32(d + size - GROW_SIZE) == GROW_MAGIC)
		file = size - GROW_SIZE;
	if (how == 3 || !view(d, file, &v))
		return LLVMFuzzerMutate(d, size, max);
	if (how == 2) {
		mutate_word(d, file, &v, &st);
		return size;
	}
	if (file + GROW_SIZE > max)
		return LLVMFuzzerMutate(d, size, max);
	mutate_names(d + file, d, &v, &st);	/* half of the time */
	return file + GROW_SIZE;
}

/*
 * The room: a module file of up to 64 KiB and a trailer. libFuzzer's own
 * limit is the largest seed or 4 KiB, whichever is larger: a seed near
 * it would have no room for a trailer. Flags given on the command line
 * come after this one, and win.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char max_len[] = "-max_len=65536", *args[256];
	int i;

	if (*argc < 1 || *argc > 250)
		return 0;
	args[0] = (*argv)[0];
	args[1] = max_len;
	for (i = 1; i <= *argc; i++)
		args[i + 1] = (*argv)[i];	/* and the NULL after them */
	*argc += 1;
	*argv = args;
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t n);
int LLVMFuzzerTestOneInput(const u8 *data, size_t n)
{
	static struct modload m;
	u8 *file, *mem;

	if (n > MODLOAD_MAX_SIZE)
		return 0;
	file = NULL;
	if (n >= GROW_SIZE && get32(data + n - GROW_SIZE) == GROW_MAGIC)
		file = grow(data, n - GROW_SIZE, data + n - GROW_SIZE, &n);
	if (!file) {
		file = malloc(n ? n : 1);
		memcpy(file, data, n);
	}
	if (modload_check(&m, file, n, resolve, NULL)) {
		if (!m.why[0] || strchr(m.why, '\n'))
			fail("refused without a one-line reason");
		free(file);
		return 0;
	}
	check_undefined(&m);
	mem = malloc(m.part[MOD_NR_PARTS]);
	if (!mem)
		fail("no memory for %u bytes", m.part[MOD_NR_PARTS]);
	if (modload_place(&m, mem, LOAD_ADDR)) {
		if (!m.why[0])
			fail("refused without a reason");
	} else {
		check_image(&m, mem);
	}
	free(mem);
	free(file);
	return 0;
}

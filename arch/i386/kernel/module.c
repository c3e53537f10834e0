/*
 * Boot-time modules (Documentation/modules.md). A Multiboot loader hands
 * the kernel files and their strings (Multiboot Specification 0.6.96,
 * 3.3, "mods_addr"); QEMU's -initrd "a.ko args,b.ko" does. The files
 * may lie just past the image, where the early allocator would start:
 * module_reserve() notes them first, so that neither it nor the page
 * allocator hands their memory out. Then, after the boot fixup pass and
 * before init memory is freed, each file is checked and laid out
 * (modload.c), mapped at its own addresses in the module area, relocated
 * against the kernel's exports (EXPORT_SYMBOL), patched by the module
 * pass with the boot pass's choices, write-protected, its table freed,
 * and only then started. At the end the files' memory is freed.
 */
#include <kernel/module.h>
#include <kernel/modload.h>
#include <kernel/memmap.h>
#include <kernel/printk.h>
#include <kernel/selftest.h>
#include <kernel/string.h>
#include <asm/fixup.h>
#include <asm/page.h>
#include <asm/processor.h>

/*
 * Virtual addresses of module images, above the identity map (RAM
 * below RAM_LIMIT) and below the APICs: page by page from any free page.
 */
#define MODULE_AREA_START	0xd0000000u
#define MODULE_AREA_END		0xe0000000u
#define MAX_MODULES		8
#define MAX_BOOT_MODULES	16

struct module modules[MAX_MODULES];
unsigned int nr_modules;
static const struct module *loading;	/* during its pass */

struct boot_module {
	u32 start, end;
	char string[96];
};

static struct boot_module boot_mods[MAX_BOOT_MODULES] __initdata;
static unsigned int nr_boot_mods __initdata;
static u32 files_start __initdata, files_end __initdata, ram_end __initdata;
static u32 area_next __initdata = MODULE_AREA_START;
static struct modload ml __initdata;

extern const struct kernel_symbol __ksymtab_start[], __ksymtab_end[];

/*
 * The end of what the loader gave, if it lies past the kernel image. A
 * file beyond RAM is not reserved (it is refused when it is loaded):
 * the early allocator must start in RAM.
 */
static void __init note_boot_data(u32 end)
{
	if (end > files_end && end <= ram_end)
		files_end = end;
}

u32 __init module_reserve(const struct multiboot_info *mbi, u32 free_start,
			  u32 top)
{
	const struct multiboot_mod *mods;
	u32 i, n;

	ram_end = top;
	files_start = files_end = ALIGN_UP(free_start, PAGE_SIZE);
	if (!(mbi->flags & MB_INFO_MODS) || !mbi->mods_count)
		return free_start;
	mods = (const void *)(uintptr_t)mbi->mods_addr;
	n = mbi->mods_count;
	note_boot_data(mbi->mods_addr + n * sizeof(*mods));
	if (n > MAX_BOOT_MODULES) {
		pr_warn("module: %u modules given, loading the first %u\n",
			n, MAX_BOOT_MODULES);
		n = MAX_BOOT_MODULES;
	}
	for (i = 0; i < n; i++) {
		struct boot_module *b = &boot_mods[nr_boot_mods++];
		const char *s = (const char *)(uintptr_t)mods[i].string;

		b->start = mods[i].mod_start;
		b->end = mods[i].mod_end;
		if (s) {
			size_t len = strnlen(s, sizeof(b->string) - 1);

			memcpy(b->string, s, len);
			note_boot_data(mods[i].string + len + 1);
		}
		note_boot_data(b->end);
	}
	return files_end > free_start ? files_end : free_start;
}

/* Module area pages: each from the page allocator, its own alias gone. */
static void __init area_free(u32 va, u32 size)
{
	u32 a, phys;

	for (a = va; a < va + size; a += PAGE_SIZE) {
		phys = page_phys(a);
		unmap_page(a);
		if (phys)
			free_page((void *)(uintptr_t)phys);
	}
}

static u32 __init area_alloc(u32 size)
{
	u32 va = area_next, a;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (size > MODULE_AREA_END - va)
		return 0;
	for (a = va; a < va + size; a += PAGE_SIZE) {
		void *p = alloc_page();

		if (!p) {
			area_free(va, a - va);
			return 0;
		}
		unmap_page((u32)(uintptr_t)p);
		map_page_at(a, (u32)(uintptr_t)p, PTE_RW);
	}
	area_next += size;
	return va;
}

static void __init area_protect(u32 va, u32 size)
{
	u32 a;

	for (a = va; a < va + size; a += PAGE_SIZE)
		map_page_at(a, page_phys(a), 0);
}

static unsigned int __init resolve_export(void *ctx, const char *name,
					  u32 *addr)
{
	const struct kernel_symbol *k;
	unsigned int n = 0;

	(void)ctx;
	for (k = __ksymtab_start; k < __ksymtab_end; k++) {
		if (!strcmp(k->name, name)) {
			*addr = k->addr;
			n++;
		}
	}
	return n;
}

/* "dir/name.ko args" -> "name" and "args". */
static const char *__init split_string(const char *s, char *name,
				       size_t size)
{
	const char *base = s, *p;
	size_t n;

	for (p = s; *p && *p != ' '; p++)
		if (*p == '/')
			base = p + 1;
	n = p - base;
	if (n > 3 && !strncmp(p - 3, ".ko", 3))
		n -= 3;
	if (n >= size)
		n = size - 1;
	memcpy(name, base, n);
	name[n] = '\0';
	while (*p == ' ')
		p++;
	return p;
}

static int __init refuse(const char *name, const char *why)
{
	pr_warn("module: %s: refused: %s\n", name, why);
	return -1;
}

static bool __init module_loaded(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_modules; i++)
		if (!strcmp(modules[i].name, name))
			return true;
	return false;
}

/*
 * The module pass with its scratch, which is freed again at once, and
 * the room for its kept table (when the kernel keeps one for a CPU
 * hot-add), of which what the pass used stays for good, read-only.
 */
static int __init patch_module(const char *name, u32 base)
{
	const void *text = (const void *)(uintptr_t)(base + ml.part[MOD_TEXT]);
	const void *etext = (const u8 *)text + ml.text_size;
	const struct fixup_site *sites =
		(const void *)(uintptr_t)(base + ml.sites);
	const struct fixup_site *esites = sites +
					  ml.sites_size / FIXUP_RECORD_SIZE;
	u32 size = fixup_module_taken_size(text, etext), taken = 0;
	u32 keep_size = fixup_module_keep_size(sites, esites), keep = 0;
	u32 used;

	if (size && !(taken = area_alloc(size)))
		return -1;
	if (keep_size && !(keep = area_alloc(keep_size))) {
		if (taken)
			area_free(taken, size);
		return -1;
	}
	used = fixup_module(name, sites, esites, text, etext,
			    (u8 *)(uintptr_t)taken, size,
			    (void *)(uintptr_t)keep, keep_size);
	if (taken)
		area_free(taken, size);
	if (keep) {
		/* What the re-patch will read, read-only as the text is. */
		used = ALIGN_UP(used, PAGE_SIZE);
		area_protect(keep, used);
		area_free(keep + used, ALIGN_UP(keep_size, PAGE_SIZE) - used);
	}
	return 0;
}

static void __init load_module(const struct boot_module *b)
{
	struct module *mod = &modules[nr_modules];
	char name[sizeof(mod->name)];
	const char *args = split_string(b->string, name, sizeof(name));
	u32 base, size;
	int (*init)(const char *);
	int ret;

	if (!name[0])
		memcpy(name, "?", 2);
	if (module_loaded(name)) {
		refuse(name, "a module of that name is loaded already");
		return;
	}
	if (nr_modules == MAX_MODULES) {
		refuse(name, "too many modules");
		return;
	}
	if (b->end <= b->start || b->end > ram_top() || b->start % 4) {
		refuse(name, "its file is not in RAM (or not 4-byte aligned)");
		return;
	}
	if (modload_check(&ml, (const void *)(uintptr_t)b->start,
			  b->end - b->start, resolve_export, NULL)) {
		refuse(name, ml.why);
		return;
	}
	if (ml.tests_size % sizeof(struct selftest)) {
		refuse(name, ".selftests is not whole entries");
		return;
	}
	size = ml.part[MOD_NR_PARTS];
	base = area_alloc(size);
	if (!base) {
		refuse(name, "out of memory");
		return;
	}
	if (modload_place(&ml, (u8 *)(uintptr_t)base, base)) {
		refuse(name, ml.why);
		area_free(base, size);
		return;
	}
	memcpy(mod->name, name, sizeof(mod->name));
	mod->base = base;
	mod->size = ml.part[MOD_INIT];
	mod->text_start = base + ml.part[MOD_TEXT];
	mod->text_end = mod->text_start + ml.text_size;
	mod->tests = (const void *)(uintptr_t)(base + ml.tests);
	mod->tests_end = mod->tests + ml.tests_size / sizeof(struct selftest);
	mod->syms.num = ml.nsyms;
	mod->syms.addr = (const u32 *)(uintptr_t)(base + ml.syms);
	mod->syms.size = mod->syms.addr + ml.nsyms;
	mod->syms.name_off = mod->syms.size + ml.nsyms;
	mod->syms.names = (const char *)(mod->syms.name_off + ml.nsyms);
	loading = mod;			/* fixup_debug names its sites */
	ret = patch_module(name, base);
	loading = NULL;
	if (ret) {
		refuse(name, "out of memory");
		area_free(base, size);
		return;
	}
	/* Read-only: text, rodata and the symbols; then the table goes. */
	area_protect(base, ml.part[MOD_RW]);
	area_free(base + ml.part[MOD_INIT], size - ml.part[MOD_INIT]);
	nr_modules++;
	printk(KERN_INFO "module: %s loaded at 0x%08x (text %u bytes)\n",
	       name, mod->text_start, ml.text_size);
	printk(KERN_INFO "module: %s bytes: image=%u rodata=%u data=%u "
	       "table_freed=%u symbols=%u\n", name, mod->size,
	       ml.part[MOD_RW] - ml.part[MOD_RO], ml.part[MOD_INIT] -
	       ml.part[MOD_RW], ml.sites_size, 12 * ml.nsyms + ml.names_size);

	/*
	 * The kernel's own text becomes read-only later (mark_text_ro());
	 * CR0.WP now makes the module's read-only for its init already.
	 */
	write_cr0(read_cr0() | X86_CR0_WP);
	init = (int (*)(const char *))(uintptr_t)(base + ml.init);
	ret = init(args);
	if (ret)
		pr_warn("module: %s: init_module failed (%d)\n", name, ret);
}

/* The files' memory, and their strings, back to the page allocator. */
static void __init free_boot_files(void)
{
	u32 lo, hi, freed = 0;
	unsigned int i;

	for (i = 0; i < nr_ram_regions; i++) {
		lo = ram_regions[i].start;
		hi = ram_regions[i].end;
		if (lo < files_start)
			lo = files_start;
		if (hi > ALIGN_UP(files_end, PAGE_SIZE))
			hi = ALIGN_UP(files_end, PAGE_SIZE);
		if (lo < hi) {
			free_pages_range(lo, hi);
			freed += hi - lo;
		}
	}
	printk(KERN_INFO "module: %u loaded, %u refused, files freed: %uk\n",
	       nr_modules, nr_boot_mods - nr_modules, freed / 1024);
}

void __init load_boot_modules(void)
{
	unsigned int i;

	if (!nr_boot_mods)
		return;
	printk(KERN_INFO "module: exported symbols: %u (%u bytes, freed with "
	       "init memory)\n", (u32)(__ksymtab_end - __ksymtab_start),
	       (u32)((uintptr_t)__ksymtab_end - (uintptr_t)__ksymtab_start));
	for (i = 0; i < nr_boot_mods; i++)
		load_module(&boot_mods[i]);
	free_boot_files();
}

const struct module *module_of(u32 addr)
{
	unsigned int i;

	if (loading && addr - loading->base < loading->size)
		return loading;
	for (i = 0; i < nr_modules; i++)
		if (addr >= modules[i].base &&
		    addr - modules[i].base < modules[i].size)
			return &modules[i];
	return NULL;
}
EXPORT_SYMBOL(module_of);

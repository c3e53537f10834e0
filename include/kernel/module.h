/*
 * Modules: ELF32 relocatable files (modules/NAME.c -> modules/NAME.ko)
 * that a Multiboot loader hands the kernel, linked and patched at boot
 * (Documentation/modules.md). A module calls only what the kernel
 * exports on purpose with EXPORT_SYMBOL(), names its entry with
 * module_init(), and may carry SELFTEST()s, run with the kernel's.
 */
#ifndef KERNEL_MODULE_H
#define KERNEL_MODULE_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/kallsyms.h>
#include <asm/multiboot.h>

/* One exported symbol: what a module's undefined symbol may resolve to. */
struct kernel_symbol {
	u32 addr;
	const char *name;
};

/*
 * Modules are loaded at boot only, before init memory is freed: the
 * table of exports is init data, freed with it.
 */
#if defined(MODULE) || !defined(CONFIG_MODULES)
#define EXPORT_SYMBOL(sym)
#else
#define EXPORT_SYMBOL(sym)						\
	static const char __kstrtab_##sym[] __initconst = #sym;	\
	static const struct kernel_symbol __ksymtab_##sym		\
	__used __section(".init.ksymtab") __aligned(4) =		\
		{ (u32)(uintptr_t)&(sym), __kstrtab_##sym }
#endif

/*
 * The module's entry: int fn(const char *args), args the rest of the
 * Multiboot module string after the file name ("" when none). Nonzero
 * is a failure, reported; the module stays (its text may be in use).
 */
#define module_init(fn)							\
	int init_module(const char *args) __attribute__((alias(#fn)))

/* The loaded modules, kept for the oops path and the self-tests. */
struct selftest;

struct module {
	char name[32];
	u32 base, size;			/* the image, init part freed */
	u32 text_start, text_end;	/* [start, end): read-only */
	const struct selftest *tests, *tests_end;
	struct ksym_table syms;		/* its functions and objects */
};

extern struct module modules[];
extern unsigned int nr_modules;

#ifdef CONFIG_MODULES
/*
 * Before the early allocator starts: note the Multiboot modules, and
 * return the first byte past them (and their strings) that it may use,
 * at most top (the end of RAM).
 */
u32 module_reserve(const struct multiboot_info *mbi, u32 free_start,
		   u32 top);
/* Once memory is up, before init memory is freed: link and start them. */
void load_boot_modules(void);
/* The module whose image holds addr, or NULL. */
const struct module *module_of(u32 addr);
#else
static inline u32 module_reserve(const struct multiboot_info *mbi,
				 u32 free_start, u32 top)
{
	(void)mbi; (void)top;
	return free_start;
}
static inline void load_boot_modules(void) { }
static inline const struct module *module_of(u32 addr)
{
	(void)addr;
	return NULL;
}
#endif

#endif

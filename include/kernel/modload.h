/*
 * The module ELF loader (arch/i386/kernel/modload.c): checks a module
 * file and lays it out (modload_check), then copies and relocates it
 * into memory the caller allocated (modload_place). Pure: it reads only
 * the file and writes only the image, so the host fuzz target
 * (tests/fuzz/fuzz_modload.c) runs it as the kernel does. What is
 * refused and why: Documentation/modules.md.
 */
#ifndef KERNEL_MODLOAD_H
#define KERNEL_MODLOAD_H

#include <kernel/types.h>
#include <kernel/elf.h>

#define MODLOAD_MAX_SECTIONS	64
#define MODLOAD_MAX_SIZE	(4u << 20)	/* of one module's image */
#define MODLOAD_NOT_LOADED	0xffffffffu

/*
 * The parts of the image, each starting on a page: text (read-only and
 * the fixup pass's one text range), rodata and the module's symbol table
 * (read-only), data and bss, and what is freed once the module is
 * patched: its .fixup_sites table.
 */
enum { MOD_TEXT, MOD_RO, MOD_RW, MOD_INIT, MOD_NR_PARTS };

/* Resolve an exported symbol: how many exports have the name (0, 1, 2+). */
typedef unsigned int (*modload_resolve_fn)(void *ctx, const char *name,
					   u32 *addr);

struct modload {
	const u8 *file;
	u32 size;
	const struct elf32_shdr *sh;
	u32 nsec;
	const struct elf32_sym *sym;
	u32 nsym;
	const char *str;		/* the symbols' names */
	u32 strsize;
	modload_resolve_fn resolve;
	void *ctx;

	/* The layout: offsets in the image. */
	u32 place[MODLOAD_MAX_SECTIONS];	/* or MODLOAD_NOT_LOADED */
	u32 part[MOD_NR_PARTS + 1];	/* part[MOD_NR_PARTS]: image size */
	u32 text_size;			/* of the text part, unpadded */
	u32 sites, sites_size;		/* .fixup_sites */
	u32 tests, tests_size;		/* .selftests */
	u32 syms, nsyms, names_size;	/* the module's symbol table */
	u32 init;			/* init_module */

	char why[96];			/* why the file was refused */
};

/* 0, or -1 with m->why set. Reads only [file, file + size). */
int modload_check(struct modload *m, const void *file, u32 size,
		  modload_resolve_fn resolve, void *ctx);

/*
 * Copy and relocate into mem, m->part[MOD_NR_PARTS] bytes of zeroes,
 * which will run at address addr (the same as mem in the kernel), and
 * check that every fixup record points into the text part. 0, or -1
 * with m->why set.
 */
int modload_place(struct modload *m, u8 *mem, u32 addr);

#endif

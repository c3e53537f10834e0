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
 *  - an image that is accepted keeps the promises module.c relies on:
 *    its parts are page-aligned and in order, within MODLOAD_MAX_SIZE;
 *    init_module, every fixup record's site and the .selftests table lie
 *    where they must; the symbol table is sorted, every symbol in the
 *    image and every name a string inside it.
 *
 * The exports it resolves against: the names modtest.ko imports, plus
 * "twice", exported twice (an import of it is ambiguous).
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

int LLVMFuzzerTestOneInput(const u8 *data, size_t n);
int LLVMFuzzerTestOneInput(const u8 *data, size_t n)
{
	static struct modload m;
	u8 *file, *mem;

	if (n > MODLOAD_MAX_SIZE)
		return 0;
	file = malloc(n ? n : 1);
	memcpy(file, data, n);
	if (modload_check(&m, file, n, resolve, NULL)) {
		if (!m.why[0] || strchr(m.why, '\n'))
			fail("refused without a one-line reason");
		free(file);
		return 0;
	}
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

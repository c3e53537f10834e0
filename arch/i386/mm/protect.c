/*
 * Write-protecting the kernel once the fixup pass is over. See Intel SDM
 * vol. 3A, 4.6 "Access rights": a page without R/W is read-only for
 * supervisor code only while CR0.WP is set (486 and later).
 *
 * Text and rodata, and the symbol table segment, become read-only; each
 * AP loads the boot CPU's CR0, WP included, in the trampoline. Data stays
 * executable: 32-bit paging without PAE has no NX bit, and the 486 has no
 * PAE, so the generic kernel does not do it.
 */
#include <kernel/printk.h>
#include <asm/page.h>
#include <asm/processor.h>

extern char __bss_stop[];	/* ldscripts/vmlinux.lds: .kallsyms follows */

static u32 set_readonly(u32 start, u32 end)
{
	u32 a;

	for (a = start; a < end; a += PAGE_SIZE)
		map_page(a, 0);		/* present, not writable */
	return end - start;
}

void mark_text_ro(void)
{
	u32 text, ksyms;

	text = set_readonly((u32)(uintptr_t)_text, (u32)(uintptr_t)_erodata);
	ksyms = set_readonly(ALIGN_UP((u32)(uintptr_t)__bss_stop, PAGE_SIZE),
			     (u32)(uintptr_t)_end);
	write_cr0(read_cr0() | X86_CR0_WP);
	printk(KERN_INFO "mm: write-protected kernel text and rodata: %uk, "
	       "symbol table: %uk\n", text / 1024, ksyms / 1024);
}

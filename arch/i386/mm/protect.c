/*
 * Write-protecting the kernel once the fixup pass is over. See Intel SDM
 * vol. 3A, 4.6 "Access rights": a page without R/W is read-only for
 * supervisor code only while CR0.WP is set (486 and later).
 *
 * Text and rodata (the re-patch region among them when it stays: a
 * re-patch writes through an alias, arch/i386/fixup/repatch.c), and the
 * symbol table segment, become read-only; each
 * AP loads the boot CPU's CR0, WP included, in the trampoline. Data stays
 * executable: 32-bit paging without PAE has no NX bit, and the 486 has no
 * PAE, so the generic kernel does not do it.
 */
#include <kernel/printk.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <kernel/smpboot.h>
#include <asm/fixup.h>

extern char __bss_stop[];	/* ldscripts/vmlinux.lds: .kallsyms follows */
extern char boot_stack_guard[];	/* arch/i386/boot/head.S */

/*
 * Unmap the page below each kernel stack: an overflow then faults at
 * once, and the double-fault task reports it (arch/i386/kernel/traps.c).
 */
static void unmap_stack_guards(void)
{
	int cpu;

	unmap_page((u32)(uintptr_t)boot_stack_guard);
#ifdef CONFIG_SMP
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		unmap_page((u32)(uintptr_t)ap_stacks[cpu].guard);
#else
	(void)cpu;
#endif
}

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

	/* what was freed of the re-patch region is unmapped: it must stay so */
	text = set_readonly((u32)(uintptr_t)_text,
			    (u32)(uintptr_t)__repatch_start);
	text += set_readonly((u32)(uintptr_t)__repatch_start,
			     (u32)(uintptr_t)fixup_resident_end());
	text += set_readonly((u32)(uintptr_t)__repatch_end,
			     (u32)(uintptr_t)_erodata);
	ksyms = set_readonly(ALIGN_UP((u32)(uintptr_t)__bss_stop, PAGE_SIZE),
			     (u32)(uintptr_t)_end);
	unmap_stack_guards();
	write_cr0(read_cr0() | X86_CR0_WP);
	printk(KERN_INFO "mm: write-protected kernel text and rodata: %uk, "
	       "symbol table: %uk\n", text / 1024, ksyms / 1024);
}

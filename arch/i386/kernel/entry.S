/*
 * Trap and interrupt entry: save a struct pt_regs (include/asm/ptrace.h)
 * and call the C handler. Exceptions that push an error code are listed in
 * Intel SDM vol. 3A, 6.13 "Error code"; for the others a zero stands in.
 */
#include <asm/segment.h>

	.text
	.align 16
trap_common:
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	movl $__KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	cld
	pushl %esp			/* struct pt_regs * */
	call do_trap
	addl $4, %esp
	popal
	popl %gs
	popl %fs
	popl %es
	popl %ds
	addl $8, %esp			/* vector and error code */
	iret

/*
 * A CPU's double-fault task starts here on its own stack (arch/i386/
 * kernel/desc.c), the error code on top and the CPU number in EBX, as
 * its TSS had it: do_double_fault(cpu, error) never returns.
 */
	.globl double_fault_entry
double_fault_entry:
	pushl %ebx
	call do_double_fault
1:	cli
	hlt
	jmp 1b

/* One stub per vector, all the same size, so entry N is at base + N * 16. */
	.align 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushl $0
	.endif
	pushl $vec
	jmp trap_common
	.set vec, vec + 1
	.endr
	.globl trap_stubs_end
trap_stubs_end:

/*
 * The idle loops' sleep, with interrupts off until here: sti; hlt. The
 * sti holds interrupts off for one more instruction, but NMIs only "may"
 * be held (SDM vol. 2B, STI): do_nmi() returns past an interrupted
 * safe_halt_hlt, or an interrupt taken at its IRET would leave the CPU
 * asleep with its work to do.
 */
	.text
	.globl safe_halt, safe_halt_hlt
	.type safe_halt, @function
safe_halt:
	sti
safe_halt_hlt:
	hlt
	ret

/*
 * Vector 2 while text is being written (desc.c: idt_text_write_begin()).
 * Only the registers C may clobber are saved, the kernel's data segment
 * is loaded (it is the only one, but an NMI may come at any point), and
 * nmi_text_write_count() counts. Nothing here or there is a site or
 * calls out of .text.nmi: scripts/nmi-section-check sees to it.
 */
	.section .text.nmi, "ax"
	.globl nmi_text_write_entry
	.type nmi_text_write_entry, @function
nmi_text_write_entry:
	pushl %eax
	pushl %ecx
	pushl %edx
	pushl %ds
	pushl %es
	movl $__KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	cld
	call nmi_text_write_count
	popl %es
	popl %ds
	popl %edx
	popl %ecx
	popl %eax
	iret
	.size nmi_text_write_entry, . - nmi_text_write_entry

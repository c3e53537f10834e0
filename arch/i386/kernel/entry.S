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
 * The double-fault task starts here on its own stack (arch/i386/kernel/
 * desc.c), the error code on top: do_double_fault(error) never returns.
 */
	.globl double_fault_entry
double_fault_entry:
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

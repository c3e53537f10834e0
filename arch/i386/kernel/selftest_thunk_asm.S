/*
 * Hand-written branches through every register's Spectre v2 thunk
 * (arch/i386/lib/retpoline.S), for the self-tests of selftest_thunk.c:
 * GCC picks %eax, %ecx and %edx for nearly every indirect branch, so the
 * thunks of %ebx, %esi, %edi and %ebp would otherwise run only by
 * chance. Each branch is a THUNK_CALL or THUNK_JMP site of its own
 * (fixup_record), so the boot pass rewrites it for the CPU like the
 * compiler's: the tests check whatever form the mode gave it.
 *
 * selftest_thunk_call_REG() and selftest_thunk_jmp_REG() return
 * SELFTEST_THUNK_MAGIC when the branch arrived at the target and came
 * back to the end of the site (or, after an inline call, to the NOPs
 * that pad it) with the stack as it was, 0 (or 1: the return address
 * was wrong) when not. Register numbers:
 * Intel SDM vol. 2A, table 2-2.
 */
#include <asm/fixup.h>
#include <asm/selftest_thunk.h>

	.text

/* The target: says it ran, and where it will return to. */
	.type selftest_thunk_target, @function
selftest_thunk_target:
	movl (%esp), %eax
	movl %eax, selftest_thunk_retaddr
	movl $SELFTEST_THUNK_MAGIC, %eax
	ret
	.size selftest_thunk_target, . - selftest_thunk_target

/*
 * Saves the callee-saved registers (the branch may go through any of
 * them), and the stack pointer to compare with after.
 */
.macro ENTER
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl $0, selftest_thunk_retaddr
	movl %esp, selftest_thunk_sp
.endm

/*
 * eax: the target's magic if the stack is back and the target returned
 * to \back, or to \inline: after an inline "call *%reg" (FF D0+r, two
 * bytes) the return lands on the NOPs that pad the site, and runs them.
 */
.macro LEAVE back, inline
	cmpl %esp, selftest_thunk_sp
	je 1f
	xorl %eax, %eax
1:	cmpl $\back, selftest_thunk_retaddr
	je 2f
	cmpl $\inline, selftest_thunk_retaddr
	je 2f
	movl $1, %eax
2:	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
.endm

/* call *%reg, through the thunk: a THUNK_CALL site. */
.macro CALL_THROUGH reg
	.globl selftest_thunk_call_\reg
	.type selftest_thunk_call_\reg, @function
selftest_thunk_call_\reg:
	ENTER
	movl $selftest_thunk_target, %\reg
661:	call __x86_indirect_thunk_\reg
662:	fixup_record FIXUP_KIND_THUNK_CALL
	LEAVE 662b, 661b+2
	.size selftest_thunk_call_\reg, . - selftest_thunk_call_\reg
.endm

/*
 * jmp *%reg, through the thunk, as a tail call: a THUNK_JMP site in a
 * function of its own, called here, so the target returns here.
 * {disp32}: the 5-byte E9 rel32 of the site, whatever gas would choose.
 */
.macro JMP_THROUGH reg
	.globl selftest_thunk_jmp_\reg
	.type selftest_thunk_jmp_\reg, @function
selftest_thunk_jmp_\reg:
	ENTER
	call 3f
4:	LEAVE 4b, 4b
3:	movl $selftest_thunk_target, %\reg
661:	{disp32} jmp __x86_indirect_thunk_\reg
662:	fixup_record FIXUP_KIND_THUNK_JMP
	int3
	.size selftest_thunk_jmp_\reg, . - selftest_thunk_jmp_\reg
.endm

	.irp reg, eax, ecx, edx, ebx, ebp, esi, edi
	CALL_THROUGH \reg
	JMP_THROUGH \reg
	.endr

/*
 * u32 selftest_thunk_pop(void): calls selftest_thunk_popper(5, 7), a C
 * function that pops its two arguments ("ret $8", which GCC compiles to
 * "popl %ecx; leal 8(%esp), %esp; jmp __x86_return_thunk_ecx" with the
 * return thunks), and returns what it returned, or 0 when the stack is
 * not where it was before the arguments were pushed.
 */
	.globl selftest_thunk_pop
	.type selftest_thunk_pop, @function
selftest_thunk_pop:
	pushl %esi
	movl %esp, %esi
	pushl $7
	pushl $5
	call selftest_thunk_popper
	cmpl %esp, %esi
	je 1f
	movl %esi, %esp
	xorl %eax, %eax
1:	popl %esi
	ret
	.size selftest_thunk_pop, . - selftest_thunk_pop

	.data
	.p2align 2
selftest_thunk_retaddr:
	.long 0
selftest_thunk_sp:
	.long 0

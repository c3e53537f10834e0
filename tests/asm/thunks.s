# The Spectre v2 thunks a 32-bit Linux program built with the kernel's
# thunk flags calls (GCC's names: -mindirect-branch=thunk-extern
# -mindirect-branch-register, -mfunction-return=thunk-extern), for the
# programs tests/asm-pass.t runs. Each is the retpoline, as the kernel's
# arch/i386/lib/retpoline.S (Intel, "Retpoline: A Branch Target Injection
# Mitigation", 758357), after counting itself so that the program can
# tell that it ran. pushfl/popfl: the count must not change the flags a
# branch carries. Absolute addresses: link with -no-pie.

	.data
	.globl	thunk_branches, thunk_returns
thunk_branches:	.long 0
thunk_returns:	.long 0

	.text
.macro RETPOLINE name, reg, count
	.globl	\name
	.type	\name, @function
\name:
	pushfl
	incl	\count
	popfl
	call	1f
2:	pause
	lfence
	jmp	2b
1:	movl	%\reg, (%esp)
	ret
	.size	\name, . - \name
.endm

	.irp reg, eax, ebx, ecx, edx, esi, edi, ebp
	RETPOLINE __x86_indirect_thunk_\reg, \reg, thunk_branches
	.endr
	# "ret $N" became popl %ecx; leal N(%esp), %esp; jmp to this
	RETPOLINE __x86_return_thunk_ecx, ecx, thunk_returns

	.globl	__x86_return_thunk
	.type	__x86_return_thunk, @function
__x86_return_thunk:
	pushfl
	incl	thunk_returns
	popfl
	ret
	int3
	.size	__x86_return_thunk, . - __x86_return_thunk

	.section .note.GNU-stack, "", @progbits

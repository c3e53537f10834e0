# tests/asm/run_thunk_jcc.asm: branches to Spectre v2 thunks that GCC 12
# does not write but the pass must take (clang writes "jcc
# __x86_return_thunk"), run (tests/asm-pass.t builds this plain and
# through the pass and runs both). The thunks are this file's own, in
# the same section as their callers, so that gas would make a jmp to one
# a 2-byte jump were it not written {disp32}. Through the pass a jcc to a
# thunk becomes the inverse jcc over a jmp site; each case takes the
# branch one way and then the other. main returns 0 if every case went
# the right way, else the number of the first that did not.
# SPDX-License-Identifier: GPL-2.0

	.text
	.globl	main
	.type	main, @function
main:
	pushl	%ebx

	# 1: an indirect call through a thunk
	call	.Lpc
.Lpc:	popl	%ebx			# position-independent: the address
	leal	seven-.Lpc(%ebx), %eax	# of seven, PC-relative
	call	__x86_indirect_thunk_eax
	cmpl	$7, %eax
	movl	$1, %eax
	jne	.Lout

	# 2, 3: a conditional return, taken and not
	movl	$1, %eax
	call	cond_ret
	cmpl	$5, %edx
	movl	$2, %eax
	jne	.Lout
	xorl	%eax, %eax
	call	cond_ret
	cmpl	$9, %edx
	movl	$3, %eax
	jne	.Lout

	# 4, 5: a conditional tail call through a thunk, taken and not
	leal	seven-.Lpc(%ebx), %ecx
	xorl	%eax, %eax
	call	cond_tail
	cmpl	$7, %eax
	movl	$4, %eax
	jne	.Lout
	leal	seven-.Lpc(%ebx), %ecx
	movl	$1, %eax
	call	cond_tail
	cmpl	$3, %eax
	movl	$5, %eax
	jne	.Lout

	# 6: "ret $8" through __x86_return_thunk_ecx: the arguments popped
	movl	%esp, %ebx
	pushl	$30
	pushl	$12
	call	callee_pops
	cmpl	%esp, %ebx
	movl	$6, %edx
	jne	.Lfail
	cmpl	$42, %eax
	jne	.Lfail

	xorl	%eax, %eax
.Lout:
	popl	%ebx
	jmp	__x86_return_thunk
.Lfail:
	movl	%edx, %eax
	jmp	.Lout
	.size	main, .-main

# edx = 5 if eax != 0, else 9
	.type	cond_ret, @function
cond_ret:
	movl	$5, %edx
	testl	%eax, %eax
	jne	__x86_return_thunk
	movl	$9, %edx
	jmp	__x86_return_thunk
	.size	cond_ret, .-cond_ret

# eax = (*ecx)() if eax == 0, else 3
	.type	cond_tail, @function
cond_tail:
	testl	%eax, %eax
	je	__x86_indirect_thunk_ecx
	movl	$3, %eax
	jmp	__x86_return_thunk
	.size	cond_tail, .-cond_tail

	.type	seven, @function
seven:
	movl	$7, %eax
	jmp	__x86_return_thunk
	.size	seven, .-seven

# stdcall: the sum of its two arguments, which it pops (GCC's "ret $8")
	.type	callee_pops, @function
callee_pops:
	movl	4(%esp), %eax
	addl	8(%esp), %eax
	popl	%ecx
	leal	8(%esp), %esp
	jmp	__x86_return_thunk_ecx
	.size	callee_pops, .-callee_pops

# The thunks: the retpoline (Intel, 758357) and a return thunk. The
# lfence is written as bytes: the pass would make it a site.
	.irp	reg, eax, ecx
	.type	__x86_indirect_thunk_\reg, @function
__x86_indirect_thunk_\reg:
	call	1f
2:	pause
	.byte	0x0f, 0xae, 0xe8	# lfence
	jmp	2b
1:	movl	%\reg, (%esp)
	ret
	.size	__x86_indirect_thunk_\reg, .-__x86_indirect_thunk_\reg
	.endr
# After "popl %ecx" a return is "jmp *%ecx": the %ecx retpoline.
	.set	__x86_return_thunk_ecx, __x86_indirect_thunk_ecx

	.type	__x86_return_thunk, @function
__x86_return_thunk:
	ret
	.size	__x86_return_thunk, .-__x86_return_thunk

	.section .note.GNU-stack, "", @progbits

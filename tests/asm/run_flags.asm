# tests/asm/run_flags.asm: fences with the flags live across them, and
# the sequences of GCC output where they are dead, run (tests/asm-pass.t
# builds this plain and through the pass and runs both).
#
# Each case sets the flags so that the 5-byte barrier, a locked add of 0
# to the nonzero word at (%esp) (CF=0 ZF=0 SF=0 OF=0), would send the
# code after the fence the wrong way. main returns 0 if every case went
# the right way, else the number of the first that did not. A fence
# whose flags are live is marked "# live" for the test, which checks
# that the pass gave exactly those the flag-keeping site.
# SPDX-License-Identifier: GPL-2.0

	.text
	.globl	main
	.type	main, @function
main:
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	pushl	$0x12345678		# the word the barrier adds to

	# 1: CF read by jnc
	stc
	mfence	# live
	jnc	.Lfail1

	# 2: ZF read by jne, across lfence
	xorl	%eax, %eax
	lfence	# live
	jne	.Lfail2

	# 3: SF and OF read through an unconditional jump
	movl	$3, %eax
	cmpl	$5, %eax
	sfence	# live
	jmp	.L3
.Lfail1:
	movl	$1, %eax
	jmp	.Lout
.L3:
	jge	.Lfail3

	# 4: adc reads CF
	stc
	mfence	# live
	movl	$0, %eax
	adcl	$0, %eax
	cmpl	$1, %eax
	jne	.Lfail4

	# 5: setc reads CF
	stc
	mfence	# live
	setc	%al
	testb	%al, %al
	je	.Lfail5

	# 6: a loop whose condition is set before the fence
	xorl	%edx, %edx
.L6:
	incl	%edx
	cmpl	$3, %edx
	mfence	# live
	jb	.L6
	cmpl	$3, %edx
	jne	.Lfail6

	# 7: pushfl reads them all
	stc
	mfence	# live
	pushfl
	popl	%eax
	testl	$1, %eax
	je	.Lfail7

	# 8: inc writes all but CF
	stc
	mfence	# live
	incl	%eax
	jnc	.Lfail8

	# 9: bt writes all but ZF
	xorl	%eax, %eax
	mfence	# live
	btl	$0, %ecx
	jne	.Lfail9

	# 10: a shift by %cl = 0 writes nothing
	stc
	mfence	# live
	movb	$0, %cl
	shll	%cl, %eax
	jnc	.Lfail10

	# 11: cmpxchg8b writes only ZF: CF is still read after it
	subl	$8, %esp
	movl	$1, (%esp)
	movl	$0, 4(%esp)
	stc
	mfence	# live
	movl	$1, %eax
	movl	$0, %edx
	movl	$2, %ebx
	movl	$0, %ecx
	lock cmpxchg8b	(%esp)
	jnc	.Lfail11
	addl	$8, %esp

	# 12: live on one way of a branch only
	movl	$1, %eax
	cmpl	$1, %eax
	mfence	# live
	je	.L12
	cmpl	$0, %eax
	jmp	.Lfail12
.L12:
	jne	.Lfail12

	# Dead: the issue's sequences, and calls. The flags after these
	# fences are written before anything reads them.
	# 13: mfence; movl; flds; fucomip; jp
	subl	$8, %esp
	movl	$0x3f800000, (%esp)	# 1.0f
	mfence
	movl	$0x40000000, 4(%esp)	# 2.0f
	flds	(%esp)
	flds	4(%esp)
	fucomip	%st(1), %st
	fstp	%st(0)
	jp	.Lfail13
	jbe	.Lfail13
	addl	$8, %esp

	# 14: mfence; movl x4; lock cmpxchg8b; jne
	subl	$8, %esp
	movl	$5, (%esp)
	movl	$0, 4(%esp)
	mfence
	movl	$5, %eax
	movl	$0, %edx
	movl	$6, %ebx
	movl	$0, %ecx
	lock cmpxchg8b	(%esp)
	jne	.Lfail14
	addl	$8, %esp

	# 15: a call: flags are dead by the ABI
	stc
	mfence
	call	.Lsetflags
	jnc	.Lfail15

	# 16: fcomi after a jump
	stc
	mfence
	jmp	.L16
.Lfail16:
	movl	$16, %eax
	jmp	.Lout
.L16:
	fld1
	fldz
	fcomi	%st(1), %st
	fstp	%st(0)
	fstp	%st(0)
	jae	.Lfail16

	xorl	%eax, %eax
.Lout:
	addl	$4, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	ret
.Lfail2:
	movl	$2, %eax
	jmp	.Lout
.Lfail3:
	movl	$3, %eax
	jmp	.Lout
.Lfail4:
	movl	$4, %eax
	jmp	.Lout
.Lfail5:
	movl	$5, %eax
	jmp	.Lout
.Lfail6:
	movl	$6, %eax
	jmp	.Lout
.Lfail7:
	movl	$7, %eax
	jmp	.Lout
.Lfail8:
	movl	$8, %eax
	jmp	.Lout
.Lfail9:
	movl	$9, %eax
	jmp	.Lout
.Lfail10:
	movl	$10, %eax
	jmp	.Lout
.Lfail11:
	addl	$8, %esp
	movl	$11, %eax
	jmp	.Lout
.Lfail12:
	movl	$12, %eax
	jmp	.Lout
.Lfail13:
	addl	$8, %esp
	movl	$13, %eax
	jmp	.Lout
.Lfail14:
	addl	$8, %esp
	movl	$14, %eax
	jmp	.Lout
.Lfail15:
	movl	$15, %eax
	jmp	.Lout
	.size	main, .-main

	.type	.Lsetflags, @function
.Lsetflags:
	stc
	ret
	.size	.Lsetflags, .-.Lsetflags
	.section	.note.GNU-stack,"",@progbits

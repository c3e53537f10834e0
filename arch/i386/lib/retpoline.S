/*
 * The thunks that a kernel built with CONFIG_RETPOLINE and CONFIG_RETHUNK
 * calls instead of indirect branches and returns. GCC 12 with
 * -mindirect-branch=thunk-extern -mindirect-branch-register names
 * __x86_indirect_thunk_REG for every register it may branch through
 * (never %esp), as "call" or, for a tail call, "jmp"; with
 * -mfunction-return=thunk-extern every "ret" is "jmp __x86_return_thunk",
 * and a function that pops its arguments ("ret $N": stdcall, a struct
 * returned through a hidden pointer) ends "popl %ecx; leal N(%esp),
 * %esp; jmp __x86_return_thunk_ecx". Which CPU needs what, and the
 * sources: Documentation/spectre.md.
 *
 * Each indirect-branch thunk is the retpoline, correct on every CPU.
 * The fixup pass rewrites every recorded branch to a thunk for the CPU
 * (the THUNK kinds, Documentation/fixup-sites.md): inline where no
 * mitigation is needed, so the thunks run only where the retpoline is
 * chosen. It knows them from the list in retpoline_exports.c.
 */

	.text

/*
 * The retpoline of Intel's "Retpoline: A Branch Target Injection
 * Mitigation" (for "jmp *%reg"), which AMD's "Software Techniques for
 * Managing Speculation" also gives: the call pushes a return address
 * whose prediction (the return stack) is the pause/lfence loop, where
 * speculation is caught; the real target overwrites it on the stack and
 * "ret" goes there. The loop never runs for real, so its lfence (SSE2)
 * is harmless on a 486; pause is "rep; nop" on CPUs before the P4.
 */
.macro RETPOLINE name, reg
	.globl \name
	.type \name, @function
\name:
	call 1f
2:	pause
	lfence
	jmp 2b
1:	movl %\reg, (%esp)
	ret
	.size \name, . - \name
.endm

#ifdef CONFIG_RETPOLINE
	.irp reg, eax, ebx, ecx, edx, esi, edi, ebp
	RETPOLINE __x86_indirect_thunk_\reg, \reg
	.endr
/*
 * After "popl %ecx; leal N(%esp), %esp" the return address is in %ecx:
 * the return has become an indirect jump, which the indirect predictor
 * guesses, so it takes a retpoline too (a copy of its own, so that the
 * fixup pass can tell the two kinds of site by their target).
 */
	RETPOLINE __x86_return_thunk_ecx, ecx
#endif

#ifdef CONFIG_RETHUNK
/*
 * No CPU gets a return retpoline on i386 (Documentation/spectre.md): the
 * return thunk returns. int3 stops straight-line speculation past it.
 */
	.globl __x86_return_thunk
	.type __x86_return_thunk, @function
__x86_return_thunk:
	ret
	int3
	.size __x86_return_thunk, . - __x86_return_thunk
#endif

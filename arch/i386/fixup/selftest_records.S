/*
 * CONFIG_FIXUP_SELFTEST: records the boot-time validator must reject,
 * one for each reason, beside two good ones that the duplicate and the
 * overlap refer to. The report must name each rejection, and the bytes
 * of the bad sites must be unchanged after the pass (the self-test
 * fixup_bad_records checks them). The code here is never executed.
 */
#include <asm/fixup.h>

	.text
	.globl fixup_st_text
	.type fixup_st_text, @function
fixup_st_text:
	.globl fixup_st_lock
fixup_st_lock:
	lock; incl (%eax)		/* good LOCK site */
	.globl fixup_st_mb
fixup_st_mb:
	lock; addl $0, (%esp)		/* good MB site */
	.globl fixup_st_nop
fixup_st_nop:
	nop				/* not a lock prefix */
	.globl fixup_st_call
fixup_st_call:
	call fixup_st_text		/* not a call group's function */
	ret
	.size fixup_st_text, . - fixup_st_text

	/* A good LOCK site in init text: never kept for a CPU hot-add (the
	   init text is freed), so the self-test fixup_repatch still passes. */
	.section .init.text, "ax"
	.globl fixup_st_init_lock
fixup_st_init_lock:
	lock; incl (%eax)
	ret

	.data
	.globl fixup_st_data
fixup_st_data:
	.byte 0xf0			/* a lock prefix, but not in text */

.macro bad_record site, kind, len
	.long \site - .
	.byte \kind, \len
.endm

	.section .fixup_sites.selftest, "a"
	bad_record fixup_st_lock, FIXUP_KIND_LOCK, 1		/* accepted */
	bad_record fixup_st_init_lock, FIXUP_KIND_LOCK, 1	/* accepted */
	bad_record fixup_st_lock, FIXUP_KIND_LOCK, 1		/* duplicate */
	bad_record fixup_st_mb, FIXUP_KIND_MB, 5		/* accepted */
	bad_record fixup_st_mb, FIXUP_KIND_LOCK, 1		/* overlaps another site */
	bad_record fixup_st_data, FIXUP_KIND_LOCK, 1		/* outside text */
	bad_record fixup_st_nop, FIXUP_KIND_LOCK, 0		/* zero length */
	bad_record fixup_st_nop, FIXUP_KIND_MB, 9		/* oversize */
	bad_record fixup_st_nop, 99, 1			/* unknown kind */
	bad_record fixup_st_nop, FIXUP_KIND_LOCK, 1		/* bytes not a variant */
	bad_record fixup_st_call, FIXUP_KIND_CALL, 5		/* not in a group */

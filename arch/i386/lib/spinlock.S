/*
 * The out-of-line spinlock routines behind include/asm/spinlock.h. Each
 * preserves every register but the flags (and %eax for trylock's result).
 * Their call sites vanish on a uniprocessor (see the fixup call groups in
 * arch/i386/lib/spinlock_calls.c).
 */
#include <asm/fixup.h>

	.text

/* %eax = lock */
	.globl __spin_lock
	.type __spin_lock, @function
__spin_lock:
1:
661:	lock
662:	fixup_record FIXUP_KIND_LOCK
	decb (%eax)
	jns 3f
2:	rep; nop			/* pause on P4, nop before */
	cmpb $0, (%eax)
	jle 2b
	jmp 1b
3:	ret
	.size __spin_lock, . - __spin_lock

/*
 * %eax = lock. On x86 stores are not reordered with older stores, so a
 * plain store releases the lock; an IDT WinChip with out-of-order stores
 * is the exception, and the SMP_WMB site before it becomes a barrier
 * there (none of the CPUs a kernel without fixups is built for is one).
 */
	.globl __spin_unlock
	.type __spin_unlock, @function
__spin_unlock:
#ifdef CONFIG_FIXUP
661:	lock; addl $0, (%esp)
662:	fixup_record FIXUP_KIND_SMP_WMB
#endif
	movb $1, (%eax)
	ret
	.size __spin_unlock, . - __spin_unlock

/* %edx = lock; returns %eax = 1 if taken, 0 if not */
	.globl __spin_trylock
	.type __spin_trylock, @function
__spin_trylock:
	movl $0, %eax
	xchgb %al, (%edx)		/* xchg is always locked */
	testb %al, %al
	setg %al			/* was free (1): taken */
	ret
	.size __spin_trylock, . - __spin_trylock

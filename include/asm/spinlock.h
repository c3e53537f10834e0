/*
 * Spinlocks. On SMP a lock is a byte: 1 free, 0 or less held; taking it
 * is "lock; decb" and spinning reads until it is free again (the 486-era
 * Linux lock). The calls are CALL fixup sites: on a uniprocessor the
 * patcher turns them into 5-byte NOPs, so a generic kernel on one CPU
 * touches no lock word at all, as a CONFIG_SMP=n kernel. Disabling
 * interrupts is separate (spin_lock_irqsave) and always done.
 *
 * The lock routines (arch/i386/lib/spinlock.S) take the lock in %eax and
 * change nothing but the flags, so a call site costs the caller nothing.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <kernel/types.h>
#include <asm/fixup.h>
#include <asm/processor.h>

struct spinlock {
	volatile u8 slock;
};

#define SPINLOCK_UNLOCKED	{ 1 }
#define DEFINE_SPINLOCK(x)	struct spinlock x = SPINLOCK_UNLOCKED

static inline void spin_lock_init(struct spinlock *l)
{
	l->slock = 1;
}

#ifdef CONFIG_SMP

#ifdef CONFIG_FIXUP
#define __SPIN_CALL(fn)	FIXUP_CALL(fn)
#else
#define __SPIN_CALL(fn)	"call " #fn
#endif

static inline void spin_lock(struct spinlock *l)
{
	__asm__ __volatile__(__SPIN_CALL(__spin_lock)
			     : : "a"(l) : "memory", "cc");
}

static inline void spin_unlock(struct spinlock *l)
{
	__asm__ __volatile__(__SPIN_CALL(__spin_unlock)
			     : : "a"(l) : "memory", "cc");
}

/* 1 if taken. On UP the call vanishes and the 1 put in %eax stays. */
static inline bool spin_trylock(struct spinlock *l)
{
	u32 r = 1;

	__asm__ __volatile__(__SPIN_CALL(__spin_trylock)
			     : "+a"(r) : "d"(l) : "memory", "cc");
	return r;
}

static inline bool spin_is_locked(const struct spinlock *l)
{
	return (s8)l->slock <= 0;
}

#else /* !CONFIG_SMP */

static inline void spin_lock(struct spinlock *l)
{
	(void)l;
	barrier();
}

static inline void spin_unlock(struct spinlock *l)
{
	(void)l;
	barrier();
}

static inline bool spin_trylock(struct spinlock *l)
{
	(void)l;
	barrier();
	return true;
}

static inline bool spin_is_locked(const struct spinlock *l)
{
	(void)l;
	return false;
}

#endif /* CONFIG_SMP */

#define spin_lock_irqsave(l, flags)					\
	do { (flags) = local_irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags)				\
	do { spin_unlock(l); local_irq_restore(flags); } while (0)

#endif

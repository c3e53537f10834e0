/*
 * Atomic integers. Every read-modify-write carries LOCK_PREFIX: a lock
 * prefix recorded as a fixup site (a DS prefix after patching on one CPU),
 * or nothing at all in a CONFIG_SMP=n kernel. xadd and cmpxchg are 486
 * instructions, so all of these run on the oldest supported CPU.
 */
#ifndef ASM_ATOMIC_H
#define ASM_ATOMIC_H

#include <kernel/types.h>
#include <asm/fixup.h>

struct atomic {
	volatile int counter;
};

#define ATOMIC_INIT(i)	{ (i) }

static inline int atomic_read(const struct atomic *v)
{
	return v->counter;
}

static inline void atomic_set(struct atomic *v, int i)
{
	v->counter = i;
}

static inline void atomic_add(int i, struct atomic *v)
{
	__asm__ __volatile__(LOCK_PREFIX "addl %1, %0"
			     : "+m"(v->counter) : "ir"(i) : "memory", "cc");
}

static inline void atomic_sub(int i, struct atomic *v)
{
	__asm__ __volatile__(LOCK_PREFIX "subl %1, %0"
			     : "+m"(v->counter) : "ir"(i) : "memory", "cc");
}

static inline void atomic_inc(struct atomic *v)
{
	__asm__ __volatile__(LOCK_PREFIX "incl %0"
			     : "+m"(v->counter) : : "memory", "cc");
}

static inline void atomic_dec(struct atomic *v)
{
	__asm__ __volatile__(LOCK_PREFIX "decl %0"
			     : "+m"(v->counter) : : "memory", "cc");
}

/* True when the result is zero. */
static inline bool atomic_sub_and_test(int i, struct atomic *v)
{
	bool z;

	__asm__ __volatile__(LOCK_PREFIX "subl %2, %0\n\tsete %1"
			     : "+m"(v->counter), "=qm"(z)
			     : "ir"(i) : "memory", "cc");
	return z;
}

static inline bool atomic_dec_and_test(struct atomic *v)
{
	bool z;

	__asm__ __volatile__(LOCK_PREFIX "decl %0\n\tsete %1"
			     : "+m"(v->counter), "=qm"(z) : : "memory", "cc");
	return z;
}

static inline bool atomic_inc_and_test(struct atomic *v)
{
	bool z;

	__asm__ __volatile__(LOCK_PREFIX "incl %0\n\tsete %1"
			     : "+m"(v->counter), "=qm"(z) : : "memory", "cc");
	return z;
}

/* Returns the new value. */
static inline int atomic_add_return(int i, struct atomic *v)
{
	int old = i;

	__asm__ __volatile__(LOCK_PREFIX "xaddl %0, %1"
			     : "+r"(old), "+m"(v->counter) : : "memory", "cc");
	return old + i;
}

/* Stores new if the value was old; returns the value found. */
static inline int atomic_cmpxchg(struct atomic *v, int old, int new)
{
	int prev;

	__asm__ __volatile__(LOCK_PREFIX "cmpxchgl %2, %1"
			     : "=a"(prev), "+m"(v->counter)
			     : "r"(new), "0"(old) : "memory", "cc");
	return prev;
}

static inline u32 cmpxchg32(volatile u32 *p, u32 old, u32 new)
{
	u32 prev;

	__asm__ __volatile__(LOCK_PREFIX "cmpxchgl %2, %1"
			     : "=a"(prev), "+m"(*p)
			     : "r"(new), "0"(old) : "memory", "cc");
	return prev;
}

#endif

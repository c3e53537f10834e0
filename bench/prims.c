/*
 * The primitives under test, each in a loop of its own. This file is
 * compiled once per variant from the kernel's own headers:
 *   generic       CONFIG_SMP + CONFIG_FIXUP, the baseline -march, through
 *                 scripts/fixup-sites.pl: its sites are patched (or not)
 *                 at run time by arch/i386/fixup/;
 *   compile-up    no CONFIG_SMP, no CONFIG_FIXUP, CONFIG_X86_* of this CPU;
 *   compile-smp   CONFIG_SMP, no CONFIG_FIXUP, CONFIG_X86_* of this CPU.
 * Every loop is "for (; n; n--) op;", so the loop costs the same in all
 * variants; the "loop" entry measures it alone.
 */
#include <kernel/compiler.h>
#include <asm/atomic.h>
#include <asm/bitops.h>
#include <asm/barrier.h>
#include <asm/prefetch.h>
#include <asm/spinlock.h>
#include <asm/pagecopy.h>
#include "bench.h"

#define BENCH(name)							\
	static void __attribute__((noinline))				\
	bench_##name(u32 n, struct bench_data *d)

/* Offsets 0, 64, ..., 4032 of the prefetch buffer, by iteration. */
#define LINE(n)		(((n) & 63) << 6)

BENCH(loop)
{
	for (; n; n--)
		barrier();
}

BENCH(atomic_inc)
{
	for (; n; n--)
		atomic_inc(&d->a);
}

BENCH(atomic_dec_and_test)
{
	u32 z = 0;

	for (; n; n--)
		z += atomic_dec_and_test(&d->a);
	d->sink = z;
}

BENCH(atomic_add_return)
{
	u32 z = 0;

	for (; n; n--)
		z += atomic_add_return(1, &d->a);
	d->sink = z;
}

BENCH(atomic_cmpxchg)
{
	int old = atomic_read(&d->a);

	for (; n; n--)
		old = atomic_cmpxchg(&d->a, old, old + 1);
	d->sink = old;
}

BENCH(set_bit)
{
	for (; n; n--)
		set_bit(5, d->bits);
}

BENCH(test_and_set_bit)
{
	u32 z = 0;

	for (; n; n--)
		z += test_and_set_bit(5, d->bits);
	d->sink = z;
}

/* The pair is the unit: a lock is always given back. */
BENCH(spin_lock_unlock)
{
	for (; n; n--) {
		spin_lock(&d->lock);
		spin_unlock(&d->lock);
	}
}

BENCH(spin_trylock_unlock)
{
	for (; n; n--)
		if (spin_trylock(&d->lock))
			spin_unlock(&d->lock);
}

BENCH(mb)
{
	for (; n; n--)
		mb();
}

BENCH(rmb)
{
	for (; n; n--)
		rmb();
}

BENCH(wmb)
{
	for (; n; n--)
		wmb();
}

BENCH(smp_mb)
{
	for (; n; n--)
		smp_mb();
}

BENCH(smp_rmb)
{
	for (; n; n--)
		smp_rmb();
}

BENCH(smp_wmb)
{
	for (; n; n--)
		smp_wmb();
}

BENCH(prefetch)
{
	for (; n; n--)
		prefetch(d->buf + LINE(n));
}

BENCH(prefetchw)
{
	for (; n; n--)
		prefetchw(d->buf + LINE(n));
}

BENCH(copy_page)
{
	for (; n; n--)
		copy_page(d->dst, d->src);
}

BENCH(clear_page)
{
	for (; n; n--)
		clear_page(d->dst);
}

/*
 * Throughput: the same primitive on four words in four cache lines,
 * no operation waiting for another's result; the loops above are the
 * latency, each operation on the word the last one changed. A barrier
 * has no word and a page copy is long: they have the latency row only.
 */
#define W(i)		(&d->w[i])
#define TP(name, op)							\
	BENCH(name##_tp)						\
	{								\
		for (; n; n--) {					\
			op(W(0));					\
			op(W(1));					\
			op(W(2));					\
			op(W(3));					\
		}							\
	}
/* one sum: four accumulators and four words are more than i386 has */
#define TP_SUM(name, op)						\
	BENCH(name##_tp)						\
	{								\
		u32 z = 0;						\
									\
		for (; n; n--)						\
			z += (u32)op(W(0)) + (u32)op(W(1)) +		\
			     (u32)op(W(2)) + (u32)op(W(3));		\
		d->sink = z;						\
	}

#define T_INC(w)	atomic_inc(&(w)->a)
#define T_DEC(w)	atomic_dec_and_test(&(w)->a)
#define T_ADD(w)	atomic_add_return(1, &(w)->a)
#define T_CMPXCHG(w)	atomic_cmpxchg(&(w)->a, 0, 0)
#define T_SET(w)	set_bit(5, (w)->bits)
#define T_TAS(w)	test_and_set_bit(5, (w)->bits)
#define T_LOCK(w)	do { spin_lock(&(w)->lock); spin_unlock(&(w)->lock); } while (0)
#define T_TRY(w)	do { if (spin_trylock(&(w)->lock)) spin_unlock(&(w)->lock); } while (0)

TP(atomic_inc, T_INC)
TP_SUM(atomic_dec_and_test, T_DEC)
TP_SUM(atomic_add_return, T_ADD)
TP_SUM(atomic_cmpxchg, T_CMPXCHG)
TP(set_bit, T_SET)
TP_SUM(test_and_set_bit, T_TAS)
TP(spin_lock_unlock, T_LOCK)
TP(spin_trylock_unlock, T_TRY)

/* Prefetches of four lines in flight at once, none waited for. */
BENCH(prefetch_tp)
{
	for (; n; n--) {
		prefetch(d->buf + LINE(4 * n));
		prefetch(d->buf + LINE(4 * n + 1));
		prefetch(d->buf + LINE(4 * n + 2));
		prefetch(d->buf + LINE(4 * n + 3));
	}
}

BENCH(prefetchw_tp)
{
	for (; n; n--) {
		prefetchw(d->buf + LINE(4 * n));
		prefetchw(d->buf + LINE(4 * n + 1));
		prefetchw(d->buf + LINE(4 * n + 2));
		prefetchw(d->buf + LINE(4 * n + 3));
	}
}

/*
 * The two forms of the SMP locked add, each followed by what a kernel
 * does next to its stack: a load of a spilled local, or a ret (a load of
 * the return address). The same asm in every variant: these rows choose
 * SMP_MB's form, they measure no patching.
 */
#define FORM_LOAD(name, insn)						\
	BENCH(name##_load)						\
	{								\
		u32 z = 0, t;						\
									\
		for (; n; n--) {					\
			__asm__ __volatile__(insn "\n\t"		\
					     "movl (%%esp), %0"		\
					     : "=r"(t) : : "memory", "cc"); \
			z += t;						\
		}							\
		d->sink = z;						\
	}
#define FORM_RET(name, insn)						\
	BENCH(name##_ret)						\
	{								\
		for (; n; n--)						\
			__asm__ __volatile__("call 1f\n\t"		\
					     "jmp 2f\n"		\
					     "1:\t" insn "\n\t"	\
					     "ret\n"			\
					     "2:"			\
					     : : : "memory", "cc");	\
	}
FORM_LOAD(lockadd_sp, "lock; addl $0,(%%esp)")
FORM_LOAD(lockadd_m4, "lock; addl $0,-4(%%esp)")
FORM_RET(lockadd_sp, "lock; addl $0,(%%esp)")
FORM_RET(lockadd_m4, "lock; addl $0,-4(%%esp)")

/*
 * The workload: what a kernel does between interrupts, from the same
 * headers. One request: two pages from the zone's free list under its
 * spinlock, a reference taken on the first, the page cleared, its number
 * passed through a producer/consumer ring (smp_wmb() between the slot
 * and the head, smp_rmb() between the head and the slot), copied into
 * the second page, a flag set with a full barrier before the waiter
 * check, the reference dropped, both pages back on the list, and the
 * request's completion through a driver's operations table: one indirect
 * call a request (a THUNK_CALL site in a kernel built with thunks).
 */
struct wl_driver_ops {
	void (*complete)(struct bench_data *d, u32 page);
};

static void __attribute__((noinline)) wl_complete(struct bench_data *d,
						  u32 page)
{
	d->sink += page;
}

static const struct wl_driver_ops wl_ops = { .complete = wl_complete };
/* Read at every request, as a driver's pointer: the call stays indirect. */
static const struct wl_driver_ops *volatile wl_driver = &wl_ops;

static inline u8 *wl_alloc(struct bench_data *d)
{
	u8 *p = NULL;

	spin_lock(&d->zone_lock);
	if (d->nr_free) {
		p = d->free[--d->nr_free];
		if (d->nr_free)
			prefetchw(d->free[d->nr_free - 1]);
	}
	spin_unlock(&d->zone_lock);
	return p;
}

static inline void wl_free(struct bench_data *d, u8 *p)
{
	spin_lock(&d->zone_lock);
	d->free[d->nr_free++] = p;
	spin_unlock(&d->zone_lock);
}

BENCH(workload)
{
	for (; n; n--) {
		u8 *p = wl_alloc(d), *q = wl_alloc(d);
		u32 i = (u32)(p - d->pages) >> 12, h, j;

		atomic_inc(&d->ref[i]);
		clear_page(p);

		h = d->ring_head;			/* producer */
		d->ring[h % WL_RING] = i;
		smp_wmb();
		WRITE_ONCE(d->ring_head, h + 1);

		h = READ_ONCE(d->ring_head);		/* consumer */
		smp_rmb();
		j = d->ring[d->ring_tail % WL_RING];
		d->ring_tail = h;
		copy_page(q, d->pages + (j << 12));

		set_bit(1, d->bits);			/* "done", then wake */
		smp_mb();
		if (test_bit(2, d->bits))
			d->sink++;

		if (atomic_dec_and_test(&d->ref[j]))
			wl_free(d, d->pages + (j << 12));
		wl_free(d, q);
		wl_driver->complete(d, j);
	}
}

#define OP(name)	{ #name, bench_##name, 1, false }
#define OP4(name)	{ #name, bench_##name, 4, false }
#define OPT(name, per)	{ #name, bench_##name, per, true }

const struct bench_op bench_ops[] = {
	OP(loop),
	OP(atomic_inc),
	OP(atomic_dec_and_test),
	OP(atomic_add_return),
	OP(atomic_cmpxchg),
	OP(set_bit),
	OP(test_and_set_bit),
	OP(spin_lock_unlock),
	OP(spin_trylock_unlock),
	OP(mb),
	OP(rmb),
	OP(wmb),
	OP(smp_mb),
	OP(smp_rmb),
	OP(smp_wmb),
	OP(prefetch),
	OP(prefetchw),
	OP(copy_page),
	OP(clear_page),
	OP4(atomic_inc_tp),
	OP4(atomic_dec_and_test_tp),
	OP4(atomic_add_return_tp),
	OP4(atomic_cmpxchg_tp),
	OP4(set_bit_tp),
	OP4(test_and_set_bit_tp),
	OP4(spin_lock_unlock_tp),
	OP4(spin_trylock_unlock_tp),
	OP4(prefetch_tp),
	OP4(prefetchw_tp),
	OP(lockadd_sp_load),
	OP(lockadd_m4_load),
	OP(lockadd_sp_ret),
	OP(lockadd_m4_ret),
	OPT(workload, 1),
#ifdef BENCH_BRANCHES
	OPT(indirect_call, 1),
	OPT(indirect_tail_jmp, 1),
	OPT(return, 1),
	OPT(indirect_call_tp, 4),
	OPT(indirect_tail_jmp_tp, 4),
	OPT(return_tp, 4),
#endif
};

const unsigned int bench_nr_ops = ARRAY_SIZE(bench_ops);

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

#define OP(name)	{ #name, bench_##name }

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
};

const unsigned int bench_nr_ops = ARRAY_SIZE(bench_ops);

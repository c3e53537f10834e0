/*
 * What bench/prims.c (the primitives, built once per variant) and
 * bench/runtime.c (the driver) share. See bench/README.md.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <kernel/types.h>
#include <asm/atomic.h>
#include <asm/spinlock.h>

/* One of the four words the throughput loops spread their operations on. */
struct bench_word {
	struct atomic a;
	u32 bits[1];
	struct spinlock lock;
} __aligned(64);

#define WL_PAGES	16	/* the workload's zone */
#define WL_RING		64	/* its producer/consumer ring, in messages */

/*
 * Everything the loops touch, one instance for all variants, so that
 * every variant works on the same cache lines and pages.
 */
struct bench_data {
	struct atomic a __aligned(64);
	u32 bits[16] __aligned(64);
	struct spinlock lock __aligned(64);
	u32 sink __aligned(64);		/* results the loops must not drop */
	u8 *buf;			/* 4 KiB, prefetch targets */
	u8 *src, *dst;			/* pages for copy_page/clear_page */
	struct bench_word w[4];		/* throughput: one word per line */
	/* the workload: a zone's free list under its lock, page refcounts */
	struct spinlock zone_lock __aligned(64);
	u32 nr_free;
	u8 *free[WL_PAGES];
	struct atomic ref[WL_PAGES] __aligned(64);
	u32 ring_head __aligned(64);	/* written by the producer */
	u32 ring_tail __aligned(64);	/* by the consumer */
	u32 ring[WL_RING] __aligned(64);
	u8 *pages;			/* WL_PAGES pages */
};

/*
 * One primitive: fn runs n iterations of a plain loop, each doing "per"
 * operations (the figures are per operation). thunks: timed in the
 * thunk variants too (patched-off, linux-i386: bench/runtime.c), the
 * rows whose code has indirect branches.
 */
struct bench_op {
	const char *name;
	void (*fn)(u32 n, struct bench_data *d);
	unsigned int per;
	bool thunks;
};

/* bench/branches.c, in the i386 harness only (BENCH_BRANCHES). */
void bench_indirect_call(u32 n, struct bench_data *d);
void bench_indirect_call_tp(u32 n, struct bench_data *d);
void bench_indirect_tail_jmp(u32 n, struct bench_data *d);
void bench_indirect_tail_jmp_tp(u32 n, struct bench_data *d);
void bench_return(u32 n, struct bench_data *d);
void bench_return_tp(u32 n, struct bench_data *d);

/*
 * prims.c defines these; the build prefixes them per variant
 * (unpatched_bench_ops, compile_up_bench_ops, ...).
 */
extern const struct bench_op bench_ops[];
extern const unsigned int bench_nr_ops;

#endif

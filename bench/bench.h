/*
 * What bench/prims.c (the primitives, built once per variant) and
 * bench/runtime.c (the driver) share. See bench/README.md.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <kernel/types.h>
#include <asm/atomic.h>
#include <asm/spinlock.h>

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
};

/* One primitive: fn runs it n times in a plain loop. */
struct bench_op {
	const char *name;
	void (*fn)(u32 n, struct bench_data *d);
};

/*
 * prims.c defines these; the build prefixes them per variant
 * (unpatched_bench_ops, compile_up_bench_ops, ...).
 */
extern const struct bench_op bench_ops[];
extern const unsigned int bench_nr_ops;

#endif

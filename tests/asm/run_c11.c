/*
 * C11 atomics on double, float and 64-bit integers, and x87 (or SSE)
 * comparisons right after fences and seq_cst stores, run. GCC writes
 * here what made the first pass refuse valid code: "mfence; movl; flds;
 * fucomip; jp" (the comparison writes the flags the branch reads) and
 * "mfence; movl x4; lock cmpxchg8b; jne" (cmpxchg8b writes ZF).
 */
#include <stdatomic.h>
#include <stdio.h>

static _Atomic double ad = 1.5;
static _Atomic float af = 2.25f;
static _Atomic long long all = -5;
static _Atomic unsigned long long aull = 0xfffffffffULL;
static volatile double vd[4] = { 0.5, -1.0, 0.0, 3.0 };
static volatile float vf = 1.0f;
static double nan_;

static unsigned int out;

static void show(const char *what, long long v)
{
	out = out * 33 + (unsigned int)v;
	printf("%-24s %lld\n", what, v);
}

/* store, then compare: the fence is between the store and the test */
static __attribute__((noinline)) int store_then_less(double x, double y)
{
	atomic_store(&ad, x);
	return vd[0] < y;
}

static __attribute__((noinline)) int publish_cmp(float x)
{
	atomic_store_explicit(&af, x, memory_order_seq_cst);
	if (vf == x)		/* fucomip / ucomiss; jp; jne */
		return 1;
	return vf > x ? 2 : 3;
}

static __attribute__((noinline)) int fence_unordered(double a, double b)
{
	atomic_thread_fence(memory_order_seq_cst);
	return __builtin_isunordered(a, b) + 2 * (a != b) + 4 * (a <= b);
}

static __attribute__((noinline)) long long store64_then_cas(long long v)
{
	long long e = v;

	atomic_store(&all, v);		/* 64-bit: fence and cmpxchg8b */
	if (atomic_compare_exchange_strong(&all, &e, v + 1))
		return e;
	return -e;
}

static __attribute__((noinline)) unsigned long long ull_ops(void)
{
	unsigned long long r = 0;

	r += atomic_fetch_add(&aull, 1);
	r += atomic_fetch_sub_explicit(&aull, 3, memory_order_acq_rel);
	r ^= atomic_fetch_or(&aull, 0x100000000ULL);
	r ^= atomic_fetch_and(&aull, ~1ULL);
	r += atomic_fetch_xor(&aull, 0xff);
	r += atomic_exchange(&aull, r);
	atomic_thread_fence(memory_order_seq_cst);
	return r + atomic_load(&aull);
}

static __attribute__((noinline)) double double_ops(void)
{
	double d, e;

	ad += 0.25;			/* a compare-exchange loop */
	ad *= 2.0;
	d = atomic_exchange(&ad, 8.0);
	e = 8.0;
	if (!atomic_compare_exchange_strong(&ad, &e, d))
		return -1;
	atomic_thread_fence(memory_order_seq_cst);
	return atomic_load(&ad) + (atomic_load(&ad) > 3.0);
}

static __attribute__((noinline)) int loop_cmp(int n)
{
	int hits = 0;

	for (int i = 0; i < n; i++) {
		atomic_store(&ad, vd[i & 3]);
		if (vd[(i + 1) & 3] >= atomic_load(&ad))
			hits++;
		atomic_thread_fence(memory_order_seq_cst);
		if (vd[i & 3] != vd[i & 3])
			hits += 100;
	}
	return hits;
}

int main(void)
{
	nan_ = __builtin_nan("");
	show("store_then_less", store_then_less(2.0, 1.0));
	show("store_then_less", store_then_less(0.0, 0.25));
	show("publish_cmp eq", publish_cmp(1.0f));
	show("publish_cmp lt", publish_cmp(0.5f));
	show("publish_cmp nan", publish_cmp(__builtin_nanf("")));
	show("fence_unordered", fence_unordered(1.0, 2.0));
	show("fence_unordered eq", fence_unordered(2.0, 2.0));
	show("fence_unordered nan", fence_unordered(nan_, 2.0));
	show("store64_then_cas", store64_then_cas(0x123456789LL));
	show("store64_then_cas neg", store64_then_cas(-7));
	show("ull_ops", (long long)ull_ops());
	show("double_ops", (long long)(double_ops() * 16));
	show("loop_cmp", loop_cmp(10));
	show("all", atomic_load(&all));
	show("lock free 8", atomic_is_lock_free(&aull));
	printf("out %u\n", out);
	return 0;
}

/*
 * Sites in every kind of text section: .text.unlikely (cold), .text.hot,
 * .init.text, .exit.text, and one section per function with
 * -ffunction-sections; static inline atomics inlined into each.
 */
#define __init	__attribute__((section(".init.text"), cold, noinline))
#define __exit	__attribute__((section(".exit.text"), cold, noinline))

int refs;

static inline void get(void)
{
	__atomic_fetch_add(&refs, 1, __ATOMIC_SEQ_CST);
}

static inline int put(void)
{
	return __atomic_sub_fetch(&refs, 1, __ATOMIC_SEQ_CST) == 0;
}

__init void setup(void)
{
	get();
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

__exit void teardown(void)
{
	put();
}

__attribute__((cold, noinline)) void slow_path(int *p)
{
	__atomic_or_fetch(p, 1, __ATOMIC_SEQ_CST);
}

__attribute__((hot)) int fast_path(int *p)
{
	if (__builtin_expect(*p < 0, 0))
		slow_path(p);
	get();
	return put();
}

int maybe(int *p, int n)
{
	if (__builtin_expect(n > 1000, 0)) {
		/* likely to land in .text.unlikely */
		__atomic_fetch_add(p, n, __ATOMIC_SEQ_CST);
		__builtin_prefetch(p + n);
		return -1;
	}
	get();
	return 0;
}

/*
 * Code in which GCC emits patchable instructions itself: __atomic
 * builtins (lock xadd, lock cmpxchg), a sequentially consistent fence
 * (mfence, as this file is compiled with -msse2) and __builtin_prefetch
 * (prefetchnta), __builtin_ia32_movnti (movnti). The asm pass
 * (scripts/fixup-sites.pl) records them all, fences and prefetches in
 * their 486-safe forms, so that the generic kernel still boots on a 486
 * and gets them back on a CPU that has them. Used by the self-test
 * compiler_sites; fixup-verify checks no other SSE2 code leaked out.
 */
#include <kernel/types.h>
#include <kernel/compiler_sites.h>

int cs_fetch_add(int *p, int v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

bool cs_cmpxchg(int *p, int old, int new)
{
	return __atomic_compare_exchange_n(p, &old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

void cs_full_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Sum, prefetching ahead for reading (locality 0: non-temporal). */
u32 cs_sum_prefetch(const u32 *a, u32 n)
{
	u32 s = 0, i;

	for (i = 0; i < n; i++) {
		__builtin_prefetch(&a[i + 16], 0, 0);
		s += a[i];
	}
	return s;
}

/* Prefetch for writing: prefetchw where the CPU has it. */
void cs_fill_prefetchw(u32 *a, u32 n, u32 v)
{
	u32 i;

	for (i = 0; i < n; i++) {
		__builtin_prefetch(&a[i + 16], 1, 3);
		a[i] = v;
	}
}

void cs_store_nt(int *p, int v)
{
	__builtin_ia32_movnti(p, v);
}

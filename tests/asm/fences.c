/*
 * Fences: compiler-emitted mfence/lfence/sfence become barrier sites, and
 * the non-SSE2 "lock orl $0,(%esp)" is a LOCK site.
 */
int ready, data;

void full_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void acq_rel_fences(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);	/* no code on x86 */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

void publish(int v)
{
	data = v;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ready = 1;
}

int spin_until_ready(void)
{
	while (!__atomic_load_n(&ready, __ATOMIC_RELAXED))
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return data;
}

#ifdef __SSE2__
void explicit_fences(void)
{
	__builtin_ia32_mfence();
	__builtin_ia32_lfence();
	__builtin_ia32_sfence();
}

int fence_then_compare(int a, int b)
{
	int r = a < b;

	__builtin_ia32_mfence();
	return r ? 3 : 7;
}
#endif

#ifdef __SSE__
void store_fence(int *p, int v)
{
	*p = v;
	__builtin_ia32_sfence();
}
#endif

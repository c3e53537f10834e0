/*
 * Compiler atomics: every lock-prefixed instruction GCC emits for the
 * __atomic and __sync builtins must become a LOCK site.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

u8 c;
u16 s;
u32 w;
u64 q;

u32 add_return(u32 *p, u32 v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

void inc_byte_word(void)
{
	__atomic_fetch_add(&c, 1, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&s, 1, __ATOMIC_RELEASE);
	__atomic_fetch_or(&w, 0x10, __ATOMIC_ACQUIRE);
	__atomic_fetch_and(&w, ~0x10u, __ATOMIC_SEQ_CST);
	__atomic_fetch_xor(&w, 3, __ATOMIC_SEQ_CST);
}

int cas(u32 *p, u32 old, u32 new)
{
	return __atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_SEQ_CST,
	    __ATOMIC_RELAXED);
}

u16 cas16(u16 *p, u16 old, u16 new)
{
	return __sync_val_compare_and_swap(p, old, new);
}

u32 sync_ops(u32 *p)
{
	u32 r = __sync_fetch_and_add(p, 2);

	r += __sync_sub_and_fetch(p, 1);
	__sync_fetch_and_or(p, 8);
	__sync_fetch_and_and(p, ~8u);
	r += __sync_fetch_and_nand(p, 5);
	r += __sync_bool_compare_and_swap(p, 1, 2);
	r += __sync_lock_test_and_set(p, 1);	/* xchg: locked anyway */
	__sync_lock_release(p);
	__sync_synchronize();		/* lock orl $0,(%esp) or mfence */
	return r;
}

int flag_ops(u8 *f)
{
	int r = __atomic_test_and_set(f, __ATOMIC_ACQUIRE);

	__atomic_clear(f, __ATOMIC_RELEASE);
	return r;
}

u32 exchange(u32 v)
{
	return __atomic_exchange_n(&w, v, __ATOMIC_SEQ_CST);
}

u64 add64(u64 v)
{
	/* cmpxchg8b from pentium on; a libatomic call on the 486 */
	return __atomic_fetch_add(&q, v, __ATOMIC_SEQ_CST);
}

void store_sc(u32 v)
{
	__atomic_store_n(&w, v, __ATOMIC_SEQ_CST);
}

int bit_set(u32 *p, int bit)
{
	/* GCC may use lock bts for this */
	return (__atomic_fetch_or(p, 1u << bit, __ATOMIC_SEQ_CST) >> bit) & 1;
}

int dec_and_test(int *p)
{
	return __atomic_sub_fetch(p, 1, __ATOMIC_SEQ_CST) == 0;
}

void counters(u32 *a, int n)
{
	for (int i = 0; i < n; i++)
		__atomic_fetch_add(&a[i], i, __ATOMIC_RELAXED);
}

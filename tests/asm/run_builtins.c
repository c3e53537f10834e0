/*
 * Every __atomic and __sync builtin at 1, 2, 4 and 8 bytes, run: the
 * program prints each result, so tests/asm-pass.t can compare a build
 * through the pass with a plain one. Single-threaded on purpose: what
 * is compared is the value each site computes in its compiled form.
 * (8-byte __sync needs cmpxchg8b: not on a 486. 8-byte __atomic there
 * are libatomic calls.)
 */
#include <stdio.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

static unsigned long long sum;

static void show(const char *what, int bytes, unsigned long long v)
{
	sum = sum * 31 + v;
	printf("%-28s %d %llx\n", what, bytes, v);
}

#define ATOMIC_OPS(T, N)						\
static __attribute__((noinline)) void atomic_##N(void)			\
{									\
	static T x, y, z;						\
	T e, d;								\
	__atomic_store_n(&x, (T)0x5a, __ATOMIC_SEQ_CST);		\
	__atomic_store_n(&y, (T)3, __ATOMIC_RELEASE);			\
	__atomic_store_n(&z, (T)1, __ATOMIC_RELAXED);			\
	show("load_n seq_cst", N, __atomic_load_n(&x, __ATOMIC_SEQ_CST)); \
	show("load_n acquire", N, __atomic_load_n(&y, __ATOMIC_ACQUIRE)); \
	show("load_n relaxed", N, __atomic_load_n(&z, __ATOMIC_RELAXED)); \
	show("exchange_n", N, __atomic_exchange_n(&x, (T)0x77,		\
						  __ATOMIC_SEQ_CST));	\
	e = 0x77;							\
	show("cmpxchg_n strong ok", N, __atomic_compare_exchange_n(&x,	\
		&e, (T)0x11, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));	\
	show("cmpxchg_n strong fail", N, __atomic_compare_exchange_n(&x, \
		&e, (T)0x22, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));	\
	show("  expected now", N, e);					\
	while (!__atomic_compare_exchange_n(&x, &e, (T)0x33, 1,	\
			__ATOMIC_RELEASE, __ATOMIC_RELAXED))		\
		;							\
	show("cmpxchg_n weak", N, x);					\
	show("add_fetch", N, __atomic_add_fetch(&x, 5, __ATOMIC_SEQ_CST)); \
	show("sub_fetch", N, __atomic_sub_fetch(&x, 7, __ATOMIC_RELAXED)); \
	show("and_fetch", N, __atomic_and_fetch(&x, 0x3c, __ATOMIC_ACQUIRE)); \
	show("xor_fetch", N, __atomic_xor_fetch(&x, 0x0f, __ATOMIC_RELEASE)); \
	show("or_fetch", N, __atomic_or_fetch(&x, 0x40, __ATOMIC_ACQ_REL)); \
	show("nand_fetch", N, __atomic_nand_fetch(&x, 0x55, __ATOMIC_SEQ_CST)); \
	show("fetch_add", N, __atomic_fetch_add(&x, 9, __ATOMIC_SEQ_CST)); \
	show("fetch_sub", N, __atomic_fetch_sub(&x, 2, __ATOMIC_RELAXED)); \
	show("fetch_and", N, __atomic_fetch_and(&x, 0x7e, __ATOMIC_ACQUIRE)); \
	show("fetch_xor", N, __atomic_fetch_xor(&x, 0x18, __ATOMIC_RELEASE)); \
	show("fetch_or", N, __atomic_fetch_or(&x, 0x81, __ATOMIC_ACQ_REL)); \
	show("fetch_nand", N, __atomic_fetch_nand(&x, 0xf0, __ATOMIC_SEQ_CST)); \
	show("  x", N, x);						\
	/* results used only as flags: GCC may test the locked op's */	\
	/* flags directly (lock subl; sete)				*/	\
	show("sub_fetch == 0", N, __atomic_sub_fetch(&z, 1, __ATOMIC_SEQ_CST) == 0); \
	show("add_fetch < 0", N, (signed char)__atomic_add_fetch(&z, 0x80, \
		__ATOMIC_SEQ_CST) < 0);					\
	d = 0x42;							\
	__atomic_store(&y, &d, __ATOMIC_SEQ_CST);			\
	__atomic_load(&y, &e, __ATOMIC_SEQ_CST);			\
	show("load/store generic", N, e);				\
	d = 0x43;							\
	__atomic_exchange(&y, &d, &e, __ATOMIC_SEQ_CST);		\
	show("exchange generic", N, e);					\
	d = 0x44;							\
	show("cmpxchg generic", N, __atomic_compare_exchange(&y, &e, &d, \
		0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));		\
	show("  y", N, y);						\
	show("always_lock_free", N, __atomic_always_lock_free(N, 0));	\
	show("is_lock_free", N, __atomic_is_lock_free(N, &x));		\
}

#define SYNC_OPS(T, N)							\
static __attribute__((noinline)) void sync_##N(void)			\
{									\
	static T x = 0x10;						\
	show("sync fetch_and_add", N, __sync_fetch_and_add(&x, 3));	\
	show("sync fetch_and_sub", N, __sync_fetch_and_sub(&x, 1));	\
	show("sync fetch_and_or", N, __sync_fetch_and_or(&x, 0x40));	\
	show("sync fetch_and_and", N, __sync_fetch_and_and(&x, 0x5f));	\
	show("sync fetch_and_xor", N, __sync_fetch_and_xor(&x, 0x0c));	\
	show("sync fetch_and_nand", N, __sync_fetch_and_nand(&x, 0x3f)); \
	show("sync add_and_fetch", N, __sync_add_and_fetch(&x, 3));	\
	show("sync sub_and_fetch", N, __sync_sub_and_fetch(&x, 1));	\
	show("sync or_and_fetch", N, __sync_or_and_fetch(&x, 0x40));	\
	show("sync and_and_fetch", N, __sync_and_and_fetch(&x, 0x5f));	\
	show("sync xor_and_fetch", N, __sync_xor_and_fetch(&x, 0x0c));	\
	show("sync nand_and_fetch", N, __sync_nand_and_fetch(&x, 0x3f)); \
	show("sync bool_cas ok", N, __sync_bool_compare_and_swap(&x, x, 7)); \
	show("sync bool_cas fail", N, __sync_bool_compare_and_swap(&x, 8, 9)); \
	show("sync val_cas", N, __sync_val_compare_and_swap(&x, 7, 0x21)); \
	show("sync lock_test_and_set", N, __sync_lock_test_and_set(&x, 1)); \
	__sync_lock_release(&x);					\
	__sync_synchronize();						\
	show("  x", N, x);						\
	show("sync sub_and_fetch == 0", N, __sync_sub_and_fetch(&x, 0) == 0); \
}

ATOMIC_OPS(u8, 1)
ATOMIC_OPS(u16, 2)
ATOMIC_OPS(u32, 4)
ATOMIC_OPS(u64, 8)
SYNC_OPS(u8, 1)
SYNC_OPS(u16, 2)
SYNC_OPS(u32, 4)
#ifdef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_8
SYNC_OPS(u64, 8)
#endif

int main(void)
{
	static u8 flag;

	atomic_1();
	atomic_2();
	atomic_4();
	atomic_8();
	sync_1();
	sync_2();
	sync_4();
#ifdef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_8
	sync_8();
#else
	/* what sync_8 prints, so every build prints the same */
	printf("(no 8-byte __sync)\n");
#endif
	show("test_and_set", 1, __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST));
	show("test_and_set again", 1,
	     __atomic_test_and_set(&flag, __ATOMIC_ACQUIRE));
	__atomic_clear(&flag, __ATOMIC_RELEASE);
	show("cleared", 1, flag);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_ACQ_REL);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	printf("sum %llx\n", sum);
	return 0;
}

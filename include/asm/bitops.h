/*
 * Bit operations on arrays of u32. The atomic ones carry LOCK_PREFIX (a
 * fixup site); the __ ones are plain, for data no other CPU touches.
 */
#ifndef ASM_BITOPS_H
#define ASM_BITOPS_H

#include <kernel/types.h>
#include <asm/fixup.h>

#define BITOP_ADDR(a)	"+m"(*(volatile u32 *)(a))

static inline void set_bit(unsigned int nr, volatile u32 *addr)
{
	__asm__ __volatile__(LOCK_PREFIX "btsl %1, %0"
			     : BITOP_ADDR(addr) : "Ir"(nr) : "memory", "cc");
}

static inline void clear_bit(unsigned int nr, volatile u32 *addr)
{
	__asm__ __volatile__(LOCK_PREFIX "btrl %1, %0"
			     : BITOP_ADDR(addr) : "Ir"(nr) : "memory", "cc");
}

static inline void change_bit(unsigned int nr, volatile u32 *addr)
{
	__asm__ __volatile__(LOCK_PREFIX "btcl %1, %0"
			     : BITOP_ADDR(addr) : "Ir"(nr) : "memory", "cc");
}

#define __DEFINE_TEST_AND(op, insn)					\
static inline bool test_and_##op##_bit(unsigned int nr, volatile u32 *addr) \
{									\
	bool old;							\
									\
	__asm__ __volatile__(LOCK_PREFIX insn " %2, %0\n\tsetc %1"	\
			     : BITOP_ADDR(addr), "=qm"(old)		\
			     : "Ir"(nr) : "memory", "cc");		\
	return old;							\
}
__DEFINE_TEST_AND(set, "btsl")
__DEFINE_TEST_AND(clear, "btrl")
__DEFINE_TEST_AND(change, "btcl")
#undef __DEFINE_TEST_AND

static inline void __set_bit(unsigned int nr, volatile u32 *addr)
{
	addr[nr / 32] |= 1u << (nr % 32);
}

static inline void __clear_bit(unsigned int nr, volatile u32 *addr)
{
	addr[nr / 32] &= ~(1u << (nr % 32));
}

static inline bool test_bit(unsigned int nr, const volatile u32 *addr)
{
	return (addr[nr / 32] >> (nr % 32)) & 1;
}

#endif

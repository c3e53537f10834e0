/* 64-bit division without libgcc: a 32-bit kernel has no __udivdi3. */
#ifndef KERNEL_MATH64_H
#define KERNEL_MATH64_H

#include <kernel/types.h>

/* *n /= base; returns the remainder. */
static inline u32 div_u64_rem(u64 *n, u32 base)
{
	u32 hi = (u32)(*n >> 32), lo = (u32)*n;
	u32 qhi = hi / base, rem = hi % base, qlo;

#ifdef __i386__
	/* rem < base, so the 64/32 quotient fits divl's 32 bits. */
	__asm__("divl %4" : "=a"(qlo), "=d"(rem) : "a"(lo), "d"(rem), "rm"(base));
#else
	u64 t = ((u64)rem << 32) | lo;

	qlo = (u32)(t / base);
	rem = (u32)(t % base);
#endif
	*n = ((u64)qhi << 32) | qlo;
	return rem;
}

static inline u64 div_u64(u64 n, u32 base)
{
	div_u64_rem(&n, base);
	return n;
}

/* a * mul >> shift, without overflowing for a < 2^32 * 2^32 / mul. */
static inline u64 mul_u64_u32_shr(u64 a, u32 mul, unsigned int shift)
{
	u32 ah = (u32)(a >> 32), al = (u32)a;
	u64 lo = (u64)al * mul, hi = (u64)ah * mul;

	return (lo >> shift) + (shift < 32 ? hi << (32 - shift) : hi >> (shift - 32));
}

#endif

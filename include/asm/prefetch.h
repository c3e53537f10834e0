/*
 * Prefetch hints. With CONFIG_FIXUP a prefetch is a site compiled as a
 * short jump over an lea that holds the memory operand (a NOP that cannot
 * fault on a 486) and patched at boot to prefetchnta (SSE), the 3DNow!
 * prefetch/prefetchw (prefetchw also with the PREFETCHW CPUID bit), or a
 * long NOP (Documentation/fixup-sites.md).
 */
#ifndef ASM_PREFETCH_H
#define ASM_PREFETCH_H

#include <asm/fixup.h>

#ifdef CONFIG_FIXUP
/* reg names the hint in the lea's ModRM: %eax = nta/prefetch, %ecx = w */
#define __prefetch_site(x, kind, reg)					\
	__asm__ __volatile__("661:\n\t"					\
			     ".byte 0xeb, 662f - 663f\n"		\
			     "663:\n\t"					\
			     "lea %0, %%" reg "\n"			\
			     "662:\n\t"					\
			     FIXUP_RECORD(kind)				\
			     : : "m"(*(const char *)(x)))

static inline void prefetch(const void *x)
{
	__prefetch_site(x, FIXUP_KIND_PREFETCH, "eax");
}

static inline void prefetchw(const void *x)
{
	__prefetch_site(x, FIXUP_KIND_PREFETCHW, "ecx");
}

#else /* the configured processor's form */

static inline void prefetch(const void *x)
{
#if defined(CONFIG_X86_SSE)
	__asm__ __volatile__("prefetchnta %0" : : "m"(*(const char *)x));
#elif defined(CONFIG_X86_3DNOW)
	__asm__ __volatile__("prefetch %0" : : "m"(*(const char *)x));
#else
	(void)x;
#endif
}

static inline void prefetchw(const void *x)
{
/*
 * CONFIG_X86_PREFETCHW: the CPU has 0F 0D without all of 3DNow! (CPUID
 * 0x80000001 ECX bit 8). No processor choice of Kconfig sets it; make
 * bench's build for the host CPU does.
 */
#if defined(CONFIG_X86_3DNOW) || defined(CONFIG_X86_PREFETCHW)
	__asm__ __volatile__("prefetchw %0" : : "m"(*(const char *)x));
#elif defined(CONFIG_X86_SSE)
	__asm__ __volatile__("prefetcht0 %0" : : "m"(*(const char *)x));
#else
	(void)x;
#endif
}
#endif

#endif

/*
 * clear_page() and copy_page(): a CALL fixup site each, compiled as a call
 * to the generic rep-string version and pointed at boot to the best
 * variant for the CPU (call groups at the end of this file):
 *   - MMX with non-temporal stores and prefetch: SSE or AMD MMX-ext CPUs;
 *     the stores are MOVNTQ sites, the prefetches PREFETCH sites;
 *   - MMX, plain 8-byte stores: other MMX CPUs;
 *   - rep movsl / rep stosl: everything from the 486 on.
 * The variants live in .text.variant: only a patched call reaches them,
 * so they may use instructions the 486 lacks.
 */
#include <asm/page.h>
#include <asm/pagecopy.h>
#include <asm/barrier.h>
#include <asm/prefetch.h>
#include <asm/cpufeature.h>
#include <kernel/module.h>

#define __variant	__section(".text.variant") __attribute__((noinline))

void __regparm3 clear_page_rep(void *page)
{
	u32 n = PAGE_SIZE / 4;

	__asm__ __volatile__("rep; stosl"
			     : "+D"(page), "+c"(n)
			     : "a"(0)
			     : "memory");
}
EXPORT_SYMBOL(clear_page_rep);

void __regparm3 copy_page_rep(void *to, const void *from)
{
	u32 n = PAGE_SIZE / 4;

	__asm__ __volatile__("rep; movsl"
			     : "+D"(to), "+S"(from), "+c"(n)
			     : : "memory");
}
EXPORT_SYMBOL(copy_page_rep);

#define LOAD8(src)							\
	__asm__ __volatile__("movq (%0), %%mm0\n\t"			\
			     "movq 8(%0), %%mm1\n\t"			\
			     "movq 16(%0), %%mm2\n\t"			\
			     "movq 24(%0), %%mm3\n\t"			\
			     "movq 32(%0), %%mm4\n\t"			\
			     "movq 40(%0), %%mm5\n\t"			\
			     "movq 48(%0), %%mm6\n\t"			\
			     "movq 56(%0), %%mm7"			\
			     : : "r"(src) : "memory")

#define STORE8(dst)							\
	__asm__ __volatile__("movq %%mm0, (%0)\n\t"			\
			     "movq %%mm1, 8(%0)\n\t"			\
			     "movq %%mm2, 16(%0)\n\t"			\
			     "movq %%mm3, 24(%0)\n\t"			\
			     "movq %%mm4, 32(%0)\n\t"			\
			     "movq %%mm5, 40(%0)\n\t"			\
			     "movq %%mm6, 48(%0)\n\t"			\
			     "movq %%mm7, 56(%0)"			\
			     : : "r"(dst) : "memory")

/* movq to memory, patched to movntq where the CPU has it. */
#if defined(CONFIG_FIXUP)
#define NT(mm, off)							\
	"661:\n\tmovq %%mm" #mm ", " #off "(%0)\n662:\n\t"		\
	FIXUP_RECORD(FIXUP_KIND_MOVNTQ)
#elif defined(CONFIG_X86_SSE) || defined(CONFIG_MK7)
#define NT(mm, off)	"movntq %%mm" #mm ", " #off "(%0)\n\t"
#else
#define NT(mm, off)	"movq %%mm" #mm ", " #off "(%0)\n\t"
#endif

#define STORE8_NT(dst)							\
	__asm__ __volatile__(NT(0, 0) NT(1, 8) NT(2, 16) NT(3, 24)	\
			     NT(4, 32) NT(5, 40) NT(6, 48) NT(7, 56)	\
			     : : "r"(dst) : "memory")

static inline void mmx_zero_all(void)
{
	__asm__ __volatile__("pxor %%mm0, %%mm0\n\tmovq %%mm0, %%mm1\n\t"
			     "movq %%mm0, %%mm2\n\tmovq %%mm0, %%mm3\n\t"
			     "movq %%mm0, %%mm4\n\tmovq %%mm0, %%mm5\n\t"
			     "movq %%mm0, %%mm6\n\tmovq %%mm0, %%mm7" : :);
}

static inline void mmx_end(void)
{
	__asm__ __volatile__("emms" : : : "memory");
}

void __variant __regparm3 clear_page_mmx(void *page)
{
	u8 *p = page;
	unsigned int i;

	mmx_zero_all();
	for (i = 0; i < PAGE_SIZE; i += 64)
		STORE8(p + i);
	mmx_end();
}

void __variant __regparm3 copy_page_mmx(void *to, const void *from)
{
	u8 *d = to;
	const u8 *s = from;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i += 64) {
		LOAD8(s + i);
		STORE8(d + i);
	}
	mmx_end();
}

void __variant __regparm3 clear_page_mmx_nt(void *page)
{
	u8 *p = page;
	unsigned int i;

	mmx_zero_all();
	for (i = 0; i < PAGE_SIZE; i += 64)
		STORE8_NT(p + i);
	wmb();			/* sfence: order the non-temporal stores */
	mmx_end();
}

void __variant __regparm3 copy_page_mmx_nt(void *to, const void *from)
{
	u8 *d = to;
	const u8 *s = from;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i += 64) {
		prefetch(s + i + 320);
		LOAD8(s + i);
		STORE8_NT(d + i);
	}
	wmb();
	mmx_end();
}

#ifdef CONFIG_FIXUP
/*
 * Which CPUs get an MMX copy: the AMD K7 (MMX-ext and 3DNow!: Athlon,
 * Duron) and the K6-2/K6-III (3DNow!), whose rep movs is slow; Linux gave
 * them the same. On P6 and later Intel CPUs and on current AMD ones the
 * rep-string microcode wins: "make bench" measured the MMX copies 7 times
 * slower than rep movsl on a cached page there.
 */
#define K7	(X86_FEATURE_MMX | X86_FEATURE_MMXEXT | X86_FEATURE_3DNOW)
#define K6	(X86_FEATURE_MMX | X86_FEATURE_3DNOW)

DEFINE_FIXUP_CALL(clear_page_rep,
	FIXUP_CALL_VARIANT(clear_page_mmx_nt, K7, FIXUP_MODE_ANY),
	FIXUP_CALL_VARIANT(clear_page_mmx, K6, FIXUP_MODE_ANY));

DEFINE_FIXUP_CALL(copy_page_rep,
	FIXUP_CALL_VARIANT(copy_page_mmx_nt, K7, FIXUP_MODE_ANY),
	FIXUP_CALL_VARIANT(copy_page_mmx, K6, FIXUP_MODE_ANY));
#endif

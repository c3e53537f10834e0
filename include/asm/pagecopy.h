/*
 * clear_page()/copy_page() and their variants (arch/i386/lib/page.c).
 * The variants take their arguments in registers (regparm(3): %eax,
 * %edx) so that a call site is one patchable "call" instruction.
 */
#ifndef ASM_PAGECOPY_H
#define ASM_PAGECOPY_H

#include <kernel/compiler.h>
#include <asm/fixup.h>

#define __regparm3	__attribute__((regparm(3)))

void __regparm3 clear_page_rep(void *page);
void __regparm3 copy_page_rep(void *to, const void *from);
void __regparm3 clear_page_mmx(void *page);
void __regparm3 copy_page_mmx(void *to, const void *from);
void __regparm3 clear_page_mmx_nt(void *page);
void __regparm3 copy_page_mmx_nt(void *to, const void *from);

#if defined(CONFIG_FIXUP)
#define __PAGE_CALL(op)	FIXUP_CALL(op##_rep)
#elif defined(CONFIG_MK7)
#define __PAGE_CALL(op)	"call " #op "_mmx_nt"	/* built for the Athlon */
#else
#define __PAGE_CALL(op)	"call " #op "_rep"
#endif

static inline void clear_page(void *page)
{
	__asm__ __volatile__(__PAGE_CALL(clear_page)
			     : "+a"(page) : : "ecx", "edx", "memory", "cc");
}

static inline void copy_page(void *to, const void *from)
{
	__asm__ __volatile__(__PAGE_CALL(copy_page)
			     : "+a"(to), "+d"(from) : : "ecx", "memory", "cc");
}

#endif

/*
 * clear_page() and copy_page(): the generic versions, right on every CPU
 * from the 486 on.
 */
#include <asm/page.h>

void clear_page(void *page)
{
	u32 n = PAGE_SIZE / 4;

	__asm__ __volatile__("rep; stosl"
			     : "+D"(page), "+c"(n)
			     : "a"(0)
			     : "memory");
}

void copy_page(void *to, const void *from)
{
	u32 n = PAGE_SIZE / 4;

	__asm__ __volatile__("rep; movsl"
			     : "+D"(to), "+S"(from), "+c"(n)
			     : : "memory");
}

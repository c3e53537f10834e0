/*
 * The end of boot: the init region (init code and data, the fixup table
 * and the patcher) is poisoned with int3 (0xCC), unmapped so that a stray
 * use faults at once, and given back to the page allocator.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/page.h>

void free_initmem(void)
{
	u32 start = (u32)(uintptr_t)__init_begin;
	u32 end = (u32)(uintptr_t)__init_end;
	u32 a;

	memset(__init_begin, 0xcc, end - start);
	for (a = start; a < end; a += PAGE_SIZE) {
		unmap_page(a);
		free_page_cold((void *)(uintptr_t)a);
	}
	printk(KERN_INFO "Freeing unused kernel memory: %uk freed\n",
	       (end - start) / 1024);
}

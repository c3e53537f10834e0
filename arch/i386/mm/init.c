/*
 * The end of boot: the init region (init code and data, the fixup table)
 * and the re-patch region (the re-patch code, the room for the kernel's
 * kept table), all of it unless the boot pass kept sites for a CPU
 * hot-add, else its pages after the kept table, are poisoned with int3
 * (0xCC), unmapped so that a stray use faults at once, and given back to
 * the page allocator.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/page.h>
#include <asm/fixup.h>

static u32 free_region(char *from, char *to)
{
	u32 start = (u32)(uintptr_t)from, end = (u32)(uintptr_t)to, a;

	memset(from, 0xcc, end - start);
	for (a = start; a < end; a += PAGE_SIZE) {
		unmap_page(a);
		free_page_cold((void *)(uintptr_t)a);
	}
	return end - start;
}

void free_initmem(void)
{
	u32 n = free_region(__init_begin, __init_end);

	n += free_region(fixup_resident_end(), __repatch_end);
	printk(KERN_INFO "Freeing unused kernel memory: %uk freed\n",
	       n / 1024);
}

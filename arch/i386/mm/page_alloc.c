/*
 * The physical page allocator: a stack of free page frame numbers, fed
 * from the Multiboot memory map and, after boot, with the freed init
 * region. Pages come out cleared (clear_page(), a patched CALL site) and
 * mapped: freed init pages are unmapped while they sit here.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/page.h>
#include <asm/processor.h>

static u32 *free_pfns;
static u32 nr_free, capacity;

u32 nr_free_pages(void)
{
	return nr_free;
}

/* Called once the early allocator has closed: size the stack for RAM. */
void page_alloc_init(u32 top)
{
	capacity = top / PAGE_SIZE;
	free_pfns = boot_alloc(capacity * sizeof(u32));
}

void free_page(void *p)
{
	u32 pfn = (u32)(uintptr_t)p >> PAGE_SHIFT;

	if (nr_free == capacity || ((u32)(uintptr_t)p & ~PAGE_MASK)) {
		pr_err("mm: bad free_page(%p)\n", p);
		return;
	}
	free_pfns[nr_free++] = pfn;
}

void free_pages_range(u32 start, u32 end)
{
	u32 a;

	for (a = ALIGN_UP(start, PAGE_SIZE); a + PAGE_SIZE <= end;
	     a += PAGE_SIZE)
		free_page((void *)(uintptr_t)a);
}

void *alloc_page(void)
{
	u32 flags = local_irq_save();
	u32 phys;

	if (!nr_free) {
		local_irq_restore(flags);
		return NULL;
	}
	phys = free_pfns[--nr_free] << PAGE_SHIFT;
	local_irq_restore(flags);
	map_page(phys, PTE_RW);
	clear_page((void *)(uintptr_t)phys);
	return (void *)(uintptr_t)phys;
}

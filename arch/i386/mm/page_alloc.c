/*
 * The physical page allocator: a stack of free page frame numbers, fed
 * from the Multiboot memory map and, after boot, with the freed init
 * region. Pages come out cleared (clear_page(), a patched CALL site) and
 * mapped: freed init pages are unmapped while they sit here, at the
 * bottom of the stack, so that a stray use of init code or data faults for
 * as long as possible. One spinlock covers the stack: any CPU may
 * allocate.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/page.h>
#include <asm/pagecopy.h>
#include <asm/processor.h>
#include <asm/spinlock.h>
#include <kernel/module.h>

static u32 *free_pfns;
static u32 nr_free, capacity;
static DEFINE_SPINLOCK(free_lock);

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

static void push_page(void *p, bool cold)
{
	u32 pfn = (u32)(uintptr_t)p >> PAGE_SHIFT;
	u32 flags;

	spin_lock_irqsave(&free_lock, flags);
	if (nr_free == capacity || ((u32)(uintptr_t)p & ~PAGE_MASK)) {
		spin_unlock_irqrestore(&free_lock, flags);
		pr_err("mm: bad free_page(%p)\n", p);
		return;
	}
	if (cold) {
		memmove(free_pfns + 1, free_pfns, nr_free * sizeof(u32));
		free_pfns[0] = pfn;
	} else {
		free_pfns[nr_free] = pfn;
	}
	nr_free++;
	spin_unlock_irqrestore(&free_lock, flags);
}

void free_page(void *p)
{
	push_page(p, false);
}
EXPORT_SYMBOL(free_page);

/* To be reused last: for pages that stay unmapped while free. */
void free_page_cold(void *p)
{
	push_page(p, true);
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
	u32 flags, phys;

	spin_lock_irqsave(&free_lock, flags);
	if (!nr_free) {
		spin_unlock_irqrestore(&free_lock, flags);
		return NULL;
	}
	phys = free_pfns[--nr_free] << PAGE_SHIFT;
	spin_unlock_irqrestore(&free_lock, flags);
	map_page(phys, PTE_RW);
	clear_page((void *)(uintptr_t)phys);
	return (void *)(uintptr_t)phys;
}
EXPORT_SYMBOL(alloc_page);

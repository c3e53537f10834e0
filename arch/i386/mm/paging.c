/*
 * The kernel's one address space: RAM identity-mapped with 4 KiB pages
 * (no PSE: a 486 has no 4 MiB pages). Page 0 stays unmapped so that a NULL
 * dereference faults. See Intel SDM vol. 3A, 4.3 "32-bit paging".
 *
 * Besides, the window (asm/page.h): a few virtual pages above RAM_LIMIT,
 * where nothing is identity-mapped, that show a physical page at another
 * address for a while: a writable alias of the read-only text for the
 * re-patch after boot, or scattered pages side by side.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/panic.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/desc.h>
#include <kernel/module.h>

#define PDE_INDEX(a)	((a) >> 22)
#define PTE_INDEX(a)	(((a) >> 12) & 0x3ff)

static u32 page_dir[1024] __aligned(PAGE_SIZE);
static u32 boot_alloc_next, boot_alloc_limit;
static u32 ram_end;

u32 ram_top(void)
{
	return ram_end;
}

/* Early memory, before the page allocator: never freed. */
void *boot_alloc(size_t size)
{
	u32 p = boot_alloc_next;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (boot_alloc_limit - p < size)
		panic("mm: out of early memory (%u bytes wanted)",
		      (u32)size);
	boot_alloc_next += size;
	memset((void *)(uintptr_t)p, 0, size);
	return (void *)(uintptr_t)p;
}

/* addr's page table entry; NULL without one (no memory, or !create). */
static u32 *pte_of(u32 addr, bool create)
{
	u32 *pde = &page_dir[PDE_INDEX(addr)];

	if (!(*pde & PTE_PRESENT)) {
		if (!create)
			return NULL;
		void *pt = boot_alloc_limit ? boot_alloc(PAGE_SIZE)
					    : alloc_page();

		if (!pt)
			return NULL;
		*pde = (u32)(uintptr_t)pt | PTE_PRESENT | PTE_RW;
	}
	return (u32 *)(uintptr_t)(*pde & PAGE_MASK) + PTE_INDEX(addr);
}

/* Map phys at the virtual address virt (module images). */
void map_page_at(u32 virt, u32 phys, u32 flags)
{
	u32 *pte = pte_of(virt, true);

	if (!pte)
		panic("mm: no memory for a page table");
	*pte = (phys & PAGE_MASK) | PTE_PRESENT | flags;
	if (read_cr0() & X86_CR0_PG)
		invlpg(virt);
}

void map_page(u32 phys, u32 flags)
{
	map_page_at(phys, phys, flags);
}

void unmap_page(u32 addr)
{
	u32 *pte = pte_of(addr, false);

	if (pte) {
		*pte = 0;
		invlpg(addr);
	}
}

/* The flag bits of addr's page table entry; 0 if it is not mapped. */
u32 page_flags(u32 addr)
{
	u32 *pte = pte_of(addr, false);

	return pte && (*pte & PTE_PRESENT) ? *pte & ~PAGE_MASK : 0;
}
EXPORT_SYMBOL(page_flags);

/* The physical page mapped at addr; 0 if it is not mapped. */
u32 page_phys(u32 addr)
{
	u32 *pte = pte_of(addr, false);

	return pte && (*pte & PTE_PRESENT) ? *pte & PAGE_MASK : 0;
}

/*
 * Map [4 KiB, map_top) and switch paging on. RAM ends at top; free_start
 * is the first byte after the kernel image the early allocator may use.
 */
void mm_init(u32 top, u32 map_top, u32 free_start)
{
	u32 a;

	ram_end = top;
	boot_alloc_next = ALIGN_UP(free_start, PAGE_SIZE);
	boot_alloc_limit = top;
	/* RAM and the firmware tables above it; page tables come from RAM. */
	for (a = PAGE_SIZE; a < map_top; a += PAGE_SIZE)
		map_page(a, PTE_RW);
	write_cr3((u32)(uintptr_t)page_dir);
	df_tss_set_cr3((u32)(uintptr_t)page_dir);
	write_cr0(read_cr0() | X86_CR0_PG);
	printk(KERN_INFO "mm: %u KiB RAM identity-mapped, page directory "
	       "at 0x%08x\n", top / 1024, (u32)(uintptr_t)page_dir);
}

/* The early allocator closes; what it did not use goes to alloc_page(). */
u32 boot_alloc_end(void)
{
	boot_alloc_limit = 0;
	return boot_alloc_next;
}

/*
 * Show physical page phys at window page slot, with flags (PTE_RW for a
 * writable alias); its address, or NULL for a slot out of the window or
 * when the window's one page table cannot be had (it is allocated at the
 * first use and stays). Only the calling CPU's TLB is told: a window
 * page is for the CPU that maps it, for a while.
 */
void *window_map(unsigned int slot, u32 phys, u32 flags)
{
	u32 addr = WINDOW_BASE + slot * PAGE_SIZE;
	u32 *pte;

	if (slot >= WINDOW_PAGES)
		return NULL;
	pte = pte_of(addr, true);
	if (!pte)
		return NULL;
	*pte = (phys & PAGE_MASK) | PTE_PRESENT | flags;
	invlpg(addr);
	return (void *)(uintptr_t)addr;
}

void window_unmap(unsigned int slot)
{
	if (slot < WINDOW_PAGES)
		unmap_page(WINDOW_BASE + slot * PAGE_SIZE);
}

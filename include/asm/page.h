/* Pages and the identity map (arch/i386/mm/). */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <kernel/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1u << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* Page table entry bits (Intel SDM vol. 3A, 4.3 "32-bit paging"). */
#define PTE_PRESENT	0x001
#define PTE_RW		0x002
#define PTE_PCD		0x010	/* cache disabled: device registers */
#define PTE_GLOBAL	0x100

#define RAM_LIMIT	0x40000000u	/* RAM above 1 GiB is not used */

/*
 * The window: virtual pages just above RAM_LIMIT, below which everything
 * identity-mapped lies (RAM, the firmware tables; the local APIC is at
 * 0xfee00000). One page table's worth: 0x40000000-0x403fffff.
 */
#define WINDOW_BASE	RAM_LIMIT
#define WINDOW_PAGES	1024

/* The kernel image (ldscripts/vmlinux.lds). */
extern char _text[], _etext[], _erodata[], __init_begin[], __init_end[];
extern char _sinittext[], _einittext[], _sdata[], _end[];
extern char __repatch_start[], __repatch_end[];	/* within _text.._erodata */

void mm_init(u32 ram_top, u32 map_top, u32 free_start);
void map_page(u32 phys, u32 flags);
void map_page_at(u32 virt, u32 phys, u32 flags);
u32 page_phys(u32 addr);
void unmap_page(u32 addr);
u32 page_flags(u32 addr);
void *window_map(unsigned int slot, u32 phys, u32 flags);
void window_unmap(unsigned int slot);
void *boot_alloc(size_t size);
u32 boot_alloc_end(void);
u32 ram_top(void);

void *alloc_page(void);
void free_page(void *p);
void free_page_cold(void *p);
void free_pages_range(u32 start, u32 end);
u32 nr_free_pages(void);

void page_alloc_init(u32 top);
void free_initmem(void);
void mark_text_ro(void);


#endif

/*
 * Usable RAM from the Multiboot information (Multiboot Specification
 * 0.6.96, 3.3: "mmap_*" fields, else "mem_upper"). Copied into the kernel
 * before anything allocates: the loader's copy may lie just past the
 * image, where the early allocator starts.
 */
#include <kernel/memmap.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <asm/page.h>

struct ram_region ram_regions[MAX_RAM_REGIONS];
unsigned int nr_ram_regions;
u32 memmap_table_top;
u32 memmap_phys_top;

static void add_region(u64 start, u64 len)
{
	u64 end = start + len;

	if (end > RAM_LIMIT)
		end = RAM_LIMIT;
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start >= end)
		return;
	if (nr_ram_regions == MAX_RAM_REGIONS) {
		pr_warn("mm: more than %u RAM regions, ignoring the rest\n",
			MAX_RAM_REGIONS);
		return;
	}
	ram_regions[nr_ram_regions].start = (u32)start;
	ram_regions[nr_ram_regions].end = (u32)end;
	nr_ram_regions++;
}

/*
 * Firmware tables (ACPI) sit in reserved memory just below the top of
 * RAM: note how far such areas reach, so that they can be mapped and
 * read. The flash ROM below 4 GiB does not count.
 */
static void note_table_area(u64 start, u64 len)
{
	u64 end = start + len;

	if (start < RAM_LIMIT && end <= RAM_LIMIT && end > memmap_table_top)
		memmap_table_top = (u32)ALIGN_UP(end, PAGE_SIZE);
}

/*
 * How far RAM and firmware tables reach below the flash ROM and device
 * space, whatever RAM_LIMIT keeps: the CPU tables (ACPI) are read there
 * before paging is on, and on a 2 GiB machine they lie near 2 GiB.
 */
static void note_phys_top(u64 start, u64 len)
{
	u64 end = start + len;

	if (start >= PHYS_DEVICE_START)
		return;
	if (end > PHYS_DEVICE_START)
		end = PHYS_DEVICE_START;
	if (end > memmap_phys_top)
		memmap_phys_top = (u32)end;
}

/* Returns the top of usable RAM. */
u32 __init memmap_init(const struct multiboot_info *mbi)
{
	u32 top = 0;
	unsigned int i;

	if (mbi->flags & MB_INFO_MEM_MAP) {
		u32 p = mbi->mmap_addr, end = p + mbi->mmap_length;

		while (p + sizeof(struct multiboot_mmap_entry) <= end) {
			const struct multiboot_mmap_entry *e =
				(const void *)(uintptr_t)p;

			printk(KERN_INFO "BIOS-e820: [mem 0x%08x%08x-0x%08x%08x] %s\n",
			       (u32)(e->addr >> 32), (u32)e->addr,
			       (u32)((e->addr + e->len - 1) >> 32),
			       (u32)(e->addr + e->len - 1),
			       e->type == MB_MEMORY_AVAILABLE ? "usable"
							      : "reserved");
			if (e->type == MB_MEMORY_AVAILABLE)
				add_region(e->addr, e->len);
			else
				note_table_area(e->addr, e->len);
			note_phys_top(e->addr, e->len);
			p += e->size + 4;
		}
	} else if (mbi->flags & MB_INFO_MEMORY) {
		add_region(0x100000, (u64)mbi->mem_upper * 1024);
	}
	for (i = 0; i < nr_ram_regions; i++)
		if (ram_regions[i].end > top)
			top = ram_regions[i].end;
	if (memmap_table_top < top)
		memmap_table_top = top;
	if (memmap_phys_top < memmap_table_top)
		memmap_phys_top = memmap_table_top;
	if (top < 0x400000)
		panic("mm: %u KiB of RAM found, 4 MiB needed", top / 1024);
	return top;
}

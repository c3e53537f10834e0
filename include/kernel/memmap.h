/* Usable RAM, copied from the Multiboot memory map (memmap.c). */
#ifndef KERNEL_MEMMAP_H
#define KERNEL_MEMMAP_H

#include <kernel/types.h>
#include <asm/multiboot.h>

#define MAX_RAM_REGIONS	32

struct ram_region {
	u32 start, end;		/* [start, end), page aligned */
};

extern struct ram_region ram_regions[MAX_RAM_REGIONS];
extern unsigned int nr_ram_regions;
#define PHYS_DEVICE_START 0xf0000000u	/* flash ROM, APICs: not memory */

extern u32 memmap_table_top;	/* end of RAM and firmware tables */
extern u32 memmap_phys_top;	/* the same beyond RAM_LIMIT: for ACPI */

u32 memmap_init(const struct multiboot_info *mbi);

#endif

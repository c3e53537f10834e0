/* Multiboot v1 information (Multiboot Specification 0.6.96, 3.3). */
#ifndef ASM_MULTIBOOT_H
#define ASM_MULTIBOOT_H

#include <kernel/types.h>

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002

#define MB_INFO_MEMORY		(1u << 0)	/* mem_lower/mem_upper */
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)	/* mods_count/mods_addr */
#define MB_INFO_MEM_MAP		(1u << 6)

struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;	/* KiB below 1 MiB / above 1 MiB */
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
} __attribute__((packed));

struct multiboot_mmap_entry {
	u32 size;			/* of the rest of this entry */
	u64 addr, len;
	u32 type;			/* 1 = available RAM */
} __attribute__((packed));

#define MB_MEMORY_AVAILABLE	1

/* One boot module (3.3: "mods_addr"): [mod_start, mod_end), a string. */
struct multiboot_mod {
	u32 mod_start, mod_end;
	u32 string;			/* physical address of a C string */
	u32 reserved;
} __attribute__((packed));

#endif

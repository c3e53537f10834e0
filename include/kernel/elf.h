/*
 * ELF32 as the module loader reads it: System V ABI, "Object Files"
 * (gABI 4.1, chapter 4) and its Intel386 supplement (relocation types,
 * 4.4). Only what a relocatable i386 file needs.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <kernel/types.h>

#define EI_NIDENT	16
#define ELFMAG		"\177ELF"
#define EI_CLASS	4
#define ELFCLASS32	1
#define EI_DATA		5
#define ELFDATA2LSB	1	/* little-endian */
#define EI_VERSION	6
#define EV_CURRENT	1

#define ET_REL		1	/* relocatable file */
#define EM_386		3

struct elf32_hdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type, e_machine;
	u32 e_version, e_entry, e_phoff, e_shoff, e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

#define SHT_NULL	0
#define SHT_PROGBITS	1
#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_RELA	4
#define SHT_NOBITS	8
#define SHT_REL		9

#define SHF_WRITE	0x1
#define SHF_ALLOC	0x2
#define SHF_EXECINSTR	0x4

#define SHN_UNDEF	0
#define SHN_LORESERVE	0xff00
#define SHN_ABS		0xfff1
#define SHN_COMMON	0xfff2

struct elf32_shdr {
	u32 sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size;
	u32 sh_link, sh_info, sh_addralign, sh_entsize;
};

#define STB_LOCAL	0
#define STB_GLOBAL	1
#define STB_WEAK	2
#define STT_OBJECT	1
#define STT_FUNC	2
#define ELF32_ST_BIND(i)	((i) >> 4)
#define ELF32_ST_TYPE(i)	((i) & 0xf)

struct elf32_sym {
	u32 st_name, st_value, st_size;
	u8 st_info, st_other;
	u16 st_shndx;
};

#define R_386_NONE	0
#define R_386_32	1	/* S + A */
#define R_386_PC32	2	/* S + A - P */
#define ELF32_R_SYM(i)	((i) >> 8)
#define ELF32_R_TYPE(i)	((u8)(i))

struct elf32_rel {
	u32 r_offset, r_info;
};

#endif

/*
 * The AP start-up trampoline (arch/i386/boot/trampoline.S): where it runs
 * and the parameters the boot CPU leaves at its end for each AP. Shared by
 * the assembly and by arch/i386/kernel/smpboot.c.
 */
#ifndef ASM_TRAMPOLINE_H
#define ASM_TRAMPOLINE_H

/*
 * A STARTUP IPI with vector VV starts the AP in real mode at VV00:0000
 * (MultiProcessor Specification 1.4, B.4.2), so the trampoline sits on a
 * page below 1 MiB: conventional memory that the kernel leaves alone.
 */
#define TRAMPOLINE_PHYS		0x8000
#define TRAMPOLINE_VECTOR	(TRAMPOLINE_PHYS >> 12)

/* Offsets into struct trampoline_params. */
#define TP_CR3		0	/* page directory */
#define TP_CR0		4	/* the boot CPU's CR0: PE, PG, WP, FPU bits */
#define TP_ESP		8	/* top of this AP's stack */
#define TP_ENTRY	12	/* void entry(int cpu), does not return */
#define TP_CPU		16	/* logical CPU number */
#define TP_SIZE		20

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct trampoline_params {
	u32 cr3;
	u32 cr0;
	u32 esp;
	u32 entry;
	u32 cpu;
};

/* The code as linked (in .rodata: it is copied, never run there). */
extern const char trampoline_start[], trampoline_params[], trampoline_end[];
#endif

#endif

/* Which CPU am I (arch/i386/kernel/desc.c: from the task register). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <asm/segment.h>

/*
 * Every CPU loads its own TSS, at GDT entry GDT_ENTRY_TSS + cpu, so the
 * task register names the CPU; before any TSS is loaded it reads 0.
 */
static inline int smp_processor_id(void)
{
	unsigned int tr;

	__asm__ __volatile__("str %0" : "=r"(tr));
	return tr ? (int)(tr / 8 - GDT_ENTRY_TSS) : 0;
}

#endif

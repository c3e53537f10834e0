/* Which CPU am I (arch/i386/kernel/desc.c: from the task register). */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <kernel/types.h>
#include <asm/segment.h>

/*
 * Every CPU loads its own TSS, at GDT entry GDT_ENTRY_TSS + cpu, so the
 * task register names the CPU; before any TSS is loaded it reads 0. In a
 * double-fault task the selector is the same on every CPU, but each CPU
 * has a GDT of its own (arch/i386/kernel/desc.c): its base names the CPU.
 */
extern u64 cpu_gdt[CONFIG_NR_CPUS][GDT_ENTRIES];

static inline int smp_processor_id_df(void)
{
	struct __attribute__((packed)) { u16 limit; u32 base; } g;

	__asm__ __volatile__("sgdt %0" : "=m"(g));
	return (int)((g.base - (u32)(uintptr_t)cpu_gdt) / sizeof(cpu_gdt[0]));
}

static inline int smp_processor_id(void)
{
	unsigned int tr;

	__asm__ __volatile__("str %0" : "=r"(tr));
	if (tr == DF_TSS_SELECTOR)
		return smp_processor_id_df();
	return tr ? (int)(tr / 8 - GDT_ENTRY_TSS) : 0;
}

#endif

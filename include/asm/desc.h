/* GDT, IDT and TSS set-up (arch/i386/kernel/desc.c). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <kernel/types.h>
#include <asm/segment.h>

struct tss {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2;
	u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap_base;
} __attribute__((packed));

void gdt_init(void);
void cpu_load_descriptors(int cpu);
void idt_init(void);
void df_tss_set_cr3(u32 cr3);
const struct tss *cpu_tss(int cpu);
const struct tss *df_tss_state(int cpu);
void idt_text_write_begin(void);
void idt_text_write_end(void);

extern u64 cpu_gdt[CONFIG_NR_CPUS][GDT_ENTRIES];

#endif

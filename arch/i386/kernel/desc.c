/*
 * Segment and interrupt descriptors (Intel SDM vol. 3A, 3.4.5 "Segment
 * descriptors", 6.11 "IDT descriptors", 7.2.2 "TSS descriptor"). Flat
 * 4 GiB code and data segments; one TSS per CPU, whose selector is also
 * how smp_processor_id() tells the CPUs apart. Each CPU has a GDT of its
 * own, all alike but for the double-fault TSS descriptor, so that the
 * one task gate in the shared IDT names each CPU's own double-fault task.
 */
#include <kernel/compiler.h>
#include <asm/desc.h>
#include <asm/segment.h>

#define SEG_CODE	0x9a	/* present, ring 0, code, readable */
#define SEG_DATA	0x92	/* present, ring 0, data, writable */
#define SEG_TSS		0x89	/* present, ring 0, 32-bit TSS available */
#define GATE_INTR	0x8e	/* present, ring 0, 32-bit interrupt gate */
#define GATE_TASK	0x85	/* present, ring 0, task gate */
#define DF_STACK_SIZE	4096
#define FLAT_GRAN	0xc	/* 4 KiB granularity, 32-bit */

u64 cpu_gdt[CONFIG_NR_CPUS][GDT_ENTRIES] __aligned(8);
static u64 idt[256] __aligned(8);
/* The IDT loaded while text is written: vector 2 counts and returns. */
static u64 text_write_idt[32] __aligned(8);
static struct tss tss[CONFIG_NR_CPUS];

/*
 * A double fault runs as a task of its own, on its own stack: a kernel
 * stack overflow faults again while pushing the page-fault frame, and only
 * a task switch still has a stack to report it on (SDM vol. 3A, 6.15,
 * "Interrupt 8"). One such task per CPU: with one for all, a second CPU
 * double-faulting while the first is in it would find its TSS busy, fault
 * again and reset the machine. Each task's EBX holds its CPU number.
 */
static struct tss df_tss[CONFIG_NR_CPUS];
static u8 df_stack[CONFIG_NR_CPUS][DF_STACK_SIZE] __aligned(16);

struct __attribute__((packed)) desc_ptr {
	u16 limit;
	u32 base;
};

static u64 seg_desc(u32 base, u32 limit, u8 access, u8 gran)
{
	return (u64)(limit & 0xffff) | (u64)(base & 0xffffff) << 16 |
	       (u64)access << 40 | (u64)((limit >> 16) & 0xf) << 48 |
	       (u64)gran << 52 | (u64)(base >> 24) << 56;
}

static u64 gate_desc(u32 handler, u16 sel, u8 type)
{
	return (u64)(handler & 0xffff) | (u64)sel << 16 |
	       (u64)type << 40 | (u64)(handler >> 16) << 48;
}

/*
 * CPU n's TSS descriptor, available (type 9). ltr marks the descriptor
 * it loads busy (type 11) in the GDT it finds it in, and raises #GP on a
 * busy one (SDM vol. 2A, LTR: "If segment descriptor is not for an
 * available TSS"; vol. 3A, 7.2.2: the busy flag). Nothing but a task
 * switch or software clears it: a CPU that leaves (a hot-remove) leaves
 * its number's descriptor busy in cpu_gdt[n].
 */
static u64 tss_desc(int cpu)
{
	return seg_desc((u32)(uintptr_t)&tss[cpu], sizeof(struct tss) - 1,
			SEG_TSS, 0);
}

void gdt_init(void)
{
	extern const char double_fault_entry[];
	u64 *g = cpu_gdt[0];
	int i, cpu;

	g[GDT_ENTRY_KERNEL_CS] = seg_desc(0, 0xfffff, SEG_CODE, FLAT_GRAN);
	g[GDT_ENTRY_KERNEL_DS] = seg_desc(0, 0xfffff, SEG_DATA, FLAT_GRAN);
	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		tss[i].ss0 = __KERNEL_DS;
		tss[i].iomap_base = sizeof(struct tss);	/* no I/O bitmap */
		g[GDT_ENTRY_TSS + i] = tss_desc(i);
	}
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		struct tss *df = &df_tss[cpu];

		df->eip = (u32)(uintptr_t)double_fault_entry;
		df->esp = (u32)(uintptr_t)(df_stack[cpu] + DF_STACK_SIZE);
		df->ebx = cpu;
		df->cs = __KERNEL_CS;
		df->ds = df->es = df->ss = __KERNEL_DS;
		df->eflags = 0x2;		/* interrupts off */
		df->iomap_base = sizeof(struct tss);
		for (i = 0; i < GDT_ENTRY_DF_TSS; i++)
			cpu_gdt[cpu][i] = g[i];
		cpu_gdt[cpu][GDT_ENTRY_DF_TSS] =
			seg_desc((u32)(uintptr_t)df, sizeof(struct tss) - 1,
				 SEG_TSS, 0);
	}
}

/* The task switch loads CR3 too: the kernel's, once paging is on. */
void df_tss_set_cr3(u32 cr3)
{
	int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		df_tss[cpu].cr3 = cr3;
}

const struct tss *cpu_tss(int cpu)
{
	return cpu >= 0 && cpu < CONFIG_NR_CPUS ? &tss[cpu] : NULL;
}

const struct tss *df_tss_state(int cpu)
{
	return cpu >= 0 && cpu < CONFIG_NR_CPUS ? &df_tss[cpu] : NULL;
}

/*
 * Load this CPU's GDT, the segments, its TSS and the IDT. The boot CPU
 * comes from head.S's early GDT and IDT, whose selectors and gates stay
 * valid through every step; the TSS is loaded before the IDT whose
 * double-fault gate needs it. The TSS descriptor is written available
 * first: a CPU number given again after its CPU left finds it busy, and
 * that ltr's #GP, before any IDT, would reset the machine. No other CPU
 * uses this GDT or this TSS: the one that had the number is gone.
 */
void cpu_load_descriptors(int cpu)
{
	struct desc_ptr g = { sizeof(cpu_gdt[0]) - 1,
			      (u32)(uintptr_t)cpu_gdt[cpu] };
	struct desc_ptr i = { sizeof(idt) - 1, (u32)(uintptr_t)idt };

	cpu_gdt[cpu][GDT_ENTRY_TSS + cpu] = tss_desc(cpu);
	__asm__ __volatile__("lgdt %0\n\t"
			     "ljmp %1, $1f\n"
			     "1:\tmovl %2, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss\n\t"
			     "xorl %%eax, %%eax\n\t"
			     "movl %%eax, %%fs\n\t"
			     "movl %%eax, %%gs\n\t"
			     "ltr %w4\n\t"
			     "lidt %3"
			     : : "m"(g), "i"(__KERNEL_CS), "i"(__KERNEL_DS),
			       "m"(i), "r"(TSS_SELECTOR(cpu))
			     : "eax", "memory");
}

void idt_init(void)
{
	extern const char trap_stubs[], nmi_text_write_entry[];
	int v;

	for (v = 0; v < 256; v++)
		idt[v] = gate_desc((u32)(uintptr_t)(trap_stubs + 16 * v),
				   __KERNEL_CS, GATE_INTR);
	idt[8] = gate_desc(0, DF_TSS_SELECTOR, GATE_TASK);
	for (v = 0; v < 32; v++)
		text_write_idt[v] = idt[v];
	text_write_idt[2] = gate_desc((u32)(uintptr_t)nmi_text_write_entry,
				      __KERNEL_CS, GATE_INTR);
}

/*
 * While text is being written (the fixup pass), vector 2 goes to the NMI
 * entry in .text.nmi, which only counts (arch/i386/kernel/nmi.c): one
 * lidt switches, so an NMI sees one IDT or the other, never half of a
 * gate. Interrupts are off meanwhile: vectors above 31 are not needed.
 */
static void load_idt(const u64 *table, unsigned int entries)
{
	struct desc_ptr d = { entries * 8 - 1, (u32)(uintptr_t)table };

	__asm__ __volatile__("lidt %0" : : "m"(d) : "memory");
}

/* __repatch: needed after boot only to re-patch (arch/i386/fixup/). */
void __repatch idt_text_write_begin(void)
{
	load_idt(text_write_idt, ARRAY_SIZE(text_write_idt));
}

void __repatch idt_text_write_end(void)
{
	load_idt(idt, ARRAY_SIZE(idt));
}

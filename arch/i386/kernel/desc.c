/*
 * Segment and interrupt descriptors (Intel SDM vol. 3A, 3.4.5 "Segment
 * descriptors", 6.11 "IDT descriptors", 7.2.2 "TSS descriptor"). Flat
 * 4 GiB code and data segments; one TSS per CPU, whose selector is also
 * how smp_processor_id() tells the CPUs apart.
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

static u64 gdt[GDT_ENTRIES] __aligned(8);
static u64 idt[256] __aligned(8);
static struct tss tss[CONFIG_NR_CPUS];

/*
 * A double fault runs as a task of its own, on its own stack: a kernel
 * stack overflow faults again while pushing the page-fault frame, and only
 * a task switch still has a stack to report it on (SDM vol. 3A, 6.15,
 * "Interrupt 8"). One such task for all CPUs: two CPUs double-faulting at
 * the same moment would reset the machine.
 */
static struct tss df_tss;
static u8 df_stack[DF_STACK_SIZE] __aligned(16);

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

void gdt_init(void)
{
	extern const char double_fault_entry[];
	int i;

	gdt[GDT_ENTRY_KERNEL_CS] = seg_desc(0, 0xfffff, SEG_CODE, FLAT_GRAN);
	gdt[GDT_ENTRY_KERNEL_DS] = seg_desc(0, 0xfffff, SEG_DATA, FLAT_GRAN);
	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		tss[i].ss0 = __KERNEL_DS;
		tss[i].iomap_base = sizeof(struct tss);	/* no I/O bitmap */
		gdt[GDT_ENTRY_TSS + i] = seg_desc((u32)(uintptr_t)&tss[i],
						  sizeof(struct tss) - 1,
						  SEG_TSS, 0);
	}
	df_tss.eip = (u32)(uintptr_t)double_fault_entry;
	df_tss.esp = (u32)(uintptr_t)(df_stack + DF_STACK_SIZE);
	df_tss.cs = __KERNEL_CS;
	df_tss.ds = df_tss.es = df_tss.ss = __KERNEL_DS;
	df_tss.eflags = 0x2;		/* interrupts off */
	df_tss.iomap_base = sizeof(struct tss);
	gdt[GDT_ENTRY_DF_TSS] = seg_desc((u32)(uintptr_t)&df_tss,
					 sizeof(struct tss) - 1, SEG_TSS, 0);
}

/* The task switch loads CR3 too: the kernel's, once paging is on. */
void df_tss_set_cr3(u32 cr3)
{
	df_tss.cr3 = cr3;
}

const struct tss *cpu_tss(int cpu)
{
	return cpu >= 0 && cpu < CONFIG_NR_CPUS ? &tss[cpu] : NULL;
}

const struct tss *df_tss_state(void)
{
	return &df_tss;
}

/* Load GDT, segments, IDT and this CPU's TSS. */
void cpu_load_descriptors(int cpu)
{
	struct desc_ptr g = { sizeof(gdt) - 1, (u32)(uintptr_t)gdt };
	struct desc_ptr i = { sizeof(idt) - 1, (u32)(uintptr_t)idt };

	__asm__ __volatile__("lgdt %0\n\t"
			     "ljmp %1, $1f\n"
			     "1:\tmovl %2, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss\n\t"
			     "xorl %%eax, %%eax\n\t"
			     "movl %%eax, %%fs\n\t"
			     "movl %%eax, %%gs\n\t"
			     "lidt %3\n\t"
			     "ltr %w4"
			     : : "m"(g), "i"(__KERNEL_CS), "i"(__KERNEL_DS),
			       "m"(i), "r"(TSS_SELECTOR(cpu))
			     : "eax", "memory");
}

void idt_init(void)
{
	extern const char trap_stubs[];
	int v;

	for (v = 0; v < 256; v++)
		idt[v] = gate_desc((u32)(uintptr_t)(trap_stubs + 16 * v),
				   __KERNEL_CS, GATE_INTR);
	idt[8] = gate_desc(0, DF_TSS_SELECTOR, GATE_TASK);
}

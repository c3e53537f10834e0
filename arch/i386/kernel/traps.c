/*
 * Exceptions and unexpected interrupts. Every exception is fatal for the
 * CPU that takes it: it prints an oops (vector, error code, CPU, EIP as
 * symbol+off/len, registers, stack) and halts that CPU. A fault while
 * printing an oops halts at once: never an exception loop. See Intel SDM
 * vol. 3A, 6.15 "Exception and interrupt reference".
 */
#include <kernel/printk.h>
#include <kernel/kallsyms.h>
#include <kernel/panic.h>
#include <asm/ptrace.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/desc.h>
#include <asm/segment.h>
#include <asm/apic.h>
#include <asm/nmi.h>
#include <asm/irq.h>
#include <kernel/clock.h>
#include <kernel/module.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_EOI		0x20	/* OCW2: non-specific end of interrupt */
#define PIC_CASCADE	2	/* the second 8259 on the first's IRQ 2 */
#define ELCR1		0x4d0	/* PIIX/ICH edge/level control, IRQ 0-7 */
#define ELCR2		0x4d1	/* IRQ 8-15 */
#define FIRST_IRQ_VECTOR 0x20
#define SPURIOUS_VECTOR	0xff	/* local APIC spurious interrupts */
#define STACK_WORDS	12
#define TRACE_FRAMES	8

static const char *const exception_names[32] = {
	[0] = "divide error (#DE)",
	[1] = "debug (#DB)",
	[2] = "non-maskable interrupt (NMI)",
	[3] = "breakpoint (#BP)",
	[4] = "overflow (#OF)",
	[5] = "bound range exceeded (#BR)",
	[6] = "invalid opcode (#UD)",
	[7] = "device not available (#NM)",
	[8] = "double fault (#DF)",
	[9] = "coprocessor segment overrun",
	[10] = "invalid TSS (#TS)",
	[11] = "segment not present (#NP)",
	[12] = "stack-segment fault (#SS)",
	[13] = "general protection (#GP)",
	[14] = "page fault (#PF)",
	[16] = "x87 floating-point error (#MF)",
	[17] = "alignment check (#AC)",
	[18] = "machine check (#MC)",
	[19] = "SIMD floating-point (#XM)",
	[20] = "virtualization (#VE)",
	[21] = "control protection (#CP)",
};

/* Per CPU: 0, 1 while printing its oops, 2 when done. */
static volatile u8 in_oops[CONFIG_NR_CPUS];
#define OOPS_WAIT_MS		2000	/* for the other CPUs' reports */
#define OOPS_GRACE_MS		50
static volatile unsigned int oops_expected;	/* test: reports to wait for */
static u32 stack_lo, stack_hi;	/* where a frame may be: mapped RAM */

/*
 * This CPU reports an oops (or has, and is powering off): its printk
 * writes at once, taking the console lock from a CPU that keeps it too
 * long, and its clock_ns() does not wait for the clock lock.
 */
bool oops_here(void)
{
	int cpu = smp_processor_id();

	return cpu >= 0 && cpu < CONFIG_NR_CPUS && in_oops[cpu];
}

void traps_set_stack_bounds(u32 lo, u32 hi)
{
	stack_lo = lo;
	stack_hi = hi;
}

static bool stack_ok(u32 p)
{
	return !(p & 3) && p >= stack_lo && p + 8 <= stack_hi;
}

static void show_stack(u32 sp, u32 bp)
{
	char sym[80];
	u32 *s = (u32 *)(uintptr_t)sp;
	int i;

	printk(KERN_EMERG "Stack:");
	for (i = 0; i < STACK_WORDS && stack_ok(sp + 4 * i); i++)
		printk(KERN_CONT "%s %08x", i && !(i % 6) ? "\n       " : "",
		       s[i]);
	printk(KERN_CONT "\n");
	printk(KERN_EMERG "Call Trace:\n");
	/*
	 * A leaf function that faulted may have built no frame: its return
	 * address is then on top of the stack. Marked "?" as unreliable.
	 */
	if (stack_ok(sp) && s[0] >= (u32)(uintptr_t)_text &&
	    s[0] < (u32)(uintptr_t)_etext && (!stack_ok(bp) ||
	    s[0] != ((u32 *)(uintptr_t)bp)[1]))
		printk(KERN_EMERG " [<%08x>] ? %s\n", s[0],
		       kallsyms_format_ret(sym, sizeof(sym), s[0]));
	/* Frame pointers: [bp] = caller's bp, [bp + 4] = return address. */
	for (i = 0; i < TRACE_FRAMES && stack_ok(bp); i++) {
		u32 *f = (u32 *)(uintptr_t)bp;

		printk(KERN_EMERG " [<%08x>] %s\n", f[1],
		       kallsyms_format_ret(sym, sizeof(sym), f[1]));
		if (f[0] <= bp)
			break;		/* frames only go up the stack */
		bp = f[0];
	}
}

#define PF_PRESENT	0x1	/* #PF error code (SDM vol. 3A, 4.7) */
#define PF_WRITE	0x2

/* Say what a page fault touched: read-only text, freed init memory, ... */
static void show_page_fault(const struct pt_regs *r)
{
	u32 a = read_cr2();
	char where[96];

	where[0] = '\0';
	if (a >= (u32)(uintptr_t)_text && a < (u32)(uintptr_t)_erodata) {
		char sym[80];

		snprintf(where, sizeof(where), " (kernel text: %s)",
			 kallsyms_format(sym, sizeof(sym), a));
	} else if (a >= (u32)(uintptr_t)__init_begin &&
		   a < (u32)(uintptr_t)__init_end) {
		snprintf(where, sizeof(where), " (freed init memory)");
	} else if (module_of(a)) {
		char sym[80];

		snprintf(where, sizeof(where), " (module %s)",
			 kallsyms_format(sym, sizeof(sym), a));
	} else if (a < PAGE_SIZE) {
		snprintf(where, sizeof(where), " (NULL page)");
	}
	printk(KERN_EMERG "oops: page fault: %s %s page at 0x%08x%s\n",
	       r->error & PF_WRITE ? "write to" : "read of",
	       r->error & PF_PRESENT ? "a read-only" : "an unmapped", a,
	       where);
}

/* Test only: how many oops reports the boot CPU waits for (selftest.c). */
void oops_expect_reports(unsigned int n)
{
	oops_expected = n;
}

/*
 * Before the boot CPU powers the machine off after its oops, the other
 * CPUs that are reporting one (or start within a moment: two CPUs that
 * fault together) get to finish. Bounded in loop passes as well as in
 * time: after an oops inside clock_ns() the clock stands still.
 */
static void oops_wait_others(int me)
{
	u64 now = clock_ns(), grace = now + OOPS_GRACE_MS * 1000000ull;
	u64 end = now + OOPS_WAIT_MS * 1000000ull;
	unsigned int spins;
	int cpu;

	for (spins = 0; spins < 30000000; spins++) {
		unsigned int done = 0;
		bool busy = false;

		for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
			busy |= cpu != me && in_oops[cpu] == 1;
			done += in_oops[cpu] == 2;
		}
		now = clock_ns();
		if (now >= end || (!busy && now >= grace &&
				   done >= oops_expected))
			break;
		cpu_relax();
	}
}

static void __noreturn oops_end(int cpu)
{
	printk(KERN_EMERG "oops: CPU %d halted\n", cpu);
	in_oops[cpu] = 2;
	/* The boot CPU is the machine: let a test harness see the end. */
	if (cpu == 0 && poweroff_requested) {
		oops_wait_others(cpu);
		machine_power_off(POWER_OFF_OOPS);
	}
	/* The others go on: no lock stays with a dead CPU. */
	clock_oops_release();
	printk_oops_end();
	cpu_dead();
}

static void __noreturn oops(struct pt_regs *r)
{
	int cpu = smp_processor_id();
	const char *what = r->vector < 32 && exception_names[r->vector] ?
			   exception_names[r->vector] : "reserved exception";
	char sym[80];

	if (cpu < 0 || cpu >= CONFIG_NR_CPUS)
		cpu = 0;
	if (in_oops[cpu]) {
		/* Faulted while reporting a fault: say nothing more. */
		cpu_dead();
	}
	in_oops[cpu] = 1;

	printk(KERN_EMERG "oops: %s, vector %u, error code 0x%x, CPU %d\n",
	       what, r->vector, r->error, cpu);
	if (r->vector == 14)
		show_page_fault(r);
	printk(KERN_EMERG "EIP: %04x:[<%08x>] %s\n", r->cs & 0xffff, r->eip,
	       kallsyms_format(sym, sizeof(sym), r->eip));
	printk(KERN_EMERG "EFLAGS: %08x  CR0: %08x  CR2: %08x  CR3: %08x\n",
	       r->eflags, read_cr0(), read_cr2(), read_cr3());
	printk(KERN_EMERG "EAX: %08x  EBX: %08x  ECX: %08x  EDX: %08x\n",
	       r->eax, r->ebx, r->ecx, r->edx);
	printk(KERN_EMERG "ESI: %08x  EDI: %08x  EBP: %08x  ESP: %08x\n",
	       r->esi, r->edi, r->ebp, regs_sp(r));
	printk(KERN_EMERG "DS: %04x  ES: %04x  FS: %04x  GS: %04x\n",
	       r->ds & 0xffff, r->es & 0xffff, r->fs & 0xffff,
	       r->gs & 0xffff);
	show_stack(regs_sp(r), r->ebp);
	oops_end(cpu);
}

/* nmi=panic: an NMI is an oops like any exception (nmi.c). */
void oops_nmi(struct pt_regs *r)
{
	oops(r);
}

/*
 * A CPU's double-fault task (vector 8 is a task gate to the TSS of this
 * CPU's own GDT): the faulting CPU's state was saved in its own TSS,
 * which the double-fault TSS's back link names. Most often the kernel
 * stack ran into its guard page.
 */
void __noreturn do_double_fault(int cpu, u32 error)
{
	const struct tss *df = df_tss_state(cpu);
	const struct tss *t;
	char sym[80];

	if (!df || (int)(df->link / 8) - GDT_ENTRY_TSS != cpu)
		cpu_dead();
	t = cpu_tss(cpu);
	if (in_oops[cpu])
		cpu_dead();
	in_oops[cpu] = 1;
	printk(KERN_EMERG "oops: double fault (#DF), vector 8, error code "
	       "0x%x, CPU %d\n", error, cpu);
	printk(KERN_EMERG "EIP: %04x:[<%08x>] %s\n", t->cs & 0xffff, t->eip,
	       kallsyms_format(sym, sizeof(sym), t->eip));
	printk(KERN_EMERG "EFLAGS: %08x  CR2: %08x  CR3: %08x\n", t->eflags,
	       read_cr2(), read_cr3());
	printk(KERN_EMERG "EAX: %08x  EBX: %08x  ECX: %08x  EDX: %08x\n",
	       t->eax, t->ebx, t->ecx, t->edx);
	printk(KERN_EMERG "ESI: %08x  EDI: %08x  EBP: %08x  ESP: %08x\n",
	       t->esi, t->edi, t->ebp, t->esp);
	if ((read_cr2() ^ t->esp) < PAGE_SIZE * 2)
		printk(KERN_EMERG "oops: kernel stack overflow: ESP %08x "
		       "reached the guard page at %08x\n", t->esp,
		       read_cr2() & PAGE_MASK);
	oops_end(cpu);
}

static void (*irq_handlers[NR_PIC_IRQS])(void);

static void pic_set_mask(unsigned int irq, bool masked)
{
	u16 port = irq < 8 ? PIC1_DATA : PIC2_DATA;
	u8 bit = 1u << (irq & 7);

	outb(masked ? inb(port) | bit : inb(port) & ~bit, port);
}

int irq_request_level(unsigned int irq, void (*fn)(void))
{
	u16 elcr = irq < 8 ? ELCR1 : ELCR2;

	/* 0-2: timer, keyboard, cascade are edge-triggered by design. */
	if (irq <= PIC_CASCADE || irq >= NR_PIC_IRQS || irq_handlers[irq])
		return -1;
	irq_handlers[irq] = fn;
	outb(inb(elcr) | 1u << (irq & 7), elcr);
	if (irq >= 8)
		pic_set_mask(PIC_CASCADE, false);
	pic_set_mask(irq, false);
	return 0;
}

void irq_mask(unsigned int irq)
{
	if (irq < NR_PIC_IRQS)
		pic_set_mask(irq, true);
}

/* A requested line: its handler silences the device, then the EOI. */
static bool do_pic_irq(unsigned int irq)
{
	if (irq >= NR_PIC_IRQS || !irq_handlers[irq])
		return false;
	irq_handlers[irq]();
	if (irq >= 8)
		outb(PIC_EOI, PIC2_CMD);
	outb(PIC_EOI, PIC1_CMD);
	return true;
}

void do_trap(struct pt_regs *r)
{
	static bool warned;

	if (r->vector == 2) {
		do_nmi(r);		/* not an oops, unless nmi=panic */
		return;
	}
	if (r->vector < FIRST_IRQ_VECTOR)
		oops(r);
	if (r->vector == SPURIOUS_VECTOR)
		return;
	if (r->vector == SMP_CALL_VECTOR) {
		apic_eoi();		/* the wake-up is all it is for */
		return;
	}
	if (do_pic_irq(r->vector - FIRST_IRQ_VECTOR))
		return;
	/* The other PIC lines are masked and nothing else is wired. */
	if (!warned) {
		warned = true;
		pr_warn("irq: unexpected interrupt, vector %u\n", r->vector);
	}
}

void traps_init_pic(void)
{
	/* Remap the 8259s to vectors 0x20-0x2f (ICW1-4), then mask all. */
	outb(0x11, 0x20); outb(0x11, 0xa0);
	outb(FIRST_IRQ_VECTOR, PIC1_DATA); outb(FIRST_IRQ_VECTOR + 8, PIC2_DATA);
	outb(0x04, PIC1_DATA); outb(0x02, PIC2_DATA);
	outb(0x01, PIC1_DATA); outb(0x01, PIC2_DATA);
	outb(0xff, PIC1_DATA); outb(0xff, PIC2_DATA);
}

void __noreturn cpu_dead(void)
{
	halt_forever();
}

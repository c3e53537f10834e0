// SPDX-License-Identifier: GPL-2.0
/*
 * Non-maskable interrupts: a hypervisor's "inject NMI", a watchdog, a
 * server's NMI button, a memory parity error or an I/O channel check.
 * None of them is fatal here unless "nmi=panic" says so. See
 * Documentation/nmi.md.
 *
 * Two entries, chosen by which IDT is loaded (arch/i386/kernel/desc.c):
 *
 * - Ordinarily vector 2 goes through trap_stubs to do_nmi(): count, read
 *   the reason, clear it, print a line (the first few per CPU), return.
 * - While text is being written (the fixup pass), vector 2 goes to
 *   nmi_text_write_entry (entry.S), which calls only
 *   nmi_text_write_count() below: both are in .text.nmi, which holds no
 *   site and calls nothing outside itself (scripts/nmi-section-check
 *   fails the build otherwise). It counts and returns; the NMIs it
 *   counted are handled by nmi_after_text_write() once the text is whole.
 *
 * Nesting (Intel SDM vol. 3A, 6.7.1 "Handling multiple NMIs"): the CPU
 * blocks further NMIs from the start of the handler until the next IRET.
 * Both entries return with IRET only at their end; an exception inside
 * them is an oops, which halts without IRET, so NMIs stay blocked and
 * nothing recurses. The in_nmi flag catches the case that should not
 * happen (an IRET from something the handler caused) and only counts it.
 */
#include <kernel/printk.h>
#include <kernel/params.h>
#include <kernel/panic.h>
#include <kernel/smpboot.h>
#include <kernel/string.h>
#include <kernel/clock.h>
#include <kernel/selftest.h>
#include <asm/nmi.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/ptrace.h>

/*
 * System control port B (IBM PC/AT Technical Reference, "System control
 * port"; the same bits in every PC chipset since): bit 7 reads memory
 * parity error (SERR# on PCI systems), bit 6 I/O channel check (IOCHK#).
 * Writing 1 to bit 2 (parity) or bit 3 (channel check) clears and
 * disables that source, writing 0 enables it again; bits 4-7 are read
 * only and bits 0-1 (timer 2 gate, speaker) are kept as they are.
 */
#define NMI_REASON_PORT		0x61
#define NMI_REASON_PARITY	0x80
#define NMI_REASON_IOCHK	0x40
#define NMI_REASON_MASK		(NMI_REASON_PARITY | NMI_REASON_IOCHK)
#define NMI_CLEAR_PARITY	0x04
#define NMI_CLEAR_IOCHK		0x08
#define NMI_WRITE_MASK		0x0f
#define NMI_PRINT_FIRST		3	/* lines per CPU, then only counted */
#define NMI_SECTION __attribute__((section(".text.nmi"), noinline, used)) \
	__nothunk

void oops_nmi(struct pt_regs *r);	/* traps.c */

static volatile u32 nmi_count[CONFIG_NR_CPUS];
static volatile u8 in_nmi[CONFIG_NR_CPUS];
static u32 nmi_printed[CONFIG_NR_CPUS];
static u32 nmi_nested, nmi_unprinted;
/* The count when this CPU's LINT1 was set up: 1 + count, 0 if not yet. */
static u32 lint1_base[CONFIG_NR_CPUS];
static bool lint1_nmi[CONFIG_NR_CPUS];
static bool nmi_panic, nmi_lint1_all;
static volatile bool nmi_say_all;	/* nmi_test_lock_order: no limit */

/* Counted by .text.nmi while text was written; read after. */
static volatile u32 text_write_nmis;
static volatile u8 text_write_reason;

static int __init set_nmi(const char *val)
{
	if (val && !strcmp(val, "panic"))
		nmi_panic = true;
	else if (val && !strcmp(val, "continue"))
		nmi_panic = false;
	else
		return -1;
	return 0;
}
__setup("nmi", set_nmi);

/*
 * Test only: every CPU's LINT1 delivers NMIs, not just the boot CPU's.
 * QEMU's monitor "nmi" raises LINT1 on every CPU, so this shows the APs'
 * NMI path at work; on a PC only the boot CPU's LINT1 is wired.
 */
__setup_flag("nmi_test_lint1_all", nmi_lint1_all);

static int this_cpu(void)
{
	int cpu = smp_processor_id();

	return cpu >= 0 && cpu < CONFIG_NR_CPUS ? cpu : 0;
}

/* .text.nmi: no site, no lock, no call out. Interrupts are off. */
void NMI_SECTION nmi_text_write_count(void)
{
	int cpu = smp_processor_id();

	if (cpu < 0 || cpu >= CONFIG_NR_CPUS)
		cpu = 0;
	nmi_count[cpu]++;
	text_write_nmis++;
	text_write_reason |= inb(NMI_REASON_PORT) & NMI_REASON_MASK;
}

/*
 * Read the reason; clear and re-enable what is latched. Boot CPU only.
 * Not inlined: one copy in .text serves the NMI handler and the text
 * write's deferred NMIs (a copy in the re-patch region costs 70 bytes).
 */
static u8 __attribute__((noinline)) nmi_reason_clear(void)
{
	u8 port = inb(NMI_REASON_PORT), reason = port & NMI_REASON_MASK;
	u8 clear = 0;

	if (reason & NMI_REASON_PARITY)
		clear |= NMI_CLEAR_PARITY;
	if (reason & NMI_REASON_IOCHK)
		clear |= NMI_CLEAR_IOCHK;
	if (clear) {
		port &= NMI_WRITE_MASK;
		outb(port | clear, NMI_REASON_PORT);
		outb(port & ~clear, NMI_REASON_PORT);
	}
	return reason;
}

static const char *reason_name(u8 reason)
{
	if (reason & NMI_REASON_PARITY)
		return reason & NMI_REASON_IOCHK ?
			"memory parity or SERR# and I/O channel check" :
			"memory parity error or PCI SERR#";
	if (reason & NMI_REASON_IOCHK)
		return "I/O channel check";
	return "unknown reason";
}

bool nmi_here(void)
{
	return in_nmi[this_cpu()];
}

/*
 * Print about one NMI, the first few per CPU. In NMI context printk
 * takes no lock and reads no clock: the line waits in a ring of this
 * CPU's until the next printk or idle loop writes it out (printk.c), so
 * it never cuts into a line being written and never waits for a lock.
 */
static void nmi_say(int cpu, u8 reason)
{
	if (nmi_say_all)
		nmi_printed[cpu] = 0;
	if (nmi_printed[cpu] > NMI_PRINT_FIRST) {
		nmi_unprinted++;
		return;
	}
	if (++nmi_printed[cpu] > NMI_PRINT_FIRST)
		printk(KERN_WARNING "nmi: CPU%d: more NMIs: counted, not "
		       "printed\n", cpu);
	else
		printk(KERN_WARNING "nmi: CPU%d: %s 0x%02x, continuing\n",
		       cpu, reason_name(reason), reason);
}

/* After an idle loop's sti, before its hlt: return past the hlt (entry.S). */
static void nmi_leave_idle(struct pt_regs *r)
{
	if (r->eip == (u32)(uintptr_t)safe_halt_hlt)
		r->eip++;			/* hlt is one byte, f4 */
}

void do_nmi(struct pt_regs *r)
{
	int cpu = this_cpu();
	u8 reason;

	nmi_leave_idle(r);
	nmi_count[cpu]++;
	if (in_nmi[cpu]) {
		nmi_nested++;		/* see the comment at the top */
		return;
	}
	in_nmi[cpu] = 1;
	reason = cpu == 0 ? nmi_reason_clear() : 0;
	if (nmi_panic)
		oops_nmi(r);		/* does not return */
	nmi_say(cpu, reason);
	in_nmi[cpu] = 0;
}

bool nmi_lint1_enabled(bool boot_cpu)
{
	return boot_cpu || nmi_lint1_all;
}

void nmi_lint1_set_up(bool nmi)
{
	int cpu = this_cpu();

	lint1_nmi[cpu] = nmi;
	lint1_base[cpu] = nmi_count[cpu] + 1;
}

/* __repatch: after boot, only a re-patch writes text (arch/i386/fixup/). */
void __repatch nmi_after_text_write(void)
{
	u32 n = text_write_nmis;
	u8 reason = text_write_reason;

	text_write_nmis = 0;
	text_write_reason = 0;
	if (!n)
		return;
	printk(KERN_INFO "fixup: %u NMI%s arrived during the pass, handled "
	       "after\n", n, n == 1 ? "" : "s");
	if (reason)
		nmi_reason_clear();
	if (nmi_panic) {
		/* The oops an NMI would have given, through the same gate. */
		printk(KERN_EMERG "nmi: nmi=panic: raising the NMI that came "
		       "during the pass again\n");
		__asm__ __volatile__("int $2");
	}
	nmi_say(0, reason);
}

void nmi_report_early(void)
{
	printk(KERN_INFO "nmi: CPU0: %u NMIs on the early IDT\n",
	       nmi_count[0]);
}

void nmi_report_counts(void)
{
	int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
#ifdef CONFIG_SMP
		if (cpu && !cpu_online(cpu))
			continue;
#else
		if (cpu)
			break;
#endif
		if (lint1_base[cpu])
			printk(KERN_INFO "nmi: CPU%d: %u NMIs, %u after its "
			       "LINT1 was %s\n", cpu, nmi_count[cpu],
			       nmi_count[cpu] - (lint1_base[cpu] - 1),
			       lint1_nmi[cpu] ? "set to NMI" : "masked");
		else
			printk(KERN_INFO "nmi: CPU%d: %u NMIs\n", cpu,
			       nmi_count[cpu]);
	}
	if (nmi_nested || nmi_unprinted)
		printk(KERN_INFO "nmi: %u not printed, %u nested\n",
		       nmi_unprinted, nmi_nested);
}

#ifdef CONFIG_SELFTESTS
/* The NMI's frame after the idle loop's sti: it returns past the hlt. */
SELFTEST(nmi_after_sti)
{
	struct pt_regs r;
	u32 hlt = (u32)(uintptr_t)safe_halt_hlt;

	memset(&r, 0, sizeof(r));
	r.eip = hlt;
	nmi_leave_idle(&r);
	if (*(const u8 *)safe_halt_hlt != 0xf4 || r.eip != hlt + 1) {
		selftest_diag("hlt at 0x%08x (byte 0x%02x), return to 0x%08x",
			      hlt, *(const u8 *)safe_halt_hlt, r.eip);
		return SELFTEST_FAIL;
	}
	r.eip = hlt + 1;		/* an NMI that ended the hlt */
	nmi_leave_idle(&r);
	if (r.eip != hlt + 1) {
		selftest_diag("an NMI during the hlt returns to 0x%08x",
			      r.eip);
		return SELFTEST_FAIL;
	}
	return SELFTEST_PASS;
}
#endif

#ifdef CONFIG_SMP
/*
 * Test only: nmi_test_lock_order=K. After the self-tests CPU1 prints in a
 * loop (log only, KERN_DEBUG) while CPU0 reads the clock in a loop, until
 * CPU0 has counted K more NMIs, each of which says its line: the printing
 * CPU holds the console lock and waits for the clock lock, the NMI comes
 * while CPU0 holds the clock lock (Documentation/nmi.md, "Locks").
 */
static u32 lock_order_nmis;
static volatile bool lock_order_stop;
static volatile u32 lock_order_lines, lock_order_reads;

static int __init set_lock_order(const char *val)
{
	if (param_uint(val, &lock_order_nmis) || !lock_order_nmis)
		return -1;
	return 0;
}
__setup("nmi_test_lock_order", set_lock_order);

static void lock_order_work(void *arg)
{
	u32 end = *(const u32 *)arg;

	if (smp_processor_id() == 0) {
		while ((s32)(nmi_count[0] - end) < 0) {
			clock_ns();
			lock_order_reads++;
		}
		lock_order_stop = true;
	} else if (smp_processor_id() == 1) {
		while (!lock_order_stop)
			printk(KERN_DEBUG "nmi: lock order %u\n",
			       lock_order_lines++);
	}
}

void nmi_test_lock_order(void)
{
	u32 end = nmi_count[0] + lock_order_nmis;

	if (!lock_order_nmis)
		return;
	if (num_online_cpus() < 2) {
		pr_warn("nmi: nmi_test_lock_order: needs two CPUs\n");
		return;
	}
	nmi_say_all = true;
	smp_call_all(lock_order_work, &end);
	nmi_say_all = false;
	printk(KERN_INFO "nmi: nmi_test_lock_order: %u NMIs on CPU0 while "
	       "CPU1 printed %u lines and CPU0 read the clock %u times\n",
	       lock_order_nmis, lock_order_lines, lock_order_reads);
}
#else
void nmi_test_lock_order(void)
{
}
#endif

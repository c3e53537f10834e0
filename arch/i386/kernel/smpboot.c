/*
 * Starting the application processors. See the MultiProcessor
 * Specification 1.4, Appendix B.4 "Application Processor Startup", and
 * Intel SDM vol. 3A, 8.4.4 "MP initialization example".
 *
 * The boot CPU runs this after the fixup pass, after free_initmem() and
 * after the text was made read-only: no AP ever sees a site being
 * rewritten. One AP at a time: INIT, 10 ms, STARTUP, 200 us, STARTUP,
 * 200 us, then wait for it to call in. The AP runs the trampoline
 * (arch/i386/boot/trampoline.S) at TRAMPOLINE_PHYS and arrives in
 * start_secondary() on its own stack. A CPU that does not call in within
 * CALLIN_TIMEOUT_MS is reported, put back to sleep with INIT and skipped.
 *
 * smp_start_cpu() is the one path for the CPUs of the census at boot and
 * for a CPU hot-added later (arch/i386/kernel/hotplug.c): everything it
 * needs outlives boot. The trampoline page is conventional memory below
 * 1 MiB that the page allocator never gets (it starts above the kernel)
 * and that stays identity-mapped read-write; the stacks, GDTs, TSSs and
 * double-fault tasks are static, one per logical CPU number.
 */
#include <kernel/smpboot.h>
#include <kernel/smp.h>
#include <asm/fixup.h>
#include <kernel/printk.h>
#include <kernel/params.h>
#include <kernel/clock.h>
#include <kernel/string.h>
#include <asm/trampoline.h>
#include <asm/apic.h>
#include <asm/barrier.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <kernel/module.h>

#define CALLIN_TIMEOUT_MS	2000
#define CMOS_INDEX		0x70
#define CMOS_DATA		0x71
#define CMOS_SHUTDOWN		0x0f	/* shutdown status byte */
#define  SHUTDOWN_JMP_467	0x0a	/* warm reset: jmp far [40:67] */
#define WARM_RESET_VECTOR	0x467	/* BIOS data area 40:67 */
#define TP_OFFSET(f)	__builtin_offsetof(struct trampoline_params, f)

/* Each AP's stack, above an unmapped guard page (mm/protect.c). */
struct ap_stack ap_stacks[CONFIG_NR_CPUS] __section(".bss.page_aligned");
static u8 apic_ids[CONFIG_NR_CPUS];
static volatile bool online[CONFIG_NR_CPUS];
/*
 * A number once given to a CPU that did not answer, or that stopped but
 * was not ejected, is never given again: that CPU may still wake up (an
 * NMI) on the stack that number owns.
 */
static bool retired[CONFIG_NR_CPUS];
static unsigned int nr_online = 1;

/*
 * The call-in: one word per CPU number that the AP and the boot CPU each
 * swap once (xchg, which the CPU locks itself: no fixup site). The first
 * swap decides, for both: an AP that finds it given up halts, and the
 * boot CPU's INIT puts it back to sleep; a boot CPU that finds it up
 * counts it online, even when its time-out had just passed.
 */
#define CALLIN_WAITING	0	/* set by the boot CPU before the IPIs */
#define CALLIN_UP	1	/* the AP swapped first */
#define CALLIN_GIVEN_UP	2	/* the boot CPU swapped first */
static volatile u32 callin[CONFIG_NR_CPUS];

static int noanswer_cpu = -1, late_cpu = -1, restart_cpu = -1;
static volatile bool late_given_up, late_answered;

/* A test parameter's CPU number: 1 .. CONFIG_NR_CPUS - 1 (0 boots). */
static int __init param_ap(const char *val, int *cpu)
{
	unsigned int n;

	if (param_uint(val, &n) || n == 0 || n >= CONFIG_NR_CPUS)
		return -1;
	*cpu = n;
	return 0;
}

/*
 * Test only: CPU N gets its start-up IPIs but halts before calling in, so
 * that the boot CPU's time-out and recovery can be seen working.
 */
static int __init set_noanswer(const char *val)
{
	return param_ap(val, &noanswer_cpu);
}
__setup("smp_test_noanswer", set_noanswer);

/*
 * Test only: CPU N calls in just too late, once the boot CPU has given it
 * up and before the INIT that puts it back to sleep: the boot CPU waits
 * for that answer before it sends the INIT.
 */
static int __init set_late(const char *val)
{
	return param_ap(val, &late_cpu);
}
__setup("smp_test_late", set_late);

/*
 * Test only: CPU N is stopped as a hot-remove stops it, its number freed
 * as after its eject, and started again as a hot-add starts a CPU: the
 * same number for the same APIC id, without QEMU's device_del (which
 * breaks QEMU 7.2's next device_add, Documentation/hotplug.md).
 */
static int __init set_restart(const char *val)
{
	return param_ap(val, &restart_cpu);
}
__setup("smp_test_restart", set_restart);

static u32 callin_swap(int cpu, u32 v)
{
	return __atomic_exchange_n(&callin[cpu], v, __ATOMIC_SEQ_CST);
}

bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < CONFIG_NR_CPUS && online[cpu];
}
EXPORT_SYMBOL(cpu_online);

unsigned int num_online_cpus(void)
{
	return nr_online;
}
EXPORT_SYMBOL(num_online_cpus);

u32 cpu_apic_id(int cpu)
{
	return apic_ids[cpu];
}

int cpu_of_apic(u32 apicid)
{
	int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (online[cpu] && apic_ids[cpu] == apicid)
			return cpu;
	return -1;
}

/* The AP's C entry, from the trampoline: paging on, interrupts off. */
static void __noreturn start_secondary(int cpu)
{
	bool up;

	cpu_load_descriptors(cpu);	/* GDT, IDT and its own TSS */
	if (cpu_has(&boot_cpu_data, X86_FEATURE_FPU))
		__asm__ __volatile__("fninit");
	apic_setup_cpu(false);
	if (cpu == noanswer_cpu)
		halt_forever();
	while (cpu == late_cpu && !late_given_up)
		cpu_relax();
	up = callin_swap(cpu, CALLIN_UP) == CALLIN_WAITING;
	if (cpu == late_cpu)
		late_answered = true;
	if (!up)
		halt_forever();		/* given up: the INIT is coming */
	smp_idle(cpu);
}

static void cmos_write(u8 reg, u8 v)
{
	outb(reg, CMOS_INDEX);
	outb(v, CMOS_DATA);
}

/*
 * MP spec B.4: before INIT, the shutdown code says "warm reset" and the
 * vector at 40:67 points at the trampoline, for systems whose INIT goes
 * through the BIOS. Page 0 is unmapped (NULL faults): map it meanwhile.
 */
static void set_warm_reset_vector(u32 phys)
{
	volatile u16 *v;
	u32 a = WARM_RESET_VECTOR;

	__asm__("" : "+r"(a));		/* a pointer into page 0, on purpose */
	v = (volatile u16 *)(uintptr_t)a;
	cmos_write(CMOS_SHUTDOWN, phys ? SHUTDOWN_JMP_467 : 0);
	map_page(0, PTE_RW);
	v[0] = phys & 0xf;		/* offset */
	v[1] = phys >> 4;		/* segment */
	unmap_page(0);
}

static bool wait_callin(int cpu)
{
	u64 end = clock_ns() + (u64)CALLIN_TIMEOUT_MS * 1000000;

	while (clock_ns() < end) {
		if (callin[cpu] == CALLIN_UP)
			return true;
		cpu_relax();
	}
	return callin_swap(cpu, CALLIN_GIVEN_UP) == CALLIN_UP;
}

/* smp_test_late: the AP answers now, the INIT waits for that. */
static void answer_late(int cpu)
{
	u64 end = clock_ns() + (u64)CALLIN_TIMEOUT_MS * 1000000;

	late_given_up = true;
	while (!late_answered && clock_ns() < end)
		cpu_relax();
	printk(KERN_INFO "smp: smp_test_late: CPU%d %s after it was given "
	       "up\n", cpu, late_answered ? "answered" : "did not answer");
}

/* Copy the trampoline to its page and fill in its parameters for cpu. */
static void setup_trampoline(int cpu)
{
	u8 *low = (u8 *)(uintptr_t)TRAMPOLINE_PHYS;
	struct trampoline_params *tp;

	BUILD_BUG_ON(TP_OFFSET(cr3) != TP_CR3 || TP_OFFSET(cr0) != TP_CR0 ||
		     TP_OFFSET(esp) != TP_ESP || TP_OFFSET(entry) != TP_ENTRY ||
		     TP_OFFSET(cpu) != TP_CPU);
	memcpy(low, trampoline_start, trampoline_end - trampoline_start);
	tp = (struct trampoline_params *)
		(low + (trampoline_params - trampoline_start));
	tp->cr3 = read_cr3();
	tp->cr0 = read_cr0();
	tp->entry = (u32)(uintptr_t)start_secondary;
	tp->esp = (u32)(uintptr_t)(ap_stacks[cpu].stack + AP_STACK_SIZE);
	tp->cpu = cpu;
	smp_wmb();
}

static bool start_cpu(int cpu, u32 apicid)
{
	bool up;
	u32 esr;
	int i;

	setup_trampoline(cpu);
	smp_call_reset(cpu);		/* a number may be given again */
	callin[cpu] = CALLIN_WAITING;
	set_warm_reset_vector(TRAMPOLINE_PHYS);
	apic_esr();			/* clear old errors */
	apic_send_ipi(apicid, APIC_ICR_INIT | APIC_ICR_LEVEL |
		      APIC_ICR_ASSERT);
	udelay(10000);
	apic_send_ipi(apicid, APIC_ICR_INIT | APIC_ICR_LEVEL);
	for (i = 0; i < 2; i++) {
		apic_send_ipi(apicid, APIC_ICR_STARTUP | TRAMPOLINE_VECTOR);
		udelay(200);
	}
	esr = apic_esr() & 0xef;	/* bit 4 is no error here */
	if (esr)
		pr_warn("smp: CPU%d (apic %u): APIC error 0x%02x while "
			"starting it\n", cpu, apicid, esr);
	up = wait_callin(cpu);
	if (!up) {
		if (cpu == late_cpu)
			answer_late(cpu);
		/* Back to wait-for-SIPI: it must not wake up later on a
		   stack and trampoline given to the next CPU. */
		apic_send_ipi(apicid, APIC_ICR_INIT | APIC_ICR_LEVEL |
			      APIC_ICR_ASSERT);
	}
	set_warm_reset_vector(0);
	return up;
}

int smp_start_cpu(u32 apicid)
{
	int cpu;

	for (cpu = 1; cpu < CONFIG_NR_CPUS; cpu++)
		if (!online[cpu] && !retired[cpu])
			break;
	if (cpu == CONFIG_NR_CPUS) {
		pr_warn("smp: apic %u not started: all %d CPU numbers are "
			"taken (CONFIG_NR_CPUS)\n", apicid, CONFIG_NR_CPUS);
		return -1;
	}
	apic_ids[cpu] = apicid;
	if (!start_cpu(cpu, apicid)) {
		retired[cpu] = true;
		pr_err("smp: CPU%d (apic %u) did not answer in %u ms, "
		       "skipped\n", cpu, apicid, CALLIN_TIMEOUT_MS);
		return -1;
	}
	online[cpu] = true;
	nr_online++;
	printk(KERN_INFO "smp: CPU%d (apic %u) up\n", cpu, apicid);
	return cpu;
}

bool smp_stop_cpu(int cpu)
{
	if (cpu <= 0 || !cpu_online(cpu))
		return false;
	if (!smp_call_stop(cpu))
		return false;
	online[cpu] = false;
	retired[cpu] = true;		/* until smp_cpu_gone() */
	nr_online--;
	return true;
}

void smp_cpu_gone(int cpu)
{
	if (cpu > 0 && cpu < CONFIG_NR_CPUS && !online[cpu])
		retired[cpu] = false;
}

/* smp_test_restart: out as a hot-remove, in again as a hot-add. */
static void restart(int cpu)
{
	u32 apicid = apic_ids[cpu];

	if (!smp_stop_cpu(cpu)) {
		pr_err("smp: smp_test_restart: CPU%d did not stop\n", cpu);
		return;
	}
	smp_cpu_gone(cpu);		/* as after its eject */
	printk(KERN_INFO "smp: smp_test_restart: CPU%d (apic %u) stopped, "
	       "its number free\n", cpu, apicid);
	smp_start_cpu(apicid);
}

void smp_boot_cpus(unsigned int ncpus)
{
	unsigned int i, left = ncpus - 1;

	apic_ids[0] = apic_id();
	online[0] = true;
	/* Without a local APIC, smp_count_cpus() already counted one CPU. */
	if (left && fixup_forced_up()) {
		pr_warn("smp: fixup=up: uniprocessor variants (no lock "
			"prefixes) are not safe on several CPUs: %u other "
			"CPU%s not started\n", left, left == 1 ? "" : "s");
		left = 0;
	}
	for (i = 1; i <= left; i++)
		smp_start_cpu(smp_census.apic_id[i]);
	if (cpu_online(restart_cpu))
		restart(restart_cpu);
	printk(KERN_INFO "smp: %u CPU%s online\n", nr_online,
	       nr_online == 1 ? "" : "s");
}

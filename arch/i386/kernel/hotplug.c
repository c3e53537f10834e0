/*
 * CPUs that arrive and leave while the kernel runs, on QEMU's PIIX4 ACPI
 * device: its CPU hotplug register block at I/O port 0xaf00, "modern"
 * interface (QEMU docs/specs/acpi_cpu_hotplug.rst; what QEMU 7.2 does
 * exactly: hw/acpi/cpu.c and, for the switch from the legacy interface,
 * hw/acpi/cpu_hotplug.c), and the ACPI SCI that announces an event: the
 * FADT's SCI_INT, SMI_CMD/ACPI_ENABLE and PM1a_CNT.SCI_EN, GPE0 status
 * and enable bit 2 (ACPI 6.5, 5.2.9 and 4.8: QEMU's _E02 handler is the
 * CPU scan). An ACPI OS reaches the block through AML (\_SB.CPUS); this
 * kernel has no AML interpreter and talks to it directly.
 *
 * The block is QEMU's own, at an address only its AML names, so the
 * kernel looks for it only where QEMU's FADT says it is QEMU's PIIX4
 * (OEM ID "BOCHS ", GPE0 at 0xafe0); anywhere else: one line, no hot-add.
 *
 * The SCI handler only acknowledges GPE0 bit 2 and marks work pending;
 * the boot CPU's idle loop (hotplug_idle(), end of rest_init()) does the
 * work with interrupts on. Documentation/hotplug.md tells the whole story.
 */
#include <kernel/smpboot.h>
#include <kernel/smp.h>
#include <kernel/printk.h>
#include <kernel/params.h>
#include <kernel/clock.h>
#include <kernel/math64.h>
#include <kernel/string.h>
#include <kernel/hotplug.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/fixup.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/processor.h>

#define QEMU_OEM_ID	"BOCHS "	/* QEMU's ACPI tables */
#define PIIX4_GPE0_BLK	0xafe0		/* QEMU's PIIX4 PM: GPE0, 4 bytes */

/* The modern register block (acpi_cpu_hotplug.rst), little-endian. */
#define CPUHP_BASE	0xaf00		/* PIIX4 PM */
#define CPUHP_SELECTOR	0		/* write, dword: CPU selector */
#define CPUHP_DATA2	0		/* read, dword: command data 2 */
#define CPUHP_FLAGS	4		/* byte: status / control */
#define  CPUHP_ENABLED		0x01	/* read: present */
#define  CPUHP_INSERT		0x02	/* read: insert event; write: clear */
#define  CPUHP_REMOVE		0x04	/* read: remove event; write: clear */
#define  CPUHP_EJECT		0x08	/* write: eject the selected CPU */
#define CPUHP_CMD	5		/* write, byte: command */
#define  CPUHP_CMD_NEXT_EVENT	0	/* select the next CPU with an event */
#define  CPUHP_CMD_GET_ID	3	/* command data: its APIC id */
#define CPUHP_DATA	8		/* read, dword: command data */

#define GPE_CPU_HOTPLUG	0x04		/* GPE0 bit 2 */
#define ACPI_ENABLE_MS	1000		/* for SCI_EN after ACPI_ENABLE */
#define MAX_EVENTS	256		/* per pass: a selector per APIC id */
#define SPURIOUS_SCIS	1000		/* in a row, then the line is masked */

static bool ready;			/* the block and the SCI are ours */
static u16 gpe0_sts, gpe0_en;
static unsigned int sci_irq;
static volatile bool pending;		/* the SCI saw GPE0 bit 2 */
static volatile u64 sci_ns;		/* when, for the first of a batch */
static unsigned int nr_parked;		/* stopped, but not ejected */
static bool no_repatch;

/*
 * Test only: start a hot-added CPU without re-patching the UP variants,
 * the negative control of the SMP self-tests (lost updates).
 */
__setup_flag("hotplug_test_no_repatch", no_repatch);

static void select_cpu(u32 sel)
{
	outl(sel, CPUHP_BASE + CPUHP_SELECTOR);
}

/* The SCI: acknowledge our GPE, leave the rest to the idle loop. */
static void hotplug_sci(void)
{
	static unsigned int spurious;
	u8 sts = inb(gpe0_sts);

	if (sts & GPE_CPU_HOTPLUG) {
		outb(GPE_CPU_HOTPLUG, gpe0_sts);	/* write 1 to clear */
		if (!pending)
			sci_ns = clock_ns();
		pending = true;
		spurious = 0;
		return;
	}
	/* Only bit 2 is enabled: a level SCI without it is not ours. */
	if (++spurious == SPURIOUS_SCIS) {
		irq_mask(sci_irq);
		pr_warn("hotplug: %u SCIs without a CPU hotplug event (GPE0 "
			"status 0x%02x): IRQ %u masked, hot-add off\n",
			SPURIOUS_SCIS, sts, sci_irq);
	}
}

/* ACPI mode: ACPI_ENABLE to SMI_CMD, then wait for SCI_EN. */
static const char *acpi_enable(void)
{
	const struct acpi_fadt *f = &acpi_fadt;
	u64 end;

	if (!f->pm1a_cnt)
		return "the FADT has no PM1a control block";
	if (inw(f->pm1a_cnt) & ACPI_PM1_SCI_EN)
		return NULL;
	if (!f->smi_cmd || !f->acpi_enable)
		return "SCI_EN is clear and the FADT has no SMI_CMD";
	outb(f->acpi_enable, f->smi_cmd);
	end = clock_ns() + ACPI_ENABLE_MS * 1000000ull;
	while (!(inw(f->pm1a_cnt) & ACPI_PM1_SCI_EN)) {
		if (clock_ns() > end)
			return "SCI_EN stayed clear after ACPI_ENABLE";
		cpu_relax();
	}
	return NULL;
}

/*
 * The spec's detection: write 0 at the base (QEMU 7.2 starts in legacy
 * mode, whose present-CPU bitmap sits there; a 0 written at offset 0 is
 * the switch to modern), select CPU 0, command 0; command data 2 then
 * reads 0 (the legacy bitmap would read our own CPU's bit). Then CPU 0
 * must be present and be the boot CPU.
 */
static const char *find_block(void)
{
	outb(0, CPUHP_BASE);
	select_cpu(0);
	outb(CPUHP_CMD_NEXT_EVENT, CPUHP_BASE + CPUHP_CMD);
	select_cpu(0);		/* "next event" may have moved it */
	if (inl(CPUHP_BASE + CPUHP_DATA2))
		return "no modern interface at 0xaf00";
	if (!(inb(CPUHP_BASE + CPUHP_FLAGS) & CPUHP_ENABLED))
		return "CPU 0 at 0xaf00 is not present";
	outb(CPUHP_CMD_GET_ID, CPUHP_BASE + CPUHP_CMD);
	if (inl(CPUHP_BASE + CPUHP_DATA) != cpu_apic_id(0))
		return "CPU 0 at 0xaf00 is not the boot CPU";
	return NULL;
}

static const char *setup(void)
{
	const struct acpi_fadt *f = &acpi_fadt;
	const char *why;

	if (!lapic)
		return "no local APIC";
	if (!f->found)
		return "no FADT";
	if (memcmp(f->oem_id, QEMU_OEM_ID, 6) || f->gpe0_blk != PIIX4_GPE0_BLK ||
	    f->gpe0_len < 2)
		return "not QEMU's PIIX4 ACPI device";
	if (f->sci_int >= NR_PIC_IRQS)
		return "SCI is not an 8259 IRQ";
	why = find_block();
	if (why)
		return why;
	why = acpi_enable();
	if (why)
		return why;
	gpe0_sts = f->gpe0_blk;
	gpe0_en = f->gpe0_blk + f->gpe0_len / 2;
	sci_irq = f->sci_int;
	/* Only our event raises the SCI: no PM1 events, one GPE. */
	if (f->pm1a_evt && f->pm1_evt_len >= 4)
		outw(0, f->pm1a_evt + f->pm1_evt_len / 2);
	outb(0, gpe0_en);
	outb(0xff, gpe0_sts);
	if (irq_request_level(sci_irq, hotplug_sci))
		return "SCI IRQ is taken";
	apic_lint0_extint();
	outb(GPE_CPU_HOTPLUG, gpe0_en);
	return NULL;
}

void hotplug_init(void)
{
	const char *why = setup();

	if (why) {
		printk(KERN_INFO "hotplug: no CPU hot-add: %s\n", why);
		return;
	}
	ready = true;
	printk(KERN_INFO "hotplug: ACPI CPU hotplug at 0x%x, SCI IRQ %u, "
	       "GPE0 at 0x%x bit 2\n", CPUHP_BASE, sci_irq, gpe0_sts);
}

#ifdef CONFIG_FIXUP
static bool runs_up_variants(void)
{
	return fixup_applied && !fixup_smp;
}

static bool runs_smp_variants(void)
{
	return fixup_applied && fixup_smp;
}
#else
static bool runs_up_variants(void) { return false; }
static bool runs_smp_variants(void) { return false; }
#endif

static u32 us_since(u64 t)
{
	return (u32)div_u64(clock_ns() - t, 1000);
}

/* An insert event: start the CPU if that is safe and allowed. */
static bool cpu_add(u32 apicid, u64 t_sci)
{
	unsigned int n = num_online_cpus();
	int cpu;

	if (cpu_of_apic(apicid) >= 0) {
		printk(KERN_INFO "hotplug: apic %u is already online\n",
		       apicid);
		return false;
	}
	if (fixup_forced_up()) {
		pr_warn("hotplug: apic %u not started: fixup=up chose "
			"uniprocessor variants, not safe on several CPUs\n",
			apicid);
		return false;
	}
	if (n + nr_parked >= smp_possible_cpus()) {
		pr_warn("hotplug: apic %u not started: %u of %u possible "
			"CPUs in use (nohotplug, possible_cpus=)\n", apicid,
			n + nr_parked, smp_possible_cpus());
		return false;
	}
	if (runs_up_variants() && no_repatch) {
		pr_warn("hotplug: hotplug_test_no_repatch: apic %u starts "
			"on uniprocessor variants: SMP IS BROKEN ON "
			"PURPOSE\n", apicid);
	} else if (runs_up_variants() &&
		   fixup_repatch(true, n + 1, "hotplug")) {
		pr_warn("hotplug: apic %u not started: the kernel runs "
			"uniprocessor variants and kept nothing to re-patch "
			"them\n", apicid);
		return false;
	}
	cpu = smp_start_cpu(apicid);
	if (cpu < 0)
		return false;
	printk(KERN_INFO "hotplug: add apic=%u cpu=%d online=%u "
	       "sci_to_up_us=%u\n", apicid, cpu, num_online_cpus(),
	       us_since(t_sci));
	return true;
}

/* After the CPU at selector sel was stopped, or never ran: eject it. */
static bool eject(u32 sel)
{
	select_cpu(sel);
	outb(CPUHP_EJECT, CPUHP_BASE + CPUHP_FLAGS);
	select_cpu(sel);
	return !(inb(CPUHP_BASE + CPUHP_FLAGS) & CPUHP_ENABLED);
}

/* A remove event: stop the CPU in its idle loop, eject it. */
static bool cpu_remove(u32 apicid, u32 sel)
{
	int cpu = cpu_of_apic(apicid);
	bool gone;

	if (cpu == 0) {
		pr_warn("hotplug: apic %u is the boot CPU: not removed\n",
			apicid);
		return false;
	}
	if (cpu > 0 && !smp_stop_cpu(cpu)) {
		pr_warn("hotplug: CPU%d (apic %u) did not stop: not "
			"ejected\n", cpu, apicid);
		return false;
	}
	gone = eject(sel);
	if (gone && cpu > 0)
		smp_cpu_gone(cpu);
	if (!gone && cpu > 0)
		nr_parked++;
	printk(KERN_INFO "hotplug: remove apic=%u cpu=%d online=%u "
	       "ejected=%s\n", apicid, cpu, num_online_cpus(),
	       gone ? "yes" : "no");
	if (!gone) {
		pr_warn("hotplug: apic %u is still present after its eject: "
			"%s\n", apicid, cpu > 0 ? "it stays halted, its CPU "
			"number taken, SMP variants stay" : "not ours");
		return cpu > 0;
	}
	if (num_online_cpus() == 1 && !nr_parked && runs_smp_variants() &&
	    fixup_repatch(false, 1, "hotplug"))
		printk(KERN_INFO "hotplug: one CPU left, SMP variants stay "
		       "(nothing kept to re-patch)\n");
	return cpu > 0;
}

/* Every CPU with an event, one at a time, until none is left. */
static bool handle_events(u64 t_sci)
{
	bool changed = false;
	unsigned int i;
	u32 sel, apicid;
	u8 f;

	for (i = 0; i < MAX_EVENTS; i++) {
		select_cpu(0);
		outb(CPUHP_CMD_NEXT_EVENT, CPUHP_BASE + CPUHP_CMD);
		f = inb(CPUHP_BASE + CPUHP_FLAGS);
		if (!(f & (CPUHP_INSERT | CPUHP_REMOVE)))
			break;
		sel = inl(CPUHP_BASE + CPUHP_DATA);
		outb(CPUHP_CMD_GET_ID, CPUHP_BASE + CPUHP_CMD);
		apicid = inl(CPUHP_BASE + CPUHP_DATA);
		/* Cleared first: a CPU refused is not asked about again. */
		outb(f & CPUHP_INSERT ? CPUHP_INSERT : CPUHP_REMOVE,
		     CPUHP_BASE + CPUHP_FLAGS);
		if (apicid >= 0xff) {
			pr_warn("hotplug: event for APIC id %u, which needs "
				"x2APIC mode: ignored\n", apicid);
			continue;
		}
		printk(KERN_INFO "hotplug: %s event for apic %u\n",
		       f & CPUHP_INSERT ? "insert" : "remove", apicid);
		if (f & CPUHP_INSERT)
			changed |= cpu_add(apicid, t_sci);
		else
			changed |= cpu_remove(apicid, sel);
	}
	return changed;
}

bool hotplug_idle(void)
{
	bool changed;
	u64 t;

	local_irq_disable();
	if (!ready) {
		halt();
		return false;
	}
	if (!pending) {
		safe_halt();
		local_irq_disable();
		if (!pending)
			return false;
	}
	t = sci_ns;
	pending = false;
	local_irq_enable();
	changed = handle_events(t);
	local_irq_disable();
	return changed;
}

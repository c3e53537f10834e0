/*
 * The local APIC: mapped uncached by the boot CPU, then on every CPU
 * software-enabled with the spurious vector, local interrupts masked but
 * the boot CPU's LINT1, which delivers NMIs as the BIOS's virtual-wire
 * set-up had it (MP spec 1.4, 3.6.2.2; only the boot CPU's is wired, as
 * Linux assumes too: the APs' LINT1 stays masked); and
 * the IPIs that start and wake the other CPUs. See Intel SDM vol. 3A,
 * 10.4.3 "Enabling or disabling the local APIC", 10.6 "Issuing
 * interprocessor interrupts" and 10.9 "Spurious interrupt". Every
 * register write goes through apic_write(), an APIC_WRITE site.
 */
#include <kernel/printk.h>
#include <kernel/clock.h>
#include <asm/apic.h>
#include <asm/page.h>
#include <asm/cpufeature.h>
#include <asm/nmi.h>

#define SPURIOUS_VECTOR	0xff
#define ICR_TIMEOUT_US	10000

volatile u32 *lapic;

u32 apic_id(void)
{
	return lapic ? apic_read(APIC_ID) >> 24 : 0;
}

/* Per CPU: enable, accept all priorities, mask what we do not use. */
void apic_setup_cpu(bool boot_cpu)
{
	bool nmi = nmi_lint1_enabled(boot_cpu);

	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, nmi ? APIC_LVT_DM_NMI : APIC_LVT_MASKED);
	nmi_lint1_set_up(nmi);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	apic_write(APIC_ESR, 0);	/* writes arm the error register */
}

/*
 * The boot CPU's LINT0 takes the 8259's INTR as an ExtINT (virtual wire,
 * MP spec 1.4, 3.6.2.2), for the one PIC line the kernel unmasks: the
 * ACPI SCI (arch/i386/kernel/hotplug.c). An ExtINT needs no APIC EOI.
 */
void apic_lint0_extint(void)
{
	apic_write(APIC_LVT_LINT0, APIC_LVT_DM_EXTINT);
}

/* The error register: a write latches the errors so far for reading. */
u32 apic_esr(void)
{
	apic_write(APIC_ESR, 0);
	return apic_read(APIC_ESR);
}

/*
 * Send an IPI: the destination's APIC id in ICR high, then the command in
 * ICR low, whose write sends it; then wait until the local APIC reports it
 * delivered (SDM vol. 3A, 10.6.1 "Interrupt command register"). False if
 * it stayed pending. One CPU at a time: the boot CPU sends them all.
 */
bool apic_send_ipi(u32 dest_apic_id, u32 cmd)
{
	unsigned int us;

	apic_write(APIC_ICR_HIGH, dest_apic_id << 24);
	apic_write(APIC_ICR_LOW, cmd);
	for (us = 0; us < ICR_TIMEOUT_US; us += 10) {
		if (!(apic_read(APIC_ICR_LOW) & APIC_ICR_BUSY))
			return true;
		udelay(10);
	}
	return false;
}

void apic_init(u32 phys)
{
	if (!cpu_has(&boot_cpu_data, X86_FEATURE_APIC)) {
		printk(KERN_INFO "apic: no local APIC on this CPU\n");
		return;
	}
	map_page(phys, PTE_RW | PTE_PCD);
	lapic = (volatile u32 *)(uintptr_t)phys;
	apic_setup_cpu(true);
	printk(KERN_INFO "apic: local APIC id %u at 0x%08x, version 0x%x\n",
	       apic_id(), phys, apic_read(APIC_VERSION) & 0xff);
}

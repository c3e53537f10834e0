/*
 * CPU hot-add and hot-remove (arch/i386/kernel/hotplug.c,
 * Documentation/hotplug.md).
 */
#ifndef KERNEL_HOTPLUG_H
#define KERNEL_HOTPLUG_H

#include <kernel/types.h>
#include <asm/processor.h>

#ifdef CONFIG_HOTPLUG_CPU
/*
 * After smp_boot_cpus(): find QEMU's CPU hotplug block, switch to ACPI
 * mode and take the SCI; one line either way.
 */
void hotplug_init(void);

/*
 * The boot CPU's idle loop, one turn: halt until an interrupt, then
 * handle the CPUs the SCI announced (start, stop, eject, re-patch), with
 * interrupts on. Returns with interrupts off; true when the online CPUs
 * changed.
 */
bool hotplug_idle(void);
#else
static inline void hotplug_init(void) { }
static inline bool hotplug_idle(void)
{
	local_irq_disable();
	halt();
	return false;
}
#endif

#endif

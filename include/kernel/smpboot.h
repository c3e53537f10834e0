/*
 * Starting the secondary CPUs (arch/i386/kernel/smpboot.c) and running a
 * function on every online CPU (arch/i386/kernel/smp_call.c).
 */
#ifndef KERNEL_SMPBOOT_H
#define KERNEL_SMPBOOT_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define AP_STACK_SIZE		8192

#ifdef CONFIG_SMP
/* An AP's stack and the unmapped guard page below it. */
struct ap_stack {
	u8 guard[4096];
	u8 stack[AP_STACK_SIZE];
} __aligned(4096);

extern struct ap_stack ap_stacks[CONFIG_NR_CPUS];

/*
 * After the fixup pass, free_initmem() and mark_text_ro(): start CPUs
 * 1 .. ncpus - 1 of smp_census (ncpus as smp_count_cpus() returned it),
 * unless fixup=up chose variants that are only safe on one CPU.
 */
void smp_boot_cpus(unsigned int ncpus);

bool cpu_online(int cpu);
unsigned int num_online_cpus(void);
u32 cpu_apic_id(int cpu);
int cpu_of_apic(u32 apicid);	/* the online CPU with that APIC id, or -1 */

/*
 * Boot CPU only, one CPU started or stopped at a time (interrupts off at
 * boot, on from the hotplug idle loop):
 * start the CPU with APIC id apicid (INIT, STARTUP, STARTUP) under the
 * lowest free CPU number and say "smp: CPUn (apic A) up"; the number, or
 * -1 after saying why not. At boot and for a hot-added CPU.
 */
int smp_start_cpu(u32 apicid);

/*
 * Stop an AP from its idle loop (not inside any lock): it marks itself
 * stopped and halts with interrupts off for good. False if it did not
 * answer (it stays online). Its number stays taken until
 * smp_cpu_gone(cpu) says the CPU itself is gone (ejected).
 */
bool smp_stop_cpu(int cpu);
void smp_cpu_gone(int cpu);

/*
 * Run fn(arg) on every online CPU, the caller included, all starting
 * together; return when all have finished. Returns how many CPUs ran it
 * (a CPU that does not answer is reported and left out). Called from one
 * CPU at a time, with interrupts off.
 */
unsigned int smp_call_all(void (*fn)(void *), void *arg);

/* An AP's life after start-up: wait for smp_call_all() work. */
void __noreturn smp_idle(int cpu);

/* smp_call.c's side of smp_start_cpu() and smp_stop_cpu(). */
void smp_call_reset(int cpu);
bool smp_call_stop(int cpu);
#else
static inline void smp_boot_cpus(unsigned int ncpus)
{
	(void)ncpus;
}
#endif

#endif

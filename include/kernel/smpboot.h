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

/*
 * Run fn(arg) on every online CPU, the caller included, all starting
 * together; return when all have finished. Returns how many CPUs ran it
 * (a CPU that does not answer is reported and left out). Called from one
 * CPU at a time, with interrupts off.
 */
unsigned int smp_call_all(void (*fn)(void *), void *arg);

/* An AP's life after start-up: wait for smp_call_all() work. */
void __noreturn smp_idle(int cpu);
#else
static inline void smp_boot_cpus(unsigned int ncpus)
{
	(void)ncpus;
}
#endif

#endif

/* How many CPUs to run, and on which (arch/i386/kernel/mpparse.c). */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/types.h>
#include <asm/mpspec.h>

extern struct smp_census smp_census;

unsigned int smp_count_cpus(u32 ram_top, const char **reason);

/*
 * After smp_count_cpus(): the CPUs that may ever run, those it counted
 * and the ones that may be hot-added (CONFIG_HOTPLUG_CPU), at most
 * CONFIG_NR_CPUS. Equal to smp_count_cpus()'s count when none can be.
 */
unsigned int smp_possible_cpus(void);

#endif

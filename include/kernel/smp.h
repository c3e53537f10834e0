/* How many CPUs to run, and on which (arch/i386/kernel/mpparse.c). */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/types.h>
#include <asm/mpspec.h>

extern struct smp_census smp_census;

unsigned int smp_count_cpus(u32 ram_top, const char **reason);

#endif

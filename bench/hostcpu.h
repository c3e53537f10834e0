/* The host CPU through the kernel's CPUID decoder (bench/hostcpu.c). */
#ifndef BENCH_HOSTCPU_H
#define BENCH_HOSTCPU_H

#include <asm/cpufeature.h>

void host_identify(struct cpuinfo *c);
void host_brand(char *buf, size_t size);

/* fixup_serialize() calls so far (the patcher's serialization). */
extern int bench_serializations;
void fixup_serialize(const struct cpuinfo *c);

#endif

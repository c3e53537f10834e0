/*
 * CPU identification and feature masking (arch/i386/kernel/cpu.c).
 * See Intel SDM vol. 2A "CPUID" and AMD APM vol. 3 "CPUID".
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <kernel/types.h>
#include <asm/cpufeature.h>

/* What one CPUID leaf returned. */
struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

/* Identify the boot CPU: CPUID if present, else 386/486 by EFLAGS. */
void identify_cpu(struct cpuinfo *c);

/*
 * The pure part of identify_cpu(), usable on the host.
 * leaf0/leaf1 are CPUID 0 and 1; leaf1 is ignored when leaf0->eax < 1.
 * ext0/ext1 are CPUID 0x80000000/0x80000001; ext0 may be NULL, and ext1
 * is only looked at when ext0 reports an extended range >= 0x80000001.
 */
void cpuinfo_decode(struct cpuinfo *c, const struct cpuid_regs *leaf0,
		    const struct cpuid_regs *leaf1,
		    const struct cpuid_regs *ext0,
		    const struct cpuid_regs *ext1);

/* A CPU without CPUID: a 486 if EFLAGS.AC toggles, else a 386. */
void cpuinfo_decode_nocpuid(struct cpuinfo *c, bool ac_toggles);

/* True if CPUID 0x80000000 returned a usable extended range. */
bool cpuid_ext_valid(const struct cpuid_regs *ext0);

/* The lower-case name of one X86_FEATURE_* bit, or NULL. */
const char *cpu_feature_name(u32 feature);

/*
 * "fpu,tsc,cx8,..." for the bits set in features, in bit order.
 * Like snprintf: returns the length the full string needs and always
 * NUL-terminates when size > 0.
 */
int cpu_format_features(u32 features, char *buf, size_t size);

/*
 * Parse "sse2,sse,3dnow". *mask gets every known name in the list.
 * Returns 0, or -1 if some name is unknown or empty; *bad then points
 * at the first such name inside list; it ends at the next ',' or at
 * the end of the string (cpu_feature_token_len() gives its length).
 */
int cpu_parse_feature_list(const char *list, u32 *mask, const char **bad);
size_t cpu_feature_token_len(const char *s);

/*
 * Clear the features in mask and everything that depends on them
 * (e.g. sse takes sse2 and sse3 along). Returns the bits that were
 * set before and are clear now.
 */
u32 cpu_apply_clearcpuid(struct cpuinfo *c, u32 mask);

/* mask plus every feature that depends on a feature in it. */
u32 cpu_feature_dependents(u32 mask);

#endif

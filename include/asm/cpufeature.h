/*
 * What the boot CPU is and can do, as found by identify_cpu()
 * (arch/i386/kernel/cpu.c). Feature bits are fixup386's own numbering,
 * gathered from CPUID leaf 1 EDX/ECX and leaf 0x80000001 EDX/ECX; see
 * Intel SDM vol. 2A "CPUID" and AMD APM vol. 3 appendix E.
 */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <kernel/types.h>

#define X86_FEATURE_FPU		(1u << 0)	/* x87 on chip */
#define X86_FEATURE_TSC		(1u << 1)	/* rdtsc */
#define X86_FEATURE_CX8		(1u << 2)	/* cmpxchg8b */
#define X86_FEATURE_APIC	(1u << 3)	/* local APIC on chip */
#define X86_FEATURE_PSE		(1u << 4)	/* 4 MiB pages */
#define X86_FEATURE_PAE		(1u << 5)
#define X86_FEATURE_PGE		(1u << 6)	/* global pages */
#define X86_FEATURE_CMOV	(1u << 7)
#define X86_FEATURE_MMX		(1u << 8)
#define X86_FEATURE_FXSR	(1u << 9)
#define X86_FEATURE_SSE		(1u << 10)
#define X86_FEATURE_SSE2	(1u << 11)
#define X86_FEATURE_SSE3	(1u << 12)
#define X86_FEATURE_MMXEXT	(1u << 13)	/* AMD MMX extensions: movntq */
#define X86_FEATURE_3DNOW	(1u << 14)	/* prefetch/prefetchw */
#define X86_FEATURE_3DNOWEXT	(1u << 15)
#define X86_FEATURE_NX		(1u << 16)
#define X86_FEATURE_NOPL	(1u << 17)	/* 0F 1F long NOP: P6 and later */
#define X86_FEATURE_CPUID	(1u << 18)	/* the CPUID instruction */
#define X86_FEATURE_LM		(1u << 19)	/* long mode (reported only) */
#define X86_FEATURE_HT		(1u << 20)	/* reported only */
#define X86_FEATURE_PREFETCHW	(1u << 21)	/* 0F 0D /1 without all of 3DNow! */
/*
 * Synthetic, as in Linux: not CPUID bits but the Spectre v2 mode chosen
 * at boot (arch/i386/kernel/spectre.c), for the thunk kinds' rules.
 */
#define X86_FEATURE_RETPOLINE	(1u << 22)	/* branches through thunks */
#define X86_FEATURE_RETPOLINE_LFENCE (1u << 23)	/* lfence; branch inline */
#define X86_NR_FEATURES		24

/* Errata and quirks that change what a site may become. */
#define X86_BUG_11AP		(1u << 0)	/* Pentium: APIC writes need xchg */
#define X86_BUG_OOSTORE		(1u << 1)	/* IDT WinChip: stores reorder */
/* Branch target injection; Documentation/spectre.md says what it gets. */
#define X86_BUG_SPECTRE_V2	(1u << 2)

enum x86_vendor {
	X86_VENDOR_UNKNOWN,	/* no CPUID: a 386 or 486 */
	X86_VENDOR_INTEL,
	X86_VENDOR_AMD,
	X86_VENDOR_CENTAUR,	/* IDT/Centaur WinChip, VIA */
	X86_VENDOR_CYRIX,
	X86_VENDOR_NSC,		/* National Semiconductor Geode */
	X86_VENDOR_VORTEX,	/* DM&P Vortex86 */
	X86_VENDOR_ZHAOXIN,
	X86_VENDOR_OTHER,
};

struct cpuinfo {
	char vendor_name[13];	/* CPUID vendor string, or "unknown" */
	u8 vendor;		/* enum x86_vendor */
	u8 family;		/* with the extended family added */
	u8 model;		/* with the extended model added */
	u8 stepping;
	u32 cpuid_level;	/* highest standard leaf, 0 without CPUID */
	u32 features;		/* X86_FEATURE_* after clearcpuid= */
	u32 bugs;		/* X86_BUG_* */
};

/* The boot CPU, as identified and masked by clearcpuid= (setup.c). */
extern struct cpuinfo boot_cpu_data;

static inline bool cpu_has(const struct cpuinfo *c, u32 feature)
{
	return (c->features & feature) == feature;
}

#endif

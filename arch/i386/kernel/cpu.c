/*
 * Boot CPU identification. See Intel SDM vol. 2A "CPUID" and vol. 1
 * "Identification of Earlier IA-32 Processors", AMD APM vol. 3 "CPUID",
 * the Pentium Processor Specification Update (erratum 11AP).
 *
 * identify_cpu() runs the instructions; cpuinfo_decode() turns the raw
 * registers into a struct cpuinfo and is pure, so the host tests feed it
 * CPUID dumps of real processors. Everything here is __init.
 */
#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/string.h>
#include <asm/cpufeature.h>
#include <asm/cpu.h>

#define EFLAGS_AC	(1u << 18)	/* alignment check: 486 and later */
#define EFLAGS_ID	(1u << 21)	/* writable iff CPUID exists */

#define CPUID_EXT_BASE	0x80000000u

/* Where a feature comes from: a CPUID register, or made up here. */
enum { W_SYNTH, W_1EDX, W_1ECX, W_X1EDX, W_X1ECX, NR_WORDS };

/*
 * Indexed by X86_FEATURE_* bit number; the names are the report's. No
 * size given, so that a missing row fails the BUILD_BUG_ON in
 * cpu_format_features() rather than leaving a NULL name.
 */
static const struct feature_desc {
	const char *name;
	u8 word;
	u8 bit;
} features[] __initconst = {
	{ "fpu",	W_1EDX,		0 },
	{ "tsc",	W_1EDX,		4 },
	{ "cx8",	W_1EDX,		8 },
	{ "apic",	W_1EDX,		9 },
	{ "pse",	W_1EDX,		3 },
	{ "pae",	W_1EDX,		6 },
	{ "pge",	W_1EDX,		13 },
	{ "cmov",	W_1EDX,		15 },
	{ "mmx",	W_1EDX,		23 },
	{ "fxsr",	W_1EDX,		24 },
	{ "sse",	W_1EDX,		25 },
	{ "sse2",	W_1EDX,		26 },
	{ "sse3",	W_1ECX,		0 },
	{ "mmxext",	W_X1EDX,	22 },	/* AMD MMX extensions */
	{ "3dnow",	W_X1EDX,	31 },
	{ "3dnowext",	W_X1EDX,	30 },
	{ "nx",		W_X1EDX,	20 },
	{ "nopl",	W_SYNTH,	0 },
	{ "cpuid",	W_SYNTH,	0 },
	{ "lm",		W_X1EDX,	29 },
	{ "ht",		W_1EDX,		28 },
	/*
	 * 0x80000001 ECX bit 8: AMD "3DNowPrefetch" (K8 and later),
	 * Intel "PREFETCHW" (Broadwell and later): PREFETCH/PREFETCHW
	 * exist without the rest of 3DNow!. Linux calls it 3dnowprefetch.
	 */
	{ "prefetchw",	W_X1ECX,	8 },
	/* the Spectre v2 mode, set by spectre.c: Linux's names */
	{ "retpoline",	W_SYNTH,	0 },
	{ "retpoline_lfence", W_SYNTH,	0 },
};

/*
 * clearcpuid= dependencies: a feature goes when what it needs goes.
 * Ordered so that one pass suffices: what a feature needs is never
 * itself listed after that feature.
 * MMX and FXSR live in the x87 state; SSE needs FXSAVE (CR4.OSFXSR);
 * each SSE level builds on the last; MMX-ext and 3DNow! extend the MMX
 * registers; NX exists only in PAE page tables. SSE does not need MMX:
 * its fences, prefetches and XMM code never touch MMX state, so
 * clearcpuid=mmx keeps sse (code on MMX registers checks mmx itself).
 */
static const struct feature_dep {
	u32 feature;
	u32 needs;
} feature_deps[] __initconst = {
	{ X86_FEATURE_FXSR,	X86_FEATURE_FPU },
	{ X86_FEATURE_MMX,	X86_FEATURE_FPU },
	{ X86_FEATURE_SSE,	X86_FEATURE_FXSR },
	{ X86_FEATURE_SSE2,	X86_FEATURE_SSE },
	{ X86_FEATURE_SSE3,	X86_FEATURE_SSE2 },
	{ X86_FEATURE_MMXEXT,	X86_FEATURE_MMX },
	{ X86_FEATURE_3DNOW,	X86_FEATURE_MMX },
	{ X86_FEATURE_3DNOWEXT,	X86_FEATURE_3DNOW },
	{ X86_FEATURE_NX,	X86_FEATURE_PAE },
};

static const struct vendor_id {
	char id[13];
	u8 vendor;
} vendors[] __initconst = {
	{ "GenuineIntel", X86_VENDOR_INTEL },
	{ "AuthenticAMD", X86_VENDOR_AMD },
	{ "AMDisbetter!", X86_VENDOR_AMD },	/* early K5 samples */
	{ "CentaurHauls", X86_VENDOR_CENTAUR },
	{ "CyrixInstead", X86_VENDOR_CYRIX },
	{ "Geode by NSC", X86_VENDOR_NSC },
	{ "Vortex86 SoC", X86_VENDOR_VORTEX },
	{ "  Shanghai  ", X86_VENDOR_ZHAOXIN },
};

static void __init set_vendor(struct cpuinfo *c, const struct cpuid_regs *r)
{
	unsigned int i;

	/* The vendor string is EBX, EDX, ECX in that order. */
	memcpy(c->vendor_name, &r->ebx, 4);
	memcpy(c->vendor_name + 4, &r->edx, 4);
	memcpy(c->vendor_name + 8, &r->ecx, 4);
	c->vendor_name[12] = '\0';

	c->vendor = X86_VENDOR_OTHER;
	for (i = 0; i < ARRAY_SIZE(vendors); i++)
		if (!memcmp(c->vendor_name, vendors[i].id, 12))
			c->vendor = vendors[i].vendor;
}

/*
 * SDM vol. 2A, CPUID leaf 1 EAX: the extended family is added only to
 * base family 0Fh, the extended model is prepended for base family 06h
 * and 0Fh (AMD documents the same for 0Fh; its family-6 parts report
 * extended model 0). Family 0Fh + 0FFh does not fit a u8: clamp.
 */
static void __init set_signature(struct cpuinfo *c, u32 eax)
{
	u32 family = (eax >> 8) & 0xf;
	u32 model = (eax >> 4) & 0xf;

	if (family == 0xf)
		family += (eax >> 20) & 0xff;
	if (family == 0x6 || family >= 0xf)
		model |= ((eax >> 16) & 0xf) << 4;
	c->family = family > 0xff ? 0xff : family;
	c->model = model;
	c->stepping = eax & 0xf;
}

bool __init cpuid_ext_valid(const struct cpuid_regs *ext0)
{
	/*
	 * CPUs without the extended range answer 0x80000000 with the data
	 * of their highest standard leaf (a Pentium III gives its cache
	 * descriptors, 0x03020101), so check the range, as Linux does.
	 */
	return ext0 && (ext0->eax & 0xffff0000u) == CPUID_EXT_BASE &&
	       ext0->eax >= CPUID_EXT_BASE + 1;
}

static u32 __init decode_features(const struct cpuid_regs *leaf1,
				  const struct cpuid_regs *ext1)
{
	u32 word[NR_WORDS] = { 0 };
	u32 feat = 0;
	unsigned int i;

	if (leaf1) {
		word[W_1EDX] = leaf1->edx;
		word[W_1ECX] = leaf1->ecx;
	}
	if (ext1) {
		word[W_X1EDX] = ext1->edx;
		word[W_X1ECX] = ext1->ecx;
	}
	for (i = 0; i < ARRAY_SIZE(features); i++)
		if (features[i].word != W_SYNTH &&
		    (word[features[i].word] >> features[i].bit) & 1)
			feat |= 1u << i;
	return feat;
}

/*
 * The 0F 1F long NOP exists from the P6 on, but not on every family-6
 * part: VIA C3 (Samuel, Ezra, Nehemiah: Centaur 6/6..6/9) raise #UD on
 * it, and the Cyrix 6x86MX/MII report family 6 without being a P6 core.
 * A wrong "no" costs a little speed, a wrong "yes" an oops.
 */
static bool __init has_nopl(const struct cpuinfo *c)
{
	if (c->family < 6)
		return false;
	if (c->vendor == X86_VENDOR_CENTAUR && c->family == 6 &&
	    c->model < 0xa)
		return false;
	if (c->vendor == X86_VENDOR_CYRIX && c->family == 6)
		return false;
	return true;
}

static void __init apply_quirks(struct cpuinfo *c)
{
	/* AMD K5 model 0 (SSA/5) reports global pages in EDX bit 9. */
	if (c->vendor == X86_VENDOR_AMD && c->family == 5 && c->model == 0 &&
	    (c->features & X86_FEATURE_APIC)) {
		c->features &= ~X86_FEATURE_APIC;
		c->features |= X86_FEATURE_PGE;
	}

	/*
	 * Pentium (P54C, 5/2) erratum 11AP: with the on-chip APIC in use,
	 * back-to-back APIC writes can be lost, so they must be xchg.
	 * Affected: the B steppings and C2 (signature steppings below 6)
	 * and stepping 0Bh; Linux (arch/x86/kernel/cpu/intel.c) uses the
	 * same rule. Without the APIC bit the APIC is off and unused.
	 */
	if (c->vendor == X86_VENDOR_INTEL && c->family == 5 &&
	    c->model == 2 && (c->features & X86_FEATURE_APIC) &&
	    (c->stepping < 6 || c->stepping == 0xb))
		c->bugs |= X86_BUG_11AP;

	/*
	 * IDT WinChip C6 (5/4), WinChip 2 (5/8) and 3 (5/9) can be set up
	 * (by the BIOS, through their MCRs) to let stores pass stores.
	 */
	if (c->vendor == X86_VENDOR_CENTAUR && c->family == 5 &&
	    (c->model == 4 || c->model == 8 || c->model == 9))
		c->bugs |= X86_BUG_OOSTORE;

	if (has_nopl(c))
		c->features |= X86_FEATURE_NOPL;
}

/*
 * The CPUs not affected by Spectre v2 (branch target injection). The
 * facts are Linux's cpu_vuln_whitelist (arch/x86/kernel/cpu/common.c,
 * v6.12): its rows flagged NO_SPECULATION, which Linux marks free of
 * every speculation bug, and NO_SPECTRE_V2. Every other CPU with CPUID
 * is taken as affected, as Linux takes it. Atom models are Linux's
 * arch/x86/include/asm/intel-family.h. A CPU without CPUID is a 386 or
 * a 486 and never gets here: its bugs stay 0.
 */
#define MODEL_ANY	-1
#define VENDOR_ANY	0xff

static const struct cpu_match {
	u8 vendor;
	u8 family;
	s16 model;
} not_spectre_v2[] __initconst = {
	/* NO_SPECULATION */
	{ VENDOR_ANY,		4, MODEL_ANY },
	{ X86_VENDOR_CENTAUR,	5, MODEL_ANY },	/* WinChip */
	{ X86_VENDOR_INTEL,	5, MODEL_ANY },	/* Pentium, Pentium MMX */
	{ X86_VENDOR_NSC,	5, MODEL_ANY },	/* Geode */
	{ X86_VENDOR_VORTEX,	5, MODEL_ANY },
	{ X86_VENDOR_VORTEX,	6, MODEL_ANY },
	{ X86_VENDOR_INTEL,	6, 0x1c },	/* Atom Bonnell: Diamondville */
	{ X86_VENDOR_INTEL,	6, 0x26 },	/* Bonnell MID: Lincroft */
	{ X86_VENDOR_INTEL,	6, 0x36 },	/* Atom Saltwell: Cedarview */
	{ X86_VENDOR_INTEL,	6, 0x27 },	/* Saltwell MID: Penwell */
	{ X86_VENDOR_INTEL,	6, 0x35 },	/* Saltwell tablet */
	/* NO_SPECTRE_V2 */
	{ X86_VENDOR_CENTAUR,	7, MODEL_ANY },	/* Zhaoxin family 7 */
	{ X86_VENDOR_ZHAOXIN,	7, MODEL_ANY },
};

static bool __init cpu_in(const struct cpuinfo *c, const struct cpu_match *m,
			  unsigned int n)
{
	for (; n; n--, m++)
		if ((m->vendor == VENDOR_ANY || m->vendor == c->vendor) &&
		    m->family == c->family &&
		    (m->model == MODEL_ANY || m->model == c->model))
			return true;
	return false;
}

void __init cpuinfo_decode(struct cpuinfo *c, const struct cpuid_regs *leaf0,
			   const struct cpuid_regs *leaf1,
			   const struct cpuid_regs *ext0,
			   const struct cpuid_regs *ext1)
{
	memset(c, 0, sizeof(*c));
	set_vendor(c, leaf0);
	c->cpuid_level = leaf0->eax;
	if (c->cpuid_level < 1 || !leaf1) {
		/* CPUID without leaf 1: at least a late 486. */
		leaf1 = NULL;
		c->family = 4;
	} else {
		set_signature(c, leaf1->eax);
	}
	if (!cpuid_ext_valid(ext0))
		ext1 = NULL;
	c->features = decode_features(leaf1, ext1) | X86_FEATURE_CPUID;
	apply_quirks(c);
	if (!cpu_in(c, not_spectre_v2, ARRAY_SIZE(not_spectre_v2)))
		c->bugs |= X86_BUG_SPECTRE_V2;
}

void __init cpuinfo_decode_nocpuid(struct cpuinfo *c, bool ac_toggles)
{
	/*
	 * No FPU probe here: without CPUID a 486SX and a 486DX look alike,
	 * and fninit with CR0.EM set would fault. Nothing patched depends
	 * on "fpu".
	 */
	memset(c, 0, sizeof(*c));
	memcpy(c->vendor_name, "unknown", sizeof("unknown"));
	c->vendor = X86_VENDOR_UNKNOWN;
	c->family = ac_toggles ? 4 : 3;
}

#ifndef HOST_TEST
/* Can this EFLAGS bit be flipped? EFLAGS is restored either way. */
static bool __init eflags_toggles(u32 mask)
{
	u32 a, b;

	asm volatile("pushfl\n\t"
		     "pushfl\n\t"
		     "popl %0\n\t"
		     "movl %0, %1\n\t"
		     "xorl %2, %0\n\t"
		     "pushl %0\n\t"
		     "popfl\n\t"
		     "pushfl\n\t"
		     "popl %0\n\t"
		     "popfl"
		     : "=&r" (a), "=&r" (b)
		     : "ir" (mask)
		     : "cc");
	return ((a ^ b) & mask) != 0;
}

static void __init cpuid(u32 leaf, struct cpuid_regs *r)
{
	asm volatile("cpuid"
		     : "=a" (r->eax), "=b" (r->ebx), "=c" (r->ecx),
		       "=d" (r->edx)
		     : "0" (leaf), "2" (0));
}

void __init identify_cpu(struct cpuinfo *c)
{
	struct cpuid_regs l0, l1, x0, x1;

	if (!eflags_toggles(EFLAGS_ID)) {
		cpuinfo_decode_nocpuid(c, eflags_toggles(EFLAGS_AC));
		return;
	}
	memset(&l1, 0, sizeof(l1));
	memset(&x1, 0, sizeof(x1));
	cpuid(0, &l0);
	if (l0.eax >= 1)
		cpuid(1, &l1);
	/* Never faults: unknown leaves return something harmless. */
	cpuid(CPUID_EXT_BASE, &x0);
	if (cpuid_ext_valid(&x0))
		cpuid(CPUID_EXT_BASE + 1, &x1);
	cpuinfo_decode(c, &l0, &l1, &x0, &x1);
}
#endif

const char *__init cpu_feature_name(u32 feature)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(features); i++)
		if (feature == 1u << i)
			return features[i].name;
	return NULL;
}

int __init cpu_format_features(u32 feat, char *buf, size_t size)
{
	size_t len = 0;
	const char *s;
	unsigned int i;

	/* a row in features[] for every X86_FEATURE_* bit */
	BUILD_BUG_ON(ARRAY_SIZE(features) != X86_NR_FEATURES);
	for (i = 0; i < ARRAY_SIZE(features); i++) {
		if (!(feat & (1u << i)))
			continue;
		if (len) {
			if (len + 1 < size)
				buf[len] = ',';
			len++;
		}
		for (s = features[i].name; *s; s++, len++)
			if (len + 1 < size)
				buf[len] = *s;
	}
	if (size)
		buf[len < size ? len : size - 1] = '\0';
	return (int)len;
}

size_t __init cpu_feature_token_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ',')
		n++;
	return n;
}

static int __init lookup_feature(const char *s, size_t n)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(features); i++)
		if (strlen(features[i].name) == n &&
		    !strncmp(features[i].name, s, n))
			return i;
	return -1;
}

int __init cpu_parse_feature_list(const char *list, u32 *mask,
				  const char **bad)
{
	const char *s = list;
	int ret = 0;
	size_t n;
	int bit;

	*mask = 0;
	*bad = NULL;
	for (;;) {
		n = cpu_feature_token_len(s);
		bit = lookup_feature(s, n);
		if (bit >= 0) {
			*mask |= 1u << bit;
		} else if (!ret) {
			*bad = s;
			ret = -1;
		}
		if (!s[n])
			break;
		s += n + 1;
	}
	return ret;
}

u32 __init cpu_feature_dependents(u32 mask)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(feature_deps); i++)
		if (mask & feature_deps[i].needs)
			mask |= feature_deps[i].feature;
	return mask;
}

u32 __init cpu_apply_clearcpuid(struct cpuinfo *c, u32 mask)
{
	u32 gone = c->features & cpu_feature_dependents(mask);

	c->features &= ~gone;
	return gone;
}

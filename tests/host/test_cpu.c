/*
 * Host tests for arch/i386/kernel/cpu.c: CPUID decode of real processors
 * (register values as published in CPUID dumps and BSD/Linux boot logs;
 * the WinChip and K5 ones are representative, built from the datasheet
 * signatures), feature strings, clearcpuid= parsing and dependencies.
 */
#include "tap.h"
#include <kernel/compiler.h>
#include <asm/cpu.h>

struct dump {
	const char *name;
	const char *vendor;
	u32 max;		/* CPUID 0 EAX */
	u32 eax1, ecx1, edx1;	/* CPUID 1 */
	u32 xmax, xedx;		/* CPUID 0x80000000 EAX, 0x80000001 EDX */
	u32 xecx;		/* CPUID 0x80000001 ECX (0 where not given) */
};

static void decode(struct cpuinfo *c, const struct dump *d)
{
	struct cpuid_regs l0, l1, x0, x1;

	memcpy(&l0.ebx, d->vendor, 4);
	memcpy(&l0.edx, d->vendor + 4, 4);
	memcpy(&l0.ecx, d->vendor + 8, 4);
	l0.eax = d->max;
	l1 = (struct cpuid_regs){ d->eax1, 0, d->ecx1, d->edx1 };
	x0 = (struct cpuid_regs){ d->xmax, 0, 0, 0 };
	x1 = (struct cpuid_regs){ 0, 0, d->xecx, d->xedx };
	cpuinfo_decode(c, &l0, &l1, &x0, &x1);
}

static void check(const struct dump *d, unsigned int vendor,
		  unsigned int family, unsigned int model,
		  unsigned int stepping, const char *features, u32 bugs)
{
	struct cpuinfo c;
	char buf[256];

	decode(&c, d);
	ok(!strcmp(c.vendor_name, d->vendor), "%s: vendor name %s",
	   d->name, c.vendor_name);
	is_int(c.vendor, vendor, "%s: vendor", d->name);
	is_int(c.family, family, "%s: family %u", d->name, family);
	is_int(c.model, model, "%s: model %u", d->name, model);
	is_int(c.stepping, stepping, "%s: stepping %u", d->name, stepping);
	cpu_format_features(c.features, buf, sizeof(buf));
	if (!ok(!strcmp(buf, features), "%s: features", d->name))
		diag("got  %s\n# want %s", buf, features);
	is_int(c.bugs, bugs, "%s: bugs", d->name);
}

static void test_no_cpuid(void)
{
	struct cpuinfo c;

	memset(&c, 0xff, sizeof(c));
	cpuinfo_decode_nocpuid(&c, true);
	is_int(c.family, 4, "486 without CPUID: family 4");
	ok(!strcmp(c.vendor_name, "unknown"), "486 without CPUID: unknown");
	is_int(c.vendor, X86_VENDOR_UNKNOWN, "486 without CPUID: vendor");
	is_int(c.features, 0, "486 without CPUID: no features, not cpuid");
	is_int(c.cpuid_level, 0, "486 without CPUID: cpuid_level 0");
	is_int(c.bugs, 0, "486 without CPUID: no bugs");
	is_int(c.model, 0, "486 without CPUID: model 0");
	cpuinfo_decode_nocpuid(&c, false);
	is_int(c.family, 3, "386: family 3");
	is_int(c.features, 0, "386: no features");
}

static const struct dump i486dx4 = {
	/* ext leaf: a 486 echoes its highest standard leaf */
	"486DX4", "GenuineIntel", 1, 0x480, 0, 0x00000003, 0x480, ~0u, 0
};
static const struct dump p55c = {
	"Pentium MMX", "GenuineIntel", 1, 0x543, 0, 0x008001bf, 0, 0, 0
};
static const struct dump p54c_e0 = {
	"Pentium 5/2/C", "GenuineIntel", 1, 0x52c, 0, 0x000003bf, 0, 0, 0
};
static const struct dump p54c_6 = {
	"Pentium 5/2/6", "GenuineIntel", 1, 0x526, 0, 0x000003bf, 0, 0, 0
};
static const struct dump p54c_b1 = {
	"Pentium B1", "GenuineIntel", 1, 0x521, 0, 0x000003bf, 0, 0, 0
};
static const struct dump p54c_c2 = {
	"Pentium C2", "GenuineIntel", 1, 0x525, 0, 0x000003bf, 0, 0, 0
};
static const struct dump p54c_b = {
	"Pentium 5/2/B", "GenuineIntel", 1, 0x52b, 0, 0x000003bf, 0, 0, 0
};
static const struct dump p54c_c2_noapic = {
	"Pentium C2, APIC off", "GenuineIntel", 1, 0x525, 0, 0x000001bf, 0, 0, 0
};
static const struct dump amd_p54c = {
	/* an 11AP-looking signature from another vendor */
	"not Intel 5/2/1", "AuthenticAMD", 1, 0x521, 0, 0x000003bf, 0, 0, 0
};
static const struct dump pii = {
	/* Deschutes; 0x80000000 returns leaf 2 data on pre-P4 Intel */
	"Pentium II", "GenuineIntel", 2, 0x652, 0, 0x0183f9ff,
	0x03020101, ~0u, 0
};
static const struct dump piii = {
	"Pentium III", "GenuineIntel", 3, 0x673, 0, 0x0387fbff,
	0x03020101, ~0u, 0
};
static const struct dump p4_willamette = {
	"Pentium 4", "GenuineIntel", 2, 0xf12, 0, 0x3febfbff,
	0x80000004, 0, 0
};
static const struct dump p4_prescott = {
	"Pentium 4 EM64T", "GenuineIntel", 5, 0xf41, 0x0000649d, 0xbfebfbff,
	0x80000008, 0x20100000, 0
};
static const struct dump k5_model0 = {
	"K5 SSA/5", "AuthenticAMD", 1, 0x501, 0, 0x000003bf, 0, 0, 0
};
static const struct dump k6_2 = {
	"K6-2", "AuthenticAMD", 1, 0x58c, 0, 0x008021bf,
	0x80000005, 0x80000800, 0
};
static const struct dump athlon_tbird = {
	"Athlon (no SSE)", "AuthenticAMD", 1, 0x642, 0, 0x0183f9ff,
	0x80000005, 0xc1c7f9ff, 0
};
static const struct dump athlon_xp = {
	"Athlon XP", "AuthenticAMD", 1, 0x662, 0, 0x0383fbff,
	0x80000008, 0xc1c3fbff, 0
};
static const struct dump phenom = {
	"Phenom (ext family)", "AuthenticAMD", 5, 0x00100f22, 0x00802009,
	0x178bfbff, 0x8000001b, 0xefd3fbff, 0x000007ff
};
static const struct dump winchip_c6 = {
	"WinChip C6", "CentaurHauls", 1, 0x541, 0, 0x008001b5, 0, 0, 0
};
static const struct dump winchip2 = {
	"WinChip 2", "CentaurHauls", 1, 0x585, 0, 0x008001b5,
	0x80000005, 0x80800000, 0
};
static const struct dump winchip3 = {
	"WinChip 3", "CentaurHauls", 1, 0x591, 0, 0x008001b5,
	0x80000005, 0x80800000, 0
};
static const struct dump via_nehemiah = {
	/* reports no CX8 until enabled in its FCR MSR */
	"VIA C3 Nehemiah", "CentaurHauls", 1, 0x698, 0, 0x0381b83f,
	0x80000006, 0, 0
};
static const struct dump cyrix_mii = {
	"Cyrix MII", "CyrixInstead", 1, 0x601, 0, 0x0080a135, 0, 0, 0
};
static const struct dump skylake = {
	"Skylake (ext model)", "GenuineIntel", 0x16, 0x506e3, 0x7ffafbff,
	0xbfebfbff, 0x80000008, 0x2c100800, 0x00000121
};
static const struct dump zen2 = {
	"Zen 2", "AuthenticAMD", 0x10, 0x00870f10, 0x7ed8320b, 0x178bfbff,
	0x80000020, 0x2fd3fbff, 0x75c237ff
};
/*
 * Newer parts, from the AIDA64 CPUID dumps that Bochs keeps beside its
 * models (bochs/cpu/cpudb/intel/tigerlake.txt, arrow_lake.txt): Intel
 * reports the PREFETCHW bit (0x80000001 ECX bit 8) from Broadwell on.
 */
static const struct dump tigerlake = {
	"Tiger Lake (i5-1135G7)", "GenuineIntel", 0x1b, 0x000806c1,
	0x7ffafbbf, 0xbfebfbff, 0x80000008, 0x2c100000, 0x00000121
};
static const struct dump arrowlake = {
	"Arrow Lake (Ultra 5 245K)", "GenuineIntel", 0x23, 0x000c0662,
	0x7ffafbff, 0xbfebfbff, 0x80000008, 0x2c100000, 0x00000121
};
/* Skylake's leaves with ECX bit 8 clear: what a Haswell reports */
static const struct dump no_prefetchw = {
	"Skylake, bit 8 clear", "GenuineIntel", 0x16, 0x506e3, 0x7ffafbff,
	0xbfebfbff, 0x80000008, 0x2c100800, 0x00000021
};
static const struct dump level0 = {
	"CPUID without leaf 1", "GenuineIntel", 0, 0x633, 0, ~0u, 0, 0, 0
};
static const struct dump odd_vendor = {
	"other vendor", "GenuineTMx86", 1, 0x543, 0, 0x00800001, 0, 0, 0
};

#define I X86_VENDOR_INTEL
#define A X86_VENDOR_AMD
#define C X86_VENDOR_CENTAUR
#define SV2 X86_BUG_SPECTRE_V2

static void test_decode(void)
{
	check(&i486dx4, I, 4, 8, 0, "fpu,cpuid", 0);
	check(&p55c, I, 5, 4, 3, "fpu,tsc,cx8,pse,mmx,cpuid", 0);
	check(&p54c_e0, I, 5, 2, 0xc, "fpu,tsc,cx8,apic,pse,cpuid", 0);
	check(&p54c_6, I, 5, 2, 6, "fpu,tsc,cx8,apic,pse,cpuid", 0);
	check(&p54c_b1, I, 5, 2, 1, "fpu,tsc,cx8,apic,pse,cpuid",
	      X86_BUG_11AP);
	check(&p54c_c2, I, 5, 2, 5, "fpu,tsc,cx8,apic,pse,cpuid",
	      X86_BUG_11AP);
	check(&p54c_b, I, 5, 2, 0xb, "fpu,tsc,cx8,apic,pse,cpuid",
	      X86_BUG_11AP);
	check(&p54c_c2_noapic, I, 5, 2, 5, "fpu,tsc,cx8,pse,cpuid", 0);
	check(&amd_p54c, A, 5, 2, 1, "fpu,tsc,cx8,apic,pse,cpuid", SV2);
	check(&pii, I, 6, 5, 2,
	      "fpu,tsc,cx8,pse,pae,pge,cmov,mmx,fxsr,nopl,cpuid", SV2);
	check(&piii, I, 6, 7, 3,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,nopl,cpuid",
	      SV2);
	check(&p4_willamette, I, 15, 1, 2,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,sse2,nopl,"
	      "cpuid,ht", SV2);
	check(&p4_prescott, I, 15, 4, 1,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,sse2,sse3,nx,"
	      "nopl,cpuid,lm,ht", SV2);
	check(&k5_model0, A, 5, 0, 1, "fpu,tsc,cx8,pse,pge,cpuid", SV2);
	check(&k6_2, A, 5, 8, 0xc, "fpu,tsc,cx8,pse,pge,mmx,3dnow,cpuid", SV2);
	check(&athlon_tbird, A, 6, 4, 2,
	      "fpu,tsc,cx8,pse,pae,pge,cmov,mmx,fxsr,mmxext,3dnow,3dnowext,"
	      "nopl,cpuid", SV2);
	check(&athlon_xp, A, 6, 6, 2,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,mmxext,3dnow,"
	      "3dnowext,nopl,cpuid", SV2);
	check(&phenom, A, 0x10, 2, 2,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,sse2,sse3,"
	      "mmxext,3dnow,3dnowext,nx,nopl,cpuid,lm,ht,prefetchw", SV2);
	check(&winchip_c6, C, 5, 4, 1, "fpu,tsc,cx8,mmx,cpuid",
	      X86_BUG_OOSTORE);
	check(&winchip2, C, 5, 8, 5, "fpu,tsc,cx8,mmx,3dnow,cpuid",
	      X86_BUG_OOSTORE);
	check(&winchip3, C, 5, 9, 1, "fpu,tsc,cx8,mmx,3dnow,cpuid",
	      X86_BUG_OOSTORE);
	check(&via_nehemiah, C, 6, 9, 8,
	      "fpu,tsc,pse,pge,cmov,mmx,fxsr,sse,cpuid", SV2);
	check(&cyrix_mii, X86_VENDOR_CYRIX, 6, 0, 1,
	      "fpu,tsc,cx8,pge,cmov,mmx,cpuid", SV2);
	check(&skylake, I, 6, 0x5e, 3,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,sse2,sse3,nx,"
	      "nopl,cpuid,lm,ht,prefetchw", SV2);
	check(&no_prefetchw, I, 6, 0x5e, 3,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,sse2,sse3,nx,"
	      "nopl,cpuid,lm,ht", SV2);
	check(&zen2, A, 0x17, 0x71, 0,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,sse2,sse3,"
	      "mmxext,nx,nopl,cpuid,lm,ht,prefetchw", SV2);
	check(&tigerlake, I, 6, 0x8c, 1,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,sse2,sse3,nx,"
	      "nopl,cpuid,lm,ht,prefetchw", SV2);
	check(&arrowlake, I, 6, 0xc6, 2,
	      "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,sse2,sse3,nx,"
	      "nopl,cpuid,lm,ht,prefetchw", SV2);
	check(&level0, I, 4, 0, 0, "cpuid", 0);
	check(&odd_vendor, X86_VENDOR_OTHER, 5, 4, 3, "fpu,mmx,cpuid", SV2);
}

/*
 * Spectre v2: one CPU for each row of Linux's cpu_vuln_whitelist that
 * says NO_SPECULATION or NO_SPECTRE_V2 (arch/x86/kernel/cpu/common.c),
 * and affected parts beside them. Signatures: the Atoms from Intel's
 * specification updates (N270 106C2h, Z670 20661h, D2700 30661h) and
 * Linux's intel-family.h models (Penwell 27h, Cloverview 35h); the
 * Vortex86 (DX 5/2, EX 6/1) from Linux's vortex.c; Geode GX1 5/4; the
 * Zhaoxin KX-6000 as family 7 under both of its vendor strings.
 */
static const struct dump spectre_rows[] = {
	{ "Am5x86 (any vendor, family 4)", "AuthenticAMD", 1, 0x4f4,
	  0, 0x00000001, 0, 0, 0 },
	{ "UMC U5S (any vendor, family 4)", "UMC UMC UMC ", 1, 0x423,
	  0, 0x00000001, 0, 0, 0 },
	{ "Pentium MMX (Intel 5)", "GenuineIntel", 1, 0x543,
	  0, 0x008001bf, 0, 0, 0 },
	{ "WinChip 2 (Centaur 5)", "CentaurHauls", 1, 0x585,
	  0, 0x008001b5, 0, 0, 0 },
	{ "Geode GX1 (NSC 5)", "Geode by NSC", 1, 0x544,
	  0, 0x00808131, 0, 0, 0 },
	{ "Vortex86DX (Vortex 5)", "Vortex86 SoC", 1, 0x522,
	  0, 0x00008001, 0, 0, 0 },
	{ "Vortex86EX (Vortex 6)", "Vortex86 SoC", 1, 0x611,
	  0, 0x00008001, 0, 0, 0 },
	{ "Atom N270 (Bonnell 1Ch)", "GenuineIntel", 0xa, 0x106c2,
	  0x0040c39d, 0xbfe9fbff, 0x80000008, 0x00100000, 0x00000001 },
	{ "Atom Z670 (Bonnell MID 26h)", "GenuineIntel", 0xa, 0x20661,
	  0x0040e31d, 0xbfe9fbff, 0x80000008, 0x00100000, 0x00000001 },
	{ "Atom D2700 (Saltwell 36h)", "GenuineIntel", 0xa, 0x30661,
	  0x0040e3bd, 0xbfebfbff, 0x80000008, 0x20100000, 0x00000001 },
	{ "Atom Z2460 (Saltwell MID 27h)", "GenuineIntel", 0xa, 0x20671,
	  0x0040e3bd, 0xbfebfbff, 0x80000008, 0x00100000, 0x00000001 },
	{ "Atom Z2760 (Saltwell tablet 35h)", "GenuineIntel", 0xa, 0x30651,
	  0x0040e3bd, 0xbfebfbff, 0x80000008, 0x00100000, 0x00000001 },
	{ "KX-6000 (Centaur 7)", "CentaurHauls", 0xd, 0x107b5,
	  0x7ed8320b, 0xbfebfbff, 0x80000008, 0x28100800, 0x00000121 },
	{ "KX-6000 (Zhaoxin 7)", "  Shanghai  ", 0xd, 0x107b5,
	  0x7ed8320b, 0xbfebfbff, 0x80000008, 0x28100800, 0x00000121 },
};

static const struct dump spectre_affected[] = {
	{ "Pentium Pro (P6)", "GenuineIntel", 2, 0x619,
	  0, 0x0000f9ff, 0, 0, 0 },
	{ "Core 2 Duo E6600 (Conroe)", "GenuineIntel", 0xa, 0x6f6,
	  0x0000e3bd, 0xbfebfbff, 0x80000008, 0x20100000, 0x00000001 },
	{ "Atom Z3740 (Silvermont 37h)", "GenuineIntel", 0xb, 0x30673,
	  0x41d8e3bf, 0xbfebfbff, 0x80000008, 0x28100000, 0x00000101 },
	{ "Athlon 64 X2 (K8)", "AuthenticAMD", 1, 0x20fb1,
	  0x00000001, 0x178bfbff, 0x80000018, 0xebd3fbff, 0x0000001f },
	{ "Geode LX (AMD 5)", "AuthenticAMD", 1, 0x5a2,
	  0, 0x0088a93d, 0x80000006, 0xc0c0a13d, 0 },
	{ "6x86 (Cyrix 5)", "CyrixInstead", 1, 0x531,
	  0, 0x00000001, 0, 0, 0 },
	{ "VIA Nano (Centaur 6)", "CentaurHauls", 0xa, 0x6f2,
	  0x00004201, 0xafc9fbff, 0x80000018, 0x20100000, 0x00000001 },
	{ "Vortex86 family 7 (not in the table)", "Vortex86 SoC", 1, 0x711,
	  0, 0x00008001, 0, 0, 0 },
};

static void test_spectre_v2(void)
{
	const struct dump *rows[] = { &skylake, &athlon_tbird, &zen2,
				      &piii };
	struct cpuinfo c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(spectre_rows); i++) {
		decode(&c, &spectre_rows[i]);
		ok(!(c.bugs & X86_BUG_SPECTRE_V2), "%s: not spectre_v2",
		   spectre_rows[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(spectre_affected); i++) {
		decode(&c, &spectre_affected[i]);
		ok(c.bugs & X86_BUG_SPECTRE_V2, "%s: spectre_v2",
		   spectre_affected[i].name);
	}
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		decode(&c, rows[i]);
		ok(c.bugs & X86_BUG_SPECTRE_V2, "%s: spectre_v2",
		   rows[i]->name);
	}
	cpuinfo_decode_nocpuid(&c, true);
	ok(!(c.bugs & X86_BUG_SPECTRE_V2), "486 without CPUID: not spectre_v2");
	cpuinfo_decode_nocpuid(&c, false);
	ok(!(c.bugs & X86_BUG_SPECTRE_V2), "386: not spectre_v2");
	decode(&c, &spectre_rows[4]);
	is_int(c.vendor, X86_VENDOR_NSC, "Geode by NSC: vendor NSC");
	decode(&c, &spectre_rows[5]);
	is_int(c.vendor, X86_VENDOR_VORTEX, "Vortex86 SoC: vendor Vortex");
	decode(&c, &spectre_rows[13]);
	is_int(c.vendor, X86_VENDOR_ZHAOXIN, "  Shanghai  : vendor Zhaoxin");
}

/* The SDM family/model rules, one at a time. */
static void test_signature_rules(void)
{
	struct dump d = { "sig", "GenuineIntel", 1, 0, 0, 0, 0, 0, 0 };
	struct cpuinfo c;

	d.eax1 = 0x00100652;	/* ext family set, base family 6 */
	decode(&c, &d);
	is_int(c.family, 6, "ext family ignored below family 0Fh");
	d.eax1 = 0x00010543;	/* ext model set, base family 5 */
	decode(&c, &d);
	is_int(c.model, 4, "ext model ignored for family 5");
	d.eax1 = 0x000106a5;	/* Nehalem */
	decode(&c, &d);
	is_int(c.model, 0x1a, "ext model prepended for family 6");
	d.eax1 = 0x00040f33;	/* K8 rev F style, family 0Fh */
	decode(&c, &d);
	is_int(c.model, 0x43, "ext model prepended for family 0Fh");
	is_int(c.family, 0xf, "family 0Fh + ext family 0");
	d.eax1 = 0x0ff00f00;	/* family 0Fh + 0FFh does not fit */
	decode(&c, &d);
	is_int(c.family, 0xff, "family clamped to 255");
	d.eax1 = 0x00a00f10;	/* Zen 3/4: 0Fh + 0Ah */
	decode(&c, &d);
	is_int(c.family, 0x19, "family 0Fh + 0Ah = 19h");
	is_int(c.cpuid_level, 1, "cpuid_level from leaf 0");
}

static void test_ext_leaves(void)
{
	struct cpuid_regs e;

	ok(!cpuid_ext_valid(NULL), "no ext leaf 0: invalid");
	e = (struct cpuid_regs){ 0x80000000, 0, 0, 0 };
	ok(!cpuid_ext_valid(&e), "ext max 0x80000000: no 0x80000001");
	e.eax = 0x80000001;
	ok(cpuid_ext_valid(&e), "ext max 0x80000001: valid");
	e.eax = 0x03020101;
	ok(!cpuid_ext_valid(&e), "P6 cache descriptors: invalid");
	e.eax = 0x80010001;
	ok(!cpuid_ext_valid(&e), "outside 0x8000xxxx: invalid");
}

static void test_format(void)
{
	char buf[256], small[8];
	int n;

	n = cpu_format_features(0, buf, sizeof(buf));
	ok(n == 0 && buf[0] == '\0', "no features: empty string");
	n = cpu_format_features((1u << X86_NR_FEATURES) - 1, buf,
				sizeof(buf));
	ok(!strcmp(buf, "fpu,tsc,cx8,apic,pse,pae,pge,cmov,mmx,fxsr,sse,"
		   "sse2,sse3,mmxext,3dnow,3dnowext,nx,nopl,cpuid,lm,ht,"
		   "prefetchw,retpoline,retpoline_lfence"),
	   "all features, in bit order: %s", buf);
	is_int(n, strlen(buf), "returns the length");
	n = cpu_format_features(X86_FEATURE_FPU | X86_FEATURE_TSC |
				X86_FEATURE_CX8, small, sizeof(small));
	ok(!strcmp(small, "fpu,tsc"), "truncated, NUL-terminated: %s",
	   small);
	is_int(n, strlen("fpu,tsc,cx8"), "truncated: returns full length");
	n = cpu_format_features(X86_FEATURE_SSE, NULL, 0);
	is_int(n, 3, "size 0: nothing written, length returned");
	n = cpu_format_features(1u << 31, buf, sizeof(buf));
	ok(n == 0 && !buf[0], "unknown bits are not printed");
	ok(!strcmp(cpu_feature_name(X86_FEATURE_3DNOWEXT), "3dnowext"),
	   "cpu_feature_name");
	ok(cpu_feature_name(X86_FEATURE_SSE | X86_FEATURE_MMX) == NULL,
	   "cpu_feature_name of two bits is NULL");
}

static void test_parse(void)
{
	const char *bad, *list;
	u32 mask;
	int r;

	r = cpu_parse_feature_list("sse2,sse,3dnow,mmx", &mask, &bad);
	ok(r == 0 && bad == NULL, "good list parses");
	is_int(mask, X86_FEATURE_SSE2 | X86_FEATURE_SSE | X86_FEATURE_3DNOW |
	       X86_FEATURE_MMX, "good list mask");
	r = cpu_parse_feature_list("nx", &mask, &bad);
	ok(r == 0 && mask == X86_FEATURE_NX, "single name");

	list = "sse,bogus,mmx,worse";
	r = cpu_parse_feature_list(list, &mask, &bad);
	is_int(r, -1, "unknown name: -1");
	ok(bad == list + 4, "bad points at the first unknown name");
	is_int(cpu_feature_token_len(bad), 5, "bad name length 5");
	is_int(mask, X86_FEATURE_SSE | X86_FEATURE_MMX,
	       "known names still in the mask");

	r = cpu_parse_feature_list("", &mask, &bad);
	ok(r == -1 && bad && !*bad, "empty value is bad");
	list = "sse,";
	r = cpu_parse_feature_list(list, &mask, &bad);
	ok(r == -1 && bad == list + 4, "trailing comma is bad");
	list = "sse,,mmx";
	r = cpu_parse_feature_list(list, &mask, &bad);
	ok(r == -1 && bad == list + 4 && cpu_feature_token_len(bad) == 0,
	   "empty name in the middle is bad");
	r = cpu_parse_feature_list("SSE", &mask, &bad);
	ok(r == -1 && mask == 0, "names are lower case");
	r = cpu_parse_feature_list("ss", &mask, &bad);
	ok(r == -1, "a prefix of a name is not the name");
	r = cpu_parse_feature_list("sse22", &mask, &bad);
	ok(r == -1, "a name plus junk is not the name");
	r = cpu_parse_feature_list("3dnowext", &mask, &bad);
	ok(r == 0 && mask == X86_FEATURE_3DNOWEXT, "3dnowext is not 3dnow");
	r = cpu_parse_feature_list("prefetchw", &mask, &bad);
	ok(r == 0 && mask == X86_FEATURE_PREFETCHW, "prefetchw by name");
}

static u32 cleared(const struct dump *d, const char *list, u32 *gone)
{
	struct cpuinfo c;
	const char *bad;
	u32 mask;

	decode(&c, d);
	cpu_parse_feature_list(list, &mask, &bad);
	*gone = cpu_apply_clearcpuid(&c, mask);
	return c.features;
}

static void test_clearcpuid(void)
{
	u32 f, gone;
	const u32 sse_all = X86_FEATURE_SSE | X86_FEATURE_SSE2 |
			    X86_FEATURE_SSE3;
	const u32 mmx_all = X86_FEATURE_MMX | X86_FEATURE_MMXEXT |
			    X86_FEATURE_3DNOW | X86_FEATURE_3DNOWEXT;

	f = cleared(&p4_prescott, "sse", &gone);
	ok(!(f & sse_all), "sse takes sse2 and sse3");
	is_int(gone, sse_all, "returns what went");
	ok(f & X86_FEATURE_MMX, "sse leaves mmx");
	f = cleared(&p4_prescott, "sse2", &gone);
	ok((f & X86_FEATURE_SSE) && !(f & (X86_FEATURE_SSE2 |
					   X86_FEATURE_SSE3)),
	   "sse2 takes sse3, keeps sse");
	f = cleared(&phenom, "mmx", &gone);
	ok(!(f & mmx_all), "mmx takes mmxext, 3dnow, 3dnowext");
	ok((f & sse_all) == sse_all, "mmx keeps sse");
	is_int(gone, mmx_all, "mmx: returns what went");
	f = cleared(&phenom, "3dnow", &gone);
	ok(!(f & (X86_FEATURE_3DNOW | X86_FEATURE_3DNOWEXT)) &&
	   (f & X86_FEATURE_MMXEXT), "3dnow takes 3dnowext, keeps mmxext");
	f = cleared(&phenom, "fpu", &gone);
	ok(!(f & (sse_all | mmx_all | X86_FEATURE_FXSR | X86_FEATURE_FPU)),
	   "fpu takes everything built on x87 state");
	ok(f & X86_FEATURE_CMOV, "fpu keeps cmov");
	f = cleared(&phenom, "fxsr", &gone);
	ok(!(f & sse_all) && (f & X86_FEATURE_MMX), "fxsr takes sse");
	f = cleared(&phenom, "pae", &gone);
	ok(!(f & X86_FEATURE_NX), "pae takes nx");
	f = cleared(&pii, "sse", &gone);
	is_int(gone, 0, "clearing an absent feature clears nothing");
	f = cleared(&pii, "cmov,mmx", &gone);
	is_int(gone, X86_FEATURE_CMOV | X86_FEATURE_MMX, "two names");
	is_int(cpu_feature_dependents(0), 0, "no mask, no dependents");
	/* the PREFETCHW bit stands alone: 3DNow! does not take it */
	f = cleared(&phenom, "3dnow", &gone);
	ok(f & X86_FEATURE_PREFETCHW, "3dnow keeps prefetchw");
	f = cleared(&zen2, "prefetchw", &gone);
	is_int(gone, X86_FEATURE_PREFETCHW, "clearcpuid=prefetchw");
	f = cleared(&zen2, "mmx", &gone);
	ok(f & X86_FEATURE_PREFETCHW, "mmx keeps prefetchw");
	/*
	 * The Spectre v2 mode's bits are set by spectre.c after clearcpuid=
	 * (cmdline.md): the names parse, but there is nothing to mask.
	 */
	{
		const u32 mode = X86_FEATURE_RETPOLINE |
				 X86_FEATURE_RETPOLINE_LFENCE;
		const char *bad;
		u32 mask;

		ok(!cpu_parse_feature_list("retpoline,retpoline_lfence",
					   &mask, &bad) && mask == mode,
		   "clearcpuid=retpoline,retpoline_lfence parses");
		f = cleared(&zen2, "retpoline,retpoline_lfence", &gone);
		ok(gone == 0 && !(f & mode),
		   "clearcpuid=retpoline,retpoline_lfence: nothing to mask");
	}
}

int main(void)
{
	test_no_cpuid();
	test_decode();
	test_spectre_v2();
	test_signature_rules();
	test_ext_leaves();
	test_format();
	test_parse();
	test_clearcpuid();
	return done_testing();
}

/*
 * The host processor as the kernel sees it: CPUID run here, decoded by
 * the kernel's own cpuinfo_decode() (arch/i386/kernel/cpu.c, built with
 * -DHOST_TEST). With -DHOSTCPU_MAIN this is bench-cpu, which prints the
 * CPU and the Kconfig-derived macros a kernel built for it would have.
 */
#include <stdio.h>
#include <string.h>
#include <asm/cpu.h>
#include "hostcpu.h"

static void cpuid(u32 leaf, struct cpuid_regs *r)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx),
			       "=d"(r->edx)
			     : "0"(leaf), "2"(0));
}

void host_identify(struct cpuinfo *c)
{
	struct cpuid_regs l0, l1, x0, x1;

	memset(&l1, 0, sizeof(l1));
	memset(&x1, 0, sizeof(x1));
	cpuid(0, &l0);
	if (l0.eax >= 1)
		cpuid(1, &l1);
	cpuid(0x80000000u, &x0);
	if (cpuid_ext_valid(&x0))
		cpuid(0x80000001u, &x1);
	cpuinfo_decode(c, &l0, &l1, &x0, &x1);
}

/* The brand string, e.g. "AMD EPYC 9R45 96-Core Processor". */
void host_brand(char *buf, size_t size)
{
	struct cpuid_regs r[3], x0;
	char s[49];
	unsigned int i;

	buf[0] = '\0';
	cpuid(0x80000000u, &x0);
	if (x0.eax < 0x80000004u || size == 0)
		return;
	for (i = 0; i < 3; i++)
		cpuid(0x80000002u + i, &r[i]);
	memcpy(s, r, 48);
	s[48] = '\0';
	for (i = 48; i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\0'); i--)
		s[i - 1] = '\0';
	for (i = 0; s[i] == ' '; i++)
		;
	snprintf(buf, size, "%s", s + i);
}

/*
 * The patcher's one serializing instruction, as the kernel's (CPUID);
 * counted so the harnesses can report serializations per pass.
 */
int bench_serializations;

void fixup_serialize(const struct cpuinfo *c)
{
	struct cpuid_regs r;

	(void)c;
	cpuid(0, &r);
	__asm__ __volatile__("" : : : "memory");
	bench_serializations++;
}

#ifdef HOSTCPU_MAIN
/* What Kconfig's processor options would select for this CPU. */
int main(void)
{
	struct cpuinfo c;
	char feat[256], brand[64];

	host_identify(&c);
	host_brand(brand, sizeof(brand));
	cpu_format_features(c.features, feat, sizeof(feat));
	printf("cpu: %s\n", brand[0] ? brand : c.vendor_name);
	printf("vendor: %s\nfamily: %u\nmodel: %u\nstepping: %u\n",
	       c.vendor_name, c.family, c.model, c.stepping);
	printf("features: %s\n", feat);
	printf("defines:%s%s%s%s%s%s%s\n",
	       cpu_has(&c, X86_FEATURE_MMX) ? " -DCONFIG_X86_MMX=1" : "",
	       cpu_has(&c, X86_FEATURE_SSE) ? " -DCONFIG_X86_SSE=1" : "",
	       cpu_has(&c, X86_FEATURE_SSE2) ? " -DCONFIG_X86_SSE2=1" : "",
	       cpu_has(&c, X86_FEATURE_3DNOW) ? " -DCONFIG_X86_3DNOW=1" : "",
	       cpu_has(&c, X86_FEATURE_PREFETCHW) ?
	       " -DCONFIG_X86_PREFETCHW=1" : "",
	       cpu_has(&c, X86_FEATURE_NOPL) ? " -DCONFIG_X86_P6_NOP=1" : "",
	       /* an Athlon-class part: MMX-ext movntq, no SSE */
	       cpu_has(&c, X86_FEATURE_MMXEXT | X86_FEATURE_3DNOW) &&
	       !cpu_has(&c, X86_FEATURE_SSE) ? " -DCONFIG_MK7=1" : "");
	return 0;
}
#endif

/*
 * The CPU count the fixup pass decides by: the MP table or ACPI MADT
 * (mpparse.c, acpi.c), then "nosmp" and "maxcpus=N" as in Linux.
 */
#include <kernel/smp.h>
#include <kernel/printk.h>
#include <kernel/params.h>
#include <asm/cpufeature.h>

struct smp_census smp_census;
static bool nosmp __initdata;
static unsigned int maxcpus __initdata = CONFIG_NR_CPUS;

__setup_flag("nosmp", nosmp);

/* maxcpus=0 means what nosmp means, as in Linux. */
static int __init set_maxcpus(const char *val)
{
	return param_uint(val, &maxcpus);
}
__setup("maxcpus", set_maxcpus);

unsigned int __init smp_count_cpus(u32 top, const char **reason)
{
	unsigned int n;

	detect_cpus(&smp_census, top);
	n = smp_census.ncpus ? smp_census.ncpus : 1;
	*reason = "auto";
	/* INIT and start-up IPIs come from the local APIC (QEMU's 486). */
	if (n > 1 && !cpu_has(&boot_cpu_data, X86_FEATURE_APIC)) {
		pr_warn("smp: the boot CPU has no local APIC: %u other CPU%s "
			"not started\n", n - 1, n > 2 ? "s" : "");
		n = 1;
		*reason = "no-apic";
	}
	if (nosmp && n > 1) {
		n = 1;
		*reason = "nosmp";
	}
	if (maxcpus < n) {
		n = maxcpus ? maxcpus : 1;
		*reason = "maxcpus";
	}
#ifndef CONFIG_SMP
	if (n > 1) {
		printk(KERN_NOTICE "smp: uniprocessor kernel: %u CPUs found, "
		       "using 1\n", n);
		n = 1;
		*reason = "uniprocessor kernel";
	}
#endif
	printk(KERN_INFO "smp: %u CPU%s found (%s), using %u\n",
	       smp_census.ncpus, smp_census.ncpus == 1 ? "" : "s",
	       smp_census.source, n);
	return n;
}

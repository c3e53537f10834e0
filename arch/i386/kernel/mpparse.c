/*
 * Find the CPUs and decide how many to run. See Intel MultiProcessor
 * Specification 1.4, chapter 4 (floating pointer, configuration table)
 * and chapter 5 (default configurations); the ACPI MADT, read first, is
 * in acpi.c. At the end, smp_count_cpus(): the count the fixup pass and
 * SMP bring-up go by, after "nosmp" and "maxcpus=N".
 */
#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/params.h>
#include <kernel/smp.h>
#include <asm/cpufeature.h>
#include <asm/mpspec.h>

#define BDA_EBDA_SEG	0x40e	/* BIOS data area: EBDA segment */
#define BDA_BASE_KB	0x413	/* BIOS data area: base memory in KiB */
#define BIOS_ROM	0xf0000	/* MP spec 4: search 0F0000h-0FFFFFh */
#define BIOS_ROM_LEN	0x10000

#define MPF_LEN		16	/* floating pointer structure */
#define MPF_PHYSPTR	4	/* u32: configuration table */
#define MPF_LENGTH	8	/* u8: in 16-byte units, 1 */
#define MPF_FEATURE1	11	/* u8: default configuration, 0 = table */

#define MPC_HDR_LEN	44	/* configuration table header */
#define MPC_LENGTH	4	/* u16: base table length */
#define MPC_COUNT	34	/* u16: base table entry count */
#define MPC_LAPIC	36	/* u32: local APIC address */

#define MP_PROCESSOR	0	/* 20 bytes */
#define MP_LINTSRC	4	/* last base entry type; 1..4 are 8 bytes */
#define MP_PROC_APICID	1
#define MP_PROC_FLAGS	3
#define CPU_ENABLED	0x01
#define CPU_BOOTPROC	0x02

#define MP_DEFAULT_MAX	7	/* default configurations 1..7 */

void __init smp_census_init(struct smp_census *c, const char *source)
{
	memset(c, 0, sizeof(*c));
	c->source = source;
}

/* Record an enabled CPU; the BSP goes first even if listed late. */
void __init smp_census_add(struct smp_census *c, u8 apic_id, bool bsp)
{
	unsigned int i, keep;

	for (i = 0; i < c->ncpus; i++) {
		if (c->apic_id[i] == apic_id) {
			printk(KERN_WARNING "smp: %s: APIC id %u listed twice, "
			       "ignoring the second\n", c->source, apic_id);
			return;
		}
	}
	/* Listed absent first, then present: present. */
	for (i = 0; i < c->nhotplug; i++) {
		if (c->hotplug_id[i] == apic_id) {
			c->hotplug_id[i] = c->hotplug_id[--c->nhotplug];
			break;
		}
	}
	c->nfound++;
	if (bsp && c->bsp_listed) {
		printk(KERN_WARNING "smp: %s: second boot processor (APIC "
		       "id %u), taken as an AP\n", c->source, apic_id);
		bsp = false;
	}
	if (bsp) {
		keep = c->ncpus < CONFIG_NR_CPUS ? c->ncpus :
						   CONFIG_NR_CPUS - 1;
		for (i = keep; i > 0; i--)
			c->apic_id[i] = c->apic_id[i - 1];
		c->apic_id[0] = apic_id;
		c->ncpus = keep + 1;
		c->bsp_apic_id = apic_id;
		c->bsp_listed = true;
	} else if (c->ncpus < CONFIG_NR_CPUS) {
		c->apic_id[c->ncpus++] = apic_id;
	}
}

/*
 * Record a CPU the firmware lists as absent but able to arrive later
 * (acpi.c decides which). Only its APIC id: it is started, if ever, when
 * it arrives (Documentation/hotplug.md).
 */
void __init smp_census_add_hotplug(struct smp_census *c, u8 apic_id)
{
	unsigned int i;

	for (i = 0; i < c->ncpus; i++)
		if (c->apic_id[i] == apic_id)
			return;
	for (i = 0; i < c->nhotplug; i++)
		if (c->hotplug_id[i] == apic_id)
			return;
	if (c->nhotplug < CONFIG_NR_CPUS)
		c->hotplug_id[c->nhotplug++] = apic_id;
}

/* After the walk: at least one CPU, a BSP, NR_CPUS respected. */
int __init smp_census_finish(struct smp_census *c, const char *what)
{
	if (!c->ncpus) {
		printk(KERN_WARNING "smp: %s lists no enabled processors\n",
		       what);
		return -1;
	}
	if (!c->bsp_listed) {
		printk(KERN_WARNING "smp: %s marks no boot processor, "
		       "assuming APIC id %u\n", what, c->apic_id[0]);
		c->bsp_apic_id = c->apic_id[0];
	}
	if (c->nfound > c->ncpus)
		printk(KERN_WARNING "smp: %s lists %u processors, only %u "
		       "supported (CONFIG_NR_CPUS), ignoring the rest\n",
		       what, c->nfound, c->ncpus);
	if (!c->lapic_phys) {
		printk(KERN_WARNING "smp: %s gives no local APIC address, "
		       "using 0x%x\n", what, APIC_DEFAULT_PHYS_BASE);
		c->lapic_phys = APIC_DEFAULT_PHYS_BASE;
	}
	return 0;
}

/* The extended BIOS data area, or 0 if the BDA does not name one. */
u32 __init bios_ebda_base(const struct phys_window *w)
{
	const u8 *p = phys_map(w, BDA_EBDA_SEG, 2);

	return p ? (u32)get_le16(p) << 4 : 0;
}

/* For warnings: why a structure at p cannot be mapped whole. */
const char *__init phys_why_unmapped(const struct phys_window *w, u32 p)
{
	return phys_map(w, p, 1) ? "truncated by the end of memory" :
				   "outside memory";
}

static int __init mp_default_config(const u8 *mpf, u32 at,
				    struct smp_census *c)
{
	u8 type = mpf[MPF_FEATURE1];

	if (type > MP_DEFAULT_MAX) {
		printk(KERN_WARNING "smp: MP floating pointer at 0x%x: unknown "
		       "default configuration %u\n", at, type);
		return -1;
	}
	/*
	 * MP spec 5: two processors, local APIC ids 0 and 1. Which one
	 * boots is not stated; 0 is assumed, the APIC id register tells.
	 */
	smp_census_init(c, SMP_SRC_DEFAULT);
	smp_census_add(c, 0, true);
	smp_census_add(c, 1, false);
	c->lapic_phys = APIC_DEFAULT_PHYS_BASE;
	return 0;
}

static int __init mp_walk_entries(const u8 *t, u32 at, u32 len, u32 count,
				  struct smp_census *c)
{
	u32 off = MPC_HDR_LEN, size, i;
	u8 type, flags;

	for (i = 0; i < count; i++) {
		if (off >= len) {
			printk(KERN_WARNING "smp: MP config table at 0x%x: "
			       "entry count %u overruns base table length %u\n",
			       at, count, len);
			return -1;
		}
		type = t[off];
		if (type > MP_LINTSRC) {
			printk(KERN_WARNING "smp: MP config table at 0x%x: "
			       "unknown entry type %u at offset %u\n",
			       at, type, off);
			return -1;
		}
		size = type == MP_PROCESSOR ? 20 : 8;
		if (size > len - off) {
			printk(KERN_WARNING "smp: MP config table at 0x%x: "
			       "entry %u (type %u) overruns base table length "
			       "%u\n", at, i, type, len);
			return -1;
		}
		if (type == MP_PROCESSOR) {
			flags = t[off + MP_PROC_FLAGS];
			if (flags & CPU_ENABLED)
				smp_census_add(c, t[off + MP_PROC_APICID],
					       flags & CPU_BOOTPROC);
		}
		off += size;
	}
	return 0;
}

static int __init mp_parse_config(const struct phys_window *w, u32 at,
				  struct smp_census *c)
{
	const u8 *t = phys_map(w, at, MPC_HDR_LEN);
	u32 len;

	if (!t) {
		printk(KERN_WARNING "smp: MP config table at 0x%x: header %s\n",
		       at, phys_why_unmapped(w, at));
		return -1;
	}
	if (memcmp(t, "PCMP", 4)) {
		printk(KERN_WARNING "smp: MP config table at 0x%x: bad "
		       "signature\n", at);
		return -1;
	}
	len = get_le16(t + MPC_LENGTH);
	if (len < MPC_HDR_LEN) {
		printk(KERN_WARNING "smp: MP config table at 0x%x: base table "
		       "length %u is shorter than its header\n", at, len);
		return -1;
	}
	t = phys_map(w, at, len);
	if (!t) {
		printk(KERN_WARNING "smp: MP config table at 0x%x: base table "
		       "(length %u) %s\n", at, len, phys_why_unmapped(w, at));
		return -1;
	}
	if (byte_sum(t, len)) {
		printk(KERN_WARNING "smp: MP config table at 0x%x: bad "
		       "checksum\n", at);
		return -1;
	}
	smp_census_init(c, SMP_SRC_MPTABLE);
	c->lapic_phys = get_le32(t + MPC_LAPIC);
	if (mp_walk_entries(t, at, len, get_le16(t + MPC_COUNT), c))
		return -1;
	return smp_census_finish(c, "MP config table");
}

/*
 * BIOS tables (the MP floating pointer, the ACPI RSDP) start on a 16-byte
 * paragraph: the first in [base, base + len) that check() accepts, or 0.
 */
u32 __init phys_scan(const struct phys_window *w, u32 base, u32 len,
		     bool (*check)(const struct phys_window *w, u32 p))
{
	u32 p;

	for (p = base; p - base < len; p += 16)
		if (check(w, p))
			return p;
	return 0;
}

/* A valid floating pointer at p? Bad ones are reported and skipped. */
static bool __init mpf_check(const struct phys_window *w, u32 p)
{
	const u8 *mpf = phys_map(w, p, MPF_LEN);

	if (!mpf || memcmp(mpf, "_MP_", 4))
		return false;
	if (mpf[MPF_LENGTH] != 1) {
		printk(KERN_WARNING "smp: MP floating pointer at 0x%x: length "
		       "%u, expected 1\n", p, mpf[MPF_LENGTH]);
		return false;
	}
	if (byte_sum(mpf, MPF_LEN)) {
		printk(KERN_WARNING "smp: MP floating pointer at 0x%x: bad "
		       "checksum\n", p);
		return false;
	}
	return true;
}

/* MP spec 4: EBDA first KiB, else the last KiB of base memory, else ROM. */
static u32 __init mpf_find(const struct phys_window *w)
{
	u32 ebda = bios_ebda_base(w), top, at = 0;
	const u8 *kb = phys_map(w, BDA_BASE_KB, 2);

	if (ebda)
		at = phys_scan(w, ebda, 1024, mpf_check);
	top = kb ? get_le16(kb) : 0;
	if (top < 1 || top > 640)
		top = 640;
	top = top * 1024 - 1024;
	if (!at && top != ebda)
		at = phys_scan(w, top, 1024, mpf_check);
	if (!at)
		at = phys_scan(w, BIOS_ROM, BIOS_ROM_LEN, mpf_check);
	return at;
}

int __init mp_find_cpus(const struct phys_window *w, struct smp_census *c)
{
	u32 at = mpf_find(w);
	const u8 *mpf;
	u32 table;

	if (!at) {
		printk(KERN_WARNING "smp: no MP floating pointer found\n");
		return -1;
	}
	mpf = phys_map(w, at, MPF_LEN);
	if (mpf[MPF_FEATURE1])
		return mp_default_config(mpf, at, c);
	table = get_le32(mpf + MPF_PHYSPTR);
	if (!table) {
		printk(KERN_WARNING "smp: MP floating pointer at 0x%x: neither "
		       "a config table nor a default configuration\n", at);
		return -1;
	}
	return mp_parse_config(w, table, c);
}

/*
 * The ACPI MADT first, the MP table second, as Linux does: on QEMU the
 * MADT comes from QEMU's own CPU list, while SeaBIOS's MP table lists
 * only the CPUs the BIOS counted itself (one, with -smp 2 under TCG).
 */
void __init detect_cpus_in(const struct phys_window *w, struct smp_census *c)
{
	if (acpi_find_cpus(w, c) && mp_find_cpus(w, c)) {
		printk(KERN_WARNING "smp: no usable MP table or ACPI MADT, "
		       "assuming one CPU\n");
		/* The BSP's APIC id is unknown: its APIC register tells. */
		smp_census_init(c, SMP_SRC_NONE);
		smp_census_add(c, 0, true);
		c->lapic_phys = APIC_DEFAULT_PHYS_BASE;
	}
	printk(KERN_INFO "smp: %u CPU%s from %s, BSP APIC id %u, local APIC "
	       "at 0x%x\n", c->ncpus, c->ncpus == 1 ? "" : "s", c->source,
	       c->bsp_apic_id, c->lapic_phys);
}

#ifndef HOST_TEST
void __init detect_cpus(struct smp_census *c, u32 top)
{
	struct phys_window w;

	/*
	 * Nothing needed lies below the BIOS data area (0x400); starting
	 * there also keeps a NULL base pointer out of the compiler's view.
	 */
	w.start = 0x400;
	w.base = (const u8 *)(uintptr_t)w.start;
	w.size = top > w.start ? top - w.start : 0;
	detect_cpus_in(&w, c);
}

struct smp_census smp_census;
static bool nosmp __initdata;
static unsigned int maxcpus __initdata = CONFIG_NR_CPUS;
static unsigned int nr_possible = 1;
static bool nohotplug __initdata;
static unsigned int possible_param __initdata;	/* 0: not given */

__setup_flag("nohotplug", nohotplug);

static int __init set_possible_cpus(const char *val)
{
	unsigned int n;

	if (param_uint(val, &n) || n == 0 || n > CONFIG_NR_CPUS)
		return -1;
	possible_param = n;
	return 0;
}
__setup("possible_cpus", set_possible_cpus);

__setup_flag("nosmp", nosmp);

/* maxcpus=0 means what nosmp means, as in Linux. */
static int __init set_maxcpus(const char *val)
{
	return param_uint(val, &maxcpus);
}
__setup("maxcpus", set_maxcpus);

/*
 * How many CPUs may ever run, n of them from boot: n and the firmware's
 * hot-add entries (acpi.c), or exactly possible_cpus=N as in Linux, never
 * more than maxcpus= or CONFIG_NR_CPUS. Only n with nohotplug, nosmp, or
 * a boot CPU without a local APIC (no start-up IPIs).
 */
static unsigned int __init count_possible(unsigned int n)
{
#ifdef CONFIG_HOTPLUG_CPU
	unsigned int p = n + smp_census.nhotplug;

	if (nohotplug || nosmp || !cpu_has(&boot_cpu_data, X86_FEATURE_APIC))
		return n;
	if (possible_param)
		p = possible_param;
	if (p > maxcpus)
		p = maxcpus;
	if (p > CONFIG_NR_CPUS)
		p = CONFIG_NR_CPUS;
	return p > n ? p : n;
#else
	return n;
#endif
}

/*
 * What the firmware lists, then what can and may run: a CPU without a
 * local APIC cannot send the start-up IPIs, then nosmp, maxcpus= and a
 * uniprocessor build. *reason says which of them decided ("auto" when
 * none did); the fixup pass reports it on its "fixup: mode:" line.
 */
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
	nr_possible = count_possible(n);
	if (nr_possible > n)
		printk(KERN_INFO "smp: %u CPU%s online, %u more possible "
		       "(hot-add)\n", n, n == 1 ? "" : "s", nr_possible - n);
	return n;
}

unsigned int smp_possible_cpus(void)
{
	return nr_possible;
}
#endif

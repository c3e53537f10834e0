/*
 * Counting the CPUs: MultiProcessor Specification 1.4 tables
 * (arch/i386/kernel/mpparse.c) and the ACPI MADT (arch/i386/kernel/acpi.c).
 *
 * Both parsers read firmware memory only through a phys_window, which
 * checks every access against its bounds: the kernel's window is
 * physical memory, the host tests' an exact-size malloc of fake memory.
 */
#ifndef ASM_MPSPEC_H
#define ASM_MPSPEC_H

#include <kernel/types.h>

#define APIC_DEFAULT_PHYS_BASE	0xfee00000u	/* SDM vol. 3A, 10.4.1 */

/* Physical [start, start + size) is readable at base. */
struct phys_window {
	const u8 *base;
	u32 start;
	u32 size;
};

/* Pointer to phys p..p+len-1, or NULL if any of it is outside w. */
static inline const u8 *phys_map(const struct phys_window *w, u32 p, u32 len)
{
	if (p < w->start || len > w->size || p - w->start > w->size - len)
		return NULL;
	return w->base + (p - w->start);
}

/* Firmware tables are little-endian and unaligned: read bytewise. */
static inline u16 get_le16(const u8 *p)
{
	return p[0] | (u16)p[1] << 8;
}

static inline u32 get_le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* MP and ACPI tables both sum to zero, byte by byte. */
static inline u8 byte_sum(const u8 *p, u32 len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

/* Where the CPU list came from. */
#define SMP_SRC_MPTABLE	"mptable"	/* MP configuration table */
#define SMP_SRC_DEFAULT	"default"	/* MP default configuration: 2 CPUs */
#define SMP_SRC_ACPI	"acpi"		/* ACPI MADT */
#define SMP_SRC_NONE	"none"		/* nothing usable: one CPU */

struct smp_census {
	unsigned int ncpus;		/* entries in apic_id[] */
	unsigned int nfound;		/* enabled CPUs the table listed */
	u8 apic_id[CONFIG_NR_CPUS];	/* local APIC ids, the BSP first */
	/* Listed but not enabled, and may be enabled later (hot-add). */
	unsigned int nhotplug;		/* entries in hotplug_id[] */
	u8 hotplug_id[CONFIG_NR_CPUS];
	u8 bsp_apic_id;
	bool bsp_listed;		/* the table named the BSP */
	u32 lapic_phys;			/* local APIC registers */
	const char *source;		/* SMP_SRC_* */
};

/* Shared by both parsers (mpparse.c). */
void smp_census_init(struct smp_census *c, const char *source);
void smp_census_add(struct smp_census *c, u8 apic_id, bool bsp);
void smp_census_add_hotplug(struct smp_census *c, u8 apic_id);
int smp_census_finish(struct smp_census *c, const char *what);
u32 bios_ebda_base(const struct phys_window *w);
const char *phys_why_unmapped(const struct phys_window *w, u32 p);
u32 phys_scan(const struct phys_window *w, u32 base, u32 len,
	      bool (*check)(const struct phys_window *w, u32 p));

/* 0 and a filled census if found, else -1 after a warning. */
int mp_find_cpus(const struct phys_window *w, struct smp_census *c);
int acpi_find_cpus(const struct phys_window *w, struct smp_census *c);

/* ACPI MADT, else MP table, else one CPU. Never fails. */
void detect_cpus_in(const struct phys_window *w, struct smp_census *c);

/*
 * The kernel's entry point: physical memory [0, top) must be identity
 * mapped and readable, and should reach the ACPI tables (they sit in
 * reserved memory just below the top of RAM on most PCs).
 */
void detect_cpus(struct smp_census *c, u32 top);

#endif

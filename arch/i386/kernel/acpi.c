/*
 * Find the CPUs in the ACPI MADT. See ACPI specification 6.5: 5.2.5
 * (RSDP), 5.2.6 (table header), 5.2.7 (RSDT), 5.2.8 (XSDT), 5.2.12 (MADT),
 * 5.2.9 (FADT). Only what counting CPUs needs, and the few FADT fields
 * that CPU hot-add needs to take the SCI (arch/i386/kernel/hotplug.c);
 * no AML, no other tables.
 */
#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/mpspec.h>
#include <asm/acpi.h>

#define ACPI_ROM	0xe0000	/* 5.2.5.1: search 0E0000h-0FFFFFh */
#define ACPI_ROM_LEN	0x20000

#define RSDP_V1_LEN	20	/* checksum covers these */
#define RSDP_REVISION	15	/* u8: 0 = ACPI 1.0, 2 = 2.0 and later */
#define RSDP_RSDT	16	/* u32 */
#define RSDP_LENGTH	20	/* u32: whole RSDP, revision >= 2 */
#define RSDP_XSDT	24	/* u64 */
#define RSDP_V2_LEN	36

#define SDT_HDR_LEN	36	/* every system description table */
#define SDT_LENGTH	4	/* u32: whole table */
#define SDT_OEM_ID	10	/* 6 characters */

/* FADT fields (5.2.9, table 5.9): all in its ACPI 1.0 part. */
#define FADT_SCI_INT	46	/* u16: 8259 IRQ of the SCI */
#define FADT_SMI_CMD	48	/* u32: I/O port; 0: always in ACPI mode */
#define FADT_ACPI_ENABLE 52	/* u8: written to SMI_CMD */
#define FADT_PM1A_EVT	56	/* u32: PM1a event block (status, enable) */
#define FADT_PM1A_CNT	64	/* u32: PM1a control block */
#define FADT_GPE0_BLK	80	/* u32: GPE0 block (status, enable) */
#define FADT_PM1_EVT_LEN 88	/* u8 */
#define FADT_GPE0_LEN	92	/* u8: bytes, even */
#define FADT_MIN_LEN	93

#define MADT_LAPIC_ADDR	36	/* u32 */
#define MADT_ENTRIES	44	/* first interrupt controller structure */

#define MADT_LAPIC	0	/* processor local APIC, 8 bytes */
#define MADT_LAPIC_OVR	5	/* local APIC address override, 12 bytes */
#define MADT_X2APIC	9	/* processor local x2APIC, 16 bytes */
#define LAPIC_ENABLED	0x01
#define LAPIC_ONLINE_CAPABLE 0x02	/* ACPI 6.3, MADT revision 5 */
#define MADT_REV_ONLINE_CAPABLE 5
#define SDT_REVISION	8	/* u8 */

/* Map a whole table with a good signature, length and checksum. */
static const u8 *__init acpi_map_table(const struct phys_window *w, u32 at,
				       const char *sig, const char *name,
				       u32 *lenp)
{
	const u8 *t = phys_map(w, at, SDT_HDR_LEN);
	u32 len;

	if (!t) {
		printk(KERN_WARNING "acpi: %s at 0x%x: header %s\n", name, at,
		       phys_why_unmapped(w, at));
		return NULL;
	}
	if (memcmp(t, sig, 4)) {
		printk(KERN_WARNING "acpi: %s at 0x%x: bad signature\n",
		       name, at);
		return NULL;
	}
	len = get_le32(t + SDT_LENGTH);
	if (len < SDT_HDR_LEN) {
		printk(KERN_WARNING "acpi: %s at 0x%x: length %u is shorter "
		       "than its header\n", name, at, len);
		return NULL;
	}
	t = phys_map(w, at, len);
	if (!t) {
		printk(KERN_WARNING "acpi: %s at 0x%x: table (length %u) %s\n",
		       name, at, len, phys_why_unmapped(w, at));
		return NULL;
	}
	if (byte_sum(t, len)) {
		printk(KERN_WARNING "acpi: %s at 0x%x: bad checksum\n",
		       name, at);
		return NULL;
	}
	*lenp = len;
	return t;
}

/*
 * A processor entry whose enabled bit is clear is absent. Before MADT
 * revision 5 such a CPU may be hot-added (QEMU lists maxcpus entries
 * that way); from ACPI 6.3 on only if it is marked online capable.
 */
static void __init madt_cpu(struct smp_census *c, u32 id, u32 flags,
			    u8 rev, bool first)
{
	if (flags & LAPIC_ENABLED)
		smp_census_add(c, id, first);
	else if (rev < MADT_REV_ONLINE_CAPABLE ||
		 (flags & LAPIC_ONLINE_CAPABLE))
		smp_census_add_hotplug(c, id);
}

static void __init madt_entry(struct smp_census *c, const u8 *e, u32 len,
			      u8 rev, u32 at, u32 off)
{
	/* ACPI 5.2.12: firmware should list the boot processor first. */
	bool first = c->nfound == 0;
	u32 id;

	switch (e[0]) {
	case MADT_LAPIC:
		if (len < 8)
			break;
		madt_cpu(c, e[3], get_le32(e + 4), rev, first);
		return;
	case MADT_LAPIC_OVR:
		if (len < 12)
			break;
		if (get_le32(e + 8))
			printk(KERN_WARNING "acpi: MADT at 0x%x: local APIC "
			       "override above 4 GiB, ignored\n", at);
		else
			c->lapic_phys = get_le32(e + 4);
		return;
	case MADT_X2APIC:
		if (len < 16)
			break;
		id = get_le32(e + 4);
		if (id < 0xff)
			madt_cpu(c, id, get_le32(e + 8), rev, first);
		else if (get_le32(e + 8) & LAPIC_ENABLED)
			printk(KERN_WARNING "acpi: MADT at 0x%x: x2APIC id %u "
			       "needs x2APIC mode, CPU ignored\n", at, id);
		return;
	default:
		/* I/O APICs, overrides, NMI sources: not ours. */
		return;
	}
	printk(KERN_WARNING "acpi: MADT at 0x%x: type %u entry at offset %u "
	       "is too short (%u bytes), skipped\n", at, e[0], off, len);
}

static int __init acpi_parse_madt(const struct phys_window *w, u32 at,
				  struct smp_census *c)
{
	const u8 *t;
	u32 len, off, elen;

	t = acpi_map_table(w, at, "APIC", "MADT", &len);
	if (!t)
		return -1;
	if (len < MADT_ENTRIES) {
		printk(KERN_WARNING "acpi: MADT at 0x%x: length %u is shorter "
		       "than its header\n", at, len);
		return -1;
	}
	smp_census_init(c, SMP_SRC_ACPI);
	c->lapic_phys = get_le32(t + MADT_LAPIC_ADDR);
	for (off = MADT_ENTRIES; off < len; off += elen) {
		if (len - off < 2) {
			printk(KERN_WARNING "acpi: MADT at 0x%x: truncated "
			       "entry at offset %u\n", at, off);
			break;
		}
		elen = t[off + 1];
		if (elen < 2) {
			printk(KERN_WARNING "acpi: MADT at 0x%x: entry at "
			       "offset %u has length %u, stopping\n",
			       at, off, elen);
			break;
		}
		if (elen > len - off) {
			printk(KERN_WARNING "acpi: MADT at 0x%x: entry at "
			       "offset %u (length %u) overruns the table "
			       "(length %u), stopping\n", at, off, elen, len);
			break;
		}
		madt_entry(c, t + off, elen, t[SDT_REVISION], at, off);
	}
	return smp_census_finish(c, "ACPI MADT");
}

struct acpi_fadt acpi_fadt;

/*
 * Keep what the SCI needs: read at boot with paging off, used long after
 * (not __initdata). A short or bad FADT is reported and left unused.
 */
static void __init acpi_parse_fadt(const struct phys_window *w, u32 at)
{
	struct acpi_fadt *f = &acpi_fadt;
	const u8 *t;
	u32 len;

	t = acpi_map_table(w, at, "FACP", "FADT", &len);
	if (!t)
		return;
	if (len < FADT_MIN_LEN) {
		printk(KERN_WARNING "acpi: FADT at 0x%x: length %u is too "
		       "short, not used\n", at, len);
		return;
	}
	memcpy(f->oem_id, t + SDT_OEM_ID, sizeof(f->oem_id) - 1);
	f->oem_id[sizeof(f->oem_id) - 1] = '\0';
	f->sci_int = get_le16(t + FADT_SCI_INT);
	f->smi_cmd = get_le32(t + FADT_SMI_CMD);
	f->acpi_enable = t[FADT_ACPI_ENABLE];
	f->pm1a_evt = get_le32(t + FADT_PM1A_EVT);
	f->pm1a_cnt = get_le32(t + FADT_PM1A_CNT);
	f->pm1_evt_len = t[FADT_PM1_EVT_LEN];
	f->gpe0_blk = get_le32(t + FADT_GPE0_BLK);
	f->gpe0_len = t[FADT_GPE0_LEN];
	f->found = true;
}

/*
 * Find the MADT among an RSDT's (4-byte) or XSDT's (8-byte) entries, and
 * the FADT on the way.
 */
static int __init acpi_scan_sdt(const struct phys_window *w, u32 at,
				const char *name, u32 entsize,
				struct smp_census *c)
{
	const u8 *t, *e, *h;
	u32 len, n, i, addr, madt = 0;

	t = acpi_map_table(w, at, name, name, &len);
	if (!t)
		return -1;
	n = (len - SDT_HDR_LEN) / entsize;
	for (i = 0; i < n; i++) {
		e = t + SDT_HDR_LEN + i * entsize;
		addr = get_le32(e);
		if (entsize == 8 && get_le32(e + 4)) {
			printk(KERN_WARNING "acpi: %s entry %u is above 4 GiB, "
			       "skipped\n", name, i);
			continue;
		}
		h = phys_map(w, addr, 4);
		if (!h) {
			printk(KERN_WARNING "acpi: %s entry %u (0x%x) is "
			       "outside memory, skipped\n", name, i, addr);
			continue;
		}
		if (!memcmp(h, "FACP", 4))
			acpi_parse_fadt(w, addr);
		else if (!memcmp(h, "APIC", 4) && !madt)
			madt = addr;
	}
	if (madt)
		return acpi_parse_madt(w, madt, c);
	printk(KERN_WARNING "acpi: no MADT in the %s at 0x%x\n", name, at);
	return -1;
}

/* A valid RSDP at p? Bad ones are reported and skipped. */
static bool __init rsdp_check(const struct phys_window *w, u32 p)
{
	const u8 *r = phys_map(w, p, RSDP_V1_LEN);
	u32 len;

	if (!r || memcmp(r, "RSD PTR ", 8))
		return false;
	if (byte_sum(r, RSDP_V1_LEN)) {
		printk(KERN_WARNING "acpi: RSDP at 0x%x: bad checksum\n", p);
		return false;
	}
	if (r[RSDP_REVISION] < 2)
		return true;
	if (!phys_map(w, p, RSDP_V2_LEN)) {
		printk(KERN_WARNING "acpi: RSDP at 0x%x: %s\n", p,
		       phys_why_unmapped(w, p));
		return false;
	}
	len = get_le32(r + RSDP_LENGTH);
	if (len < RSDP_V2_LEN) {
		printk(KERN_WARNING "acpi: RSDP at 0x%x: length %u is too "
		       "short for revision %u\n", p, len, r[RSDP_REVISION]);
		return false;
	}
	r = phys_map(w, p, len);
	if (!r) {
		printk(KERN_WARNING "acpi: RSDP at 0x%x: length %u %s\n", p,
		       len, phys_why_unmapped(w, p));
		return false;
	}
	if (byte_sum(r, len)) {
		printk(KERN_WARNING "acpi: RSDP at 0x%x: bad extended "
		       "checksum\n", p);
		return false;
	}
	return true;
}

int __init acpi_find_cpus(const struct phys_window *w, struct smp_census *c)
{
	u32 ebda = bios_ebda_base(w), at = 0, rsdt;
	const u8 *r;

	if (ebda)
		at = phys_scan(w, ebda, 1024, rsdp_check);
	if (!at)
		at = phys_scan(w, ACPI_ROM, ACPI_ROM_LEN, rsdp_check);
	if (!at) {
		printk(KERN_WARNING "acpi: no RSDP found\n");
		return -1;
	}
	r = phys_map(w, at, RSDP_V1_LEN);
	rsdt = get_le32(r + RSDP_RSDT);
	if (r[RSDP_REVISION] >= 2) {
		/* rsdp_check() mapped all RSDP_V2_LEN bytes. */
		r = phys_map(w, at, RSDP_V2_LEN);
		if (get_le32(r + RSDP_XSDT + 4)) {
			printk(KERN_WARNING "acpi: XSDT is above 4 GiB, using "
			       "the RSDT\n");
		} else if (get_le32(r + RSDP_XSDT)) {
			if (!acpi_scan_sdt(w, get_le32(r + RSDP_XSDT), "XSDT",
					   8, c))
				return 0;
			if (!rsdt)
				return -1;
			printk(KERN_WARNING "acpi: trying the RSDT instead\n");
		}
	}
	if (!rsdt) {
		printk(KERN_WARNING "acpi: RSDP at 0x%x: no RSDT\n", at);
		return -1;
	}
	return acpi_scan_sdt(w, rsdt, "RSDT", 4, c);
}

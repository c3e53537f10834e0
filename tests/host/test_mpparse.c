/*
 * Host tests for arch/i386/kernel/mpparse.c and acpi.c: MP 1.4 tables
 * and the ACPI MADT built in fake physical memory. The memory is an
 * exact-size malloc, so a read past any table end is caught when the
 * test runs under valgrind or -fsanitize=address.
 */
#include <stdlib.h>
#include <assert.h>
#include "tap.h"
#include <asm/mpspec.h>

#define WARN		"\0014"		/* KERN_WARNING */
#define MEM_START	0x400		/* as the kernel's window */
#define MEM_END		0x110000	/* 1 MiB + 64 KiB */

#define FP_ROM		0xf5a40		/* MP floating pointer in the ROM */
#define MPC_ROM		0xf5a50
#define RSDP_ROM	0xf6000
#define RSDT_AT		0x100000
#define XSDT_AT		0x100200
#define FACP_AT		0x100400
#define MADT_AT		0x100800
#define EBDA_SEG	0x9fc0
#define EBDA		0x9fc00

/* printk: the messages, levels included, one after the other. */
static char logbuf[16384];
static size_t loglen;

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);
	va_end(ap);
	if (n > 0)
		loglen += (size_t)n < sizeof(logbuf) - loglen ?
			  (size_t)n : sizeof(logbuf) - loglen - 1;
	return n;
}

static int log_has(const char *s)
{
	int r = strstr(logbuf, s) != NULL;

	if (!r)
		diag("log lacks \"%s\"; log:\n%s", s, logbuf);
	return r;
}

static int no_warnings(void)
{
	int r = strstr(logbuf, WARN) == NULL;

	if (!r)
		diag("unexpected warning; log:\n%s", logbuf);
	return r;
}

/* Fake physical memory [MEM_START, end). */
static u8 *mem;
static u32 mem_end;
static struct phys_window win;

static void mem_init(u32 end)
{
	free(mem);
	mem = calloc(1, end - MEM_START);
	assert(mem);
	mem_end = end;
	win.base = mem;
	win.start = MEM_START;
	win.size = end - MEM_START;
	loglen = 0;
	logbuf[0] = '\0';
}

static u8 *at(u32 p, u32 len)
{
	assert(p >= MEM_START && p <= mem_end && len <= mem_end - p);
	return mem + (p - MEM_START);
}

static void put8(u32 p, u8 v)
{
	*at(p, 1) = v;
}

static void put16(u32 p, u16 v)
{
	put8(p, v);
	put8(p + 1, v >> 8);
}

static void put32(u32 p, u32 v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put(u32 p, const char *s, u32 n)
{
	memcpy(at(p, n), s, n);
}

/* Make bytes p..p+len-1 sum to zero through the byte at p + off. */
static void fix_sum(u32 p, u32 len, u32 off)
{
	u8 *b = at(p, len), sum = 0;
	u32 i;

	b[off] = 0;
	for (i = 0; i < len; i++)
		sum += b[i];
	b[off] = -sum;
}

static void bda(u16 ebda_seg, u16 base_kb)
{
	put16(0x40e, ebda_seg);
	put16(0x413, base_kb);
}

/* ---- MP 1.4 builders ---- */

static void mp_fp(u32 p, u32 table, u8 feature1)
{
	put(p, "_MP_", 4);
	put32(p + 4, table);
	put8(p + 8, 1);
	put8(p + 9, 4);
	put8(p + 11, feature1);
	fix_sum(p, 16, 10);
}

struct mpc {
	u32 at, off;
	u16 count;
};

static void mpc_begin(struct mpc *m, u32 p)
{
	m->at = p;
	m->off = 44;
	m->count = 0;
	put(p, "PCMP", 4);
	put8(p + 6, 4);
	put(p + 8, "FIXUP386", 8);
	put(p + 16, "TEST BOARD  ", 12);
	put32(p + 36, 0xfee00000);
}

static void mpc_proc(struct mpc *m, u8 id, u8 flags)
{
	u32 p = m->at + m->off;

	put8(p, 0);
	put8(p + 1, id);
	put8(p + 2, 0x14);
	put8(p + 3, flags);
	put32(p + 4, 0x652);
	put32(p + 8, 0x0183f9ff);
	m->off += 20;
	m->count++;
}

static void mpc_other(struct mpc *m, u8 type)
{
	put8(m->at + m->off, type);
	m->off += 8;
	m->count++;
}

static void mpc_end(struct mpc *m)
{
	put16(m->at + 4, m->off);
	put16(m->at + 34, m->count);
	fix_sum(m->at, m->off, 7);
}

/* 2 enabled CPUs and a disabled one, plus the usual other entries. */
static void good_mp(u32 fp, u32 table)
{
	struct mpc m;

	mp_fp(fp, table, 0);
	mpc_begin(&m, table);
	mpc_proc(&m, 0, 3);		/* enabled, BSP */
	mpc_proc(&m, 1, 1);
	mpc_proc(&m, 2, 0);		/* disabled */
	mpc_proc(&m, 3, 1);
	mpc_other(&m, 1);		/* bus */
	mpc_other(&m, 2);		/* I/O APIC */
	mpc_other(&m, 3);		/* I/O interrupt */
	mpc_other(&m, 3);
	mpc_other(&m, 4);		/* local interrupt */
	mpc_end(&m);
}

/* ---- ACPI builders ---- */

static void rsdp(u32 p, u8 rev, u32 rsdt, u32 xsdt_lo, u32 xsdt_hi)
{
	put(p, "RSD PTR ", 8);
	put(p + 9, "FIXUP ", 6);
	put8(p + 15, rev);
	put32(p + 16, rsdt);
	fix_sum(p, 20, 8);
	if (rev >= 2) {
		put32(p + 20, 36);
		put32(p + 24, xsdt_lo);
		put32(p + 28, xsdt_hi);
		fix_sum(p, 36, 32);
	}
}

static void sdt(u32 p, const char *sig, u32 len)
{
	put(p, sig, 4);
	put32(p + 4, len);
	put8(p + 8, 1);
	put(p + 10, "FIXUP ", 6);
	put(p + 16, "TESTTABL", 8);
	fix_sum(p, len, 9);
}

static void rsdt(u32 p, const u32 *e, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		put32(p + 36 + 4 * i, e[i]);
	sdt(p, "RSDT", 36 + 4 * n);
}

static void xsdt(u32 p, const u32 *e, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		put32(p + 36 + 8 * i, e[i]);
	sdt(p, "XSDT", 36 + 8 * n);
}

struct madt {
	u32 at, off;
};

static void madt_begin(struct madt *m, u32 p)
{
	m->at = p;
	m->off = 44;
	put32(p + 36, 0xfee00000);
	put32(p + 40, 1);		/* PC-AT compatible */
}

static void madt_raw(struct madt *m, u8 type, u8 len)
{
	put8(m->at + m->off, type);
	put8(m->at + m->off + 1, len);
	m->off += len >= 2 ? len : 2;	/* a bad length still has 2 bytes */
}

static void madt_lapic(struct madt *m, u8 uid, u8 id, u32 flags)
{
	u32 p = m->at + m->off;

	madt_raw(m, 0, 8);
	put8(p + 2, uid);
	put8(p + 3, id);
	put32(p + 4, flags);
}

static void madt_x2apic(struct madt *m, u32 id, u32 flags)
{
	u32 p = m->at + m->off;

	madt_raw(m, 9, 16);
	put32(p + 4, id);
	put32(p + 8, flags);
}

static void madt_end(struct madt *m)
{
	sdt(m->at, "APIC", m->off);
}

/* CPUs with APIC ids 0, 2, 6 (4 disabled), among the usual entries. */
static void good_madt(u32 p)
{
	struct madt m;

	madt_begin(&m, p);
	madt_lapic(&m, 0, 0, 1);
	madt_lapic(&m, 1, 2, 1);
	madt_lapic(&m, 2, 4, 0);
	madt_raw(&m, 1, 12);		/* I/O APIC */
	madt_raw(&m, 2, 10);		/* interrupt source override */
	madt_raw(&m, 4, 6);		/* local APIC NMI */
	madt_lapic(&m, 3, 6, 1);
	madt_end(&m);
}

static void good_acpi(u8 rev)
{
	u32 e[2] = { FACP_AT, MADT_AT };

	sdt(FACP_AT, "FACP", 116);
	good_madt(MADT_AT);
	rsdt(RSDT_AT, e, 2);
	if (rev >= 2)
		xsdt(XSDT_AT, e, 2);
	rsdp(RSDP_ROM, rev, RSDT_AT, rev >= 2 ? XSDT_AT : 0, 0);
}

/* ---- checks ---- */

static int census_is(const struct smp_census *c, const char *source,
		     unsigned int n, const u8 *ids, u8 bsp, u32 lapic)
{
	int r = 1;

	r &= c->source && !strcmp(c->source, source);
	r &= c->ncpus == n && !memcmp(c->apic_id, ids, n);
	r &= c->bsp_apic_id == bsp && c->lapic_phys == lapic;
	if (!r) {
		diag("source %s ncpus %u bsp %u lapic 0x%x", c->source,
		     c->ncpus, c->bsp_apic_id, c->lapic_phys);
		diag_bytes("ids", c->apic_id, c->ncpus);
	}
	return r;
}

static int is_fallback(const struct smp_census *c)
{
	static const u8 one[] = { 0 };

	return census_is(c, SMP_SRC_NONE, 1, one, 0, 0xfee00000) &&
	       log_has(WARN "smp: no usable MP table or ACPI MADT");
}

static void test_mp_good(void)
{
	static const u8 ids[] = { 0, 1, 3 };
	struct smp_census c;

	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	ok(mp_find_cpus(&win, &c) == 0, "MP: good table in the F segment");
	ok(census_is(&c, "mptable", 3, ids, 0, 0xfee00000),
	   "MP: enabled CPUs 0, 1, 3; disabled 2 skipped");
	is_int(c.nfound, 3, "MP: 3 found");
	ok(no_warnings(), "MP: good table, no warnings");

	detect_cpus_in(&win, &c);
	ok(census_is(&c, "mptable", 3, ids, 0, 0xfee00000),
	   "detect: MP table first");
	ok(log_has("smp: 3 CPUs from mptable, BSP APIC id 0, local APIC at "
		   "0xfee00000"), "detect: reports what it found");

	/* With a good MADT too, the MADT wins: it is tried first. */
	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	good_acpi(0);
	detect_cpus_in(&win, &c);
	ok(!strcmp(c.source, "acpi") && c.ncpus == 3 && c.apic_id[1] == 2 &&
	   c.apic_id[2] == 6, "detect: MADT preferred over the MP table");
}

static void test_mp_places(void)
{
	static const u8 ids[] = { 0, 1, 3 };
	static const u8 two[] = { 7, 8 };
	struct smp_census c;
	struct mpc m;

	mem_init(MEM_END);
	bda(EBDA_SEG, 639);
	good_mp(EBDA + 0x100, EBDA + 0x110);
	/* a different table in the ROM must lose to the EBDA one */
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 7, 3);
	mpc_proc(&m, 8, 1);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "mptable", 3, ids, 0, 0xfee00000),
	   "MP: EBDA searched before the ROM");

	mem_init(MEM_END);
	bda(0, 512);
	good_mp(0x7fc00 + 0x3f0, 0x7fc00 + 0x400 - 0x200);
	ok(mp_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "mptable", 3, ids, 0, 0xfee00000),
	   "MP: last KiB of 512 KiB base memory without an EBDA");

	mem_init(MEM_END);
	bda(0, 0);
	good_mp(0x9fc00 + 0x20, 0x9fc00 + 0x40);
	ok(mp_find_cpus(&win, &c) == 0,
	   "MP: base memory 0 KiB means 640 KiB");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 7, 3);
	mpc_proc(&m, 8, 1);
	mpc_end(&m);
	put32(FP_ROM + 4, 0x41);	/* misplace the table... */
	fix_sum(FP_ROM, 16, 10);
	mp_fp(0xfff00, MPC_ROM, 0);	/* ...a second, good pointer */
	ok(mp_find_cpus(&win, &c) == -1,
	   "MP: first valid floating pointer is used, even if its table "
	   "is bad");

	mem_init(MEM_END);
	put(FP_ROM, "_MP_", 4);		/* bad checksum, keep looking */
	put8(FP_ROM + 8, 1);
	put8(FP_ROM + 10, 1);
	mp_fp(0xfff00, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 7, 3);
	mpc_proc(&m, 8, 1);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "mptable", 2, two, 7, 0xfee00000),
	   "MP: a bad floating pointer is skipped, the search goes on");
	ok(log_has(WARN "smp: MP floating pointer at 0xf5a40: bad checksum"),
	   "MP: ... and reported");
}

static void test_mp_cpus(void)
{
	static const u8 late[] = { 6, 4, 5 };
	static const u8 nobsp[] = { 4, 5 };
	static const u8 many[] = { 30, 10, 11, 12, 13, 14, 15, 16 };
	static const u8 dup[] = { 1, 2 };
	struct smp_census c;
	struct mpc m;
	unsigned int i;

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 4, 1);
	mpc_proc(&m, 5, 1);
	mpc_proc(&m, 6, 3);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "mptable", 3, late, 6, 0xfee00000),
	   "MP: a BSP listed last goes first");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 4, 1);
	mpc_proc(&m, 5, 1);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "mptable", 2, nobsp, 4, 0xfee00000),
	   "MP: no BSP flag: the first is assumed");
	ok(log_has(WARN "smp: MP config table marks no boot processor, "
		   "assuming APIC id 4"), "MP: no BSP flag: warned");

	/* 12 CPUs, BSP listed last, NR_CPUS = 8. */
	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	for (i = 0; i < 11; i++)
		mpc_proc(&m, 10 + i, 1);
	mpc_proc(&m, 30, 3);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "mptable", 8, many, 30, 0xfee00000),
	   "MP: 12 CPUs: the BSP and the first 7 others kept");
	is_int(c.nfound, 12, "MP: 12 found");
	ok(log_has(WARN "smp: MP config table lists 12 processors, only 8 "
		   "supported (CONFIG_NR_CPUS)"), "MP: NR_CPUS: warned");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 1, 3);
	mpc_proc(&m, 2, 1);
	mpc_proc(&m, 1, 1);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "mptable", 2, dup, 1, 0xfee00000),
	   "MP: a duplicate APIC id counts once");
	ok(log_has(WARN "smp: mptable: APIC id 1 listed twice"),
	   "MP: duplicate: warned");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 1, 3);
	mpc_proc(&m, 2, 3);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 && c.bsp_apic_id == 1 &&
	   c.ncpus == 2 && c.apic_id[1] == 2,
	   "MP: a second BSP flag is an AP");
	ok(log_has(WARN "smp: mptable: second boot processor (APIC id 2)"),
	   "MP: second BSP: warned");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 1, 3);
	put32(MPC_ROM + 36, 0);		/* no local APIC address */
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 && c.lapic_phys == 0xfee00000,
	   "MP: local APIC address 0 means the default");
	ok(log_has(WARN "smp: MP config table gives no local APIC address"),
	   "MP: local APIC address 0: warned");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 1, 3);
	put32(MPC_ROM + 36, 0xfec10000);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == 0 && c.lapic_phys == 0xfec10000,
	   "MP: local APIC address from the table");
}

static void test_mp_default(void)
{
	static const u8 ids[] = { 0, 1 };
	struct smp_census c;

	mem_init(MEM_END);
	mp_fp(FP_ROM, 0, 5);
	ok(mp_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "default", 2, ids, 0, 0xfee00000),
	   "MP: default configuration 5: two CPUs");
	ok(no_warnings(), "MP: default configuration: no warnings");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 1);	/* feature byte wins over the table */
	ok(mp_find_cpus(&win, &c) == 0 && !strcmp(c.source, "default"),
	   "MP: default configuration 1");

	mem_init(MEM_END);
	mp_fp(FP_ROM, 0, 9);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "smp: MP floating pointer at 0xf5a40: unknown default "
		   "configuration 9"), "MP: default configuration 9: warned");
	ok(is_fallback(&c), "MP: default configuration 9: one CPU");
}

/* One broken MP table each; all must end in "not found" + warning. */
static void test_mp_bad(void)
{
	struct smp_census c;
	struct mpc m;
	u32 p;

	mem_init(MEM_END);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "smp: no MP floating pointer found"),
	   "MP: none: warned");
	ok(log_has(WARN "acpi: no RSDP found"), "ACPI: none: warned");
	ok(is_fallback(&c), "nothing at all: one CPU");

	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	put8(FP_ROM + 9, 1);		/* spec rev 1.1, checksum now off */
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "smp: MP floating pointer at 0xf5a40: bad checksum"),
	   "MP: floating pointer checksum: warned");
	ok(is_fallback(&c), "MP: floating pointer checksum: one CPU");

	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	put8(FP_ROM + 8, 2);
	fix_sum(FP_ROM, 16, 10);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has(WARN "smp: MP floating pointer at 0xf5a40: length 2, "
		   "expected 1"), "MP: floating pointer length 2");

	mem_init(MEM_END);
	mp_fp(FP_ROM, 0, 0);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has("neither a config table nor a default configuration"),
	   "MP: no table, no default");

	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	put8(MPC_ROM + 45, 9);		/* BSP's APIC id: checksum off */
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "smp: MP config table at 0xf5a50: bad checksum"),
	   "MP: config table checksum: warned");
	ok(is_fallback(&c), "MP: config table checksum: one CPU");

	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	put(MPC_ROM, "PCMQ", 4);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has(WARN "smp: MP config table at 0xf5a50: bad signature"),
	   "MP: config table signature");

	mem_init(MEM_END);
	mp_fp(FP_ROM, 0x20000000, 0);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "smp: MP config table at 0x20000000: header outside "
		   "memory"), "MP: table pointer outside memory: warned");
	ok(is_fallback(&c), "MP: table pointer outside memory: one CPU");

	mem_init(MEM_END);
	mp_fp(FP_ROM, 0x200, 0);	/* below the window's start */
	ok(mp_find_cpus(&win, &c) == -1 && log_has("outside memory"),
	   "MP: table pointer below the window");

	/* Header hanging over the end of memory. */
	mem_init(MEM_END);
	mp_fp(FP_ROM, MEM_END - 20, 0);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has("0x10ffec: header truncated by the end of memory"),
	   "MP: header truncated by the end of memory");

	/* A good table whose base length runs past the end of memory. */
	mem_init(MEM_END);
	p = MEM_END - 64;
	mp_fp(FP_ROM, p, 0);
	mpc_begin(&m, p);
	mpc_proc(&m, 0, 3);
	put16(p + 4, 65);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has(WARN "smp: MP config table at 0x10ffc0: base table "
		   "(length 65) truncated by the end of memory"),
	   "MP: base table length 1 byte past the end of memory");

	mem_init(MEM_END);
	p = MEM_END - 0x100;
	mp_fp(FP_ROM, p, 0);
	mpc_begin(&m, p);
	mpc_proc(&m, 0, 3);
	put16(p + 4, 0xffff);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has("(length 65535) truncated by the end of memory"),
	   "MP: base table length 0xffff");

	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	put16(MPC_ROM + 4, 43);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has("base table length 43 is shorter than its header"),
	   "MP: base table length 43");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 0, 3);
	mpc_proc(&m, 1, 1);
	mpc_end(&m);
	put16(MPC_ROM + 34, 0xffff);
	fix_sum(MPC_ROM, m.off, 7);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "smp: MP config table at 0xf5a50: entry count 65535 "
		   "overruns base table length 84"),
	   "MP: 65535 entries: warned");
	ok(is_fallback(&c), "MP: 65535 entries: one CPU");

	/* The last entry is a processor cut short by the base length. */
	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 0, 3);
	mpc_proc(&m, 1, 1);
	m.off -= 4;
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has("entry 1 (type 0) overruns base table length 80"),
	   "MP: processor entry cut short");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 0, 3);
	mpc_other(&m, 0x80);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has("unknown entry type 128 at offset 64"),
	   "MP: unknown entry type");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_proc(&m, 0, 2);		/* BSP flag, not enabled */
	mpc_proc(&m, 1, 0);
	mpc_other(&m, 1);
	mpc_end(&m);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "smp: MP config table lists no enabled processors"),
	   "MP: zero processors: warned");
	ok(is_fallback(&c), "MP: zero processors: one CPU");

	mem_init(MEM_END);
	mp_fp(FP_ROM, MPC_ROM, 0);
	mpc_begin(&m, MPC_ROM);
	mpc_end(&m);
	ok(mp_find_cpus(&win, &c) == -1 &&
	   log_has("lists no enabled processors"), "MP: no entries at all");
}

/* Memory that ends inside the areas searched. */
static void test_small_window(void)
{
	struct smp_census c;

	struct phys_window w;
	u8 *buf;

	/* Memory ends 8 bytes into a floating pointer. */
	mem_init(0xf0008);
	put(0xf0000, "_MP_", 4);
	bda(0xffff, 640);		/* EBDA "at" 0xffff0: outside */
	detect_cpus_in(&win, &c);
	ok(is_fallback(&c), "memory ends inside an MP pointer: one CPU");

	/* ... and 16 bytes into an RSDP. */
	mem_init(0xf0010);
	put(0xf0000, "RSD PTR ", 8);
	detect_cpus_in(&win, &c);
	ok(is_fallback(&c), "memory ends inside an RSDP: one CPU");

	/* No BIOS data area or ROM in the window at all. */
	buf = calloc(1, 0x1000);
	w = (struct phys_window){ buf, 0x100000, 0x1000 };
	loglen = 0;
	detect_cpus_in(&w, &c);
	ok(is_fallback(&c), "window above 1 MiB: one CPU");
	w.size = 0;
	detect_cpus_in(&w, &c);
	ok(is_fallback(&c), "empty window: one CPU");
	free(buf);
}

static void test_acpi_good(void)
{
	static const u8 ids[] = { 0, 2, 6 };
	struct smp_census c;

	mem_init(MEM_END);
	good_acpi(0);
	ok(acpi_find_cpus(&win, &c) == 0, "ACPI: RSDP 1.0 -> RSDT -> MADT");
	ok(census_is(&c, "acpi", 3, ids, 0, 0xfee00000),
	   "ACPI: enabled CPUs 0, 2, 6; disabled 4 skipped");
	ok(no_warnings(), "ACPI: good tables, no warnings");

	mem_init(MEM_END);
	good_acpi(0);
	detect_cpus_in(&win, &c);
	ok(census_is(&c, "acpi", 3, ids, 0, 0xfee00000),
	   "detect: MADT when there is no MP table");
	ok(log_has("smp: 3 CPUs from acpi"), "detect: reports acpi");

	mem_init(MEM_END);
	good_acpi(2);
	put32(RSDT_AT + 40, 0);		/* break the RSDT's MADT entry */
	fix_sum(RSDT_AT, 44, 9);
	ok(acpi_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "acpi", 3, ids, 0, 0xfee00000),
	   "ACPI: RSDP 2.0 -> XSDT -> MADT");
	ok(no_warnings(), "ACPI: XSDT, no warnings");

	mem_init(MEM_END);
	good_acpi(2);
	put32(RSDP_ROM + 28, 1);	/* XSDT above 4 GiB */
	fix_sum(RSDP_ROM, 36, 32);
	ok(acpi_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "acpi", 3, ids, 0, 0xfee00000) &&
	   log_has(WARN "acpi: XSDT is above 4 GiB, using the RSDT"),
	   "ACPI: XSDT above 4 GiB: RSDT used");

	mem_init(MEM_END);
	good_acpi(2);
	put8(XSDT_AT + 40, 0x55);	/* XSDT checksum off */
	ok(acpi_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "acpi", 3, ids, 0, 0xfee00000) &&
	   log_has(WARN "acpi: XSDT at 0x100200: bad checksum") &&
	   log_has("trying the RSDT"), "ACPI: bad XSDT: RSDT used");

	/* An XSDT entry above 4 GiB is skipped, not truncated. */
	mem_init(MEM_END);
	good_acpi(2);
	{
		static const u8 one[] = { 9 };
		u32 x[2] = { MADT_AT, MADT_AT + 0x400 };
		struct madt m;

		madt_begin(&m, x[1]);
		madt_lapic(&m, 0, 9, 1);
		madt_end(&m);
		xsdt(XSDT_AT, x, 2);
		put32(XSDT_AT + 40, 1);
		fix_sum(XSDT_AT, 52, 9);
		ok(acpi_find_cpus(&win, &c) == 0 &&
		   census_is(&c, "acpi", 1, one, 9, 0xfee00000) &&
		   log_has(WARN "acpi: XSDT entry 0 is above 4 GiB, skipped"),
		   "ACPI: XSDT entry above 4 GiB skipped");
	}

	mem_init(MEM_END);
	bda(EBDA_SEG, 639);
	good_acpi(0);
	memset(at(RSDP_ROM, 20), 0, 20);
	rsdp(EBDA + 0x40, 0, RSDT_AT, 0, 0);
	ok(acpi_find_cpus(&win, &c) == 0, "ACPI: RSDP in the EBDA");

	mem_init(MEM_END);
	good_acpi(0);
	memset(at(RSDP_ROM, 20), 0, 20);
	rsdp(0xe0010, 0, RSDT_AT, 0, 0);
	ok(acpi_find_cpus(&win, &c) == 0, "ACPI: RSDP at 0xe0010");
}

static void test_acpi_madt(void)
{
	static const u8 x2[] = { 1, 7 };
	static const u8 two[] = { 3, 5 };
	struct smp_census c;
	struct madt m;
	u32 e[1] = { MADT_AT };

	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	madt_begin(&m, MADT_AT);
	madt_lapic(&m, 0, 1, 1);
	madt_raw(&m, 5, 12);		/* local APIC address override */
	put32(m.at + m.off - 8, 0xfed00000);
	madt_x2apic(&m, 7, 1);
	madt_x2apic(&m, 300, 1);
	madt_x2apic(&m, 8, 0);
	madt_end(&m);
	ok(acpi_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "acpi", 2, x2, 1, 0xfed00000),
	   "ACPI: override and x2APIC entries");
	ok(log_has(WARN "acpi: MADT at 0x100800: x2APIC id 300 needs x2APIC "
		   "mode"), "ACPI: x2APIC id 300: warned");

	/* A zero length stops the walk; what came before stays. */
	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	madt_begin(&m, MADT_AT);
	madt_lapic(&m, 0, 3, 1);
	madt_lapic(&m, 1, 5, 1);
	madt_raw(&m, 1, 0);
	madt_lapic(&m, 2, 9, 1);
	madt_end(&m);
	ok(acpi_find_cpus(&win, &c) == 0 &&
	   census_is(&c, "acpi", 2, two, 3, 0xfee00000),
	   "ACPI: entry length 0 after two CPUs: two CPUs");
	ok(log_has(WARN "acpi: MADT at 0x100800: entry at offset 60 has "
		   "length 0, stopping"), "ACPI: entry length 0: warned");

	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	madt_begin(&m, MADT_AT);
	madt_raw(&m, 0, 0);
	madt_lapic(&m, 0, 3, 1);
	madt_end(&m);
	detect_cpus_in(&win, &c);
	ok(log_has("entry at offset 44 has length 0, stopping") &&
	   log_has(WARN "smp: ACPI MADT lists no enabled processors"),
	   "ACPI: entry length 0 first: warned");
	ok(is_fallback(&c), "ACPI: entry length 0 first: one CPU");

	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	madt_begin(&m, MADT_AT);
	madt_lapic(&m, 0, 3, 1);
	madt_raw(&m, 1, 1);
	madt_end(&m);
	ok(acpi_find_cpus(&win, &c) == 0 && c.ncpus == 1 &&
	   log_has("entry at offset 52 has length 1, stopping"),
	   "ACPI: entry length 1");

	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	madt_begin(&m, MADT_AT);
	madt_lapic(&m, 0, 3, 1);
	madt_lapic(&m, 1, 4, 1);
	put8(MADT_AT + 53, 255);	/* second entry: length 255 */
	madt_end(&m);
	ok(acpi_find_cpus(&win, &c) == 0 && c.ncpus == 1 &&
	   log_has("entry at offset 52 (length 255) overruns the table "
		   "(length 60), stopping"), "ACPI: entry overruns the table");

	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	madt_begin(&m, MADT_AT);
	madt_lapic(&m, 0, 3, 1);
	madt_raw(&m, 0, 6);		/* processor entry, too short */
	madt_raw(&m, 9, 12);		/* x2APIC entry, too short */
	madt_raw(&m, 5, 4);		/* override, too short */
	madt_raw(&m, 0x7f, 3);		/* unknown type: skipped quietly */
	madt_end(&m);
	ok(acpi_find_cpus(&win, &c) == 0 && c.ncpus == 1 &&
	   log_has("type 0 entry at offset 52 is too short (6 bytes)") &&
	   log_has("type 9 entry at offset 58 is too short (12 bytes)") &&
	   log_has("type 5 entry at offset 70 is too short (4 bytes)"),
	   "ACPI: short entries skipped and reported");

	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	madt_begin(&m, MADT_AT);
	madt_lapic(&m, 0, 3, 1);
	madt_raw(&m, 2, 10);
	m.off -= 9;			/* one byte of a header left */
	madt_end(&m);
	ok(acpi_find_cpus(&win, &c) == 0 && c.ncpus == 1 &&
	   log_has("truncated entry at offset 52"),
	   "ACPI: a lone byte at the end of the MADT");

	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	madt_begin(&m, MADT_AT);
	madt_lapic(&m, 0, 3, 0);
	madt_lapic(&m, 1, 4, 2);	/* online capable, not enabled */
	madt_end(&m);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "smp: ACPI MADT lists no enabled processors"),
	   "ACPI: zero processors: warned");
	ok(is_fallback(&c), "ACPI: zero processors: one CPU");

	mem_init(MEM_END);
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	sdt(MADT_AT, "APIC", 40);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("acpi: MADT at 0x100800: length 40 is shorter than its "
		   "header"), "ACPI: MADT shorter than 44 bytes");
}

static void test_acpi_bad(void)
{
	struct smp_census c;
	u32 e[3] = { FACP_AT, 0x30000000, MADT_AT };
	u32 p;

	mem_init(MEM_END);
	good_acpi(0);
	put8(RSDP_ROM + 9, 'X');	/* OEM id: checksum off */
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "acpi: RSDP at 0xf6000: bad checksum"),
	   "ACPI: RSDP checksum: warned");
	ok(is_fallback(&c), "ACPI: RSDP checksum: one CPU");

	mem_init(MEM_END);
	good_acpi(2);
	put8(RSDP_ROM + 33, 1);		/* reserved: extended checksum off */
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "acpi: RSDP at 0xf6000: bad extended checksum"),
	   "ACPI: RSDP extended checksum: warned");
	ok(is_fallback(&c), "ACPI: RSDP extended checksum: one CPU");

	mem_init(MEM_END);
	good_acpi(2);
	put32(RSDP_ROM + 20, 0xfffffff0);
	fix_sum(RSDP_ROM, 36, 32);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("RSDP at 0xf6000: length 4294967280 truncated by the end "
		   "of memory"), "ACPI: RSDP length 0xfffffff0");

	mem_init(MEM_END);
	good_acpi(2);
	put32(RSDP_ROM + 20, 20);
	fix_sum(RSDP_ROM, 36, 32);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("RSDP at 0xf6000: length 20 is too short for revision 2"),
	   "ACPI: RSDP 2.0 length 20");

	mem_init(MEM_END);
	good_acpi(0);
	put8(RSDT_AT + 37, 0x77);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "acpi: RSDT at 0x100000: bad checksum"),
	   "ACPI: RSDT checksum: warned");
	ok(is_fallback(&c), "ACPI: RSDT checksum: one CPU");

	mem_init(MEM_END);
	good_acpi(0);
	put8(MADT_AT + 46, 0x77);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "acpi: MADT at 0x100800: bad checksum"),
	   "ACPI: MADT checksum: warned");
	ok(is_fallback(&c), "ACPI: MADT checksum: one CPU");

	mem_init(MEM_END);
	good_acpi(0);
	put(RSDT_AT, "RSDX", 4);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("acpi: RSDT at 0x100000: bad signature"),
	   "ACPI: RSDT signature");

	mem_init(MEM_END);
	good_acpi(0);
	rsdp(RSDP_ROM, 0, 0x40000000, 0, 0);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "acpi: RSDT at 0x40000000: header outside memory"),
	   "ACPI: RSDT outside memory: warned");
	ok(is_fallback(&c), "ACPI: RSDT outside memory: one CPU");

	mem_init(MEM_END);
	good_acpi(0);
	rsdp(RSDP_ROM, 0, 0, 0, 0);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("acpi: RSDP at 0xf6000: no RSDT"), "ACPI: RSDT address 0");

	/* An RSDT entry pointing nowhere is skipped, the MADT still found. */
	mem_init(MEM_END);
	good_acpi(0);
	rsdt(RSDT_AT, e, 3);
	ok(acpi_find_cpus(&win, &c) == 0 && c.ncpus == 3 &&
	   log_has(WARN "acpi: RSDT entry 1 (0x30000000) is outside memory"),
	   "ACPI: RSDT entry outside memory skipped");

	mem_init(MEM_END);
	good_acpi(0);
	rsdt(RSDT_AT, e, 2);
	detect_cpus_in(&win, &c);
	ok(log_has(WARN "acpi: no MADT in the RSDT at 0x100000"),
	   "ACPI: no MADT: warned");
	ok(is_fallback(&c), "ACPI: no MADT: one CPU");

	mem_init(MEM_END);
	good_acpi(0);
	put32(RSDT_AT + 4, 0xffffffff);
	fix_sum(RSDT_AT, 44, 9);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("RSDT at 0x100000: table (length 4294967295) truncated "
		   "by the end of memory"), "ACPI: RSDT length 0xffffffff");

	mem_init(MEM_END);
	good_acpi(0);
	put32(RSDT_AT + 4, 35);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("length 35 is shorter than its header"),
	   "ACPI: RSDT length 35");

	/* The MADT ends exactly at the end of memory, its length says +1. */
	mem_init(MEM_END);
	p = MEM_END - 52;
	e[0] = p;
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	{
		struct madt m;

		madt_begin(&m, p);
		madt_lapic(&m, 0, 0, 1);
		madt_end(&m);
	}
	ok(acpi_find_cpus(&win, &c) == 0, "ACPI: MADT at the very end");
	put32(p + 4, 53);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("acpi: MADT at 0x10ffcc: table (length 53) truncated by "
		   "the end of memory"), "ACPI: MADT 1 byte past the end");

	/* An RSDT entry whose table header is cut by the end of memory. */
	mem_init(MEM_END);
	e[0] = MEM_END - 4;
	rsdt(RSDT_AT, e, 1);
	rsdp(RSDP_ROM, 0, RSDT_AT, 0, 0);
	put(MEM_END - 4, "APIC", 4);
	ok(acpi_find_cpus(&win, &c) == -1 &&
	   log_has("MADT at 0x10fffc: header truncated by the end of memory"),
	   "ACPI: MADT header cut by the end of memory");

	/* MADT malformed, MP table good: the MP table is the second source. */
	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	good_acpi(0);
	put8(MADT_AT + 9, 0x55);	/* breaks the MADT checksum */
	detect_cpus_in(&win, &c);
	ok(!strcmp(c.source, "mptable") && c.ncpus == 3 &&
	   log_has(WARN "acpi: "), "detect: bad MADT, MP table used");

	/* MP table malformed, no ACPI: one CPU, with both problems named. */
	mem_init(MEM_END);
	good_mp(FP_ROM, MPC_ROM);
	put8(MPC_ROM + 45, 9);
	detect_cpus_in(&win, &c);
	ok(!strcmp(c.source, "none") && c.ncpus == 1 &&
	   log_has(WARN "smp: MP config table at 0xf5a50: bad checksum"),
	   "detect: bad MP table and no MADT: one CPU");
}

int main(void)
{
	test_mp_good();
	test_mp_places();
	test_mp_cpus();
	test_mp_default();
	test_mp_bad();
	test_small_window();
	test_acpi_good();
	test_acpi_madt();
	test_acpi_bad();
	free(mem);
	return done_testing();
}

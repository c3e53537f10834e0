/*
 * Host tests for arch/i386/kernel/mpparse.c and acpi.c: MP 1.4 tables
 * and the ACPI MADT built in fake physical memory. The memory is an
 * exact-size malloc, so a read past any table end is caught when the
 * test runs under valgrind or -fsanitize=address.
 *
 * One table of cases, at the end: each says how to build its firmware
 * (a list of steps run by build()), which parser to call, and what must
 * come out, written out by hand: the return value, the CPU list, the
 * log lines. run_case() turns every expectation into one TAP line.
 */
#include <stdlib.h>
#include <assert.h>
#include "tap.h"
#include <asm/mpspec.h>
#include <asm/acpi.h>

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

/* Fake physical memory [start, end), which is also the window. */
static u8 *mem;
static u32 mem_start, mem_end;
static struct phys_window win;

static void mem_init(u32 start, u32 end)
{
	free(mem);
	mem = calloc(1, end > start ? end - start : 1);
	assert(mem);
	mem_start = start;
	mem_end = end;
	win.base = mem;
	win.start = start;
	win.size = end - start;
	loglen = 0;
	logbuf[0] = '\0';
}

static u8 *at(u32 p, u32 len)
{
	assert(p >= mem_start && p <= mem_end && len <= mem_end - p);
	return mem + (p - mem_start);
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
	u8 rev;			/* 0: what sdt() writes (1) */
};

static void madt_begin(struct madt *m, u32 p)
{
	m->at = p;
	m->off = 44;
	m->rev = 0;
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
	if (m->rev) {
		put8(m->at + 8, m->rev);
		fix_sum(m->at, m->off, 9);
	}
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

/* ---- the cases ---- */

/* How a case builds its firmware: steps run in order by build(). */
enum op {
	END,		/* of the list */
	BDA,		/* a: EBDA segment, b: base memory KiB */
	GOOD_MP,	/* good_mp(a = floating pointer, b = table) */
	GOOD_ACPI,	/* good_acpi(a = RSDP revision) */
	MP_FP,		/* floating pointer at a, table b, feature byte c */
	MPC_BEGIN,	/* config table header at a */
	MPC_PROC,	/* processor entry: APIC id a, flags b */
	MPC_PROCS,	/* b processor entries, ids a, a+1, ..., flags c */
	MPC_OTHER,	/* an 8-byte entry of type a */
	MPC_TRIM,	/* cut the last a bytes off the table */
	MPC_END,	/* length, count, checksum */
	MADT_BEGIN,	/* MADT at a */
	MADT_LAPIC,	/* uid a, APIC id b, flags c */
	MADT_X2APIC,	/* x2APIC id a, flags b */
	MADT_RAW,	/* an entry of type a, length b, zeros */
	MADT_OVR,	/* local APIC address override to a */
	MADT_TRIM,	/* cut the last a bytes off the table */
	MADT_REV,	/* the table's revision is a (at MADT_END) */
	MADT_END,	/* header and checksum */
	RSDP,		/* at a, revision b, RSDT c, XSDT d (low) e (high) */
	RSDT,		/* at a, b entries: c, d, e */
	XSDT,		/* at a, b entries: c, d, e */
	SDT,		/* an empty table at a, signature s, length b */
	PUT8,		/* byte b at a */
	PUT16,		/* word b at a */
	PUT32,		/* dword b at a */
	PUTS,		/* the bytes of s at a */
	FIX_SUM,	/* make [a, a + b) sum to 0 through the byte at a + c */
	ZERO,		/* b zero bytes at a */
};

struct step {
	enum op op;
	u32 a, b, c, d, e;
	const char *s;
};

/* Only the MADT the RSDT names: the usual start of the MADT cases. */
#define MADT_ONLY	{ RSDT, RSDT_AT, 1, MADT_AT }, \
			{ RSDP, RSDP_ROM, 0, RSDT_AT }

enum call { CALL_MP, CALL_ACPI, CALL_DETECT };

struct want_census {
	const char *source;		/* NULL: the census is not checked */
	unsigned int ncpus;
	u8 ids[CONFIG_NR_CPUS];
	u8 bsp;
	u32 lapic;
};

/* The CPUs that may be hot-added, in the order listed. */
struct want_hotplug {
	bool check;			/* false: not checked */
	unsigned int n;
	u8 ids[CONFIG_NR_CPUS];
};

#define MAX_STEPS	16
#define MAX_LOGS	4

struct tcase {
	const char *name;
	u32 start, end;			/* the memory; 0, 0: the usual */
	struct step steps[MAX_STEPS];
	enum call call;
	int ret;			/* of mp_ or acpi_find_cpus() */
	struct want_census census;
	struct want_hotplug hotplug;
	unsigned int nfound;		/* 0: not checked */
	const char *logs[MAX_LOGS];	/* in the log, each */
	bool quiet;			/* no warning at all */
	bool fallback;			/* "no usable ... assuming one CPU" */
};

/* What detect_cpus_in() makes of no usable table, written out. */
#define ONE_CPU		.census = { "none", 1, { 0 }, 0, 0xfee00000 }, \
			.fallback = true

#define CENSUS_MP	{ "mptable", 3, { 0, 1, 3 }, 0, 0xfee00000 }
#define CENSUS_ACPI	{ "acpi", 3, { 0, 2, 6 }, 0, 0xfee00000 }
#define MP2(a, b)	{ MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM }, \
			{ MPC_PROC, a, 3 }, { MPC_PROC, b, 1 }

static const struct tcase cases[] = {
	/* MP table: good ones */
	{ "MP: good table in the F segment",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM } },
	  .call = CALL_MP, .census = CENSUS_MP, .nfound = 3, .quiet = true },
	{ "detect: MP table alone",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM } },
	  .call = CALL_DETECT, .census = CENSUS_MP,
	  .logs = { "smp: 3 CPUs from mptable, BSP APIC id 0, local APIC at "
		    "0xfee00000" } },
	{ "detect: MADT preferred over the MP table",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM }, { GOOD_ACPI, 0 } },
	  .call = CALL_DETECT, .census = CENSUS_ACPI },

	/* MP table: where it is searched */
	{ "MP: EBDA searched before the ROM",
	  .steps = { { BDA, EBDA_SEG, 639 },
		     { GOOD_MP, EBDA + 0x100, EBDA + 0x110 },
		     MP2(7, 8), { MPC_END } },
	  .call = CALL_MP, .census = CENSUS_MP },
	{ "MP: last KiB of 512 KiB base memory without an EBDA",
	  .steps = { { BDA, 0, 512 },
		     { GOOD_MP, 0x7fc00 + 0x3f0, 0x7fc00 + 0x400 - 0x200 } },
	  .call = CALL_MP, .census = CENSUS_MP },
	{ "MP: base memory 0 KiB means 640 KiB",
	  .steps = { { BDA, 0, 0 },
		     { GOOD_MP, 0x9fc00 + 0x20, 0x9fc00 + 0x40 } },
	  .call = CALL_MP, .census = CENSUS_MP },
	{ "MP: first valid floating pointer is used, even if its table is bad",
	  .steps = { MP2(7, 8), { MPC_END },
		     { PUT32, FP_ROM + 4, 0x41 },	/* misplace the table */
		     { FIX_SUM, FP_ROM, 16, 10 },
		     { MP_FP, 0xfff00, MPC_ROM, 0 } },	/* a second pointer */
	  .call = CALL_MP, .ret = -1,
	  .logs = { WARN "smp: MP config table at 0x41: header outside "
		    "memory" } },
	{ "MP: a bad floating pointer is skipped, the search goes on",
	  .steps = { { PUTS, FP_ROM, .s = "_MP_" },	/* bad checksum */
		     { PUT8, FP_ROM + 8, 1 }, { PUT8, FP_ROM + 10, 1 },
		     { MP_FP, 0xfff00, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROC, 7, 3 }, { MPC_PROC, 8, 1 }, { MPC_END } },
	  .call = CALL_MP,
	  .census = { "mptable", 2, { 7, 8 }, 7, 0xfee00000 },
	  .logs = { WARN "smp: MP floating pointer at 0xf5a40: bad "
		    "checksum" } },

	/* MP table: the processor entries */
	{ "MP: a BSP listed last goes first",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROC, 4, 1 }, { MPC_PROC, 5, 1 },
		     { MPC_PROC, 6, 3 }, { MPC_END } },
	  .call = CALL_MP,
	  .census = { "mptable", 3, { 6, 4, 5 }, 6, 0xfee00000 } },
	{ "MP: no BSP flag: the first is assumed",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROC, 4, 1 }, { MPC_PROC, 5, 1 }, { MPC_END } },
	  .call = CALL_MP,
	  .census = { "mptable", 2, { 4, 5 }, 4, 0xfee00000 },
	  .logs = { WARN "smp: MP config table marks no boot processor, "
		    "assuming APIC id 4" } },
	{ "MP: 12 CPUs, BSP last, NR_CPUS 8: the BSP and the first 7 others",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROCS, 10, 11, 1 }, { MPC_PROC, 30, 3 },
		     { MPC_END } },
	  .call = CALL_MP,
	  .census = { "mptable", 8, { 30, 10, 11, 12, 13, 14, 15, 16 }, 30,
		      0xfee00000 },
	  .nfound = 12,
	  .logs = { WARN "smp: MP config table lists 12 processors, only 8 "
		    "supported (CONFIG_NR_CPUS)" } },
	{ "MP: a duplicate APIC id counts once",
	  .steps = { MP2(1, 2), { MPC_PROC, 1, 1 }, { MPC_END } },
	  .call = CALL_MP,
	  .census = { "mptable", 2, { 1, 2 }, 1, 0xfee00000 },
	  .logs = { WARN "smp: mptable: APIC id 1 listed twice" } },
	{ "MP: a second BSP flag is an AP",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROC, 1, 3 }, { MPC_PROC, 2, 3 }, { MPC_END } },
	  .call = CALL_MP,
	  .census = { "mptable", 2, { 1, 2 }, 1, 0xfee00000 },
	  .logs = { WARN "smp: mptable: second boot processor (APIC id 2)" } },
	{ "MP: local APIC address 0 means the default",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROC, 1, 3 }, { PUT32, MPC_ROM + 36, 0 },
		     { MPC_END } },
	  .call = CALL_MP,
	  .census = { "mptable", 1, { 1 }, 1, 0xfee00000 },
	  .logs = { WARN "smp: MP config table gives no local APIC "
		    "address" } },
	{ "MP: local APIC address from the table",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROC, 1, 3 }, { PUT32, MPC_ROM + 36, 0xfec10000 },
		     { MPC_END } },
	  .call = CALL_MP,
	  .census = { "mptable", 1, { 1 }, 1, 0xfec10000 } },

	/* MP default configurations */
	{ "MP: default configuration 5: two CPUs",
	  .steps = { { MP_FP, FP_ROM, 0, 5 } },
	  .call = CALL_MP,
	  .census = { "default", 2, { 0, 1 }, 0, 0xfee00000 }, .quiet = true },
	{ "MP: default configuration 1, the feature byte wins over a table",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 1 } },
	  .call = CALL_MP,
	  .census = { "default", 2, { 0, 1 }, 0, 0xfee00000 } },
	{ "MP: default configuration 9",
	  .steps = { { MP_FP, FP_ROM, 0, 9 } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: MP floating pointer at 0xf5a40: unknown "
		    "default configuration 9" } },

	/* MP table: broken ones */
	{ "nothing at all",
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: no MP floating pointer found",
		    WARN "acpi: no RSDP found" } },
	{ "MP: floating pointer checksum",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM },
		     { PUT8, FP_ROM + 9, 1 } },	/* spec rev 1.1 */
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: MP floating pointer at 0xf5a40: bad "
		    "checksum" } },
	{ "MP: floating pointer length 2",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM }, { PUT8, FP_ROM + 8, 2 },
		     { FIX_SUM, FP_ROM, 16, 10 } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { WARN "smp: MP floating pointer at 0xf5a40: length 2, "
		    "expected 1" } },
	{ "MP: no table, no default",
	  .steps = { { MP_FP, FP_ROM, 0, 0 } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { "neither a config table nor a default configuration" } },
	{ "MP: config table checksum",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM },
		     { PUT8, MPC_ROM + 45, 9 } },	/* the BSP's APIC id */
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: MP config table at 0xf5a50: bad checksum" } },
	{ "MP: config table signature",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM },
		     { PUTS, MPC_ROM, .s = "PCMQ" } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { WARN "smp: MP config table at 0xf5a50: bad signature" } },
	{ "MP: table pointer outside memory",
	  .steps = { { MP_FP, FP_ROM, 0x20000000, 0 } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: MP config table at 0x20000000: header outside "
		    "memory" } },
	{ "MP: table pointer below the window",
	  .steps = { { MP_FP, FP_ROM, 0x200, 0 } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { "outside memory" } },
	{ "MP: header truncated by the end of memory",
	  .steps = { { MP_FP, FP_ROM, MEM_END - 20, 0 } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { "0x10ffec: header truncated by the end of memory" } },
	{ "MP: base table length 1 byte past the end of memory",
	  .steps = { { MP_FP, FP_ROM, MEM_END - 64, 0 },
		     { MPC_BEGIN, MEM_END - 64 }, { MPC_PROC, 0, 3 },
		     { PUT16, MEM_END - 64 + 4, 65 } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { WARN "smp: MP config table at 0x10ffc0: base table "
		    "(length 65) truncated by the end of memory" } },
	{ "MP: base table length 0xffff",
	  .steps = { { MP_FP, FP_ROM, MEM_END - 0x100, 0 },
		     { MPC_BEGIN, MEM_END - 0x100 }, { MPC_PROC, 0, 3 },
		     { PUT16, MEM_END - 0x100 + 4, 0xffff } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { "(length 65535) truncated by the end of memory" } },
	{ "MP: base table length 43",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM },
		     { PUT16, MPC_ROM + 4, 43 } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { "base table length 43 is shorter than its header" } },
	{ "MP: 65535 entries",
	  .steps = { MP2(0, 1), { MPC_END },
		     { PUT16, MPC_ROM + 34, 0xffff },
		     { FIX_SUM, MPC_ROM, 84, 7 } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: MP config table at 0xf5a50: entry count 65535 "
		    "overruns base table length 84" } },
	{ "MP: processor entry cut short by the base length",
	  .steps = { MP2(0, 1), { MPC_TRIM, 4 }, { MPC_END } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { "entry 1 (type 0) overruns base table length 80" } },
	{ "MP: unknown entry type",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROC, 0, 3 }, { MPC_OTHER, 0x80 }, { MPC_END } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { "unknown entry type 128 at offset 64" } },
	{ "MP: zero processors",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_PROC, 0, 2 },	/* BSP flag, not enabled */
		     { MPC_PROC, 1, 0 }, { MPC_OTHER, 1 }, { MPC_END } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: MP config table lists no enabled "
		    "processors" } },
	{ "MP: no entries at all",
	  .steps = { { MP_FP, FP_ROM, MPC_ROM, 0 }, { MPC_BEGIN, MPC_ROM },
		     { MPC_END } },
	  .call = CALL_MP, .ret = -1,
	  .logs = { "lists no enabled processors" } },

	/* Memory that ends inside the areas searched */
	{ "memory ends inside an MP pointer",
	  .start = MEM_START, .end = 0xf0008,
	  .steps = { { PUTS, 0xf0000, .s = "_MP_" },
		     { BDA, 0xffff, 640 } },	/* EBDA "at" 0xffff0 */
	  .call = CALL_DETECT, ONE_CPU },
	{ "memory ends inside an RSDP",
	  .start = MEM_START, .end = 0xf0010,
	  .steps = { { PUTS, 0xf0000, .s = "RSD PTR " } },
	  .call = CALL_DETECT, ONE_CPU },
	{ "window above 1 MiB: no BIOS data area, no ROM",
	  .start = 0x100000, .end = 0x101000,
	  .call = CALL_DETECT, ONE_CPU },
	{ "empty window",
	  .start = 0x100000, .end = 0x100000,
	  .call = CALL_DETECT, ONE_CPU },

	/* ACPI: good tables */
	{ "ACPI: RSDP 1.0 -> RSDT -> MADT",
	  .steps = { { GOOD_ACPI, 0 } },
	  .call = CALL_ACPI, .census = CENSUS_ACPI, .quiet = true },
	{ "detect: MADT when there is no MP table",
	  .steps = { { GOOD_ACPI, 0 } },
	  .call = CALL_DETECT, .census = CENSUS_ACPI,
	  .logs = { "smp: 3 CPUs from acpi" } },
	{ "ACPI: RSDP 2.0 -> XSDT -> MADT",
	  .steps = { { GOOD_ACPI, 2 },
		     { PUT32, RSDT_AT + 40, 0 },	/* RSDT: no MADT */
		     { FIX_SUM, RSDT_AT, 44, 9 } },
	  .call = CALL_ACPI, .census = CENSUS_ACPI, .quiet = true },
	{ "ACPI: XSDT above 4 GiB: RSDT used",
	  .steps = { { GOOD_ACPI, 2 }, { PUT32, RSDP_ROM + 28, 1 },
		     { FIX_SUM, RSDP_ROM, 36, 32 } },
	  .call = CALL_ACPI, .census = CENSUS_ACPI,
	  .logs = { WARN "acpi: XSDT is above 4 GiB, using the RSDT" } },
	{ "ACPI: bad XSDT: RSDT used",
	  .steps = { { GOOD_ACPI, 2 }, { PUT8, XSDT_AT + 40, 0x55 } },
	  .call = CALL_ACPI, .census = CENSUS_ACPI,
	  .logs = { WARN "acpi: XSDT at 0x100200: bad checksum",
		    "trying the RSDT" } },
	{ "ACPI: XSDT entry above 4 GiB skipped, not truncated",
	  .steps = { { GOOD_ACPI, 2 }, { MADT_BEGIN, MADT_AT + 0x400 },
		     { MADT_LAPIC, 0, 9, 1 }, { MADT_END },
		     { XSDT, XSDT_AT, 2, MADT_AT, MADT_AT + 0x400 },
		     { PUT32, XSDT_AT + 40, 1 },
		     { FIX_SUM, XSDT_AT, 52, 9 } },
	  .call = CALL_ACPI,
	  .census = { "acpi", 1, { 9 }, 9, 0xfee00000 },
	  .logs = { WARN "acpi: XSDT entry 0 is above 4 GiB, skipped" } },
	{ "ACPI: RSDP in the EBDA",
	  .steps = { { BDA, EBDA_SEG, 639 }, { GOOD_ACPI, 0 },
		     { ZERO, RSDP_ROM, 20 },
		     { RSDP, EBDA + 0x40, 0, RSDT_AT } },
	  .call = CALL_ACPI, .census = CENSUS_ACPI },
	{ "ACPI: RSDP at 0xe0010",
	  .steps = { { GOOD_ACPI, 0 }, { ZERO, RSDP_ROM, 20 },
		     { RSDP, 0xe0010, 0, RSDT_AT } },
	  .call = CALL_ACPI, .census = CENSUS_ACPI },

	/* ACPI: the MADT's entries */
	{ "ACPI: a disabled entry before revision 5 may be hot-added",
	  .steps = { { GOOD_ACPI, 0 } },
	  .call = CALL_ACPI, .census = CENSUS_ACPI,
	  .hotplug = { true, 1, { 4 } }, .quiet = true },
	{ "ACPI: QEMU's -smp 1,maxcpus=4: three to hot-add",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 0, 1 }, { MADT_LAPIC, 1, 1, 0 },
		     { MADT_LAPIC, 2, 2, 0 }, { MADT_LAPIC, 3, 3, 0 },
		     { MADT_END } },
	  .call = CALL_ACPI, .census = { "acpi", 1, { 0 }, 0, 0xfee00000 },
	  .hotplug = { true, 3, { 1, 2, 3 } }, .quiet = true },
	{ "ACPI: revision 5: only online-capable entries may be hot-added",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 0, 1 }, { MADT_LAPIC, 1, 1, 0 },
		     { MADT_LAPIC, 2, 2, 2 }, { MADT_X2APIC, 3, 0 },
		     { MADT_X2APIC, 4, 2 }, { MADT_REV, 5 }, { MADT_END } },
	  .call = CALL_ACPI, .census = { "acpi", 1, { 0 }, 0, 0xfee00000 },
	  .hotplug = { true, 2, { 2, 4 } }, .quiet = true },
	{ "ACPI: revision 4: bit 1 reserved, every disabled entry counts",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 0, 1 }, { MADT_LAPIC, 1, 1, 0 },
		     { MADT_LAPIC, 2, 2, 2 }, { MADT_REV, 4 }, { MADT_END } },
	  .call = CALL_ACPI, .census = { "acpi", 1, { 0 }, 0, 0xfee00000 },
	  .hotplug = { true, 2, { 1, 2 } }, .quiet = true },
	{ "ACPI: hot-add entries: an enabled CPU's id, a repeat, x2APIC ids",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 5, 0 }, { MADT_LAPIC, 1, 0, 1 },
		     { MADT_LAPIC, 2, 0, 0 }, { MADT_LAPIC, 3, 5, 0 },
		     { MADT_X2APIC, 300, 0 }, { MADT_X2APIC, 6, 0 },
		     { MADT_END } },
	  .call = CALL_ACPI, .census = { "acpi", 1, { 0 }, 0, 0xfee00000 },
	  .hotplug = { true, 2, { 5, 6 } }, .quiet = true },
	{ "ACPI: override and x2APIC entries",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 1, 1 }, { MADT_OVR, 0xfed00000 },
		     { MADT_X2APIC, 7, 1 }, { MADT_X2APIC, 300, 1 },
		     { MADT_X2APIC, 8, 0 }, { MADT_END } },
	  .call = CALL_ACPI,
	  .census = { "acpi", 2, { 1, 7 }, 1, 0xfed00000 },
	  .logs = { WARN "acpi: MADT at 0x100800: x2APIC id 300 needs "
		    "x2APIC mode" } },
	{ "ACPI: entry length 0 after two CPUs: two CPUs",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 3, 1 }, { MADT_LAPIC, 1, 5, 1 },
		     { MADT_RAW, 1, 0 }, { MADT_LAPIC, 2, 9, 1 },
		     { MADT_END } },
	  .call = CALL_ACPI,
	  .census = { "acpi", 2, { 3, 5 }, 3, 0xfee00000 },
	  .logs = { WARN "acpi: MADT at 0x100800: entry at offset 60 has "
		    "length 0, stopping" } },
	{ "ACPI: entry length 0 first",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT }, { MADT_RAW, 0, 0 },
		     { MADT_LAPIC, 0, 3, 1 }, { MADT_END } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { "entry at offset 44 has length 0, stopping",
		    WARN "smp: ACPI MADT lists no enabled processors" } },
	{ "ACPI: entry length 1",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 3, 1 }, { MADT_RAW, 1, 1 },
		     { MADT_END } },
	  .call = CALL_ACPI,
	  .census = { "acpi", 1, { 3 }, 3, 0xfee00000 },
	  .logs = { "entry at offset 52 has length 1, stopping" } },
	{ "ACPI: entry overruns the table",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 3, 1 }, { MADT_LAPIC, 1, 4, 1 },
		     { PUT8, MADT_AT + 53, 255 },	/* 2nd: length 255 */
		     { MADT_END } },
	  .call = CALL_ACPI,
	  .census = { "acpi", 1, { 3 }, 3, 0xfee00000 },
	  .logs = { "entry at offset 52 (length 255) overruns the table "
		    "(length 60), stopping" } },
	{ "ACPI: short entries skipped and reported",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 3, 1 },
		     { MADT_RAW, 0, 6 },	/* processor, too short */
		     { MADT_RAW, 9, 12 },	/* x2APIC, too short */
		     { MADT_RAW, 5, 4 },	/* override, too short */
		     { MADT_RAW, 0x7f, 3 },	/* unknown: skipped quietly */
		     { MADT_END } },
	  .call = CALL_ACPI,
	  .census = { "acpi", 1, { 3 }, 3, 0xfee00000 },
	  .logs = { "type 0 entry at offset 52 is too short (6 bytes)",
		    "type 9 entry at offset 58 is too short (12 bytes)",
		    "type 5 entry at offset 70 is too short (4 bytes)" } },
	{ "ACPI: a lone byte at the end of the MADT",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 3, 1 }, { MADT_RAW, 2, 10 },
		     { MADT_TRIM, 9 },	/* one byte of a header left */
		     { MADT_END } },
	  .call = CALL_ACPI,
	  .census = { "acpi", 1, { 3 }, 3, 0xfee00000 },
	  .logs = { "truncated entry at offset 52" } },
	{ "ACPI: zero processors",
	  .steps = { MADT_ONLY, { MADT_BEGIN, MADT_AT },
		     { MADT_LAPIC, 0, 3, 0 },
		     { MADT_LAPIC, 1, 4, 2 },	/* online capable only */
		     { MADT_END } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: ACPI MADT lists no enabled processors" } },
	{ "ACPI: MADT shorter than 44 bytes",
	  .steps = { MADT_ONLY, { SDT, MADT_AT, 40, .s = "APIC" } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "acpi: MADT at 0x100800: length 40 is shorter than its "
		    "header" } },

	/* ACPI: broken tables */
	{ "ACPI: RSDP checksum",
	  .steps = { { GOOD_ACPI, 0 },
		     { PUT8, RSDP_ROM + 9, 'X' } },	/* OEM id */
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "acpi: RSDP at 0xf6000: bad checksum" } },
	{ "ACPI: RSDP extended checksum",
	  .steps = { { GOOD_ACPI, 2 },
		     { PUT8, RSDP_ROM + 33, 1 } },	/* reserved */
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "acpi: RSDP at 0xf6000: bad extended checksum" } },
	{ "ACPI: RSDP length 0xfffffff0",
	  .steps = { { GOOD_ACPI, 2 }, { PUT32, RSDP_ROM + 20, 0xfffffff0 },
		     { FIX_SUM, RSDP_ROM, 36, 32 } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "RSDP at 0xf6000: length 4294967280 truncated by the end "
		    "of memory" } },
	{ "ACPI: RSDP 2.0 length 20",
	  .steps = { { GOOD_ACPI, 2 }, { PUT32, RSDP_ROM + 20, 20 },
		     { FIX_SUM, RSDP_ROM, 36, 32 } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "RSDP at 0xf6000: length 20 is too short for "
		    "revision 2" } },
	{ "ACPI: RSDT checksum",
	  .steps = { { GOOD_ACPI, 0 }, { PUT8, RSDT_AT + 37, 0x77 } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "acpi: RSDT at 0x100000: bad checksum" } },
	{ "ACPI: MADT checksum",
	  .steps = { { GOOD_ACPI, 0 }, { PUT8, MADT_AT + 46, 0x77 } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "acpi: MADT at 0x100800: bad checksum" } },
	{ "ACPI: RSDT signature",
	  .steps = { { GOOD_ACPI, 0 }, { PUTS, RSDT_AT, .s = "RSDX" } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "acpi: RSDT at 0x100000: bad signature" } },
	{ "ACPI: RSDT outside memory",
	  .steps = { { GOOD_ACPI, 0 }, { RSDP, RSDP_ROM, 0, 0x40000000 } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "acpi: RSDT at 0x40000000: header outside "
		    "memory" } },
	{ "ACPI: RSDT address 0",
	  .steps = { { GOOD_ACPI, 0 }, { RSDP, RSDP_ROM, 0, 0 } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "acpi: RSDP at 0xf6000: no RSDT" } },
	{ "ACPI: RSDT entry outside memory skipped, the MADT still found",
	  .steps = { { GOOD_ACPI, 0 },
		     { RSDT, RSDT_AT, 3, FACP_AT, 0x30000000, MADT_AT } },
	  .call = CALL_ACPI, .census = CENSUS_ACPI,
	  .logs = { WARN "acpi: RSDT entry 1 (0x30000000) is outside "
		    "memory" } },
	{ "ACPI: no MADT",
	  .steps = { { GOOD_ACPI, 0 },
		     { RSDT, RSDT_AT, 2, FACP_AT, 0x30000000 } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "acpi: no MADT in the RSDT at 0x100000" } },
	{ "ACPI: RSDT length 0xffffffff",
	  .steps = { { GOOD_ACPI, 0 }, { PUT32, RSDT_AT + 4, 0xffffffff },
		     { FIX_SUM, RSDT_AT, 44, 9 } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "RSDT at 0x100000: table (length 4294967295) truncated "
		    "by the end of memory" } },
	{ "ACPI: RSDT length 35",
	  .steps = { { GOOD_ACPI, 0 }, { PUT32, RSDT_AT + 4, 35 } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "length 35 is shorter than its header" } },
	{ "ACPI: MADT at the very end of memory",
	  .steps = { { RSDT, RSDT_AT, 1, MEM_END - 52 },
		     { RSDP, RSDP_ROM, 0, RSDT_AT },
		     { MADT_BEGIN, MEM_END - 52 }, { MADT_LAPIC, 0, 0, 1 },
		     { MADT_END } },
	  .call = CALL_ACPI,
	  .census = { "acpi", 1, { 0 }, 0, 0xfee00000 } },
	{ "ACPI: MADT 1 byte past the end of memory",
	  .steps = { { RSDT, RSDT_AT, 1, MEM_END - 52 },
		     { RSDP, RSDP_ROM, 0, RSDT_AT },
		     { MADT_BEGIN, MEM_END - 52 }, { MADT_LAPIC, 0, 0, 1 },
		     { MADT_END }, { PUT32, MEM_END - 52 + 4, 53 } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "acpi: MADT at 0x10ffcc: table (length 53) truncated by "
		    "the end of memory" } },
	{ "ACPI: MADT header cut by the end of memory",
	  .steps = { { RSDT, RSDT_AT, 1, MEM_END - 4 },
		     { RSDP, RSDP_ROM, 0, RSDT_AT },
		     { PUTS, MEM_END - 4, .s = "APIC" } },
	  .call = CALL_ACPI, .ret = -1,
	  .logs = { "MADT at 0x10fffc: header truncated by the end of "
		    "memory" } },

	/* Both sources */
	{ "detect: bad MADT, MP table used",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM }, { GOOD_ACPI, 0 },
		     { PUT8, MADT_AT + 9, 0x55 } },	/* MADT checksum */
	  .call = CALL_DETECT, .census = CENSUS_MP,
	  .logs = { WARN "acpi: MADT at 0x100800: bad checksum" } },
	{ "detect: bad MP table and no MADT",
	  .steps = { { GOOD_MP, FP_ROM, MPC_ROM },
		     { PUT8, MPC_ROM + 45, 9 } },
	  .call = CALL_DETECT, ONE_CPU,
	  .logs = { WARN "smp: MP config table at 0xf5a50: bad checksum" } },
};

static void build(const struct step *steps)
{
	const struct step *s;
	struct mpc m = { 0 };
	struct madt t = { 0 };
	u32 e[3];
	u32 i;

	for (s = steps; s < steps + MAX_STEPS && s->op != END; s++) {
		e[0] = s->c;
		e[1] = s->d;
		e[2] = s->e;
		switch (s->op) {
		case END:
			break;
		case BDA:
			bda(s->a, s->b);
			break;
		case GOOD_MP:
			good_mp(s->a, s->b);
			break;
		case GOOD_ACPI:
			good_acpi(s->a);
			break;
		case MP_FP:
			mp_fp(s->a, s->b, s->c);
			break;
		case MPC_BEGIN:
			mpc_begin(&m, s->a);
			break;
		case MPC_PROC:
			mpc_proc(&m, s->a, s->b);
			break;
		case MPC_PROCS:
			for (i = 0; i < s->b; i++)
				mpc_proc(&m, s->a + i, s->c);
			break;
		case MPC_OTHER:
			mpc_other(&m, s->a);
			break;
		case MPC_TRIM:
			m.off -= s->a;
			break;
		case MPC_END:
			mpc_end(&m);
			break;
		case MADT_BEGIN:
			madt_begin(&t, s->a);
			break;
		case MADT_LAPIC:
			madt_lapic(&t, s->a, s->b, s->c);
			break;
		case MADT_X2APIC:
			madt_x2apic(&t, s->a, s->b);
			break;
		case MADT_RAW:
			madt_raw(&t, s->a, s->b);
			break;
		case MADT_OVR:
			madt_raw(&t, 5, 12);
			put32(t.at + t.off - 8, s->a);
			break;
		case MADT_TRIM:
			t.off -= s->a;
			break;
		case MADT_REV:
			t.rev = s->a;
			break;
		case MADT_END:
			madt_end(&t);
			break;
		case RSDP:
			rsdp(s->a, s->b, s->c, s->d, s->e);
			break;
		case RSDT:
			assert(s->b <= 3);
			rsdt(s->a, e, s->b);
			break;
		case XSDT:
			assert(s->b <= 3);
			xsdt(s->a, e, s->b);
			break;
		case SDT:
			sdt(s->a, s->s, s->b);
			break;
		case PUT8:
			put8(s->a, s->b);
			break;
		case PUT16:
			put16(s->a, s->b);
			break;
		case PUT32:
			put32(s->a, s->b);
			break;
		case PUTS:
			put(s->a, s->s, strlen(s->s));
			break;
		case FIX_SUM:
			fix_sum(s->a, s->b, s->c);
			break;
		case ZERO:
			memset(at(s->a, s->b), 0, s->b);
			break;
		}
	}
}

static int census_is(const struct smp_census *c, const struct want_census *w)
{
	int r = 1;

	r &= c->source && !strcmp(c->source, w->source);
	r &= c->ncpus == w->ncpus && !memcmp(c->apic_id, w->ids, w->ncpus);
	r &= c->bsp_apic_id == w->bsp && c->lapic_phys == w->lapic;
	if (!r) {
		diag("got source %s ncpus %u bsp %u lapic 0x%x", c->source,
		     c->ncpus, c->bsp_apic_id, c->lapic_phys);
		diag_bytes("ids", c->apic_id, c->ncpus);
		diag("want source %s ncpus %u bsp %u lapic 0x%x", w->source,
		     w->ncpus, w->bsp, w->lapic);
		diag_bytes("ids", w->ids, w->ncpus);
	}
	return r;
}

static int hotplug_is(const struct smp_census *c, const struct want_hotplug *w)
{
	if (c->nhotplug == w->n && !memcmp(c->hotplug_id, w->ids, w->n))
		return 1;
	diag("got %u hot-add CPUs", c->nhotplug);
	diag_bytes("ids", c->hotplug_id, c->nhotplug);
	diag("want %u", w->n);
	diag_bytes("ids", w->ids, w->n);
	return 0;
}

/* One TAP line per expectation of the case. */
static void run_case(const struct tcase *t)
{
	static const char *const fn[] = {
		[CALL_MP] = "mp_find_cpus", [CALL_ACPI] = "acpi_find_cpus",
		[CALL_DETECT] = "detect_cpus_in",
	};
	const struct want_census *w = &t->census;
	struct smp_census c;
	unsigned int i;
	int ret = 0;

	if (t->end)
		mem_init(t->start, t->end);
	else
		mem_init(MEM_START, MEM_END);
	build(t->steps);
	memset(&c, 0x5a, sizeof(c));
	c.source = NULL;
	switch (t->call) {
	case CALL_MP:
		ret = mp_find_cpus(&win, &c);
		break;
	case CALL_ACPI:
		ret = acpi_find_cpus(&win, &c);
		break;
	case CALL_DETECT:
		detect_cpus_in(&win, &c);
		break;
	}

	if (t->call != CALL_DETECT)
		is_int(ret, t->ret, "%s: %s returns %d", t->name, fn[t->call],
		       t->ret);
	if (w->source)
		ok(census_is(&c, w), "%s: %u CPU%s from %s, BSP %u first, "
		   "local APIC 0x%x", t->name, w->ncpus,
		   w->ncpus == 1 ? "" : "s", w->source, w->bsp, w->lapic);
	if (t->hotplug.check)
		ok(hotplug_is(&c, &t->hotplug), "%s: %u CPU%s may be "
		   "hot-added", t->name, t->hotplug.n,
		   t->hotplug.n == 1 ? "" : "s");
	if (t->nfound)
		is_int(c.nfound, t->nfound, "%s: %u found", t->name,
		       t->nfound);
	if (t->fallback)
		ok(log_has(WARN "smp: no usable MP table or ACPI MADT, "
			   "assuming one CPU"), "%s: one CPU, warned", t->name);
	for (i = 0; i < MAX_LOGS && t->logs[i]; i++)
		ok(log_has(t->logs[i]), "%s: logs \"%s\"", t->name,
		   t->logs[i][0] == '\001' ? t->logs[i] + 2 : t->logs[i]);
	if (t->quiet)
		ok(no_warnings(), "%s: no warnings", t->name);
}

/*
 * The FADT fields CPU hot-add keeps (acpi_parse_fadt()), QEMU's PIIX4
 * values, with the FADT listed after the MADT; then a short FADT and one
 * with a bad checksum, which are warned about and not used while the
 * MADT still counts the CPUs.
 */
static void fadt_build(u32 len, bool bad_sum)
{
	u32 e[2] = { MADT_AT, FACP_AT };

	mem_init(MEM_START, MEM_END);
	good_acpi(0);
	rsdt(RSDT_AT, e, 2);
	put16(FACP_AT + 46, 9);			/* SCI_INT */
	put32(FACP_AT + 48, 0xb2);		/* SMI_CMD */
	put8(FACP_AT + 52, 0xf1);		/* ACPI_ENABLE */
	put32(FACP_AT + 56, 0x600);		/* PM1a_EVT_BLK */
	put32(FACP_AT + 64, 0x604);		/* PM1a_CNT_BLK */
	put32(FACP_AT + 80, 0xafe0);		/* GPE0_BLK */
	put8(FACP_AT + 88, 4);			/* PM1_EVT_LEN */
	put8(FACP_AT + 92, 4);			/* GPE0_BLK_LEN */
	sdt(FACP_AT, "FACP", len);
	put(FACP_AT + 10, "BOCHS ", 6);
	fix_sum(FACP_AT, len, 9);
	if (bad_sum)
		put8(FACP_AT + 9, mem[FACP_AT + 9 - mem_start] + 1);
	memset(&acpi_fadt, 0x5a, sizeof(acpi_fadt));
	acpi_fadt.found = false;
}

static void test_fadt(void)
{
	const struct acpi_fadt *f = &acpi_fadt;
	struct smp_census c;

	fadt_build(116, false);
	is_int(acpi_find_cpus(&win, &c), 0, "FADT after the MADT: MADT read");
	ok(f->found && !strcmp(f->oem_id, "BOCHS ") && f->sci_int == 9 &&
	   f->smi_cmd == 0xb2 && f->acpi_enable == 0xf1 &&
	   f->pm1a_evt == 0x600 && f->pm1a_cnt == 0x604 &&
	   f->pm1_evt_len == 4 && f->gpe0_blk == 0xafe0 && f->gpe0_len == 4,
	   "FADT after the MADT: every kept field read");
	ok(no_warnings(), "FADT after the MADT: no warnings");

	fadt_build(92, false);
	is_int(acpi_find_cpus(&win, &c), 0, "short FADT: MADT still read");
	ok(!f->found, "short FADT: not used");
	ok(log_has(WARN "acpi: FADT at 0x100400: length 92 is too short, "
		   "not used"), "short FADT: warned");

	fadt_build(116, true);
	is_int(acpi_find_cpus(&win, &c), 0, "bad FADT checksum: MADT read");
	ok(!f->found, "bad FADT checksum: not used");
	ok(log_has(WARN "acpi: FADT at 0x100400: bad checksum"),
	   "bad FADT checksum: warned");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_fadt();
	free(mem);
	return done_testing();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the CPU census: the MP table parser
 * (arch/i386/kernel/mpparse.c) and the ACPI MADT parser (acpi.c). The
 * input builds fake firmware in a physical-memory window, the way
 * tests/host/test_mpparse.c does, and the three entry points run over
 * it: acpi_find_cpus(), mp_find_cpus(), detect_cpus_in(). Checked:
 *
 *  - no read outside the window: the window is an exact-size malloc,
 *    so ASan reports any byte before or after it; and no read past the
 *    length of the last MADT and MP table, nor of the same table cut
 *    short by up to MAX_CUT bytes: each parser runs again over memory
 *    ending with the table, the rest poisoned (run_cuts);
 *  - no hang (libFuzzer's -timeout);
 *  - a census that is returned holds 1 to CONFIG_NR_CPUS CPUs, as many
 *    as the table listed up to that bound (ncpus = min(nfound, NR_CPUS)),
 *    with distinct APIC ids, the BSP's first, a local APIC address and
 *    a source that says where it came from; at most CONFIG_NR_CPUS to
 *    hot-add, none listed twice or also present;
 *  - with neither, detect_cpus_in() gives one CPU, APIC id 0, from
 *    "none".
 *
 * The input: a header, then objects until it ends.
 *   header: u8 layout (bit 0: the window starts at 0x400 with the BIOS
 *           data area, else at 0xe0000; bit 1: the MP parser runs even
 *           when there is a MADT), u16 end (the window ends at 1 MiB +
 *           end % 65537)
 *   object: u8 kind, u8 slot, u16 length, u8 fix, then the payload
 *           (the last object ends with the input: erasing a byte of it
 *           makes its table a byte shorter); slot 9..15 takes a raw u32
 *           address after the fix byte
 * kind: 0 raw (or an empty FACP), 1 MP floating pointer, 2 MP config
 * table, 3 RSDP, 4 RSDT, 5 XSDT, 6 MADT, 7 BIOS data area words. slot:
 * 0..7 the tables QEMU's firmware has, placed early in the areas
 * searched (a search scans up to 128 KiB, which is most of the time of
 * a run), 8 the very end of the window (where the last object for
 * slot 8 ends; pointers to slot 8 go there, whatever their order).
 * fix: bit 0 writes the signature, bit 1
 * the length fields (and the MP entry count), bit 2 the checksums,
 * bit 3 turns pointer fields below 16 into slot addresses (9..15: the
 * last paragraphs of the window), bit 4 gives MADT entries their
 * standard lengths; bits 5-7 cut that many bytes off the table: its
 * length fields say less than the entries written (and at slot 8 the
 * rest falls off the end of the window). So a mutation keeps a table
 * valid or breaks one thing in it, as the fuzzer chooses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>
#include <asm/mpspec.h>

#define FUZZ_NAME "fuzz_mpparse"
#include "fuzz.h"

/* Formatted by the C library: every %s the parsers pass is read. */
int printk(const char *fmt, ...);
int printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (getenv("FUZZ_MPPARSE_LOG"))
		fputs(buf[0] == 1 && buf[1] ? buf + 2 : buf, stderr);
	return n;
}

/*
 * The parsers' memcmp (sources.mk: -Dmemcmp=fuzz_memcmp). The searches
 * compare a signature at every paragraph of the BIOS area; through the
 * C library's memcmp, libFuzzer's hook on it took a third of each run.
 * ASan still checks every byte read here; the signatures need no help
 * from comparison tracing, the builder below writes them.
 */
int fuzz_memcmp(const void *a, const void *b, size_t n);
__attribute__((no_sanitize("coverage")))
int fuzz_memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

/* ---- the input ---- */

static unsigned int le16(struct input *in)
{
	unsigned int v = byte(in);

	return v | byte(in) << 8;
}

static u32 le32(struct input *in)
{
	u32 v = le16(in);

	return v | (u32)le16(in) << 16;
}

/* ---- the memory ---- */

#define LOW_START	0x400		/* the kernel's window starts there */
#define HIGH_START	0xe0000		/* only the BIOS area and above */
#define END_BASE	0x100000
#define MAX_OBJ		0x2000		/* bytes in one object */

enum { K_RAW, K_MPF, K_MPC, K_RSDP, K_RSDT, K_XSDT, K_MADT, K_BDA };

static const u32 slots[8] = {
	0xf0040,	/* 0: MP floating pointer in the ROM */
	0xf0050,	/* 1: MP config table */
	0xe0040,	/* 2: RSDP */
	0x100000,	/* 3: RSDT */
	0x100200,	/* 4: XSDT */
	0x100400,	/* 5: FACP */
	0x100800,	/* 6: MADT */
	0x9fc00,	/* 7: the EBDA (segment 0x9fc0) */
};

static u8 *mem;
static struct phys_window win;
static u32 end_slot;		/* where the last slot-8 object went */
static u64 table_at[K_BDA + 1];	/* where the last MP table, MADT went */

static u32 slot_addr(unsigned int s)
{
	if (s < 8)
		return slots[s];
	if (s == 8)
		return end_slot;
	return win.start + win.size - 16 * (s - 8);
}

/* Copy an object into the window, dropping what falls outside it. */
static void place(u32 at, const u8 *b, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++) {
		u32 p = at + i;

		if (p >= win.start && p - win.start < win.size)
			mem[p - win.start] = b[i];
	}
}

static void put16(u8 *b, u16 v)
{
	b[0] = v;
	b[1] = v >> 8;
}

static void put32(u8 *b, u32 v)
{
	put16(b, v);
	put16(b + 2, v >> 16);
}

static void fix_sum(u8 *b, u32 len, u32 at)
{
	if (at < len) {
		b[at] = 0;
		b[at] = -byte_sum(b, len);
	}
}

/* A pointer field below 16 becomes a slot address. */
static void fix_ptr(u8 *b, u32 len, u32 off)
{
	if (off + 4 <= len && get_le32(b + off) < 16)
		put32(b + off, slot_addr(get_le32(b + off)));
}

enum { FIX_SIG = 1, FIX_LEN = 2, FIX_SUM = 4, FIX_PTR = 8, FIX_ENT = 16 };
/* fix >> 5: bytes cut off the end of the table */

/* The MP entries of a base table of len bytes: 20 or 8 bytes each. */
static u16 mpc_count(const u8 *b, u32 len)
{
	u32 off = 44, size;
	u16 n = 0;

	while (off < len) {
		size = b[off] == 0 ? 20 : 8;
		if (size > len - off)
			break;
		off += size;
		n++;
	}
	return n;
}

/* ACPI 6.5 table 5.21: the lengths of the common MADT entries. */
static void madt_fix_entries(u8 *b, u32 len)
{
	static const u8 std[16] = { 8, 12, 10, 8, 6, 12, 16, 0, 16, 16, 12 };
	u32 off = 44;

	while (off < len && len - off >= 2) {
		if (b[off] < 16 && std[b[off]])
			b[off + 1] = std[b[off]];
		else if (b[off + 1] < 2)
			b[off + 1] = 2;
		off += b[off + 1];
	}
}

static void sdt_fix(u8 *b, u32 len, unsigned int fix, const char *sig)
{
	if ((fix & FIX_SIG) && len >= 4)
		memcpy(b, sig, 4);
	if ((fix & FIX_LEN) && len >= 8)
		put32(b + 4, len);
}

/* An object's header and payload; on the first pass only the header. */
static void build_object(struct input *in, bool build)
{
	static u8 b[MAX_OBJ];
	unsigned int kind = byte(in) % 8, slot = byte(in) % 16, fix;
	u32 full = le16(in) % (MAX_OBJ + 1), len, at = 0, i;

	fix = byte(in);
	if (slot > 8)
		at = le32(in);
	/* The last object ends with the input; the table says it is len
	   bytes: full less the cut. */
	if (full > in->n)
		full = in->n;
	len = full > fix >> 5 ? full - (fix >> 5) : full;
	if (slot <= 8)
		at = slot == 8 ? win.start + win.size - len : slots[slot];
	if (!build) {
		if (slot == 8)
			end_slot = at;
		in->n -= full;
		in->p += full;
		return;
	}
	for (i = 0; i < full; i++)
		b[i] = byte(in);

	switch (kind) {
	case K_RAW:
		sdt_fix(b, len, fix, "FACP");
		if (fix & FIX_SUM)
			fix_sum(b, len, 9);
		break;
	case K_MPF:
		if ((fix & FIX_SIG) && len >= 4)
			memcpy(b, "_MP_", 4);
		if ((fix & FIX_LEN) && len > 8)
			b[8] = 1;
		if (fix & FIX_PTR)
			fix_ptr(b, len, 4);
		if ((fix & FIX_SUM) && len >= 16)
			fix_sum(b, 16, 10);
		break;
	case K_MPC:
		if ((fix & FIX_SIG) && len >= 4)
			memcpy(b, "PCMP", 4);
		if ((fix & FIX_LEN) && len >= 36) {
			put16(b + 4, len);
			put16(b + 34, mpc_count(b, full));
		}
		if (fix & FIX_SUM)
			fix_sum(b, len, 7);
		break;
	case K_RSDP:
		if ((fix & FIX_SIG) && len >= 8)
			memcpy(b, "RSD PTR ", 8);
		if ((fix & FIX_LEN) && len >= 24)
			put32(b + 20, len);
		if (fix & FIX_PTR) {
			fix_ptr(b, len, 16);
			fix_ptr(b, len, 24);
		}
		if ((fix & FIX_SUM) && len >= 20) {
			fix_sum(b, 20, 8);
			if (b[15] >= 2)
				fix_sum(b, len, 32);
		}
		break;
	case K_RSDT:
	case K_XSDT:
		sdt_fix(b, len, fix, kind == K_RSDT ? "RSDT" : "XSDT");
		if (fix & FIX_PTR)
			for (i = 36; i + 4 <= len; i += kind == K_RSDT ? 4 : 8)
				fix_ptr(b, len, i);
		if (fix & FIX_SUM)
			fix_sum(b, len, 9);
		break;
	case K_MADT:
		sdt_fix(b, len, fix, "APIC");
		if (fix & FIX_ENT)
			madt_fix_entries(b, full);
		if (fix & FIX_SUM)
			fix_sum(b, len, 9);
		break;
	case K_BDA:
		/* EBDA segment at 0x40e, base memory KiB at 0x413. */
		if (len >= 2)
			place(0x40e, b, 2);
		if (len >= 4)
			place(0x413, b + 2, 2);
		return;
	}
	place(at, b, full);
	if (kind == K_MPC || kind == K_MADT)
		table_at[kind] = (u64)at + 1;	/* 0: none */
}

/* ---- the checks ---- */

static bool same(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

static void check_census(const struct smp_census *c, const char *who)
{
	unsigned int i, j, want;

	if (!same(c->source, SMP_SRC_MPTABLE) &&
	    !same(c->source, SMP_SRC_DEFAULT) &&
	    !same(c->source, SMP_SRC_ACPI) && !same(c->source, SMP_SRC_NONE))
		fail("%s: source \"%s\"", who, c->source ? c->source : "NULL");
	if (c->ncpus < 1 || c->ncpus > CONFIG_NR_CPUS)
		fail("%s: %u CPUs; CONFIG_NR_CPUS is %u", who, c->ncpus,
		     CONFIG_NR_CPUS);
	want = c->nfound < CONFIG_NR_CPUS ? c->nfound : CONFIG_NR_CPUS;
	if (c->ncpus != want)
		fail("%s: %u CPUs kept of %u listed (NR_CPUS %u)", who,
		     c->ncpus, c->nfound, CONFIG_NR_CPUS);
	for (i = 0; i < c->ncpus; i++)
		for (j = 0; j < i; j++)
			if (c->apic_id[i] == c->apic_id[j])
				fail("%s: APIC id %u listed at %u and %u", who,
				     c->apic_id[i], j, i);
	if (c->bsp_apic_id != c->apic_id[0])
		fail("%s: the BSP (APIC id %u) is not first (%u)", who,
		     c->bsp_apic_id, c->apic_id[0]);
	if (!c->lapic_phys)
		fail("%s: no local APIC address", who);
	if (c->nhotplug > CONFIG_NR_CPUS)
		fail("%s: %u CPUs to hot-add; CONFIG_NR_CPUS is %u", who,
		     c->nhotplug, CONFIG_NR_CPUS);
	for (i = 0; i < c->nhotplug; i++) {
		for (j = 0; j < c->ncpus; j++)
			if (c->hotplug_id[i] == c->apic_id[j])
				fail("%s: APIC id %u both present and to "
				     "hot-add", who, c->hotplug_id[i]);
		for (j = 0; j < i; j++)
			if (c->hotplug_id[i] == c->hotplug_id[j])
				fail("%s: APIC id %u to hot-add twice", who,
				     c->hotplug_id[i]);
	}
}

/* One parser over w: its answer, and the census if it found one. */
static void run_parser(const struct phys_window *w, bool acpi,
		       const char *who)
{
	struct smp_census c;
	int r;

	memset(&c, 0xa5, sizeof(c));
	r = acpi ? acpi_find_cpus(w, &c) : mp_find_cpus(w, &c);
	if (r != 0 && r != -1)
		fail("%s returned %d", who, r);
	if (r)
		return;
	check_census(&c, who);
	if (acpi ? !same(c.source, SMP_SRC_ACPI) :
	    !same(c.source, SMP_SRC_MPTABLE) && !same(c.source, SMP_SRC_DEFAULT))
		fail("%s: source %s", who, c.source);
}

/*
 * The last MADT or MP table of the input, as it would be with 0 to
 * MAX_CUT bytes cut off its end (its length field and checksum set to
 * match) and memory ending right there: the bytes of the window past
 * that end are poisoned, so ASan reports any read past the table's
 * length, of every table, wherever it is, and for every last entry cut
 * short by a byte or more.
 */
#define MAX_CUT		24

static void run_cuts(unsigned int kind, const char *who)
{
	bool madt = kind == K_MADT;
	u32 hdr = 44, sum = madt ? 9 : 7, len, k, p;
	struct phys_window w = win;
	u8 *t, save[4], save_sum;

	if (!table_at[kind])
		return;
	p = table_at[kind] - 1;
	t = (u8 *)phys_map(&win, p, hdr);
	if (!t)
		return;
	len = madt ? get_le32(t + 4) : get_le16(t + 4);
	if (len < hdr || !phys_map(&win, p, len))
		return;
	memcpy(save, t + 4, 4);
	save_sum = t[sum];
	for (k = 0; k <= MAX_CUT && len - k >= hdr; k++) {
		if (madt)
			put32(t + 4, len - k);
		else
			put16(t + 4, len - k);
		fix_sum(t, len - k, sum);
		w.size = p + len - k - win.start;
		ASAN_POISON_MEMORY_REGION(mem + w.size, win.size - w.size);
		run_parser(&w, madt, who);
		ASAN_UNPOISON_MEMORY_REGION(mem + w.size, win.size - w.size);
	}
	memcpy(t + 4, save, 4);
	t[sum] = save_sum;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size }, first;
	struct smp_census det;
	unsigned int layout = byte(&in);
	u32 end = END_BASE + le16(&in) % 0x10001;

	win.start = layout & 1 ? LOW_START : HIGH_START;
	win.size = end - win.start;
	/* Exactly the window, on the heap: ASan sees a byte more. */
	mem = calloc(1, win.size);
	if (!mem)
		fail("out of memory");
	win.base = mem;
	/* Slot 8 is where the last object for it goes, even for pointers
	   written before it: a first pass finds that. */
	end_slot = slots[0];
	first = in;
	while (first.n)
		build_object(&first, false);
	memset(table_at, 0, sizeof(table_at));
	while (in.n)
		build_object(&in, true);

	/*
	 * detect_cpus_in() runs the MADT parser, then the MP one if that
	 * fails: its census says which gave it. The MP parser runs alone
	 * when the MADT hid it and the layout asks for it: a search that
	 * finds nothing costs most of a run.
	 */
	memset(&det, 0xa5, sizeof(det));
	detect_cpus_in(&win, &det);
	check_census(&det, "detect_cpus_in");
	if (same(det.source, SMP_SRC_NONE) &&
	    (det.ncpus != 1 || det.apic_id[0] != 0 ||
	     det.lapic_phys != APIC_DEFAULT_PHYS_BASE))
		fail("detect_cpus_in: no table, but %u CPUs, APIC id %u, local "
		     "APIC at 0x%x", det.ncpus, det.apic_id[0], det.lapic_phys);
	if (same(det.source, SMP_SRC_ACPI) && (layout & 2))
		run_parser(&win, false, "mp_find_cpus");
	run_cuts(K_MADT, "acpi_find_cpus, memory ending with the MADT");
	run_cuts(K_MPC, "mp_find_cpus, memory ending with the MP table");
	free(mem);
	return 0;
}

/*
 * Host tests of what a CPU hot-add needs from the fixup code: which
 * sites the boot pass keeps, with which bytes (the mode_dependent hook
 * and the builder of kept.c), and the re-patch loop over the kept sites
 * (kept.c) on a synthetic text that is read-only where it is read and
 * written through an alias, as the kernel's repatch.c does it.
 *
 * One memfd is mapped twice: the view the loop reads (and the kept
 * sites point at) is PROT_READ while it runs, so a write that does not
 * go through write_offset is a SIGSEGV; the other view is the writable
 * alias. The boot pass writes the text itself, as at boot. Records,
 * text and the fake call targets all live in the one mapping, so that
 * the self-relative s32 offsets reach on a 64-bit host.
 *
 * What is kept and what each form is are written out here from the
 * rules of Documentation/fixup-sites.md, not computed by the code under
 * test.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tap.h"
#include "../../arch/i386/fixup/internal.h"

#define PAGE		4096
#define TEXT_OFF	0		/* two pages of text */
#define TEXT_END	(2 * PAGE)
#define REC_OFF		(2 * PAGE)	/* the table */
#define FN_OFF		(3 * PAGE)	/* fake call targets, outside text */
#define MAP_BYTES	(4 * PAGE)

static u8 *ro, *rw;			/* the two views */
static u8 *at;				/* next site, in the ro view */
static unsigned int nrec;
static u8 taken[TEXT_END / 8];

#define FN(i)		((void *)(ro + FN_OFF + 16 * (i)))

/* The functions are addresses in the mapping: set by set_groups(). */
static struct fixup_call_variant copy_variants[] = {
	{ NULL, "copy_sse2", X86_FEATURE_SSE2, FIXUP_MODE_ANY },
};
static const struct fixup_call_variant lock_variants[] = {
	{ NULL, "nop", 0, FIXUP_MODE_UP },	/* a spinlock call */
};
static struct fixup_call_variant x_variants[] = {
	{ NULL, "x_smp", 0, FIXUP_MODE_SMP },
	{ NULL, "x_up", 0, FIXUP_MODE_UP },
};
static struct fixup_call_group groups[3];

static void set_groups(void)
{
	copy_variants[0].fn = FN(1);
	x_variants[0].fn = FN(4);
	x_variants[1].fn = FN(5);
	groups[0] = (struct fixup_call_group){ FN(0), "copy_generic",
					       copy_variants, 1 };
	groups[1] = (struct fixup_call_group){ FN(2), "lock_generic",
					       lock_variants, 1 };
	groups[2] = (struct fixup_call_group){ FN(3), "x_generic",
					       x_variants, 2 };
}

enum { G_COPY = 1, G_LOCK, G_X };	/* 1 + index in groups[] */

/* The sites: kind, compiled bytes (NULL: a call to the group's generic). */
struct tsite {
	const char *what;
	u8 kind, len, group;
	const char *compiled;
	u8 *site;			/* in the ro view */
};

static struct tsite sites[] = {
	{ "lock", FIXUP_KIND_LOCK, 1, 0, "F0", NULL },
	{ "mb", FIXUP_KIND_MB, 5, 0, "F0 83 04 24 00", NULL },
	{ "smp_mb", FIXUP_KIND_SMP_MB, 5, 0, "F0 83 04 24 00", NULL },
	{ "smp_rmb", FIXUP_KIND_SMP_RMB, 5, 0, "F0 83 04 24 00", NULL },
	{ "smp_wmb", FIXUP_KIND_SMP_WMB, 5, 0, "F0 83 04 24 00", NULL },
	{ "prefetch", FIXUP_KIND_PREFETCH, 5, 0, "EB 03 8D 48 10", NULL },
	{ "apic", FIXUP_KIND_APIC_WRITE, 2, 0, "89 10", NULL },
	{ "copy call", FIXUP_KIND_CALL, 5, G_COPY, NULL, NULL },
	{ "lock call", FIXUP_KIND_CALL, 5, G_LOCK, NULL, NULL },
	{ "x call", FIXUP_KIND_CALL, 5, G_X, NULL, NULL },
	{ "lock 2", FIXUP_KIND_LOCK, 1, 0, "F0", NULL },
	{ "lock call 2", FIXUP_KIND_CALL, 5, G_LOCK, NULL, NULL },
};
#define NSITES	ARRAY_SIZE(sites)

#define F(x)	X86_FEATURE_##x
static const struct cpuinfo p4 = {
	.vendor_name = "GenuineIntel", .family = 15, .model = 2,
	.features = F(FPU) | F(TSC) | F(CX8) | F(APIC) | F(CMOV) | F(MMX) |
		    F(FXSR) | F(SSE) | F(SSE2) | F(NOPL) | F(CPUID),
};
static const struct cpuinfo i486 = {
	.vendor_name = "unknown", .family = 4, .model = 8,
	.features = F(FPU),
};
/* IDT WinChip C6 with out-of-order stores: smp_wmb() is a barrier on SMP */
static const struct cpuinfo winchip = {
	.vendor_name = "CentaurHauls", .family = 5, .model = 4,
	.features = F(FPU) | F(TSC) | F(CX8) | F(MMX) | F(CPUID),
	.bugs = X86_BUG_OOSTORE,
};
/* Pentium with the 11AP erratum: APIC writes are xchg in both modes */
static const struct cpuinfo p54c = {
	.vendor_name = "GenuineIntel", .family = 5, .model = 2,
	.features = F(FPU) | F(TSC) | F(CX8) | F(APIC) | F(CPUID),
	.bugs = X86_BUG_11AP,
};

/* E8 rel32 from site to fn, both in the ro view. */
static void call_bytes(u8 *b, const u8 *site, const void *fn)
{
	s32 rel = (s32)((const u8 *)fn - (site + 5));

	b[0] = 0xe8;
	memcpy(b + 1, &rel, 4);
}

static u8 *w(const u8 *p)		/* the alias of an ro address */
{
	return rw + (p - ro);
}

static const struct fixup_site *table(void)
{
	return (const struct fixup_site *)(ro + REC_OFF);
}

/* Text full of 0xCC between sites, the sites' compiled forms, records. */
static void build(void)
{
	unsigned int i;
	u8 b[16];

	memset(rw, 0xcc, TEXT_END);
	at = ro + TEXT_OFF + 3;
	nrec = 0;
	for (i = 0; i < NSITES; i++) {
		struct tsite *t = &sites[i];
		struct fixup_site *r = (struct fixup_site *)w(ro + REC_OFF) + i;
		const struct fixup_site *rr = table() + i;

		if (t->compiled)
			tap_hex(b, t->compiled);
		else
			call_bytes(b, at, groups[t->group - 1].generic);
		memcpy(w(at), b, t->len);
		t->site = at;
		r->rel = (s32)(at - (const u8 *)&rr->rel);
		r->kind = t->kind;
		r->len = t->len;
		at += t->len + 3;
		nrec++;
	}
}

static struct fixup_env env_for(const struct cpuinfo *c, bool smp,
				const struct fixup_hooks *h)
{
	static struct fixup_range text;

	text = (struct fixup_range){ ro + TEXT_OFF, ro + TEXT_END };
	return (struct fixup_env){
		.cpu = c, .smp = smp, .text = &text, .nr_text = 1,
		.calls = groups, .nr_calls = ARRAY_SIZE(groups), .hooks = h,
		.taken = taken, .taken_size = sizeof(taken),
	};
}

/* The ro view: writable for the boot pass only, as the kernel's text. */
static void text_writable(bool w)
{
	if (mprotect(ro, MAP_BYTES, PROT_READ | (w ? PROT_WRITE : 0))) {
		perror("mprotect");
		exit(1);
	}
}

/* ---- the kept tables, as fixup_boot() and fixup_module() make them ---- */

/*
 * The kernel's table has the records of sites[0..MODULE_FROM), a
 * module's the rest: two passes, each keeping in its own room, the
 * module's table first on the list as in the kernel.
 */
#define MODULE_FROM	9

static u8 room[2][ALIGN_UP(fixup_keep_room(NSITES), 8)] __aligned(8);
static struct fixup_keeping keeping[2];
static const struct fixup_kept *list;

static void pass_keeping(const struct cpuinfo *c, bool smp, unsigned int t,
			 unsigned int from, unsigned int to)
{
	struct fixup_hooks h = {
		.ctx = &keeping[t], .mode_dependent = fixup_keep_site,
	};
	struct fixup_env env = env_for(c, smp, &h);
	struct fixup_stats st;

	fixup_keep_begin(&keeping[t], room[t], sizeof(room[t]), to - from,
			 ro + TEXT_OFF, ro + TEXT_END);
	fixup_apply(table() + from, table() + to, &env, &st);
	if (st.rejected)
		diag("%u records rejected", st.rejected);
	if (!fixup_keep_done(&keeping[t]))
		keeping[t].kept->nr = 0;	/* nothing kept */
}

/* Both boot passes with keeping; the sites kept, as a mask of sites[]. */
static unsigned int boot_pass(const struct cpuinfo *c, bool smp)
{
	unsigned int i, j, t, mask = 0;

	build();
	text_writable(true);
	pass_keeping(c, smp, 0, 0, MODULE_FROM);
	pass_keeping(c, smp, 1, MODULE_FROM, nrec);
	text_writable(false);
	keeping[0].kept->next = NULL;
	keeping[1].kept->next = keeping[0].kept;
	list = keeping[1].kept;
	for (t = 0; t < 2; t++)
		for (i = 0; i < keeping[t].kept->nr; i++)
			for (j = 0; j < NSITES; j++)
				if (keeping[t].kept->sites[i].addr ==
				    (uintptr_t)sites[j].site)
					mask |= 1u << j;
	return mask;
}

/* The kept bytes of sites[j] for UP and SMP; false if it was not kept. */
static bool kept_bytes(unsigned int j, const u8 **up, const u8 **smp)
{
	const struct fixup_kept *k;
	const u8 *b;
	u32 i;

	for (k = list; k; k = k->next) {
		for (b = k->bytes, i = 0; i < k->nr; b += 2 * k->sites[i++].len) {
			if (k->sites[i].addr != (uintptr_t)sites[j].site)
				continue;
			*up = b;
			*smp = b + k->sites[i].len;
			return true;
		}
	}
	return false;
}

#define S(i)	(1u << (i))
#define LOCKS	(S(0) | S(10))
#define SMP_MB	S(2)
#define SMP_WMB	S(4)
#define CALLS	(S(8) | S(9) | S(11))	/* the lock and x groups */

static const u8 nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
static const u8 ladd[] = { 0xf0, 0x83, 0x04, 0x24, 0x00 };

static void test_selection(void)
{
	static const struct {
		const char *name;
		const struct cpuinfo *c;
		unsigned int want;
	} cases[] = {
		/* SMP_RMB is nop and SMP_WMB nop in both modes: not kept */
		{ "Pentium 4", &p4, LOCKS | SMP_MB | CALLS },
		{ "486", &i486, LOCKS | SMP_MB | CALLS },
		/* OOSTORE: smp_wmb() is nop on UP, a locked add on SMP */
		{ "WinChip OOSTORE", &winchip, LOCKS | SMP_MB | SMP_WMB | CALLS },
		/* 11AP: xchg in both modes, so the APIC write is not kept */
		{ "Pentium 11AP", &p54c, LOCKS | SMP_MB | CALLS },
	};
	const u8 *up, *smp;
	unsigned int i, j, got;
	bool bytes_ok = true;
	u8 b[5];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (j = 0; j < 2; j++) {
			got = boot_pass(cases[i].c, j);
			if (!is_int(got, cases[i].want,
				    "%s, boot %s: the mode-dependent sites are "
				    "kept", cases[i].name, j ? "SMP" : "UP"))
				diag("mask 0x%x, want 0x%x", got,
				     cases[i].want);
		}
	}
	/* Pentium 4 (the P6 NOPs), booted SMP */
	boot_pass(&p4, true);
	bytes_ok &= kept_bytes(0, &up, &smp) && up[0] == 0x3e &&
		    smp[0] == 0xf0;
	bytes_ok &= kept_bytes(2, &up, &smp) && !memcmp(up, nop5, 5) &&
		    !memcmp(smp, ladd, 5);
	call_bytes(b, sites[8].site, FN(2));	/* lock_generic, or gone */
	bytes_ok &= kept_bytes(8, &up, &smp) && !memcmp(up, nop5, 5) &&
		    !memcmp(smp, b, 5);
	call_bytes(b, sites[9].site, FN(5));	/* x_up, x_smp */
	bytes_ok &= kept_bytes(9, &up, &smp) && !memcmp(up, b, 5);
	call_bytes(b, sites[9].site, FN(4));
	bytes_ok &= !memcmp(smp, b, 5);
	ok(bytes_ok, "Pentium 4: a kept site carries its UP and its SMP bytes");
}

/* ---- the re-patch loop through the alias ---- */

static u8 snap_up[TEXT_END], snap_smp[TEXT_END];

/* The loop over every kept table to smp; the counts. */
static struct fixup_counts repatch(bool smp)
{
	struct fixup_counts st = { 0 };
	const struct fixup_kept *k;

	for (k = list; k; k = k->next)
		fixup_kept_write(k, smp, rw - ro, &st);
	return st;
}

/* Whether the text differs from snap exactly at the kept sites' bytes. */
static bool differs_at_kept(const u8 *snap, unsigned int kept_mask)
{
	unsigned int i, bad = 0;
	size_t off;

	for (off = 0; off < TEXT_END; off++) {
		bool in_kept = false;

		for (i = 0; i < NSITES; i++)
			if ((kept_mask & S(i)) && ro + off >= sites[i].site &&
			    ro + off < sites[i].site + sites[i].len)
				in_kept = true;
		/* every kept site changes in its first byte at least */
		if (!in_kept && ro[off] != snap[off] && bad++ < 4)
			diag("offset %zu changed: %02x -> %02x", off,
			     snap[off], ro[off]);
	}
	for (i = 0; i < NSITES; i++)
		if ((kept_mask & S(i)) &&
		    !memcmp(sites[i].site, snap + (sites[i].site - ro),
			    sites[i].len) && bad++ < 4)
			diag("kept site %s did not change", sites[i].what);
	return !bad;
}

static void test_repatch(void)
{
	unsigned int mask = boot_pass(&p4, false), n;
	struct fixup_counts st;
	u8 b[5];
	bool smp_ok = true;

	n = keeping[0].kept->nr + keeping[1].kept->nr;
	memcpy(snap_up, ro, TEXT_END);
	ok(sites[0].site[0] == 0x3e && !memcmp(sites[8].site, nop5, 5),
	   "boot UP: lock is ds, the spinlock call vanished");
	ok(keeping[1].kept->nr == 3, "the module's table keeps its x call, lock "
	   "prefix and spinlock call");

	st = repatch(true);
	is_int(st.sites, n, "UP -> SMP: every kept site seen");
	is_int(st.patched, n, "UP -> SMP: every kept site rewritten");
	ok(differs_at_kept(snap_up, mask),
	   "UP -> SMP: the read-only view changed at the kept sites only");
	smp_ok &= sites[0].site[0] == 0xf0 && sites[10].site[0] == 0xf0;
	smp_ok &= !memcmp(sites[2].site, ladd, 5);
	call_bytes(b, sites[8].site, FN(2));	/* the lock group's generic */
	smp_ok &= !memcmp(sites[8].site, b, 5);
	call_bytes(b, sites[11].site, FN(2));
	smp_ok &= !memcmp(sites[11].site, b, 5);
	call_bytes(b, sites[9].site, FN(4));	/* x_smp */
	smp_ok &= !memcmp(sites[9].site, b, 5);
	ok(smp_ok, "UP -> SMP: lock f0, smp_mb a locked add, the spinlock "
	   "calls back, x_smp, the module's sites with the kernel's");
	memcpy(snap_smp, ro, TEXT_END);

	st = repatch(false);
	ok(st.patched == n && !memcmp(ro, snap_up, TEXT_END),
	   "SMP -> UP: the text is byte for byte the boot's UP text");
	st = repatch(false);
	ok(st.patched == 0 && st.unchanged == n, "UP -> UP: nothing written");
	st = repatch(true);
	ok(st.patched == n && !memcmp(ro, snap_smp, TEXT_END),
	   "UP -> SMP again: the same SMP text");
}

static uintptr_t named[NSITES];
static unsigned int nr_named;

static void on_neither(uintptr_t addr)
{
	if (nr_named < NSITES)
		named[nr_named++] = addr;
}

/* A kept site whose bytes changed behind the kernel's back. */
static void test_neither(void)
{
	struct fixup_counts st;
	const struct fixup_kept *k;

	boot_pass(&p4, false);
	w(sites[10].site)[0] = 0x90;	/* the module's lock prefix */
	st = repatch(true);
	ok(st.rejected == 1 && st.patched == st.sites - 1,
	   "a site holding neither form is counted, the others written");
	ok(sites[10].site[0] == 0x90 && sites[0].site[0] == 0xf0,
	   "it is left alone");
	nr_named = 0;
	for (k = list; k; k = k->next)
		fixup_kept_report(k, true, on_neither);
	ok(nr_named == 1 && named[0] == (uintptr_t)sites[10].site,
	   "it is named by its address, alone");
}

/* A room too small for the table: nothing is kept, and it says so. */
static void test_room(void)
{
	struct fixup_keeping k;

	fixup_keep_begin(&k, room[0], fixup_keep_room(NSITES) - 1, NSITES,
			 ro, ro + TEXT_END);
	ok(k.full && !fixup_keep_done(&k),
	   "a room too small: full, nothing kept");
}

int main(void)
{
	int fd = memfd_create("text", 0);

	if (fd < 0 || ftruncate(fd, MAP_BYTES)) {
		perror("memfd");
		return 1;
	}
	ro = mmap(NULL, MAP_BYTES, PROT_READ, MAP_SHARED, fd, 0);
	rw = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (ro == MAP_FAILED || rw == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	set_groups();
	test_selection();
	test_repatch();
	test_neither();
	test_room();
	return done_testing();
}

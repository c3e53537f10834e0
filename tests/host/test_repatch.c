/*
 * Host tests of what a CPU hot-add needs from the patcher
 * (arch/i386/fixup/patcher.c): which sites the boot pass keeps (the
 * mode_dependent hook), and a re-patch of the kept records over a
 * synthetic text that is read-only where it is read and written through
 * an alias, as the kernel's repatch.c does it.
 *
 * One memfd is mapped twice: the view the patcher reads (and the records
 * point at) is PROT_READ, so a write that does not go through
 * env->write_offset is a SIGSEGV; the other view is the writable alias.
 * Records, text and the fake call targets all live in the one mapping,
 * so that the self-relative s32 offsets reach on a 64-bit host.
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
#define REC_OFF		(2 * PAGE)	/* the table, then the kept copy */
#define KEPT_OFF	(2 * PAGE + 1024)
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

void fixup_serialize(const struct cpuinfo *c)
{
	(void)c;
}

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
		.write_offset = rw - ro,
	};
}

/* ---- the kept table, as fixup_boot() makes it ---- */

struct kept {
	unsigned int n;
	const struct fixup_site *from[NSITES];	/* the records seen */
	u8 group[NSITES];
};

static struct kept kept;

static void on_mode_dependent(void *ctx, const struct fixup_site *rec,
			      const u8 *site, unsigned int group)
{
	struct kept *k = ctx;
	struct fixup_site *to = (struct fixup_site *)w(ro + KEPT_OFF) + k->n;
	const struct fixup_site *to_ro =
		(const struct fixup_site *)(ro + KEPT_OFF) + k->n;

	(void)site;
	if (k->n == NSITES)
		return;
	/* rebased for where it will be read: the ro view */
	fixup_copy_record(to, rec);
	to->rel += (s32)((const u8 *)to - (const u8 *)to_ro);
	k->from[k->n] = rec;
	k->group[k->n++] = group;
}

static const struct fixup_hooks keep_hooks = {
	.ctx = &kept, .mode_dependent = on_mode_dependent,
};

/* The boot pass with keeping; the sites kept, as a mask of sites[]. */
static unsigned int boot_pass(const struct cpuinfo *c, bool smp)
{
	struct fixup_env env = env_for(c, smp, &keep_hooks);
	struct fixup_stats st;
	unsigned int i, mask = 0;

	build();
	memset(&kept, 0, sizeof(kept));
	fixup_apply(table(), table() + nrec, &env, &st);
	for (i = 0; i < kept.n; i++)
		mask |= 1u << (kept.from[i] - table());
	if (st.rejected)
		diag("%u records rejected", st.rejected);
	return mask;
}

#define S(i)	(1u << (i))
#define LOCKS	(S(0) | S(10))
#define SMP_MB	S(2)
#define SMP_WMB	S(4)
#define CALLS	(S(8) | S(9) | S(11))	/* the lock and x groups */

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
	unsigned int i, j, got;
	bool groups_ok;

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
	groups_ok = kept.n > 0;
	for (i = 0; i < kept.n; i++)
		groups_ok &= kept.group[i] ==
			     sites[kept.from[i] - table()].group;
	ok(groups_ok, "a kept CALL site comes with its group, others with 0");
}

/* ---- the re-patch through the alias ---- */

static u8 snap_up[TEXT_END], snap_smp[TEXT_END];

/* Apply the kept table for smp; the stats. */
static struct fixup_stats repatch(const struct cpuinfo *c, bool smp,
				  const u8 *call_groups)
{
	struct fixup_env env = env_for(c, smp, NULL);
	struct fixup_stats st;
	const struct fixup_site *k = (const struct fixup_site *)(ro + KEPT_OFF);

	env.call_groups = call_groups;
	fixup_apply(k, k + kept.n, &env, &st);
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
	static const u8 ladd[] = { 0xf0, 0x83, 0x04, 0x24, 0x00 };
	static const u8 nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	unsigned int mask = boot_pass(&p4, false);
	struct fixup_stats st;
	u8 b[5];
	bool smp_ok = true;

	memcpy(snap_up, ro, TEXT_END);
	ok(sites[0].site[0] == 0x3e && !memcmp(sites[8].site, nop5, 5),
	   "boot UP: lock is ds, the spinlock call vanished");

	st = repatch(&p4, true, kept.group);
	is_int(st.sites, kept.n, "UP -> SMP: every kept record accepted");
	is_int(st.patched, kept.n, "UP -> SMP: every kept site rewritten");
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
	   "calls back, x_smp");
	memcpy(snap_smp, ro, TEXT_END);

	st = repatch(&p4, false, kept.group);
	ok(st.patched == kept.n && !memcmp(ro, snap_up, TEXT_END),
	   "SMP -> UP: the text is byte for byte the boot's UP text");
	st = repatch(&p4, false, kept.group);
	ok(st.patched == 0 && st.kept == kept.n,
	   "UP -> UP: nothing written");
	st = repatch(&p4, true, kept.group);
	ok(st.patched == kept.n && !memcmp(ro, snap_smp, TEXT_END),
	   "UP -> SMP again: the same SMP text");

	/* Without the group bytes a vanished call cannot come back. */
	repatch(&p4, false, kept.group);
	st = repatch(&p4, true, NULL);
	ok(!memcmp(sites[8].site, nop5, 5) && sites[0].site[0] == 0xf0,
	   "without call_groups the vanished call stays a NOP");
}

/* A record copied elsewhere names the same site. */
static void test_copy_record(void)
{
	struct fixup_site a[2], b[3];

	a[1].rel = 1000;
	a[1].kind = FIXUP_KIND_LOCK;
	a[1].len = 1;
	fixup_copy_record(&b[2], &a[1]);
	/* as integers: pointers into two objects do not compare in C */
	ok((uintptr_t)&b[2].rel + b[2].rel ==
	   (uintptr_t)&a[1].rel + a[1].rel && b[2].kind == FIXUP_KIND_LOCK &&
	   b[2].len == 1, "fixup_copy_record: same site, kind and length");
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
	test_copy_record();
	test_selection();
	test_repatch();
	return done_testing();
}

/*
 * The record walk, written once: check each record of .fixup_sites, let
 * its kind plan the new bytes, write them, count. One serializing
 * instruction after the last write, as for any self-modifying code
 * (Intel SDM vol. 3A, "Handling Self- and Cross-Modifying Code").
 * Nothing is written outside a site that passed every check.
 */
#include <kernel/string.h>
#include "fixup.h"

static bool __init in_range(const struct fixup_range *r, uintptr_t a,
			    unsigned int len)
{
	uintptr_t end = (uintptr_t)r->end;

	return a >= (uintptr_t)r->start && a <= end && len <= end - a;
}

/* The text range a site is in, or NULL. */
static const struct fixup_range *__init find_text(const struct fixup_env *env,
						  uintptr_t a, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < env->nr_text; i++)
		if (in_range(&env->text[i], a, len))
			return &env->text[i];
	return NULL;
}

/*
 * What the walk keeps from one record to the next: the last accepted
 * site, which the next one must not overlap, and the end of the text
 * range that site lies in.
 */
struct walk {
	uintptr_t prev_lo, prev_hi;
	uintptr_t text_end;
};

/*
 * The text and overlap checks. Records of one section come in address
 * order, so the common case is a site after the last accepted one and
 * still in its range: that proves both. Anything else is checked in
 * full. *end gets the end of the site's range; the walk keeps it only
 * if the site is accepted, so that text_end stays the range of prev.
 */
static __fixup_inline bool quick_ok(const struct walk *w,
				    const struct fixup_env *env,
				    uintptr_t a, unsigned int len,
				    uintptr_t *end)
{
	const struct fixup_range *r;

	if (likely(a >= w->prev_hi && a <= w->text_end &&
		   len <= w->text_end - a))
		return true;
	r = find_text(env, a, len);
	if (!r || (a < w->prev_hi && w->prev_lo < a + len))
		return false;
	*end = (uintptr_t)r->end;
	return true;
}

/* Why a record failed the checks that need no look at its site. */
static const char *__init why_bad(const struct fixup_env *env,
				  const struct fixup_site *r, uintptr_t site)
{
	const struct fixup_kind *k;

	if (r->kind >= FIXUP_NR_KINDS || !fixup_kinds[r->kind].name)
		return "unknown kind";
	k = &fixup_kinds[r->kind];
	if (r->len < k->min_len || r->len > k->max_len)
		return "bad length";
	if (!find_text(env, site, r->len))
		return "outside text";
	/* Records come in link order; this also catches a duplicate. */
	return "overlaps previous site";
}

static void __init note_reject(const struct fixup_env *env,
			       struct fixup_stats *st,
			       const struct fixup_site *r, uintptr_t site,
			       const char *why)
{
	st->rejected++;
	if (r->kind < FIXUP_NR_KINDS && fixup_kinds[r->kind].name)
		st->kind[r->kind].rejected++;
	if (env->hooks && env->hooks->reject)
		env->hooks->reject(env->hooks->ctx, r, (const u8 *)site,
				   r->kind, why);
}

/* Only CALL picks its variant per site. */
static void __init note_variant(struct fixup_kind_stats *ks,
				const char *name)
{
	if (ks->variant == name)
		return;
	if (!ks->variant)
		ks->variant = name;
	else if (strcmp(ks->variant, name))
		ks->variant = "mixed";
}

/*
 * A fixed kind: the site must hold one of the known byte strings.
 * known[0] is the chosen one, known[1] the compiled form unless that
 * was chosen: between them, nearly every site.
 */
static __fixup_inline int match_known(const struct fixup_kind_pass *kp,
				      u64 v)
{
	unsigned int j;

	if (v == kp->known[0])
		return PLAN_KEEP;
	if (v == kp->known[1])
		return PLAN_WRITE;
	for (j = 2; j < kp->nr_known; j++)
		if (v == kp->known[j])
			return PLAN_WRITE;
	return PLAN_REJECT;
}

/* Per-kind and total sums, and the names of variants chosen per pass. */
static void __init sum_up(struct fixup_stats *st,
			  const struct fixup_pass *pass)
{
	struct fixup_kind_stats *ks;
	unsigned int i;

	for (i = 0; i < FIXUP_NR_KINDS; i++) {
		ks = &st->kind[i];
		ks->patched = pass->kind[i].patched;
		ks->kept = pass->kind[i].kept;
		ks->sites = ks->patched + ks->kept;
		if (ks->sites && pass->kind[i].name)
			ks->variant = pass->kind[i].name;
		st->patched += ks->patched;
		st->kept += ks->kept;
	}
}

/* fixup_debug: shown before the write, with the bytes to come. */
static void __init show(const struct fixup_hooks *h,
			const struct fixup_site *r, const u8 *site,
			const char *name, u64 want, unsigned int wlen)
{
	u8 new[FIXUP_MAX_LEN];

	fixup_copy(new, site, r->len);
	fixup_store(new, want, wlen);
	h->debug(h->ctx, r, site, r->kind, site, new, r->len, name);
}

/*
 * The pass state is static rather than on the stack (it is over 1 KiB);
 * there is one pass at a time, at boot.
 */
static struct fixup_pass pass __initdata;

/* A kind with its own plan(): modrm forms and calls. */
static __fixup_inline int plan_site(struct fixup_plan *pl,
				    const struct fixup_kind_pass *kp,
				    struct fixup_kind_stats *ks,
				    uintptr_t site, unsigned int len)
{
	int verdict;

	pl->kp = kp;
	pl->site = (const u8 *)site;
	pl->len = len;
	verdict = kp->plan(pl);
	if (verdict != PLAN_REJECT && !kp->name)
		note_variant(ks, pl->name);
	return verdict;
}

/*
 * The walk. Inlined twice, with debug a constant, so that the common
 * pass carries no debug test per site.
 */
static __fixup_inline void walk(const struct fixup_site *r,
				const struct fixup_site *last,
				const struct fixup_env *env,
				struct fixup_stats *st, bool debug)
{
	struct walk w = { 0, 0, 0 };	/* nothing yet: all goes the slow way */
	struct fixup_plan pl;

	pl.pass = &pass;
	for (; r < last; r++) {
		uintptr_t site = (uintptr_t)&r->rel + (uintptr_t)(long)r->rel;
		unsigned int kind = r->kind, len = r->len, wlen;
		struct fixup_kind_pass *kp;
		uintptr_t end = w.text_end;
		int verdict;
		u64 want;

		if (unlikely(len - pass.lens[kind].lo > pass.lens[kind].span ||
			     !quick_ok(&w, env, site, len, &end))) {
			note_reject(env, st, r, site, why_bad(env, r, site));
			continue;
		}
		kp = &pass.kind[kind];
		if (pass.lens[kind].fixed) {
			verdict = match_known(kp, fixup_load((u8 *)site, len));
			if (unlikely(verdict == PLAN_REJECT))
				pl.why = "bytes not a variant";
			want = kp->known[0];
			wlen = len;
		} else {
			verdict = plan_site(&pl, kp, &st->kind[kind], site,
					    len);
			want = pl.want;
			wlen = pl.wlen;
		}
		if (unlikely(verdict == PLAN_REJECT)) {
			note_reject(env, st, r, site, pl.why);
			continue;
		}
		w.prev_lo = site;
		w.prev_hi = site + len;
		w.text_end = end;
		if (debug)
			show(env->hooks, r, (const u8 *)site,
			     kp->name ? kp->name : pl.name, want, wlen);
		if (verdict == PLAN_KEEP) {
			kp->kept++;
		} else {
			fixup_store((u8 *)site, want, wlen);
			kp->patched++;
		}
	}
}

void __init fixup_apply(const struct fixup_site *start,
			const struct fixup_site *end,
			const struct fixup_env *env, struct fixup_stats *st)
{
	size_t n = ((uintptr_t)end - (uintptr_t)start) / sizeof(*start);

	memset(st, 0, sizeof(*st));
	st->sites = n;
	fixup_choose(&pass, env);
	if (env->hooks && env->hooks->debug)
		walk(start, start + n, env, st, true);
	else
		walk(start, start + n, env, st, false);
	sum_up(st, &pass);
	fixup_serialize(env->cpu);
}

#ifndef HOST_TEST
/*
 * CPUID serializes everywhere it exists; without it (486, early 5x86)
 * IRET to the next instruction does, as it does on every x86 (Intel SDM
 * vol. 3A, "Serializing Instructions").
 */
void __init fixup_serialize(const struct cpuinfo *c)
{
	u32 a = 0, b, cx = 0, d;

	if (cpu_has(c, X86_FEATURE_CPUID)) {
		__asm__ __volatile__("cpuid"
				     : "+a" (a), "=b" (b), "+c" (cx), "=d" (d)
				     : : "memory");
		(void)b;
		(void)d;
		return;
	}
	__asm__ __volatile__("pushfl\n\t"
			     "pushl %%cs\n\t"
			     "pushl $1f\n\t"
			     "iret\n"
			     "1:"
			     : : : "memory");
}
#endif

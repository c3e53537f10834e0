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

/*
 * Only CALL picks its variant per site. Once "mixed", always: no
 * string compare for every call of a kernel with several groups.
 */
static void __init note_variant(struct fixup_kind_stats *ks,
				const char *name)
{
	const char *mixed = "mixed";

	if (ks->variant == name || ks->variant == mixed)
		return;
	if (!ks->variant)
		ks->variant = name;
	else if (strcmp(ks->variant, name))
		ks->variant = mixed;
}

/*
 * The pass state is static rather than on the stack (it is over 1 KiB);
 * there is one pass at a time, at boot.
 */
static struct fixup_pass pass __initdata;

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

/*
 * A modrm kind: the operand must fill the rest of the site exactly and
 * the head and reg field be one of the forms; the head is then the
 * chosen form's, and the reg field too if that form fixes one.
 * The site's first *n = min(len, 4) bytes are read and written as one:
 * the head and ModRM byte (h + 1 <= 4) and operand bytes, kept as they
 * are. A fixed width costs less than the exact one.
 */
static __fixup_inline int plan_modrm(const struct fixup_kind_pass *kp,
				     const u8 *site, unsigned int len,
				     u64 *want, unsigned int *n)
{
	const struct fixup_modrm_form *f = kp->form;
	const struct fixup_modrm_form *end = f + kp->nr_known;
	unsigned int h = kp->head_len;
	u64 jmp = (u64)(len - 2) << 8;	/* the short jump over the rest */
	u64 now;

	*n = len < 4 ? len : 4;
	now = fixup_load(site, *n);

	if (fixup_operand_len(&pass, site + h, len - h) != len - h)
		return PLAN_REJECT;
	while ((now & f->mask) != (f->val | (jmp & f->jump)))
		if (++f == end)
			return PLAN_REJECT;
	f = &kp->form[kp->chosen];
	*want = (now & kp->keep) | f->val | (jmp & f->jump);
	return *want == now ? PLAN_KEEP : PLAN_WRITE;
}

/* Per-kind and total sums, and the names of variants chosen per pass. */
static void __init sum_up(struct fixup_stats *st,
			  const struct fixup_pass *pass)
{
	struct fixup_kind_stats *ks;
	unsigned int i;

	for (i = 0; i < FIXUP_NR_KINDS; i++) {
		ks = &st->kind[i];
		ks->kept = pass->kind[i].count[PLAN_KEEP - 1];
		ks->patched = pass->kind[i].count[PLAN_WRITE - 1];
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
 * The walk. Inlined twice, with debug a constant, so that the common
 * pass carries no debug test per site.
 */
static __fixup_inline void walk(const struct fixup_site *r,
				const struct fixup_site *last,
				const struct fixup_env *env,
				struct fixup_stats *st, bool debug)
{
	struct walk w = { 0, 0, 0 };	/* nothing yet: all goes the slow way */

	for (; r < last; r++) {
		uintptr_t site = (uintptr_t)&r->rel + (uintptr_t)(long)r->rel;
		uintptr_t kind = r->kind, len = r->len;	/* no widening */
		unsigned int wlen;
		const struct fixup_lens *l = &pass.lens[kind];
		const char *why = "bytes not a variant", *name;
		struct fixup_kind_pass *kp;
		uintptr_t end = w.text_end;
		int verdict;
		u64 want;

		if (unlikely(len - l->lo > l->span ||
			     !quick_ok(&w, env, site, len, &end))) {
			note_reject(env, st, r, site, why_bad(env, r, site));
			continue;
		}
		kp = &pass.kind[kind];
		name = kp->name;
		if (l->verb == FIXUP_VERB_FIXED) {
			verdict = match_known(kp, fixup_load((u8 *)site, len));
			want = kp->known[0];
			wlen = len;
		} else if (l->verb == FIXUP_VERB_MODRM) {
			verdict = plan_modrm(kp, (u8 *)site, len, &want,
					     &wlen);
		} else {
			struct fixup_plan pl = {
				.pass = &pass, .kp = kp, .site = (u8 *)site
			};

			verdict = fixup_plan_call(&pl);
			want = pl.want;
			wlen = pl.wlen;
			name = pl.name;
			why = pl.why;
			if (verdict != PLAN_REJECT)
				note_variant(&st->kind[kind], name);
		}
		if (unlikely(verdict == PLAN_REJECT)) {
			note_reject(env, st, r, site, why);
			continue;
		}
		w.prev_lo = site;
		w.prev_hi = site + len;
		w.text_end = end;
		if (debug)
			show(env->hooks, r, (const u8 *)site, name, want, wlen);
		if (verdict == PLAN_KEEP) {
			kp->count[PLAN_KEEP - 1]++;
		} else {
			fixup_store((u8 *)site, want, wlen);
			kp->count[PLAN_WRITE - 1]++;
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

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

/* Where a record's site is. */
static __fixup_inline uintptr_t site_of(const struct fixup_site *r)
{
	return (uintptr_t)&r->rel + (uintptr_t)(long)r->rel;
}

/*
 * What the walk keeps from one record to the next: the last accepted
 * record, whose site the next one must not overlap, and [lo, hi]: where
 * a site may start in a stretch of one text range that lies after that
 * site (quick_ok()). lo > hi: nowhere.
 */
struct walk {
	const struct fixup_site *prev;	/* NULL: none yet */
	uintptr_t lo, hi;
};

/*
 * The text and overlap checks. A site that starts within [lo, hi]
 * passes both, and as records of one section come in address order,
 * nearly every site does. hi stops FIXUP_MAX_LEN short of the range's
 * end, so that a site's length, checked against its kind before, needs
 * no test here. Anything else is checked in full; if it passes, [lo, hi]
 * is set anew from the part of its range after the last accepted site,
 * which keeps the shortcut sound whether or not the site is accepted in
 * the end.
 */
static __fixup_inline bool quick_ok(struct walk *w,
				    const struct fixup_env *env,
				    uintptr_t a, unsigned int len)
{
	const struct fixup_range *r;
	uintptr_t start, end, prev_lo = 0, prev_hi = 0;

	if (likely(a >= w->lo && a <= w->hi))
		return true;
	r = find_text(env, a, len);
	if (!r)
		return false;
	if (w->prev) {
		prev_lo = site_of(w->prev);
		prev_hi = prev_lo + w->prev->len;
	}
	if (a < prev_hi && prev_lo < a + len)
		return false;
	start = (uintptr_t)r->start;
	end = (uintptr_t)r->end;
	w->lo = start > prev_hi ? start : prev_hi;
	if (end - start >= FIXUP_MAX_LEN) {
		w->hi = end - FIXUP_MAX_LEN;
	} else {		/* too short for the shortcut */
		w->lo = 1;
		w->hi = 0;
	}
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
 * was chosen: between them, nearly every site, and both are found
 * by the kind byte alone.
 */
static __fixup_inline int match_known(uintptr_t kind, u64 v)
{
	const struct fixup_kind_pass *kp;
	unsigned int j;

	if (v == pass.known0[kind])
		return PLAN_KEEP;
	if (v == pass.known1[kind])
		return PLAN_WRITE;
	kp = &pass.kind[kind];
	for (j = 2; j < kp->nr_known; j++)
		if (v == kp->known[j])
			return PLAN_WRITE;
	return PLAN_REJECT;
}

static __fixup_inline bool is_form(const struct fixup_modrm_form *f,
				    u32 now, u32 jmp)
{
	return (now & f->mask) == (f->val | (jmp & f->jump));
}

/*
 * Whether a modrm site holds a form other than form[0]: few do, and
 * out of line this keeps the registers of the walk's common path.
 */
static bool __init other_form(uintptr_t kind, u32 now, u32 jmp)
{
	const struct fixup_kind_pass *kp = &pass.kind[kind];
	unsigned int j;

	for (j = 1; j < kp->nr_known; j++)
		if (is_form(&kp->form[j], now, jmp))
			return true;
	return false;
}

/*
 * A modrm kind: the operand must fill the rest of the site exactly and
 * the head and reg field be one of the forms; the head is then the
 * chosen form's, and the reg field too if that form fixes one.
 * The site's first n = min(len, 4) bytes are read and written as one:
 * the head and ModRM byte (h + 1 <= 4) and operand bytes, kept as they
 * are. A fixed width costs less than the exact one.
 */
static __fixup_inline int plan_modrm(uintptr_t kind, const u8 *site,
				     unsigned int len, unsigned int n,
				     u32 *want)
{
	const struct fixup_modrm_pass *mp = &pass.modrm[kind];
	unsigned int h = pass.lens[kind].head;
	unsigned int op = pass.operand[site[h]];
	u32 jmp = (len - 2) << 8;	/* the short jump over the rest */
	u32 now = fixup_load(site, n);

	/* only a SIB needs the bytes left, len - h: keep it off the way */
	if (unlikely(op & FIXUP_SIB))
		op = fixup_operand_len(&pass, site + h, len - h);
	if (h + op != len)
		return PLAN_REJECT;
	if (!is_form(&mp->form0, now, jmp) &&
	    !other_form(kind, now, jmp))
		return PLAN_REJECT;
	*want = (now & mp->keep) | mp->val | (jmp & mp->jump);
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
		ks->kept = pass->count[i][PLAN_KEEP - 1];
		ks->patched = pass->count[i][PLAN_WRITE - 1];
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
 * The end of every accepted site: it becomes the last one, and gets the
 * first wlen bytes of want unless it holds them already. Inlined into
 * each verb, so that a constant wlen writes without a test.
 */
static __fixup_inline void take(struct walk *w, const struct fixup_env *env,
				const struct fixup_site *r, uintptr_t site,
				uintptr_t kind, unsigned int len,
				int verdict, u64 want,
				unsigned int wlen, const char *name,
				bool debug)
{
	w->prev = r;
	w->lo = site + len;
	if (debug)
		show(env->hooks, r, (const u8 *)site, name, want, wlen);
	if (verdict == PLAN_KEEP) {
		pass.count[kind][PLAN_KEEP - 1]++;
	} else {
		fixup_store((u8 *)site, want, wlen);
		pass.count[kind][PLAN_WRITE - 1]++;
	}
}

/*
 * A fixed kind of n bytes: false if the site holds none of the known
 * strings. Called with n constant for LOCK (1) and the barriers (5).
 */
static __fixup_inline bool fixed(struct walk *w, const struct fixup_env *env,
				 const struct fixup_site *r, uintptr_t site,
				 uintptr_t kind, unsigned int n, bool debug)
{
	int verdict = match_known(kind, fixup_load((const u8 *)site, n));

	if (unlikely(verdict == PLAN_REJECT))
		return false;
	take(w, env, r, site, kind, n, verdict, pass.known0[kind], n,
	     pass.kind[kind].name, debug);
	return true;
}

/*
 * A modrm site whose first n bytes are read and written: false if it
 * is none of the forms.
 */
static __fixup_inline bool modrm(struct walk *w, const struct fixup_env *env,
				 const struct fixup_site *r, uintptr_t site,
				 uintptr_t kind, unsigned int len,
				 unsigned int n, bool debug)
{
	u32 want;
	int verdict = plan_modrm(kind, (const u8 *)site, len, n, &want);

	if (unlikely(verdict == PLAN_REJECT))
		return false;
	take(w, env, r, site, kind, len, verdict, want, n,
	     pass.kind[kind].name, debug);
	return true;
}

/*
 * A call site: NULL when taken, else why not. E8 rel32 to a target of
 * a call group is aimed where fixup_choose() aimed the target, or
 * becomes the best 5-byte NOP; a call that vanished already (either
 * NOP) stays one, as which group it was is lost.
 */
static __fixup_inline const char *call(struct walk *w,
				       const struct fixup_env *env,
				       struct fixup_stats *st,
				       const struct fixup_site *r,
				       uintptr_t site, uintptr_t kind,
				       bool debug)
{
	uintptr_t next = site + FIXUP_CALL_LEN;
	u64 now = fixup_load((const u8 *)site, FIXUP_CALL_LEN);
	u64 want = pass.known0[kind];
	const char *name = "nop";
	const struct fixup_call_slot *s;
	struct fixup_call_slot found;
	u32 rel;

	if ((u8)now != 0xe8) {
		if (now != want && now != pass.known1[kind])
			return "bytes not a variant";
	} else {
		rel = now >> 8;
		s = fixup_find_call(&pass, next + (uintptr_t)(long)(s32)rel,
				    &found);
		if (!s)
			return "call target not in a group";
		if (s->state != CALL_SLOT_NOP) {
			rel = s->to - next;
			/* always true on i386; a 64-bit test host may
			 * place fn far away */
			if (next + (uintptr_t)(long)(s32)rel != s->to)
				return "call target out of reach";
			want = 0xe8 | (u64)rel << 8;
			name = s->name;
		}
	}
	note_variant(&st->kind[kind], name);
	take(w, env, r, site, kind, FIXUP_CALL_LEN,
	     want == now ? PLAN_KEEP : PLAN_WRITE, want, FIXUP_CALL_LEN,
	     name, debug);
	return NULL;
}

/*
 * The walk. Inlined twice, with debug a constant, so that the common
 * pass carries no debug test per site. The verbs are tested in order of
 * their share of a kernel's sites.
 */
static __fixup_inline void walk(const struct fixup_site *r,
				const struct fixup_site *last,
				const struct fixup_env *env,
				struct fixup_stats *st, bool debug)
{
	struct walk w = { NULL, 1, 0 };	/* nothing yet: all the slow way */

	for (; r < last; r++) {
		uintptr_t site = site_of(r);
		uintptr_t kind = r->kind, len = r->len;	/* no widening */
		const struct fixup_lens *l = &pass.lens[kind];
		const char *why = "bytes not a variant";

		if (unlikely(len - l->lo > l->span ||
			     !quick_ok(&w, env, site, len))) {
			note_reject(env, st, r, site, why_bad(env, r, site));
			continue;
		}
		if (l->verb == FIXUP_VERB_BYTE) {
			if (likely(fixed(&w, env, r, site, kind, 1, debug)))
				continue;
		} else if (l->verb == FIXUP_VERB_FIXED && likely(len == 5)) {
			if (likely(fixed(&w, env, r, site, kind, 5, debug)))
				continue;
		} else if (l->verb == FIXUP_VERB_FIXED) {
			if (likely(fixed(&w, env, r, site, kind, len, debug)))
				continue;
		} else if (l->verb == FIXUP_VERB_MODRM) {
			/* modrm sites have 2 bytes or more */
			if (likely(modrm(&w, env, r, site, kind, len,
					 len >= 4 ? 4 : len == 3 ? 3 : 2,
					 debug)))
				continue;
		} else {
			why = call(&w, env, st, r, site, kind, debug);
			if (likely(!why))
				continue;
		}
		note_reject(env, st, r, site, why);
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

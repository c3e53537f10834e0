/*
 * The site-kind catalogue: for each kind its legal lengths, the byte
 * forms of its variants, the ordered rules that pick one for the CPU,
 * and how a site of the kind is checked and rewritten.
 * Byte forms: Documentation/fixup-sites.md.
 *
 * Three verbs cover every kind:
 *   fixed   the whole site is one of a few byte strings: an instruction
 *           and NOP padding (LOCK, barriers); fixup_choose() lists them
 *           and the walk matches the list itself
 *   modrm   opcode bytes in front of a memory operand that stays put
 *           (prefetches, movntq, movnti, APIC writes): fixup_choose()
 *           turns each form into a mask and value, the walk tests them
 *   call    call rel32 redirected within a call group, or a NOP:
 *           fixup_choose() finds each target's new callee once per
 *           pass, the walk looks it up (fixup_find_call())
 *
 * Everything that does not depend on the site is worked out here, once
 * per pass: the walk runs for every site of the kernel.
 */
#include <kernel/string.h>
#include "fixup.h"

#define REG_ANY		-1	/* any reg field (a register): kept */
#define REG_HINT	-2	/* a prefetch hint /0../3: kept */

#define FORM_JMP	1	/* head[1] jumps over the rest: len - 2 */

/* One variant of a kind, as the bytes in front of what the site keeps. */
struct fixup_form {
	const char *name;	/* the report's variant= */
	u8 head[5];
	u8 head_len;
	u8 flags;		/* FORM_* */
	s8 reg;			/* modrm forms: reg field 0..7, or REG_* */
};

/* First fitting rule of a kind wins; none fitting keeps forms[0]. */
struct fixup_rule {
	u32 needs;		/* X86_FEATURE_*, all of them */
	u32 bugs;		/* X86_BUG_*, all of them */
	u8 mode;		/* FIXUP_MODE_* */
	const struct fixup_form *form;
};

#define FIXED(n, ...)							\
	{ .name = n, .head = { __VA_ARGS__ },				\
	  .head_len = sizeof((u8 []){ __VA_ARGS__ }) }
#define MODRM(n, r, fl, ...)						\
	{ .name = n, .head = { __VA_ARGS__ },				\
	  .head_len = sizeof((u8 []){ __VA_ARGS__ }), .flags = fl, .reg = r }

/* LOCK: a prefix byte. DS is harmless with flat segments. */
static const struct fixup_form lock_prefix __initconst = FIXED("lock", 0xf0);
static const struct fixup_form ds_prefix __initconst = FIXED("ds", 0x3e);

/* Barriers: Intel SDM vol. 2A/2B, MFENCE/LFENCE/SFENCE = 0F AE /6 /5 /7. */
static const struct fixup_form lock_add __initconst =
	FIXED("lock-add", 0xf0, 0x83, 0x04, 0x24, 0x00);
static const struct fixup_form mfence __initconst =
	FIXED("mfence", 0x0f, 0xae, 0xf0);
static const struct fixup_form lfence __initconst =
	FIXED("lfence", 0x0f, 0xae, 0xe8);
static const struct fixup_form sfence __initconst =
	FIXED("sfence", 0x0f, 0xae, 0xf8);
static const struct fixup_form nop_all __initconst = { .name = "nop" };

/*
 * Prefetches: the compiled form jumps over "lea ADDR,%reg"; the others
 * put 3E 0F xx in front of the same ModRM operand. PREFETCH (0F 18 /hint),
 * AMD 3DNow! PREFETCH/PREFETCHW (0F 0D /0, /1), NOP Ev (0F 1F /0).
 */
static const struct fixup_form pf_jmp __initconst =
	MODRM("nop", REG_HINT, FORM_JMP, 0xeb, 0x00, 0x8d);
static const struct fixup_form pf_nta __initconst =
	MODRM("prefetchnta", REG_HINT, 0, 0x3e, 0x0f, 0x18);
static const struct fixup_form pf_3dnow __initconst =
	MODRM("prefetch3dnow", 0, 0, 0x3e, 0x0f, 0x0d);
static const struct fixup_form pw_jmp __initconst =
	MODRM("nop", 1, FORM_JMP, 0xeb, 0x00, 0x8d);
static const struct fixup_form pw_t0 __initconst =
	MODRM("prefetcht0", 1, 0, 0x3e, 0x0f, 0x18);
static const struct fixup_form pw_3dnow __initconst =
	MODRM("prefetch3dnow", 1, 0, 0x3e, 0x0f, 0x0d);
static const struct fixup_form nopl __initconst =
	MODRM("nopl", 0, 0, 0x3e, 0x0f, 0x1f);

/* MOVQ mm->m64 0F 7F, MOVNTQ 0F E7; MOV r32->m32 89, MOVNTI 0F C3. */
static const struct fixup_form movq __initconst =
	MODRM("movq", REG_ANY, 0, 0x0f, 0x7f);
static const struct fixup_form movntq __initconst =
	MODRM("movntq", REG_ANY, 0, 0x0f, 0xe7);
static const struct fixup_form movl_ds __initconst =
	MODRM("movl", REG_ANY, 0, 0x3e, 0x89);
static const struct fixup_form movnti __initconst =
	MODRM("movnti", REG_ANY, 0, 0x0f, 0xc3);

/* Pentium erratum 11AP: APIC writes must be locked reads too (xchg, 87). */
static const struct fixup_form movl __initconst =
	MODRM("movl", REG_ANY, 0, 0x89);
static const struct fixup_form xchg __initconst =
	MODRM("xchg", REG_ANY, 0, 0x87);

/* Known variants of each kind; the compiled form first. */
#define FORMS(name, ...)						\
	static const struct fixup_form *const name[] __initconst =	\
		{ __VA_ARGS__, NULL }

FORMS(lock_forms, &lock_prefix, &ds_prefix);
FORMS(mb_forms, &lock_add, &mfence);
FORMS(rmb_forms, &lock_add, &lfence);
FORMS(wmb_forms, &lock_add, &sfence);
FORMS(smp_mb_forms, &lock_add, &mfence, &nop_all);
FORMS(smp_rmb_forms, &lock_add, &lfence, &nop_all);
FORMS(smp_wmb_forms, &lock_add, &sfence, &nop_all);
FORMS(prefetch_forms, &pf_jmp, &pf_nta, &pf_3dnow, &nopl);
FORMS(prefetchw_forms, &pw_jmp, &pw_t0, &pw_3dnow, &nopl);
FORMS(movntq_forms, &movq, &movntq);
FORMS(apic_forms, &movl, &xchg);
FORMS(movnti_forms, &movl_ds, &movnti);

#define RULE(feat, bug, m, f)						\
	{ .needs = (feat), .bugs = (bug), .mode = FIXUP_MODE_##m, .form = &f }

#define SSE		X86_FEATURE_SSE
#define SSE2		X86_FEATURE_SSE2
#define MMXEXT		X86_FEATURE_MMXEXT
#define AMD_3DNOW	X86_FEATURE_3DNOW
#define NOPL		X86_FEATURE_NOPL
#define OOSTORE		X86_BUG_OOSTORE
#define P5_11AP		X86_BUG_11AP

static const struct fixup_rule lock_rules[] __initconst = {
	RULE(0, 0, SMP, lock_prefix),
	RULE(0, 0, ANY, ds_prefix),
};

static const struct fixup_rule mb_rules[] __initconst = {
	RULE(SSE2, 0, ANY, mfence),
	RULE(0, 0, ANY, lock_add),
};

static const struct fixup_rule rmb_rules[] __initconst = {
	RULE(SSE2, 0, ANY, lfence),
	RULE(0, 0, ANY, lock_add),
};

static const struct fixup_rule wmb_rules[] __initconst = {
	RULE(SSE, 0, ANY, sfence),
	RULE(0, 0, ANY, lock_add),
};

/*
 * Between CPUs a locked add is a full barrier too, and faster than
 * mfence: 13 cycles against 51 on the AMD host of "make bench" (Linux made
 * the same choice for smp_mb()). mfence stays for mb(), which must also
 * order non-temporal stores and write-combining memory.
 */
static const struct fixup_rule smp_mb_rules[] __initconst = {
	RULE(0, 0, UP, nop_all),
	RULE(0, 0, ANY, lock_add),
};

static const struct fixup_rule smp_rmb_rules[] __initconst = {
	RULE(0, 0, UP, nop_all),
	RULE(SSE2, 0, ANY, lfence),
	RULE(0, 0, ANY, lock_add),
};

/* x86 keeps stores in order, except the WinChip with OOSTORE set up. */
static const struct fixup_rule smp_wmb_rules[] __initconst = {
	RULE(0, 0, UP, nop_all),
	RULE(SSE, OOSTORE, ANY, sfence),
	RULE(0, OOSTORE, ANY, lock_add),
	RULE(0, 0, ANY, nop_all),
};

static const struct fixup_rule prefetch_rules[] __initconst = {
	RULE(SSE, 0, ANY, pf_nta),
	RULE(AMD_3DNOW, 0, ANY, pf_3dnow),
	RULE(NOPL, 0, ANY, nopl),
	RULE(0, 0, ANY, pf_jmp),
};

static const struct fixup_rule prefetchw_rules[] __initconst = {
	RULE(AMD_3DNOW, 0, ANY, pw_3dnow),
	RULE(SSE, 0, ANY, pw_t0),
	RULE(NOPL, 0, ANY, nopl),
	RULE(0, 0, ANY, pw_jmp),
};

static const struct fixup_rule movntq_rules[] __initconst = {
	RULE(SSE, 0, ANY, movntq),
	RULE(MMXEXT, 0, ANY, movntq),
	RULE(0, 0, ANY, movq),
};

static const struct fixup_rule movnti_rules[] __initconst = {
	RULE(SSE2, 0, ANY, movnti),
	RULE(0, 0, ANY, movl_ds),
};

static const struct fixup_rule apic_rules[] __initconst = {
	RULE(0, P5_11AP, ANY, xchg),
	RULE(0, 0, ANY, movl),
};

#define KIND(n, lo, hi, verb, forms, rules)				\
	{ n, lo, hi, FIXUP_VERB_##verb, forms, rules, ARRAY_SIZE(rules) }

/*
 * Fixed kinds have lo == hi <= FIXUP_FIXED_MAX. No kind is longer than
 * FIXUP_MAX_LEN: the walk's shortcut for its text check relies on it.
 */
const struct fixup_kind fixup_kinds[FIXUP_NR_KINDS] __initconst = {
	[FIXUP_LOCK] = KIND("LOCK", 1, 1, FIXED, lock_forms, lock_rules),
	[FIXUP_MB] = KIND("MB", 5, 5, FIXED, mb_forms, mb_rules),
	[FIXUP_RMB] = KIND("RMB", 5, 5, FIXED, rmb_forms, rmb_rules),
	[FIXUP_WMB] = KIND("WMB", 5, 5, FIXED, wmb_forms, wmb_rules),
	[FIXUP_SMP_MB] = KIND("SMP_MB", 5, 5, FIXED, smp_mb_forms,
			      smp_mb_rules),
	[FIXUP_SMP_RMB] = KIND("SMP_RMB", 5, 5, FIXED, smp_rmb_forms,
			       smp_rmb_rules),
	[FIXUP_SMP_WMB] = KIND("SMP_WMB", 5, 5, FIXED, smp_wmb_forms,
			       smp_wmb_rules),
	/* EB xx + the longest lea: 8D, ModRM, SIB, disp32 */
	[FIXUP_PREFETCH] = KIND("PREFETCH", 4, 9, MODRM, prefetch_forms,
				prefetch_rules),
	[FIXUP_PREFETCHW] = KIND("PREFETCHW", 4, 9, MODRM, prefetchw_forms,
				 prefetchw_rules),
	[FIXUP_MOVNTQ] = KIND("MOVNTQ", 3, 8, MODRM, movntq_forms,
			      movntq_rules),
	[FIXUP_APIC_WRITE] = KIND("APIC_WRITE", 2, 7, MODRM, apic_forms,
				  apic_rules),
	[FIXUP_CALL] = { "CALL", 5, 5, FIXUP_VERB_CALL, NULL, NULL, 0 },
	[FIXUP_MOVNTI] = KIND("MOVNTI", 3, 8, MODRM, movnti_forms,
			      movnti_rules),
};

const char *__init fixup_kind_name(unsigned int kind)
{
	return kind < FIXUP_NR_KINDS ? fixup_kinds[kind].name : NULL;
}

static bool __init fits(const struct fixup_pass *p, u32 needs, u32 bugs,
			u8 mode)
{
	const struct cpuinfo *c = p->env->cpu;

	return (c->features & needs) == needs && (c->bugs & bugs) == bugs &&
	       (mode == FIXUP_MODE_ANY || mode == p->mode);
}

static const struct fixup_form *__init pick(const struct fixup_pass *p,
					    const struct fixup_kind *k)
{
	const struct fixup_rule *r;

	for (r = k->rules; r < k->rules + k->nr_rules; r++)
		if (fits(p, r->needs, r->bugs, r->mode))
			return r->form;
	return k->forms[0];
}

/* Add the bytes of form f, padded with one NOP set, unless listed. */
static void __init add_known(struct fixup_kind_pass *kp,
			     const struct fixup_form *f, unsigned int len,
			     bool p6)
{
	u8 b[FIXUP_FIXED_MAX];
	unsigned int j;
	u64 v;

	fixup_copy(b, f->head, f->head_len);
	fixup_pad(b + f->head_len, len - f->head_len, p6);
	v = fixup_load(b, len);
	for (j = 0; j < kp->nr_known; j++)
		if (kp->known[j] == v)
			return;
	/* Never full with today's catalogue; a form left out is rejected. */
	if (kp->nr_known < FIXUP_KNOWN_MAX)
		kp->known[kp->nr_known++] = v;
}

/*
 * A fixed kind's known bytes: the chosen variant padded for this CPU
 * first, then every form padded with either NOP set.
 */
static void __init list_known(struct fixup_pass *p, unsigned int i)
{
	const struct fixup_kind *k = &fixup_kinds[i];
	struct fixup_kind_pass *kp = &p->kind[i];
	const struct fixup_form *const *f;

	add_known(kp, p->choice[i], k->max_len, p->p6_nops);
	for (f = k->forms; *f; f++) {
		add_known(kp, *f, k->max_len, true);
		add_known(kp, *f, k->max_len, false);
	}
	/* The walk tests known[1] without looking at nr_known. */
	if (kp->nr_known == 1)
		kp->known[1] = kp->known[0];
}

/*
 * The ModRM reg bits a form fixes, and their value: none for any
 * register, bit 5 clear for a hint /0../3, all three for one reg.
 */
static u8 __init reg_mask(const struct fixup_form *f)
{
	if (f->reg == REG_ANY)
		return 0;
	if (f->reg == REG_HINT)
		return 0x20;
	return 0x38;
}

static u8 __init reg_val(const struct fixup_form *f)
{
	return f->reg >= 0 ? f->reg << 3 : 0;
}

/*
 * A modrm kind: each form as a test of the head and ModRM byte, and
 * what the chosen one keeps of the ModRM byte. All forms of a kind have
 * one head length: the operand stays, and only the head and the reg
 * field of the ModRM byte can change.
 */
static void __init list_forms(struct fixup_pass *p, unsigned int i)
{
	const struct fixup_form *const *f = fixup_kinds[i].forms;
	const struct fixup_form *c = p->choice[i];
	struct fixup_kind_pass *kp = &p->kind[i];
	struct fixup_modrm_pass *to = &p->modrm[i];
	unsigned int h = f[0]->head_len, j;
	u64 head = (1ull << 8 * h) - 1;

	p->lens[i].head = h;
	for (j = 0; f[j] && j < FIXUP_FORMS_MAX; j++) {
		kp->form[j].mask = head | (u64)reg_mask(f[j]) << 8 * h;
		kp->form[j].val = fixup_load(f[j]->head, h) |
				  (u64)reg_val(f[j]) << 8 * h;
		kp->form[j].jump = f[j]->flags & FORM_JMP ? 0xff00 : 0;
		if (f[j] == c) {
			to->val = kp->form[j].val;
			to->jump = kp->form[j].jump;
		}
	}
	kp->nr_known = j;
	to->form0 = kp->form[0];
	/* and the operand bytes after the ModRM byte that the walk reads */
	to->keep = (u64)(c->reg >= 0 ? 0xc7 : 0xff) << 8 * h |
		   (0xffffffffull & ~(head | 0xffull << 8 * h));
}

/*
 * fixup_operand_len() by ModRM byte: mod 1 has a disp8, mod 2 a disp32,
 * and so has mod 0 with rm 5, or with a SIB whose base is 5.
 */
static void __init list_operands(struct fixup_pass *p)
{
	unsigned int b, mod, rm, n;

	for (b = 0; b < 256; b++) {
		mod = b >> 6;
		rm = b & 7;
		if (mod == 3) {
			p->operand[b] = 0;
			continue;
		}
		n = 1 + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
		if (rm == 4)
			n += 1 + FIXUP_SIB + (mod == 0 ? FIXUP_SIB_DISP : 0);
		else if (mod == 0 && rm == 5)
			n += 4;
		p->operand[b] = n;
	}
}

/* ---- call: E8 rel32 within a call group, or a NOP ---- */

static const struct fixup_call_variant *__init
pick_call(const struct fixup_pass *p, const struct fixup_call_group *g)
{
	unsigned int i;

	for (i = 0; i < g->nr; i++)
		if (fits(p, g->variants[i].needs, 0, g->variants[i].mode))
			return &g->variants[i];
	return NULL;
}

/* Where the calls into group g go in this pass. */
static void __init aim(const struct fixup_pass *p,
		       const struct fixup_call_group *g,
		       struct fixup_call_slot *s)
{
	const struct fixup_call_variant *v = pick_call(p, g);

	s->state = v && !v->fn ? CALL_SLOT_NOP : CALL_SLOT_TO;
	s->to = (uintptr_t)(v ? v->fn : g->generic);
	s->name = v ? v->name : g->name;
}

/*
 * Hash every target, the first group naming it first: the search in
 * find_group() would find that one. False when the table would be more
 * than half full; the walk then searches the groups for each call.
 */
static bool __init hash_calls(struct fixup_pass *p)
{
	const struct fixup_env *env = p->env;
	const struct fixup_call_group *g;
	struct fixup_call_slot aimed, *s;
	unsigned int i, n = 0;
	uintptr_t t;

	for (g = env->calls; g < env->calls + env->nr_calls; g++) {
		aim(p, g, &aimed);
		for (i = 0; i <= g->nr; i++) {
			t = (uintptr_t)(i ? g->variants[i - 1].fn : g->generic);
			if (i && !t)
				continue;	/* a variant that vanishes */
			s = &p->call[fixup_call_slot(p, t)];
			if (s->state)
				continue;
			if (++n > FIXUP_CALL_SLOTS / 2)
				return false;
			*s = aimed;
			s->target = t;
		}
	}
	return true;
}

/* Run the rules once per pass and lay out what the walk needs. */
void __init fixup_choose(struct fixup_pass *p, const struct fixup_env *env)
{
	const struct fixup_kind *k;
	struct fixup_kind_pass *kp;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->env = env;
	p->mode = env->smp ? FIXUP_MODE_SMP : FIXUP_MODE_UP;
	p->p6_nops = cpu_has(env->cpu, X86_FEATURE_NOPL);
	for (i = 0; i < ARRAY_SIZE(p->lens); i++)
		p->lens[i].lo = 256;
	for (i = 0; i < FIXUP_NR_KINDS; i++) {
		k = &fixup_kinds[i];
		kp = &p->kind[i];
		if (k->name) {
			p->lens[i].lo = k->min_len;
			p->lens[i].span = k->max_len - k->min_len;
			p->lens[i].verb = k->verb;
			if (k->verb == FIXUP_VERB_FIXED && k->max_len == 1)
				p->lens[i].verb = FIXUP_VERB_BYTE;
		}
		if (k->verb == FIXUP_VERB_CALL) {
			/* a vanished call: either 5-byte NOP, the best first */
			add_known(kp, &nop_all, FIXUP_CALL_LEN, p->p6_nops);
			add_known(kp, &nop_all, FIXUP_CALL_LEN, !p->p6_nops);
			if (kp->nr_known == 1)
				kp->known[1] = kp->known[0];
		}
		if (k->forms) {		/* else not a kind, or CALL: per site */
			p->choice[i] = pick(p, k);
			kp->name = p->choice[i]->name;
			if (k->verb == FIXUP_VERB_MODRM)
				list_forms(p, i);
			else
				list_known(p, i);
		}
		p->known0[i] = kp->known[0];
		p->known1[i] = kp->known[1];
	}
	list_operands(p);
	p->calls_hashed = hash_calls(p);
}

static const struct fixup_call_group *__init
find_group(const struct fixup_env *env, uintptr_t target)
{
	const struct fixup_call_group *g;
	unsigned int i;

	for (g = env->calls; g < env->calls + env->nr_calls; g++) {
		if ((uintptr_t)g->generic == target)
			return g;
		for (i = 0; i < g->nr; i++)
			if (g->variants[i].fn &&
			    (uintptr_t)g->variants[i].fn == target)
				return g;
	}
	return NULL;
}

/*
 * fixup_find_call() for a pass whose targets were too many to hash:
 * search the groups, and aim the one found into *found.
 */
const struct fixup_call_slot *__init
fixup_search_call(const struct fixup_pass *p, uintptr_t target,
		  struct fixup_call_slot *found)
{
	const struct fixup_call_group *g = find_group(p->env, target);

	if (!g)
		return NULL;
	aim(p, g, found);
	return found;
}

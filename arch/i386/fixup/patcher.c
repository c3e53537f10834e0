/*
 * The boot-time patcher: one walk over a table of site records. For
 * each record, in the order of Documentation/fixup-sites.md
 * ("Validation"): check the record, check that its site holds a form of
 * its kind, plan the bytes of the form the catalogue's rules chose for
 * this CPU and mode, write them, count. Nothing is written to a site
 * that failed a check, and nothing outside the sites. The caller runs
 * it inside fixup_write_text() (repatch.c), which serializes after the
 * last write.
 *
 * When the caller keeps sites for a CPU hot-add, each accepted site is
 * planned in the other mode too, and those whose bytes differ go to the
 * mode_dependent hook with both (kept.c). All of it is __init: after
 * boot only those bytes are needed, not the walk.
 */
#include <kernel/string.h>
#include "internal.h"
#include "proof.h"
#include "proof-nops.h"

/* ---- the catalogue, include/asm/fixup-kinds.h, as C tables ---- */

enum { SHAPE_NONE, SHAPE_FIXED, SHAPE_MODRM, SHAPE_CALL, SHAPE_THUNK };

#define JMP		(-1)	/* form byte: the short jump, site length - 2 */
#define ANY		(-1)	/* ModRM reg field: a register, kept */
#define HINT		(-2)	/* ModRM reg field: a prefetch hint /0../3, kept */
#define NO_REG		(-3)	/* a FIXED or THUNK form */
#define REG(b)		(0x100 | (b))	/* THUNK form byte: b + the register */
#define X86_FEATURE_NONE 0
#define X86_BUG_NONE	0

struct kind {
	const char *name;	/* NULL: no kind has this number */
	u8 min_len, max_len;
	u8 shape;		/* SHAPE_* */
};

struct form {
	u16 kind;		/* u16, as len: apart from u8 fixed[] (WP) */
	s8 reg;			/* MODRM forms: 0..7, ANY or HINT */
	u16 len;		/* bytes in head[] */
	s16 head[8];		/* bytes, or JMP (8: the MB_FLAGS form) */
	const char *name;	/* the report's variant= */
};

struct rule {
	u8 kind;
	u8 mode;		/* FIXUP_MODE_* */
	u32 needs;		/* X86_FEATURE_* */
	u32 bug;		/* X86_BUG_* */
	const char *form;
};

#define NR_BYTES(...)	(sizeof((s16[]){ 0, ##__VA_ARGS__ }) / sizeof(s16) - 1)

#define FIXUP_KIND(k, lo, hi, shape)	[FIXUP_KIND_##k] = { #k, lo, hi, SHAPE_##shape },
#define FIXUP_FIXED(k, name, ...)
#define FIXUP_MODRM(k, name, reg, ...)
#define FIXUP_THUNK(k, name, ...)
#define FIXUP_RULE(k, needs, bug, mode, form)
static const struct kind kinds[FIXUP_NR_KINDS] __initconst = {
#include <asm/fixup-kinds.h>
};
#undef FIXUP_KIND
#undef FIXUP_FIXED
#undef FIXUP_MODRM

#define FIXUP_KIND(k, lo, hi, shape)
#define FIXUP_FIXED(k, name, ...) \
	{ FIXUP_KIND_##k, NO_REG, NR_BYTES(__VA_ARGS__), { __VA_ARGS__ }, name },
#define FIXUP_MODRM(k, name, reg, ...) \
	{ FIXUP_KIND_##k, reg, NR_BYTES(__VA_ARGS__), { __VA_ARGS__ }, name },
#undef FIXUP_THUNK
#define FIXUP_THUNK(k, name, ...) \
	{ FIXUP_KIND_##k, NO_REG, NR_BYTES(__VA_ARGS__), { __VA_ARGS__ }, name },
static const struct form forms[] __initconst = {
#include <asm/fixup-kinds.h>
};
#undef FIXUP_FIXED
#undef FIXUP_MODRM
#undef FIXUP_RULE

#define FIXUP_FIXED(k, name, ...)
#define FIXUP_MODRM(k, name, reg, ...)
#undef FIXUP_THUNK
#define FIXUP_THUNK(k, name, ...)
#define FIXUP_RULE(k, needs, bug, mode, form) \
	{ FIXUP_KIND_##k, FIXUP_MODE_##mode, X86_FEATURE_##needs, X86_BUG_##bug, form },
static const struct rule rules[] __initconst = {
#include <asm/fixup-kinds.h>
};
#undef FIXUP_KIND
#undef FIXUP_FIXED
#undef FIXUP_MODRM
#undef FIXUP_RULE

/*
 * What the walk relies on in the catalogue: sane lengths, FIXED kinds of
 * one length, THUNK and CALL kinds of 5 (a rel32 branch). What choose()
 * relies on in the forms and rules (forms_ok in the proof,
 * Documentation/proof.md): a form is of a kind of its own shape, at most
 * 8 bytes (head[]) and no longer than the kind's shortest site; every
 * kind but CALL has a form; a rule is for a kind with forms. (That a
 * kind's forms are together, a MODRM kind's of one length, and that a
 * rule names a form of its kind: test_catalogue_rows() in
 * tests/host/test_fixup.c.) A kind number with no row has no name and
 * shape 0, SHAPE_NONE.
 */
#define FIXUP_KIND(k, lo, hi, shape)	MIN_LEN_##k = (lo), SHAPE_OF_##k = SHAPE_##shape,
#define FIXUP_FIXED(k, name, ...)
#define FIXUP_MODRM(k, name, reg, ...)
#define FIXUP_THUNK(k, name, ...)
#define FIXUP_RULE(k, needs, bug, mode, form)
enum {
#include <asm/fixup-kinds.h>
};
#undef FIXUP_KIND
#undef FIXUP_FIXED
#undef FIXUP_MODRM
#undef FIXUP_THUNK

#define FIXUP_KIND(k, lo, hi, shape)
#define FIXUP_FIXED(k, name, ...)	| 1 << FIXUP_KIND_##k
#define FIXUP_MODRM(k, name, reg, ...)	| 1 << FIXUP_KIND_##k
#define FIXUP_THUNK(k, name, ...)	| 1 << FIXUP_KIND_##k
enum { KINDS_WITH_FORMS = 0	/* bit k: kind k has a form */
#include <asm/fixup-kinds.h>
};
_Static_assert(SHAPE_NONE == 0 && FIXUP_NR_KINDS < 31, "kinds: a bit each");
#undef FIXUP_KIND
#undef FIXUP_FIXED
#undef FIXUP_MODRM
#undef FIXUP_THUNK
#undef FIXUP_RULE

#define FORM_FITS(k, shape, name, ...)					\
	_Static_assert((int)SHAPE_OF_##k == SHAPE_##shape &&		\
		       NR_BYTES(__VA_ARGS__) <= 8 &&			\
		       NR_BYTES(__VA_ARGS__) <= MIN_LEN_##k,		\
		       #k " " name ": not of its kind's shape, or longer "\
		       "than 8 bytes or its kind's shortest site");
#define FIXUP_KIND(k, lo, hi, shape)					\
	_Static_assert(1 <= (lo) && (lo) <= (hi) && (hi) <= FIXUP_MAX_LEN &&\
		       (SHAPE_##shape != SHAPE_FIXED ||			\
			((lo) == (hi) && (hi) <= 8)) &&			\
		       ((SHAPE_##shape != SHAPE_THUNK &&		\
			 SHAPE_##shape != SHAPE_CALL) ||		\
			((lo) == 5 && (hi) == 5)), #k ": bad lengths");	\
	_Static_assert(SHAPE_##shape == SHAPE_CALL ||			\
		       (KINDS_WITH_FORMS >> FIXUP_KIND_##k & 1),		\
		       #k ": no form");
#define FIXUP_FIXED(k, name, ...)	FORM_FITS(k, FIXED, name, __VA_ARGS__)
#define FIXUP_MODRM(k, name, reg, ...)	FORM_FITS(k, MODRM, name, __VA_ARGS__)
#define FIXUP_THUNK(k, name, ...)	FORM_FITS(k, THUNK, name, __VA_ARGS__)
#define FIXUP_RULE(k, needs, bug, mode, form)				\
	_Static_assert(KINDS_WITH_FORMS >> FIXUP_KIND_##k & 1,		\
		       #k " rule " form ": the kind has no forms");
#include <asm/fixup-kinds.h>
#undef FIXUP_KIND
#undef FIXUP_FIXED
#undef FIXUP_MODRM
#undef FIXUP_THUNK
#undef FIXUP_RULE
#undef FORM_FITS

/*@ assigns \nothing;
    ensures kind < FIXUP_NR_KINDS ==> \result == kinds[kind].name;
    ensures kind >= FIXUP_NR_KINDS ==> \result == \null;
 */
const char *__init fixup_kind_name(unsigned int kind)
{
	return kind < FIXUP_NR_KINDS ? kinds[kind].name : NULL;
}

/* ---- one pass ---- */

/*
 * A pass plans in one mode, or in two when it keeps the sites whose form
 * depends on the CPU count: m is 0 for the pass's mode, 1 for the other.
 */
struct pass {
	const struct fixup_env *env;
	struct fixup_stats *st;
	u8 mode[2];		/* FIXUP_MODE_UP or FIXUP_MODE_SMP */
	unsigned int nr_modes;	/* 2: plan the other mode too */
	bool p6;		/* pad with the P6 long NOPs */
	bool disjoint;		/* no function is in two call groups */
	/* by kind: its forms (forms[] lists them together), the chosen one */
	const struct form *first[FIXUP_NR_KINDS];
	unsigned int nr[FIXUP_NR_KINDS];	/* not u8: apart from forms[]'s (WP) */
	const struct form *chosen[2][FIXUP_NR_KINDS];
	u8 fixed[2][FIXUP_NR_KINDS][8];	/* FIXED kinds: what sites get */
};

/*
 * The logic of the walk's contracts (Documentation/proof.md, wp-walk).
 * Addresses are integers, as the walk compares them: text range i is
 * [rstart, rend), a record's site starts at site_of(r), and byte a of
 * range i has bit 8 * base(i) + (a - rstart(i)) of env->taken.
 */
/*@
  logic integer rstart{L}(struct fixup_env *e, integer i) =
	(uintptr_t)e->text[i].start;
  logic integer rend{L}(struct fixup_env *e, integer i) =
	(uintptr_t)e->text[i].end;
  // The bytes of env->taken that the first i ranges of t have.
  logic integer tbase{L}(struct fixup_range *t, integer i) =
	i <= 0 ? 0 : tbase(t, i - 1) +
	((uintptr_t)t[i - 1].end - (uintptr_t)t[i - 1].start + 7) / 8;
  logic integer base{L}(struct fixup_env *e, integer i) = tbase(e->text, i);
  predicate in_range{L}(struct fixup_env *e, integer i, integer a,
			integer n) =
	rstart(e, i) <= a && a + n <= rend(e, i);
  predicate in_text{L}(struct fixup_env *e, integer a, integer n) =
	\exists integer i; 0 <= i < e->nr_text && in_range(e, i, a, n);
  logic integer site_of{L}(struct fixup_site *r) =
	(uintptr_t)((uintptr_t)&r->rel + (uintptr_t)(long)r->rel);

  // The bit of byte a of range i, and whether bit b of t is set. (A
  // predicate that reads memory and tests a bit at once is not unfolded
  // by the provers: hence bit_at.)
  logic integer bit_of{L}(struct fixup_env *e, integer i, integer a) =
	8 * base(e, i) + (a - rstart(e, i));
  predicate bit_at(integer x, integer k) = (x & (1 << k)) != 0;
  predicate taken_at{L}(u8 *t, integer b) = bit_at(t[b / 8], b % 8);

  // The bits of the n bytes from a, in range i, inside the bitmap.
  predicate site_bits{L}(struct fixup_env *e, integer i, integer a,
			 integer n) =
	0 <= i < e->nr_text && in_range(e, i, a, n) &&
	0 <= bit_of(e, i, a) && bit_of(e, i, a) + n <= 8 * e->taken_size;
  // Bits [b, b + n) of t are all set, or all clear.
  predicate bits_set{L}(u8 *t, integer b, integer n) =
	\forall integer c; b <= c < b + n ==> taken_at(t, c);
  predicate bits_clear{L}(u8 *t, integer b, integer n) =
	\forall integer c; b <= c < b + n ==> !taken_at(t, c);

  // Bit b of env->taken is one of the n bytes from a, in a range that
  // holds them all; and is in the bitmap.
  predicate site_bit{L}(struct fixup_env *e, integer a, integer n,
			integer b) =
	\exists integer i; 0 <= i < e->nr_text && in_range(e, i, a, n) &&
	  bit_of(e, i, a) <= b < bit_of(e, i, a) + n;
  predicate in_bitmap{L}(struct fixup_env *e, integer b) =
	0 <= b < 8 * e->taken_size;

  // No two text ranges share a byte (env_problem() checks it).
  predicate ranges_apart{L}(struct fixup_env *e) =
	\forall integer i, j; 0 <= i < j < e->nr_text ==>
	  rend(e, i) <= rstart(e, j) || rend(e, j) <= rstart(e, i);

  // Then a byte is in one range only, so it has one bit;
  lemma one_range{L}: \forall struct fixup_env *e, integer i, j, a;
	ranges_apart(e) && 0 <= i < e->nr_text && 0 <= j < e->nr_text &&
	rstart(e, i) <= a < rend(e, i) && rstart(e, j) <= a < rend(e, j) ==>
	i == j;
  // a byte of two sites is the same bit of each;
  lemma one_bit{L}: \forall struct fixup_env *e,
	integer i, a, n, j, c, m, x;
	ranges_apart(e) && site_bits(e, i, a, n) && site_bits(e, j, c, m) &&
	a <= x < a + n && c <= x < c + m ==>
	bit_of(e, i, a) + (x - a) == bit_of(e, j, c) + (x - c);
  // and two sites, one whose bits are all set, one whose bits are all
  // clear, share no byte: whence promise 2, that no two accepted sites
  // share a byte (each one's bits clear when accepted, set after).
  lemma sites_apart{L}: \forall struct fixup_env *e, u8 *t,
	integer i, a, n, j, c, m, x;
	ranges_apart(e) && site_bits(e, i, a, n) && site_bits(e, j, c, m) &&
	bits_set(t, bit_of(e, i, a), n) &&
	bits_clear(t, bit_of(e, j, c), m) && a <= x < a + n ==>
	taken_at(t, bit_of(e, i, a) + (x - a)) && !(c <= x < c + m);

  // The ranges, and room for their bits (base) in env->taken, whose
  // number a size_t holds.
  predicate bits_ok{L}(struct fixup_env *e) =
	\valid_read(e) && \valid_read(e->text + (0 .. e->nr_text - 1)) &&
	(\forall integer i; 0 <= i < e->nr_text ==>
	   rstart(e, i) <= rend(e, i) &&
	   (uintptr_t)(rend(e, i) - rstart(e, i) + 7) ==
		rend(e, i) - rstart(e, i) + 7) &&
	(\forall integer i; 0 <= i <= e->nr_text ==>
	   (size_t)(8 * base(e, i)) == 8 * base(e, i) &&
	   base(e, i) <= base(e, e->nr_text)) &&
	base(e, e->nr_text) <= e->taken_size &&
	\valid(e->taken + (0 .. e->taken_size - 1)) &&
	\separated(e->taken + (0 .. e->taken_size - 1),
		   kinds + (0 .. FIXUP_NR_KINDS - 1));

  // The text ranges may be written, and are apart from env->taken.
  predicate text_ok{L}(struct fixup_env *e) =
	\forall integer a, n; in_text(e, a, n) ==>
	  \valid((u8 *)a + (0 .. n - 1)) &&
	  \separated((u8 *)a + (0 .. n - 1),
		     e->taken + (0 .. e->taken_size - 1),
		     kinds + (0 .. FIXUP_NR_KINDS - 1));

  predicate env_ok{L}(struct fixup_env *e) = bits_ok(e) && text_ok(e);

  // The catalogue's lengths (the _Static_assert above checks them).
  predicate catalogue_ok =
	kinds[0].name == \null &&
	\forall integer k; 0 <= k < FIXUP_NR_KINDS &&
	  kinds[k].name != \null ==>
	  1 <= kinds[k].min_len <= kinds[k].max_len <= FIXUP_MAX_LEN &&
	  (kinds[k].shape == SHAPE_FIXED ==> kinds[k].max_len <= 8) &&
	  (kinds[k].shape != SHAPE_FIXED && kinds[k].shape != SHAPE_MODRM ==>
	   kinds[k].min_len == 5 && kinds[k].max_len == 5);

  // Checks 1 to 3, for a site at a: a kind of the catalogue, a length
  // of it, in text.
  predicate checked_at{L}(struct fixup_env *e, struct fixup_site *r,
			  integer a) =
	r->kind < FIXUP_NR_KINDS && kinds[r->kind].name != \null &&
	kinds[r->kind].min_len <= r->len <= kinds[r->kind].max_len &&
	in_text(e, a, r->len);
  predicate checked{L}(struct fixup_env *e, struct fixup_site *r) =
	checked_at(e, r, site_of(r));

  // q is a byte of record r's site, and r passed checks 1 to 3: what
  // patch() may write in text. (A predicate in the assigns clause,
  // not a behavior's assigns: at a call WP takes the default assigns.)
  predicate site_written{L}(struct fixup_env *e, struct fixup_site *r,
			    u8 *q) =
	checked(e, r) &&
	\exists integer j; 0 <= j < r->len && q == (u8 *)site_of(r) + j;

  // A kind's counts from state A to state B: s more sites, pa more
  // patched, u more unchanged, rj more rejected (in u32, as C counts).
  predicate kind_counted{A, B}(struct fixup_kind_stats *ks, integer s,
			       integer pa, integer u, integer rj) =
	\at(ks->sites, B) == (u32)(\at(ks->sites, A) + s) &&
	\at(ks->patched, B) == (u32)(\at(ks->patched, A) + pa) &&
	\at(ks->unchanged, B) == (u32)(\at(ks->unchanged, A) + u) &&
	\at(ks->rejected, B) == (u32)(\at(ks->rejected, A) + rj);

  // The kinds' counts [0, k) summed: what fixup_apply()'s totals are.
  logic integer sum_sites{L}(struct fixup_stats *st, integer k) =
	k <= 0 ? 0 : sum_sites(st, k - 1) + st->kind[k - 1].sites;
  logic integer sum_patched{L}(struct fixup_stats *st, integer k) =
	k <= 0 ? 0 : sum_patched(st, k - 1) + st->kind[k - 1].patched;
  logic integer sum_unchanged{L}(struct fixup_stats *st, integer k) =
	k <= 0 ? 0 : sum_unchanged(st, k - 1) + st->kind[k - 1].unchanged;

  // Every kind's accepted sites are its patched and unchanged ones.
  predicate kinds_add_up{L}(struct fixup_stats *st) =
	\forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
	  st->kind[k].sites == st->kind[k].patched + st->kind[k].unchanged;

  // What the caller gives as ranges: readable, each start <= end, their
  // bytes of env->taken (tbase) and those bytes' bits up to each range
  // held by a size_t.
  predicate ranges_ok{L}(struct fixup_range *t, integer n) =
	\valid_read(t + (0 .. n - 1)) &&
	(\forall integer i; 0 <= i < n ==>
	   (uintptr_t)t[i].start <= (uintptr_t)t[i].end &&
	   (uintptr_t)((uintptr_t)t[i].end - (uintptr_t)t[i].start + 7) ==
		(uintptr_t)t[i].end - (uintptr_t)t[i].start + 7) &&
	(\forall integer i; 0 <= i <= n ==>
	   (size_t)(8 * tbase(t, i)) == 8 * tbase(t, i));

  // The plan (Documentation/proof.md, wp-plan). Byte i of form f at a
  // site of len bytes, as form_byte() gives it.
  logic integer head_byte{L}(struct form *f, integer i, integer len) =
	f->head[i] == JMP ? (u8)(unsigned int)(len - 2) : (u8)f->head[i];

  // f is a form of kind k in the catalogue's forms[], no longer than 8
  // bytes or than the kind's shortest site; a MODRM kind's forms are all
  // as long as its first, h.
  predicate form_ok{L}(struct form *f, integer k, integer h) =
	\valid_read(f) && \subset(f, forms + (0 .. ARRAY_SIZE(forms) - 1)) &&
	f->kind == k && f->len <= 8 && f->len <= kinds[k].min_len &&
	(kinds[k].shape == SHAPE_MODRM ==> f->len == h);

  // Kind k's forms in a pass: nr[k] of them from first[k];
  predicate kind_run_ok{L}(struct pass *p, integer k) =
	1 <= p->nr[k] &&
	\valid_read(p->first[k] + (0 .. p->nr[k] - 1)) &&
	(\forall integer i; 0 <= i < p->nr[k] ==>
	   form_ok(p->first[k] + i, k, p->first[k]->len));
  // c is one of them;
  predicate in_run{L}(struct pass *p, integer k, struct form *c) =
	\exists integer i; 0 <= i < p->nr[k] && c == p->first[k] + i;
  // c is one of the n forms from f: in_run over the run's first form and
  // length as values, which writes to the pass do not change (choose()).
  predicate one_of(struct form *c, struct form *f, integer n) =
	\exists integer i; 0 <= i < n && c == f + i;
  // A kind with forms: all but CALL and the numbers without a kind.
  predicate with_forms{L}(integer k) =
	kinds[k].name != \null && kinds[k].shape != SHAPE_CALL;
  // and in each mode planned, chosen[m][k] is one of them.
  predicate kind_forms_ok{L}(struct pass *p, integer k) =
	kind_run_ok(p, k) &&
	(\forall integer m; 0 <= m < p->nr_modes ==>
	   form_ok(p->chosen[m][k], k, p->first[k]->len) &&
	   in_run(p, k, p->chosen[m][k]));

  // The CPU, the call groups and the thunks, as the plan reads them.
  predicate plan_env_ok{L}(struct fixup_env *e) =
	\valid_read(e) && \valid_read(e->cpu) &&
	\valid_read(e->calls + (0 .. e->nr_calls - 1)) &&
	(\forall integer i; 0 <= i < e->nr_calls ==>
	   \valid_read(e->calls[i].variants + (0 .. e->calls[i].nr - 1))) &&
	\valid_read(e->thunks + (0 .. e->nr_thunks - 1));

  // What choose() leaves in a pass, as the plan needs it: every kind of
  // the catalogue with forms (all but CALL) has them.
  predicate pass_ok{L}(struct pass *p) =
	\valid_read(p) && 1 <= p->nr_modes <= 2 && plan_env_ok(p->env) &&
	\forall integer k; 0 <= k < FIXUP_NR_KINDS &&
	  kinds[k].name != \null && kinds[k].shape != SHAPE_CALL ==>
	  kind_forms_ok(p, k);

  // The catalogue's forms and rules, as choose() needs them (the
  // _Static_assert after the tables checks them): a form is of a kind
  // with a name, not CALL, at most 8 bytes and no longer than the kind's
  // shortest site; a MODRM kind's forms are of one length
  // (test_catalogue_rows() in tests/host/test_fixup.c checks that); a
  // kind without a name has no shape, every other but CALL has a form;
  // a rule is for a kind with forms.
  predicate forms_ok =
	(\forall struct form *f; \subset(f, forms + (0 .. ARRAY_SIZE(forms) - 1)) ==>
	   f->kind < FIXUP_NR_KINDS && kinds[f->kind].name != \null &&
	   kinds[f->kind].shape != SHAPE_CALL &&
	   f->len <= 8 && f->len <= kinds[f->kind].min_len) &&
	(\forall struct form *f, *g;
	   \subset(f, forms + (0 .. ARRAY_SIZE(forms) - 1)) &&
	   \subset(g, forms + (0 .. ARRAY_SIZE(forms) - 1)) &&
	   f->kind == g->kind && kinds[f->kind].shape == SHAPE_MODRM ==>
	   f->len == g->len) &&
	(\forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
	   (kinds[k].name == \null ==> kinds[k].shape == SHAPE_NONE) &&
	   (kinds[k].name != \null && kinds[k].shape != SHAPE_CALL ==>
	    \exists integer i; 0 <= i < ARRAY_SIZE(forms) &&
	      forms[i].kind == k)) &&
	(\forall integer i; 0 <= i < ARRAY_SIZE(rules) ==>
	   rules[i].kind < FIXUP_NR_KINDS &&
	   kinds[rules[i].kind].name != \null &&
	   kinds[rules[i].kind].shape != SHAPE_CALL);

  // A FIXED kind's bytes in mode m, as choose() leaves them: the chosen
  // form's, as put_head() writes them for a site of the kind's length
  // (then fixup_pad()'s NOPs up to that length).
  predicate fixed_head{L}(struct pass *p, integer m, integer k) =
	\forall integer j; 0 <= j < p->chosen[m][k]->len ==>
	  p->fixed[m][k][j] ==
	    head_byte(p->chosen[m][k], j, kinds[k].max_len);

  // What plan_env_ok reads of the environment, the same in states A and
  // B (choose() writes only the pass, apart from it).
  predicate plan_env_same{A, B}(struct fixup_env *e) =
	\at(e->cpu, A) == \at(e->cpu, B) &&
	\at(e->calls, A) == \at(e->calls, B) &&
	\at(e->nr_calls, A) == \at(e->nr_calls, B) &&
	\at(e->thunks, A) == \at(e->thunks, B) &&
	\at(e->nr_thunks, A) == \at(e->nr_thunks, B) &&
	\forall integer i; 0 <= i < \at(e->nr_calls, A) ==>
	  \at(e->calls[i].variants, A) == \at(e->calls[i].variants, B) &&
	  \at(e->calls[i].nr, A) == \at(e->calls[i].nr, B);

  // What a plan of len bytes for a site of kind k in mode m needs: a
  // pass as above, a kind and length of the catalogue, the site's bytes
  // readable, and new[] writable apart from the pass, the site and the
  // catalogue's forms.
  predicate plan_ok{L}(struct pass *p, integer m, integer k, u8 *site,
		       u8 *new, integer len) =
	pass_ok(p) && 0 <= m < p->nr_modes &&
	0 <= k < FIXUP_NR_KINDS && kinds[k].name != \null &&
	kinds[k].min_len <= len <= kinds[k].max_len &&
	\valid_read(site + (0 .. len - 1)) && \valid(new + (0 .. len - 1)) &&
	\separated(new + (0 .. len - 1), p) &&
	\separated(new + (0 .. len - 1), site + (0 .. len - 1)) &&
	\separated(new + (0 .. len - 1), forms + (0 .. ARRAY_SIZE(forms) - 1));

  // FIXED: the bytes of the chosen form padded, as choose() left them.
  predicate fixed_planned{L}(struct pass *p, integer m, integer k, u8 *new,
			     integer len) =
	\forall integer j; 0 <= j < len ==> new[j] == p->fixed[m][k][j];

  // MODRM: the chosen form c's bytes, then the site's memory operand
  // from its ModRM byte on, whose reg field becomes c's if c has one.
  predicate modrm_planned{L}(struct form *c, u8 *site, u8 *new,
			     integer len) =
	(\forall integer j; 0 <= j < c->len ==> new[j] == head_byte(c, j, len)) &&
	new[c->len] == (c->reg >= 0 ?
			(u8)((site[c->len] & 0xc7) | (u32)c->reg << 3) :
			site[c->len]) &&
	\forall integer j; c->len < j < len ==> new[j] == site[j];

  // CALL and THUNK: new holds "op rel32" to address to for a site at
  // s: rel32 is to - (s + 5), little-endian, as put_branch() writes it.
  predicate branch_planned{L}(u8 *new, integer op, u8 *s, integer to) =
	new[0] == op && \forall integer i; 1 <= i <= 4 ==>
	  new[i] == (u8)((u32)(s32)(uintptr_t)(to -
			(uintptr_t)((uintptr_t)s + 5)) >> 8 * (i - 1));
  // Where "call/jmp rel32" at s goes, as branch_target() computes it,
  // each step cast as the code's: the provers do not see two sums with
  // their casts in other places as one sum modulo 2^32.
  logic integer branch_to{L}(u8 *s) =
	(uintptr_t)((uintptr_t)((uintptr_t)s + 5) +
		    (uintptr_t)(long)(s32)(u32)((u32)(s[1] + 0x100 * s[2] +
						      0x10000 * s[3]) +
						(u32)(0x1000000 * s[4])));
  // fn is a function of call group g: its generic one or a variant's.
  predicate group_has{L}(struct fixup_call_group *g, integer fn) =
	(uintptr_t)g->generic == fn ||
	\exists integer i; 0 <= i < g->nr && g->variants[i].fn != \null &&
	  (uintptr_t)g->variants[i].fn == fn;
  // CALL: this CPU's 5-byte NOP, or E8 rel32 to a function of a call
  // group (the groups at A, new at B).
  predicate call_planned{A, B}(struct pass *p, u8 *site, u8 *new) =
	nop_padded{A, B}(new, 5, \at(p->p6, A)) ||
	\exists integer i, fn; 0 <= i < \at(p->env->nr_calls, A) &&
	  \at(group_has(&p->env->calls[i], fn), A) &&
	  branch_planned{B}(new, 0xe8, site, fn);

  // THUNK: the kernel's list has a thunk of kind k for register reg
  // (at fn).
  predicate thunk_for{L}(struct fixup_env *e, integer k, integer reg) =
	\exists integer i; 0 <= i < e->nr_thunks &&
	  e->thunks[i].kind == k && e->thunks[i].reg == reg;
  predicate thunk_at{L}(struct fixup_env *e, integer k, integer reg,
			integer fn) =
	\exists integer i; 0 <= i < e->nr_thunks &&
	  e->thunks[i].kind == k && e->thunks[i].reg == reg &&
	  (uintptr_t)e->thunks[i].fn == fn;
  // THUNK form c's bytes for register reg: a byte REG(b) is b + reg.
  predicate thunk_form_planned{L}(struct form *c, integer reg, u8 *new) =
	\forall integer j; 0 <= j < c->len ==>
	  new[j] == (u8)((unsigned int)c->head[j] +
			 (c->head[j] > 0xff ? reg : 0));
  // THUNK, for register reg, not esp, that has a thunk of kind k, and
  // that a site in the compiled form (a branch) names by branching to a
  // thunk of kind k for it: the chosen form for it padded with this
  // CPU's NOPs; or, when the chosen form is the compiled one, the site's
  // own bytes or a branch to a thunk of (k, reg). (The pass and the site
  // at A, new at B.)
  predicate thunk_planned_reg{A, B}(struct pass *p, integer m, integer k,
				    u8 *site, u8 *new, integer len,
				    integer reg) =
	\let f = \at(p->first[k], A); \let c = \at(p->chosen[m][k], A);
	reg != 4 && \at(thunk_for(p->env, k, reg), A) &&
	(\at(site[0] == f->head[0], A) ==>
	   \at(thunk_at(p->env, k, reg, branch_to(site)), A)) &&
	(c != f ?
	   thunk_form_planned{B}(c, reg, new) &&
	   nop_padded{A, B}(new + \at(c->len, A), len - \at(c->len, A),
			    \at(p->p6, A)) :
	   same_bytes{A, B}(site, new, len) ||
	   \exists integer fn; \at(thunk_at(p->env, k, reg, fn), A) &&
	     branch_planned{B}(new, (u8)\at(f->head[0], A), site, fn));
  predicate thunk_planned{A, B}(struct pass *p, integer m, integer k,
				u8 *site, u8 *new, integer len) =
	\exists integer reg;
	  thunk_planned_reg{A, B}(p, m, k, site, new, len, reg);

  // What plan() leaves in new[] (at B) for a site of kind k, len bytes,
  // in mode m (the pass at A): for a FIXED kind, as fixed_planned. Not
  // yet the other shapes (Documentation/proof.md, wp-bytes).
  predicate site_planned{A, B}(struct pass *p, integer m, integer k,
			       u8 *new, integer len) =
	\at(kinds[k].shape, A) == SHAPE_FIXED ==>
	  \forall integer j; 0 <= j < len ==>
	    \at(new[j], B) == \at(p->fixed[m][k][j], A);
*/

/* Whether a rule or call variant (needs, bug, mode) fits in mode m. */
/*@ requires \valid_read(p) && \valid_read(p->env) &&
	\valid_read(p->env->cpu) && m < 2;
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
static bool __init fits(const struct pass *p, u32 needs, u32 bug, u8 mode,
			unsigned int m)
{
	const struct cpuinfo *c = p->env->cpu;

	return (c->features & needs) == needs && (c->bugs & bug) == bug &&
	       (mode == FIXUP_MODE_ANY || mode == p->mode[m]);
}

/*@ requires \valid_read(f) && i < 8;
    assigns \nothing;
    ensures \result == head_byte(f, i, len);
 */
static u8 __init form_byte(const struct form *f, unsigned int i,
			   unsigned int len)
{
	if (f->head[i] == JMP)
		return (u8)(len - 2);
	return (u8)f->head[i];
}

/*@ requires \valid_read(f) && f->len <= 8;
    requires \valid(new + (0 .. f->len - 1));
    requires \separated(new + (0 .. f->len - 1), f);
    assigns new[0 .. f->len - 1];
    ensures \forall integer j; 0 <= j < f->len ==>
	new[j] == head_byte(f, j, len);
 */
static void __init put_head(const struct form *f, u8 *new, unsigned int len)
{
	unsigned int i;

	/*@ loop invariant 0 <= i <= \at(f->len, Pre) == f->len;
	    loop invariant \forall integer j; 0 <= j < i ==>
		new[j] == head_byte(f, j, len);
	    loop assigns i, new[0 .. \at(f->len, Pre) - 1];
	    loop variant f->len - i;
	 */
	for (i = 0; i < f->len; i++)
		new[i] = form_byte(f, i, len);
}

/* The form a rule names; NULL if its kind has none of that name. */
/*@ requires \valid_read(p) && \valid_read(r) && r->kind < FIXUP_NR_KINDS;
    requires \valid_read(p->first[r->kind] + (0 .. p->nr[r->kind] - 1));
    assigns \nothing;
    ensures \result == \null || \exists integer i;
	0 <= i < p->nr[r->kind] && \result == p->first[r->kind] + i;
 */
static const struct form *__init named(const struct pass *p,
					  const struct rule *r)
{
	unsigned int i;

	/*@ loop invariant 0 <= i <= p->nr[r->kind];
	    loop assigns i;
	    loop variant p->nr[r->kind] - i;
	 */
	for (i = 0; i < p->nr[r->kind]; i++)
		if (!strcmp(p->first[r->kind][i].name, r->form))
			return &p->first[r->kind][i];
	return NULL;
}

/*
 * Each kind's forms: nr[k] of them from first[k], as forms[] lists a
 * kind's together.
 */
/*@ requires \valid(p) && forms_ok;
    requires zeroed: \forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
	p->first[k] == \null && p->nr[k] == 0;
    requires \separated(p, forms + (0 .. ARRAY_SIZE(forms) - 1));
    assigns p->first[0 .. FIXUP_NR_KINDS - 1],
	p->nr[0 .. FIXUP_NR_KINDS - 1];
    ensures found: \forall integer k; 0 <= k < FIXUP_NR_KINDS &&
	kinds[k].name != \null && kinds[k].shape != SHAPE_CALL ==>
	p->first[k] != \null;
    ensures runs: \forall integer k; 0 <= k < FIXUP_NR_KINDS &&
	kinds[k].name != \null && kinds[k].shape != SHAPE_CALL ==>
	kind_run_ok(p, k);
    ensures valid: \forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
	\valid_read(p->first[k] + (0 .. p->nr[k] - 1));
 */
static __always_inline void list_forms(struct pass *p)
{
	unsigned int i, k;

	/*@ loop invariant 0 <= i <= ARRAY_SIZE(forms);
	    loop invariant none: \forall integer j; 0 <= j < FIXUP_NR_KINDS &&
		p->first[j] == \null ==> p->nr[j] == 0 &&
		\forall integer l; 0 <= l < i ==> forms[l].kind != j;
	    loop invariant run: \forall integer j; 0 <= j < FIXUP_NR_KINDS &&
		p->first[j] != \null ==> 1 <= p->nr[j] &&
		\subset(p->first[j] + (0 .. p->nr[j] - 1), forms + (0 .. i - 1)) &&
		\forall integer l; 0 <= l < p->nr[j] ==>
		  p->first[j][l].kind == j;
	    loop assigns i, k, p->first[0 .. FIXUP_NR_KINDS - 1],
		p->nr[0 .. FIXUP_NR_KINDS - 1];
	    loop variant ARRAY_SIZE(forms) - i;
	 */
	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		k = forms[i].kind;
		if (!p->first[k])
			p->first[k] = &forms[i];
		if (p->first[k] + p->nr[k] == &forms[i])
			p->nr[k]++;
	}
}

/* A FIXED kind's bytes in mode m: its chosen form padded for the CPU. */
/*@ requires \valid(p) && m < 2 && k < FIXUP_NR_KINDS && catalogue_ok;
    requires kinds[k].name != \null && kinds[k].shape == SHAPE_FIXED;
    requires form_ok(p->chosen[m][k], k, p->chosen[m][k]->len);
    requires \separated(p, forms + (0 .. ARRAY_SIZE(forms) - 1));
    assigns p->fixed[m][k][0 .. 7];
    ensures fixed_head(p, m, k);
 */
static __always_inline void pad_fixed(struct pass *p, unsigned int m,
				       unsigned int k)
{
	const struct form *f = p->chosen[m][k];

	put_head(f, p->fixed[m][k], kinds[k].max_len);
	fixup_pad(p->fixed[m][k] + f->len, kinds[k].max_len - f->len, p->p6);
}

/*
 * The form each kind's first fitting rule names in mode m, if any: one of
 * the kind's forms, or NULL when the rule names none of them.
 */
/*@ requires \valid(p) && m < 2;
    requires \valid_read(p->env) && \valid_read(p->env->cpu);
    requires \separated(p, p->env);
    requires rules: \forall integer i; 0 <= i < ARRAY_SIZE(rules) ==>
	rules[i].kind < FIXUP_NR_KINDS;
    requires runs: \forall integer j; 0 <= j < FIXUP_NR_KINDS ==>
	\valid_read(p->first[j] + (0 .. p->nr[j] - 1));
    requires none: \forall integer j; 0 <= j < FIXUP_NR_KINDS ==>
	p->chosen[m][j] == \null;
    assigns p->chosen[m][0 .. FIXUP_NR_KINDS - 1];
    ensures named: \forall integer j; 0 <= j < FIXUP_NR_KINDS &&
	p->chosen[m][j] != \null ==>
	one_of(p->chosen[m][j], \old(p->first[j]), p->nr[j]);
 */
static __always_inline void pick(struct pass *p, unsigned int m)
{
	unsigned int i;

	/*@ loop invariant 0 <= i <= ARRAY_SIZE(rules);
	    loop invariant first: \forall integer j; 0 <= j < FIXUP_NR_KINDS ==>
		p->first[j] == \at(p->first[j], Pre);
	    loop invariant named: \forall integer j; 0 <= j < FIXUP_NR_KINDS &&
		p->chosen[m][j] != \null ==>
		one_of(p->chosen[m][j], \at(p->first[j], Pre), p->nr[j]);
	    loop assigns i, p->chosen[m][0 .. FIXUP_NR_KINDS - 1];
	    loop variant ARRAY_SIZE(rules) - i;
	 */
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct rule *r = &rules[i];

		if (!p->chosen[m][r->kind] &&
		    fits(p, r->needs, r->bug, r->mode, m))
			p->chosen[m][r->kind] = named(p, r);
	}
}

/* Every FIXED kind's bytes in each mode planned. */
/*@ requires \valid(p) && 1 <= p->nr_modes <= 2 && catalogue_ok;
    requires \separated(p, forms + (0 .. ARRAY_SIZE(forms) - 1));
    requires named: \forall integer k; 0 <= k < FIXUP_NR_KINDS &&
	kinds[k].shape == SHAPE_FIXED ==> kinds[k].name != \null;
    requires chosen: \forall integer m, k; 0 <= m < p->nr_modes &&
	0 <= k < FIXUP_NR_KINDS && kinds[k].shape == SHAPE_FIXED ==>
	form_ok(p->chosen[m][k], k, p->chosen[m][k]->len);
    assigns (&p->fixed[0][0][0])[0 .. 2 * FIXUP_NR_KINDS * 8 - 1];
    ensures fixed: \forall integer m, k; 0 <= m < p->nr_modes &&
	0 <= k < FIXUP_NR_KINDS && kinds[k].shape == SHAPE_FIXED ==>
	fixed_head(p, m, k);
 */
static __always_inline void pad_all(struct pass *p)
{
	unsigned int k, m;

	/*@ loop invariant 0 <= m <= p->nr_modes;
	    loop invariant fixed: \forall integer n, j; 0 <= n < m &&
		0 <= j < FIXUP_NR_KINDS && kinds[j].shape == SHAPE_FIXED ==>
		fixed_head(p, n, j);
	    loop assigns m, k,
		(&p->fixed[0][0][0])[0 .. 2 * FIXUP_NR_KINDS * 8 - 1];
	    loop variant p->nr_modes - m;
	 */
	for (m = 0; m < p->nr_modes; m++)
		/*@ loop invariant 0 <= k <= FIXUP_NR_KINDS;
		    loop invariant fixed: \forall integer n, j;
			(0 <= n < m || (n == m && j < k)) &&
			0 <= j < FIXUP_NR_KINDS &&
			kinds[j].shape == SHAPE_FIXED ==> fixed_head(p, n, j);
		    loop assigns k,
			(&p->fixed[m][0][0])[0 .. FIXUP_NR_KINDS * 8 - 1];
		    loop variant FIXUP_NR_KINDS - k;
		 */
		for (k = 0; k < FIXUP_NR_KINDS; k++)
			if (kinds[k].shape == SHAPE_FIXED)
				pad_fixed(p, m, k);
}

/*
 * Each kind's forms, the form its first fitting rule names in each mode
 * planned (else its compiled form), and for a FIXED kind (one length)
 * the bytes of that form padded for the CPU.
 */
/*@ requires \valid(p) && 1 <= p->nr_modes <= 2 && plan_env_ok(p->env);
    requires catalogue_ok && forms_ok;
    requires zeroed: \forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
	p->first[k] == \null && p->nr[k] == 0 &&
	p->chosen[0][k] == \null && p->chosen[1][k] == \null;
    requires \separated(p, forms + (0 .. ARRAY_SIZE(forms) - 1),
		       kinds + (0 .. FIXUP_NR_KINDS - 1), p->env,
		       p->env->calls + (0 .. p->env->nr_calls - 1));
    assigns p->first[0 .. FIXUP_NR_KINDS - 1],
	p->nr[0 .. FIXUP_NR_KINDS - 1],
	(&p->chosen[0][0])[0 .. 2 * FIXUP_NR_KINDS - 1],
	(&p->fixed[0][0][0])[0 .. 2 * FIXUP_NR_KINDS * 8 - 1];
    ensures pass_ok(p);
    ensures fixed: \forall integer m, k; 0 <= m < p->nr_modes &&
	0 <= k < FIXUP_NR_KINDS && kinds[k].shape == SHAPE_FIXED ==>
	fixed_head(p, m, k);
 */
static void __init choose(struct pass *p)
{
	unsigned int k, m;

	list_forms(p);
	/*@ assert kept: p->nr_modes == \at(p->nr_modes, Pre) &&
		p->env == \at(p->env, Pre); */
	/*@ ghost Listed: ; */
	/*@ loop invariant 0 <= m <= p->nr_modes;
	    loop invariant kept: p->env == \at(p->env, Pre);
	    loop invariant same: plan_env_same{Pre, Here}(p->env);
	    loop invariant first: \forall integer j; 0 <= j < FIXUP_NR_KINDS ==>
		p->first[j] == \at(p->first[j], Listed);
	    loop invariant done: \forall integer n, j; 0 <= n < m &&
		0 <= j < FIXUP_NR_KINDS && with_forms(j) ==>
		one_of(p->chosen[n][j], \at(p->first[j], Listed), p->nr[j]);
	    loop invariant ahead: \forall integer n, j; m <= n < 2 &&
		0 <= j < FIXUP_NR_KINDS ==> p->chosen[n][j] == \null;
	    loop assigns m, k,
		(&p->chosen[0][0])[0 .. 2 * FIXUP_NR_KINDS - 1];
	    loop variant p->nr_modes - m;
	 */
	for (m = 0; m < p->nr_modes; m++) {
		pick(p, m);
		/*@ loop invariant 0 <= k <= FIXUP_NR_KINDS;
		    loop invariant first: \forall integer j;
			0 <= j < FIXUP_NR_KINDS ==>
			p->first[j] == \at(p->first[j], Listed);
		    loop invariant named: \forall integer j;
			0 <= j < FIXUP_NR_KINDS &&
			(j < k || p->chosen[m][j] != \null) &&
			with_forms(j) ==>
			one_of(p->chosen[m][j], \at(p->first[j], Listed),
			       p->nr[j]);
		    loop assigns k, p->chosen[m][0 .. FIXUP_NR_KINDS - 1];
		    loop variant FIXUP_NR_KINDS - k;
		 */
		for (k = 0; k < FIXUP_NR_KINDS; k++)
			if (!p->chosen[m][k])	/* the compiled form */
				p->chosen[m][k] = p->first[k];
	}
	/*@ assert env: plan_env_ok(p->env); */
	/*@ assert runs: \forall integer j; 0 <= j < FIXUP_NR_KINDS &&
		with_forms(j) ==> kind_run_ok(p, j); */
	/*@ assert in_runs: \forall integer n, j; 0 <= n < p->nr_modes &&
		0 <= j < FIXUP_NR_KINDS && with_forms(j) ==>
		in_run(p, j, p->chosen[n][j]); */
	/*@ assert forms_of: \forall integer n, j; 0 <= n < p->nr_modes &&
		0 <= j < FIXUP_NR_KINDS && with_forms(j) ==>
		form_ok(p->chosen[n][j], j, p->first[j]->len); */
	/*@ assert chosen: pass_ok(p); */
	/*@ ghost Chosen: ; */
	pad_all(p);
	/*@ assert calls: \forall integer i; 0 <= i < p->env->nr_calls ==>
		p->env->calls[i].nr == \at(p->env->calls[i].nr, Chosen); */
	/*@ assert env_ok: plan_env_ok(p->env); */
}

/* ---- the record: kind, length, in text, no byte shared ---- */

/* The bytes of env->taken that one text range has: a bit per byte. */
/*@ requires \valid_read(r);
    requires (uintptr_t)r->start <= (uintptr_t)r->end;
    requires (uintptr_t)((uintptr_t)r->end - (uintptr_t)r->start + 7) ==
	(uintptr_t)r->end - (uintptr_t)r->start + 7;
    assigns \nothing;
    ensures \result ==
	((uintptr_t)r->end - (uintptr_t)r->start + 7) / 8;
 */
static size_t __init range_bytes(const struct fixup_range *r)
{
	return ((uintptr_t)r->end - (uintptr_t)r->start + 7) / 8;
}

/*@ requires ranges_ok(text, nr_text);
    assigns \nothing;
    ensures \result == tbase(text, nr_text);
    ensures \forall integer i; 0 <= i <= nr_text ==> tbase(text, i) <= \result;
 */
size_t __init fixup_taken_size(const struct fixup_range *text,
			       unsigned int nr_text)
{
	size_t n = 0;
	unsigned int i;

	/*@ loop invariant 0 <= i <= nr_text && n == tbase(text, i);
	    loop invariant \forall integer j; 0 <= j <= i ==>
		tbase(text, j) <= tbase(text, i);
	    loop assigns i, n;
	    loop variant nr_text - i;
	 */
	for (i = 0; i < nr_text; i++)
		n += range_bytes(&text[i]);
	return n;
}

/*
 * The bit of env->taken for the first byte of [a, a + len), if all of
 * it lies in one text range: each range has the bytes of its own.
 */
/*@ requires bits_ok(env) && \valid(bit) && \separated(bit, env);
    requires 1 <= len;
    assigns *bit;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> in_text(env, a, len) &&
	*bit + len <= 8 * base(env, env->nr_text);
    ensures found: \result == 1 ==> \exists integer i;
	site_bits(env, i, a, len) && *bit == bit_of(env, i, a);
    ensures outside: \result == 0 ==> !in_text(env, a, len);
 */
static bool __init taken_bit(const struct fixup_env *env, uintptr_t a,
			     unsigned int len, size_t *bit)
{
	size_t base = 0;
	unsigned int i;

	/*@ loop invariant 0 <= i <= env->nr_text;
	    loop invariant base == base(env, i);
	    loop invariant outside: \forall integer j; 0 <= j < i ==>
		!in_range(env, j, a, len);
	    loop assigns i, base;
	    loop variant env->nr_text - i;
	 */
	for (i = 0; i < env->nr_text; i++) {
		uintptr_t start = (uintptr_t)env->text[i].start;
		uintptr_t end = (uintptr_t)env->text[i].end;

		if (a >= start && a <= end && len <= end - a) {
			/*@ assert in_range(env, i, a, len); */
			/*@ assert base(env, i + 1) <= base(env, env->nr_text); */
			/*@ assert 8 * base(env, i + 1) >= 8 * base + (end - start); */
			/*@ assert (size_t)(8 * base(env, env->nr_text)) ==
				   8 * base(env, env->nr_text); */
			*bit = 8 * base + (a - start);
			/*@ assert *bit == 8 * base(env, i) + (a - start); */
			/*@ assert site_bits(env, i, a, len); */
			return true;
		}
		base += range_bytes(&env->text[i]);
	}
	return false;
}

/* Whether bit b of t is set; set it. */
/*@ requires \valid_read(t + b / 8);
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> taken_at(t, b);
 */
static inline bool bit_is_set(const u8 *t, size_t b)
{
	return t[b / 8] >> b % 8 & 1;
}

/*@ requires \valid(t + b / 8);
    assigns t[b / 8];
    ensures set: taken_at(t, b);
    ensures others: \forall integer c; 0 <= c && c != b ==>
	(taken_at(t, c) <==> \old(taken_at(t, c)));
 */
static inline void set_bit(u8 *t, size_t b)
{
	t[b / 8] |= 1u << b % 8;
}

/*
 * Mark len bytes from bit as taken; false if any was taken already.
 * Every record that gets this far takes its bytes, accepted or not:
 * a later record sharing one is rejected whatever the order, and a
 * site rejected for its bytes keeps them, so that a second pass over
 * the same table decides every record as the first did. A bit at a
 * time (a site has 15 bytes at most): WP's provers follow the loop's
 * index where a mask shifted across bytes defeats them.
 */
/*@ requires \valid(taken + (bit / 8 .. (bit + len - 1) / 8));
    requires 1 <= len && (size_t)(bit + len) == bit + len;
    assigns taken[bit / 8 .. (bit + len - 1) / 8]
	\from taken[bit / 8 .. (bit + len - 1) / 8], bit, len;
    assigns \result \from taken[bit / 8 .. (bit + len - 1) / 8], bit, len;
    ensures \result == 0 || \result == 1;
    ensures set: bits_set(taken, bit, len);
    ensures others: \forall integer c; 0 <= c && !(bit <= c < bit + len) ==>
	(taken_at(taken, c) <==> \old(taken_at(taken, c)));
    ensures free: \result == 1 <==> \old(bits_clear(taken, bit, len));
 */
static bool __init mark_taken(u8 *taken, size_t bit, unsigned int len)
{
	bool free = true;
	size_t b;

	/*@ loop invariant bit <= b <= bit + len;
	    loop invariant free == 0 || free == 1;
	    loop invariant set: bits_set(taken, bit, b - bit);
	    loop invariant others: \forall integer c;
		0 <= c && !(bit <= c < b) ==>
		(taken_at(taken, c) <==> \at(taken_at(taken, c), Pre));
	    loop invariant free: free == 1 <==>
		(\forall integer c; bit <= c < b ==>
		 !\at(taken_at(taken, c), Pre));
	    loop assigns b, free, taken[bit / 8 .. (bit + len - 1) / 8];
	    loop variant bit + len - b;
	 */
	for (b = bit; b < bit + len; b++) {
		if (bit_is_set(taken, b))
			free = false;
		set_bit(taken, b);
	}
	return free;
}

/*@ requires \valid_read(p) && \valid_read(r) && bits_ok(p->env);
    requires catalogue_ok;
    requires \separated(p->env->taken + (0 .. p->env->taken_size - 1), r);
    assigns p->env->taken[0 .. p->env->taken_size - 1];
    ensures \result == \null ==> r->kind < FIXUP_NR_KINDS &&
	kinds[r->kind].name != \null &&
	kinds[r->kind].min_len <= r->len <= kinds[r->kind].max_len &&
	in_text(p->env, site, r->len);
    ensures marked: checked_at(p->env, r, site) ==> \exists integer i;
	site_bits(p->env, i, site, r->len) &&
	bits_set(p->env->taken, bit_of(p->env, i, site), r->len);
    ensures clear: \result == \null ==> \exists integer i;
	site_bits(p->env, i, site, r->len) &&
	\old(bits_clear(p->env->taken, bit_of(p->env, i, site), r->len)) &&
	bits_set(p->env->taken, bit_of(p->env, i, site), r->len);
    ensures others: \forall integer b; in_bitmap(p->env, b) &&
	!site_bit(p->env, site, r->len, b) ==>
	(taken_at(p->env->taken, b) <==> \old(taken_at(p->env->taken, b)));
    ensures grows: \forall integer b; in_bitmap(p->env, b) &&
	\old(taken_at(p->env->taken, b)) ==> taken_at(p->env->taken, b);
 */
static const char *__init check_record(const struct pass *p,
				       const struct fixup_site *r,
				       uintptr_t site)
{
	const struct kind *k = &kinds[r->kind < FIXUP_NR_KINDS ? r->kind : 0];
	size_t bit = 0;		/* set by taken_bit(); Eva cannot tell */

	if (!k->name)
		return "unknown kind";
	if (r->len < k->min_len || r->len > k->max_len)
		return "bad length";
	/*@ split r->len; */		/* Eva: each length a site may have */
	if (!taken_bit(p->env, site, r->len, &bit))
		return "outside text";
	if (!mark_taken(p->env->taken, bit, r->len))
		return "overlaps another site";
	/*@ assert fresh: \let b = bit;
		\at(bits_clear(p->env->taken, b, r->len), Pre); */
	return NULL;
}

/* ---- the site: what it holds, what it becomes ---- */

/*@ requires \valid_read(f) && f->len <= 8;
    requires \valid_read(site + (0 .. f->len - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
static bool __init holds_head(const struct form *f, const u8 *site,
			      unsigned int len)
{
	unsigned int i;

	/*@ loop invariant 0 <= i <= f->len;
	    loop assigns i;
	    loop variant f->len - i;
	 */
	for (i = 0; i < f->len; i++)	/* no form is longer than its kind */
		if (site[i] != form_byte(f, i, len))
			return false;
	return true;
}

/* Whether n bytes are the padding of either NOP set. */
/*@ requires \valid_read(b + (0 .. n - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
static bool __init is_either_pad(const u8 *b, unsigned int n)
{
	return fixup_is_pad(b, n, true) || fixup_is_pad(b, n, false);
}

/* FIXED: a form padded with either NOP set; it gets the chosen one. */
/*@ requires plan_ok(p, m, kind, site, new, len) && catalogue_ok;
    requires kinds[kind].shape == SHAPE_FIXED;
    requires \valid(variant) && \separated(variant, p);
    assigns new[0 .. len - 1], *variant;
    ensures \result == \null ==> fixed_planned(p, m, kind, new, len);
 */
static const char *__init plan_fixed(const struct pass *p, unsigned int m,
				     unsigned int kind, const u8 *site,
				     unsigned int len, u8 *new,
				     const char **variant)
{
	const struct form *f = p->first[kind];
	unsigned int i;

	/*@ loop invariant 0 <= i <= p->nr[kind];
	    loop invariant f == p->first[kind] + i;
	    loop assigns i, f;
	    loop variant p->nr[kind] - i;
	 */
	for (i = 0; i < p->nr[kind]; i++, f++)
		if (holds_head(f, site, len) &&
		    (f->len == len || is_either_pad(site + f->len, len - f->len)))
			break;
	if (i == p->nr[kind])
		return "bytes not a variant";
	/*@ loop invariant 0 <= i <= len;
	    loop invariant copied: \forall integer j; 0 <= j < i ==>
		new[j] == p->fixed[m][kind][j];
	    loop assigns i, new[0 .. len - 1];
	    loop variant len - i;
	 */
	for (i = 0; i < len; i++)
		new[i] = p->fixed[m][kind][i];
	*variant = p->chosen[m][kind]->name;
	return NULL;
}

/*
 * The bytes of a 32-bit memory operand from its ModRM byte on: ModRM, a
 * SIB when rm is 4, then the displacement (Intel SDM vol. 2A, tables 2-2
 * and 2-3). 0 for a register operand (mod 3), which no site may have.
 */
/*@ requires 1 <= avail && \valid_read(b + (0 .. avail - 1));
    assigns \nothing;
 */
static unsigned int __init operand_len(const u8 *b, unsigned int avail)
{
	unsigned int mod = b[0] >> 6, rm = b[0] & 7, n = 1;

	if (mod == 3)
		return 0;
	if (rm == 4) {
		if (avail < 2)
			return 0;
		n++;
		if (mod == 0 && (b[1] & 7) == 5)
			n += 4;
	} else if (mod == 0 && rm == 5) {
		n += 4;
	}
	return n + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

/*@ requires \valid_read(f);
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
static bool __init holds_reg(const struct form *f, u8 modrm)
{
	unsigned int reg = modrm >> 3 & 7;

	if (f->reg == HINT)
		return reg <= 3;
	return f->reg == ANY || reg == (unsigned int)f->reg;
}

/*
 * MODRM: the forms' bytes (all of one length in a kind), then a memory
 * operand filling the rest of the site. The operand stays; the reg
 * field too, unless the chosen form has one of its own.
 */
/*@ requires plan_ok(p, m, kind, site, new, len) && catalogue_ok;
    requires kinds[kind].shape == SHAPE_MODRM;
    requires \valid(variant) && \separated(variant, p);
    assigns new[0 .. len - 1], *variant;
    ensures \result == \null ==>
	modrm_planned(p->chosen[m][kind], site, new, len);
 */
static const char *__init plan_modrm(const struct pass *p, unsigned int m,
				     unsigned int kind, const u8 *site,
				     unsigned int len, u8 *new,
				     const char **variant)
{
	const struct form *f = p->first[kind], *c = p->chosen[m][kind];
	unsigned int h = f->len, i;

	if (h >= len || operand_len(site + h, len - h) != len - h)
		return "bytes not a variant";
	/*@ loop invariant 0 <= i <= p->nr[kind];
	    loop invariant f == p->first[kind] + i;
	    loop assigns i, f;
	    loop variant p->nr[kind] - i;
	 */
	for (i = 0; i < p->nr[kind]; i++, f++)
		if (holds_head(f, site, len) && holds_reg(f, site[h]))
			break;
	if (i == p->nr[kind])
		return "bytes not a variant";
	/*@ loop invariant 0 <= i <= len;
	    loop invariant \forall integer j; 0 <= j < i ==> new[j] == site[j];
	    loop assigns i, new[0 .. len - 1];
	    loop variant len - i;
	 */
	for (i = 0; i < len; i++)
		new[i] = site[i];
	/*@ assert c->len == h; */
	put_head(c, new, len);
	/*@ assert head: \forall integer j; 0 <= j < h ==>
		new[j] == head_byte(c, j, len); */
	/*@ assert rest: \forall integer j; h <= j < len ==> new[j] == site[j]; */
	if (c->reg >= 0)
		new[h] = (new[h] & 0xc7) | (u32)c->reg << 3;
	/*@ assert planned: modrm_planned(c, site, new, len); */
	*variant = c->name;
	/*@ assert c == p->chosen[m][kind]; */
	return NULL;
}

/*@ requires \valid_read(g) && \valid_read(g->variants + (0 .. g->nr - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> group_has(g, fn);
 */
static bool __init in_group(const struct fixup_call_group *g, uintptr_t fn)
{
	unsigned int i;

	if ((uintptr_t)g->generic == fn)
		return true;
	/*@ loop invariant 0 <= i <= g->nr;
	    loop assigns i;
	    loop variant g->nr - i;
	 */
	for (i = 0; i < g->nr; i++)
		if (g->variants[i].fn && (uintptr_t)g->variants[i].fn == fn)
			return true;
	return false;
}

/*
 * Whether a function of group g is also in another group. Then where
 * its calls go depends on which group the pass would look at, and a
 * second pass could send a call somewhere else: every call into such a
 * group is rejected.
 */
/*@ requires plan_env_ok(env);
    requires \valid_read(g) && \valid_read(g->variants + (0 .. g->nr - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
static bool __init shares(const struct fixup_env *env,
			  const struct fixup_call_group *g)
{
	const struct fixup_call_group *o;
	unsigned int i, k;

	/*@ loop invariant 0 <= k <= env->nr_calls;
	    loop assigns k, o, i;
	    loop variant env->nr_calls - k;
	 */
	for (k = 0; k < env->nr_calls; k++) {
		o = &env->calls[k];
		if (o == g)
			continue;
		if (in_group(o, (uintptr_t)g->generic))
			return true;
		/*@ loop invariant 0 <= i <= g->nr;
		    loop assigns i;
		    loop variant g->nr - i;
		 */
		for (i = 0; i < g->nr; i++)
			if (g->variants[i].fn &&
			    in_group(o, (uintptr_t)g->variants[i].fn))
				return true;
	}
	return false;
}

/* Where "call/jmp rel32" at a 5-byte site goes. */
/*@ requires \valid_read(site + (0 .. 4));
    assigns \nothing;
    ensures to: \result == branch_to(site);
 */
static uintptr_t __init branch_target(const u8 *site)
{
	/* little-endian; a sum, not shifts: branch_to() stays arithmetic */
	u32 rel = site[1] + 0x100 * site[2] + 0x10000 * site[3] +
		  0x1000000u * site[4];

	return (uintptr_t)site + 5 + (uintptr_t)(long)(s32)rel;
}

/* "op rel32" to "to" at a 5-byte site; false if rel32 cannot reach. */
/*@ requires \valid(new + (0 .. 4));
    assigns new[0 .. 4];
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> branch_planned(new, op, site, to);
 */
static bool __init put_branch(u8 *new, u8 op, const u8 *site, uintptr_t to)
{
	uintptr_t next = (uintptr_t)site + 5;
	s32 rel = (s32)(to - next);
	unsigned int i;

	if (next + (uintptr_t)(long)rel != to)	/* a 64-bit host's tests only */
		return false;
	new[0] = op;
	/*@ loop invariant 1 <= i <= 5 && new[0] == op;
	    loop invariant \forall integer j; 1 <= j < i ==>
		new[j] == (u8)((u32)rel >> 8 * (j - 1));
	    loop assigns i, new[1 .. 4];
	    loop variant 5 - i;
	 */
	for (i = 1; i < 5; i++)		/* little-endian */
		new[i] = (u32)rel >> 8 * (i - 1);
	return true;
}

/*
 * CALL: E8 rel32 to a function of a call group goes to the group's
 * first fitting variant (its generic function if none fits), or becomes
 * a 5-byte NOP. A call that vanished (either NOP) stays a NOP: which
 * group it was is not known.
 */
/*@ requires pass_ok(p) && m < p->nr_modes;
    requires \valid_read(site + (0 .. 4)) && \valid(new + (0 .. 4));
    requires \separated(new + (0 .. 4), p);
    requires \valid(variant) && \separated(variant, p);
    assigns new[0 .. 4], *variant;
    ensures call: \result == \null ==> call_planned{Pre, Here}(p, site, new);
 */
static const char *__init plan_call(const struct pass *p, unsigned int m,
				    const u8 *site, u8 *new,
				    const char **variant)
{
	const struct fixup_env *env = p->env;
	const struct fixup_call_group *g = NULL;
	const struct fixup_call_variant *v = NULL;
	const void *fn;
	uintptr_t to;
	unsigned int i;

	if (site[0] != 0xe8) {
		if (!is_either_pad(site, 5))
			return "bytes not a variant";
		fixup_pad(new, 5, p->p6);
		*variant = "nop";
		return NULL;
	}
	to = branch_target(site);
	/*@ loop invariant 0 <= i <= env->nr_calls;
	    loop invariant g == \null || (\valid_read(g) &&
		\valid_read(g->variants + (0 .. g->nr - 1)));
	    loop invariant group: g == \null || \exists integer j;
		0 <= j < env->nr_calls && g == &env->calls[j];
	    loop assigns i, g;
	    loop variant env->nr_calls - i;
	 */
	for (i = 0; i < env->nr_calls && !g; i++)
		if (in_group(&env->calls[i], to))
			g = &env->calls[i];
	if (!g)
		return "call target not in a group";
	if (!p->disjoint && shares(env, g))
		return "call group shares a function";
	/*@ loop invariant 0 <= i <= g->nr;
	    loop invariant v == \null || \valid_read(v);
	    loop invariant variant: v == \null || \exists integer j;
		0 <= j < g->nr && v == &g->variants[j];
	    loop assigns i, v;
	    loop variant g->nr - i;
	 */
	for (i = 0; i < g->nr && !v; i++)
		if (fits(p, g->variants[i].needs, 0, g->variants[i].mode, m))
			v = &g->variants[i];
	fn = v ? v->fn : g->generic;
	if (v && !fn) {
		fixup_pad(new, 5, p->p6);
		*variant = "nop";
		return NULL;
	}
	/*@ assert in_group: \exists integer j; 0 <= j < env->nr_calls &&
		group_has(&env->calls[j], (uintptr_t)fn); */
	if (!put_branch(new, 0xe8, site, (uintptr_t)fn))
		return "call target out of reach";
	*variant = v ? v->name : g->name;
	return NULL;
}

/*
 * The first thunk of kind in the kernel's list that is the function at
 * fn: a branch's target, any address (0 is no thunk's either).
 */
/*@ requires \valid_read(env) &&
	\valid_read(env->thunks + (0 .. env->nr_thunks - 1));
    assigns \nothing;
    ensures \result == \null || \valid_read(\result);
    ensures found: \result != \null ==> \exists integer i;
	0 <= i < env->nr_thunks && \result == &env->thunks[i] &&
	\result->kind == kind && (uintptr_t)\result->fn == fn;
 */
static const struct fixup_thunk *__init
thunk_at_fn(const struct fixup_env *env, unsigned int kind, uintptr_t fn)
{
	unsigned int i;

	/*@ loop invariant 0 <= i <= env->nr_thunks;
	    loop assigns i;
	    loop variant env->nr_thunks - i;
	 */
	for (i = 0; i < env->nr_thunks; i++)
		if (env->thunks[i].kind == kind &&
		    (uintptr_t)env->thunks[i].fn == fn)
			return &env->thunks[i];
	return NULL;
}

/* The first thunk of kind in the kernel's list that carries register reg. */
/*@ requires \valid_read(env) &&
	\valid_read(env->thunks + (0 .. env->nr_thunks - 1));
    assigns \nothing;
    ensures \result == \null || \valid_read(\result);
    ensures found: \result != \null ==> \exists integer i;
	0 <= i < env->nr_thunks && \result == &env->thunks[i] &&
	\result->kind == kind && \result->reg == reg;
 */
static __always_inline const struct fixup_thunk *
thunk_for_reg(const struct fixup_env *env, unsigned int kind,
	      unsigned int reg)
{
	unsigned int i;

	/*@ loop invariant 0 <= i <= env->nr_thunks;
	    loop assigns i;
	    loop variant env->nr_thunks - i;
	 */
	for (i = 0; i < env->nr_thunks; i++)
		if (env->thunks[i].kind == kind && env->thunks[i].reg == reg)
			return &env->thunks[i];
	return NULL;
}

/* THUNK form f's bytes for register reg: a byte REG(b) is b + reg. */
/*@ requires \valid_read(f) && f->len <= 8;
    requires \valid(new + (0 .. f->len - 1));
    requires \separated(new + (0 .. f->len - 1), f);
    assigns new[0 .. f->len - 1];
    ensures thunk_form_planned(f, reg, new);
 */
static void __init put_thunk_form(const struct form *f, unsigned int reg,
				  u8 *new)
{
	unsigned int i;

	/*@ loop invariant 0 <= i <= \at(f->len, Pre) == f->len;
	    loop invariant \forall integer j; 0 <= j < i ==>
		new[j] == (u8)((unsigned int)f->head[j] +
				 (f->head[j] > 0xff ? reg : 0));
	    loop assigns i, new[0 .. \at(f->len, Pre) - 1];
	    loop variant f->len - i;
	 */
	for (i = 0; i < f->len; i++)
		new[i] = f->head[i] + (f->head[i] > 0xff ? reg : 0);
}

/*
 * THUNK form f's bytes for register reg, then this CPU's NOPs up to len.
 * (A function of its own so that the padding's goals are proved apart
 * from plan_thunk()'s branch target, whose sum drowns the provers.)
 */
/*@ requires \valid_read(f) && f->len <= 8 && f->len <= len;
    requires \valid(new + (0 .. len - 1));
    requires \separated(new + (0 .. len - 1), f);
    assigns new[0 .. len - 1];
    ensures form: thunk_form_planned(f, reg, new);
    ensures pad: nop_padded{Pre, Post}(new + f->len, len - f->len, p6);
 */
static __always_inline void put_thunk_padded(const struct form *f,
					     unsigned int reg, u8 *new,
					     unsigned int len, bool p6)
{
	/* the padding first: its bytes are the tables' on entry */
	fixup_pad(new + f->len, len - f->len, p6);
	put_thunk_form(f, reg, new);
}

/*
 * Whether the site holds THUNK form f (not the compiled one) padded
 * with either NOP set; *reg is the register its REG byte names
 * (FIXUP_THUNK_NO_REG if it has none).
 */
/*@ requires \valid_read(f) && f->len <= 8 && f->len <= len;
    requires \valid_read(site + (0 .. len - 1)) && \valid(reg);
    assigns *reg;
    ensures \result == 0 || \result == 1;
 */
static bool __init holds_thunk(const struct form *f, const u8 *site,
			       unsigned int len, unsigned int *reg)
{
	u8 b[FIXUP_MAX_LEN];
	unsigned int i;

	*reg = FIXUP_THUNK_NO_REG;
	/*@ loop invariant 0 <= i <= f->len;
	    loop assigns i, *reg;
	    loop variant f->len - i;
	 */
	for (i = 0; i < f->len; i++)
		if (f->head[i] > 0xff)
			*reg = (site[i] - f->head[i]) & 7;
	put_thunk_form(f, *reg, b);
	return !memcmp(b, site, f->len) &&
	       is_either_pad(site + f->len, len - f->len);
}

/*
 * THUNK: the compiled form, "call/jmp rel32" to a thunk of the kind in
 * the kernel's list, which says the register; or another form of the
 * kind, its REG byte saying the register, padded with either NOP set.
 * The site gets the chosen form for that register: a branch to the
 * first thunk of (kind, register), kept as it is if it branches to one
 * already; or the form's bytes padded with this CPU's NOPs.
 */
/*@ requires plan_ok(p, m, kind, site, new, len) && catalogue_ok;
    requires kinds[kind].shape == SHAPE_THUNK;
    requires \valid(variant) && \separated(variant, p);
    assigns new[0 .. len - 1], *variant;
    ensures thunk: \result == \null ==>
	thunk_planned{Pre, Here}(p, m, kind, site, new, len);
 */
static const char *__init plan_thunk(const struct pass *p, unsigned int m,
				     unsigned int kind, const u8 *site,
				     unsigned int len, u8 *new,
				     const char **variant)
{
	const struct form *f = p->first[kind], *c = p->chosen[m][kind];
	bool branch = site[0] == f->head[0];
	const struct fixup_thunk *t;
	unsigned int i, reg;

	/*@ assert chosen: \valid_read(c); */	/* here, in a small context */
	if (branch) {
		t = thunk_at_fn(p->env, kind, branch_target(site));
		if (!t)
			return "branch target not a thunk of its kind";
		reg = t->reg;
		/*@ assert target: thunk_at(p->env, kind, reg,
					    branch_to(site)); */
	} else {
		/*@ loop invariant 1 <= i <= p->nr[kind];
		    loop assigns i, reg;
		    loop variant p->nr[kind] - i;
		 */
		for (i = 1; i < p->nr[kind]; i++)
			if (holds_thunk(f + i, site, len, &reg))
				break;
		if (i >= p->nr[kind])
			return "bytes not a variant";
	}
	if (reg == 4)		/* call *%esp would branch into the stack */
		return "branch through esp";
	t = thunk_for_reg(p->env, kind, reg);
	if (!t)
		return "no thunk of its kind for the register";
	/*@ assert has: thunk_at(p->env, kind, reg, (uintptr_t)t->fn); */
	/*@ assert has_pre: \let r = reg; \let fn = (uintptr_t)t->fn;
		\at(thunk_at(p->env, kind, r, fn), Pre); */
	/*@ assert target_pre: branch ==> \let r = reg;
		\at(thunk_at(p->env, kind, r, branch_to(site)), Pre); */
	if (c != f) {
		put_thunk_padded(c, reg, new, len, p->p6);
		/*@ assert pad: nop_padded{Pre, Here}(new + c->len, len - c->len,
						     p->p6); */
		/*@ assert pass: \let cc = c; cc->len == \at(cc->len, Pre) &&
			p->p6 == \at(p->p6, Pre) &&
			cc == \at(p->chosen[m][kind], Pre) &&
			f == \at(p->first[kind], Pre); */
		/*@ assert planned_form: thunk_planned_reg{Pre, Here}(p, m, kind,
			site, new, len, reg); */
	} else if (branch) {
		memcpy(new, site, len);
		/*@ assert same: same_bytes{Pre, Here}(site, new, len); */
		/*@ assert planned_same: thunk_planned_reg{Pre, Here}(p, m, kind,
			site, new, len, reg); */
	} else if (!put_branch(new, f->head[0], site, (uintptr_t)t->fn)) {
		return "thunk out of reach";
	}
	/*@ assert planned_branch: c == f && !branch ==>
		thunk_planned_reg{Pre, Here}(p, m, kind, site, new, len, reg); */
	/*@ assert planned:
		thunk_planned_reg{Pre, Here}(p, m, kind, site, new, len, reg); */
	*variant = c->name;
	return NULL;
}

#ifdef FIXUP_PROOF_BYTES
/*
 * A clause of plan()'s contract that only the proof parts wp-plan (which
 * proves it) and wp-bytes (which uses it for patch()'s bytes) see:
 * Documentation/proof.md, wp-bytes. Frama-C merges it with the contract
 * below.
 */
/*@ ensures planned: \result == \null ==>
	site_planned{Pre, Post}(p, m, \old(r->kind), new, \old(r->len));
 */
static const char *__init plan(const struct pass *p, unsigned int m,
			       const struct fixup_site *r, const u8 *site,
			       u8 *new, const char **variant);
#endif

/*
 * The bytes the site gets in mode m, by its kind's shape, for a record
 * that passed checks 1 to 3; NULL, new[] and *variant set, or why not
 * (Documentation/proof.md, wp-plan).
 */
/*@ requires \valid_read(r) && catalogue_ok;
    requires pass: pass_ok(p) && m < p->nr_modes;
    requires kind: r->kind < FIXUP_NR_KINDS && kinds[r->kind].name != \null &&
	kinds[r->kind].min_len <= r->len <= kinds[r->kind].max_len;
    requires site: \valid_read(site + (0 .. r->len - 1));
    requires new: \valid(new + (0 .. r->len - 1));
    requires new_site: \separated(new + (0 .. r->len - 1),
				   site + (0 .. r->len - 1));
    requires new_forms: \separated(new + (0 .. r->len - 1),
				    forms + (0 .. ARRAY_SIZE(forms) - 1));
    requires new_pass: \separated(new + (0 .. r->len - 1), p, r);
    requires variant: \valid(variant) && \separated(variant, p);
    assigns new[0 .. r->len - 1], *variant;
 */
static const char *__init plan(const struct pass *p, unsigned int m,
			       const struct fixup_site *r, const u8 *site,
			       u8 *new, const char **variant)
{
	switch (kinds[r->kind].shape) {
	case SHAPE_FIXED:
		return plan_fixed(p, m, r->kind, site, r->len, new, variant);
	case SHAPE_MODRM:
		return plan_modrm(p, m, r->kind, site, r->len, new, variant);
	case SHAPE_THUNK:
		return plan_thunk(p, m, r->kind, site, r->len, new, variant);
	default:	/* SHAPE_CALL: 5 bytes, catalogue_ok */
		/*@ assert r->len == 5; */
		return plan_call(p, m, site, new, variant);
	}
}

/* ---- the walk ---- */

/*
 * The hooks, called through these: WP cannot follow a function pointer,
 * so the proof of the walk takes their contracts as given. The kernel's
 * hooks print and keep; none writes text or what the walk reads
 * (Documentation/proof.md, "Assumptions").
 */
/*@ assigns \nothing; */
static void __init hook_reject(const struct fixup_hooks *h,
			       const struct fixup_site *r, uintptr_t site,
			       const char *why)
{
	if (h && h->reject)
		h->reject(h->ctx, r, (const u8 *)site, r->kind, why);
}

/*@ assigns \nothing; */
static void __init hook_debug(const struct fixup_hooks *h,
			      const struct fixup_site *r, const u8 *site,
			      const u8 *new, const char *variant)
{
	if (h && h->debug)
		h->debug(h->ctx, r, site, r->kind, site, new, r->len, variant);
}

/*@ assigns \nothing; */
static void __init hook_mode_dependent(const struct fixup_hooks *h,
				       const struct fixup_site *r,
				       const u8 *site, const u8 *up,
				       const u8 *smp)
{
	h->mode_dependent(h->ctx, r, site, up, smp);
}

/*@ requires \valid_read(r) && \valid(p) && \valid(p->st) &&
	\valid_read(p->env);
    requires p->st->rejected < 0xffffffff;
    assigns p->st->rejected,
	p->st->kind[r->kind < FIXUP_NR_KINDS ? r->kind : 0].rejected;
    ensures p->st->rejected == \old(p->st->rejected) + 1;
    ensures r->kind < FIXUP_NR_KINDS && kinds[r->kind].name != \null ==>
	p->st->kind[r->kind].rejected ==
	(u32)(\old(p->st->kind[r->kind].rejected) + 1);
    ensures counted: kind_counted{Pre, Post}(
	&p->st->kind[r->kind < FIXUP_NR_KINDS ? r->kind : 0], 0, 0, 0,
	r->kind < FIXUP_NR_KINDS && kinds[r->kind].name != \null ? 1 : 0);
 */
static void __init reject(struct pass *p, const struct fixup_site *r,
			  uintptr_t site, const char *why)
{
	p->st->rejected++;
	if (fixup_kind_name(r->kind))
		p->st->kind[r->kind].rejected++;
	hook_reject(p->env->hooks, r, site, why);
}

/* A kind's variant= for the report: one name, or "mixed" (CALL only). */
/*@ requires \valid(ks);
    assigns ks->variant;
 */
static void __init note_variant(struct fixup_kind_stats *ks, const char *name)
{
	if (!ks->variant)
		ks->variant = name;
	else if (strcmp(ks->variant, name))
		ks->variant = "mixed";
}

/* An accepted site counted: patched if its bytes changed, else unchanged. */
/*@ requires \valid(ks);
    assigns ks->sites, ks->patched, ks->unchanged;
    ensures changed: changed ==> kind_counted{Pre, Post}(ks, 1, 1, 0, 0);
    ensures unchanged: !changed ==> kind_counted{Pre, Post}(ks, 1, 0, 1, 0);
 */
static inline void count(struct fixup_kind_stats *ks, bool changed)
{
	ks->sites++;
	if (changed)
		ks->patched++;
	else
		ks->unchanged++;
}

/* Write the bytes that differ; whether there were any. */
/*@ requires \valid(site + (0 .. len - 1));
    requires \valid_read(new + (0 .. len - 1));
    requires \separated(site + (0 .. len - 1), new + (0 .. len - 1));
    assigns site[0 .. len - 1] \from new[0 .. len - 1];
    assigns \result \from site[0 .. len - 1], new[0 .. len - 1];
    ensures \result == 0 || \result == 1;
    ensures planned: \forall integer j; 0 <= j < len ==> site[j] == new[j];
    ensures changed: \result <==>
	(\exists integer j; 0 <= j < len && \old(site[j]) != new[j]);
 */
static bool __init write_site(u8 *site, const u8 *new, unsigned int len)
{
	bool changed = false;
	unsigned int i;

	/*@ loop invariant 0 <= i <= len;
	    loop invariant \forall integer j; 0 <= j < i ==> site[j] == new[j];
	    loop invariant \forall integer j; i <= j < len ==>
		site[j] == \at(site[j], Pre);
	    loop invariant changed <==>
		(\exists integer j; 0 <= j < i && \at(site[j], Pre) != new[j]);
	    loop assigns i, changed, site[0 .. len - 1];
	    loop variant len - i;
	 */
	for (i = 0; i < len; i++) {
		if (site[i] != new[i]) {
			site[i] = new[i];
			changed = true;
		}
	}
	return changed;
}

#ifdef FIXUP_PROOF_BYTES
/*
 * patch()'s bytes, for wp-bytes only (Documentation/proof.md): an
 * accepted site holds what plan() planned in mode 0 from its bytes and
 * the pass on entry.
 */
/*@ ensures bytes: p->st->rejected == \old(p->st->rejected) ==>
	site_planned{Pre, Post}(p, 0, \old(r->kind), (u8 *)addr, \old(r->len));
 */
static void __init patch(struct pass *p, const struct fixup_site *r,
			 uintptr_t addr);
#endif

/*
 * Check, plan, and when keeping plan the other mode too: a site whose
 * bytes differ is mode-dependent (one that cannot be planned in either
 * mode is rejected: a kept site must have both forms). Then report,
 * write, count.
 */
/*@ requires valid_env: env_ok(p->env);
    requires \valid(p) && \valid(p->st) && \valid_read(r);
    requires addr == site_of(r) && \separated(p, p->st);
    requires catalogue_ok && 1 <= p->nr_modes <= 2 && pass_ok(p);
    requires apart: \forall integer a, n; in_text(p->env, a, n) ==>
	\separated((u8 *)a + (0 .. n - 1), p, r);
    requires \separated(p->env->taken + (0 .. p->env->taken_size - 1), r);
    requires \separated(p->env->taken + (0 .. p->env->taken_size - 1), p,
		       forms + (0 .. ARRAY_SIZE(forms) - 1),
		       p->env->calls + (0 .. p->env->nr_calls - 1));
    requires p->st->rejected < 0xffffffff;
    assigns p->st->rejected,
	p->st->kind[r->kind < FIXUP_NR_KINDS ? r->kind : 0],
	p->env->taken[0 .. p->env->taken_size - 1],
	{ *q | u8 *q; site_written(p->env, r, q) };
    ensures one: p->st->rejected == \old(p->st->rejected) ||
	p->st->rejected == \old(p->st->rejected) + 1;
    ensures accepted: p->st->rejected == \old(p->st->rejected) ==>
	\old(checked(p->env, r));
    ensures rejected: p->st->rejected == \old(p->st->rejected) + 1 &&
	\old(checked(p->env, r)) ==>
	\forall integer j; 0 <= j < \old(r->len) ==>
	  ((u8 *)addr)[j] == \old(((u8 *)addr)[j]);
    ensures marked: \old(checked(p->env, r)) ==> \exists integer i;
	\old(site_bits(p->env, i, addr, r->len)) &&
	bits_set(\old(p->env->taken), \old(bit_of(p->env, i, addr)),
		 \old(r->len));
    ensures clear: p->st->rejected == \old(p->st->rejected) ==>
	\exists integer i; \old(site_bits(p->env, i, addr, r->len) &&
	  bits_clear(p->env->taken, bit_of(p->env, i, addr), r->len)) &&
	bits_set(\old(p->env->taken), \old(bit_of(p->env, i, addr)),
		 \old(r->len));
    ensures others: \forall integer b; \old(in_bitmap(p->env, b) &&
	!site_bit(p->env, addr, r->len, b)) ==>
	(taken_at(\old(p->env->taken), b) <==>
	 \old(taken_at(p->env->taken, b)));
    ensures grows: \forall integer b; \old(in_bitmap(p->env, b) &&
	taken_at(p->env->taken, b)) ==> taken_at(\old(p->env->taken), b);
    ensures counted_accepted: p->st->rejected == \old(p->st->rejected) ==>
	\let ks = \old(&p->st->kind[r->kind]);
	kind_counted{Pre, Post}(ks, 1, 1, 0, 0) ||
	kind_counted{Pre, Post}(ks, 1, 0, 1, 0);
    ensures counted_rejected: p->st->rejected != \old(p->st->rejected) ==>
	\let ks = \old(&p->st->kind[r->kind < FIXUP_NR_KINDS ? r->kind : 0]);
	kind_counted{Pre, Post}(ks, 0, 0, 0,
		\old(r->kind < FIXUP_NR_KINDS &&
		     kinds[r->kind].name != \null) ? 1 : 0);
 */
static void __init patch(struct pass *p, const struct fixup_site *r,
			 uintptr_t addr)
{
	const struct fixup_hooks *h = p->env->hooks;
	/* set before plan() sets them: Eva cannot tell that it did */
	const char *why, *variant = "", *o;
	u8 *site = (u8 *)addr, new[2][FIXUP_MAX_LEN] = { { 0 } };
	struct fixup_kind_stats *ks;

	/*@ split r->kind < FIXUP_NR_KINDS; */	/* Eva: each kind apart */
	/*@ split r->kind; */
	/*@ assert checked(p->env, r) ==> r->len <= FIXUP_MAX_LEN &&
		\separated(site + (0 .. r->len - 1),
			   p->env->taken + (0 .. p->env->taken_size - 1)); */
	why = check_record(p, r, addr);
	if (!why)
		why = plan(p, 0, r, site, new[0], &variant);
	if (!why && p->nr_modes == 2)
		why = plan(p, 1, r, site, new[1], &o);
	if (why) {
		/*@ assert same_kind: r->kind == \at(r->kind, Pre); */
		reject(p, r, addr, why);
		return;
	}
	hook_debug(h, r, site, new[0], variant);
	if (p->nr_modes == 2 && memcmp(new[0], new[1], r->len))
		hook_mode_dependent(h, r, site, new[p->env->smp],
				    new[!p->env->smp]);
	ks = &p->st->kind[r->kind];
	note_variant(ks, variant);
	count(ks, write_site(site, new[0], r->len));
}

/*
 * What the caller gave that no record can be checked against: then
 * every record is rejected with this reason, and nothing is written.
 */
/*@ requires \valid_read(env) &&
	\valid_read(env->text + (0 .. env->nr_text - 1));
    assigns \nothing;
    ensures \result == \null ==> need <= env->taken_size &&
	ranges_apart(env);
 */
static const char *__init env_problem(const struct fixup_env *env, size_t need)
{
	const struct fixup_range *a, *b, *end = env->text + env->nr_text;

	if (env->taken_size < need)
		return "no room to check overlaps";
	/*@ loop invariant \exists integer i; 0 <= i <= env->nr_text &&
		a == env->text + i;
	    loop invariant \forall integer i, j;
		0 <= i < a - env->text && i < j < env->nr_text ==>
		rend(env, i) <= rstart(env, j) || rend(env, j) <= rstart(env, i);
	    loop assigns a, b;
	    loop variant end - a;
	 */
	for (a = env->text; a < end; a++)	/* each has bits of its own */
		/*@ loop invariant \exists integer j;
			a - env->text < j <= env->nr_text && b == env->text + j;
		    loop invariant \forall integer j;
			a - env->text < j < b - env->text ==>
			rend(env, a - env->text) <= rstart(env, j) ||
			rend(env, j) <= rstart(env, a - env->text);
		    loop assigns b;
		    loop variant end - b;
		 */
		for (b = a + 1; b < end; b++)
			if ((uintptr_t)a->start < (uintptr_t)b->end &&
			    (uintptr_t)b->start < (uintptr_t)a->end)
				return "text ranges overlap";
	return NULL;
}

/*
 * The logic of the records' loop (Documentation/proof.md, wp-loop).
 * WP's typed model keeps every pointer in one memory, and patch() writes
 * one (note_variant()): what env_ok reads must be shown the same after
 * each call, base() too, which is recursive over the ranges (an
 * induction: the ghost loop in walk()).
 */
/*@
  // What the walk reads of the environment is the same in L1 and L2.
  predicate env_same{L1, L2}(struct fixup_env *e) =
	\at(e->text, L1) == \at(e->text, L2) &&
	\at(e->nr_text, L1) == \at(e->nr_text, L2) &&
	\at(e->taken, L1) == \at(e->taken, L2) &&
	\at(e->taken_size, L1) == \at(e->taken_size, L2) &&
	(\forall integer i; 0 <= i < \at(e->nr_text, L1) ==>
	   rstart{L1}(e, i) == rstart{L2}(e, i) &&
	   rend{L1}(e, i) == rend{L2}(e, i)) &&
	(\forall integer i; 0 <= i <= \at(e->nr_text, L1) ==>
	   base{L1}(e, i) == base{L2}(e, i));

  // The catalogue's kinds, and record r, are the same in L1 and L2.
  predicate kinds_same{L1, L2} =
	\forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
	  \at(kinds[k].name, L1) == \at(kinds[k].name, L2) &&
	  \at(kinds[k].min_len, L1) == \at(kinds[k].min_len, L2) &&
	  \at(kinds[k].max_len, L1) == \at(kinds[k].max_len, L2);
  predicate record_same{L1, L2}(struct fixup_site *r) =
	\at(r->kind, L1) == \at(r->kind, L2) &&
	\at(r->len, L1) == \at(r->len, L2) &&
	\at(r->rel, L1) == \at(r->rel, L2);

  lemma in_text_same{L1, L2}: \forall struct fixup_env *e, integer a, n;
	env_same{L1, L2}(e) ==> (in_text{L1}(e, a, n) <==> in_text{L2}(e, a, n));
  lemma site_of_same{L1, L2}: \forall struct fixup_site *r;
	record_same{L1, L2}(r) ==> site_of{L1}(r) == site_of{L2}(r);
  lemma site_bits_same{L1, L2}: \forall struct fixup_env *e,
	integer i, a, n;
	env_same{L1, L2}(e) ==>
	(site_bits{L1}(e, i, a, n) <==> site_bits{L2}(e, i, a, n)) &&
	(0 <= i < \at(e->nr_text, L1) ==> bit_of{L1}(e, i, a) == bit_of{L2}(e, i, a));

  // Byte q is of the site of a record among the n from start that passed
  // checks 1 to 3: what the walk may write in text.
  predicate walk_written{L}(struct fixup_env *e, struct fixup_site *start,
			    integer n, u8 *q) =
	\exists integer k; 0 <= k < n && site_written(e, start + k, q);

  // What the walk reads apart from what it writes: the text of the
  // ranges from the pass, the table, the forms and the call groups;
  // taken[] from those; the counts from the environment and the rest.
  predicate walk_apart{L}(struct pass *p, struct fixup_site *start,
			  integer n) =
	(\forall integer a, m; in_text(p->env, a, m) ==>
	  \separated((u8 *)a + (0 .. m - 1), p, start + (0 .. n - 1),
		     forms + (0 .. ARRAY_SIZE(forms) - 1),
		     p->env->calls + (0 .. p->env->nr_calls - 1))) &&
	\separated(p->env->taken + (0 .. p->env->taken_size - 1),
		   start + (0 .. n - 1), p,
		   forms + (0 .. ARRAY_SIZE(forms) - 1),
		   p->env->calls + (0 .. p->env->nr_calls - 1)) &&
	\separated(p->st, p->env) && \separated(p->st, p->env->cpu) &&
	\separated(p->st, p->env->text + (0 .. p->env->nr_text - 1)) &&
	\separated(p->st, p->env->calls + (0 .. p->env->nr_calls - 1)) &&
	\separated(p->st, start + (0 .. n - 1)) &&
	\separated(p->st, kinds + (0 .. FIXUP_NR_KINDS - 1));

  // Every record among the n from start that passed checks 1 to 3 in
  // state L1 has its site's bits set in state L2 (promise 2, with
  // patch()'s clear and the lemma sites_apart).
  predicate walk_marked{L1, L2}(struct fixup_env *e,
				struct fixup_site *start, integer n) =
	\forall integer k; 0 <= k < n && checked{L1}(e, start + k) ==>
	  \exists integer i;
	    site_bits{L1}(e, i, site_of{L1}(start + k), \at(start[k].len, L1)) &&
	    bits_set{L2}(\at(e->taken, L1),
			bit_of{L1}(e, i, site_of{L1}(start + k)),
			\at(start[k].len, L1));
*/

/*
 * One record: counted, then checked, planned, written and counted by
 * patch(), or rejected with the caller's problem. Its contract is what
 * the records' loop needs of a step, and only that (the frame: the
 * pass, the environment, the table and the catalogue as they were;
 * the bits that were set stay set), so that the loop's goals see it and
 * not patch()'s whole contract (Documentation/proof.md, wp-loop).
 * The table's ends, start and end, only the contract reads. Inlined
 * into walk(): the kernel is as before.
 */
/*@ requires \valid(p) && \valid(p->st) && \separated(p, p->st);
    requires catalogue_ok && 1 <= p->nr_modes <= 2 && pass_ok(p);
    requires table: \exists integer n; 0 <= n < 0xffffffff &&
	end == start + n && \valid_read(start + (0 .. n - 1));
    requires record: \exists integer k; 0 <= k < end - start &&
	r == start + k;
    requires env: problem == \null ==> env_ok(p->env);
    requires apart: walk_apart(p, start, end - start);
    requires p->st->rejected < 0xffffffff;
    assigns p->st->sites, p->st->rejected,
	p->st->kind[r->kind < FIXUP_NR_KINDS ? r->kind : 0],
	p->env->taken[0 .. p->env->taken_size - 1],
	{ *q | u8 *q; problem == \null && site_written(p->env, r, q) };
    ensures kept: p->env == \old(p->env) && p->st == \old(p->st);
    ensures one: p->st->rejected == \old(p->st->rejected) ||
	p->st->rejected == \old(p->st->rejected) + 1;
    ensures same: env_same{Pre, Post}(p->env) && kinds_same{Pre, Post};
    ensures records: \forall integer k; 0 <= k < end - start ==>
	record_same{Pre, Post}(start + k);
    ensures checked: problem == \null ==> \forall integer k;
	0 <= k < end - start ==>
	(checked{Pre}(p->env, start + k) <==>
	 checked{Post}(p->env, start + k));
    ensures env: problem == \null ==> env_ok(p->env);
    ensures pass: pass_ok(p);
    ensures marked: problem == \null && \old(checked(p->env, r)) ==>
	\exists integer i; \old(site_bits(p->env, i, site_of(r), r->len)) &&
	bits_set(\old(p->env->taken), \old(bit_of(p->env, i, site_of(r))),
		 \old(r->len));
    ensures grows: problem == \null ==> \forall integer b, n;
	0 <= b && b + n <= 8 * \old(p->env->taken_size) &&
	\old(bits_set(p->env->taken, b, n)) ==>
	bits_set(\old(p->env->taken), b, n);
 */
static __always_inline void step(struct pass *p,
				 const struct fixup_site *r,
				 const struct fixup_site *start __unused,
				 const struct fixup_site *end __unused,
				 const char *problem)
{
	uintptr_t site = (uintptr_t)&r->rel + (uintptr_t)(long)r->rel;
	/*@ ghost unsigned int g; */

	p->st->sites++;
	if (problem) {
		reject(p, r, site, problem);
		return;
	}
	/*@ assert site: checked(p->env, r) ==>
		\separated((u8 *)site_of(r) + (0 .. r->len - 1),
			   kinds + (0 .. FIXUP_NR_KINDS - 1)) &&
		\separated((u8 *)site_of(r) + (0 .. r->len - 1),
			   start + (0 .. end - start - 1)) &&
		\separated((u8 *)site_of(r) + (0 .. r->len - 1), p) &&
		\separated((u8 *)site_of(r) + (0 .. r->len - 1),
			   forms + (0 .. ARRAY_SIZE(forms) - 1)) &&
		\separated((u8 *)site_of(r) + (0 .. r->len - 1),
			   p->env->calls + (0 .. p->env->nr_calls - 1)); */
	/*@ assert calls_apart: \let c = p->env->calls;
		\forall integer i; 0 <= i < p->env->nr_calls ==>
		!site_written(p->env, r, (u8 *)&c[i].nr) &&
		\separated(&c[i].nr,
			   p->env->taken + (0 .. p->env->taken_size - 1)); */
	/*@ assert variants_apart: \let c = p->env->calls;
		\forall integer i; 0 <= i < p->env->nr_calls ==>
		\separated(&c[i].variants,
			   &p->st->kind[r->kind < FIXUP_NR_KINDS ? r->kind : 0]); */
	/*@ assert records_apart: \forall integer k; 0 <= k < end - start ==>
		!site_written(p->env, r, (u8 *)&start[k].kind) &&
		!site_written(p->env, r, (u8 *)&start[k].len) &&
		\separated(&start[k].kind,
			   p->env->taken + (0 .. p->env->taken_size - 1)) &&
		\separated(&start[k].len,
			   p->env->taken + (0 .. p->env->taken_size - 1)); */
	patch(p, r, site);
	/*@ assert kept: p->env == \at(p->env, Pre) &&
		p->st == \at(p->st, Pre); */
	/*@ assert fields: p->env->text == \at(p->env->text, Pre) &&
		p->env->nr_text == \at(p->env->nr_text, Pre) &&
		p->env->taken == \at(p->env->taken, Pre) &&
		p->env->taken_size == \at(p->env->taken_size, Pre); */
	/*@ assert ranges: \forall integer i; 0 <= i < p->env->nr_text ==>
		rstart(p->env, i) == \at(rstart(p->env, i), Pre) &&
		rend(p->env, i) == \at(rend(p->env, i), Pre); */
	/*@ ghost
	  /@ loop invariant 0 <= g <= p->env->nr_text;
	     loop invariant \forall integer j; 0 <= j <= g ==>
		base(p->env, j) == \at(base(p->env, j), Pre);
	     loop assigns g;
	     loop variant p->env->nr_text - g;
	   @/
	  for (g = 0; g < p->env->nr_text; g++)
		;
	*/
	/*@ assert same: env_same{Pre, Here}(p->env); */
	/*@ assert bits: bits_ok(p->env); */
	/*@ assert text: text_ok(p->env); */
	/*@ assert env: env_ok(p->env); */
	/*@ assert catalogue: kinds_same{Pre, Here}; */
	/*@ assert records: \forall integer k; 0 <= k < end - start ==>
		record_same{Pre, Here}(start + k); */
	/*@ assert checked: \forall integer k; 0 <= k < end - start ==>
		(checked{Pre}(p->env, start + k) <==>
		 checked{Here}(p->env, start + k)); */
	/*@ assert forms: \forall struct form *f;
		\subset(f, forms + (0 .. ARRAY_SIZE(forms) - 1)) ==>
		f->kind == \at(f->kind, Pre) && f->len == \at(f->len, Pre); */
	/*@ assert pass: p->nr_modes == \at(p->nr_modes, Pre) &&
		\forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
		  p->first[k] == \at(p->first[k], Pre) &&
		  p->nr[k] == \at(p->nr[k], Pre) &&
		  p->chosen[0][k] == \at(p->chosen[0][k], Pre) &&
		  p->chosen[1][k] == \at(p->chosen[1][k], Pre); */
	/*@ assert plan_env: p->env->cpu == \at(p->env->cpu, Pre) &&
		p->env->calls == \at(p->env->calls, Pre) &&
		p->env->nr_calls == \at(p->env->nr_calls, Pre) &&
		p->env->thunks == \at(p->env->thunks, Pre) &&
		p->env->nr_thunks == \at(p->env->nr_thunks, Pre); */
	/*@ assert variants: \let c = \at(p->env->calls, Pre);
		\forall integer i; 0 <= i < \at(p->env->nr_calls, Pre) ==>
		c[i].variants == \at(c[i].variants, Pre); */
	/*@ assert calls_nr: \let c = \at(p->env->calls, Pre);
		\forall integer i; 0 <= i < \at(p->env->nr_calls, Pre) ==>
		c[i].nr == \at(c[i].nr, Pre); */
	/*@ assert plan_env_ok: plan_env_ok(p->env); */
	/*@ assert shapes: \forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
		kinds[k].shape == \at(kinds[k].shape, Pre); */
	/*@ assert form_ok: \forall struct form *f, integer k, h;
		0 <= k < FIXUP_NR_KINDS ==>
		\at(form_ok(f, k, h), Pre) ==> form_ok(f, k, h); */
	/*@ assert heads: \forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
		\at(kind_run_ok(p, k), Pre) ==>
		p->first[k]->len == \at(p->first[k]->len, Pre); */
	/*@ assert run_ok: \forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
		\at(kind_run_ok(p, k), Pre) ==> kind_run_ok(p, k); */
	/*@ assert chosen: \forall integer k, m; 0 <= k < FIXUP_NR_KINDS &&
		0 <= m < p->nr_modes ==>
		\at(kind_run_ok(p, k) &&
		    form_ok(p->chosen[m][k], k, p->first[k]->len) &&
		    in_run(p, k, p->chosen[m][k]), Pre) ==>
		form_ok(p->chosen[m][k], k, p->first[k]->len) &&
		in_run(p, k, p->chosen[m][k]); */
	/*@ assert runs: \forall integer k; 0 <= k < FIXUP_NR_KINDS ==>
		\at(kind_forms_ok(p, k), Pre) ==> kind_forms_ok(p, k); */
	/*@ assert pass_ok: pass_ok(p); */
}

/*
 * The records, in order, a step each. The caller's promises are the
 * preconditions (Documentation/proof.md, wp-loop). Inlined into
 * fixup_apply(), in its section: the kernel is as before.
 */
/*@ requires \valid(p) && \valid(p->st) && \separated(p, p->st);
    requires catalogue_ok && 1 <= p->nr_modes <= 2 && pass_ok(p);
    requires table: \exists integer n; 0 <= n < 0xffffffff &&
	end == start + n && \valid_read(start + (0 .. n - 1));
    requires env: problem == \null ==> env_ok(p->env);
    requires apart: walk_apart(p, start, end - start);
    requires p->st->rejected == 0;
    assigns p->st->sites, p->st->rejected,
	p->st->kind[0 .. FIXUP_NR_KINDS - 1],
	p->env->taken[0 .. p->env->taken_size - 1],
	{ *q | u8 *q; walk_written(p->env, start, end - start, q) };
    ensures marked: problem == \null ==>
	walk_marked{Pre, Post}(\old(p->env), start, end - start);
 */
static __always_inline void walk(struct pass *p,
				 const struct fixup_site *start,
				 const struct fixup_site *end,
				 const char *problem)
{
	const struct fixup_site *r;

	/*@ loop invariant at: \exists integer k; 0 <= k <= end - start &&
		r == start + k;
	    loop invariant kept: p->st == \at(p->st, Pre) &&
		p->env == \at(p->env, Pre);
	    loop invariant rejected: p->st->rejected <= r - start;
	    loop invariant same: env_same{Pre, Here}(p->env) &&
		kinds_same{Pre, Here};
	    loop invariant records: \forall integer k; 0 <= k < end - start ==>
		record_same{Pre, Here}(start + k);
	    loop invariant checked: problem == \null ==> \forall integer k;
		0 <= k < end - start ==>
		(checked{Pre}(p->env, start + k) <==>
		 checked{Here}(p->env, start + k));
	    loop invariant env: problem == \null ==> env_ok(p->env);
	    loop invariant pass: pass_ok(p);
	    loop invariant marked: problem == \null ==>
		walk_marked{Pre, Here}(p->env, start, r - start);
	    loop assigns r, \at(p->st, Pre)->sites, \at(p->st, Pre)->rejected,
		\at(p->st, Pre)->kind[0 .. FIXUP_NR_KINDS - 1],
		\at(p->env->taken, Pre)[0 .. \at(p->env->taken_size, Pre) - 1],
		{ *q | u8 *q; \at(walk_written(p->env, start, end - start, q),
				  Pre) };
	    loop variant end - r;
	 */
	for (r = start; r < end; r++) {
		/*@ assert written: problem == \null ==> \forall u8 *q;
			site_written(p->env, r, q) ==>
			\at(walk_written(p->env, start, end - start, q), Pre); */
		step(p, r, start, end, problem);
		/*@ assert earlier: problem == \null ==>
			walk_marked{Pre, Here}(p->env, start, r - start); */
		/*@ assert this: \let k = r - start; problem == \null &&
			checked{Pre}(p->env, start + k) ==> \exists integer i;
			site_bits{Pre}(p->env, i, site_of{Pre}(start + k),
				       \at(start[k].len, Pre)) &&
			bits_set(\at(p->env->taken, Pre),
				 bit_of{Pre}(p->env, i, site_of{Pre}(start + k)),
				 \at(start[k].len, Pre)); */
	}
}

/*
 * The totals: the kinds' patched and unchanged counts added up. (The
 * ghost loops are inductions over the kinds, for WP: a sum's prefixes
 * are at most the whole, and the sums are the same after as before.)
 */
/*@ requires \valid(st);
    requires fits: st->patched + sum_patched(st, FIXUP_NR_KINDS) <=
	0xffffffff && st->unchanged + sum_unchanged(st, FIXUP_NR_KINDS) <=
	0xffffffff;
    assigns st->patched, st->unchanged;
    ensures sums: st->patched ==
	\old(st->patched) + sum_patched(st, FIXUP_NR_KINDS) &&
	st->unchanged == \old(st->unchanged) +
	sum_unchanged(st, FIXUP_NR_KINDS);
    ensures sites: kinds_add_up(st) ==> st->patched + st->unchanged ==
	\old(st->patched + st->unchanged) + sum_sites(st, FIXUP_NR_KINDS);
    ensures all: \old(st->patched == 0 && st->unchanged == 0 &&
	kinds_add_up(st) &&
	st->sites == sum_sites(st, FIXUP_NR_KINDS) + st->rejected) ==>
	st->sites == st->patched + st->unchanged + st->rejected;
 */
static inline void sum_counts(struct fixup_stats *st)
{
	unsigned int k;
	/*@ ghost unsigned int g; */

	/*@ ghost
	  /@ loop invariant 0 <= g <= FIXUP_NR_KINDS;
	     loop invariant \forall integer j; 0 <= j <= g ==>
		0 <= sum_patched(st, j) <= sum_patched(st, g) &&
		0 <= sum_unchanged(st, j) <= sum_unchanged(st, g);
	     loop assigns g;
	     loop variant FIXUP_NR_KINDS - g;
	   @/
	  for (g = 0; g < FIXUP_NR_KINDS; g++)
		;
	*/
	/*@ loop invariant 0 <= k <= FIXUP_NR_KINDS;
	    loop invariant \let kk = k;
		st->patched == \at(st->patched, Pre) +
			\at(sum_patched(st, kk), Pre) &&
		st->unchanged == \at(st->unchanged, Pre) +
			\at(sum_unchanged(st, kk), Pre);
	    loop invariant \let kk = k; \at(kinds_add_up(st), Pre) ==>
		\at(sum_patched(st, kk) + sum_unchanged(st, kk), Pre) ==
		\at(sum_sites(st, kk), Pre);
	    loop assigns k, st->patched, st->unchanged;
	    loop variant FIXUP_NR_KINDS - k;
	 */
	for (k = 0; k < FIXUP_NR_KINDS; k++) {
		st->patched += st->kind[k].patched;
		st->unchanged += st->kind[k].unchanged;
	}
	/*@ ghost
	  /@ loop invariant 0 <= g <= FIXUP_NR_KINDS;
	     loop invariant \forall integer j; 0 <= j <= g ==>
		sum_patched(st, j) == \at(sum_patched(st, j), Pre) &&
		sum_unchanged(st, j) == \at(sum_unchanged(st, j), Pre) &&
		sum_sites(st, j) == \at(sum_sites(st, j), Pre);
	     loop assigns g;
	     loop variant FIXUP_NR_KINDS - g;
	   @/
	  for (g = 0; g < FIXUP_NR_KINDS; g++)
		;
	*/
}

void __init fixup_apply(const struct fixup_site *start,
			const struct fixup_site *end,
			const struct fixup_env *env, struct fixup_stats *st)
{
	size_t need = fixup_taken_size(env->text, env->nr_text);
	const char *problem = env_problem(env, need);
	struct pass p = {
		.env = env,
		.st = st,
		.mode = { env->smp ? FIXUP_MODE_SMP : FIXUP_MODE_UP,
			  env->smp ? FIXUP_MODE_UP : FIXUP_MODE_SMP },
		.nr_modes = env->hooks && env->hooks->mode_dependent ? 2 : 1,
		.p6 = cpu_has(env->cpu, X86_FEATURE_NOPL),
	};
	unsigned int k;

	memset(st, 0, sizeof(*st));
	choose(&p);
	p.disjoint = true;
	for (k = 0; k < env->nr_calls; k++)
		if (shares(env, &env->calls[k]))
			p.disjoint = false;
	if (!problem)
		memset(env->taken, 0, need);
	walk(&p, start, end, problem);
	sum_counts(st);
}

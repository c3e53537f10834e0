// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the boot-time patcher (arch/i386/fixup/): the
 * input bytes choose a CPU, UP or SMP, one or two text ranges and their
 * bytes, call groups and a table of site records; fixup_apply() runs
 * twice over them, and everything Documentation/fixup-sites.md
 * ("Validation") guarantees for any table is checked:
 *
 *  - every record is decided as a model of checks 1-7, written here,
 *    decides it: accepted, or rejected with that reason;
 *  - no byte outside an accepted site changes, and no two accepted
 *    sites share a byte;
 *  - every accepted site held a form of its kind and now holds one,
 *    judged by an oracle written here from the document and the SDM
 *    (the NOP sets and the ModRM/SIB length rule); only the catalogue's
 *    rows are read through the same X-macros as patcher.c reads them;
 *  - a second pass decides every record the same and writes nothing;
 *  - a vanished call stays a NOP;
 *  - a thunk site's branch goes to a thunk of its kind, and it keeps
 *    its register in every form; the form is the one the Spectre v2
 *    mode's bit asks for;
 *  - the counts add up, in total and per kind, and match the hooks;
 *  - when the first pass keeps the sites whose form depends on the CPU
 *    count (kept.c), the re-patch loop over them writes exactly what a
 *    pass in the other mode writes, and back the first pass's bytes; a
 *    kept site changed behind the pass's back is named and left alone.
 *
 * Any failure prints what broke and aborts: libFuzzer reports a crash.
 *
 * Records, text, call targets and the space around them all live in one
 * static arena, so that the s32 offsets reach on a 64-bit host.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../arch/i386/fixup/internal.h"

#define FUZZ_NAME "fuzz_patcher"
#include "fuzz.h"

/* ---- the arena ---- */

#define MAX_REC		96
#define REC_OFF		0		/* records: MAX_REC * 6 bytes */
#define FN_OFF		640		/* fake call targets, outside text */
#define NR_FN		16
#define TEXT0_OFF	1024		/* first range: up to 1 KiB */
#define TEXT1_OFF	3072		/* second range, when not adjacent */
#define TEXT_MAX	1024
#define ARENA		8192		/* the rest is outside text */

static u8 arena[ARENA] __attribute__((aligned(16)));
static u8 before[ARENA];	/* the arena before a pass */
static u8 after1[ARENA];	/* after the first pass */
static u8 orig[ARENA];		/* before the first pass */

#define FN(i)		((void *)(arena + FN_OFF + 8 * (i)))

/* ---- the input ---- */

/* A number below bound (at most 65536); 0 once the input is used up. */
static unsigned int below(struct input *in, unsigned int bound)
{
	unsigned int v = byte(in);

	if (bound > 256)
		v |= byte(in) << 8;
	return v % bound;
}

/* True with probability 1/n. */
static bool one_in(struct input *in, unsigned int n)
{
	return below(in, n) == 0 && in->n;
}

static u32 word(struct input *in)
{
	u32 v = byte(in);

	v |= byte(in) << 8;
	v |= byte(in) << 16;
	return v | (u32)byte(in) << 24;
}

/* ---- the catalogue rows, read as patcher.c reads them ---- */

enum { O_NONE, O_FIXED, O_MODRM, O_CALL, O_THUNK };

#define JMP		(-1)	/* form byte: site length - 2 */
#define ANY		(-1)	/* ModRM reg: any register, kept */
#define HINT		(-2)	/* ModRM reg: a prefetch hint /0../3, kept */
#define NO_REG		(-3)
#define REG(b)		(0x100 | (b))	/* THUNK form byte: b + the register */

struct okind {
	u8 min, max, shape;
	const char *name;
};

struct oform {
	u8 kind;
	int reg;
	unsigned int n;
	int b[8];
	const char *name;
};

#define COUNT(...)	(sizeof((int[]){ 0, ##__VA_ARGS__ }) / sizeof(int) - 1)

#define FIXUP_THUNK(k, name, ...)
#define FIXUP_KIND(k, lo, hi, shape) \
	[FIXUP_KIND_##k] = { lo, hi, O_##shape, #k },
#define FIXUP_FIXED(k, name, ...)
#define FIXUP_MODRM(k, name, reg, ...)
#define FIXUP_RULE(k, needs, bug, mode, form)
static const struct okind okinds[FIXUP_NR_KINDS] = {
#include <asm/fixup-kinds.h>
};
#undef FIXUP_KIND
#undef FIXUP_FIXED
#undef FIXUP_MODRM

#define FIXUP_KIND(k, lo, hi, shape)
#define FIXUP_FIXED(k, name, ...) \
	{ FIXUP_KIND_##k, NO_REG, COUNT(__VA_ARGS__), { __VA_ARGS__ }, name },
#define FIXUP_MODRM(k, name, reg, ...) \
	{ FIXUP_KIND_##k, reg, COUNT(__VA_ARGS__), { __VA_ARGS__ }, name },
#undef FIXUP_THUNK
#define FIXUP_THUNK(k, name, ...) \
	{ FIXUP_KIND_##k, NO_REG, COUNT(__VA_ARGS__), { __VA_ARGS__ }, name },
static const struct oform oforms[] = {
#include <asm/fixup-kinds.h>
};
#undef FIXUP_KIND
#undef FIXUP_FIXED
#undef FIXUP_MODRM
#undef FIXUP_THUNK
#undef FIXUP_RULE

#define NR_FORMS	(sizeof(oforms) / sizeof(oforms[0]))

static bool is_kind(unsigned int k)
{
	return k < FIXUP_NR_KINDS && okinds[k].shape != O_NONE;
}

/* ---- the oracle: NOPs and memory operands, from the doc and the SDM ---- */

/* Documentation/fixup-sites.md, "NOPs": [set][length], set 1 = P6. */
static const u8 nops[2][9][8] = {
	{ {}, { 0x90 }, { 0x89, 0xf6 }, { 0x8d, 0x76, 0x00 },
	  { 0x8d, 0x74, 0x26, 0x00 }, { 0x90, 0x8d, 0x74, 0x26, 0x00 },
	  { 0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00 },
	  { 0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00 } },
	{ {}, { 0x90 }, { 0x66, 0x90 }, { 0x0f, 0x1f, 0x00 },
	  { 0x0f, 0x1f, 0x40, 0x00 }, { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	  { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	  { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	  { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 } },
};
static const unsigned int nop_longest[2] = { 7, 8 };

/* Write the padding of n bytes the doc prescribes for a set. */
static void o_pad(u8 *p, unsigned int n, int set)
{
	while (n) {
		unsigned int c = n > nop_longest[set] ? nop_longest[set] : n;

		memcpy(p, nops[set][c], c);
		p += c;
		n -= c;
	}
}

static bool o_is_pad(const u8 *p, unsigned int n, int set)
{
	u8 want[64];

	if (n > sizeof(want))
		return false;
	o_pad(want, n, set);
	return !memcmp(p, want, n);
}

/*
 * Bytes of a 32-bit memory operand from the ModRM byte on (SDM vol. 2A,
 * tables 2-2 and 2-3), or 0 for a register operand: ModRM; a SIB byte
 * when rm = 100b; disp32 for mod 00 with rm = 101b, or with a SIB whose
 * base is 101b; disp8 for mod 01; disp32 for mod 10.
 */
static unsigned int o_operand_len(const u8 *b, unsigned int avail)
{
	static const unsigned int disp[3] = { 0, 1, 4 };
	unsigned int mod = b[0] >> 6, rm = b[0] & 7, n;

	if (mod == 3)
		return 0;
	n = 1 + disp[mod];
	if (rm == 4) {
		if (avail < 2)
			return 0;
		n += 1;
		if (mod == 0 && (b[1] & 7) == 5)
			n += 4;
	} else if (mod == 0 && rm == 5) {
		n += 4;
	}
	return n;
}

static u8 o_form_byte(const struct oform *f, unsigned int i, unsigned int len)
{
	return f->b[i] == JMP ? (u8)(len - 2) : (u8)f->b[i];
}

static bool o_head(const struct oform *f, const u8 *b, unsigned int len)
{
	unsigned int i;

	if (f->n > len)
		return false;
	for (i = 0; i < f->n; i++)
		if (b[i] != o_form_byte(f, i, len))
			return false;
	return true;
}

static bool o_reg_ok(const struct oform *f, unsigned int reg)
{
	if (f->reg == HINT)
		return reg <= 3;
	return f->reg == ANY || (unsigned int)f->reg == reg;
}

/* The head length of a MODRM kind: all its forms have one. */
static unsigned int o_head_len(unsigned int k)
{
	unsigned int i, h = 0;

	for (i = 0; i < NR_FORMS; i++) {
		if (oforms[i].kind != k)
			continue;
		if (h && oforms[i].n != h)
			fail("catalogue: MODRM kind %u has heads of %u and %u",
			     k, h, oforms[i].n);
		h = oforms[i].n;
	}
	return h;
}

/*
 * Which form of kind k the site holds (FIXED and MODRM kinds), or NULL.
 * sets: bit 0 accepts the 486 NOP padding, bit 1 the P6 one.
 */
static const struct oform *o_form(unsigned int k, const u8 *b, unsigned int len,
				  unsigned int sets)
{
	unsigned int i, h;

	if (okinds[k].shape == O_MODRM) {
		h = o_head_len(k);
		if (h >= len || o_operand_len(b + h, len - h) != len - h)
			return NULL;
	}
	for (i = 0; i < NR_FORMS; i++) {
		const struct oform *f = &oforms[i];

		if (f->kind != k || !o_head(f, b, len))
			continue;
		if (okinds[k].shape == O_MODRM) {
			if (o_reg_ok(f, b[f->n] >> 3 & 7))
				return f;
		} else if (f->n == len ||
			   ((sets & 1) && o_is_pad(b + f->n, len - f->n, 0)) ||
			   ((sets & 2) && o_is_pad(b + f->n, len - f->n, 1))) {
			return f;
		}
	}
	return NULL;
}

static bool o_is_nop5(const u8 *b, unsigned int sets)
{
	return ((sets & 1) && o_is_pad(b, 5, 0)) ||
	       ((sets & 2) && o_is_pad(b, 5, 1));
}

/* Where "call rel32" in bytes b, at address site, goes. */
static uintptr_t o_call_target(const u8 *b, uintptr_t site)
{
	s32 rel;

	memcpy(&rel, b + 1, 4);
	return site + 5 + (uintptr_t)(long)rel;
}

/* ---- the thunk kinds ---- */

static unsigned int pick_kind(struct input *in);

#define MAX_THUNKS	12
#define NO_THUNK_REG	0xff	/* a form without a REG byte: the return */

static struct fixup_thunk thunks[MAX_THUNKS];
static unsigned int nr_thunks;

/* The kind's first form: its compiled one, the opcode of "op rel32". */
static const struct oform *o_first(unsigned int k)
{
	const struct oform *f;

	for (f = oforms; f < oforms + NR_FORMS; f++)
		if (f->kind == k)
			return f;
	fail("catalogue: kind %u has no forms", k);
	return NULL;
}

/*
 * Whether b holds THUNK form f (not the compiled one) for register reg,
 * NO_THUNK_REG for a form without a REG byte, padded with a NOP set in
 * sets: tried register by register.
 */
static bool o_thunk_holds(const struct oform *f, const u8 *b,
			  unsigned int len, unsigned int sets,
			  unsigned int *reg)
{
	unsigned int r, i, regs = 0;

	for (i = 0; i < f->n; i++)
		regs |= f->b[i] >= 0x100;
	for (r = 0; r < (regs ? 8u : 1u); r++) {
		for (i = 0; i < f->n; i++)
			if (b[i] != (u8)(f->b[i] >= 0x100 ? f->b[i] + r :
					f->b[i]))
				break;
		if (i < f->n)
			continue;
		if (f->n == len ||
		    ((sets & 1) && o_is_pad(b + f->n, len - f->n, 0)) ||
		    ((sets & 2) && o_is_pad(b + f->n, len - f->n, 1))) {
			*reg = regs ? r : NO_THUNK_REG;
			return true;
		}
	}
	return false;
}

/*
 * The first of the first n thunks of kind k at fn, any address (0 is no
 * thunk's either); or -1.
 */
static int o_thunk_at(unsigned int k, uintptr_t fn, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (thunks[i].kind == k && (uintptr_t)thunks[i].fn == fn)
			return i;
	return -1;
}

/* The first thunk of kind k with register reg; or -1. */
static int o_thunk_reg(unsigned int k, unsigned int reg)
{
	unsigned int i;

	for (i = 0; i < nr_thunks; i++)
		if (thunks[i].kind == k && thunks[i].reg == reg)
			return i;
	return -1;
}

/*
 * Which form of THUNK kind k the site at a holds, and for which
 * register: the compiled form when its branch goes to a thunk of the
 * kind (*t: that thunk), another form by its bytes; NULL if neither.
 */
static const struct oform *o_thunk_form(unsigned int k, const u8 *b,
					uintptr_t a, unsigned int sets,
					unsigned int *reg, int *t)
{
	const struct oform *f = o_first(k);

	*t = -1;
	*reg = NO_THUNK_REG;
	if (b[0] == (u8)f->b[0]) {
		*t = o_thunk_at(k, o_call_target(b, a), nr_thunks);
		if (*t < 0)
			return NULL;
		*reg = thunks[*t].reg;
		return f;
	}
	for (f++; f < oforms + NR_FORMS && f->kind == k; f++)
		if (o_thunk_holds(f, b, 5, sets, reg))
			return f;
	return NULL;
}

/*
 * The form the thunk kinds' rules name (include/asm/fixup-kinds.h,
 * Documentation/spectre.md), written out: returns are ret; a branch
 * goes through its thunk with X86_FEATURE_RETPOLINE, is lfence and the
 * branch with X86_FEATURE_RETPOLINE_LFENCE, else inline.
 */
static const char *o_thunk_rule(unsigned int k, u32 features)
{
	if (k == FIXUP_KIND_RETURN)
		return "ret";
	if (features & X86_FEATURE_RETPOLINE)
		return "thunk";
	return features & X86_FEATURE_RETPOLINE_LFENCE ? "lfence" : "inline";
}

/*
 * A thunk list: any register (esp too), now and then another kind's
 * number, functions shared between kinds and with call groups. What
 * include/asm/fixup.h asks of a list holds: the return thunks carry no
 * register, the others one, and a function is a thunk of one register
 * for each kind.
 */
static void make_thunks(struct input *in)
{
	static const u8 tkinds[] = { FIXUP_KIND_THUNK_CALL,
				     FIXUP_KIND_THUNK_JMP, FIXUP_KIND_RETURN };
	unsigned int i;
	int same;

	nr_thunks = below(in, MAX_THUNKS + 1);
	for (i = 0; i < nr_thunks; i++) {
		thunks[i].fn = FN(below(in, NR_FN));
		thunks[i].kind = one_in(in, 16) ? pick_kind(in) :
				 tkinds[below(in, 3)];
		thunks[i].reg = thunks[i].kind == FIXUP_KIND_RETURN ?
				NO_THUNK_REG : below(in, 8);
		same = o_thunk_at(thunks[i].kind, (uintptr_t)thunks[i].fn, i);
		if (same >= 0)
			thunks[i].reg = thunks[same].reg;
	}
}

/* ---- call groups ---- */

#define MAX_GROUPS	4
#define MAX_VARIANTS	3

static struct fixup_call_variant variants[MAX_GROUPS][MAX_VARIANTS];
static struct fixup_call_group groups[MAX_GROUPS];
static unsigned int nr_groups;

static const char *const group_names[MAX_GROUPS] = { "g0", "g1", "g2", "g3" };
static const char *const variant_names[MAX_GROUPS][MAX_VARIANTS] = {
	{ "g0v0", "g0v1", "g0v2" }, { "g1v0", "g1v1", "g1v2" },
	{ "g2v0", "g2v1", "g2v2" }, { "g3v0", "g3v1", "g3v2" },
};

static bool o_in_group(const struct fixup_call_group *g, uintptr_t fn)
{
	unsigned int i;

	if ((uintptr_t)g->generic == fn)
		return true;
	for (i = 0; i < g->nr; i++)
		if (g->variants[i].fn && (uintptr_t)g->variants[i].fn == fn)
			return true;
	return false;
}

/* The first group with fn in it, or -1. */
static int o_group_of(uintptr_t fn)
{
	unsigned int i;

	for (i = 0; i < nr_groups; i++)
		if (o_in_group(&groups[i], fn))
			return i;
	return -1;
}

/* Whether some function of group g is in another group too. */
static bool o_shares(unsigned int g)
{
	unsigned int o, i;

	for (o = 0; o < nr_groups; o++) {
		if (o == g)
			continue;
		if (o_in_group(&groups[o], (uintptr_t)groups[g].generic))
			return true;
		for (i = 0; i < groups[g].nr; i++)
			if (groups[g].variants[i].fn &&
			    o_in_group(&groups[o],
				       (uintptr_t)groups[g].variants[i].fn))
				return true;
	}
	return false;
}

/*
 * Whether name is what the report may call a call to fn of group g: the
 * group's name for its generic function, a variant's for the variant
 * (a group may list one function twice, under two names).
 */
static bool o_call_name(unsigned int g, uintptr_t fn, const char *name)
{
	unsigned int i;

	for (i = 0; i < groups[g].nr; i++)
		if ((uintptr_t)groups[g].variants[i].fn == fn &&
		    !strcmp(groups[g].variants[i].name, name))
			return true;
	return (uintptr_t)groups[g].generic == fn &&
	       !strcmp(groups[g].name, name);
}

static void make_groups(struct input *in)
{
	unsigned int g, v, next = 0;

	nr_groups = below(in, MAX_GROUPS + 1);
	for (g = 0; g < nr_groups; g++) {
		/* Mostly functions of their own; sometimes any slot. */
		groups[g].generic = FN(one_in(in, 8) ? below(in, NR_FN) :
				       next++ % NR_FN);
		groups[g].name = group_names[g];
		groups[g].variants = variants[g];
		groups[g].nr = below(in, MAX_VARIANTS + 1);
		for (v = 0; v < groups[g].nr; v++) {
			struct fixup_call_variant *cv = &variants[g][v];

			if (one_in(in, 4))
				cv->fn = NULL;
			else
				cv->fn = FN(one_in(in, 8) ? below(in, NR_FN) :
					    next++ % NR_FN);
			cv->name = cv->fn ? variant_names[g][v] : "nop";
			cv->needs = one_in(in, 2) ? 0 : 1u << below(in, 21);
			cv->mode = below(in, 3);
		}
	}
}

/* ---- the CPU ---- */

#define F(x)		X86_FEATURE_##x
#define P5		(F(FPU) | F(TSC) | F(CX8) | F(CPUID))
#define P6		(P5 | F(APIC) | F(PGE) | F(CMOV) | F(MMX) | F(FXSR) | F(NOPL))

static const u32 cpu_features[] = {
	F(FPU),					/* 486 */
	P5 | F(MMX),				/* Pentium MMX */
	P6,					/* Pentium II */
	P6 | F(SSE),				/* Pentium III */
	P6 | F(SSE) | F(SSE2) | F(HT),		/* Pentium 4 */
	(P6 | F(SSE) | F(SSE2)) & ~F(NOPL),	/* clearcpuid=nopl */
	P5 | F(MMX) | F(3DNOW),			/* K6-2 */
	P6 | F(MMXEXT) | F(3DNOW) | F(3DNOWEXT),	/* Athlon */
	P6 | F(SSE) | F(MMXEXT) | F(3DNOW) | F(3DNOWEXT),
	P5 | F(MMX),				/* WinChip (OOSTORE below) */
};

static void make_cpu(struct input *in, struct cpuinfo *c)
{
	unsigned int b = byte(in);

	memset(c, 0, sizeof(*c));
	strcpy(c->vendor_name, "fuzz");
	if (b & 1)
		c->features = cpu_features[(b >> 1) %
					   (sizeof(cpu_features) / 4)];
	else
		c->features = word(in) & ((1u << 21) - 1);
	c->bugs = b >> 6;	/* X86_BUG_11AP, X86_BUG_OOSTORE */
	c->family = cpu_has(c, F(NOPL)) ? 6 : 5;
	b = byte(in);		/* the Spectre v2 mode's bits, or both */
	if (b & 1)
		c->features |= F(RETPOLINE);
	if (b & 2)
		c->features |= F(RETPOLINE_LFENCE);
}

/* ---- text, sites and records ---- */

static struct fixup_range text[2];
static unsigned int nr_text;

struct rec {
	bool raw;		/* rel as given, not computed from at */
	s32 rel;
	uintptr_t at;
	u8 kind, len;
};

static struct rec recs[MAX_REC];
static unsigned int nr_recs;

static void add_rec(uintptr_t at, unsigned int kind, unsigned int len)
{
	if (nr_recs < MAX_REC)
		recs[nr_recs++] = (struct rec){ false, 0, at, kind, len };
}

/*
 * Loops over the whole arena are left out of libFuzzer's coverage: they
 * find nothing new, and traced they would take most of the time.
 */
#define NO_COVERAGE	__attribute__((no_sanitize("coverage"), noinline))

/* The filler: mostly odd bytes; sometimes NOPs that join up. */
static NO_COVERAGE void fill(unsigned int seed)
{
	size_t i;

	if (seed & 0x80) {
		memset(arena, 0x90, ARENA);
		return;
	}
	for (i = 0; i < ARENA; i++)
		arena[i] = 0x5a ^ (i * 37) ^ seed;
}

/* The first byte that changed but belongs to no accepted site, or -1. */
static NO_COVERAGE long stray_write(const u8 *owner)
{
	size_t i;

	for (i = 0; i < ARENA; i++)
		if (arena[i] != before[i] && !owner[i])
			return i;
	return -1;
}

static void make_text(struct input *in)
{
	unsigned int r, len, seed = byte(in);
	u8 *start;

	nr_text = one_in(in, 3) ? 1 : 2;
	for (r = 0; r < nr_text; r++) {
		len = 8 + below(in, TEXT_MAX - 8 + 1);
		if (r == 0)
			start = arena + TEXT0_OFF;
		else if (one_in(in, 3))		/* adjacent ranges */
			start = (u8 *)text[0].end;
		else
			start = arena + TEXT1_OFF;
		text[r].start = start;
		text[r].end = start + len;
	}
	fill(seed);
}

/* An address in a text range, and how many bytes follow it there. */
static u8 *text_at(struct input *in, unsigned int *room)
{
	const struct fixup_range *t = &text[below(in, nr_text)];
	size_t size = (const u8 *)t->end - (const u8 *)t->start;
	size_t off = below(in, size);

	*room = size - off;
	return (u8 *)t->start + off;
}

/* One of kind k's forms, or now and then another kind's. */
static const struct oform *pick_form(struct input *in, unsigned int k)
{
	const struct oform *f;
	unsigned int i, n = 0;

	for (i = 0; i < NR_FORMS; i++)
		n += oforms[i].kind == k;
	i = below(in, n);
	for (f = oforms; f < oforms + NR_FORMS; f++)
		if (f->kind == k && !i--)
			break;
	if (one_in(in, 16))		/* another kind's form */
		f = &oforms[below(in, NR_FORMS)];
	return f;
}

/* Bytes that any site kind may hold, and some that it may not. */
static unsigned int build_fixed(struct input *in, unsigned int k, u8 *b)
{
	const struct oform *f = pick_form(in, k);
	unsigned int len = okinds[k].max, i;

	if (f->n > len)
		len = f->n;
	for (i = 0; i < f->n; i++)
		b[i] = o_form_byte(f, i, len);
	if (one_in(in, 16))		/* padding of no set */
		memset(b + f->n, 0x90, len - f->n);
	else
		o_pad(b + f->n, len - f->n, below(in, 2));
	return len;
}

static unsigned int build_modrm(struct input *in, unsigned int k, u8 *b)
{
	const struct oform *f = pick_form(in, k);
	unsigned int i, n, mod, rm, reg, len;

	reg = f->reg >= 0 ? (unsigned int)f->reg :
	      f->reg == HINT ? below(in, 4) : below(in, 8);
	if (one_in(in, 16))
		reg = below(in, 8);
	mod = one_in(in, 16) ? 3 : below(in, 3);
	rm = below(in, 8);
	n = f->n;
	b[n++] = mod << 6 | reg << 3 | rm;
	if (mod != 3 && rm == 4)
		b[n++] = byte(in);
	len = f->n + (mod == 3 ? 1 : o_operand_len(b + f->n, 2));
	while (n < len)
		b[n++] = byte(in);
	for (i = 0; i < f->n; i++)
		b[i] = o_form_byte(f, i, len);
	if (f->n >= 2 && f->b[1] == JMP && one_in(in, 16))
		b[1] ^= 1 + below(in, 255);	/* a jump of the wrong length */
	return len;
}

static unsigned int build_call(struct input *in, u8 *b, const u8 *at)
{
	uintptr_t to;
	s32 rel;

	switch (below(in, 8)) {
	case 0:
		o_pad(b, 5, below(in, 2));
		return 5;
	case 1:
		to = (uintptr_t)FN(below(in, NR_FN));
		break;
	case 2:
		b[0] = 0xe8;
		rel = word(in);
		memcpy(b + 1, &rel, 4);
		return 5;
	default:
		if (nr_groups) {
			const struct fixup_call_group *g =
				&groups[below(in, nr_groups)];
			unsigned int v = below(in, g->nr + 1);

			to = (uintptr_t)(v < g->nr && g->variants[v].fn ?
					 g->variants[v].fn : g->generic);
		} else {
			to = (uintptr_t)FN(0);
		}
		break;
	}
	b[0] = 0xe8;
	rel = (s32)(to - ((uintptr_t)at + 5));
	memcpy(b + 1, &rel, 4);
	return 5;
}

/*
 * A thunk site: a branch to a thunk (of the kind mostly), to another
 * function or anywhere; or another form with a register (esp too), now
 * and then padded with no set.
 */
static unsigned int build_thunk(struct input *in, unsigned int k, u8 *b,
				const u8 *at)
{
	const struct oform *f = pick_form(in, k);
	unsigned int i, r = below(in, 8);
	uintptr_t to;
	s32 rel;

	if (f == o_first(k) || f->kind != k) {
		b[0] = (u8)o_first(k)->b[0];
		if (nr_thunks && !one_in(in, 8))
			to = (uintptr_t)thunks[below(in, nr_thunks)].fn;
		else
			to = (uintptr_t)FN(below(in, NR_FN));
		rel = one_in(in, 16) ? (s32)word(in) :
		      (s32)(to - ((uintptr_t)at + 5));
		memcpy(b + 1, &rel, 4);
		return 5;
	}
	for (i = 0; i < f->n; i++)
		b[i] = (u8)(f->b[i] >= 0x100 ? f->b[i] + r : f->b[i]);
	if (one_in(in, 16))		/* padding of no set */
		memset(b + f->n, 0x90, 5 - f->n);
	else
		o_pad(b + f->n, 5 - f->n, below(in, 2));
	return 5;
}

/* Put a site of kind k in text: its bytes, then its record. */
static void make_site(struct input *in, unsigned int k)
{
	unsigned int room, len, i;
	u8 b[16], *at = text_at(in, &room);

	if (!is_kind(k)) {
		add_rec((uintptr_t)at, k, 1 + below(in, 9));
		return;
	}
	if (okinds[k].shape == O_FIXED)
		len = build_fixed(in, k, b);
	else if (okinds[k].shape == O_MODRM)
		len = build_modrm(in, k, b);
	else if (okinds[k].shape == O_THUNK)
		len = build_thunk(in, k, b, at);
	else
		len = build_call(in, b, at);
	/* The bytes may run past the range: into the arena, never out. */
	for (i = 0; i < len && at + i < arena + ARENA; i++)
		at[i] = b[i];
	if (one_in(in, 16))
		len = below(in, 16);	/* the record lies about the length */
	add_rec((uintptr_t)at, k, len);
}

static unsigned int pick_kind(struct input *in)
{
	unsigned int b = byte(in);

	return b < 240 ? 1 + b % (FIXUP_NR_KINDS - 1) : byte(in);
}

static void make_table(struct input *in)
{
	unsigned int n = 0, i, j, room;
	struct rec t;

	nr_recs = 0;
	while (in->n && nr_recs < MAX_REC && n++ < 4 * MAX_REC) {
		switch (below(in, 16)) {
		default:
			make_site(in, pick_kind(in));
			break;
		case 10:		/* a duplicate, maybe resized */
			if (!nr_recs)
				break;
			t = recs[below(in, nr_recs)];
			if (one_in(in, 2))
				t.len = below(in, 16);
			if (nr_recs < MAX_REC)
				recs[nr_recs++] = t;
			break;
		case 11:		/* anywhere in text, any kind and length */
			add_rec((uintptr_t)text_at(in, &room), pick_kind(in),
				below(in, 16));
			break;
		case 12: {		/* at an edge of a range, or outside */
			const struct fixup_range *r = &text[below(in, nr_text)];
			uintptr_t at;

			switch (below(in, 4)) {
			case 0:
				at = (uintptr_t)r->start - below(in, 9);
				break;
			case 1:
				at = (uintptr_t)r->end - below(in, 10);
				break;
			case 2:
				at = (uintptr_t)FN(below(in, NR_FN));
				break;
			default:
				if (nr_recs < MAX_REC)
					recs[nr_recs++] = (struct rec){
						true, (s32)word(in), 0,
						pick_kind(in), below(in, 16) };
				continue;
			}
			add_rec(at, pick_kind(in), below(in, 16));
			break;
		}
		case 13:		/* out of order */
			if (nr_recs < 2)
				break;
			i = below(in, nr_recs);
			j = below(in, nr_recs);
			t = recs[i];
			recs[i] = recs[j];
			recs[j] = t;
			break;
		case 14: {		/* a stray byte in text */
			u8 *at = text_at(in, &room);

			*at = byte(in);
			break;
		}
		}
	}
}

static struct fixup_site *table(void)
{
	return (struct fixup_site *)(arena + REC_OFF);
}

static void write_table(void)
{
	struct fixup_site *t = table();
	unsigned int i;

	for (i = 0; i < nr_recs; i++) {
		const struct rec *r = &recs[i];

		t[i].rel = r->raw ? r->rel :
			   (s32)(r->at - (uintptr_t)&t[i].rel);
		t[i].kind = r->kind;
		t[i].len = r->len;
	}
}

/* ---- one pass, watched ---- */

struct decision {
	int seen;		/* hook calls for this record */
	bool accepted;
	const char *why;	/* rejected: the reason */
	uintptr_t site;
	unsigned int len;
	u8 old[16], new[16];
	const char *variant;
};

static struct decision dec[2][MAX_REC];
static int pass_no;
static unsigned int rejects, debugs;

static unsigned int rec_index(const struct fixup_site *rec)
{
	ptrdiff_t i = rec - table();

	if (i < 0 || (size_t)i >= nr_recs || rec != table() + i)
		fail("a hook got record %p, not one of the table", (void *)rec);
	return i;
}

static uintptr_t rec_site(const struct fixup_site *rec)
{
	return (uintptr_t)&rec->rel + (uintptr_t)(long)rec->rel;
}

static void on_reject(void *ctx, const struct fixup_site *rec,
		      const u8 *site, unsigned int kind, const char *why)
{
	struct decision *d = &dec[pass_no][rec_index(rec)];

	(void)ctx;
	rejects++;
	if (d->seen++)
		fail("record %u decided twice", rec_index(rec));
	if ((uintptr_t)site != rec_site(rec) || kind != rec->kind || !why)
		fail("reject hook: site, kind or reason wrong for record %u",
		     rec_index(rec));
	d->why = why;
}

static void on_debug(void *ctx, const struct fixup_site *rec, const u8 *site,
		     unsigned int kind, const u8 *old, const u8 *new,
		     unsigned int len, const char *variant)
{
	struct decision *d = &dec[pass_no][rec_index(rec)];

	(void)ctx;
	debugs++;
	if (d->seen++)
		fail("record %u decided twice", rec_index(rec));
	if ((uintptr_t)site != rec_site(rec) || kind != rec->kind ||
	    len != rec->len || old != site || len > 16)
		fail("debug hook: site, kind or length wrong for record %u",
		     rec_index(rec));
	d->accepted = true;
	d->site = (uintptr_t)site;
	d->len = len;
	memcpy(d->old, old, len);
	memcpy(d->new, new, len);
	d->variant = variant;
}

/* ---- the model of checks 1-7 ---- */

static u8 model_taken[ARENA];

static bool in_one_range(uintptr_t a, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < nr_text; i++) {
		uintptr_t s = (uintptr_t)text[i].start;
		uintptr_t e = (uintptr_t)text[i].end;

		if (a >= s && a < e && len <= e - a)
			return true;
	}
	return false;
}

/* What Documentation/fixup-sites.md says the pass decides: NULL, accept. */
static const char *model(unsigned int i, bool room)
{
	const struct fixup_site *r = &table()[i];
	uintptr_t a = rec_site(r);
	unsigned int k = r->kind, len = r->len, j;
	bool overlap = false;
	const u8 *b;
	int g;

	if (!room)
		return "no room to check overlaps";
	if (!is_kind(k))
		return "unknown kind";
	if (len < okinds[k].min || len > okinds[k].max)
		return "bad length";
	if (!in_one_range(a, len))
		return "outside text";
	/* The pass has run: what the site held is in before[]. */
	b = before + ((const u8 *)a - arena);
	for (j = 0; j < len; j++) {
		size_t o = b + j - before;

		if (model_taken[o])
			overlap = true;
		model_taken[o] = 1;
	}
	if (overlap)
		return "overlaps another site";
	if (okinds[k].shape == O_THUNK) {
		unsigned int reg;
		int t;

		if (b[0] == (u8)o_first(k)->b[0] &&
		    !o_thunk_form(k, b, a, 3, &reg, &t))
			return "branch target not a thunk of its kind";
		if (!o_thunk_form(k, b, a, 3, &reg, &t))
			return "bytes not a variant";
		if (reg == 4)
			return "branch through esp";
		if (o_thunk_reg(k, reg) < 0)
			return "no thunk of its kind for the register";
		return NULL;
	}
	if (okinds[k].shape != O_CALL)
		return o_form(k, b, len, 3) ? NULL : "bytes not a variant";
	if (b[0] != 0xe8 && !o_is_nop5(b, 3))
		return "bytes not a variant";
	if (b[0] != 0xe8)
		return NULL;
	g = o_group_of(o_call_target(b, a));
	if (g < 0)
		return "call target not in a group";
	if (o_shares(g))
		return "call group shares a function";
	return NULL;
}

/* ---- the checks of one pass ---- */

static u32 cpu_features_now;	/* the pass's CPU: the rules read it */

static u8 owner[ARENA];		/* 1 + the accepted record owning a byte */

static void check_site(unsigned int i, const struct decision *d, bool p6)
{
	const struct fixup_site *r = &table()[i];
	unsigned int k = r->kind, len = d->len, sets = p6 ? 2 : 1;
	const u8 *now = (const u8 *)d->site;
	const struct oform *of, *nf;

	if (memcmp(now, d->new, len))
		fail("record %u: the site is not what the debug hook said",
		     i);
	if (memcmp(d->old, before + (now - arena), len))
		fail("record %u: the debug hook's old bytes are not the site",
		     i);
	if (okinds[k].shape == O_CALL) {
		uintptr_t to;
		int g;

		if (d->old[0] != 0xe8) {
			if (!o_is_nop5(d->old, 3) || !o_is_nop5(now, sets) ||
			    strcmp(d->variant, "nop"))
				fail("record %u: a vanished call did not stay "
				     "a NOP of the CPU's set", i);
			return;
		}
		g = o_group_of(o_call_target(d->old, d->site));
		if (g < 0)
			fail("record %u: a call outside the groups accepted",
			     i);
		if (now[0] != 0xe8) {
			unsigned int v;

			for (v = 0; v < groups[g].nr; v++)
				if (!groups[g].variants[v].fn)
					break;
			if (v == groups[g].nr || !o_is_nop5(now, sets) ||
			    strcmp(d->variant, "nop"))
				fail("record %u: call became a NOP wrongly", i);
			return;
		}
		to = o_call_target(now, d->site);
		if (o_group_of(to) != g || !d->variant ||
		    !o_call_name(g, to, d->variant))
			fail("record %u: call now leaves its group %d", i, g);
		return;
	}
	if (okinds[k].shape == O_THUNK) {
		unsigned int oreg, nreg;
		int ot, nt;

		of = o_thunk_form(k, d->old, d->site, 3, &oreg, &ot);
		nf = o_thunk_form(k, now, d->site, sets, &nreg, &nt);
		if (!of || !nf || oreg != nreg)
			fail("record %u: thunk site %s (reg %u) became %s "
			     "(reg %u)", i, of ? of->name : "?", oreg,
			     nf ? nf->name : "no form", nreg);
		if (strcmp(nf->name, o_thunk_rule(k, cpu_features_now)) ||
		    strcmp(d->variant, nf->name))
			fail("record %u: thunk site became %s, reported %s; "
			     "the rule says %s", i, nf->name, d->variant,
			     o_thunk_rule(k, cpu_features_now));
		/*
		 * a branch to a thunk of (kind, reg) stays as it is; another
		 * form becomes a branch to the first thunk of (kind, reg)
		 */
		if (nt >= 0 && (ot >= 0 ? memcmp(now, d->old, 5) != 0 :
				nt != o_thunk_reg(k, nreg)))
			fail("record %u: branch to thunk %d: not the one it "
			     "had, or not the first of its kind and register",
			     i, nt);
		return;
	}
	of = o_form(k, d->old, len, 3);
	nf = o_form(k, now, len, okinds[k].shape == O_FIXED ? sets : 3);
	if (!of)
		fail("record %u: accepted, but kind %s did not hold a form",
		     i, okinds[k].name);
	if (!nf)
		fail("record %u: kind %s now holds no form (padded with the "
		     "CPU's NOPs)", i, okinds[k].name);
	if (!d->variant || strcmp(d->variant, nf->name))
		fail("record %u: variant %s, but the site holds %s", i,
		     d->variant ? d->variant : "(null)", nf->name);
	if (okinds[k].shape == O_MODRM) {
		unsigned int h = nf->n;

		if ((now[h] & 0xc7) != (d->old[h] & 0xc7) ||
		    memcmp(now + h + 1, d->old + h + 1, len - h - 1))
			fail("record %u: the memory operand changed", i);
		if (nf->reg < 0 && (now[h] ^ d->old[h]) & 0x38)
			fail("record %u: the reg field of %s changed", i,
			     nf->name);
	}
}

static void check_pass(const struct fixup_stats *st, bool p6, bool room)
{
	const struct oform *chosen[FIXUP_NR_KINDS] = { 0 };
	const char *name[FIXUP_NR_KINDS] = { 0 };
	u32 acc[FIXUP_NR_KINDS] = { 0 }, rej[FIXUP_NR_KINDS] = { 0 };
	u32 patched = 0, unchanged = 0, nacc = 0, k;
	unsigned int i, j;
	long stray;
	size_t o;

	memset(model_taken, 0, sizeof(model_taken));
	memset(owner, 0, sizeof(owner));
	for (i = 0; i < nr_recs; i++) {
		const struct decision *d = &dec[pass_no][i];
		const char *why = model(i, room);
		unsigned int kind = table()[i].kind;

		if (d->seen != 1)
			fail("record %u: decided %d times", i, d->seen);
		if (!why != d->accepted || (why && strcmp(why, d->why)))
			fail("record %u (kind %u, len %u, at offset %td): "
			     "pass says %s, the doc says %s", i, kind,
			     table()[i].len,
			     (const u8 *)rec_site(&table()[i]) - arena,
			     d->accepted ? "accept" : d->why,
			     why ? why : "accept");
		if (!d->accepted) {
			if (is_kind(kind))
				rej[kind]++;
			continue;
		}
		nacc++;
		acc[kind]++;
		if (!in_one_range(d->site, d->len))
			fail("record %u: accepted outside text", i);
		o = (const u8 *)d->site - arena;
		for (j = 0; j < d->len; j++) {
			if (owner[o + j])
				fail("records %u and %u: accepted, both have "
				     "byte %zu", owner[o + j] - 1, i, o + j);
			owner[o + j] = i + 1;
		}
		if (memcmp(d->old, d->new, d->len))
			patched++;
		else
			unchanged++;
		check_site(i, d, p6);
		if (okinds[kind].shape == O_FIXED ||
		    okinds[kind].shape == O_MODRM) {
			const struct oform *f = o_form(kind, d->new, d->len, 3);

			if (chosen[kind] && chosen[kind] != f)
				fail("kind %s: sites became %s and %s",
				     okinds[kind].name, chosen[kind]->name,
				     f->name);
			chosen[kind] = f;
		}
		if (!name[kind])
			name[kind] = d->variant;
		else if (strcmp(name[kind], d->variant))
			name[kind] = "mixed";
	}
	if ((stray = stray_write(owner)) >= 0)
		fail("byte %ld outside every accepted site changed: "
		     "%02x -> %02x", stray, before[stray], arena[stray]);
	if (st->sites != nr_recs || st->rejected != rejects ||
	    debugs != nacc || st->sites != st->patched + st->unchanged +
	    st->rejected || st->patched != patched || st->unchanged != unchanged)
		fail("counts: sites %u patched %u unchanged %u rejected %u; "
		     "records %u, accepted %u (%u patched), reject hook %u",
		     st->sites, st->patched, st->unchanged, st->rejected, nr_recs,
		     nacc, patched, rejects);
	for (k = 0; k < FIXUP_NR_KINDS; k++) {
		const struct fixup_kind_stats *ks = &st->kind[k];

		if (ks->sites != acc[k] || ks->sites != ks->patched + ks->unchanged ||
		    ks->rejected != rej[k])
			fail("kind %u: sites %u patched %u unchanged %u rejected %u; "
			     "accepted %u rejected %u", k, ks->sites,
			     ks->patched, ks->unchanged, ks->rejected, acc[k],
			     rej[k]);
		if (!name[k] != !ks->variant ||
		    (name[k] && strcmp(name[k], ks->variant)))
			fail("kind %u: variant %s, the sites say %s", k,
			     ks->variant ? ks->variant : "(none)",
			     name[k] ? name[k] : "(none)");
	}
}

static void run_pass(const struct fixup_env *env, struct fixup_stats *st,
		     int no, bool room)
{
	pass_no = no;
	memset(dec[no], 0, sizeof(dec[no]));
	rejects = debugs = 0;
	memcpy(before, arena, ARENA);
	/* The scratch's contents on entry must not matter. */
	memset(env->taken, no ? 0xff : 0x5a, env->taken_size);
	fixup_apply(table(), table() + nr_recs, env, st);
	cpu_features_now = env->cpu->features;
	check_pass(st, cpu_has(env->cpu, X86_FEATURE_NOPL), room);
}

/* ---- the kept sites ---- */

static u8 kept_room[fixup_keep_room(MAX_REC)] __aligned(8);
static uintptr_t named[MAX_REC];
static unsigned int nr_named;

static void on_neither(uintptr_t addr)
{
	if (nr_named < MAX_REC)
		named[nr_named++] = addr;
}

/*
 * After the first pass kept k (in mode smp) and the second wrote
 * nothing: the loop to the other mode must write what a pass in that
 * mode writes from the same start, every byte of it, and back again the
 * first pass's bytes; a kept site that holds neither form is named and
 * left alone. The other pass runs last, from orig[].
 */
static void check_kept(struct input *in, const struct fixup_kept *k,
		       struct fixup_env *env)
{
	static u8 looped[ARENA];
	struct fixup_counts st = { 0 };
	struct fixup_stats other;
	bool smp = env->smp;
	unsigned int i;
	u8 *site;

	for (i = 0; i < k->nr; i++) {
		const struct decision *d = NULL;
		unsigned int j;

		for (j = 0; j < nr_recs && !d; j++)
			if (dec[0][j].accepted &&
			    dec[0][j].site == k->sites[i].addr)
				d = &dec[0][j];
		if (!d || d->len != k->sites[i].len)
			fail("kept site %u is not an accepted site", i);
	}
	fixup_kept_write(k, !smp, 0, &st);
	if (st.sites != k->nr || st.patched != k->nr)
		fail("loop to the other mode: %u of %u kept sites written",
		     st.patched, k->nr);
	memcpy(looped, arena, ARENA);
	memset(&st, 0, sizeof(st));
	fixup_kept_write(k, smp, 0, &st);
	if (st.patched != k->nr || memcmp(arena, after1, ARENA))
		fail("loop and back: not the first pass's bytes");
	if (k->nr) {
		/* one kept site changed behind the kernel's back */
		i = below(in, k->nr);
		site = (u8 *)k->sites[i].addr;
		site[0] = 0xcc;
		while (site[0] == after1[site - arena] ||
		       site[0] == looped[site - arena])
			site[0]++;
		memcpy(before, arena, ARENA);
		memset(&st, 0, sizeof(st));
		nr_named = 0;
		fixup_kept_write(k, !smp, 0, &st);
		fixup_kept_report(k, !smp, on_neither);
		if (st.rejected != 1 || nr_named != 1 ||
		    named[0] != (uintptr_t)site || site[0] != before[site - arena])
			fail("a kept site holding neither form: %u rejected, "
			     "%u named, or it was written", st.rejected,
			     nr_named);
	}
	memcpy(arena, orig, ARENA);
	env->smp = !smp;
	env->hooks = NULL;
	fixup_apply(table(), table() + nr_recs, env, &other);
	for (i = 0; i < ARENA; i++)
		if (arena[i] != looped[i])
			fail("byte %u: the loop to the other mode wrote %02x, a "
			     "pass in that mode %02x", i, looped[i], arena[i]);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct fixup_hooks hooks = { .reject = on_reject,
				     .debug = on_debug };
	struct fixup_stats st1, st2;
	struct fixup_keeping keeping;
	struct cpuinfo cpu;
	struct fixup_env env;
	size_t need;
	bool room, keep;
	unsigned int i;

	make_cpu(&in, &cpu);
	memset(&env, 0, sizeof(env));
	env.cpu = &cpu;
	env.smp = byte(&in) & 1;
	make_text(&in);
	make_groups(&in);
	make_thunks(&in);
	make_table(&in);
	write_table();

	env.text = text;
	env.nr_text = nr_text;
	env.calls = groups;
	env.nr_calls = nr_groups;
	env.thunks = thunks;
	env.nr_thunks = nr_thunks;
	env.hooks = &hooks;
	need = fixup_taken_size(text, nr_text);
	room = !one_in(&in, 64);
	keep = one_in(&in, 2);
	if (keep) {
		fixup_keep_begin(&keeping, kept_room, sizeof(kept_room),
				 nr_recs, arena, arena + ARENA);
		hooks.ctx = &keeping;
		hooks.mode_dependent = fixup_keep_site;
	}
	/* Exactly what it asks for, on the heap: ASan sees a byte more. */
	env.taken_size = room ? need : need - 1 - below(&in, need);
	env.taken = malloc(env.taken_size ? env.taken_size : 1);
	if (!env.taken)
		fail("out of memory");

	memcpy(orig, arena, ARENA);
	run_pass(&env, &st1, 0, room);
	memcpy(after1, arena, ARENA);
	hooks.mode_dependent = NULL;
	run_pass(&env, &st2, 1, room);
	if (memcmp(arena, after1, ARENA) || st2.patched)
		fail("the second pass wrote (%u sites patched)", st2.patched);
	for (i = 0; i < nr_recs; i++) {
		const struct decision *a = &dec[0][i], *b = &dec[1][i];

		if (a->accepted != b->accepted ||
		    (!a->accepted && strcmp(a->why, b->why)))
			fail("record %u: the second pass decided %s, the "
			     "first %s", i, b->accepted ? "accept" : b->why,
			     a->accepted ? "accept" : a->why);
	}
	if (keep) {
		fixup_keep_done(&keeping);
		if (keeping.full)
			fail("the kept table's room was too small");
		check_kept(&in, keeping.kept, &env);
	}
	free(env.taken);
	return 0;
}

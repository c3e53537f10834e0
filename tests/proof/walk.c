/*
 * Eva harness for the walk, fixup_apply() (arch/i386/fixup/patcher.c),
 * and the keeping hook it calls, fixup_keep_site() (kept.c): any table
 * of NR_RECS records over one or two text ranges of TEXT_LEN bytes
 * each, any kind byte, length and site bytes, any CPU features and
 * errata, either mode, with and without call groups and thunks, and
 * what a caller may get wrong: a taken[] too small, text ranges that
 * overlap, a keeping room too small or for fewer sites than are kept.
 * Three ways of calling it: no hooks, the reporting hooks, the keeping
 * hook. Eva must find no alarm.
 *
 * Table and text are one array, mem[], as the kernel's are one address
 * space: a record's site, &rel + rel, is then an offset in mem[] that
 * Eva follows exactly, where two arrays would make it a "garbled" mix of
 * two addresses. The records point anywhere from SLACK bytes before the
 * first text range to SLACK bytes after the last: into text, across its
 * ends, between the ranges; mem[] has room around them, so that every
 * such site is a valid address. The functions of the call groups and
 * the thunks are NR_FNS addresses after the text, where a site's branch
 * may go. Eva checks that no access leaves its object; that the walk
 * writes only inside accepted sites is WP's matter.
 *
 * The bounds, and why they are enough. The walk decides each record on
 * its own, against the text ranges, the bits that earlier records took
 * in taken[] and the catalogue: what a record can meet is a free or a
 * taken byte at each place of its site, so two records can meet in
 * every way a larger table can (overlapping at any offset, in either
 * order), and the later records of a 4-record table meet any mix of
 * taken and free bytes that earlier ones left. A site is at most
 * FIXUP_MAX_LEN (15) bytes, so text ranges of 32 bytes hold sites
 * wholly inside, across either end, and two apart, and 8 of their bits
 * span every way a site's bits fall into taken[]'s bytes. Two ranges
 * give a second range's bits their offset in taken[]; more ranges
 * repeat that. Two call groups of two variants (and a NULL variant, a
 * call that vanishes) are enough for a function in two groups, and
 * three thunks for a first match ahead of a later one; every other
 * field (kind, length, bytes, features, mode, register) takes all its
 * values. The loops of the walk are over these counts only.
 *
 * The kind byte is split into its values, and a checked length into
 * the kind's lengths, by annotations in patcher.c (patch(),
 * check_record(), which scripts/proof has Frama-C inline); the NOP
 * padding and write_site() are taken by their contracts, which the WP
 * parts prove.
 */
#include "__fc_builtin.h"
#include "__fc_string_axiomatic.h"
#include "internal.h"

#define NR_RECS		4
#define TEXT_LEN	32
#define SLACK		16	/* > FIXUP_MAX_LEN: a site wholly outside */
#define TABLE_AT	0
#define TEXT0_AT	64
#define TEXT1_AT	(TEXT0_AT + TEXT_LEN + SLACK)
#define FN_AT		(TEXT1_AT + TEXT_LEN + SLACK)
#define NR_FNS		4
#define MEM_SIZE	(FN_AT + NR_FNS + SLACK)
#define NR_THUNKS	3

static u8 mem[MEM_SIZE];
static u8 taken[2 * TEXT_LEN / 8];
static struct cpuinfo cpu;
static struct fixup_range text[2];
static struct fixup_call_variant variants[2][2];
static struct fixup_call_group calls[2];
static struct fixup_thunk thunks[NR_THUNKS];
static struct fixup_hooks hooks;
static struct fixup_stats st;
static volatile u8 sink;

/* Rooms for the kept sites of NR_RECS records, and of none. */
static u8 room[fixup_keep_room(NR_RECS)];
static u8 room_none[fixup_keep_room(0)];
static struct fixup_keeping keeping;

/*
 * The string functions: memset(), memcpy() and memmove() in C, byte by
 * byte, with the effect of arch/i386/lib/string.c's assembly (Eva then
 * checks every byte they touch); memcmp() and strcmp() by contracts
 * whose preconditions Eva checks. strcmp() compares names, string
 * literals: both must be strings.
 */
/*@ requires valid_read_string(a) && valid_read_string(b);
    assigns \result \from indirect:a[0 ..], indirect:b[0 ..];
 */
int strcmp(const char *a, const char *b);

/*@ requires \valid_read((const u8 *)a + (0 .. n - 1));
    requires \valid_read((const u8 *)b + (0 .. n - 1));
    assigns \result \from ((const u8 *)a)[0 .. n - 1],
			  ((const u8 *)b)[0 .. n - 1];
 */
int memcmp(const void *a, const void *b, size_t n);

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (u8)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = s[i];
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	size_t i;

	if (d <= s) {
		for (i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		for (i = n; i > 0; i--)
			d[i - 1] = s[i - 1];
	}
	return dst;
}

void fixup_serialize(const struct cpuinfo *c)
{
	(void)c;
}

/* A rejected record's site may be anywhere: the hook must not read it. */
static void on_reject(void *ctx, const struct fixup_site *rec,
		      const u8 *site, unsigned int kind, const char *reason)
{
	(void)ctx;
	(void)rec;
	(void)site;
	(void)kind;
	sink = reason[0];
}

/* An accepted site's bytes and its plan: all of them read. */
static void on_debug(void *ctx, const struct fixup_site *rec, const u8 *site,
		     unsigned int kind, const u8 *old, const u8 *new,
		     unsigned int len, const char *variant)
{
	unsigned int i;

	(void)ctx;
	(void)rec;
	(void)site;
	(void)kind;
	for (i = 0; i < len; i++)
		sink = old[i] ^ new[i];
	sink = variant[0];
}

static void *any_fn(void)
{
	return mem + FN_AT + Frama_C_interval(0, NR_FNS - 1);
}

/* Records: any kind and length, sites from SLACK before text to after. */
static void make_table(void)
{
	unsigned int i;

	Frama_C_make_unknown((char *)mem, MEM_SIZE);
	for (i = 0; i < NR_RECS; i++) {
		struct fixup_site *r = (struct fixup_site *)(mem + TABLE_AT) + i;
		long at = Frama_C_interval(TEXT0_AT - SLACK,
					   TEXT1_AT + TEXT_LEN + SLACK - 1);

		r->rel = (s32)(at - (long)((u8 *)&r->rel - mem));
		r->kind = Frama_C_interval(0, 255);
		r->len = Frama_C_interval(0, 255);
	}
}

/*
 * Two call groups of up to two variants, which may share a function or
 * be a NULL one (the call vanishes); thunks of any kind and register.
 */
static void make_targets(void)
{
	unsigned int g, v, t;

	for (g = 0; g < 2; g++) {
		for (v = 0; v < 2; v++) {
			variants[g][v].fn = Frama_C_nondet_ptr(NULL, any_fn());
			variants[g][v].name = "variant";
			variants[g][v].needs =
				Frama_C_unsigned_int_interval(0, ~0u);
			variants[g][v].mode = Frama_C_interval(0, 2);
		}
		calls[g].generic = any_fn();
		calls[g].name = "generic";
		calls[g].variants = variants[g];
		calls[g].nr = Frama_C_interval(0, 2);
	}
	for (t = 0; t < NR_THUNKS; t++) {
		thunks[t].fn = any_fn();
		thunks[t].kind = Frama_C_interval(0, 255);
		thunks[t].reg = Frama_C_interval(0, 255);
	}
}

/*
 * The keeping hook, fixup_keep_site(), with a room for every record, of
 * its size or any size smaller (too small: nothing may be kept), or a
 * room for no record (more sites to keep than the room was made for).
 * The sites kept are those of the first text range. Each room and size
 * is analysed on its own: joined, the room's head would no longer tell
 * whether it was written.
 */
static void keep(struct fixup_env *env, const struct fixup_site *start)
{
	int which = Frama_C_interval(0, 2);

	/*@ split which; */
	if (which == 0)
		fixup_keep_begin(&keeping, room, sizeof(room), NR_RECS,
				 mem + TEXT0_AT, mem + TEXT0_AT + TEXT_LEN);
	else if (which == 1)
		fixup_keep_begin(&keeping, room,
				 Frama_C_interval(0, sizeof(room) - 1),
				 NR_RECS, mem + TEXT0_AT,
				 mem + TEXT0_AT + TEXT_LEN);
	else
		fixup_keep_begin(&keeping, room_none, sizeof(room_none), 0,
				 mem + TEXT0_AT, mem + TEXT0_AT + TEXT_LEN);
	hooks.mode_dependent = fixup_keep_site;
	hooks.ctx = &keeping;
	env->hooks = &hooks;
	fixup_apply(start, start + NR_RECS, env, &st);
	sink = (u8)fixup_keep_done(&keeping);
}

int main(void)
{
	struct fixup_env env = { 0 };
	const struct fixup_site *start = (struct fixup_site *)(mem + TABLE_AT);
	int shape, off;

	make_table();
	make_targets();
	cpu.features = Frama_C_unsigned_int_interval(0, ~0u);
	cpu.bugs = Frama_C_unsigned_int_interval(0, ~0u);

	/*
	 * One text range, two apart, or two that overlap (a caller's
	 * mistake), the second starting anywhere from 31 bytes before the
	 * first to 31 after. Each shape and offset is analysed on its own:
	 * joined, the ranges' starts and ends would no longer be TEXT_LEN
	 * apart.
	 */
	shape = Frama_C_interval(0, 2);
	/*@ split shape; */
	off = Frama_C_interval(1 - TEXT_LEN, TEXT_LEN - 1);
	text[0].start = mem + TEXT0_AT;
	text[0].end = mem + TEXT0_AT + TEXT_LEN;
	text[1].start = mem + TEXT1_AT;
	if (shape == 2) {
		/*@ split off; */
		text[1].start = mem + TEXT0_AT + off;
	}
	text[1].end = (const u8 *)text[1].start + TEXT_LEN;

	env.cpu = &cpu;
	env.smp = Frama_C_nondet(0, 1);
	env.text = text;
	env.nr_text = shape ? 2 : 1;
	env.calls = calls;
	env.nr_calls = Frama_C_interval(0, 2);
	env.thunks = thunks;
	env.nr_thunks = Frama_C_interval(0, NR_THUNKS);
	env.taken = taken;
	env.taken_size = Frama_C_interval(0, sizeof(taken));
	hooks.reject = on_reject;
	hooks.debug = on_debug;

	/* Each way of calling it analysed on its own. */
	switch (Frama_C_interval(0, 2)) {
	case 0:				/* no hooks */
		fixup_apply(start, start + NR_RECS, &env, &st);
		break;
	case 1:				/* reporting */
		env.hooks = &hooks;
		fixup_apply(start, start + NR_RECS, &env, &st);
		break;
	default:			/* keeping for a CPU hot-add */
		keep(&env, start);
		break;
	}
	return 0;
}

/*
 * Eva harness for the walk, fixup_apply() (arch/i386/fixup/patcher.c):
 * any table of NR_RECS records over one or two text ranges of TEXT_LEN
 * bytes each, any kind byte, length and site bytes, any CPU features and
 * errata, either mode, with and without call groups and hooks, and what a
 * caller may get wrong: a taken[] too small, text ranges that overlap.
 * Eva must find no alarm. The bounds, and why they are enough:
 * Documentation/proof.md ("The walk under Eva").
 *
 * Table and text are one array, mem[], as the kernel's are one address
 * space: a record's site, &rel + rel, is then an offset in mem[] that
 * Eva follows exactly, where two arrays would make it a "garbled" mix of
 * two addresses. The records point anywhere from SLACK bytes before the
 * first text range to SLACK bytes after the last: into text, across its
 * ends, between the ranges, into the table; mem[] has room around them,
 * so that every such site is a valid address. Eva checks that no access
 * leaves its object; that the walk writes only inside accepted sites is
 * not what Eva shows here (Documentation/proof.md, "Not yet proven").
 *
 * The kind byte is split into its 256 values, and a checked length into
 * the kind's lengths, by annotations in patcher.c (patch(),
 * check_record(), which scripts/proof has Frama-C inline); the NOP
 * padding and write_site() are taken by their contracts, which the WP
 * parts prove.
 */
#include "__fc_builtin.h"
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

static u8 mem[MEM_SIZE];
static u8 taken[2 * TEXT_LEN / 8];
static struct cpuinfo cpu;
static struct fixup_range text[2];
static struct fixup_call_variant variants[2][2];
static struct fixup_call_group calls[2];
static struct fixup_hooks hooks;
static struct fixup_stats st;
static volatile u8 sink;

/*
 * The string functions: memset() as arch/i386/lib/string.c's assembly
 * does it; memcmp() and strcmp() by contracts whose preconditions Eva
 * checks. strcmp() compares the names of forms and variants, literals,
 * in named() and note_variant(): Eva cannot follow which two literals
 * meet there, so only their first bytes are checked.
 */
/*@ requires \valid_read(a) && \valid_read(b);
    assigns \result \from a[0 .. 15], b[0 .. 15];
 */
int strcmp(const char *a, const char *b);

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	while (n--)
		*d++ = (u8)c;
	return dst;
}

/*@ requires \valid_read((const u8 *)a + (0 .. n - 1));
    requires \valid_read((const u8 *)b + (0 .. n - 1));
    assigns \result \from ((const u8 *)a)[0 .. n - 1],
			  ((const u8 *)b)[0 .. n - 1];
 */
int memcmp(const void *a, const void *b, size_t n);

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

/* An accepted site's bytes and its plan: all of them read, and set. */
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

static void on_mode_dependent(void *ctx, const struct fixup_site *rec,
			      const u8 *site, const u8 *up, const u8 *smp)
{
	unsigned int i;

	(void)ctx;
	for (i = 0; i < rec->len; i++)
		sink = site[i] ^ up[i] ^ smp[i];
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

/* Two call groups of up to two variants, which may share a function. */
static void make_calls(void)
{
	unsigned int g, v;

	for (g = 0; g < 2; g++) {
		for (v = 0; v < 2; v++) {
			variants[g][v].fn = Frama_C_nondet(0, 1) ?
					    NULL : any_fn();
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
}

int main(void)
{
	struct fixup_env env = { 0 };
	const struct fixup_site *start = (struct fixup_site *)(mem + TABLE_AT);

	make_table();
	make_calls();
	cpu.features = Frama_C_unsigned_int_interval(0, ~0u);
	cpu.bugs = Frama_C_unsigned_int_interval(0, ~0u);
	text[0].start = mem + TEXT0_AT;
	text[0].end = mem + TEXT0_AT + TEXT_LEN;
	/* the second range apart, or (a caller's mistake) overlapping */
	text[1].start = mem + (Frama_C_nondet(0, 1) ? TEXT1_AT :
			       TEXT0_AT + Frama_C_interval(0, TEXT_LEN - 1));
	text[1].end = (const u8 *)text[1].start + TEXT_LEN;
	hooks.reject = on_reject;
	hooks.debug = on_debug;

	env.cpu = &cpu;
	env.smp = Frama_C_nondet(0, 1);
	env.text = text;
	env.nr_text = Frama_C_interval(1, 2);
	env.calls = calls;
	env.nr_calls = Frama_C_interval(0, 2);
	env.taken = taken;
	env.taken_size = Frama_C_interval(0, sizeof(taken));

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
		hooks.mode_dependent = on_mode_dependent;
		env.hooks = &hooks;
		fixup_apply(start, start + NR_RECS, &env, &st);
		break;
	}
	return 0;
}

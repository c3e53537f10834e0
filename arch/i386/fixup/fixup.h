/*
 * The boot-time patcher: one walk over .fixup_sites that validates each
 * record and rewrites its site for the CPU and CPU count found.
 * Record format and byte forms: Documentation/fixup-sites.md.
 *
 * The first half is what the kernel glue (command line, report) uses;
 * the second half is shared by apply.c, kinds.c and nops.c only.
 */
#ifndef ARCH_I386_FIXUP_FIXUP_H
#define ARCH_I386_FIXUP_FIXUP_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <asm/fixup.h>
#include <asm/cpufeature.h>

/* Where sites may be: [start, end). */
struct fixup_range {
	const void *start;
	const void *end;
};

/*
 * Optional callbacks; either may be NULL. For a rejected record, site is
 * computed from rel and may point anywhere: print it, never read it.
 * debug() sees every accepted site just before it is written: old is
 * the site itself, new a copy of what it becomes (equal when kept).
 */
struct fixup_hooks {
	void *ctx;
	void (*reject)(void *ctx, const struct fixup_site *rec,
		       const u8 *site, unsigned int kind, const char *reason);
	void (*debug)(void *ctx, const struct fixup_site *rec,
		      const u8 *site, unsigned int kind, const u8 *old,
		      const u8 *new, unsigned int len, const char *variant);
};

struct fixup_env {
	const struct cpuinfo *cpu;	/* features after clearcpuid= */
	bool smp;			/* choose SMP variants */
	const struct fixup_range *text;	/* kernel: .text and .init.text */
	unsigned int nr_text;
	const struct fixup_call_group *calls;
	unsigned int nr_calls;
	const struct fixup_hooks *hooks;	/* may be NULL */
};

struct fixup_kind_stats {
	u32 sites;		/* accepted records: patched + kept */
	u32 patched;		/* bytes changed */
	u32 kept;		/* already the chosen variant */
	u32 rejected;
	const char *variant;	/* chosen variant, "mixed", NULL: no sites */
};

struct fixup_stats {
	struct fixup_kind_stats kind[FIXUP_NR_KINDS];
	u32 sites;		/* every record: patched + kept + rejected */
	u32 patched;
	u32 kept;
	u32 rejected;
};

void fixup_apply(const struct fixup_site *start, const struct fixup_site *end,
		 const struct fixup_env *env, struct fixup_stats *st);

/* "LOCK", "MB", ...; NULL for a number that is not a kind. */
const char *fixup_kind_name(unsigned int kind);

/*
 * Called once at the end of every pass, after all writes. The kernel's
 * is in apply.c; host tests supply their own.
 */
void fixup_serialize(const struct cpuinfo *c);

/* ---- internal ---- */

#define FIXUP_FIXED_MAX		8	/* longest fixed kind: fits a u64 */
#define FIXUP_KNOWN_MAX		6	/* known[] of one kind */
#define FIXUP_FORMS_MAX		4	/* forms of one modrm kind */
#define FIXUP_CALL_LEN		5	/* E8 rel32 */
#define FIXUP_CALL_BITS		5
#define FIXUP_CALL_SLOTS	(1 << FIXUP_CALL_BITS)	/* call targets */

/* Always inlined, so that nothing of the patcher lands outside __init. */
#define __fixup_inline		inline __attribute__((always_inline))

/*
 * How the walk checks and rewrites a site of a kind (kinds.c). BYTE is
 * FIXED for a one-byte kind: LOCK, most of the table, has a path of its
 * own that reads and writes one byte.
 */
enum {
	FIXUP_VERB_NONE, FIXUP_VERB_BYTE, FIXUP_VERB_FIXED, FIXUP_VERB_MODRM,
	FIXUP_VERB_CALL
};

enum { PLAN_REJECT, PLAN_KEEP, PLAN_WRITE };

/*
 * A modrm form as a test of the site's head and ModRM byte, read as one
 * number now of at most 4 bytes: (now & mask) == (val | (jmp & jump)),
 * where jmp is the site's own short jump over the rest, (len - 2) << 8.
 */
struct fixup_modrm_form {
	u32 mask;		/* the head, and the reg bits the form fixes */
	u32 val;
	u32 jump;		/* 0xff00 when head[1] is the jump, else 0 */
};

/*
 * What most sites of a modrm kind need: the test of form[0], the
 * compiled form, which most sites hold, and what a site becomes:
 * (now & keep) | val | (jmp & jump), with the chosen form's val, jump.
 */
struct fixup_modrm_pass {
	struct fixup_modrm_form form0;
	u32 keep;		/* all but the head, and reg if set */
	u32 val, jump;
};

/* What one kind does in this pass, set up by fixup_choose(). */
struct fixup_kind_pass {
	const char *name;	/* chosen variant; NULL: chosen per site */
	u8 nr_known;		/* entries in known[], or in form[] */
	union {
		/*
		 * As little-endian numbers (fixup_load()). Fixed kinds:
		 * every byte string the site may hold, known[0] the
		 * chosen one. CALL: the 5-byte NOPs, known[0] the best.
		 */
		u64 known[FIXUP_KNOWN_MAX];
		/* Modrm kinds: each form, in the catalogue's order. */
		struct fixup_modrm_form form[FIXUP_FORMS_MAX];
	};
};

/*
 * Legal lengths by record kind byte, for every value of the byte:
 * len - lo <= span. A byte that is no kind has lo 256: nothing fits.
 * 32-bit fields, so that the test takes its operands from memory.
 */
struct fixup_lens {
	u32 lo;
	u16 span;
	u8 verb;		/* FIXUP_VERB_* */
	u8 head;		/* modrm kinds: bytes before the ModRM byte */
};

/*
 * Where the calls to one target go in this pass: every generic function
 * and variant of the call groups, hashed by address (open addressing,
 * never more than half full), so that a call site costs no search.
 */
struct fixup_call_slot {
	uintptr_t target;
	uintptr_t to;		/* the function now called */
	const char *name;	/* its name for the report */
	u8 state;		/* CALL_SLOT_*; 0: an empty slot */
};

#define CALL_SLOT_TO		1	/* its calls go to ->to */
#define CALL_SLOT_NOP		2	/* they vanish */

struct fixup_pass {
	struct fixup_lens lens[256];
	u8 operand[256];		/* by ModRM byte: fixup_operand_len() */
	const struct fixup_env *env;
	u8 mode;			/* FIXUP_MODE_UP or FIXUP_MODE_SMP */
	bool p6_nops;			/* pad with 0F 1F long NOPs */
	bool calls_hashed;		/* else too many targets: search */
	const struct fixup_form *choice[FIXUP_NR_KINDS];
	/*
	 * What most sites need, by kind, 8 bytes an entry: an x86 address
	 * scales the kind byte by 8 itself, and the walk needs no pointer
	 * to the kind's fixup_kind_pass. known0 and known1 are copies of
	 * its known[0] and known[1] (fixed kinds and CALL).
	 */
	u64 known0[FIXUP_NR_KINDS];
	u64 known1[FIXUP_NR_KINDS];
	/* Modrm kinds: 24 bytes an entry, the kind times 3 and scaled. */
	struct fixup_modrm_pass modrm[FIXUP_NR_KINDS];
	u32 count[FIXUP_NR_KINDS][2];	/* by verdict - 1: kept, patched */
	struct fixup_kind_pass kind[FIXUP_NR_KINDS];
	struct fixup_call_slot call[FIXUP_CALL_SLOTS];
};

struct fixup_kind {
	const char *name;	/* NULL: not a kind */
	u8 min_len, max_len;
	u8 verb;		/* FIXUP_VERB_*: fixed ones have one length */
	const struct fixup_form *const *forms;	/* NULL-terminated */
	const struct fixup_rule *rules;
	u8 nr_rules;
};

extern const struct fixup_kind fixup_kinds[FIXUP_NR_KINDS];

void fixup_choose(struct fixup_pass *p, const struct fixup_env *env);
const struct fixup_call_slot *fixup_search_call(const struct fixup_pass *p,
						uintptr_t target,
						struct fixup_call_slot *found);

void fixup_pad(u8 *p, unsigned int n, bool p6);

/* Fibonacci hashing: the top bits of the address times 2^32 / phi. */
static __fixup_inline unsigned int fixup_call_hash(uintptr_t target)
{
	return (u32)target * 0x9e3779b1u >> (32 - FIXUP_CALL_BITS);
}

/* The slot of target, or the empty one where it would go. */
static __fixup_inline unsigned int fixup_call_slot(const struct fixup_pass *p,
						   uintptr_t target)
{
	unsigned int i = fixup_call_hash(target);

	while (p->call[i].state && p->call[i].target != target)
		i = (i + 1) % FIXUP_CALL_SLOTS;
	return i;
}

/*
 * The slot of a call's target, or NULL: not in a group. Inlined into
 * the walk for the hashed case; fixup_search_call() does the rest.
 */
static __fixup_inline const struct fixup_call_slot *
fixup_find_call(const struct fixup_pass *p, uintptr_t target,
		struct fixup_call_slot *found)
{
	const struct fixup_call_slot *s;

	if (unlikely(!p->calls_hashed))
		return fixup_search_call(p, target, found);
	s = &p->call[fixup_call_slot(p, target)];
	return s->state ? s : NULL;
}

static __fixup_inline void fixup_copy(u8 *dst, const u8 *src, unsigned int n)
{
	while (n--)
		*dst++ = *src++;
}

/*
 * The n <= 8 bytes at p as one number, and back: x86 is little-endian,
 * the target and the test host alike. Fixed-size copies compile to
 * plain (unaligned) moves; no byte loop for the common lengths, and no
 * switch: its jump table would land outside init memory.
 */
static __fixup_inline u64 fixup_load(const u8 *p, unsigned int n)
{
	u64 v = 0;
	u16 w;
	u32 l;

	if (n == 1)		/* LOCK: most of the table */
		return p[0];
	if (n >= 4) {
		__builtin_memcpy(&l, p, 4);
		if (n == 5)	/* barriers and calls */
			return (u64)p[4] << 32 | l;
		while (n-- > 4)
			v = v << 8 | p[n];
		return v << 32 | l;
	}
	if (n >= 2) {
		__builtin_memcpy(&w, p, 2);
		if (n == 3)
			v = (u32)p[2] << 16;
		return v | w;
	}
	return 0;
}

static __fixup_inline void fixup_store(u8 *p, u64 v, unsigned int n)
{
	u16 w = v;
	u32 l = v;

	if (n == 1) {
		p[0] = v;
	} else if (n >= 4) {
		__builtin_memcpy(p, &l, 4);
		if (n == 5)
			p[4] = v >> 32;
		else
			for (p += 4, n -= 4, v >>= 32; n--; v >>= 8)
				*p++ = v;
	} else if (n >= 2) {
		__builtin_memcpy(p, &w, 2);
		if (n == 3)
			p[2] = v >> 16;
	}
}

/* pass->operand[]: the bytes of a memory operand, flags for a SIB. */
#define FIXUP_SIB		0x10	/* a SIB byte follows the ModRM */
#define FIXUP_SIB_DISP		0x20	/* and SIB base 5 adds a disp32 */

/*
 * Bytes of a 32-bit memory operand from its ModRM byte on: ModRM, a SIB
 * when rm == 4, then the displacement (Intel SDM vol. 2A, tables 2-2 and
 * 2-3). 0 for a register operand (mod == 3), which no site may have, or
 * when the SIB would lie beyond avail. Only a SIB needs a second look.
 */
static __fixup_inline unsigned int fixup_operand_len(const struct fixup_pass *p,
						     const u8 *b,
						     unsigned int avail)
{
	unsigned int n = p->operand[b[0]];

	if (likely(!(n & FIXUP_SIB)))
		return n;
	if (avail < 2)
		return 0;
	if ((n & FIXUP_SIB_DISP) && (b[1] & 7) == 5)
		n += 4;
	return n & 15;
}

#endif

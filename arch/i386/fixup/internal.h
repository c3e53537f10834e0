/*
 * Inside arch/i386/fixup/: the patcher's interface to its callers (the
 * boot pass in boot.c, the host tests, the fuzz target and make bench).
 * The rest of the kernel uses include/asm/fixup.h only.
 *
 * fixup_apply() walks a table of site records once: it checks each
 * record, rewrites its site for the CPU and mode given, and counts.
 * What it checks, in which order, and the bytes of every kind:
 * Documentation/fixup-sites.md.
 */
#ifndef ARCH_I386_FIXUP_INTERNAL_H
#define ARCH_I386_FIXUP_INTERNAL_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <asm/fixup.h>
#include <asm/cpufeature.h>

/* Where sites may be: [start, end). Ranges of one pass must not overlap. */
struct fixup_range {
	const void *start;
	const void *end;
};

/*
 * Optional callbacks; either may be NULL. For a rejected record, site is
 * computed from rel and may point anywhere: print it, never read it.
 * debug() sees every accepted site just before it is written: old is
 * the site itself, new what it becomes (equal when kept).
 * mode_dependent() sees every accepted site whose form for this CPU
 * differs between UP and SMP (by the catalogue's rules; for CALL, by
 * the variant its group chooses in each mode): the sites a CPU hot-add
 * must rewrite. group is 1 + the index in env->calls of a CALL site's
 * group, 0 for the other kinds; keep it in env->call_groups to bring a
 * call that vanished back.
 */
struct fixup_hooks {
	void *ctx;
	void (*reject)(void *ctx, const struct fixup_site *rec,
		       const u8 *site, unsigned int kind, const char *reason);
	void (*debug)(void *ctx, const struct fixup_site *rec,
		      const u8 *site, unsigned int kind, const u8 *old,
		      const u8 *new, unsigned int len, const char *variant);
	void (*mode_dependent)(void *ctx, const struct fixup_site *rec,
			       const u8 *site, unsigned int group);
};

struct fixup_env {
	const struct cpuinfo *cpu;	/* features after clearcpuid= */
	bool smp;			/* choose SMP variants */
	const struct fixup_range *text;	/* kernel: .text and .init.text */
	unsigned int nr_text;
	const struct fixup_call_group *calls;
	unsigned int nr_calls;
	const struct fixup_hooks *hooks;	/* may be NULL */
	/*
	 * Scratch for the overlap check, one bit per text byte: at least
	 * fixup_taken_size(text, nr_text) bytes. Its contents on entry do
	 * not matter. Too small, or text ranges that overlap: every record
	 * is rejected.
	 */
	u8 *taken;
	size_t taken_size;
	/*
	 * Added to a site's address for every write, never for a read: 0
	 * writes the site itself; after boot the kernel writes through a
	 * writable alias of its read-only text (repatch.c).
	 */
	ptrdiff_t write_offset;
	/*
	 * NULL, or one byte per record of the table: 1 + the index in
	 * calls[] of the group a CALL site belongs to, 0 when not known.
	 * A site that holds a NOP and has a group here is a call of that
	 * group that vanished: it is planned as one (a kept table, which
	 * must bring UP's vanished spinlock calls back for SMP).
	 */
	const u8 *call_groups;
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

/* Bytes of env->taken that fixup_apply() needs for these ranges. */
size_t fixup_taken_size(const struct fixup_range *text, unsigned int nr_text);

/* "LOCK", "MB", ...; NULL for a number that is not a kind. */
const char *fixup_kind_name(unsigned int kind);

/*
 * Called once at the end of every pass, after all writes. The kernel's
 * is in boot.c; host builds supply their own.
 */
void fixup_serialize(const struct cpuinfo *c);

/*
 * A copy of a record at to, pointing at the same site: rel is
 * self-relative, so it is rebased by the distance between the two.
 */
static inline void fixup_copy_record(struct fixup_site *to,
				     const struct fixup_site *from)
{
	to->rel = from->rel + (s32)((uintptr_t)&from->rel -
				    (uintptr_t)&to->rel);
	to->kind = from->kind;
	to->len = from->len;
}

/* repatch.c: the rejected-record line, boot and re-patch alike. */
void fixup_report_reject(void *ctx, const struct fixup_site *rec,
			 const u8 *site, unsigned int kind, const char *reason);
struct fixup_kept;
/* repatch.c: the kernel's kept table, from fixup_boot(). */
void fixup_keep_boot(struct fixup_kept *k, const struct cpuinfo *c);

/* The boot pass's reject and fixup_debug hooks, for the module pass. */
void fixup_report_hooks(struct fixup_hooks *h);

/*
 * A kept table being filled during a pass (boot.c): the mode_dependent
 * hook fixup_keep_site() copies the record of each site in [text_start,
 * text_end) to recs[n] and its call group to groups[n], with room for
 * max of each. The kernel's pass and a module's both keep this way.
 */
struct fixup_keeping {
	struct fixup_site *recs;
	u8 *groups;
	unsigned int n, max;
	const void *text_start, *text_end;
};

void fixup_keep_site(void *ctx, const struct fixup_site *rec,
		     const u8 *site, unsigned int group);

/* NOP padding (nops.c): fill n bytes, or test whether n bytes are it. */
void fixup_pad(u8 *p, unsigned int n, bool p6);
bool fixup_is_pad(const u8 *p, unsigned int n, bool p6);

#endif

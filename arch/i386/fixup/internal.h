/*
 * Inside arch/i386/fixup/: the patcher's interface to its callers (the
 * boot and module passes, the host tests, the fuzz target and make
 * bench), and the kept tables' builder and re-patch loop (kept.c).
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
 * mode_dependent(), when given, makes the walk plan each accepted site
 * in the other mode too, and sees those whose bytes differ between UP
 * and SMP (rec->len of each): the sites a CPU hot-add must rewrite.
 */
struct fixup_hooks {
	void *ctx;
	void (*reject)(void *ctx, const struct fixup_site *rec,
		       const u8 *site, unsigned int kind, const char *reason);
	void (*debug)(void *ctx, const struct fixup_site *rec,
		      const u8 *site, unsigned int kind, const u8 *old,
		      const u8 *new, unsigned int len, const char *variant);
	void (*mode_dependent)(void *ctx, const struct fixup_site *rec,
			       const u8 *site, const u8 *up, const u8 *smp);
};

struct fixup_env {
	const struct cpuinfo *cpu;	/* features after clearcpuid= */
	bool smp;			/* choose SMP variants */
	const struct fixup_range *text;	/* kernel: .text and .init.text */
	unsigned int nr_text;
	const struct fixup_call_group *calls;
	unsigned int nr_calls;
	const struct fixup_thunk *thunks;	/* the THUNK kinds' targets */
	unsigned int nr_thunks;
	const struct fixup_hooks *hooks;	/* may be NULL */
	/*
	 * Scratch for the overlap check, one bit per text byte: at least
	 * fixup_taken_size(text, nr_text) bytes. Its contents on entry do
	 * not matter. Too small, or text ranges that overlap: every record
	 * is rejected.
	 */
	u8 *taken;
	size_t taken_size;
};

struct fixup_kind_stats {
	u32 sites;		/* accepted records: patched + unchanged */
	u32 patched;		/* bytes changed */
	u32 unchanged;		/* already the chosen variant */
	u32 rejected;
	const char *variant;	/* chosen variant, "mixed", NULL: no sites */
};

struct fixup_stats {
	struct fixup_kind_stats kind[FIXUP_NR_KINDS];
	u32 sites;		/* every record: patched + unchanged + rejected */
	u32 patched;
	u32 unchanged;
	u32 rejected;
};

void fixup_apply(const struct fixup_site *start, const struct fixup_site *end,
		 const struct fixup_env *env, struct fixup_stats *st);

/* Bytes of env->taken that fixup_apply() needs for these ranges. */
size_t fixup_taken_size(const struct fixup_range *text, unsigned int nr_text);

/* "LOCK", "MB", ...; NULL for a number that is not a kind. */
const char *fixup_kind_name(unsigned int kind);

/*
 * The one bracket around writing text (repatch.c), begin, the writes,
 * end: interrupts off, the NMI IDT (NMIs are counted, not handled),
 * one serializing instruction after the last write (fixup_serialize()),
 * then the NMIs that came meanwhile handled. The boot pass, a module's
 * pass and a re-patch all write inside it; nothing prints inside.
 */
u32 fixup_write_text_begin(void);
void fixup_write_text_end(const struct cpuinfo *c, u32 flags);
void fixup_serialize(const struct cpuinfo *c);

/*
 * The one builder of kept tables (kept.c), for the kernel's pass and a
 * module's. The room, of fixup_keep_room(max) bytes for a table of max
 * records, gets the table's head, then its sites, then their bytes;
 * fixup_keep_site(), the mode_dependent hook, fills it with the sites
 * in [text_start, text_end); fixup_keep_done() closes the table: its
 * size in bytes from the room's start, 0 when nothing was kept (or the
 * room was too small: then nothing may be kept).
 */
struct fixup_keeping {
	struct fixup_kept *kept;	/* the head, at the room's start */
	u8 *bytes;			/* while filling: after sites[max] */
	u32 nr, max;
	size_t nr_bytes;
	bool full;
};

#define fixup_keep_room(max)	(sizeof(struct fixup_kept) + (max) * \
				 (sizeof(struct fixup_kept_site) + \
				  2 * FIXUP_MAX_LEN))

void fixup_keep_begin(struct fixup_keeping *k, void *room, size_t size,
		      u32 max, const void *text_start, const void *text_end);
void fixup_keep_site(void *ctx, const struct fixup_site *rec,
		     const u8 *site, const u8 *up, const u8 *smp);
size_t fixup_keep_done(struct fixup_keeping *k);

/* boot.c: one pass over a table, the boot's or a module's. */
u64 fixup_pass(const struct fixup_site *start, const struct fixup_site *end,
	       const struct fixup_env *env, struct fixup_stats *st,
	       struct fixup_keeping *keeping);

/*
 * The re-patch loop over one kept table (kept.c): each site that holds
 * the bytes of the mode being left gets those of mode smp, written at
 * its address + write_offset (an alias of read-only text); a site that
 * has them already is counted unchanged, one that holds neither (changed
 * behind the kernel's back) is left alone and counted rejected. Nothing
 * printed: fixup_kept_report() names those after the serialization.
 */
struct fixup_counts {
	u32 sites, patched, unchanged, rejected;	/* as in fixup_stats */
};

void fixup_kept_write(const struct fixup_kept *k, bool smp,
		      ptrdiff_t write_offset, struct fixup_counts *st);
void fixup_kept_report(const struct fixup_kept *k, bool smp,
		       void (*neither)(uintptr_t addr));

/*
 * repatch.c: a kept table onto the list (the kernel's first, then each
 * module's); the re-patch, from fixup_repatch() once kept tables may
 * change the mode.
 */
void fixup_keep(struct fixup_kept *k);
int fixup_repatch_kept(bool smp, unsigned int ncpus, const char *reason);

/* Data written at boot, read-only after (with .rodata). */
#ifdef HOST_TEST
#define __ro_after_boot
#else
#define __ro_after_boot	__section(".data.ro_after_boot")
#endif

/*
 * NOP padding (nops.c): fill n bytes, or test whether n bytes are it.
 * The tables are global only so that the contracts of patcher.c can name
 * the bytes (proof-nops.h, nop_padded); nothing else reads them.
 */
extern const u8 fixup_p6_nops[], fixup_i486_nops[];
void fixup_pad(u8 *p, unsigned int n, bool p6);
bool fixup_is_pad(const u8 *p, unsigned int n, bool p6);

#endif

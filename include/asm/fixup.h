/*
 * Patchable instruction sites. Every macro here emits the safe compiled
 * form of one instruction (correct on a 486 and on SMP) and records it in
 * .fixup_sites; arch/i386/fixup/ rewrites the site once at boot for the
 * CPU and CPU count found. Record format: Documentation/fixup-sites.md;
 * the kinds: include/asm/fixup-kinds.h. The end of this file is the boot
 * pass's interface to the rest of the kernel.
 */
#ifndef ASM_FIXUP_H
#define ASM_FIXUP_H

#include <asm/fixup-kinds.h>	/* the kind numbers: FIXUP_KIND_* */

#define FIXUP_RECORD_SIZE	6
#define FIXUP_MAX_LEN		15	/* longest x86 instruction */

#define __FIXUP_STR(x)		#x
#define FIXUP_STR(x)		__FIXUP_STR(x)

/* Record the site between local labels 661 and 662 as KIND. */
#define FIXUP_RECORD(kind)						\
	".pushsection .fixup_sites,\"a\"\n\t"				\
	".long 661b - .\n\t"						\
	".byte " FIXUP_STR(kind) ", 662b - 661b\n\t"			\
	".popsection\n\t"

#ifdef __ASSEMBLER__

.macro fixup_record kind
	.pushsection .fixup_sites,"a"
	.long 661b - .
	.byte \kind, 662b - 661b
	.popsection
.endm

/* A call the patcher may redirect to a variant or turn into a NOP. */
.macro fixup_call fn
661:	call \fn
662:	fixup_record FIXUP_KIND_CALL
.endm

#else

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <asm/cpufeature.h>

struct fixup_site {
	s32 rel;	/* site address - &rel */
	u8 kind;	/* FIXUP_* */
	u8 len;		/* bytes at the site */
} __packed;

/*
 * A lock prefix that only SMP needs: on one CPU it becomes a DS prefix,
 * which keeps the instruction whole and costs nothing.
 */
#if defined(CONFIG_SMP) && defined(CONFIG_FIXUP)
#define LOCK_PREFIX	"661:\n\tlock\n662:\n\t" FIXUP_RECORD(FIXUP_KIND_LOCK)
#elif defined(CONFIG_SMP)
#define LOCK_PREFIX	"lock; "
#else
#define LOCK_PREFIX	""		/* compile-time uniprocessor */
#endif

/* The barrier site's compiled form: lock; addl $0,(%esp), 5 bytes. */
#define FIXUP_BARRIER(kind)						\
	"661:\n\tlock; addl $0,(%%esp)\n662:\n\t" FIXUP_RECORD(kind)

/*
 * Call groups. A CALL site is compiled as "call generic"; the group of
 * that generic function lists its variants in order of preference, and
 * the patcher points the call at the first variant whose needed feature
 * bits the CPU has and whose mode fits (UP, SMP or either). fn == NULL
 * makes the call vanish into a 5-byte NOP. When no variant fits, the
 * call to the generic function stays.
 *
 * The generic function and the variants must be global functions with
 * the same signature and calling convention; they are named from asm.
 */
#define FIXUP_MODE_ANY		0
#define FIXUP_MODE_UP		1
#define FIXUP_MODE_SMP		2

struct fixup_call_variant {
	void *fn;		/* NULL: the call vanishes */
	const char *name;	/* for the boot report */
	u32 needs;		/* X86_FEATURE_* the CPU must all have */
	u8 mode;		/* FIXUP_MODE_* */
};

struct fixup_call_group {
	void *generic;		/* what the call sites are compiled to */
	const char *name;
	const struct fixup_call_variant *variants;
	u8 nr;
};

#define FIXUP_CALL_VARIANT(fn, needs, mode)				\
	{ (void *)(fn), #fn, (needs), (mode) }
#define FIXUP_CALL_NOP(needs, mode)					\
	{ NULL, "nop", (needs), (mode) }

/*
 * DEFINE_FIXUP_CALL(copy_page,
 *	FIXUP_CALL_VARIANT(copy_page_sse2, X86_FEATURE_SSE2, FIXUP_MODE_ANY),
 *	FIXUP_CALL_VARIANT(copy_page_mmx, X86_FEATURE_MMX, FIXUP_MODE_ANY));
 *
 * The group lands in .init.fixup_calls, between __fixup_calls_start
 * and __fixup_calls_end, freed with the init memory: a site kept for a
 * CPU hot-add carries the bytes of its call in both modes.
 */
#ifdef MODULE
/* A module's CALL sites use the kernel's groups, which the pass walks. */
#define DEFINE_FIXUP_CALL(gen, ...)					\
	_Static_assert(0, "DEFINE_FIXUP_CALL in a module")
#else
#define DEFINE_FIXUP_CALL(gen, ...)					\
	static const struct fixup_call_variant				\
	__fixup_call_variants_##gen[] __initconst = { __VA_ARGS__ };	\
	static const struct fixup_call_group __fixup_call_##gen	\
	__used __section(".init.fixup_calls") __aligned(4) = {		\
		.generic = (void *)(gen),				\
		.name = #gen,						\
		.variants = __fixup_call_variants_##gen,		\
		.nr = ARRAY_SIZE(__fixup_call_variants_##gen),		\
	}
#endif

extern const struct fixup_call_group __fixup_calls_start[];
extern const struct fixup_call_group __fixup_calls_end[];

/*
 * The CALL site as a string for asm() and inline asm, e.g. with regparm(3)
 * functions:
 *	asm volatile(FIXUP_CALL(copy_page)
 *		     : "+a" (to), "+d" (from) : : "ecx", "memory", "cc");
 * (Not FIXUP_KIND_CALL(fn): that name is the kind number.)
 */
#define FIXUP_CALL(fn)						\
	"661:\n\tcall " #fn "\n662:\n\t" FIXUP_RECORD(FIXUP_KIND_CALL)

/*
 * Kept for a CPU hot-add (Documentation/fixup-sites.md): each site
 * whose form depends on the CPU count, its address and length, and in
 * bytes[], in the order of sites[], its UP bytes then its SMP bytes
 * (2 * len each). The kernel's table and each module's are on one list;
 * written by the pass that keeps them, read-only after.
 */
struct fixup_kept_site {
	uintptr_t addr;
	u8 len;
} __packed;

struct fixup_kept {
	const struct fixup_kept_site *sites;
	const u8 *bytes;
	u32 nr;
	uintptr_t text_start, text_end;	/* where the sites are */
	const struct fixup_kept *next;
};

/* The boot pass (arch/i386/fixup/boot.c). */
#ifdef CONFIG_FIXUP
/* What the pass decided: the only fixup state that outlives boot. */
extern bool fixup_applied, fixup_smp;

/* fixup=up: UP variants, so the other CPUs must not be started. */
bool fixup_forced_up(void);

/*
 * ncpus: the CPUs that start at boot; possible: those and the ones that
 * may be hot-added later (smp_possible_cpus()). With possible > ncpus
 * (CONFIG_HOTPLUG_CPU, and the mode chosen by the count: not fixup=up,
 * fixup=smp, nofixup or fixup_test_unsafe_up) the sites whose form
 * depends on the CPU count are kept, with both forms, for
 * fixup_repatch().
 */
void fixup_boot(const struct cpuinfo *c, unsigned int ncpus,
		unsigned int possible, const char *reason);
void fixup_report_freed(void);

/*
 * After boot, with only the calling CPU running (no other CPU started,
 * or every other one stopped where it runs no site): rewrite every kept
 * site to its bytes for SMP (smp true) or UP, for ncpus CPUs, and report
 * it ("fixup: mode: smp cpus=2 reason=hotplug", then "fixup: repatched
 * ..."). Interrupts are off inside and NMIs are deferred as during the
 * boot pass; the text stays read-only, the writes go through a
 * temporary alias. 0 when done or when the sites already have that
 * mode's forms (nothing is written or printed then); -1 when the mode
 * cannot change: nothing was kept, or a kept site held neither form (it
 * is named and left alone; the caller must then not start a CPU on UP
 * code).
 */
int fixup_repatch(bool smp, unsigned int ncpus, const char *reason);

/* The kept tables, for the self-tests; NULL when none. */
const struct fixup_kept *fixup_kept_tables(void);

/*
 * Whether the re-patch region (ldscripts/vmlinux.lds) stays after boot:
 * true when fixup_boot() kept sites. free_initmem() and mark_text_ro()
 * ask.
 */
bool fixup_resident(void);
/*
 * What stays of the re-patch region is [__repatch_start, this): the
 * pages up to the end of the kernel's kept table; __repatch_start when
 * nothing stays. free_initmem() frees the rest, mark_text_ro() protects
 * what stays.
 */
char *fixup_resident_end(void);

/*
 * A module's pass (arch/i386/fixup/module.c), with the boot pass's CPU
 * and mode, over its text [text, etext); taken: scratch of
 * fixup_module_taken_size() bytes. Nothing under nofixup. keep: room of
 * fixup_module_keep_size() bytes (0 when the kernel kept nothing for a
 * CPU hot-add) for the module's kept table, or NULL; fixup_module()
 * returns how many bytes of it from its start stay in use (on the list
 * of kept tables for good: the caller makes them read-only), 0 when
 * none.
 */
size_t fixup_module_taken_size(const void *text, const void *etext);
size_t fixup_module_keep_size(const struct fixup_site *start,
			      const struct fixup_site *end);
size_t fixup_module(const char *name, const struct fixup_site *start,
		    const struct fixup_site *end, const void *text,
		    const void *etext, u8 *taken, size_t taken_size,
		    void *keep, size_t keep_size);
#else
static inline void fixup_boot(const struct cpuinfo *c, unsigned int ncpus,
			      unsigned int possible, const char *reason)
{
	(void)c; (void)ncpus; (void)possible; (void)reason;
}
static inline void fixup_report_freed(void) { }
static inline bool fixup_resident(void) { return false; }
/* Nothing of the re-patch region stays (__repatch_start: asm/page.h). */
#define fixup_resident_end()	((char *)__repatch_start)
static inline size_t fixup_module_taken_size(const void *text,
					     const void *etext)
{
	(void)text; (void)etext;
	return 0;
}
static inline size_t fixup_module_keep_size(const struct fixup_site *start,
					    const struct fixup_site *end)
{
	(void)start; (void)end;
	return 0;
}
static inline size_t fixup_module(const char *name,
				  const struct fixup_site *start,
				  const struct fixup_site *end,
				  const void *text, const void *etext,
				  u8 *taken, size_t taken_size,
				  void *keep, size_t keep_size)
{
	(void)name; (void)start; (void)end; (void)text; (void)etext;
	(void)taken; (void)taken_size; (void)keep; (void)keep_size;
	return 0;
}
static inline bool fixup_forced_up(void) { return false; }
/* Without the pass every site keeps its compiled (SMP-safe) form. */
static inline int fixup_repatch(bool smp, unsigned int ncpus,
				const char *reason)
{
	(void)smp; (void)ncpus; (void)reason;
	return 0;
}
#endif

#endif /* __ASSEMBLER__ */
#endif

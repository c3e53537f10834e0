/*
 * Host tests of the boot-time patcher (arch/i386/fixup/): synthetic
 * text with every site kind, patched for a set of real CPUs, UP and SMP.
 * The expected bytes are written out here from the rules and byte forms
 * of Documentation/fixup-sites.md, not computed by the code under test.
 *
 * Records, text and the fake call targets all live in one static arena,
 * so that the self-relative s32 offsets reach on a 64-bit host, and the
 * whole arena is compared after each pass: bytes outside valid sites
 * (a canary pattern) must never change.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tap.h"
#include "../../arch/i386/fixup/internal.h"

#define REC_OFF		0	/* records */
#define TEXT_OFF	4096	/* first text range */
#define TEXT_END	8192
#define FN_OFF		8448	/* fake call targets, outside text */
#define INIT_OFF	10240	/* second text range */
#define INIT_END	12288
#define DATA_OFF	12544	/* outside text */
#define ARENA		16384
#define GAP		3	/* canary bytes between sites */

static u8 arena[ARENA] __aligned(16);
static u8 want[ARENA];		/* what the arena must be after a pass */
static u8 *rec_cur, *text_cur, *init_cur;

static const struct fixup_range ranges[] = {
	{ arena + TEXT_OFF, arena + TEXT_END },
	{ arena + INIT_OFF, arena + INIT_END },
};

static u8 canary(size_t i)
{
	return 0xa5 ^ (u8)(i * 29);
}

static void reset(void)
{
	size_t i;

	for (i = 0; i < ARENA; i++)
		arena[i] = canary(i);
	rec_cur = arena + REC_OFF;
	text_cur = arena + TEXT_OFF + GAP;
	init_cur = arena + INIT_OFF + GAP;
}

static struct fixup_site *record(u8 kind, u8 len, const u8 *site)
{
	struct fixup_site *r = (struct fixup_site *)rec_cur;

	r->rel = (s32)(site - (const u8 *)&r->rel);
	r->kind = kind;
	r->len = len;
	rec_cur += sizeof(*r);
	return r;
}

static u8 *place(u8 **cur, const u8 *b, unsigned int n)
{
	u8 *at = *cur;

	memcpy(at, b, n);
	*cur += n + GAP;
	return at;
}

/* "op rel32" to fn: E8 call, E9 jmp. */
static void branch_bytes(u8 *b, u8 op, const u8 *site, const void *fn)
{
	s32 rel = (s32)((const u8 *)fn - (site + 5));

	b[0] = op;
	memcpy(b + 1, &rel, 4);		/* x86 and the host: little endian */
}

static void call_bytes(u8 *b, const u8 *site, const void *fn)
{
	branch_bytes(b, 0xe8, site, fn);
}

/* Compare the whole arena with want; on a mismatch show where. */
static bool arena_ok(void)
{
	size_t i, shown = 0;

	for (i = 0; i < ARENA; i++) {
		if (arena[i] == want[i])
			continue;
		if (shown++ < 8)
			diag("offset %zu: got %02x, want %02x", i, arena[i],
			     want[i]);
	}
	return shown == 0;
}

/* ---- hooks ---- */

struct rej {
	const struct fixup_site *rec;
	const u8 *site;
	unsigned int kind;
	const char *why;
};

static struct rej rejs[64];
static int nrej;

static void on_reject(void *ctx, const struct fixup_site *rec,
		      const u8 *site, unsigned int kind, const char *why)
{
	(void)ctx;
	if (nrej < 64)
		rejs[nrej] = (struct rej){ rec, site, kind, why };
	nrej++;
}

struct dbg {
	int calls;
	const u8 *site;		/* the site to look at */
	u8 old[16], new[16];
	unsigned int len, kind;
	const char *variant;
};

static void on_debug(void *ctx, const struct fixup_site *rec, const u8 *site,
		     unsigned int kind, const u8 *old, const u8 *new,
		     unsigned int len, const char *variant)
{
	struct dbg *d = ctx;

	(void)rec;
	d->calls++;
	if (site != d->site)
		return;
	memcpy(d->old, old, len);
	memcpy(d->new, new, len);
	d->len = len;
	d->kind = kind;
	d->variant = variant;
}

/* ---- call groups: the functions are arena addresses, never run ---- */

#define FN(i)		((void *)(arena + FN_OFF + 16 * (i)))

static const struct fixup_call_variant copy_variants[] = {
	{ FN(1), "copy_sse2", X86_FEATURE_SSE2, FIXUP_MODE_ANY },
	{ FN(2), "copy_mmx", X86_FEATURE_MMX, FIXUP_MODE_ANY },
};

static const struct fixup_call_variant sync_variants[] = {
	{ NULL, "nop", 0, FIXUP_MODE_UP },	/* vanishes on UP */
};

static const struct fixup_call_variant x_variants[] = {
	{ FN(5), "x_smp", 0, FIXUP_MODE_SMP },
	{ FN(6), "x_up", 0, FIXUP_MODE_UP },
};

static const struct fixup_call_group groups[] = {
	{ FN(0), "copy_generic", copy_variants, 2 },
	{ FN(3), "sync_generic", sync_variants, 1 },
	{ FN(4), "x_generic", x_variants, 2 },
};

/*
 * The thunks, as the kernel lists them (arch/i386/lib/retpoline_exports.c):
 * one function per register for THUNK_CALL and THUNK_JMP, the ecx return
 * retpoline a second THUNK_JMP thunk of ecx, the return thunk.
 */
#define TH(r)		FN(8 + (r))	/* __x86_indirect_thunk_REG */
#define RET_TH		FN(16)		/* __x86_return_thunk */
#define RET_ECX		FN(17)		/* __x86_return_thunk_ecx */
#define REG_THUNK(r)	{ TH(r), FIXUP_KIND_THUNK_CALL, r }, \
			{ TH(r), FIXUP_KIND_THUNK_JMP, r }

static const struct fixup_thunk thunks[] = {
	REG_THUNK(0), REG_THUNK(1), REG_THUNK(2), REG_THUNK(3),
	REG_THUNK(5), REG_THUNK(6), REG_THUNK(7),
	{ RET_ECX, FIXUP_KIND_THUNK_JMP, 1 },
	{ RET_TH, FIXUP_KIND_RETURN, FIXUP_THUNK_NO_REG },
};

/* ---- the variants a test site can end up as ---- */

/*
 * V_UNSET is 0, what a column a profile leaves out holds: not a form, so
 * test_whole_path() names the profile and column instead of the test
 * expecting "lock" there.
 */
enum var {
	V_UNSET, V_LOCK, V_DS, V_LADD, V_MF6, V_MF4, V_LF6, V_LF4, V_SF6, V_SF4,
	V_NOP6, V_NOP4, V_JMP, V_NOPL, V_NTA, V_T0, V_3DN,
	V_MOVQ, V_MOVNTQ, V_MOVL, V_MOVNTI, V_XCHG,
	V_COPY_GEN, V_COPY_SSE2, V_COPY_MMX, V_SYNC_GEN, V_X_UP, V_X_SMP,
	V_THUNK, V_TLFENCE, V_INL6, V_INL4, V_RET,
	V_TH0, V_RET_TH = V_TH0 + 8,	/* a thunk site's compiled target */
	NVAR
};

static const char *const var_name[NVAR] = {
	[V_UNSET] = "(unset)", [V_LOCK] = "lock", [V_DS] = "ds", [V_LADD] = "lock-add",
	[V_MF6] = "mfence", [V_MF4] = "mfence",
	[V_LF6] = "lfence", [V_LF4] = "lfence",
	[V_SF6] = "sfence", [V_SF4] = "sfence",
	[V_NOP6] = "nop", [V_NOP4] = "nop", [V_JMP] = "nop", [V_NOPL] = "nopl",
	[V_NTA] = "prefetchnta", [V_T0] = "prefetcht0",
	[V_3DN] = "prefetch3dnow", [V_MOVQ] = "movq", [V_MOVNTQ] = "movntq",
	[V_MOVL] = "movl", [V_MOVNTI] = "movnti", [V_XCHG] = "xchg",
	[V_COPY_GEN] = "copy_generic", [V_COPY_SSE2] = "copy_sse2",
	[V_COPY_MMX] = "copy_mmx", [V_SYNC_GEN] = "sync_generic",
	[V_X_UP] = "x_up", [V_X_SMP] = "x_smp",
	[V_THUNK] = "thunk", [V_TLFENCE] = "lfence", [V_INL6] = "inline",
	[V_INL4] = "inline", [V_RET] = "ret",
	[V_TH0 ... V_TH0 + 7] = "(a thunk)", [V_RET_TH] = "(the return thunk)",
};

static void *var_fn(enum var v)
{
	switch (v) {
	case V_COPY_GEN:	return FN(0);
	case V_COPY_SSE2:	return FN(1);
	case V_COPY_MMX:	return FN(2);
	case V_SYNC_GEN:	return FN(3);
	case V_X_SMP:		return FN(5);
	case V_X_UP:		return FN(6);
	case V_RET_TH:		return RET_TH;
	default:		/* the thunk of a register, or none */
		return v >= V_TH0 && v < V_RET_TH ? TH(v - V_TH0) : NULL;
	}
}

/* What decides a site: one column per rule set. */
enum col {
	C_LOCK, C_MB, C_RMB, C_WMB, C_SMP_MB, C_SMP_RMB, C_SMP_WMB,
	C_PF, C_PW, C_NTQ, C_NTI, C_APIC, C_COPY, C_SYNC, C_X, C_NOPCALL,
	C_TCALL, C_TJMP, C_RET,
	NCOL
};

static const char *const col_name[NCOL] = {
	[C_LOCK] = "C_LOCK", [C_MB] = "C_MB", [C_RMB] = "C_RMB",
	[C_WMB] = "C_WMB", [C_SMP_MB] = "C_SMP_MB", [C_SMP_RMB] = "C_SMP_RMB",
	[C_SMP_WMB] = "C_SMP_WMB", [C_PF] = "C_PF", [C_PW] = "C_PW",
	[C_NTQ] = "C_NTQ", [C_NTI] = "C_NTI", [C_APIC] = "C_APIC",
	[C_COPY] = "C_COPY", [C_SYNC] = "C_SYNC", [C_X] = "C_X",
	[C_NOPCALL] = "C_NOPCALL", [C_TCALL] = "C_TCALL", [C_TJMP] = "C_TJMP",
	[C_RET] = "C_RET",
};

struct tsite {
	const char *what;
	u8 kind;
	enum col col;
	bool init;		/* in the second text range */
	const char *compiled;	/* NULL: a call or a thunk's branch to */
	enum var call;		/* ... var_fn(call) */
	const char *as[NVAR];	/* bytes of each variant it may become */
};

#define NOP6	"0F 1F 44 00 00"
#define NOP4	"90 8D 74 26 00"
#define LADD	"F0 83 04 24 00"
#define PLADD	"9C F0 83 44 24 04 00 9D"	/* pushfl; lock-add 4(%esp); popfl */

static const struct tsite tsites[] = {
	{ "lock", FIXUP_KIND_LOCK, C_LOCK, 0, "F0", 0,
	  { [V_LOCK] = "F0", [V_DS] = "3E" } },
	{ "mb", FIXUP_KIND_MB, C_MB, 0, LADD, 0,
	  { [V_LADD] = LADD, [V_MF6] = "0F AE F0 66 90",
	    [V_MF4] = "0F AE F0 89 F6" } },
	{ "rmb", FIXUP_KIND_RMB, C_RMB, 0, LADD, 0,
	  { [V_LADD] = LADD, [V_LF6] = "0F AE E8 66 90",
	    [V_LF4] = "0F AE E8 89 F6" } },
	{ "wmb", FIXUP_KIND_WMB, C_WMB, 0, LADD, 0,
	  { [V_LADD] = LADD, [V_SF6] = "0F AE F8 66 90",
	    [V_SF4] = "0F AE F8 89 F6" } },
	/* the flag-keeping barriers: the rules of MB, RMB, WMB, 8 bytes */
	{ "mb_flags", FIXUP_KIND_MB_FLAGS, C_MB, 0, PLADD, 0,
	  { [V_LADD] = PLADD, [V_MF6] = "0F AE F0 0F 1F 44 00 00",
	    [V_MF4] = "0F AE F0 90 8D 74 26 00" } },
	{ "rmb_flags", FIXUP_KIND_RMB_FLAGS, C_RMB, 1, PLADD, 0,
	  { [V_LADD] = PLADD, [V_LF6] = "0F AE E8 0F 1F 44 00 00",
	    [V_LF4] = "0F AE E8 90 8D 74 26 00" } },
	{ "wmb_flags", FIXUP_KIND_WMB_FLAGS, C_WMB, 0, PLADD, 0,
	  { [V_LADD] = PLADD, [V_SF6] = "0F AE F8 0F 1F 44 00 00",
	    [V_SF4] = "0F AE F8 90 8D 74 26 00" } },
	{ "smp_mb", FIXUP_KIND_SMP_MB, C_SMP_MB, 0, LADD, 0,
	  { [V_LADD] = LADD, [V_MF6] = "0F AE F0 66 90",
	    [V_MF4] = "0F AE F0 89 F6", [V_NOP6] = NOP6, [V_NOP4] = NOP4 } },
	{ "smp_rmb", FIXUP_KIND_SMP_RMB, C_SMP_RMB, 1, LADD, 0,
	  { [V_LADD] = LADD, [V_LF6] = "0F AE E8 66 90",
	    [V_LF4] = "0F AE E8 89 F6", [V_NOP6] = NOP6, [V_NOP4] = NOP4 } },
	{ "smp_wmb", FIXUP_KIND_SMP_WMB, C_SMP_WMB, 0, LADD, 0,
	  { [V_LADD] = LADD, [V_SF6] = "0F AE F8 66 90",
	    [V_SF4] = "0F AE F8 89 F6", [V_NOP6] = NOP6, [V_NOP4] = NOP4 } },
	{ "lock (init)", FIXUP_KIND_LOCK, C_LOCK, 1, "F0", 0,
	  { [V_LOCK] = "F0", [V_DS] = "3E" } },
	/* prefetcht0 0x10(%eax): lea 0x10(%eax),%ecx */
	{ "prefetch disp8", FIXUP_KIND_PREFETCH, C_PF, 0, "EB 03 8D 48 10", 0,
	  { [V_JMP] = "EB 03 8D 48 10", [V_NTA] = "3E 0F 18 48 10",
	    [V_3DN] = "3E 0F 0D 40 10", [V_NOPL] = "3E 0F 1F 40 10" } },
	/* prefetchnta 0x100(%esp): ModRM 84, SIB 24, disp32 */
	{ "prefetch sib disp32", FIXUP_KIND_PREFETCH, C_PF, 0,
	  "EB 07 8D 84 24 00 01 00 00", 0,
	  { [V_JMP] = "EB 07 8D 84 24 00 01 00 00",
	    [V_NTA] = "3E 0F 18 84 24 00 01 00 00",
	    [V_3DN] = "3E 0F 0D 84 24 00 01 00 00",
	    [V_NOPL] = "3E 0F 1F 84 24 00 01 00 00" } },
	/* prefetcht2 (%ebx): the shortest site */
	{ "prefetch t2 (%ebx)", FIXUP_KIND_PREFETCH, C_PF, 1, "EB 02 8D 1B", 0,
	  { [V_JMP] = "EB 02 8D 1B", [V_NTA] = "3E 0F 18 1B",
	    [V_3DN] = "3E 0F 0D 03", [V_NOPL] = "3E 0F 1F 03" } },
	/* prefetchnta 0x11223344: mod 0, rm 5 = disp32 alone */
	{ "prefetch abs", FIXUP_KIND_PREFETCH, C_PF, 0,
	  "EB 06 8D 05 44 33 22 11", 0,
	  { [V_JMP] = "EB 06 8D 05 44 33 22 11",
	    [V_NTA] = "3E 0F 18 05 44 33 22 11",
	    [V_3DN] = "3E 0F 0D 05 44 33 22 11",
	    [V_NOPL] = "3E 0F 1F 05 44 33 22 11" } },
	/* prefetcht1 8(%esp): ModRM 54, SIB 24, disp8 */
	{ "prefetch t1 sib disp8", FIXUP_KIND_PREFETCH, C_PF, 0,
	  "EB 04 8D 54 24 08", 0,
	  { [V_JMP] = "EB 04 8D 54 24 08", [V_NTA] = "3E 0F 18 54 24 08",
	    [V_3DN] = "3E 0F 0D 44 24 08", [V_NOPL] = "3E 0F 1F 44 24 08" } },
	{ "prefetchw disp8", FIXUP_KIND_PREFETCHW, C_PW, 0, "EB 03 8D 4E 40", 0,
	  { [V_JMP] = "EB 03 8D 4E 40", [V_3DN] = "3E 0F 0D 4E 40",
	    [V_T0] = "3E 0F 18 4E 40", [V_NOPL] = "3E 0F 1F 46 40" } },
	/* prefetchw 0x1000(,%ecx,4): SIB base 5 with mod 0 = disp32 */
	{ "prefetchw sib nobase", FIXUP_KIND_PREFETCHW, C_PW, 1,
	  "EB 07 8D 0C 8D 00 10 00 00", 0,
	  { [V_JMP] = "EB 07 8D 0C 8D 00 10 00 00",
	    [V_3DN] = "3E 0F 0D 0C 8D 00 10 00 00",
	    [V_T0] = "3E 0F 18 0C 8D 00 10 00 00",
	    [V_NOPL] = "3E 0F 1F 04 8D 00 10 00 00" } },
	{ "movntq (%edi)", FIXUP_KIND_MOVNTQ, C_NTQ, 0, "0F 7F 07", 0,
	  { [V_MOVQ] = "0F 7F 07", [V_MOVNTQ] = "0F E7 07" } },
	{ "movntq 0x80(%esp)", FIXUP_KIND_MOVNTQ, C_NTQ, 0,
	  "0F 7F 8C 24 80 00 00 00", 0,
	  { [V_MOVQ] = "0F 7F 8C 24 80 00 00 00",
	    [V_MOVNTQ] = "0F E7 8C 24 80 00 00 00" } },
	{ "movnti 4(%edi)", FIXUP_KIND_MOVNTI, C_NTI, 0, "3E 89 47 04", 0,
	  { [V_MOVL] = "3E 89 47 04", [V_MOVNTI] = "0F C3 47 04" } },
	{ "movnti (%esi,%ecx,4)", FIXUP_KIND_MOVNTI, C_NTI, 1, "3E 89 14 8E", 0,
	  { [V_MOVL] = "3E 89 14 8E", [V_MOVNTI] = "0F C3 14 8E" } },
	{ "apic abs", FIXUP_KIND_APIC_WRITE, C_APIC, 0, "89 05 20 03 E0 FE", 0,
	  { [V_MOVL] = "89 05 20 03 E0 FE", [V_XCHG] = "87 05 20 03 E0 FE" } },
	{ "apic (%edx)", FIXUP_KIND_APIC_WRITE, C_APIC, 0, "89 02", 0,
	  { [V_MOVL] = "89 02", [V_XCHG] = "87 02" } },
	{ "apic disp32(%edx)", FIXUP_KIND_APIC_WRITE, C_APIC, 1,
	  "89 9A 80 03 00 00", 0,
	  { [V_MOVL] = "89 9A 80 03 00 00", [V_XCHG] = "87 9A 80 03 00 00" } },
	{ "call copy", FIXUP_KIND_CALL, C_COPY, 1, NULL, V_COPY_GEN, { 0 } },
	{ "call copy_mmx", FIXUP_KIND_CALL, C_COPY, 0, NULL, V_COPY_MMX, { 0 } },
	{ "call sync", FIXUP_KIND_CALL, C_SYNC, 0, NULL, V_SYNC_GEN,
	  { [V_NOP6] = NOP6, [V_NOP4] = NOP4 } },
	{ "call x", FIXUP_KIND_CALL, C_X, 0, NULL, V_X_SMP, { 0 } },
	{ "vanished call", FIXUP_KIND_CALL, C_NOPCALL, 0, NOP4, 0,
	  { [V_NOP6] = NOP6, [V_NOP4] = NOP4 } },
	{ "smp_wmb (init)", FIXUP_KIND_SMP_WMB, C_SMP_WMB, 1, LADD, 0,
	  { [V_SF6] = "0F AE F8 66 90",
	    [V_SF4] = "0F AE F8 89 F6", [V_NOP6] = NOP6, [V_NOP4] = NOP4,
	    [V_LADD] = LADD } },
	/*
	 * The thunk kinds: a branch to the thunk of a register (call E8,
	 * jmp E9), lfence; call/jmp *%reg (0F AE E8, FF D0+r / FF E0+r),
	 * or the branch inline, padded with NOPs after a call and int3
	 * after a jmp; a return thunk's jmp becomes ret and four int3.
	 */
	{ "thunk call eax", FIXUP_KIND_THUNK_CALL, C_TCALL, 0, NULL, V_TH0,
	  { [V_TLFENCE] = "0F AE E8 FF D0", [V_INL6] = "FF D0 0F 1F 00",
	    [V_INL4] = "FF D0 8D 76 00" } },
	{ "thunk call edi (init)", FIXUP_KIND_THUNK_CALL, C_TCALL, 1, NULL,
	  V_TH0 + 7,
	  { [V_TLFENCE] = "0F AE E8 FF D7", [V_INL6] = "FF D7 0F 1F 00",
	    [V_INL4] = "FF D7 8D 76 00" } },
	/* inline with 486 NOPs, as a pass on a 486 left it */
	{ "thunk call ebp, inline", FIXUP_KIND_THUNK_CALL, C_TCALL, 0,
	  "FF D5 8D 76 00", V_TH0 + 5,
	  { [V_TLFENCE] = "0F AE E8 FF D5", [V_INL6] = "FF D5 0F 1F 00",
	    [V_INL4] = "FF D5 8D 76 00" } },
	{ "thunk jmp ecx", FIXUP_KIND_THUNK_JMP, C_TJMP, 0, NULL, V_TH0 + 1,
	  { [V_TLFENCE] = "0F AE E8 FF E1", [V_INL6] = "FF E1 CC CC CC",
	    [V_INL4] = "FF E1 CC CC CC" } },
	{ "thunk jmp esi, lfence (init)", FIXUP_KIND_THUNK_JMP, C_TJMP, 1,
	  "0F AE E8 FF E6", V_TH0 + 6,
	  { [V_TLFENCE] = "0F AE E8 FF E6", [V_INL6] = "FF E6 CC CC CC",
	    [V_INL4] = "FF E6 CC CC CC" } },
	{ "thunk jmp edx, inline", FIXUP_KIND_THUNK_JMP, C_TJMP, 0,
	  "FF E2 CC CC CC", V_TH0 + 2,
	  { [V_TLFENCE] = "0F AE E8 FF E2", [V_INL6] = "FF E2 CC CC CC",
	    [V_INL4] = "FF E2 CC CC CC" } },
	{ "return", FIXUP_KIND_RETURN, C_RET, 0, NULL, V_RET_TH,
	  { [V_RET] = "C3 CC CC CC CC" } },
	{ "return, ret (init)", FIXUP_KIND_RETURN, C_RET, 1, "C3 CC CC CC CC",
	  V_RET_TH, { [V_RET] = "C3 CC CC CC CC" } },
	/* patched by an older rule (lfence on SSE2): still a variant */
	{ "smp_rmb as lfence", FIXUP_KIND_SMP_RMB, C_SMP_RMB, 0,
	  "0F AE E8 89 F6", 0,
	  { [V_LF6] = "0F AE E8 66 90", [V_LF4] = "0F AE E8 89 F6",
	    [V_NOP6] = NOP6, [V_NOP4] = NOP4 } },
};

#define NSITES	ARRAY_SIZE(tsites)

/* ---- CPUs ---- */

struct profile {
	const char *name;
	struct cpuinfo cpu;
	enum var nop;		/* NOP set of this CPU */
	enum var v[NCOL];	/* SMP_* columns: what SMP gets */
};

#define F(x)		X86_FEATURE_##x
#define CPU(vn, ve, fam, mod, feat, bug)				\
	{ .vendor_name = vn, .vendor = X86_VENDOR_##ve, .family = fam,	\
	  .model = mod, .cpuid_level = 1, .features = (feat),		\
	  .bugs = (bug) }

#define P5_FEAT		(F(FPU) | F(PSE) | F(TSC) | F(CX8) | F(CPUID))
#define P6_FEAT		(P5_FEAT | F(APIC) | F(PAE) | F(PGE) | F(CMOV) | \
			 F(MMX) | F(FXSR) | F(NOPL))

/* No Spectre v2 mode bit: the branches inline, padded with this CPU's NOPs. */
#define NO_THUNKS6	[C_TCALL] = V_INL6, [C_TJMP] = V_INL6, [C_RET] = V_RET
#define NO_THUNKS4	[C_TCALL] = V_INL4, [C_TJMP] = V_INL4, [C_RET] = V_RET

static const struct profile profiles[] = {
	{ "486", { .vendor_name = "unknown", .family = 4, .model = 8,
		   .features = F(FPU) }, V_NOP4,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_LADD,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP4, [C_SMP_WMB] = V_NOP4,
	    [C_PF] = V_JMP, [C_PW] = V_JMP, [C_NTQ] = V_MOVQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_GEN,
	    NO_THUNKS4 } },
	{ "Pentium MMX", CPU("GenuineIntel", INTEL, 5, 4,
			     P5_FEAT | F(MMX), 0), V_NOP4,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_LADD,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP4, [C_SMP_WMB] = V_NOP4,
	    [C_PF] = V_JMP, [C_PW] = V_JMP, [C_NTQ] = V_MOVQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_MMX,
	    NO_THUNKS4 } },
	{ "Pentium 11AP", CPU("GenuineIntel", INTEL, 5, 2,
			      P5_FEAT | F(APIC), X86_BUG_11AP), V_NOP4,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_LADD,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP4, [C_SMP_WMB] = V_NOP4,
	    [C_PF] = V_JMP, [C_PW] = V_JMP, [C_NTQ] = V_MOVQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_XCHG, [C_COPY] = V_COPY_GEN,
	    NO_THUNKS4 } },
	{ "Pentium II", CPU("GenuineIntel", INTEL, 6, 5, P6_FEAT, 0), V_NOP6,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_LADD,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_NOPL, [C_PW] = V_NOPL, [C_NTQ] = V_MOVQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_MMX,
	    NO_THUNKS6 } },
	{ "Pentium III", CPU("GenuineIntel", INTEL, 6, 7,
			     P6_FEAT | F(SSE), 0), V_NOP6,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_SF6,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_NTA, [C_PW] = V_T0, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_MMX,
	    NO_THUNKS6 } },
	{ "Pentium 4", CPU("GenuineIntel", INTEL, 15, 2,
			   P6_FEAT | F(SSE) | F(SSE2) | F(HT), 0), V_NOP6,
	  { [C_MB] = V_MF6, [C_RMB] = V_LF6, [C_WMB] = V_SF6,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_NTA, [C_PW] = V_T0, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVNTI, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_SSE2,
	    NO_THUNKS6 } },
	/* clearcpuid=nopl on a P4: fences padded with 486 NOPs */
	{ "Pentium 4 -nopl", CPU("GenuineIntel", INTEL, 15, 2,
				 (P6_FEAT | F(SSE) | F(SSE2)) & ~F(NOPL), 0),
	  V_NOP4,
	  { [C_MB] = V_MF4, [C_RMB] = V_LF4, [C_WMB] = V_SF4,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP4, [C_SMP_WMB] = V_NOP4,
	    [C_PF] = V_NTA, [C_PW] = V_T0, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVNTI, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_SSE2,
	    NO_THUNKS4 } },
	{ "K6-2", CPU("AuthenticAMD", AMD, 5, 8,
		      P5_FEAT | F(PGE) | F(MMX) | F(3DNOW), 0), V_NOP4,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_LADD,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP4, [C_SMP_WMB] = V_NOP4,
	    [C_PF] = V_3DN, [C_PW] = V_3DN, [C_NTQ] = V_MOVQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_MMX,
	    NO_THUNKS4 } },
	{ "Athlon", CPU("AuthenticAMD", AMD, 6, 4,
			P6_FEAT | F(MMXEXT) | F(3DNOW) | F(3DNOWEXT), 0),
	  V_NOP6,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_LADD,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_3DN, [C_PW] = V_3DN, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_MMX,
	    NO_THUNKS6 } },
	/* SSE and 3DNow!: PREFETCH takes SSE's, PREFETCHW 3DNow!'s */
	{ "Athlon XP", CPU("AuthenticAMD", AMD, 6, 6,
			   P6_FEAT | F(SSE) | F(MMXEXT) | F(3DNOW) |
			   F(3DNOWEXT), 0), V_NOP6,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_SF6,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_NTA, [C_PW] = V_3DN, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_MMX,
	    NO_THUNKS6 } },
	{ "WinChip C6", CPU("CentaurHauls", CENTAUR, 5, 4,
			    F(FPU) | F(TSC) | F(CX8) | F(MMX) | F(CPUID),
			    X86_BUG_OOSTORE), V_NOP4,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_LADD,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP4, [C_SMP_WMB] = V_LADD,
	    [C_PF] = V_JMP, [C_PW] = V_JMP, [C_NTQ] = V_MOVQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_MMX,
	    NO_THUNKS4 } },
	/* not a real CPU: OOSTORE with SSE, for the sfence branch */
	{ "OOSTORE+SSE", CPU("CentaurHauls", CENTAUR, 6, 0,
			     F(FPU) | F(MMX) | F(SSE) | F(CPUID),
			     X86_BUG_OOSTORE), V_NOP4,
	  { [C_MB] = V_LADD, [C_RMB] = V_LADD, [C_WMB] = V_SF4,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP4, [C_SMP_WMB] = V_SF4,
	    [C_PF] = V_NTA, [C_PW] = V_T0, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVL, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_MMX,
	    NO_THUNKS4 } },
	/* the PREFETCHW bit without 3DNow!: prefetchw, not prefetcht0 */
	{ "Zen 2", CPU("AuthenticAMD", AMD, 0x17, 0x71,
		       P6_FEAT | F(SSE) | F(SSE2) | F(SSE3) | F(MMXEXT) |
		       F(PREFETCHW), 0), V_NOP6,
	  { [C_MB] = V_MF6, [C_RMB] = V_LF6, [C_WMB] = V_SF6,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_NTA, [C_PW] = V_3DN, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVNTI, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_SSE2,
	    NO_THUNKS6 } },
	{ "Tiger Lake", CPU("GenuineIntel", INTEL, 6, 0x8c,
			    P6_FEAT | F(SSE) | F(SSE2) | F(SSE3) |
			    F(PREFETCHW), 0), V_NOP6,
	  { [C_MB] = V_MF6, [C_RMB] = V_LF6, [C_WMB] = V_SF6,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_NTA, [C_PW] = V_3DN, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVNTI, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_SSE2,
	    NO_THUNKS6 } },
	/* the Spectre v2 modes, as spectre.c sets their bits */
	{ "Skylake retpoline", CPU("GenuineIntel", INTEL, 6, 0x5e,
				   P6_FEAT | F(SSE) | F(SSE2) | F(SSE3) |
				   F(PREFETCHW) | F(RETPOLINE),
				   X86_BUG_SPECTRE_V2), V_NOP6,
	  { [C_MB] = V_MF6, [C_RMB] = V_LF6, [C_WMB] = V_SF6,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_NTA, [C_PW] = V_3DN, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVNTI, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_SSE2,
	    [C_TCALL] = V_THUNK, [C_TJMP] = V_THUNK, [C_RET] = V_RET } },
	{ "Core 2 lfence", CPU("GenuineIntel", INTEL, 6, 0x0f,
			       P6_FEAT | F(SSE) | F(SSE2) | F(SSE3) |
			       F(RETPOLINE_LFENCE), X86_BUG_SPECTRE_V2),
	  V_NOP6,
	  { [C_MB] = V_MF6, [C_RMB] = V_LF6, [C_WMB] = V_SF6,
	    [C_SMP_MB] = V_LADD, [C_SMP_RMB] = V_NOP6, [C_SMP_WMB] = V_NOP6,
	    [C_PF] = V_NTA, [C_PW] = V_T0, [C_NTQ] = V_MOVNTQ,
	    [C_NTI] = V_MOVNTI, [C_APIC] = V_MOVL, [C_COPY] = V_COPY_SSE2,
	    [C_TCALL] = V_TLFENCE, [C_TJMP] = V_TLFENCE, [C_RET] = V_RET } },
};

/* The rules that depend on the CPU count, spelled out. */
static enum var expect(const struct profile *p, enum col c, bool smp)
{
	switch (c) {
	case C_LOCK:	return smp ? V_LOCK : V_DS;
	case C_SMP_MB:
	case C_SMP_RMB:
	case C_SMP_WMB:	return smp ? p->v[c] : p->nop;
	case C_SYNC:	return smp ? V_SYNC_GEN : p->nop;
	case C_X:	return smp ? V_X_SMP : V_X_UP;
	case C_NOPCALL:	return p->nop;
	default:	return p->v[c];
	}
}

/* Bytes of variant v of site t at "at"; false if the table lacks them. */
static bool variant_bytes(const struct tsite *t, enum var v, const u8 *at,
			  u8 *out, unsigned int *len)
{
	bool jmp = t->kind == FIXUP_KIND_THUNK_JMP ||
		   t->kind == FIXUP_KIND_RETURN;

	if (v == V_THUNK)		/* its compiled branch */
		v = t->call;
	if (var_fn(v)) {
		branch_bytes(out, jmp ? 0xe9 : 0xe8, at, var_fn(v));
		*len = 5;
		return true;
	}
	if (!t->as[v])
		return false;
	*len = tap_hex(out, t->as[v]);
	return true;
}

struct built {
	u8 *at[NSITES];
	unsigned int len[NSITES];
	const struct fixup_site *start, *end;
};

/* Lay out every test site and its record in a fresh arena. */
static void build_all(struct built *b)
{
	unsigned int i, n;
	u8 bytes[16];

	reset();
	for (i = 0; i < NSITES; i++) {
		const struct tsite *t = &tsites[i];
		u8 **cur = t->init ? &init_cur : &text_cur;

		if (t->compiled) {
			n = tap_hex(bytes, t->compiled);
			b->at[i] = place(cur, bytes, n);
		} else {
			b->at[i] = *cur;
			variant_bytes(t, t->call, *cur, bytes, &n);
			place(cur, bytes, n);
		}
		b->len[i] = n;
		record(t->kind, n, b->at[i]);
	}
	b->start = (const struct fixup_site *)(arena + REC_OFF);
	b->end = (const struct fixup_site *)rec_cur;
}

/* The overlap map: room for every text range a test uses. */
static u8 taken[ARENA / 8];

static struct fixup_env env_for(const struct cpuinfo *c, bool smp,
				const struct fixup_hooks *h)
{
	return (struct fixup_env){
		.cpu = c, .smp = smp, .text = ranges,
		.nr_text = ARRAY_SIZE(ranges), .calls = groups,
		.nr_calls = ARRAY_SIZE(groups), .thunks = thunks,
		.nr_thunks = ARRAY_SIZE(thunks), .hooks = h,
		.taken = taken, .taken_size = sizeof(taken),
	};
}

struct kind_want {
	u32 sites, patched;
	const char *variant;
};

static void check_stats(const char *tag, const struct fixup_stats *st,
			const struct kind_want *kw, u32 patched)
{
	unsigned int k;
	bool ok_kinds = true;

	for (k = 0; k < FIXUP_NR_KINDS; k++) {
		const struct fixup_kind_stats *s = &st->kind[k];
		const char *v = kw[k].variant;

		if (s->sites == kw[k].sites && s->patched == kw[k].patched &&
		    s->unchanged == kw[k].sites - kw[k].patched && !s->rejected &&
		    (v ? s->variant && !strcmp(s->variant, v) : !s->variant))
			continue;
		ok_kinds = false;
		diag("%s: kind %u sites %u/%u patched %u/%u variant %s/%s",
		     tag, k, s->sites, kw[k].sites, s->patched, kw[k].patched,
		     s->variant ? s->variant : "-", v ? v : "-");
	}
	ok(ok_kinds, "%s: per-kind stats", tag);
	ok(st->sites == NSITES && st->patched == patched &&
	   st->unchanged == NSITES - patched && st->rejected == 0,
	   "%s: totals sites=%u patched=%u unchanged=%u rejected=%u", tag,
	   st->sites, st->patched, st->unchanged, st->rejected);
}

/* Every site kind on one CPU in one mode, then a second pass. */
/*
 * want = the arena with every site as profile p in this mode makes it,
 * per-kind expectations in kw[]; returns the number of sites that
 * change. sync_lost: the sync call vanished in an earlier pass and,
 * its group unknown, stays a NOP.
 */
static u32 expect_all(const char *tag, const struct built *b,
		      const struct profile *p, bool smp, bool sync_lost,
		      struct kind_want *kw)
{
	unsigned int i, n;
	u32 patched = 0;
	bool have_all = true;
	u8 bytes[16];

	memset(kw, 0, FIXUP_NR_KINDS * sizeof(*kw));
	memcpy(want, arena, ARENA);
	for (i = 0; i < NSITES; i++) {
		const struct tsite *t = &tsites[i];
		enum var v = expect(p, t->col, smp);
		struct kind_want *w = &kw[t->kind];

		if (t->col == C_SYNC && sync_lost)
			v = p->nop;
		if (!variant_bytes(t, v, b->at[i], bytes, &n) ||
		    n != b->len[i]) {
			diag("%s: test table lacks %s for %s", tag,
			     var_name[v], t->what);
			have_all = false;
			continue;
		}
		memcpy(want + (b->at[i] - arena), bytes, n);
		if (memcmp(bytes, b->at[i], n)) {
			w->patched++;
			patched++;
		}
		if (w->sites++ == 0)
			w->variant = var_name[v];
		else if (strcmp(w->variant, var_name[v]))
			w->variant = "mixed";
	}
	ok(have_all, "%s: expectations complete", tag);
	return patched;
}

static void test_profile(const struct profile *p, bool smp)
{
	struct kind_want kw[FIXUP_NR_KINDS];
	struct fixup_env env;
	struct fixup_stats st;
	struct dbg d = { 0 };
	struct fixup_hooks hooks = { .ctx = &d, .reject = on_reject,
				     .debug = on_debug };
	struct built b;
	unsigned int i;
	u32 patched;
	char tag[64];

	snprintf(tag, sizeof(tag), "%s %s", p->name, smp ? "SMP" : "UP");
	build_all(&b);
	patched = expect_all(tag, &b, p, smp, false, kw);

	d.site = b.at[0];	/* the first LOCK site */
	env = env_for(&p->cpu, smp, &hooks);
	nrej = 0;
	fixup_apply(b.start, b.end, &env, &st);

	if (!ok(arena_ok(), "%s: bytes", tag)) {
		for (i = 0; i < NSITES; i++) {
			size_t o = b.at[i] - arena;

			if (memcmp(arena + o, want + o, b.len[i])) {
				diag("site %s:", tsites[i].what);
				diag_bytes("got ", arena + o, b.len[i]);
				diag_bytes("want", want + o, b.len[i]);
			}
		}
	}
	is_int(nrej, 0, "%s: nothing rejected", tag);
	check_stats(tag, &st, kw, patched);
	ok(d.calls == NSITES && d.len == 1 && d.kind == FIXUP_KIND_LOCK &&
	   d.old[0] == 0xf0 && d.new[0] == (smp ? 0xf0 : 0x3e) &&
	   !strcmp(d.variant, smp ? "lock" : "ds"),
	   "%s: debug hook sees every site, old and new bytes", tag);

	fixup_apply(b.start, b.end, &env, &st);
	ok(!memcmp(arena, want, ARENA) && st.patched == 0 &&
	   st.unchanged == NSITES && st.rejected == 0,
	   "%s: second pass changes nothing", tag);
}

/*
 * A table patched for one CPU, then for another: every site must be
 * recognised in the first CPU's variant, NOP padding of either set
 * included, and become the second's.
 */
static void test_repatch(const struct profile *a, bool a_smp,
			 const struct profile *b, bool b_smp)
{
	struct fixup_env env = env_for(&a->cpu, a_smp, NULL);
	struct kind_want kw[FIXUP_NR_KINDS];
	struct fixup_stats st;
	struct built bl;
	u32 patched;
	char tag[96];

	snprintf(tag, sizeof(tag), "%s %s, then %s %s", a->name,
		 a_smp ? "SMP" : "UP", b->name, b_smp ? "SMP" : "UP");
	build_all(&bl);
	fixup_apply(bl.start, bl.end, &env, &st);
	patched = expect_all(tag, &bl, b, b_smp, !a_smp, kw);
	env = env_for(&b->cpu, b_smp, NULL);
	fixup_apply(bl.start, bl.end, &env, &st);
	ok(arena_ok(), "%s: bytes", tag);
	check_stats(tag, &st, kw, patched);
}

/* NOP padding: both sets, every length the sites need and beyond. */
static void test_pad(void)
{
	static const char *const want4[] = {
		"90", "89 F6", "8D 76 00", "8D 74 26 00", "90 8D 74 26 00",
		"8D B6 00 00 00 00", "8D B4 26 00 00 00 00",
		"8D B4 26 00 00 00 00 90",
	};
	static const char *const want6[] = {
		"90", "66 90", "0F 1F 00", "0F 1F 40 00", "0F 1F 44 00 00",
		"66 0F 1F 44 00 00", "0F 1F 80 00 00 00 00",
		"0F 1F 84 00 00 00 00 00", "0F 1F 84 00 00 00 00 00 90",
	};
	u8 buf[16], w[16];
	unsigned int n;
	bool good = true;

	for (n = 1; n <= ARRAY_SIZE(want4); n++) {
		memset(buf, 0xcc, sizeof(buf));
		fixup_pad(buf, n, false);
		good &= tap_hex(w, want4[n - 1]) == n && !memcmp(buf, w, n) &&
			buf[n] == 0xcc && fixup_is_pad(buf, n, false);
	}
	for (n = 1; n <= ARRAY_SIZE(want6); n++) {
		memset(buf, 0xcc, sizeof(buf));
		fixup_pad(buf, n, true);
		good &= tap_hex(w, want6[n - 1]) == n && !memcmp(buf, w, n) &&
			buf[n] == 0xcc && fixup_is_pad(buf, n, true);
	}
	ok(good, "NOP padding: both sets as documented, nothing beyond");
	tap_hex(w, "90 90 90 90 90");
	ok(!fixup_is_pad(w, 5, false) && !fixup_is_pad(w, 5, true) &&
	   fixup_is_pad(w, 1, true) && fixup_is_pad(w, 0, false),
	   "NOP padding: other NOP runs are not padding");
}

/* ---- bad records ---- */

struct bad {
	const char *what;
	u8 kind;
	int len;		/* -1: the byte count of "bytes" */
	const char *bytes;
	const char *why;
};

static const struct bad bads[] = {
	{ "zero length", FIXUP_KIND_LOCK, 0, "F0", "bad length" },
	{ "MB of 6", FIXUP_KIND_MB, 6, LADD " 90", "bad length" },
	{ "PREFETCH of 10", FIXUP_KIND_PREFETCH, 10,
	  "EB 08 8D 84 24 00 01 00 00 90", "bad length" },
	{ "LOCK of 16", FIXUP_KIND_LOCK, 16, "F0", "bad length" },
	{ "LOCK of 255", FIXUP_KIND_LOCK, 255, "F0", "bad length" },
	{ "kind 0", 0, -1, "F0", "unknown kind" },
	{ "kind 14", FIXUP_NR_KINDS, -1, "F0", "unknown kind" },
	{ "kind 255", 255, -1, "F0", "unknown kind" },
	{ "LOCK on a nop", FIXUP_KIND_LOCK, -1, "90", "bytes not a variant" },
	{ "MB addl $1", FIXUP_KIND_MB, -1, "F0 83 04 24 01",
	  "bytes not a variant" },
	{ "WMB holding mfence", FIXUP_KIND_WMB, -1, "0F AE F0 66 90",
	  "bytes not a variant" },
	{ "SMP_MB of 5 x 90", FIXUP_KIND_SMP_MB, -1, "90 90 90 90 90",
	  "bytes not a variant" },
	{ "MOVNTQ register operand", FIXUP_KIND_MOVNTQ, -1, "0F 7F C0",
	  "bytes not a variant" },
	/* mod 3 would be 4 bytes if taken for mod 2: the length fits */
	{ "MOVNTQ register operand, len 6", FIXUP_KIND_MOVNTQ, -1,
	  "0F 7F C0 00 00 00", "bytes not a variant" },
	{ "APIC_WRITE register operand", FIXUP_KIND_APIC_WRITE, -1,
	  "89 C8 00 00 00", "bytes not a variant" },
	{ "MOVNTQ longer than its operand", FIXUP_KIND_MOVNTQ, -1, "0F 7F 07 00",
	  "bytes not a variant" },
	{ "MOVNTQ shorter than its operand", FIXUP_KIND_MOVNTQ, -1, "0F 7F 47",
	  "bytes not a variant" },
	{ "APIC_WRITE SIB cut off", FIXUP_KIND_APIC_WRITE, -1, "89 04",
	  "bytes not a variant" },
	{ "APIC_WRITE not a mov", FIXUP_KIND_APIC_WRITE, -1, "8B 02",
	  "bytes not a variant" },
	{ "MOVNTI without ds", FIXUP_KIND_MOVNTI, -1, "90 89 47 04",
	  "bytes not a variant" },
	{ "PREFETCH jump wrong", FIXUP_KIND_PREFETCH, -1, "EB 04 8D 48 10",
	  "bytes not a variant" },
	{ "PREFETCH hint /5", FIXUP_KIND_PREFETCH, -1, "EB 03 8D 68 10",
	  "bytes not a variant" },
	{ "PREFETCHW with %eax", FIXUP_KIND_PREFETCHW, -1, "EB 03 8D 40 10",
	  "bytes not a variant" },
	{ "PREFETCHW 3dnow /0", FIXUP_KIND_PREFETCHW, -1, "3E 0F 0D 00",
	  "bytes not a variant" },
	{ "CALL as jmp", FIXUP_KIND_CALL, -1, "E9 00 00 00 00",
	  "bytes not a variant" },
	{ "CALL to a stranger", FIXUP_KIND_CALL, -1, "E8 00 00 00 00",
	  "call target not in a group" },
	{ "THUNK_CALL to a stranger", FIXUP_KIND_THUNK_CALL, -1,
	  "E8 00 00 00 00", "branch target not a thunk of its kind" },
	{ "RETURN to a stranger", FIXUP_KIND_RETURN, -1, "E9 00 00 00 00",
	  "branch target not a thunk of its kind" },
	{ "THUNK_CALL as jmp", FIXUP_KIND_THUNK_CALL, -1, "E9 00 00 00 00",
	  "bytes not a variant" },
	{ "THUNK_JMP call *%eax", FIXUP_KIND_THUNK_JMP, -1, "FF D0 CC CC CC",
	  "bytes not a variant" },
	{ "THUNK_CALL padded with nop nop nop", FIXUP_KIND_THUNK_CALL, -1,
	  "FF D0 90 90 90", "bytes not a variant" },
	{ "THUNK_CALL inc %eax", FIXUP_KIND_THUNK_CALL, -1, "FF C0 8D 76 00",
	  "bytes not a variant" },
	{ "THUNK_CALL call *(%eax)", FIXUP_KIND_THUNK_CALL, -1,
	  "FF 10 8D 76 00", "bytes not a variant" },
	{ "THUNK_JMP lfence without jmp", FIXUP_KIND_THUNK_JMP, -1,
	  "0F AE E8 89 F6", "bytes not a variant" },
	{ "RETURN ret padded with nops", FIXUP_KIND_RETURN, -1,
	  "C3 8D 74 26 00", "bytes not a variant" },
	{ "THUNK_CALL call *%esp", FIXUP_KIND_THUNK_CALL, -1,
	  "FF D4 0F 1F 00", "branch through esp" },
	{ "THUNK_JMP lfence; jmp *%esp", FIXUP_KIND_THUNK_JMP, -1,
	  "0F AE E8 FF E4", "branch through esp" },
};

/* Bad records between good ones; in UP mode every good site changes. */
static void test_bad_records(void)
{
	static const struct profile *p = &profiles[4];	/* Pentium III */
	struct fixup_hooks hooks = { .reject = on_reject };
	struct fixup_env env = env_for(&p->cpu, false, &hooks);
	const struct fixup_site *rec[64];
	const u8 *site[64];
	const char *why[64];
	unsigned int i, n, nbad = 0;
	struct fixup_stats st;
	const struct fixup_site *start;
	u8 b[16], *at;
	bool all = true;

	reset();
	start = (const struct fixup_site *)rec_cur;
#define BAD(r, s, w)							\
	do { rec[nbad] = (r); site[nbad] = (s); why[nbad++] = (w); } while (0)
#define GOOD(k, bytes, after) do {					\
	n = tap_hex(b, bytes);						\
	at = place(&text_cur, b, n);					\
	record(k, n, at);						\
	tap_hex(want + (at - arena), after);				\
	} while (0)

	memcpy(want, arena, ARENA);	/* canary; sites are added below */
	for (i = 0; i < ARRAY_SIZE(bads); i++) {
		const struct bad *x = &bads[i];
		u8 *s;

		GOOD(FIXUP_KIND_LOCK, "F0", "3E");
		n = tap_hex(b, x->bytes);
		s = place(&text_cur, b, n);
		memcpy(want + (s - arena), b, n);
		BAD(record(x->kind, x->len < 0 ? n : (unsigned int)x->len, s),
		    s, x->why);
	}

	/* outside text: in data, straddling the end, far away */
	GOOD(FIXUP_KIND_LOCK, "F0", "3E");
	at = arena + DATA_OFF;
	*at = 0xf0;
	want[DATA_OFF] = 0xf0;
	BAD(record(FIXUP_KIND_LOCK, 1, at), at, "outside text");
	at = arena + TEXT_END - 2;
	tap_hex(at, LADD);
	tap_hex(want + (at - arena), LADD);
	BAD(record(FIXUP_KIND_MB, 5, at), at, "outside text");
	at = arena + INIT_OFF - 1;
	at[0] = want[at - arena] = 0xf0;
	BAD(record(FIXUP_KIND_LOCK, 1, at), at, "outside text");
	{
		struct fixup_site *r = (struct fixup_site *)rec_cur;

		record(FIXUP_KIND_LOCK, 1, arena);
		r->rel = 0x40000000;	/* 1 GiB away: must not be read */
		BAD(r, (const u8 *)&r->rel + r->rel, "outside text");
	}

	/* a site inside the previous one: an F0 in a displacement */
	GOOD(FIXUP_KIND_APIC_WRITE, "89 05 F0 00 00 00", "89 05 F0 00 00 00");
	BAD(record(FIXUP_KIND_LOCK, 1, at + 2), at + 2, "overlaps another site");
	/* a site that runs into the previous one */
	GOOD(FIXUP_KIND_LOCK, "F0", "3E");
	BAD(record(FIXUP_KIND_MB, 5, at - 4), at - 4, "overlaps another site");
	/* the same record twice */
	GOOD(FIXUP_KIND_LOCK, "F0", "3E");
	BAD(record(FIXUP_KIND_LOCK, 1, at), at, "overlaps another site");
	GOOD(FIXUP_KIND_MB, LADD, LADD);
	/* a good site right after a rejected overlap still goes through */
	GOOD(FIXUP_KIND_SMP_MB, LADD, NOP6);

	/* the records themselves must stay as they are */
	memcpy(want + REC_OFF, arena + REC_OFF, rec_cur - (arena + REC_OFF));
	nrej = 0;
	fixup_apply(start, (const struct fixup_site *)rec_cur, &env, &st);

	ok(arena_ok(), "bad records: only good sites changed");
	is_int(nrej, nbad, "bad records: every one reported");
	for (i = 0; i < nbad && i < (unsigned int)nrej; i++) {
		if (rejs[i].rec == rec[i] && rejs[i].site == site[i] &&
		    rejs[i].kind == rec[i]->kind &&
		    !strcmp(rejs[i].why, why[i]))
			continue;
		all = false;
		diag("reject %u: got %s, want %s", i, rejs[i].why, why[i]);
	}
	ok(all, "bad records: record, site, kind and reason reported");
	for (i = 0; i < ARRAY_SIZE(bads); i++)
		ok(!strcmp(rejs[i].why, bads[i].why), "bad record: %s (%s)",
		   bads[i].what, bads[i].why);
	is_int(st.rejected, nbad, "bad records: counted");
	is_int(st.sites, nbad + ARRAY_SIZE(bads) + 6, "bad records: all sites");
	is_int(st.kind[FIXUP_KIND_LOCK].rejected, 9, "bad records: LOCK rejects");
	is_int(st.kind[FIXUP_KIND_LOCK].sites, ARRAY_SIZE(bads) + 3,
	       "bad records: LOCK accepted");
#undef BAD
#undef GOOD
}

/* ---- call groups alone ---- */

static void test_calls(void)
{
	static const struct fixup_hooks rej_hooks = { .reject = on_reject };
	struct fixup_env env;
	struct fixup_stats st;
	const struct fixup_site *start;
	u8 b[5], *at[2];
	unsigned int i;

	reset();
	start = (const struct fixup_site *)rec_cur;
	for (i = 0; i < 2; i++) {
		at[i] = text_cur;
		call_bytes(b, at[i], FN(0));
		place(&text_cur, b, 5);
		record(FIXUP_KIND_CALL, 5, at[i]);
	}

	env = env_for(&profiles[5].cpu, true, NULL);	/* Pentium 4 */
	fixup_apply(start, (const struct fixup_site *)rec_cur, &env, &st);
	call_bytes(b, at[1], FN(1));
	ok(!memcmp(at[1], b, 5) && st.kind[FIXUP_KIND_CALL].patched == 2 &&
	   !strcmp(st.kind[FIXUP_KIND_CALL].variant, "copy_sse2"),
	   "call: one group, first fitting variant named");

	env = env_for(&profiles[0].cpu, true, &rej_hooks);	/* 486 */
	fixup_apply(start, (const struct fixup_site *)rec_cur, &env, &st);
	call_bytes(b, at[0], FN(0));
	ok(!memcmp(at[0], b, 5) && st.kind[FIXUP_KIND_CALL].patched == 2 &&
	   !strcmp(st.kind[FIXUP_KIND_CALL].variant, "copy_generic"),
	   "call: back from a variant to the generic function");

	env.nr_calls = 0;
	nrej = 0;
	fixup_apply(start, (const struct fixup_site *)rec_cur, &env, &st);
	ok(st.rejected == 2 && !memcmp(at[0], b, 5) && nrej == 2 &&
	   !strcmp(rejs[0].why, "call target not in a group"),
	   "call: no groups, every call rejected");

	/* 64-bit host only: a variant 4 GiB away cannot be a rel32 */
	{
		static struct fixup_call_variant far_variant[] = {
			{ NULL, "far", 0, FIXUP_MODE_ANY },
		};
		struct fixup_call_group far = { FN(0), "far_generic",
						far_variant, 1 };

		far_variant[0].fn = (void *)((uintptr_t)FN(0) + (1ull << 32));
		env.calls = &far;
		env.nr_calls = 1;
		nrej = 0;
		fixup_apply(start, (const struct fixup_site *)rec_cur, &env,
			    &st);
		ok(st.rejected == 2 && !memcmp(at[0], b, 5) && nrej == 2 &&
		   !strcmp(rejs[0].why, "call target out of reach"),
		   "call: a variant out of rel32 reach is rejected");
	}
}

/* DEFINE_FIXUP_CALL builds a group from real functions. */
void tfn_generic(void);
void tfn_sse(void);
void tfn_generic(void) { }
void tfn_sse(void) { }
DEFINE_FIXUP_CALL(tfn_generic,
	FIXUP_CALL_VARIANT(tfn_sse, X86_FEATURE_SSE, FIXUP_MODE_ANY),
	FIXUP_CALL_NOP(0, FIXUP_MODE_UP));

static void test_define_call(void)
{
	const struct fixup_call_group *g = &__fixup_call_tfn_generic;

	ok(g->generic == (void *)tfn_generic && !strcmp(g->name, "tfn_generic")
	   && g->nr == 2 && g->variants[0].fn == (void *)tfn_sse &&
	   !strcmp(g->variants[0].name, "tfn_sse") &&
	   g->variants[0].needs == X86_FEATURE_SSE &&
	   g->variants[1].fn == NULL && g->variants[1].mode == FIXUP_MODE_UP,
	   "DEFINE_FIXUP_CALL fills the group");
	ok(!strcmp(FIXUP_CALL(tfn_generic),
		   "661:\n\tcall tfn_generic\n662:\n\t"
		   ".pushsection .fixup_sites,\"a\"\n\t"
		   ".long 661b - .\n\t.byte 12, 662b - 661b\n\t"
		   ".popsection\n\t"),
	   "FIXUP_CALL emits the call and a CALL record");
}

/* ---- the catalogue itself ---- */

/* The kinds as Documentation/fixup-sites.md lists them, written out. */
static const struct {
	const char *name;
	u8 lo, hi;
} doc[FIXUP_NR_KINDS] = {
	[FIXUP_KIND_LOCK] = { "LOCK", 1, 1 },
	[FIXUP_KIND_MB] = { "MB", 5, 5 },
	[FIXUP_KIND_RMB] = { "RMB", 5, 5 },
	[FIXUP_KIND_WMB] = { "WMB", 5, 5 },
	[FIXUP_KIND_SMP_MB] = { "SMP_MB", 5, 5 },
	[FIXUP_KIND_SMP_RMB] = { "SMP_RMB", 5, 5 },
	[FIXUP_KIND_SMP_WMB] = { "SMP_WMB", 5, 5 },
	[FIXUP_KIND_PREFETCH] = { "PREFETCH", 4, 9 },
	[FIXUP_KIND_PREFETCHW] = { "PREFETCHW", 4, 9 },
	[FIXUP_KIND_MOVNTQ] = { "MOVNTQ", 3, 8 },
	[FIXUP_KIND_APIC_WRITE] = { "APIC_WRITE", 2, 7 },
	[FIXUP_KIND_CALL] = { "CALL", 5, 5 },
	[FIXUP_KIND_MOVNTI] = { "MOVNTI", 3, 8 },
	[FIXUP_KIND_MB_FLAGS] = { "MB_FLAGS", 8, 8 },
	[FIXUP_KIND_RMB_FLAGS] = { "RMB_FLAGS", 8, 8 },
	[FIXUP_KIND_WMB_FLAGS] = { "WMB_FLAGS", 8, 8 },
	[FIXUP_KIND_THUNK_CALL] = { "THUNK_CALL", 5, 5 },
	[FIXUP_KIND_THUNK_JMP] = { "THUNK_JMP", 5, 5 },
	[FIXUP_KIND_RETURN] = { "RETURN", 5, 5 },
};

static unsigned int doc_hi(int kind)
{
	return kind > 0 && kind < FIXUP_NR_KINDS ? doc[kind].hi : 0;
}

/*
 * What a new kind needs in this file (Documentation/adding-a-kind.md,
 * step 4), each named when it is missing: a row in doc[], a site in
 * tsites[], and in every profile a form for every column, in both modes.
 * Runs first: the tests after it index these tables by kind and column.
 */
static void test_whole_path(void)
{
	unsigned int k, i, c;
	int smp;

	for (k = 1; k < FIXUP_NR_KINDS; k++) {
		const char *name = fixup_kind_name(k) ? fixup_kind_name(k) : "?";
		bool site = false;

		ok(doc[k].name != NULL, "kind %s: a row in doc[] "
		   "(tests/host/test_fixup.c)", name);
		for (i = 0; i < NSITES; i++)
			site |= tsites[i].kind == k;
		ok(site, "kind %s: a site in tsites[] (tests/host/test_fixup.c)",
		   name);
	}
	for (i = 0; i < ARRAY_SIZE(profiles); i++) {
		bool set = true;

		for (c = 0; c < NCOL; c++)
			for (smp = 0; smp < 2; smp++) {
				if (expect(&profiles[i], c, smp) != V_UNSET)
					continue;
				diag("profile %s: column %s unset (%s)",
				     profiles[i].name, col_name[c],
				     smp ? "SMP" : "UP");
				set = false;
			}
		ok(set, "profile %s: a form for every column, UP and SMP",
		   profiles[i].name);
	}
}

static void test_catalogue(void)
{
	struct fixup_hooks hooks = { .reject = on_reject };
	struct fixup_env env = env_for(&profiles[0].cpu, false, &hooks);
	const struct fixup_site *start;
	struct fixup_stats st;
	unsigned int k, len, i;
	static const u8 zero[16];
	bool names = true, lens = true;
	int rows = 0;

	/* a record of every kind at lo - 1, lo, hi and hi + 1 bytes */
	reset();
	start = (const struct fixup_site *)rec_cur;
	for (k = 1; k < FIXUP_NR_KINDS; k++) {
		names &= fixup_kind_name(k) && doc[k].name &&
			 !strcmp(fixup_kind_name(k), doc[k].name);
		unsigned int lens4[4] = { doc[k].lo - 1u, doc[k].lo,
					  doc[k].hi, doc[k].hi + 1u };

		if (!doc[k].name)	/* test_whole_path() said so */
			continue;
		rows++;
		for (i = 0; i < 4; i++) {
			len = lens4[i];
			record(k, len, place(&text_cur, zero, len));
		}
	}
	nrej = 0;
	fixup_apply(start, (const struct fixup_site *)rec_cur, &env, &st);
	for (i = 0; i < (unsigned int)nrej && i < 64; i++) {
		const struct fixup_site *r = rejs[i].rec;
		bool out = r->len < doc[r->kind].lo || r->len > doc[r->kind].hi;

		if (out != !strcmp(rejs[i].why, "bad length")) {
			lens = false;
			diag("kind %s len %u: %s", doc[r->kind].name, r->len,
			     rejs[i].why);
		}
	}
	ok(names && !fixup_kind_name(0) && !fixup_kind_name(FIXUP_NR_KINDS) &&
	   !fixup_kind_name(1000), "catalogue: names as documented");
	ok(lens && nrej == 4 * rows,
	   "catalogue: lengths as documented (%d records, all zero bytes)",
	   nrej);
}

/*
 * What the patcher relies on in the catalogue's rows, read here through
 * the same X-macros: each kind's forms together, MODRM forms of one
 * length, the compiled form of a barrier kind the locked add, every
 * rule naming a form of its kind.
 */
static void test_catalogue_rows(void)
{
	static const struct { int kind; const char *name; int len; } rows[] = {
#define FIXUP_KIND(k, lo, hi, shape)
#define FIXUP_FIXED(k, n, ...) \
	{ FIXUP_KIND_##k, n, -(int)(sizeof((int[]){ 0, ##__VA_ARGS__ }) / sizeof(int)) },
#define FIXUP_THUNK(k, n, ...)	FIXUP_FIXED(k, n, __VA_ARGS__)
#define FIXUP_MODRM(k, n, r, ...) \
	{ FIXUP_KIND_##k, n, (int)(sizeof((int[]){ __VA_ARGS__ }) / sizeof(int)) },
#define FIXUP_RULE(k, needs, bug, mode, form)
#define JMP 0
#define ANY 0
#define HINT 0
#define REG(b) 0
#include <asm/fixup-kinds.h>
#undef FIXUP_FIXED
#undef FIXUP_MODRM
#undef FIXUP_THUNK
#undef FIXUP_RULE
	};
	static const struct { int kind; const char *form; } rules[] = {
#define FIXUP_FIXED(k, n, ...)
#define FIXUP_MODRM(k, n, r, ...)
#define FIXUP_THUNK(k, n, ...)
#define FIXUP_RULE(k, needs, bug, mode, form) { FIXUP_KIND_##k, form },
#include <asm/fixup-kinds.h>
#undef FIXUP_KIND
#undef FIXUP_FIXED
#undef FIXUP_MODRM
#undef FIXUP_THUNK
#undef FIXUP_RULE
#undef JMP
#undef ANY
#undef HINT
#undef REG
	};
	bool together = true, one_len = true, named = true, fits_kind = true;
	unsigned int i, j;

	for (i = 1; i < ARRAY_SIZE(rows); i++) {
		for (j = 0; j + 1 < i; j++)
			if (rows[j].kind == rows[i].kind &&
			    rows[i - 1].kind != rows[i].kind)
				together = false;
		if (rows[i - 1].kind == rows[i].kind && rows[i].len > 0 &&
		    rows[i - 1].len != rows[i].len)
			one_len = false;
	}
	/*
	 * a FIXED or THUNK row's len is -(bytes + 1); doc[] has the kind
	 * lengths
	 */
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		if (rows[i].len < 0 && -rows[i].len - 1 > (int)doc_hi(rows[i].kind))
			fits_kind = false;
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		bool found = false;

		for (j = 0; j < ARRAY_SIZE(rows); j++)
			found |= rows[j].kind == rules[i].kind &&
				 !strcmp(rows[j].name, rules[i].form);
		if (!found)
			diag("rule of kind %d names no form '%s'",
			     rules[i].kind, rules[i].form);
		named &= found;
	}
	ok(together, "catalogue: each kind's forms are listed together");
	ok(one_len, "catalogue: the forms of a MODRM kind have one length");
	ok(named, "catalogue: every rule names a form of its kind");
	ok(fits_kind, "catalogue: no FIXED or THUNK form is longer than its "
	   "kind");
}

/*
 * Sites that end on the last byte before an unmapped page: a checker
 * that reads past a site (a SIB beyond it, say) faults here.
 */
static void test_page_end(void)
{
	static const char *const tail[] = {
		"89 04",		/* APIC_WRITE: SIB would be next */
		"0F 7F 44",		/* MOVNTQ: SIB would be next */
		"EB 02 8D 0C",		/* PREFETCHW: SIB would be next */
		"3E 89 84",		/* MOVNTI: SIB would be next */
		"89 02",		/* APIC_WRITE, good */
	};
	static const u8 kinds[] = {
		FIXUP_KIND_APIC_WRITE, FIXUP_KIND_MOVNTQ, FIXUP_KIND_PREFETCHW, FIXUP_KIND_MOVNTI,
		FIXUP_KIND_APIC_WRITE,
	};
	long pg = sysconf(_SC_PAGESIZE);
	const struct cpuinfo *c = &profiles[2].cpu;	/* Pentium 11AP */
	struct fixup_range r;
	struct fixup_env env;
	struct fixup_stats st;
	struct fixup_site *rec;
	unsigned int i, n, bad = 0;
	u8 *m, b[8];

	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect(m + pg, pg, PROT_NONE)) {
		ok(0, "page end: mmap");
		return;
	}
	rec = (struct fixup_site *)m;
	r.start = m + 64;
	r.end = m + pg;
	env = env_for(c, false, NULL);
	env.text = &r;
	env.nr_text = 1;
	for (i = 0; i < ARRAY_SIZE(tail); i++) {
		memset(m + 64, 0xcc, pg - 64);
		n = tap_hex(b, tail[i]);
		memcpy(m + pg - n, b, n);
		rec->rel = (s32)(m + pg - n - (u8 *)&rec->rel);
		rec->kind = kinds[i];
		rec->len = n;
		fixup_apply(rec, rec + 1, &env, &st);
		bad += st.rejected;
	}
	ok(bad == ARRAY_SIZE(tail) - 1 && m[pg - 2] == 0x87,
	   "page end: nothing read past a site");
	munmap(m, 2 * pg);
}

/*
 * The walk remembers the text range of the last accepted site. A site
 * in the other range that is then rejected for its bytes must not make
 * the gap between the ranges look like text.
 */
static void test_range_switch(void)
{
	struct fixup_hooks hooks = { .reject = on_reject };
	struct fixup_env env = env_for(&profiles[0].cpu, false, &hooks);
	const struct fixup_site *start;
	struct fixup_stats st;
	u8 *a = arena + TEXT_OFF + 100;		/* first range */
	u8 *b = arena + INIT_OFF + 100;		/* second range */
	u8 *gap = arena + FN_OFF - 64;		/* between them */

	reset();
	start = (const struct fixup_site *)rec_cur;
	*a = 0xf0;
	record(FIXUP_KIND_LOCK, 1, a);		/* good */
	*b = 0x90;
	record(FIXUP_KIND_LOCK, 1, b);		/* bad bytes */
	*gap = 0xf0;
	record(FIXUP_KIND_LOCK, 1, gap);		/* outside text */
	*(a + 10) = 0xf0;
	record(FIXUP_KIND_LOCK, 1, a + 10);		/* good */
	memcpy(want, arena, ARENA);
	want[a - arena] = want[a + 10 - arena] = 0x3e;
	nrej = 0;
	fixup_apply(start, (const struct fixup_site *)rec_cur, &env, &st);
	ok(arena_ok() && nrej == 2 && !strcmp(rejs[0].why,
					      "bytes not a variant") &&
	   !strcmp(rejs[1].why, "outside text") && rejs[1].site == gap,
	   "a rejected site in another range leaves the gap outside text");
}

/*
 * For the tests below: a fresh arena, the reject hook on, and the
 * records from here on; then one pass over them.
 */
static const struct fixup_site *begin(struct fixup_env *env,
				      const struct profile *p, bool smp)
{
	static const struct fixup_hooks hooks = { .reject = on_reject };

	reset();
	*env = env_for(&p->cpu, smp, &hooks);
	return (const struct fixup_site *)rec_cur;
}

static void run(const struct fixup_site *start, const struct fixup_env *env,
		struct fixup_stats *st)
{
	nrej = 0;
	fixup_apply(start, (const struct fixup_site *)rec_cur, env, st);
}

/*
 * The three holes fuzzing found in the first validator, each as it was
 * found. Records out of address order: MB at T, LOCK at T - 16, LOCK at
 * T on a 486 UP. The LOCK at T shares T with the MB site accepted two
 * records before it, and must be rejected.
 */
static void test_out_of_order(void)
{
	struct fixup_env env;
	const struct fixup_site *start;
	struct fixup_stats st;
	u8 *t = arena + TEXT_OFF + 200;

	start = begin(&env, &profiles[0], false);
	tap_hex(t, LADD);
	t[-16] = 0xf0;
	record(FIXUP_KIND_MB, 5, t);
	record(FIXUP_KIND_LOCK, 1, t - 16);
	record(FIXUP_KIND_LOCK, 1, t);
	memcpy(want, arena, ARENA);
	want[t - 16 - arena] = 0x3e;
	run(start, &env, &st);
	ok(arena_ok() && nrej == 1 && rejs[0].site == t &&
	   !strcmp(rejs[0].why, "overlaps another site"),
	   "records out of order: a site sharing a byte with any accepted "
	   "one is rejected");
}

/*
 * A rejected site keeps its bytes: MOVNTI at T holding F0 89 47 04 (not
 * a MOVNTI form), then LOCK at T, on a Pentium 4 UP. Were the LOCK
 * accepted, its 3E would make the MOVNTI a form for the second pass.
 */
static void test_rejected_keeps(void)
{
	struct fixup_env env;
	const struct fixup_site *start;
	struct fixup_stats st;
	u8 *t = arena + TEXT_OFF + 200;
	int pass;
	bool good = true;

	start = begin(&env, &profiles[5], false);
	tap_hex(t, "F0 89 47 04");
	record(FIXUP_KIND_MOVNTI, 4, t);
	record(FIXUP_KIND_LOCK, 1, t);
	memcpy(want, arena, ARENA);
	for (pass = 0; pass < 2; pass++) {
		run(start, &env, &st);
		good &= arena_ok() && nrej == 2 && st.rejected == 2 &&
			!strcmp(rejs[0].why, "bytes not a variant") &&
			!strcmp(rejs[1].why, "overlaps another site");
	}
	ok(good, "a rejected site's bytes are taken: two passes, no write");
}

/*
 * A function in two call groups: where its calls go would depend on
 * which group is looked at. Every call into either group is rejected,
 * in every pass.
 */
static void test_shared_function(void)
{
	static const struct fixup_call_variant a_variants[] = {
		{ FN(1), "shared", X86_FEATURE_SSE2, FIXUP_MODE_ANY },
	};
	static const struct fixup_call_variant b_variants[] = {
		{ FN(1), "shared", 0, FIXUP_MODE_ANY },
	};
	static const struct fixup_call_group two[] = {
		{ FN(0), "a_generic", a_variants, 1 },
		{ FN(2), "b_generic", b_variants, 1 },
		{ FN(3), "c_generic", b_variants, 0 },
	};
	struct fixup_env env;
	const struct fixup_site *start;
	struct fixup_stats st;
	u8 b[5], *at[4];
	unsigned int i;
	int pass;
	bool good = true;

	start = begin(&env, &profiles[5], true);
	for (i = 0; i < 4; i++) {
		at[i] = text_cur;
		call_bytes(b, at[i], FN(i));
		place(&text_cur, b, 5);
		record(FIXUP_KIND_CALL, 5, at[i]);
	}
	memcpy(want, arena, ARENA);
	env.calls = two;
	env.nr_calls = ARRAY_SIZE(two);
	for (pass = 0; pass < 2; pass++) {
		run(start, &env, &st);
		good &= arena_ok() && nrej == 3 &&
			st.kind[FIXUP_KIND_CALL].unchanged == 1;
		for (i = 0; i < 3 && i < (unsigned int)nrej; i++)
			good &= rejs[i].site == at[i] &&
				!strcmp(rejs[i].why,
					"call group shares a function");
	}
	ok(good, "call groups sharing a function: their calls rejected, "
	   "a disjoint group's taken, in both passes");
}

/*
 * A group whose generic function is a variant of another group: a call
 * to it could go to either group's variant, so calls into both groups
 * are rejected, though the first group's variants are its own. A
 * disjoint group's call is still redirected.
 */
static void test_shared_generic(void)
{
	static const struct fixup_call_variant a_variants[] = {
		{ FN(1), "a_fast", 0, FIXUP_MODE_ANY },
	};
	static const struct fixup_call_variant b_variants[] = {
		{ FN(0), "a_generic_as_b", 0, FIXUP_MODE_ANY },
	};
	static const struct fixup_call_variant c_variants[] = {
		{ FN(4), "c_fast", 0, FIXUP_MODE_ANY },
	};
	static const struct fixup_call_group three[] = {
		{ FN(0), "a_generic", a_variants, 1 },
		{ FN(2), "b_generic", b_variants, 1 },
		{ FN(3), "c_generic", c_variants, 1 },
	};
	static const unsigned int to[3] = { 0, 2, 3 };
	struct fixup_env env;
	const struct fixup_site *start;
	struct fixup_stats st;
	u8 b[5], *at[3];
	unsigned int i;

	start = begin(&env, &profiles[0], false);
	for (i = 0; i < 3; i++) {
		at[i] = text_cur;
		call_bytes(b, at[i], FN(to[i]));
		place(&text_cur, b, 5);
		record(FIXUP_KIND_CALL, 5, at[i]);
	}
	memcpy(want, arena, ARENA);
	call_bytes(want + (at[2] - arena), at[2], FN(4));
	env.calls = three;
	env.nr_calls = ARRAY_SIZE(three);
	run(start, &env, &st);
	ok(arena_ok() && nrej == 2 && st.rejected == 2 &&
	   st.kind[FIXUP_KIND_CALL].patched == 1 &&
	   rejs[0].site == at[0] && rejs[1].site == at[1] &&
	   !strcmp(rejs[0].why, "call group shares a function") &&
	   !strcmp(rejs[1].why, "call group shares a function"),
	   "a generic function that is another group's variant: calls into "
	   "both groups rejected, a disjoint group's redirected");
}

/* ---- the thunk kinds: branches whose target is checked ---- */

#define SKYLAKE		(&profiles[ARRAY_SIZE(profiles) - 2])	/* retpoline */
#define CORE2		(&profiles[ARRAY_SIZE(profiles) - 1])	/* lfence */

/* A branch site of kind at the text cursor: op rel32 to fn. */
static u8 *thunk_site(u8 kind, u8 op, const void *fn)
{
	u8 b[5], *at = text_cur;

	branch_bytes(b, op, at, fn);
	place(&text_cur, b, 5);
	record(kind, 5, at);
	return at;
}

/*
 * A branch to a function that is not a thunk of the site's kind, a
 * stranger or a thunk of another kind, is rejected and left alone, in
 * every mode and in a second pass. jmp __x86_return_thunk_ecx, a
 * THUNK_JMP thunk of ecx, stays in retpoline mode, becomes jmp *%ecx
 * without, and comes back as a jmp to the first thunk of ecx.
 */
static void test_thunk_targets(void)
{
	static const struct { u8 kind, op; const void *fn; } bad[] = {
		{ FIXUP_KIND_THUNK_CALL, 0xe8, FN(0) },	  /* a call group's */
		{ FIXUP_KIND_THUNK_CALL, 0xe8, RET_ECX }, /* THUNK_JMP only */
		{ FIXUP_KIND_THUNK_CALL, 0xe8, RET_TH },
		{ FIXUP_KIND_THUNK_JMP, 0xe9, RET_TH },	  /* RETURN's */
		{ FIXUP_KIND_RETURN, 0xe9, TH(0) },
		{ FIXUP_KIND_RETURN, 0xe9, RET_ECX },
		{ FIXUP_KIND_THUNK_JMP, 0xe9, (const u8 *)TH(1) + 1 },
	};
	static const struct profile *const modes[] = {
		SKYLAKE, &profiles[0], CORE2, SKYLAKE,
	};
	static const char *const ret_ecx[] = {
		NULL, "FF E1 CC CC CC", "0F AE E8 FF E1", NULL,
	};
	struct fixup_env env;
	const struct fixup_site *start;
	struct fixup_stats st;
	unsigned int i, m;
	u8 *at, *bad_at[ARRAY_SIZE(bad)];
	bool good = true;
	int pass;

	start = begin(&env, SKYLAKE, false);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		bad_at[i] = thunk_site(bad[i].kind, bad[i].op, bad[i].fn);
	at = thunk_site(FIXUP_KIND_THUNK_JMP, 0xe9, RET_ECX);
	memcpy(want, arena, ARENA);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		env = env_for(&modes[m]->cpu, false, env.hooks);
		if (ret_ecx[m])
			tap_hex(want + (at - arena), ret_ecx[m]);
		else if (m)
			branch_bytes(want + (at - arena), 0xe9, at, TH(1));
		for (pass = 0; pass < 2; pass++) {
			run(start, &env, &st);
			good &= arena_ok() && nrej == ARRAY_SIZE(bad) &&
				st.kind[FIXUP_KIND_THUNK_JMP].sites == 1;
			for (i = 0; i < ARRAY_SIZE(bad) && i < (unsigned)nrej;
			     i++)
				good &= rejs[i].site == bad_at[i] &&
					!strcmp(rejs[i].why, "branch target "
						"not a thunk of its kind");
		}
		if (!good)
			diag("mode %s", modes[m]->name);
	}
	ok(good, "thunk sites: a branch to a stranger or to a thunk of "
	   "another kind rejected; jmp __x86_return_thunk_ecx kept, "
	   "inline, back to the thunk of ecx; every second pass the same");
}

/*
 * The register a site names must have a thunk of the site's kind: with
 * a list that has only THUNK_JMP thunks of ebx, call *%ebx is rejected
 * and so is a call to that thunk (a thunk of the other kind); jmp *%ebx
 * becomes the jmp to it.
 */
static void test_thunk_registers(void)
{
	static const struct fixup_thunk jmp_ebx[] = {
		{ TH(3), FIXUP_KIND_THUNK_JMP, 3 },
	};
	struct fixup_env env;
	const struct fixup_site *start;
	struct fixup_stats st;
	u8 b[5], *call, *inl, *jmp;

	start = begin(&env, SKYLAKE, false);
	call = place(&text_cur, b, tap_hex(b, "FF D3 0F 1F 00"));
	record(FIXUP_KIND_THUNK_CALL, 5, call);
	inl = thunk_site(FIXUP_KIND_THUNK_CALL, 0xe8, TH(3));
	jmp = place(&text_cur, b, tap_hex(b, "0F AE E8 FF E3"));
	record(FIXUP_KIND_THUNK_JMP, 5, jmp);
	memcpy(want, arena, ARENA);
	branch_bytes(want + (jmp - arena), 0xe9, jmp, TH(3));
	env.thunks = jmp_ebx;
	env.nr_thunks = ARRAY_SIZE(jmp_ebx);
	run(start, &env, &st);
	ok(arena_ok() && nrej == 2 && rejs[0].site == call &&
	   !strcmp(rejs[0].why, "no thunk of its kind for the register") &&
	   rejs[1].site == inl &&
	   !strcmp(rejs[1].why, "branch target not a thunk of its kind") &&
	   st.kind[FIXUP_KIND_THUNK_JMP].patched == 1 &&
	   !strcmp(st.kind[FIXUP_KIND_THUNK_JMP].variant, "thunk"),
	   "thunk sites: a register with no thunk of the kind rejected, "
	   "one with a thunk gets it");

	env.nr_thunks = 0;
	memcpy(want, arena, ARENA);
	run(start, &env, &st);
	ok(arena_ok() && nrej == 3 && st.rejected == 3,
	   "thunk sites: no list of thunks, every thunk site rejected");
}

/*
 * A branch to address 0 is a branch to a stranger: 0 is no thunk's
 * address, so it must not be taken for "look up by register", which
 * would find the thunk of eax. The sites must sit below 2 GB for rel32
 * to reach 0 on a 64-bit host: text mapped with MAP_32BIT.
 */
static void test_thunk_to_zero(void)
{
	static const struct { u8 kind, op; } br[] = {
		{ FIXUP_KIND_THUNK_CALL, 0xe8 },
		{ FIXUP_KIND_THUNK_JMP, 0xe9 },
		{ FIXUP_KIND_RETURN, 0xe9 },
	};
	static const struct profile *const modes[] = {
		SKYLAKE, &profiles[0], CORE2,
	};
	static const struct fixup_hooks hooks = { .reject = on_reject };
	long pg = sysconf(_SC_PAGESIZE);
	struct fixup_range r;
	struct fixup_env env;
	struct fixup_stats st;
	struct fixup_site *rec;
	unsigned int i, m;
	u8 *t, old[64];
	bool good = true;
	s32 rel;

	t = mmap(NULL, pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (t == MAP_FAILED) {
		ok(0, "thunk sites to address 0: mmap below 2 GB");
		return;
	}
	rec = (struct fixup_site *)t;
	r.start = t + 64;
	r.end = t + pg;
	memset(t + 64, 0xcc, pg - 64);
	for (i = 0; i < ARRAY_SIZE(br); i++) {
		u8 *s = t + 64 + 8 * i;

		rel = (s32)-(intptr_t)(s + 5);	/* s + 5 + rel == 0 */
		s[0] = br[i].op;
		memcpy(s + 1, &rel, 4);
		rec[i].rel = (s32)(s - (u8 *)&rec[i].rel);
		rec[i].kind = br[i].kind;
		rec[i].len = 5;
	}
	memcpy(old, t + 64, sizeof(old));
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		env = env_for(&modes[m]->cpu, false, &hooks);
		env.text = &r;
		env.nr_text = 1;
		nrej = 0;
		fixup_apply(rec, rec + ARRAY_SIZE(br), &env, &st);
		good &= nrej == ARRAY_SIZE(br) &&
			!memcmp(old, t + 64, sizeof(old));
		for (i = 0; i < ARRAY_SIZE(br) && i < (unsigned int)nrej; i++)
			good &= !strcmp(rejs[i].why, "branch target not a "
					"thunk of its kind");
		if (!good)
			diag("mode %s: %d rejected", modes[m]->name, nrej);
	}
	ok(good, "thunk sites: a call or jmp to address 0 rejected and left "
	   "alone, not taken for the thunk of eax");
	munmap(t, pg);
}

/* Without room for the overlap map nothing can be checked: no writes. */
static void test_no_room(void)
{
	struct fixup_env env;
	const struct fixup_site *start;
	struct fixup_stats st;
	u8 *t = arena + TEXT_OFF + 200;

	start = begin(&env, &profiles[0], false);
	t[0] = t[10] = 0xf0;
	record(FIXUP_KIND_LOCK, 1, t);
	record(FIXUP_KIND_LOCK, 1, t + 10);
	memcpy(want, arena, ARENA);
	env.taken_size = fixup_taken_size(ranges, ARRAY_SIZE(ranges)) - 1;
	run(start, &env, &st);
	ok(arena_ok() && nrej == 2 && st.rejected == 2 &&
	   !strcmp(rejs[1].why, "no room to check overlaps") &&
	   fixup_taken_size(ranges, ARRAY_SIZE(ranges)) ==
	   (TEXT_END - TEXT_OFF + INIT_END - INIT_OFF) / 8,
	   "overlap map one byte short: every record rejected, no write");

	/* two text ranges sharing bytes: each would have bits of its own */
	{
		const struct fixup_range two[] = {
			{ arena + TEXT_OFF, arena + TEXT_OFF + 300 },
			{ arena + TEXT_OFF + 200, arena + TEXT_END },
		};

		env.taken_size = sizeof(taken);
		env.text = two;
		env.nr_text = 2;
		run(start, &env, &st);
		ok(arena_ok() && nrej == 2 && st.rejected == 2 &&
		   !strcmp(rejs[0].why, "text ranges overlap"),
		   "overlapping text ranges: every record rejected, no write");
	}
}

/* An empty table: nothing to do. */
static void test_empty(void)
{
	struct fixup_env env = env_for(&profiles[0].cpu, false, NULL);
	struct fixup_stats st;

	reset();
	memcpy(want, arena, ARENA);
	fixup_apply((const struct fixup_site *)arena,
		    (const struct fixup_site *)arena, &env, &st);
	ok(st.sites == 0 && st.patched == 0 && !st.kind[FIXUP_KIND_LOCK].variant &&
	   !memcmp(arena, want, ARENA), "empty table: no writes");
}

int main(void)
{
	unsigned int i;

	test_whole_path();
	test_catalogue();
	test_catalogue_rows();
	for (i = 0; i < ARRAY_SIZE(profiles); i++) {
		test_profile(&profiles[i], false);
		test_profile(&profiles[i], true);
	}
	test_repatch(&profiles[5], false, &profiles[0], true);
	test_repatch(&profiles[6], true, &profiles[5], true);
	test_repatch(&profiles[0], false, &profiles[5], false);
	test_repatch(&profiles[4], true, &profiles[6], false);
	test_repatch(SKYLAKE, false, &profiles[0], true);
	test_repatch(&profiles[0], false, SKYLAKE, false);
	test_repatch(CORE2, true, SKYLAKE, true);
	test_repatch(SKYLAKE, true, CORE2, false);
	test_pad();
	test_bad_records();
	test_page_end();
	test_range_switch();
	test_calls();
	test_define_call();
	test_empty();
	test_out_of_order();
	test_rejected_keeps();
	test_shared_function();
	test_shared_generic();
	test_no_room();
	test_thunk_targets();
	test_thunk_registers();
	test_thunk_to_zero();
	return done_testing();
}

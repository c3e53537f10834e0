/*
 * bench-pass: the boot-time pass (arch/i386/fixup/, built with
 * -DHOST_TEST) over a synthetic table of N mixed sites (or of one kind,
 * --kind), for the host CPU, UP or SMP. bench/run-bench runs it under
 * "valgrind --tool=callgrind --toggle-collect=fixup_apply" (N sites and
 * 0 sites: instructions per site and the fixed cost) and plainly with
 * --time (TSC cycles per site, median of repeats).
 *
 * The sites are the compiled i386 forms of Documentation/fixup-sites.md,
 * in link order with three filler bytes between them, in the mix below;
 * the text is never executed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../arch/i386/fixup/internal.h"
#include "hostcpu.h"

#define MAX_SITES	1000000
#define GAP		3

/* One site form per kind; 20 sites of the mix: 8 LOCK, 1 of the rest. */
static const struct form {
	u8 kind, len;
	u8 bytes[8];
} mix[] = {
	{ FIXUP_KIND_LOCK, 1, { 0xf0 } },
	{ FIXUP_KIND_MB, 5, { 0xf0, 0x83, 0x04, 0x24, 0x00 } },
	{ FIXUP_KIND_LOCK, 1, { 0xf0 } },
	{ FIXUP_KIND_RMB, 5, { 0xf0, 0x83, 0x04, 0x24, 0x00 } },
	{ FIXUP_KIND_LOCK, 1, { 0xf0 } },
	{ FIXUP_KIND_WMB, 5, { 0xf0, 0x83, 0x04, 0x24, 0x00 } },
	{ FIXUP_KIND_LOCK, 1, { 0xf0 } },
	{ FIXUP_KIND_SMP_MB, 5, { 0xf0, 0x83, 0x04, 0x24, 0x00 } },
	{ FIXUP_KIND_LOCK, 1, { 0xf0 } },
	{ FIXUP_KIND_SMP_RMB, 5, { 0xf0, 0x83, 0x04, 0x24, 0x00 } },
	{ FIXUP_KIND_LOCK, 1, { 0xf0 } },
	{ FIXUP_KIND_SMP_WMB, 5, { 0xf0, 0x83, 0x04, 0x24, 0x00 } },
	{ FIXUP_KIND_LOCK, 1, { 0xf0 } },
	/* lea 0x10(%eax),%eax: prefetchnta; lea 0x40(%eax),%ecx: w */
	{ FIXUP_KIND_PREFETCH, 5, { 0xeb, 0x03, 0x8d, 0x40, 0x10 } },
	{ FIXUP_KIND_PREFETCHW, 5, { 0xeb, 0x03, 0x8d, 0x48, 0x40 } },
	{ FIXUP_KIND_LOCK, 1, { 0xf0 } },
	/* movq %mm0,8(%edi); ds movl %eax,8(%edi); movl %eax,(%edx) */
	{ FIXUP_KIND_MOVNTQ, 4, { 0x0f, 0x7f, 0x47, 0x08 } },
	{ FIXUP_KIND_MOVNTI, 4, { 0x3e, 0x89, 0x47, 0x08 } },
	{ FIXUP_KIND_APIC_WRITE, 2, { 0x89, 0x02 } },
	{ FIXUP_KIND_CALL, 5, { 0xe8 } },
};

#define NR_MIX		(sizeof(mix) / sizeof(mix[0]))

/*
 * Kinds only a table of one kind (--kind) has: the flags-keeping
 * barriers, which the asm pass writes only where flags are live across
 * a fence (the kernel has none), so the mix leaves them out.
 */
#define FLAGS_BARRIER	{ 0x9c, 0xf0, 0x83, 0x44, 0x24, 0x04, 0x00, 0x9d }
static const struct form alone[] = {
	{ FIXUP_KIND_MB_FLAGS, 8, FLAGS_BARRIER },
	{ FIXUP_KIND_RMB_FLAGS, 8, FLAGS_BARRIER },
	{ FIXUP_KIND_WMB_FLAGS, 8, FLAGS_BARRIER },
};

#define NR_ALONE	(sizeof(alone) / sizeof(alone[0]))

/* The call groups of the kernel: page copies and spinlocks. */
static u8 fns[16][16];

#define FN(i)	((void *)fns[i])
#define ANY	FIXUP_MODE_ANY
#define MMX	X86_FEATURE_MMX

static const struct fixup_call_variant copy_v[] = {
	{ FN(1), "copy_page_mmx_nt", MMX | X86_FEATURE_SSE, ANY },
	{ FN(1), "copy_page_mmx_nt", MMX | X86_FEATURE_MMXEXT, ANY },
	{ FN(2), "copy_page_mmx", MMX, ANY },
};
static const struct fixup_call_variant clear_v[] = {
	{ FN(4), "clear_page_mmx_nt", MMX | X86_FEATURE_SSE, ANY },
	{ FN(4), "clear_page_mmx_nt", MMX | X86_FEATURE_MMXEXT, ANY },
	{ FN(5), "clear_page_mmx", MMX, ANY },
};
static const struct fixup_call_variant vanish_v[] = {
	{ NULL, "nop", 0, FIXUP_MODE_UP },
};
static const struct fixup_call_group groups[] = {
	{ FN(0), "copy_page_rep", copy_v, 3 },
	{ FN(3), "clear_page_rep", clear_v, 3 },
	{ FN(6), "__spin_lock", vanish_v, 1 },
	{ FN(7), "__spin_unlock", vanish_v, 1 },
	{ FN(8), "__spin_trylock", vanish_v, 1 },
};

#define NR_GROUPS	(sizeof(groups) / sizeof(groups[0]))

static struct fixup_site recs[MAX_SITES];
/* A site and its gap: at most 8 + GAP bytes. */
static u8 text[MAX_SITES * (8 + GAP)], pristine[MAX_SITES * (8 + GAP)];

/* Lay out n sites of the mix, or of one kind; returns the text used. */
static size_t build(unsigned int n, int kind)
{
	const struct form *only[NR_MIX];
	unsigned int i, nr = 0, calls = 0;
	u8 *p = text;

	for (i = 0; i < NR_MIX; i++)
		if (kind < 0 || mix[i].kind == kind)
			only[nr++] = &mix[i];
	for (i = 0; i < NR_ALONE && !nr; i++)
		if (alone[i].kind == kind)
			only[nr++] = &alone[i];
	for (i = 0; i < n; i++) {
		const struct form *f = only[i % nr];

		memset(p, 0xcc, GAP);	/* int3 filler */
		p += GAP;
		memcpy(p, f->bytes, f->len);
		if (f->kind == FIXUP_KIND_CALL) {
			const u8 *to = groups[calls++ % NR_GROUPS].generic;
			s32 rel = (s32)(to - (p + 5));

			memcpy(p + 1, &rel, 4);
		}
		recs[i].rel = (s32)(p - (u8 *)&recs[i].rel);
		recs[i].kind = f->kind;
		recs[i].len = f->len;
		p += f->len;
	}
	memset(p, 0xcc, GAP);
	return p + GAP - text;
}

/* "LOCK" -> FIXUP_KIND_LOCK; 0 for a kind bench-pass has no form of. */
static int kind_number(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_MIX; i++)
		if (!strcmp(fixup_kind_name(mix[i].kind), name))
			return mix[i].kind;
	for (i = 0; i < NR_ALONE; i++)
		if (!strcmp(fixup_kind_name(alone[i].kind), name))
			return alone[i].kind;
	return 0;
}

static u64 tsc_serialized(void)
{
	u32 a = 0, b, c = 0, d, lo, hi;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d)
			     : : "memory");
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned int n = 100000, repeats = 0, r, i;
	const char *mode = "smp";
	int kind = -1;
	struct fixup_range range;
	struct fixup_stats st;
	struct fixup_env env;
	struct cpuinfo cpu;
	u64 t[101];
	size_t used;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--sites") && i + 1 < (unsigned int)argc)
			n = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--mode") &&
			 i + 1 < (unsigned int)argc)
			mode = argv[++i];
		else if (!strcmp(argv[i], "--time") &&
			 i + 1 < (unsigned int)argc)
			repeats = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--kind") &&
			 i + 1 < (unsigned int)argc)
			kind = kind_number(argv[++i]);
		else {
			fputs("usage: bench-pass [--sites N] [--mode up|smp] "
			      "[--kind KIND] [--time REPEATS]\n", stderr);
			return !strcmp(argv[i], "--help") ? 0 : 2;
		}
	}
	if (n > MAX_SITES || repeats > 101 || kind == 0 ||
	    (strcmp(mode, "up") && strcmp(mode, "smp"))) {
		fputs("bench-pass: bad arguments\n", stderr);
		return 2;
	}

	host_identify(&cpu);
	used = build(n, kind);
	memcpy(pristine, text, used);
	range.start = text;
	range.end = text + used;
	memset(&env, 0, sizeof(env));
	env.cpu = &cpu;
	env.smp = !strcmp(mode, "smp");
	env.text = &range;
	env.nr_text = 1;
	env.calls = groups;
	env.nr_calls = NR_GROUPS;
	env.taken_size = fixup_taken_size(&range, 1);
	env.taken = malloc(env.taken_size);
	if (!env.taken)
		return 1;

	/*
	 * One pass: what callgrind counts. The kernel's bracket around it
	 * (fixup_write_text_end()) serializes once after the walk: here too.
	 */
	fixup_apply(recs, recs + n, &env, &st);
	fixup_serialize(&cpu);
	printf("sites=%u patched=%u unchanged=%u rejected=%u serializations=%d "
	       "table_bytes=%zu\n", st.sites, st.patched, st.unchanged,
	       st.rejected, bench_serializations, n * sizeof(recs[0]));
	if (st.rejected)
		return 1;

	for (r = 0; r < repeats; r++) {
		u64 t0;

		memcpy(text, pristine, used);
		t0 = tsc_serialized();
		fixup_apply(recs, recs + n, &env, &st);
		fixup_serialize(&cpu);
		t[r] = tsc_serialized() - t0;
	}
	if (repeats) {
		qsort(t, repeats, sizeof(t[0]), cmp_u64);
		printf("cycles=%llu\n", (unsigned long long)t[repeats / 2]);
	}
	return 0;
}

/*
 * bench-runtime: the kernel's primitives on the host processor, five
 * builds side by side (bench/README.md):
 *   unpatched     the generic build, sites as compiled
 *   patched-up    the generic build, patched for one CPU
 *   patched-smp   the generic build, patched for SMP on this CPU
 *   compile-up    built for this CPU, CONFIG_SMP=n, no fixups
 *   compile-smp   built for this CPU, CONFIG_SMP=y, no fixups
 * and, in the i386 harness, for the rows with indirect branches
 * (struct bench_op's thunks) two more:
 *   patched-off   the generic build, patched for SMP with spectre_v2=off
 *   linux-i386    the generic build as Linux's i386 kernel runs: every
 *                 branch still calls its thunk, whose body is
 *                 "jmp *%reg" (patched for SMP with spectre_v2=retpoline,
 *                 then each thunk's body rewritten), returns plain
 * The generic copies are one object linked again under other names
 * (bench/run-bench); each has its own .fixup_sites, renamed
 * fixup_sites_<copy> so that the linker gives __start_/__stop_ symbols.
 * The patcher is arch/i386/fixup/ itself, built with -DHOST_TEST, and the
 * Spectre v2 mode the kernel's spectre_v2_choose().
 *
 * Timing: cpuid; rdtsc around each block (the empty bracket is measured
 * and subtracted), blocks of the variants interleaved round by round so
 * that load from other processes hits all alike, the median per cell,
 * and its spread (median absolute deviation) as "spread" rows.
 * Output: CSV rows "section,item,variant,value,unit" on stdout, notes
 * as "# ..." lines.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "../arch/i386/fixup/internal.h"
#include <asm/spectre.h>
#include "bench.h"
#include "hostcpu.h"

#define NR_VARIANTS	7
#define MAX_OPS		48
#define MAX_ROUNDS	1001

struct variant {
	const char *name;
	const struct bench_op *ops;
	const unsigned int *nr_ops;
	const struct fixup_site *sites, *sites_end;
	const struct fixup_call_group *calls, *calls_end;
	const struct fixup_thunk *thunks;	/* the copy's own */
	int patch;		/* -1: leave as compiled, 0: UP, 1: SMP */
	const char *spectre_v2;	/* the spectre_v2= word, as the kernel parses it */
	bool thunks_only;	/* only the ops with thunks set */
	bool linux_bodies;	/* linux-i386: thunks become jmp *%reg */
};

/*
 * Weak: a copy without sites or call groups has no such section, and
 * the x86-64 harness has no thunk variants.
 */
#define COPY(c)								\
	extern const struct bench_op c##_bench_ops[]			\
		__attribute__((weak));					\
	extern const unsigned int c##_bench_nr_ops			\
		__attribute__((weak));					\
	extern const struct fixup_site __start_fixup_sites_##c[]	\
		__attribute__((weak));					\
	extern const struct fixup_site __stop_fixup_sites_##c[]	\
		__attribute__((weak));					\
	extern const struct fixup_call_group				\
		__start_fixup_calls_##c[] __attribute__((weak));	\
	extern const struct fixup_call_group				\
		__stop_fixup_calls_##c[] __attribute__((weak));
COPY(unpatched)
COPY(patched_up)
COPY(patched_smp)
COPY(patched_off)
COPY(linux_i386)
COPY(compile_up)
COPY(compile_smp)

/*
 * Each generic copy's thunks (arch/i386/lib/retpoline.S, prefixed), for
 * its pass: the kernel's list, arch/i386/lib/retpoline_exports.c, with
 * the register numbers of Intel SDM vol. 2A, table 2-2. Weak: the
 * x86-64 harness has none.
 */
#define THUNK_REGS(x, c)						\
	x(c, eax, 0) x(c, ecx, 1) x(c, edx, 2) x(c, ebx, 3)		\
	x(c, ebp, 5) x(c, esi, 6) x(c, edi, 7)
#define THUNK_DECLARE(c, r, n)						\
	extern char c##___x86_indirect_thunk_##r[] __attribute__((weak));
#define THUNK_ROWS(c, r, n)						\
	{ c##___x86_indirect_thunk_##r, FIXUP_KIND_THUNK_CALL, n },	\
	{ c##___x86_indirect_thunk_##r, FIXUP_KIND_THUNK_JMP, n },
#define THUNKS(c)							\
	THUNK_REGS(THUNK_DECLARE, c)					\
	extern char c##___x86_return_thunk_ecx[] __attribute__((weak));	\
	extern char c##___x86_return_thunk[] __attribute__((weak));	\
	static const struct fixup_thunk c##_thunks[] = {		\
		THUNK_REGS(THUNK_ROWS, c)				\
		{ c##___x86_return_thunk_ecx, FIXUP_KIND_THUNK_JMP, 1 },	\
		{ c##___x86_return_thunk, FIXUP_KIND_RETURN,		\
		  FIXUP_THUNK_NO_REG },					\
	};
THUNKS(unpatched)
THUNKS(patched_up)
THUNKS(patched_smp)
THUNKS(patched_off)
THUNKS(linux_i386)
#define NR_THUNKS	ARRAY_SIZE(unpatched_thunks)

#define VARIANT(c, n, t, p, mode, only, bodies)				\
	{ n, c##_bench_ops, &c##_bench_nr_ops,				\
	  __start_fixup_sites_##c, __stop_fixup_sites_##c,		\
	  __start_fixup_calls_##c, __stop_fixup_calls_##c, t, p,	\
	  mode, only, bodies }

static struct variant variants[NR_VARIANTS] = {
	VARIANT(unpatched, "unpatched", unpatched_thunks, -1, "auto", false,
		false),
	VARIANT(patched_up, "patched-up", patched_up_thunks, 0, "auto", false,
		false),
	VARIANT(patched_smp, "patched-smp", patched_smp_thunks, 1, "auto",
		false, false),
	VARIANT(patched_off, "patched-off", patched_off_thunks, 1, "off", true,
		false),
	VARIANT(linux_i386, "linux-i386", linux_i386_thunks, 1, "retpoline",
		true, true),
	VARIANT(compile_up, "compile-up", NULL, -1, "auto", false, false),
	VARIANT(compile_smp, "compile-smp", NULL, -1, "auto", false, false),
};

/* Whether variant i times op j: a copy the harness has, an op it runs. */
static bool timed(unsigned int i, unsigned int j)
{
	const struct variant *v = &variants[i];

	return v->ops && (!v->thunks_only || v->ops[j].thunks);
}

extern char __executable_start[], etext[];

/*
 * The console of the kernel code linked for spectre_v2_choose()
 * (tests/host/sources.mk, test_spectre-srcs): the command line's parser
 * may print, never here, but it must link.
 */
int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

static void on_reject(void *ctx, const struct fixup_site *rec,
		      const u8 *site, unsigned int kind, const char *why)
{
	const char *name = fixup_kind_name(kind);

	fprintf(stderr, "bench-runtime: %s: rejected record %p: site %p "
		"kind %s len %u: %s\n", (const char *)ctx, (const void *)rec,
		(const void *)site, name ? name : "?", rec->len, why);
}

static void set_text_writable(int writable)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)__executable_start & ~(pg - 1);
	uintptr_t hi = ((uintptr_t)etext + pg - 1) & ~(pg - 1);
	int prot = PROT_READ | PROT_EXEC | (writable ? PROT_WRITE : 0);

	if (mprotect((void *)lo, hi - lo, prot)) {
		perror("bench-runtime: mprotect");
		exit(1);
	}
}

/*
 * The CPU as the copy's pass sees it: the synthetic RETPOLINE bit of the
 * mode the kernel's spectre_v2_choose() picks for this CPU and the
 * copy's spectre_v2= word, in a kernel built with the thunks, as
 * spectre_v2_select() sets it (arch/i386/kernel/spectre.c).
 */
static void spectre_v2_for(const struct variant *v, const struct cpuinfo *in,
			   struct cpuinfo *out)
{
	struct spectre_v2_cmdline line = { spectre_v2_parse(v->spectre_v2),
					   false };
	struct spectre_v2_choice ch = spectre_v2_choose(in, &line, true);
	char buf[64];

	*out = *in;
	out->features &= ~(X86_FEATURE_RETPOLINE |
			   X86_FEATURE_RETPOLINE_LFENCE);
	out->features |= spectre_v2_mode_feature(ch.mode);
	spectre_v2_format(&ch, buf, sizeof(buf));
	printf("# %s: spectre_v2: %s\n", v->name, buf);
}

/*
 * Linux's i386 thunk where no retpoline is needed: "jmp *%reg" (FF E0+r,
 * Intel SDM vol. 2A, "JMP"), int3 after it as after every jmp. The
 * indirect-branch thunks are the THUNK_CALL rows of the list.
 */
static void linux_thunk_bodies(const struct fixup_thunk *t)
{
	unsigned int i;

	for (i = 0; i < NR_THUNKS; i++) {
		u8 *body = (u8 *)t[i].fn;

		if (t[i].kind != FIXUP_KIND_THUNK_CALL || !body)
			continue;
		body[0] = 0xff;
		body[1] = 0xe0 + t[i].reg;
		body[2] = 0xcc;
	}
}

/* One fixup_apply() over a copy's table, as fixup_boot() makes it. */
static void patch(struct variant *v, const struct cpuinfo *host)
{
	const struct fixup_range text = { __executable_start, etext };
	struct cpuinfo c, *cpu = &c;
	struct fixup_hooks hooks = { .ctx = (void *)v->name,
				     .reject = on_reject };
	struct fixup_env env = {
		.cpu = cpu,
		.smp = v->patch == 1,
		.text = &text,
		.nr_text = 1,
		.calls = v->calls,
		.nr_calls = v->calls ? v->calls_end - v->calls : 0,
		.thunks = v->thunks,
		.nr_thunks = v->thunks ? NR_THUNKS : 0,
		.hooks = &hooks,
	};
	struct fixup_stats st;
	unsigned int k;

	spectre_v2_for(v, host, &c);
	env.taken_size = fixup_taken_size(&text, 1);
	env.taken = malloc(env.taken_size);
	if (!env.taken) {
		fprintf(stderr, "runtime: out of memory\n");
		exit(1);
	}

	set_text_writable(1);
	fixup_apply(v->sites, v->sites_end, &env, &st);
	if (v->linux_bodies)
		linux_thunk_bodies(v->thunks);
	fixup_serialize(cpu);	/* as the kernel's fixup_write_text_end() */
	free(env.taken);
	set_text_writable(0);
	printf("harness,sites,%s,%u,count\n", v->name, st.sites);
	printf("harness,patched,%s,%u,count\n", v->name, st.patched);
	printf("harness,rejected,%s,%u,count\n", v->name, st.rejected);
	for (k = 0; k < FIXUP_NR_KINDS; k++)
		if (st.kind[k].sites)
			printf("# %s: kind %s sites=%u patched=%u variant=%s\n",
			       v->name, fixup_kind_name(k), st.kind[k].sites,
			       st.kind[k].patched, st.kind[k].variant);
	if (st.rejected) {
		fprintf(stderr, "bench-runtime: %s: %u records rejected\n",
			v->name, st.rejected);
		exit(1);
	}
}

/* ---- timing ---- */

static inline u64 tsc_serialized(void)
{
	u32 a = 0, b, c = 0, d, lo, hi;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d)
			     : : "memory");
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

/*
 * Every block starts with the prefetch buffer read by plain loads: on
 * the machine this was written on, prefetches of lines left in the state
 * another variant's prefetches put them in ran 8 times slower, by turns.
 */
static void settle(struct bench_data *d)
{
	volatile u8 *p = d->buf;
	unsigned int i;

	for (i = 0; i < 4096; i += 64)
		(void)p[i];
}

static u64 time_block(const struct bench_op *op, u32 n, struct bench_data *d)
{
	u64 t0;

	settle(d);
	t0 = tsc_serialized();

	op->fn(n, d);
	return tsc_serialized() - t0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *s, unsigned int n)
{
	qsort(s, n, sizeof(*s), cmp_u64);
	return n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double tsc_mhz(void)
{
	double t0 = now_ns(), t1;
	u64 c0 = tsc_serialized(), c1;

	do
		t1 = now_ns();
	while (t1 - t0 < 50e6);
	c1 = tsc_serialized();
	return (c1 - c0) / (t1 - t0) * 1e3;
}

/* 0..n-1 in a pseudo-random order, the same in every run. */
static void shuffle(unsigned int *a, unsigned int n)
{
	static u32 seed = 12345;
	unsigned int i, j, t;

	for (i = 0; i < n; i++)
		a[i] = i;
	for (i = n - 1; i > 0; i--) {
		seed = seed * 1103515245 + 12345;
		j = (seed >> 16) % (i + 1);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/* ---- main ---- */

static u64 samples[NR_VARIANTS][MAX_OPS][MAX_ROUNDS];
static u32 iters[NR_VARIANTS][MAX_OPS];
static unsigned int nr_rounds[MAX_OPS];	/* rounds each op has had */

/* A spread (median absolute deviation, percent) above this gets rounds. */
#define NOISY		2.0

/* One round of op j: every variant once, in a new order. */
static void run_round(unsigned int j, struct bench_data *d)
{
	unsigned int order[NR_VARIANTS], k, i, r = nr_rounds[j]++;

	shuffle(order, NR_VARIANTS);
	for (k = 0; k < NR_VARIANTS; k++) {
		i = order[k];
		if (timed(i, j))
			samples[i][j][r] = time_block(&variants[i].ops[j],
						      iters[i][j], d);
	}
}

/* The median of op j in variant i, and its spread in percent. */
static u64 cell(unsigned int i, unsigned int j, u64 overhead, double *mad)
{
	u64 tmp[MAX_ROUNDS], s[MAX_ROUNDS], m, dev;
	unsigned int r, n = nr_rounds[j];

	memcpy(s, samples[i][j], n * sizeof(*s));
	m = median(s, n);
	for (r = 0; r < n; r++)
		tmp[r] = s[r] > m ? s[r] - m : m - s[r];
	dev = median(tmp, n);
	m = m > overhead ? m - overhead : 0;
	*mad = m ? 100.0 * dev / m : 0;
	return m;
}

static void usage(void)
{
	fputs("usage: bench-runtime [--block CYCLES] [--rounds N] "
	      "[--warmup N]\n"
	      "Times the kernel primitives in five builds (seven for "
	      "the branches); CSV rows on "
	      "stdout.\n", stderr);
}

/* n for one block of about block cycles, the timer's own cost apart. */
static u32 calibrate(const struct bench_op *op, struct bench_data *d,
		     u64 block, u64 overhead)
{
	u32 n = 16;
	u64 t, t2;

	for (;;) {
		t = time_block(op, n, d);
		t2 = time_block(op, n, d);
		t = t < t2 ? t : t2;
		t = t > overhead ? t - overhead : 1;
		if (t >= block / 8 || n >= (1u << 30))
			break;
		n *= 2;
	}
	t = (u64)((double)block * n / t);
	return t < 1 ? 1 : t > (1u << 30) ? 1u << 30 : (u32)t;
}

int main(int argc, char **argv)
{
	u64 block = 2000000, overhead, tmp[MAX_ROUNDS];
	unsigned int rounds = 51, warmup = 2, nops, r, i, j;
	struct bench_data *d;
	struct cpuinfo cpu;
	cpu_set_t set;
	char brand[64];

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--block") && i + 1 < (unsigned int)argc)
			block = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--rounds") &&
			 i + 1 < (unsigned int)argc)
			rounds = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--warmup") &&
			 i + 1 < (unsigned int)argc)
			warmup = strtoul(argv[++i], NULL, 0);
		else {
			usage();
			return !strcmp(argv[i], "--help") ? 0 : 2;
		}
	}
	if (rounds < 1 || rounds > MAX_ROUNDS || block < 1000) {
		usage();
		return 2;
	}

	/* Stay on one CPU: no migration in the middle of a block. */
	CPU_ZERO(&set);
	CPU_SET(sched_getcpu(), &set);
	sched_setaffinity(0, sizeof(set), &set);

	host_identify(&cpu);
	host_brand(brand, sizeof(brand));
	printf("# cpu: %s family=%u model=%u stepping=%u\n",
	       brand, cpu.family, cpu.model, cpu.stepping);
	printf("# code: %s\n", sizeof(void *) == 8 ? "x86-64" : "i386");

	for (i = 0; i < NR_VARIANTS; i++)
		if (variants[i].ops && variants[i].patch >= 0)
			patch(&variants[i], &cpu);
	printf("harness,sites,unpatched,%u,count\n",
	       (unsigned int)(variants[0].sites_end - variants[0].sites));
	printf("harness,serializations,patcher,%d,count\n",
	       bench_serializations);

	nops = *variants[0].nr_ops;
	if (nops > MAX_OPS)
		nops = MAX_OPS;
	for (i = 1; i < NR_VARIANTS; i++)
		for (j = 0; j < nops && variants[i].ops; j++)
			if (*variants[i].nr_ops != *variants[0].nr_ops ||
			    strcmp(variants[i].ops[j].name,
				   variants[0].ops[j].name)) {
				fprintf(stderr, "bench-runtime: the variants "
					"were not built from one prims.c\n");
				return 1;
			}

	d = aligned_alloc(4096, sizeof(*d) + 3 * 4096);
	memset(d, 0, sizeof(*d));
	d->buf = aligned_alloc(4096, 4096);
	d->src = aligned_alloc(4096, 4096);
	d->dst = aligned_alloc(4096, 4096);
	memset(d->buf, 1, 4096);
	memset(d->src, 0x5a, 4096);
	memset(d->dst, 0, 4096);
	spin_lock_init(&d->lock);
	for (i = 0; i < 4; i++)
		spin_lock_init(&d->w[i].lock);
	spin_lock_init(&d->zone_lock);
	d->pages = aligned_alloc(4096, WL_PAGES * 4096);
	memset(d->pages, 0x33, WL_PAGES * 4096);
	for (i = 0; i < WL_PAGES; i++)
		d->free[i] = d->pages + 4096 * i;
	d->nr_free = WL_PAGES;

	/* Warm up, the empty bracket, the size of the blocks. */
	for (r = 0; r < warmup; r++)
		for (j = 0; j < nops; j++)
			for (i = 0; i < NR_VARIANTS; i++)
				if (timed(i, j))
					time_block(&variants[i].ops[j], 1000,
						   d);
	for (r = 0; r < 101; r++) {
		u64 t0 = tsc_serialized();

		tmp[r] = tsc_serialized() - t0;
	}
	overhead = median(tmp, 101);
	for (j = 0; j < nops; j++)
		for (i = 0; i < NR_VARIANTS; i++)
			if (timed(i, j))
				iters[i][j] = calibrate(&variants[i].ops[j],
							d, block, overhead);
	printf("harness,timer_overhead,host,%llu,cycles\n",
	       (unsigned long long)overhead);
	printf("harness,tsc_mhz,host,%.0f,MHz\n", tsc_mhz());
	printf("harness,rounds,host,%u,count\n", rounds);
	printf("harness,block,host,%llu,cycles\n", (unsigned long long)block);

	/*
	 * Round by round, each op in every variant, in a new order each
	 * time: what a block leaves behind (write-combining buffers still
	 * draining after non-temporal stores) falls on every variant alike.
	 */
	for (r = 0; r < rounds; r++)
		for (j = 0; j < nops; j++)
			run_round(j, d);

	/*
	 * More rounds where the spread is high: up to twice as many again
	 * for an op whose spread in any variant is above NOISY, in turns
	 * with the other noisy ops, so that a burst of load falls on all.
	 */
	{
		bool noisy[MAX_OPS];
		unsigned int extra = 2 * rounds;
		double mad;

		if (rounds + extra > MAX_ROUNDS)
			extra = MAX_ROUNDS - rounds;
		for (j = 0; j < nops; j++) {
			noisy[j] = false;
			for (i = 0; i < NR_VARIANTS; i++) {
				if (!timed(i, j))
					continue;
				cell(i, j, overhead, &mad);
				if (mad > NOISY)
					noisy[j] = true;
			}
		}
		for (r = 0; r < extra; r++)
			for (j = 0; j < nops; j++)
				if (noisy[j])
					run_round(j, d);
	}

	for (j = 0; j < nops; j++) {
		printf("rounds,%s,all,%u,count\n", variants[0].ops[j].name,
		       nr_rounds[j]);
		for (i = 0; i < NR_VARIANTS; i++) {
			const struct bench_op *op = &variants[i].ops[j];
			double c, mad;
			u64 m;

			if (!timed(i, j))
				continue;
			m = cell(i, j, overhead, &mad);

			c = (double)m / iters[i][j] / (op->per ? op->per : 1);
			printf("runtime,%s,%s,%.4f,cycles\n", op->name,
			       variants[i].name, c);
			printf("spread,%s,%s,%.3f,percent\n", op->name,
			       variants[i].name, mad);
		}
	}
	return 0;
}

/*
 * Self-tests of the patched kernel, run after the fixup pass: every kind
 * of site executes (barriers and prefetches must not fault on a 486, a
 * prefetch of an unmapped address must not fault anywhere), the
 * primitives built on sites give the right results, and one labelled site
 * of each simple kind holds the bytes the CPU and mode call for.
 */
#include <kernel/selftest.h>
#include <asm/fixup.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/atomic.h>
#include <asm/bitops.h>
#include <asm/barrier.h>
#include <asm/prefetch.h>
#include <asm/spinlock.h>
#include <asm/apic.h>
#include <asm/page.h>
#include <asm/pagecopy.h>
#include <asm/cpufeature.h>
#include <kernel/smpboot.h>

SELFTEST(atomic_ops)
{
	struct atomic v = ATOMIC_INIT(5);
	bool ok = true;

	atomic_inc(&v);
	atomic_add(10, &v);
	atomic_sub(3, &v);
	atomic_dec(&v);
	ok &= atomic_read(&v) == 12;
	ok &= atomic_add_return(8, &v) == 20;
	ok &= !atomic_sub_and_test(19, &v);
	ok &= atomic_dec_and_test(&v);
	ok &= !atomic_inc_and_test(&v);
	ok &= atomic_cmpxchg(&v, 1, 42) == 1 && atomic_read(&v) == 42;
	ok &= atomic_cmpxchg(&v, 1, 7) == 42 && atomic_read(&v) == 42;
	if (!ok)
		selftest_diag("final value %d", atomic_read(&v));
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}

SELFTEST(bitops)
{
	u32 map[2] = { 0, 0 };
	bool ok = true;

	set_bit(3, map);
	set_bit(33, map);
	ok &= map[0] == 8 && map[1] == 2;
	ok &= test_and_set_bit(3, map) && !test_and_set_bit(4, map);
	ok &= test_and_clear_bit(4, map) && !test_and_clear_bit(4, map);
	change_bit(0, map);
	clear_bit(33, map);
	ok &= map[0] == 9 && map[1] == 0;
	ok &= !test_and_change_bit(1, map) && map[0] == 11;
	ok &= test_bit(1, map) && !test_bit(2, map);
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}

SELFTEST(barriers_execute)
{
	mb();
	rmb();
	wmb();
	smp_mb();
	smp_rmb();
	smp_wmb();
	return SELFTEST_PASS;		/* a wrong variant would have oopsed */
}

SELFTEST(prefetch_never_faults)
{
	static char buf[256];
	/* Page 0 is unmapped: a hint must not fault, whatever it became. */
	const char *volatile unmapped = (const char *)64;

	prefetch(buf);
	prefetchw(buf + 128);
	prefetch(unmapped);
	prefetchw(unmapped + 64);
	return SELFTEST_PASS;
}

#ifdef CONFIG_SMP
SELFTEST(spinlock)
{
	static DEFINE_SPINLOCK(lock);
#ifdef CONFIG_FIXUP
	bool smp_variant = !fixup_applied || fixup_smp;
#else
	bool smp_variant = true;
#endif
	bool ok = true;

	spin_lock(&lock);
	/* On UP the calls were patched away: the lock word never moves. */
	ok &= spin_is_locked(&lock) == smp_variant;
	ok &= spin_trylock(&lock) == !smp_variant;
	spin_unlock(&lock);
	ok &= !spin_is_locked(&lock);
	ok &= spin_trylock(&lock);
	spin_unlock(&lock);
	ok &= !spin_is_locked(&lock);
	if (!ok)
		selftest_diag("lock word %d, %s variants", (s8)lock.slock,
			      smp_variant ? "SMP" : "UP");
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}
#endif

static bool page_is(const u8 *p, u8 v)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (p[i] != v)
			return false;
	return true;
}

static bool check_copy(void (*copy)(void *, const void *) __regparm3,
		       void (*clear)(void *) __regparm3, u8 *a, u8 *b)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		a[i] = (u8)(i * 7 + 3);
	memset(b, 0xee, PAGE_SIZE);
	copy(b, a);
	if (memcmp(a, b, PAGE_SIZE))
		return false;
	clear(b);
	return page_is(b, 0);
}

/* The patched call sites, and every variant this CPU can run. */
SELFTEST(page_copy_variants)
{
	u8 *a = alloc_page(), *b = alloc_page();
	bool ok = a && b;
	bool mmx = cpu_has(&boot_cpu_data, X86_FEATURE_MMX);
	bool nt = mmx && (cpu_has(&boot_cpu_data, X86_FEATURE_SSE) ||
			  cpu_has(&boot_cpu_data, X86_FEATURE_MMXEXT));
	unsigned int i;

	if (!ok)
		return SELFTEST_FAIL;
	for (i = 0; i < PAGE_SIZE; i++)
		a[i] = (u8)(i ^ 0x5a);
	memset(b, 0x11, PAGE_SIZE);
	copy_page(b, a);
	ok &= !memcmp(a, b, PAGE_SIZE);
	clear_page(b);
	ok &= page_is(b, 0);
	if (!ok)
		selftest_diag("the patched copy_page/clear_page are wrong");
	ok &= check_copy(copy_page_rep, clear_page_rep, a, b);
	if (mmx)
		ok &= check_copy(copy_page_mmx, clear_page_mmx, a, b);
	if (nt)
		ok &= check_copy(copy_page_mmx_nt, clear_page_mmx_nt, a, b);
	free_page(a);
	free_page(b);
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}

SELFTEST(apic_write)
{
	u32 old;
	bool ok;

	if (!lapic) {
		selftest_diag("no local APIC");
		return SELFTEST_SKIP;
	}
	old = apic_read(APIC_TPR);
	apic_write(APIC_TPR, 0x20);
	ok = (apic_read(APIC_TPR) & 0xff) == 0x20;
	apic_write(APIC_TPR, old);
	ok &= apic_read(APIC_TPR) == old;
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}

#ifdef CONFIG_FIXUP
/*
 * Labelled sites: the bytes the pass must have left there, computed here
 * from the CPU's features by the rules of Documentation/fixup-sites.md.
 */
extern const u8 st_lock_site[], st_mb_site[], st_rmb_site[], st_wmb_site[];
extern const u8 st_smp_mb_site[];

static void __attribute__((noinline, noclone, used)) labelled_sites(struct atomic *v)
{
	__asm__ __volatile__(".globl st_lock_site\nst_lock_site:\n\t"
			     LOCK_PREFIX "incl %0" : "+m"(v->counter));
	__asm__ __volatile__(".globl st_mb_site\nst_mb_site:\n\t"
			     FIXUP_BARRIER(FIXUP_KIND_MB) ::: "memory");
	__asm__ __volatile__(".globl st_rmb_site\nst_rmb_site:\n\t"
			     FIXUP_BARRIER(FIXUP_KIND_RMB) ::: "memory");
	__asm__ __volatile__(".globl st_wmb_site\nst_wmb_site:\n\t"
			     FIXUP_BARRIER(FIXUP_KIND_WMB) ::: "memory");
#ifdef CONFIG_SMP
	__asm__ __volatile__(".globl st_smp_mb_site\nst_smp_mb_site:\n\t"
			     FIXUP_BARRIER(FIXUP_KIND_SMP_MB) ::: "memory");
#endif
}

static bool site_is(const char *what, const u8 *site, const u8 *want,
		    unsigned int n)
{
	char got[16], exp[16];
	unsigned int i;

	if (!memcmp(site, want, n))
		return true;
	for (i = 0; i < n && i < 5; i++) {
		snprintf(got + 3 * i, 4, "%02x ", site[i]);
		snprintf(exp + 3 * i, 4, "%02x ", want[i]);
	}
	selftest_diag("%s: %s, want %s", what, got, exp);
	return false;
}

SELFTEST_HOTPLUG(patched_bytes)
{
	static const u8 lock[] __unused = { 0xf0 }, ds[] __unused = { 0x3e };
	static const u8 locked_add[] = { 0xf0, 0x83, 0x04, 0x24, 0x00 };
	static const u8 mfence[] = { 0x0f, 0xae, 0xf0 };
	static const u8 lfence[] = { 0x0f, 0xae, 0xe8 };
	static const u8 sfence[] = { 0x0f, 0xae, 0xf8 };
	static const u8 nop5_p6[] __unused = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static const u8 nop5_486[] __unused = { 0x90, 0x8d, 0x74, 0x26, 0x00 };
	const struct cpuinfo *c = &boot_cpu_data;
	bool sse2 = cpu_has(c, X86_FEATURE_SSE2);
	bool sse = cpu_has(c, X86_FEATURE_SSE);
	bool ok = true;
	struct atomic v = ATOMIC_INIT(0);

	labelled_sites(&v);
#ifndef CONFIG_SMP
	/* Compile-time UP: no lock prefix and no SMP barrier at all. */
	ok &= site_is("incl", st_lock_site, (const u8 *)"\xff", 1);
	if (fixup_applied) {
		ok &= site_is("MB", st_mb_site, sse2 ? mfence : locked_add, 3);
		ok &= site_is("RMB", st_rmb_site, sse2 ? lfence : locked_add, 3);
		ok &= site_is("WMB", st_wmb_site, sse ? sfence : locked_add, 3);
	}
	ok &= atomic_read(&v) == 1;
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
#else
	if (!fixup_applied) {
		/* nofixup: the compiled forms everywhere. */
		ok &= site_is("LOCK", st_lock_site, lock, 1);
		ok &= site_is("MB", st_mb_site, locked_add, 5);
		ok &= site_is("SMP_MB", st_smp_mb_site, locked_add, 5);
		return ok ? SELFTEST_PASS : SELFTEST_FAIL;
	}
	ok &= site_is("LOCK", st_lock_site, fixup_smp ? lock : ds, 1);
	ok &= site_is("MB", st_mb_site, sse2 ? mfence : locked_add, 3);
	ok &= site_is("RMB", st_rmb_site, sse2 ? lfence : locked_add, 3);
	ok &= site_is("WMB", st_wmb_site, sse ? sfence : locked_add, 3);
	if (fixup_smp)	/* a locked add: faster than mfence */
		ok &= site_is("SMP_MB", st_smp_mb_site, locked_add, 5);
	else
		ok &= site_is("SMP_MB", st_smp_mb_site,
			      cpu_has(c, X86_FEATURE_NOPL) ? nop5_p6 : nop5_486,
			      5);
	ok &= atomic_read(&v) == 1;
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
#endif
}
#endif

#if defined(CONFIG_FIXUP) && defined(CONFIG_SMP) && defined(CONFIG_HOTPLUG_CPU)
/*
 * Whether every kept site, of every kept table from k on (each module's,
 * then the kernel's), holds its kept bytes for smp, and every one-byte
 * site (a LOCK prefix: no other kept kind has one byte) f0 on SMP, 3e
 * on UP.
 */
static bool kept_sites_are(const struct fixup_kept *k, bool smp)
{
	unsigned int bad = 0;
	u32 i;

	for (; k; k = k->next) {
		const u8 *b = k->bytes;

		for (i = 0; i < k->nr; b += 2 * k->sites[i++].len) {
			const u8 *site = (const u8 *)k->sites[i].addr;
			unsigned int len = k->sites[i].len;

			if ((!memcmp(site, smp ? b + len : b, len) &&
			     (len != 1 || site[0] == (smp ? 0xf0 : 0x3e))) ||
			    bad++ >= 3)
				continue;
			selftest_diag("kept site at 0x%08x: %02x, want its "
				      "%s form", (u32)(uintptr_t)site,
				      site[0], smp ? "smp" : "up");
		}
	}
	return !bad;
}

/*
 * Whether every kept table, its head, sites and bytes, is read-only: who
 * could write one would steer the re-patch's writes.
 */
static bool kept_tables_read_only(const struct fixup_kept *k)
{
	u32 i, n;

	for (; k; k = k->next) {
		for (i = 0, n = 0; i < k->nr; i++)
			n += 2 * k->sites[i].len;
		if ((page_flags((u32)(uintptr_t)k) |
		     page_flags((u32)(uintptr_t)k->sites) |
		     page_flags((u32)(uintptr_t)(k->bytes + n - 1))) & PTE_RW) {
			selftest_diag("kept table at 0x%08x is writable",
				      (u32)(uintptr_t)k);
			return false;
		}
	}
	return true;
}

/*
 * On one CPU with sites kept for a CPU hot-add: re-patch to SMP, as a
 * hot-add does before the new CPU starts, then back to UP, as when the
 * last other CPU has gone, and look at every kept site and the labelled
 * LOCK site after each; the text stays read-only throughout. Several
 * round trips: more text writes for tests/nmi.t's NMIs to land in.
 */
#define REPATCH_ROUNDS	16

SELFTEST(fixup_repatch)
{
	const struct fixup_kept *k = fixup_kept_tables();
	struct atomic v = ATOMIC_INIT(0);
	bool ok = true;
	int i;

	if (!k || num_online_cpus() != 1 || fixup_smp) {
		selftest_diag("needs one CPU online, UP forms and sites kept "
			      "for a hot-add (-smp 1,maxcpus=N)");
		return SELFTEST_SKIP;
	}
	ok &= kept_sites_are(k, false) && st_lock_site[0] == 0x3e;
	ok &= kept_tables_read_only(k);
	for (i = 0; i < REPATCH_ROUNDS; i++) {
		ok &= fixup_repatch(true, 1, "selftest") == 0 && fixup_smp;
		ok &= kept_sites_are(k, true) && st_lock_site[0] == 0xf0;
		labelled_sites(&v);		/* runs the SMP forms */
		ok &= fixup_repatch(false, 1, "selftest") == 0 && !fixup_smp;
		ok &= kept_sites_are(k, false) && st_lock_site[0] == 0x3e;
		labelled_sites(&v);
	}
	ok &= atomic_read(&v) == 2 * REPATCH_ROUNDS;
	ok &= !(page_flags((u32)(uintptr_t)st_lock_site) & PTE_RW);
	if (!ok)
		selftest_diag("lock site %02x, smp %d, counter %d",
			      st_lock_site[0], fixup_smp, atomic_read(&v));
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}
#endif

#ifdef CONFIG_FIXUP_SELFTEST
/* The bad records of arch/i386/fixup/selftest_records.S left no trace. */
extern const u8 fixup_st_lock[], fixup_st_mb[], fixup_st_nop[];
extern const u8 fixup_st_call[], fixup_st_data[], fixup_st_text[];

SELFTEST(fixup_bad_records)
{
	u32 call_to = (u32)(uintptr_t)fixup_st_call + 5 +
		      *(const s32 *)(fixup_st_call + 1);
	bool ok = true;

	ok &= fixup_st_nop[0] == 0x90;
	ok &= fixup_st_data[0] == 0xf0;
	ok &= fixup_st_call[0] == 0xe8 &&
	      call_to == (u32)(uintptr_t)fixup_st_text;
	/* The good sites beside them were patched as usual. */
	if (fixup_applied)
		ok &= fixup_st_lock[0] == (fixup_smp ? 0xf0 : 0x3e);
	if (!ok)
		selftest_diag("nop %02x data %02x call %02x -> 0x%08x lock %02x",
			      fixup_st_nop[0], fixup_st_data[0],
			      fixup_st_call[0], call_to, fixup_st_lock[0]);
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}
#endif

#ifdef CONFIG_FIXUP_ASM_PASS
#include <kernel/compiler_sites.h>

/*
 * The sites GCC emitted itself (recorded by the asm pass) run after the
 * pass on any CPU: mfence/prefetchnta/movnti were downgraded where the
 * CPU lacks them, so a 486 takes no #UD here.
 */
SELFTEST(compiler_sites)
{
	static u32 buf[64];
	int v = 5;
	u32 i, sum = 0;
	bool ok = true;

	ok &= cs_fetch_add(&v, 3) == 5 && v == 8;
	ok &= cs_cmpxchg(&v, 8, 1) && v == 1;
	ok &= !cs_cmpxchg(&v, 8, 2) && v == 1;
	cs_full_fence();
	cs_fill_prefetchw(buf, 48, 7);
	for (i = 0; i < 48; i++)
		sum += buf[i];
	ok &= cs_sum_prefetch(buf, 48) == sum && sum == 48 * 7;
	cs_store_nt(&v, 42);
	cs_full_fence();
	ok &= v == 42;
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}
#endif

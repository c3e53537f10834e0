/*
 * The self-test runner: KTAP version 1 over the console, one "ok N name"
 * or "not ok N name" line per test. "selftest" runs them all,
 * "selftest=a,b" only those named. "selftest_on_hotplug" (or
 * "selftest_on_hotplug=a,b") runs the SELFTEST_HOTPLUG tests again, as a
 * report of their own, after every CPU hot-add or hot-remove.
 * "selftest_crash=KIND" then crashes on purpose, so that tests can check
 * the oops: an invalid opcode, a write to
 * the read-only text, a read of the freed fixup table, a stack overflow
 * (on every CPU at once, too), and faults where the oops path could
 * deadlock: inside clock_ns(), with the console lock held by this CPU or
 * by another one that never lets it go, with the clock lock held by
 * another CPU that never lets it go.
 */
#include <kernel/selftest.h>
#include <kernel/printk.h>
#include <kernel/params.h>
#include <kernel/string.h>
#include <kernel/module.h>
#include <asm/page.h>
#include <kernel/clock.h>
#include <kernel/panic.h>
#include <kernel/smpboot.h>
#include <asm/smp.h>
#include <asm/processor.h>

extern const struct selftest __selftests_start[], __selftests_end[];
extern const char __fixup_sites_start[];	/* ldscripts/vmlinux.lds */

bool selftests_requested;
static char selected[128];
#ifdef CONFIG_SMP
static bool hotplug_requested;
static char hotplug_selected[128];
#endif
static char crash_kind[32];
static char skip_reason[128];

static int __init set_selftest(const char *val)
{
	selftests_requested = true;
	if (!val)
		return 0;
	if (!*val || strlen(val) >= sizeof(selected))
		return -1;
	memcpy(selected, val, strlen(val) + 1);
	return 0;
}
__setup("selftest", set_selftest);

#ifdef CONFIG_SMP
static int __init set_on_hotplug(const char *val)
{
	if (val && (!*val || strlen(val) >= sizeof(hotplug_selected)))
		return -1;
	hotplug_requested = true;
	if (val)
		memcpy(hotplug_selected, val, strlen(val) + 1);
	return 0;
}
__setup("selftest_on_hotplug", set_on_hotplug);
#endif

static int __init set_crash(const char *val)
{
	if (!val || !*val || strlen(val) >= sizeof(crash_kind))
		return -1;
	memcpy(crash_kind, val, strlen(val) + 1);
	return 0;
}
__setup("selftest_crash", set_crash);

void selftest_diag(const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memcpy(skip_reason, buf, sizeof(skip_reason));
	printk(KERN_INFO "    # %s\n", buf);
}
EXPORT_SYMBOL(selftest_diag);

/* Is name in the comma-separated selection (all when empty)? */
static bool wanted(const char *sel, const char *name)
{
	const char *p = sel;
	size_t n = strlen(name);

	if (!*p)
		return true;
	while (*p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return false;
}

/* The kernel's tests, then each loaded module's: one KTAP stream. */
static unsigned int nr_lists(void)
{
#ifdef CONFIG_MODULES
	return 1 + nr_modules;
#else
	return 1;
#endif
}

static void test_list(unsigned int l, const struct selftest **start,
		      const struct selftest **end)
{
	*start = __selftests_start;
	*end = __selftests_end;
#ifdef CONFIG_MODULES
	if (l) {
		*start = modules[l - 1].tests;
		*end = modules[l - 1].tests_end;
	}
#endif
}

/* One KTAP report of the tests in sel (and hotplug ones only, if asked). */
static int run_tests(const char *sel, bool hotplug_only)
{
	const struct selftest *t, *end;
	int n = 0, i = 0, passed = 0, failed = 0;
	unsigned int l;

	for (l = 0; l < nr_lists(); l++)
		for (test_list(l, &t, &end); t < end; t++)
			n += (t->hotplug || !hotplug_only) &&
			     wanted(sel, t->name);
	printk(KERN_INFO "KTAP version 1\n");
	printk(KERN_INFO "1..%d\n", n);
	for (l = 0; l < nr_lists(); l++) {
		for (test_list(l, &t, &end); t < end; t++) {
			enum selftest_result r;

			if ((hotplug_only && !t->hotplug) ||
			    !wanted(sel, t->name))
				continue;
			skip_reason[0] = '\0';
			r = t->fn();
			i++;
			if (r == SELFTEST_SKIP)
				printk(KERN_INFO "ok %d %s # SKIP %s\n", i,
				       t->name, skip_reason);
			else
				printk(KERN_INFO "%sok %d %s\n",
				       r == SELFTEST_PASS ? "" : "not ", i,
				       t->name);
			passed += r != SELFTEST_FAIL;
			failed += r == SELFTEST_FAIL;
		}
	}
	if (sel[0] && n == 0) {
		pr_err("selftest: no test matches '%s'\n", sel);
		failed++;
	}
	printk(KERN_INFO "selftest: %d passed, %d failed\n", passed, failed);
	return failed;
}

int run_selftests(void)
{
	return run_tests(selected, false);
}

#ifdef CONFIG_SMP
void selftest_after_hotplug(void)
{
	static unsigned int changes;
	unsigned int n = num_online_cpus();

	if (!hotplug_requested)
		return;
	changes++;
	printk(KERN_INFO "selftest: after CPU change %u: %u CPU%s online\n",
	       changes, n, n == 1 ? "" : "s");
	run_tests(hotplug_selected, true);
}
#endif

/* Crashes on purpose; each is a real function so the oops names it. */
static void __attribute__((noinline)) crash_invalid_opcode(void)
{
	__asm__ __volatile__("ud2");
}

/* Text is read-only after boot: rewriting even one byte of it faults. */
static void __attribute__((noinline)) crash_write_text(void)
{
	volatile u8 *p = (volatile u8 *)(uintptr_t)crash_write_text;

	*p = *p;
}

/* The fixup table was freed with the init region, which is unmapped. */
static void __attribute__((noinline)) crash_freed_table(void)
{
#ifdef CONFIG_FIXUP
	const volatile u8 *p = (const volatile u8 *)__fixup_sites_start;
#else
	const volatile u8 *p = (const volatile u8 *)__init_begin;
#endif

	printk(KERN_INFO "selftest: freed table reads 0x%02x\n", *p);
}

/* Recurse until the stack runs into its guard page: a double fault. */
static volatile int overflow_stop = -1;

static int __attribute__((noinline)) recurse(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth == overflow_stop)
		return frame[0];
	return recurse(depth + 1) + frame[0];
}

static void __attribute__((noinline)) crash_stack_overflow(void)
{
	recurse(0);
}

#ifdef CONFIG_SMP
static void overflow_here(void *arg)
{
	(void)arg;
	recurse(0);
}

/* Every online CPU overflows its stack at the same moment. */
static void __attribute__((noinline)) crash_double_fault_all(void)
{
	oops_expect_reports(num_online_cpus());
	smp_call_all(overflow_here, NULL);
}

static void keep_console_on_ap(void *arg)
{
	if (smp_processor_id() != 0)
		printk_test_keep_console();
	(void)arg;
}
#endif

static void __attribute__((noinline)) crash_oops_in_clock(void)
{
	clock_test_crash = 1;
	clock_ns();
}

#ifdef CONFIG_SMP
static void clock_on_cpu1(void *arg)
{
	(void)arg;
	if (smp_processor_id() == 1)
		clock_ns();
}

/* CPU1 dies inside clock_ns(): the boot CPU's clock must still run. */
static void __attribute__((noinline)) crash_oops_in_clock_ap(void)
{
	clock_test_crash = 2;
	smp_call_all(clock_on_cpu1, NULL);
	printk(KERN_INFO "selftest: the clock runs on after CPU1's oops\n");
	__asm__ __volatile__("ud2");
}
#endif

static void __attribute__((noinline)) crash_oops_console_held(void)
{
	printk_test_crash = true;
	printk(KERN_INFO "selftest: this line is never printed\n");
}

#ifdef CONFIG_SMP
static volatile bool clock_kept;

/*
 * CPU1 takes the clock lock and never lets it go; then CPU0 oopses: its
 * report must not wait for the lock. Nothing here reads the clock.
 */
static void keep_clock_on_cpu1(void *arg)
{
	(void)arg;
	if (smp_processor_id() == 1) {
		clock_test_keep_lock();
		clock_kept = true;
		halt_forever();
	}
	while (smp_processor_id() == 0 && !clock_kept)
		cpu_relax();
	if (smp_processor_id() == 0)
		__asm__ __volatile__("ud2");
}

static void __attribute__((noinline)) crash_oops_clock_other(void)
{
	smp_call_all(keep_clock_on_cpu1, NULL);
}
#endif

/* Another CPU holds the console lock and never lets it go, then oops. */
static void __attribute__((noinline)) crash_oops_console_other(void)
{
#ifdef CONFIG_SMP
	smp_call_all(keep_console_on_ap, NULL);
#endif
	__asm__ __volatile__("ud2");
}

struct crash {
	const char *name;
	void (*fn)(void);
};

static const struct crash crashes[] = {
	{ "invalid_opcode", crash_invalid_opcode },
	{ "write_text", crash_write_text },
	{ "freed_table", crash_freed_table },
	{ "stack_overflow", crash_stack_overflow },
#ifdef CONFIG_SMP
	{ "double_fault_all", crash_double_fault_all },
	{ "oops_in_clock_ap", crash_oops_in_clock_ap },
	{ "oops_clock_other", crash_oops_clock_other },
#endif
	{ "oops_in_clock", crash_oops_in_clock },
	{ "oops_console_held", crash_oops_console_held },
	{ "oops_console_other", crash_oops_console_other },
};

void run_crash_test(void)
{
	size_t i;

	if (!crash_kind[0])
		return;
	for (i = 0; i < ARRAY_SIZE(crashes); i++) {
		if (!strcmp(crashes[i].name, crash_kind)) {
			printk(KERN_INFO "selftest: crashing on purpose: %s\n",
			       crash_kind);
			crashes[i].fn();
			pr_err("selftest: crash '%s' did not crash\n",
			       crash_kind);
			return;
		}
	}
	pr_warn("selftest: unknown selftest_crash '%s'\n", crash_kind);
}

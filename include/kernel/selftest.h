/*
 * In-kernel self-tests, run with the "selftest" parameter after boot and
 * reported in KTAP (Documentation/dev-tools/ktap.rst in Linux).
 * SELFTEST(name) { ...; return SELFTEST_PASS; }
 * SELFTEST_HOTPLUG(name) is a test that also runs again after every CPU
 * hot-add or hot-remove under "selftest_on_hotplug".
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <kernel/types.h>
#include <kernel/compiler.h>

enum selftest_result { SELFTEST_PASS, SELFTEST_FAIL, SELFTEST_SKIP };

struct selftest {
	const char *name;
	enum selftest_result (*fn)(void);
	bool hotplug;		/* run again after each CPU change */
};

#define __SELFTEST(tname, on_hotplug)					\
	static enum selftest_result selftest_##tname(void);		\
	static const struct selftest __selftest_##tname			\
	__used __section(".selftests") __aligned(4) =			\
		{ #tname, selftest_##tname, on_hotplug };		\
	static enum selftest_result selftest_##tname(void)

#define SELFTEST(tname)		__SELFTEST(tname, false)
#define SELFTEST_HOTPLUG(tname)	__SELFTEST(tname, true)

/* Say why a test failed or was skipped; shown as a KTAP diagnostic. */
void selftest_diag(const char *fmt, ...) __printf(1, 2);

int run_selftests(void);
void run_crash_test(void);
extern bool selftests_requested;

/*
 * Called by the CPU hotplug code after each CPU was added or removed,
 * from one CPU at a time: with "selftest_on_hotplug", runs the
 * SELFTEST_HOTPLUG tests on every CPU now online, as one KTAP report
 * after a line naming the change's number and the CPU count
 * ("selftest: after CPU change 1: 2 CPUs online"). A no-op otherwise.
 */
#if defined(CONFIG_SELFTESTS) && defined(CONFIG_SMP)
void selftest_after_hotplug(void);
#else
static inline void selftest_after_hotplug(void) { }
#endif

#endif

/*
 * In-kernel self-tests, run with the "selftest" parameter after boot and
 * reported in KTAP (Documentation/dev-tools/ktap.rst in Linux).
 * SELFTEST(name) { ...; return SELFTEST_PASS; }
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <kernel/types.h>
#include <kernel/compiler.h>

enum selftest_result { SELFTEST_PASS, SELFTEST_FAIL, SELFTEST_SKIP };

struct selftest {
	const char *name;
	enum selftest_result (*fn)(void);
};

#define SELFTEST(tname)							\
	static enum selftest_result selftest_##tname(void);		\
	static const struct selftest __selftest_##tname			\
	__used __section(".selftests") __aligned(4) =			\
		{ #tname, selftest_##tname };				\
	static enum selftest_result selftest_##tname(void)

/* Say why a test failed or was skipped; shown as a KTAP diagnostic. */
void selftest_diag(const char *fmt, ...) __printf(1, 2);

int run_selftests(void);
void run_crash_test(void);
extern bool selftests_requested;

#endif

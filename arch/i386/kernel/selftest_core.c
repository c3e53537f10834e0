/* Self-tests of the core: clock, page allocator, symbol table, printk. */
#include <kernel/selftest.h>
#include <kernel/clock.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/page.h>
#include <asm/pagecopy.h>

SELFTEST(clock_monotonic)
{
	u64 prev = clock_ns(), now;
	int i;

	for (i = 0; i < 10000; i++) {
		now = clock_ns();
		if (now < prev) {
			selftest_diag("clock went back at read %d", i);
			return SELFTEST_FAIL;
		}
		prev = now;
	}
	return SELFTEST_PASS;
}

SELFTEST(page_alloc)
{
	u8 *a = alloc_page(), *b = alloc_page();
	u32 before, i;
	bool ok = a && b && a != b;

	if (!ok) {
		selftest_diag("alloc_page gave %p and %p", a, b);
		return SELFTEST_FAIL;
	}
	for (i = 0; i < PAGE_SIZE; i++)
		if (a[i] || b[i])
			ok = false;
	memset(a, 0x5a, PAGE_SIZE);
	copy_page(b, a);
	ok = ok && !memcmp(a, b, PAGE_SIZE);
	before = nr_free_pages();
	free_page(a);
	free_page(b);
	ok = ok && nr_free_pages() == before + 2;
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}

SELFTEST(kallsyms)
{
	u32 off, size;
	const char *name = kallsyms_lookup((u32)(uintptr_t)run_selftests + 1,
					   &off, &size);

	if (!name || strcmp(name, "run_selftests") || off != 1 || size < 2) {
		selftest_diag("lookup gave %s+%u/%u", name ? name : "NULL",
			      name ? off : 0, name ? size : 0);
		return SELFTEST_FAIL;
	}
	return SELFTEST_PASS;
}

SELFTEST(vsnprintf)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%5u.%06u|%-4s|%08x|%lld|%c", 3u, 42u,
		 "ab", 0xbeefu, -5ll, 'z');
	if (strcmp(buf, "    3.000042|ab  |0000beef|-5|z")) {
		selftest_diag("got '%s'", buf);
		return SELFTEST_FAIL;
	}
	return SELFTEST_PASS;
}

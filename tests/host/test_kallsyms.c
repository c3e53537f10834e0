/* Host tests of the symbol lookup (arch/i386/kernel/kallsyms.c). */
#include "tap.h"
#include <kernel/kallsyms.h>

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

static const u32 addr[] = { 0x100000, 0x100010, 0x100040, 0x100100 };
static const u32 size[] = { 0x10, 0x20, 0x40, 0x8 };
static const char names[] = "_start\0alpha\0beta\0last";
static const u32 off_[] = { 0, 7, 13, 18 };
static const struct ksym_table t = { 4, addr, size, off_, names };

static void want(u32 a, const char *name, u32 off)
{
	u32 o = 0, s = 0;
	const char *n = ksym_lookup(&t, a, &o, &s);

	if (!name) {
		ok(n == NULL, "0x%x has no symbol", a);
		return;
	}
	ok(n && !strcmp(n, name) && o == off, "0x%x is %s+0x%x", a, name,
	   off);
}

int main(void)
{
	const struct ksym_table empty = { 0, NULL, NULL, NULL, NULL };
	u32 o, s;

	want(0x0fffff, NULL, 0);
	want(0x100000, "_start", 0);
	want(0x10000f, "_start", 0xf);
	want(0x100010, "alpha", 0);
	want(0x10002f, "alpha", 0x1f);
	want(0x100030, NULL, 0);		/* gap after alpha */
	want(0x100040, "beta", 0);
	want(0x10007f, "beta", 0x3f);
	want(0x100107, "last", 7);
	want(0x100108, NULL, 0);
	want(0xffffffff, NULL, 0);
	ok(ksym_lookup(&empty, 0x100000, &o, &s) == NULL, "empty table");
	return done_testing();
}

/* Host tests of arch/i386/lib/vsprintf.c against known outputs. */
#include "tap.h"
#include <kernel/printk.h>

static void check(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kernel_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!ok(!strcmp(buf, want) && n == (int)strlen(want),
		"\"%s\" -> \"%s\"", fmt, want))
		diag("got \"%s\" (%d)", buf, n);
}

static char big_width[] = "%99999999999d";
static char big_prec[] = "%.99999999999d";
static char star_bar[] = "%*d|";

int main(void)
{
	char small[8];
	int n;

	check("42", "%d", 42);
	check("-42", "%d", -42);
	check("-2147483648", "%d", (int)0x80000000);
	check("4294967295", "%u", 0xffffffffu);
	check("18446744073709551615", "%llu", 0xffffffffffffffffull);
	check("-9223372036854775808", "%lld", (long long)0x8000000000000000ull);
	check("deadbeef", "%x", 0xdeadbeefu);
	check("DEADBEEF", "%X", 0xdeadbeefu);
	check("0x1f", "%#x", 0x1f);
	check("17", "%o", 15);
	check("017", "%#o", 15);
	check("    3.000042", "%5u.%06u", 3, 42);
	check("00000abc", "%08x", 0xabc);
	check("ab  |", "%-4s|", "ab");
	check("  ab|", "%4s|", "ab");
	check("abc", "%.3s", "abcdef");
	check("(null)", "%s", (char *)NULL);
	check("x", "%c", 'x');
	check("100%", "%d%%", 100);
	check("+5", "%+d", 5);
	check("  -7", "%4d", -7);
	check("-007", "%04d", -7);
	check("  007", "%5.3d", 7);
	check("255", "%hhu", 0x1ff);
	check("-1", "%hd", 0xffff);
	check("%q", "%q");
	check("12345678", "%*d", 8, 12345678);
	check("0x1000", "%p", (void *)0x1000);

	n = kernel_snprintf(small, sizeof(small), "%s", "truncated!");
	ok(n == 10 && !strcmp(small, "truncat"),
	   "truncation keeps the NUL and returns the full length");
	n = kernel_snprintf(small, 0, "%d", 12345);
	is_int(n, 5, "size 0 writes nothing and returns the length");

	/* widths and precisions saturate at 4096, with no int overflow
	   (formats in writable arrays: GCC would refuse them as literals) */
	n = kernel_snprintf(small, sizeof(small), big_width, 7);
	ok(n == 4096 && !strcmp(small, "       "),
	   "an 11-digit width saturates (%d)", n);
	n = kernel_snprintf(small, sizeof(small), big_prec, 7);
	ok(n == 4096 && !strcmp(small, "0000000"),
	   "an 11-digit precision saturates (%d)", n);
	n = kernel_snprintf(small, sizeof(small), star_bar, (int)0x80000000, 7);
	ok(n == 4097 && !strcmp(small, "7      "),
	   "a '*' width of INT_MIN is left-aligned 4096 (%d)", n);
	n = kernel_snprintf(small, sizeof(small), star_bar + 0, 0x7fffffff, 7);
	is_int(n, 4097, "a '*' width of INT_MAX saturates");
	check("abc", "%.*s", -1, "abc");
	check("  abc", "%*.*s", 5, 3, "abcdef");
	return done_testing();
}

/*
 * A small TAP producer for host unit tests. Each test program includes
 * this once, calls ok()/is_int()/is_mem() and ends with
 * "return done_testing();", which prints the plan and the exit status.
 */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>

static int tap_run, tap_failed;

/* "F0 83 04 24 00" -> bytes at out; returns the count. */
static unsigned int __attribute__((unused))
tap_hex(unsigned char *out, const char *s)
{
	unsigned int n = 0;
	char *end;

	while (*s) {
		out[n++] = (unsigned char)strtoul(s, &end, 16);
		s = end;
		while (*s == ' ')
			s++;
	}
	return n;
}

static int __attribute__((format(printf, 2, 3), unused))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

static void __attribute__((format(printf, 1, 2), unused)) diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define is_int(got, want, ...) ({					\
	long long __g = (got), __w = (want);				\
	int __r = ok(__g == __w, __VA_ARGS__);				\
	if (!__r)							\
		diag("got %lld, want %lld", __g, __w);			\
	__r; })

static inline void __attribute__((unused)) diag_bytes(const char *what, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	printf("# %s:", what);
	for (i = 0; i < n; i++)
		printf(" %02x", b[i]);
	printf("\n");
}

#define is_mem(got, want, n, ...) ({					\
	int __r = ok(memcmp((got), (want), (n)) == 0, __VA_ARGS__);	\
	if (!__r) {							\
		diag_bytes("got ", (got), (n));				\
		diag_bytes("want", (want), (n));			\
	}								\
	__r; })

static int __attribute__((unused)) done_testing(void)
{
	printf("1..%d\n", tap_run);
	return tap_failed ? 1 : 0;
}

#endif

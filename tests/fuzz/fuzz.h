/*
 * What the libFuzzer targets share: a failure libFuzzer reports as a
 * crash, and the input read a byte at a time. Define FUZZ_NAME (the
 * target's name, a string) before including this.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <kernel/types.h>

static void __attribute__((noreturn, format(printf, 1, 2), unused))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, FUZZ_NAME ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* The bytes of the input not read yet. */
struct input {
	const u8 *p;
	size_t n;
};

/* The next byte; 0 once the input is used up. */
static unsigned int __attribute__((unused)) byte(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

#endif

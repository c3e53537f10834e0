// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the kernel's vsnprintf (arch/i386/lib/vsprintf.c):
 * arbitrary formats, with arguments taken from the input. The input is
 *   u16 size        the output buffer, an exact-size malloc (0: none)
 *   format          up to a NUL (at most MAX_FMT bytes)
 *   argument bytes  one argument after the other, in the order the
 *                   format asks for them: 4 bytes for an int (a '*',
 *                   %c, %d... without l), 8 for a long, long long or
 *                   pointer, and for %s a length byte (255: NULL) then
 *                   that many bytes (the string, an exact-size malloc)
 * Zeros past the end of the input. Checked:
 *
 *  - nothing is written past size (ASan: the buffer is exactly size),
 *    nothing at all when size is 0, and the output is NUL-terminated;
 *  - the returned length is what a buffer of any size gets: the same
 *    with size 0, with size, and with an exact buffer of length + 1,
 *    whose text the size-bytes buffer holds the beginning of;
 *  - widths and precisions saturate at 4096 (vsprintf.c): the length is
 *    at most the format's plus 4096 and the digits, per conversion;
 *  - where C99 and the kernel agree (the conversions, flags and length
 *    modifiers the kernel documents, no '#' with a precision on %o, no
 *    NULL %s, widths and precisions up to 4000), the C library's
 *    vsnprintf gives the same bytes.
 *
 * The arguments are passed as 16 longs, whatever the format asks for: on
 * x86-64 every integer or pointer argument takes one 8-byte slot, so an
 * int read with va_arg is the low half of its long. Other hosts are not
 * supported (the build refuses them).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/printk.h>

#define FUZZ_NAME "fuzz_vsprintf"
#include "fuzz.h"

/* printk.h renames the kernel's formatter; the C library's is wanted too. */
#undef vsnprintf
#undef snprintf

#if !defined(__x86_64__)
#error "fuzz_vsprintf passes its arguments as x86-64 8-byte slots"
#endif

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p && n)
		fail("out of memory");
	return p;
}

#define MAX_FMT		512
#define MAX_ARGS	16
#define FIELD_MAX	4096		/* vsprintf.c */
#define SAME_MAX	4000		/* fields compared with the C library */

static u64 bytes(struct input *in, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (u64)byte(in) << (8 * i);
	return v;
}

/* ---- the format, as vsprintf.c's comment describes it ---- */

enum arg { A_INT, A_LONG, A_PTR, A_STR };

struct conv {
	char c;			/* the conversion, 0 for a lone '%' at the end */
	bool star_width, star_prec, has_prec;
	unsigned int width, prec;	/* digits, saturated at FIELD_MAX */
	char flags[8], len[4];	/* as written (len: up to 3 letters) */
	bool len_long;		/* len is more than "hh", "h", "l", "ll", "z", "t" */
	int lng;		/* -2 hh, -1 h, 0, 1 l, 2 ll z t */
};

static bool has(const char *set, char c)
{
	return c && strchr(set, c);
}

static unsigned int digits(const char **f)
{
	unsigned int v = 0;

	while (**f >= '0' && **f <= '9') {
		v = v * 10 + (unsigned int)(**f - '0');
		if (v > FIELD_MAX)
			v = FIELD_MAX + 1;
		(*f)++;
	}
	return v;
}

/* Parse the conversion after the '%' at *f; *f moves past it. */
static void parse_conv(const char **f, struct conv *cv)
{
	const char *p = *f + 1;
	unsigned int n = 0;

	memset(cv, 0, sizeof(*cv));
	while (has("-0+ #", *p)) {
		if (n < sizeof(cv->flags) - 1 && !strchr(cv->flags, *p))
			cv->flags[n++] = *p;
		p++;
	}
	if (*p == '*') {
		cv->star_width = true;
		p++;
	} else {
		cv->width = digits(&p);
	}
	if (*p == '.') {
		cv->has_prec = true;
		p++;
		if (*p == '*') {
			cv->star_prec = true;
			p++;
		} else {
			cv->prec = digits(&p);
		}
	}
	for (n = 0; has("hlzt", *p); p++) {
		if (n < 3)
			cv->len[n] = *p;
		else
			cv->len_long = true;
		n++;
		if (*p == 'h')
			cv->lng--;
		else if (*p == 'l')
			cv->lng++;
		else
			cv->lng = 2;	/* size_t is 8 bytes on the host */
	}
	cv->c = *p;
	*f = *p ? p + 1 : p;
}

static const char *const c99_len[] = { "", "hh", "h", "l", "ll", "z", "t" };

/* Whether C99 (and glibc) print this conversion as vsprintf.c does. */
static bool same_as_c99(const struct conv *cv)
{
	bool num = has("diuxXo", cv->c), len_ok = false;
	unsigned int i;

	for (i = 0; i < sizeof(c99_len) / sizeof(c99_len[0]); i++)
		len_ok |= !cv->len_long && !strcmp(cv->len, c99_len[i]);
	if (!has("diuxXocs%", cv->c) || !len_ok || (!num && cv->len[0]))
		return false;
	if (cv->c == '%')
		return !cv->flags[0] && !cv->width && !cv->star_width &&
		       !cv->has_prec;
	if (strchr(cv->flags, '#') &&
	    (!has("xXo", cv->c) || (cv->c == 'o' && cv->has_prec)))
		return false;
	if (strchr(cv->flags, '0') && !num)
		return false;
	if ((strchr(cv->flags, '+') || strchr(cv->flags, ' ')) &&
	    !has("di", cv->c))
		return false;
	if (cv->c == 'c' && cv->has_prec)
		return false;
	return cv->width <= SAME_MAX && cv->prec <= SAME_MAX;
}

/* ---- one run ---- */

static long args[MAX_ARGS];
static char *strs[MAX_ARGS];
static unsigned int nr_args, nr_strs;
static size_t str_bytes;

static bool add_arg(enum arg type, struct input *in, bool *same)
{
	unsigned int n, i;
	char *s;

	if (nr_args == MAX_ARGS)
		return false;
	switch (type) {
	case A_INT:
		args[nr_args] = (unsigned int)bytes(in, 4);
		break;
	case A_LONG:
	case A_PTR:
		args[nr_args] = (long)bytes(in, 8);
		break;
	case A_STR:
		n = byte(in);
		if (n == 255) {
			args[nr_args] = 0;
			*same = false;
			break;
		}
		s = xmalloc(n + 1);
		str_bytes += n;
		for (i = 0; i < n; i++)
			s[i] = byte(in) ?: 'z';		/* no NUL inside */
		s[n] = '\0';
		strs[nr_strs++] = s;
		args[nr_args] = (long)s;
		break;
	}
	nr_args++;
	return true;
}

/* A '*' argument: an int, compared with C99 only when small. */
static bool add_star(struct input *in, bool *same)
{
	int v;

	if (!add_arg(A_INT, in, same))
		return false;
	v = (int)args[nr_args - 1];
	if (v < -SAME_MAX || v > SAME_MAX)
		*same = false;
	return true;
}

static int call(int (*fn)(char *, size_t, const char *, va_list), char *buf,
		size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fn(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define ARGS(a) a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], \
		a[10], a[11], a[12], a[13], a[14], a[15]

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	size_t out_size = bytes(&in, 2), fmt_len, bound;
	char fmt[MAX_FMT + 1], *out, *full, *c99, *none;
	const char *f;
	bool same = true, room = true;
	struct conv cv;
	int n0, n1, n2, n3;

	for (fmt_len = 0; fmt_len < MAX_FMT && in.n; fmt_len++) {
		fmt[fmt_len] = byte(&in);
		if (!fmt[fmt_len])
			break;
	}
	fmt[fmt_len] = '\0';
	fmt_len = strlen(fmt);

	/* The arguments, in the order vsprintf.c takes them. */
	nr_args = nr_strs = 0;
	str_bytes = 0;
	bound = 0;
	for (f = fmt; *f && room; ) {
		const char *at = f;

		if (*f != '%') {
			f++;
			bound++;
			continue;
		}
		parse_conv(&f, &cv);
		same &= same_as_c99(&cv);
		if (cv.star_width)
			room = add_star(&in, &same);
		if (room && cv.star_prec)
			room = add_star(&in, &same);
		if (room && cv.c == 's')
			room = add_arg(A_STR, &in, &same);
		else if (room && cv.c == 'p')
			room = add_arg(A_PTR, &in, &same);
		else if (room && has("cdiuxXo", cv.c))
			room = add_arg(cv.c != 'c' && cv.lng >= 1 ? A_LONG :
				       A_INT, &in, &same);
		if (!room) {
			/* More arguments than there are: end it there. */
			fmt[at - fmt] = '\0';
			break;
		}
		/* a field: up to 4096, or the digits (22 with a sign) */
		bound += FIELD_MAX + 24 + 2;
	}
	bound += str_bytes;
	while (nr_args < MAX_ARGS)
		args[nr_args++] = 0;

	none = xmalloc(0);
	n0 = call(kernel_vsnprintf, none, 0, fmt, ARGS(args));
	free(none);
	if (n0 < 0 || (size_t)n0 > bound)
		fail("\"%s\": length %d, but at most %zu", fmt, n0, bound);
	full = xmalloc(n0 + 1);
	n1 = call(kernel_vsnprintf, full, n0 + 1, fmt, ARGS(args));
	out = xmalloc(out_size);
	n2 = call(kernel_vsnprintf, out, out_size, fmt, ARGS(args));
	if (n1 != n0 || n2 != n0)
		fail("\"%s\": length %d with size 0, %d with size %d, %d with "
		     "size %zu", fmt, n0, n1, n0 + 1, n2, out_size);
	if (full[n0])
		fail("\"%s\": no NUL after %d bytes", fmt, n0);
	if (out_size) {
		size_t k = (size_t)n0 < out_size ? (size_t)n0 : out_size - 1;

		if (memcmp(out, full, k) || out[k])
			fail("\"%s\" into %zu bytes: \"%.*s\" is not the start "
			     "of \"%s\", NUL-terminated", fmt, out_size,
			     (int)k, out, full);
	}
	if (same) {
		c99 = xmalloc(n0 + 1);
		n3 = call(vsnprintf, c99, n0 + 1, fmt, ARGS(args));
		if (n3 != n0 || memcmp(c99, full, n0))
			fail("\"%s\": the kernel gives \"%s\" (%d), C99 \"%s\" "
			     "(%d)", fmt, full, n0, c99, n3);
		free(c99);
	}
	free(out);
	free(full);
	while (nr_strs)
		free(strs[--nr_strs]);
	return 0;
}

/*
 * vsnprintf for the kernel: %d %i %u %x %X %o %p %s %c %%, flags '-' '0'
 * '+' ' ' '#', width and precision (also as '*'), and the length modifiers
 * hh h l ll z t. Output is always NUL-terminated when size > 0; the return
 * value is the length the whole output would have had, as in C99.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/math64.h>

#define F_LEFT	0x01
#define F_ZERO	0x02
#define F_PLUS	0x04
#define F_SPACE	0x08
#define F_ALT	0x10
#define F_UPPER	0x20
#define F_SIGNED 0x40

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, int width, int prec,
		    int flags)
{
	int n, i;

	if (!s)
		s = "(null)";
	n = prec >= 0 ? (int)strnlen(s, prec) : (int)strlen(s);
	if (!(flags & F_LEFT))
		pad(o, ' ', width - n);
	for (i = 0; i < n; i++)
		put(o, s[i]);
	if (flags & F_LEFT)
		pad(o, ' ', width - n);
}

static void put_num(struct out *o, u64 v, unsigned int base, int width,
		    int prec, int flags)
{
	const char *digits = flags & F_UPPER ? "0123456789ABCDEF"
					     : "0123456789abcdef";
	char tmp[24];
	char sign = 0;
	const char *prefix = "";
	int n = 0, zeros, len;

	if (flags & F_SIGNED) {
		if ((s64)v < 0) {
			sign = '-';
			v = 0 - v;	/* unsigned: defined for INT64_MIN */
		} else if (flags & F_PLUS) {
			sign = '+';
		} else if (flags & F_SPACE) {
			sign = ' ';
		}
	}
	if ((flags & F_ALT) && v) {
		if (base == 16)
			prefix = flags & F_UPPER ? "0X" : "0x";
		else if (base == 8)
			prefix = "0";
	}
	do
		tmp[n++] = digits[div_u64_rem(&v, base)];
	while (v);
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;

	zeros = prec > n ? prec - n : 0;
	len = n + zeros + (sign ? 1 : 0) + (int)strlen(prefix);
	if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0 && width > len) {
		zeros += width - len;
		len = width;
	}
	if (!(flags & F_LEFT))
		pad(o, ' ', width - len);
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		pad(o, ' ', width - len);
}

/*
 * Widths and precisions saturate at FIELD_MAX: no console line is that
 * long, and neither the digits of a format nor a '*' argument (INT_MIN
 * included) can overflow an int.
 */
#define FIELD_MAX	4096

static int field_arg(int v)
{
	return v > FIELD_MAX ? FIELD_MAX : v;
}

static int field_digits(const char **fmt)
{
	int v = 0;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++)
		if (v < FIELD_MAX)
			v = v * 10 + (**fmt - '0');
	return field_arg(v);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = -1, prec = -1, lng = 0;
		unsigned int base = 10;
		u64 v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (;;) {
			switch (*++fmt) {
			case '-': flags |= F_LEFT; continue;
			case '0': flags |= F_ZERO; continue;
			case '+': flags |= F_PLUS; continue;
			case ' ': flags |= F_SPACE; continue;
			case '#': flags |= F_ALT; continue;
			}
			break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = width < -FIELD_MAX ? FIELD_MAX : -width;
			}
			width = field_arg(width);
			fmt++;
		} else {
			width = field_digits(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = field_arg(va_arg(ap, int));
				if (prec < 0)
					prec = -1;	/* as if none was given */
				fmt++;
			} else {
				prec = field_digits(&fmt);
			}
		}
		/* lng: -2 hh, -1 h, 0 int, 1 long, 2 long long */
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't')
				lng = sizeof(size_t) == 8 ? 2 : 1;
			else
				break;
		}

		switch (*fmt) {
		case 'c':
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - 1);
			put(&o, (char)va_arg(ap, int));
			if (flags & F_LEFT)
				pad(&o, ' ', width - 1);
			continue;
		case 's':
			put_str(&o, va_arg(ap, const char *), width, prec,
				flags);
			continue;
		case '%':
			put(&o, '%');
			continue;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			put_num(&o, v, 16, width < 0 ? 0 : width, prec,
				flags | F_ALT);
			continue;
		case 'd':
		case 'i':
			flags |= F_SIGNED;
			break;
		case 'u':
			break;
		case 'X':
			flags |= F_UPPER;
			/* fall through */
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		case '\0':
			fmt--;		/* a lone '%' ends the format */
			continue;
		default:
			/* Unknown conversion: print it as written. */
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}

		if (lng >= 2)
			v = va_arg(ap, u64);
		else if (lng == 1)
			v = va_arg(ap, unsigned long);
		else
			v = va_arg(ap, unsigned int);
		if (flags & F_SIGNED) {
			if (lng >= 2)
				;
			else if (lng == 1)
				v = (s64)(long)v;
			else if (lng == -1)
				v = (s64)(short)v;
			else if (lng <= -2)
				v = (s64)(signed char)v;
			else
				v = (s64)(int)v;
		} else if (lng == -1) {
			v = (u16)v;
		} else if (lng <= -2) {
			v = (u8)v;
		}
		put_num(&o, v, base, width, prec, flags);
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

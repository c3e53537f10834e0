/* The C library's memory and string functions, for a kernel without one. */
#include <kernel/string.h>
#include <kernel/module.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t words = n / 4;

	__asm__ __volatile__("rep; movsl\n\t"
			     "movl %3, %%ecx\n\t"
			     "rep; movsb"
			     : "+D"(dst), "+S"(src), "+c"(words)
			     : "r"(n & 3)
			     : "memory");
	return ret;
}
EXPORT_SYMBOL(memcpy);

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;

	__asm__ __volatile__("rep; stosb"
			     : "+D"(dst), "+c"(n)
			     : "a"(c)
			     : "memory");
	return ret;
}
EXPORT_SYMBOL(memset);

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
EXPORT_SYMBOL(memcmp);

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}
EXPORT_SYMBOL(strlen);

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}
EXPORT_SYMBOL(strcmp);

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

/*
 * Prefetches: __builtin_prefetch with every rw/locality pair. GCC emits
 * prefetchnta/t0/t1/t2 with -msse, prefetch/prefetchw with -m3dnow, and
 * nothing on a plain 486.
 */
char table[4096];

void hints(const char *p)
{
	__builtin_prefetch(p, 0, 0);
	__builtin_prefetch(p + 64, 0, 1);
	__builtin_prefetch(p + 128, 0, 2);
	__builtin_prefetch(p + 192, 0, 3);
	__builtin_prefetch(p + 256, 1, 0);
	__builtin_prefetch(p + 320, 1, 1);
	__builtin_prefetch(p + 384, 1, 2);
	__builtin_prefetch(p + 448, 1, 3);
}

void globals(int i)
{
	__builtin_prefetch(table);
	__builtin_prefetch(&table[2048], 1, 3);
	__builtin_prefetch(&table[i * 8 + 4], 0, 1);
}

unsigned sum(const unsigned *a, int n)
{
	unsigned s = 0;

	for (int i = 0; i < n; i++) {
		__builtin_prefetch(&a[i + 16], 0, 0);
		s += a[i];
	}
	return s;
}

void copy(int *d, const int *s, int n)
{
	for (int i = 0; i < n; i++) {
		__builtin_prefetch(&s[i + 32]);
		__builtin_prefetch(&d[i + 32], 1);
		d[i] = s[i];
	}
}

void on_stack(void)
{
	volatile char buf[256];

	__builtin_prefetch((const char *)buf + 100, 1, 2);
	buf[0] = 1;
}

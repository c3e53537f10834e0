/*
 * Prefetches and non-temporal stores, run: the compiled forms (a jump
 * over an lea; movq; ds movl) must store and compute what the
 * instructions would. Built without SSE the builtins compile out.
 */
#include <stdio.h>

typedef unsigned long long u64;

static int ibuf[64];
static u64 qbuf[16];
static char big[8192];

static __attribute__((noinline)) unsigned int walk(const char *p, int n)
{
	unsigned int s = 0;

	for (int i = 0; i < n; i += 64) {
		__builtin_prefetch(p + i + 256, 0, 0);
		__builtin_prefetch(p + i + 512, 1, 3);
		__builtin_prefetch(p + i + 128, 0, 2);
		s = s * 3 + (unsigned char)p[i];
	}
	return s;
}

static __attribute__((noinline)) void fill(int v)
{
#ifdef __SSE2__
	for (int i = 0; i < 64; i++)
		__builtin_ia32_movnti(&ibuf[i], v + i);
	__builtin_ia32_movnti(&ibuf[0], v);	/* an absolute address */
#else
	for (int i = 0; i < 64; i++)
		ibuf[i] = v + i;
#endif
#if defined(__SSE__) || defined(__3dNOW_A__)
	for (int i = 0; i < 16; i++)
		__builtin_ia32_movntq((void *)&qbuf[i], (u64)v << 32 | i);
	__builtin_ia32_emms();
#else
	for (int i = 0; i < 16; i++)
		qbuf[i] = (u64)v << 32 | i;
#endif
#ifdef __SSE__
	__builtin_ia32_sfence();
#endif
}

int main(void)
{
	unsigned int s = 0;

	for (int i = 0; i < 8192; i++)
		big[i] = (char)(i * 7);
	fill(1000);
	for (int i = 0; i < 64; i++)
		s = s * 5 + ibuf[i];
	for (int i = 0; i < 16; i++)
		s = s * 7 + (unsigned int)(qbuf[i] >> 32) + (unsigned int)qbuf[i];
	printf("fill %u\n", s);
	printf("walk %u\n", walk(big, 8192));
	return 0;
}

/*
 * x87 (and, with SSE math, comis/ucomis) comparisons right after
 * fences, in every shape GCC gives a floating-point test: branches on
 * <, <=, ==, != with the parity check for NaN, setcc results, fcmov and
 * cmov selections, long double, in loops. Run plain and through the
 * pass; the output must be the same.
 */
#include <stdio.h>

static volatile double in[] = { -2.5, 0.0, -0.0, 1.0, 3.75, 1e300 };
static volatile float inf_[] = { -1.0f, 0.5f, 2.0f };
static volatile long double inl[] = { 1.0L, -7.25L, 1e-300L };
static int x, y;
static unsigned int acc;

#define FENCE() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define STORE(v) __atomic_store_n(&x, (v), __ATOMIC_SEQ_CST)

static void note(int v)
{
	acc = acc * 17 + (unsigned int)v;
	printf("%d", v);
}

static __attribute__((noinline)) int cmp_d(double a, double b)
{
	int r = 0;

	FENCE();
	if (a < b)
		r |= 1;
	FENCE();
	if (a <= b)
		r |= 2;
	STORE(r);
	if (a == b)
		r |= 4;
	FENCE();
	if (a != b)
		r |= 8;
	FENCE();
	r |= (a > b) << 4;
	FENCE();
	r |= __builtin_isunordered(a, b) << 5;
	FENCE();
	r |= __builtin_isgreaterequal(a, b) << 6;
	return r;
}

static __attribute__((noinline)) double sel_d(double a, double b)
{
	FENCE();
	return a < b ? a : b;		/* fcmov or branch */
}

static __attribute__((noinline)) int sel_i(float a, float b, int p, int q)
{
	STORE(p);
	return a >= b ? p : q;		/* cmov on the comparison */
}

static __attribute__((noinline)) int cmp_ld(long double a, long double b)
{
	FENCE();
	return (a < b) + 2 * (a == b) + 4 * (a > b);
}

static __attribute__((noinline)) int count_below(double lim, int n)
{
	int c = 0;

	for (int i = 0; i < n; i++) {
		__atomic_store_n(&y, i, __ATOMIC_SEQ_CST);
		if (in[i % 6] < lim)
			c++;
	}
	return c;
}

int main(void)
{
	double nan_ = __builtin_nan("");

	for (int i = 0; i < 6; i++) {
		for (int j = 0; j < 6; j++) {
			note(cmp_d(in[i], in[j]));
			putchar(' ');
		}
		note(cmp_d(in[i], nan_));
		putchar('\n');
	}
	note((int)sel_d(in[0], in[3]));
	note((int)sel_d(in[4], in[3]));
	note(sel_i(inf_[0], inf_[1], 3, 4));
	note(sel_i(inf_[2], inf_[1], 5, 6));
	note(sel_i(__builtin_nanf(""), inf_[1], 7, 8));
	note(cmp_ld(inl[0], inl[1]));
	note(cmp_ld(inl[1], inl[0]));
	note(cmp_ld(inl[2], inl[2]));
	note(count_below(1.0, 100));
	printf("\nacc %u x %d y %d\n", acc, x, y);
	return 0;
}

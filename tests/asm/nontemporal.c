/*
 * Non-temporal stores: movntq (SSE or 3DNow!+ MMX extensions) becomes a
 * MOVNTQ site, movnti (SSE2) a MOVNTI site.
 */
typedef int v2si __attribute__((vector_size(8)));
typedef unsigned long long u64;

int sink;
u64 sinkq;

#if defined(__SSE__) || defined(__3dNOW_A__)
void store_q(u64 *p, u64 v)
{
	__builtin_ia32_movntq(p, v);
}

void copy_q(u64 *d, const u64 *s, int n)
{
	for (int i = 0; i < n; i++)
		__builtin_ia32_movntq(&d[i], s[i]);
	__builtin_ia32_movntq(&sinkq, s[0]);
	__builtin_ia32_emms();
}
#endif

#ifdef __SSE2__
void store_i(int *p, int v)
{
	__builtin_ia32_movnti(p, v);
}

void store_global(int v)
{
	__builtin_ia32_movnti(&sink, v);	/* %eax to an absolute */
	__builtin_ia32_movnti(&sink + 1, v + 1);
}

void fill(int *d, int v, int n)
{
	for (int i = 0; i < n; i++)
		__builtin_ia32_movnti(&d[i * 2 + 1], v);
	__builtin_ia32_sfence();
}
#endif

int plain(int *p)
{
	return *p;	/* something in every configuration */
}

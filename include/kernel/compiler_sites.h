/* Functions whose sites GCC emits itself (arch/i386/lib/compiler_sites.c). */
#ifndef KERNEL_COMPILER_SITES_H
#define KERNEL_COMPILER_SITES_H

#include <kernel/types.h>

int cs_fetch_add(int *p, int v);
bool cs_cmpxchg(int *p, int old, int new);
void cs_full_fence(void);
u32 cs_sum_prefetch(const u32 *a, u32 n);
void cs_fill_prefetchw(u32 *a, u32 n, u32 v);
void cs_store_nt(int *p, int v);

#endif

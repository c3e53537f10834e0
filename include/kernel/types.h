/* Fixed-width types for the kernel and for its host-side tests. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef unsigned long uintptr_t;

#ifndef __cplusplus
typedef _Bool bool;
#define true	1
#define false	0
#endif

#ifndef NULL
#define NULL	((void *)0)
#endif

#endif

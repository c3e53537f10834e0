/*
 * What arch/i386/kernel/selftest_thunk_asm.S and selftest_thunk.c
 * share: the hand-written branches through each register's thunk.
 */
#ifndef ASM_SELFTEST_THUNK_H
#define ASM_SELFTEST_THUNK_H

/* What the branches' target returns: it ran. */
#define SELFTEST_THUNK_MAGIC	0x7e57ca11

#ifndef __ASSEMBLER__
#include <kernel/types.h>

#define SELFTEST_THUNK_REGS(x) \
	x(eax) x(ecx) x(edx) x(ebx) x(ebp) x(esi) x(edi)
#define SELFTEST_THUNK_DECLARE(r) \
	u32 selftest_thunk_call_##r(void); u32 selftest_thunk_jmp_##r(void);
SELFTEST_THUNK_REGS(SELFTEST_THUNK_DECLARE)

u32 selftest_thunk_pop(void);
u32 __attribute__((stdcall)) selftest_thunk_popper(u32 a, u32 b);
#endif

#endif

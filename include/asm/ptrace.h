/* The register frame that arch/i386/kernel/entry.S saves on a trap. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include <kernel/types.h>

struct pt_regs {
	u32 edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;	/* pushal */
	u32 gs, fs, es, ds;
	u32 vector, error;
	u32 eip, cs, eflags;	/* pushed by the CPU */
};

/* No privilege change in this kernel: the trap did not push ESP/SS. */
static inline u32 regs_sp(const struct pt_regs *r)
{
	return (u32)(uintptr_t)&r->eflags + 4;
}

#endif

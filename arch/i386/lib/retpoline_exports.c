/*
 * Modules are built with the kernel's thunk flags (Makefile), so their
 * indirect branches and returns call the kernel's thunks
 * (arch/i386/lib/retpoline.S).
 */
#include <kernel/module.h>

#ifdef CONFIG_RETPOLINE
void __x86_indirect_thunk_eax(void);
void __x86_indirect_thunk_ebx(void);
void __x86_indirect_thunk_ecx(void);
void __x86_indirect_thunk_edx(void);
void __x86_indirect_thunk_esi(void);
void __x86_indirect_thunk_edi(void);
void __x86_indirect_thunk_ebp(void);
void __x86_return_thunk_ecx(void);

EXPORT_SYMBOL(__x86_indirect_thunk_eax);
EXPORT_SYMBOL(__x86_indirect_thunk_ebx);
EXPORT_SYMBOL(__x86_indirect_thunk_ecx);
EXPORT_SYMBOL(__x86_indirect_thunk_edx);
EXPORT_SYMBOL(__x86_indirect_thunk_esi);
EXPORT_SYMBOL(__x86_indirect_thunk_edi);
EXPORT_SYMBOL(__x86_indirect_thunk_ebp);
EXPORT_SYMBOL(__x86_return_thunk_ecx);
#endif

#ifdef CONFIG_RETHUNK
void __x86_return_thunk(void);

EXPORT_SYMBOL(__x86_return_thunk);
#endif

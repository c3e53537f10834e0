/*
 * The thunks of arch/i386/lib/retpoline.S: exported, since modules are
 * built with the kernel's thunk flags (Makefile) and branch to the
 * kernel's thunks; and listed for the fixup pass, which rewrites every
 * branch to one for the CPU (Documentation/spectre.md), the kernel's
 * and each module's.
 */
#include <kernel/module.h>
#include <asm/fixup.h>

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

#define THUNK(fn, kind, reg) \
	{ (fn), FIXUP_KIND_##kind, (reg) }
#define REG_THUNK(r, n) \
	THUNK(__x86_indirect_thunk_##r, THUNK_CALL, n), \
	THUNK(__x86_indirect_thunk_##r, THUNK_JMP, n)

/*
 * Register numbers: Intel SDM vol. 2A, table 2-2. After "popl %ecx" a
 * return is "jmp *%ecx": __x86_return_thunk_ecx is a THUNK_JMP thunk
 * of ecx, after __x86_indirect_thunk_ecx, which sites that branched to
 * it get back if the mode comes round to the thunks again.
 */
const struct fixup_thunk fixup_thunks[] __initconst = {
	REG_THUNK(eax, 0), REG_THUNK(ecx, 1), REG_THUNK(edx, 2),
	REG_THUNK(ebx, 3), REG_THUNK(ebp, 5), REG_THUNK(esi, 6),
	REG_THUNK(edi, 7),
	THUNK(__x86_return_thunk_ecx, THUNK_JMP, 1),
#ifdef CONFIG_RETHUNK
	THUNK(__x86_return_thunk, RETURN, FIXUP_THUNK_NO_REG),
#endif
};
const unsigned int fixup_nr_thunks __initconst = ARRAY_SIZE(fixup_thunks);

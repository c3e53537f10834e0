/*
 * On one CPU a spinlock has nothing to exclude: the calls to the lock
 * routines become 5-byte NOPs (fixup call groups, include/asm/fixup.h).
 */
#include <asm/fixup.h>
#include <asm/cpufeature.h>
#include <kernel/module.h>

void __spin_lock(void);
void __spin_unlock(void);
void __spin_trylock(void);

DEFINE_FIXUP_CALL(__spin_lock, FIXUP_CALL_NOP(0, FIXUP_MODE_UP));
DEFINE_FIXUP_CALL(__spin_unlock, FIXUP_CALL_NOP(0, FIXUP_MODE_UP));
DEFINE_FIXUP_CALL(__spin_trylock, FIXUP_CALL_NOP(0, FIXUP_MODE_UP));

/* Modules call them through their own CALL sites, patched the same way. */
EXPORT_SYMBOL(__spin_lock);
EXPORT_SYMBOL(__spin_unlock);
EXPORT_SYMBOL(__spin_trylock);

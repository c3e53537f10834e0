/* The kernel side of the boot-time fixup pass (arch/i386/fixup/setup.c). */
#ifndef KERNEL_FIXUP_H
#define KERNEL_FIXUP_H

#include <kernel/types.h>
#include <asm/cpufeature.h>

#ifdef CONFIG_FIXUP
/* What the pass decided: the only fixup state that outlives boot. */
extern bool fixup_applied, fixup_smp, fixup_up_forced;

/* fixup=up: UP variants, so the other CPUs must not be started. */
static inline bool fixup_forced_up(void)
{
	return fixup_up_forced;
}

void fixup_boot(const struct cpuinfo *c, unsigned int ncpus,
		const char *reason);
void fixup_report_freed(void);
#else
static inline void fixup_boot(const struct cpuinfo *c, unsigned int ncpus,
			      const char *reason)
{
	(void)c; (void)ncpus; (void)reason;
}
static inline void fixup_report_freed(void) { }
static inline bool fixup_forced_up(void) { return false; }
#endif

#endif

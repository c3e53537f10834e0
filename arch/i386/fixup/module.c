/*
 * The fixup pass over one module's table: the same walk as the boot
 * pass (fixup_apply()), with the CPU, mode and report hooks the boot
 * pass chose (boot.c), over the module's text, its one text range. It
 * runs after the module is relocated and before any of its code runs;
 * only the boot CPU is up. The report line, "fixup: module NAME sites=N
 * patched=M kept=K rejected=R", is specified in Documentation/report.md.
 *
 * A module's (records, text range) pair is all the pass needs: kept, it
 * could be walked again by a later re-patch as the kernel's own is.
 */
#include <asm/fixup.h>
#include <asm/processor.h>
#include <kernel/printk.h>
#include "internal.h"

size_t __init fixup_module_taken_size(const void *text, const void *etext)
{
	const struct fixup_range r = { text, etext };

	return fixup_taken_size(&r, 1);
}

void __init fixup_module(const char *name, const struct fixup_site *start,
			 const struct fixup_site *end, const void *text,
			 const void *etext, u8 *taken, size_t taken_size)
{
	const struct fixup_range range = { text, etext };
	static struct fixup_stats st __initdata;
	struct fixup_hooks hooks;
	struct fixup_env env = {
		.cpu = &boot_cpu_data,
		.smp = fixup_smp,
		.text = &range,
		.nr_text = 1,
		.calls = __fixup_calls_start,
		.nr_calls = __fixup_calls_end - __fixup_calls_start,
		.hooks = &hooks,
		.taken = taken,
		.taken_size = taken_size,
	};
	u32 flags;

	if (!fixup_applied)		/* nofixup: compiled forms stay */
		return;
	fixup_report_hooks(&hooks);
	flags = local_irq_save();
	fixup_apply(start, end, &env, &st);
	local_irq_restore(flags);
	printk(KERN_INFO "fixup: module %s sites=%u patched=%u kept=%u "
	       "rejected=%u\n", name, st.sites, st.patched, st.kept,
	       st.rejected);
}

/*
 * The fixup pass over one module's table: the same pass as the boot's
 * (fixup_pass()), with the CPU, mode and report hooks the boot pass
 * chose (boot.c), over the module's text, its one text range. It runs
 * after the module is relocated and before any of its code runs; only
 * the boot CPU is up. The report line, "fixup: module NAME sites=N
 * patched=M unchanged=U rejected=R", is specified in Documentation/report.md.
 *
 * When the boot pass kept the kernel's mode-dependent sites for a CPU
 * hot-add, the module's are kept too, by the same builder (kept.c), in
 * room the caller gives and makes read-only after, on the same list; a
 * later fixup_repatch() rewrites them with the kernel's
 * (Documentation/fixup-sites.md, "Kept for CPU hot-add").
 */
#include <asm/fixup.h>
#include <asm/processor.h>
#include <kernel/printk.h>
#include "internal.h"

size_t __init fixup_module_keep_size(const struct fixup_site *start,
				     const struct fixup_site *end)
{
	if (!fixup_applied || !fixup_resident())
		return 0;
	return fixup_keep_room(end - start);
}

size_t __init fixup_module_taken_size(const void *text, const void *etext)
{
	const struct fixup_range r = { text, etext };

	return fixup_taken_size(&r, 1);
}

size_t __init fixup_module(const char *name, const struct fixup_site *start,
			   const struct fixup_site *end, const void *text,
			   const void *etext, u8 *taken, size_t taken_size,
			   void *keep, size_t keep_size)
{
	const struct fixup_range range = { text, etext };
	static struct fixup_stats st __initdata;
	struct fixup_keeping keeping, *kept_in = NULL;
	struct fixup_env env = {
		.cpu = &boot_cpu_data,
		.smp = fixup_smp,
		.text = &range,
		.nr_text = 1,
		.calls = __fixup_calls_start,
		.nr_calls = __fixup_calls_end - __fixup_calls_start,
		.taken = taken,
		.taken_size = taken_size,
	};
	size_t kept = 0;

	if (!fixup_applied)		/* nofixup: compiled forms stay */
		return 0;
	if (keep && keep_size) {
		kept_in = &keeping;
		fixup_keep_begin(kept_in, keep, keep_size, end - start, text,
				 etext);
	}
	fixup_pass(start, end, &env, &st, kept_in);
	printk(KERN_INFO "fixup: module %s sites=%u patched=%u unchanged=%u "
	       "rejected=%u\n", name, st.sites, st.patched, st.unchanged,
	       st.rejected);
	if (kept_in)
		kept = fixup_keep_done(kept_in);
	if (kept_in && keeping.full)
		printk(KERN_ERR "fixup: module %s: no room to keep its sites "
		       "for CPU hot-add\n", name);
	if (!kept)
		return 0;
	fixup_keep(keeping.kept);
	printk(KERN_INFO "fixup: module %s kept %u bytes for CPU hot-add "
	       "(%u sites)\n", name, (u32)kept, keeping.nr);
	return kept;
}

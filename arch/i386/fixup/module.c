/*
 * The fixup pass over one module's table: the same walk as the boot
 * pass (fixup_apply()), with the CPU, mode and report hooks the boot
 * pass chose (boot.c), over the module's text, its one text range. It
 * runs after the module is relocated and before any of its code runs;
 * only the boot CPU is up. The report line, "fixup: module NAME sites=N
 * patched=M kept=K rejected=R", is specified in Documentation/report.md.
 *
 * When the boot pass kept the kernel's mode-dependent records for a CPU
 * hot-add, the module's are kept too, by the same hook (mode_dependent)
 * and rule: rebased copies, with their call groups and the module's text
 * range, in room the caller gives and never frees, registered with
 * fixup_keep(); a later fixup_repatch() rewrites them with the kernel's
 * (Documentation/fixup-sites.md, "Kept for CPU hot-add").
 */
#include <asm/fixup.h>
#include <asm/processor.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include "internal.h"

size_t __init fixup_module_keep_size(const struct fixup_site *start,
				     const struct fixup_site *end)
{
	if (!fixup_applied || !fixup_resident())
		return 0;
	return sizeof(struct fixup_kept) +
	       (end - start) * (sizeof(struct fixup_site) + 1);
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
	/* The room's layout: the table's head, the records, their groups. */
	struct fixup_kept *k = keep;
	struct fixup_keeping mk = {
		.max = end - start,
		.text_start = text,
		.text_end = etext,
	};
	size_t kept_bytes;
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
		return 0;
	fixup_report_hooks(&hooks);
	if (keep && keep_size >= fixup_module_keep_size(start, end)) {
		mk.recs = (struct fixup_site *)(k + 1);
		mk.groups = (u8 *)(mk.recs + mk.max);
		hooks.ctx = &mk;
		hooks.mode_dependent = fixup_keep_site;
	}
	flags = local_irq_save();
	fixup_apply(start, end, &env, &st);
	local_irq_restore(flags);
	printk(KERN_INFO "fixup: module %s sites=%u patched=%u kept=%u "
	       "rejected=%u\n", name, st.sites, st.patched, st.kept,
	       st.rejected);
	if (!mk.n)
		return 0;
	/* The group bytes move down behind the records kept: compact. */
	memmove(mk.recs + mk.n, mk.groups, mk.n);
	*k = (struct fixup_kept){
		.start = mk.recs,
		.end = mk.recs + mk.n,
		.call_groups = (u8 *)(mk.recs + mk.n),
		.text_start = text,
		.text_end = etext,
		.calls = env.calls,
		.nr_calls = env.nr_calls,
	};
	if (fixup_keep(k))
		return 0;
	kept_bytes = sizeof(*k) + mk.n * (sizeof(struct fixup_site) + 1);
	printk(KERN_INFO "fixup: module %s kept %u bytes for CPU hot-add "
	       "(%u sites)\n", name, (u32)kept_bytes, mk.n);
	return kept_bytes;
}

/*
 * The boot-time fixup pass, kernel side: its command-line parameters
 * (Documentation/cmdline.md), the choice of UP or SMP variants, the one
 * call to fixup_apply() and the report in the console log. The stable
 * report lines, "fixup: cpu:", "fixup: mode:", "fixup: kind",
 * "fixup: summary", "fixup: freed table bytes=", "fixup: rejected
 * record", "fixup: site", "fixup: kept" and "fixup: re-patch code
 * resident:", are specified field by field in Documentation/report.md:
 * change one only together with it. All of it is __init but the kept
 * table's descriptor; re-patching after boot is repatch.c.
 */
#include <asm/fixup.h>
#include <kernel/printk.h>
#include <kernel/params.h>
#include <kernel/string.h>
#include <kernel/clock.h>
#include <kernel/kallsyms.h>
#include <kernel/math64.h>
#include <asm/cpu.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/desc.h>
#include <asm/nmi.h>
#include "internal.h"

enum { MODE_AUTO, MODE_UP, MODE_SMP };

static int fixup_mode __initdata = MODE_AUTO;
static bool nofixup __initdata;
static bool fixup_debug __initdata;
static bool unsafe_up __initdata;
bool fixup_up_forced;		/* read later by SMP bring-up */
bool fixup_applied;		/* the pass ran (not nofixup) */
bool fixup_smp;			/* ... and chose SMP variants */

extern const struct fixup_site __fixup_sites_start[], __fixup_sites_end[];
/* The overlap check's scratch: one bit per text byte (vmlinux.lds). */
extern u8 __fixup_taken_start[], __fixup_taken_end[];
/*
 * The re-patch region (vmlinux.lds): the kept table's room, as many
 * records and call group bytes as the whole table has, at its end.
 */
extern struct fixup_site __fixup_kept_start[];
extern u8 __fixup_kept_groups[];

#ifdef CONFIG_HOTPLUG_CPU
static const bool hotplug = true;	/* CPUs may be added after boot */
#else
static const bool hotplug = false;
#endif

/* The kernel's kept table: resident, in the list of repatch.c. */
static struct fixup_kept kernel_kept;

static int __init set_fixup(const char *val)
{
	static const char *const names[] = {
		[MODE_AUTO] = "auto", [MODE_UP] = "up", [MODE_SMP] = "smp",
	};
	unsigned int i;

	for (i = 0; val && i < ARRAY_SIZE(names); i++) {
		if (!strcmp(val, names[i])) {
			fixup_mode = i;
			return 0;
		}
	}
	return -1;
}
__setup("fixup", set_fixup);

__setup_flag("nofixup", nofixup);
__setup_flag("fixup_debug", fixup_debug);

/*
 * The negative control of the SMP self-tests: UP variants (no lock
 * prefixes, no SMP barriers, no spinlocks) while every CPU still runs.
 * The atomic counter test must then see lost updates; never for real use.
 */
__setup_flag("fixup_test_unsafe_up", unsafe_up);

static void __init hex_bytes(char *buf, size_t size, const u8 *p,
			     unsigned int n)
{
	unsigned int i;
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < n && at + 4 < size; i++)
		at += snprintf(buf + at, size - at, "%s%02x", i ? " " : "",
			       p[i]);
}

/*
 * A site whose form depends on the CPU count: a rebased copy of its
 * record goes into the kept table, with its call group. Only a site in
 * the table's text range: the kernel's excludes init text, which is
 * freed before any other CPU can start.
 */
void __init fixup_keep_site(void *ctx, const struct fixup_site *rec,
			    const u8 *site, unsigned int group)
{
	struct fixup_keeping *k = ctx;

	if (site < (const u8 *)k->text_start ||
	    site >= (const u8 *)k->text_end)
		return;
	if (k->n == k->max)	/* cannot be: there is room for every record */
		return;
	fixup_copy_record(&k->recs[k->n], rec);
	k->groups[k->n++] = group;
}

static void __init report_site(void *ctx, const struct fixup_site *rec,
			       const u8 *site, unsigned int kind,
			       const u8 *old, const u8 *new, unsigned int len,
			       const char *variant)
{
	char sym[80], o[3 * FIXUP_MAX_LEN + 1], n[3 * FIXUP_MAX_LEN + 1];

	char *len_part;

	hex_bytes(o, sizeof(o), old, len);
	hex_bytes(n, sizeof(n), new, len);
	/* symbol+off, without the symbol's length */
	kallsyms_format(sym, sizeof(sym), (u32)(uintptr_t)site);
	len_part = strchr(sym, '/');
	if (len_part)
		*len_part = '\0';
	printk(KERN_INFO "fixup: site %s %s %s -> %s (%s)\n", sym,
	       fixup_kind_name(kind), o, n, variant);
}

static void __init print_cpu(const struct cpuinfo *c)
{
	char feat[200];

	cpu_format_features(c->features, feat, sizeof(feat));
	printk(KERN_INFO "fixup: cpu: vendor=%s family=%u model=%u "
	       "stepping=%u features=%s\n", c->vendor_name, c->family,
	       c->model, c->stepping, feat[0] ? feat : "none");
	if (c->bugs & X86_BUG_11AP)
		printk(KERN_INFO "fixup: cpu has the Pentium 11AP APIC "
		       "erratum: APIC writes use xchg\n");
	if (c->bugs & X86_BUG_OOSTORE)
		printk(KERN_INFO "fixup: cpu may reorder stores (WinChip "
		       "OOSTORE): smp_wmb() stays a barrier\n");
}

static void __init print_stats(const struct fixup_stats *st, u64 ns)
{
	unsigned int k;

	for (k = 0; k < FIXUP_NR_KINDS; k++) {
		const struct fixup_kind_stats *ks = &st->kind[k];

		if (!ks->sites)
			continue;
		printk(KERN_INFO "fixup: kind %s sites=%u patched=%u kept=%u "
		       "variant=%s\n", fixup_kind_name(k), ks->sites,
		       ks->patched, ks->kept, ks->variant);
	}
	printk(KERN_INFO "fixup: summary sites=%u patched=%u kept=%u "
	       "rejected=%u time_us=%u\n", st->sites, st->patched, st->kept,
	       st->rejected, (u32)div_u64(ns, 1000));
}

/*
 * The pass. Runs once, on the boot CPU, interrupts off, before any other
 * CPU is started: no CPU ever executes a site while it is rewritten. An
 * NMI cannot be turned off: meanwhile it goes to the NMI entry in
 * .text.nmi, which only counts (arch/i386/kernel/nmi.c); those NMIs are
 * handled once the text is whole.
 */
void __init fixup_boot(const struct cpuinfo *c, unsigned int ncpus,
		       unsigned int possible, const char *reason)
{
	static const struct fixup_range text[] __initconst = {
		{ _text, _etext },
		{ _sinittext, _einittext },
	};
	static struct fixup_stats st __initdata;
	struct fixup_keeping keeping = {
		.recs = __fixup_kept_start,
		.groups = __fixup_kept_groups,
		.max = __fixup_sites_end - __fixup_sites_start,
		.text_start = _text,
		.text_end = _etext,
	};
	struct fixup_hooks hooks;
	struct fixup_env env = {
		.cpu = c,
		.text = text,
		.nr_text = ARRAY_SIZE(text),
		.calls = __fixup_calls_start,
		.nr_calls = __fixup_calls_end - __fixup_calls_start,
		.hooks = &hooks,
		.taken = __fixup_taken_start,
		.taken_size = __fixup_taken_end - __fixup_taken_start,
	};
	u32 flags;
	u64 t0;

	fixup_report_hooks(&hooks);
	hooks.ctx = &keeping;
	print_cpu(c);
	if (nofixup) {
		printk(KERN_INFO "fixup: mode: off cpus=%u reason=nofixup\n",
		       ncpus);
		printk(KERN_NOTICE "fixup: nofixup: every site keeps its "
		       "compiled form\n");
		return;
	}
	if (unsafe_up) {
		fixup_mode = MODE_UP;
		printk(KERN_WARNING "fixup: fixup_test_unsafe_up: UP variants "
		       "on %u CPUs, all of them started: SMP IS BROKEN ON "
		       "PURPOSE\n", ncpus);
	}
	switch (fixup_mode) {
	case MODE_UP:
		env.smp = false;
		reason = unsafe_up ? "fixup_test_unsafe_up" : "fixup=up";
		fixup_up_forced = !unsafe_up;
		if (ncpus > 1 && !unsafe_up)
			printk(KERN_WARNING "fixup: fixup=up on a machine with "
			       "%u CPUs: UP variants, so only the boot CPU "
			       "will run\n", ncpus);
		break;
	case MODE_SMP:
		env.smp = true;
		reason = "fixup=smp";
		break;
	default:
		env.smp = ncpus > 1;
		break;
	}
	printk(KERN_INFO "fixup: mode: %s cpus=%u reason=%s\n",
	       env.smp ? "smp" : "up", ncpus, reason);
	/* Only a mode the count chose may change with it. */
	if (hotplug && possible > ncpus && fixup_mode == MODE_AUTO)
		hooks.mode_dependent = fixup_keep_site;

	fixup_applied = true;
	fixup_smp = env.smp;
	flags = local_irq_save();
	t0 = clock_ns();
	idt_text_write_begin();
	fixup_apply(__fixup_sites_start, __fixup_sites_end, &env, &st);
	idt_text_write_end();
	t0 = clock_ns() - t0;
	local_irq_restore(flags);
	print_stats(&st, t0);
	nmi_after_text_write();
	if (!keeping.n)
		return;
	kernel_kept = (struct fixup_kept){
		.start = __fixup_kept_start,
		.end = __fixup_kept_start + keeping.n,
		.call_groups = __fixup_kept_groups,
		.text_start = _text,
		.text_end = _etext,
		.calls = env.calls,
		.nr_calls = env.nr_calls,
	};
	fixup_keep_boot(&kernel_kept, c);
	printk(KERN_INFO "fixup: kept %u bytes for CPU hot-add (%u sites)\n",
	       keeping.n * (u32)(sizeof(struct fixup_site) + 1), keeping.n);
}

/* The module pass (module.c) reports as the boot pass does. */
void __init fixup_report_hooks(struct fixup_hooks *h)
{
	*h = (struct fixup_hooks){
		.reject = fixup_report_reject,
		.debug = fixup_debug ? report_site : NULL,
	};
}

/*
 * Called just before the init region, which holds the table, is freed;
 * the re-patch region with it unless sites were kept.
 */
void __init fixup_report_freed(void)
{
	printk(KERN_INFO "fixup: freed table bytes=%u\n",
	       (u32)((uintptr_t)__fixup_sites_end -
		     (uintptr_t)__fixup_sites_start));
	if (fixup_resident())
		printk(KERN_INFO "fixup: re-patch code resident: %u bytes\n",
		       (u32)((uintptr_t)__fixup_kept_start -
			     (uintptr_t)__repatch_start));
}

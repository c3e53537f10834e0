/*
 * The boot-time fixup pass, kernel side: its command-line parameters
 * (Documentation/cmdline.md), the choice of UP or SMP variants, the one
 * way to run a pass over a table (fixup_pass(), for the boot's and each
 * module's) and the report in the console log. The stable report
 * lines, "fixup: cpu:", "fixup: mode:", "fixup: kind", "fixup:
 * summary", "fixup: freed table bytes=", "fixup: rejected record",
 * "fixup: site", "fixup: kept" and "fixup: re-patch resident", are
 * specified field by field in Documentation/report.md: change one only
 * together with it. All of it is __init but the mode, the entry to the
 * re-patch (repatch.c) and where what stays of its region ends.
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
#include "internal.h"

/*
 * What the command line chose, weakest first: fixup= values replace one
 * another, fixup_test_unsafe_up overrides them and nofixup everything
 * (Documentation/cmdline.md). Read after boot by fixup_forced_up().
 */
enum mode { MODE_AUTO, MODE_UP, MODE_SMP, MODE_UNSAFE_UP, MODE_OFF };

static enum mode mode __ro_after_boot = MODE_AUTO;
static bool fixup_debug __initdata;
static u32 kernel_kept_bytes __initdata;
static char *resident_end __ro_after_boot;	/* NULL: nothing stays */
bool fixup_applied;		/* the pass ran (not nofixup) */
bool fixup_smp;			/* ... and the sites have SMP forms */

extern const struct fixup_site __fixup_sites_start[], __fixup_sites_end[];
/* The overlap check's scratch: one bit per text byte (vmlinux.lds). */
extern u8 __fixup_taken_start[], __fixup_taken_end[];
/* The room for the kernel's kept table, in the re-patch region. */
extern u8 __fixup_kept_start[], __fixup_kept_end[];

static void __init set_mode(enum mode m)
{
	if (mode <= MODE_SMP || m > mode)
		mode = m;
}

static int __init set_fixup(const char *val)
{
	static const char *const names[] = {
		[MODE_AUTO] = "auto", [MODE_UP] = "up", [MODE_SMP] = "smp",
	};
	unsigned int i;

	for (i = 0; val && i < ARRAY_SIZE(names); i++) {
		if (!strcmp(val, names[i])) {
			set_mode(i);
			return 0;
		}
	}
	return -1;
}
__setup("fixup", set_fixup);

/* A plain word that sets the mode. */
static int __init set_mode_word(const char *val, enum mode m)
{
	if (param_flag(val))
		return -1;
	set_mode(m);
	return 0;
}

static int __init set_nofixup(const char *val)
{
	return set_mode_word(val, MODE_OFF);
}
__setup("nofixup", set_nofixup);

/*
 * The negative control of the SMP self-tests: UP variants (no lock
 * prefixes, no SMP barriers, no spinlocks) while every CPU still runs.
 * The atomic counter test must then see lost updates; never for real use.
 */
static int __init set_unsafe_up(const char *val)
{
	return set_mode_word(val, MODE_UNSAFE_UP);
}
__setup("fixup_test_unsafe_up", set_unsafe_up);

__setup_flag("fixup_debug", fixup_debug);

bool fixup_forced_up(void)
{
	return mode == MODE_UP;
}

char *fixup_resident_end(void)
{
	return resident_end ? resident_end : __repatch_start;
}

/*
 * The re-patch: plain text, called whatever was kept; what it calls is
 * in the re-patch region (repatch.c), there only when something was.
 */
int fixup_repatch(bool smp, unsigned int ncpus, const char *reason)
{
	if (!fixup_applied || smp == fixup_smp)
		return 0;
	if (!fixup_resident())
		return -1;
	return fixup_repatch_kept(smp, ncpus, reason);
}

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
		printk(KERN_INFO "fixup: kind %s sites=%u patched=%u unchanged=%u "
		       "variant=%s\n", fixup_kind_name(k), ks->sites,
		       ks->patched, ks->unchanged, ks->variant);
	}
	printk(KERN_INFO "fixup: summary sites=%u patched=%u unchanged=%u "
	       "rejected=%u time_us=%u\n", st->sites, st->patched, st->unchanged,
	       st->rejected, (u32)div_u64(ns, 1000));
}

static void __init report_reject(void *ctx, const struct fixup_site *rec,
				 const u8 *site, unsigned int kind,
				 const char *reason)
{
	const char *name = fixup_kind_name(kind);

	(void)ctx;
	printk(KERN_WARNING "fixup: rejected record at 0x%08x: site 0x%08x "
	       "kind %s len %u: %s\n", (u32)(uintptr_t)rec,
	       (u32)(uintptr_t)site, name ? name : "?", rec->len, reason);
}

/*
 * One pass over a table, the boot's or a module's, reported as the boot
 * pass's; with keeping (NULL: none), the sites whose form depends on
 * the CPU count are kept there. Its time in ns.
 */
u64 __init fixup_pass(const struct fixup_site *start,
		      const struct fixup_site *end,
		      const struct fixup_env *env, struct fixup_stats *st,
		      struct fixup_keeping *keeping)
{
	const struct fixup_hooks hooks = {
		.ctx = keeping,
		.reject = report_reject,
		.debug = fixup_debug ? report_site : NULL,
		.mode_dependent = keeping ? fixup_keep_site : NULL,
	};
	struct fixup_env e = *env;
	u64 t0 = clock_ns();
	u32 flags = fixup_write_text_begin();

	e.hooks = &hooks;
	fixup_apply(start, end, &e, st);
	fixup_write_text_end(env->cpu, flags);
	return clock_ns() - t0;
}

/*
 * The pass. Runs once, on the boot CPU, before any other CPU is
 * started: no CPU ever executes a site while it is rewritten.
 */
void __init fixup_boot(const struct cpuinfo *c, unsigned int ncpus,
		       unsigned int possible, const char *reason)
{
	static const char *const reasons[] = {
		[MODE_UP] = "fixup=up", [MODE_SMP] = "fixup=smp",
		[MODE_UNSAFE_UP] = "fixup_test_unsafe_up", [MODE_OFF] = "nofixup",
	};
	static const struct fixup_range text[] __initconst = {
		{ _text, _etext },
		{ _sinittext, _einittext },
	};
	static struct fixup_stats st __initdata;
	struct fixup_keeping keeping, *keep = NULL;
	struct fixup_env env = {
		.cpu = c,
		.smp = mode == MODE_SMP || (mode == MODE_AUTO && ncpus > 1),
		.text = text,
		.nr_text = ARRAY_SIZE(text),
		.calls = __fixup_calls_start,
		.nr_calls = __fixup_calls_end - __fixup_calls_start,
		.taken = __fixup_taken_start,
		.taken_size = __fixup_taken_end - __fixup_taken_start,
	};
	u64 ns;

	print_cpu(c);
	if (mode == MODE_UNSAFE_UP)
		printk(KERN_WARNING "fixup: fixup_test_unsafe_up: UP variants "
		       "on %u CPUs, all of them started: SMP IS BROKEN ON "
		       "PURPOSE\n", ncpus);
	if (mode == MODE_UP && ncpus > 1)
		printk(KERN_WARNING "fixup: fixup=up on a machine with %u CPUs: "
		       "UP variants, so only the boot CPU will run\n", ncpus);
	if (mode != MODE_AUTO)
		reason = reasons[mode];
	printk(KERN_INFO "fixup: mode: %s cpus=%u reason=%s\n",
	       mode == MODE_OFF ? "off" : env.smp ? "smp" : "up", ncpus,
	       reason);
	if (mode == MODE_OFF) {
		printk(KERN_NOTICE "fixup: nofixup: every site keeps its "
		       "compiled form\n");
		return;
	}
#ifdef CONFIG_HOTPLUG_CPU
	/* Only a mode the count chose may change with it. */
	if (possible > ncpus && mode == MODE_AUTO) {
		keep = &keeping;
		fixup_keep_begin(keep, __fixup_kept_start,
				 __fixup_kept_end - __fixup_kept_start,
				 __fixup_sites_end - __fixup_sites_start,
				 _text, _etext);
	}
#else
	(void)possible;
#endif
	fixup_applied = true;
	fixup_smp = env.smp;
	ns = fixup_pass(__fixup_sites_start, __fixup_sites_end, &env, &st,
			keep);
	print_stats(&st, ns);
	if (!keep)
		return;
	kernel_kept_bytes = fixup_keep_done(keep);
	if (!kernel_kept_bytes) {
		printk(KERN_ERR "fixup: no room to keep sites for CPU hot-add: "
		       "the mode will not change\n");
		return;
	}
	fixup_keep(keeping.kept);
	resident_end = (char *)ALIGN_UP((uintptr_t)__fixup_kept_start +
					kernel_kept_bytes, PAGE_SIZE);
	printk(KERN_INFO "fixup: kept %u bytes for CPU hot-add (%u sites)\n",
	       kernel_kept_bytes, keeping.nr);
}

/*
 * Called just before the init region, which holds the table, is freed;
 * the re-patch region with it unless sites were kept. What stays for a
 * re-patch: the region's code and its constants, and the kernel's kept
 * table (a module's is counted in its own line).
 */
void __init fixup_report_freed(void)
{
	u32 code = (u32)((uintptr_t)__fixup_kept_start -
			 (uintptr_t)__repatch_start);

	printk(KERN_INFO "fixup: freed table bytes=%u\n",
	       (u32)((uintptr_t)__fixup_sites_end -
		     (uintptr_t)__fixup_sites_start));
	if (fixup_resident())
		printk(KERN_INFO "fixup: re-patch resident bytes=%u code=%u "
		       "kept=%u\n", code + kernel_kept_bytes, code,
		       kernel_kept_bytes);
}

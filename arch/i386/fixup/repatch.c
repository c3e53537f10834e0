/*
 * Re-patching after boot: the CPU count changes while the kernel runs (a
 * CPU hot-added, or removed down to one), so the sites whose form
 * depends on it are rewritten, with one CPU running, from the records
 * the boot pass kept (Documentation/fixup-sites.md, "Kept for CPU
 * hot-add").
 *
 * The text stays read-only where it runs (the kernel's in the identity
 * map, a module's in the module area): each kept table's text pages, the
 * physical pages behind them, are mapped again, writable, in the window
 * above RAM (asm/page.h), and fixup_apply() writes through that alias
 * (env->write_offset). One serializing instruction follows the writes,
 * as the SDM asks of code written through one linear address and run
 * through another (Intel SDM vol. 3A, "Handling Self- and
 * Cross-Modifying Code"); then the alias is unmapped (invlpg).
 *
 * What runs only when something was kept is __repatch, in the re-patch
 * region with the patcher; fixup_repatch(), fixup_keep() and
 * fixup_resident() are plain text, as they are called whatever was kept.
 */
#include <asm/fixup.h>
#include <kernel/printk.h>
#include <kernel/clock.h>
#include <kernel/math64.h>
#include <kernel/string.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/desc.h>
#include <asm/nmi.h>
#include "internal.h"

static struct fixup_kept *kept;		/* the list; the kernel's first */
static bool resident;			/* the re-patch region stays */
static const struct cpuinfo *repatch_cpu;

bool fixup_resident(void)
{
	return resident;
}

const struct fixup_kept *fixup_kept_tables(void)
{
	return kept;
}

/* Called by fixup_boot() when it kept the kernel's table. */
void __init fixup_keep_boot(struct fixup_kept *k, const struct cpuinfo *c)
{
	resident = true;
	repatch_cpu = c;
	fixup_keep(k);
}

int fixup_keep(struct fixup_kept *k)
{
	struct fixup_kept **p;

	if (!resident)
		return -1;
	for (p = &kept; *p; p = &(*p)->next)
		;
	k->next = NULL;
	*p = k;
	return 0;
}

void fixup_forget(struct fixup_kept *k)
{
	struct fixup_kept **p;

	for (p = &kept; *p; p = &(*p)->next) {
		if (*p == k) {
			*p = k->next;
			return;
		}
	}
}

void __repatch fixup_report_reject(void *ctx, const struct fixup_site *rec,
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
 * CPUID serializes everywhere it exists; without it (486, early 5x86)
 * IRET to the next instruction does, as it does on every x86 (Intel SDM
 * vol. 3A, "Serializing Instructions").
 */
void __repatch fixup_serialize(const struct cpuinfo *c)
{
	u32 a = 0, b, cx = 0, d;

	if (cpu_has(c, X86_FEATURE_CPUID)) {
		__asm__ __volatile__("cpuid"
				     : "+a" (a), "=b" (b), "+c" (cx), "=d" (d)
				     : : "memory");
		(void)b;
		(void)d;
		return;
	}
	__asm__ __volatile__("pushfl\n\t"
			     "pushl %%cs\n\t"
			     "pushl $1f\n\t"
			     "iret\n"
			     "1:"
			     : : : "memory");
}

/*
 * The window's layout for one table: its text pages from slot 0, then
 * the overlap bitmap's pages (from the page allocator: the window puts
 * them side by side). 16 bitmap pages cover 512 KiB of text.
 */
#define ALIAS_BITMAP_PAGES	16

struct alias {
	u32 first;		/* the first text page */
	unsigned int text_pages, bitmap_pages;
	void *bitmap[ALIAS_BITMAP_PAGES];
};

static void __repatch alias_unmap(struct alias *a)
{
	unsigned int i;

	for (i = 0; i < a->text_pages + a->bitmap_pages; i++)
		window_unmap(i);
	for (i = 0; i < a->bitmap_pages; i++)
		free_page(a->bitmap[i]);
}

static bool __repatch alias_map(struct alias *a, const struct fixup_kept *k,
				size_t bitmap_bytes)
{
	u32 end = ALIGN_UP((u32)(uintptr_t)k->text_end, PAGE_SIZE);
	unsigned int i;

	a->first = ALIGN_DOWN((u32)(uintptr_t)k->text_start, PAGE_SIZE);
	a->text_pages = (end - a->first) / PAGE_SIZE;
	a->bitmap_pages = ALIGN_UP(bitmap_bytes, PAGE_SIZE) / PAGE_SIZE;
	if (a->text_pages + a->bitmap_pages > WINDOW_PAGES ||
	    a->bitmap_pages > ALIAS_BITMAP_PAGES) {
		a->text_pages = a->bitmap_pages = 0;
		return false;
	}
	for (i = 0; i < a->bitmap_pages; i++) {
		a->bitmap[i] = alloc_page();
		if (!a->bitmap[i] ||
		    !window_map(a->text_pages + i,
				(u32)(uintptr_t)a->bitmap[i], PTE_RW)) {
			if (a->bitmap[i])
				free_page(a->bitmap[i]);
			a->bitmap_pages = i;
			alias_unmap(a);
			return false;
		}
	}
	/* The kernel's text is identity-mapped, a module's is not. */
	for (i = 0; i < a->text_pages; i++) {
		u32 phys = page_phys(a->first + i * PAGE_SIZE);

		if (!phys || !window_map(i, phys, PTE_RW)) {
			alias_unmap(a);
			return false;
		}
	}
	return true;
}

static void __repatch add_stats(struct fixup_stats *sum,
				const struct fixup_stats *st)
{
	sum->sites += st->sites;
	sum->patched += st->patched;
	sum->kept += st->kept;
	sum->rejected += st->rejected;
}

/* One kept table to smp's forms; false when it could not be mapped. */
static bool __repatch repatch_table(const struct fixup_kept *k, bool smp,
				    struct fixup_stats *sum)
{
	static const struct fixup_hooks hooks = {
		.reject = fixup_report_reject,
	};
	struct fixup_range text = { k->text_start, k->text_end };
	struct fixup_env env = {
		.cpu = repatch_cpu,
		.smp = smp,
		.text = &text,
		.nr_text = 1,
		.calls = k->calls,
		.nr_calls = k->nr_calls,
		.hooks = &hooks,
		.call_groups = k->call_groups,
	};
	struct fixup_stats st;
	struct alias a;
	u32 flags;

	env.taken_size = fixup_taken_size(&text, 1);
	if (!alias_map(&a, k, env.taken_size)) {
		printk(KERN_ERR "fixup: no window or memory to re-patch "
		       "0x%08x-0x%08x\n", (u32)(uintptr_t)k->text_start,
		       (u32)(uintptr_t)k->text_end);
		return false;
	}
	env.taken = (u8 *)(uintptr_t)(WINDOW_BASE + a.text_pages * PAGE_SIZE);
	env.write_offset = (ptrdiff_t)(WINDOW_BASE - a.first);

	flags = local_irq_save();
	idt_text_write_begin();
	fixup_apply(k->start, k->end, &env, &st);	/* serializes */
	idt_text_write_end();
	local_irq_restore(flags);
	alias_unmap(&a);
	add_stats(sum, &st);
	return true;
}

/* Every kept table to smp's forms; whether every site has them now. */
static bool __repatch repatch_all(bool smp, struct fixup_stats *sum)
{
	const struct fixup_kept *k;
	bool done = true;

	memset(sum, 0, sizeof(*sum));
	for (k = kept; k; k = k->next)
		done &= repatch_table(k, smp, sum);
	return done && !sum->rejected;
}

/* noinline: GCC would put it into fixup_repatch(), in .text. */
static int __repatch __attribute__((noinline))
repatch(bool smp, unsigned int ncpus, const char *reason)
{
	struct fixup_stats sum;
	u64 t0;

	printk(KERN_INFO "fixup: mode: %s cpus=%u reason=%s\n",
	       smp ? "smp" : "up", ncpus, reason);
	t0 = clock_ns();
	if (!repatch_all(smp, &sum)) {
		/*
		 * Some site still has the old form. From SMP, go back to it
		 * (every accepted site can): the kernel stays correct on
		 * any CPU count. From UP the CPU must not start.
		 */
		printk(KERN_ERR "fixup: re-patch to %s failed: %s\n",
		       smp ? "smp" : "up", smp ? "no other CPU may start"
					       : "staying smp");
		fixup_smp = !smp && repatch_all(true, &sum);
		nmi_after_text_write();
		return -1;
	}
	t0 = clock_ns() - t0;
	fixup_smp = smp;
	printk(KERN_INFO "fixup: repatched sites=%u patched=%u kept=%u "
	       "rejected=%u time_us=%u\n", sum.sites, sum.patched, sum.kept,
	       sum.rejected, (u32)div_u64(t0, 1000));
	nmi_after_text_write();
	return 0;
}

int fixup_repatch(bool smp, unsigned int ncpus, const char *reason)
{
	if (!fixup_applied || smp == fixup_smp)
		return 0;
	if (!kept)
		return -1;
	return repatch(smp, ncpus, reason);
}

/*
 * Writing text, at boot and after: the one bracket every pass writes
 * inside, and the re-patch after boot. When the CPU count changes while
 * the kernel runs (a CPU hot-added, or removed down to one), the kept
 * sites (kept.c) get the other mode's bytes, with one CPU running
 * (Documentation/fixup-sites.md, "Kept for CPU hot-add").
 *
 * The text stays read-only where it runs (the kernel's in the identity
 * map, a module's in the module area): inside the bracket, each kept
 * table's text pages, the physical pages behind them, are mapped again,
 * writable, in the window above RAM (asm/page.h), the loop writes
 * through that alias, and the alias is unmapped (invlpg). One
 * serializing instruction follows the writes, as the SDM asks of code
 * written through one linear address and run through another (Intel SDM
 * vol. 3A, "Handling Self- and Cross-Modifying Code").
 *
 * What runs only when something was kept is __repatch, in the re-patch
 * region; fixup_resident() and fixup_kept_tables() are plain text, as
 * they are called whatever was kept, and so is fixup_repatch(), which
 * is in boot.c: a call across files is never inlined, so no code of the
 * region can end up in the text that stays.
 */
#include <asm/fixup.h>
#include <kernel/printk.h>
#include <kernel/clock.h>
#include <kernel/math64.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/desc.h>
#include <asm/nmi.h>
#include "internal.h"

/* Written at boot, read-only after. */
static const struct fixup_kept *kept __ro_after_boot;	/* the kernel's last */

bool fixup_resident(void)
{
	return kept;
}

const struct fixup_kept *fixup_kept_tables(void)
{
	return kept;
}

/* A table on the list, before mark_text_ro(); modules after the kernel. */
void __init fixup_keep(struct fixup_kept *k)
{
	k->next = kept;
	kept = k;
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
 * The bracket around writing text, begin and end: nothing but the
 * writes between them, nothing printed. No CPU but this one runs a site
 * while it is written: at boot the others are not started yet, after
 * boot they are stopped (the caller's promise). Interrupts are off; an
 * NMI cannot be, so meanwhile it goes to the NMI entry in .text.nmi,
 * which only counts (nmi.c), and those NMIs are handled once the text
 * is whole. A module's text is reachable by nothing yet while its pass
 * runs: it needs none of this, and goes through the same bracket all
 * the same.
 */
u32 __repatch fixup_write_text_begin(void)
{
	u32 flags = local_irq_save();

	idt_text_write_begin();
	return flags;
}

void __repatch fixup_write_text_end(const struct cpuinfo *c, u32 flags)
{
	fixup_serialize(c);
	idt_text_write_end();
	local_irq_restore(flags);
	nmi_after_text_write();
}

/*
 * The alias of pages text pages from first, from window slot 0; how many
 * were mapped. The kernel's text is identity-mapped, a module's is not:
 * the physical page behind each.
 */
static u32 __repatch alias_map(u32 first, u32 pages)
{
	u32 i, phys;

	for (i = 0; i < pages && i < WINDOW_PAGES; i++) {
		phys = page_phys(first + i * PAGE_SIZE);
		if (!phys || !window_map(i, phys, PTE_RW))
			break;
	}
	return i;
}

static void __repatch alias_unmap(u32 pages)
{
	while (pages)
		window_unmap(--pages);
}

/*
 * One table through its alias; false when it has none. Between one
 * table's writes and the serialization runs only what has no site (the
 * window's PTEs, whose page table exists once the first table is
 * mapped, before any write; memcmp(), memcpy(): scripts/fixup-report
 * lists no site there), so no code just written runs unserialized.
 */
static bool __repatch write_table(const struct fixup_kept *k, bool smp,
				  struct fixup_counts *st)
{
	u32 first = ALIGN_DOWN(k->text_start, PAGE_SIZE);
	u32 pages = (ALIGN_UP(k->text_end, PAGE_SIZE) - first) / PAGE_SIZE;
	u32 mapped = alias_map(first, pages);

	if (mapped == pages)
		fixup_kept_write(k, smp, WINDOW_BASE - first, st);
	alias_unmap(mapped);
	return mapped == pages;
}

static void __repatch report_neither(uintptr_t addr)
{
	printk(KERN_ERR "fixup: re-patch: site 0x%08x holds neither form, left "
	       "alone\n", (u32)addr);
}

/* Every kept site to smp's bytes; whether every one has them now. */
static bool __repatch repatch_all(bool smp, struct fixup_counts *st)
{
	const struct fixup_kept *k;
	unsigned int unmapped = 0;
	u32 flags = fixup_write_text_begin();

	*st = (struct fixup_counts){ 0 };
	for (k = kept; k; k = k->next)
		unmapped += !write_table(k, smp, st);
	fixup_write_text_end(&boot_cpu_data, flags);
	/* Only now, the text whole and serialized, may anything print. */
	if (unmapped)
		printk(KERN_ERR "fixup: re-patch: no window for %u of the "
		       "kept tables\n", unmapped);
	else
		for (k = kept; k; k = k->next)
			fixup_kept_report(k, smp, report_neither);
	return !unmapped && !st->rejected;
}

/* fixup_repatch() (boot.c), when kept tables may change the mode. */
int __repatch fixup_repatch_kept(bool smp, unsigned int ncpus,
				 const char *reason)
{
	struct fixup_counts st;
	u64 t0;

	printk(KERN_INFO "fixup: mode: %s cpus=%u reason=%s\n",
	       smp ? "smp" : "up", ncpus, reason);
	t0 = clock_ns();
	if (!repatch_all(smp, &st)) {
		/*
		 * Some site has not the new form. From SMP, go back (every
		 * kept site that held a form can): the kernel stays correct
		 * on any CPU count. From UP the CPU must not start.
		 */
		printk(KERN_ERR "fixup: re-patch to %s failed: %s\n",
		       smp ? "smp" : "up", smp ? "no other CPU may start"
					       : "staying smp");
		fixup_smp = !smp && repatch_all(true, &st);
		return -1;
	}
	t0 = clock_ns() - t0;
	fixup_smp = smp;
	printk(KERN_INFO "fixup: repatched sites=%u patched=%u unchanged=%u "
	       "rejected=%u time_us=%u\n", st.sites, st.patched, st.unchanged,
	       st.rejected, (u32)div_u64(t0, 1000));
	return 0;
}

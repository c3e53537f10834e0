/* Non-maskable interrupts (arch/i386/kernel/nmi.c, Documentation/nmi.md). */
#ifndef ASM_NMI_H
#define ASM_NMI_H

#include <kernel/types.h>

struct pt_regs;

/* Vector 2 through the ordinary IDT: count, say why, return. */
void do_nmi(struct pt_regs *r);

/* True if this CPU's LINT1 is to deliver NMIs (apic_setup_cpu()). */
bool nmi_lint1_enabled(bool boot_cpu);

/* This CPU's LINT1 was just set to deliver NMIs, or masked. */
void nmi_lint1_set_up(bool nmi);

/* After text was written: the NMIs that came meanwhile, handled now. */
void nmi_after_text_write(void);

/* "nmi: CPU0: N NMIs on the early IDT" (the nmi_test_early_idt test). */
void nmi_report_early(void);

/* One line per online CPU: "nmi: CPUn: N NMIs". */
void nmi_report_counts(void);
/* This CPU runs its NMI handler: printk stores, takes no lock (printk.c). */
bool nmi_here(void);
/* Test only: nmi_test_lock_order=K (Documentation/cmdline.md). */
void nmi_test_lock_order(void);

#endif

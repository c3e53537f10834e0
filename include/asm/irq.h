/*
 * The 8259 lines the kernel takes (arch/i386/kernel/traps.c). All are
 * masked at boot; a driver asks for one with irq_request_level(). The
 * handler runs on the boot CPU with interrupts off, then traps.c sends
 * the EOI: it must silence its device before it returns.
 */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#define NR_PIC_IRQS	16

/* Level-triggered (ELCR), handled by fn, unmasked. 0, or -1 if taken. */
int irq_request_level(unsigned int irq, void (*fn)(void));
void irq_mask(unsigned int irq);

#endif

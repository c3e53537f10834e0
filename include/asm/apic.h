/*
 * Local APIC registers (Intel SDM vol. 3A, 10.4 "Local APIC", table 10-1).
 * apic_write() is an APIC_WRITE fixup site: a movl, patched to xchgl on
 * Pentiums with the 11AP erratum, where a plain write to the APIC can be
 * lost (Pentium Processor Specification Update, erratum 11AP).
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <kernel/types.h>
#include <asm/fixup.h>

#define APIC_DEFAULT_PHYS	0xfee00000
#define APIC_ID		0x020	/* bits 31-24 */
#define APIC_VERSION	0x030
#define APIC_TPR	0x080	/* task priority */
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0	/* spurious vector, bit 8 = enable */
#define  APIC_SVR_ENABLE	0x100
#define APIC_ESR	0x280	/* error status */
#define APIC_ICR_LOW	0x300
#define  APIC_ICR_INIT		0x00000500
#define  APIC_ICR_STARTUP	0x00000600
#define  APIC_ICR_LEVEL		0x00008000
#define  APIC_ICR_ASSERT	0x00004000
#define  APIC_ICR_BUSY		0x00001000
#define APIC_ICR_HIGH	0x310	/* destination in bits 31-24 */
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define  APIC_LVT_MASKED	0x10000
#define  APIC_LVT_DM_NMI	0x00400	/* delivery mode 100b: NMI, edge */
#define  APIC_LVT_DM_EXTINT	0x00700	/* 111b: the 8259's INTR */

#define SMP_CALL_VECTOR	0xf0	/* IPI: smp_call_all() work for an idle AP */

extern volatile u32 *lapic;	/* mapped local APIC, NULL if none */

static inline u32 apic_read(u32 reg)
{
	return lapic[reg / 4];
}

static inline void apic_write(u32 reg, u32 v)
{
	volatile u32 *p = &lapic[reg / 4];

#ifdef CONFIG_FIXUP
	/* "+r": the xchgl variant writes the old register value back. */
	__asm__ __volatile__("661:\n\tmovl %0, (%1)\n662:\n\t"
			     FIXUP_RECORD(FIXUP_KIND_APIC_WRITE)
			     : "+r"(v) : "r"(p) : "memory");
#elif defined(CONFIG_M586)
	__asm__ __volatile__("xchgl %0, (%1)" : "+r"(v) : "r"(p) : "memory");
#else
	*p = v;
#endif
}

void apic_init(u32 phys);
void apic_setup_cpu(bool boot_cpu);
void apic_lint0_extint(void);
u32 apic_id(void);
u32 apic_esr(void);
bool apic_send_ipi(u32 dest_apic_id, u32 cmd);

static inline void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

#endif

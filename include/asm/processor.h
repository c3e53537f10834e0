/* Control registers, flags and small CPU instructions (Intel SDM vol. 3A). */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define X86_EFLAGS_IF	(1u << 9)	/* interrupts enabled */
#define X86_EFLAGS_AC	(1u << 18)	/* alignment check: 486 and later */
#define X86_EFLAGS_ID	(1u << 21)	/* toggles iff CPUID exists */

#define X86_CR0_PE	(1u << 0)
#define X86_CR0_MP	(1u << 1)	/* monitor coprocessor */
#define X86_CR0_EM	(1u << 2)	/* x87 emulation: traps MMX too */
#define X86_CR0_TS	(1u << 3)	/* task switched */
#define X86_CR0_NE	(1u << 5)	/* native x87 errors: 486 and later */
#define X86_CR0_WP	(1u << 16)	/* supervisor writes honour R/O */
#define X86_CR0_PG	(1u << 31)

static inline u32 read_eflags(void)
{
	u32 f;

	__asm__ __volatile__("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline void write_eflags(u32 f)
{
	__asm__ __volatile__("pushl %0; popfl" : : "r"(f) : "memory", "cc");
}

#define DEFINE_CR(n)							\
static inline u32 read_cr##n(void)					\
{									\
	u32 v;								\
	__asm__ __volatile__("movl %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(u32 v)					\
{									\
	__asm__ __volatile__("movl %0, %%cr" #n : : "r"(v) : "memory");	\
}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

static inline u32 local_irq_save(void)
{
	u32 f = read_eflags();

	local_irq_disable();
	return f;
}

static inline void local_irq_restore(u32 f)
{
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

/*
 * "sti; hlt" (entry.S): an interrupt pending at the sti still ends the
 * hlt. One copy, so that the NMI handler knows its hlt (safe_halt_hlt):
 * an NMI between the two returns past the hlt (nmi.c).
 */
void safe_halt(void);
extern const char safe_halt_hlt[];

/* "rep; nop" is pause on P4 and a plain nop before it. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("rep; nop" : : : "memory");
}

/* rdtsc: Pentium and later; callers check X86_FEATURE_TSC first. */
static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void invlpg(u32 addr)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline void __noreturn halt_forever(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

#endif

/*
 * Memory barriers. mb()/rmb()/wmb() order memory for devices and
 * non-temporal stores; smp_*() only between CPUs, and vanish on a
 * uniprocessor. With CONFIG_FIXUP each is a 5-byte site compiled as
 * "lock; addl $0,(%esp)" (a full barrier on every x86) and patched at boot
 * to mfence/lfence/sfence or a NOP (Documentation/fixup-sites.md; smp_rmb()
 * is a NOP on SMP too). Without
 * it the form is fixed at build time for the configured processor.
 */
#ifndef ASM_BARRIER_H
#define ASM_BARRIER_H

#include <kernel/compiler.h>
#include <asm/fixup.h>

#define __LOCKED_ADD	"lock; addl $0,(%%esp)"

#ifdef CONFIG_FIXUP
#define __barrier(kind)	__asm__ __volatile__(FIXUP_BARRIER(kind) ::: "memory", "cc")
#define mb()		__barrier(FIXUP_KIND_MB)
#define rmb()		__barrier(FIXUP_KIND_RMB)
#define wmb()		__barrier(FIXUP_KIND_WMB)
#ifdef CONFIG_SMP
#define smp_mb()	__barrier(FIXUP_KIND_SMP_MB)
#define smp_rmb()	__barrier(FIXUP_KIND_SMP_RMB)
#define smp_wmb()	__barrier(FIXUP_KIND_SMP_WMB)
#endif

#else /* !CONFIG_FIXUP: the configured processor's form */

#define __insn(s)	__asm__ __volatile__(s ::: "memory", "cc")
#ifdef CONFIG_X86_SSE2
#define mb()		__insn("mfence")
#define rmb()		__insn("lfence")
#else
#define mb()		__insn(__LOCKED_ADD)
#define rmb()		__insn(__LOCKED_ADD)
#endif
#ifdef CONFIG_X86_SSE
#define wmb()		__insn("sfence")
#else
#define wmb()		__insn(__LOCKED_ADD)
#endif
#ifdef CONFIG_SMP
#define smp_mb()	__insn(__LOCKED_ADD)	/* faster than mfence */
/* Loads are not reordered with loads (Intel SDM vol. 3A, 8.2.2). */
#define smp_rmb()	barrier()
/* Only an out-of-order-store CPU (IDT WinChip) needs it: none we build for. */
#define smp_wmb()	barrier()
#endif
#endif /* CONFIG_FIXUP */

#ifndef CONFIG_SMP
#define smp_mb()	barrier()
#define smp_rmb()	barrier()
#define smp_wmb()	barrier()
#endif

#endif

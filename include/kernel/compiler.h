/* Attributes and section markers shared by all kernel code. */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __noreturn	__attribute__((noreturn))
#define __used		__attribute__((used))
#define __unused	__attribute__((unused))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __section(s)	__attribute__((section(s)))
/* Inlined whatever the optimizer thinks (the host's libc has it too) */
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#ifdef HOST_TEST
/* Host-side unit tests compile kernel files as ordinary C. */
#define __init
#define __initdata
#define __initconst
#define __repatch
#define __repatchconst
#else
/* Code and data only needed during boot: freed by free_initmem(). */
#define __init		__section(".init.text") __attribute__((cold, noinline))
#define __initdata	__section(".init.data")
#define __initconst	__section(".init.rodata")
/*
 * What re-patching after boot needs (the loop over the kept sites, the
 * bracket around writing text): the re-patch region of
 * ldscripts/vmlinux.lds, which stays, read-only, when the boot pass kept
 * sites for a CPU hot-add, and is freed with the init region otherwise.
 */
#define __repatch	__section(".repatch.text")
#define __repatchconst	__section(".repatch.rodata")
#endif

/*
 * Code that must not call out (the NMI text, scripts/nmi-section-check):
 * no thunk calls for its indirect branches or returns, whatever the
 * kernel's -mindirect-branch= and -mfunction-return= (GCC 8 and later).
 */
#if defined(__GNUC__) && !defined(__clang__)
#define __nothunk	__attribute__((indirect_branch("keep"), \
				       function_return("keep")))
#else
#define __nothunk
#endif

#define barrier()	__asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define BUILD_BUG_ON(c)	((void)sizeof(char[1 - 2 * !!(c)]))

#endif

/*
 * Indirect calls, indirect tail jumps and returns: the sites of a kernel
 * built with CONFIG_RETPOLINE and CONFIG_RETHUNK (Documentation/
 * spectre.md). Built like prims.c, once per variant: the generic build
 * with GCC's thunk flags (the Makefile's RETPOLINE_CFLAGS and
 * RETHUNK_CFLAGS, bench/lib/Bench/Build.pm) and the kernel's thunks,
 * arch/i386/lib/retpoline.S, so that each branch is a THUNK_CALL,
 * THUNK_JMP or RETURN site; the compile-time builds with "call *%reg",
 * "jmp *%reg" and "ret". i386 code only (the thunks are).
 */
#include <kernel/compiler.h>
#include "bench.h"

/*
 * The target of the indirect branches: x + 1, with a plain "ret" in
 * every build, so that a row differs only in the branch it is about.
 */
u32 bench_branch_target(u32 x);
__asm__(".text\n"
	".globl bench_branch_target\n"
	".type bench_branch_target, @function\n"
	"bench_branch_target:\n"
	"\tmovl 4(%esp), %eax\n"
	"\tincl %eax\n"
	"\tret\n"
	".size bench_branch_target, . - bench_branch_target\n");

/* Read at every call, so that the call stays indirect. */
static u32 (*volatile target)(u32) = bench_branch_target;

/* A call that ends in a jump through a pointer: the tail call. */
static u32 __attribute__((noinline, noipa)) tail(u32 x)
{
	return target(x);
}

/* A function whose "ret" is the site: jmp __x86_return_thunk. */
static u32 __attribute__((noinline, noipa)) plain(u32 x)
{
	return x + 1;
}

/*
 * Latency: each result is the next argument, the calls form a chain.
 * Throughput: four calls an iteration, none waiting for another's
 * result (each adds to its own sum); the figure is per call.
 */
#define BRANCH_BENCH(name, fn)						\
void bench_##name(u32 n, struct bench_data *d)				\
{									\
	u32 z = 0;							\
									\
	for (; n; n--)							\
		z = fn(z);						\
	d->sink = z;							\
}									\
									\
void bench_##name##_tp(u32 n, struct bench_data *d)			\
{									\
	u32 a = 0, b = 0, c = 0, e = 0;					\
									\
	for (; n; n--) {						\
		a += fn(n);						\
		b += fn(n);						\
		c += fn(n);						\
		e += fn(n);						\
	}								\
	d->sink = a ^ b ^ c ^ e;					\
}

BRANCH_BENCH(indirect_call, target)
BRANCH_BENCH(indirect_tail_jmp, tail)
BRANCH_BENCH(return, plain)

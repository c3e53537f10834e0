/*
 * Indirect calls, indirect tail jumps and returns: the sites of a kernel
 * built with CONFIG_RETPOLINE and CONFIG_RETHUNK (Documentation/
 * spectre.md). Built like prims.c, once per variant, but the generic
 * build alone gets GCC's thunk flags (the Makefile's RETPOLINE_CFLAGS and
 * RETHUNK_CFLAGS, bench/lib/Bench/Build.pm) and links the kernel's
 * thunks, arch/i386/lib/retpoline.S: there each branch is a call or jump
 * to a thunk, where the compile-time builds have "call *%eax", "jmp
 * *%eax" and "ret". Until the thunk kinds land the patched copies keep
 * the thunks too. i386 code only (the thunks are).
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

/* Each result is the next argument: the calls form a chain. */
void bench_indirect_call(u32 n, struct bench_data *d)
{
	u32 z = 0;

	for (; n; n--)
		z = target(z);
	d->sink = z;
}

void bench_indirect_tail_jmp(u32 n, struct bench_data *d)
{
	u32 z = 0;

	for (; n; n--)
		z = tail(z);
	d->sink = z;
}

void bench_return(u32 n, struct bench_data *d)
{
	u32 z = 0;

	for (; n; n--)
		z = plain(z);
	d->sink = z;
}

/*
 * Self-tests of the Spectre v2 thunk sites (Documentation/spectre.md), in
 * whatever form the boot pass gave them for this CPU and spectre_v2=: a
 * call and a tail jump through every register's thunk (hand-written,
 * selftest_thunk_asm.S), and a return from a function that pops its
 * arguments ("ret $N", GCC's __x86_return_thunk_ecx). Each branch must
 * arrive at its target and come back to the instruction after it with
 * the stack as it was.
 */
#include <kernel/selftest.h>
#include <asm/selftest_thunk.h>

#ifdef CONFIG_RETPOLINE
struct thunk_branch {
	const char *what;
	u32 (*fn)(void);
};

#define BRANCHES(r) \
	{ "call *%" #r, selftest_thunk_call_##r }, \
	{ "jmp *%" #r, selftest_thunk_jmp_##r },
static const struct thunk_branch branches[] = {
	SELFTEST_THUNK_REGS(BRANCHES)
};

/* The branch did not come back (we would not be here) or came back wrong. */
static const char *outcome(u32 got)
{
	return got == 0 ? "the stack moved" : got == 1 ?
		"returned to the wrong place" : "the target did not run";
}

SELFTEST(thunk_branch_every_register)
{
	unsigned int i, bad = 0;

	for (i = 0; i < ARRAY_SIZE(branches); i++) {
		u32 got = branches[i].fn();

		if (got != SELFTEST_THUNK_MAGIC) {
			selftest_diag("%s: %s (0x%x)", branches[i].what,
				      outcome(got), got);
			bad++;
		}
	}
	return bad ? SELFTEST_FAIL : SELFTEST_PASS;
}
#else
SELFTEST(thunk_branch_every_register)
{
	selftest_diag("built without CONFIG_RETPOLINE: no thunks");
	return SELFTEST_SKIP;
}
#endif

#ifdef CONFIG_RETPOLINE
/*
 * Pops its two arguments: "ret $8", through __x86_return_thunk_ecx with
 * CONFIG_RETHUNK. Called from selftest_thunk_asm.S.
 */
u32 __attribute__((noinline, stdcall)) selftest_thunk_popper(u32 a, u32 b)
{
	return a * 0x10000 + b;
}
#endif

#ifdef CONFIG_RETHUNK
SELFTEST(thunk_return_pops_args)
{
	u32 got = selftest_thunk_pop();

	if (got == 0x50007)
		return SELFTEST_PASS;
	selftest_diag("ret $8: %s (0x%x)", got ? "wrong result" :
		      "the stack moved", got);
	return SELFTEST_FAIL;
}
#else
SELFTEST(thunk_return_pops_args)
{
	selftest_diag("built without CONFIG_RETHUNK: no return thunks");
	return SELFTEST_SKIP;
}
#endif

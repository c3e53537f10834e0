/*
 * Indirect calls, indirect tail calls, a switch, returns, "ret $N"
 * (stdcall, and a structure returned through a hidden pointer), run.
 * Built with the kernel's thunk flags (-mindirect-branch=thunk-extern
 * -mindirect-branch-register -mfunction-return=thunk-extern
 * -fno-jump-tables) and -DTHUNKS, every one of them goes through the
 * thunks of tests/asm/thunks.s, which count what they ran: the program
 * fails unless both kinds of thunk ran, so a build that did not use
 * them cannot pass for one that did. tests/asm-pass.t compares its
 * output built plain and through the pass.
 */
#include <stdio.h>

#ifdef THUNKS
extern unsigned int thunk_branches, thunk_returns;
#endif

struct triple {
	int a, b, c;
};

typedef int (*op_fn)(int, int);

static unsigned int sum;

static void show(const char *what, int v)
{
	sum = sum * 31 + (unsigned int)v;
	printf("%-24s %d\n", what, v);
}

static __attribute__((noinline)) int add(int x, int y) { return x + y; }
static __attribute__((noinline)) int sub(int x, int y) { return x - y; }
static __attribute__((noinline)) int mul(int x, int y) { return x * y; }
static __attribute__((noinline)) int rem(int x, int y)
{
	return y ? x % y : 0;
}

static op_fn volatile ops[] = { add, sub, mul, rem };

/*
 * Global, so that GCC keeps the i386 calling convention (a local
 * function's may change) and a tail call stays one.
 */
int apply(int i, int x, int y);
int tail(int i, int x, int y);
int each(op_fn f, op_fn g, int n);

/* An indirect call whose result is used: call __x86_indirect_thunk_REG */
__attribute__((noinline)) int apply(int i, int x, int y)
{
	return ops[i & 3](x, y) + 1;
}

/* An indirect tail call: jmp __x86_indirect_thunk_REG */
__attribute__((noinline)) int tail(int i, int x, int y)
{
	return ops[i & 3](x, y);
}

/* Pointers live across calls: in callee-saved registers (ebx esi edi). */
__attribute__((noinline)) int each(op_fn f, op_fn g, int n)
{
	int i, acc = 1;

	for (i = 0; i < n; i++)
		acc = f(acc, i + 1) ^ g(i, acc & 7);
	return acc;
}

/* No jump table (-fno-jump-tables): compares and branches. */
static __attribute__((noinline)) int pick(int k)
{
	switch (k) {
	case 0: return 11;
	case 1: return 22;
	case 2: return 33;
	case 3: return 44;
	case 4: return 55;
	case 5: return 66;
	default: return -1;
	}
}

/* "ret $8": popl %ecx; leal 8(%esp), %esp; jmp __x86_return_thunk_ecx */
static __attribute__((noinline, stdcall)) int callee_pops(int x, int y)
{
	return x * 10 + y;
}

/* The hidden pointer is popped by the callee: "ret $4" */
static __attribute__((noinline)) struct triple make(int x)
{
	struct triple t = { x, x * 2, x * 3 };

	return t;
}

int main(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		show("apply", apply(i, 17 + i, 5));
		show("tail", tail(i, 40, 3 + i));
		show("each", each(ops[i & 3], ops[(i + 1) & 3], i + 2));
		show("pick", pick(i));
		show("callee_pops", callee_pops(i, 4));
		show("make", make(i).c - make(i + 1).a);
	}
	printf("sum %u\n", sum);
#ifdef THUNKS
	/* how many differs with -O: it is printed to say they ran */
	printf("thunks ran: %s %s\n", thunk_branches ? "branches" : "NONE",
	       thunk_returns ? "returns" : "NONE");
	return !thunk_branches || !thunk_returns;
#else
	return 0;
#endif
}

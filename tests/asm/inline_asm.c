/*
 * Inline asm is left alone: deliberate raw locks (memory shared with a
 * device) stay raw, and sites the asm records itself with the macros of
 * include/asm/fixup.h are recorded once. Functions named raw_* hold only
 * raw locks; tests/asm-pass.t relies on that.
 */
#define CONFIG_SMP 1
#define CONFIG_FIXUP 1
#include <asm/fixup-kinds.h>
#include <asm/fixup.h>

int shared, counter;

__attribute__((noinline)) void raw_lock_inc(volatile int *p)
{
	asm volatile("lock; incl %0" : "+m" (*p));
}

__attribute__((noinline)) int raw_lock_spellings(volatile int *p, int v)
{
	asm volatile("lock\n\txaddl %0, %1" : "+r" (v), "+m" (*p));
	asm volatile("LOCK ORL $1, %0" : "+m" (*p));
	asm volatile("lock addl $0,(%%esp)" ::: "memory");
	return v;
}

asm(".text\n"
    ".globl raw_toplevel\n"
    ".type raw_toplevel, @function\n"
    "raw_toplevel:\n"
    "\tlock decl shared\n"
    "\tret\n");

void macro_inc(int *p)
{
	asm volatile(LOCK_PREFIX "incl %0" : "+m" (*p));
}

void record_by_hand(int *p)
{
	asm volatile("661:\n\tlock\n662:\n\t" FIXUP_RECORD(FIXUP_KIND_LOCK)
	    "orl $1, %0" : "+m" (*p));
}

void macro_barrier(void)
{
	asm volatile(FIXUP_BARRIER(FIXUP_KIND_SMP_MB) ::: "memory");
}

int mixed(int *p)
{
	/* a compiler site and a macro site in one function */
	int r = __atomic_fetch_add(p, 1, __ATOMIC_SEQ_CST);

	asm volatile(LOCK_PREFIX "decl %0" : "+m" (counter));
	return r;
}

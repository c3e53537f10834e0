/* The boot clock behind printk timestamps (arch/i386/kernel/clock.c). */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <kernel/types.h>

void clock_init(void);
void clock_use_tsc(void);
u64 clock_ns(void);
void udelay(unsigned int us);
/* Test only (selftest_crash=oops_in_clock*): CPU n - 1 faults in the lock. */
extern volatile int clock_test_crash;
/* An oops on this CPU: give the clock lock back if this CPU holds it. */
void clock_oops_release(void);
/* Test only: this CPU takes the clock lock and keeps it. */
void clock_test_keep_lock(void);

#endif

/* Fatal errors: oops (arch/i386/kernel/traps.c), panic, power off. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <kernel/types.h>
#include <kernel/compiler.h>

/* isa-debug-exit's port and statuses (QEMU exits with status * 2 + 1). */
#define DEBUG_EXIT_PORT		0xf4
#define POWER_OFF_OK		0
#define POWER_OFF_FAIL		1
#define POWER_OFF_OOPS		2

void __noreturn panic(const char *fmt, ...) __printf(1, 2);
void __noreturn machine_power_off(int status);
void __noreturn cpu_dead(void);
/* This CPU is reporting an oops (traps.c). */
bool oops_here(void);
/* Test only: the boot CPU's oops waits for n reports before power-off. */
void oops_expect_reports(unsigned int n);
extern bool poweroff_requested;

#endif

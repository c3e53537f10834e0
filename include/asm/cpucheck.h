/*
 * What runs before start_kernel() (arch/i386/boot/cpucheck.c): built for
 * the 486 whatever the kernel is built for, as is everything it calls.
 */
#ifndef ASM_CPUCHECK_H
#define ASM_CPUCHECK_H

#include <kernel/types.h>
#include <asm/multiboot.h>

/*
 * Halt, after one line on the serial console, if the CPU lacks a feature
 * that the kernel's -march lets its code use; return if it has them all.
 */
void check_cpu(u32 magic, const struct multiboot_info *mbi);

/* Is w a whole word of the raw Multiboot command line? */
bool cmdline_has_word(const struct multiboot_info *mbi, const char *w);

#endif

/* printk and its log levels (arch/i386/kernel/printk.c). */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/stdarg.h>

/* A level is a two-byte prefix, as in Linux: "\001" then the digit. */
#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"

#ifdef HOST_TEST
/* Host tests link the kernel's formatter beside the C library's. */
#define vsnprintf	kernel_vsnprintf
#define snprintf	kernel_snprintf
#endif

int printk(const char *fmt, ...) __printf(1, 2);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#define pr_err(...)	printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)	printk(KERN_WARNING __VA_ARGS__)
#define pr_info(...)	printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...)	printk(KERN_DEBUG __VA_ARGS__)

/* This CPU holds the console lock: it was interrupted inside printk. */
bool printk_busy_here(void);
/*
 * Write out the lines printed in NMI context (printk.c keeps them per
 * CPU): the idle loops call it, any printk does it too.
 */
void printk_flush_nmi(void);
/* An oops on this CPU ends: give the console lock back if it holds it. */
void printk_oops_end(void);
/* Test only: this CPU takes the console lock and keeps it. */
void printk_test_keep_console(void);
/* Test only: the next printk faults with the console lock held. */
extern volatile bool printk_test_crash;

#endif

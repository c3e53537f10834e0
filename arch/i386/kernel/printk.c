/*
 * printk: Linux-style "[    0.000123] " timestamps, log levels, a log
 * buffer, and the console (COM1, mirrored to VGA text). Safe to call from
 * any CPU and from the oops path: a CPU that already holds the console
 * lock (it faulted inside printk) writes without taking it again, and a
 * CPU reporting an oops takes the lock from another CPU that keeps it
 * too long (it may have died holding it).
 */
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/clock.h>
#include <kernel/string.h>
#include <kernel/math64.h>
#include <kernel/params.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <kernel/module.h>

#define LOG_BUF_LEN	(32 * 1024)
#define LINE_MAX	512
#define DEFAULT_LOGLEVEL 7	/* print levels below this: up to KERN_INFO */

static char log_buf[LOG_BUF_LEN];
static u32 log_head;		/* total bytes ever logged */
static int console_loglevel = DEFAULT_LOGLEVEL;
static bool line_open;		/* last message did not end in '\n' */
static volatile bool emitting;	/* a console write is under way */
static volatile u32 console_owner;	/* 0 or CPU number + 1 */
static volatile u8 oopsing[CONFIG_NR_CPUS];
#define OOPS_LOCK_SPINS	5000000		/* a second or so, then take it */

static void log_store(const char *s, size_t n)
{
	while (n--)
		log_buf[log_head++ % LOG_BUF_LEN] = *s++;
}

static void emit(const char *s, size_t n, bool to_console)
{
	log_store(s, n);
	if (!to_console)
		return;
	emitting = true;
	serial_write(s, n);
#ifdef CONFIG_VGA_CONSOLE
	vga_write(s, n);
#endif
	emitting = false;
}

/* xchg is locked by the CPU itself: no fixup site, right on UP and SMP. */
static bool console_lock(void)
{
	u32 me = smp_processor_id() + 1, spins = 0;
	bool oops = me <= CONFIG_NR_CPUS && oopsing[me - 1];

	if (console_owner == me)
		return false;		/* recursion from an oops: bust it */
	while (__atomic_exchange_n(&console_owner, me, __ATOMIC_ACQUIRE) != 0)
		while (console_owner) {
			if (oops && ++spins > OOPS_LOCK_SPINS) {
				console_owner = me;	/* taken */
				return true;
			}
			cpu_relax();
		}
	return true;
}

volatile bool printk_test_crash;

void printk_test_keep_console(void)
{
	console_lock();
}

bool printk_busy_here(void)
{
	return console_owner == (u32)smp_processor_id() + 1;
}

void printk_oops_begin(void)
{
	int cpu = smp_processor_id();

	if (cpu >= 0 && cpu < CONFIG_NR_CPUS)
		oopsing[cpu] = 1;
}

static void console_unlock(void)
{
	__atomic_store_n(&console_owner, 0, __ATOMIC_RELEASE);
}

void printk_oops_end(void)
{
	if (printk_busy_here())
		console_unlock();
}

static int printk_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] == KERN_SOH[0] && f[1]) {
		*fmt = f + 2;
		return f[1] == 'c' ? -1 : f[1] - '0';
	}
	return 4;			/* default: KERN_WARNING, as Linux */
}

int vprintk(const char *fmt, va_list ap)
{
	char line[LINE_MAX], stamp[24];
	int level = printk_level(&fmt);
	bool cont = level < 0, to_console, locked;
	u32 flags;
	u64 ns;
	u32 us;
	int n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	to_console = cont || level < console_loglevel;

	flags = local_irq_save();
	locked = console_lock();
	if (printk_test_crash) {
		printk_test_crash = false;
		__asm__ __volatile__("ud2");	/* the oops must still print */
	}
	ns = clock_ns();		/* under the lock: stamps stay in order */
	if (!cont) {
		/* Also when an oops cut into this CPU's own line. */
		if (line_open || emitting || (log_head &&
		    log_buf[(log_head - 1) % LOG_BUF_LEN] != '\n'))
			emit("\n", 1, to_console);
		us = div_u64_rem(&ns, 1000000000) / 1000;
		snprintf(stamp, sizeof(stamp), "[%5u.%06u] ", (u32)ns, us);
		emit(stamp, strlen(stamp), to_console);
	}
	emit(line, n, to_console);
	if (n)
		line_open = line[n - 1] != '\n';
	if (locked)
		console_unlock();
	local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
EXPORT_SYMBOL(printk);

static int __init set_loglevel(const char *val)
{
	unsigned int v;

	if (param_uint(val, &v) || v > 8)
		return -1;
	console_loglevel = v;
	return 0;
}
__setup("loglevel", set_loglevel);

static int __init set_quiet(const char *val)
{
	if (val)
		return -1;
	console_loglevel = 4;
	return 0;
}
__setup("quiet", set_quiet);

static int __init set_debug(const char *val)
{
	if (val)
		return -1;
	console_loglevel = 8;
	return 0;
}
__setup("debug", set_debug);

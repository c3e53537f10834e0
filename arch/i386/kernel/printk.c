/*
 * printk: Linux-style "[    0.000123] " timestamps, log levels, a log
 * buffer, and the console (COM1, mirrored to VGA text). Safe to call from
 * any CPU, from NMI context and from the oops path:
 *
 * - in NMI context it takes no lock and reads no clock: the line goes to
 *   a ring of this CPU's, written out by the next printk on any CPU, or
 *   by an idle loop (printk_flush_nmi());
 * - a CPU that already holds the console lock (it faulted inside printk)
 *   writes without taking it again, and a CPU reporting an oops takes the
 *   lock from another CPU that keeps it too long (it may have died
 *   holding it).
 *
 * The console lock is taken with interrupts off and outside the clock's
 * lock (clock_ns() is called under it): Documentation/nmi.md, "Locks".
 */
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/clock.h>
#include <kernel/string.h>
#include <kernel/math64.h>
#include <kernel/params.h>
#include <kernel/panic.h>
#include <asm/nmi.h>
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
#define OOPS_LOCK_SPINS	5000000		/* a second or so, then take it */

/*
 * Lines printed in NMI context, per CPU: a ring that only that CPU's NMI
 * handler writes (NMIs do not nest, SDM vol. 3A, 6.7.1) and only a holder
 * of the console lock reads. Each line is its level (a byte), its length
 * (two bytes, little-endian) and its text. x86 keeps stores in order
 * and loads in order (SDM vol. 3A, 8.2.2): the bytes are written before
 * head, read before tail.
 */
#define NMI_RING_LEN	1024
struct nmi_ring {
	char buf[NMI_RING_LEN];
	volatile u32 head;		/* bytes ever stored, by the NMI */
	volatile u32 tail;		/* bytes ever written out */
	volatile u32 lost;		/* lines that did not fit */
	u32 lost_said;
};
static struct nmi_ring nmi_rings[CONFIG_NR_CPUS];

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
	bool oops = oops_here();

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

/* One line (or the rest of one: level < 0), the console lock held. */
static void write_line(const char *line, int n, int level)
{
	bool cont = level < 0, to_console = cont || level < console_loglevel;
	char stamp[24];
	u64 ns;
	u32 us;

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
}

/* NMI context: into this CPU's ring, or counted as lost. No lock. */
static void nmi_store(const char *line, int n, int level)
{
	int cpu = smp_processor_id();
	struct nmi_ring *r;
	u32 h, i;

	if (cpu < 0 || cpu >= CONFIG_NR_CPUS)
		cpu = 0;
	r = &nmi_rings[cpu];
	h = r->head;
	if ((u32)n + 3 > NMI_RING_LEN - (h - r->tail)) {
		r->lost++;
		return;
	}
	r->buf[h++ % NMI_RING_LEN] = level;
	r->buf[h++ % NMI_RING_LEN] = n;
	r->buf[h++ % NMI_RING_LEN] = n >> 8;
	for (i = 0; i < (u32)n; i++)
		r->buf[h++ % NMI_RING_LEN] = line[i];
	__asm__ __volatile__("" : : : "memory");	/* bytes, then head */
	r->head = h;
}

/* Every CPU's NMI lines, stamped now; the console lock held. */
static void write_nmi_lines(void)
{
	char line[LINE_MAX];
	int cpu, n;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		struct nmi_ring *r = &nmi_rings[cpu];
		u32 t = r->tail, h = r->head, lost = r->lost;

		__asm__ __volatile__("" : : : "memory");  /* head, then bytes */
		while (t != h) {
			s8 level = r->buf[t++ % NMI_RING_LEN];
			int i, len = (u8)r->buf[t++ % NMI_RING_LEN];

			len |= (u8)r->buf[t++ % NMI_RING_LEN] << 8;
			for (i = 0; i < len; i++)	/* len < LINE_MAX */
				line[i] = r->buf[t++ % NMI_RING_LEN];
			write_line(line, len, level);
		}
		__asm__ __volatile__("" : : : "memory");  /* bytes, then tail */
		r->tail = t;
		if (lost != r->lost_said) {
			n = snprintf(line, sizeof(line), "nmi: CPU%d: %u "
				     "lines printed in NMI context lost (ring "
				     "full)\n", cpu, lost - r->lost_said);
			write_line(line, n, 4);
			r->lost_said = lost;
		}
	}
}

static bool nmi_lines_waiting(void)
{
	int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (nmi_rings[cpu].head != nmi_rings[cpu].tail ||
		    nmi_rings[cpu].lost != nmi_rings[cpu].lost_said)
			return true;
	return false;
}

int vprintk(const char *fmt, va_list ap)
{
	char line[LINE_MAX];
	int level = printk_level(&fmt);
	bool locked, oops = oops_here();
	u32 flags;
	int n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (nmi_here() && !oops) {
		nmi_store(line, n, level);
		return n;
	}
	flags = local_irq_save();
	locked = console_lock();
	if (printk_test_crash) {
		printk_test_crash = false;
		__asm__ __volatile__("ud2");	/* the oops must still print */
	}
	write_line(line, n, level);
	/* not into this CPU's open line; an oops has more to say first */
	if (!line_open && !oops && nmi_lines_waiting())
		write_nmi_lines();
	if (locked)
		console_unlock();
	local_irq_restore(flags);
	return n;
}

void printk_flush_nmi(void)
{
	u32 flags;
	bool locked;

	if (!nmi_lines_waiting() || nmi_here())
		return;
	flags = local_irq_save();
	locked = console_lock();
	if (!line_open)
		write_nmi_lines();
	if (locked)
		console_unlock();
	local_irq_restore(flags);
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

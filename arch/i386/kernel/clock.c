/*
 * Boot clock: nanoseconds since clock_init(), never going backwards.
 * Until the CPU is known, and for good on CPUs without a TSC (486), it
 * counts the 8254 PIT channel 0 down-counter by polling (Intel 8254 data
 * sheet: 1.193182 MHz input, mode 2 "rate generator"); a gap of more than
 * one 55 ms wrap between two reads is lost, so that clock may run slow but
 * never backwards. With a TSC it switches to the TSC, calibrated against
 * PIT channel 2 over 10 ms. One lock serializes readers on all CPUs: the
 * PIT count and the last value are shared. It is held with interrupts
 * off and nothing is taken under it, so its holder waits for nothing.
 * NMI context never reads the clock (printk stamps its lines later). A
 * CPU that is already inside clock_ns() when an oops calls it again gets
 * the last value without the lock, which it holds or is about to take;
 * an oops on another CPU only tries the lock, and gets the last value if
 * it is taken: the oops path never waits for it. Documentation/nmi.md.
 */
#include <kernel/clock.h>
#include <kernel/math64.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/spinlock.h>
#include <asm/smp.h>
#include <kernel/module.h>
#include <kernel/panic.h>

#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PIT_GATE	0x61		/* port B: bit 0 gate 2, bit 5 out 2 */
#define PIT_HZ		1193182
#define PIT_NS_MULT	54925440u	/* 1e9 / PIT_HZ, << 16 */
#define CALIBRATE_MS	10

static u64 pit_ticks;
static u16 pit_last;
static u64 base_ns, tsc_base, last_ns;
static u32 tsc_mult;			/* ns per TSC tick, << 22 */
static bool use_tsc;
static DEFINE_SPINLOCK(clock_lock);
static volatile u8 in_clock[CONFIG_NR_CPUS];
static volatile u32 clock_holder;	/* CPU + 1 in the lock, or 0 */
volatile int clock_test_crash;

static u16 pit_read(void)
{
	u16 v;

	outb(0x00, PIT_MODE);		/* latch channel 0 */
	v = inb(PIT_CH0);
	v |= inb(PIT_CH0) << 8;
	return v;
}
EXPORT_SYMBOL(clock_ns);

void clock_init(void)
{
	outb(0x34, PIT_MODE);		/* ch0, lo/hi, mode 2, binary */
	outb(0, PIT_CH0);		/* reload 65536 */
	outb(0, PIT_CH0);
	pit_last = pit_read();
}

static u64 pit_ns(void)
{
	u16 now = pit_read();

	pit_ticks += (u16)(pit_last - now);
	pit_last = now;
	return mul_u64_u32_shr(pit_ticks, PIT_NS_MULT, 16);
}

/* Count TSC ticks while PIT channel 2 counts down CALIBRATE_MS. */
static u64 tsc_ticks_per_calibration(void)
{
	u16 latch = PIT_HZ / (1000 / CALIBRATE_MS);
	u64 t0, t1;
	unsigned int spins = 0;

	outb((inb(PIT_GATE) & ~0x02) | 0x01, PIT_GATE);
	outb(0xb0, PIT_MODE);		/* ch2, lo/hi, mode 0, binary */
	outb(latch & 0xff, PIT_CH2);
	outb(latch >> 8, PIT_CH2);
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20) && ++spins < 10000000)
		;
	t1 = rdtsc();
	return t1 - t0;
}

void clock_use_tsc(void)
{
	u64 ticks = tsc_ticks_per_calibration();
	u64 ns = (u64)CALIBRATE_MS * 1000000;

	if (ticks < 1000)		/* no working TSC or PIT: stay */
		return;
	/* mult = ns / ticks << 22, for TSCs from ~1 MHz to tens of GHz */
	tsc_mult = (u32)div_u64(ns << 22, (u32)(ticks > 0xffffffffull ?
					   0xffffffffu : ticks));
	base_ns = clock_ns();
	tsc_base = rdtsc();
	use_tsc = true;
}

u64 clock_ns(void)
{
	int cpu = smp_processor_id();
	u32 flags;
	u64 ns;

	if (cpu < 0 || cpu >= CONFIG_NR_CPUS)
		cpu = 0;
	if (in_clock[cpu])
		return last_ns;		/* re-entered from an oops */
	flags = local_irq_save();
	in_clock[cpu] = 1;
	__asm__ __volatile__("" : : : "memory");
	if (!oops_here())
		spin_lock(&clock_lock);
	else if (!spin_trylock(&clock_lock)) {
		ns = last_ns;		/* another CPU reads it: time stands */
		goto out;
	}
	clock_holder = cpu + 1;
	if (use_tsc)
		ns = base_ns + mul_u64_u32_shr(rdtsc() - tsc_base, tsc_mult, 22);
	else
		ns = pit_ns();
	if (ns < last_ns)
		ns = last_ns;
	if (clock_test_crash == cpu + 1) {
		clock_test_crash = 0;
		__asm__ __volatile__("ud2");	/* the oops must still print */
	}
	last_ns = ns;
	clock_holder = 0;
	spin_unlock(&clock_lock);
out:
	__asm__ __volatile__("" : : : "memory");
	in_clock[cpu] = 0;
	local_irq_restore(flags);
	return ns;
}

/*
 * A CPU that dies in an oops gives the lock back if it held it, so that
 * the other CPUs' clock_ns() does not wait for it for ever.
 */
void clock_oops_release(void)
{
	int cpu = smp_processor_id();

	if (clock_holder == (u32)cpu + 1) {
		clock_holder = 0;
		spin_unlock(&clock_lock);
	}
}

void clock_test_keep_lock(void)
{
	local_irq_disable();
	spin_lock(&clock_lock);
}

void udelay(unsigned int us)
{
	u64 end = clock_ns() + (u64)us * 1000;

	while (clock_ns() < end)
		cpu_relax();
}

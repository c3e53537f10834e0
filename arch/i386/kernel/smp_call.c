/*
 * Running a function on every online CPU: how the self-tests reach the
 * APs. An AP with nothing to do halts with interrupts on (smp_idle());
 * the caller writes the function into the AP's slot and wakes it with an
 * IPI (SMP_CALL_VECTOR; the interrupt itself only ends the hlt). Each AP
 * says it is ready, all wait for "go", so that they start together and
 * really contend, then each says it is done.
 *
 * Only plain loads and stores of words that one CPU writes and others
 * read: no lock prefix, so this works whatever variants the fixup pass
 * chose, even under fixup_test_unsafe_up. x86 keeps stores in order and
 * loads in order (SDM vol. 3A, 8.2.2), which is all it needs; the
 * smp_wmb()/smp_rmb() say where the order matters.
 *
 * The same slot stops an AP that is leaving (CPU hot-remove): it is asked
 * in its idle loop, where it holds no lock and runs no call, says it has
 * stopped and halts with interrupts off for good.
 */
#include <kernel/smpboot.h>
#include <kernel/printk.h>
#include <kernel/clock.h>
#include <asm/apic.h>
#include <asm/barrier.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <kernel/module.h>

#define READY_TIMEOUT_MS	5000
#define DONE_TIMEOUT_MS		20000

struct call_slot {
	void (*fn)(void *);
	void *arg;
	volatile u32 seq;	/* caller: call number seq is for you */
	volatile u32 ready;	/* AP: picked up call seq, waiting for go */
	volatile u32 done;	/* AP: finished call seq */
	volatile u32 stop;	/* caller: leave (smp_call_stop()) */
	volatile u32 stopped;	/* AP: halted for good */
} __aligned(64);		/* a cache line each: no false sharing */

static struct call_slot slots[CONFIG_NR_CPUS];
static volatile u32 go;		/* the call the ready CPUs may start */
static u32 last_seq;

void smp_idle(int cpu)
{
	struct call_slot *s = &slots[cpu];
	u32 seen = 0;			/* calls are numbered from 1 */

	for (;;) {
		printk_flush_nmi();	/* an NMI ends the hlt too */
		local_irq_disable();
		if (s->stop) {
			s->stopped = 1;	/* last store: nothing after it */
			halt_forever();
		}
		if (s->seq == seen) {
			safe_halt();
			continue;
		}
		seen = s->seq;
		smp_rmb();		/* fn and arg were written before seq */
		s->ready = seen;
		while ((s32)(go - seen) < 0)
			cpu_relax();
		s->fn(s->arg);
		smp_wmb();		/* fn's stores before "done" */
		s->done = seen;
	}
}

/* Wait for every CPU in *mask to be ready for (or done with) call seq. */
static void wait_all(u32 *mask, bool done, u32 seq)
{
	unsigned int ms = done ? DONE_TIMEOUT_MS : READY_TIMEOUT_MS;
	u64 end = clock_ns() + (u64)ms * 1000000;
	int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		volatile u32 *f = done ? &slots[cpu].done : &slots[cpu].ready;

		if (!(*mask & (1u << cpu)))
			continue;
		while (*f != seq && clock_ns() < end)
			cpu_relax();
		if (*f != seq) {
			pr_err("smp: CPU%d did not %s call %u in %u ms\n",
			       cpu, done ? "finish" : "pick up", seq, ms);
			*mask &= ~(1u << cpu);	/* not counted */
		}
	}
	smp_rmb();			/* their results after "done" */
}

unsigned int smp_call_all(void (*fn)(void *), void *arg)
{
	int me = smp_processor_id(), cpu;
	u32 seq = ++last_seq, mask = 0;
	unsigned int n = 1;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (cpu == me || !cpu_online(cpu))
			continue;
		slots[cpu].fn = fn;
		slots[cpu].arg = arg;
		smp_wmb();
		slots[cpu].seq = seq;
		apic_send_ipi(cpu_apic_id(cpu), SMP_CALL_VECTOR);
		mask |= 1u << cpu;
	}
	wait_all(&mask, false, seq);
	go = seq;			/* all ready: start together */
	fn(arg);
	wait_all(&mask, true, seq);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		n += !!(mask & (1u << cpu));
	return n;
}
EXPORT_SYMBOL(smp_call_all);

/* Before a CPU starts under this number: no call, no stop pending. */
void smp_call_reset(int cpu)
{
	struct call_slot *s = &slots[cpu];

	s->seq = s->ready = s->done = 0;
	s->stop = s->stopped = 0;
	smp_wmb();
}

bool smp_call_stop(int cpu)
{
	struct call_slot *s = &slots[cpu];
	u64 end = clock_ns() + (u64)READY_TIMEOUT_MS * 1000000;

	s->stop = 1;
	apic_send_ipi(cpu_apic_id(cpu), SMP_CALL_VECTOR);
	while (!s->stopped && clock_ns() < end)
		cpu_relax();
	if (s->stopped)
		return true;
	s->stop = 0;
	pr_err("smp: CPU%d did not stop in %u ms\n", cpu, READY_TIMEOUT_MS);
	return false;
}

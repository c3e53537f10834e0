/*
 * Self-tests on every online CPU, through smp_call_all(): each CPU runs
 * with its own TSS, APIC id and write-protected text; atomic_inc() loses
 * no update under contention; a spinlock keeps a shared structure
 * consistent; smp_wmb()/smp_rmb() carry a message from one CPU to another.
 * With fixup_test_unsafe_up (UP variants on several CPUs) the counter test
 * must fail and say how many updates were lost: the negative control.
 * All are SELFTEST_HOTPLUG: "selftest_on_hotplug" runs them again after
 * every CPU hot-add or hot-remove, on the CPUs then online.
 */
#include <kernel/selftest.h>
#include <kernel/smpboot.h>
#include <kernel/clock.h>
#include <kernel/printk.h>
#include <asm/atomic.h>
#include <asm/barrier.h>
#include <asm/spinlock.h>
#include <asm/apic.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/smp.h>

#define COUNTER_LOOPS	1000000	/* atomic_inc() per CPU */
#define COUNTER_ROUNDS	32	/* started together: see count_up() */
#define LOCK_LOOPS	10000	/* critical sections per CPU */
#define MSG_WORDS	16
#define MSG_ROUNDS	1000
#define SPIN_TIMEOUT_MS	5000

static enum selftest_result need_two_cpus(void)
{
	selftest_diag("%u CPU online", num_online_cpus());
	return SELFTEST_SKIP;
}

/* Spin until *p == v; false after SPIN_TIMEOUT_MS (the other CPU died). */
static bool spin_until(volatile u32 *p, u32 v)
{
	u64 end = 0;
	unsigned int n;

	for (n = 0; *p != v; n++) {
		if (n % 1024 == 0) {
			u64 now = clock_ns();

			if (!end)
				end = now + (u64)SPIN_TIMEOUT_MS * 1000000;
			else if (now > end)
				return false;
		}
		cpu_relax();
	}
	return true;
}

/* Every online CPU, and only those, runs the call once, as itself. */
static struct {
	volatile u32 ran;
	u32 apic;
	u32 cr0;
} seen[CONFIG_NR_CPUS];

static void note_cpu(void *arg)
{
	int cpu = smp_processor_id();

	seen[cpu].apic = apic_id();
	seen[cpu].cr0 = read_cr0();
	seen[cpu].ran++;
}

SELFTEST_HOTPLUG(smp_call_all_cpus)
{
	unsigned int n, bad = 0;
	int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		seen[cpu].ran = 0;
	n = smp_call_all(note_cpu, NULL);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (seen[cpu].ran != cpu_online(cpu) ||
		    (cpu_online(cpu) && lapic &&
		     seen[cpu].apic != cpu_apic_id(cpu))) {
			selftest_diag("CPU%d: ran %u times, apic %u, want %u",
				      cpu, seen[cpu].ran, seen[cpu].apic,
				      cpu_apic_id(cpu));
			bad++;
		}
	}
	if (n != num_online_cpus()) {
		selftest_diag("%u of %u CPUs ran it", n, num_online_cpus());
		bad++;
	}
	return bad ? SELFTEST_FAIL : SELFTEST_PASS;
}

/* Text, rodata and the symbol table read-only, CR0.WP on every CPU. */
SELFTEST_HOTPLUG(text_readonly)
{
	static const struct {
		const char *what;
		u32 addr;
		u32 want;
	} pages[] = {
		{ "text", (u32)(uintptr_t)_text, PTE_PRESENT },
		{ "rodata", (u32)(uintptr_t)_erodata - 1, PTE_PRESENT },
		{ "symbol table", (u32)(uintptr_t)_end - 1, PTE_PRESENT },
		{ "data", (u32)(uintptr_t)_sdata, PTE_PRESENT | PTE_RW },
		{ "freed init memory", (u32)(uintptr_t)__init_begin, 0 },
	};
	unsigned int i, bad = 0;
	int cpu;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		u32 f = page_flags(pages[i].addr) & (PTE_PRESENT | PTE_RW);

		if (f != pages[i].want) {
			selftest_diag("%s page 0x%08x: flags 0x%x, want 0x%x",
				      pages[i].what, pages[i].addr, f,
				      pages[i].want);
			bad++;
		}
	}
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		seen[cpu].ran = 0;
	smp_call_all(note_cpu, NULL);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (seen[cpu].ran && !(seen[cpu].cr0 & X86_CR0_WP)) {
			selftest_diag("CPU%d: CR0 0x%08x without WP", cpu,
				      seen[cpu].cr0);
			bad++;
		}
	}
	return bad ? SELFTEST_FAIL : SELFTEST_PASS;
}

/*
 * K atomic_inc() on one counter from every CPU: the total is exact. The
 * increments go in rounds that all CPUs start together (each says which
 * round it reached in its own word: no lock needed), so that they overlap
 * even when QEMU has more vCPUs than the host has cores, and the negative
 * control really loses updates.
 */
static struct atomic counter;
static volatile u32 round_of[CONFIG_NR_CPUS];
static u32 round_base;

/* Wait until every online CPU reached round r; false after a time-out. */
static bool all_reached(u32 r)
{
	u64 end = clock_ns() + (u64)SPIN_TIMEOUT_MS * 1000000;
	int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		while (cpu_online(cpu) && (s32)(round_of[cpu] - r) < 0) {
			if (clock_ns() > end)
				return false;
			cpu_relax();
		}
	}
	return true;
}

static void count_up(void *arg)
{
	int me = smp_processor_id();
	unsigned int r, i;

	for (r = 1; r <= COUNTER_ROUNDS; r++) {
		round_of[me] = round_base + r;
		if (!all_reached(round_base + r))
			return;
		for (i = 0; i < COUNTER_LOOPS / COUNTER_ROUNDS; i++)
			atomic_inc(&counter);
	}
}

SELFTEST_HOTPLUG(smp_atomic_counter)
{
	unsigned int n;
	u32 got, want;

	if (num_online_cpus() < 2)
		return need_two_cpus();
	atomic_set(&counter, 0);
	n = smp_call_all(count_up, NULL);
	round_base += COUNTER_ROUNDS;
	got = atomic_read(&counter);
	want = n * COUNTER_LOOPS;
	if (got != want || n != num_online_cpus()) {
		selftest_diag("lost %d of %u updates: counter %u, want %u "
			      "(%u CPUs x %u atomic_inc)", (int)(want - got),
			      want, got, want, n, COUNTER_LOOPS);
		return SELFTEST_FAIL;
	}
	selftest_diag("counter %u = %u CPUs x %u atomic_inc, none lost", got,
		      n, COUNTER_LOOPS);
	return SELFTEST_PASS;
}

/*
 * A structure whose two halves are equal outside the lock, updated in
 * turn by every CPU; a CPU that finds someone else inside, or the halves
 * different, counts it. Every fourth entry takes the lock by trylock.
 */
static struct {
	struct spinlock lock;
	volatile u32 a, b;
	volatile u32 inside;
	u32 broken;
} shared = { .lock = SPINLOCK_UNLOCKED };

static void lock_work(void *arg)
{
	unsigned int i;

	for (i = 0; i < LOCK_LOOPS; i++) {
		if (i % 4 == 3) {
			while (!spin_trylock(&shared.lock))
				cpu_relax();
		} else {
			spin_lock(&shared.lock);
		}
		if (shared.inside++ || shared.a != shared.b)
			shared.broken++;
		shared.a++;
		cpu_relax();		/* widen the window */
		shared.b++;
		shared.inside--;
		spin_unlock(&shared.lock);
	}
}

SELFTEST_HOTPLUG(smp_spinlock_contended)
{
	unsigned int n;

	if (num_online_cpus() < 2)
		return need_two_cpus();
	shared.a = shared.b = shared.inside = shared.broken = 0;
	n = smp_call_all(lock_work, NULL);
	if (shared.broken || shared.a != n * LOCK_LOOPS ||
	    shared.b != shared.a || spin_is_locked(&shared.lock)) {
		selftest_diag("%u inconsistent entries, a=%u b=%u, want %u "
			      "(%u CPUs x %u)", shared.broken, shared.a,
			      shared.b, n * LOCK_LOOPS, n, LOCK_LOOPS);
		return SELFTEST_FAIL;
	}
	selftest_diag("a=b=%u = %u CPUs x %u locked updates, consistent",
		      shared.a, n, LOCK_LOOPS);
	return SELFTEST_PASS;
}

/*
 * Message passing: the calling CPU writes a message, smp_wmb(), then its
 * number; the first other online CPU waits for the number, smp_rmb(),
 * reads the message and acknowledges it. Every word must be the new one.
 */
static struct {
	int producer, consumer;
	u32 data[MSG_WORDS];	/* plain: only the barriers order it */
	volatile u32 seq;	/* producer: message seq is in data[] */
	volatile u32 ack;	/* consumer: done reading message seq */
	u32 stale, lost;	/* consumer: old words seen; timeouts */
} msg;

static void message_work(void *arg)
{
	int me = smp_processor_id();
	u32 seq, i;

	for (seq = 1; seq <= MSG_ROUNDS; seq++) {
		if (me == msg.producer) {
			for (i = 0; i < MSG_WORDS; i++)
				msg.data[i] = seq * MSG_WORDS + i;
			smp_wmb();
			msg.seq = seq;
			if (!spin_until(&msg.ack, seq))
				return;
		} else if (me == msg.consumer) {
			if (!spin_until(&msg.seq, seq)) {
				msg.lost++;
				return;
			}
			smp_rmb();
			for (i = 0; i < MSG_WORDS; i++)
				msg.stale += msg.data[i] != seq * MSG_WORDS + i;
			smp_mb();	/* read it all before letting go */
			msg.ack = seq;
		}
	}
}

SELFTEST_HOTPLUG(smp_message_passing)
{
	int cpu;

	if (num_online_cpus() < 2)
		return need_two_cpus();
	msg.producer = smp_processor_id();
	msg.consumer = -1;
	for (cpu = 0; cpu < CONFIG_NR_CPUS && msg.consumer < 0; cpu++)
		if (cpu != msg.producer && cpu_online(cpu))
			msg.consumer = cpu;
	msg.seq = msg.ack = msg.stale = msg.lost = 0;
	smp_call_all(message_work, NULL);
	if (msg.stale || msg.lost || msg.ack != MSG_ROUNDS) {
		selftest_diag("CPU%d -> CPU%d: %u stale words, %u time-outs, "
			      "%u of %u messages", msg.producer, msg.consumer,
			      msg.stale, msg.lost, msg.ack, MSG_ROUNDS);
		return SELFTEST_FAIL;
	}
	selftest_diag("CPU%d -> CPU%d: %u of %u messages, none stale",
		      msg.producer, msg.consumer, msg.ack, MSG_ROUNDS);
	return SELFTEST_PASS;
}

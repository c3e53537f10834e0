/*
 * modtest: the test module. It has a site of every common kind a module
 * gets from the kernel's headers and from GCC (lock prefixes, barriers,
 * prefetches, a spinlock's CALL sites, copy_page()'s CALL site with its
 * MMX/SSE variants), and self-tests that run them on every CPU after the
 * kernel's own, in the same KTAP stream, and again after every CPU
 * hot-add or hot-remove under "selftest_on_hotplug" (SELFTEST_HOTPLUG:
 * the re-patch covers the module's text too). Its argument "crash" makes its
 * init oops inside the module, to show the oops naming module:symbol;
 * "write_text" makes it write to its own (read-only) text.
 */
#include <kernel/module.h>
#include <kernel/selftest.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/smpboot.h>
#include <asm/atomic.h>
#include <asm/barrier.h>
#include <asm/page.h>
#include <asm/pagecopy.h>
#include <asm/prefetch.h>
#include <asm/spinlock.h>

#define LOOPS	100000		/* per CPU */

static struct atomic counter;
static DEFINE_SPINLOCK(lock);
static u32 locked_count;		/* only under lock */
static bool init_ran;
static char init_args[32];

/* fn on every online CPU; a CONFIG_SMP=n kernel has one. */
static unsigned int on_every_cpu(void (*fn)(void *))
{
#ifdef CONFIG_SMP
	return smp_call_all(fn, NULL);
#else
	fn(NULL);
	return 1;
#endif
}

static void count_up(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < LOOPS; i++)
		atomic_inc(&counter);
}

/* LOCK sites: no update lost on any number of CPUs. */
SELFTEST_HOTPLUG(modtest_atomic)
{
	unsigned int n;

	atomic_set(&counter, 0);
	n = on_every_cpu(count_up);
	if (atomic_read(&counter) != (int)(n * LOOPS)) {
		selftest_diag("%d increments on %u CPUs, want %u",
			      atomic_read(&counter), n, n * LOOPS);
		return SELFTEST_FAIL;
	}
	return SELFTEST_PASS;
}

static void lock_up(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < LOOPS / 10; i++) {
		spin_lock(&lock);
		locked_count++;		/* a plain read-modify-write */
		spin_unlock(&lock);
	}
}

/* CALL sites of the spinlock: NOPs on one CPU, calls on several. */
SELFTEST_HOTPLUG(modtest_spinlock)
{
	unsigned int n;

	locked_count = 0;
	n = on_every_cpu(lock_up);
	if (locked_count != n * (LOOPS / 10)) {
		selftest_diag("%u critical sections on %u CPUs, want %u",
			      locked_count, n, n * (LOOPS / 10));
		return SELFTEST_FAIL;
	}
	return SELFTEST_PASS;
}

/* Barrier and prefetch sites, and copy_page()'s CALL site, run right. */
SELFTEST_HOTPLUG(modtest_barriers_copy)
{
	u8 *a = alloc_page(), *b = alloc_page();
	u32 i;
	bool ok;

	if (!a || !b) {
		selftest_diag("no page");
		return SELFTEST_FAIL;
	}
	for (i = 0; i < PAGE_SIZE; i++)
		a[i] = (u8)(i * 7 + 1);
	prefetch(a);
	prefetchw(b);
	mb();
	rmb();
	wmb();
	smp_mb();
	smp_rmb();
	smp_wmb();
	copy_page(b, a);
	ok = !memcmp(a, b, PAGE_SIZE);
	free_page(a);
	free_page(b);
	if (!ok)
		selftest_diag("copy_page() copied wrong bytes");
	return ok ? SELFTEST_PASS : SELFTEST_FAIL;
}

/*
 * The loader's promises, seen from inside: init ran first with its
 * arguments, the text is read-only, the table's page is unmapped.
 */
SELFTEST_HOTPLUG(modtest_loaded)
{
	const struct module *m = module_of((u32)(uintptr_t)count_up);
	u32 a;

	if (!init_ran || !m) {
		selftest_diag("init ran: %d, module found: %d", init_ran,
			      m != NULL);
		return SELFTEST_FAIL;
	}
	for (a = m->text_start & PAGE_MASK; a < m->text_end; a += PAGE_SIZE) {
		if (page_flags(a) & PTE_RW) {
			selftest_diag("text page 0x%08x is writable", a);
			return SELFTEST_FAIL;
		}
	}
	if (page_flags(m->base + m->size)) {
		selftest_diag("the table's page 0x%08x is still mapped",
			      m->base + m->size);
		return SELFTEST_FAIL;
	}
	selftest_diag("%s: args '%s'", m->name, init_args);
	return SELFTEST_PASS;
}

static void __attribute__((noinline)) modtest_crash(void)
{
	__asm__ __volatile__("ud2");
}

/* The module's text is read-only from before its init runs. */
static void __attribute__((noinline)) modtest_write_text(void)
{
	volatile u8 *p = (volatile u8 *)(uintptr_t)modtest_write_text;

	*p = *p;
}

static int modtest_init(const char *args)
{
	size_t n = strlen(args);

	if (n >= sizeof(init_args))
		n = sizeof(init_args) - 1;
	memcpy(init_args, args, n);
	init_ran = true;
	printk(KERN_INFO "modtest: init, args '%s'\n", init_args);
	if (!strcmp(init_args, "crash"))
		modtest_crash();
	if (!strcmp(init_args, "write_text"))
		modtest_write_text();
	return 0;
}
module_init(modtest_init);

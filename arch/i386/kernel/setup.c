/*
 * start_kernel: the boot order of Documentation/boot.md, which says why
 * each step is where it is: early console, command line, CPU
 * identification, CPU count, the fixup pass and its report, free init
 * memory, write-protect the text, start the other CPUs, then the
 * self-tests, and idle or power off.
 */
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/clock.h>
#include <kernel/params.h>
#include <kernel/panic.h>
#include <kernel/memmap.h>
#include <kernel/module.h>
#include <kernel/selftest.h>
#include <asm/fixup.h>
#include <kernel/smp.h>
#include <kernel/smpboot.h>
#include <kernel/hotplug.h>
#include <kernel/string.h>
#include <asm/multiboot.h>
#include <asm/cpu.h>
#include <asm/cpucheck.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/nmi.h>
#include <asm/spectre.h>

void traps_init_pic(void);
void traps_set_stack_bounds(u32 lo, u32 hi);

struct cpuinfo boot_cpu_data;
static char clearcpuid[64] __initdata;
static bool early_nmi_test __initdata;

/*
 * Test only: before the kernel's own GDT and IDT are set up, spend
 * EARLY_NMI_TEST_MS on head.S's early ones, so that NMIs sent meanwhile
 * show that they hold (tests/nmi.t). Read from the raw command line: the
 * parameters are parsed much later. Registered so that it is not warned
 * about as unknown.
 */
__setup_flag("nmi_test_early_idt", early_nmi_test);
#define EARLY_NMI_TEST_MS	300

static void __init early_idt_test(void)
{
	u64 end;

	printk(KERN_INFO "nmi: test: %u ms on head.S's early IDT\n",
	       EARLY_NMI_TEST_MS);
	end = clock_ns() + EARLY_NMI_TEST_MS * 1000000ull;
	while (clock_ns() < end)
		cpu_relax();
	nmi_report_early();
}

static int __init set_clearcpuid(const char *val)
{
	return param_string(val, clearcpuid, sizeof(clearcpuid));
}
__setup("clearcpuid", set_clearcpuid);

/*
 * Identify the boot CPU and mask what clearcpuid= names; an unknown name
 * is warned about and nothing is masked.
 */
static void __init setup_cpu(struct cpuinfo *c)
{
	const char *bad;
	u32 mask = 0;

	identify_cpu(c);
	if (clearcpuid[0]) {
		if (cpu_parse_feature_list(clearcpuid, &mask, &bad)) {
			pr_warn("cmdline: bad value '%s' for 'clearcpuid': "
				"unknown feature '%.*s', nothing masked\n",
				clearcpuid, (int)cpu_feature_token_len(bad),
				bad);
		} else {
			mask = cpu_apply_clearcpuid(c, mask);
			printk(KERN_INFO "cpu: clearcpuid masked 0x%x\n",
			       mask);
		}
	}
	/* MMX copies run in the kernel: an FPU with no emulation trap. */
	if (c->features & X86_FEATURE_FPU) {
		write_cr0((read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) |
			  X86_CR0_MP | X86_CR0_NE);
		__asm__ __volatile__("fninit");
	}
	if (c->features & X86_FEATURE_TSC)
		clock_use_tsc();
}

static void __init setup_memory(u32 top, const struct multiboot_info *mbi)
{
	u32 free_start, lo, hi;
	unsigned int i;

	/* The early allocator starts past the image and the modules. */
	mm_init(top, memmap_table_top,
		module_reserve(mbi, (u32)(uintptr_t)_end, top));
	traps_set_stack_bounds(PAGE_SIZE, top);
	page_alloc_init(top);
	free_start = boot_alloc_end();
	for (i = 0; i < nr_ram_regions; i++) {
		lo = ram_regions[i].start;
		hi = ram_regions[i].end;
		if (lo < free_start)
			lo = free_start;
		if (lo < hi)
			free_pages_range(lo, hi);
	}
	printk(KERN_INFO "mm: %u pages free\n", nr_free_pages());
}

/*
 * Not __init: it frees the init region it was called from, and goes on
 * to the end of boot without returning there.
 */
static void __attribute__((noinline)) __noreturn rest_init(unsigned int ncpus)
{
	int failed = 0;

	free_initmem();
	mark_text_ro();
	smp_boot_cpus(ncpus);
	hotplug_init();

#ifdef CONFIG_SELFTESTS
	if (selftests_requested)
		failed = run_selftests();
	run_crash_test();
#endif
	nmi_test_lock_order();
	nmi_report_counts();
	if (poweroff_requested)
		machine_power_off(failed ? POWER_OFF_FAIL : POWER_OFF_OK);
	printk(KERN_INFO "idle: boot complete, CPU 0 idle\n");
	for (;;) {
		/* CPUs arriving and leaving; selftest_on_hotplug re-tests. */
		printk_flush_nmi();
		if (hotplug_idle())
			selftest_after_hotplug();
	}
}

void __init __noreturn start_kernel(u32 magic, struct multiboot_info *mbi)
{
	const char *reason;
	unsigned int ncpus;
	u32 top;

	serial_init();
#ifdef CONFIG_VGA_CONSOLE
	vga_init();
#endif
	clock_init();
	if (magic == MULTIBOOT_BOOTLOADER_MAGIC &&
	    cmdline_has_word(mbi, "nmi_test_early_idt"))
		early_idt_test();
	gdt_init();
	idt_init();
	cpu_load_descriptors(0);
	traps_init_pic();

	printk(KERN_INFO "fixup386: generic i386 kernel, built for %s, "
	       "%s, up to %d CPU%s\n", CONFIG_MARCH,
#ifdef CONFIG_SMP
	       "SMP",
#else
	       "UP",
#endif
	       CONFIG_NR_CPUS, CONFIG_NR_CPUS == 1 ? "" : "s");
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("boot: not started by a Multiboot loader (magic 0x%08x)",
		      magic);
	parse_boot_command_line(mbi->flags & MB_INFO_CMDLINE ?
				(const char *)(uintptr_t)mbi->cmdline : NULL);
	setup_cpu(&boot_cpu_data);
	top = memmap_init(mbi);
	ncpus = smp_count_cpus(memmap_phys_top, &reason);	/* paging off */

	spectre_v2_select(&boot_cpu_data);
	fixup_boot(&boot_cpu_data, ncpus, smp_possible_cpus(), reason);

	setup_memory(top, mbi);
	apic_init(smp_census.lapic_phys);
	load_boot_modules();
	/* init code: it says what goes before rest_init() frees it */
	fixup_report_freed();
	rest_init(ncpus);
}

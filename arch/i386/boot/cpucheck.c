/*
 * The first C code to run: does this CPU have what the kernel was built
 * for? GCC may put a cmov into any function it compiles for a Pentium II
 * or later, so a kernel built for a Pentium III would die on a Pentium
 * before printing anything. This file, and everything it calls (the CPU
 * identification, the serial console, the string functions), is built
 * for the 486 whatever CONFIG_MARCH says (baseline-objs in the Makefile),
 * and head.S calls check_cpu() before start_kernel(). Linux checks the
 * same way before it runs anything built for the chosen CPU
 * (arch/x86/boot/cpu.c: "This kernel requires the following features
 * not present on the CPU").
 */
#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/console.h>
#include <kernel/panic.h>
#include <kernel/string.h>
#include <asm/cpu.h>
#include <asm/cpucheck.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <generated/required-features.h>

bool __init cmdline_has_word(const struct multiboot_info *mbi, const char *w)
{
	const char *s = mbi->flags & MB_INFO_CMDLINE ?
			(const char *)(uintptr_t)mbi->cmdline : NULL;
	size_t n = strlen(w);

	for (; s && *s; s++) {
		if ((s == (const char *)(uintptr_t)mbi->cmdline ||
		     s[-1] == ' ') && !strncmp(s, w, n) &&
		    (s[n] == ' ' || s[n] == '\0'))
			return true;
	}
	return false;
}

static void __init say(const char *s)
{
	serial_write(s, strlen(s));
#ifdef CONFIG_VGA_CONSOLE
	vga_write(s, strlen(s));
#endif
}

void __init check_cpu(u32 magic, const struct multiboot_info *mbi)
{
	struct cpuinfo c;
	char lacks[128];
	u32 missing;

	identify_cpu(&c);
	missing = CPU_REQUIRED_FEATURES & ~c.features;
	if (!missing)
		return;

	serial_init();
#ifdef CONFIG_VGA_CONSOLE
	vga_init();
#endif
	cpu_format_features(missing, lacks, sizeof(lacks));
	say("cpu: this CPU lacks ");
	say(lacks);
	say(", which this kernel, built for " CONFIG_MARCH ", requires; "
	    "halting\n");
	/* Under "poweroff" (a test, or make run), end QEMU with failure. */
	if (magic == MULTIBOOT_BOOTLOADER_MAGIC &&
	    cmdline_has_word(mbi, "poweroff"))
		outl(POWER_OFF_FAIL, DEBUG_EXIT_PORT);
	halt_forever();
}

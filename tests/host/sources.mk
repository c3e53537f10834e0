# Host unit tests: tests/host/NAME.c is built into build/host/NAME with the
# kernel sources listed in NAME-srcs, compiled with -DHOST_TEST -Iinclude.
test_fixup-srcs := arch/i386/fixup/patcher.c arch/i386/fixup/nops.c
test_repatch-srcs := arch/i386/fixup/patcher.c arch/i386/fixup/nops.c \
	arch/i386/fixup/kept.c
test_vsprintf-srcs := arch/i386/lib/vsprintf.c
test_cmdline-srcs := arch/i386/kernel/cmdline.c arch/i386/lib/vsprintf.c \
	arch/i386/kernel/spectre.c
test_kallsyms-srcs := arch/i386/kernel/kallsyms.c
test_cpu-srcs := arch/i386/kernel/cpu.c
test_mpparse-srcs := arch/i386/kernel/mpparse.c arch/i386/kernel/acpi.c
test_spectre-srcs := arch/i386/kernel/spectre.c arch/i386/kernel/cmdline.c \
	arch/i386/lib/vsprintf.c

# libFuzzer targets: tests/fuzz/NAME.c is built into build/fuzz/NAME with
# the kernel sources listed in NAME-srcs, compiled with -DHOST_TEST
# -Iinclude by clang. tests/fuzz/corpus/NAME/ holds its seed inputs.
fuzz_patcher-srcs := arch/i386/fixup/patcher.c arch/i386/fixup/nops.c
fuzz_cmdline-srcs := arch/i386/kernel/cmdline.c arch/i386/kernel/cpu.c \
	arch/i386/lib/vsprintf.c
fuzz_mpparse-srcs := arch/i386/kernel/mpparse.c arch/i386/kernel/acpi.c
fuzz_vsprintf-srcs := arch/i386/lib/vsprintf.c

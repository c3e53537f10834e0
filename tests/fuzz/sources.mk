# libFuzzer targets: tests/fuzz/NAME.c is built into build/fuzz/NAME with
# the kernel sources listed in NAME-srcs, compiled with -DHOST_TEST
# -Iinclude by clang, and NAME-cflags if set. tests/fuzz/corpus/NAME/
# holds its seed inputs.
fuzz_patcher-srcs := arch/i386/fixup/patcher.c arch/i386/fixup/nops.c \
	arch/i386/fixup/kept.c
fuzz_cmdline-srcs := arch/i386/kernel/cmdline.c arch/i386/kernel/cpu.c \
	arch/i386/kernel/spectre.c \
	arch/i386/lib/vsprintf.c
fuzz_mpparse-srcs := arch/i386/kernel/mpparse.c arch/i386/kernel/acpi.c
# The BIOS-area searches compare at every paragraph: traced, they took
# most of a run (fuzz_mpparse.c, fuzz_memcmp).
fuzz_mpparse-cflags := -fno-sanitize-coverage=trace-cmp -Dmemcmp=fuzz_memcmp
fuzz_vsprintf-srcs := arch/i386/lib/vsprintf.c
fuzz_modload-srcs := arch/i386/kernel/modload.c arch/i386/lib/vsprintf.c

# fixup386: one generic i386 kernel, patched at boot for the CPU it finds.
#
# Kbuild-style top-level Makefile: quiet by default, V=1 shows every
# command. "make help" lists the targets.

MAKEFLAGS += -rR --no-print-directory

ifeq ($(V),1)
  Q :=
  say := @true
else
  Q := @
  say := @printf '  %-7s %s\n'
endif

CC	:= gcc
LD	:= ld
NM	:= nm
OBJCOPY	:= objcopy
PERL	:= perl
HOSTCC	:= gcc

KCONFIG_CONF	:= kconfig-conf
KCONFIG_MCONF	:= kconfig-mconf
export KCONFIG_CONFIG := .config
export KCONFIG_AUTOCONFIG := include/config/auto.conf
export KCONFIG_AUTOHEADER := include/generated/autoconf.h

# Targets that need no configuration.
no-config-targets := help clean mrproper distclean defconfig menuconfig \
	olddefconfig oldconfig randconfig allnoconfig allyesconfig \
	savedefconfig %_defconfig tools fuzz fuzz-build coverage

ifeq ($(filter-out $(no-config-targets),$(or $(MAKECMDGOALS),all)),)
  need-config :=
else
  need-config := y
endif

ifdef need-config
-include include/config/auto.conf
endif

# ---------------------------------------------------------------------------
# Compiler flags

march := $(patsubst "%",%,$(or $(CONFIG_MARCH),"i486"))

KBUILD_CFLAGS := -m32 -march=$(march) -std=gnu11 -O2 -pipe \
	-ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-common \
	-mno-sse -mno-mmx -mno-3dnow -mno-80387 -mgeneral-regs-only \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -include $(KCONFIG_AUTOHEADER)
ifdef CONFIG_DEBUG_INFO
KBUILD_CFLAGS += -g
endif
# Spectre v2 (Documentation/spectre.md): indirect branches and returns
# through the thunks of arch/i386/lib/retpoline.S, in modules too. No
# jump tables, as in Linux: a switch would be one more indirect jump.
RETPOLINE_CFLAGS := -mindirect-branch=thunk-extern \
	-mindirect-branch-register -fno-jump-tables
RETHUNK_CFLAGS := -mfunction-return=thunk-extern
ifdef CONFIG_RETPOLINE
KBUILD_CFLAGS += $(RETPOLINE_CFLAGS)
endif
ifdef CONFIG_RETHUNK
KBUILD_CFLAGS += $(RETHUNK_CFLAGS)
endif
ifdef CONFIG_FRAME_POINTER
KBUILD_CFLAGS += -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
endif
KBUILD_AFLAGS := -m32 -D__ASSEMBLER__ -Iinclude -include $(KCONFIG_AUTOHEADER)
KBUILD_LDFLAGS := -m elf_i386 -nostdlib -z max-page-size=4096 \
	-z noexecstack --no-warn-rwx-segments

# ---------------------------------------------------------------------------
# Objects: each directory's Kbuild file lists its obj-y.

kbuild-dirs := arch/i386/boot arch/i386/kernel arch/i386/mm arch/i386/lib \
	arch/i386/fixup

objs :=
define collect-objs
obj-y :=
include $(1)/Kbuild
objs += $$(addprefix $(1)/,$$(obj-y))
endef
ifdef need-config
$(foreach d,$(kbuild-dirs),$(eval $(call collect-objs,$(d))))
endif

# ---------------------------------------------------------------------------
# Default target

PHONY := all
all: vmlinux $(if $(CONFIG_MODULES),modules)

# ---------------------------------------------------------------------------
# Configuration

PHONY += defconfig menuconfig olddefconfig oldconfig randconfig \
	allnoconfig allyesconfig savedefconfig
defconfig: tools-kconfig
	$(say) CONF "$@ (arch/i386/configs/defconfig)"
	$(Q)$(KCONFIG_CONF) -s --defconfig=arch/i386/configs/defconfig Kconfig

%_defconfig: tools-kconfig
	$(say) CONF "$@"
	$(Q)test -f arch/i386/configs/$@ || \
		{ echo "make: no arch/i386/configs/$@" >&2; exit 1; }
	$(Q)$(KCONFIG_CONF) -s --defconfig=arch/i386/configs/$@ Kconfig

menuconfig: tools-kconfig
	$(Q)$(KCONFIG_MCONF) Kconfig

olddefconfig oldconfig randconfig allnoconfig allyesconfig: tools-kconfig
	$(say) CONF $@
	$(Q)$(KCONFIG_CONF) -s --$@ Kconfig

savedefconfig: tools-kconfig
	$(say) CONF "$@ (defconfig)"
	$(Q)$(KCONFIG_CONF) --savedefconfig=defconfig Kconfig

# Building without a .config starts from the generic defconfig.
.config:
	$(Q)$(MAKE) defconfig

include/config/auto.conf $(KCONFIG_AUTOHEADER): .config Kconfig | tools-kconfig
	$(say) CONF include/generated/autoconf.h
	$(Q)mkdir -p include/config include/generated
	$(Q)if [ ! -t 0 ]; then \
		new=$$($(KCONFIG_CONF) --listnewconfig Kconfig | grep '^CONFIG_'); \
		if [ -n "$$new" ]; then \
			echo "  CONF    new options, no terminal to ask: defaults for" $$new; \
			$(KCONFIG_CONF) -s --olddefconfig Kconfig; \
		fi; \
	fi
	$(Q)$(KCONFIG_CONF) -s --silentoldconfig Kconfig

# ---------------------------------------------------------------------------
# Compiling. With CONFIG_FIXUP_ASM_PASS each C file goes through the asm
# pass: C -> .s (GCC) -> .fx.s (scripts/fixup-sites.pl) -> .o (gas).

# Objects are rebuilt when the flags change, not only the sources.
flags-stamp := include/generated/build-flags
$(flags-stamp): $(KCONFIG_AUTOHEADER) FORCE
	$(Q)mkdir -p $(@D)
	$(Q)echo '$(KBUILD_CFLAGS) | $(KBUILD_AFLAGS)' | cmp -s - $@ || \
		echo '$(KBUILD_CFLAGS) | $(KBUILD_AFLAGS)' > $@

c_flags = $(KBUILD_CFLAGS) $(MODULE_CFLAGS) $(CFLAGS_$(notdir $@)) \
	$(if $(filter $@,$(baseline-objs)),-march=i486) \
	-MD -MP -MT $@ -MF $(@D)/.$(@F).d

# What runs before the CPU check, and what it calls, is built for the 486
# whatever CONFIG_MARCH says: on a CPU older than the kernel's it must
# still run to say so (arch/i386/boot/cpucheck.c). With CONFIG_RETPOLINE
# that includes the thunks, hand-written for any CPU (their lfence only
# ever runs speculatively: Documentation/spectre.md).
baseline-objs := arch/i386/boot/cpucheck.o arch/i386/kernel/cpu.o \
	arch/i386/kernel/serial.o arch/i386/kernel/vga.o arch/i386/lib/string.o \
	arch/i386/lib/retpoline.o

# The features the check requires: what -march lets the code use, as
# fixup-verify's baseline check knows it (scripts/lib/Fixup/Baseline.pm).
required-features := include/generated/required-features.h
$(required-features): $(KCONFIG_AUTOHEADER) scripts/required-features \
		scripts/lib/Fixup/Baseline.pm include/asm/cpufeature.h
	$(say) GEN $@
	$(Q)$(PERL) scripts/required-features --march $(march) -o $@
arch/i386/boot/cpucheck.o: $(required-features)

# The pass takes its kind numbers from the catalogue.
fixup-pass-deps := include/asm/fixup-kinds.h scripts/lib/Fixup/Catalogue.pm \
	scripts/lib/Fixup/Insn.pm scripts/lib/Fixup/Cli.pm scripts/lib/Fixup/Flags.pm \
	scripts/lib/Fixup/Thunks.pm

ifdef CONFIG_FIXUP_ASM_PASS
%.o: %.c $(flags-stamp) scripts/fixup-sites.pl $(fixup-pass-deps)
	$(say) CC $@
	$(Q)$(CC) $(c_flags) -S -o $(@:.o=.s) $<
	$(say) FIXUP $(@:.o=.fx.s)
	$(Q)$(PERL) scripts/fixup-sites.pl $(if $(CONFIG_SMP),,--up) \
		-o $(@:.o=.fx.s) $(@:.o=.s)
	$(say) AS $@
	$(Q)$(CC) $(KBUILD_AFLAGS) -c -o $@ $(@:.o=.fx.s)
else
%.o: %.c $(flags-stamp)
	$(say) CC $@
	$(Q)$(CC) $(c_flags) -c -o $@ $<
endif

%.o: %.S $(flags-stamp)
	$(say) AS $@
	$(Q)$(CC) $(KBUILD_AFLAGS) -MD -MP -MF $(@D)/.$(@F).d -c -o $@ $<

# ---------------------------------------------------------------------------
# Linking: two passes for the symbol table (scripts/link-vmlinux.sh), then
# the image check.

vmlinux: $(objs) ldscripts/vmlinux.lds scripts/link-vmlinux.sh \
		scripts/nmi-section-check scripts/lifetime-check \
		scripts/kallsyms.pl
	$(Q)LD="$(LD)" NM="$(NM)" CC="$(CC)" PERL="$(PERL)" Q="$(Q)" \
	    OBJCOPY="$(OBJCOPY)" \
	    LDFLAGS="$(KBUILD_LDFLAGS)" AFLAGS="$(KBUILD_AFLAGS)" \
	    sh scripts/link-vmlinux.sh $@ $(objs)
ifdef CONFIG_FIXUP
	$(say) VERIFY $@
	$(Q)$(PERL) scripts/fixup-verify $@
endif

# ---------------------------------------------------------------------------
# Modules: modules/NAME.c -> modules/NAME.ko, an ELF32 relocatable file
# compiled as the kernel is (flags, macros, asm pass) with -DMODULE, its
# sections merged by modules/module.lds, checked by fixup-verify.

module-names := $(patsubst modules/%.c,%,$(wildcard modules/*.c))
module-kos := $(addprefix modules/,$(addsuffix .ko,$(module-names)))
# Not in KBUILD_CFLAGS: a target's variables reach its prerequisites,
# and the flags stamp that every kernel object depends on is one of them.
$(module-kos:.ko=.o): MODULE_CFLAGS := -DMODULE

modules/%.ko: modules/%.o modules/module.lds scripts/lifetime-check
	$(say) LD $@
	$(Q)$(LD) -m elf_i386 -r --strip-debug -T modules/module.lds -o $@ $<
	$(say) LIFECHK $@
	$(Q)$(PERL) scripts/lifetime-check --quiet $@ || { rm -f $@; exit 1; }
ifdef CONFIG_FIXUP
	$(say) VERIFY $@
	$(Q)$(PERL) scripts/fixup-verify --march $(march) $@ || \
		{ rm -f $@; exit 1; }
endif

PHONY += modules
ifdef CONFIG_MODULES
modules: $(module-kos)
else
modules:
	@echo 'make: CONFIG_MODULES is off: no modules to build' >&2; exit 1
endif

# ---------------------------------------------------------------------------
# Host unit tests: tests/host/NAME.c + $(NAME-srcs) -> build/host/NAME

include tests/host/sources.mk
host-tests := $(patsubst tests/host/%.c,build/host/%,\
	$(wildcard tests/host/test_*.c))
HOST_CFLAGS := -O1 -g -Wall -Wextra -Werror -DHOST_TEST -DCONFIG_SMP=1 \
	-DCONFIG_NR_CPUS=8 -Iinclude -fsanitize=address,undefined \
	-fno-sanitize-recover=all

.SECONDEXPANSION:
build/host/%: tests/host/%.c $$($$*-srcs) tests/host/tap.h \
		$$(wildcard include/*/*.h)
	$(say) HOSTCC $@
	$(Q)mkdir -p build/host
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $($*-srcs)

PHONY += host-tests
host-tests: $(host-tests)

# ---------------------------------------------------------------------------
# Fuzzing with clang's libFuzzer: tests/fuzz/NAME.c + $(NAME-srcs) ->
# build/fuzz/NAME, run for $(FUZZ_TIME) seconds each by "make fuzz".

include tests/fuzz/sources.mk
fuzz-targets := $(patsubst tests/fuzz/%.c,build/fuzz/%,\
	$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CC := clang
FUZZ_CFLAGS := -g -O1 -Wall -Wextra -Werror -DHOST_TEST -DCONFIG_SMP=1 \
	-DCONFIG_NR_CPUS=8 -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TIME ?= 60

build/fuzz/%: tests/fuzz/%.c $$($$*-srcs) $$(wildcard include/*/*.h) \
		arch/i386/fixup/internal.h
	$(say) FUZZCC $@
	$(Q)mkdir -p build/fuzz
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $($*-cflags) -o $@ $< $($*-srcs)

PHONY += fuzz fuzz-build
fuzz-build: $(fuzz-targets)

fuzz: $(fuzz-targets)
	$(Q)for t in $(notdir $(fuzz-targets)); do \
		scripts/run-fuzz $$t $(FUZZ_TIME) || exit 1; \
	done

# ---------------------------------------------------------------------------
# Line coverage of the patcher by its host tests (gcc --coverage, gcov).

cov-srcs := $(test_fixup-srcs)

PHONY += coverage
coverage: tests/host/test_fixup.c $(cov-srcs) tests/host/tap.h
	$(say) HOSTCC build/coverage/test_fixup
	$(Q)rm -rf build/coverage && mkdir -p build/coverage
	$(Q)$(HOSTCC) $(filter-out -fsanitize=%,$(HOST_CFLAGS)) -O0 \
		--coverage -o build/coverage/test_fixup \
		tests/host/test_fixup.c $(cov-srcs)
	$(say) RUN build/coverage/test_fixup
	$(Q)build/coverage/test_fixup >build/coverage/test_fixup.tap || \
		{ grep -v '^ok' build/coverage/test_fixup.tap; exit 1; }
	$(say) GCOV "$(cov-srcs)"
	$(Q)$(PERL) scripts/coverage-report build/coverage $(cov-srcs)

# ---------------------------------------------------------------------------
# Running and testing

PHONY += run check tools tools-kconfig
# With room for CPUs to hot-add (SMP=1,maxcpus=4) the kernel stays up by
# default, waiting for them; otherwise it powers off after booting.
# MODULES="modules/modtest.ko args,modules/b.ko": Multiboot modules, as
# QEMU's -initrd takes them.
run-append = $(or $(APPEND),$(if $(findstring maxcpus=,$(SMP)),,poweroff))

run: tools vmlinux $(if $(MODULES),modules)
	$(Q)scripts/run-qemu --cpu $(or $(CPU),Conroe) --smp $(or $(SMP),2) \
		--monitor stdio --append "$(run-append)" \
		$(if $(MODULES),--qemu-arg -initrd --qemu-arg "$(MODULES)") \
		vmlinux

# The proof's three files first: they are the longest (two cores, the
# other tests share them once one of them is done).
slow-tests := tests/prove.t tests/prove-loop.t tests/prove-breaks.t

check: tools vmlinux host-tests $(if $(CONFIG_MODULES),modules)
	$(Q)prove $(if $(V),-v) -j2 $(slow-tests) \
		$(filter-out $(slow-tests),$(sort $(wildcard tests/*.t)))

# Frama-C over the patcher (scripts/proof, Documentation/proof.md):
# PARTS="eva-walk" runs named parts, among them those not yet proved.
PHONY += prove
prove: tools
	$(Q)$(PERL) scripts/proof $(if $(filter 1,$(V)),-v) $(PARTS)

PHONY += bench
bench: tools vmlinux
	$(Q)$(PERL) bench/run-bench $(if $(filter 1,$(V)),-v)

# The flags of this configuration, one "NAME=value" line each, for tools
# that compile the kernel's sources outside the build (bench/run-bench).
PHONY += print-cflags
print-cflags: $(KCONFIG_AUTOHEADER)
	@printf '%s\n' 'KBUILD_CFLAGS=$(KBUILD_CFLAGS)' \
		'KBUILD_AFLAGS=$(KBUILD_AFLAGS)' \
		'RETPOLINE_CFLAGS=$(RETPOLINE_CFLAGS)' \
		'RETHUNK_CFLAGS=$(RETHUNK_CFLAGS)'

# A bootable CD image: GRUB 2 loads vmlinux with its multiboot command,
# APPEND= its command line, MODULES= (as for run) one module line each.
PHONY += iso
iso: tools vmlinux $(if $(MODULES),modules)
	$(say) ISO build/fixup386.iso
	$(Q)$(PERL) scripts/iso-tree --append "$(APPEND)" \
		--modules "$(MODULES)" build/iso
	$(Q)grub-mkrescue -o build/fixup386.iso build/iso >build/iso.log 2>&1 \
		|| { cat build/iso.log; exit 1; }

tools:
	$(Q)scripts/ensure-tools

tools-kconfig:
	$(Q)command -v $(KCONFIG_CONF) >/dev/null 2>&1 || scripts/ensure-tools

# ---------------------------------------------------------------------------
# Cleaning

PHONY += clean mrproper distclean
clean:
	$(say) CLEAN .
	$(Q)find arch modules -name '*.o' -o -name '*.s' -o -name '*.fx.s' \
		-o -name '.*.d' -o -name '*.ko' \
		| xargs rm -f
	$(Q)rm -rf build vmlinux vmlinux.map .tmp_* System.map bench-results.csv

mrproper distclean: clean
	$(say) CLEAN "configuration"
	$(Q)rm -rf .config .config.old include/config include/generated

# ---------------------------------------------------------------------------

other-defconfigs = $(notdir $(wildcard arch/i386/configs/*_defconfig))

PHONY += help
help:
	@echo 'fixup386 -- a generic i386 kernel patched at boot for its CPU'
	@echo ''
	@echo 'Start here:'
	@echo '  run             - build the kernel if needed, boot it in QEMU, show the log'
	@echo '                    CPU=model (Conroe) SMP=n (2) APPEND="args" (poweroff:'
	@echo '                    without it the kernel idles; Ctrl-A x quits);'
	@echo '                    SMP=1,maxcpus=4: room for 3 CPUs to hot-add, and no'
	@echo '                    poweroff unless APPEND says so. The QEMU monitor shares'
	@echo '                    the terminal: Ctrl-A c switches to it and back'
	@echo '                    (device_add, device_del, info cpus), Ctrl-A x quits'
	@echo '                    MODULES="modules/modtest.ko [args],...": boot modules'
	@echo '  check           - build everything and run all tests (prove tests/)'
	@echo '  bench           - the generic kernel against kernels built for this machine:'
	@echo '                    runtime, the pass, memory (table + bench-results.csv)'
	@echo '  fuzz            - run each libFuzzer target (tests/fuzz/) for FUZZ_TIME=s (60);'
	@echo '                    corpus in build/fuzz/corpus-NAME, findings in build/fuzz/'
	@echo '  coverage        - line coverage of the patcher by tests/host/test_fixup.c'
	@echo '                    (gcc --coverage, gcov), naming every line not run'
	@echo '  prove           - Frama-C (Eva, WP with Z3 and CVC4) over the patcher:'
	@echo '                    goals proved per function (Documentation/proof.md);'
	@echo '                    PARTS="name ...": only those (scripts/proof --list)'
	@echo ''
	@echo 'Configuration (kconfig-frontends):'
	@echo '  defconfig       - the generic distribution kernel (arch/i386/configs/defconfig)'
	$(if $(other-defconfigs),@echo '  NAME_defconfig  - another config from arch/i386/configs/:' \
		'$(other-defconfigs)')
	@echo '  menuconfig      - change options in a menu'
	@echo '  olddefconfig    - update .config, new options at their defaults'
	@echo '  randconfig      - a random configuration'
	@echo '  savedefconfig   - write a minimal ./defconfig'
	@echo ''
	@echo 'Building:'
	@echo '  all             - vmlinux, and the modules with CONFIG_MODULES (the default)'
	@echo '  vmlinux         - the Multiboot ELF32 kernel image'
	@echo '  host-tests      - the host unit tests under build/host/'
	@echo '  fuzz-build      - the libFuzzer targets under build/fuzz/ (clang)'
	@echo '  modules         - modules/NAME.ko from modules/NAME.c (CONFIG_MODULES)'
	@echo '  iso             - build/fixup386.iso, booting vmlinux with GRUB'
	@echo '                    APPEND="args": its kernel command line (none);'
	@echo '                    MODULES= as for run; boot it with'
	@echo '                    qemu-system-i386 -cdrom build/fixup386.iso (README.md)'
	@echo '  print-cflags    - print KBUILD_CFLAGS, KBUILD_AFLAGS and the thunk flags of this configuration'
	@echo '  tools           - check for (as root: install) QEMU, GRUB, kconfig, clang'
	@echo '                    and what else the build and tests use (scripts/ensure-tools)'
	@echo ''
	@echo 'Cleaning:'
	@echo '  clean           - remove built files, keep the configuration'
	@echo '  mrproper        - clean and remove the configuration'
	@echo ''
	@echo 'Options:'
	@echo '  V=1             - show full commands'
	@echo '  -jN             - build in parallel'

PHONY += FORCE
FORCE:

.PHONY: $(PHONY)

-include $(wildcard $(addsuffix /.*.d,$(kbuild-dirs) modules))

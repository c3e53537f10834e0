#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# link-vmlinux.sh OUTPUT OBJECTS...
#
# Links the kernel in two passes, as Linux does for kallsyms: the first
# with an empty symbol table, the second with the table made from the
# first. The table lies after all text, so text addresses do not move
# between the passes; the script checks that and fails if they did.
# Then scripts/nmi-section-check: what an NMI runs while the text is
# written holds no site and calls nothing outside .text.nmi; if not, no
# vmlinux. The second pass keeps its relocations (--emit-relocs) for
# scripts/lifetime-check: nothing that stays after boot may refer to what
# is freed; if it does, no vmlinux. Then they are stripped, as Linux's
# arch/x86/Makefile.postlink strips its own. Also writes System.map and
# the linker's map, vmlinux.map. Called by the Makefile with LD, NM, CC,
# OBJCOPY, PERL, LDFLAGS, AFLAGS and Q (empty for V=1) in the environment.

set -e
out=$1
shift

say() {
	if [ -n "$Q" ]; then
		printf '  %-7s %s\n' "$1" "$2"
	fi
}
run() {
	if [ -z "$Q" ]; then
		echo "$@"
	fi
	"$@"
}

kallsyms() {		# kallsyms.S from an image, or empty
	if [ -n "$1" ]; then
		$NM -n -S --defined-only "$1"
	fi | $PERL scripts/kallsyms.pl > "$2"
	run $CC $AFLAGS -c -o "${2%.S}.o" "$2"
}

say KSYM .tmp_kallsyms0.o
kallsyms "" .tmp_kallsyms0.S
say LD .tmp_vmlinux1
run $LD $LDFLAGS -T ldscripts/vmlinux.lds -o .tmp_vmlinux1 "$@" .tmp_kallsyms0.o

say KSYM .tmp_kallsyms1.o
kallsyms .tmp_vmlinux1 .tmp_kallsyms1.S
say LD .tmp_vmlinux2
run $LD $LDFLAGS -T ldscripts/vmlinux.lds -Map=.tmp_vmlinux2.map \
	--emit-relocs -o .tmp_vmlinux2 "$@" .tmp_kallsyms1.o

kallsyms .tmp_vmlinux2 .tmp_kallsyms2.S
if ! cmp -s .tmp_kallsyms1.S .tmp_kallsyms2.S; then
	echo "link-vmlinux.sh: text moved between the kallsyms passes" >&2
	exit 1
fi

say NMICHK "$out"
$PERL scripts/nmi-section-check --nm "$NM" --quiet .tmp_vmlinux2
say LIFECHK "$out"
$PERL scripts/lifetime-check --quiet .tmp_vmlinux2
run $OBJCOPY --remove-relocations='*' .tmp_vmlinux2

say LD "$out"
mv .tmp_vmlinux2 "$out"
mv .tmp_vmlinux2.map "$out.map"
$NM -n "$out" > System.map

package Bench::Build;
# Building the copies: the kernel's sources compiled as the kernel
# compiles them (its flags, its asm pass), as i386 code or as x86-64 code
# with the same bytes at every site (to64()), linked into one
# relocatable object per build and renamed per copy.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use File::Path qw(make_path);
use Bench::Util qw(slurp spew);

# The kernel's flags, as the Makefile has them for this configuration
# ("make -s print-cflags"), with what the bench changes, all here:
#   -m32, -march=...  dropped: every build sets its own (Bench::Host)
#   -include FILE     dropped: every build gives its configuration as -D
#   -fcf-protection=none  added (C only): no endbr in the copies, whatever
#                     the host compiler's default
my @drop = (qr/^-m(32|64)$/, qr/^-march=/);
my @add_c = qw(-fcf-protection=none);

sub make_flags {
	my ($bench) = @_;
	return $bench->{kflags} if $bench->{kflags};
	# A make of its own, not a part of the one that runs "make bench".
	local @ENV{qw(MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES)};
	delete @ENV{qw(MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES)};
	my $out = qx{make -s print-cflags 2>&1};
	die "run-bench: make print-cflags failed:\n$out" if $?;
	my %f;
	for (split /\n/, $out) {
		$f{$1} = [split ' ', $2]
			if /^(KBUILD_[AC]FLAGS|RET(?:POLINE|HUNK)_CFLAGS)=(.*)$/;
	}
	die "run-bench: make print-cflags printed no flags:\n$out"
		unless $f{KBUILD_CFLAGS} && $f{KBUILD_AFLAGS};
	# The thunk flags only for the generic i386 build (thunk_cflags()).
	my %thunk = map { $_ => 1 } @{$f{RETPOLINE_CFLAGS} // []},
		@{$f{RETHUNK_CFLAGS} // []};
	$f{KBUILD_CFLAGS} = [grep { !$thunk{$_} } @{$f{KBUILD_CFLAGS}}];
	for my $k (qw(KBUILD_CFLAGS KBUILD_AFLAGS)) {
		my @kept;
		my @in = @{$f{$k}};
		while (@in) {
			my $x = shift @in;
			if ($x eq '-include') {
				shift @in;
				next;
			}
			push @kept, $x unless grep { $x =~ $_ } @drop;
		}
		$f{$k} = \@kept;
	}
	push @{$f{KBUILD_CFLAGS}}, @add_c;
	return $bench->{kflags} = \%f;
}

# The flags for C (without -march) and for .S files (without -m32).
sub kernel_cflags { return @{make_flags($_[0])->{KBUILD_CFLAGS}} }
sub kernel_aflags { return @{make_flags($_[0])->{KBUILD_AFLAGS}} }

# GCC's flags for a kernel built with CONFIG_RETPOLINE and CONFIG_RETHUNK.
sub thunk_cflags {
	my $f = make_flags($_[0]);
	return @{$f->{RETPOLINE_CFLAGS} // []}, @{$f->{RETHUNK_CFLAGS} // []};
}

# Loops start on the same boundary in every variant.
my @align = qw(-falign-functions=64);

# The kernel sources a host test takes (-DHOST_TEST): the list NAME-srcs
# of tests/host/sources.mk, with its continuation lines. The patcher's
# are test_fixup's, the Spectre v2 choice's test_spectre's.
sub host_sources {
	my ($name) = @_;
	open my $fh, '<', 'tests/host/sources.mk'
		or die "run-bench: tests/host/sources.mk: $!\n";
	my $text = do { local $/; <$fh> };
	$text =~ s/\\\n/ /g;
	return split ' ', $1 if $text =~ /^\Q$name\E-srcs\s*:=\s*(.*)$/m;
	die "run-bench: no $name-srcs in tests/host/sources.mk\n";
}

# i386 assembly as x86-64 with the same bytes at every site:
# - a memory operand on a 32-bit register, "(%esp)" in the barrier site
#   or "(%eax)" in spinlock.S, is spelled with the 64-bit register:
#   the same ModRM and SIB, without the address-size prefix 67;
# - with $page (arch/i386/lib/page.c), each regparm(3) page function
#   becomes FN_c behind a thunk FN that moves the arguments from %eax,
#   %edx (as the call sites pass them) to %rdi, %rsi and keeps those two,
#   which i386 callees preserve: a call and six instructions per page,
#   in every variant alike.
sub to64 {
	my ($s, $page) = @_;
	my $fns = qr/(?:clear|copy)_page_(?:rep|mmx|mmx_nt)/;
	my $text = slurp($s);
	$text =~ s/\(%e(ax|bx|cx|dx|si|di|bp|sp)\)/(%r$1)/g;
	if ($page) {
		my ($sec, $out, %thunk) = ('.text', '');
		for (split /^/, $text) {
			$sec = '.text' if /^\s*\.text\b/;
			$sec = $1 if /^\s*\.section\s+([^,\s]+)/;
			if (/^($fns):$/) {
				$thunk{$1} = $sec;
				$_ = "$1_c:\n";
			}
			s/^(\s*\.(?:type|size)\s+)($fns)\b(.*?)\b\2\b
			 /$1$2_c$3$2_c/x;
			s/^(\s*\.type\s+)($fns),/$1$2_c,/;
			$out .= $_;
		}
		for my $f (sort keys %thunk) {
			my $sec = $thunk{$f} eq '.text' ? '.text' :
				qq{.section $thunk{$f},"ax",\@progbits};
			$out .= "\t$sec\n\t.p2align 4\n\t.type $f, \@function\n"
				. "$f:\n\tpushq %rdi\n\tpushq %rsi\n"
				. "\tmovq %rax, %rdi\n\tmovq %rdx, %rsi\n"
				. "\tcall ${f}_c\n\tpopq %rsi\n\tpopq %rdi\n"
				. "\tret\n\t.size $f, . - $f\n";
		}
		$text = $out;
	}
	spew($s, $text);
}

# C -> .s [-> asm pass] -> .o
sub compile {
	my ($bench, $src, $obj, $asm_pass, @flags) = @_;
	(my $s = $obj) =~ s/\.o$/.s/;
	$bench->run('CC', $obj, 'gcc', @flags, '-S', '-o', $s, $src);
	to64($s, $src =~ m{lib/page\.c$}) if $bench->bits == 64;
	if ($asm_pass) {
		(my $fx = $obj) =~ s/\.o$/.fx.s/;
		$bench->run('FIXUP', $fx, $^X, 'scripts/fixup-sites.pl',
			    '-o', $fx, $s);
		$s = $fx;
	}
	$bench->run('AS', $obj, 'gcc', @{$bench->{arch}{as}}, '-c', '-o',
		    $obj, $s);
}

# spinlock.S; on x86-64 through the preprocessor and to64().
sub assemble {
	my ($bench, $src, $obj, @defs) = @_;
	my @as = @{$bench->{arch}{as}};
	my @cpp = (kernel_aflags($bench), @defs);
	if ($bench->bits == 32) {
		$bench->run('AS', $obj, 'gcc', @as, @cpp, '-c', '-o', $obj,
			    $src);
		return;
	}
	(my $s = $obj) =~ s/\.o$/.s/;
	$bench->run('CPP', $s, 'gcc', '-E', '-P', @cpp, '-o', $s, $src);
	to64($s, 0);
	$bench->run('AS', $obj, 'gcc', @as, '-c', '-o', $obj, $s);
}

# One relocatable object per build of bench/prims.c and page.c (and the
# spinlock sources in @extra), with code-generation flags @$arch and the
# configuration @$defs: build/bench/NAME/all.o.
sub build_variant {
	my ($bench, $name, $asm_pass, $arch, $defs, @extra) = @_;
	my $d = $bench->dir . "/$name";
	make_path($d);
	# i386: the generic build is the kernel built with the thunks
	# (every C file), the others branch through a register too ("call
	# *%reg", the form patched for a CPU that needs no mitigation).
	my $thunks = $bench->bits == 32 && $name eq 'generic';
	my @cf = (kernel_cflags($bench), @align, @$arch,
		  @{$bench->{arch}{site}}, @$defs,
		  $bench->bits == 32 ? ('-DBENCH_BRANCHES=1', $thunks ?
		  thunk_cflags($bench) : '-mindirect-branch-register') : ());
	my @objs;
	compile($bench, 'bench/prims.c', "$d/prims.o", $asm_pass, @cf);
	compile($bench, 'arch/i386/lib/page.c', "$d/page.o", $asm_pass, @cf);
	push @objs, "$d/prims.o", "$d/page.o";
	# The branch rows and the thunks: i386 only.
	if ($bench->bits == 32) {
		compile($bench, 'bench/branches.c', "$d/branches.o",
			$asm_pass, @cf);
		push @objs, "$d/branches.o";
	}
	if ($thunks) {
		assemble($bench, 'arch/i386/lib/retpoline.S', "$d/retpoline.o",
			 @$defs, qw(-DCONFIG_RETPOLINE=1 -DCONFIG_RETHUNK=1));
		push @objs, "$d/retpoline.o";
	}
	for (@extra) {
		if (/\.S$/) {
			assemble($bench, $_, "$d/spinlock.o", @$defs);
			push @objs, "$d/spinlock.o";
		} else {
			compile($bench, $_, "$d/spinlock_calls.o", $asm_pass,
				@cf);
			push @objs, "$d/spinlock_calls.o";
		}
	}
	$bench->run('LD', "$d/all.o", 'ld', '-m', $bench->{arch}{ld_emul},
		    '-r', '-o', "$d/all.o", @objs);
	my $undef = qx{nm -u $d/all.o};
	die "run-bench: $name needs outside symbols:\n$undef" if $undef =~ /\S/;
	return "$d/all.o";
}

# A copy of a build: every global symbol gets the prefix COPY_, the
# table becomes fixup_sites_COPY (so the linker gives it __start_ and
# __stop_ symbols), the call groups fixup_calls_COPY.
sub copy_variant {
	my ($bench, $from, $copy) = @_;
	my $B = $bench->dir;
	my @syms = map { (split)[2] } grep { /^\S+\s+[A-Z]\s+\S+$/ }
		split /\n/, qx{nm -g --defined-only $from};
	spew("$B/$copy.syms", join('', map { "$_ ${copy}_$_\n" } @syms));
	$bench->run('OBJCOPY', "$B/$copy.o", 'objcopy',
		    "--redefine-syms=$B/$copy.syms",
		    "--rename-section", ".fixup_sites=fixup_sites_$copy",
		    "--rename-section", ".init.fixup_calls=fixup_calls_$copy",
		    $from, "$B/$copy.o");
	return "$B/$copy.o";
}

# spinlock.S assembled as x86-64 must be the i386 bytes exactly.
sub check_spinlock_bytes {
	my ($bench) = @_;
	return if $bench->bits == 32;
	my $B = $bench->dir;
	my $o32 = "$B/spinlock32.o";
	$bench->run('AS', $o32, 'gcc', '-m32', kernel_aflags($bench),
		    '-DCONFIG_SMP=1', '-DCONFIG_FIXUP=1', '-c', '-o', $o32,
		    'arch/i386/lib/spinlock.S');
	for my $o ($o32, "$B/generic/spinlock.o") {
		$bench->run('OBJCOPY', "$o.bin", 'objcopy', '-O', 'binary',
			    '--only-section=.text', $o, "$o.bin");
	}
	die "run-bench: spinlock.S: the x86-64 build differs from i386\n"
		unless slurp("$o32.bin") eq slurp("$B/generic/spinlock.o.bin");
	$bench->note('spinlock.S assembled as x86-64 is byte for byte its ',
		     'i386 code');
}

# The patcher's objects (or with $which another host test's sources),
# built for the host with the generic flags: always, or with $if_stale
# only when a source or a header is newer.
sub patcher {
	my ($bench, $if_stale, $which) = @_;
	my $B = $bench->dir;
	my @pc = (kernel_cflags($bench), @{$bench->{arch}{gen}}, '-DHOST_TEST');
	my $newest = (sort { $b <=> $a } map { (stat)[9] }
		      glob('arch/i386/fixup/*.[ch] include/*/*.h'))[0];
	my @objs;
	for my $src (host_sources($which // 'test_fixup')) {
		(my $o = $src) =~ s{.*/(.*)\.c$}{$B/$1.o};
		push @objs, $o;
		next if $if_stale && -e $o && (stat $o)[9] >= $newest;
		compile($bench, $src, $o, 0, @pc);
	}
	return @objs;
}

1;

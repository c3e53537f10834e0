package Bench::Runtime;
# 1. Runtime: five builds of bench/prims.c with the kernel's primitives,
# the generic one patched in place by the kernel's patcher, timed by
# bench/runtime.c in interleaved rounds.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use Bench::Util qw(spew median);
use Bench::Build;

our @VARIANTS = qw(unpatched patched-up patched-smp compile-up compile-smp);
# The rows with indirect branches (the i386 harness) have two more: the
# generic build patched with spectre_v2=off, and as Linux's i386 runs it.
our @THUNK_VARIANTS = qw(patched-off linux-i386);

sub measure {
	my ($bench) = @_;
	my ($B, $arch) = ($bench->dir, $bench->{arch});
	my @gen_defs = qw(-DCONFIG_SMP=1 -DCONFIG_FIXUP=1
		-DCONFIG_FIXUP_ASM_PASS=1 -DCONFIG_NR_CPUS=8 -DCONFIG_M486=1);
	my @cpu_defs = split ' ', $bench->{cpu}{defines};
	my $gen = Bench::Build::build_variant($bench, 'generic', 1,
		$arch->{gen}, \@gen_defs, 'arch/i386/lib/spinlock.S',
		'arch/i386/lib/spinlock_calls.c');
	my $cup = Bench::Build::build_variant($bench, 'compile_up', 0,
		$arch->{native}, [@cpu_defs, '-DCONFIG_NR_CPUS=1']);
	my $csmp = Bench::Build::build_variant($bench, 'compile_smp', 0,
		$arch->{native},
		[@cpu_defs, qw(-DCONFIG_SMP=1 -DCONFIG_NR_CPUS=8)],
		'arch/i386/lib/spinlock.S');
	Bench::Build::check_spinlock_bytes($bench);
	my @objs = ((map { Bench::Build::copy_variant($bench, $gen, $_) }
		     qw(unpatched patched_up patched_smp),
		     $bench->bits == 32 ? qw(patched_off linux_i386) : ()),
		    Bench::Build::copy_variant($bench, $cup, 'compile_up'),
		    Bench::Build::copy_variant($bench, $csmp, 'compile_smp'));

	my @patcher = (Bench::Build::patcher($bench),
		       Bench::Build::patcher($bench, 0, 'test_spectre'));
	$bench->run('HOSTCC', "$B/runtime.o", 'gcc', @{$arch->{host_cflags}},
		    '-c', '-o', "$B/runtime.o", 'bench/runtime.c');
	$bench->run('LD', "$B/bench-runtime", 'gcc', @{$arch->{host}},
		    '-no-pie', '-o', "$B/bench-runtime", "$B/runtime.o",
		    "$B/hostcpu.o", "$B/cpu.o", @patcher, @objs);

	return if $bench->opt('build-only');
	my $out = $bench->run('RUN', "$B/bench-runtime", "$B/bench-runtime",
			      '--rounds', $bench->opt('rounds'),
			      '--block', $bench->opt('block'));
	spew("$B/runtime.out", $out);
	my (@mad, %kinds);
	for (split /\n/, $out) {
		if (/^# (\S+): kind (\S+) .*variant=(\S+)/) {
			$kinds{$1}{$2} = $3;
			next;
		}
		$bench->{spectre_v2}{$1} = $2, next
			if /^# (\S+): spectre_v2: (.*)$/;
		next if /^#/;
		my @f = split /,/;
		next unless @f == 5;
		push @mad, $f[3] if $f[0] eq 'spread';
		$bench->row(@f);
	}
	$bench->row('harness', 'spread_median', 'all',
		    sprintf('%.2f', median(@mad)), 'percent');
	$bench->row('harness', 'spread_max', 'all',
		    sprintf('%.2f', (sort { $b <=> $a } @mad)[0]), 'percent');
	$bench->{kinds} = \%kinds;
	for my $v (qw(patched-up patched-smp), @THUNK_VARIANTS) {
		next unless $kinds{$v};
		$bench->note("$v: ", join(', ', map { "$_=$kinds{$v}{$_}" }
					  sort keys %{$kinds{$v}}));
	}

	# The ratios the targets are about.
	for my $op (grep { $_ ne 'loop' } op_names($bench)) {
		ratio($bench, $op, 'patched-up', 'compile-up');
		ratio($bench, $op, 'patched-smp', 'compile-smp');
		ratio($bench, $op, 'unpatched', 'patched-up');
		# The thunk rows: the target (no mitigation, patched, against
		# built without thunks), the retpoline's cost, Linux's shape.
		ratio($bench, $op, 'patched-off', 'compile-smp');
		ratio($bench, $op, 'unpatched', 'patched-off');
		ratio($bench, $op, 'linux-i386', 'compile-smp');
	}
}

# The primitives measured, in the harness's order ("loop" first).
sub op_names {
	my ($bench) = @_;
	my %seen;
	return grep { !$seen{$_}++ }
		map { $_->[1] }
		grep { $_->[0] eq 'runtime' && $_->[4] eq 'cycles' }
		$bench->rows;
}

sub ratio {
	my ($bench, $op, $x, $y) = @_;
	my ($vx, $vy) = map { $bench->val("runtime,$op,$_") } $x, $y;
	return unless defined $vx && defined $vy && $vy > 0;
	$bench->row('runtime', $op, "$x/$y", sprintf('%.3f', $vx / $vy),
		    'ratio');
}

1;

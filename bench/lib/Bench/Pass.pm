package Bench::Pass;
# 2. The pass: bench/pass.c runs the patcher over a synthetic table for
# this CPU, UP and SMP: instructions per site under callgrind, the
# serializations, TSC cycles per site.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use Bench::Util qw(slurp);
use Bench::Build;
use Bench::Kinds;

sub measure {
	my ($bench) = @_;
	my ($B, $arch) = ($bench->dir, $bench->{arch});
	# The runtime part may have built the patcher already, from the
	# same sources.
	my @patcher = Bench::Build::patcher($bench, 1);
	$bench->run('HOSTCC', "$B/bench-pass", 'gcc', @{$arch->{host_cflags}},
		    '-no-pie', '-o', "$B/bench-pass", 'bench/pass.c',
		    "$B/hostcpu.o", "$B/cpu.o", @patcher);
	return if $bench->opt('build-only');
	my $n = $bench->opt('sites');
	for my $mode (qw(up smp)) {
		my $out = $bench->run('RUN', "$B/bench-pass", "$B/bench-pass",
				      '--sites', $n, '--mode', $mode,
				      '--time', 21);
		my ($ser) = $out =~ /serializations=(\d+)/;
		my ($cyc) = $out =~ /cycles=(\d+)/;
		$bench->row('pass', 'sites', $mode, $n, 'count');
		$bench->row('pass', 'serializations', $mode, $ser, 'count');
		$bench->row('pass', 'host_cycles_per_site', $mode,
			    sprintf('%.2f', $cyc / $n), 'cycles') if $n;
		next if $bench->opt('no-callgrind');
		my $ir = callgrind($bench, $mode, $n);
		my $ir0 = callgrind($bench, $mode, 0);
		next unless defined $ir && defined $ir0;
		$bench->row('pass', 'instructions_per_site', $mode,
			    sprintf('%.2f', $ir / $n), 'instructions');
		$bench->row('pass', 'instructions_per_site_marginal', $mode,
			    sprintf('%.2f', ($ir - $ir0) / $n), 'instructions');
		$bench->row('pass', 'instructions_fixed', $mode, $ir0,
			    'instructions');
		next unless $mode eq 'smp' && !$bench->opt('quick');
		# Where the instructions go: a table of one kind at a time,
		# every kind of the catalogue.
		my $nk = $n < 20000 ? $n : 20000;
		for my $k (Bench::Kinds::names()) {
			my $irk = callgrind($bench, $mode, $nk, '--kind', $k);
			next unless defined $irk && $nk;
			$bench->row('pass', 'instructions_per_site_of_kind',
				    "smp-$k",
				    sprintf('%.2f', ($irk - $ir0) / $nk),
				    'instructions');
		}
	}
}

# Instructions in fixup_apply() for one run of bench-pass, or undef.
sub callgrind {
	my ($bench, $mode, $n, @more) = @_;
	my $B = $bench->dir;
	if (system('command -v valgrind >/dev/null 2>&1') != 0) {
		$bench->note('valgrind not found: no instruction counts');
		return undef;
	}
	my $f = join '.', "$B/callgrind", $mode, $n, @more[1 .. $#more];
	unlink $f;
	$bench->run('CALLGRD', "$f", 'valgrind', '--tool=callgrind',
		    "--callgrind-out-file=$f", '--toggle-collect=fixup_apply',
		    "$B/bench-pass", '--sites', $n, '--mode', $mode, @more);
	my $t = slurp($f);
	my ($ir) = $t =~ /^totals:\s*(\d+)/m;
	($ir) = $t =~ /^summary:\s*(\d+)/m unless defined $ir;
	return $ir;
}

1;

package Bench::Report;
# The results: the CSV (section,item,variant,value,unit) and the table,
# with the targets each part is measured against.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use Bench::Util qw(spew);
use Bench::Runtime;

# The primitives the "at least 5x" target is about.
my @lockish = qw(atomic_inc atomic_dec_and_test atomic_add_return
	atomic_cmpxchg set_bit test_and_set_bit spin_lock_unlock
	spin_trylock_unlock);

sub write_csv {
	my ($bench, $file) = @_;
	my $s = "section,item,variant,value,unit\n";
	$s .= join(',', @$_) . "\n" for $bench->rows;
	spew($file, $s);
	print "\nwrote $file\n";
}

sub fmt {
	my ($v, $w, $p) = @_;
	return sprintf "%${w}s", '-' unless defined $v;
	return sprintf "%${w}.${p}f", $v;
}

sub print_table {
	my ($bench) = @_;
	my %val = %{$bench->{val}};
	my @rows = $bench->rows;
	my $code = $bench->bits == 64 ? 'x86-64' : 'i386';
	print "\nfixup386 bench: $bench->{cpu}{desc}\n";
	print "harness: $code code ($bench->{harness_why}), TSC ",
		$val{'harness,tsc_mhz,host'}, " MHz\n"
		if defined $val{'harness,tsc_mhz,host'};
	if (grep { $_->[0] eq 'runtime' } @rows) {
		my %g = groups($bench);
		printf "\n1. Runtime: TSC cycles per operation, median of %s "
			. "rounds or more where the spread\n   was high (±: "
			. "median absolute deviation, %%); every row includes "
			. "the loop\n", $val{'harness,rounds,host'};
		print "\nThe columns: unpatched is the generic kernel's code as "
			. "compiled (every site in\nits safe form), patched-up "
			. "and patched-smp the same code after the boot pass\n"
			. "for one CPU and for several, compile-up and "
			. "compile-smp code built for this CPU\nwithout fixups "
			. "(UP: no lock prefixes). The ratios after | divide "
			. "two columns:\npU/cU = patched-up / compile-up and "
			. "pS/cS = patched-smp / compile-smp (1.00: as\nfast as "
			. "a kernel built for this CPU, above: slower), un/pU = "
			. "unpatched /\npatched-up (how many times slower the "
			. "unpatched code is on one CPU).\n";
		print "\nLatency: each operation on the word the last one "
			. "changed (a barrier: back to back)\n";
		runtime_table($bench, '', @{$g{latency}});
		print "\nThroughput: four independent operations on four "
			. "words in four cache lines\n";
		runtime_table($bench, '_tp', @{$g{throughput}});
		printf "timer bracket %s cycles (subtracted); spread median "
			. "%s%%, max %s%%\n",
			$val{'harness,timer_overhead,host'},
			$val{'harness,spread_median,all'},
			$val{'harness,spread_max,all'};
		branches_table($bench, @{$g{branches}}) if $g{branches};
		forms($bench);
		workload($bench);
		targets($bench);
	}
	my @p = grep { $_->[0] eq 'pass' } @rows;
	if (@p) {
		print "\n2. The pass\n";
		printf "  %-34s %-16s %12s %s\n", @$_[1 .. 4] for @p;
		my @ips = map { $val{"pass,instructions_per_site,$_"} }
			qw(up smp);
		# The plain walk's budget (issue 9): 200 per site and 20,000
		# fixed, counted on a table of 5,000 sites.
		my @fix = map { $val{"pass,instructions_fixed,$_"} } qw(up smp);
		printf "target: at most 200 instructions per site and 20000 "
			. "fixed: %s\n",
			(grep { defined && $_ > 200 } @ips) ||
			(grep { defined && $_ > 20000 } @fix) ?
			"NOT met (UP $ips[0] + $fix[0], SMP $ips[1] + $fix[1]; "
			. "$code build of the patcher)" : 'met'
			if defined $ips[0];
		my @ser = map { $val{"pass,serializations,$_"} } qw(up smp);
		printf "target: one serialization per pass: %s\n",
			(grep { !defined || $_ != 1 } @ser) ? 'NOT met' : 'met';
	}
	my @m = grep { $_->[0] eq 'memory' } @rows;
	if (@m) {
		print "\n3. Memory and size (Linux for comparison: .smp_locks "
			. "4 bytes per lock site,\n   alt_instr 12-14 bytes "
			. "per site plus the replacement bytes)\n";
		printf "  %-26s %-30s %10s %s\n", @$_[1 .. 4] for @m;
		my $tb = $val{'memory,table_bytes_per_site,generic'};
		printf "target: at most 8 table bytes per site: %s (%s)\n",
			$tb <= 8 ? 'met' : 'NOT met', $tb if defined $tb;
		my $rb = $val{'memory,resident_fixup_bytes,generic'};
		printf "target: nothing of the fixup machinery resident: %s\n",
			$rb ? "NOT met ($rb bytes, "
			. $val{'memory,resident_fixup_symbols,generic'}
			. ' symbols: see the notes)' : 'met' if defined $rb;
	}
	print "\nA target NOT met does not fail make bench: the targets are "
		. "the design's goals,\nand README.md (\"Performance\") says "
		. "why some are missed on its reference machine.\n";
	my @notes = $bench->notes;
	print "\nNotes:\n", map { "  - $_\n" } @notes if @notes;
}

# The runtime rows by what they measure: latency (the plain loops),
# throughput (NAME_tp), the barrier forms (lockadd_*), the workload.
sub groups {
	my ($bench) = @_;
	my (%g, %tp);
	my @ops = Bench::Runtime::op_names($bench);
	# The thunk sites' rows: a table and a target of their own.
	my %branch = map { ($_, "${_}_tp") }
		qw(indirect_call indirect_tail_jmp return);
	%branch = map { $_ => 1 } %branch;
	$tp{$_} = 1 for map { /^(.*)_tp$/ ? $1 : () } @ops;
	for (@ops) {
		my $k = $branch{$_} ? 'branches' : /_tp$/ ? 'throughput' :
			/^lockadd_/ ? 'forms' :
			$_ eq 'workload' ? 'workload' : 'latency';
		push @{$g{$k}}, $_;
	}
	# What the 2% targets are about: throughput, and the rows that have
	# no throughput row of their own (barriers, pages), the workload.
	$g{targeted} = [grep { $_ ne 'loop' && !$tp{$_} } @{$g{latency}},
			@{$g{throughput}}, @{$g{workload} // []}];
	return %g;
}

sub cell {
	my ($bench, $op, $v) = @_;
	my $c = $bench->val("runtime,$op,$v");
	my $m = $bench->val("spread,$op,$v");
	return sprintf '%11s', '-' unless defined $c;
	return sprintf '%11s', sprintf('%.2f±%.1f', $c, $m // 0);
}

sub runtime_table {
	my ($bench, $suffix, @ops) = @_;
	printf "%-20s %11s %11s %11s %11s %11s | %5s %5s %5s\n", 'primitive',
		'unpatched', 'patched-up', 'patched-smp', 'compile-up',
		'compile-smp', 'pU/cU', 'pS/cS', 'un/pU';
	for my $op (@ops) {
		my $name = $op;
		$name =~ s/\Q$suffix\E$// if length $suffix;
		printf "%-20s", $name;
		print ' ', cell($bench, $op, $_) for @Bench::Runtime::VARIANTS;
		print ' |';
		printf ' %5s', fmt($bench->val("runtime,$op,$_"), 5, 2)
			for qw(patched-up/compile-up patched-smp/compile-smp
			       unpatched/patched-up);
		print "\n";
	}
}

# The indirect branches and returns, latency and throughput, in the
# variants that differ there.
sub branches_table {
	my ($bench, @ops) = @_;
	my %sv = %{$bench->{spectre_v2} // {}};
	print "\nIndirect branches and returns (THUNK_CALL, THUNK_JMP, "
		. "RETURN sites): unpatched\ncalls the retpoline thunks, "
		. "patched-smp is patched for this CPU ("
		. ($sv{'patched-smp'} // '?') . "),\npatched-off with "
		. "spectre_v2=off, linux-i386 calls thunks whose body is "
		. "\"jmp *%reg\"\n(Linux's i386 kernel where no retpoline "
		. "is needed), compile-smp is built without\nthunks. off/cS "
		. "= patched-off / compile-smp (the 2% target), un/off = the "
		. "retpoline's\ncost (unpatched / patched-off), lx/cS = "
		. "linux-i386 / compile-smp. _tp: four\nindependent calls "
		. "an iteration, per call\n";
	my @cols = qw(unpatched patched-smp patched-off linux-i386
		      compile-smp);
	printf "%-20s" . (" %11s" x @cols) . " | %5s %5s %5s\n",
		'branch', @cols, 'off/cS', 'un/off', 'lx/cS';
	for my $op (@ops) {
		printf "%-20s", $op;
		print ' ', cell($bench, $op, $_) for @cols;
		print ' |';
		printf ' %5s', fmt($bench->val("runtime,$op,$_"), 5, 2)
			for qw(patched-off/compile-smp unpatched/patched-off
			       linux-i386/compile-smp);
		print "\n";
	}
}

# SMP_MB's form: the same asm in every copy, so the five copies are five
# samples of it; their median.
sub forms {
	my ($bench) = @_;
	my %m;
	for my $f (qw(sp m4)) {
		for my $after (qw(load ret)) {
			my @v = grep { defined } map {
				$bench->val("runtime,lockadd_${f}_$after,$_")
			} @Bench::Runtime::VARIANTS;
			$m{$f}{$after} = Bench::Util::median(@v) if @v;
		}
	}
	return unless defined $m{sp}{load} && defined $m{m4}{load};
	print "\nBarrier forms (SMP_MB on SMP): the locked add, then a load "
		. "from the stack top or a ret\n";
	for my $after (qw(load ret)) {
		my ($a, $b) = ($m{sp}{$after}, $m{m4}{$after});
		next unless defined $a && defined $b && $a > 0;
		printf "  + %-4s  lock; addl \$0,(%%esp) %6.2f   "
			. "lock; addl \$0,-4(%%esp) %6.2f   -4/0 %.3f\n",
			$after, $a, $b, $b / $a;
		$bench->row('forms', "smp_mb_$after", 'm4/sp',
			    sprintf('%.3f', $b / $a), 'ratio');
	}
}

# The workload: cycles per request, requests per second, the ratios.
sub workload {
	my ($bench) = @_;
	my $mhz = $bench->val('harness,tsc_mhz,host');
	my %c = map { $_ => $bench->val("runtime,workload,$_") }
		@Bench::Runtime::VARIANTS;
	return unless $mhz && !grep { !$_ } values %c;
	my @thunk = grep { $bench->val("runtime,workload,$_") }
		@Bench::Runtime::THUNK_VARIANTS;
	$c{$_} = $bench->val("runtime,workload,$_") for @thunk;
	print "\nWorkload: a request = 2 pages from a spinlocked free list, "
		. "a refcount taken and\ndropped, clear_page, a ring message "
		. "(smp_wmb/smp_rmb), copy_page, smp_mb, 2 frees, an "
		. "indirect call\n(a driver's operations table)\n";
	printf "  %-12s %10s %14s\n", 'variant', 'cycles', 'requests/s';
	for (@Bench::Runtime::VARIANTS, @thunk) {
		my $ops = $mhz * 1e6 / $c{$_};
		$bench->row('workload', 'requests_per_second', $_,
			    sprintf('%.0f', $ops), 'ops/s');
		printf "  %-12s %10.1f %14.0f\n", $_, $c{$_}, $ops;
	}
	my $more = $c{unpatched} / $c{'patched-up'} - 1;
	my $up = $c{'patched-up'} / $c{'compile-up'} - 1;
	my $smp = $c{'patched-smp'} / $c{'compile-smp'} - 1;
	my $msmp = $c{unpatched} / $c{'patched-smp'} - 1;
	$bench->row('workload', 'more_work', 'patched-up/unpatched',
		    sprintf('%.1f', 100 * $more), 'percent');
	$bench->row('workload', 'more_work', 'patched-smp/unpatched',
		    sprintf('%.1f', 100 * $msmp), 'percent');
	printf "  On one CPU, the generic kernel serves %s requests per "
		. "second patched than\n  unpatched, and takes %s time per "
		. "request than a kernel built for this CPU.\n"
		. "  On several CPUs (the SMP forms), it serves %s patched "
		. "than unpatched,\n  and takes %s time than a kernel built "
		. "for this CPU.\n",
		more_less($more, 0), more_less($up, 1), more_less($msmp, 0),
		more_less($smp, 1);
	return unless @thunk == 2;
	printf "  With spectre_v2=off it takes %s time per request than a "
		. "kernel built\n  without thunks; the retpoline on its one "
		. "indirect call costs %s, and\n  Linux's i386 shape %s.\n",
		more_less($c{'patched-off'} / $c{'compile-smp'} - 1, 1),
		more_less($c{unpatched} / $c{'patched-off'} - 1, 1),
		more_less($c{'linux-i386'} / $c{'compile-smp'} - 1, 1);
}

# 0.24 -> "24% more", -0.021 -> "2.1% less"; "as much" within 0.05%.
sub more_less {
	my ($x, $places) = @_;
	return 'as much' if abs($x) < 0.0005;
	return sprintf('%.*f%% %s', $places, 100 * abs($x),
		       $x > 0 ? 'more' : 'less');
}

# Two standard errors of a ratio of two medians, in percent: the error of
# a median is about 1.253 * 1.4826 * MAD / sqrt(rounds).
sub noise {
	my ($bench, $op, $x, $y) = @_;
	my $n = $bench->val("rounds,$op,all") ||
		$bench->val('harness,rounds,host') || 1;
	my $se = 0;
	for ($x, $y) {
		my $mad = $bench->val("spread,$op,$_") // 0;
		$se += (1.253 * 1.4826 * $mad / sqrt($n)) ** 2;
	}
	return 2 * sqrt($se);
}

# Each target: printed, and two "target" rows (failing, and failing
# beyond the noise).
sub targets {
	my ($bench) = @_;
	my %g = groups($bench);
	my @ops = @{$g{targeted}};
	my $check = sub {
		my ($what, $x, $y, $ok, @of) = @_;
		my (@bad, @real);
		for my $op (@of) {
			my $r = $bench->val("runtime,$op,$x/$y");
			next if !defined $r || $ok->($r, 0);
			my $nz = noise($bench, $op, $x, $y);
			my $d = $bench->val("runtime,$op,$x") -
				$bench->val("runtime,$op,$y");
			push @bad, sprintf
				'%s %.3f (%+.2f cycles, noise %.1f%%)',
				$op, $r, $d, $nz;
			push @real, $op unless $ok->($r, $nz);
		}
		printf "target: %s: %s\n", $what, @bad ?
			'NOT met by ' . scalar(@bad) . ': ' . join(', ', @bad) .
			(@real ? '; beyond the noise: ' . join(', ', @real) :
			 '; all within the noise') : 'met';
		$bench->row('target', "$x/$y", 'failing', scalar @bad, 'count');
		$bench->row('target', "$x/$y", 'failing-beyond-noise',
			    scalar @real, 'count');
	};
	print "\n";
	$check->('patched-UP within 2% of compile-time UP',
		 'patched-up', 'compile-up',
		 sub { $_[0] <= 1.02 + $_[1] / 100 }, @ops);
	$check->('patched-SMP within 2% of compile-time SMP',
		 'patched-smp', 'compile-smp',
		 sub { $_[0] <= 1.02 + $_[1] / 100 }, @ops);
	# The i386 harness only: the x86-64 one has no thunks.
	$check->('patched with spectre_v2=off within 2% of built without '
		 . 'thunks', 'patched-off', 'compile-smp',
		 sub { $_[0] <= 1.02 + $_[1] / 100 },
		 @{$g{branches}}, @{$g{workload} // []}) if $g{branches};
	$check->('unpatched at least 5x patched-UP on lock-heavy primitives',
		 'unpatched', 'patched-up',
		 sub { $_[0] >= 5 * (1 - $_[1] / 100) }, @lockish);

	# smp_rmb() on SMP costs nothing: within 2% of the empty loop.
	my ($r, $l) = map { $bench->val("runtime,$_,patched-smp") }
		qw(smp_rmb loop);
	if (defined $r && $l) {
		my $nz = noise($bench, 'smp_rmb', 'patched-smp', 'patched-smp');
		printf "target: smp_rmb() patched-SMP within 2%% of the empty "
			. "loop: %s (%.2f against %.2f, noise %.1f%%)\n",
			$r / $l <= 1.02 ? 'met' : $r / $l <= 1.02 + $nz / 100 ?
			'NOT met, within the noise' : 'NOT met', $r, $l, $nz;
		$bench->row('target', 'smp_rmb/loop', 'patched-smp',
			    sprintf('%.3f', $r / $l), 'ratio');
	}

	# Write prefetches: 0F 0D /1 wherever the CPU has it.
	my %has = map { $_ => 1 } split /,/, $bench->{cpu}{features} // '';
	my $pw = $bench->{kinds}{'patched-smp'}{PREFETCHW};
	if (defined $pw) {
		my $want = $has{'3dnow'} || $has{prefetchw} ?
			'prefetch3dnow' : undef;
		printf "target: write prefetches are prefetchw where the CPU "
			. "has it: %s (PREFETCHW=%s; CPU %s)\n",
			!$want || $pw eq $want ? 'met' : 'NOT met', $pw,
			$want ? 'has prefetchw' : 'has no prefetchw';
	}
}

1;

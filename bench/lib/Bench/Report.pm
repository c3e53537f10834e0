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
	print "harness: $code code, TSC ", $val{'harness,tsc_mhz,host'},
		" MHz\n" if defined $val{'harness,tsc_mhz,host'};
	if (grep { $_->[0] eq 'runtime' } @rows) {
		printf "\n1. Runtime: TSC cycles per operation, median of %s "
			. "rounds (loop overhead included: see \"loop\")\n",
			$val{'harness,rounds,host'};
		printf "%-20s %9s %9s %9s %9s %9s | %8s %8s %8s\n", 'primitive',
			'unpatchd', 'patch-up', 'patch-smp', 'comp-up',
			'comp-smp', 'pUP/cUP', 'pSMP/cSMP', 'unp/pUP';
		for my $op (Bench::Runtime::op_names($bench)) {
			printf "%-20s", $op;
			printf " %9s", fmt($val{"runtime,$op,$_"}, 9, 2)
				for @Bench::Runtime::VARIANTS;
			print ' |';
			printf " %8s", fmt($val{"runtime,$op,$_"}, 8, 2)
				for qw(patched-up/compile-up
				       patched-smp/compile-smp
				       unpatched/patched-up);
			print "\n";
		}
		printf "timer bracket %s cycles (subtracted); spread (median "
			. "abs. deviation) median %s%%, max %s%%\n",
			$val{'harness,timer_overhead,host'},
			$val{'harness,spread_median,all'},
			$val{'harness,spread_max,all'};
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
	my @notes = $bench->notes;
	print "\nNotes:\n", map { "  - $_\n" } @notes if @notes;
	print "\nwrote ", $bench->opt('out'), "\n";
}

# Two standard errors of a ratio of two medians, in percent: the error of
# a median is about 1.253 * 1.4826 * MAD / sqrt(rounds).
sub noise {
	my ($bench, $op, $x, $y) = @_;
	my $n = $bench->val('harness,rounds,host') || 1;
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
	my @ops = grep { $_ ne 'loop' } Bench::Runtime::op_names($bench);
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
	$check->('unpatched at least 5x patched-UP on lock-heavy primitives',
		 'unpatched', 'patched-up',
		 sub { $_[0] >= 5 * (1 - $_[1] / 100) }, @lockish);
}

1;

package Fixup386::Boot;
# Boot a kernel with scripts/run-qemu and check what it printed. Used by
# the boot tests in tests/*.t; tests/harness.t shows that these checks
# fail on kernels that print nothing, fail, crash or hang.
use strict;
use warnings;
use Exporter 'import';
use Test::More;
use File::Temp ();
use Storable ();
use POSIX ();

our @EXPORT_OK = qw(boot boot_each boot_problems check_boot ktap_results
	report_lines);

# boot(cpu => MODEL, smp => N, append => ARGS, kernel => FILE, timeout => S)
# returns { status => run-qemu's exit status, log => console text }
sub boot {
	my (%o) = @_;
	my @cmd = ('scripts/run-qemu', '--cpu', $o{cpu} // 'max',
		   '--smp', $o{smp} // 1, '--timeout', $o{timeout} // 60,
		   '--append', $o{append} // 'selftest poweroff');
	push @cmd, '--memory', $o{memory} if $o{memory};
	push @cmd, '--no-exit-device' if $o{no_exit_device};
	push @cmd, map { ('--qemu-arg', $_) } @{ $o{qemu_args} // [] };
	push @cmd, $o{kernel} // 'vmlinux';
	my $pid = open(my $fh, '-|') // die "fork: $!";
	if (!$pid) {
		open(STDERR, '>&', \*STDOUT);
		exec @cmd or die "exec: $!";
	}
	local $/;
	my $log = <$fh> // '';
	close $fh;
	$log =~ s/\r//g;
	return { status => $? >> 8, log => $log, cmd => "@cmd" };
}

# KTAP results: { plan => N, results => [[ok, num, name, skip], ...] }
sub ktap_results {
	my ($log) = @_;
	my @lines = map { s/^\[\s*\d+\.\d+\] //r } split /\n/, $log;
	my ($start) = grep { $lines[$_] eq 'KTAP version 1' } 0 .. $#lines;
	return unless defined $start;
	my %k = (results => []);
	for my $l (@lines[$start + 1 .. $#lines]) {
		if ($l =~ /^1\.\.(\d+)$/) {
			$k{plan} = $1;
		} elsif ($l =~ /^(not )?ok (\d+) (\S+)( # SKIP.*)?$/) {
			push @{ $k{results} }, [!$1, $2, $3, $4];
		}
	}
	return \%k;
}

# The stable "fixup: ..." report lines, without timestamps.
sub report_lines {
	my ($log) = @_;
	return map { s/^\[\s*\d+\.\d+\] //r } grep { /\] fixup: / }
		split /\n/, $log;
}

# What is wrong with a boot that should have succeeded: a list of
# problems, empty for a good boot. Options: status (expected run-qemu
# status, 0), oops (an oops is expected), selftests (KTAP expected, 1).
sub boot_problems {
	my ($r, %want) = @_;
	my $status = $want{status} // 0;
	my @p;
	my @lines = split /\n/, $r->{log};

	push @p, "run-qemu status $r->{status}, want $status"
		if $r->{status} != $status;
	my @stamps = map { /^\[\s*(\d+)\.(\d{6})\] / ? $1 * 1e6 + $2 : () }
		@lines;
	push @p, 'fewer than 5 timestamped console lines' if @stamps < 5;
	for my $i (1 .. $#stamps) {
		if ($stamps[$i] < $stamps[$i - 1]) {
			push @p, "timestamp goes backwards at line $i";
			last;
		}
	}
	push @p, 'first timestamp not near 0' if @stamps && $stamps[0] >= 1e6;
	push @p, 'no "Freeing unused kernel memory" line'
		unless $r->{log} =~ /^\[[ \d.]+\] Freeing unused kernel memory: \d+k freed$/m;
	push @p, 'unexpected oops'
		if !$want{oops} && $r->{log} =~ /oops:/;
	push @p, 'no oops' if $want{oops} && $r->{log} !~ /oops:/;
	if ($want{selftests} // 1) {
		my $k = ktap_results($r->{log});
		if (!$k || !$k->{plan}) {
			push @p, 'no KTAP header and plan';
		} else {
			my $n = @{ $k->{results} };
			push @p, "$n KTAP results for a plan of $k->{plan}"
				if $n != $k->{plan};
			push @p, map { "not ok $_->[1] $_->[2]" }
				grep { !$_->[0] } @{ $k->{results} };
		}
	}
	return @p;
}

# One test: the boot passed every check of boot_problems().
sub check_boot {
	my ($r, $what, %want) = @_;
	my @p = boot_problems($r, %want);

	return ok(!@p, "$what: boots, self-tests pass") ||
		diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
}

# boot_each($jobs, $boot, @cases): $boot->(%$case) for every case, $jobs
# boots at a time in child processes; the results in the order of the
# cases. A child that leaves no result gives { status => -1, log => ... }.
sub boot_each {
	my ($jobs, $boot, @cases) = @_;
	my $dir = File::Temp::tempdir(CLEANUP => 1);
	my (%running, @results);
	my $next = 0;

	while ($next < @cases || %running) {
		if ($next < @cases && keys %running < $jobs) {
			my $i = $next++;
			my $pid = fork() // die "fork: $!";
			if (!$pid) {
				Storable::nstore($boot->(%{ $cases[$i] }), "$dir/$i");
				POSIX::_exit(0);
			}
			$running{$pid} = $i;
			next;
		}
		my $pid = wait();
		last if $pid < 0;
		my $i = delete $running{$pid};
		$results[$i] = -f "$dir/$i" ? Storable::retrieve("$dir/$i")
			: { status => -1, cmd => '', log => "boot $i: no result",
			    sent => 0 };
	}
	return @results;
}

1;

#!/usr/bin/perl
# SMP bring-up and the boot matrix: the defconfig kernel across CPU models,
# CPU counts and parameters starts the CPUs it should, after the fixup
# pass, free_initmem() and write-protecting the text, says so
# ("smp: CPU1 (apic 1) up", "smp: N CPUs online", "smp: 1 CPU online"), and passes the
# self-tests on all CPUs. Then the negative control (UP variants on four
# running CPUs must lose counter updates), a CPU that never answers, and
# the oopses for writing to the text and reading the freed fixup table,
# and how many CPUs may be hot-added.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use File::Temp qw(tempdir);
use File::Copy qw(copy);
use Fixup386::Boot qw(boot boot_each check_boot ktap_results report_lines);

my @models = ('486', 'pentium', 'pentium2', 'pentium3', 'athlon,-sse,-sse2',
	      'n270', 'Conroe', 'max');
my %eight = map { $_ => 1 } ('pentium3', 'max');
my @params = ('', 'fixup=up', 'fixup=smp', 'maxcpus=1', 'nofixup');
my @smp_tests = qw(smp_atomic_counter smp_spinlock_contended
		   smp_message_passing);
my $jobs = 2;

# Boot a private copy: the tree may be rebuilt while the boots run.
my $kernel = tempdir(CLEANUP => 1) . '/vmlinux';
copy('vmlinux', $kernel) or die "copy vmlinux: $!";

# What a boot must show: the fixup mode line and how many CPUs come up.
sub expect {
	my ($cpu, $smp, $args) = @_;
	my $apic = $cpu ne '486';	# QEMU's 486 has no CPUID APIC bit
	my %e = (online => $smp, warn => undef);

	# Without a local APIC the others cannot be started: one CPU, so
	# UP variants unless forced.
	if (!$apic && $smp > 1) {
		$e{warn} = qr/smp: the boot CPU has no local APIC: \d+ other CPUs? not started/;
		$e{online} = 1;
		$e{mode} = $args eq 'nofixup' ? 'off cpus=1 reason=nofixup'
			 : $args eq 'fixup=up' ? 'up cpus=1 reason=fixup=up'
			 : $args eq 'fixup=smp' ? 'smp cpus=1 reason=fixup=smp'
			 : 'up cpus=1 reason=no-apic';
		return \%e;
	}

	if ($args eq 'nofixup') {
		$e{mode} = "off cpus=$smp reason=nofixup";
	} elsif ($args eq 'fixup=up') {
		$e{mode} = "up cpus=$smp reason=fixup=up";
		$e{online} = 1;
		$e{warn} = qr/smp: fixup=up: .* \d+ other CPUs? not started/
			if $smp > 1;
	} elsif ($args eq 'fixup=smp') {
		$e{mode} = "smp cpus=$smp reason=fixup=smp";
	} elsif ($args eq 'maxcpus=1') {
		$e{mode} = 'up cpus=1 reason='
			. ($smp > 1 ? 'maxcpus' : 'auto');
		$e{online} = 1;
	} else {
		$e{mode} = $smp > 1 ? "smp cpus=$smp reason=auto"
				    : 'up cpus=1 reason=auto';
	}
	return \%e;
}

# Index of the first console line matching $re, or -1.
sub line_of {
	my ($lines, $re) = @_;
	for my $i (0 .. $#$lines) {
		return $i if $lines->[$i] =~ $re;
	}
	return -1;
}

sub check_case {
	my ($c, $r) = @_;
	my ($cpu, $smp, $args) = @$c{qw(cpu smp args)};
	my $what = "-cpu $cpu -smp $smp" . ($args ? " $args" : '');
	my $e = expect($cpu, $smp, $args);
	my @lines = map { s/^\[\s*\d+\.\d+\] //r } split /\n/, $r->{log};
	my @rep = report_lines($r->{log});
	my @why;

	check_boot($r, $what) or return;

	push @why, "no 'fixup: mode: $e->{mode}'"
		unless grep { $_ eq "fixup: mode: $e->{mode}" } @rep;
	my ($lock) = map { /^fixup: kind LOCK .* variant=(\S+)$/ ? $1 : () }
		@rep;
	my $want_lock = $e->{mode} =~ /^smp/ ? 'lock'
		      : $e->{mode} =~ /^up/ ? 'ds' : undef;
	push @why, 'LOCK variant ' . ($lock // 'none') . ', want '
		. ($want_lock // 'none')
		if ($lock // '') ne ($want_lock // '');
	push @why, 'APIC writes not xchg on an 11AP Pentium'
		if $cpu =~ /model=2,stepping=5/ &&
		   !grep { /^fixup: kind APIC_WRITE .* variant=xchg$/ } @rep;
	push @why, 'rejected records'
		unless $args eq 'nofixup' ||
		       grep { /^fixup: summary .* rejected=0 / } @rep;

	# "smp: 1 CPU online", "smp: N CPUs online"
	my @online = map { /^smp: (\d+ CPUs?) online$/ ? $1 : () } @lines;
	my $want_online = $e->{online} == 1 ? '1 CPU' : "$e->{online} CPUs";
	push @why, "'smp: N CPUs online' is (@online), want $want_online"
		unless @online == 1 && $online[0] eq $want_online;
	my @up = map { /^smp: CPU(\d+) \(apic (\d+)\) up$/ ? "$1/$2" : () }
		@lines;
	my @want_up = map { "$_/$_" } 1 .. $e->{online} - 1;
	push @why, "CPUs up (@up), want (@want_up)" if "@up" ne "@want_up";
	push @why, 'a CPU did not answer' if grep { /did not answer/ } @lines;
	if ($e->{warn}) {
		push @why, "no warning $e->{warn}"
			unless grep { $_ =~ $e->{warn} } @lines;
	}

	# The boot order of Documentation/boot.md.
	my @order = (['fixup pass', qr/^fixup: (summary|mode: off)/],
		     ['free init memory', qr/^Freeing unused kernel memory/],
		     ['write-protect', qr/^mm: write-protected kernel text/],
		     ['CPUs started', $e->{online} > 1 ? qr/^smp: CPU1 / :
				      qr/^smp: \d+ CPUs? online/],
		     ['self-tests', qr/^KTAP version 1$/]);
	my @at = map { line_of(\@lines, $_->[1]) } @order;
	for my $i (0 .. $#order) {
		if ($at[$i] < 0) {
			push @why, "no line for '$order[$i][0]'";
		} elsif ($i && $at[$i] < $at[$i - 1]) {
			push @why, "'$order[$i][0]' before '$order[$i - 1][0]'";
		}
	}

	# The SMP self-tests ran for real when there were CPUs to run them.
	my %res = map { $_->[2] => $_ } @{ ktap_results($r->{log})->{results} };
	for my $t (@smp_tests, 'smp_call_all_cpus', 'text_readonly') {
		my $k = $res{$t};
		my $skip = $k && $k->[3];
		my $want_skip = $e->{online} < 2 &&
				grep { $_ eq $t } @smp_tests;
		if (!$k) {
			push @why, "self-test $t missing";
		} elsif (!$skip != !$want_skip) {
			push @why, "self-test $t " .
				($skip ? 'skipped' : 'not skipped');
		}
	}
	ok(!@why, "$what: $e->{online} CPU(s) online, report and order right")
		or diag(join("\n", @why) . "\n$r->{cmd}\n$r->{log}");
}

# The matrix.
my @cases;
for my $cpu (@models) {
	for my $smp (1, 2, 4, $eight{$cpu} ? 8 : ()) {
		for my $args (@params) {
			push @cases, { cpu => $cpu, smp => $smp, args => $args,
				       append => "selftest poweroff $args",
				       kernel => $kernel };
		}
	}
}
# Pentium 11AP erratum: every APIC write, the start-up IPIs too, is xchg.
push @cases, { cpu => 'pentium,model=2,stepping=5', smp => 2, args => '',
	       append => 'selftest poweroff', kernel => $kernel };
# A CPU that never calls in is reported and skipped; the others come up.
push @cases, { cpu => 'pentium3', smp => 4, args => 'smp_test_noanswer=2',
	       append => 'selftest poweroff smp_test_noanswer=2',
	       kernel => $kernel };
# A CPU that calls in just after the boot CPU gave it up is not left
# marked online: one of the two wins the call-in (issue 19).
push @cases, { cpu => 'pentium3', smp => 4, args => 'smp_test_late=2',
	       append => 'selftest poweroff smp_test_late=2',
	       kernel => $kernel };
# A CPU number given again after its CPU left (as a hot-remove and a
# hot-add do it) starts that CPU: its TSS descriptor is not busy.
push @cases, { cpu => 'Conroe', smp => 2, args => 'smp_test_restart=1',
	       append => 'selftest poweroff smp_test_restart=1',
	       kernel => $kernel };
# Writing to the text and reading the freed table oops, all CPUs running.
for my $kind ('write_text', 'freed_table') {
	push @cases, { cpu => 'Conroe', smp => 2, crash => $kind,
		       append => "selftest selftest_crash=$kind poweroff",
		       kernel => $kernel };
}

my @results = boot_each($jobs, \&boot, @cases);
for my $i (0 .. $#cases) {
	my ($c, $r) = ($cases[$i], $results[$i]);

	if ($c->{crash}) {
		check_crash($c->{crash}, $r);
	} elsif ($c->{args} =~ /noanswer/) {
		check_noanswer($r);
	} elsif ($c->{args} =~ /late/) {
		check_late($r);
	} elsif ($c->{args} =~ /restart/) {
		check_restart($r);
	} else {
		check_case($c, $r);
	}
}

sub check_noanswer {
	my ($r) = @_;
	my $what = '-cpu pentium3 -smp 4 smp_test_noanswer=2';

	check_boot($r, $what);
	like($r->{log}, qr/\] smp: CPU2 \(apic 2\) did not answer in \d+ ms, skipped\n/,
	     "$what: the silent CPU is reported");
	like($r->{log}, qr/\] smp: CPU3 \(apic 3\) up\n.*\] smp: 3 CPUs online\n/s,
	     "$what: the next CPU still comes up; 3 CPUs online");
}

sub check_late {
	my ($r) = @_;
	my $what = '-cpu pentium3 -smp 4 smp_test_late=2';

	check_boot($r, $what);
	like($r->{log}, qr/\] smp: smp_test_late: CPU2 answered after it was given up\n.*\] smp: CPU2 \(apic 2\) did not answer in \d+ ms, skipped\n/s,
	     "$what: CPU2 answered after its time-out, and is skipped");
	like($r->{log}, qr/\] smp: CPU3 \(apic 3\) up\n.*\] smp: 3 CPUs online\n/s,
	     "$what: the next CPU still comes up; 3 CPUs online");
	unlike($r->{log}, qr/smp: CPU\d did not (?:pick up|finish) call/,
	       "$what: no call waits for the CPU given up")
		or diag($r->{log});
	my @nmi = $r->{log} =~ /\] nmi: CPU(\d+): \d+ NMIs/g;
	is("@nmi", '0 1 3', "$what: CPUs 0, 1 and 3 online, not 2");
}

sub check_restart {
	my ($r) = @_;
	my $what = '-cpu Conroe -smp 2 smp_test_restart=1';

	check_boot($r, $what);
	like($r->{log}, qr/\] smp: CPU1 \(apic 1\) up\n.*\] smp: smp_test_restart: CPU1 \(apic 1\) stopped, its number free\n.*\] smp: CPU1 \(apic 1\) up\n.*\] smp: 2 CPUs online\n/s,
	     "$what: CPU1 stopped, then up again under its number")
		or diag($r->{log});
}

sub check_crash {
	my ($kind, $r) = @_;
	my %want = (
		write_text => [qr/write to a read-only page at 0x[0-9a-f]{8} \(kernel text: crash_write_text\+0x0\//,
			       'crash_write_text'],
		freed_table => [qr/read of an unmapped page at 0x[0-9a-f]{8} \(freed init memory\)/,
				'crash_freed_table'],
	);
	my ($fault, $fn) = @{ $want{$kind} };

	check_boot($r, "selftest_crash=$kind", status => 2, oops => 1);
	like($r->{log}, qr/\] smp: 2 CPUs online\n/, "$kind: with 2 CPUs online");
	like($r->{log}, qr/\] oops: page fault \(#PF\), vector 14, error code 0x[0-9a-f]+, CPU 0\n.*\] oops: page fault: $fault/,
	     "$kind: a page fault oops saying what was touched");
	like($r->{log}, qr/^\[[ \d.]+\] EIP: 0008:\[<[0-9a-f]{8}>\] $fn\+0x[0-9a-f]+\/0x[0-9a-f]+$/m,
	     "$kind: EIP names $fn");
	unlike($r->{log}, qr/freed table reads|did not crash/,
	       "$kind: nothing was read or written silently");
}

# The negative control: UP variants (no lock prefixes) while four CPUs run.
# QEMU runs vCPUs in parallel threads, so increments really get lost; a
# busy host can in rare cases keep the vCPUs apart, hence up to 3 tries.
{
	my $what = 'fixup_test_unsafe_up, -cpu Conroe -smp 4';
	my ($r, $lost, $got, $want, $tries);
	for $tries (1 .. 3) {
		$r = boot(cpu => 'Conroe', smp => 4, kernel => $kernel,
			  append => 'selftest fixup_test_unsafe_up poweroff');
		($lost, $want, $got) = $r->{log} =~
			/# lost (-?\d+) of (\d+) updates: counter (\d+), want \2 \(4 CPUs x \d+ atomic_inc\)\n.*\] not ok \d+ smp_atomic_counter\n/s;
		last if defined $lost;
		diag("$what: try $tries lost no update");
	}
	is($r->{status}, 1, "$what: the kernel reports failure");
	like($r->{log}, qr/fixup: mode: up cpus=4 reason=fixup_test_unsafe_up/,
	     "$what: UP variants chosen");
	like($r->{log}, qr/\] smp: 4 CPUs online\n/, "$what: all 4 CPUs started");
	ok(defined $lost && $lost > 0 && $lost == $want - $got,
	   "$what: smp_atomic_counter not ok, lost updates counted")
		or diag($r->{log});
	note("$what: lost $lost of $want updates") if defined $lost;
	unlike($r->{log}, qr/oops:/, "$what: no oops");
}

# Possible CPUs: the MADT's disabled entries (QEMU lists maxcpus of
# them) count as CPUs that may be hot-added, unless turned off; the count
# decides whether the fixup pass keeps records for a later re-patch.
{
	# [model, QEMU -smp, parameters, CPUs online, more possible]
	my @possible = (
		['Conroe', '1,maxcpus=4', '', 1, 3],
		['Conroe', '1,maxcpus=4', 'nohotplug', 1, 0],
		['Conroe', '1,maxcpus=4', 'possible_cpus=2', 1, 1],
		['Conroe', '1,maxcpus=4', 'possible_cpus=1', 1, 0],
		['Conroe', '2,maxcpus=4', 'possible_cpus=8', 2, 6],
		['Conroe', '1,maxcpus=4', 'maxcpus=3', 1, 2],
		['Conroe', '1,maxcpus=4', 'nosmp', 1, 0],
		['486', '1,maxcpus=4', '', 1, 0],	# no local APIC
		['Conroe', '2,maxcpus=2', '', 2, 0],
	);
	my @pc = map { { cpu => $_->[0], kernel => $kernel,
			 qemu_args => ['-smp', $_->[1]],
			 append => "selftest poweroff $_->[2]" } } @possible;
	my @pr = boot_each($jobs, \&boot, @pc);
	for my $i (0 .. $#possible) {
		my ($cpu, $smp, $args, $on, $more) = @{ $possible[$i] };
		my $what = "-cpu $cpu -smp $smp" . ($args ? " $args" : '');
		my $r = $pr[$i];
		my @lines = map { s/^\[\s*\d+\.\d+\] //r } split /\n/, $r->{log};
		my @got = grep { /more possible/ } @lines;
		my $cpus = $on == 1 ? '1 CPU' : "$on CPUs";

		check_boot($r, $what) or next;
		if ($more) {
			is_deeply(\@got, ["smp: $cpus online, $more more "
					  . "possible (hot-add)"],
				  "$what: $more more possible");
		} else {
			is_deeply(\@got, [], "$what: none more possible");
		}
	}
}

done_testing();

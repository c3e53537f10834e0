#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# NMIs do not kill the kernel (Documentation/nmi.md). The boots run while
# QEMU's monitor injects "nmi" every 1-2 ms, from the first console line
# until QEMU exits, across CPU models (486 without a local APIC to a
# recent one), CPU counts and with "fixup_debug" (a slower pass): each
# boot ends with status 0, every self-test passes, there is no oops, and
# the kernel's own count of NMIs is above zero on every online CPU, and
# after each local APIC was set up where there is one: NMIs did arrive.
# Across the matrix some must have come during the fixup pass. Then the
# NMI-section check on its failing fixtures, NMIs on head.S's early IDT,
# "nmi=panic", the default
# (APs' LINT1 masked), and the oops paths that could deadlock or reset:
# two CPUs double-faulting at once, an oops inside clock_ns(), with the
# console lock held here or by a CPU that never lets it go, with the
# clock lock held by a CPU that never lets it go.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use File::Temp qw(tempdir);
use File::Copy qw(copy);
use Fixup386::Boot qw(boot boot_each boot_problems check_boot);
use Fixup386::Nmi qw(boot_nmi);

my $jobs = 2;
my $tmp = tempdir(CLEANUP => 1);
my $kernel = "$tmp/vmlinux";		# the tree may be rebuilt meanwhile
copy('vmlinux', $kernel) or die "copy vmlinux: $!";

# --- the NMI-section check: the image, then the failing fixtures --------

sub check_image {
	my ($img) = @_;
	my $out = `scripts/nmi-section-check $img 2>&1`;
	return ($? >> 8, $out);
}

{
	my ($rc, $out) = check_image($kernel);
	is($rc, 0, 'nmi-section-check: vmlinux passes') or diag($out);
	like($out, qr/\.text\.nmi 0x\w+-0x\w+ \(\d+ bytes, [1-9]\d* instructions\), [1-9]\d* site records/,
	     'nmi-section-check: it saw the NMI text and the site table');
}

my %bad = (
	GOOD => undef,
	BAD_SITE => qr/site record at 0x\w+ \(kind 1, len 1\) names bad_here\+0x0, inside \.text\.nmi/,
	BAD_CALL => qr/bad_here\+0x0: call .*: call to locked_inc\+0x0 leaves \.text\.nmi/,
	BAD_JCC => qr/bad_here\+0x0: je .*: je to locked_inc\+0x0 leaves \.text\.nmi/,
	BAD_INDIRECT => qr/bad_here\+0x\w+: call\s+\*%eax: indirect or far call/,
	BAD_INT => qr/bad_here\+0x0: int3: a software interrupt/,
	BAD_FALLTHROUGH => qr/bad_here\+0x0: incl .*falls through out of it/,
	BAD_BND_CALL => qr/bad_here\+0x0: bnd call .*: call to locked_inc\+0x0 leaves \.text\.nmi/,
	BAD_DS_JMP => qr/bad_here\+0x0: ds jmp .*: jmp to locked_inc\+0x0 leaves \.text\.nmi/,
	BAD_NOTRACK => qr/bad_here\+0x\w+: notrack jmp \*%eax: indirect or far jmp/,
	BAD_UD2 => qr/bad_here\+0x0: ud2: an exception leaves \.text\.nmi/,
	BAD_THUNK => qr/bad_here\+0x0: jmp .*: jmp to __x86_return_thunk\+0x0 leaves \.text\.nmi/,
	BAD_RET => qr/(?:bad_here|nmi_entry)\+0x2: ret: ret in a function no call in \.text\.nmi reaches/,
	BAD_IRET => qr/nmi_count\+0x\w+: iret: iret in a function a call reaches/,
);
for my $v (sort keys %bad) {
	my $img = "$tmp/nmi-$v";
	system('gcc', '-m32', '-c', '-Iinclude', "-D$v", '-o', "$img.o",
	       'tests/fixtures/nmi-section.S') == 0
		or die "assembling $v failed";
	system('ld', '-m', 'elf_i386', '--no-warn-rwx-segments', '-T',
	       'tests/fixtures/nmi-section.lds', '-o', $img, "$img.o") == 0
		or die "linking $v failed";
	my ($rc, $out) = check_image($img);
	if (!$bad{$v}) {
		is($rc, 0, "nmi-section-check: fixture $v passes") or diag($out);
		next;
	}
	is($rc, 1, "nmi-section-check: fixture $v fails") or diag($out);
	like($out, $bad{$v}, "nmi-section-check: $v: says what and where");
	like($out, qr/: 1 problem: /, "nmi-section-check: $v: one problem");
}

# --- the boots, $jobs at a time ------------------------------------------

# A case with nmi => 1 boots with NMIs sent; the others plainly.
sub boot_case {
	my (%c) = @_;
	return delete $c{nmi} ? boot_nmi(%c) : boot(%c);
}

# The kernel's counts: { cpu => [total, after LINT1 set-up or undef, how] }
sub nmi_counts {
	my ($log) = @_;
	my %c;
	while ($log =~ /^\[[ \d.]+\] nmi: CPU(\d+): (\d+) NMIs(?:, (\d+) after its LINT1 was (set to NMI|masked))?$/mg) {
		$c{$1} = [$2, $3, $4];
	}
	return \%c;
}

sub online_cpus {
	my ($log) = @_;
	return $log =~ /^\[[ \d.]+\] smp: (\d+) CPUs? online$/m ? $1 : 0;
}

my @matrix = (['486', 1], ['pentium', 1], ['pentium', 2], ['pentium3', 2],
	      ['pentium3', 4], ['Conroe', 1], ['Conroe', 2], ['Conroe', 4],
	      ['Skylake-Client', 1], ['Skylake-Client', 4]);
my @cases;
for my $m (@matrix) {
	for my $debug ('', ' fixup_debug') {
		my ($cpu, $smp) = @$m;
		# QEMU raises LINT1 on every CPU; only the boot CPU's is
		# NMI by default, the test flag opens the APs' too.
		my $append = 'poweroff selftest' . $debug .
			($smp > 1 ? ' nmi_test_lint1_all' : '');
		push @cases, { cpu => $cpu, smp => $smp, append => $append,
			       kernel => $kernel, nmi => 1, timeout => 40,
			       what => "$cpu -smp $smp" . ($debug ? ',' . $debug : '') };
	}
}
my $nmatrix = @cases;
push @cases,
	map({ { cpu => $_, smp => 1, append => 'nmi_test_early_idt poweroff selftest',
		kernel => $kernel, nmi => 1, timeout => 40,
		what => "early IDT $_" } } qw(486 Conroe)),
	{ cpu => 'Conroe', smp => 2, append => 'poweroff selftest',
	  kernel => $kernel, nmi => 1, timeout => 40, what => 'default LINT1' },
	# CPU1 prints, CPU0 reads the clock, NMIs come to CPU0 and print:
	# before issue 19 the two CPUs waited for each other's lock for
	# ever (the time-out is the guard that catches that hang).
	{ cpu => 'Conroe', smp => 2, append => 'poweroff nmi_test_lock_order=50',
	  kernel => $kernel, nmi => 1, timeout => 120, what => 'lock order' },
	# sites kept for a hot-add: the self-test re-patches 32 times
	map({ { cpu => $_, smp => '1,maxcpus=4', append => 'poweroff selftest',
		kernel => $kernel, nmi => 1, timeout => 40,
		what => "re-patch $_" } } qw(Conroe pentium3)),
	{ cpu => 'Conroe', smp => 1, append => 'poweroff selftest nmi=panic',
	  kernel => $kernel, nmi => 1, timeout => 60, what => 'nmi=panic' },
	{ cpu => '486', smp => 1, append => 'poweroff selftest nmi=panic',
	  kernel => $kernel, nmi => 1, timeout => 60, what => 'nmi=panic 486' },
	{ cpu => 'Conroe', smp => 2, timeout => 60, kernel => $kernel,
	  append => 'selftest_crash=double_fault_all poweroff',
	  what => 'double fault on two CPUs' },
	{ cpu => 'pentium3', smp => 4, timeout => 60, kernel => $kernel,
	  append => 'selftest_crash=double_fault_all poweroff',
	  what => 'double fault on four CPUs' },
	# With the clock stopped, the oops path waits for the other CPUs
	# by counting 30M passes: 15-18 s of TCG at load 7, past 60 s at
	# load 16. The time-out only catches a hang, so it is generous.
	map({ { cpu => 'Conroe', smp => 2, timeout => 300, kernel => $kernel,
		append => "selftest_crash=$_ poweroff", what => $_ } }
	    qw(oops_in_clock oops_console_held oops_console_other
	       oops_clock_other)),
	{ cpu => 'Conroe', smp => 2, timeout => 300, kernel => $kernel,
	  append => 'selftest_crash=oops_in_clock_ap poweroff',
	  what => 'oops_in_clock_ap' };

my @r = boot_each($jobs, \&boot_case, @cases);
my ($boots, $sent, $got, $pass_nmis, $pass_boots, $crashes) = (0) x 6;

for my $i (0 .. $nmatrix - 1) {
	my ($c, $r) = ($cases[$i], $r[$i]);
	my $what = $c->{what};
	my @p = boot_problems($r);
	my $counts = nmi_counts($r->{log});
	my $online = online_cpus($r->{log});

	$boots++;
	$crashes++ if $r->{status} != 0;
	$sent += $r->{sent};
	push @p, 'the monitor sent no NMI' unless $r->{sent} > 0;
	push @p, 'no CPU online line' unless $online;
	for my $cpu (0 .. $online - 1) {
		my $n = $counts->{$cpu};
		if (!$n) {
			push @p, "no NMI count for CPU$cpu";
			next;
		}
		$got += $n->[0];
		push @p, "CPU$cpu counted no NMI" unless $n->[0] > 0;
		push @p, "CPU$cpu counted $n->[0] NMIs, more than the $r->{sent} sent"
			if $n->[0] > $r->{sent};
		push @p, "CPU$cpu: no NMI after its LINT1 was set up ($n->[2])"
			if defined $n->[1] && !($n->[1] > 0 && $n->[2] eq 'set to NMI');
	}
	if ($c->{cpu} ne '486') {
		push @p, 'no CPU0 LINT1 count: the local APIC was not set up?'
			unless defined $counts->{0} && defined $counts->{0}[1];
	}
	my %lines;
	$lines{$1}++ while $r->{log} =~ /^\[[ \d.]+\] nmi: CPU(\d+): (?:unknown reason|more NMIs)/mg;
	push @p, map { "CPU$_: $lines{$_} NMI lines, not rate-limited" }
		grep { $lines{$_} > 4 } sort keys %lines;
	if ($r->{log} =~ /^\[[ \d.]+\] fixup: (\d+) NMIs? arrived during the pass, handled after$/m) {
		$pass_nmis += $1;
		$pass_boots++;
	}
	ok(!@p, "$what: survives $r->{sent} NMIs, counts them on $online CPU(s)")
		or diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
}
ok($pass_nmis > 0, "some NMIs arrived during the fixup pass: $pass_nmis, in "
   . "$pass_boots of $boots boots");
diag("nmi.t matrix: $boots boots, $sent NMIs sent, $got counted by the "
     . "kernels' CPUs, $pass_nmis during the pass (in $pass_boots boots), "
     . "$crashes crashes");

my %r = map { $cases[$_]{what} => $r[$_] } $nmatrix .. $#cases;

# head.S's IDT, before the first C function: the kernel waits on it a
# while (nmi_test_early_idt) before it sets up its own, NMIs keep coming.
for my $what ('early IDT 486', 'early IDT Conroe') {
	my $r = $r{$what};
	my @p = boot_problems($r);
	my ($n) = $r->{log} =~ /^\[[ \d.]+\] nmi: CPU0: (\d+) NMIs on the early IDT$/m;
	push @p, 'no count of NMIs on the early IDT' unless defined $n;
	push @p, 'no NMI arrived on the early IDT' unless $n;
	ok(!@p, "$what: " . ($n // 0) . " NMIs taken on head.S's IDT, boot goes on")
		or diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
}

# Re-patching after boot writes text as the boot pass does: NMIs that
# come meanwhile are counted and handled after it. The self-test's re-patches
# (32 a boot) must see some, and every boot survive them.
{
	my ($nmis, $in) = (0, 0);
	for my $what ('re-patch Conroe', 're-patch pentium3') {
		my $r = $r{$what};
		my @p = boot_problems($r);
		my @l = map { s/^\[[ \d.]+\] //r } split /\n/, $r->{log};
		my $repatching = 0;
		for (@l) {
			$repatching = 1 if /^fixup: mode: \w+ cpus=\d+ reason=selftest$/;
			if ($repatching && /^fixup: (\d+) NMIs? arrived during the pass/) {
				$nmis += $1;
				$in++;
			}
		}
		push @p, 'no re-patch line' unless grep { /reason=selftest$/ } @l;
		push @p, 'the monitor sent no NMI' unless $r->{sent} > 0;
		ok(!@p, "$what: survives $r->{sent} NMIs while it re-patches")
			or diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
	}
	ok($nmis > 0, "some NMIs arrived while the self-test re-patched: $nmis, "
	   . "in $in of 64 re-patches");
}

# Default: the boot CPU's LINT1 is NMI, the APs' masked (as Linux has it).
{
	my $r = $r{'default LINT1'};
	my $c = nmi_counts($r->{log});
	my @p = boot_problems($r);
	push @p, 'CPU0: no NMI after its LINT1 was set to NMI'
		unless $c->{0} && $c->{0}[2] && $c->{0}[2] eq 'set to NMI' &&
		       $c->{0}[1] > 0;
	push @p, 'CPU1: its LINT1 is not masked or it counted NMIs'
		unless $c->{1} && $c->{1}[2] && $c->{1}[2] eq 'masked' &&
		       $c->{1}[0] == 0;
	ok(!@p, 'default: NMIs reach CPU0 through LINT1, the AP\'s LINT1 is masked')
		or diag(join("\n", @p) . "\n$r->{log}");
}

# An NMI while its CPU holds the clock lock and the other CPU holds the
# console lock, waiting for the clock lock: the NMI's line is stored, not
# printed under a lock, so the boot ends. The 50 NMIs are the kernel's
# own count, on CPU0, during the loops; each said its line.
{
	my $r = $r{'lock order'};
	my @p = boot_problems($r, selftests => 0);
	my ($n, $lines, $reads) = $r->{log} =~ /^\[[ \d.]+\] nmi: nmi_test_lock_order: (\d+) NMIs on CPU0 while CPU1 printed (\d+) lines and CPU0 read the clock (\d+) times$/m;
	push @p, 'no nmi_test_lock_order line: the loops did not end'
		unless defined $n;
	push @p, 'not 50 NMIs, or no line printed, or no clock read'
		unless defined $n && $n == 50 && $lines > 0 && $reads > 0;
	my $c = nmi_counts($r->{log});
	push @p, 'CPU0 counted fewer than 50 NMIs'
		unless $c->{0} && $c->{0}[0] >= 50;
	my $said = () = $r->{log} =~ /^\[[ \d.]+\] nmi: CPU0: unknown reason 0x00, continuing$/mg;
	my $lost = 0;
	$lost += $1 while $r->{log} =~ /^\[[ \d.]+\] nmi: CPU0: (\d+) lines printed in NMI context lost/mg;
	push @p, "$said NMI lines said and $lost lost, for 50 NMIs"
		unless $said + $lost >= 50;
	ok(!@p, "lock order: 50 NMIs while CPU1 printed " . ($lines // 0)
	   . " lines and CPU0 read the clock " . ($reads // 0)
	   . " times, the boot ends")
		or diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
}

# nmi=panic: one oops, naming the NMI, and the CPU halts. (poweroff
# first on the command line: an oops before it was parsed would halt
# without powering off.)
for my $what ('nmi=panic', 'nmi=panic 486') {
	my $r = $r{$what};
	my @oops = $r->{log} =~ /^\[[ \d.]+\] (oops: [^,]*), vector/mg;
	my @p = boot_problems($r, status => 2, oops => 1, selftests => 0);
	@p = grep { !/KTAP|Freeing/ } @p;
	push @p, 'run-qemu status ' . $r->{status} . ', want 2'
		unless $r->{status} == 2 || grep { /status/ } @p;
	push @p, scalar(@oops) . ' oops reports, want 1' unless @oops == 1;
	push @p, "the oops does not name the NMI: @oops"
		unless @oops && $oops[0] eq 'oops: non-maskable interrupt (NMI)';
	push @p, 'no "CPU 0 halted"'
		unless $r->{log} =~ /oops: CPU 0 halted\n/;
	ok(!@p, "$what: one oops naming the NMI, then halted")
		or diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
}

# Two (four) CPUs double-fault at once: a report from each, no reset.
for my $what ('double fault on two CPUs', 'double fault on four CPUs') {
	my $r = $r{$what};
	my $n = $what =~ /two/ ? 2 : 4;
	my @df = $r->{log} =~ /^\[[ \d.]+\] oops: double fault \(#DF\), vector 8, error code 0x0, CPU (\d+)$/mg;
	my @over = $r->{log} =~ /oops: kernel stack overflow/g;
	my @p;
	push @p, "run-qemu status $r->{status}, want 2 (4 is a reset)"
		unless $r->{status} == 2;
	push @p, 'reports from CPUs ' . join(',', sort @df) . ", want 0..$n-1"
		unless join(',', sort @df) eq join(',', 0 .. $n - 1);
	push @p, scalar(@over) . " stack overflow lines, want $n"
		unless @over == $n;
	ok(!@p, "$what: one double-fault report per CPU, no reset")
		or diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
}

# Oopses where the oops path could deadlock still print, to the end.
my %eip = (oops_in_clock => 'clock_ns', oops_console_held => 'vprintk',
	   oops_console_other => 'crash_oops_console_other',
	   oops_clock_other => 'keep_clock_on_cpu1');
for my $what (sort keys %eip) {
	my $r = $r{$what};
	my @p;
	push @p, "run-qemu status $r->{status}, want 2"
		unless $r->{status} == 2;
	push @p, 'no invalid-opcode oops'
		unless $r->{log} =~ /oops: invalid opcode \(#UD\), vector 6/;
	push @p, "EIP not in $eip{$what}"
		unless $r->{log} =~ /EIP: 0008:\[<\w+>\] \Q$eip{$what}\E\+/;
	push @p, 'no "CPU 0 halted"'
		unless $r->{log} =~ /oops: CPU 0 halted\n/;
	ok(!@p, "$what: the oops prints, the machine powers off")
		or diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
}

# CPU1 dies inside clock_ns(), holding its lock: the boot CPU's clock must
# run on (smp_call_all() waits 20 s for CPU1 by it, then gives up).
{
	my $r = $r{oops_in_clock_ap};
	my @p;
	push @p, "run-qemu status $r->{status}, want 2"
		unless $r->{status} == 2;
	push @p, 'no oops on CPU1 in clock_ns'
		unless $r->{log} =~ /oops: invalid opcode \(#UD\), vector 6, error code 0x0, CPU 1\n.*EIP: 0008:\[<\w+>\] clock_ns\+/;
	push @p, 'the boot CPU did not go on'
		unless $r->{log} =~ /selftest: the clock runs on after CPU1's oops/;
	push @p, 'no oops on CPU0 after it'
		unless $r->{log} =~ /CPU 0\n.*EIP: 0008:\[<\w+>\] crash_oops_in_clock_ap\+/;
	ok(!@p, 'oops_in_clock_ap: an AP dies holding the clock lock, the boot CPU goes on')
		or diag(join("\n", @p) . "\n$r->{cmd}\n$r->{log}");
}

done_testing();

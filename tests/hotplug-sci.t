#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# The CPU hotplug driver (arch/i386/kernel/hotplug.c): the SCI and QEMU's
# register block, on their own. A machine without the block is left
# alone (one line, the boot as before); on QEMU's pc machine, CPUs added
# and removed through the human monitor are started and stopped, each
# event proven on both sides: the kernel's lines and QEMU's "info cpus".
# The kernel runs SMP variants (fixup=smp) so that no re-patch is needed
# here; tests/hotplug.t covers the re-patch, the self-tests after each
# change and the refusals. Documentation/hotplug.md.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use IO::Select;
use IO::Socket::UNIX;
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep);
use Fixup386::Boot qw(boot boot_each);

-f 'vmlinux' or plan skip_all => 'no vmlinux (run make)';
open(my $cfg, '<', '.config') or plan skip_all => 'no .config';
grep { /^CONFIG_HOTPLUG_CPU=y$/ } <$cfg>
	or plan skip_all => 'CONFIG_HOTPLUG_CPU is not set';

my $STAMP = qr/^\[\s*\d+\.\d+\] /m;
$SIG{PIPE} = 'IGNORE';		# QEMU may end first: its failures show

# Machines without QEMU's PIIX4 block: one line, nothing written, the
# boot ends as always.
my @none = (['q35', qr/not QEMU's PIIX4 ACPI device/],
	    ['isapc', qr/no FADT/],
	    ['pc,acpi=off', qr/no FADT/]);
my @b = boot_each(2, \&boot, map { { cpu => 'Conroe', append => 'poweroff',
			  qemu_args => ['-machine', $_->[0]] } } @none);
for my $i (0 .. $#none) {
	my ($m, $why) = @{ $none[$i] };
	is($b[$i]{status}, 0, "-machine $m: powers off with status 0");
	like($b[$i]{log}, qr/${STAMP}hotplug: no CPU hot-add: $why$/m,
	     "-machine $m: one line says why there is no hot-add");
	unlike($b[$i]{log}, qr/hotplug: ACPI CPU hotplug at/,
	       "-machine $m: the block is not used");
}

# A session: run-qemu with the human monitor on a socket, the console on
# a pipe. Waits end when the line comes or QEMU ends (run-qemu's
# --timeout), never on a clock of their own.
sub start {
	my (%o) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my @cmd = ('scripts/run-qemu', '--cpu', 'Conroe', '--smp', $o{smp},
		   '--timeout', 120, '--append', $o{append},
		   '--qemu-arg', '-monitor',
		   '--qemu-arg', "unix:$dir/mon,server=on,wait=off", 'vmlinux');
	my $pid = open(my $fh, '-|') // die "fork: $!";
	if (!$pid) {
		open(STDIN, '<', '/dev/null');
		open(STDERR, '>&', \*STDOUT);
		exec @cmd or die "exec: $!";
	}
	my $s = { fh => $fh, log => '', eof => 0, cmd => "@cmd" };
	until ($s->{mon} = IO::Socket::UNIX->new(Peer => "$dir/mon")) {
		pump($s, 0.05);
		die "no monitor socket\n$s->{log}" if $s->{eof};
	}
	$s->{mon}->blocking(0);
	monitor_reply($s);		# the banner and first prompt
	return $s;
}

sub pump {
	my ($s, $wait) = @_;
	return if $s->{eof};
	if (IO::Select->new($s->{fh})->can_read($wait)) {
		my $n = sysread($s->{fh}, my $buf, 65536);
		$n ? ($s->{log} .= $buf =~ s/\r//gr) : ($s->{eof} = 1);
	}
}

# Wait for the console to print a line matching $re after offset $from.
# Returns the text from $from on, or undef when QEMU ended first.
sub wait_for {
	my ($s, $re, $from) = @_;
	until (substr($s->{log}, $from // 0) =~ $re) {
		return undef if $s->{eof};
		pump($s, 0.1);
	}
	return substr($s->{log}, $from // 0);
}

# The kernel's last word on an event for APIC id $n: its add or remove
# line, or a warning about that CPU.
sub settled {
	my ($n) = @_;
	return qr/${STAMP}hotplug: (?:(?:add|remove) apic=$n |apic $n |CPU\d+ \(apic $n\)).*\n/;
}

# What the monitor says up to its next prompt, without the echo.
sub monitor_reply {
	my ($s) = @_;
	my $out = '';
	until ($out =~ /\(qemu\) $/) {
		my $n = sysread($s->{mon}, my $buf, 65536);
		if ($n) {
			$out .= $buf;
		} else {
			return $out if $s->{eof};
			pump($s, 0.05);
		}
	}
	$out =~ s/\e\[[0-9;]*[A-Za-z]|\r//g;
	$out =~ s/\(qemu\) $//;
	return $out =~ s/^[^\n]*\n//r;	# the command's echo
}

sub hmp {
	my ($s, $cmd) = @_;
	print { $s->{mon} } "$cmd\n";
	return monitor_reply($s);
}

sub cpus {
	my ($s) = @_;
	return scalar(() = hmp($s, 'info cpus') =~ /CPU #\d+/g);
}

sub finish {
	my ($s) = @_;
	print { $s->{mon} } "quit\n";
	pump($s, 1) until $s->{eof};
	close $s->{fh};
}

my $add = 'device_add Conroe-i386-cpu,id=cpu%d,socket-id=0,core-id=%d,thread-id=0';
my $s = start(smp => '1,maxcpus=4', append => 'fixup=smp');
ok(wait_for($s, qr/${STAMP}idle: boot complete/), 'booted')
	or diag($s->{log});
like($s->{log}, qr/${STAMP}hotplug: ACPI CPU hotplug at 0xaf00, SCI IRQ 9, GPE0 at 0xafe0 bit 2$/m,
     'the block and the SCI are set up');
is(cpus($s), 1, 'QEMU runs one CPU');

for my $n (1, 2) {
	my $from = length $s->{log};
	# Nothing else either: no warnings of TCG's (run-qemu's -lm,-syscall)
	is(hmp($s, sprintf($add, $n, $n)), '', "device_add cpu$n: accepted");
	my $log = wait_for($s, settled($n), $from) // $s->{log};
	like($log, qr/${STAMP}hotplug: add apic=$n cpu=$n online=${\($n + 1)} sci_to_up_us=\d+$/m,
	     "cpu$n: the SCI came, CPU$n started, ${\($n + 1)} online");
	like($log,
	     qr/${STAMP}hotplug: insert event for apic $n\n(?:.*\n)*?${STAMP}smp: CPU$n \(apic $n\) up\n/,
	     "cpu$n: insert event, then the usual up line");
	is(cpus($s), $n + 1, "QEMU runs ${\($n + 1)} CPUs");
}
my ($us) = $s->{log} =~ /sci_to_up_us=(\d+)/;
note("first hot-add: $us us from the SCI to the up line");

for my $n (1, 2) {
	my $from = length $s->{log};
	is(hmp($s, "device_del cpu$n"), '', "device_del cpu$n: accepted");
	my $log = wait_for($s, settled($n), $from) // $s->{log};
	like($log, qr/${STAMP}hotplug: remove apic=$n cpu=$n online=${\(3 - $n)} ejected=yes$/m,
	     "cpu$n: stopped and ejected, ${\(3 - $n)} online");
	is(cpus($s), 3 - $n, "QEMU runs ${\(3 - $n)} CPU(s): the eject happened");
}
unlike($s->{log}, qr/did not stop|still present|SCIs without/,
       'no CPU refused to stop, none left present');
finish($s);

# A CPU refused on arrival (fixup=up) never runs; removing it ejects it
# all the same.
$s = start(smp => '1,maxcpus=2', append => 'fixup=up');
ok(wait_for($s, qr/${STAMP}idle: boot complete/), 'fixup=up: booted')
	or diag($s->{log});
my $from = length $s->{log};
hmp($s, sprintf($add, 1, 1));
like(wait_for($s, settled(1), $from) // $s->{log},
     qr/${STAMP}hotplug: apic 1 not started: fixup=up/,
     'fixup=up: the CPU is refused');
is(cpus($s), 2, 'fixup=up: QEMU has the CPU');
unlike($s->{log}, qr/smp: CPU1 /, 'fixup=up: CPU1 never started');
$from = length $s->{log};
hmp($s, 'device_del cpu1');
like(wait_for($s, settled(1), $from) // $s->{log},
     qr/${STAMP}hotplug: remove apic=1 cpu=-1 online=1 ejected=yes$/m,
     'fixup=up: the CPU that never ran is ejected');
is(cpus($s), 1, 'fixup=up: QEMU removed it');
finish($s);

done_testing();

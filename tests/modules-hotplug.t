#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# Modules and CPU hot-add (issue 14, "With CPU hot-add"): the defconfig
# kernel boots under "-smp 1,maxcpus=4" with modules/modtest.ko, UP
# variants in its text and in the module's, and keeps both their
# mode-dependent records (the "fixup: module modtest kept B bytes for
# CPU hot-add (K sites)" line). A CPU is then added through QEMU's
# monitor: read from the running machine (memsave, through the page
# tables: the module lies above RAM), every module site must hold its
# SMP variant (LOCK f0), the module's self-tests must pass again with two
# CPUs online (selftest_on_hotplug); removed again, every module site
# must hold its UP variant (LOCK 3e). QEMU's own answers ("info cpus",
# DEVICE_DELETED) prove each event happened. With every CPU present at
# boot ("-smp 2,maxcpus=2") nothing is kept, of the kernel or the module.
use strict;
use warnings;
use lib 'tests/lib', 'scripts/lib';
use Test::More;
use File::Temp qw(tempdir);
use File::Copy qw(copy);
use Fixup::Image;
use Fixup::Catalogue;
use Fixup386::Boot qw(boot ktap_results);
use Fixup386::Session;
use Fixup386::Rules qw(parse_cpu_line);
use Fixup386::Sites qw(check_sites);

my $cpu = 'Conroe';
my $maxcpus = 4;
# A guard against a lost event hanging the test, not a checked time.
my $LIMIT = 120;

# Private copies: the tree may be rebuilt while the boots run.
my $tmp = tempdir(CLEANUP => 1);
copy('vmlinux', "$tmp/vmlinux") or die "copy vmlinux: $!";
copy('modules/modtest.ko', "$tmp/modtest.ko")
	or plan skip_all => 'no modules/modtest.ko (make modules)';
my ($kernel, $ko) = ("$tmp/vmlinux", "$tmp/modtest.ko");
plan skip_all => 'no CPU hotplug driver in vmlinux (hotplug_init)'
	unless defined Fixup::Image::symbol_values($kernel)->{hotplug_init};

# The module's sites, by offset in its .text, and its text's size.
my $kinds = Fixup::Catalogue::kinds();
my @recs = map { { %$_, kind => $kinds->{$_->{kind}}{name} } }
	Fixup::Image::records($ko);
my @locks = grep { $_->{kind} eq 'LOCK' } @recs;
cmp_ok(scalar @locks, '>', 0, scalar(@locks) . ' LOCK sites in modtest');
my ($text) = grep { $_->{name} eq '.text' } Fixup::Image::sections($ko);
my $size = $text->{size};
my @tests = map { $_->{name} =~ /^__selftest_(modtest_\w+)$/ ? $1 : () }
	Fixup::Image::symtab($ko);
cmp_ok(scalar @tests, '>', 0, "modtest has self-tests: @tests");

my $STAMP = qr/^\[\s*\d+\.\d+\] /m;

# What is wrong with the module's text in $mem for mode $smp: every site
# its variant (Fixup386::Sites), the LOCK sites $lock.
sub module_problems {
	my ($mem, $base, $c, $smp, $when) = @_;
	my @sites = map { { %$_, addr => $base + $_->{addr},
		where => sprintf('modtest+0x%x', $_->{addr}) } } @recs;
	my $res = check_sites(mem => $mem, base => $base, sites => \@sites,
			      cpu => $c, smp => $smp);
	my $lock = $smp ? 'f0' : '3e';
	my @p = map { "$when: $_" } @{$res->{bad}};
	for my $s (@locks) {
		my $got = sprintf '%02x', ord substr($mem, $s->{addr}, 1);
		push @p, sprintf('%s: LOCK site modtest+0x%x reads %s, want %s',
				 $when, $s->{addr}, $got, $lock)
			if $got ne $lock;
	}
	return @p;
}

# The module's self-test results in the run "selftest: after CPU change
# $n" printed from offset $from on: what is wrong with them.
sub selftest_problems {
	my ($log, $from, $n) = @_;
	my ($run) = substr($log, $from) =~ /(${STAMP}selftest: after CPU change $n: .*\n(?:.*\n)*?${STAMP}selftest: \d+ passed, \d+ failed\n)/;
	return ("change $n: no self-test run") unless $run;
	my %ok = map { $_->[2] => $_->[0] && !$_->[3] }
		@{ (ktap_results($run) // {})->{results} // [] };
	return map { "change $n: $_ " . (exists $ok{$_} ? 'not ok' : 'missing') }
		grep { !$ok{$_} } @tests;
}

my $s = Fixup386::Session->start(cpu => $cpu, smp => "1,maxcpus=$maxcpus",
	kernel => $kernel, append => 'selftest selftest_on_hotplug',
	qemu_args => ['-initrd', $ko]);
my @p;
my $booted = $s->wait_for(qr/idle: boot complete|oops:|panic/) &&
	$s->log =~ /idle: boot complete/;
ok($booted, "-smp 1,maxcpus=$maxcpus with modtest: booted")
	or diag($s->log);
my $log = $s->log;
my ($base) = map { hex } $log =~ /module: modtest loaded at 0x([0-9a-f]+)/;
my $c = parse_cpu_line(($log =~ /(fixup: cpu: .*)/)[0] // '');
like($log, qr/fixup: mode: up cpus=1 reason=auto/, 'boot: UP mode');
like($log, qr/fixup: kept [1-9]\d* bytes for CPU hot-add/,
     'boot: the kernel kept its records');
my ($bytes, $k) = $log =~ /^\[[ \d.]+\] fixup: module modtest kept (\d+) bytes for CPU hot-add \((\d+) sites\)$/m;
ok($k && $k >= @locks && $k <= @recs,
   'boot: fixup: module modtest kept ' . ($bytes // '?') . ' bytes (' .
   ($k // '?') . ' sites of ' . @recs . ')');
is_deeply([module_problems($s->dump($base, $size, 1), $base, $c, 0,
			   'boot')], [], 'boot: module sites hold UP variants')
	if $booted && $base;
# The boot's self-tests: the module's, and fixup_repatch, which goes to
# SMP and back on one CPU and looks at every kept site of every table.
my $boot_ktap = ktap_results($log) // {};
my %boot_ok = map { $_->[2] => $_->[0] && !$_->[3] }
	@{ $boot_ktap->{results} // [] };
ok($boot_ok{$_}, "boot: self-test $_ ok") for 'fixup_repatch', @tests;
my ($kernel_k) = $log =~ /fixup: kept \d+ bytes for CPU hot-add \((\d+) sites\)/;

for my $step (['add', 1, 1], ['del', 1, 0]) {
	my ($op, $n, $smp) = @$step;
	my $change = $op eq 'add' ? 1 : 2;
	last unless $booted && $base;
	my $from = length $s->log;
	my $answer = $s->hmp($op eq 'add'
		? "device_add $cpu-i386-cpu,id=cpu$n,socket-id=0,core-id=$n," .
		  'thread-id=0'
		: "device_del cpu$n");
	my $done = $s->wait_for(qr/${STAMP}selftest: after CPU change $change: .*\n(?:.*\n)*?${STAMP}selftest: \d+ passed, \d+ failed\n/,
				from => $from, limit => $LIMIT);
	ok($done, "$op CPU$n: the kernel re-ran the self-tests")
		or diag(substr($s->log, $from)), last;
	my $cpus = $s->hmp('info cpus');
	my $online = () = $cpus =~ /CPU #\d+:/g;
	is($online, $smp ? 2 : 1, "$op CPU$n: QEMU runs $online CPUs")
		or diag("$answer\n$cpus");
	if ($op eq 'del') {
		ok((grep { $_->{event} eq 'DEVICE_DELETED' } $s->events),
		   "$op CPU$n: QEMU's DEVICE_DELETED event");
	}
	my $mode = $smp ? 'smp cpus=2' : 'up cpus=1';
	my ($sites) = substr($s->log, $from) =~ /fixup: mode: $mode reason=hotplug\n(?:.*\n)*?.*fixup: repatched sites=(\d+) patched=\1 unchanged=0 rejected=0 /;
	is($sites, ($kernel_k // 0) + ($k // 0),
	   "$op CPU$n: re-patched to " . ($smp ? 'SMP' : 'UP') .
	   ': the kernel\'s kept sites and the module\'s');
	is_deeply([module_problems($s->dump($base, $size, 1), $base, $c, $smp,
				   "$op CPU$n")], [],
		  "$op CPU$n: module sites hold " . ($smp ? 'SMP' : 'UP') .
		  ' variants (LOCK ' . ($smp ? 'f0' : '3e') . ')');
	is_deeply([selftest_problems($s->log, $from, $change)], [],
		  "$op CPU$n: the module's self-tests ok (@tests)");
}
my $r = $s->finish;
unlike($r->{log}, qr/oops:|panic/, 'no oops');

# Every CPU present at boot: nothing kept, of the kernel or the module.
$r = boot(cpu => $cpu, smp => 2, append => 'poweroff',
	  qemu_args => ['-initrd', $ko], kernel => $kernel);
like($r->{log}, qr/module: modtest loaded at/, '-smp 2: modtest loaded');
unlike($r->{log}, qr/kept \d+ bytes for CPU hot-add/,
       '-smp 2,maxcpus=2: nothing kept, of the kernel or the module');

done_testing();

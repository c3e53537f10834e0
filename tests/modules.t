#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# Boot-time modules (Documentation/modules.md): modules/modtest.ko, built
# by "make modules" and checked by fixup-verify, loads on a 486, a
# Pentium III and a Core 2 with one and two CPUs; its report lines are
# there and agree with the file; its self-tests pass in the kernel's KTAP
# stream; read from the running machine, every module site holds its
# variant (LOCK 3e on one CPU, f0 on two), the module's text is mapped
# read-only, its table is gone, and no other text byte but the relocated
# ones differs from the file. Corrupt copies of it, one per reason, are
# each refused with that reason, none of their code runs, and the boot
# completes. An oops in module code names module:symbol+off/len.
use strict;
use warnings;
use lib 'tests/lib', 'scripts/lib';
use Test::More;
use File::Temp qw(tempdir);
use Fixup::Image;
use Fixup::Catalogue;
use Fixup386::Boot qw(boot boot_each check_boot ktap_results);
use Fixup386::Memory qw(boot_and_dump);
use Fixup386::Rules qw(parse_cpu_line);
use Fixup386::Sites qw(check_sites);
use Fixup386::BadModules qw(bad_modules);

my $ko = 'modules/modtest.ko';
ok(-f $ko, "$ko is built (make modules)") or BAIL_OUT("no $ko");

my $verify = `scripts/fixup-verify $ko 2>&1`;
is($?, 0, "fixup-verify passes $ko") or diag($verify);
my ($nsites) = $verify =~ /: (\d+) sites/;
my @recs = Fixup::Image::records($ko);
is(scalar @recs, $nsites, 'fixup-verify counts every record');
my %kinds = map { $_->{kind} => 1 } @recs;
my %name = map { $_ => Fixup::Catalogue::kinds()->{$_}{name} } keys %kinds;
my %have = map { $name{$_} => 1 } keys %name;
ok($have{$_}, "modtest has a $_ site")
	for qw(LOCK MB SMP_MB SMP_WMB PREFETCH PREFETCHW CALL);
my @tests = map { $_->{name} =~ /^__selftest_(modtest_\w+)$/ ? $1 : () }
	Fixup::Image::symtab($ko);
cmp_ok(scalar @tests, '>=', 3, 'modtest has self-tests: ' . join(' ', @tests));

# fixup-verify fails a module with an unrecorded lock prefix, and one
# with code outside .text (the pass's one range).
my $tmp = tempdir(CLEANUP => 1);
for my $c (['unrecorded lock prefix', "\tlock; incl (%eax)\n\tret\n"],
	   ['code in .text.other', "\tret\n.section .text.other,\"ax\"\n\tnop\n"]) {
	my ($want, $asm) = @$c;
	open(my $fh, '>', "$tmp/m.S") or die "$tmp/m.S: $!";
	print $fh ".text\n.globl init_module\ninit_module:\n$asm";
	close($fh);
	system("gcc -m32 -c -o $tmp/m.o $tmp/m.S && ld -m elf_i386 -r "
	       . "-o $tmp/m.ko $tmp/m.o") == 0 or die 'assembling failed';
	my $out = `scripts/fixup-verify $tmp/m.ko 2>&1`;
	ok($? != 0 && $out =~ /\Q$want\E/, "fixup-verify fails a module: $want")
		or diag($out);
}

# ---- boots: report lines and self-tests ----

my @machines = (['486', 1], ['486', 2], ['pentium3', 1], ['pentium3', 2],
		['Conroe', 1], ['Conroe', 2]);
my @boots = boot_each(2, \&boot, map { {
	cpu => $_->[0], smp => $_->[1], append => 'selftest poweroff',
	qemu_args => ['-initrd', "$ko arg=1"] } } @machines);
for my $i (0 .. $#machines) {
	my ($cpu, $smp) = @{$machines[$i]};
	my $r = $boots[$i];
	my $what = "-cpu $cpu -smp $smp";
	check_boot($r, $what);
	my ($mode) = $r->{log} =~ /fixup: mode: (\w+) /;
	my @m = $r->{log} =~ /^\[[ \d.]+\] fixup: module modtest sites=(\d+) patched=(\d+) unchanged=(\d+) rejected=(\d+)$/m;
	is($m[0], $nsites, "$what: fixup: module line, sites as in the file")
		or diag($r->{log});
	is(($m[1] // 0) + ($m[2] // 0), $nsites, "$what: patched + unchanged = sites");
	is($m[3], 0, "$what: nothing rejected");
	like($r->{log}, qr/^\[[ \d.]+\] module: modtest loaded at 0x[0-9a-f]{8} \(text \d+ bytes\)$/m,
	     "$what: module: loaded line");
	like($r->{log}, qr/modtest: init, args 'arg=1'/,
	     "$what: init ran with its arguments");
	my $k = ktap_results($r->{log}) // { results => [] };
	my %ok = map { $_->[2] => $_->[0] && !$_->[3] } @{$k->{results}};
	ok($ok{$_}, "$what: $_ ok in the KTAP stream") for @tests;
	is($mode, $smp > 1 && $cpu ne '486' ? 'smp' : 'up', "$what: mode");
	my ($freed) = $r->{log} =~ /module: 1 loaded, 0 refused, files freed: (\d+)k/;
	cmp_ok($freed // 0, '>=', int((-s $ko) / 4096) * 4,
	       "$what: the file's memory is freed after loading");
}

# ---- the running machine's memory ----

my %rel = map { $_->{offset} => 1 } @{Fixup::Image::elf($ko)->{rel_for}{
	(grep { $_->{name} eq '.text' } Fixup::Image::sections($ko))[0]{index}}};
system('objcopy', '-O', 'binary', '--only-section=.text', $ko,
       "$tmp/text.bin") == 0 or die 'objcopy failed';
my $image = do { local (@ARGV, $/) = ("$tmp/text.bin"); <> };
my $loaded_at = sub { $_[0] =~ /module: modtest loaded at 0x([0-9a-f]+)/
	? hex $1 : 0 };

for my $m (['486', 1], ['pentium3', 2], ['Conroe', 1], ['Conroe', 2]) {
	my ($cpu, $smp) = @$m;
	my $what = "-cpu $cpu -smp $smp";
	my $r = boot_and_dump(cpu => $cpu, smp => $smp, append => '',
			      qemu_args => ['-initrd', $ko], virtual => 1,
			      info_mem => 1, addr => $loaded_at,
			      size => length $image);
	ok(defined $r->{mem}, "$what: booted and dumped the module's text")
		or diag($r->{log}), next;
	my $base = $loaded_at->($r->{log});
	my $c = parse_cpu_line(($r->{log} =~ /(fixup: cpu: .*)/)[0] // '');
	my $smp_mode = $r->{log} =~ /fixup: mode: smp /;
	my @sites = map { { %$_, addr => $base + $_->{addr},
		where => sprintf('modtest+0x%x', $_->{addr}),
		kind => $name{$_->{kind}} } } @recs;
	my $res = check_sites(mem => $r->{mem}, base => $base,
			      sites => \@sites, cpu => $c, smp => $smp_mode);
	is_deeply($res->{bad}, [], "$what: every module site holds its variant ("
		  . join(', ', map { "$_ $res->{checked}{$_}" }
			 sort keys %{$res->{checked}}) . ')');
	my $lock = $smp_mode ? 'f0' : '3e';
	my @locks = grep { $_->{kind} eq 'LOCK' } @sites;
	my @wrong = grep { sprintf('%02x', ord substr($r->{mem},
		$_->{addr} - $base, 1)) ne $lock } @locks;
	ok(@locks && !@wrong, "$what: LOCK sites read $lock (" .
	   scalar(@locks) . ')');

	my @changed;
	for my $off (0 .. length($image) - 1) {
		next if $res->{covered}{$off} || grep { $rel{$off - $_} } 0 .. 3;
		push @changed, sprintf('0x%x', $off)
			if substr($image, $off, 1) ne substr($r->{mem}, $off, 1);
	}
	is(scalar @changed, 0, "$what: no text byte but sites and relocations "
	   . 'changed') or diag("@changed[0 .. ($#changed < 9 ? $#changed : 9)]");

	# "info mem": 0000d0000000-0000d0002000 0000000000002000 -r-
	my %map;
	for (split /\n/, $r->{info_mem} // '') {
		$map{hex $1} = [hex $2, $3] if /^([0-9a-f]+)-([0-9a-f]+) \S+ (\S+)$/;
	}
	my ($range) = grep { $_ <= $base && $base < $map{$_}[0] } keys %map;
	ok(defined $range && $map{$range}[1] !~ /w/ &&
	   $map{$range}[0] >= $base + length $image,
	   "$what: the module's text is mapped read-only")
		or diag($r->{info_mem});
}

# ---- corrupt modules ----

my @bad = bad_modules($ko);
my @initrd;
for my $b (@bad) {
	my $f = "$tmp/$b->{name}.ko";
	open(my $fh, '>:raw', $f) or die "$f: $!";
	print $fh $b->{bytes};
	close($fh);
	push @initrd, "$f mark=$b->{name}";
}
# The good module first: the last of @bad has its name.
my $r = boot(cpu => 'Conroe', smp => 2, append => 'selftest poweroff',
	     qemu_args => ['-initrd', join(',', "$ko good", @initrd)]);
check_boot($r, 'corrupt modules beside a good one');
for my $b (@bad) {
	my @l = $r->{log} =~ /^\[[ \d.]+\] (module: \Q$b->{name}\E: refused: .*)$/mg;
	is(scalar @l, 1, "$b->{name}: one refusal line") or diag($r->{log});
	like($l[0] // '', $b->{reason}, "$b->{name}: refused for its reason");
	unlike($r->{log}, qr/modtest: init, args 'mark=\Q$b->{name}\E'/,
	       "$b->{name}: none of its code ran");
}
like($r->{log}, qr/modtest: init, args 'good'/, 'the good module started');
like($r->{log}, qr/module: 1 loaded, ${\ scalar @bad} refused/,
     'one loaded, every corrupt one refused');
my $k = ktap_results($r->{log}) // { results => [] };
my %ok = map { $_->[2] => $_->[0] } @{$k->{results}};
ok($ok{$_}, "the good module's $_ ok") for @tests;

# ---- an oops in a module ----

$r = boot(cpu => 'Conroe', smp => 1, append => 'poweroff',
	  qemu_args => ['-initrd', "$ko crash"]);
# Its init oopses before init memory is freed: no check_boot().
is($r->{status}, 2, 'oops in module init: the oops power-off status')
	or diag($r->{log});
my @oops = $r->{log} =~ /^\[[ \d.]+\] (oops: .*)$/mg;
is(scalar(grep { /^oops: invalid opcode/ } @oops), 1, 'exactly one oops');
like($r->{log}, qr/^\[[ \d.]+\] EIP: 0008:\[<[0-9a-f]{8}>\] modtest:modtest_crash\+0x[0-9a-f]+\/0x[0-9a-f]+$/m,
     'the oops names module:symbol+off/len');

# Its text is read-only for its init already.
$r = boot(cpu => '486', smp => 1, append => 'poweroff',
	  qemu_args => ['-initrd', "$ko write_text"]);
is($r->{status}, 2, 'module init writing its text: oops') or diag($r->{log});
like($r->{log}, qr/oops: page fault: write to a read-only page at 0x[0-9a-f]{8} \(module modtest:modtest_write_text\+0x0\/0x[0-9a-f]+\)/,
     'the page fault names the module text');

# ---- nofixup: the module keeps its compiled forms and still runs ----

$r = boot(cpu => 'Conroe', smp => 2, append => 'nofixup selftest poweroff',
	  qemu_args => ['-initrd', $ko]);
check_boot($r, 'nofixup with a module');
unlike($r->{log}, qr/fixup: module /, 'nofixup: no module pass');

done_testing();

#!/usr/bin/perl
# The defconfig kernel in QEMU across CPU models, CPU counts and fixup
# parameters: the report's stable lines name, for every kind, the variant
# that CPU and mode must get (rules written out independently in
# tests/lib/Fixup386/Rules.pm), the counts add up, and the self-tests,
# which execute every kind after patching, pass.
use strict;
use warnings;
use lib 'tests/lib', 'scripts/lib';
use Test::More;
use Fixup::Catalogue;
use Fixup::Image;
use Fixup386::Boot qw(boot check_boot report_lines);
use Fixup386::Rules qw(parse_cpu_line expected_variants);

# The kinds the image has sites of: a kind with none has no report line,
# and Rules.pm's variant for it cannot be seen in a boot (today the
# flag-keeping barriers: tests/host/test_fixup.c and the asm pass's tests
# hold them).
my %in_image;
{
	my $kinds = Fixup::Catalogue::kinds();
	$in_image{$kinds->{$_->{kind}}{name} // "kind $_->{kind}"}++
		for Fixup::Image::records('vmlinux');
}
ok(%in_image, 'the site records of vmlinux, by kind');

# [cpu, smp, append, expected mode, expected reason, expected cpus]
my @matrix;
for my $cpu ('486', 'pentium', 'pentium2', 'pentium3', 'athlon,-sse,-sse2',
	     'Conroe', 'max') {
	push @matrix, [$cpu, 1, '', 'up', 'auto', 1],
		# QEMU's 486 has no local APIC: the others cannot start
		$cpu eq '486' ? [$cpu, 2, '', 'up', 'no-apic', 1]
			      : [$cpu, 2, '', 'smp', 'auto', 2];
}
push @matrix,
	['Conroe', 2, 'fixup=up', 'up', 'fixup=up', 2],
	['pentium3', 1, 'fixup=smp', 'smp', 'fixup=smp', 1],
	['Conroe', 2, 'maxcpus=1', 'up', 'maxcpus', 1],
	['pentium2', 2, 'nosmp', 'up', 'nosmp', 1],
	['Conroe', 1, 'clearcpuid=sse2', 'up', 'auto', 1],
	['Conroe', 2, 'clearcpuid=sse,mmx', 'smp', 'auto', 2],
	# Pentium 11AP (family 5 model 2, an affected stepping): xchg
	['pentium,model=2,stepping=5', 1, '', 'up', 'auto', 1],
	# IDT WinChip C6: may reorder stores, so smp_wmb stays a barrier
	['pentium,vendor=CentaurHauls,model=4,stepping=1', 2, '', 'smp', 'auto', 2];

for my $m (@matrix) {
	my ($cpu, $smp, $args, $mode, $reason, $ncpus) = @$m;
	my $what = "-cpu $cpu -smp $smp" . ($args ? " $args" : '');
	my $r = boot(cpu => $cpu, smp => $smp,
		     append => "selftest poweroff $args");
	check_boot($r, $what);

	my @rep = report_lines($r->{log});
	my ($cpuline) = grep { /^fixup: cpu: / } @rep;
	ok($cpuline, "$what: cpu line") or next;
	my $c = parse_cpu_line($cpuline);
	if ($args =~ /clearcpuid=(\S+)/) {
		ok(!$c->{has}{$_}, "$what: $_ masked") for split /,/, $1;
	}
	ok(grep({ $_ eq "fixup: mode: $mode cpus=$ncpus reason=$reason" } @rep),
	   "$what: mode $mode cpus=$ncpus reason=$reason")
		or diag(join "\n", @rep);

	my $want = expected_variants($c, $mode eq 'smp');
	my %got;
	my ($sum_sites, $sum_patched, $sum_unchanged) = (0, 0, 0);
	for (@rep) {
		next unless /^fixup: kind (\w+) sites=(\d+) patched=(\d+) unchanged=(\d+) variant=(\S+)$/;
		$got{$1} = $5;
		$sum_sites += $2;
		$sum_patched += $3;
		$sum_unchanged += $4;
		is($2, $3 + $4, "$what: $1 sites = patched + unchanged");
	}
	for my $kind (sort keys %$want) {
		if (!$in_image{$kind}) {
			ok(!exists $got{$kind}, "$what: $kind: no site in "
			   . 'vmlinux, no report line');
			next;
		}
		is($got{$kind}, $want->{$kind}, "$what: $kind is $want->{$kind}");
	}
	for my $kind (sort keys %got) {
		ok($kind eq 'CALL' || exists $want->{$kind}, "$what: $kind has "
		   . 'a rule in tests/lib/Fixup386/Rules.pm');
	}
	my ($sum) = grep { /^fixup: summary / } @rep;
	like($sum, qr/^fixup: summary sites=$sum_sites patched=$sum_patched unchanged=$sum_unchanged rejected=0 time_us=\d+$/,
	     "$what: summary adds up, nothing rejected");
	ok(grep({ /^fixup: freed table bytes=\d+$/ } @rep), "$what: table freed");
	if ($args eq 'fixup=up' && $smp > 1) {
		like($r->{log}, qr/fixup: fixup=up on a machine with 2 CPUs/,
		     "$what: warns that only the boot CPU will run");
	}
}

# Machines with more RAM than the kernel maps (1 GiB): the ACPI tables
# near the top of a 2 or 3 GiB machine are still found before paging.
for my $mem (2048, 3000) {
	my $r = boot(cpu => 'Conroe', smp => 2, memory => $mem,
		     append => 'selftest poweroff');
	check_boot($r, "-m $mem");
	ok(grep({ $_ eq 'fixup: mode: smp cpus=2 reason=auto' } report_lines($r->{log})),
	   "-m $mem: both CPUs found") or diag($r->{log});
}

# nofixup: no pass, every site keeps its compiled form (the patched_bytes
# self-test checks the bytes), and the kernel still works on a 486.
for my $cpu ('486', 'Conroe') {
	my $r = boot(cpu => $cpu, smp => 2, append => 'selftest poweroff nofixup');
	check_boot($r, "-cpu $cpu nofixup");
	my @rep = report_lines($r->{log});
	my $n = $cpu eq '486' ? 1 : 2;		# no local APIC on QEMU's 486
	ok(grep({ $_ eq "fixup: mode: off cpus=$n reason=nofixup" } @rep),
	   "-cpu $cpu nofixup: mode off");
	ok(!grep({ /^fixup: (kind|summary) / } @rep), "-cpu $cpu nofixup: no pass");
}

# Malformed fixup parameters: warned about by name, the default is used.
my $r = boot(cpu => 'Conroe', smp => 2,
	     append => 'selftest poweroff fixup=sideways clearcpuid=sse9 nofixup=1');
check_boot($r, 'malformed fixup parameters');
like($r->{log}, qr/bad value 'sideways' for 'fixup'/, 'fixup=sideways named');
like($r->{log}, qr/bad value 'sse9' for 'clearcpuid': unknown feature 'sse9'/,
     'unknown clearcpuid feature named');
like($r->{log}, qr/bad value '1' for 'nofixup'/, 'nofixup=1 named');
ok(grep({ $_ eq 'fixup: mode: smp cpus=2 reason=auto' } report_lines($r->{log})),
   'defaults used');

# fixup_debug: one line per site, symbol+off, kind, old -> new bytes.
$r = boot(cpu => 'Conroe', smp => 1, append => 'poweroff fixup_debug');
my @dbg = $r->{log} =~ /^\[[ \d.]+\] fixup: site (\S+) (\w+) ([0-9a-f ]+) -> ([0-9a-f ]+) \((\S+)\)$/mg;
my ($sites) = $r->{log} =~ /fixup: summary sites=(\d+)/;
is(scalar(@dbg) / 5, $sites, 'fixup_debug: one line per site');
like($r->{log}, qr/fixup: site \w+\+0x[0-9a-f]+ LOCK f0 -> 3e \(ds\)/,
     'fixup_debug: a lock site shown as symbol+off, f0 -> 3e');
like($r->{log}, qr/fixup: site \w+\+0x[0-9a-f]+ MB f0 83 04 24 00 -> 0f ae f0 (0f 1f 00|66 90) \(mfence\)|MB f0 83 04 24 00 -> 0f ae f0 66 90 \(mfence\)/,
     'fixup_debug: a barrier shown with all its bytes');

done_testing();

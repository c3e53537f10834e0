#!/usr/bin/perl
# The build does only what changed: after a full build, "make modules" and
# "make" again build nothing (-DMODULE, the modules' flag, once reached the
# flags stamp that every kernel object depends on, and each of the two
# rebuilt the whole kernel after the other). And the generated list of
# what a kernel built for a CPU requires of it.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use Fixup386::Build qw(copy_tree);

my $dir = copy_tree();
sub make {
	my ($args) = @_;
	my $out = `cd $dir && make $args 2>&1`;
	return ($? >> 8, $out);
}

my ($st, $out) = make('-s defconfig');
is($st, 0, 'make defconfig') or diag($out);
($st, $out) = make('-j2');
is($st, 0, 'make: the kernel and the modules build') or diag($out);
ok(-f "$dir/vmlinux" && -f "$dir/modules/modtest.ko",
   'make: vmlinux and modules/modtest.ko');
for my $step (qw(modules all modules all)) {
	($st, $out) = make($step);
	is($st, 0, "make $step after a full build");
	is($out, '', "make $step after a full build does nothing")
		or diag($out);
}

# What runs before the CPU check is built for the 486 (baseline-objs in
# the Makefile): it may call nothing outside those objects, which is
# built for the configured CPU and could hold a cmov.
my ($list) = `cat $dir/Makefile` =~ /^baseline-objs := ((?:.*\\\n)*.*)$/m;
my @base = split ' ', ($list // '') =~ s/\\\n//gr;
ok(@base >= 2, 'the Makefile lists the baseline objects') or diag($list);
my (%defined, %needed);
for my $o (@base) {
	for (`nm $dir/$o`) {
		$defined{$1} = 1 if /^[0-9a-f]+ [TtDdRrBbCc] (\S+)$/;
		$needed{$1} = $o if /^\s+U (\S+)$/;
	}
}
my @outside = map { "$needed{$_} calls $_" } grep { !$defined{$_} }
	sort keys %needed;
is_deeply(\@outside, [], 'the baseline objects call only each other');

# The CPU check's requirements (arch/i386/boot/cpucheck.c) come from
# what fixup-verify lets each -march use.
my $p3 = `scripts/required-features --march pentium3`;
is($?, 0, 'required-features --march pentium3');
like($p3, qr/^#define CPU_REQUIRED_FEATURES \(.*X86_FEATURE_CMOV.*X86_FEATURE_SSE\)$/m,
     'a Pentium III kernel requires cmov and sse');
unlike($p3, qr/MMXEXT/, 'but not AMD\'s mmxext bit, which Intel\'s SSE CPUs lack');
like(`scripts/required-features --march i486`,
     qr/^#define CPU_REQUIRED_FEATURES \(0\)$/m, 'the 486 kernel requires nothing');
my $bad = `scripts/required-features --march bogus 2>&1`;
is($? >> 8, 2, 'required-features: an unknown --march is a usage error');
like($bad, qr/^required-features: unknown --march bogus/, 'and named');

done_testing();

#!/usr/bin/perl
# The build does only what changed: after a full build, "make modules" and
# "make" again build nothing (-DMODULE, the modules' flag, once reached the
# flags stamp that every kernel object depends on, and each of the two
# rebuilt the whole kernel after the other).
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

done_testing();

package Bench::Kernels;
# Kernels built for this machine's family without fixups, in copies of
# the tree (tests/lib/Fixup386/Build.pm): their .text against the
# generic kernel's.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use Bench::Util qw(spew);
use Bench::Image;

my %configs = (
	'compile-up-i486' => "CONFIG_SMP=n\nCONFIG_FIXUP=n\n",
	'compile-smp-i486' => "CONFIG_FIXUP=n\n",
	'compile-up-p4' => "CONFIG_M486=n\nCONFIG_MPENTIUM4=y\n" .
		"CONFIG_SMP=n\nCONFIG_FIXUP=n\n",
	'compile-smp-p4' => "CONFIG_M486=n\nCONFIG_MPENTIUM4=y\n" .
		"CONFIG_FIXUP=n\n",
);

# $sites: the generic kernel's, for the .text difference per site.
sub measure {
	my ($bench, $sites) = @_;
	require lib;
	lib->import($bench->top . '/tests/lib');
	require Fixup386::Build;
	my $gen = $bench->val('memory,text,generic');
	for my $name (sort keys %configs) {
		$bench->step('KERNEL', "$name (a copy of the tree)");
		my ($vm, $log) = Fixup386::Build::build_config($configs{$name});
		if (!$vm) {
			my $f = $bench->dir . "/kernel-$name.log";
			spew($f, $log);
			$bench->note("$name: the kernel did not build ",
				     "(log: $f)");
			next;
		}
		my $t = Bench::Image::text_size($vm);
		$bench->row('memory', 'text', $name, $t, 'bytes');
		$bench->row('memory', 'text_extra_per_site', "generic-vs-$name",
			    sprintf('%.2f', ($gen - $t) / $sites), 'bytes')
			if $sites && $name =~ /i486/;
	}
}

1;

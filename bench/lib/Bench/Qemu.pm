package Bench::Qemu;
# The pass in QEMU: boots of the kernel (--cpu, 2 and 1 CPUs, --boots
# each), its own "fixup: summary ... time_us=N" against the last
# timestamp of the boot; and what the boot log says about memory.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use Bench::Util qw(spew median);

sub boot {
	my ($bench, $vm) = @_;
	my $cpu = $bench->opt('cpu');
	for my $smp (2, 1) {
		my $tag = lc($cpu) . "-smp$smp";
		my (@pass, @boot);
		for (1 .. $bench->opt('boots')) {
			my $cpus = $smp == 1 ? '1 CPU' : "$smp CPUs";
			my $out = $bench->run('QEMU', "$vm ($cpu, $cpus)",
				'scripts/run-qemu', '--cpu', $cpu,
				'--smp', $smp, '--append', 'poweroff',
				'--timeout', 60, $vm);
			spew($bench->dir . "/boot-$tag.log", $out);
			my ($us) = $out =~ /fixup: summary .*time_us=(\d+)/;
			my @ts = $out =~ /^\[\s*(\d+\.\d+)\]/mg;
			next unless defined $us && @ts;
			push @pass, $us;
			push @boot, $ts[-1] * 1e6;
			boot_memory($bench, $out);
		}
		next unless @pass;
		my ($p, $b) = (median(@pass), median(@boot));
		$bench->row('pass', 'qemu_pass_time', $tag, $p, 'us');
		$bench->row('pass', 'qemu_boot_time', $tag, sprintf('%.0f', $b),
			    'us');
		$bench->row('pass', 'qemu_pass_share', $tag,
			    sprintf('%.2f', 100 * $p / $b), 'percent');
	}
}

# The table, the sites and the init memory freed, as the log says:
# $bench->{boot}{table, sites, freed}, for Bench::Memory.
sub boot_memory {
	my ($bench, $log) = @_;
	my $m = $bench->{boot} //= {};
	$m->{table} = $1 if $log =~ /fixup: freed table bytes=(\d+)/;
	$m->{sites} = $1 if $log =~ /fixup: summary sites=(\d+)/;
	$m->{freed} = $1 * 1024
		if $log =~ /Freeing unused kernel memory: (\d+)k freed/;
}

1;

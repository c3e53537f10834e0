#!/usr/bin/perl
# Other configurations build and boot: the validator test build with its
# deliberately bad records, the compile-time uniprocessor kernel, a kernel
# without fixups, one built for a Pentium 4, one built for a Pentium III
# on older CPUs, and random configurations.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use Fixup386::Boot qw(boot check_boot report_lines);
use Fixup386::Build qw(build_config);

sub built {
	my ($what, $fragment) = @_;
	my ($vmlinux, $log) = build_config($fragment);
	ok($vmlinux && -f $vmlinux, "$what: builds") or diag($log);
	return $vmlinux;
}

# CONFIG_FIXUP_SELFTEST: each bad record rejected with its reason, the
# bytes of the bad sites untouched (self-test fixup_bad_records).
if (my $k = built('CONFIG_FIXUP_SELFTEST', "CONFIG_FIXUP_SELFTEST=y\n")) {
	for my $cpu ('486', 'Conroe') {
		my $r = boot(kernel => $k, cpu => $cpu, smp => 2,
			     append => 'selftest poweroff');
		check_boot($r, "selftest records on $cpu");
		my @rej = $r->{log} =~ /fixup: rejected record at 0x[0-9a-f]{8}: site (0x[0-9a-f]{8}) kind \S+ len \d+: (.*)$/mg;
		my %why;
		push @{ $why{$rej[$_ * 2 + 1]} }, $rej[$_ * 2] for 0 .. $#rej / 2;
		is(scalar(@rej) / 2, 8, "$cpu: 8 records rejected");
		for my $reason ('overlaps another site', 'outside text',
				'bad length', 'unknown kind',
				'bytes not a variant',
				'call target not in a group') {
			ok($why{$reason}, "$cpu: rejected: $reason");
		}
		is(scalar @{ $why{'overlaps another site'} // [] }, 2,
		   "$cpu: the duplicate and the overlap");
		is(scalar @{ $why{'bad length'} // [] }, 2,
		   "$cpu: zero and oversize length");
		like($r->{log}, qr/fixup: summary sites=\d+ patched=\d+ unchanged=\d+ rejected=8 /,
		     "$cpu: summary counts 8 rejected");
		like($r->{log}, qr/ok \d+ fixup_bad_records\n/, "$cpu: bad sites untouched");
	}
	# Kept for a CPU hot-add: the good records of text, not the one in
	# init text (a re-patch would refuse it: the self-test would fail).
	my $r = boot(kernel => $k, cpu => 'Conroe',
		     qemu_args => ['-smp', '1,maxcpus=4'],
		     append => 'selftest poweroff');
	check_boot($r, 'selftest records, -smp 1,maxcpus=4');
	like($r->{log}, qr/fixup: kept \d+ bytes for CPU hot-add/,
	     'selftest records: sites kept');
	like($r->{log}, qr/ok \d+ fixup_repatch\n/,
	     'selftest records: the re-patch round trip passes');
}

# CONFIG_SMP=n: the compile-time uniprocessor kernel has no lock
# prefixes, no SMP barriers and no sites for them.
if (my $k = built('CONFIG_SMP=n', "# CONFIG_SMP is not set\n")) {
	my $r = boot(kernel => $k, cpu => 'Conroe', smp => 2,
		     append => 'selftest poweroff');
	check_boot($r, 'UP kernel');
	like($r->{log}, qr/fixup386: generic i386 kernel, built for i486, UP, up to 1 CPU$/m,
	     'UP kernel: its banner says one CPU');
	my @kinds = map { /^fixup: kind (\w+) / ? $1 : () } report_lines($r->{log});
	ok(!grep({ /^(LOCK|SMP_MB|SMP_RMB|SMP_WMB)$/ } @kinds),
	   'UP kernel: no LOCK or SMP barrier sites') or diag("@kinds");
	my ($fn, @locked);
	for (split /\n/, `objdump -d $k`) {
		$fn = $1 if /^[0-9a-f]+ <(\S+)>:/;
		# mb()/rmb()/wmb() order devices on UP too: their compiled
		# form "lock; addl $0,(%esp)" stays (patched to fences).
		push @locked, "$fn: $_"
			if /\tlock\b/ && !/\tlock addl \$0x0,\(%esp\)$/;
	}
	is(scalar @locked, 0, 'UP kernel: no lock prefix in the image '
	   . 'but those of device barriers') or diag(join "\n", @locked);
	my @kinds_in_image = map { /^0x[0-9a-f]+\s+(\w+)\s/ ? $1 : () }
		`scripts/fixup-report $k`;
	ok(@kinds_in_image && !grep({ /^(LOCK|SMP_MB|SMP_RMB|SMP_WMB)$/ }
				   @kinds_in_image),
	   'UP kernel: fixup-report lists no LOCK or SMP barrier site');
}

# CONFIG_FIXUP=n: safe compiled forms, no table, no pass.
if (my $k = built('CONFIG_FIXUP=n', "# CONFIG_FIXUP is not set\n")) {
	for my $cpu ('486', 'Conroe') {
		my $r = boot(kernel => $k, cpu => $cpu, smp => 2,
			     append => 'selftest poweroff');
		check_boot($r, "no-fixup kernel on $cpu");
		ok(!grep({ /^fixup: (mode|kind|summary)/ } report_lines($r->{log})),
		   "no-fixup kernel on $cpu: no pass");
	}
}

# Built for a Pentium 4 without fixups: the compile-time SMP kernel for
# that CPU (mfence and friends compiled in).
if (my $k = built('CONFIG_MPENTIUM4, no fixups',
		  "CONFIG_MPENTIUM4=y\n# CONFIG_FIXUP is not set\n")) {
	my $r = boot(kernel => $k, cpu => 'Conroe', smp => 2,
		     append => 'selftest poweroff');
	check_boot($r, 'Pentium 4 kernel on Conroe');
	my $dis = `objdump -d $k`;
	like($dis, qr/\tmfence/, 'Pentium 4 kernel: mfence compiled in');
}

# Built for a Pentium III, booted on older CPUs: one line naming what
# the CPU lacks and what the kernel was built for, before anything
# built for the Pentium III runs (arch/i386/boot/cpucheck.c), then a
# halt, or with "poweroff" a failure status; on a Pentium III it boots.
if (my $k = built('CONFIG_MPENTIUMIII', "CONFIG_MPENTIUMIII=y\n")) {
	my %lacks = ('486' => 'tsc,cx8,cmov,mmx,fxsr,sse,nopl',
		     'pentium' => 'cmov,fxsr,sse,nopl');
	for my $cpu (sort keys %lacks) {
		my $r = boot(kernel => $k, cpu => $cpu,
			     append => 'selftest poweroff');
		is($r->{status}, 1, "Pentium III kernel on $cpu: powers off "
		   . 'with failure') or diag($r->{log});
		my @lines = grep { !/^qemu-system-i386: warning:/ }
			split /\n/, $r->{log};
		is_deeply(\@lines, ["cpu: this CPU lacks $lacks{$cpu}, which "
			  . 'this kernel, built for pentium3, requires; halting'],
			  "Pentium III kernel on $cpu: one line, what it lacks");
	}
	my $r = boot(kernel => $k, cpu => 'pentium', append => '',
		     timeout => 20);	# ends the halted kernel
	is($r->{status}, 3, 'Pentium III kernel on pentium without '
	   . 'poweroff: halts (ended by the timeout)');
	like($r->{log}, qr/^cpu: this CPU lacks .*; halting$/m,
	     'Pentium III kernel on pentium without poweroff: says why');
	$r = boot(kernel => $k, cpu => 'pentium3', smp => 2,
		  append => 'selftest poweroff');
	check_boot($r, 'Pentium III kernel on pentium3');
}

# Random configurations build (and boot where they have self-tests).
for my $seed (1, 2, 3, 4) {
	my $k = built("randconfig seed $seed", "randconfig:$seed") or next;
	my $r = boot(kernel => $k, cpu => 'max', smp => 2,
		     append => 'selftest poweroff');
	is($r->{status}, 0, "randconfig seed $seed boots on -cpu max")
		or diag($r->{log});
}

done_testing();

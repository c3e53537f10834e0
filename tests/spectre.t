#!/usr/bin/perl
# Spectre v2 (Documentation/spectre.md): the report line
# "fixup: spectre_v2: mode=M reason=R" says what each CPU model and
# command line get, on the defconfig kernel (built with CONFIG_RETPOLINE
# and CONFIG_RETHUNK: its kernel and modtest.ko branch and return
# through the thunks of arch/i386/lib/retpoline.S until the fixup pass
# rewrites the sites, and it boots to the end with every self-test, the
# module's included, passing) and on one built without thunks; and the
# mode's synthetic feature bit shows in "fixup: cpu:".
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use Fixup386::Boot qw(boot boot_each check_boot);
use Fixup386::Build qw(build_config);

sub spectre_line {
	my ($log) = @_;
	my @l = $log =~ /^\[[ \d.]+\] fixup: spectre_v2: (mode=\S+ reason=\S+)$/mg;
	return @l == 1 ? $l[0] : scalar(@l) . ' lines';
}

# The synthetic feature bit spectre.c sets for each mode (cpufeature.h).
my %mode_bit = (none => '', retpoline => 'retpoline',
    lfence => 'retpoline_lfence');

# [cpu, smp, append, the line, a warning it must print]
sub check_lines {
	my ($kernel, $what, $ko, @cases) = @_;
	my @boots = boot_each(2, \&boot, map { {
		kernel => $kernel, cpu => $_->[0], smp => $_->[1],
		append => "selftest poweroff $_->[2]",
		$ko ? (qemu_args => ['-initrd', "$ko arg=1"]) : () } } @cases);
	for my $i (0 .. $#cases) {
		my ($cpu, $smp, $args, $line, $warn) = @{ $cases[$i] };
		my $r = $boots[$i];
		my $w = "$what -cpu $cpu -smp $smp" . ($args ? " $args" : '');
		check_boot($r, $w);
		is(spectre_line($r->{log}), $line, "$w: $line");
		# the mode's synthetic bit, for the thunk kinds' rules
		my ($mode) = $line =~ /mode=(\w+)/;
		my ($feat) = $r->{log} =~ /^\[[ \d.]+\] fixup: cpu: .* features=(\S+)$/m;
		my @bits = grep { /^retpoline/ } split /,/, $feat // '';
		is("@bits", $mode_bit{$mode}, "$w: fixup: cpu: shows the "
		    . "mode's bit: '$mode_bit{$mode}'");
		like($r->{log}, qr/\Q$warn\E/, "$w: warns: $warn") if $warn;
		if ($ko) {
			like($r->{log}, qr/modtest: init, args 'arg=1'/,
			     "$w: modtest ran");
			like($r->{log}, qr/^\[[ \d.]+\] ok \d+ modtest_\w+$/m,
			     "$w: a modtest self-test passed");
		}
	}
}

# A kernel without thunks: nothing to choose on an affected CPU.
my ($nk, $nlog) = build_config("# CONFIG_RETPOLINE is not set\n"
    . "# CONFIG_RETHUNK is not set\n");
ok($nk && -f $nk, 'CONFIG_RETPOLINE=n: builds') or diag($nlog);
check_lines($nk, 'no thunks', undef,
	['486', 1, '', 'mode=none reason=not-affected'],
	['pentium', 1, '', 'mode=none reason=not-affected'],
	# QEMU's n270 is the Atom N270, Bonnell (family 6 model 1Ch)
	['n270', 1, '', 'mode=none reason=not-affected'],
	['Conroe', 2, '', 'mode=none reason=not-built'],
	['Conroe', 1, 'spectre_v2=off', 'mode=none reason=spectre_v2=off'],
	['Conroe', 1, 'spectre_v2=on nospectre_v2',
	 'mode=none reason=nospectre_v2'],
	['Conroe', 1, 'spectre_v2=retpoline', 'mode=none reason=not-built'],
	['Conroe', 1, 'spectre_v2=off spectre_v2=sideways',
	 'mode=none reason=not-built',
	 "cmdline: bad value 'sideways' for 'spectre_v2', using the default"]);

{
	my ($k, $ko) = ('vmlinux', 'modules/modtest.ko');

	# Branches to each thunk, as objdump shows them (a module's are
	# relocations against the kernel's symbols).
	my (%kern, %mod);
	for (`objdump -d $k`) {
		$kern{"$1 $2"}++
		    if /\t(call|jmp)\s+[0-9a-f]+ <(__x86_\w+_thunk\w*)>$/;
	}
	for (`objdump -dr $ko`) {
		$mod{$1}++ if /R_386_PC32\s+(__x86_\w+_thunk\w*)$/;
	}
	diag(join ', ', map { "$_: $kern{$_}" } sort keys %kern);
	diag(join ', ', map { "modtest $_: $mod{$_}" } sort keys %mod);
	ok((grep { /^call __x86_indirect_thunk_e[a-d]x$/ } keys %kern),
	   'the kernel calls the indirect-branch thunks');
	cmp_ok($kern{'jmp __x86_return_thunk'} // 0, '>', 100,
	       'the kernel returns through __x86_return_thunk');
	ok($kern{'jmp __x86_return_thunk_ecx'},
	   'a "ret $N" function returns through __x86_return_thunk_ecx');
	ok($mod{__x86_return_thunk}, 'modtest returns through the thunk');

	# Each branch to a thunk is a site (scripts/fixup-sites.pl), named
	# by its thunk (fixup-report): the counts by thunk are objdump's.
	my %branches;
	$branches{(split ' ', $_)[1]} += $kern{$_} for keys %kern;
	for ([$k, \%branches, 'the kernel'], [$ko, \%mod, 'modtest.ko']) {
		my ($f, $want, $what) = @$_;
		my %sites;	# THUNK_CALL's and THUNK_JMP's, summed
		for (`scripts/fixup-report $f`) {
			$sites{$1} += $2 if /^  (__x86_\w+)\s+(\d+)$/;
		}
		diag("$what: thunk sites " . join(', ', map { "$_ $sites{$_}" }
		    sort keys %sites));
		is_deeply(\%sites, $want, "$what: a site for every branch to "
		    . 'every thunk');
	}

	check_lines($k, 'defconfig', $ko,
		['486', 1, '', 'mode=none reason=not-affected'],
		['Conroe', 2, '', 'mode=retpoline reason=affected'],
		['Conroe', 1, 'spectre_v2=lfence',
		 'mode=lfence reason=spectre_v2=lfence'],
		['486', 1, 'spectre_v2=on', 'mode=retpoline reason=spectre_v2=on'],
		# QEMU's athlon: AMD family 6, no SSE2, so no lfence
		['athlon', 1, 'spectre_v2=retpoline,lfence',
		 'mode=retpoline reason=lfence-not-serializing']);
}

done_testing();

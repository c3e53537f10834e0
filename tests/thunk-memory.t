#!/usr/bin/perl
# The Spectre v2 thunk sites as a user's machine holds them: a kernel
# built with CONFIG_RETPOLINE and CONFIG_RETHUNK, booted on CPU models
# across Documentation/spectre.md's table and with spectre_v2= forcing
# each mode, its text read from the running machine (QEMU monitor), and
# every THUNK_CALL, THUNK_JMP and RETURN site checked against the bytes
# that CPU must get. The oracle is this file's: the modes per model and
# the bytes of each form are written out here, not read from the
# catalogue (include/asm/fixup-kinds.h) or the rules. Every text byte
# outside the sites must be the image's, and the thunk self-tests
# (arch/i386/kernel/selftest_thunk.c) must pass by name in each boot.
# Sites in the re-patch region (__repatch_start.._end) are checked
# there when the kernel kept it (a boot with room for hot-added CPUs);
# otherwise the region was freed, and must read as its int3 poison.
use strict;
use warnings;
use lib 'tests/lib', 'scripts/lib';
use Test::More;
use Fixup::Image;
use Fixup386::Boot qw(boot_each);
use Fixup386::Build qw(build_config);
use Fixup386::Memory qw(boot_and_dump);
use Fixup386::Rules qw(parse_cpu_line);
use Fixup386::Text qw(kernel_text changed_outside);

# Register numbers: Intel SDM vol. 2A, table 2-2 (no thunk for esp).
my %REG = (eax => 0, ecx => 1, edx => 2, ebx => 3, ebp => 5, esi => 6,
	   edi => 7);
# The 3-byte NOP padding an inline call: P6 and later, or older CPUs
# (SDM vol. 2B "NOP"; "lea 0(%esi),%esi").
my %NOP3 = (p6 => '0f 1f 00', old => '8d 76 00');

# [QEMU model, spectre_v2=, the mode that CPU must get, why, -smp]
my @cases = (
	['486', '', 'none', 'family 4: not affected'],
	['pentium', '', 'none', 'Intel family 5: not affected'],
	['n270', '', 'none', 'Atom Bonnell (6/1Ch): not affected'],
	['pentium3', '', 'retpoline', 'P6: affected'],
	['Conroe', '', 'retpoline', 'Core 2: affected'],
	['Conroe', 'off', 'none', 'forced off'],
	['Conroe', 'lfence', 'lfence', 'Intel with SSE2: lfence serializes'],
	['athlon', '', 'retpoline', 'AMD K7: affected'],
	['athlon', 'lfence', 'retpoline', 'AMD K7, no SSE2: no lfence'],
	['Opteron_G1', 'lfence', 'lfence', 'AMD family 0Fh: lfence serializes'],
	['486', 'retpoline', 'retpoline', 'forced on a CPU not affected'],
	['Conroe', 'off', 'none', 'forced off; the re-patch region kept',
	 '1,maxcpus=2'],
);

my ($k, $log) = build_config("CONFIG_RETPOLINE=y\nCONFIG_RETHUNK=y\n");
ok($k && -f $k, 'CONFIG_RETPOLINE, CONFIG_RETHUNK: builds')
	or diag($log), done_testing(), exit;

my $t = kernel_text($k);
my @sites = grep { $_->{kind} =~ /^(?:THUNK_CALL|THUNK_JMP|RETURN)$/ }
	@{ $t->{sites} };
my %n;
$n{$_->{kind}}++ for @sites;
cmp_ok($n{$_} // 0, '>', 0, "the image has $_ sites") for
	qw(THUNK_CALL THUNK_JMP RETURN);
diag('thunk sites in the image: ' .
     join(', ', map { "$_ $n{$_}" } sort keys %n));

# The image's bytes at an address of an allocated section.
my @secs = grep { $_->{addr} } Fixup::Image::sections($k);
sub image_bytes {
	my ($addr, $n) = @_;
	my ($sec) = grep { $addr >= $_->{addr} &&
			   $addr + $n <= $_->{addr} + $_->{size} } @secs;
	return $sec ? Fixup::Image::read_at($k, $sec->{offset} + $addr -
					    $sec->{addr}, $n) : '';
}

# Each site's thunk, from its compiled bytes in the image: its name says
# the register ("__x86_indirect_thunk_ebx", "__x86_return_thunk_ecx").
my $sym = Fixup::Image::symbol_values($k);
my ($rp_start, $rp_end) = @$sym{qw(__repatch_start __repatch_end)};
ok(defined $rp_start && defined $rp_end, 'the image has a re-patch region');
my $in_repatch = sub { $_[0]{addr} >= $rp_start && $_[0]{addr} < $rp_end };
diag(scalar(grep { $in_repatch->($_) } @sites)
     . ' of them in the re-patch region');
my %thunk_at = map { $sym->{$_} => $_ } grep { /^__x86_\w+_thunk/ } keys %$sym;
my %reg_thunk = map { $_ => $sym->{"__x86_indirect_thunk_$_"} } keys %REG;
my @unknown;
for my $s (@sites) {
	my $img = image_bytes($s->{addr}, 5);
	my ($op, $rel) = length $img == 5 ? unpack('C l<', $img) : (0, 0);
	$s->{target} = $s->{addr} + 5 + $rel;
	$s->{thunk} = $thunk_at{$s->{target}} // '';
	$s->{image} = join ' ', map { sprintf '%02x', $_ } unpack('C*', $img);
	($s->{reg}) = $s->{thunk} =~ /_(e[a-d]x|e[sd]i|ebp)$/;
	my $ok = $s->{kind} eq 'RETURN' ?
		$op == 0xe9 && $s->{thunk} eq '__x86_return_thunk' :
		$op == ($s->{kind} eq 'THUNK_CALL' ? 0xe8 : 0xe9) &&
		defined $s->{reg};
	push @unknown, "$s->{where} $s->{kind}: $s->{image} ($s->{thunk})"
		unless $ok;
}
is_deeply(\@unknown, [], 'each site in the image branches to a thunk of '
	  . 'its kind');

# The bytes a site must hold in a mode ("any" matches a branch, as the
# image's, to a thunk of the site's register: the retpoline).
sub want {
	my ($s, $mode, $nops) = @_;
	return 'c3 cc cc cc cc' if $s->{kind} eq 'RETURN';
	my $call = $s->{kind} eq 'THUNK_CALL';
	my $r = sprintf '%02x', ($call ? 0xd0 : 0xe0) + $REG{$s->{reg}};
	return $call ? "ff $r $NOP3{$nops}" : "ff $r cc cc cc"
		if $mode eq 'none';
	return "0f ae e8 ff $r" if $mode eq 'lfence';
	return 'thunk';
}

# Retpoline: the compiled branch to the thunk of the site's register
# (a "ret $N" site may keep __x86_return_thunk_ecx or get the indirect
# thunk of ecx: either is the retpoline of ecx).
sub is_thunk_branch {
	my ($s, $bytes) = @_;
	my ($op, $rel) = unpack('C l<', $bytes);
	return 0 if $op != ($s->{kind} eq 'THUNK_CALL' ? 0xe8 : 0xe9);
	my $to = $s->{addr} + 5 + $rel;
	return $to == $s->{target} || $to == $reg_thunk{$s->{reg}};
}

my @boots = boot_each(2, \&boot_and_dump, map { {
	kernel => $k, cpu => $_->[0], smp => $_->[4] // 1,
	append => 'selftest' . ($_->[1] ne '' ? " spectre_v2=$_->[1]" : ''),
	addr => $t->{text}, size => $t->{etext} - $t->{text} } } @cases);

for my $i (0 .. $#cases) {
	my ($cpu, $arg, $mode, $why, $smp) = @{ $cases[$i] };
	my $r = $boots[$i];
	my $what = "-cpu $cpu" . ($smp ? " -smp $smp" : '') .
		($arg ne '' ? " spectre_v2=$arg" : '');
	ok(defined $r->{mem}, "$what: booted and dumped")
		or diag($r->{log}), next;
	like($r->{log}, qr/fixup: spectre_v2: mode=\Q$mode\E /,
	     "$what: the kernel says mode=$mode ($why)");
	my ($cpuline) = $r->{log} =~ /^\[[ \d.]+\] (fixup: cpu: .*)$/m;
	my $nops = parse_cpu_line($cpuline // '')->{has}{nopl} ? 'p6' : 'old';
	my $kept = $r->{log} =~ /^\[[ \d.]+\] fixup: re-patch resident /m;
	is($kept ? 1 : 0, $smp ? 1 : 0, "$what: the re-patch region " .
	   ($smp ? 'kept' : 'freed'));
	my (@bad, %checked);
	for my $s (@sites) {
		my $bytes = substr($r->{mem}, $s->{addr} - $t->{text}, 5);
		my $got = join ' ', map { sprintf '%02x', $_ } unpack('C5', $bytes);
		my $w = want($s, $mode, $nops);
		if ($in_repatch->($s) && !$kept) {
			$checked{'freed'}++;
			push @bad, "$s->{where} $s->{kind} (freed): $got"
				unless $got eq 'cc cc cc cc cc';
			next;
		}
		my $ok = $w eq 'thunk' ? is_thunk_branch($s, $bytes) : $got eq $w;
		$checked{$s->{kind}}++;
		push @bad, "$s->{where} $s->{kind} $s->{thunk}: $got, want "
			. ($w eq 'thunk' ? "a branch to the $s->{reg} thunk" : $w)
			unless $ok;
	}
	is_deeply([@bad[0 .. ($#bad < 9 ? $#bad : 9)]], [],
		  "$what: every thunk site holds the $mode form (" .
		  join(', ', map { "$_ $checked{$_}" } sort keys %checked) .
		  ')') or diag(scalar(@bad) . ' sites wrong');
	my @changed = changed_outside($t, $r->{mem});
	is(scalar @changed, 0, "$what: no text byte outside the sites changed")
		or diag("@changed[0 .. ($#changed < 9 ? $#changed : 9)]");
	for my $test (qw(thunk_branch_every_register thunk_return_pops_args)) {
		like($r->{log}, qr/^\[[ \d.]+\] ok \d+ $test$/m,
		     "$what: self-test $test passed");
	}
}

done_testing();

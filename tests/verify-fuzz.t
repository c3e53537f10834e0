#!/usr/bin/perl
# tests/verify-fuzz.t: scripts/fixup-verify and scripts/nmi-section-check
# on generated images, against an oracle of their own.
#
# Each case is a random stream of instructions, written as bytes from the
# opcode maps (Intel SDM vol. 2, appendix A; AMD APM vol. 3 and the 3DNow!
# manual), each tagged with what the oracle below knows of it: the CPU
# feature it needs, or that it is a raw lock, an unrecorded fence or
# prefetch, a way out of the NMI section. Some functions land in an "awx"
# section. The checker's verdict must be exactly the oracle's: the same
# addresses refused, none more. The oracle does not use scripts/lib.
#
# VERIFY_FUZZ_SEED=N repeats a run (the seed is in the first test's
# name); VERIFY_FUZZ_COUNT=N sets the number of cases of each checker.

use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;

my $root = "$FindBin::Bin/..";
my $fix = "$root/tests/fixtures";
my $seed = $ENV{VERIFY_FUZZ_SEED} // 22;
my $count = $ENV{VERIFY_FUZZ_COUNT} // 10;
my $tmp = tempdir('verify-fuzz.XXXXXX', TMPDIR => 1, CLEANUP => 1);
srand($seed);
pass("seed $seed, $count cases each (VERIFY_FUZZ_SEED=$seed to repeat)");

# What each --march CPU has (GCC's -march documentation, "x86 Options").
my %MARCH = (
	'i486' => [],
	'pentium' => [qw(tsc cx8 msr cr4)],
	'pentium-mmx' => [qw(tsc cx8 msr cr4 mmx)],
	'pentiumpro' => [qw(tsc cx8 msr cr4 cmov nopl)],
	'pentium2' => [qw(tsc cx8 msr cr4 cmov nopl mmx fxsr sep)],
	'pentium3' => [qw(tsc cx8 msr cr4 cmov nopl mmx fxsr sep sse mmxext)],
	'pentium4' => [qw(tsc cx8 msr cr4 cmov nopl mmx fxsr sep sse mmxext sse2)],
	'k6-2' => [qw(tsc cx8 msr cr4 mmx 3dnow)],
	'athlon' => [qw(tsc cx8 msr cr4 mmx 3dnow cmov nopl mmxext 3dnowext)],
);

# [bytes, what]: what is '' (any 486), a feature, 'lock' (a raw lock
# prefix), 'site' (an instruction only a site may hold) or 'never' (no
# --march CPU has it, or it does not decode).
my @INSNS = (
	['89 c8', ''], ['01 d8', ''], ['0f c8', ''], ['0f c1 c8', ''],
	['0f b1 c8', ''], ['0f a2', ''], ['90', ''], ['f3 90', ''],
	['8d 44 24 04', ''], ['d9 e8', ''], ['dd d8', ''], ['0f 01 38', ''],
	['66 90', ''], ['2e 74 00', ''], ['3e 75 00', ''], ['f2 eb 00', ''],
	['0f 31', 'tsc'], ['0f c7 0f', 'cx8'], ['0f 32', 'msr'],
	['0f 20 e0', 'cr4'], ['0f 22 e0', 'cr4'], ['0f 20 c0', ''],
	['0f 44 c1', 'cmov'], ['da c1', 'cmov'], ['db f1', 'cmov'],
	['0f 1f 00', 'nopl'], ['0f 1f 44 00 00', 'nopl'], ['0f 18 c0', 'nopl'],
	['0f 19 c0', 'nopl'], ['0f 18 20', 'nopl'],
	['0f 6f c1', 'mmx'], ['0f ef c0', 'mmx'], ['0f 77', 'mmx'],
	['0f fc c1', 'mmx'], ['0f e0 c1', 'mmxext'], ['0f 70 c1 00', 'mmxext'],
	['0f 58 c1', 'sse'], ['0f ae 10', 'sse'], ['f3 0f 59 c1', 'sse'],
	['66 0f fe c1', 'sse2'], ['66 0f 58 c1', 'sse2'], ['66 0f ef c0', 'sse2'],
	['0f ae 38', 'sse2'], ['66 0f 70 c1 00', 'sse2'], ['0f d4 c1', 'sse2'],
	['0f ae 00', 'fxsr'], ['0f 34', 'sep'],
	['0f 0f c1 b4', '3dnow'], ['0f 0e', '3dnow'], ['0f 0f c1 bb', '3dnowext'],
	['f2 0f 7c c1', 'never'], ['66 0f d0 c1', 'never'],
	['66 0f 38 00 c1', 'never'], ['0f 38 00 c1', 'never'],
	['66 0f 38 38 c1', 'never'], ['66 0f 38 30 c1', 'never'],
	['66 0f 38 37 c1', 'never'], ['66 0f 38 dc c1', 'never'],
	['66 0f 3a 44 c1 00', 'never'], ['0f 3a cc c1 00', 'never'],
	['66 0f 38 cf c1', 'never'], ['0f 01 d6', 'never'], ['0f 01 d5', 'never'],
	['0f 01 e8', 'never'], ['0f 01 fc', 'never'], ['0f 01 ca', 'never'],
	['0f 01 c1', 'never'], ['0f c7 f0', 'never'],
	['f0 ff 00', 'lock'], ['f0 0f c1 08', 'lock'], ['f0 83 00 01', 'lock'],
	['0f ae f0', 'site'], ['0f ae f8', 'site'], ['0f ae e8', 'site'],
	['0f 18 00', 'site'], ['0f 0d 08', 'site'], ['0f c3 08', 'site'],
	['0f e7 00', 'site'],
);

sub bytes_of { return join(', ', map { "0x$_" } split ' ', $_[0]); }

sub run {
	my ($cmd) = @_;
	my $out = `$cmd 2>&1`;
	return ($? >> 8, $out);
}

sub symbols {
	my ($img) = @_;
	my %v;
	for (split /\n/, `nm $img`) {
		$v{$3} = hex $1 if /^([0-9a-f]+) (\w) (\S+)$/;
	}
	return \%v;
}

# ---- fixup-verify ---------------------------------------------------------

for my $case (1 .. $count) {
	my @m = sort keys %MARCH;
	my $march = $m[int rand @m];
	my %have = map { $_ => 1 } '', @{$MARCH{$march}};
	my ($src, @bad, $awx) = ('');
	my $n = 0;
	for my $f (0 .. 2 + int rand 3) {
		my $out = rand() < 0.15;	# a function in an "awx" section
		$awx ||= $out;
		$src .= $out ? "\t.section .awx, \"awx\"\n" : "\t.text\n";
		$src .= "\t.globl f$f\n\t.type f$f, \@function\nf$f:\n";
		for (1 .. 1 + int rand 6) {
			my ($b, $what) = @{$INSNS[int rand @INSNS]};
			# Mostly code the CPU has, as real code is.
			($b, $what) = @{$INSNS[int rand 16]} if rand() < 0.6;
			my $l = 's' . $n++;
			$src .= "\t.globl $l\n$l:\t.byte " . bytes_of($b)
			    . "\t/* $what */\n";
			push @bad, $l if $what =~ /^(?:lock|site|never)$/
			    || !$have{$what};
		}
		if (rand() < 0.3) {	# a recorded lock: fine in text only
			my $l = 's' . $n++;
			$src .= "\t.globl $l\n$l:\n661:\tlock\n662:\t"
			    . "fixup_record FIXUP_KIND_LOCK\n\tincl (%eax)\n";
			push @bad, $l if $out;
		}
		$src .= "\tret\n";
	}
	my $base = "$tmp/v$case";
	open(my $fh, '>', "$base.S") or die;
	print $fh "#include <asm/fixup.h>\n\t.text\n\t.globl _start\n"
	    . "_start:\n\tret\n$src";
	close($fh);
	system("gcc -m32 -c -I$root/include -o $base.o $base.S") == 0
	    or die "assembling $base.S failed";
	system("ld -m elf_i386 --no-warn-rwx-segments -T $fix/verify.lds "
	    . "-Map=$base.map -o $base $base.o") == 0 or die;
	my $sym = symbols($base);
	my %want = map { sprintf('0x%08x', $sym->{$_}) => 1 } @bad;
	my ($st, $out) = run("$root/scripts/fixup-verify --march $march "
	    . "--allow /dev/null $base");
	my %got;
	my $code_in = 0;
	for (split /\n/, $out) {
		$code_in++, next if /: code in \.awx /;
		$got{$1} = 1 if /^fixup-verify: \S+: (0x[0-9a-f]+) </;
	}
	my $ok = $st == (%want || $awx ? 1 : 0)
	    && join(' ', sort keys %got) eq join(' ', sort keys %want)
	    && $code_in == ($awx ? 1 : 0);
	ok($ok, "fixup-verify case $case (--march $march): "
	    . scalar(keys %want) . ' bad instructions'
	    . ($awx ? ', code in .awx' : '') . ', as the oracle says')
	    or diag("seed $seed case $case\nwant: @{[sort keys %want]}\n"
	    . "source:\n$src\noutput:\n$out");
}

# ---- nmi-section-check ----------------------------------------------------

# [asm, bytes, problem]: the instructions of an NMI entry and of the
# function it calls; a problem is an instruction that leaves the section.
my @SAFE = (['movl %eax, %ecx', 2], ['addl $1, %edx', 3], ['nop', 1],
	['pushl %eax; popl %eax', 2], ['jmp 1f; 1:', 2],
	['.byte 0xf2; jmp 1f; 1:', 3], ['.byte 0x3e; je 1f; 1:', 3],
	['.byte 0x2e; jne 1f; 1:', 3]);
my @OUT = (['call', 5], ['jmp', 5], ['je', 6]);
my @PREFIX = (['', 0], ['.byte 0x3e;', 1], ['.byte 0xf2;', 1],
	['.byte 0x2e;', 1], ['.byte 0x3e; .byte 0xf2;', 2]);
my @LEAVE = (['ud2', 2], ['int3', 1], ['lret', 1], ['int $0x80', 2],
	['.byte 0x3e; jmp *%eax', 3], ['call *%eax', 2], ['into', 1]);

for my $case (1 .. $count) {
	my (@want, $src);
	my %off = (nmi_entry => 0, nmi_count => 0);
	my $add = sub {
		my ($fn, $asm, $len, $bad) = @_;
		push @want, sprintf('%s+0x%x', $fn, $off{$fn}) if $bad;
		$src .= "\t$asm\n";
		$off{$fn} += $len;
	};
	my $body = sub {
		my ($fn) = @_;
		for (1 .. 2 + int rand 6) {
			my $r = rand;
			if ($r < 0.7) {
				$add->($fn, @{$SAFE[int rand @SAFE]}, 0);
			} elsif ($r < 0.85) {
				my ($p, $pl) = @{$PREFIX[int rand @PREFIX]};
				my ($op, $ol) = @{$OUT[int rand @OUT]};
				$add->($fn, "$p {disp32} $op locked_inc",
				    $pl + $ol, 1);
			} else {
				$add->($fn, @{$LEAVE[int rand @LEAVE]}, 1);
			}
		}
	};
	$src = "#define FUNC(n) .globl n; .type n, \@function; n:\n"
	    . "\t.text\nFUNC(_start)\n\tret\nFUNC(locked_inc)\n\tret\n"
	    . "\t.section .text.nmi, \"ax\"\nFUNC(nmi_entry)\n";
	$body->('nmi_entry');
	$add->('nmi_entry', '{disp32} call nmi_count', 5, 0);
	$add->('nmi_entry', 'ret', 1, 1) if rand() < 0.15;
	$add->('nmi_entry', 'iret', 1, 0);
	$src .= "FUNC(nmi_count)\n";
	$body->('nmi_count');
	$add->('nmi_count', 'iret', 1, 1) if rand() < 0.15;
	$add->('nmi_count', 'ret', 1, 0);
	my $base = "$tmp/n$case";
	open(my $fh, '>', "$base.S") or die;
	print $fh $src;
	close($fh);
	system("gcc -m32 -c -o $base.o $base.S") == 0
	    or die "assembling $base.S failed";
	system("ld -m elf_i386 --no-warn-rwx-segments -T "
	    . "$fix/nmi-section.lds -o $base $base.o") == 0 or die;
	my ($st, $out) = run("$root/scripts/nmi-section-check $base");
	my @got = sort map { /^nmi-section-check: \S+: (\w+\+0x[0-9a-f]+): /
	    ? $1 : () } split /\n/, $out;
	my $ok = $st == (@want ? 1 : 0)
	    && join(' ', @got) eq join(' ', sort @want);
	ok($ok, "nmi-section-check case $case: " . scalar(@want)
	    . ' ways out, as the oracle says')
	    or diag("seed $seed case $case\nwant: @{[sort @want]}\n"
	    . "source:\n$src\noutput:\n$out");
}

done_testing();

#!/usr/bin/perl
# tests/asm-pass.t: scripts/fixup-sites.pl on real GCC output.
#
# Each tests/asm/*.c is compiled with gcc -m32 -S in several configurations,
# run through the pass (twice), assembled, and the object checked against
# what the compiler emitted: every lock, fence, prefetch and non-temporal
# store is recorded exactly once, with the right kind, length and bytes,
# and inline asm (#APP) is untouched. The corpus programs that have a
# main() (tests/asm/run_*.c, and the hand-written tests/asm/run_*.asm) are
# then built twice, plain and through the pass, at -march=i486, pentium3
# and pentium4, -O0 and -O2, and both are run (natively, or under
# qemu-i386): their output and exit status must be the same, the sites
# being in their compiled forms. The corpus is also compiled, and the
# programs built and run, with the kernel's Spectre v2 thunk flags
# (-DTHUNKS, the thunks of tests/asm/thunks.s linked in): every call and
# jmp to a thunk must be recorded as its kind's site, reaching the right
# thunk. Then hand-written spellings, the flags scan, errors and --help.

use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use File::Basename qw(basename);
use FindBin;
use lib "$FindBin::Bin/../scripts/lib";
use POSIX qw(_exit);
use Fixup::Catalogue;
use Fixup::Flags;
use Fixup::Insn;

my $root = "$FindBin::Bin/..";
my $pass = "$root/scripts/fixup-sites.pl";
my $report = "$root/scripts/fixup-report";
my $tmp = tempdir('asm-pass.XXXXXX', TMPDIR => 1, CLEANUP => 1);

my @CONFIGS = (
	[qw(-O0 -march=i486 -fno-pic)],
	[qw(-O2 -march=i486 -fno-pic)],
	[qw(-Os -march=i486 -fno-pic)],
	[qw(-O0 -march=pentium3)],
	[qw(-O2 -march=pentium3 -fno-pic)],
	[qw(-Os -march=pentium3)],
	[qw(-O0 -march=pentium4 -fno-pic)],
	[qw(-O2 -march=pentium4)],
	[qw(-Os -march=pentium4 -fno-pic)],
	[qw(-O2 -march=pentium4 -fno-pic -ffunction-sections)],
	[qw(-O2 -march=k6-2 -fno-pic)],		# 3DNow! prefetch(w)
	[qw(-O2 -march=athlon)],		# prefetchw, movntq via MMX-ext
	[qw(-O2 -march=pentium4 -mprefetchwt1)],	# prefetchwt1
);
# The kernel's CONFIG_RETPOLINE and CONFIG_RETHUNK flags (the Makefile's
# RETPOLINE_CFLAGS and RETHUNK_CFLAGS), written out again.
my @THUNK_FLAGS = qw(-DTHUNKS -mindirect-branch=thunk-extern
	-mindirect-branch-register -mfunction-return=thunk-extern
	-fno-jump-tables);
push @CONFIGS, map { [@$_, @THUNK_FLAGS] } [qw(-O0 -march=i486 -fno-pic)],
	[qw(-O2 -march=i486 -fno-pic)], [qw(-Os -march=pentium4)],
	[qw(-O2 -march=pentium4 -fno-pic -ffunction-sections)];
my @CFLAGS = (qw(-m32 -ffreestanding -Wall -Wno-sync-nand),
	"-I$root/include");

my %KIND_OF = (mfence => 'MB', lfence => 'RMB', sfence => 'WMB',
	movntq => 'MOVNTQ', movnti => 'MOVNTI', movntil => 'MOVNTI',
	prefetchw => 'PREFETCHW', prefetchwt1 => 'PREFETCHW');
my %HINT = (prefetchnta => 0, prefetcht0 => 1, prefetcht1 => 2,
	prefetcht2 => 3, prefetch => 0, prefetchw => 1);
my $MANUAL = qr/NAME.*SYNOPSIS.*DESCRIPTION.*OPTIONS.*EXIT\ STATUS.*EXAMPLES/sx;
my %PREFIX_BYTE = map { $_ => 1 } (0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26,
	0x64, 0x65, 0x66, 0x67);
# Kind numbers and lengths: the catalogue (include/asm/fixup-kinds.h).
my $KINDS = Fixup::Catalogue::kinds();
my %KIND_NAMED = map { $_->{name} => $_ } values %$KINDS;

sub q_ { my ($s) = @_; $s =~ s/'/'\\''/g; return "'$s'"; }
sub slurp {
	open(my $f, "<", $_[0]) or return undef;
	local $/;
	my $s = <$f>;
	return $s // "";
}

# ---- build everything first, in parallel ---------------------------------

my @corpus = sort glob("$root/tests/asm/*.c");
ok(@corpus >= 5, 'corpus has files') or diag("no tests/asm/*.c");

my @jobs;
for my $c (@corpus) {
	for my $i (0 .. $#CONFIGS) {
		my $d = "$tmp/" . basename($c, '.c') . "-$i";
		mkdir $d or die "$d: $!";
		push @jobs, { src => $c, cfg => $CONFIGS[$i], dir => $d,
		    steps => [
			['gcc -S', join(' ', 'gcc', @CFLAGS, @{$CONFIGS[$i]},
			    '-S -o', "$d/raw.s", q_($c))],
			['pass', "perl $pass -o $d/out.s $d/raw.s"],
			['second pass', "perl $pass -o $d/out2.s $d/out.s"],
			['assemble', "gcc -m32 -c -o $d/out.o $d/out.s"],
			['objdump', "objdump -d -w -z -r $d/out.o > $d/out.dis"],
			['fixup-report', "perl $report $d/out.o > $d/out.rep"],
		    ] };
	}
}
# The programs, built plain and through the pass, and run.
my @RUN_CONFIGS = map { my $m = $_; map { [$_, "-march=$m"] } qw(-O0 -O2) }
	qw(i486 pentium3 pentium4);
# With the thunks of tests/asm/thunks.s, which use absolute addresses.
push @RUN_CONFIGS, map { [@$_, '-fno-pic', @THUNK_FLAGS] } [qw(-O0 -march=i486)],
	[qw(-O2 -march=i486)], [qw(-Os -march=pentium4)];
my $thunks = "$root/tests/asm/thunks.s";
my @RUN_CFLAGS = qw(-m32 -Wall -Wno-sync-nand);
my @run_c = grep { (slurp($_) // '') =~ /^int\s+main\s*\(/m } @corpus;
my @run_s = sort glob("$root/tests/asm/run_*.asm");
my $runner = runner();
my @runs;
for my $c (@run_c, @run_s) {
	my $asm = $c =~ /\.asm$/;
	for my $cfg ($asm ? [] : @RUN_CONFIGS) {
		my $d = "$tmp/run-" . basename($c) . '-' . @runs;
		mkdir $d or die "$d: $!";
		my $with = grep({ $_ eq '-DTHUNKS' } @$cfg) ? '-no-pie '
		    . q_($thunks) : '';
		my $run = sub {
			my ($exe) = @_;
			return ["run $exe", "timeout 120 $runner$d/$exe "
			    . ">$d/$exe.out 2>&1 </dev/null; echo \$? "
			    . ">$d/$exe.rc"];
		};
		push @runs, { src => $c, cfg => $cfg, dir => $d, steps => [
			$asm ? ['copy', "cp " . q_($c) . " $d/raw.s"]
			    : ['gcc -S', join(' ', 'gcc', @RUN_CFLAGS, @$cfg,
			    '-S -o', "$d/raw.s", q_($c))],
			['pass', "perl $pass -o $d/out.s $d/raw.s"],
			['link plain',
			    "gcc -m32 -o $d/plain $d/raw.s $with -latomic"],
			['link through the pass',
			    "gcc -m32 -o $d/fx $d/out.s $with -latomic"],
			defined $runner ? ($run->('plain'), $run->('fx')) : (),
		    ] };
	}
}
run_jobs([@jobs, @runs]);

for my $j (@jobs) {
	my $name = basename($j->{src}) . " @{$j->{cfg}}";
	subtest $name => sub { check_job($j) };
}

# The flags scan treats an instruction it does not know as reading every
# flag (safe, but a fence before it keeps the 8-byte form): it must know
# every one GCC wrote for the corpus, in every configuration.
{
	my %unknown;
	for my $j (@jobs, @runs) {
		my $app = 0;
		for (split /\n/, slurp("$j->{dir}/raw.s") // '') {
			if (/^#APP/) { $app = 1; next; }
			if (/^#NO_APP/) { $app = 0; next; }
			next if $app;
			s/#.*//;
			for my $st (split /;/) {
				# labels (an .irp body's too: \reg)
				$st =~ s/^\s*(?:[\w.\$\\]+:\s*)*//;
				next if $st =~ /^\s*(?:\.|$)/;
				my @w = split ' ', $st;
				shift @w while @w && $Fixup::Insn::PREFIX_WORD{lc $w[0]};
				next unless @w;
				$unknown{lc $w[0]}++
				    unless Fixup::Flags::effect($w[0], [], [])->{known};
			}
		}
	}
	is_deeply(\%unknown, {}, 'the flags table knows every instruction '
	    . 'GCC wrote for the corpus');
}

ok(@run_c >= 2 && @run_s >= 1, 'the corpus has programs to run')
    or diag('no tests/asm/*.c with main() or tests/asm/run_*.asm');
SKIP: {
	skip('cannot run 32-bit programs here: scripts/ensure-tools installs '
	    . 'qemu-user (qemu-i386)', scalar @runs) unless defined $runner;
	for my $j (@runs) {
		my $name = 'run ' . basename($j->{src}) . " @{$j->{cfg}}";
		subtest $name => sub { check_run($j) };
	}
}
diag(sprintf('execution tests: %d programs, %d builds each run plain and '
    . 'through the pass%s', @run_c + @run_s, scalar @runs,
    defined $runner ? ($runner eq '' ? ', natively' : " under $runner")
    : ' (not run)'));

# ---- hand-written spellings ------------------------------------------------

subtest 'spellings, sections, subsections' => sub {
	my $src = "$root/tests/fixtures/spellings.asm";
	my $d = "$tmp/spellings";
	mkdir $d;
	ok(system("perl $pass -o $d/out.s " . q_($src) . " 2>$d/err") == 0,
	    'pass runs') or diag(slurp("$d/err"));
	is(system("perl $pass < $d/out.s > $d/out2.s") >> 8, 0, 'stdin/stdout');
	is(slurp("$d/out2.s"), slurp("$d/out.s"), 'second pass is a no-op');
	ok(system("gcc -m32 -c -o $d/out.o $d/out.s 2>$d/aserr") == 0,
	    'output assembles') or diag(slurp("$d/aserr"));
	system("objdump -d -w -z $d/out.o > $d/out.dis");
	system("perl $report $d/out.o > $d/out.rep");
	my $obj = analyse_object("$d/out.dis", "$d/out.rep");
	check_object($obj, expected_counts(slurp($src)));
	my %n = %{$obj->{counts}};
	is_deeply(\%n, { LOCK => 12, MB => 2, RMB => 1, WMB => 1,
	    PREFETCH => 6, PREFETCHW => 1, MOVNTQ => 2, MOVNTI => 4 },
	    'kind counts') or diag(explain(\%n));
	is_deeply([app_blocks(slurp($src))], [app_blocks(slurp("$d/out.s"))],
	    '#APP block untouched');
	my @hle = map { hexs(@{$_->{bytes}}[0, 1]) }
	    grep { $_->{text} =~ /^x(?:acquire|release) lock / } @{$obj->{insns}};
	is_deeply(\@hle, ['f2 f0'], 'HLE hint before the lock, as gas '
	    . 'writes it') or diag(explain(\@hle));
	my @raw = grep { $_->{func} eq 'raw_asm' } @{$obj->{insns}};
	my @rec = grep { $obj->{site}{"$_->{sec}:$_->{addr}"} } @raw;
	ok(@raw && $raw[0]{bytes}[0] == 0xf0 && !@rec,
	    'raw lock in #APP stays unrecorded');

	# A site added to already-processed asm gets a fresh label.
	open(my $f, '>>', "$d/out.s");
	print $f "\t.text\n\tlock incl (%eax)\n";
	close($f);
	ok(system("perl $pass -o $d/out3.s $d/out.s") == 0
	    && system("gcc -m32 -c -o $d/out3.o $d/out3.s") == 0,
	    'new site in processed asm assembles');
	like(slurp("$d/out3.s"), qr/^\.Lfx_30:\n\tlock\n/m, 'numbered above');
};

# ---- the flags scan --------------------------------------------------------

# Run the pass over a function; return (exit status, stderr, output).
sub pass_over {
	my ($name, $body) = @_;
	my $f = "$tmp/$name.s";
	open(my $fh, '>', $f) or die;
	print $fh $body;
	close($fh);
	my $st = system("perl $pass -o $tmp/$name.out.s $f 2>$tmp/$name.err")
	    >> 8;
	return ($st, slurp("$tmp/$name.err") // '',
	    slurp("$tmp/$name.out.s") // '');
}

# The barrier kinds the pass gave the fences, in order.
sub barrier_kinds {
	my ($out) = @_;
	return [$out =~ /^\t\.byte \d+, \.Lfx_\d+_end - \.Lfx_\d+\t# (\w*MB\w*)$/mg];
}

subtest 'flags scan' => sub {
	my $fn = sub { "\t.text\n\t.globl f\n\t.type f, \@function\nf:\n"
	    . join('', map { /^#/ ? "$_\n" : "\t$_\n" } @_) };
	my @cases = (
	    # the sequences the first pass refused (issue 13)
	    ['mfence; movl; flds; fucomip; jp', [qw(MB)],
		'mfence', 'movl %eax, 4(%esp)', 'flds 4(%esp)',
		'fucomip %st(1), %st', 'fstp %st(0)', 'jp .L3', 'ret',
		'.L3:', 'ret'],
	    ['mfence; movl x4; lock cmpxchg8b; jne', [qw(MB)],
		'mfence', 'movl %eax, (%esp)', 'movl %edx, 4(%esp)',
		'movl (%esp), %ebx', 'movl 4(%esp), %ecx',
		'lock cmpxchg8b all', 'jne .L9', 'ret', '.L9:', 'ret'],
	    ['cmpxchg8b writes ZF only', [qw(MB_FLAGS)],
		'mfence', 'lock cmpxchg8b all', 'jc .L9', 'ret', '.L9:',
		'ret'],
	    ['cmp; mfence; jne', [qw(MB_FLAGS)], 'cmpl %eax, %edx',
		'mfence', 'jne .L1', 'ret', '.L1:', 'ret'],
	    ['followed through jmp', [qw(RMB_FLAGS WMB)], 'lfence',
		'jmp .L2', '.L1:', 'sfence', 'ret', '.L2:', 'sete %al',
		'jmp .L1'],
	    ['jump to a writer', [qw(MB)], 'mfence', 'jmp .L2', '.L2:',
		'testl %eax, %eax', 'jne .L2', 'ret'],
	    ['a loop back edge', [qw(MB_FLAGS)], '.L1:', 'incl %eax',
		'cmpl $3, %eax', 'mfence', 'movl %eax, %ebx', 'jb .L1',
		'ret'],
	    ['call and ret', [qw(MB MB)], 'cmpl %eax, %edx', 'mfence',
		'call g', 'mfence', 'ret'],
	    ['tail call', [qw(MB)], 'mfence', 'jmp g'],
	    ['indirect jump: unknown', [qw(MB_FLAGS)], 'mfence',
		'jmp *%eax'],
	    ['inc keeps CF', [qw(MB_FLAGS)], 'mfence', 'incl %eax',
		'adcl $0, %edx', 'ret'],
	    ['shift by %cl may keep all', [qw(MB_FLAGS MB)], 'mfence',
		'sall %cl, %eax', 'setne %al', 'mfence', 'sall $2, %eax',
		'setne %al', 'ret'],
	    ['rep cmpsb may keep all', [qw(MB_FLAGS MB)], 'mfence',
		'repz cmpsb', 'seta %al', 'mfence', 'cmpsb', 'seta %al',
		'ret'],
	    ['sahf, fcomi, bsf write; lahf reads', [qw(MB MB MB MB_FLAGS)],
		'mfence', 'sahf', 'jc .L1', 'mfence', 'fcomi %st(1), %st',
		'ja .L1', 'mfence', 'bsfl %eax, %edx', 'je .L1', 'mfence',
		'lahf', '.L1:', 'ret'],
	    ['readers: cmov, adc, sbb, set, pushf', [qw(MB_FLAGS MB_FLAGS
		MB_FLAGS MB_FLAGS MB_FLAGS)], 'mfence', 'cmovne %eax, %edx',
		'mfence', 'adcl $0, %eax', 'mfence', 'sbbl %eax, %eax',
		'mfence', 'setbe %al', 'mfence', 'pushfl', 'popl %eax',
		'ret'],
	    ['inline asm clobbers the flags', [qw(MB)], 'mfence', '#APP',
		'nop', '#NO_APP', 'jne .L1', '.L1:', 'ret'],
	    ['falls off the section', [qw(MB_FLAGS)], 'mfence'],
	    ['fall-through in its own section', [qw(MB)], 'mfence',
		'.section .text.unlikely,"ax",@progbits', 'jne .L1',
		'.text', 'xorl %eax, %eax', '.L1:', 'ret'],
	    ['an unknown instruction is a reader', [qw(MB_FLAGS)],
		'mfence', 'int3', 'ret'],
	);
	for my $c (@cases) {
		my ($title, $want, @body) = @$c;
		my ($st, $err, $out) = pass_over('flags', $fn->(@body));
		is($st, 0, "$title: no error") or diag($err);
		is_deeply(barrier_kinds($out), $want, "$title: kinds")
		    or diag($out);
		is(system("gcc -m32 -c -o $tmp/flags.o $tmp/flags.out.s "
		    . "2>/dev/null"), 0, "$title: assembles");
	}

	# run_flags.asm: the fences marked "# live" get the flag-keeping
	# site, and only they.
	my $src = "$root/tests/asm/run_flags.asm";
	my ($st, $err, $out) = pass_over('run_flags', slurp($src));
	my @marked = map { /#\s*live\b/ ? 'live' : 'dead' }
	    grep { /^\s*[mls]fence\b/ } split /\n/, slurp($src);
	my @got = map { /_FLAGS$/ ? 'live' : 'dead' }
	    @{barrier_kinds($out)};
	ok(@marked > 10, 'run_flags.asm has fences');
	is_deeply(\@got, \@marked, 'run_flags.asm: flag-keeping sites exactly '
	    . 'where marked "# live"');

	# Linear: a function of 10,000 fence pairs. The first scan re-read
	# the rest of the function at each fence: 1,000 pairs took 10.7 s.
	for my $live (0, 1) {
		my $body = "\t.text\nf:\n\tcmpl %eax, %edx\n"
		    . "\tmfence\n\tmovl %eax, %ebx\n" x 10000
		    . ($live ? "\tjne f\n" : '') . "\tret\n";
		my $t0 = time;
		my ($st, $err, $out) = pass_over('pairs', $body);
		my $dt = time - $t0;
		my $n = () = $out =~ /^\tpushfl$/mg;
		is($st, 0, "10,000 fence pairs ($live ? 'live' : 'dead'): "
		    . 'no error') or diag($err);
		is($n, $live ? 10000 : 0, '... flag-keeping sites: '
		    . ($live ? 'all' : 'none'));
		cmp_ok($dt, '<', 30, "... in $dt s (linear scan)");
	}
};

subtest 'labels, letter case, prefetchwt1' => sub {
	my $f = "\t.text\nf:\n";
	# A big .Lfx_N in a comment is not a label.
	my ($st, $err, $out) = pass_over('big', "$f\t# .Lfx_100000000000000000000\n"
	    . "\tlock incl (%eax)\n\tret\n");
	is($st, 0, 'a huge .Lfx_N in a comment: no error') or diag($err);
	like($out, qr/^\.Lfx_1:$/m, '... and numbering starts at 1');
	($st, $err, $out) = pass_over('big2', "$f\tjmp .Lfx_999999999\n"
	    . "\tlock incl (%eax)\n");
	is($st, 1, '.Lfx_999999999 leaves no site number: error');
	like($err, qr/big2\.s:4: more than 999999999 sites/,
	    '... with file:line');

	# Upper case: the second pass takes the first's output as it is.
	my $upper = "$f\tMOVNTI %EAX, (%EDX)\n\tmovnti %EAX, 8\n"
	    . "\tMOVNTQ %MM0, 8(%EAX)\n\tPREFETCHNTA 64(%ESI)\n"
	    . "\tPrefetchW (%EAX)\n\tMFENCE\n\tLOCK INCL (%EAX)\n\tRET\n";
	($st, $err, $out) = pass_over('upper', $upper);
	is($st, 0, 'upper-case sites: no error') or diag($err);
	my ($st2, $err2, $out2) = pass_over('upper2', $out);
	is($st2, 0, 'second pass over upper-case output: no error')
	    or diag($err2);
	is($out2, $out, '... and byte-identical');
	is(system("gcc -m32 -c -o $tmp/upper.o $tmp/upper2.out.s"), 0,
	    '... and it assembles');

	# prefetchwt1: a PREFETCHW site, hint /1 (%ecx).
	($st, $err, $out) = pass_over('wt1', "$f\tprefetchwt1 16(%eax)\n"
	    . "\tret\n");
	is($st, 0, 'prefetchwt1: no error') or diag($err);
	like($out, qr/^\tleal\t16\(%eax\), %ecx$/m, '... a jump over lea '
	    . 'ADDR,%ecx');
	like($out, qr/^\t\.byte $KIND_NAMED{PREFETCHW}{number}, .*# PREFETCHW$/m,
	    '... of kind PREFETCHW');
};

# ---- branches to thunks, by hand --------------------------------------------

subtest 'thunk branches: every register, jcc, a thunk in the same section' => sub {
	my @regs = qw(eax ecx edx ebx ebp esi edi);
	my @body = ((map { ("call __x86_indirect_thunk_$_",
	    "jmp __x86_indirect_thunk_$_") } @regs),
	    'jmp __x86_return_thunk_ecx', 'jne __x86_return_thunk',
	    'JPE __x86_indirect_thunk_esi', 'CALLL __x86_indirect_thunk_edi',
	    'jmp __x86_return_thunk', 'call __x86.get_pc_thunk.bx',
	    'jmp __x86_return_thunk_eax');
	my @want = ((map { ('THUNK_CALL', 'THUNK_JMP') } @regs), 'THUNK_JMP',
	    'RETURN', 'THUNK_JMP', 'THUNK_CALL', 'RETURN');
	my ($st, $err, $out) = pass_over('thunks', "\t.text\nf:\n"
	    . join('', map { "\t$_\n" } @body)
	    . "__x86_return_thunk:\n\tret\n");
	is($st, 0, 'no error') or diag($err);
	is_deeply([$out =~ /^\t\.byte (\d+), \.Lfx_\d+_end - \.Lfx_\d+\t# (\w+)$/mg],
	    [map { ($KIND_NAMED{$_}{number}, $_) } @want],
	    'each branch to a thunk is a site of its kind, numbered as the '
	    . 'catalogue says') or diag($out);
	like($out, qr/^\tcall __x86\.get_pc_thunk\.bx$/m,
	    'the PIC helper __x86.get_pc_thunk.bx is no thunk of ours');
	like($out, qr/^\tjmp __x86_return_thunk_eax$/m,
	    '... nor a name GCC does not write');
	my ($st2, $err2, $out2) = pass_over('thunks2', $out);
	is($out2, $out, 'second pass: byte-identical');
	is(system("gcc -m32 -c -o $tmp/thunks.o $tmp/thunks2.out.s"), 0,
	    'assembles');
	system("objdump -d -w -z -r $tmp/thunks.o > $tmp/thunks.dis");
	system("perl $report $tmp/thunks.o > $tmp/thunks.rep");
	my $o = analyse_object("$tmp/thunks.dis", "$tmp/thunks.rep");
	my @s = @{$o->{sites}};
	is_deeply([map { $_->{kind} } @s], \@want, 'fixup-report: the kinds');
	my @bytes = map { my $i = $o->{at}{"$_->{sec}:$_->{addr}"};
	    defined $i ? hexs(@{$o->{insns}[$i]{bytes}}[0]) . ' '
	    . scalar @{$o->{insns}[$i]{bytes}} : 'none' } @s;
	is_deeply(\@bytes, [map { $_ eq 'THUNK_CALL' ? 'e8 5' : 'e9 5' } @want],
	    'each site E8 or E9 rel32, 5 bytes: the jmp to the thunk in the '
	    . 'same section too');
	my @thunk = map { (split ' ', $_)[4] } grep { /^\./ }
	    split /\n/, slurp("$tmp/thunks.rep");
	is_deeply(\@thunk, [(map { ("__x86_indirect_thunk_$_") x 2 } @regs),
	    qw(__x86_return_thunk_ecx __x86_return_thunk
	    __x86_indirect_thunk_esi __x86_indirect_thunk_edi
	    __x86_return_thunk)], 'fixup-report: the thunk of each');
	# The jcc: its inverse, over the jmp site, to the site's end.
	my @jcc = map { $_->{text} } grep { $_->{bytes}[0] == 0x74
	    || $_->{bytes}[0] == 0x7b } @{$o->{insns}};
	is(scalar @jcc, 2, 'jne and jpe became je and jpo (short)')
	    or diag(explain(\@jcc));
	my @nosite = grep { $_->{text} =~ /^j(?:ne|p)\b/ } @{$o->{insns}};
	is(scalar @nosite, 0, '... and no jne or jp is left');
};

# ---- errors --------------------------------------------------------------

my @BAD = (
	['prefetchnta %fs:(%eax)', qr/segment override/],
	['movntq %mm0, %gs:8(%eax)', qr/segment override/],
	['fs prefetchnta (%eax)', qr/prefix 'fs'/],
	['prefetcht0 (%bx,%si)', qr/32-bit addressing/],
	['prefetchit0 (%eax)', qr/unknown prefetch/],
	['prefetcht0 %eax', qr/not a memory operand/],
	['movntq %xmm0, (%eax)', qr/%mm register/],
	['movnti %ax, (%eax)', qr/32-bit register/],
	['lock movl %eax, (%edx)', qr/cannot be locked/],
	['lock lock incl (%eax)', qr/repeated lock/],
	['lock addl $1, %eax', qr/memory destination/],
	[".intel_syntax noprefix\n\tmfence", qr/Intel syntax/, 1],
	[".Lfx_100000000000000000000:\n", qr/above 999999999/],
	[".pushsection .fixup_sites,\"a\"\n.long 1f - .\n.popsection",
	    qr/outside #APP/],
	[".Lfx_7:\n\tlock\n.Lfx_7_end:\n\t.pushsection .fixup_sites,\"a\"\n"
	    . "\t.long .Lfx_7 - .\n\t.byte $KIND_NAMED{MB}{number}, "
	    . ".Lfx_7_end - .Lfx_7\n"
	    . "\t.popsection", qr/malformed fixup site \.Lfx_7/],
	[".code16gcc\n\tmfence", qr/\.code16/, 1],
	['jecxz __x86_return_thunk', qr/no inverse condition/],
	['loop __x86_indirect_thunk_eax', qr/no inverse condition/],
	['call __x86_return_thunk', qr/call to __x86_return_thunk is no thunk site/],
	['notrack jmp __x86_indirect_thunk_eax', qr/prefix 'notrack'/],
	[".code16gcc\n\tcall __x86_indirect_thunk_eax", qr/\.code16/, 1],
);

for my $b (@BAD) {
	my ($asm, $re, $skip) = @$b;
	my $f = "$tmp/bad.s";
	open(my $fh, '>', $f) or die;
	print $fh "\t.text\nf:\n\tnop\n\t$asm\n\tret\n";
	close($fh);
	unlink("$tmp/bad.out");
	my $st = system("perl $pass -o $tmp/bad.out $f 2>$tmp/bad.err") >> 8;
	my $err = slurp("$tmp/bad.err") // '';
	my $line = 4 + ($skip // 0);
	(my $title = $asm) =~ s/\s+/ /g;
	is($st, 1, "error exit: $title");
	like($err, qr/^\Q$f\E:$line: .*$re/m, "file:line message: $title");
	ok(!-e "$tmp/bad.out", "no output written: $title");
}

{
	# Several errors are all reported, each with its own line.
	my $f = "$tmp/multi.s";
	open(my $fh, '>', $f) or die;
	print $fh "\t.text\n\tprefetchnta %fs:(%eax)\n\tlock incl (%eax)\n"
	    . "\tmovntq %mm0, %es:(%eax)\n";
	close($fh);
	system("perl $pass $f > /dev/null 2>$tmp/multi.err");
	my @l = split /\n/, slurp("$tmp/multi.err");
	is_deeply([map { /:(\d+): / ? $1 : () } @l], [2, 4],
	    'every error reported with its line');

	open($fh, '>', $f) or die;
	print $fh "\t.text\n\tmovntdq %xmm0, (%eax)\n";
	close($fh);
	my $st = system("perl $pass $f > $tmp/w.s 2>$tmp/w.err") >> 8;
	is($st, 0, 'movntdq: no error');
	like(slurp("$tmp/w.err"), qr/^\Q$f\E:2: warning: movntdq/m,
	    'movntdq: warning with file:line');
	like(slurp("$tmp/w.s"), qr/^\tmovntdq %xmm0, \(%eax\)$/m,
	    'movntdq: left as is');
}

# ---- --help --------------------------------------------------------------

for my $tool ($pass, $report) {
	my $out = `perl $tool --help 2>&1`;
	is($? >> 8, 0, basename($tool) . ' --help exits 0');
	like($out, $MANUAL, basename($tool) . ' --help is a manual');
}
is(system("perl $pass --bogus </dev/null >/dev/null 2>&1") >> 8, 2,
    'unknown option exits 2');

done_testing();

# ---- helpers ---------------------------------------------------------------

sub ncpu {
	my $n = () = (slurp('/proc/cpuinfo') // '') =~ /^processor\s*:/mg;
	return $n < 1 ? 2 : $n > 4 ? 4 : $n;
}

# Run each job's steps in a child, ncpu() at a time; a step's failure
# is left in $dir/failed with its stderr in $dir/err.
sub run_jobs {
	my ($jobs) = @_;
	my @queue = @$jobs;
	my $running = 0;
	while (@queue || $running) {
		if (@queue && $running < ncpu()) {
			my $j = shift @queue;
			my $pid = fork() // die "fork: $!";
			if (!$pid) {
				_exit(run_steps($j));
			}
			$running++;
			next;
		}
		wait();
		$running--;
	}
}

sub run_steps {
	my ($j) = @_;
	for my $s (@{$j->{steps}}) {
		next if system("$s->[1] 2>>$j->{dir}/err") == 0;
		open(my $f, '>', "$j->{dir}/failed");
		print $f "$s->[0]: $s->[1]\n";
		close($f);
		return 1;
	}
	return 0;
}

# Count, in the compiler's part of raw asm, what the pass must record;
# add the records #APP blocks make themselves.
sub expected_counts {
	my ($text) = @_;
	my (%n, %hint);
	my $app = 0;
	my $app_rec = 0;
	for my $line (split /\n/, $text) {
		if ($line =~ /^#APP/) { $app = 1; next; }
		if ($line =~ /^#NO_APP/) { $app = 0; next; }
		if ($app) {
			$app_rec = 1 if $line =~ /\.long\s+661b\s*-\s*\./;
			if ($app_rec && $line =~ /\.byte\s+(\d+)\s*,/) {
				$n{$KINDS->{$1} ? $KINDS->{$1}{name}
				    : "kind$1"}++;
				$app_rec = 0;
			}
			next;
		}
		(my $l = $line) =~ s/#.*//;
		for my $st (split /;/, $l) {
			$st =~ s/^\s*(?:[\w.\$]+:\s*)*//;
			my @w = split /\s+/, lc $st;
			$n{LOCK} += grep { $_ eq 'lock' } @w;
			@w = grep { !/^(?:lock|xacquire|xrelease|fs)$/ } @w;
			next unless @w;
			my $m = $w[0];
			if (my $t = thunk_kind($m, $w[1])) {
				$n{$t}++;
			} elsif ($m =~ /^prefetch/) {
				$n{$KIND_OF{$m} // 'PREFETCH'}++;
				$hint{$HINT{$m}}++ if $m !~ /^prefetchw/;
			} elsif ($KIND_OF{$m}) {
				$n{$KIND_OF{$m}}++;
			}
		}
	}
	delete $n{$_} for grep { !$n{$_} } keys %n;
	return { counts => \%n, hint => \%hint };
}

# What a branch to a thunk is recorded as (Documentation/spectre.md),
# written out here again: the thunks GCC names, each register's.
sub thunk_kind {
	my ($branch, $sym) = @_;
	return undef unless defined $sym;
	my $call = $branch =~ /^call/;
	return $call ? 'THUNK_CALL' : 'THUNK_JMP' if $sym =~
	    /^__x86_indirect_thunk_(?:eax|ebx|ecx|edx|esi|edi|ebp)$/;
	return undef if $call;
	return 'THUNK_JMP' if $sym eq '__x86_return_thunk_ecx';
	return 'RETURN' if $sym eq '__x86_return_thunk';
	return undef;
}

sub app_blocks {
	my ($text) = @_;
	return $text =~ /^(#APP\n.*?^#NO_APP)$/msg;
}

# Parse objdump -d -w of an object and fixup-report's listing.
sub analyse_object {
	my ($dis, $rep) = @_;
	my (@insns, %at, $sec, $func, %reloc);
	for (split /\n/, slurp($dis)) {
		if (/^Disassembly of section (\S+):/) { $sec = $1; next; }
		if (/^[0-9a-f]+ <(.+)>:$/) { $func = $1; next; }
		next unless /^\s*([0-9a-f]+):\t([0-9a-f]{2}(?:[ ][0-9a-f]{2})*)
		    \s*(?:\t(.*))?$/x;
		my ($addr, $bytes, $text) = (hex $1, $2, $3 // '');
		# objdump -w -r: "\tOFFSET: R_386_TYPE\tSYMBOL" after the text
		while ($text =~ s/\t([0-9a-f]+): R_386_\w+\t(\S+)$//) {
			$reloc{"$sec:" . hex $1} = $2;
		}
		my $in = { sec => $sec, func => $func, addr => $addr,
		    bytes => [map { hex } split / /, $bytes], text => $text };
		$at{"$sec:$addr"} = scalar @insns;
		push @insns, $in;
	}
	my (@sites, %site, %counts, @dup);
	for (split /\n/, slurp($rep)) {
		next unless /^(\S+)\+0x([0-9a-f]+)\s+(\w+)\s+(\d+)\s+(\S+)/;
		my $s = { sec => $1, addr => hex $2, kind => $3, len => $4 };
		my $key = "$s->{sec}:$s->{addr}";
		push @dup, $key if $site{$key};
		$site{$key} = $s;
		$counts{$s->{kind}}++;
		push @sites, $s;
	}
	return { insns => \@insns, at => \%at, sites => \@sites,
	    site => \%site, counts => \%counts, dup => \@dup,
	    reloc => \%reloc };
}

sub hexs { return join(' ', map { sprintf('%02x', $_) } @_); }

sub check_object {
	my ($o, $exp) = @_;
	# A fence is a barrier site of either form: MB or MB_FLAGS, ...
	my %got;
	$got{$_ =~ s/_FLAGS$//r} += $o->{counts}{$_} for keys %{$o->{counts}};
	is_deeply(\%got, $exp->{counts},
	    'each site the compiler emitted recorded exactly once')
	    or diag(explain({ got => $o->{counts}, want => $exp->{counts} }));
	is_deeply($o->{dup}, [], 'no address recorded twice');

	my (@bad, %hint);
	for my $s (@{$o->{sites}}) {
		my $i = $o->{at}{"$s->{sec}:$s->{addr}"};
		my $where = "$s->{kind} at $s->{sec}+$s->{addr}";
		if (!defined $i) {
			# A lock after an HLE hint: F2/F3 F0 is one instruction.
			my ($in) = grep { $_ } map {
			    my $j = $o->{at}{"$s->{sec}:" . ($s->{addr} - $_)};
			    defined $j ? $o->{insns}[$j] : undef } 1 .. 4;
			my $off = $in ? $s->{addr} - $in->{addr} : 0;
			push @bad, "$where: not an instruction start" unless $in
			    && $s->{kind} eq 'LOCK' && $s->{len} == 1
			    && $in->{bytes}[$off] == 0xf0
			    && !grep { !$PREFIX_BYTE{$_} } @{$in->{bytes}}[0 .. $off - 1];
			next;
		}
		my $in = $o->{insns}[$i];
		my @b = @{$in->{bytes}};
		my $k = $s->{kind};
		my $c = $KIND_NAMED{$k};
		my $err;
		if (!$c || $s->{len} < $c->{min} || $s->{len} > $c->{max}) {
			$err = "length $s->{len} not in the catalogue's";
		} elsif ($k eq 'LOCK') {
			$err = 'no F0' if $b[0] != 0xf0 || $s->{len} != 1;
		} elsif ($k =~ /MB$/) {
			$err = 'not lock; addl $0,(%esp)'
			    if hexs(@b) ne 'f0 83 04 24 00' || $s->{len} != 5;
		} elsif ($k =~ /MB_FLAGS$/) {
			my @n = map { $o->{insns}[$i + $_] } 1, 2;
			$err = 'not pushfl; lock; addl $0,4(%esp); popfl'
			    if hexs(@b) ne '9c' || $s->{len} != 8 || !$n[1]
			    || hexs(@{$n[0]{bytes}}) ne 'f0 83 44 24 04 00'
			    || hexs(@{$n[1]{bytes}}) ne '9d';
			$o->{lock_in}{"$s->{sec}:" . ($s->{addr} + 1)} = 1;
		} elsif ($k =~ /^PREFETCH/) {
			my $lea = $o->{insns}[$i + 1];
			if (hexs(@b) ne hexs(0xeb, $s->{len} - 2) || !$lea
			    || $lea->{bytes}[0] != 0x8d
			    || @{$lea->{bytes}} != $s->{len} - 2) {
				$err = 'not a jump over an lea';
			} else {
				my $h = ($lea->{bytes}[1] >> 3) & 7;
				$err = 'hint not /1'
				    if $k eq 'PREFETCHW' && $h != 1;
				$err = 'lea has no memory operand'
				    if $lea->{bytes}[1] >> 6 == 3;
				$hint{$h}++ if $k eq 'PREFETCH';
			}
		} elsif ($k eq 'MOVNTQ') {
			$err = 'not movq %mm,mem' if hexs(@b[0, 1]) ne '0f 7f'
			    || @b != $s->{len};
		} elsif ($k eq 'MOVNTI') {
			$err = 'not ds; movl' if hexs(@b[0, 1]) ne '3e 89'
			    || @b != $s->{len};
		} elsif ($k =~ /^(?:THUNK_CALL|THUNK_JMP|RETURN)$/) {
			my $op = $k eq 'THUNK_CALL' ? 0xe8 : 0xe9;
			my $to = $o->{reloc}{"$s->{sec}:" . ($s->{addr} + 1)};
			if ($b[0] != $op || @b != 5 || $s->{len} != 5) {
				$err = sprintf('not %02x rel32', $op);
			} elsif ((thunk_kind($op == 0xe8 ? 'call' : 'jmp', $to)
			    // '') ne $k) {
				$err = 'reaches ' . ($to // 'no symbol')
				    . ", not a thunk of $k";
			}
		}
		push @bad, "$where: $err ($in->{text})" if $err;
	}
	is_deeply(\@bad, [], 'records have the right kind, length and bytes');
	is_deeply(\%hint, $exp->{hint}, 'prefetch hints kept')
	    or diag(explain({ got => \%hint, want => $exp->{hint} }));

	# No lock outside raw_* functions without its record; no fence,
	# prefetch or non-temporal store left anywhere but there.
	my @unrec;
	for my $in (@{$o->{insns}}) {
		next if $in->{func} =~ /^raw_/;
		my @b = @{$in->{bytes}};
		for (my $k = 0; $k < @b && $PREFIX_BYTE{$b[$k]}; $k++) {
			next if $b[$k] != 0xf0;
			my $at = "$in->{sec}:" . ($in->{addr} + $k);
			my $s = $o->{site}{$at};
			next if $s && $s->{kind} =~ /^(?:LOCK|\w*MB)$/;
			next if $o->{lock_in}{$at};
			push @unrec, "lock at $in->{sec}+$in->{addr} in "
			    . $in->{func};
		}
		push @unrec, "$in->{text} at $in->{sec}+$in->{addr}"
		    if $in->{text} =~ /^(?:[mls]fence|prefetch\w*|movnt[qi])\b/;
		# A branch to a thunk: E8/E9 rel32, or 0F 8x rel32 (a jcc).
		for my $off (grep { $_ == @b - 4 } 1, 2) {
			my $to = $o->{reloc}{"$in->{sec}:" . ($in->{addr} + $off)};
			next unless thunk_kind('jmp', $to)
			    || thunk_kind('call', $to);
			push @unrec, "$in->{text} ($to) at $in->{sec}+"
			    . "$in->{addr}" unless $off == 1
			    && $o->{site}{"$in->{sec}:$in->{addr}"};
		}
	}
	is_deeply(\@unrec, [], 'nothing left unrecorded');
}

# How this host runs 32-bit programs: '' (natively), 'qemu-i386 ', or
# undef (it cannot).
sub runner {
	my $d = "$tmp/runner";
	mkdir $d;
	open(my $f, '>', "$d/t.c") or die;
	print $f "int main(void) { return 42; }\n";
	close($f);
	return undef if system("gcc -m32 -o $d/t $d/t.c 2>/dev/null");
	return '' if system("$d/t 2>/dev/null") >> 8 == 42;
	return 'qemu-i386 ' if system("qemu-i386 $d/t 2>/dev/null") >> 8 == 42;
	return undef;
}

# A job whose build failed: one failing test saying why; true then.
sub build_failed {
	my ($d) = @_;
	return 0 unless -e "$d/failed";
	fail('build: ' . slurp("$d/failed"));
	diag(slurp("$d/err") // '');
	return 1;
}

sub check_run {
	my ($j) = @_;
	my $d = $j->{dir};
	return if build_failed($d);
	my ($rc, $out) = map { slurp("$d/$_.rc") // 'none' } qw(plain);
	chomp $rc;
	is($rc, 0, 'the plain build runs and passes its own checks')
	    or diag(slurp("$d/plain.out"));
	my $fx = slurp("$d/fx.rc") // 'none';
	chomp $fx;
	is($fx, $rc, 'through the pass: the same exit status');
	my $po = slurp("$d/plain.out") // '';
	is(slurp("$d/fx.out") // '', $po, 'through the pass: the same output');
	ok(length $po || $j->{src} =~ /\.asm$/, 'it printed something');
	my $sites = () = (slurp("$d/out.s") // '') =~ /^\.Lfx_\d+:$/mg;
	my $raw = () = (slurp("$d/raw.s") // '') =~
	    /^\s*(?:lock\b|[mls]fence|prefetch|movnt[iq]|
	    (?:call|j[a-z]+)\s+__x86_(?:indirect|return)_thunk)/migx;
	ok($sites >= $raw && ($sites > 0) == ($raw > 0),
	    "the pass made $sites sites for $raw instructions");
	if (grep { $_ eq '-DTHUNKS' } @{$j->{cfg}}) {
		my $n = () = (slurp("$d/raw.s") // '') =~
		    /^\s*(?:call|jmp)\s+__x86_(?:indirect|return)_thunk/mg;
		cmp_ok($n, '>', 0, "built with the thunk flags: $n branches to "
		    . 'thunks');
		like(slurp("$d/fx.out") // '', qr/^thunks ran: branches returns$/m,
		    '... and the thunks ran') if $j->{src} =~ /run_thunks\.c$/;
	}
}

sub check_job {
	my ($j) = @_;
	my $d = $j->{dir};
	return if build_failed($d);
	is(slurp("$d/err") // '', '', 'no messages from gcc or the pass');
	is(slurp("$d/out2.s"), slurp("$d/out.s"), 'second pass is a no-op');
	is_deeply([app_blocks(slurp("$d/raw.s"))],
	    [app_blocks(slurp("$d/out.s"))], '#APP blocks untouched');
	my $obj = analyse_object("$d/out.dis", "$d/out.rep");
	check_object($obj, expected_counts(slurp("$d/raw.s")));
	if (basename($j->{src}) eq 'inline_asm.c') {
		my @raw = grep { $_->{func} =~ /^raw_/
		    && $_->{bytes}[0] == 0xf0 } @{$obj->{insns}};
		is(scalar @raw, 5, 'five raw locks in raw_* functions');
		my @rec = grep { $obj->{site}{"$_->{sec}:$_->{addr}"} } @raw;
		is(scalar @rec, 0, 'raw locks stay unrecorded');
	}
}

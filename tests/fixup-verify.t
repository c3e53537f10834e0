#!/usr/bin/perl
# tests/fixup-verify.t: scripts/fixup-verify and scripts/fixup-report on
# tiny ELF32 images linked from tests/fixtures/image.S with
# tests/fixtures/verify.lds. The good image passes; each BAD_* variant of it
# must fail with a message naming the faulty address.

use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;

my $root = "$FindBin::Bin/..";
my $fix = "$root/tests/fixtures";
my $verify = "$root/scripts/fixup-verify";
my $report = "$root/scripts/fixup-report";
my $pass = "$root/scripts/fixup-sites.pl";
my $allow = "$fix/verify.allow";
my $tmp = tempdir('fixup-verify.XXXXXX', TMPDIR => 1, CLEANUP => 1);

sub slurp {
	open(my $f, "<", $_[0]) or return undef;
	local $/;
	my $s = <$f>;
	return $s // "";
}

# Assemble image.S with the given -D flags and link it; returns the path.
sub image {
	my ($name, @defs) = @_;
	# Every image's object is good.o, as the allow-list names it.
	mkdir "$tmp/$name.d";
	my $o = "$tmp/$name.d/good.o";
	my $img = "$tmp/$name";
	system('gcc', '-m32', '-c', "-I$root/include", (map { "-D$_" } @defs),
	    '-o', $o, "$fix/image.S") == 0 or die "assembling $name failed";
	link_image($img, $o);
	return $img;
}

sub link_image {
	my ($img, @o) = @_;
	# In $tmp, so that the link map names the objects as the
	# allow-lists do (good.o).
	s{^\Q$tmp/\E}{} for @o;
	system("cd $tmp && ld -m elf_i386 --no-warn-rwx-segments "
	    . "-T $fix/verify.lds -Map=$img.map -o $img @o 2>$tmp/ld.err") == 0
	    or die "linking $img failed: " . slurp("$tmp/ld.err");
}

sub run_verify {
	my ($img, @opt) = @_;
	my $out = `$verify @opt $img 2>$tmp/verify.err`;
	return ($? >> 8, $out, slurp("$tmp/verify.err"));
}

# One regex from the pieces of a long one (each keeps its own flags).
sub joined { my $re = join('', @_); return qr/$re/m; }

sub sym {
	my ($img, $name) = @_;
	my ($l) = grep { / \Q$name\E$/ } split /\n/, `nm $img`;
	return defined $l ? hex((split / /, $l)[0]) : undef;
}

# ---- the good image ----------------------------------------------------

my $good = image('good');
my ($st, $out, $err) = run_verify($good, '--allow', $allow);
is($st, 0, 'good image passes');
my $kinds = 'LOCK 3, MB 1, RMB 1, SMP_WMB 1, PREFETCH 1, PREFETCHW 1, '
    . 'MOVNTQ 1, APIC_WRITE 1, CALL 1, MOVNTI 1, THUNK_CALL 1, THUNK_JMP 2, '
    . 'RETURN 1';
like($out, qr/^fixup-verify: \Q$good\E: 16 sites \(\Q$kinds\E\), 0 errors$/m,
    'summary line (the retpoline thunks\' lfence is theirs)');
is((split /\n/, $out), 1, 'nothing but the summary');
is($err, '', 'no warnings');

for my $m (qw(pentium pentiumpro pentium4 athlon)) {
	($st) = run_verify($good, '--march', $m, '--allow', $allow);
	is($st, 0, "good image passes with --march $m");
}

# Without the allow-list the raw lock and the rdtsc are errors.
($st, $out) = run_verify($good);
is($st, 1, 'raw lock and rdtsc fail without the allow-list');
my $raw = sprintf('0x%08x', sym($good, 'raw_lock_fn'));
my $tsc = sprintf('0x%08x', sym($good, 'read_tsc'));
like($out, qr/^fixup-verify:\ \Q$good\E:\ $raw\ <raw_lock_fn\+0x0>:
    \ unrecorded\ lock\ prefix/mx,
    'unrecorded lock named by address and function');
like($out, qr/^fixup-verify:\ \Q$good\E:\ $tsc\ <read_tsc\+0x0>:
    \ rdtsc\ needs\ tsc,\ which\ --march\ i486\ lacks/mx,
    'rdtsc above a 486 named by address');
like($out, qr/, 2 errors$/m, 'two errors counted');
($st, $out) = run_verify($good, '--march', 'pentium');
like($out, qr/, 1 error$/m, 'rdtsc is fine on a pentium');

# ---- defaults: the build's --march and allow-list ------------------------

# No --march: the CONFIG_MARCH of the .config beside the image.
{
	mkdir "$tmp/cfg" or die;
	link_image("$tmp/cfg/vmlinux", "$tmp/good.d/good.o");
	open(my $fh, '>', "$tmp/cfg/.config") or die;
	print $fh "# test\nCONFIG_SMP=y\nCONFIG_MARCH=\"pentium\"\n";
	close($fh);
	my $img = "$tmp/cfg/vmlinux";
	($st, $out, $err) = run_verify($img);
	like($out, qr/, 1 error$/m, '--march from the .config beside the image');
	unlike($out, qr/rdtsc/, '... a pentium has rdtsc');
	($st, $out) = run_verify($img, '--march', 'i486');
	like($out, qr/rdtsc needs tsc.*\n.*, 2 errors$/m, '--march overrides it');
	($st, $out) = run_verify($img, '--allow', $allow);
	is($st, 0, '--allow replaces the default list');
	like($err, qr{scripts/fixup-verify\.allow:\d+: baseline clock_ns \S+/clock\.o: not needed},
	    'default allow-list: the one beside the script');

	open($fh, '>', "$tmp/cfg/.config") or die;
	print $fh "CONFIG_MARCH=\"z80\"\n";
	close($fh);
	($st, $out, $err) = run_verify($img);
	is($st, 1, 'an unknown CONFIG_MARCH fails');
	like($err, qr/^fixup-verify: \Q$tmp\E\/cfg\/\.config: CONFIG_MARCH "z80"/m,
	    '... naming the .config');
}

# The kernel of this tree, as built: the same verdict with no options,
# from any directory.
SKIP: {
	skip 'no vmlinux built in the tree', 3
	    unless -f "$root/vmlinux" && -f "$root/.config";
	my $o = `cd $tmp && $verify $root/vmlinux 2>&1`;
	is($? >> 8, 0, 'fixup-verify vmlinux, no options, passes')
	    or diag($o);
	like($o, qr/^fixup-verify: \S+vmlinux: \d+ sites \(.*\), 0 errors$/m,
	    '... 0 errors');
	is(scalar(split /\n/, $o), 1, '... nothing but the summary');
}

# ---- broken images -------------------------------------------------------

my @BAD = (
	['BAD_UNRECORDED_LOCK', 'bad_here', qr/unrecorded lock prefix/],
	['BAD_LEN', 'bad_here', qr/length 2 is illegal for LOCK/],
	['BAD_MIDINSN', ['bad_fn', 2],
	    qr/APIC_WRITE site is not at an instruction boundary/],
	['BAD_KIND', 'bad_here', qr/MOVNTQ site is not movq/],
	['BAD_HINT', 'bad_here', qr/PREFETCHW site hint \/0 is not \/1/],
	['BAD_OVERLAP', 'bad_here', qr/MB site overlaps the LOCK site at/],
	['BAD_CMOV', 'bad_here',
	    qr/cmovl needs cmov, which --march i486 lacks/],
	['BAD_FENCE', 'bad_here', qr/unrecorded mfence/],
	['BAD_OUTSIDE', 'bad_here', qr/LOCK site is outside kernel text/],
	['BAD_TABLE', '__fixup_sites_start',
	    qr/table size 97 is not a multiple of 6/],
	# Issue 22's holes: each linked clean before.
	['BAD_AWX', 'bad_here', qr/cmovl needs cmov, which --march i486/,
	    [], qr/: code in \.awx \(0x\w+-0x\w+\), outside the text/],
	['BAD_INITDATA', 'bad_here', qr/cmovl needs cmov/, [],
	    qr/: code in \.init\.data /],
	['BAD_XBEGIN', 'bad_here', qr/xbegin needs rtm, which --march i486/],
	['BAD_UNDECODABLE', 'bad_here',
	    qr/unknown instruction '\(bad\)' \(0f ae\)/],
	['BAD_HINT_NOP', 'bad_here', qr/nop needs nopl, which --march i486/],
	['BAD_SSE41', 'bad_here',
	    qr/pminsb needs sse4\.1, which --march pentium4 lacks/,
	    ['--march', 'pentium4']],
	['BAD_SITE_FORM', 'bad_here', qr/movq needs mmx, which --march i486 /
	    . qr/lacks \(the compiled form of a MOVNTQ site: its sites belong in /
	    . qr/variant text\)/],
	['BAD_VARIANT_CALL', 'bad_here', qr/refers to the variant copy_page_sse/
	    . qr/ \(call .*\): variant text is reached only through/],
	['BAD_DESYNC_PTR', 'bad_here', qr/address in \.data to 0x\w+, inside /
	    . qr/'mov \$.*' at 0x\w+: these bytes decode two ways/, [],
	    qr/<bad_fn\+0x1>: unrecorded lock prefix \(lock incl/],
	['BAD_VARIANT_PTR', 'bad_here', qr/holds the address of the variant /
	    . qr/copy_page_sse: variant text is reached only through/],
	['BAD_CALL_GROUP', 'bad_here', qr/CALL site \(call .*<lock_site>\): /
	    . qr/call target not in a group/],
	['BAD_DESYNC', 'bad_here', qr/branch to 0x\w+, inside 'mov \$.*' at /
	    . qr/0x\w+: these bytes decode two ways/, [],
	    qr/<bad_(?:fn|here)\+0x3>: unrecorded lock prefix \(lock incl/],
	# Issue 20: the branches to Spectre v2 thunks.
	['BAD_THUNK_UNRECORDED', 'bad_here', qr/call to /
	    . qr/__x86_indirect_thunk_eax \(call .*\): not recorded: a /
	    . qr/THUNK_CALL site/],
	['BAD_THUNK_JCC', 'bad_here', qr/jne to __x86_return_thunk \(jne .*\): /
	    . qr/a conditional branch to a thunk is no site/],
	['BAD_THUNK_CALL_RETURN', 'bad_here', qr/call to __x86_return_thunk /
	    . qr/\(call .*\): no site kind is a call to __x86_return_thunk/],
	['BAD_THUNK_TARGET', 'bad_here', qr/THUNK_CALL site \(call .*/
	    . qr/<lock_site>\) reaches no thunk, not a thunk of THUNK_CALL /
	    . qr/\(__x86_indirect_thunk_eax .*\)/],
	['BAD_THUNK_KIND', 'bad_here', qr/RETURN site \(jmp .*\) reaches /
	    . qr/__x86_indirect_thunk_eax, not a thunk of RETURN /
	    . qr/\(__x86_return_thunk\)/],
	['BAD_THUNK_OPCODE', 'bad_here', qr/THUNK_JMP site is not thunk /
	    . qr/\(e9 rel32\) to __x86_indirect_thunk_eax .* \(bytes e8 /],
	['BAD_THUNK_LFENCE', 'bad_here', qr/unrecorded lfence/],
	# The kernel's list of thunks, against the tools'.
	['BAD_THUNK_LIST_REG', 'bad_here', qr/fixup_thunks\[0\] \(0x\w+, /
	    . qr/THUNK_CALL, register 1\): __x86_indirect_thunk_eax carries /
	    . qr/eax \(Fixup::Thunks\)/],
	['BAD_THUNK_UNLISTED', '__x86_return_thunk', qr/__x86_return_thunk: /
	    . qr/no RETURN entry in fixup_thunks/],
);
for my $b (@BAD) {
	my ($def, $at, $re, $opt, $also) = @$b;
	my $img = image(lc $def, $def);
	my $addr = ref $at ? sym($img, $at->[0]) + $at->[1] : sym($img, $at);
	my $a = sprintf('0x%08x', $addr);
	($st, $out) = run_verify($img, '--allow', $allow, @{$opt // []});
	is($st, 1, "$def: exit 1");
	like($out, qr/^fixup-verify: \Q$img\E: $a <[^>]+>: .*$re/m,
	    "$def: message names $a") or diag($out);
	like($out, qr/^fixup-verify: \Q$img\E: .*$also/m,
	    "$def: and says $also") if $also;
}

{
	my $img = "$tmp/bad_cmov";
	($st) = run_verify($img, '--march', 'pentiumpro', '--allow', $allow);
	is($st, 0, 'cmov is fine with --march pentiumpro');
	($st) = run_verify($img, '--march', 'k6-2', '--allow', $allow);
	is($st, 1, 'but not on a k6-2');
}

# ---- the allow-list --------------------------------------------------------

# An entry is bound to its object file: another object's read_tsc (a
# static function of the same name) is not covered, nor is a module's.
{
	open(my $f, '>', "$tmp/other.s") or die;
	print $f map { "$_\n" } "\t.text", "\t.type read_tsc, \@function",
	    "read_tsc:", "\trdtsc", "\tret";
	close($f);
	system("gcc -m32 -c -o $tmp/other.o $tmp/other.s") == 0 or die;
	link_image("$tmp/two", "$tmp/good.d/good.o", "$tmp/other.o");
	($st, $out) = run_verify("$tmp/two", '--allow', $allow);
	my $a = sprintf('0x%08x', sym("$tmp/two", 'read_tsc'));
	is($st, 1, "baseline read_tsc good.o: not for other.o's read_tsc");
	like($out, qr/: 0x[0-9a-f]+ <read_tsc\+0x0>: rdtsc needs tsc/,
	    '... whose rdtsc is named') or diag($out);
	is(scalar(() = $out =~ /rdtsc needs/g), 1, '... and only it');

	system("ld -m elf_i386 -r -o $tmp/mod.ko $tmp/good.d/good.o") == 0
	    or die;
	($st, $out) = run_verify("$tmp/mod.ko", '--allow', $allow);
	like($out, qr/<read_tsc\+0x0>: rdtsc needs tsc/,
	    'a kernel entry does not cover a module') or diag($out);
}

{
	my $f = "$tmp/allow";
	open(my $fh, '>', $f) or die;
	print $fh "# header\n\nraw-lock raw_lock_fn good.o # device\n"
	    . "baseline read_tsc good.o\n";
	close($fh);
	($st, $out) = run_verify($good, '--allow', $f);
	is($st, 1, 'an entry without a reason is an error');
	like($out, qr/\Q$f\E:4: no reason given/, '... named by file:line');

	open($fh, '>', $f) or die;
	print $fh "raw-lock raw_lock_fn good.o # device\n"
	    . "baseline read_tsc good.o # cpuid\n"
	    . "raw-lock no_such_fn good.o # stale\n";
	close($fh);
	($st, $out, $err) = run_verify($good, '--allow', $f);
	is($st, 0, 'an unused entry is not an error');
	like($err, qr/\Q$f\E:3: raw-lock no_such_fn good.o: not needed/,
	    '... but a warning');

	open($fh, '>', $f) or die;
	print $fh "nolock raw_lock_fn good.o # what\n";
	close($fh);
	($st, $out) = run_verify($good, '--allow', $f);
	is($st, 1, 'an unknown keyword is an error');
}

ok(-s "$root/scripts/fixup-verify.allow"
    && system("$verify --allow $root/scripts/fixup-verify.allow --march i486 "
    . "$tmp/bad_cmov >/dev/null 2>&1") >> 8 == 1,
    'the project allow-list parses');

# ---- the pass and the verifier together -----------------------------------

{
	my $c = "$root/tests/asm/sections.c";
	my @cc = ("gcc -m32 -O2 -march=i486 -fno-pic -ffreestanding "
	    . "-I$root/include -S -o $tmp/sec.s $c",
	    "perl $pass -o $tmp/sec.fx.s $tmp/sec.s",
	    "gcc -m32 -c -o $tmp/sec.o $tmp/sec.s",
	    "gcc -m32 -c -o $tmp/sec.fx.o $tmp/sec.fx.s");
	is(system(join(' && ', @cc)), 0,
	    'sections.c compiled with and without the pass');
	link_image("$tmp/sec.raw", "$tmp/good.d/good.o", "$tmp/sec.o");
	link_image("$tmp/sec.fx", "$tmp/good.d/good.o", "$tmp/sec.fx.o");
	($st, $out) = run_verify("$tmp/sec.fx", '--allow', $allow);
	is($st, 0, 'image from the pass output verifies') or diag($out);
	($st, $out) = run_verify("$tmp/sec.raw", '--allow', $allow);
	is($st, 1, 'image without the pass fails');
	like($out, qr/<setup\+0x[0-9a-f]+>: unrecorded lock prefix/,
	    '... on the locks in .init.text');
}

# A module's branches to the kernel's thunks (issue 20): each rel32 is
# a relocation against the thunk, which names it.
{
	open(my $f, '>', "$tmp/thunks.s") or die;
	print $f map { "$_\n" } "\t.text", "\t.globl mod_fn",
	    "\t.type mod_fn, \@function", "mod_fn:",
	    "\tcall\t__x86_indirect_thunk_esi", "\tjmp\t__x86_indirect_thunk_ecx",
	    "mod_ret:", "\tjmp\t__x86_return_thunk";
	close($f);
	is(system("perl $pass -o $tmp/thunks.fx.s $tmp/thunks.s && "
	    . "gcc -m32 -c -o $tmp/thunks.o $tmp/thunks.fx.s && "
	    . "ld -m elf_i386 -r -o $tmp/thunks.ko $tmp/thunks.o && "
	    . "gcc -m32 -c -o $tmp/thunks-raw.o $tmp/thunks.s && "
	    . "ld -m elf_i386 -r -o $tmp/thunks-raw.ko $tmp/thunks-raw.o"), 0,
	    'a module with branches to thunks, with and without the pass');
	($st, $out) = run_verify("$tmp/thunks.ko", '--march', 'i486');
	is($st, 0, 'the module through the pass verifies') or diag($out);
	like($out, joined(qr/: 3 sites \(THUNK_CALL 1, THUNK_JMP 1, RETURN 1\), /
	    . qr/0 errors$/), '... with its three thunk sites');
	($st, $out) = run_verify("$tmp/thunks-raw.ko", '--march', 'i486');
	is($st, 1, 'the module without the pass fails');
	like($out, joined(qr/^fixup-verify: \S+: 0x00000000 <mod_fn\+0x0>: call to /m
	    . qr/__x86_indirect_thunk_esi \(call .*\): not recorded: a /
	    . qr/THUNK_CALL site/), '... naming the call by address and '
	    . 'function');
	like($out, joined(qr/ 0x00000005 <mod_fn\+0x5>: jmp to /
	    . qr/__x86_indirect_thunk_ecx .*: not recorded: a THUNK_JMP site/),
	    '... the tail call');
	like($out, joined(qr/ 0x0000000a <mod_ret\+0x0>: jmp to __x86_return_thunk /
	    . qr/.*: not recorded: a RETURN site/), '... the return');
	like($out, qr/, 3 errors$/m, '... and nothing else');
	my @l = grep { /^\.text/ } split /\n/, `$report $tmp/thunks.ko`;
	is_deeply([map { [(split)[1, 4, 5]] } @l], [['THUNK_CALL',
	    '__x86_indirect_thunk_esi', '(esi)'], ['THUNK_JMP',
	    '__x86_indirect_thunk_ecx', '(ecx)'], ['RETURN',
	    '__x86_return_thunk', undef]],
	    'fixup-report names a module\'s thunks and registers');

	# A RETURN record on a tail call to a function that is no thunk.
	open($f, '>', "$tmp/notthunk.S") or die;
	print $f map { "$_\n" } '#include <asm/fixup.h>', "\t.text",
	    "\t.globl mod_fn", "mod_fn:",
	    "661:\t{disp32} jmp other_fn",
	    "662:\tfixup_record FIXUP_KIND_RETURN";
	close($f);
	is(system("gcc -m32 -c -I$root/include -o $tmp/notthunk.o "
	    . "$tmp/notthunk.S && ld -m elf_i386 -r -o $tmp/notthunk.ko "
	    . "$tmp/notthunk.o"), 0, 'a module with a RETURN record on a jmp '
	    . 'to another function');
	($st, $out) = run_verify("$tmp/notthunk.ko", '--march', 'i486');
	is($st, 1, '... fails');
	like($out, joined(qr/ 0x00000000 <mod_fn\+0x0>: record at 0x0+: RETURN site /
	    . qr/\(jmp .*\) reaches no thunk, not a thunk of RETURN /
	    . qr/\(__x86_return_thunk\)/), '... naming it') or diag($out);
	like(`$report $tmp/notthunk.ko`, joined(qr/^\.text\+0x0 +RETURN +5 +mod_fn\+0x0 /m
	    . qr/ +not-a-thunk$/m), 'fixup-report: not-a-thunk');
}

# The flag-keeping barriers: the lock prefix inside the site (at offset 1,
# after pushfl) is the site's own.
{
	open(my $f, '>', "$tmp/flags.s") or die;
	print $f map { "$_\n" } "\t.text", "\t.globl flags_fn",
	    "flags_fn:", "\tcmpl %eax, %edx", "\tmfence", "\tjne .L1",
	    "\tstc", "\tsfence", "\tadcl \$0, %eax", ".L1:",
	    "\tlock xacquire xaddl %eax, (%ecx)", "\tret";
	close($f);
	is(system("perl $pass -o $tmp/flags.fx.s $tmp/flags.s && "
	    . "gcc -m32 -c -o $tmp/flags.o $tmp/flags.fx.s"), 0,
	    'fences with live flags through the pass');
	link_image("$tmp/flags", "$tmp/good.d/good.o", "$tmp/flags.o");
	($st, $out) = run_verify("$tmp/flags", '--allow', $allow);
	is($st, 0, 'image with MB_FLAGS and WMB_FLAGS sites, and a lock '
	    . 'after an HLE hint (F2 F0), verifies')
	    or diag($out);
	like($out, qr/MB_FLAGS 1\b.*WMB_FLAGS 1\b/, '... and counts them');
}

# ---- fixup-report ----------------------------------------------------------

{
	my @l = split /\n/, `$report $tmp/good.d/good.o`;
	is($? >> 8, 0, 'fixup-report on an object');
	my @sites = map { [split] } grep { /^\./ } @l;
	is(scalar @sites, 16, 'sixteen sites');
	is_deeply($sites[0], ['.text+0x6', 'LOCK', 1, 'lock_site+0x0'],
	    'first site: section+offset, kind, length, symbol');
	is_deeply($sites[-1], ['.init.text+0x0', 'LOCK', 1, 'init_fn+0x0'],
	    'init text site');
	is_deeply([map { $_->[1] } @sites], [qw(LOCK LOCK MB RMB SMP_WMB
	    PREFETCH PREFETCHW MOVNTI APIC_WRITE CALL THUNK_CALL THUNK_JMP
	    THUNK_JMP RETURN MOVNTQ LOCK)], 'kinds in order');
	is_deeply([map { $_->[2] } @sites],
	    [1, 1, 5, 5, 5, 5, 9, 3, 6, 5, 5, 5, 5, 5, 4, 1], 'lengths');
	is_deeply([map { join ' ', @$_[4 .. $#$_] } @sites[10 .. 13]],
	    ['__x86_indirect_thunk_eax (eax)', '__x86_indirect_thunk_eax (eax)',
	    '__x86_return_thunk_ecx (ecx)', '__x86_return_thunk'],
	    'each thunk site\'s thunk and register, from its relocation');
	is_deeply([map { join ' ', @$_[4 .. $#$_] } @sites[0 .. 9, 14, 15]],
	    [('') x 12], '... and no fifth column for the other kinds');
	ok((grep { /^LOCK\s+3$/ } @l) && (grep { /^total\s+16$/ } @l),
	    'counts per kind');
	ok((grep { /^THUNK_JMP\s+2$/ } @l)
	    && (grep { /^  __x86_indirect_thunk_eax\s+1$/ } @l)
	    && (grep { /^  __x86_return_thunk_ecx\s+1$/ } @l),
	    'a THUNK kind\'s count, then its count by thunk');

	@l = split /\n/, `$report $good`;
	is($? >> 8, 0, 'fixup-report on an image');
	@sites = map { [split] } grep { /^0x/ } @l;
	is(scalar @sites, 16, 'sixteen sites');
	is_deeply([map { $_->[4] } @sites[10 .. 13]],
	    [qw(__x86_indirect_thunk_eax __x86_indirect_thunk_eax
	    __x86_return_thunk_ecx __x86_return_thunk)],
	    'each thunk site\'s thunk, from its target address');
	my $ls = sym($good, 'lock_site');
	is_deeply($sites[0],
	    [sprintf('0x%08x', $ls), 'LOCK', 1, 'lock_site+0x0'],
	    'absolute address from the section address');
	is($sites[1][0], sprintf('0x%08x', $ls + 4), 'second lock');
	is_deeply($sites[-1], [sprintf('0x%08x', sym($good, 'init_fn')), 'LOCK',
	    1, 'init_fn+0x0'], 'init text site');
	my @addr = map { hex $_->[0] } @sites;
	is_deeply(\@addr, [sort { $a <=> $b } @addr], 'sorted by address');

	`$report $tmp/bad_table 2>&1`;
	is($? >> 8, 1, 'fixup-report rejects a torn table');
	`$report $fix/verify.lds 2>&1`;
	is($? >> 8, 1, 'fixup-report rejects a non-ELF file');
}

# ---- --help --------------------------------------------------------------

for my $tool ($verify, $report) {
	my $o = `$tool --help 2>&1`;
	is($? >> 8, 0, "$tool --help exits 0");
	like($o, qr/NAME.*SYNOPSIS.*DESCRIPTION.*OPTIONS.*EXIT\ STATUS
	    .*EXAMPLES/sx, "$tool --help is a manual");
}
is(system("$verify --march 8086 $good >/dev/null 2>&1") >> 8, 2,
    'unknown --march exits 2');
for my $tool ($verify, $report) {
	my $o = `$tool --list-kinds 2>&1`;
	is($? >> 8, 0, "$tool --list-kinds exits 0");
	like($o, qr/^ 1 LOCK +1\b/m, "$tool --list-kinds lists the kinds");
}

done_testing();

#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# tests/catalogue.t: every view of the site kinds is the catalogue's,
# include/asm/fixup-kinds.h. Fails when a number, a name or a length
# differs anywhere.
#
# Two oracles that do not share a parser: the kind table of
# Documentation/fixup-sites.md (read here with its own regex) and the C
# compiler's view of the header (its #defines through gcc -E -dM, and its
# X-macro rows expanded by a small host program). They are checked against
# each other, then every other view against both: Fixup::Catalogue (the
# Perl reader the tools share), what fixup-verify and fixup-report say
# with --list-kinds, the kind numbers fixup-sites.pl writes, and the names
# fixup-report gives the records of the pass's output. The forms and
# rules are compared between the host program and Fixup::Catalogue, the
# doc's compiled bytes against the host program's compiled forms.
#
# Then a kind's whole path (Documentation/adding-a-kind.md): the views
# written out by hand, each checked to know every kind (Rules.pm,
# bench/pass.c, the variant lists of report.md and fixup-sites.md) and
# every CPU feature bit (cpu.c's names, cmdline.md's clearcpuid= list,
# report.md's fixup: cpu: list), and every reason the walk rejects a
# record with (fixup-sites.md, report.md), each failure named after the
# file and the guide's step.

use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/../scripts/lib";
use Fixup::Catalogue;

my $root = "$FindBin::Bin/..";
my $header = "$root/include/asm/fixup-kinds.h";
my $doc = "$root/Documentation/fixup-sites.md";
my $tmp = tempdir('catalogue.XXXXXX', TMPDIR => 1, CLEANUP => 1);

sub slurp {
	open(my $f, '<', $_[0]) or die "$_[0]: $!";
	local $/;
	return scalar <$f>;
}

sub run {
	my ($cmd) = @_;
	my $out = `$cmd 2>$tmp/err`;
	die "'$cmd' failed: " . slurp("$tmp/err") if $?;
	return $out;
}

# Differences between two views, name => { n, min, max, ... }, named A
# and B in the messages: only the fields both have, and every kind either
# has (with PARTIAL, the kinds of A, which must all be in B).
sub differ {
	my ($a, $b, $an, $bn, $partial) = @_;
	my @d;
	my %names = map { $_ => 1 } keys %$a, $partial ? () : keys %$b;
	my %field = (n => 'number', min => 'shortest', max => 'longest',
	    shape => 'shape');
	for my $k (sort keys %names) {
		if (!$a->{$k} || !$b->{$k}) {
			push @d, "$k: only in " . ($a->{$k} ? $an : $bn);
			next;
		}
		for my $f (sort keys %{$a->{$k}}) {
			next unless exists $b->{$k}{$f};
			my ($x, $y) = ($a->{$k}{$f}, $b->{$k}{$f});
			push @d, "$k $field{$f}: $x in $an, $y in $bn"
			    if ($x // '-') ne ($y // '-');
		}
	}
	return \@d;
}

sub lengths {
	my ($s) = @_;
	my ($min, $max) = $s =~ /^(\d+)(?:\.\.(\d+))?$/ or return;
	return ($min, $max // $min);
}

# ---- oracle 1: the kind table of the documentation --------------------------

my (%DOC, %doc_bytes);
my $doc_text = slurp($doc);
{
	my ($in, $prev) = (0);
	for (split /\n/, slurp($doc)) {
		$in = 1 if /^## Kinds\s*$/;
		last if $in && /^###? / && !/^## Kinds/;
		next unless $in && /^\|\s*(\d+)\s*\|\s*(\w+)\s*\|\s*([\d.]+)\s*\|
		    \s*(.*?)\s*\|\s*$/x;
		my ($n, $name, $len, $form) = ($1, $2, $3, $4);
		my ($min, $max) = lengths($len);
		$DOC{$name} = { n => $n, min => $min, max => $max };
		# The compiled form's leading bytes: the first `...` that
		# starts with a byte; "same" repeats the row above.
		my @b;
		if ($form =~ /^same\b/) {
			@b = @{$prev // []};
		} else {
			for my $code ($form =~ /`([^`]*)`/g) {
				next unless $code =~ /^[0-9A-Fa-f]{2}\b/;
				for (split ' ', $code) {
					last unless /^(?:[0-9A-Fa-f]{2}|xx)$/;
					push @b, /^xx$/ ? 'JMP' : hex $_;
				}
				last;
			}
		}
		$doc_bytes{$name} = $prev = \@b;
	}
}
cmp_ok(scalar keys %DOC, '>=', 13, 'the documentation has a kind table')
    or diag("no '| n | kind | len | ...' rows under '## Kinds' in $doc");

# ---- oracle 2: the C compiler's view -------------------------------------

# The #defines of the header, and of include/asm/fixup.h as the kernel's
# assembler sources see it (FIXUP_KIND_NAME, or FIXUP_NAME before the
# patcher's rename).
my %define_kinds = run("gcc -E -dM -x c -I$root/include $header")
    =~ /^#define (FIXUP_\w+) (\d+)\b/mg;
my %define_fixup = run("gcc -E -dM -x assembler-with-cpp -D__ASSEMBLER__ "
    . "-I$root/include $root/include/asm/fixup.h") =~
    /^#define (FIXUP_\w+) (\d+)\b/mg;

# The rows, expanded by the compiler itself.
open(my $c, '>', "$tmp/kinds.c") or die;
print $c <<'EOF';
#include <stdio.h>

#define JMP	0x100
#define ANY	(-1)
#define HINT	(-2)
#define REG(b)	(0x200 | (b))

static void form(const char *kind, const char *name, int reg,
		 const int *b, int n)
{
	int i;

	printf("form %s %s ", kind, name);
	if (reg == ANY)
		printf("ANY");
	else if (reg == HINT)
		printf("HINT");
	else if (reg == -3)
		printf("-");
	else
		printf("%d", reg);
	for (i = 0; i < n; i++) {
		if (b[i] == JMP)
			printf(" JMP");
		else if (b[i] & 0x200)
			printf(" REG(0x%02x)", b[i] & 0xff);
		else
			printf(" %d", b[i]);
	}
	printf("\n");
}

#define FIXUP_KIND(k, min, max, shape)					\
	printf("kind %d %s %d %d %s\n", FIXUP_KIND_##k, #k, min, max, #shape);
#define FIXUP_FIXED(k, name, ...) {					\
	static const int b_[] = { -1, ##__VA_ARGS__ };			\
	form(#k, name, -3, b_ + 1, sizeof(b_) / sizeof(b_[0]) - 1); }
#define FIXUP_MODRM(k, name, reg, ...) {				\
	static const int b_[] = { -1, ##__VA_ARGS__ };			\
	form(#k, name, reg, b_ + 1, sizeof(b_) / sizeof(b_[0]) - 1); }
#define FIXUP_THUNK(k, name, ...) {					\
	static const int b_[] = { -1, ##__VA_ARGS__ };			\
	form(#k, name, -3, b_ + 1, sizeof(b_) / sizeof(b_[0]) - 1); }
#define FIXUP_RULE(k, needs, bug, mode, name)				\
	printf("rule %s %s %s %s %s\n", #k, #needs, #bug, #mode, name);

int main(void)
{
#include <asm/fixup-kinds.h>
	printf("nr %d\n", FIXUP_NR_KINDS);
	return 0;
}
EOF
close($c);
run("gcc -std=gnu11 -Wall -Werror -I$root/include -o $tmp/kinds $tmp/kinds.c");
my (%C, %c_forms, @c_rules, $c_nr);
for (split /\n/, run("$tmp/kinds")) {
	my ($what, @f) = split ' ';
	if ($what eq 'kind') {
		$C{$f[1]} = { n => $f[0], min => $f[2], max => $f[3],
		    shape => $f[4] };
	} elsif ($what eq 'form') {
		my ($k, $name, $reg, @b) = @f;
		push @{$c_forms{$k}}, { name => $name,
		    reg => $reg eq '-' ? undef : $reg, bytes => \@b };
	} elsif ($what eq 'rule') {
		push @c_rules, { kind => $f[0], needs => $f[1], bug => $f[2],
		    mode => $f[3], form => $f[4] };
	} elsif ($what eq 'nr') {
		$c_nr = $f[0];
	}
}

is_deeply(differ(\%DOC, \%C, 'the documentation', 'the header (C)'), [],
    'Documentation/fixup-sites.md\'s kind table is the header\'s (numbers, '
    . 'names, lengths; adding-a-kind.md, step 5)');
my %C_DEFINE = map { /^FIXUP_KIND_(\w+)$/ ? ($1 => { n => $define_kinds{$_} })
    : () } keys %define_kinds;
is_deeply(differ(\%C_DEFINE, \%C, 'the #defines', 'the rows'), [],
    'the #defines of fixup-kinds.h are its rows\' numbers');
is($define_kinds{FIXUP_NR_KINDS}, $c_nr, 'FIXUP_NR_KINDS, as the rows see it');
my $max = (sort { $a <=> $b } map { $_->{n} } values %C)[-1] // 0;
is($c_nr, $max + 1, 'FIXUP_NR_KINDS is one more than the highest kind');
{
	my (%view, @old);
	for my $k (keys %C) {
		my $n = $define_fixup{"FIXUP_KIND_$k"};
		$view{$k} = { n => $n } if defined $n;
		# the names before the catalogue, FIXUP_LOCK etc., are gone
		push @old, "FIXUP_$k" if defined $define_fixup{"FIXUP_$k"};
	}
	is_deeply(differ(\%view, \%C, 'fixup.h', 'fixup-kinds.h'), [],
	    'include/asm/fixup.h\'s kind numbers, as the preprocessor sees '
	    . 'them');
	is_deeply([sort @old], [], '... and no kind under an old name');
	is($define_fixup{FIXUP_NR_KINDS}, $c_nr, '... and its FIXUP_NR_KINDS');
}
{
	my @d;
	for my $k (sort keys %doc_bytes) {
		next if ($C{$k}{shape} // '') eq 'CALL' || !@{$doc_bytes{$k}};
		my $f = $c_forms{$k} ? $c_forms{$k}[0]{bytes} : [];
		my $n = @{$doc_bytes{$k}};
		push @d, "$k: doc @{$doc_bytes{$k}}, header @$f"
		    if "@{$doc_bytes{$k}}" ne "@$f[0 .. $n - 1]";
	}
	is_deeply(\@d, [], 'the documented compiled forms begin with the '
	    . 'header\'s');
}

# ---- the views under test ------------------------------------------------

sub against_oracles {
	my ($what, $view, $partial) = @_;
	is_deeply(differ($view, \%DOC, $what, 'the documentation', $partial),
	    [], "$what: as documented");
	is_deeply(differ($view, \%C, $what, 'the header (C)', $partial), [],
	    "$what: as the C compiler sees it");
}

# Fixup::Catalogue, the Perl reader.
my $cat = Fixup::Catalogue::kinds();
my %PERL = map { $_->{name} => { n => $_->{number}, min => $_->{min},
    max => $_->{max}, shape => $_->{shape} } } values %$cat;
against_oracles('Fixup::Catalogue', \%PERL);
is(Fixup::Catalogue::nr_kinds(), $c_nr, 'Fixup::Catalogue: FIXUP_NR_KINDS');
is_deeply({ map { $_->{name} => $_->{forms} } values %$cat },
    { map { $_ => $c_forms{$_} // [] } keys %C },
    'Fixup::Catalogue: every form, its reg field and bytes, in order');
is_deeply([Fixup::Catalogue::rules()], \@c_rules,
    'Fixup::Catalogue: every rule, in order');
is_deeply(Fixup::Catalogue::kind_by_name('LOCK'), $cat->{$C{LOCK}{n}},
    'Fixup::Catalogue: kind_by_name');

# The tools, as they say it.
for my $tool (qw(fixup-verify fixup-report)) {
	my %v;
	for (split /\n/, run("$root/scripts/$tool --list-kinds")) {
		my ($n, $name, $len) = split ' ';
		my ($min, $max) = lengths($len);
		$v{$name} = { n => $n, min => $min, max => $max };
	}
	against_oracles("$tool --list-kinds", \%v);
}

# The asm pass: the number it writes for each kind it makes, named in the
# comment beside it; then fixup-report's name for each record.
{
	open(my $f, '>', "$tmp/sites.s") or die;
	print $f "\t.text\nf:\n", map { "\t$_\n" } 'lock incl (%eax)',
	    'mfence', 'lfence', 'sfence', 'prefetchnta (%eax)',
	    'prefetchw 4(%eax)', 'movntq %mm0, (%eax)', 'movnti %eax, (%edx)',
	    'call __x86_indirect_thunk_eax', 'jmp __x86_indirect_thunk_ecx',
	    'jmp __x86_return_thunk';
	close($f);
	my $out = run("perl $root/scripts/fixup-sites.pl -o $tmp/sites.fx.s "
	    . "$tmp/sites.s && cat $tmp/sites.fx.s");
	my %v;
	my @order;
	while ($out =~ /^\t\.byte (\d+), \.Lfx_\d+_end - \.Lfx_\d+\t# (\w+)$/mg) {
		$v{$2} = { n => $1 };
		push @order, $2;
	}
	is(scalar @order, 11, 'fixup-sites.pl made eleven sites');
	against_oracles('fixup-sites.pl', \%v, 'partial');
	run("gcc -m32 -c -o $tmp/sites.o $tmp/sites.fx.s");
	my @named = map { (split)[1] } grep { /^\./ }
	    split /\n/, run("$root/scripts/fixup-report $tmp/sites.o");
	is_deeply(\@named, \@order,
	    'fixup-report names each record as the pass wrote it');
}

# ---- a kind's whole path (Documentation/adding-a-kind.md) -------------------
#
# The views written out by hand on purpose: each must know every kind,
# and a test named after the file and the step fails when one does not.

# Rules.pm: a variant for every kind but CALL, on every CPU shape that
# picks a different rule, and each a form of its kind.
{
	use lib "$FindBin::Bin/lib";
	require Fixup386::Rules;
	my %none = (vendor => 'unknown', family => 4, model => 0,
	    stepping => 0, has => {});
	my %all = (vendor => 'GenuineIntel', family => 6, model => 0,
	    stepping => 0, has => { map { $_ => 1 } qw(sse sse2 mmxext
	    3dnow prefetchw nopl apic) });
	my (%missing, %bad);
	for my $cpu (\%none, \%all) {
		for my $smp (0, 1) {
			my $v = Fixup386::Rules::expected_variants($cpu, $smp);
			for my $k (sort keys %C) {
				next if $C{$k}{shape} eq 'CALL';
				if (!defined $v->{$k}) {
					$missing{$k} = 1;
					next;
				}
				$bad{$k} = $v->{$k} unless grep
				    { $_->{name} eq $v->{$k} } @{$c_forms{$k} // []};
			}
		}
	}
	for my $k (sort keys %C) {
		next if $C{$k}{shape} eq 'CALL';
		ok(!$missing{$k}, "tests/lib/Fixup386/Rules.pm: kind $k has "
		    . 'its expected variants (adding-a-kind.md, step 4)');
		ok(!$bad{$k}, "tests/lib/Fixup386/Rules.pm: kind ${k}'s "
		    . 'variants are forms of the kind') or diag("'$bad{$k}' "
		    . "is not a form of $k in fixup-kinds.h");
	}
}

# bench/pass.c: a site form of every kind, in mix[] or alone[].
{
	my %bench = map { $_ => 1 }
	    slurp("$root/bench/pass.c") =~ /\{\s*FIXUP_KIND_(\w+),/g;
	ok($bench{$_}, "bench/pass.c: a site of kind $_ in mix[] or alone[] "
	    . '(make bench; adding-a-kind.md, step 4)') for sort keys %C;
}

# The variant names, as the documents list them.
{
	my %names = map { $_->{name} => 1 } map { @$_ } values %c_forms;
	my $report = slurp("$root/Documentation/report.md");
	my ($list) = $report =~ /^- `variant`:(.*?)^- /ms;
	my ($sites) = slurp($doc) =~ /^## Variant names\s*$(.*?)^## /ms;
	for my $n (sort keys %names) {
		ok(($list // '') =~ /`\Q$n\E`/, "Documentation/report.md: "
		    . "variant '$n' in the list of `variant` (adding-a-kind.md, "
		    . 'step 5)');
		ok($doc_text =~ /`\Q$n\E`/, "Documentation/fixup-sites.md: "
		    . "variant '$n' named (adding-a-kind.md, step 5)");
	}
}

# A CPU feature bit: its name in cpu.c's features[] (the report's and
# clearcpuid='s), and in Documentation/cmdline.md's clearcpuid= list.
{
	my %bits = slurp("$root/include/asm/cpufeature.h") =~
	    /^#define X86_FEATURE_(\w+)\s+\(1u << (\d+)\)/mg;
	my ($table) = slurp("$root/arch/i386/kernel/cpu.c") =~
	    /\bfeatures\[\w*\][^=]*=\s*\{(.*?)^\};/ms;
	my @names = ($table // '') =~ /\{\s*"(\w+)",/g;
	my ($list) = slurp("$root/Documentation/cmdline.md") =~
	    /^### clearcpuid=LIST\s*$(.*?)\(the\s+names\s+of/ms;
	my %doc = map { $_ => 1 } ($list // '') =~ /\b([a-z0-9_]+)\b/g;
	my ($cpu) = slurp("$root/Documentation/report.md") =~
	    /^- `features`:(.*?)`none`/ms;
	my %report = map { $_ => 1 } ($cpu // '') =~ /\b(\w+)\b/g;
	for my $f (sort { $bits{$a} <=> $bits{$b} } keys %bits) {
		my $name = $names[$bits{$f}];
		ok(defined $name && $name eq lc $f, "arch/i386/kernel/cpu.c: "
		    . "features[] names X86_FEATURE_$f '" . lc($f) . "' at bit "
		    . "$bits{$f} (adding-a-kind.md, step 3)")
		    or diag('it has ' . ($name // 'nothing'));
		ok($doc{lc $f}, 'Documentation/cmdline.md: clearcpuid= lists '
		    . "'" . lc($f) . "' (adding-a-kind.md, step 3)");
		ok($report{lc $f}, 'Documentation/report.md: fixup: cpu: '
		    . "features lists '" . lc($f) . "' (adding-a-kind.md, "
		    . 'step 3)');
	}
}

# The reasons the walk rejects a record with (the strings patcher.c
# returns), in Documentation/fixup-sites.md's "Validation" table and in
# report.md's list of REASON.
{
	my %why = map { $_ => 1 }
	    slurp("$root/arch/i386/fixup/patcher.c") =~ /\breturn "([^"]+)";/g;
	my ($table) = slurp($doc) =~ /^## Validation\s*$(.*?)^## /ms;
	my ($list) = slurp("$root/Documentation/report.md") =~
	    /^- `REASON`(.*?)\n\n/ms;
	cmp_ok(scalar(keys %why), '>=', 14, 'patcher.c: its reject reasons '
	    . 'read') or diag(join ', ', sort keys %why);
	for my $w (sort keys %why) {
		ok(($table // '') =~ /`\Q$w\E`/, 'Documentation/fixup-sites.md:'
		    . " the reason '$w' under \"Validation\" (adding-a-kind.md, "
		    . 'step 5)');
		ok(($list // '') =~ /`\Q$w\E`/, 'Documentation/report.md: the '
		    . "reason '$w' in the list of REASON (adding-a-kind.md, "
		    . 'step 5)');
	}
}

# ---- the reader refuses what it cannot read ---------------------------------

{
	my @lines = split /\n/, slurp($header);
	my ($i) = grep { $lines[$_] =~ /^FIXUP_KIND\(PREFETCH,/ } 0 .. $#lines;
	ok(defined $i, 'the PREFETCH row is there to break');
	for my $bad ('FIXUP_KIND(PREFETCH,	4, 9)',
	    'FIXUP_KIND(PREFETCH,	4, nine, MODRM)',
	    'FIXUP_KIND(PREFETCH,	4, 9, MODRM') {
		my @l = @lines;
		$l[$i] = $bad;
		open(my $f, '>', "$tmp/bad.h") or die;
		print $f map { "$_\n" } @l;
		close($f);
		my $n = $i + 1;
		ok(!eval { Fixup::Catalogue::kinds("$tmp/bad.h"); 1 }
		    && $@ =~ /^\Q$tmp\E\/bad\.h:$n: /,
		    "a broken row dies with file:line: $bad") or diag($@);
	}
}

# ---- the compiler refuses a catalogue the walk cannot rely on ---------------
# patcher.c's _Static_asserts (forms_ok in Documentation/proof.md): each
# broken copy of the header must stop the build with the row's message;
# the unbroken copy must build, or the test proves nothing.

{
	my $orig = slurp($header);
	my $cc = "gcc -fsyntax-only -std=gnu11 -DHOST_TEST -DCONFIG_SMP=1 "
	    . "-DCONFIG_NR_CPUS=8 -I$tmp/inc -I$root/include "
	    . "$root/arch/i386/fixup/patcher.c";
	my $compile = sub {
		my ($text) = @_;
		system('mkdir', '-p', "$tmp/inc/asm") == 0 or die;
		open(my $f, '>', "$tmp/inc/asm/fixup-kinds.h") or die;
		print $f $text;
		close($f);
		my $err = `$cc 2>&1`;
		return ($? == 0, $err);
	};
	my ($ok, $err) = $compile->($orig);
	ok($ok, 'patcher.c builds with an unbroken copy of the catalogue')
	    or diag($err);
	for my $t (
	    [ 'a FIXED kind of two lengths', qr/^FIXUP_KIND\(MB,\s.*$/m,
	      "FIXUP_KIND(MB,\t\t5, 6, FIXED)", qr/"MB: bad lengths"/ ],
	    [ 'a CALL kind not of 5 bytes', qr/^FIXUP_KIND\(CALL,\s.*$/m,
	      "FIXUP_KIND(CALL,\t4, 5, CALL)", qr/"CALL: bad lengths"/ ],
	    [ 'a kind with no form', qr/^FIXUP_FIXED\(RMB,\s.*\n/m, '',
	      qr/"RMB: no form"/ ],
	    [ 'a rule for a kind with no form', qr/^FIXUP_FIXED\(RMB,\s.*\n/m,
	      '', qr/"RMB rule lfence: the kind has no forms"/ ],
	    [ 'a form longer than its kind\'s site',
	      qr/^FIXUP_FIXED\(LOCK,\s+"ds",.*$/m,
	      "FIXUP_FIXED(LOCK,\t\"ds\",\t\t0x3e, 0x3e)",
	      qr/"LOCK ds: not of its kind\\?'s shape/ ]) {
		my ($what, $row, $by, $msg) = @$t;
		(my $text = $orig) =~ s/$row/$by/g;
		isnt($text, $orig, "the row to break is there: $what");
		($ok, $err) = $compile->($text);
		ok(!$ok && $err =~ $msg, "the build stops on $what") or diag($err);
	}
}

done_testing();

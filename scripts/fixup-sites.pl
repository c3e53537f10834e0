#!/usr/bin/perl
# fixup-sites.pl: turn the CPU- and SMP-dependent instructions in GCC's
# i386 assembler output into recorded fixup sites.
# SPDX-License-Identifier: GPL-2.0
# Record format and site kinds: Documentation/fixup-sites.md.

use strict;
use warnings;
use FindBin;
use lib "$FindBin::RealBin/lib";
use Getopt::Long qw(:config no_ignore_case bundling);
use Fixup::Catalogue;
use Fixup::Cli qw(usage fatal);
use Fixup::Insn qw(%PREFIX_WORD $LOCKABLE);

# The kinds this pass makes; their numbers are the catalogue's
# (include/asm/fixup-kinds.h).
my %KIND = map {
	my $k = eval { Fixup::Catalogue::kind_by_name($_) } or fatal($@
	    || "kind $_ is not in the catalogue");
	($_ => $k->{number});
} qw(LOCK MB RMB WMB PREFETCH PREFETCHW MOVNTQ MOVNTI);
my %KIND_NAME = reverse %KIND;

# Fences become the 5-byte barrier site.
my %FENCE = (mfence => 'MB', lfence => 'RMB', sfence => 'WMB');

# Prefetches become a jump over an lea; the lea's destination register
# carries the hint (the reg field of 0F 18 /r, or /1 for prefetchw).
my %PREFETCH = (
	prefetchnta => ['PREFETCH', '%eax'],
	prefetcht0  => ['PREFETCH', '%ecx'],
	prefetcht1  => ['PREFETCH', '%edx'],
	prefetcht2  => ['PREFETCH', '%ebx'],
	prefetch    => ['PREFETCH', '%eax'],	# 3DNow! 0F 0D /0
	prefetchw   => ['PREFETCHW', '%ecx'],	# 0F 0D /1
);

# Non-temporal stores without a site kind: left alone, with a warning.
my %NT_OTHER = map { $_ => 1 } qw(movntdq movntdqa movntps movntpd movntss
	movntsd maskmovq maskmovdqu);

# gas prefix words (AT&T) are %PREFIX_WORD (Fixup::Insn); {...} pseudo
# prefixes are handled separately.

# For the flags check after a fence: instructions that read EFLAGS, and
# ones after which flags set earlier are dead (set, or control leaves).
my %FLAG_READ = map { $_ => 1 } qw(adc sbb rcl rcr pushf lahf into cmc
	loope loopz loopne loopnz salc);
my %FLAG_DEAD = map { $_ => 1 } qw(cmp test add sub and or xor neg bt bts
	btr btc bsf bsr cmpxchg xadd popf sahf mul imul call ret jmp iret ud2
	hlt);

my $REG32 = qr/%(?:eax|ebx|ecx|edx|esi|edi|ebp|esp)/i;
my $LABEL = qr/(?:[A-Za-z_.\$][\w.\$]*|\d+|"[^"]*")/;

my $out_file;
my $uniprocessor;
GetOptions(
	'o|output=s' => \$out_file,
	'up' => \$uniprocessor,
	'h|help' => sub { usage(0) },
) or usage(2);
usage(2, 'one input file at most') if @ARGV > 1;

my $in_file = @ARGV ? $ARGV[0] : '-';
my $name = $in_file eq '-' ? '<stdin>' : $in_file;

my $fh;
if ($in_file eq '-') {
	$fh = \*STDIN;
} else {
	open($fh, '<', $in_file) or fatal("$in_file: $!");
}
my @lines = <$fh>;
close($fh);
chomp(@lines);

my @errors;
my @warnings;
sub error { my ($ln, $msg) = @_; push @errors, "$name:$ln: $msg"; }
sub warning { my ($ln, $msg) = @_; push @warnings, "$name:$ln: warning: $msg"; }

# Labels are .Lfx_N, .Lfx_N_end, .Lfx_N_lea. Start numbering above any N
# already in the file, so a second pass can never reuse a label.
my $next_site = 1;
for (@lines) {
	while (/\.Lfx_(\d+)/g) {
		$next_site = $1 + 1 if $1 >= $next_site;
	}
}

my @out = process(\@lines);
for (@warnings) { print STDERR "$_\n"; }
if (@errors) {
	print STDERR "$_\n" for @errors;
	exit 1;
}
write_output(\@out);
exit 0;

# ---- the pass -----------------------------------------------------------

sub process {
	my ($lines) = @_;
	my @o;
	my $in_app = 0;
	my $mode = 32;	# .code16 etc.: only 32-bit code is handled
	my $syntax = 'att';
	for (my $i = 0; $i < @$lines; $i++) {
		my $line = $lines->[$i];
		my $ln = $i + 1;

		if ($line =~ /^\s*\.code(16gcc|16|32|64)\b/) {
			$mode = $1 eq '16gcc' ? 16 : $1;
		}
		if ($line =~ /^\s*\.(intel|att)_syntax\b/) {
			$syntax = $1;
		}
		if ($in_app) {
			push @o, $line;
			$in_app = 0 if $line =~ /^#NO_APP\b/;
			next;
		}
		if ($line =~ /^#APP\b/) {
			push @o, $line;
			$in_app = 1;
			next;
		}
		if ($line =~ /^\s*\.Lfx_(\d+):\s*$/) {
			my $n = own_site($lines, $i, $1);
			push @o, @$lines[$i .. $i + $n - 1];
			$i += $n - 1;
			next;
		}
		# GCC never writes .pushsection: this is a hand-made record.
		if ($line =~ /^\s*\.pushsection\s+\.fixup_sites\b/) {
			error($ln, 'fixup record outside #APP not written by '
			    . 'this pass; cannot tell which site it records');
			push @o, $line;
			next;
		}

		my ($stmts, $comment) = split_line($line);
		my @parsed = map { parse_stmt($_) } @$stmts;
		if (!grep { site_kind($_) } @parsed) {
			push @o, $line;
			next;
		}
		if ($syntax ne 'att') {
			error($ln, 'Intel syntax is not supported');
			push @o, $line;
			next;
		}
		push @o, "\t#$comment" if defined $comment;
		for my $st (@parsed) {
			push @o, rewrite($st, $ln, $mode, $lines, $i);
		}
	}
	error(scalar @$lines, 'missing #NO_APP at end of file') if $in_app;
	return @o;
}

# Split one line into statements (';' outside strings) and a comment.
sub split_line {
	my ($line) = @_;
	my (@stmts, $cur, $comment);
	$cur = '';
	my $q = 0;
	for (my $k = 0; $k < length $line; $k++) {
		my $c = substr($line, $k, 1);
		if ($q) {
			$cur .= $c;
			if ($c eq '\\') {
				$cur .= substr($line, ++$k, 1);
			} elsif ($c eq '"') {
				$q = 0;
			}
		} elsif ($c eq '"') {
			$q = 1;
			$cur .= $c;
		} elsif ($c eq '#') {
			$comment = substr($line, $k + 1);
			last;
		} elsif ($c eq ';') {
			push @stmts, $cur;
			$cur = '';
		} else {
			$cur .= $c;
		}
	}
	push @stmts, $cur;
	return ([grep { /\S/ } @stmts], $comment);
}

# Break a statement into labels, prefixes, mnemonic and operands.
sub parse_stmt {
	my ($s) = @_;
	my %st = (labels => [], prefixes => [], mnem => '', ops => '',
	    text => $s);
	$s =~ s/^\s+//;
	$s =~ s/\s+$//;
	while ($s =~ s/^($LABEL)\s*:(?!:)\s*//) {
		push @{$st{labels}}, $1;
	}
	if ($s =~ /^\./) {
		$st{directive} = $s;
		return \%st;
	}
	while ($s =~ /^(\{[^}]*\}|[A-Za-z]\w*)(?=\s|$)\s*(.*)$/s) {
		my ($w, $rest) = ($1, $2);
		last unless $w =~ /^\{/ || $PREFIX_WORD{lc $w};
		push @{$st{prefixes}}, $w;
		$s = $rest;
	}
	if ($s =~ /^([A-Za-z][\w.]*)\s*(.*)$/s) {
		$st{mnem} = $1;
		$st{ops} = $2;
	} elsif ($s ne '') {
		$st{mnem} = $s;		# let gas complain
	}
	return \%st;
}

sub is_lock { return lc $_[0] eq 'lock'; }

# Does this statement need rewriting (or checking)?
sub site_kind {
	my ($st) = @_;
	return 0 if $st->{directive};
	my $m = lc $st->{mnem};
	return 1 if grep { is_lock($_) } @{$st->{prefixes}};
	return 1 if $FENCE{$m} || $m =~ /^prefetch/ || $m =~ /^movnt/
	    || $NT_OTHER{$m};
	return 0;
}

# Split operands at top-level commas.
sub operands {
	my ($ops) = @_;
	my (@r, $depth);
	my $cur = '';
	$depth = 0;
	for my $c (split //, $ops) {
		if ($c eq ',' && $depth == 0) {
			push @r, $cur;
			$cur = '';
			next;
		}
		$depth++ if $c eq '(';
		$depth-- if $c eq ')';
		$cur .= $c;
	}
	push @r, $cur if $cur =~ /\S/ || @r;
	s/^\s+|\s+$//g for @r;
	return @r;
}

# Check an AT&T memory operand usable in the site forms; return an error
# message, or undef if it is fine.
sub bad_mem {
	my ($op) = @_;
	return 'a segment override cannot be kept in the site form'
	    if $op =~ /^%[cdefgs]s\s*:/i;
	return "'$op' is not a memory operand" if $op =~ /^[%\$*]/ || $op eq '';
	my ($disp, $regs) = $op =~ /^([^()%]*?)\s*(?:\(([^()]*)\))?$/
	    or return "cannot parse memory operand '$op'";
	return "'$op' is not a memory operand"
	    if $disp eq '' && !defined $regs;
	return undef unless defined $regs;
	my @r = split /\s*,\s*/, $regs, -1;
	return "cannot parse memory operand '$op'" if @r < 1 || @r > 3;
	my ($base, $index, $scale) = @r;
	return "only 32-bit addressing is supported in '$op'"
	    if ($base ne '' && $base !~ /^$REG32$/)
	    || (defined $index && $index ne '' && $index !~ /^$REG32$/);
	return "%esp cannot be an index in '$op'"
	    if defined $index && $index =~ /^%esp$/i;
	return "bad scale in '$op'"
	    if defined $scale && $scale !~ /^\s*[1248]\s*$/;
	return "cannot parse memory operand '$op'"
	    if $base eq '' && (!defined $index || $index eq '');
	return undef;
}

sub new_site { return $next_site++; }

# The whole block for one site: label, compiled form, end label, record.
sub block {
	my ($n, $kind, @site) = @_;
	return (".Lfx_$n:", @site, ".Lfx_${n}_end:",
	    "\t.pushsection .fixup_sites,\"a\"",
	    "\t.long .Lfx_$n - .",
	    "\t.byte $KIND{$kind}, .Lfx_${n}_end - .Lfx_$n\t# $kind",
	    "\t.popsection");
}

sub rewrite {
	my ($st, $ln, $mode, $lines, $i) = @_;
	my @o = map { "$_:" } @{$st->{labels}};
	my $m = lc $st->{mnem};
	my @pre = @{$st->{prefixes}};
	my @ops = operands($st->{ops});
	my $locks = grep { is_lock($_) } @pre;

	unless (site_kind($st)) {
		(my $t = $st->{text}) =~ s/^\s*(?:$LABEL\s*:(?!:)\s*)*//;
		return (@o, "\t$t");
	}
	if ($locks) {
		return (@o, "\t$st->{text}")
		    if error_lock($st, $ln, $locks, \@ops);
		my @rest = grep { !is_lock($_) } @pre;
		if ($uniprocessor) {
			# A CONFIG_SMP=n kernel has no lock prefixes at all.
			@rest = grep { !/^x(?:acquire|release)$/i } @rest;
			push @o, "\t" . join(' ', @rest, $st->{mnem})
			    . ($st->{ops} ne '' ? "\t$st->{ops}" : '')
			    if $st->{mnem} ne '';
			return @o;
		}
		push @o, block(new_site(), 'LOCK', "\tlock");
		# gas takes an HLE hint only in the statement of its lock.
		for my $h (grep { /^x(?:acquire|release)$/i } @rest) {
			push @o, sprintf("\t.byte 0x%x\t# %s",
			    lc $h eq 'xacquire' ? 0xf2 : 0xf3, lc $h);
		}
		@rest = grep { !/^x(?:acquire|release)$/i } @rest;
		push @o, "\t" . join(' ', @rest, $st->{mnem})
		    . ($st->{ops} ne '' ? "\t$st->{ops}" : '')
		    if $st->{mnem} ne '';
		return @o;
	}
	if ($NT_OTHER{$m}) {
		warning($ln, "$m has no fixup site kind; left as is (it needs "
		    . 'SSE or SSE2: keep it in CALL-variant text)');
		(my $t = $st->{text}) =~ s/^\s*(?:$LABEL\s*:(?!:)\s*)*//;
		return (@o, "\t$t");
	}

	my $err;
	if ($mode != 32) {
		$err = "$m in .code$mode code cannot become a fixup site";
	} elsif (@pre) {
		$err = "prefix '@pre' on $m cannot be kept in the site form";
	} elsif ($FENCE{$m}) {
		$err = "$m takes no operands" if @ops;
		$err //= flags_live($lines, $i, $ln, $m);
		return (@o, block(new_site(), $FENCE{$m},
		    "\tlock; addl \$0,(%esp)")) unless $err;
	} elsif ($m =~ /^prefetch/) {
		my $p = $PREFETCH{$m};
		if (!$p) {
			$err = "unknown prefetch instruction '$m'";
		} elsif (@ops != 1) {
			$err = "$m takes one memory operand";
		} else {
			$err = bad_mem($ops[0]);
		}
		unless ($err) {
			my $n = new_site();
			return (@o, block($n, $p->[0],
			    "\t.byte 0xeb, .Lfx_${n}_end - .Lfx_${n}_lea",
			    ".Lfx_${n}_lea:",
			    "\tleal\t$ops[0], $p->[1]"));
		}
	} elsif ($m eq 'movntq') {
		if (@ops != 2 || $ops[0] !~ /^%mm[0-7]$/i) {
			$err = 'movntq needs an %mm register and a memory '
			    . 'operand';
		} else {
			$err = bad_mem($ops[1]);
		}
		return (@o, block(new_site(), 'MOVNTQ',
		    "\tmovq\t$ops[0], $ops[1]")) unless $err;
	} elsif ($m eq 'movnti' || $m eq 'movntil') {
		if (@ops != 2 || $ops[0] !~ /^$REG32$/) {
			$err = "$m needs a 32-bit register and a memory "
			    . 'operand';
		} else {
			$err = bad_mem($ops[1]);
		}
		unless ($err) {
			# gas would pick the A3 moffs form for %eax to an
			# absolute address: spell out 89 /r instead.
			my @site = $ops[0] =~ /^%eax$/i && $ops[1] !~ /\(/
			    ? ("\t.byte 0x3e, 0x89, 0x05", "\t.long $ops[1]")
			    : ("\t.byte 0x3e", "\tmovl\t$ops[0], $ops[1]");
			return (@o, block(new_site(), 'MOVNTI', @site));
		}
	} else {
		$err = "unknown non-temporal instruction '$m'";
	}
	error($ln, $err);
	return (@o, "\t$st->{text}");
}

# Reject lock forms that are not one lock prefix on a lockable
# read-modify-write of memory. Returns true after reporting an error.
sub error_lock {
	my ($st, $ln, $locks, $ops) = @_;
	my $m = lc $st->{mnem};
	my $err;
	if ($locks > 1) {
		$err = 'repeated lock prefix';
	} elsif ($m eq '') {
		return 0;	# lock alone: it prefixes the next instruction
	} elsif ($m !~ $LOCKABLE) {
		$err = "lock prefix on '$m', which cannot be locked";
	} elsif (!grep { !/^\$/ && !/^%\w+$/ } @$ops) {
		$err = "locked '$m' needs a memory destination";
	}
	return 0 unless $err;
	error($ln, $err);
	return 1;
}

# The barrier site clobbers EFLAGS; a fence does not. Refuse to rewrite a
# fence whose following code reads flags set before it.
sub flags_live {
	my ($lines, $i, $ln, $m) = @_;
	for my $j ($i + 1 .. $#$lines) {
		my $l = $lines->[$j];
		return undef if $l =~ /^#APP\b/;	# asm clobbers flags
		my ($stmts) = split_line($l);
		for my $st (map { parse_stmt($_) } @$stmts) {
			if ($st->{directive}) {
				return undef if $st->{directive} =~
				    /^\.(?:text|data|bss|section|previous|
				    pushsection|popsection|subsection)\b/x;
				next;
			}
			my $x = lc $st->{mnem};
			next if $x eq '';
			(my $stem = $x) =~ s/[bwl]$//;
			return "flags are live across $m (read by '$x'); "
			    . 'the barrier site would clobber them'
			    if $x =~ /^(?:j(?!mp|e?cxz)|set|cmov|fcmov)/
			    || $FLAG_READ{$x} || $FLAG_READ{$stem};
			return undef if $FLAG_DEAD{$x} || $FLAG_DEAD{$stem};
		}
	}
	return undef;
}

# A block this pass wrote earlier: check its shape, and return its length
# in lines so it is copied as it is.
sub own_site {
	my ($lines, $i, $n) = @_;
	my $ln = $i + 1;
	my @b;
	for my $j ($i .. $i + 11) {
		last if $j > $#$lines;
		push @b, $lines->[$j];
		last if $lines->[$j] =~ /^\s*\.popsection\s*$/;
	}
	my $bad = sub {
		error($ln, "malformed fixup site .Lfx_$n: @_");
		return 1;
	};
	return $bad->('no record')
	    if @b < 7 || $b[-1] !~ /^\s*\.popsection\s*$/;
	my @rec = @b[-4 .. -1];
	my @site = @b[1 .. $#b - 5];
	return $bad->('record does not match') unless
	    $b[-5] =~ /^\.Lfx_${n}_end:$/
	    && $rec[0] =~ /^\s*\.pushsection \.fixup_sites,"a"$/
	    && $rec[1] =~ /^\s*\.long \.Lfx_$n - \.$/
	    && $rec[2] =~ /^\s*\.byte (\d+), \.Lfx_${n}_end - \.Lfx_$n\b/;
	my $kind = $KIND_NAME{$1}
	    // return $bad->("kind $1 is not made by this pass");
	my @s = map { s/^\s+|\s+$//gr } @site;
	my $s = join("\n", @s);
	my $ok;
	if ($kind eq 'LOCK') {
		$ok = $s eq 'lock';
	} elsif ($kind =~ /MB$/) {
		$ok = $s eq 'lock; addl $0,(%esp)';
	} elsif ($kind =~ /^PREFETCH/) {
		$ok = @s == 3
		    && $s[0] eq ".byte 0xeb, .Lfx_${n}_end - .Lfx_${n}_lea"
		    && $s[1] eq ".Lfx_${n}_lea:"
		    && $s[2] =~ /^leal\t\S.*, %e[abcd]x$/;
	} elsif ($kind eq 'MOVNTQ') {
		$ok = $s =~ /^movq\t%mm[0-7], \S.*$/;
	} elsif ($kind eq 'MOVNTI') {
		$ok = (@s == 2 && $s[0] eq '.byte 0x3e'
		    && $s[1] =~ /^movl\t%e\w\w, \S.*$/)
		    || (@s == 2 && $s[0] eq '.byte 0x3e, 0x89, 0x05'
		    && $s[1] =~ /^\.long \S.*$/);
	}
	return $ok ? scalar @b : $bad->("not the compiled form of $kind");
}

sub write_output {
	my ($o) = @_;
	my $text = join('', map { "$_\n" } @$o);
	if (!defined $out_file || $out_file eq '-') {
		print $text;
		return;
	}
	# Write then rename: a failed run never leaves a half-written file.
	my $tmp = "$out_file.tmp$$";
	open(my $fh, '>', $tmp) or fatal("$tmp: $!");
	unless ((print $fh $text) && close($fh)) {
		my $e = $!;
		unlink($tmp);
		fatal("$tmp: $e");
	}
	rename($tmp, $out_file) or fatal("$out_file: $!");
}

__END__

=head1 NAME

fixup-sites.pl - record CPU- and SMP-dependent instructions in GCC i386 asm

=head1 SYNOPSIS

B<fixup-sites.pl> [B<--up>] [B<-o> I<OUT>] [I<FILE>]

B<fixup-sites.pl> B<--help>

=head1 DESCRIPTION

B<fixup-sites.pl> reads the assembler output of C<gcc -m32 -S> (AT&T
syntax) from I<FILE>, or standard input if I<FILE> is absent or C<->, and
writes it back with every patchable instruction the compiler emitted turned
into a recorded fixup site: the safe compiled form of the site, a record in
section C<.fixup_sites>, nothing else changed. The boot-time patcher in
F<arch/i386/fixup/> later rewrites each site for the CPU and CPU count it
finds. The record format and the byte form of every kind are in
F<Documentation/fixup-sites.md>; the kind numbers the records carry are
read from the catalogue, F<include/asm/fixup-kinds.h>.

=over 4

=item B<lock> prefixes

Every spelling gas accepts (C<lock xaddl ...>, C<lock; cmpxchgl ...>, a
C<lock> alone on a line, any letter case, with other prefixes) becomes a
LOCK site (length 1) on the F0 byte. The C<lock> is put on a line
of its own so that the F0 byte comes first: gas would otherwise emit data16
or segment prefixes in front of it. An HLE hint (C<lock xacquire xaddl>)
follows the lock as C<.byte 0xf2> or C<.byte 0xf3>, since gas accepts
C<xacquire> only in the statement of its C<lock>. C<lock orl $0,(%esp)>,
GCC's barrier without SSE2, is a LOCK site like any other.

=item B<mfence>, B<lfence>, B<sfence>

Become the 5-byte barrier C<lock; addl $0,(%esp)> of kind MB, RMB and WMB.
That form clobbers EFLAGS, so a fence followed by code that reads flags set
before it is an error.

=item B<prefetchnta>, B<prefetcht0>/B<t1>/B<t2>, B<prefetch>, B<prefetchw>

Become a PREFETCH or PREFETCHW site: a short jump over
C<leal ADDR,%reg>, the register carrying the hint (nta and 3DNow!
C<prefetch> %eax, t0 %ecx, t1 %edx, t2 %ebx, C<prefetchw> %ecx).

=item B<movntq> %mmN,ADDR

Becomes a MOVNTQ site in the compiled form C<movq %mmN,ADDR>.

=item B<movnti> %reg,ADDR

Becomes a MOVNTI site in the compiled form C<.byte 0x3e> +
C<movl %reg,ADDR>.

=back

Sites are labelled C<.Lfx_N>, C<.Lfx_N_end> and C<.Lfx_N_lea>, numbered
above any such label already in the file. Sections, subsections and
C<.pushsection> do not matter: the record returns to whatever section was
current.

Text between C<#APP> and C<#NO_APP> (inline asm) is copied byte for byte:
a deliberate raw C<lock> there stays raw, and records the asm writes itself
(the macros of F<include/asm/fixup.h>) stay as they are.

The pass is idempotent: it recognises the blocks it wrote, checks their
shape and copies them, so running it on its own output changes nothing.

Anything it cannot turn into a site is an error, reported as
I<file>:I<line>: I<message>, never skipped: a segment override or 16-bit
address on a prefetch or non-temporal store, an unknown prefetch or
C<movnt*> form, a lock on an instruction that cannot be locked, a fixup
record outside C<#APP> that it did not write, Intel syntax, C<.code16>.
The SSE non-temporal stores without a site kind (C<movntdq>, C<movntps>,
C<movntpd>, C<maskmovq>, ...) are left alone with a warning;
B<fixup-verify> rejects them outside CALL-variant text.

Do not let gas optimise encodings (C<-Wa,-O>): it could change the C<leal>
of a prefetch site.

=head1 OPTIONS

=over 4

=item B<-o> I<OUT>, B<--output>=I<OUT>

Write the result to I<OUT> (written to a temporary file and renamed, so an
error never leaves a partial file) instead of standard output.

=item B<--up>

For a compile-time uniprocessor kernel (CONFIG_SMP=n): drop the lock
prefixes the compiler emitted instead of recording them, as LOCK_PREFIX
is empty in such a kernel. Fences, prefetches and non-temporal stores are
handled as usual.

=item B<-h>, B<--help>

Print this manual and exit.

=back

=head1 EXIT STATUS

0 on success (warnings may have been printed), 1 if the input had an error
(nothing is written), 2 on a usage error.

=head1 EXAMPLES

  gcc -m32 -march=i486 -O2 -S -o foo.s.raw foo.c
  perl scripts/fixup-sites.pl -o foo.s foo.s.raw
  gcc -m32 -c -o foo.o foo.s

  gcc -m32 -O2 -S -o - foo.c | perl scripts/fixup-sites.pl > foo.s

=head1 SEE ALSO

F<Documentation/fixup-sites.md>, F<include/asm/fixup.h>,
B<fixup-report>(1), B<fixup-verify>(1)

=cut

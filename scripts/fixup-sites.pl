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
use Fixup::Flags qw($ALL);
use Fixup::Thunks;

# The kinds this pass makes; their numbers are the catalogue's
# (include/asm/fixup-kinds.h).
my %KIND = map {
	my $k = eval { Fixup::Catalogue::kind_by_name($_) } or fatal($@
	    || "kind $_ is not in the catalogue");
	($_ => $k->{number});
} qw(LOCK MB RMB WMB PREFETCH PREFETCHW MOVNTQ MOVNTI MB_FLAGS RMB_FLAGS
    WMB_FLAGS THUNK_CALL THUNK_JMP RETURN);
my %KIND_NAME = reverse %KIND;

# Fences become the 5-byte barrier site, or the 8-byte one that keeps
# the flags (kind NAME_FLAGS) where the flags may be live after them.
my %FENCE = (mfence => 'MB', lfence => 'RMB', sfence => 'WMB');
my @BARRIER = ("\tlock; addl \$0,(%esp)");
my @BARRIER_FLAGS = ("\tpushfl", "\tlock; addl \$0,4(%esp)", "\tpopfl");

# Prefetches become a jump over an lea; the lea's destination register
# carries the hint (the reg field of 0F 18 /r, or /1 for prefetchw).
my %PREFETCH = (
	prefetchnta => ['PREFETCH', '%eax'],
	prefetcht0  => ['PREFETCH', '%ecx'],
	prefetcht1  => ['PREFETCH', '%edx'],
	prefetcht2  => ['PREFETCH', '%ebx'],
	prefetch    => ['PREFETCH', '%eax'],	# 3DNow! 0F 0D /0
	prefetchw   => ['PREFETCHW', '%ecx'],	# 0F 0D /1
	prefetchwt1 => ['PREFETCHW', '%ecx'],	# 0F 0D /2: a write prefetch
);

# Non-temporal stores without a site kind: left alone, with a warning.
my %NT_OTHER = map { $_ => 1 } qw(movntdq movntdqa movntps movntpd movntss
	movntsd maskmovq maskmovdqu);

# A branch to a thunk (Fixup::Thunks) is a THUNK_CALL, THUNK_JMP or
# RETURN site. A conditional one becomes the inverse condition jumping
# over the 5-byte jmp site (the jcc itself would be 6 bytes); jecxz and
# loop have no inverse, so to a thunk they are an error.
my $JCC = qr/^j(?:n?(?:a|ae|b|be|c|e|g|ge|l|le|o|p|s|z)|pe|po)$/;
my $NO_INVERSE = qr/^(?:j[er]?cxz|loop\w*)$/;

# gas prefix words (AT&T) are %PREFIX_WORD (Fixup::Insn); {...} pseudo
# prefixes are handled separately.

# Data in a text section: the flags scan cannot say what it does.
my $DATA = qr/^\.(?:byte|[248]byte|short|value|word|hword|long|int|quad|
	octa|ascii|asciz|string\w*|zero|skip|space|fill|float|double|single|
	dc(?:\.\w+)?|insn|incbin|sleb128|uleb128)\b/x;

# Site numbers: .Lfx_N with N at most this (a larger N is not this
# pass's, and would not stay an integer in Perl's arithmetic).
my $MAX_SITE = 999_999_999;

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
# already in the file (outside comments), so a second pass can never
# reuse a label.
my $next_site = 1;
for my $i (0 .. $#lines) {
	next if index($lines[$i], '.Lfx_') < 0;
	my ($stmts) = split_line($lines[$i]);
	for (@$stmts) {
		while (/\.Lfx_(\d+)/g) {
			(my $n = $1) =~ s/^0+(?=\d)//;
			if (length($n) > length($MAX_SITE) || $n > $MAX_SITE) {
				error($i + 1, "label .Lfx_$1: site number above "
				    . "$MAX_SITE, not one this pass wrote");
				next;
			}
			$next_site = $n + 1 if $n >= $next_site;
		}
	}
}

my $live_after = flags_scan(\@lines);
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
		$parsed[$_]{key} = "$i:$_" for 0 .. $#parsed;
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
			push @o, rewrite($st, $ln, $mode);
		}
	}
	error(scalar @$lines, 'missing #NO_APP at end of file') if $in_app;
	return @o;
}

# Split one line into statements (';' outside strings) and a comment.
sub split_line {
	my ($line) = @_;
	return ([$line =~ /\S/ ? $line : ()], undef) if $line !~ /[;#"]/;
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
	return 1 if thunk_target($st);
	return 0;
}

# The thunk a direct branch goes to (its operand is the thunk's name),
# or undef.
sub thunk_target {
	my ($st) = @_;
	my $m = lc $st->{mnem};
	return undef unless $m =~ /^(?:calll?|jmpl?)$/ || $m =~ $JCC
	    || $m =~ $NO_INVERSE;
	my $t = Fixup::Thunks::thunk($st->{ops} =~ s/^\s+|\s+$//gr);
	return $t ? $t->{name} : undef;
}

# The condition that is false when CC is true: jnX for jX and back,
# jpe and jpo (Intel SDM vol. 2A, Jcc).
sub inverse_cc {
	my ($cc) = @_;
	return $cc eq 'pe' ? 'po' : $cc eq 'po' ? 'pe'
	    : $cc =~ /^n(.+)$/ ? $1 : "n$cc";
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

sub new_site {
	my ($ln) = @_;
	error($ln, "more than $MAX_SITE sites") if $next_site == $MAX_SITE + 1;
	return $next_site++;
}

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
	my ($st, $ln, $mode) = @_;
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
		# gas takes an HLE hint only in the statement of its lock, and
		# writes it in front of the F0 byte (prefix groups in its
		# order): so does the pass, as a byte before the LOCK site.
		for my $h (grep { /^x(?:acquire|release)$/i } @rest) {
			push @o, sprintf("\t.byte 0x%x\t# %s",
			    lc $h eq 'xacquire' ? 0xf2 : 0xf3, lc $h);
		}
		push @o, block(new_site($ln), 'LOCK', "\tlock");
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
	my $thunk = thunk_target($st);
	if ($mode != 32) {
		$err = "$m in .code$mode code cannot become a fixup site";
	} elsif (@pre) {
		$err = "prefix '@pre' on $m cannot be kept in the site form";
	} elsif ($thunk) {
		my $branch = $m =~ /^call/ ? 'call' : 'jmp';
		my $kind = Fixup::Thunks::site_kind($branch, $thunk);
		if ($m =~ $NO_INVERSE) {
			$err = "$m to $thunk: no inverse condition to jump "
			    . 'over a site with';
		} elsif (!$kind) {
			$err = "$branch to $thunk is no thunk site "
			    . '(Fixup::Thunks)';
		} else {
			return (@o, thunk_site($m, $kind, $thunk, $ln));
		}
	} elsif ($FENCE{$m}) {
		$err = "$m takes no operands" if @ops;
		my $live = $live_after->{$st->{key}} // $ALL;
		return (@o, $live
		    ? block(new_site($ln), "$FENCE{$m}_FLAGS", @BARRIER_FLAGS)
		    : block(new_site($ln), $FENCE{$m}, @BARRIER)) unless $err;
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
			my $n = new_site($ln);
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
		return (@o, block(new_site($ln), 'MOVNTQ',
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
			return (@o, block(new_site($ln), 'MOVNTI', @site));
		}
	} else {
		$err = "unknown non-temporal instruction '$m'";
	}
	error($ln, $err);
	return (@o, "\t$st->{text}");
}

# A branch to a thunk as a site: call rel32 or jmp rel32 ({disp32}: gas
# would make a jmp to a thunk in the same section a 2-byte one), a jcc
# as its inverse over the jmp site.
sub thunk_site {
	my ($m, $kind, $thunk, $ln) = @_;
	my $n = new_site($ln);
	return block($n, $kind, "\tcall\t$thunk") if $kind eq 'THUNK_CALL';
	my @site = block($n, $kind, "\t{disp32} jmp\t$thunk");
	return @site unless $m =~ $JCC;
	return ("\tj" . inverse_cc(substr($m, 1)) . "\t.Lfx_${n}_skip",
	    @site, ".Lfx_${n}_skip:");
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

# ---- the flags scan -----------------------------------------------------
#
# The 5-byte barrier site clobbers the status flags, where a fence does
# not. So each fence gets that site only where no flag can be read after
# it before it is written again; anywhere else (or where that is not
# known) it gets the 8-byte site that keeps the flags. This is a liveness
# analysis of the six status flags over the file's control flow, done
# once for the whole file: every instruction, #APP block and site block
# is a node (Fixup::Flags says what each instruction reads and writes),
# falling through to the next node of its section and branching to its
# labels; a node's live-in flags are those it reads plus those live after
# it that it does not write, iterated to a fixed point over a worklist.
# A node's value only grows and has six bits, so each is revisited a
# bounded number of times: the scan is linear in the size of the input.
#
# Returns { "LINE:STATEMENT" => flags live after it } for every fence.

use constant { DEAD => -1, LIVE => -2 };

sub flags_scan {
	my ($lines) = @_;
	my (@read, @write, @succ, @jumps, %fence, %label, %last, %pend);
	my $sec = { cur => ['.text', 0], prev => ['.text', 0], stack => [] };
	my $node = sub {
		my ($r, $w, $flow, @labels) = @_;
		my $n = @read;
		push @read, $r;
		push @write, $w;
		push @succ, [];
		my $k = join("\0", @{$sec->{cur}});
		push @{$succ[$last{$k}]}, $n if defined $last{$k};
		$label{$_} = $n for @{delete $pend{$k} // []}, @labels;
		if ($flow eq 'next' || $flow eq 'call' || $flow eq 'branch') {
			$last{$k} = $n;
		} else {
			delete $last{$k};
		}
		push @{$succ[$n]}, LIVE if $flow eq 'unknown';
		return $n;
	};
	my $in_app = 0;
	for (my $i = 0; $i < @$lines; $i++) {
		my $line = $lines->[$i];
		if ($line =~ /^#APP\b/ && !$in_app) {
			# GCC's inline asm clobbers the flags ("cc" is implied
			# on x86): none set before it is read after it.
			$node->(0, $ALL, 'next');
			$in_app = 1;
			next;
		}
		if ($in_app) {
			$in_app = 0 if $line =~ /^#NO_APP\b/;
		}
		if (!$in_app && $line =~ /^\s*(\.Lfx_\d+):\s*$/) {
			my $l = $1;
			my @b = block_lines($lines, $i);
			my ($kind) = map { /^\s*\.byte (\d+),/ ? $1 : () } @b;
			my $name = $KIND_NAME{$kind // 0} // '';
			# Only the barriers' locked add writes flags; a
			# call clobbers them, a jmp or return site ends
			# the path (a tail call: flags dead, as for ret).
			$node->(0, $name =~ /^(?:[RW]?MB|THUNK_CALL)$/ ? $ALL
			    : 0, $name =~ /^(?:THUNK_JMP|RETURN)$/ ? 'ret'
			    : 'next', $l);
			$i += @b - 1;
			next;
		}
		my ($stmts) = split_line($line);
		for my $k (0 .. $#$stmts) {
			my $st = parse_stmt($stmts->[$k]);
			if (my $d = $st->{directive}) {
				push @{$pend{join("\0", @{$sec->{cur}})}},
				    @{$st->{labels}} unless $in_app;
				section_change($sec, $d);
				$node->($ALL, 0, 'next') if !$in_app
				    && $d =~ $DATA;
				next;
			}
			if ($in_app) {
				# GCC jumps to a label of inline asm only as a
				# tail call to a function the asm defines.
				$label{$_} //= /^\.L/ ? LIVE : DEAD
				    for @{$st->{labels}};
				next;
			}
			if ($st->{mnem} eq '') {
				push @{$pend{join("\0", @{$sec->{cur}})}},
				    @{$st->{labels}};
				next;
			}
			my $m = lc $st->{mnem};
			if ($FENCE{$m}) {
				$fence{"$i:$k"} = $node->(0, 0, 'next',
				    @{$st->{labels}});
				next;
			}
			my $e = Fixup::Flags::effect($m, $st->{prefixes},
			    [operands($st->{ops})]);
			my $n = $node->($e->{read}, $e->{write}, $e->{flow},
			    @{$st->{labels}});
			push @jumps, [$n, $e->{target}] if defined $e->{target};
		}
	}
	# Control that runs off the end of its section, or to a label with
	# nothing after it, goes somewhere unknown.
	push @{$succ[$_]}, LIVE for values %last;
	for my $l (map { @$_ } values %pend) {
		$label{$l} //= LIVE;
	}
	# A jump to a .L label not in the file is unknown; to any other
	# symbol not defined here it is a tail call: flags are dead.
	for my $j (@jumps) {
		my ($n, $to) = @$j;
		push @{$succ[$n]}, $label{$to} // ($to =~ /^\.L/ ? LIVE : DEAD);
	}

	my @pred = map { [] } @read;
	for my $n (0 .. $#succ) {
		for my $s (@{$succ[$n]}) {
			push @{$pred[$s]}, $n if $s >= 0;
		}
	}
	my @in = (0) x @read;
	my @queued = (1) x @read;
	my @work = (0 .. $#read);
	my $out = sub {
		my $v = 0;
		for my $s (@{$succ[$_[0]]}) {
			$v |= $s >= 0 ? $in[$s] : $s == LIVE ? $ALL : 0;
		}
		return $v;
	};
	while (@work) {
		my $n = pop @work;
		$queued[$n] = 0;
		my $v = $read[$n] | ($out->($n) & ~$write[$n]);
		next if $v == $in[$n];
		$in[$n] = $v;
		for my $p (@{$pred[$n]}) {
			push @work, $p unless $queued[$p]++;
		}
	}
	return { map { $_ => $out->($fence{$_}) } keys %fence };
}

# Follow gas's current section through a directive.
sub section_change {
	my ($sec, $d) = @_;
	my $name = qr/("[^"]*"|[^\s,"]+)/;
	my $unq = sub { my ($n) = @_; $n =~ s/^"(.*)"$/$1/; return $n; };
	if ($d =~ /^\.(text|data|bss)\b\s*(\d*)/) {
		@$sec{qw(prev cur)} = ($sec->{cur}, [".$1", $2 || 0]);
	} elsif ($d =~ /^\.section\s+$name(?:\s*,\s*(\d+)\s*$)?/) {
		@$sec{qw(prev cur)} = ($sec->{cur}, [$unq->($1), $2 // 0]);
	} elsif ($d =~ /^\.pushsection\s+$name(?:\s*,\s*(\d+))?/) {
		push @{$sec->{stack}}, [$sec->{cur}, $sec->{prev}];
		$sec->{cur} = [$unq->($1), $2 // 0];
	} elsif ($d =~ /^\.popsection\b/) {
		@$sec{qw(cur prev)} = @{pop @{$sec->{stack}}}
		    if @{$sec->{stack}};
	} elsif ($d =~ /^\.previous\b/) {
		@$sec{qw(cur prev)} = @$sec{qw(prev cur)};
	} elsif ($d =~ /^\.subsection\s+(\d+)/) {
		@$sec{qw(prev cur)} = ($sec->{cur}, [$sec->{cur}[0], $1]);
	}
}

# The lines of a block this pass may have written, from its .Lfx_N:
# line to the .popsection that ends its record (at most 12 lines).
sub block_lines {
	my ($lines, $i) = @_;
	my @b;
	for my $j ($i .. $i + 11) {
		last if $j > $#$lines;
		push @b, $lines->[$j];
		last if $lines->[$j] =~ /^\s*\.popsection\s*$/;
	}
	return @b;
}
# A block this pass wrote earlier: check its shape, and return its length
# in lines so it is copied as it is.
sub own_site {
	my ($lines, $i, $n) = @_;
	my $ln = $i + 1;
	my @b = block_lines($lines, $i);
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
	# The instruction text may be in any case (the pass copies the
	# registers of its input as they are).
	my @s = map { s/^\s+|\s+$//gr } @site;
	my $same = sub {
		my @want = map { s/^\s+//r } @_;
		return @s == @want && !grep { lc $s[$_] ne lc $want[$_] }
		    0 .. $#s;
	};
	my $ok;
	if ($kind eq 'LOCK') {
		$ok = $same->('lock');
	} elsif ($kind =~ /^[RW]?MB$/) {
		$ok = $same->(@BARRIER);
	} elsif ($kind =~ /^[RW]?MB_FLAGS$/) {
		$ok = $same->(@BARRIER_FLAGS);
	} elsif ($kind =~ /^PREFETCH/) {
		$ok = @s == 3
		    && $s[0] eq ".byte 0xeb, .Lfx_${n}_end - .Lfx_${n}_lea"
		    && $s[1] eq ".Lfx_${n}_lea:"
		    && $s[2] =~ /^leal\t\S.*, %e[abcd]x$/i;
	} elsif ($kind eq 'MOVNTQ') {
		$ok = @s == 1 && $s[0] =~ /^movq\t%mm[0-7], \S.*$/i;
	} elsif ($kind eq 'MOVNTI') {
		$ok = (@s == 2 && $s[0] eq '.byte 0x3e'
		    && $s[1] =~ /^movl\t$REG32, \S.*$/i)
		    || (@s == 2 && $s[0] eq '.byte 0x3e, 0x89, 0x05'
		    && $s[1] =~ /^\.long \S.*$/);
	} elsif ($kind =~ /^(?:THUNK_|RETURN)/) {
		my ($b, $t) = @s == 1 ? $s[0] =~
		    /^(call|\{disp32\} jmp)\t(\S+)$/ : ();
		$ok = $b && (Fixup::Thunks::site_kind($b =~ s/.* //r, $t)
		    // '') eq $kind;
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
is written as C<.byte 0xf2> or C<.byte 0xf3> just before the site, since
gas accepts C<xacquire> only in the statement of its C<lock>: the bytes are
C<F2 F0 ...> in the order gas itself writes them, whichever order the
source has, and the LOCK site is the F0 byte, second in the instruction. C<lock orl $0,(%esp)>,
GCC's barrier without SSE2, is a LOCK site like any other.

=item B<mfence>, B<lfence>, B<sfence>

Become the 5-byte barrier C<lock; addl $0,(%esp)> of kind MB, RMB and WMB
where the status flags are dead after the fence, and the 8-byte barrier
C<pushfl; lock; addl $0,4(%esp); popfl> of kind MB_FLAGS, RMB_FLAGS and
WMB_FLAGS everywhere else: a fence leaves EFLAGS alone, the locked add does
not. Both forms add 0 to the same word, the one at the top of the stack
before the site.

Which flags are live is found once for the whole file, by a liveness
analysis over its control flow (see L</"THE FLAGS SCAN">); where it
cannot tell, the 8-byte form is used. No fence is refused for its flags.

=item B<prefetchnta>, B<prefetcht0>/B<t1>/B<t2>, B<prefetch>, B<prefetchw>, B<prefetchwt1>

Become a PREFETCH or PREFETCHW site: a short jump over
C<leal ADDR,%reg>, the register carrying the hint (nta and 3DNow!
C<prefetch> %eax, t0 %ecx, t1 %edx, t2 %ebx, C<prefetchw> %ecx).
C<prefetchwt1> (C<0F 0D /2>, GCC's B<-mprefetchwt1>) is a write prefetch:
a PREFETCHW site (%ecx, /1), which the patcher rewrites by the PREFETCHW
rules of the catalogue (when this was written: C<prefetchw> on a CPU with
3DNow!, C<prefetcht0> with SSE, C<nopl> on another P6, the jump
elsewhere); the T1 locality hint is not kept, and no CPU gets
C<prefetchwt1> itself.

=item B<movntq> %mmN,ADDR

Becomes a MOVNTQ site in the compiled form C<movq %mmN,ADDR>.

=item B<movnti> %reg,ADDR

Becomes a MOVNTI site in the compiled form C<.byte 0x3e> +
C<movl %reg,ADDR>.

=item B<call>/B<jmp> to a Spectre v2 thunk

With B<-mindirect-branch=thunk-extern -mindirect-branch-register>
(CONFIG_RETPOLINE) GCC writes each indirect branch as a branch to a
thunk, and with B<-mfunction-return=thunk-extern> (CONFIG_RETHUNK) each
return (F<Documentation/spectre.md>). Each such branch becomes a 5-byte
site whose compiled form is the branch itself; the thunk it goes to
names its register (F<scripts/lib/Fixup/Thunks.pm>):

  call __x86_indirect_thunk_REG       THUNK_CALL
  jmp  __x86_indirect_thunk_REG       THUNK_JMP   (a tail call)
  jmp  __x86_return_thunk_ecx         THUNK_JMP   (GCC's "ret $N")
  jmp  __x86_return_thunk             RETURN

A jump is written C<{disp32} jmp>, so that gas keeps its C<E9 rel32> even
when the thunk is in the same section (it would make it a 2-byte C<EB>).
GCC 12 writes no conditional branch to a thunk; should one come (as
clang writes C<jcc __x86_return_thunk>), the 6-byte C<jcc rel32> cannot
be a 5-byte site: it becomes the inverse condition jumping over a jmp
site, C<jne .Lfx_N_skip; {disp32} jmp THUNK; .Lfx_N_skip:>, the same
behaviour with one more short jump. C<jecxz>, C<jcxz> and C<loop*> have
no inverse: to a thunk they are an error, as is a C<call> to a return
thunk or a prefix on a branch to a thunk (GCC writes none of these).

=back

Sites are labelled C<.Lfx_N>, C<.Lfx_N_end>, C<.Lfx_N_lea> and
C<.Lfx_N_skip>, numbered
above any such label already in the file (outside comments). I<N> is at
most 999999999: a larger one in the input, or a file that would need
one, is an error. Sections, subsections and
C<.pushsection> do not matter: the record returns to whatever section was
current.

Text between C<#APP> and C<#NO_APP> (inline asm) is copied byte for byte:
a deliberate raw C<lock> there stays raw, and records the asm writes itself
(the macros of F<include/asm/fixup.h>) stay as they are.

The pass is idempotent: it recognises the blocks it wrote, checks their
shape and copies them, so running it on its own output changes nothing.
The instructions in a block may be in any letter case (the pass keeps the
operands of its input as they are, C<%EAX> included).

Anything it cannot turn into a site is an error, reported as
I<file>:I<line>: I<message>, never skipped: a segment override or 16-bit
address on a prefetch or non-temporal store, an unknown prefetch or
C<movnt*> form, a lock on an instruction that cannot be locked, a branch
to a thunk that cannot be a site (above), a fixup
record outside C<#APP> that it did not write, Intel syntax, C<.code16>.
None of these is in what GCC writes for i386 with the options the
kernel uses: valid GCC output is never refused.
The SSE non-temporal stores without a site kind (C<movntdq>, C<movntps>,
C<movntpd>, C<maskmovq>, ...) are left alone with a warning;
B<fixup-verify> rejects them outside CALL-variant text.

Do not let gas optimise encodings (C<-Wa,-O>): it could change the C<leal>
of a prefetch site.

=head1 THE FLAGS SCAN

Every instruction outside C<#APP>, every C<#APP> block and every site
block is a node; a node falls through to the next node of the same
section and subsection (C<.text>, C<.section>, C<.pushsection>,
C<.previous>, C<.subsection> are followed), and a jump or branch also
goes to the node after its label. Each node reads and writes some of the
six status flags (CF PF AF ZF SF OF), as the SDM's tables say
(F<scripts/lib/Fixup/Flags.pm> lists them): C<fcomi>, C<fucomi>,
C<fcomip>, C<fucomip>,
C<comis*>, C<cmpxchg8b> (ZF only), C<bt*> (not ZF), C<inc>/C<dec> (not
CF), C<sahf>, shifts and rotates by a constant, C<cmps>/C<scas> without
C<rep> write; C<jcc>, C<setcc>, C<cmovcc>, C<fcmovcc>, C<adc>, C<sbb>,
C<rcl>/C<rcr>, C<lahf>, C<pushf> read. A C<call> writes them all (they
are not preserved across calls by the ABI); C<ret> ends the path; an
C<#APP> block writes them all (GCC's x86 inline asm always clobbers
C<cc>); a THUNK_CALL site is a call, a THUNK_JMP or RETURN site a tail
call or a return. A jump to a symbol that is not in the file, or that inline asm
defines, is a tail call (flags dead); an indirect jump, a C<.L> label not in the file, the end of a
section, data in a text section and any instruction the table does not
know count as reading every flag. The flags live after a fence are the
union over its successors of the flags each reads before writing; the
analysis iterates a worklist to a fixed point, in time linear in the
size of the file.

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

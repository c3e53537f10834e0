package Fixup::Flags;
# SPDX-License-Identifier: GPL-2.0
#
# What an i386 instruction, as GCC writes it in AT&T syntax, does to the
# six status flags of EFLAGS, for the asm pass's liveness scan. From the
# "Flags Affected" section of each instruction in the Intel SDM vol. 2
# and its appendix A.2 / B (EFLAGS cross-reference).

use strict;
use warnings;
use Exporter 'import';

our @EXPORT_OK = qw(effect $CF $PF $AF $ZF $SF $OF $ALL);

=head1 NAME

Fixup::Flags - which status flags an i386 instruction reads and writes

=head1 SYNOPSIS

  use Fixup::Flags qw(effect $ALL);
  my $e = effect('jbe', [], ['.L3']);
  # { read => $CF | $ZF, write => 0, flow => 'branch', target => '.L3' }

=head1 DESCRIPTION

B<effect>(I<MNEMONIC>, I<PREFIXES>, I<OPERANDS>) describes one
instruction: I<MNEMONIC> as gas reads it (any letter case, with or
without a size suffix), I<PREFIXES> the prefix words in front of it
(C<rep>, C<lock>, ...), I<OPERANDS> its AT&T operands split at top-level
commas. It returns a hash:

=over 4

=item read

The status flags (a mask of C<$CF $PF $AF $ZF $SF $OF>) whose value
before the instruction it may use.

=item write

The flags it always replaces, whether with a defined or an undefined
value: after it, their earlier values can no longer be observed. A flag
that is written only sometimes (a shift by C<%cl>, which leaves all flags
alone for a count of 0; C<rep cmpsb> with C<%ecx> zero) is not in it.

=item flow

C<next> (control goes on with the next instruction), C<branch> (to
I<target> or the next instruction: C<jcc>, C<loop>, C<jecxz>), C<jump>
(to I<target> only), C<call> (flags are dead on both sides of a call by
the i386 ABI: the callee may change them all, and no flag is an
argument; I<write> is all six), C<return> (C<ret>, C<iret>, C<ud2>: no flag set here is read
again in this function), or C<unknown> (an indirect jump: any flag may be
read where it goes).

=item target

The label of a direct jump or branch, without C<@PLT>.

=item known

False for a mnemonic it does not know. Such an instruction is described
as reading every flag and writing none, which is always safe for the
liveness scan: the fence before it keeps the flags.

=back

The rules, with the SDM's tables: the arithmetic and logic group
(C<add sub cmp neg and or xor test xadd cmpxchg mul imul div idiv bsf
bsr popcnt lzcnt tzcnt>), C<cmps>/C<scas> without C<rep>, C<popf>, the
x87 comparisons that set EFLAGS (C<fcomi fcomip fucomi fucomip>), the SSE
ones (C<comiss comisd ucomiss ucomisd ptest>) and the BCD adjustments
write all six; C<adc>, C<sbb>, C<rcl>, C<rcr>, C<cmc>, C<salc> also read
CF. C<inc> and C<dec> write all but CF. C<bt bts btr btc> write CF and
leave OF, SF, AF, PF undefined, ZF alone. C<cmpxchg8b> writes only ZF.
C<sahf> writes SF ZF AF PF CF (not OF); C<lahf> reads them; C<pushf>
reads all. C<clc>, C<stc> write CF. Shifts (C<shl sal shr sar shld
shrd>) by an immediate count that is not 0 modulo 32, or by 1 (one
operand), write all six; rotates (C<rol ror rcl rcr>) then write CF and
OF; by C<%cl> they write nothing for sure. C<jcc>, C<setcc>, C<cmovcc>,
C<fcmovcc>, C<loope>/C<loopne>, C<into> read the flags of their
condition. The data movement, stack, string moves and stores, x87
(other than the above), MMX and SSE instructions, fences, prefetches,
C<lea>, C<not>, C<bswap>, C<xchg>, sign extensions, C<cld>/C<std>,
C<cpuid>, C<rdtsc> and the NOPs touch none of the six.

=cut

our ($CF, $PF, $AF, $ZF, $SF, $OF) = (1, 4, 16, 64, 128, 2048);
our $ALL = $CF | $PF | $AF | $ZF | $SF | $OF;

# Condition codes: the flags each one tests.
my %CC = (
	o => $OF, no => $OF,
	b => $CF, c => $CF, nae => $CF, ae => $CF, nb => $CF, nc => $CF,
	e => $ZF, z => $ZF, ne => $ZF, nz => $ZF,
	be => $CF | $ZF, na => $CF | $ZF, a => $CF | $ZF, nbe => $CF | $ZF,
	s => $SF, ns => $SF, p => $PF, pe => $PF, np => $PF, po => $PF,
	l => $SF | $OF, nge => $SF | $OF, ge => $SF | $OF, nl => $SF | $OF,
	le => $ZF | $SF | $OF, ng => $ZF | $SF | $OF,
	g => $ZF | $SF | $OF, nle => $ZF | $SF | $OF,
);
my %FCC = (b => $CF, nb => $CF, e => $ZF, ne => $ZF, be => $CF | $ZF,
	nbe => $CF | $ZF, u => $PF, nu => $PF);

# name => [read, write, class]. A name that takes a size suffix
# (b/w/l/q) is found with it stripped. class: '' plain, 'shift'
# (write only for a nonzero immediate or implicit 1), 'rotate' (the
# same, CF and OF), 'string' (no write under a rep prefix).
my %INSN;
sub set { my ($r, $w, $c, @names) = @_; $INSN{$_} = [$r, $w, $c] for @names; }

set(0, $ALL, '', qw(add sub cmp neg and or xor test xadd cmpxchg mul imul
	div idiv bsf bsr popcnt lzcnt tzcnt popf popfd fcomi fcomip fucomi
	fucomip comiss comisd ucomiss ucomisd ptest pcmpestri pcmpestrm
	pcmpistri pcmpistrm aam aad andn blsi blsmsk blsr bextr bzhi));
set($AF, $ALL, '', qw(aaa aas));
set($AF | $CF, $ALL, '', qw(daa das));
set($CF, $ALL, '', qw(adc sbb));
set(0, $ALL & ~$CF, '', qw(inc dec));
set(0, $ALL & ~$ZF, '', qw(bt bts btr btc));
set(0, $ZF, '', qw(cmpxchg8b lar lsl verr verw));
set(0, $ALL & ~$OF, '', qw(sahf));
set($ALL & ~$OF, 0, '', qw(lahf));
set($ALL, 0, '', qw(pushf pushfd));
set(0, $CF, '', qw(clc stc));
set($CF, $CF, '', qw(cmc));
set($CF, 0, '', qw(salc));
set($OF, 0, '', qw(into));
set(0, $ALL, 'shift', qw(shl sal shr sar shld shrd));
set(0, $CF | $OF, 'rotate', qw(rol ror));
set($CF, $CF | $OF, 'rotate', qw(rcl rcr));
set(0, $ALL, 'string', qw(cmps scas));
set(0, 0, '', qw(mov movs movzb movzw movsb movsw movsx movzx lea push
	pop xchg not bswap nop lods stos ins outs in out cld std cli sti
	cbw cwde cwd cdq cbtw cwtl cwtd cltd leave enter cpuid rdtsc rdtscp
	rdpmc pause wait xlat xlatb endbr32 endbr64 lfence mfence sfence clflush emms femms
	ldmxcsr stmxcsr pusha pushad popa popad hlt bound));

my %FLOW = (
	jmp => 'jump', ljmp => 'unknown', call => 'call', lcall => 'call',
	ret => 'return', lret => 'return', iret => 'return',
	iretd => 'return', ud2 => 'return', ud2a => 'return',
	sysexit => 'return', sysret => 'return',
	jcxz => 'branch', jecxz => 'branch', loop => 'branch',
	loope => 'branch', loopz => 'branch', loopne => 'branch',
	loopnz => 'branch',
);
$INSN{$_} //= [0, 0, ''] for keys %FLOW;
$INSN{$_}[0] = $ZF for qw(loope loopz loopne loopnz);

# MMX, SSE and x87 families that leave EFLAGS alone (the exceptions are
# in %INSN, looked up first).
my $NOFLAGS = qr/^(?:f\w+|p\w+|cvt\w+|mov\w*|(?:add|sub|mul|div|min|max|
	sqrt|rcp|rsqrt|and|andn|or|xor|unpck[hl]|shuf|cmp|hadd|hsub|addsub|
	blend|round|dp)(?:ss|sd|ps|pd)|maskmov\w+|lddqu|extractps|insertps)$/x;

sub lookup {
	my ($m) = @_;
	return $INSN{$m} if $INSN{$m};
	return $INSN{$1} if $m =~ /^(\w+?)[bwlq]$/ && $INSN{$1};
	return undef;
}

# The count of a shift or rotate: undef if it is not a constant. A
# double shift (shld/shrd) has it first of three operands, or in %cl.
sub count {
	my ($double, $ops) = @_;
	return 1 if !$double && @$ops == 1;
	return undef if $double && @$ops != 3;
	my $c = $ops->[0] // return undef;
	return undef unless $c =~ /^\$\s*(0x[0-9a-f]+|\d+)$/i;
	return $1 =~ /^0x/i ? hex $1 : $1 + 0;
}

# The flags a condition-code instruction reads, or undef.
sub cc_reads {
	my ($m) = @_;
	return $CC{$1} if $m =~ /^j(\w+)$/ && $CC{$1};
	return $CC{$1} if $m =~ /^set(\w+)$/ && $CC{$1};
	if ($m =~ /^cmov(\w+)$/) {
		my $c = $1;
		return $CC{$c} if $CC{$c};
		return $CC{$1} if $c =~ /^(\w+)[wl]$/ && $CC{$1};
	}
	return $FCC{$1} if $m =~ /^fcmov(\w+)$/ && $FCC{$1};
	return undef;
}

sub effect {
	my ($mnem, $prefixes, $ops) = @_;
	my $m = lc $mnem;
	my %e = (read => 0, write => 0, flow => 'next', known => 1);
	my $cc = cc_reads($m);
	if (defined $cc) {
		$e{read} = $cc;
		$e{flow} = 'branch' if $m =~ /^j/;
	} elsif (my $t = lookup($m)) {
		my ($r, $w, $class) = @$t;
		my $base = $m;
		$base =~ s/[bwlq]$// unless $INSN{$m};
		$e{read} = $r;
		$e{write} = $w;
		$e{flow} = $FLOW{$base} // 'next';
		if ($class eq 'shift' || $class eq 'rotate') {
			my $n = count($base =~ /^sh[lr]d$/ ? 1 : 0, $ops);
			$e{write} = 0 unless defined $n && ($n & 31);
		} elsif ($class eq 'string' && grep { /^rep/i } @$prefixes) {
			$e{write} = 0;
		}
	} elsif ($m =~ $NOFLAGS) {
		# nothing
	} else {
		$e{read} = $ALL;
		$e{known} = 0;
	}
	$e{write} = $ALL if $e{flow} eq 'call';
	if ($e{flow} eq 'branch' || $e{flow} eq 'jump') {
		my $to = $ops->[-1] // '';
		if ($to =~ /^("[^"]*"|[A-Za-z_.\$][\w.\$]*)(?:\@\w+)?$/) {
			($e{target} = $1) =~ s/^"(.*)"$/$1/;
		} else {
			$e{flow} = 'unknown';	# jmp *%eax, jmp *.L4(,%eax,4)
		}
	}
	return \%e;
}

1;

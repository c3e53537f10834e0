package Fixup::Insn;
# SPDX-License-Identifier: GPL-2.0
#
# i386 instruction facts that the asm pass and the image checker share.
# Intel SDM vol. 2A, 2.1.1 (prefixes) and LOCK (the instructions it may
# prefix, with a memory destination).

use strict;
use warnings;
use Exporter 'import';

our @EXPORT_OK = qw(%PREFIX_WORD %PREFIX_BYTE $LOCKABLE $LOCK_BYTE
	mnemonic has_mem_operand);

=head1 NAME

Fixup::Insn - prefix and lockable-instruction tables for the fixup tools

=head1 DESCRIPTION

=over 4

=item %PREFIX_WORD

The prefix words of AT&T syntax as gas reads them and objdump prints them,
lower case: C<lock>, the C<rep> family, C<data16>/C<data32>,
C<addr16>/C<addr32>, the segment overrides, C<xacquire>/C<xrelease>,
C<bnd>, C<notrack>. (gas's C<{...}> pseudo prefixes are not here.)

=item %PREFIX_BYTE

The legacy prefix bytes: F0, F2, F3, 2E, 36, 3E, 26, 64, 65, 66, 67.

=item $LOCK_BYTE

0xF0.

=item $LOCKABLE

A regular expression matching the mnemonics (with or without a b/w/l
suffix) that a lock prefix may precede: add, adc, and, or, sbb, sub, xor,
dec, inc, neg, not, xadd, xchg, cmpxchg, btc, btr, bts, and cmpxchg8b.
The memory destination is the caller's to check.

=item mnemonic(TEXT)

The mnemonic and the operands of an instruction as objdump prints it
(white space squeezed), its prefix words dropped: C<('xadd', '%eax,(%edx)')>
for C<lock xadd %eax,(%edx)>.

=item has_mem_operand(OPERANDS)

True if one of the AT&T operands (split at top-level commas) is neither
an immediate nor a register: a memory operand.

=back

=cut

our %PREFIX_WORD = map { $_ => 1 } qw(lock rep repe repz repne repnz
	xacquire xrelease data16 data32 addr16 addr32 cs ds es fs gs ss bnd
	notrack);

our %PREFIX_BYTE = map { $_ => 1 } (0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e,
	0x26, 0x64, 0x65, 0x66, 0x67);

our $LOCK_BYTE = 0xf0;

our $LOCKABLE = qr/^(?:(?:add|adc|and|or|sbb|sub|xor|dec|inc|neg|not|xadd|
	xchg|cmpxchg|btc|btr|bts)[bwl]?|cmpxchg8b)$/x;

sub mnemonic {
	my ($t) = @_;
	my @w = split / /, $t;
	shift @w while @w > 1 && $PREFIX_WORD{$w[0]};
	my $m = shift(@w) // '';
	return ($m, join(' ', @w));
}

sub has_mem_operand {
	my ($ops) = @_;
	my $depth = 0;
	my @o = ('');
	for my $c (split //, $ops) {
		$depth++ if $c eq '(';
		$depth-- if $c eq ')';
		if ($c eq ',' && !$depth) { push @o, ''; next; }
		$o[-1] .= $c;
	}
	return scalar grep { /\S/ && !/^\s*\$/ && !/^\s*%\w+\s*$/ } @o;
}

1;

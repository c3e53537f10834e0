package Fixup::VerifyRecords;
# SPDX-License-Identifier: GPL-2.0
#
# fixup-verify's first job: does every record of the table describe a
# site the boot-time patcher can take, in its compiled form?

use strict;
use warnings;
use Fixup::Catalogue;
use Fixup::Thunks;
use Fixup::Insn qw(%PREFIX_BYTE $LOCK_BYTE $LOCKABLE mnemonic
	has_mem_operand);

=head1 NAME

Fixup::VerifyRecords - check the fixup records of a linked kernel image

=head1 SYNOPSIS

  my $r = Fixup::VerifyRecords::check(
      records => \@records,     # Fixup::Image::records()
      insns => \@insns,         # Fixup::Image::disassemble()
      text => [[$text, $etext], [$sinittext, $einittext]],
      selftest => [$start, $end],   # or undef
      thunks => \%branches);        # Fixup::ThunkBranches::branches()
  push @errors, @{$r->{errors}};    # [address, message] each
  my @good = @{$r->{good}};  # { addr, len, kind, locked, lock_at }

=head1 DESCRIPTION

Each record, in address order, must pass, in this order (the first fault
is its error):

=over 4

=item *

its kind is one of the catalogue (F<include/asm/fixup-kinds.h>, read by
L<Fixup::Catalogue>) and its length within the kind's;

=item *

the site lies inside one of the text ranges and starts at an instruction
boundary, or (a site whose compiled form is prefix bytes, LOCK) after
only prefix bytes of one: gas writes an HLE hint before the lock;

=item *

it holds the compiled form of its kind (the kind's first form) with the
recorded length. FIXED kinds: the form's bytes exactly; a form made of
prefix bytes must prefix an instruction, and a lock prefix a lockable one
with a memory operand; other forms must end at an instruction boundary.
MODRM kinds: the form's bytes (C<JMP> is the site's length minus 2), then
a ModRM byte with a memory operand (mod != 3) and the reg field the form
names (0..7, a hint /0../3, or any), whose ModRM, SIB and displacement
bytes are the rest of the site, ending at an instruction boundary. CALL
kinds: one C<E8> call instruction of the site's length. THUNK kinds: one
instruction of the site's length, the compiled form's opcode (C<E8> call
or C<E9> jmp) and a rel32 that reaches a thunk of the kind (C<thunks>,
by the thunk's symbol name: Fixup::Thunks says which thunk is whose);

=back

and no record may overlap the one before it (an exact duplicate
included). Records between the two addresses of C<selftest> (those of a
CONFIG_FIXUP_SELFTEST kernel, bad on purpose for the boot-time validator)
are checked the same way, but their faults are only counted.

=head1 FUNCTIONS

=over 4

=item check(records =E<gt> ..., insns =E<gt> ..., text =E<gt> ..., [selftest =E<gt> ...], [kinds =E<gt> ...], [thunks =E<gt> ...])

Returns C<{ errors =E<gt> [[address, message], ...], good =E<gt> [site,
...], selftest_bad =E<gt> N }>. C<good> are the records without a fault,
as C<{ addr, len, kind, selftest, locked, lock_at }> (C<selftest> true
for a record of the C<selftest> range), C<locked> true when the kind's
compiled form starts with a lock prefix (LOCK and the barriers): their
lock prefix is recorded. C<lock_at> lists the offsets in the site of every
lock prefix of a FIXED compiled form (0 for LOCK and the 5-byte barriers,
1 for the flag-keeping barriers C<pushfl; lock; addl $0,4(%esp); popfl>). C<kinds> defaults to
C<Fixup::Catalogue::kinds()>. C<thunks> maps the address of each branch
to a thunk to C<{ thunk =E<gt> NAME }>; without it no THUNK site is good.

=item modrm_len(BYTES...)

The length of a 32-bit ModRM operand: the ModRM byte, a SIB byte if any,
the displacement (Intel SDM vol. 2A, tables 2-2 and 2-3). Undef without
the bytes it needs.

=item lengths(KIND)

The shortest and the longest site of a kind that B<check> accepts (the
catalogue's), as a list.

=item spell(KIND, FORM)

A form written out for messages: C<movq (0f 7f /r mem)>.

=back

=cut

sub hexb { return join(' ', map { sprintf('%02x', $_) } @_); }

sub modrm_len {
	my ($modrm, $sib) = @_;
	return undef unless defined $modrm;
	my ($mod, $rm) = ($modrm >> 6, $modrm & 7);
	return 1 if $mod == 3;
	my $n = 1;
	if ($rm == 4) {
		return undef unless defined $sib;
		$n++;
	}
	return $n + 1 if $mod == 1;
	return $n + 4 if $mod == 2;
	return $n + 4 if $rm == 5 || ($rm == 4 && ($sib & 7) == 5);
	return $n;
}

sub lengths {
	my ($k) = @_;
	return ($k->{min}, $k->{max});
}

sub spell {
	my ($k, $f) = @_;
	my $b = join(' ', map { $_ eq 'JMP' ? 'xx' : /^REG\(0x(\w+)\)$/
	    ? "$1+r" : sprintf('%02x', $_) } @{$f->{bytes}});
	$b .= ' rel32' if $k->{shape} eq 'THUNK' && $f == $k->{forms}[0];
	if ($k->{shape} eq 'MODRM') {
		my $r = $f->{reg};
		$b .= ' ' . ($r eq 'ANY' ? '/r' : $r eq 'HINT' ? '/0../3'
		    : "/$r") . ' mem';
	}
	return "$f->{name} ($b)";
}

sub check {
	my (%a) = @_;
	my $kinds = $a{kinds} // Fixup::Catalogue::kinds();
	my @insns = @{$a{insns}};
	my %at = map { $insns[$_]{addr} => $_ } 0 .. $#insns;
	my ($ss, $se) = @{$a{selftest} // []};
	my (@errors, @good, $prev);
	my $selftest_bad = 0;
	my $name_of = sub {
		my $k = $kinds->{$_[0]{kind}};
		return $k ? $k->{name} : "kind $_[0]{kind}";
	};
	for my $s (sort { $a->{addr} <=> $b->{addr} || $a->{rec} <=> $b->{rec} }
	    @{$a{records}}) {
		my $nerr = @errors;
		my $k = $kinds->{$s->{kind}};
		my $what = sprintf('record at 0x%08x', $s->{rec});
		my $e;
		if (!$k) {
			$e = "unknown kind $s->{kind}";
		} elsif ($s->{len} < (lengths($k))[0]
		    || $s->{len} > (lengths($k))[1]) {
			$e = "length $s->{len} is illegal for $k->{name} ("
			    . join('..', lengths($k)) . ')';
		} elsif (!grep { $s->{addr} >= $_->[0]
		    && $s->{addr} + $s->{len} <= $_->[1] } @{$a{text}}) {
			$e = "$k->{name} site is outside kernel text";
		} elsif (!defined $at{$s->{addr}}) {
			my ($ins, $at) = in_prefixes($s, $k, \@insns, \%at);
			$e = $ins ? bad_form($s, $k, $ins, $at) : "$k->{name} "
			    . 'site is not at an instruction boundary';
		} else {
			$e = bad_form($s, $k, \@insns, \%at, $a{thunks});
		}
		push @errors, [$s->{addr}, "$what: $e"] if $e;
		if ($prev && $s->{addr} < $prev->{addr} + $prev->{len}) {
			push @errors, [$s->{addr}, sprintf('%s: %s site '
			    . 'overlaps the %s site at 0x%08x', $what,
			    $name_of->($s), $name_of->($prev), $prev->{addr})];
		}
		$prev = $s if !$prev
		    || $s->{addr} + $s->{len} > $prev->{addr} + $prev->{len};
		# A selftest record's faults are the boot validator's to find.
		my $selftest = defined $ss && defined $se && $s->{rec} >= $ss
		    && $s->{rec} < $se;
		if ($selftest && @errors > $nerr) {
			splice(@errors, $nerr);
			$e //= 'overlap';
			$selftest_bad++;
		}
		next if $e;
		my $f = $k->{forms}[0];
		my @b = $f ? @{$f->{bytes}} : ();
		push @good, { addr => $s->{addr}, len => $s->{len},
		    kind => $s->{kind}, selftest => $selftest, locked => @b && $b[0] eq $LOCK_BYTE
		    ? 1 : 0, lock_at => [$k->{shape} eq 'FIXED' ? grep {
		    $b[$_] eq $LOCK_BYTE } 0 .. $#b : ()] };
	}
	return { errors => \@errors, good => \@good,
	    selftest_bad => $selftest_bad };
}

# A site whose compiled form is prefix bytes may start among the prefixes
# of an instruction (gas writes an HLE hint, F2/F3, before the lock): if
# only prefix bytes come before it there, return the instructions and
# index with that instruction split at the site, else ().
sub in_prefixes {
	my ($s, $k, $insns, $at) = @_;
	my $f = $k->{forms}[0] // return ();
	return () if $k->{shape} ne 'FIXED'
	    || grep { !$PREFIX_BYTE{$_} } @{$f->{bytes}};
	for my $back (1 .. 14) {
		my $i = $at->{$s->{addr} - $back} // next;
		my $in = $insns->[$i];
		my @b = @{$in->{bytes}};
		return () if $back >= @b
		    || grep { !$PREFIX_BYTE{$_} } @b[0 .. $back - 1];
		my @ins = @$insns;
		push @ins, { %$in, addr => $s->{addr}, len => $in->{len} - $back,
		    bytes => [@b[$back .. $#b]] };
		return (\@ins, { %$at, $s->{addr} => $#ins });
	}
	return ();
}

# The bytes of the code at addr, through the disassembly.
sub code_bytes {
	my ($insns, $at, $addr, $n) = @_;
	my @b;
	while (@b < $n) {
		my $i = $at->{$addr} // return ();
		push @b, @{$insns->[$i]{bytes}};
		$addr += $insns->[$i]{len};
	}
	return @b[0 .. $n - 1];
}

# Does the site's code have the compiled form of its kind? Returns an
# error message or undef.
sub bad_form {
	my ($s, $k, $insns, $at, $thunks) = @_;
	my $name = $k->{name};
	my $in = $insns->[$at->{$s->{addr}}];
	my @b = code_bytes($insns, $at, $s->{addr}, $s->{len});
	return "$name site runs past the end of the code" unless @b;
	my $whole = sub {	# the site is whole instructions
		my ($a, $end) = ($s->{addr}, $s->{addr} + $s->{len});
		$a += $insns->[$at->{$a}]{len} while $a < $end
		    && defined $at->{$a};
		return undef if $a == $end;
		return sprintf('%s site of length %d ends inside an '
		    . 'instruction (%s)', $name, $s->{len}, $in->{text});
	};
	if ($k->{shape} eq 'CALL') {
		return "$name site is not call rel32 (e8) (bytes "
		    . hexb(@b) . ')' if $b[0] != 0xe8;
		return $in->{len} == $s->{len} ? undef
		    : sprintf('%s site of length %d holds a %d-byte '
		    . 'instruction (%s)', $name, $s->{len}, $in->{len},
		    $in->{text});
	}
	my $f = $k->{forms}[0];
	if ($k->{shape} eq 'THUNK') {
		my @ok = Fixup::Thunks::of_kind($name);
		return "$name site is not " . spell($k, $f) . " to @ok (bytes "
		    . hexb(@b) . ')' if $b[0] != $f->{bytes}[0]
		    || $in->{len} != $s->{len};
		my $t = ($thunks // {})->{$s->{addr}};
		return "$name site ($in->{text}) reaches "
		    . ($t ? $t->{thunk} : 'no thunk') . ", not a thunk of "
		    . "$name (@ok)" unless $t && grep { $_ eq $t->{thunk} } @ok;
		return undef;
	}
	my @w = map { $_ eq 'JMP' ? $s->{len} - 2 : $_ } @{$f->{bytes}};
	if ($k->{shape} eq 'FIXED') {
		return "$name site is not " . spell($k, $f) . ' (bytes '
		    . hexb(@b) . ')' if hexb(@b) ne hexb(@w);
		return $whole->() if grep { !$PREFIX_BYTE{$_} } @w;
		# Prefixes: of the instruction that follows.
		return "$name site prefixes no instruction"
		    if $in->{len} <= @w;
		my ($m, $ops) = mnemonic($in->{text});
		return "$name site prefixes no lockable memory instruction "
		    . "($in->{text})" if grep { $_ == $LOCK_BYTE } @w
		    and $m !~ $LOCKABLE || !has_mem_operand($ops);
		return undef;
	}
	my @jmp = grep { $f->{bytes}[$_] eq 'JMP' } 0 .. $#w;
	my @head = @b[0 .. $#w];
	for my $j (@jmp) {
		next unless $head[$j] != $w[$j];
		my @h = @head;
		$h[$j] = $w[$j];
		return "$name site jump skips $head[$j] bytes, not the "
		    . "$w[$j] after it" if hexb(@h) eq hexb(@w);
	}
	return "$name site is not " . spell($k, $f) . ' (bytes ' . hexb(@b)
	    . ')' if hexb(@head) ne hexb(@w);
	my $modrm = $b[@w];
	return "$name site has no memory operand"
	    unless defined $modrm && $modrm >> 6 != 3;
	my $reg = ($modrm >> 3) & 7;
	my $field = @jmp || $f->{reg} eq 'HINT' ? 'hint' : 'reg field';
	return "$name site $field /$reg is not /0../3"
	    if $f->{reg} eq 'HINT' && $reg > 3;
	return "$name site $field /$reg is not /$f->{reg}"
	    if $f->{reg} =~ /^\d$/ && $reg != $f->{reg};
	my $ml = modrm_len(@b[@w .. $#b]);
	return sprintf('%s site of length %d is not the %d bytes of %s and '
	    . 'a %s-byte memory operand', $name, $s->{len}, scalar @w,
	    $f->{name}, $ml // '?')
	    if !defined $ml || @w + $ml != $s->{len};
	return $whole->();
}

1;

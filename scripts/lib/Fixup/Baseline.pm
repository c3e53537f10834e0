package Fixup::Baseline;
# SPDX-License-Identifier: GPL-2.0
#
# fixup-verify's second job: does the code run on the processor the
# generic image is built for (--march), and is every instruction that a
# site would replace inside one?

use strict;
use warnings;
use Fixup::Insn qw(%PREFIX_BYTE $LOCK_BYTE mnemonic);
use Fixup::Isa;

# The kinds of allow-list entry.
our @ALLOW = qw(raw-lock baseline variant-ref data-in-text);

=head1 NAME

Fixup::Baseline - the CPU baseline of the code outside the fixup sites

=head1 SYNOPSIS

  my $allow = Fixup::Baseline::read_allow(@files);  # dies on I/O errors
  push @errors, @{$allow->{errors}};
  push @errors, Fixup::Baseline::check(
      insns => \@insns, text => \@text, variant => \@variant,
      sites => \@good, march => 'i486', allow => $allow,
      function_of => $finder,         # [address, message] each
      object_of => $objects);
  my @warnings = Fixup::Baseline::unused($allow);

=head1 DESCRIPTION

Every instruction in the text ranges is checked:

=over 4

=item *

each lock prefix is the lock prefix of a recorded site (a site whose
C<locked> is true: LOCK, the barriers; or one of the C<lock_at> offsets
of its site: the flag-keeping barriers), unless its function is allowed
C<raw-lock>;

=item *

it is an instruction L<Fixup::Isa> knows (an allow-list: anything else,
undecodable bytes included, is an error wherever it is);

=item *

outside the CALL-variant text, no instruction needs a feature the
B<--march> CPU lacks (a site's compiled form included: it runs on every
CPU until the boot pass), and outside the sites there is no C<mfence>,
C<lfence>, C<sfence>, prefetch, C<movnt*> or C<maskmov*> (they are only
sites), unless its function is allowed C<baseline>.

=back

Functions are named through C<function_of> (see
L<Fixup::Image/function_finder>), their object files through
C<object_of> (L<Fixup::Image/object_finder>, or the module's file).

=head1 FUNCTIONS

=over 4

=item marches()

The known B<--march> CPUs, sorted.

=item is_march(MARCH)

True if MARCH is one of them.

=item features(MARCH)

What MARCH has beyond the 486: a list of feature names (C<tsc>, C<cmov>,
C<sse>, ...), empty for C<i486> (and an unknown CPU).

=item read_allow(FILES...)

Reads allow-lists, one entry a line, C<#> starting a comment:

  raw-lock SYMBOL OBJECT        # reason
  baseline SYMBOL OBJECT        # reason
  variant-ref SYMBOL OBJECT     # reason
  data-in-text SECTION OBJECT   # reason

Returns C<{ entries =E<gt> ..., errors =E<gt> [[undef, message]...] }>,
an entry without a reason or a line it cannot parse being an error
(C<FILE:LINE: message>). Dies if a file cannot be read.

=item allowed(ARGS, WHAT, ADDRESS)

True (and the entry counted as used) if the allow-list C<allow> of ARGS
(a hash with C<allow>, C<function_of>, C<object_of>) has an entry WHAT
for the function at ADDRESS in its object file.

=item object_is(PATH, OBJECT)

True if an entry's OBJECT names the object file at PATH: the same path,
or its end after a C</>.

=item check(insns, text, variant, sites, march, allow, function_of, object_of, [kinds], [traps])

C<kinds> (the catalogue's, L<Fixup::Catalogue/kinds>) names the kind of
a site whose compiled form is above B<--march>. C<traps> (C<{ ADDRESS
=E<gt> 1 }>, L<Fixup::ThunkBranches/traps>) are the retpoline thunks'
own C<lfence>, which only speculation runs: not checked.

The errors, C<[address, message]> each.

=item unused(ALLOW)

Warnings, C<FILE:LINE: raw-lock SYMBOL: not needed ...>, for the entries
that allowed nothing in the last B<check>.

=back

=cut

# What each --march CPU has beyond the 486 instruction set.
my %MARCH;
{
	my @p5 = qw(tsc cx8 msr cr4);
	my @p6 = (@p5, qw(cmov nopl pmc));
	my @p2 = (@p6, qw(mmx fxsr sep));
	my @p3 = (@p2, qw(sse mmxext));
	my @k6 = (@p5, qw(mmx 3dnow syscall));
	%MARCH = (
		'i486' => [],
		'pentium' => [@p5],
		'pentium-mmx' => [@p5, qw(mmx pmc)],
		'pentiumpro' => [@p6],
		'pentium2' => [@p2],
		'pentium3' => [@p3],
		'pentium4' => [@p3, qw(sse2)],
		'k6-2' => [@k6],
		'athlon' => [@k6, qw(cmov nopl pmc mmxext 3dnowext)],
	);
}

# The instructions a site replaces, which must not appear unrecorded.
my $SITE_INSN = qr/^(?:[mls]fence|prefetch\w*|movnt\w*|maskmov\w*)$/;


sub marches { return sort keys %MARCH; }

sub is_march { return exists $MARCH{$_[0]}; }

sub features {
	my ($m) = @_;
	return $MARCH{$m} ? @{$MARCH{$m}} : ();
}

sub read_allow {
	my (@files) = @_;
	my (%a, @errors);
	for my $f (@files) {
		open(my $fh, '<', $f) or die "$f: $!\n";
		while (my $l = <$fh>) {
			chomp $l;
			next if $l =~ /^\s*(?:#.*)?$/;
			my $kw = join('|', @ALLOW);
			if ($l =~ /^\s*($kw)\s+(\S+)\s+([^\s#]+)\s*#\s*\S/) {
				$a{$1}{$2}{$3} = { where => "$f:$.", used => 0 };
			} elsif ($l =~ /^\s*($kw)\s+\S+\s+[^\s#]+\s*$/) {
				push @errors, [undef, "$f:$.: no reason given "
				    . "(write '# why' after the object file)"];
			} else {
				push @errors, [undef, "$f:$.: cannot parse "
				    . "'$l' (want " . join('|', @ALLOW)
				    . ' SYMBOL OBJECT # reason)'];
			}
		}
		close($fh);
	}
	return { entries => \%a, errors => \@errors };
}

sub in_ranges {
	my ($addr, $len, $r) = @_;
	for (@$r) {
		return 1 if $addr >= $_->[0] && $addr + $len <= $_->[1];
	}
	return 0;
}

# Is the function at addr (in object obj) allowed what?
sub allowed {
	my ($a, $what, $addr) = @_;
	my $e = $a->{allow}{entries}{$what}{$a->{function_of}->($addr)->[0]}
	    // return 0;
	my $obj = $a->{object_of}->($addr) // return 0;
	($e) = map { $e->{$_} } grep { object_is($obj, $_) } sort keys %$e;
	return 0 unless $e;
	$e->{used}++;
	return 1;
}

# An allow-list's OBJECT names the object file the link map does, or the
# end of its path: "clock.o" matches "arch/i386/kernel/clock.o".
sub object_is {
	my ($path, $entry) = @_;
	return $path eq $entry || substr($path, -length($entry) - 1) eq "/$entry";
}

sub check {
	my (%a) = @_;
	my %have = map { $_ => 1 } '', features($a{march});
	my (%lock_site, %covered, @errors);
	for my $s (@{$a{sites}}) {
		$lock_site{$s->{addr}} = 1 if $s->{locked};
		$lock_site{$s->{addr} + $_} = 1 for @{$s->{lock_at} // []};
		$covered{$_} = $s for $s->{addr} .. $s->{addr} + $s->{len} - 1;
	}
	for my $in (@{$a{insns}}) {
		my $ip = $in->{addr};
		next unless in_ranges($ip, $in->{len}, $a{text});
		my $in_variant = in_ranges($ip, $in->{len}, $a{variant});
		my $in_site = $covered{$ip} && $covered{$ip + $in->{len} - 1};
		# A thunk's lfence runs only speculatively (Fixup::ThunkBranches)
		next if $a{traps} && $a{traps}{$ip};

		my @b = @{$in->{bytes}};
		for (my $k = 0; $k < @b && $PREFIX_BYTE{$b[$k]}; $k++) {
			next if $b[$k] != $LOCK_BYTE || $lock_site{$ip + $k};
			next if allowed(\%a, 'raw-lock', $ip);
			push @errors, [$ip + $k, 'unrecorded lock prefix'
			    . " ($in->{text})"];
		}
		my $f = Fixup::Isa::feature($in);
		if (!defined $f) {
			push @errors, [$ip, "unknown instruction '$in->{text}' "
			    . '(' . join(' ', map { sprintf('%02x', $_) } @b)
			    . '): not in the table of Fixup::Isa'];
			next;
		}
		# A variant runs only on the CPUs its call group names; a
		# site's compiled form runs everywhere, as all other code.
		next if $in_variant;
		my ($m) = mnemonic($in->{text});
		if (!$in_site && $m =~ $SITE_INSN) {
			push @errors, [$ip, "unrecorded $m"]
			    unless allowed(\%a, 'baseline', $ip);
			next;
		}
		my $kind = $in_site && $a{kinds} ? $a{kinds}{$covered{$ip}{kind}}
		    : undef;
		push @errors, [$ip, "$m needs $f, which --march $a{march} "
		    . 'lacks' . ($in_site ? ' (the compiled form of a'
		    . ($kind ? " $kind->{name}" : '') . ' site: its sites '
		    . 'belong in variant text)' : '')]
		    if !$have{$f} && !allowed(\%a, 'baseline', $ip);
	}
	return @errors;
}

sub unused {
	my ($allow) = @_;
	my @w;
	my $a = $allow->{entries};
	for my $what (sort keys %$a) {
		for my $sym (sort keys %{$a->{$what}}) {
			for my $obj (sort keys %{$a->{$what}{$sym}}) {
				my $e = $a->{$what}{$sym}{$obj};
				push @w, "$e->{where}: $what $sym $obj: not "
				    . 'needed (no such function in that object, '
				    . 'or nothing to allow in it)'
				    unless $e->{used};
			}
		}
	}
	return @w;
}

1;

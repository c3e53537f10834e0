package Fixup::ThunkBranches;
# SPDX-License-Identifier: GPL-2.0
#
# The branches to Spectre v2 thunks in a linked image or a module, for
# fixup-verify (each is a site of its kind) and fixup-report (which
# thunk each site calls). The thunks by name: Fixup::Thunks.

use strict;
use warnings;
use Fixup::Calls;
use Fixup::Image;
use Fixup::Insn qw(mnemonic);
use Fixup::Thunks;

=head1 NAME

Fixup::ThunkBranches - the branches to thunks in an ELF file, and the thunks' own lfence

=head1 SYNOPSIS

  my $thunk_of = Fixup::ThunkBranches::resolver($file);
  my $name = $thunk_of->($addr, \@bytes, $shndx);  # or undef
  my %at = Fixup::ThunkBranches::branches($file, \@insns);
  push @errors, Fixup::ThunkBranches::check_unrecorded(
      branches => \%at, insns => \@insns, records => \@records,
      kinds => $kinds);
  my %trap = Fixup::ThunkBranches::traps($file, \@insns);
  push @errors, Fixup::ThunkBranches::check_list($image, $symval, $kinds);

=head1 DESCRIPTION

=over 4

=item resolver(FILE)

A function of (ADDRESS, BYTES, [SHNDX]) that says which thunk the
branch at ADDRESS reaches through its rel32, the last four of its BYTES
(C<E8>/C<E9 rel32>, C<0F 8x rel32>): the thunk's name, or undef when it
reaches anything else. In a linked image the target address is the
branch's end plus rel32, and a thunk is found by its symbol's value; in
a relocatable file (a module, an object) the rel32 holds a relocation
against the thunk's symbol, found in section SHNDX (default C<.text>),
or none, when the thunk is in that section (gas resolved the rel32: the
target is then found as in an image, by the thunk's symbol's value).

=item branches(FILE, INSNS)

Every direct branch among INSNS (a call, a jump, a conditional jump, a
C<loop> or C<jecxz>, as objdump prints them) whose target is a thunk:
C<{ ADDRESS =E<gt> { thunk, branch, insn } }>, C<branch> the mnemonic.
In an image the target is the one objdump printed (a short jump's
included); in a relocatable file, the relocation inside the branch.

=item check_unrecorded(branches, insns, records, kinds)

C<[ADDRESS, MESSAGE]> for every branch to a thunk that no record starts
at: its mnemonic, the thunk, and the kind it must be; or why it can be
no site (a conditional or short branch, a call to a return thunk).

=item traps(FILE, INSNS)

The addresses of the C<lfence> instructions that are the thunks' own:
in a thunk (a symbol Fixup::Thunks names, defined in FILE, with its
size), an C<lfence> after a C<pause> and before a C<jmp> back to that
C<pause>. That loop is where the retpoline catches speculation; the
C<ret> that would return there never does, so it only ever runs
speculatively, and an i486 may hold it (Intel, "Retpoline: A Branch
Target Injection Mitigation", 758357). Any other C<lfence>, in a thunk or
not, is not a trap. C<{ ADDRESS =E<gt> 1 }>.

=item check_list(IMAGE, SYMVAL, KINDS)

The kernel's own list of thunks, which its boot pass reads
(C<fixup_thunks[fixup_nr_thunks]>, C<struct fixup_thunk> of
F<include/asm/fixup.h>: a 4-byte function pointer, the kind and the
register as bytes, 8 bytes with padding; F<arch/i386/lib/retpoline_exports.c>),
against Fixup::Thunks, the tools' list: each entry must be a thunk of
that kind and register by its name, and each kind of each thunk the image
defines must have its entry. C<[ADDRESS, MESSAGE]> for each difference;
none for an image without the list (a kernel without CONFIG_RETPOLINE).

=back

=cut

sub resolver {
	my ($file) = @_;
	my $elf = Fixup::Image::elf($file);
	if ($elf->{header}{type} eq 'REL') {
		my @sec = @{$elf->{sections}};
		my ($text) = grep { $_->{name} eq '.text' } @sec;
		my %sym_at;
		for my $s (keys %{$elf->{rel_for}}) {
			for my $r (@{$elf->{rel_for}{$s}}) {
				# R_386_PC32 or R_386_PLT32
				next unless $r->{type} == 2 || $r->{type} == 4;
				my $sym = $elf->{symtab}[$r->{sym}] or next;
				$sym_at{"$s:$r->{offset}"} = $sym->{name}
				    if Fixup::Thunks::thunk($sym->{name});
			}
		}
		# A thunk in the same section: gas resolved the rel32.
		my %local = map { ("$_->{ndx}:$_->{value}" => $_->{name}) }
		    grep { Fixup::Thunks::thunk($_->{name}) } @{$elf->{symtab}};
		return sub {
			my ($addr, $bytes, $shndx) = @_;
			$shndx //= $text ? $text->{index} : -1;
			return $sym_at{"$shndx:" . ($addr + @$bytes - 4)}
			    // $local{"$shndx:" . target($addr, $bytes)};
		};
	}
	my $v = Fixup::Image::symbol_values($file);
	my %at = map { $v->{$_} => $_ } grep { defined $v->{$_} }
	    Fixup::Thunks::names();
	return sub { return $at{target(@_)}; };
}

# Where a branch of these bytes at addr goes through its rel32.
sub target {
	my ($addr, $bytes) = @_;
	return -1 if @$bytes < 5;
	my $rel = unpack('l<', pack('C4', @$bytes[-4 .. -1]));
	return ($addr + @$bytes + $rel) & 0xffffffff;
}

sub branches {
	my ($file, $insns) = @_;
	my $rel = Fixup::Image::header($file)->{type} eq 'REL';
	my $thunk_of = resolver($file);
	my %at;
	my %named;
	unless ($rel) {
		my $v = Fixup::Image::symbol_values($file);
		%named = map { $v->{$_} => $_ } grep { defined $v->{$_} }
		    Fixup::Thunks::names();
	}
	for my $in (@$insns) {
		my ($m) = mnemonic($in->{text});
		next unless $m =~ /^(?:call|jmp|j[a-z]+|loop\w*)l?$/;
		my $t;
		if ($rel) {
			$t = $thunk_of->($in->{addr}, $in->{bytes})
			    if $in->{len} >= 5;
		} else {
			my $to = Fixup::Calls::branch_target($in->{text});
			$t = $named{$to} if defined $to;
		}
		$at{$in->{addr}} = { thunk => $t, branch => $m =~ s/^(call|jmp)l$/$1/r,
		    insn => $in } if $t;
	}
	return %at;
}

sub check_unrecorded {
	my (%a) = @_;
	my %recorded = map { $_->{addr} => 1 } @{$a{records}};
	my @errors;
	for my $addr (sort { $a <=> $b } keys %{$a{branches}}) {
		next if $recorded{$addr};
		my $b = $a{branches}{$addr};
		my ($m, $t, $in) = @$b{qw(branch thunk insn)};
		my $kind = Fixup::Thunks::site_kind($m, $t);
		my $why;
		if ($kind && $in->{len} == 5) {
			$why = "not recorded: a $kind site (the asm pass, "
			    . 'scripts/fixup-sites.pl, records each)';
		} elsif ($kind) {
			$why = "a $in->{len}-byte branch: not the 5-byte "
			    . "$kind site, and not recorded";
		} elsif ($m ne 'call' && $m ne 'jmp') {
			$why = 'a conditional branch to a thunk is no site (the '
			    . 'asm pass writes the inverse condition over a '
			    . 'jmp site)';
		} else {
			$why = "no site kind is a $m to $t (Fixup::Thunks)";
		}
		push @errors, [$addr, "$m to $t ($in->{text}): $why"];
	}
	return @errors;
}

my $THUNK_SIZE = 8;
my $NO_REG = 0xff;	# FIXUP_THUNK_NO_REG

sub check_list {
	my ($image, $v, $kinds) = @_;
	my ($list, $nr_at) = @$v{qw(fixup_thunks fixup_nr_thunks)};
	return () unless defined $list && defined $nr_at;
	my $nb = Fixup::Image::bytes($image, $nr_at, 4)
	    // return [$nr_at, 'fixup_nr_thunks: cannot be read'];
	my $nr = unpack('V', $nb);
	my %name_at = map { $v->{$_} => $_ } grep { defined $v->{$_} }
	    Fixup::Thunks::names();
	my (@errors, %listed);
	for my $i (0 .. $nr - 1) {
		my $at = $list + $i * $THUNK_SIZE;
		my $b = Fixup::Image::bytes($image, $at, $THUNK_SIZE) // do {
			push @errors, [$at, "fixup_thunks[$i]: cannot be read"];
			last;
		};
		my ($fn, $kind, $reg) = unpack('V C C', $b);
		my $k = $kinds->{$kind} ? $kinds->{$kind}{name} : "kind $kind";
		my $name = $name_at{$fn};
		my $t = Fixup::Thunks::thunk($name);
		my $want = $t && defined $t->{reg}
		    ? Fixup::Thunks::reg_number($t->{reg}) : $NO_REG;
		my $what = sprintf('fixup_thunks[%d] (0x%08x, %s, register %s)',
		    $i, $fn, $k, $reg == $NO_REG ? 'none' : $reg);
		if (!$t) {
			push @errors, [$at, "$what: not a thunk of "
			    . 'Fixup::Thunks (scripts/lib/Fixup/Thunks.pm)'];
		} elsif (!grep { ($_ // '') eq $k } @$t{qw(call jmp)}) {
			push @errors, [$at, "$what: $name is not a thunk of $k "
			    . '(Fixup::Thunks)'];
		} elsif ($reg != $want) {
			push @errors, [$at, "$what: $name carries "
			    . ($t->{reg} // 'no register') . ' (Fixup::Thunks)'];
		} else {
			$listed{"$name $k"} = 1;
		}
	}
	for my $name (sort values %name_at) {
		my $t = Fixup::Thunks::thunk($name);
		for my $k (grep { defined } @$t{qw(call jmp)}) {
			push @errors, [$v->{$name}, "$name: no $k entry in "
			    . 'fixup_thunks (arch/i386/lib/retpoline_exports.c): '
			    . 'the boot pass would reject its sites']
			    unless $listed{"$name $k"};
		}
	}
	return @errors;
}

sub traps {
	my ($file, $insns) = @_;
	my %trap;
	my @thunks = grep { $_->{size} && Fixup::Thunks::thunk($_->{name})
	    && $_->{ndx} =~ /^\d+$/ } Fixup::Image::symtab($file);
	my @in = sort { $a->{addr} <=> $b->{addr} } @$insns;
	for my $t (@thunks) {
		my ($s, $e) = ($t->{value}, $t->{value} + $t->{size});
		my @body = grep { $_->{addr} >= $s && $_->{addr} < $e } @in;
		for my $i (1 .. $#body - 1) {
			my ($p, $l, $j) = @body[$i - 1 .. $i + 1];
			next unless (mnemonic($l->{text}))[0] eq 'lfence'
			    && (mnemonic($p->{text}))[0] eq 'pause'
			    && (mnemonic($j->{text}))[0] eq 'jmp';
			my $to = Fixup::Calls::branch_target($j->{text});
			$trap{$l->{addr}} = 1 if defined $to
			    && $to == $p->{addr};
		}
	}
	return %trap;
}

1;

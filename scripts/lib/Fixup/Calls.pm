package Fixup::Calls;
# SPDX-License-Identifier: GPL-2.0
#
# The call groups of a linked kernel image (DEFINE_FIXUP_CALL,
# include/asm/fixup.h) and what fixup-verify checks against them: every
# CALL site calls a function of a group, as the boot pass demands, and
# a variant function is reached through CALL sites only.

use strict;
use warnings;
use Fixup::Image;

=head1 NAME

Fixup::Calls - call groups, CALL sites and the references to variant text

=head1 SYNOPSIS

  my $g = Fixup::Calls::groups($image, $symval, $function_of);
  push @errors, @{$g->{errors}};
  push @errors, Fixup::Calls::check_sites(groups => $g->{groups},
      sites => \@good, insns => \@insns, kinds => $kinds);
  push @errors, Fixup::Calls::check_refs(insns => \@insns,
      text => \@text, variant => \@variant, sites => \@good,
      kinds => $kinds, allowed => $allowed, function_of => $function_of);

=head1 DESCRIPTION

=over 4

=item groups(IMAGE, SYMVAL, FUNCTION_OF)

The groups between C<__fixup_calls_start> and C<__fixup_calls_end>, read
as C<struct fixup_call_group> and C<struct fixup_call_variant> of
F<include/asm/fixup.h> lay them out (i386: 4-byte pointers; a group is
C<generic>, C<name>, C<variants>, C<nr>, 16 bytes; a variant C<fn>,
C<name>, C<needs>, C<mode>, 16 bytes). Returns C<{ groups =E<gt> [{ at,
generic, fns =E<gt> [...] }], errors =E<gt> [...] }>; a group whose
functions are not the starts of functions is an error (the layout in
the header changed and this reader did not). No symbols: no groups.

=item check_sites(groups, sites, insns, kinds)

The boot pass's checks of a CALL site that do not depend on the CPU
(F<arch/i386/fixup/patcher.c>, plan_call()): the site's call goes to a
function of some group (C<call target not in a group>) and that group
shares no function with another (C<call group shares a function>).

=item check_refs(insns, text, variant, sites, kinds, allowed, function_of)

Every instruction in TEXT outside the VARIANT ranges that refers to an
address inside them (a branch target, an immediate or a displacement) is
an error naming the referring function and the variant, unless it is a
CALL site (the boot pass sends it to the variant the CPU can run) or
C<allowed-E<gt>(ADDRESS)> says so (an allow-list C<variant-ref> entry).

=item check_data_refs(image, groups, variant, allowed, function_of)

The same for data: every aligned word of an allocated section that is
not code (but C<.kallsyms>, the symbol table) that holds an address in
the VARIANT ranges is an error naming the data, unless it is a group's
variant slot or C<allowed-E<gt>(ADDRESS)> says so.

=back

=cut

my $GROUP_SIZE = 16;
my $VARIANT_SIZE = 16;

sub groups {
	my ($image, $v, $function_of) = @_;
	my ($s, $e) = @$v{qw(__fixup_calls_start __fixup_calls_end)};
	my (@g, @errors);
	return { groups => [], errors => [] } unless defined $s && defined $e;
	my $is_fn = sub { !$_[0] || $function_of->($_[0])->[1] == 0 };
	for (my $a = $s; $a + $GROUP_SIZE <= $e; $a += $GROUP_SIZE) {
		my $b = Fixup::Image::bytes($image, $a, $GROUP_SIZE) // last;
		my ($gen, undef, $vars, $nr) = unpack('V V V C', $b);
		my @fns;
		for my $i (0 .. $nr - 1) {
			my $vb = Fixup::Image::bytes($image,
			    $vars + $i * $VARIANT_SIZE, 4) // last;
			my $fn = unpack('V', $vb);
			push @fns, $fn if $fn;
		}
		if (!$gen || grep { !$is_fn->($_) } $gen, @fns) {
			push @errors, [$a, 'call group holds an address that '
			    . 'starts no function: has struct fixup_call_group '
			    . '(include/asm/fixup.h) changed without '
			    . 'Fixup::Calls?'];
			next;
		}
		push @g, { at => $a, generic => $gen, fns => [$gen, @fns],
		    slots => [map { $vars + $_ * $VARIANT_SIZE } 0 .. $nr - 1] };
	}
	return { groups => \@g, errors => \@errors };
}

# The target of a direct call or jump as objdump prints it (prefixes,
# a branch hint ",pt" included), or undef.
sub branch_target {
	my ($text) = @_;
	return $text =~ /^(?:\S+[ ])*?(?:call|jmp|j[a-z]+|loop\w*)l?
	    (?:,p[nt])?[ ]([0-9a-f]+)(?:[ ]<|$)/x ? hex $1 : undef;
}

sub call_sites {
	my (%a) = @_;
	my %at = map { $_->{addr} => $_ } @{$a{insns}};
	my @c;
	for my $s (@{$a{sites}}) {
		next unless $a{kinds}{$s->{kind}}{shape} eq 'CALL';
		my $in = $at{$s->{addr}} // next;
		push @c, [$s, $in, branch_target($in->{text})];
	}
	return @c;
}

sub check_sites {
	my (%a) = @_;
	my @groups = @{$a{groups}};
	my @errors;
	my %in;
	for my $g (@groups) {
		push @{$in{$_}}, $g for @{$g->{fns}};
	}
	for my $c (call_sites(%a)) {
		my ($s, $in, $to) = @$c;
		my ($g) = @{$in{$to // -1} // []};
		if (!$g) {
			push @errors, [$s->{addr}, "CALL site ($in->{text}): "
			    . 'call target not in a group (DEFINE_FIXUP_CALL)'];
		} elsif (grep { @{$in{$_}} > 1 } @{$g->{fns}}) {
			push @errors, [$s->{addr}, "CALL site ($in->{text}): "
			    . 'call group shares a function with another group'];
		}
	}
	return @errors;
}

sub check_refs {
	my (%a) = @_;
	my %site = map { $_->[1]{addr} => 1 } call_sites(%a);
	my $inside = sub {
		my ($x, $r) = @_;
		return grep { $x >= $_->[0] && $x < $_->[1] } @$r;
	};
	my @errors;
	for my $in (@{$a{insns}}) {
		my $ip = $in->{addr};
		next if !$inside->($ip, $a{text}) || $inside->($ip, $a{variant})
		    || $site{$ip};
		my ($ops) = $in->{text} =~ /^\S+ (.*)$/ or next;
		my @refs = map { hex } $ops =~ /\b0x([0-9a-f]+)/g;
		my $to = branch_target($in->{text});
		push @refs, $to if defined $to;
		for my $r (grep { $inside->($_, $a{variant}) } @refs) {
			next if $a{allowed}->($ip);
			my ($f, $off) = @{$a{function_of}->($r)};
			push @errors, [$ip, "refers to the variant $f"
			    . ($off ? sprintf('+0x%x', $off) : '')
			    . " ($in->{text}): variant text is reached only "
			    . 'through its call group\'s CALL sites'];
			last;
		}
	}
	return @errors;
}

sub check_data_refs {
	my (%a) = @_;
	my %slot = map { $_ => 1 } map { @{$_->{slots}} } @{$a{groups}};
	my @errors;
	# .kallsyms holds every symbol's address: a name table, not a way
	# to call anything.
	for my $p (Fixup::Image::data_pointers($a{image}, $a{variant})) {
		my ($at, $v, $sec) = @$p;
		next if $sec eq '.kallsyms' || $slot{$at} || $a{allowed}->($at);
		my ($f) = @{$a{function_of}->($v)};
		push @errors, [$at, "holds the address of the variant $f: "
		    . 'variant text is reached only through its call group\'s '
		    . 'CALL sites'];
	}
	return @errors;
}

1;

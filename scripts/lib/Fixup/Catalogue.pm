package Fixup::Catalogue;
# SPDX-License-Identifier: GPL-2.0
#
# The site-kind catalogue, include/asm/fixup-kinds.h, read as text.

use strict;
use warnings;
use File::Basename qw(dirname);
use File::Spec;

=head1 NAME

Fixup::Catalogue - the fixup site kinds, from include/asm/fixup-kinds.h

=head1 SYNOPSIS

  use FindBin;
  use lib "$FindBin::RealBin/lib";
  use Fixup::Catalogue;

  my $kinds = Fixup::Catalogue::kinds();          # number => kind
  my $lock = Fixup::Catalogue::kind_by_name('LOCK');
  my @compiled = @{$lock->{forms}[0]{bytes}};     # (0xf0)
  my $n = Fixup::Catalogue::nr_kinds();           # FIXUP_NR_KINDS
  for my $r (Fixup::Catalogue::rules()) { ... }

=head1 DESCRIPTION

The header F<include/asm/fixup-kinds.h> is the one place that says what
each kind of fixup site is. This module reads the lines of it that the
header's own comment names, and nothing else:

  #define FIXUP_KIND_NAME n          the kind numbers
  #define FIXUP_NR_KINDS n           one more than the highest
  FIXUP_KIND(NAME, min, max, SHAPE)  lengths; SHAPE FIXED, MODRM, CALL
                                     or THUNK
  FIXUP_FIXED(NAME, "form", bytes...)
  FIXUP_MODRM(NAME, "form", REG, bytes...)
  FIXUP_THUNK(NAME, "form", bytes...)
  FIXUP_RULE(NAME, FEATURE, BUG, MODE, "form")

A row it cannot parse, or one that contradicts another (a kind without a
number, a form of a kind of another shape, a rule naming no form of its
kind, ...), is fatal: the functions die with C<FILE:LINE: message>.

Every function takes an optional path of the header; the default is
F<include/asm/fixup-kinds.h> of the tree this module lies in
(F<scripts/lib/Fixup/../../../>). The header is read once per path. The
structures returned are shared: do not modify them.

=head1 FUNCTIONS

=over 4

=item kinds([PATH])

A hash reference, kind number => kind:

  { number => 8, name => 'PREFETCH', min => 4, max => 9,
    shape => 'MODRM',
    forms => [ { name => 'nop', reg => 'HINT',
                 bytes => [0xeb, 'JMP', 0x8d] }, ... ] }

C<forms> are in the header's order; the first is the compiled form, the
one every site holds in the image. C<reg> is undef for FIXED forms, else
0..7, C<'ANY'> or C<'HINT'>. A byte C<'JMP'> stands for the site's length
minus 2 (a short jump over the rest of the site). CALL kinds have no
forms. In a THUNK kind's forms (C<reg> undef) a byte C<'REG(0xd0)'>
stands for 0xd0 plus the site's register number, and the compiled form
is one opcode byte (E8 or E9) that rel32 to one of the kind's thunks
follows.

=item kind_by_name(NAME, [PATH])

The same hash for a kind name (C<'LOCK'>), or undef.

=item nr_kinds([PATH])

The value of C<FIXUP_NR_KINDS>.

=item rules([PATH])

The rules in the header's order, a list of hashes
C<{ kind =E<gt> 'SMP_WMB', needs =E<gt> 'SSE', bug =E<gt> 'OOSTORE',
mode =E<gt> 'ANY', form =E<gt> 'sfence' }>; C<needs> and C<bug> are
C<'NONE'> when the rule needs nothing.

=item path()

The default path of the header.

=back

=cut

my %cache;

sub path {
	my $top = File::Spec->catdir(dirname(__FILE__), File::Spec->updir,
	    File::Spec->updir, File::Spec->updir);
	return File::Spec->catfile($top, 'include', 'asm', 'fixup-kinds.h');
}

sub kinds { return load(@_)->{kinds}; }
sub nr_kinds { return load(@_)->{nr}; }
sub rules { return @{load(@_)->{rules}}; }

sub kind_by_name {
	my ($name, $path) = @_;
	my $c = load($path);
	my $n = $c->{number}{$name} // return undef;
	return $c->{kinds}{$n};
}

# Split "A, "b, c", 0x1" into its arguments; undef if it does not split.
sub args {
	my ($s) = @_;
	my @a;
	while (1) {
		$s =~ s/^\s+//;
		if ($s =~ s/^("[^"\\]*")//) {
			push @a, $1;
		} elsif ($s =~ s/^([^",\s]+)//) {
			push @a, $1;
		} else {
			return undef;
		}
		$s =~ s/^\s+//;
		return \@a if $s eq '';
		$s =~ s/^,// or return undef;
	}
}

sub load {
	my ($path) = @_;
	$path //= path();
	return $cache{$path} if $cache{$path};
	open(my $fh, '<', $path) or die "$path: $!\n";
	my (%number, %line_of, $nr, @krows, @frows, @rrows);
	while (my $l = <$fh>) {
		chomp $l;
		my $at = "$path:$.";
		if ($l =~ /^\s*#\s*define\s+FIXUP_NR_KINDS\b/) {
			$l =~ /^\s*\#\s*define\s+FIXUP_NR_KINDS\s+(\d+)\s*
			    (?:\/\*.*\*\/\s*)?$/x
			    or die "$at: cannot parse '$l'\n";
			$nr = $1;
		} elsif ($l =~ /^\s*#\s*define\s+FIXUP_KIND_/) {
			my ($name, $n) = $l =~ /^\s*\#\s*define\s+FIXUP_KIND_
			    ([A-Z][A-Z0-9_]*)\s+(\d+)\s*(?:\/\*.*\*\/\s*)?$/x
			    or die "$at: cannot parse '$l' (want "
			    . "#define FIXUP_KIND_NAME number)\n";
			die "$at: FIXUP_KIND_$name defined twice\n"
			    if defined $number{$name};
			my ($dup) = grep { $number{$_} == $n } keys %number;
			die "$at: kind number $n is also ${dup}'s\n" if $dup;
			$number{$name} = $n + 0;
			$line_of{$name} = $at;
		} elsif ($l =~
		    /^\s*(FIXUP_(?:KIND|FIXED|MODRM|THUNK|RULE))\s*\(/) {
			my $what = $1;
			my ($inner) = $l =~ /^\s*\w+\s*\((.*)\)\s*
			    (?:\/\*.*\*\/\s*)?$/x;
			my $a = defined $inner ? args($inner) : undef;
			die "$at: cannot parse '$l'\n" unless $a;
			my $row = { at => $at, args => $a, text => $l };
			push @{$what eq 'FIXUP_KIND' ? \@krows
			    : $what eq 'FIXUP_RULE' ? \@rrows : \@frows},
			    { %$row, what => $what };
		}
	}
	close($fh);
	die "$path: no #define FIXUP_NR_KINDS\n" unless defined $nr;

	my %kinds;
	for my $r (@krows) {
		my ($name, $min, $max, $shape, @extra) = @{$r->{args}};
		die "$r->{at}: want FIXUP_KIND(NAME, min, max, SHAPE)\n"
		    if @extra || !defined $shape || $min !~ /^\d+$/
		    || $max !~ /^\d+$/;
		die "$r->{at}: shape '$shape' is not FIXED, MODRM, CALL or "
		    . "THUNK\n" unless $shape =~ /^(?:FIXED|MODRM|CALL|THUNK)$/;
		my $n = $number{$name}
		    // die "$r->{at}: no #define FIXUP_KIND_$name\n";
		die "$r->{at}: second FIXUP_KIND row for $name\n"
		    if $kinds{$n};
		die "$r->{at}: lengths $min..$max of $name are not 1..15\n"
		    if $min < 1 || $max > 15 || $min > $max;
		die "$r->{at}: $name is kind $n, not below FIXUP_NR_KINDS "
		    . "$nr\n" if $n >= $nr || $n < 1;
		$kinds{$n} = { number => $n, name => $name, min => $min + 0,
		    max => $max + 0, shape => $shape, forms => [] };
	}
	for my $name (sort keys %number) {
		die "$line_of{$name}: FIXUP_KIND_$name has no FIXUP_KIND "
		    . "row\n" unless $kinds{$number{$name}};
	}
	for my $r (@frows) {
		my @a = @{$r->{args}};
		my $modrm = $r->{what} eq 'FIXUP_MODRM';
		die "$r->{at}: want $r->{what}(NAME, \"form\", "
		    . ($modrm ? 'REG, ' : '') . "bytes...)\n"
		    if @a < ($modrm ? 3 : 2);
		my $name = shift @a;
		my $fname = shift @a;
		my $k = defined $number{$name} && $kinds{$number{$name}}
		    or die "$r->{at}: unknown kind $name\n";
		my $shape = $r->{what} =~ s/^FIXUP_//r;
		die "$r->{at}: $name is a $k->{shape} kind\n"
		    if $k->{shape} ne $shape;
		$fname =~ s/^"(.*)"$/$1/
		    or die "$r->{at}: form name $fname is not a string\n";
		die "$r->{at}: $name has a form '$fname' already\n"
		    if grep { $_->{name} eq $fname } @{$k->{forms}};
		my $reg;
		if ($modrm) {
			$reg = shift @a;
			die "$r->{at}: reg '$reg' is not 0..7, ANY or HINT\n"
			    unless $reg =~ /^(?:[0-7]|ANY|HINT)$/;
			$reg += 0 if $reg =~ /^\d$/;
		}
		my @bytes;
		for my $b (@a) {
			if ($modrm && $b eq 'JMP') {
				push @bytes, 'JMP';
			} elsif ($shape eq 'THUNK' &&
			    $b =~ /^REG\(0x([0-9a-fA-F]{1,2})\)$/ &&
			    (hex($1) & 7) == 0) {
				push @bytes, sprintf('REG(0x%02x)', hex $1);
			} elsif ($b =~ /^0x([0-9a-fA-F]{1,2})$/) {
				push @bytes, hex $1;
			} elsif ($b =~ /^\d+$/ && $b < 256) {
				push @bytes, $b + 0;
			} else {
				die "$r->{at}: '$b' is not a byte\n";
			}
		}
		# A FIXED form fits the shortest site (NOPs pad it); a
		# MODRM form leaves room for at least the ModRM byte.
		my $room = $modrm ? $k->{min} - 1 : $k->{min};
		die "$r->{at}: form '$fname' is longer than a $k->{min}-byte "
		    . "$name site allows\n" if @bytes > $room;
		die "$r->{at}: the compiled form of $name has no bytes\n"
		    if !@bytes && !@{$k->{forms}};
		die "$r->{at}: the compiled form of THUNK kind $name is one "
		    . "opcode byte (E8 or E9), rel32 to its thunk after\n"
		    if $shape eq 'THUNK' && !@{$k->{forms}} &&
		    (@bytes != 1 || $bytes[0] !~ /^(?:232|233)$/);
		push @{$k->{forms}}, { name => $fname, reg => $reg,
		    bytes => \@bytes };
	}
	for my $k (values %kinds) {
		die "$path: $k->{name} ($k->{shape}) has no forms\n"
		    if $k->{shape} ne 'CALL' && !@{$k->{forms}};
	}
	my @rules;
	for my $r (@rrows) {
		my @a = @{$r->{args}};
		die "$r->{at}: want FIXUP_RULE(NAME, FEATURE, BUG, MODE, "
		    . "\"form\")\n" if @a != 5;
		my ($name, $needs, $bug, $mode, $form) = @a;
		my $k = defined $number{$name} && $kinds{$number{$name}}
		    or die "$r->{at}: unknown kind $name\n";
		die "$r->{at}: '$needs' / '$bug' is not a feature name\n"
		    unless "$needs $bug" =~ /^\w+ \w+$/;
		die "$r->{at}: mode '$mode' is not UP, SMP or ANY\n"
		    unless $mode =~ /^(?:UP|SMP|ANY)$/;
		$form =~ s/^"(.*)"$/$1/
		    or die "$r->{at}: form $form is not a string\n";
		die "$r->{at}: $name has no form '$form'\n"
		    unless grep { $_->{name} eq $form } @{$k->{forms}};
		push @rules, { kind => $name, needs => $needs, bug => $bug,
		    mode => $mode, form => $form };
	}
	return $cache{$path} = { kinds => \%kinds, number => \%number,
	    nr => $nr + 0, rules => \@rules };
}

1;

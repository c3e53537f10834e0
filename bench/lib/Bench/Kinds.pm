package Bench::Kinds;
# The site kinds, from the catalogue include/asm/fixup-kinds.h: through
# scripts/lib/Fixup/Catalogue.pm where the tree has it, otherwise read
# here from the header's rows. (The reader here is a stand-in: it goes
# when Fixup::Catalogue is in the tree.)
#
#   kinds()            number => { number, name, min, max, shape
#                      ('FIXED', 'MODRM' or 'CALL'),
#                      forms => [ { name, reg, bytes => [...] }, ... ] },
#                      the compiled form first; a byte is a number, or
#                      the word JMP (the short jump's length)
#   kind_by_name(NAME) one of those, or undef
#   names()            the kind names, in number order
#   nr_kinds()         one more than the highest kind number
#   rules(NAME)        the kind's FIXUP_RULE rows, in order:
#                      [ { needs, bug, mode, form }, ... ]; needs and bug
#                      undef for NONE
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use File::Basename qw(dirname);
use Cwd qw(abs_path);

my $top = abs_path(dirname(__FILE__) . '/../../..');
my $header = "$top/include/asm/fixup-kinds.h";
my $catalogue = "$top/scripts/lib/Fixup/Catalogue.pm";

my ($kinds, $nr, $rules);

sub _byte { return $_[0] =~ /^0x[0-9a-f]+$/i ? hex $_[0] : $_[0] }

# The header's rows, one per line (as the header says they stay).
sub _read_header {
	my (%num, %k, %r);
	$nr = 0;
	open my $fh, '<', $header or die "run-bench: $header: $!\n";
	while (<$fh>) {
		$num{$1} = $2 if /^#define\s+FIXUP_KIND_(\w+)\s+(\d+)/;
		$nr = $1 if /^#define\s+FIXUP_NR_KINDS\s+(\d+)/;
		next unless /^FIXUP_(KIND|FIXED|MODRM|RULE)\(([^)]*)\)/;
		my ($row, @a) = ($1, map { s/^\s+|\s+$//gr =~ s/^"(.*)"$/$1/r }
				 split /,/, $2);
		if ($row eq 'KIND') {
			$k{$a[0]} = { name => $a[0], number => $num{$a[0]},
				      min => $a[1], max => $a[2],
				      shape => $a[3], forms => [] };
		} elsif ($row eq 'FIXED') {
			push @{$k{$a[0]}{forms}}, { name => $a[1], reg => undef,
				bytes => [map { _byte($_) } @a[2 .. $#a]] };
		} elsif ($row eq 'MODRM') {
			push @{$k{$a[0]}{forms}}, { name => $a[1], reg => $a[2],
				bytes => [map { _byte($_) } @a[3 .. $#a]] };
		} else {
			push @{$r{$a[0]}}, {
				needs => $a[1] eq 'NONE' ? undef : $a[1],
				bug => $a[2] eq 'NONE' ? undef : $a[2],
				mode => $a[3], form => $a[4] };
		}
	}
	close $fh;
	$rules = \%r;
	return { map { $_->{number} => $_ } values %k };
}

sub _load {
	return if $kinds;
	my $from_header = _read_header();
	if (-e $catalogue) {
		require lib;
		lib->import(dirname(dirname($catalogue)));
		require Fixup::Catalogue;
		$kinds = Fixup::Catalogue::kinds();
		$nr = Fixup::Catalogue::nr_kinds();
		for my $k (values %$kinds) {
			$_->{bytes} = [map { _byte($_) } @{$_->{bytes}}]
				for @{$k->{forms}};
		}
	} else {
		$kinds = $from_header;
	}
}

sub kinds { _load(); return $kinds }
sub nr_kinds { _load(); return $nr }

sub kind_by_name {
	my ($name) = @_;
	_load();
	my ($k) = grep { $_->{name} eq $name } values %$kinds;
	return $k;
}

sub names {
	_load();
	return map { $kinds->{$_}{name} } sort { $a <=> $b } keys %$kinds;
}

# Fixup::Catalogue as specified has no rules: they come from the header.
sub rules {
	my ($name) = @_;
	_load();
	return @{$rules->{$name} // []};
}

1;

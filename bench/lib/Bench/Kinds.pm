package Bench::Kinds;
# The site kinds as the bench uses them, from the catalogue
# include/asm/fixup-kinds.h through scripts/lib/Fixup/Catalogue.pm:
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
use lib abs_path(dirname(__FILE__) . '/../../../scripts/lib');
use Fixup::Catalogue;

sub kinds { return Fixup::Catalogue::kinds() }
sub nr_kinds { return Fixup::Catalogue::nr_kinds() }
sub kind_by_name { return Fixup::Catalogue::kind_by_name($_[0]) }

sub names {
	my $k = kinds();
	return map { $k->{$_}{name} } sort { $a <=> $b } keys %$k;
}

sub rules {
	my ($name) = @_;
	return map { { needs => $_->{needs} eq 'NONE' ? undef : $_->{needs},
		       bug => $_->{bug} eq 'NONE' ? undef : $_->{bug},
		       mode => $_->{mode}, form => $_->{form} } }
		grep { $_->{kind} eq $name } Fixup::Catalogue::rules();
}

1;

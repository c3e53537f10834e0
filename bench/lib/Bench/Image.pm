package Bench::Image;
# Reading vmlinux: its symbols, its .text size, the bytes at an address,
# and the records of its .fixup_sites table (through Fixup::Image).
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use File::Basename qw(dirname);
use Cwd qw(abs_path);
use lib abs_path(dirname(__FILE__) . '/../../../scripts/lib');
use Fixup::Image;

# name -> [ { addr, size, type }, ... ], from Fixup::Image::symbols().
sub symbols {
	my ($file) = @_;
	my %s;
	push @{$s{$_->{name}}}, { addr => $_->{addr}, size => $_->{size},
				  type => $_->{type} }
		for Fixup::Image::symbols($file);
	return \%s;
}

sub text_size {
	my ($file) = @_;
	my ($t) = qx{size -A $file} =~ /^\.text\s+(\d+)/m;
	return $t;
}

# A function (addr, n) -> the n bytes of the image at addr, or undef.
sub reader {
	my ($file) = @_;
	return sub { Fixup::Image::bytes($file, @_) };
}

# The records of the table, in table order: [ { addr (of the site),
# kind (its number), len, rec }, ... ], read by the tools' one reader.
sub records { return Fixup::Image::records($_[0]) }

1;

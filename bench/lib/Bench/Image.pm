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

# nm -S: name -> [ { addr, size, type }, ... ]
sub symbols {
	my ($file) = @_;
	my %s;
	for (split /\n/, qx{nm -S $file}) {
		my @f = split;
		next unless @f >= 3;
		my ($addr, $size, $type, $name) =
			@f == 4 ? @f : ($f[0], undef, $f[1], $f[2]);
		push @{$s{$name}}, { addr => hex $addr,
				     size => defined $size ? hex $size : 0,
				     type => $type };
	}
	return \%s;
}

sub text_size {
	my ($file) = @_;
	my ($t) = qx{size -A $file} =~ /^\.text\s+(\d+)/m;
	return $t;
}

# A function (addr, n) -> the n bytes of the image at addr, or undef,
# through the section headers.
sub reader {
	my ($file) = @_;
	my @secs;
	for (split /\n/, qx{readelf -S -W $file}) {
		next unless /^\s*\[\s*\d+\]\s+(\S+)\s+PROGBITS
			     \s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)/x;
		push @secs, [hex $2, hex $3, hex $4];
	}
	open my $fh, '<:raw', $file or die "run-bench: $file: $!\n";
	return sub {
		my ($addr, $n) = @_;
		for (@secs) {
			my ($base, $off, $size) = @$_;
			next unless $addr >= $base &&
				$addr + $n <= $base + $size;
			sysseek($fh, $off + $addr - $base, 0);
			sysread($fh, my $buf, $n) == $n or return undef;
			return $buf;
		}
		return undef;
	};
}

# The records of the table, in table order: [ { addr (of the site),
# kind (its number), len, rec }, ... ], read by the tools' one reader.
sub records { return Fixup::Image::records($_[0]) }

1;

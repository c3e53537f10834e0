package Bench::Util;
# One run of "make bench": its options, its build directory, what the
# host parts found (bits, flags, CPU) and the results so far; and the
# few helpers every part uses. Every Bench::* part takes this object.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use Exporter 'import';

our @EXPORT_OK = qw(slurp spew median shell_quote);

# new(opt => \%options, dir => BUILD_DIR, top => TOP_OF_TREE)
sub new {
	my ($class, %args) = @_;
	return bless { %args, rows => [], val => {}, notes => [] }, $class;
}

sub opt { return $_[0]{opt}{$_[1]} }
sub dir { return $_[0]{dir} }
sub top { return $_[0]{top} }
sub bits { return $_[0]{bits} }

# One measurement: section, item, variant, value, unit (a CSV row).
sub row {
	my ($bench, $sec, $item, $var, $v, $unit) = @_;
	push @{$bench->{rows}}, [$sec, $item, $var, $v, $unit];
	$bench->{val}{"$sec,$item,$var"} = $v;
}

# The value of "section,item,variant", or undef.
sub val { return $_[0]{val}{$_[1]} }
sub rows { return @{$_[0]{rows}} }

# A line for the notes under the table.
sub note {
	my $bench = shift;
	push @{$bench->{notes}}, join('', @_);
}
sub notes { return @{$_[0]{notes}} }

# "  CC      file", as make prints it (unless -v shows the command).
sub step {
	my ($bench, $what, $file) = @_;
	printf "  %-7s %s\n", $what, $file unless $bench->opt('verbose');
}

# Run a command; its output, or die with it on failure.
sub run {
	my ($bench, $what, $file, @cmd) = @_;
	$bench->step($what, $file);
	print join(' ', @cmd), "\n" if $bench->opt('verbose');
	my $out = qx{@{[join ' ', map { shell_quote($_) } @cmd]} 2>&1};
	if ($?) {
		print STDERR $out;
		die "run-bench: failed: @cmd\n";
	}
	return $out;
}

sub shell_quote {
	my ($s) = @_;
	return $s if $s =~ m{^[-\w./=,:+%]+$};
	$s =~ s/'/'\\''/g;
	return "'$s'";
}

sub slurp {
	my ($f) = @_;
	open my $fh, '<', $f or die "run-bench: $f: $!\n";
	local $/;
	return <$fh>;
}

sub spew {
	my ($f, $s) = @_;
	open my $fh, '>', $f or die "run-bench: $f: $!\n";
	print $fh $s;
	close $fh or die "run-bench: $f: $!\n";
}

sub median {
	my @s = sort { $a <=> $b } @_;
	return undef unless @s;
	return @s % 2 ? $s[$#s / 2] : ($s[@s / 2 - 1] + $s[@s / 2]) / 2;
}

1;

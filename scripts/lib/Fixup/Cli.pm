package Fixup::Cli;
# SPDX-License-Identifier: GPL-2.0
#
# What every fixup tool does the same way: its name in messages, usage
# errors and the manual, fatal errors.

use strict;
use warnings;
use File::Basename qw(basename);
use Exporter 'import';

our @EXPORT_OK = qw(usage fatal prog);

=head1 NAME

Fixup::Cli - messages, usage and exit statuses of the fixup tools

=head1 SYNOPSIS

  use Fixup::Cli qw(usage fatal);

  GetOptions('h|help' => sub { usage(0) }) or usage(2);
  usage(2, 'give one image') if @ARGV != 1;
  open(my $fh, '<', $f) or fatal("$f: $!");

=head1 DESCRIPTION

Every message starts with the program's name, C<PROG: message>: the
script's file name without F<.pl> (C<fixup-sites>, C<fixup-verify>,
C<fixup-report>), or what C<$Fixup::Cli::PROG> is set to.

=over 4

=item usage(STATUS, [MESSAGE])

Exit with STATUS after printing the manual: the whole of the script's POD
when STATUS is 0 (B<--help>, on standard output), else the SYNOPSIS, after
C<PROG: MESSAGE> if MESSAGE is given (on standard error). The tools use
status 2 for a usage error. Pod::Usage is loaded only then.

=item fatal(MESSAGE)

Print C<PROG: MESSAGE> on standard error and exit with status 1: I/O
errors, a tool that failed, input that cannot be read.

=item prog()

The name used.

=back

=cut

our $PROG;

sub prog {
	return $PROG //= basename($0) =~ s/\.pl$//r;
}

sub fatal {
	my ($msg) = @_;
	$msg =~ s/\n+$//;
	print STDERR prog() . ": $msg\n";
	exit 1;
}

sub usage {
	my ($status, $msg) = @_;
	require Pod::Usage;
	Pod::Usage::pod2usage(-exitval => $status, -noperldoc => 1,
	    -verbose => $status ? 0 : 2, -input => $0,
	    defined $msg ? (-message => prog() . ": $msg") : ());
}

1;

package Fixup386::Proof;
# Runs scripts/proof --tap with the given arguments and reports each part
# as one test, with the goals or alarms scripts/proof printed for it in
# the test's diag, then one test that its exit status was 0 and its TAP
# well formed. tests/prove.t and tests/prove-loop.t share it, so make
# check can run the proof's parts on both cores.
use strict;
use warnings;
use Exporter 'import';
use Test::More;
use TAP::Parser;

our @EXPORT_OK = qw(prove_parts);

sub prove_parts {
	my @args = @_;
	my $parser = TAP::Parser->new({ exec => ['scripts/proof', '--tap',
						 @args] });
	# scripts/proof prints a part's line, then the goals or alarms
	# behind it: each part is reported when the next begins, with
	# those in its diag
	my ($part, @before);
	my $report = sub {
		my ($ok, $what, @said) = @{$part // return};
		ok($ok, $what) or diag(@said);
	};
	while (my $r = $parser->next) {
		if ($r->is_test) {
			$report->();
			$part = [$r->is_ok, $r->description =~ s/^- //r];
		} elsif (($r->is_comment || $r->is_unknown) &&
			 $r->as_string ne '') {
			push @{$part // \@before},
			     $r->as_string =~ s/^#\s?//r . "\n";
		}
	}
	$report->();
	ok($parser->exit == 0 && !$parser->parse_errors,
	   "scripts/proof @args: exit status 0, its TAP well formed")
		or diag(@before, map { "$_\n" } $parser->parse_errors);
}

1;

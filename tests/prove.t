#!/usr/bin/perl
# The proof of the patcher (Documentation/proof.md): every part that
# scripts/proof runs by default passes, one test each with its goal
# counts. tests/prove-breaks.t shows it failing on deliberate breaks.
use strict;
use warnings;
use Test::More;
use TAP::Parser;

my $parser = TAP::Parser->new({ exec => ['scripts/proof', '--tap'] });
my @said;
while (my $r = $parser->next) {
	if ($r->is_test) {
		ok($r->is_ok, $r->description =~ s/^- //r) or diag(@said);
		@said = ();
	} elsif ($r->is_comment) {
		push @said, $r->as_string =~ s/^#\s?//r . "\n";
	} elsif ($r->is_unknown && $r->as_string ne '') {
		push @said, $r->as_string . "\n";
	}
}
ok($parser->exit == 0 && !$parser->parse_errors,
   'scripts/proof: exit status 0, its TAP well formed')
	or diag(@said, map { "$_\n" } $parser->parse_errors);

done_testing();

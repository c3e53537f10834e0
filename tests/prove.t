#!/usr/bin/perl
# The proof of the patcher (Documentation/proof.md): every part that
# scripts/proof runs by default passes, one test each with its goal
# counts. tests/prove-breaks.t shows it failing on deliberate breaks.
use strict;
use warnings;
use Test::More;
use TAP::Parser;

my $parser = TAP::Parser->new({ exec => ['scripts/proof', '--tap'] });
# scripts/proof prints a part's line, then the goals or alarms behind
# it: each part is reported when the next begins, with those in its diag
my ($part, @before);
sub report {
	my ($ok, $what, @said) = @{$part // return};
	ok($ok, $what) or diag(@said);
}
while (my $r = $parser->next) {
	if ($r->is_test) {
		report();
		$part = [$r->is_ok, $r->description =~ s/^- //r];
	} elsif (($r->is_comment || $r->is_unknown) && $r->as_string ne '') {
		push @{$part // \@before}, $r->as_string =~ s/^#\s?//r . "\n";
	}
}
report();
ok($parser->exit == 0 && !$parser->parse_errors,
   'scripts/proof: exit status 0, its TAP well formed')
	or diag(@before, map { "$_\n" } $parser->parse_errors);

done_testing();

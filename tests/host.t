#!/usr/bin/perl
# Runs every host unit test program (build/host/test_*, built by
# "make host-tests" from tests/host/*.c) and folds its TAP into one
# subtest per program. A program that crashes, exits non-zero, or prints
# fewer results than its plan fails its subtest.
use strict;
use warnings;
use Test::More;
use TAP::Parser;

my @srcs = sort glob 'tests/host/test_*.c';
my @bins = map { s{^tests/host/(.*)\.c$}{build/host/$1}r } @srcs;
ok(!grep({ !-x } @bins), 'every tests/host/test_*.c is built')
	or diag('run "make host-tests"');
@bins = grep { -x } @bins;

for my $bin (@bins) {
	(my $name = $bin) =~ s{.*/}{};
	subtest $name => sub {
		my $parser = TAP::Parser->new({ exec => [$bin] });
		while (my $r = $parser->next) {
			if ($r->is_test) {
				ok($r->is_ok, $r->description)
					or diag("from $bin");
			} elsif ($r->is_comment) {
				note($r->as_string);
			}
		}
		is($parser->exit, 0, "$name exits 0");
		ok($parser->plan, "$name prints a plan");
		is($parser->tests_run, $parser->tests_planned // -1,
		   "$name ran what it planned");
	};
}
done_testing();

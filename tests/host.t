#!/usr/bin/perl
# Runs every host unit test program (build/host/test_*, built by
# "make host-tests" from tests/host/*.c) and folds its TAP into one
# subtest per program. A program that crashes, exits non-zero, or prints
# fewer results than its plan fails its subtest. The programs are built
# first, as make check does: a binary older than its sources would test
# code that is no longer there, and one that no longer compiles would
# pass on its last build.
use strict;
use warnings;
use Test::More;
use TAP::Parser;

my $make = `make -s host-tests 2>&1`;
ok($? == 0, 'make host-tests: every host test builds from its sources')
	or diag($make);
system('make -q host-tests >/dev/null 2>&1');
ok($? == 0, 'make -q host-tests: no binary older than its sources');

my @srcs = sort glob 'tests/host/test_*.c';
my @bins = map { s{^tests/host/(.*)\.c$}{build/host/$1}r } @srcs;
ok(!grep({ !-x } @bins), 'every tests/host/test_*.c is built')
	or diag('run "make host-tests"');
@bins = grep { -x } @bins;

for my $bin (@bins) {
	(my $name = $bin) =~ s{.*/}{};
	subtest $name => sub {
		my $parser = TAP::Parser->new({ exec => [$bin] });
		my @said;	# the program's comments since its last test
		while (my $r = $parser->next) {
			if ($r->is_test) {
				ok($r->is_ok, $r->description)
					or diag(map({ "$_\n" } @said), "from $bin");
				@said = ();
			} elsif ($r->is_comment) {
				note($r->as_string);
				push @said, $r->as_string =~ s/^#\s?//r;
			}
		}
		is($parser->exit, 0, "$name exits 0");
		ok($parser->plan, "$name prints a plan");
		is($parser->tests_run, $parser->tests_planned // -1,
		   "$name ran what it planned");
	};
}
done_testing();

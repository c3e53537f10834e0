#!/usr/bin/perl
# The proof of the records' loop, walk() and step() (Documentation/proof.md,
# wp-loop): a part of its own so that make check runs it on one core while
# tests/prove.t runs the other parts on the other.
use strict;
use warnings;
use Test::More;
use lib 'tests/lib';
use Fixup386::Proof qw(prove_parts);

prove_parts('wp-loop');
done_testing();

#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz.t: builds every libFuzzer target (tests/fuzz/fuzz_*.c, with
# "make fuzz-build") and runs each briefly: FUZZ_RUNS executions (100000)
# or FUZZ_SECS seconds (8), whichever comes first, from its seed corpus
# tests/fuzz/corpus/NAME into a fresh one; one input running longer than
# FUZZ_TIMEOUT seconds (10) is a hang. With five targets that is about
# a minute on a loaded 2-core machine, the build included. It fails when
# libFuzzer reports anything, and when clang or its libFuzzer runtime is
# missing (scripts/ensure-tools installs them). "make fuzz" runs longer.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use File::Copy qw(copy);
use FindBin;

my $root = "$FindBin::Bin/..";
chdir $root or die "chdir $root: $!";
my $runs = $ENV{FUZZ_RUNS} // 100000;
my $secs = $ENV{FUZZ_SECS} // 8;
my $timeout = $ENV{FUZZ_TIMEOUT} // 10;
my $tmp = tempdir('fuzz.XXXXXX', TMPDIR => 1, CLEANUP => 1);

# clang must link a fuzz target: the compiler and libFuzzer's runtime.
my $probe = "$tmp/probe.c";
open(my $p, '>', $probe) or die "$probe: $!";
print $p "int LLVMFuzzerTestOneInput(const unsigned char *d, "
	. "unsigned long n) { (void)d; (void)n; return 0; }\n";
close($p);
my $have = system("clang -fsanitize=fuzzer,address,undefined -o "
		  . "$tmp/probe $probe >$tmp/probe.log 2>&1") == 0;
ok($have, 'clang links a libFuzzer target')
	or diag('clang or libFuzzer is missing: run scripts/ensure-tools as '
		. 'root (Debian: apt-get install clang libclang-rt-dev)');

my @names = map { m{tests/fuzz/(.*)\.c$} } sort glob 'tests/fuzz/fuzz_*.c';
ok(@names, 'there are fuzz targets in tests/fuzz/');
if (!$have) {
	done_testing();
	exit;
}
my $out = `make --no-print-directory fuzz-build 2>&1`;
is($?, 0, 'make fuzz-build') or diag($out);

for my $name (@names) {
	my $bin = "build/fuzz/$name";
	my $corpus = "$tmp/corpus-$name";
	my @seeds = -d "tests/fuzz/corpus/$name" ? ("tests/fuzz/corpus/$name") : ();
	mkdir $corpus or die "$corpus: $!";
	my $log = "$tmp/$name.log";
	my $st = system("$bin -runs=$runs -max_total_time=$secs "
			. "-timeout=$timeout "
			. "-print_final_stats=1 -artifact_prefix=$tmp/ "
			. "$corpus @seeds >$log 2>&1");
	my $exit = $st == -1 ? -1 : $st >> 8;
	open(my $l, '<', $log) or die "$log: $!";
	my @log = <$l>;
	close($l);
	my ($done) = map { /^Done (\d+) runs in (\d+) second/ ? [$1, $2] : () } @log;
	my ($rate) = map { /^stat::average_exec_per_sec:\s*(\d+)/ } @log;
	my @found = grep { /^==\d+==\s*ERROR|^SUMMARY:|^\Q$name\E: |runtime error/ } @log;

	is($exit, 0, "$name: libFuzzer exits 0");
	ok($done && $done->[0] > 0, "$name: done "
	   . ($done ? "$done->[0] runs in $done->[1] s"
	      . ($rate ? " ($rate/s)" : '') : 'no runs'));
	ok(!@found, "$name: nothing found");
	if ($exit || !$done || @found) {
		my @tail = grep { !/^#\d|^INFO:|^\s+NEW_FUNC|^    #\d/ } @log;
		diag(@tail > 40 ? @tail[-40 .. -1] : @tail);
		my ($crash) = map { /Test unit written to (\S+)/ ? $1 : () } @log;
		if ($crash) {
			mkdir 'build/fuzz';
			(my $keep = $crash) =~ s{.*/}{build/fuzz/$name-};
			copy($crash, $keep);
			diag("the input is kept: run it again with $bin $keep");
		}
	}
}
done_testing();

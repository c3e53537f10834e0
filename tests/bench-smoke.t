#!/usr/bin/perl
# "make bench" still builds and runs, and its CSV parses: bench/run-bench
# --quick in a scratch directory, then the columns, and a row for every
# primitive in every runtime variant, for the pass and for memory. No
# timing is checked here: numbers are for "make bench" to print.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);

my $dir = tempdir('bench-smoke-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $csv = "$dir/results.csv";

my $help = `$^X bench/run-bench --help 2>&1`;
is($?, 0, 'run-bench --help exits 0');
like($help, qr/SYNOPSIS/, 'run-bench --help prints the manual');
unlike($help, qr/use strict/, '... not the script');

# What the bench takes from the tree: the kernel's flags, and the kinds
# of the catalogue, every "#define FIXUP_KIND_*" in number order.
my $flags = `make -s print-cflags 2>&1`;
is($?, 0, 'make print-cflags exits 0');
like($flags, qr/^KBUILD_CFLAGS=.*-march=/m, '... prints KBUILD_CFLAGS');
like($flags, qr/^KBUILD_AFLAGS=.*-D__ASSEMBLER__/m, '... and KBUILD_AFLAGS');
{
	use lib 'bench/lib';
	require Bench::Kinds;
	open my $h, '<', 'include/asm/fixup-kinds.h' or die $!;
	my %n = map { /^#define\s+FIXUP_KIND_(\w+)\s+(\d+)/ ? ($2, $1) : () }
		<$h>;
	is_deeply([Bench::Kinds::names()], [map { $n{$_} } sort { $a <=> $b }
		  keys %n], 'Bench::Kinds: the kinds of the catalogue');
	my @noform = grep {
		my $k = Bench::Kinds::kind_by_name($_);
		$k->{shape} ne 'CALL' && !@{$k->{forms}};
	} Bench::Kinds::names();
	is_deeply(\@noform, [], '... each with its forms');
}

my @opts = ('--quick', '--no-qemu', '--no-kernels',
	    '--build-dir', "$dir/build", '--out', $csv);
push @opts, '--no-callgrind'
	if system('command -v valgrind >/dev/null 2>&1') != 0;
my $log = `$^X bench/run-bench @opts 2>&1`;
is($?, 0, 'run-bench --quick exits 0') or diag($log);
ok(-s $csv, 'it writes the CSV') or BAIL_OUT('no CSV');
like((split /\n/, $log)[0], qr/^run-bench: harness: (i386|x86-64) code \(.+\)$/,
     'its first line says which harness runs, and why');

open my $fh, '<', $csv or die "$csv: $!";
chomp(my @lines = <$fh>);
close $fh;
is(shift @lines, 'section,item,variant,value,unit', 'CSV header');
my (%v, @bad);
for (@lines) {
	my @f = split /,/, $_, -1;
	push @bad, $_ unless @f == 5 && $f[3] =~ /^-?\d+(\.\d+)?$/ &&
		length $f[0] && length $f[1] && length $f[2] && length $f[4];
	$v{"$f[0],$f[1],$f[2]"} = $f[3] if @f == 5;
}
is_deeply(\@bad, [], 'every row: five fields, a number in the fourth');

my @variants = qw(unpatched patched-up patched-smp compile-up compile-smp);
my @prims = qw(loop atomic_inc atomic_dec_and_test atomic_add_return
	atomic_cmpxchg set_bit test_and_set_bit spin_lock_unlock
	spin_trylock_unlock mb rmb wmb smp_mb smp_rmb smp_wmb prefetch
	prefetchw copy_page clear_page);
for my $p (@prims) {
	my @missing = grep { !defined $v{"runtime,$p,$_"} } @variants;
	is_deeply(\@missing, [], "runtime,$p: every variant");
	next if $p eq 'loop';
	# a ratio needs a denominator above 0, which --quick may not give
	for (qw(patched-up/compile-up patched-smp/compile-smp
		unpatched/patched-up)) {
		my ($a, $b) = split m{/};
		next unless ($v{"runtime,$p,$b"} // 0) > 0;
		ok(defined $v{"runtime,$p,$_"}, "runtime,$p,$_");
	}
}
# throughput beside latency, the barrier forms, the workload
for my $p (qw(atomic_inc atomic_dec_and_test atomic_add_return atomic_cmpxchg
	      set_bit test_and_set_bit spin_lock_unlock spin_trylock_unlock
	      prefetch prefetchw), (map { "lockadd_$_" } qw(sp_load m4_load
	      sp_ret m4_ret)), 'workload') {
	my $op = $p =~ /^(lockadd_|workload)/ ? $p : "${p}_tp";
	my @missing = grep { !defined $v{"runtime,$op,$_"} ||
			     !defined $v{"spread,$op,$_"} } @variants;
	is_deeply(\@missing, [], "runtime,$op: every variant, with its spread");
	ok($v{"rounds,$op,all"}, "rounds,$op: how many rounds it had");
}
# Indirect branches and returns (bench/branches.c), i386 harness only:
# the generic build calls the thunks, the compile-time builds do not;
# these rows and the workload run in the thunk variants too, whose pass
# gave the thunk sites the form of their spectre_v2=.
SKIP: {
	skip 'x86-64 harness: no branch rows', 23
		unless $log =~ /^run-bench: harness: i386/;
	my @all = (@variants, qw(patched-off linux-i386));
	for my $p (map { ($_, "${_}_tp") }
		   qw(indirect_call indirect_tail_jmp return), 'workload') {
		next if $p eq 'workload_tp';
		my @missing = grep { !defined $v{"runtime,$p,$_"} } @all;
		is_deeply(\@missing, [], "runtime,$p: every variant");
	}
	ok(defined $v{"runtime,workload,patched-off/compile-smp"},
	   'workload: patched-off / compile-smp');
	like(`nm $dir/build/generic/all.o`, qr/ T __x86_indirect_thunk_e/,
	     'the generic build has the thunks');
	unlike(`objdump -d $dir/build/compile_up/all.o`, qr/_thunk/,
	       'the compile-time build branches inline');
	my $out = do { local (@ARGV, $/) = "$dir/build/runtime.out"; <> };
	like($out, qr/^# patched-smp: spectre_v2: mode=\w+ reason=\S+$/m,
	     'patched-smp: the mode this CPU gets');
	like($out, qr/^# patched-off: spectre_v2: mode=none /m,
	     'patched-off: spectre_v2 mode=none');
	like($out, qr/^# linux-i386: spectre_v2: mode=retpoline /m,
	     'linux-i386: spectre_v2 mode=retpoline');
	for my $k (qw(THUNK_CALL THUNK_JMP RETURN)) {
		like($out, qr/^# patched-off: kind \Q$k\E sites=[1-9]\d* /m,
		     "patched-off: $k sites");
	}
	like($out, qr/^# patched-off: kind THUNK_CALL .*variant=inline$/m,
	     'patched-off: THUNK_CALL inline');
	like($out, qr/^# patched-off: kind THUNK_JMP .*variant=inline$/m,
	     'patched-off: THUNK_JMP inline');
	for my $c (qw(patched-up patched-smp patched-off linux-i386)) {
		like($out, qr/^# \Q$c\E: kind RETURN .*variant=ret$/m,
		     "$c: RETURN sites become ret");
	}
	like($out, qr/^# linux-i386: kind THUNK_CALL .*variant=thunk$/m,
	     'linux-i386: THUNK_CALL sites keep the thunk');
}
for my $c (@variants) {
	ok($v{"workload,requests_per_second,$c"},
	   "workload: requests per second, $c");
}
for my $c (qw(patched-up patched-smp)) {
	ok($v{"harness,sites,$c"}, "harness: $c has sites");
	is($v{"harness,rejected,$c"}, 0, "harness: $c rejected none");
}
for my $m (qw(up smp)) {
	is($v{"pass,serializations,$m"}, 1, "pass ($m): one serialization");
	ok(defined $v{"pass,host_cycles_per_site,$m"}, "pass ($m): cycles");
	SKIP: {
		skip 'no valgrind', 1 if grep { $_ eq '--no-callgrind' } @opts;
		ok(defined $v{"pass,instructions_per_site,$m"},
		   "pass ($m): instructions per site");
	}
}
# The pass's table of one kind (make bench's per-kind rows, which --quick
# leaves out): bench-pass must have a form of every kind of the catalogue.
for my $k (Bench::Kinds::names()) {
	my $out = `$dir/build/bench-pass --sites 40 --mode smp --kind $k 2>&1`;
	ok($? == 0 && $out =~ /^sites=40 .*rejected=0 /m,
	   "bench-pass --kind $k: 40 sites, none rejected") or diag($out);
}
SKIP: {
	skip 'no vmlinux', 3 unless -e 'vmlinux';
	ok($v{'memory,table_bytes_per_site,generic'}, 'memory: table bytes');
	ok(defined $v{'memory,resident_fixup_bytes,generic'},
	   'memory: resident bytes');
	ok($v{'memory,text,generic'}, 'memory: .text');
}
done_testing();

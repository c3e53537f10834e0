#!/usr/bin/perl
# What the fixup pass keeps for a CPU hot-add (Documentation/fixup-sites.md,
# "Kept for CPU hot-add"). With more CPUs possible than online
# (-smp 1,maxcpus=4) it keeps exactly the sites whose bytes differ
# between a one-CPU and a two-CPU boot of the same CPU model, read from
# the running machines' memory, each with its bytes of both forms, and
# says so; the re-patch code stays (its bytes are the image's) with the
# kept table, the region's pages after it are freed, and the in-kernel
# self-test re-patches to
# SMP and back, which must leave the text byte for byte as a one-CPU
# boot has it. With nothing possible beyond the online CPUs, or a mode
# not chosen by the count, nothing is kept: no kept line, the table and
# the re-patch region freed (the region reads 0xCC, the poison).
use strict;
use warnings;
use lib 'tests/lib', 'scripts/lib';
use Test::More;
use File::Temp qw(tempdir);
use Fixup386::Boot qw(boot boot_each check_boot ktap_results report_lines);
use Fixup386::Memory qw(boot_and_dump);

my %sym = map { /^([0-9a-f]+) \S+ (\S+)$/ ? ($2 => hex $1) : () }
	`nm vmlinux`;
my @need = qw(_text _etext __repatch_start __repatch_end __fixup_kept_start
	      __init_begin __init_end __fixup_sites_start __fixup_sites_end);
ok(!grep({ !defined $sym{$_} } @need), 'symbols from nm') or exit 1;
my ($text, $etext, $rs, $re) = @sym{qw(_text _etext __repatch_start
				       __repatch_end)};
my $table = $sym{__fixup_sites_end} - $sym{__fixup_sites_start};
my $init_k = ($sym{__init_end} - $sym{__init_begin}) / 1024;
my $repatch_k = ($re - $rs) / 1024;
my $code = $sym{__fixup_kept_start} - $rs;

my $tmp = tempdir(CLEANUP => 1);
system('objcopy', '-O', 'binary', '--only-section=.repatch.text', 'vmlinux',
       "$tmp/repatch.bin") == 0 or die 'objcopy failed';
my $repatch_image = do { local (@ARGV, $/) = ("$tmp/repatch.bin"); <> };
cmp_ok(length $repatch_image, '>', 100, 'the re-patch code from the image');

my @sites;
for (`scripts/fixup-report vmlinux`) {
	push @sites, { addr => hex $1, kind => $2, len => $3, where => $4 }
		if /^0x([0-9a-f]+)\s+(\w+)\s+(\d+)\s+(\S+)/
		   && hex $1 >= $text && hex $1 < $etext;
}
cmp_ok(scalar @sites, '>', 20, 'fixup-report lists the sites');

sub bytes_at {
	my ($mem, $s) = @_;
	return substr($mem, $s->{addr} - $text, $s->{len});
}

# Memory dumps of [_text, __repatch_end), two boots at a time.
my @models = ('Conroe', 'pentium3');
my @dump_cases = map {
	my $m = $_;
	map { { cpu => $m, smp => $_->[0], append => $_->[1], addr => $text,
		size => $re - $text } }
	    (['1', ''], ['2', ''], ['1,maxcpus=4', 'selftest'])
} @models;
my @dumps = boot_each(2, \&boot_and_dump, @dump_cases);

for my $i (0 .. $#models) {
	my ($up, $smp, $kept) = @dumps[3 * $i .. 3 * $i + 2];
	my $what = "-cpu $models[$i] -smp 1,maxcpus=4";
	ok(defined $up->{mem} && defined $smp->{mem} && defined $kept->{mem},
	   "$models[$i]: three boots dumped") or diag($kept->{log}), next;

	# The oracle: the sites a second CPU changes.
	my @differ = grep { bytes_at($up->{mem}, $_) ne bytes_at($smp->{mem}, $_) }
		@sites;
	my %kinds;
	$kinds{$_->{kind}}++ for @differ;
	ok($kinds{LOCK} && $kinds{CALL},
	   "$models[$i]: LOCK and CALL sites differ between 1 and 2 CPUs ("
	   . join(', ', map { "$_ $kinds{$_}" } sort keys %kinds) . ')');
	my $n = @differ;
	# a table's head (24 bytes), then per site its address (4), its
	# length (1) and its bytes for UP and for SMP
	my $bytes = 24;
	$bytes += 5 + 2 * $_->{len} for @differ;
	my @rep = report_lines($kept->{log});
	is_deeply([grep { /^fixup: kept / } @rep],
		  ["fixup: kept $bytes bytes for CPU hot-add ($n sites)"],
		  "$what: keeps the $n sites that differ, with both forms");
	my $res = $code + $bytes;
	is_deeply([grep { /^fixup: re-patch resident / } @rep],
		  ["fixup: re-patch resident bytes=$res code=$code kept=$bytes"],
		  "$what: re-patch resident: $res bytes");
	# what stays of the re-patch region: its pages up to the kept
	# table's end; the rest is freed with init
	my $stays = ($sym{__fixup_kept_start} + $bytes + 4095) & ~4095;
	my $freed_k = $init_k + ($re - $stays) / 1024;
	like($kept->{log},
	     qr/^\[[ \d.]+\] Freeing unused kernel memory: ${freed_k}k freed$/m,
	     "$what: the init region and the re-patch region after the kept "
	     . "table freed (${freed_k}k)");
	like(substr($kept->{mem}, $stays - $text), qr/^\xcc*$/,
	     "$what: the re-patch region after the kept table is poisoned, "
	     . 'freed');
	is(substr($kept->{mem}, $rs - $text, length $repatch_image),
	   $repatch_image, "$what: the re-patch code is in memory as built");
	like(substr($smp->{mem}, $rs - $text), qr/^\xcc+$/,
	     "-cpu $models[$i] -smp 2: the re-patch region is poisoned, freed");

	# The self-test's round trip: UP -> SMP -> UP, with one CPU.
	my $k = ktap_results($kept->{log});
	my ($t) = grep { $_->[2] eq 'fixup_repatch' } @{ $k ? $k->{results} : [] };
	ok($t && $t->[0] && !$t->[3], "$what: self-test fixup_repatch passes");
	# time_us is for people: not compared
	my @trip = ('fixup: mode: smp cpus=1 reason=selftest',
		    "fixup: repatched sites=$n patched=$n unchanged=0 rejected=0",
		    'fixup: mode: up cpus=1 reason=selftest',
		    "fixup: repatched sites=$n patched=$n unchanged=0 rejected=0");
	is_deeply([map { s/ time_us=\d+$//r }
		   grep { /^fixup: (mode:|repatched) / } @rep],
		  ['fixup: mode: up cpus=1 reason=auto', (@trip) x 16],
		  "$what: the re-patch lines, 16 round trips")
		or diag(join "\n", @rep);
	# (up the re-patch region freed, so up to it: it has no site)
	my @changed = grep { substr($kept->{mem}, $_, 1) ne
			     substr($up->{mem}, $_, 1) } 0 .. $rs - $text - 1;
	is(scalar @changed, 0,
	   "$what: after SMP and back the text is a one-CPU boot's")
		or diag(join ' ', map { sprintf '0x%08x', $text + $_ }
			@changed[0 .. ($#changed < 9 ? $#changed : 9)]);
	like($kept->{log}, qr/mm: write-protected kernel text and rodata: \d+k/,
	     "$what: text write-protected");
}

# Nothing kept: the boot is as it was before anything could be kept.
my @none = (
	['Conroe', '2,maxcpus=2', ''],
	['Conroe', '1,maxcpus=4', 'fixup=smp'],
	['Conroe', '1,maxcpus=4', 'fixup=up'],
	['Conroe', '1,maxcpus=4', 'nofixup'],
	['Conroe', '1,maxcpus=4', 'nohotplug'],
	['Conroe', '1,maxcpus=4', 'fixup_test_unsafe_up'],
	['486', '1,maxcpus=4', ''],		# no local APIC: one CPU
);
my @nr = boot_each(2, \&boot, map { { cpu => $_->[0],
	qemu_args => ['-smp', $_->[1]],
	append => "selftest poweroff $_->[2]" } } @none);
for my $i (0 .. $#none) {
	my ($cpu, $smp, $args) = @{ $none[$i] };
	my $what = "-cpu $cpu -smp $smp" . ($args ? " $args" : '');
	my $r = $nr[$i];
	check_boot($r, $what);
	my @rep = report_lines($r->{log});
	is_deeply([grep { /^fixup: (kept|re-patch|repatched)\b/ } @rep], [],
		  "$what: nothing kept");
	ok(grep({ $_ eq "fixup: freed table bytes=$table" } @rep),
	   "$what: the table freed ($table bytes)");
	my $k = $init_k + $repatch_k;
	like($r->{log}, qr/^\[[ \d.]+\] Freeing unused kernel memory: ${k}k freed$/m,
	     "$what: init and re-patch regions freed (${k}k)");
}

done_testing();

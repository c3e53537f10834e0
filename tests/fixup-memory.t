#!/usr/bin/perl
# What the patcher really wrote: boot the defconfig kernel, read its text
# from the running machine (QEMU monitor), and compare with the image:
# every recorded site (the image's records, Fixup::Image) holds the
# variant its CPU and mode call for (LOCK reads 3e with one CPU and f0
# with two, barriers stay locked adds on a 486 and a Pentium III, ...),
# and every byte of text outside the sites is exactly the image's.
use strict;
use warnings;
use lib 'tests/lib', 'scripts/lib';
use Test::More;
use Fixup386::Memory qw(boot_and_dump);
use Fixup386::Rules qw(parse_cpu_line);
use Fixup386::Text qw(kernel_text changed_outside);
use Fixup386::Sites qw(check_sites);
use Fixup::Image;

# The text and its sites, from the image (Fixup::Image).
my $t = kernel_text('vmlinux');
my ($text, $etext) = @$t{qw(text etext)};
my @text_sites = @{ $t->{sites} };
cmp_ok(scalar @text_sites, '>', 20, 'the image has sites in its text');
# The re-patch region is freed (poisoned) when nothing is kept, as in
# these boots: its sites (the returns of a kernel built with thunks) are
# tests/fixup-keep.t's.
my $v = Fixup::Image::symbol_values('vmlinux');
my ($rs, $re) = @$v{qw(__repatch_start __repatch_end)};
my @in_region = grep { $_->{addr} >= $rs && $_->{addr} < $re } @text_sites;
@text_sites = grep { $_->{addr} < $rs || $_->{addr} >= $re } @text_sites;

for my $m (['486', 1], ['486', 2], ['pentium3', 1], ['pentium3', 2],
	   ['athlon,-sse,-sse2', 1], ['Conroe', 1], ['Conroe', 2]) {
	my ($cpu, $smp) = @$m;
	my $what = "-cpu $cpu -smp $smp";
	my $r = boot_and_dump(cpu => $cpu, smp => $smp, append => '',
			      addr => $text, size => $etext - $text);
	ok(defined $r->{mem}, "$what: booted and dumped")
		or diag($r->{log}), next;
	my ($cpuline) = $r->{log} =~ /^\[[ \d.]+\] (fixup: cpu: .*)$/m;
	$cpuline //= '';
	my $c = parse_cpu_line($cpuline);
	ok($cpuline, "$what: cpu line") or next;
	my ($mode) = $r->{log} =~ /fixup: mode: (\w+) /;
	is($mode, $smp > 1 && $cpu ne '486' ? 'smp' : 'up',
	   "$what: mode (QEMU's 486 has no local APIC: one CPU)");
	ok($r->{log} !~ /fixup: re-patch resident/, "$what: nothing kept: "
	   . 'the ' . scalar(@in_region) . ' sites of the re-patch region '
	   . 'freed with it');
	my $r2 = check_sites(mem => $r->{mem}, base => $text,
			     sites => \@text_sites, cpu => $c,
			     smp => ($mode // '') eq 'smp');
	my %checked = %{ $r2->{checked} };
	delete $checked{CALL};
	is_deeply($r2->{bad}, [], "$what: every site holds its variant (" .
		  join(', ', map { "$_ $checked{$_}" } sort keys %checked) . ')');
	ok($checked{LOCK}, "$what: LOCK sites checked");

	my @changed = changed_outside($t, $r->{mem});
	is(scalar @changed, 0, "$what: no text byte outside the sites changed")
		or diag("@changed[0 .. ($#changed < 9 ? $#changed : 9)]");
}

done_testing();

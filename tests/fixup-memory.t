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
use Fixup386::Rules qw(parse_cpu_line expected_variants);
use Fixup386::Text qw(kernel_text site_hex changed_outside);
use Fixup::Catalogue;

# The bytes of every form: the catalogue (include/asm/fixup-kinds.h).
my %KIND = map { $_->{name} => $_ } values %{Fixup::Catalogue::kinds()};

# The text and its sites, from the image (Fixup::Image).
my $t = kernel_text('vmlinux');
my ($text, $etext) = @$t{qw(text etext)};
my @text_sites = @{ $t->{sites} };
cmp_ok(scalar @text_sites, '>', 20, 'the image has sites in its text');

my %NOP5 = (p6 => '0f 1f 44 00 00', old => '90 8d 74 26 00');
my %PAD2 = (p6 => '66 90', old => '89 f6');

# The leading bytes a site must hold for its variant (a form of its kind
# in the catalogue): a fixed form padded with the CPU's NOPs to the
# site's length, or the bytes in front of a ModRM operand, whose reg
# field is checked too where the form fixes it. Undef: no such form.
sub want_bytes {
	my ($s, $variant, $nops) = @_;
	my $k = $KIND{$s->{kind}} // return undef;
	my ($f) = grep { $_->{name} eq $variant } @{$k->{forms}};
	return undef unless $f;
	my @b = map { $_ eq 'JMP' ? $s->{len} - 2 : $_ } @{$f->{bytes}};
	my $want = join ' ', map { sprintf '%02x', $_ } @b;
	if ($k->{shape} eq 'FIXED') {
		my $pad = $s->{len} - @b;
		return $want if !$pad;
		my $nop = $pad == 5 ? $NOP5{$nops} : $pad == 2 ? $PAD2{$nops}
			: return undef;
		return $want eq '' ? $nop : "$want $nop";
	}
	return { head => $want, reg => $f->{reg} =~ /^\d$/ ? $f->{reg}
		: undef, at => scalar @b };
}

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
	my $want = expected_variants($c, ($mode // '') eq 'smp');
	my $nops = $c->{has}{nopl} ? 'p6' : 'old';

	my (@bad, %checked);
	for my $s (@text_sites) {
		my $off = $s->{addr} - $text;
		my $got = site_hex($t, $r->{mem}, $s);
		if ($s->{kind} eq 'CALL') {
			push @bad, "$s->{where} CALL: $got"
				unless $got =~ /^e8 / || $got eq $NOP5{$nops};
			next;
		}
		my $v = $want->{$s->{kind}} // ($s->{kind} eq 'MOVNTI' ?
			($c->{has}{sse2} ? 'movnti' : 'movl') : undef);
		my $w = want_bytes($s, $v, $nops) // '?';
		my $bytes = ref $w ? $w->{head} : $w;
		$checked{$s->{kind}}++;
		push @bad, "$s->{where} $s->{kind}: $got, want $bytes ($v)"
			unless index($got, $bytes) == 0;
		if (ref $w && defined $w->{reg}) {
			my $modrm = ord substr($r->{mem}, $off + $w->{at}, 1);
			push @bad, "$s->{where} $s->{kind}: $got, want reg field "
				. "/$w->{reg} ($v)" if (($modrm >> 3) & 7) != $w->{reg};
		}
	}
	is_deeply(\@bad, [], "$what: every site holds its variant (" .
		  join(', ', map { "$_ $checked{$_}" } sort keys %checked) . ')');
	ok($checked{LOCK}, "$what: LOCK sites checked");

	my @changed = changed_outside($t, $r->{mem});
	is(scalar @changed, 0, "$what: no text byte outside the sites changed")
		or diag("@changed[0 .. ($#changed < 9 ? $#changed : 9)]");
}

done_testing();

package Fixup::Baseline;
# SPDX-License-Identifier: GPL-2.0
#
# fixup-verify's second job: does the code outside the fixup sites run on
# the processor the generic image is built for (--march), and is every
# instruction that a site would replace inside one?

use strict;
use warnings;
use Fixup::Insn qw(%PREFIX_BYTE $LOCK_BYTE mnemonic);

=head1 NAME

Fixup::Baseline - the CPU baseline of the code outside the fixup sites

=head1 SYNOPSIS

  my $allow = Fixup::Baseline::read_allow(@files);  # dies on I/O errors
  push @errors, @{$allow->{errors}};
  push @errors, Fixup::Baseline::check(
      insns => \@insns, text => \@text, variant => \@variant,
      sites => \@good, march => 'i486', allow => $allow,
      function_of => $finder);        # [address, message] each
  my @warnings = Fixup::Baseline::unused($allow);

=head1 DESCRIPTION

Every instruction in the text ranges is checked:

=over 4

=item *

each lock prefix is the lock prefix of a recorded site (a site whose
C<locked> is true: LOCK, the barriers; or one of the C<lock_at> offsets
of its site: the flag-keeping barriers), unless its function is allowed
C<raw-lock>;

=item *

outside the sites and the CALL-variant text, there is no C<mfence>,
C<lfence>, C<sfence>, prefetch, C<movnt*> or C<maskmov*> (they are only
sites), and no instruction needs a feature the B<--march> CPU lacks,
unless its function is allowed C<baseline>.

=back

Functions are named through C<function_of> (see
L<Fixup::Image/function_finder>). C<cpuid> counts as 486 code: the
kernel probes for it with EFLAGS.ID first.

=head1 FUNCTIONS

=over 4

=item marches()

The known B<--march> CPUs, sorted.

=item is_march(MARCH)

True if MARCH is one of them.

=item features(MARCH)

What MARCH has beyond the 486: a list of feature names (C<tsc>, C<cmov>,
C<sse>, ...), empty for C<i486> (and an unknown CPU).

=item insn_feature(INSN)

The feature an instruction (a hash of L<Fixup::Image/disassemble>) needs
beyond the 486, or undef.

=item read_allow(FILES...)

Reads allow-lists, one entry a line, C<#> starting a comment:

  raw-lock SYMBOL   # reason
  baseline SYMBOL   # reason

Returns C<{ entries =E<gt> ..., errors =E<gt> [[undef, message]...] }>,
an entry without a reason or a line it cannot parse being an error
(C<FILE:LINE: message>). Dies if a file cannot be read.

=item check(insns, text, variant, sites, march, allow, function_of)

The errors, C<[address, message]> each.

=item unused(ALLOW)

Warnings, C<FILE:LINE: raw-lock SYMBOL: not needed ...>, for the entries
that allowed nothing in the last B<check>.

=back

=cut

# What each --march CPU has beyond the 486 instruction set.
my %MARCH;
{
	my @p5 = qw(tsc cx8 msr);
	my @p6 = (@p5, qw(cmov nopl pmc));
	my @p2 = (@p6, qw(mmx fxsr sep));
	my @p3 = (@p2, qw(sse mmxext));
	my @k6 = (@p5, qw(mmx 3dnow syscall));
	%MARCH = (
		'i486' => [],
		'pentium' => [@p5],
		'pentium-mmx' => [@p5, qw(mmx pmc)],
		'pentiumpro' => [@p6],
		'pentium2' => [@p2],
		'pentium3' => [@p3],
		'pentium4' => [@p3, qw(sse2)],
		'k6-2' => [@k6],
		'athlon' => [@k6, qw(cmov nopl pmc mmxext 3dnowext)],
	);
}

# Mnemonic (objdump, AT&T) => feature it needs. Operand-dependent cases
# (MMX/SSE registers, long NOPs) are in insn_feature().
my %NEEDS;
{
	my %by_feature = (
		tsc => [qw(rdtsc)],
		cx8 => [qw(cmpxchg8b)],
		msr => [qw(rdmsr wrmsr)],
		pmc => [qw(rdpmc)],
		cmov => [qw(fcomi fcomip fucomi fucomip)],
		fxsr => [qw(fxsave fxrstor)],
		sep => [qw(sysenter sysexit)],
		syscall => [qw(syscall sysret)],
		mmx => [qw(emms)],
		sse => [qw(ldmxcsr stmxcsr)],
		mmxext => [qw(sfence prefetchnta prefetcht0 prefetcht1
		    prefetcht2 movntq maskmovq)],
		sse2 => [qw(mfence lfence clflush movnti movdq2q movq2dq
		    maskmovdqu)],
		'3dnow' => [qw(femms pavgusb pf2id pfacc pfadd pfcmpeq pfcmpge
		    pfcmpgt pfmax pfmin pfmul pfrcp pfrcpit1 pfrcpit2 pfrsqit1
		    pfrsqrt pfsub pfsubr pi2fd pmulhrw prefetch prefetchw)],
		'3dnowext' => [qw(pf2iw pfnacc pfpnacc pi2fw pswapd)],
		later => [qw(fisttp fisttps fisttpl fisttpll monitor mwait
		    addsubpd addsubps haddpd haddps hsubpd hsubps lddqu movddup
		    movshdup movsldup pshufb phaddw phaddd phaddsw phsubw phsubd
		    phsubsw pmaddubsw pmulhrsw psignb psignw psignd pabsb pabsw
		    pabsd palignr popcnt lzcnt tzcnt movbe crc32 rdrand rdseed
		    xgetbv xsetbv xsave xrstor xsaveopt rdtscp clflushopt clwb
		    andn bextr blsi blsmsk blsr bzhi mulx pdep pext rorx sarx
		    shlx shrx adcx adox prefetchwt1 ptest pblendw blendps
		    blendpd pmulld pminsd pmaxsd pextrb pextrd pinsrb pinsrd
		    roundps roundss roundpd roundsd movntdqa rdpid)],
	);
	for my $f (keys %by_feature) {
		$NEEDS{$_} = $f for @{$by_feature{$f}};
	}
}


# MMX-register forms that are really MMX-ext (SSE integer) or SSE2.
my %MMXEXT_MM = map { $_ => 1 } qw(pavgb pavgw pextrw pinsrw pmaxsw pmaxub
	pminsw pminub pmovmskb pmulhuw psadbw pshufw);
my %SSE2_MM = map { $_ => 1 } qw(paddq psubq pmuludq);
# XMM forms that SSE (not SSE2) has: the single-precision ones.
my %SSE_XMM = map { $_ => 1 } qw(addps addss andnps andps cmpps cmpss comiss
	cvtpi2ps cvtps2pi cvtsi2ss cvtsi2ssl cvtss2si cvttps2pi cvttss2si divps
	divss maxps maxss minps minss movaps movhlps movhps movlhps movlps
	movmskps movntps movss movups mulps mulss orps rcpps rcpss rsqrtps
	rsqrtss shufps sqrtps sqrtss subps subss ucomiss unpckhps unpcklps
	xorps);

# The instructions a site replaces, which must not appear unrecorded.
my $SITE_INSN = qr/^(?:[mls]fence|prefetch\w*|movnt\w*|maskmov\w*)$/;


sub marches { return sort keys %MARCH; }

sub is_march { return exists $MARCH{$_[0]}; }

sub features {
	my ($m) = @_;
	return $MARCH{$m} ? @{$MARCH{$m}} : ();
}

sub read_allow {
	my (@files) = @_;
	my (%a, @errors);
	for my $f (@files) {
		open(my $fh, '<', $f) or die "$f: $!\n";
		while (my $l = <$fh>) {
			chomp $l;
			next if $l =~ /^\s*(?:#.*)?$/;
			if ($l =~ /^\s*(raw-lock|baseline)\s+(\S+)\s*#\s*\S/) {
				$a{$1}{$2} = { where => "$f:$.", used => 0 };
			} elsif ($l =~ /^\s*(raw-lock|baseline)\s+\S+\s*$/) {
				push @errors, [undef, "$f:$.: no reason given "
				    . "(write '# why' after the symbol)"];
			} else {
				push @errors, [undef, "$f:$.: cannot parse "
				    . "'$l' (want raw-lock|baseline SYMBOL "
				    . '# reason)'];
			}
		}
		close($fh);
	}
	return { entries => \%a, errors => \@errors };
}

sub in_ranges {
	my ($addr, $len, $r) = @_;
	for (@$r) {
		return 1 if $addr >= $_->[0] && $addr + $len <= $_->[1];
	}
	return 0;
}

sub check {
	my (%a) = @_;
	my %have = map { $_ => 1 } features($a{march});
	my $allow = $a{allow}{entries};
	my $allowed = sub {
		my ($what, $addr) = @_;
		my $e = $allow->{$what}{$a{function_of}->($addr)->[0]}
		    or return 0;
		$e->{used}++;
		return 1;
	};
	my (%lock_site, %covered, @errors);
	for my $s (@{$a{sites}}) {
		$lock_site{$s->{addr}} = 1 if $s->{locked};
		$lock_site{$s->{addr} + $_} = 1 for @{$s->{lock_at} // []};
		$covered{$_} = 1 for $s->{addr} .. $s->{addr} + $s->{len} - 1;
	}
	for my $in (@{$a{insns}}) {
		my $ip = $in->{addr};
		next unless in_ranges($ip, $in->{len}, $a{text});
		my $in_variant = in_ranges($ip, $in->{len}, $a{variant});
		my $in_site = $covered{$ip} && $covered{$ip + $in->{len} - 1};

		my @b = @{$in->{bytes}};
		for (my $k = 0; $k < @b && $PREFIX_BYTE{$b[$k]}; $k++) {
			next if $b[$k] != $LOCK_BYTE || $lock_site{$ip + $k};
			next if $allowed->('raw-lock', $ip);
			push @errors, [$ip + $k, 'unrecorded lock prefix'
			    . " ($in->{text})"];
		}
		next if $in_site || $in_variant || $allowed->('baseline', $ip);

		my ($m) = mnemonic($in->{text});
		if ($m =~ $SITE_INSN) {
			push @errors, [$ip, "unrecorded $m"];
			next;
		}
		my $f = insn_feature($in);
		push @errors, [$ip, "$m needs $f, which --march $a{march} "
		    . 'lacks'] if $f && !$have{$f};
	}
	return @errors;
}

# The CPU feature an instruction needs beyond the 486, or undef.
sub insn_feature {
	my ($in) = @_;
	my ($m, $ops) = mnemonic($in->{text});
	my @b = @{$in->{bytes}};
	shift @b while @b && $PREFIX_BYTE{$b[0]};
	if (@b >= 2 && $b[0] == 0x0f) {	# hint NOPs: 0F 18 /4-7, 0F 19-1F
		return 'nopl' if $b[1] >= 0x19 && $b[1] <= 0x1f;
		return 'nopl' if $b[1] == 0x18 && defined $b[2]
		    && (($b[2] >> 3) & 7) >= 4;
	}
	return 'cmov' if $m =~ /^f?cmov/;
	(my $stem = $m) =~ s/[bwlq]$//;
	my $f = $NEEDS{$m} // $NEEDS{$stem};
	return 'avx' if $ops =~ /%[yz]mm/ || $m =~ /^v/ && $ops =~ /%xmm/;
	if ($ops =~ /%xmm/) {
		return $f if $f && $f eq 'later';
		return $SSE_XMM{$m} || $SSE_XMM{$stem} || $m =~
		    /^cmp(?:n?eq|n?lt|n?le|(?:un)?ord)[ps]s$/ ? 'sse' : 'sse2';
	}
	if ($ops =~ /%mm\d/) {
		return 'mmxext' if $MMXEXT_MM{$m};
		return 'sse2' if $SSE2_MM{$m};
		return $f // 'mmx';
	}
	return $f;
}

sub unused {
	my ($allow) = @_;
	my @w;
	my $a = $allow->{entries};
	for my $what (sort keys %$a) {
		for my $sym (sort keys %{$a->{$what}}) {
			my $e = $a->{$what}{$sym};
			push @w, "$e->{where}: $what $sym: not needed "
			    . '(no such function, or nothing to allow in it)'
			    unless $e->{used};
		}
	}
	return @w;
}

1;

package Fixup::Isa;
# SPDX-License-Identifier: GPL-2.0
#
# Which CPU introduced each instruction, as objdump spells it: the
# allow-list fixup-verify checks the baseline against.
#
# Sources: Intel SDM vol. 1 ch. 5 (the instruction set summary, by group:
# general purpose, x87, MMX, SSE, SSE2, SSE3, SSSE3, SSE4.1, SSE4.2, AES,
# PCLMULQDQ, SHA, GFNI) and vol. 3A ch. 22 ("Architecture Compatibility":
# new instructions of the Intel486, the Pentium and the P6 family); vol. 2
# for each SIMD instruction's CPUID flag, which tells its MMX-register form
# from its XMM form; AMD's "3DNow! Technology Manual" (21928) and APM
# vol. 3 appendix D (instruction subsets and CPUID feature flags) for
# 3DNow!, its extensions and AMD's MMX extensions.

use strict;
use warnings;
use Fixup::Insn qw(%PREFIX_BYTE %PREFIX_WORD);

=head1 NAME

Fixup::Isa - the CPU feature each i386 instruction needs, from the manuals

=head1 SYNOPSIS

  my $f = Fixup::Isa::feature($insn);   # '' (i486), 'tsc', 'sse4.1', ...
                                        # or undef: not in the table

=head1 DESCRIPTION

An allow-list: an instruction is known only if its mnemonic (as
B<objdump -d> prints it, AT&T syntax, its prefix words dropped) is in a
table below, tied to the feature that introduced it. The feature is the
empty string for the Intel486 instruction set (the 386's, the 387's and
the 486's C<bswap>, C<xadd>, C<cmpxchg>, C<invd>, C<wbinvd>, C<invlpg>),
else the name of a CPUID feature or generation: C<tsc>, C<cx8>, C<msr>,
C<cr4> (the Pentium's), C<cmov>, C<nopl>, C<pmc>, C<mmx>, C<fxsr>, C<sep>,
C<sse>, C<mmxext>, C<sse2>, C<3dnow>, C<3dnowext>, C<syscall>, and the
extensions above every B<--march> CPU (C<sse3>, C<ssse3>, C<sse4.1>,
C<sse4.2>, C<aes>, C<pclmul>, C<sha>, C<gfni>, C<popcnt>, C<movbe>, ...).

The feature is read from the encoding, not the mnemonic, where the
mnemonic does not tell: the hint NOP space C<0F 18>..C<0F 1F> (a long NOP
on a P6 and later, an invalid opcode on a 486 and a Pentium; Intel SDM
vol. 2B, NOP and PREFETCHh), the 3DNow! prefetches C<0F 0D>, and the
one-byte C<nop> (C<90>). A SIMD mnemonic's feature depends on its
registers: an operand C<%xmm> picks the XMM form (SSE or SSE2 and
later), C<%mm> the MMX form (MMX, MMX-ext, SSSE3), C<%ymm>/C<%zmm> is
AVX. objdump's C<(bad)> and C<.byte> are never known.

To add an instruction: put its mnemonic on the line of the feature that
introduced it, naming the manual section if it is not one of the above.

=head1 FUNCTIONS

=over 4

=item feature(INSN)

INSN a hash of L<Fixup::Image/disassemble> (C<bytes>, C<text>). The
feature, C<''> for i486, or undef for an instruction the table does not
know.

=item known_features()

Every feature name the table uses.

=back

=cut

# Condition codes (SDM vol. 1, appendix B).
my @CC = qw(o no b c nae ae nb nc e z ne nz be na a nbe s ns p pe np po l
	nge ge nl le ng g nle);

# General-purpose mnemonics objdump may print with a size suffix b/w/l.
my @I486_SIZED = qw(adc add and bound bsf bsr bt btc btr bts call cmp cmps
	cmpxchg dec div enter idiv imul in inc ins int iret jmp lar lcall ldt
	lea leave lgdt lidt ljmp lldt lmsw lods loop lret lsl ltr mov movs mul
	neg nop not or out outs pop popa popf push pusha pushf rcl rcr ret
	rol ror sal sar sbb scas sgdt shl shld shr shrd sidt sldt smsw stos
	str sub test verr verw xadd xchg xor);
my @I486_PLAIN = (qw(aaa aad aam aas arpl bswap cbtw cltd clc cld cli clts
	cmc cwtd cwtl daa das hlt int3 into invd invlpg jcxz jecxz lahf lds
	les lfs lgs loope loopne loopz loopnz lss movsbl movsbw movswl movzbl
	movzbw movzwl sahf stc std sti wait fwait wbinvd xlat cpuid pause ud2),
	map({ ("j$_", "set$_") } @CC));
# cpuid: late 486es have it, and the kernel probes EFLAGS.ID first.
# pause (F3 90): a plain rep nop before the Pentium 4 (SDM vol. 2B, PAUSE).
# ud2: its job is the invalid-opcode fault, which a 486 raises too.

# The 387 (an x87 part of every 486DX), with objdump's size suffixes.
my @X87 = qw(f2xm1 fabs fadd faddp fbld fbstp fchs fclex fnclex fcom fcomp
	fcompp fcos fdecstp fdiv fdivp fdivr fdivrp ffree fiadd ficom ficomp
	fidiv fidivr fild fimul fincstp finit fninit fist fistp fisub fisubr
	fld fld1 fldcw fldenv fldl2e fldl2t fldlg2 fldln2 fldpi fldz fmul
	fmulp fnop fpatan fprem fprem1 fptan frndint frstor fsave fnsave
	fscale fsin fsincos fsqrt fst fstcw fnstcw fstenv fnstenv fstp fstsw
	fnstsw fsub fsubp fsubr fsubrp ftst fucom fucomp fucompp fxam fxch
	fxtract fyl2x fyl2xp1);

my $MMX_OPS = 'packssdw packsswb packuswb paddb paddw paddd paddsb paddsw
	paddusb paddusw pand pandn pcmpeqb pcmpeqw pcmpeqd pcmpgtb pcmpgtw
	pcmpgtd pmaddwd pmulhw pmullw por psllw pslld psllq psraw psrad psrlw
	psrld psrlq psubb psubw psubd psubsb psubsw psubusb psubusw punpckhbw
	punpckhwd punpckhdq punpcklbw punpcklwd punpckldq pxor movd movq';
my $MMXEXT_OPS = 'pavgb pavgw pextrw pinsrw pmaxsw pmaxub pminsw pminub
	pmovmskb pmulhuw psadbw';
my $SSE_PS = 'addps addss andnps andps cmpps cmpss comiss cvtpi2ps cvtps2pi
	cvtsi2ss cvtsi2ssl cvtss2si cvttps2pi cvttss2si divps divss maxps
	maxss minps minss movaps movhlps movhps movlhps movlps movmskps
	movntps movss movups mulps mulss orps rcpps rcpss rsqrtps rsqrtss
	shufps sqrtps sqrtss subps subss ucomiss unpckhps unpcklps xorps';
my $SSE2_PD = 'addpd addsd andnpd andpd cmppd cmpsd comisd cvtdq2pd cvtdq2ps
	cvtpd2dq cvtpd2pi cvtpd2ps cvtpi2pd cvtps2dq cvtps2pd cvtsd2si
	cvtsd2ss cvtsi2sd cvtsi2sdl cvtss2sd cvttpd2dq cvttpd2pi cvttps2dq
	cvttsd2si divpd divsd maxpd maxsd minpd minsd movapd movhpd movlpd
	movmskpd movntpd movsd movupd mulpd mulsd orpd shufpd sqrtpd sqrtsd
	subpd subsd ucomisd unpckhpd unpcklpd xorpd';
my $SSE2_INT = 'pshufd pshufhw pshuflw punpckhqdq punpcklqdq pslldq psrldq
	paddq psubq pmuludq movdqa movdqu movntdq maskmovdqu movdq2q movq2dq';
my $SSSE3 = 'pshufb phaddw phaddd phaddsw phsubw phsubd phsubsw pmaddubsw
	pmulhrsw psignb psignw psignd pabsb pabsw pabsd palignr';

# cmpps's predicates as objdump writes them: cmpeqps, cmpnltsd, ...
sub cmp_forms {
	my ($suffixes) = @_;
	return map { my $s = $_; map { "cmp$_$s" } qw(eq lt le unord neq nlt
	    nle ord) } split ' ', $suffixes;
}

# feature => mnemonics; 'NAME/mm' and 'NAME/xmm' are a mnemonic's MMX
# and XMM forms, 'NAME' the form without either register.
my %TABLE = (
	'' => [(map { ($_, "${_}b", "${_}w", "${_}l") } @I486_SIZED),
	    @I486_PLAIN,
	    map { ($_, "${_}s", "${_}l", "${_}t", "${_}ll") } @X87],
	# SDM vol. 3A, 22.13: the Pentium's new instructions.
	tsc => [qw(rdtsc)],
	cx8 => [qw(cmpxchg8b)],
	msr => [qw(rdmsr wrmsr)],
	# The P6 family's (same section); fcomi & co. are under CPUID.CMOV.
	cmov => [(map { "cmov$_" } @CC),
	    (map { ("cmov${_}w", "cmov${_}l") } @CC),
	    qw(fcmovb fcmove fcmovbe fcmovu fcmovnb fcmovne fcmovnbe fcmovnu
	    fcomi fcomip fucomi fucomip)],
	pmc => [qw(rdpmc)],
	mmx => [qw(emms), map { "$_/mm" } split ' ', $MMX_OPS],
	fxsr => [qw(fxsave fxrstor)],
	sep => [qw(sysenter sysexit)],
	syscall => [qw(syscall sysret sysretl)],
	sse => [qw(ldmxcsr stmxcsr), (map { "$_/xmm" } split(' ', $SSE_PS),
	    cmp_forms('ps ss'))],
	# SSE's integer MMX forms, also AMD's MMX extensions (APM vol. 3, D).
	mmxext => [qw(sfence prefetchnta prefetcht0 prefetcht1 prefetcht2
	    movntq maskmovq pshufw), map { "$_/mm" } split ' ', $MMXEXT_OPS],
	sse2 => [qw(mfence lfence clflush movnti),
	    (map { "$_/xmm" } split(' ', "$MMX_OPS $MMXEXT_OPS $SSE2_PD "
	    . $SSE2_INT), cmp_forms('pd sd')),
	    map { "$_/mm" } qw(paddq psubq pmuludq movdq2q movq2dq)],
	'3dnow' => [qw(femms pavgusb pf2id pfacc pfadd pfcmpeq pfcmpge pfcmpgt
	    pfmax pfmin pfmul pfrcp pfrcpit1 pfrcpit2 pfrsqit1 pfrsqrt pfsub
	    pfsubr pi2fd pmulhrw prefetch prefetchw)],
	'3dnowext' => [qw(pf2iw pfnacc pfpnacc pi2fw pswapd)],
	# Above every --march CPU: known, so that the message names them.
	sse3 => [qw(fisttp fisttps fisttpl fisttpll monitor mwait addsubpd
	    addsubps haddpd haddps hsubpd hsubps lddqu movddup movshdup
	    movsldup)],
	ssse3 => [map { ("$_/mm", "$_/xmm") } split ' ', $SSSE3],
	'sse4.1' => [qw(blendpd blendps blendvpd blendvps dppd dpps extractps
	    insertps movntdqa mpsadbw packusdw pblendvb pblendw pcmpeqq pextrb
	    pextrd phminposuw pinsrb pinsrd pmaxsb pmaxsd pmaxud pmaxuw pminsb
	    pminsd pminud pminuw pmovsxbw pmovsxbd pmovsxbq pmovsxwd pmovsxwq
	    pmovsxdq pmovzxbw pmovzxbd pmovzxbq pmovzxwd pmovzxwq pmovzxdq
	    pmuldq pmulld ptest roundpd roundps roundsd roundss)],
	'sse4.2' => [qw(crc32 crc32b crc32w crc32l pcmpestri pcmpestrm
	    pcmpistri pcmpistrm pcmpgtq)],
	popcnt => [qw(popcnt)],
	aes => [qw(aesdec aesdeclast aesenc aesenclast aesimc
	    aeskeygenassist)],
	pclmul => [qw(pclmulqdq pclmullqlqdq pclmulhqlqdq pclmullqhqdq
	    pclmulhqhqdq)],
	sha => [qw(sha1rnds4 sha1nexte sha1msg1 sha1msg2 sha256rnds2
	    sha256msg1 sha256msg2)],
	gfni => [qw(gf2p8affineqb gf2p8affineinvqb gf2p8mulb)],
	movbe => [qw(movbe)],
	rdtscp => [qw(rdtscp)],
	xsave => [qw(xgetbv xsetbv xsave xrstor xsaveopt xsavec xsaves
	    xrstors)],
	rtm => [qw(xbegin xend xabort xtest)],
	smap => [qw(clac stac)],
);

my %NEEDS;
for my $f (keys %TABLE) {
	for my $m (@{$TABLE{$f}}) {
		die "Fixup::Isa: $m is in two features ($NEEDS{$m}, $f)\n"
		    if defined $NEEDS{$m} && $NEEDS{$m} ne $f;
		$NEEDS{$m} = $f;
	}
}

sub known_features { return sort keys %TABLE; }

sub feature {
	my ($in) = @_;
	my $text = $in->{text};
	return undef if $text =~ /\(bad\)/ || $text =~ /^\.byte\b/;
	my @b = @{$in->{bytes}};
	my $i = 0;
	$i++ while $i < @b && $PREFIX_BYTE{$b[$i]};
	if ($i + 1 < @b && $b[$i] == 0x0f) {
		my ($op, $modrm) = ($b[$i + 1], $b[$i + 2]);
		if ($op >= 0x18 && $op <= 0x1f) {
			# 0F 18 /0../3 with memory: prefetchnta..t2; the
			# rest: hint NOPs (and endbr32, bnd*: NOPs there).
			return 'mmxext' if $op == 0x18 && defined $modrm
			    && $modrm >> 6 != 3 && ($modrm >> 3 & 7) <= 3;
			return 'nopl';
		}
		return defined $modrm && $modrm >> 6 != 3 ? '3dnow' : undef
		    if $op == 0x0d;
		# mov to or from CR4, which the Pentium introduced (SDM
		# vol. 3A, "Architecture Compatibility", control registers).
		return 'cr4' if ($op == 0x20 || $op == 0x22) && defined $modrm
		    && ($modrm >> 3 & 7) == 4;
	}
	my @w = split / /, $text;
	shift @w while @w > 1 && $PREFIX_WORD{$w[0]};
	my ($m, $ops) = (shift(@w) // '', join(' ', @w));
	$m =~ s/,p[nt]$//;	# jne,pt: a hint, ignored before the P4
	if ($m =~ /^nop[wl]?$/) {	# 90, with prefixes: xchg %eax,%eax
		return $i < @b && $b[$i] == 0x90 ? '' : undef;
	}
	return 'avx' if $ops =~ /%[yz]mm/ || $m =~ /^v/ && $ops =~ /%xmm/;
	my $reg = $ops =~ /%xmm/ ? '/xmm' : $ops =~ /%mm\d/ ? '/mm' : '';
	return $NEEDS{"$m$reg"} // $NEEDS{$m};
}

1;

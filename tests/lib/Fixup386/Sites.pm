package Fixup386::Sites;
# Do the bytes read from a running machine hold, at every recorded site,
# the variant its CPU and mode call for? The forms are the catalogue's
# (include/asm/fixup-kinds.h, through Fixup::Catalogue); the choice is
# Fixup386::Rules'. Used by tests/fixup-memory.t (the kernel's text) and
# tests/modules.t (a module's).
use strict;
use warnings;
use Exporter 'import';
use Fixup::Catalogue;
use Fixup386::Rules qw(expected_variants);

our @EXPORT_OK = qw(check_sites);

# The bytes of every form: the catalogue.
my %KIND = map { $_->{name} => $_ } values %{Fixup::Catalogue::kinds()};

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

my %NOP3 = (p6 => '0f 1f 00', old => '8d 76 00');

# A THUNK site (Documentation/fixup-sites.md, "Thunk sites"): whether
# the bytes got are the variant's form for some register but esp, padded
# with the CPU's NOPs; the compiled form is its opcode and a rel32.
sub thunk_holds {
	my ($s, $variant, $nops, $got) = @_;
	my ($f) = grep { $_->{name} eq $variant }
		@{$KIND{$s->{kind}}{forms}} or return 0;
	my @b = @{$f->{bytes}};
	return $got =~ /^\Q${\ sprintf '%02x', $b[0]}\E( [0-9a-f]{2}){4}$/
		if $f == $KIND{$s->{kind}}{forms}[0];
	for my $r (0 .. 3, 5 .. 7) {
		my $want = join ' ', map { sprintf '%02x',
			/^REG\((0x[0-9a-f]+)\)$/ ? hex($1) + $r : $_ } @b;
		$want .= " $NOP3{$nops}" if @b == 2;
		return 1 if $got eq $want;
	}
	return 0;
}

# check_sites(mem => BYTES, base => ADDR, sites => [{ addr, kind, len,
# where }], cpu => parse_cpu_line(), smp => BOOL) returns { bad => [what
# is wrong, one string a site], checked => { KIND => sites checked },
# covered => { offset in mem => 1 for every site byte } }. A CALL site
# must be a call or the CPU's 5-byte NOP (its target is per group).
sub check_sites {
	my (%o) = @_;
	my $c = $o{cpu};
	my $want = expected_variants($c, $o{smp});
	my $nops = $c->{has}{nopl} ? 'p6' : 'old';
	my (%covered, @bad, %checked);
	for my $s (@{$o{sites}}) {
		my $off = $s->{addr} - $o{base};
		$covered{$_} = 1 for $off .. $off + $s->{len} - 1;
		my $got = join ' ', map { sprintf '%02x', ord }
			split //, substr($o{mem}, $off, $s->{len});
		$checked{$s->{kind}}++;
		if ($s->{kind} eq 'CALL') {
			push @bad, "$s->{where} CALL: $got"
				unless $got =~ /^e8 / || $got eq $NOP5{$nops};
			next;
		}
		my $v = $want->{$s->{kind}} // ($s->{kind} eq 'MOVNTI' ?
			($c->{has}{sse2} ? 'movnti' : 'movl') : undef);
		if (($KIND{$s->{kind}}{shape} // '') eq 'THUNK') {
			push @bad, "$s->{where} $s->{kind}: $got, not "
			    . ($v // '?') unless thunk_holds($s, $v // '',
			    $nops, $got);
			next;
		}
		my $w = want_bytes($s, $v, $nops) // '?';
		my $bytes = ref $w ? $w->{head} : $w;
		push @bad, "$s->{where} $s->{kind}: $got, want $bytes ($v)"
			unless index($got, $bytes) == 0;
		if (ref $w && defined $w->{reg}) {
			my $modrm = ord substr($o{mem}, $off + $w->{at}, 1);
			push @bad, "$s->{where} $s->{kind}: $got, want reg field "
				. "/$w->{reg} ($v)" if (($modrm >> 3) & 7) != $w->{reg};
		}
	}
	return { bad => \@bad, checked => \%checked, covered => \%covered };
}

1;

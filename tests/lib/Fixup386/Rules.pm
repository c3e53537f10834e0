package Fixup386::Rules;
# What each site kind must become on a CPU, written out again from the
# rules in Documentation/fixup-sites.md for the boot tests, independently
# of the patcher's own tables.
use strict;
use warnings;
use Exporter 'import';

our @EXPORT_OK = qw(parse_cpu_line expected_variants);

# "fixup: cpu: vendor=V family=F model=M stepping=S features=a,b,c"
sub parse_cpu_line {
	my ($line) = @_;
	my %c = $line =~ /(\w+)=(\S+)/g;
	$c{has} = { map { $_ => 1 } split /,/, $c{features} // '' };
	return \%c;
}

# { KIND => variant } for every kind but CALL, whose choice is per group:
# tests/catalogue.t fails, naming this file, when a kind of the catalogue
# is missing here or a variant is not a form of its kind.
sub expected_variants {
	my ($cpu, $smp) = @_;
	my %f = %{ $cpu->{has} };
	my $intel_11ap = ($cpu->{vendor} // '') eq 'GenuineIntel' &&
		$cpu->{family} == 5 && $cpu->{model} == 2 &&
		($cpu->{stepping} < 6 || $cpu->{stepping} == 11) && $f{apic};
	my $oostore = ($cpu->{vendor} // '') eq 'CentaurHauls' &&
		$cpu->{family} == 5 && $cpu->{model} =~ /^(4|8|9)$/;
	my $full = $f{sse2} ? 'mfence' : 'lock-add';
	my $read = $f{sse2} ? 'lfence' : 'lock-add';
	my $write = $f{sse} ? 'sfence' : 'lock-add';
	my $thunk = $f{retpoline_lfence} ? 'lfence' : $f{retpoline} ?
		'thunk' : 'inline';
	return {
		LOCK => $smp ? 'lock' : 'ds',
		MB => $full,
		RMB => $read,
		WMB => $write,
		# smp_mb: a locked add on SMP, faster than mfence (make bench)
		SMP_MB => $smp ? 'lock-add' : 'nop',
		# smp_rmb: x86 keeps loads in order with loads (SDM vol. 3A)
		SMP_RMB => 'nop',
		SMP_WMB => $smp && $oostore ? $write : 'nop',
		PREFETCH => $f{sse} ? 'prefetchnta' : $f{'3dnow'} ?
			'prefetch3dnow' : $f{nopl} ? 'nopl' : 'nop',
		# 0F 0D /1 with 3DNow! or the PREFETCHW bit (0x80000001 ECX 8)
		PREFETCHW => $f{'3dnow'} || $f{prefetchw} ? 'prefetch3dnow' :
			$f{sse} ?
			'prefetcht0' : $f{nopl} ? 'nopl' : 'nop',
		MOVNTQ => $f{sse} || $f{mmxext} ? 'movntq' : 'movq',
		# MOVNTI (0F C3) came with SSE2
		MOVNTI => $f{sse2} ? 'movnti' : 'movl',
		# the barriers that keep EFLAGS: the rules of MB, RMB, WMB
		MB_FLAGS => $full,
		RMB_FLAGS => $read,
		WMB_FLAGS => $write,
		APIC_WRITE => $intel_11ap ? 'xchg' : 'movl',
		# The Spectre v2 mode chosen at boot, as the synthetic bits
		# of the cpu line say (Documentation/spectre.md): lfence
		# when asked for and serializing, the retpoline thunk where
		# needed, the branch inline where not.
		THUNK_CALL => $thunk,
		THUNK_JMP => $thunk,
		# no CPU gets a return thunk on i386
		RETURN => 'ret',
	};
}

1;

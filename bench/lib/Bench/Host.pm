package Bench::Host;
# The host: whether it runs i386 processes, and so whether the harness is
# i386 code or x86-64 code around the sites' i386 bytes; the flags that
# choice gives; and the host CPU as the kernel's CPUID decoder sees it.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use Bench::Util qw(slurp spew);
use Bench::Build;

# Can this host run 32-bit processes? (0, why not) or (1, why).
sub can_run_32 {
	my ($bench) = @_;
	my $B = $bench->dir;
	my $src = "$B/probe32.c";
	spew($src, "int main(void) { return 0; }\n");
	system("gcc -m32 -o $B/probe32 $src >/dev/null 2>&1") == 0
		or return (0, 'gcc -m32 links no program: the i386 libc of '
			   . 'gcc-multilib is missing ("make tools" installs '
			   . 'it as root)');
	system("$B/probe32 >/dev/null 2>&1") == 0
		or return (0, 'this host runs no 32-bit processes (ia32 '
			   . 'emulation off)');
	return (1, 'this host runs 32-bit processes');
}

# --bits: 32, 64, or auto (32 where the host runs it). Sets the bits and
# the code-generation flags of every build (arch()), and says which
# harness runs and why, before anything else is built.
sub choose_bits {
	my ($bench) = @_;
	my $bits = $bench->opt('bits');
	my $why = "--bits $bits";
	if ($bits eq 'auto') {
		my $ok;
		($ok, $why) = can_run_32($bench);
		$bits = $ok ? 32 : 64;
		$bench->note("$why: the harness is x86-64 code; every site ",
			     'keeps its i386 bytes')
			unless $ok;
	}
	die "run-bench: --bits must be 32, 64 or auto\n"
		unless $bits =~ /^(32|64)$/;
	$bench->{bits} = $bits;
	$bench->{harness_why} = $why;
	$bench->{arch} = arch($bits);
	printf "run-bench: harness: %s code (%s)\n",
		$bits == 32 ? 'i386' : 'x86-64', $why;
}

# What each kind of build adds to the kernel's flags:
#   gen     the generic copies and the patcher (the kernel's -march)
#   native  the copies built for this CPU
#   site    every copy of the site code
#   as      assembling .s files
#   host    host programs (host_cflags: all their flags)
#   ld_emul ld -m for relocatable links
sub arch {
	my ($bits) = @_;
	my %a;
	if ($bits == 32) {
		%a = (gen => [qw(-m32 -march=i486)],
		      native => [qw(-m32 -march=native)],
		      site => [], as => [qw(-m32)], host => [qw(-m32)],
		      ld_emul => 'elf_i386');
	} else {
		# x86-64 keeps the site bytes when no operand needs a REX
		# prefix: only the 8 registers i386 has, and the rewrites of
		# Bench::Build::to64().
		%a = (gen => [qw(-m64 -march=x86-64 -mno-red-zone)],
		      native => [qw(-m64 -march=native -mno-red-zone)],
		      site => [(map { "-ffixed-r$_" } 8 .. 15),
			       '-Wno-attributes'],
		      as => [qw(-m64)], host => [qw(-m64)],
		      ld_emul => 'elf_x86_64');
	}
	$a{host_cflags} = [qw(-std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude
		-fno-pie -no-pie), @{$a{host}}];
	return \%a;
}

# bench-cpu: the kernel's cpuinfo_decode() on this CPU. Sets
# $bench->{cpu} (cpu, family, model, stepping, features, defines, desc).
sub probe_cpu {
	my ($bench) = @_;
	my ($B, $arch) = ($bench->dir, $bench->{arch});
	my @kc = (Bench::Build::kernel_cflags($bench), @{$arch->{gen}},
		  '-DHOST_TEST');
	Bench::Build::compile($bench, 'arch/i386/kernel/cpu.c', "$B/cpu.o", 0,
			      @kc);
	$bench->run('HOSTCC', "$B/hostcpu.o", 'gcc', @{$arch->{host_cflags}},
		    '-c', '-o', "$B/hostcpu.o", 'bench/hostcpu.c');
	$bench->run('HOSTCC', "$B/bench-cpu", 'gcc', @{$arch->{host_cflags}},
		    '-DHOSTCPU_MAIN', '-o', "$B/bench-cpu", 'bench/hostcpu.c',
		    "$B/cpu.o");
	my $out = $bench->opt('build-only') ? "cpu: (not run)\nfamily: 0\n"
		. "model: 0\nstepping: 0\nfeatures:\n" :
		$bench->run('RUN', "$B/bench-cpu", "$B/bench-cpu");
	my %cpu;
	for (split /\n/, $out) {
		$cpu{$1} = $2 if /^(\w+):\s*(.*)$/;
	}
	$cpu{defines} //= '';
	$cpu{desc} = sprintf '%s (family %s, model %s, stepping %s), %d CPUs',
		$cpu{cpu}, $cpu{family}, $cpu{model}, $cpu{stepping}, ncpus();
	$bench->{cpu} = \%cpu;
	$bench->row('machine', 'family', 'host', $cpu{family}, 'number');
	$bench->row('machine', 'model', 'host', $cpu{model}, 'number');
	$bench->row('machine', 'cpus', 'host', ncpus(), 'count');
	$bench->row('machine', 'code', 'host', $bench->bits, 'bits');
}

sub ncpus {
	my $n = () = slurp('/proc/cpuinfo') =~ /^processor\s*:/mg;
	return $n || 1;
}

1;

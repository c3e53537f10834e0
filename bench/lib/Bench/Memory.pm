package Bench::Memory;
# 3. Memory and size, from vmlinux, nm and vmlinux.map: the table, the
# call groups, the init region, the re-patch region (resident only when
# CPUs may be hot-added); what of arch/i386/fixup/ stays resident after
# every boot; and the bytes the sites take against what a kernel built
# for this CPU spends on the same instructions.
#
# SPDX-License-Identifier: GPL-2.0
use strict;
use warnings;
use Bench::Image;
use Bench::Kinds;

# The rows for $vm; returns the number of sites (for Bench::Kernels).
sub measure {
	my ($bench, $vm) = @_;
	my $boot = $bench->{boot} // {};
	my $s = Bench::Image::symbols($vm);
	my $addr = sub { my $e = $s->{$_[0]}; $e ? $e->[0]{addr} : undef };
	my ($fs, $fe) = map { $addr->($_) } qw(__fixup_sites_start
					       __fixup_sites_end);
	my ($ib, $ie) = map { $addr->($_) } qw(__init_begin __init_end);
	my ($cs, $ce) = map { $addr->($_) } qw(__fixup_calls_start
					       __fixup_calls_end);
	# freed with init unless sites are kept for a CPU hot-add
	my ($rs, $re, $ks) = map { $addr->($_) } qw(__repatch_start
						    __repatch_end
						    __fixup_kept_start);
	die "run-bench: $vm: no fixup table symbols\n"
		unless defined $fs && defined $fe && defined $ib;
	my $table = $fe - $fs;
	my $sites = $boot->{sites} // $table / 6;
	$bench->row('memory', 'table_bytes', 'generic', $table, 'bytes');
	$bench->row('memory', 'sites', 'generic', $sites, 'count');
	$bench->row('memory', 'table_bytes_per_site', 'generic',
		    sprintf('%.2f', $table / $sites), 'bytes') if $sites;
	$bench->row('memory', 'call_group_bytes', 'generic', $ce - $cs, 'bytes')
		if defined $cs;
	$bench->row('memory', 'init_region', 'generic', $ie - $ib, 'bytes');
	$bench->row('memory', 'repatch_code_bytes', 'generic', $ks - $rs,
		    'bytes') if defined $rs && defined $ks;
	$bench->row('memory', 'init_freed', 'generic', $boot->{freed}, 'bytes')
		if defined $boot->{freed};
	$bench->row('memory', 'text', 'generic', Bench::Image::text_size($vm),
		    'bytes');
	resident($bench, $vm, $s, [$ib, $ie], [$rs // 0, $re // 0]);
	padding($bench, $vm, $s);
	return $sites;
}

# What of arch/i386/fixup/ stays after the init region (and the re-patch
# region, as when no CPU can be hot-added) is freed: symbols, and input
# sections as the linker placed them (vmlinux.map), outside both.
sub resident {
	my ($bench, $vm, $s, @freed) = @_;
	my $freed = sub {
		my ($a) = @_;
		return grep { $a >= $_->[0] && $a < $_->[1] } @freed;
	};
	my ($res, $named, @where, %ressec, %seen) = (0, 0);
	for my $o (sort glob 'arch/i386/fixup/*.o') {
		for (split /\n/, qx{objdump -t $o}) {
			# addr flags section size name
			next unless /^[0-9a-f]+\s+(\S)\s.*?\s(\S+)
				     \s+[0-9a-f]+\s+(\S+)$/x;
			next if $2 eq '*UND*' || $2 eq '*ABS*';
			my ($sec, $name) = ($2, $3);
			next if $sec =~ /^\.(init|fixup_sites)/;
			next if $name eq $sec || $name =~ /^\.L/;
			my $e = $s->{$name} or next;
			for (@$e) {
				next if $freed->($_->{addr});
				last if $seen{"$name $sec"}++;
				push @where, sprintf('%s (%s, %u bytes)', $name,
						     $sec, $_->{size});
				$named += $_->{size};
				last;
			}
		}
	}
	my $map = "$vm.map";
	open(my $mh, '<', $map) or die "run-bench: $map: $!\n";
	my $pending;
	while (<$mh>) {
		# what comes before was discarded
		last if /^Linker script and memory map/;
	}
	while (<$mh>) {
		# " .sec  0xADDR  0xSIZE file" or the name alone, then the rest
		if (/^ (\.\S+)\s*$/) {
			$pending = $1;
			next;
		}
		my ($sec, $addr, $size, $file) =
		    /^ (\.\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+\.o)$/
		    or do { undef $pending; next };
		$sec //= $pending;
		undef $pending;
		next unless defined $sec && $file =~ m{arch/i386/fixup/};
		($addr, $size) = (hex $addr, hex $size);
		next if !$size || $freed->($addr);
		next if $sec =~ /^\.(debug|comment|note)/;
		$res += $size;
		$ressec{$sec} += $size;
	}
	close $mh;
	$bench->row('memory', 'resident_fixup_bytes', 'generic', $res, 'bytes');
	$bench->row('memory', 'resident_fixup_symbols', 'generic',
		    scalar @where, 'count');
	# The sections hold more than their symbols: the alignment GCC puts
	# between functions and variables, and data without a symbol.
	$bench->note('resident after boot from arch/i386/fixup/: ',
		     @where ? join(', ', @where) : 'no symbol',
		     "; $named bytes in these symbols, $res in the sections ",
		     'that hold them (',
		     join(', ', map { "$_ $ressec{$_}" } sort keys %ressec),
		     '): ', $res - $named, ' bytes of alignment and data ',
		     'without a symbol');
}

# What the sites of the table take in the generic kernel and what the same
# instructions take in a kernel built for this CPU (SMP and UP), from
# the record kinds and lengths (Bench::Image::records()) and the
# catalogue (built_bytes()): the padding per site, apart from other code.
sub padding {
	my ($bench, $vm, $syms) = @_;
	my $read = Bench::Image::reader($vm);
	my %name_at;
	for my $n (keys %$syms) {
		$name_at{$_->{addr}} //= $n for @{$syms->{$n}};
	}
	my %has = map { $_ => 1 } split /,/, $bench->{cpu}{features};
	my $kinds = Bench::Kinds::kinds();
	my ($gen, $smp, $up, $n) = (0, 0, 0, 0);
	for my $r (Bench::Image::records($vm)) {
		my ($site, $len) = ($r->{addr}, $r->{len});
		my $k = $kinds->{$r->{kind}} // next;
		my ($s, $u);
		if ($k->{shape} eq 'CALL') {
			# The call stays, but in a UP kernel the spinlock's
			# calls are not there at all.
			($s, $u) = ($len, $len);
			my $b = $read->($site, 5);
			if ($b && unpack('C', $b) == 0xe8) {
				my $rel32 = unpack 'l<', substr $b, 1;
				my $to = ($site + 5 + $rel32) & 0xffffffff;
				$u = 0 if ($name_at{$to} // '') =~ /^__spin_/;
			}
		} else {
			$s = built_bytes($k, $len, 'SMP', \%has);
			$u = built_bytes($k, $len, 'UP', \%has);
		}
		$gen += $len;
		$smp += $s;
		$up += $u;
		$n++;
	}
	return unless $n;
	$bench->row('memory', 'site_bytes', 'generic', $gen, 'bytes');
	$bench->row('memory', 'site_bytes', 'compile-smp-model', $smp, 'bytes');
	$bench->row('memory', 'site_bytes', 'compile-up-model', $up, 'bytes');
	$bench->row('memory', 'padding_per_site', 'vs-compile-smp',
		    sprintf('%.2f', ($gen - $smp) / $n), 'bytes');
	$bench->row('memory', 'padding_per_site', 'vs-compile-up',
		    sprintf('%.2f', ($gen - $up) / $n), 'bytes');
}

# The form the catalogue's rules give a kind on this CPU in MODE (UP or
# SMP): the first rule whose feature and erratum the CPU has (%$has, the
# kernel's feature names in lower case), else the compiled form.
sub chosen_form {
	my ($k, $mode, $has) = @_;
	my $ok = sub { !defined $_[0] || $_[0] eq 'NONE' || $has->{lc $_[0]} };
	for my $r (Bench::Kinds::rules($k->{name})) {
		next unless $r->{mode} eq 'ANY' || $r->{mode} eq $mode;
		next unless $ok->($r->{needs}) && $ok->($r->{bug});
		my ($f) = grep { $_->{name} eq $r->{form} } @{$k->{forms}};
		return $f if $f;
	}
	return $k->{forms}[0];
}

# The bytes a kernel built for this CPU spends on a site of kind $k and
# length $len: that of the chosen form as a compiler emits it. Without
# the DS prefix (3E) that only keeps a site its length; nothing for a
# form that does nothing (no bytes, the jump over a prefetch's operand,
# the long NOP 0F 1F); and a MODRM form with the site's memory operand,
# the bytes after its compiled form.
sub built_bytes {
	my ($k, $len, $mode, $has) = @_;
	my @b = @{chosen_form($k, $mode, $has)->{bytes}};
	my $is = sub {		# byte $i is $v (not JMP)
		my ($i, $v) = @_;
		return defined $b[$i] && $b[$i] =~ /^\d+$/ && $b[$i] == $v;
	};
	shift @b while $is->(0, 0x3e);
	return 0 if !@b || $is->(0, 0xeb) ||
		($is->(0, 0x0f) && $is->(1, 0x1f));
	return scalar @b if $k->{shape} eq 'FIXED';
	return @b + $len - @{$k->{forms}[0]{bytes}};
}

1;

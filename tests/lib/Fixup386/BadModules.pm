package Fixup386::BadModules;
# Corrupt modules made from a good one at test time, one per reason the
# loader refuses a file (Documentation/modules.md): each is the good
# file with one field changed, found through Fixup::Image (readelf), so
# that it is refused for that reason and no earlier one. ELF offsets:
# System V gABI (e_type at 16, e_shoff at 32, a section header of 40
# bytes with sh_offset at 16, a symbol of 16 with st_name at 0, a REL
# entry of 8: r_offset, r_info).
use strict;
use warnings;
use Exporter 'import';
use Fixup::Image;

our @EXPORT_OK = qw(bad_modules);

# bad_modules(KO) returns ({ name, bytes, reason => qr//, big }, ...);
# the last, "duplicate", is KO itself under its own name, for loading
# twice. "big" marks a file of megabytes, which tests/fuzz/mkseeds leaves
# out: the fuzz target must find that one by itself.
sub bad_modules {
	my ($ko) = @_;
	my $file = do { local (@ARGV, $/) = ($ko); <> } // die "$ko: $!\n";
	my %sec = map { $_->{name} => $_ } Fixup::Image::sections($ko);
	my @sym = Fixup::Image::symtab($ko);
	my ($printk) = grep { $_->{name} eq 'printk' && $_->{ndx} eq 'UND' }
		@sym;
	my ($init) = grep { $_->{name} eq 'init_module' } @sym;
	die "$ko: no .text, .rel.text, .rodata, .fixup_sites, printk or "
	    . "init_module\n" unless $sec{'.text'} && $sec{'.rel.text'}
	    && $sec{'.rodata'} && $sec{'.fixup_sites'} && $printk && $init;
	my $shoff = unpack('V', substr($file, 32, 4));
	my $st_name = sub { $sec{'.symtab'}{offset} + 16 * $_[0]{num} };
	my $rel0 = $sec{'.rel.text'}{offset};
	my $u32 = sub { unpack('V', substr($file, $_[0], 4)) };
	my $rec0 = $sec{'.fixup_sites'}{offset};
	my $st_info = sub { $sec{'.symtab'}{offset} + 16 * $_[0]{num} + 12 };

	my @bad = (
	    ['bad-type', qr/not an ELF32 i386 relocatable file/,
	     [16, 'v', 2]],				# ET_EXEC
	    ['bad-section', qr/section $sec{'.rodata'}{index} outside the file/,
	     [$shoff + 40 * $sec{'.rodata'}{index} + 16, 'V', length $file]],
	    ['bad-reloc-type', qr/relocation 0 in \.text: unknown type 9/,
	     [$rel0 + 4, 'V', ($u32->($rel0 + 4) & ~0xff) | 9]], # GOTOFF
	    ['bad-undefined', qr/undefined symbol 'rintk'/,
	     [$st_name->($printk), 'V', $u32->($st_name->($printk)) + 1]],
	    ['bad-ambiguous', qr/ambiguous symbol 'printk'/,
	     [$st_name->($init), 'V', $u32->($st_name->($printk))]],
	    ['bad-reloc-offset', qr/relocation 0 outside \.text/,
	     [$rel0, 'V', $sec{'.text'}{size}]],
	    ['bad-record', qr/fixup record 0 points outside the module's text/,
	     [$rec0, 'V', ($u32->($rec0) + 0x100000) & 0xffffffff]],
	    # STB_LOCAL, STT_NOTYPE: an undefined symbol no export may resolve
	    ['bad-local-undefined', qr/undefined symbol 'printk'$/,
	     [$st_info->($printk), 'C', 0]],
	);
	my @out;
	for my $b (@bad) {
		my ($name, $reason, @edits) = @$b;
		my $bytes = $file;
		for my $e (@edits) {
			my $v = pack($e->[1], $e->[2]);
			substr($bytes, $e->[0], length $v) = $v;
		}
		push @out, { name => $name, bytes => $bytes, reason => $reason };
	}
	push @out, names_overflow($file, \%sec, \@sym);
	(my $name = $ko) =~ s{.*/|\.ko$}{}g;
	push @out, { name => $name, bytes => $file,
	    reason => qr/a module of that name is loaded already/ };
	return @out;
}

# The kept symbols' names (functions and objects with a size) add up
# past 2^32: 2,010 more copies of count_up, each named by one new name
# of 2 MiB, make the loader's u32 sum wrap to a few KiB (issue 19). The
# new string and symbol tables go at the end of the file, the old ones'
# contents first, so that every other offset stays as it was.
sub names_overflow {
	my ($file, $sec, $sym) = @_;
	my ($count_up) = grep { $_->{name} eq 'count_up' } @$sym;
	die "no count_up in the module\n" unless $count_up;
	my $kept = grep { $_->{type} =~ /^(FUNC|OBJECT)$/ && $_->{size} &&
			  $_->{ndx} =~ /^\d+$/ } @$sym;
	my $copies = 2029 - $kept;		# within the 2048 kept symbols
	my $len = int(2**32 / $copies) + 1;	# copies * len >= 2^32
	my ($st, $str) = @$sec{'.symtab', '.strtab'};
	my $strtab = substr($file, $str->{offset}, $str->{size})
		. ('x' x ($len - 1)) . "\0";
	my $one = substr($file, $st->{offset} + 16 * $count_up->{num}, 16);
	substr($one, 0, 4) = pack('V', $str->{size});	# st_name: the long one
	my $symtab = substr($file, $st->{offset}, $st->{size}) . $one x $copies;
	my $bytes = $file;
	$bytes .= "\0" x (-length($bytes) % 4);
	my $str_off = length $bytes;
	$bytes .= $strtab . "\0" x (-length($strtab) % 4);
	my $sym_off = length $bytes;
	$bytes .= $symtab;
	my $shoff = unpack('V', substr($file, 32, 4));
	for ([$str, $str_off, length $strtab], [$st, $sym_off, length $symtab]) {
		my ($s, $off, $size) = @$_;
		substr($bytes, $shoff + 40 * $s->{index} + 16, 8) =
			pack('VV', $off, $size);	# sh_offset, sh_size
	}
	return { name => 'bad-names-overflow', bytes => $bytes, big => 1,
		 reason => qr/symbol names: more than \d+ bytes$/ };
}

1;

package Fixup::Image;
# SPDX-License-Identifier: GPL-2.0
#
# Reading an ELF32 i386 kernel image or object file with GNU binutils
# (readelf, nm, objdump): sections, symbols, code and the .fixup_sites
# records. Record format: Documentation/fixup-sites.md. ELF: the System V
# gABI and its i386 supplement (R_386_PC32 = 2).

use strict;
use warnings;

=head1 NAME

Fixup::Image - sections, symbols, code and fixup records of an ELF32 file

=head1 SYNOPSIS

  use FindBin;
  use lib "$FindBin::RealBin/lib";
  use Fixup::Image;

  my @recs = eval { Fixup::Image::records('vmlinux') };
  die "vmlinux: $@" if $@;
  for my $r (@recs) {
      printf "0x%08x kind %d len %d (record at 0x%08x)\n",
          $r->{addr}, $r->{kind}, $r->{len}, $r->{rec};
  }
  my $v = Fixup::Image::symbol_values('vmlinux');   # name => address

=head1 DESCRIPTION

One reader of kernel images (C<vmlinux>, type EXEC) and object files
(C<.o>, type REL) for the fixup tools. Everything comes from B<readelf>
(one C<readelf -W -h -S -s -r> run per file, cached), B<nm> and
B<objdump>, whose standard error is passed through; the file's bytes are
read directly. Only ELF32 little-endian i386 files are accepted.

The functions die on error with a message without the file name (the
caller adds it: C<PROG: FILE: message>). When the fault has an address
(a torn table), the exception is a C<Fixup::Image::Error> object with the
fields C<msg> and C<addr>; it stringifies to the message.

=head1 FUNCTIONS

=over 4

=item header(FILE)

C<{ type =E<gt> 'EXEC' | 'REL' | ..., machine =E<gt> 'Intel 80386' }>.
Dies with C<not an ELF file> or C<not a 32-bit little-endian i386 ELF
file>.

=item sections(FILE)

The section headers in index order, each
C<{ index, name, type, addr, offset, size, flags, link, info, align }>
(C<type> as readelf spells it, C<PROGBITS>, C<NOBITS>, C<REL>, ...;
C<flags> its letters, C<AX>, C<WA>, ...).

=item symtab(FILE)

The ELF symbol table (C<.symtab>), in table order, each
C<{ num, value, size, type, bind, ndx, name }>: C<type> C<FUNC>,
C<OBJECT>, C<NOTYPE>, C<SECTION>, C<FILE>, ...; C<bind> C<LOCAL>,
C<GLOBAL>, C<WEAK>; C<ndx> the section index, or C<UND>, C<ABS>, C<COM>.

=item symbols(FILE)

The defined symbols as B<nm -n -S --defined-only> lists them, by address:
C<{ addr, size, type, name, text }>, C<type> nm's letter, C<text> true for
code and weak symbols (C<T>, C<t>, C<W>, C<w>), C<size> 0 if nm gives
none.

=item symbol_values(FILE)

C<{ name =E<gt> address }> from B<symbols>, the first of a name.

=item disassemble(FILE, [START, STOP])

B<objdump -d -w -z> of the file (from START up to STOP if given), one
hash per instruction:
C<{ addr, len, bytes =E<gt> [ints], text }>, C<text> the instruction as
objdump prints it, white space squeezed.

=item bytes(FILE, ADDR, N)

N bytes of the image at address ADDR, from a loaded section with
contents, or undef.

=item section_of(FILE, ADDR)

The index of the allocated section holding ADDR in an image, or undef.

=item function_finder(FILE, TEXT_RANGES)

A function of an address that names the function holding it:
C<[name, offset]>, the nearest code symbol (B<symbols>' C<text>) at or
below the address, a linker-script marker (C<_text>, C<_etext>,
C<__init_begin>, ...) only if nothing else is at its address; outside the
TEXT_RANGES (a reference to a list of C<[start, end)> pairs), the nearest
symbol of any type. C<['?', addr]> below every symbol.

=item link_map(FILE)

The input sections of a linker map (B<ld -Map>), by address: each
C<{ output, name, addr, size, object }>, the output section, the input
section's name, its address and size (only those of nonzero size) and
the object file as the linker was given it. Dies if FILE cannot be read.

=item object_finder(MAP)

A function of an address that names the object file whose input section
holds it (MAP as B<link_map> returns it), or undef.

=item data_pointers(FILE, RANGES)

The aligned 32-bit words of the image's data (allocated PROGBITS
sections without the execute flag) whose values lie in RANGES (a
reference to C<[start, end)> pairs): a list of C<[address, value,
section name]>.

=item table(FILE)

Where the table of an image lies: C<{ start, end, via }>, C<via>
C<'symbols'> (C<__fixup_sites_start>, C<__fixup_sites_end>), C<'section'>
(no such symbols; the section C<.fixup_sites>) or C<'none'> (neither:
start and end undef).

=item records(FILE)

The decoded records, in table order. For an image each is
C<{ rec, addr, kind, len }>: the address of the record, the address of its
site (the record's address plus its self-relative C<rel>), its kind
number and length. For an object file each record's C<rel> is resolved
through its R_386_PC32 relocation: C<rec> is the record's offset in
C<.fixup_sites>, C<addr> the site's offset in its section, and the record
also has C<shndx> and C<section> (the section index and name). A table of
no whole number of 6-byte records, an end below the start, a table in no
loaded section, a record without an R_386_PC32 relocation or one against
an undefined symbol is fatal.

=back

=head1 SEE ALSO

F<Documentation/fixup-sites.md>, B<fixup-report>(1), B<fixup-verify>(1),
B<readelf>(1), B<nm>(1), B<objdump>(1)

=cut

our $RECORD_SIZE = 6;
my %cache;

package Fixup::Image::Error {
	use overload '""' => sub { $_[0]{msg} }, fallback => 1;
	sub new { my ($c, %a) = @_; return bless {%a}, $c; }
}

sub fail {
	my ($addr, $msg) = @_;
	die Fixup::Image::Error->new(addr => $addr, msg => "$msg\n");
}

sub run {
	my (@cmd) = @_;
	open(my $fh, '-|', @cmd) or die "$cmd[0]: $!\n";
	my @l = <$fh>;
	close($fh) or die "'@cmd' failed\n";
	chomp(@l);
	return @l;
}

sub check_elf {
	my ($file) = @_;
	open(my $fh, '<:raw', $file) or die "$!\n";
	my $n = read($fh, my $h, 20);
	close($fh);
	die "not an ELF file\n" unless $n && $n >= 4
	    && substr($h, 0, 4) eq "\x7fELF";
	die "not a 32-bit little-endian i386 ELF file\n" unless $n == 20
	    && ord(substr($h, 4, 1)) == 1 && ord(substr($h, 5, 1)) == 1
	    && unpack('v', substr($h, 18, 2)) == 3;
}

# One readelf run: the header, the section headers, .symtab and the
# relocations.
sub elf {
	my ($file) = @_;
	return $cache{$file} if $cache{$file};
	check_elf($file);
	my (%h, @sec, @sym, %rel, $part, $symtab, $relsec);
	for (run('readelf', '-W', '-h', '-S', '-s', '-r', $file)) {
		if (/^ELF Header:/) { $part = 'h'; next; }
		if (/^Section Headers:/) { $part = 'S'; next; }
		if (/^Symbol table '([^']*)'/) {
			$part = 's';
			$symtab = $1;
			next;
		}
		if (/^Relocation section '[^']*' at offset 0x([0-9a-f]+)/) {
			$part = 'r';
			$relsec = hex $1;
			next;
		}
		next unless $part;
		if ($part eq 'h') {
			$h{lc $1} = $2 if /^\s+(Type|Machine):\s+(\S+(?: \S+)?)/;
			$h{type} =~ s/ .*// if defined $h{type};
		} elsif ($part eq 'S') {
			next unless /^\s*\[\s*(\d+)\]\s+(\S*)\s+(\S+)\s+
			    ([0-9a-f]{8})\s+([0-9a-f]+)\s+([0-9a-f]+)\s+
			    [0-9a-f]+\s+(\S*?)\s*(\d+)\s+(\d+)\s+(\d+)$/x;
			push @sec, { index => $1, name => $2, type => $3,
			    addr => hex $4, offset => hex $5, size => hex $6,
			    flags => $7, link => $8, info => $9, align => $10 };
		} elsif ($part eq 's') {
			next unless $symtab eq '.symtab';
			my ($num, $value, $size, $type, $bind, $ndx, $name) =
			    /^\s*(\d+):\s+([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+
			    (\S+)\s+(\S+)\s+\S+\s+(\S+)\s?(.*)$/x or next;
			push @sym, { num => $num, value => hex $value,
			    size => $size =~ /^0x/ ? hex $size : $size,
			    type => $type, bind => $bind, ndx => $ndx,
			    name => $name };
		} elsif ($part eq 'r') {
			next unless /^([0-9a-f]+)\s+([0-9a-f]+)\s+\S+
			    (?:\s+[0-9a-f]+\s+\S*)?(?:\s+([-+])\s+([0-9a-f]+))?
			    \s*$/x;
			my $info = hex $2;
			push @{$rel{$relsec}}, { offset => hex $1,
			    sym => $info >> 8, type => $info & 0xff,
			    addend => defined $3 ? ($3 eq '-' ? -hex $4
			    : hex $4) : undef };
		}
	}
	# Relocations by the section they apply to (sh_info of REL/RELA).
	my %rel_for;
	for my $s (grep { $_->{type} =~ /^RELA?$/ } @sec) {
		push @{$rel_for{$s->{info}}}, @{$rel{$s->{offset}} // []};
	}
	return $cache{$file} = { header => \%h, sections => \@sec,
	    symtab => \@sym, rel_for => \%rel_for };
}

sub header { return elf($_[0])->{header}; }
sub sections { return @{elf($_[0])->{sections}}; }
sub symtab { return @{elf($_[0])->{symtab}}; }

sub symbols {
	my ($file) = @_;
	check_elf($file);
	my @s;
	for (run('nm', '-n', '-S', '--defined-only', $file)) {
		my ($addr, $size, $type, $name) =
		    /^([0-9a-f]+)(?: ([0-9a-f]+))? (\S) (\S+)$/ or next;
		push @s, { addr => hex $addr, size => defined $size
		    ? hex $size : 0, type => $type, name => $name,
		    text => $type =~ /[TtWw]/ ? 1 : 0 };
	}
	return @s;
}

sub symbol_values {
	my ($file) = @_;
	my %v;
	$v{$_->{name}} //= $_->{addr} for symbols($file);
	return \%v;
}

sub disassemble {
	my ($file, $start, $stop) = @_;
	check_elf($file);
	my @r;
	my @range = defined $start ? (sprintf('--start-address=0x%x', $start),
	    sprintf('--stop-address=0x%x', $stop)) : ();
	for (run('objdump', '-d', '-w', '-z', @range, $file)) {
		next unless /^\s*([0-9a-f]+):\t([0-9a-f]{2}(?:[ ][0-9a-f]{2})*)
		    \s*(?:\t(.*))?$/x;
		my ($addr, $bytes, $t) = ($1, $2, $3 // '');
		my @b = map { hex } split / /, $bytes;
		$t =~ s/\s+/ /g;
		$t =~ s/^ | $//g;
		push @r, { addr => hex $addr, len => scalar @b, bytes => \@b,
		    text => $t };
	}
	return @r;
}

sub read_at {
	my ($file, $offset, $n) = @_;
	open(my $fh, '<:raw', $file) or die "$!\n";
	seek($fh, $offset, 0) or die "$!\n";
	my $got = read($fh, my $buf, $n);
	close($fh);
	die "short read\n" unless defined $got && $got == $n;
	return $buf;
}

sub loaded {
	my ($s) = @_;
	return $s->{flags} =~ /A/ && $s->{type} ne 'NOBITS';
}

sub bytes {
	my ($file, $addr, $n) = @_;
	for my $s (sections($file)) {
		next unless loaded($s) && $addr >= $s->{addr}
		    && $addr + $n <= $s->{addr} + $s->{size};
		return read_at($file, $s->{offset} + $addr - $s->{addr}, $n);
	}
	return undef;
}

sub section_of {
	my ($file, $addr) = @_;
	for my $s (sections($file)) {
		return $s->{index} if $s->{index} && $s->{flags} =~ /A/
		    && $s->{addr} <= $addr && $addr < $s->{addr} + $s->{size};
	}
	return undef;
}

# Linker-script symbols that mark ranges rather than name functions.
my %MARKER = map { $_ => 1 } qw(_text _etext _sinittext _einittext
	__variant_text_start __variant_text_end __init_begin __init_end
	_stext _end);

sub function_finder {
	my ($file, $text) = @_;
	my @syms = symbols($file);
	my @index;		# [code symbols, all symbols], sorted, lazily
	return sub {
		my ($addr) = @_;
		my $any = !grep { $addr >= $_->[0] && $addr < $_->[1] } @$text;
		my $idx = $index[$any] //= [sort { $a->{addr} <=> $b->{addr}
		    || ($MARKER{$b->{name}} // 0) <=> ($MARKER{$a->{name}} // 0)
		    } grep { $any || $_->{text} } @syms];
		return ['?', $addr] if !@$idx || $idx->[0]{addr} > $addr;
		my ($lo, $hi) = (0, $#$idx);
		while ($lo < $hi) {
			my $mid = int(($lo + $hi + 1) / 2);
			if ($idx->[$mid]{addr} <= $addr) { $lo = $mid; }
			else { $hi = $mid - 1; }
		}
		return [$idx->[$lo]{name}, $addr - $idx->[$lo]{addr}];
	};
}

sub link_map {
	my ($file) = @_;
	open(my $fh, '<', $file) or die "$file: $!\n";
	my ($in, $out, $pending, @m);
	while (my $l = <$fh>) {
		chomp $l;
		$in = 1 if $l =~ /^Linker script and memory map/;
		next unless $in;
		if ($l =~ /^(\.\S+)/) {
			$out = $1;
			next;
		}
		# A long input section name has its numbers on the next line.
		if ($l =~ /^ (\.\S+)$/) {
			$pending = $1;
			next;
		}
		my ($name, $addr, $size, $obj) = $l =~ /^[ ](\.\S+)?\s+0x([0-9a-f]+)
		    \s+0x([0-9a-f]+)\s+(\S.*)$/x;
		$name //= $pending;
		undef $pending;
		next unless defined $obj && defined $name && defined $out
		    && hex $size;
		push @m, { output => $out, name => $name, addr => hex $addr,
		    size => hex $size, object => $obj };
	}
	close($fh);
	return sort { $a->{addr} <=> $b->{addr} } @m;
}

sub object_finder {
	my ($map) = @_;
	return sub {
		my ($addr) = @_;
		my ($lo, $hi) = (0, $#$map);
		while ($lo <= $hi) {
			my $mid = int(($lo + $hi) / 2);
			my $m = $map->[$mid];
			if ($addr < $m->{addr}) { $hi = $mid - 1; }
			elsif ($addr >= $m->{addr} + $m->{size}) { $lo = $mid + 1; }
			else { return $m->{object}; }
		}
		return undef;
	};
}

sub data_pointers {
	my ($file, $ranges) = @_;
	my @p;
	for my $sec (sections($file)) {
		next if $sec->{flags} !~ /A/ || $sec->{flags} =~ /X/
		    || $sec->{type} ne 'PROGBITS' || !$sec->{size};
		my $b = read_at($file, $sec->{offset}, $sec->{size});
		my $end = $sec->{addr} + $sec->{size};
		for (my $at = ($sec->{addr} + 3) & ~3; $at + 4 <= $end;
		    $at += 4) {
			my $v = unpack('V', substr($b, $at - $sec->{addr}, 4));
			push @p, [$at, $v, $sec->{name}] if grep { $v >= $_->[0]
			    && $v < $_->[1] } @$ranges;
		}
	}
	return @p;
}

sub table {
	my ($file) = @_;
	my %v;
	for (symtab($file)) {
		$v{$_->{name}} //= $_->{value} if $_->{ndx} ne 'UND';
	}
	my ($s, $e) = @v{qw(__fixup_sites_start __fixup_sites_end)};
	return { start => $s, end => $e, via => 'symbols' }
	    if defined $s && defined $e;
	my ($sec) = grep { $_->{name} eq '.fixup_sites' } sections($file);
	return { start => $sec->{addr}, end => $sec->{addr} + $sec->{size},
	    via => 'section' } if $sec;
	return { start => undef, end => undef, via => 'none' };
}

sub decode {
	my ($bytes) = @_;
	my @r;
	for (my $o = 0; $o + $RECORD_SIZE <= length $bytes; $o += $RECORD_SIZE) {
		my ($rel, $kind, $len) = unpack('l< C C',
		    substr($bytes, $o, $RECORD_SIZE));
		push @r, { off => $o, rel => $rel, kind => $kind, len => $len };
	}
	return @r;
}

sub records {
	my ($file) = @_;
	return (header($file)->{type} // '') eq 'REL' ? object_records($file)
	    : image_records($file);
}

# Linked image: the site is the address of the record's rel plus rel.
sub image_records {
	my ($file) = @_;
	my $t = table($file);
	return () if $t->{via} eq 'none';
	my ($s, $e) = @$t{qw(start end)};
	my $size = $e - $s;
	fail($s, '__fixup_sites_end is below __fixup_sites_start')
	    if $size < 0;
	return () if $size == 0;
	fail($s, sprintf('table size %d is not a multiple of %d', $size,
	    $RECORD_SIZE)) if $size % $RECORD_SIZE;
	my ($sec) = grep { loaded($_) && $_->{addr} <= $s
	    && $e <= $_->{addr} + $_->{size} } sections($file);
	fail($s, 'table is not in a loaded section') unless $sec;
	my $bytes = read_at($file, $sec->{offset} + $s - $sec->{addr}, $size);
	return map { { rec => $s + $_->{off}, kind => $_->{kind},
	    len => $_->{len}, addr => ($s + $_->{off} + $_->{rel})
	    & 0xffffffff } } decode($bytes);
}

# Object file: rel is an R_386_PC32 against a symbol; the site is S + A,
# A in the field (REL) or in the relocation (RELA).
sub object_records {
	my ($file) = @_;
	my $elf = elf($file);
	my @sec = @{$elf->{sections}};
	my @out;
	for my $fs (grep { $_->{name} eq '.fixup_sites' } @sec) {
		my $size = $fs->{type} eq 'NOBITS' ? 0 : $fs->{size};
		die sprintf(".fixup_sites: size 0x%x is not a multiple of "
		    . "%d\n", $size, $RECORD_SIZE) if $size % $RECORD_SIZE;
		my %reloc = map { $_->{offset} => $_ }
		    @{$elf->{rel_for}{$fs->{index}} // []};
		my $bytes = $size ? read_at($file, $fs->{offset}, $size) : '';
		for my $r (decode($bytes)) {
			my $where = sprintf('.fixup_sites+0x%x', $r->{off});
			my $rl = $reloc{$r->{off}}
			    or die "$where: record has no relocation\n";
			die "$where: relocation type $rl->{type}, not "
			    . "R_386_PC32\n" if $rl->{type} != 2;
			my $sym = $elf->{symtab}[$rl->{sym}];
			die "$where: relocation against an undefined symbol\n"
			    if !$sym || $sym->{ndx} !~ /^\d+$/
			    || $sym->{ndx} == 0;
			my $addr = $sym->{value} + ($rl->{addend} // $r->{rel});
			push @out, { rec => $r->{off}, kind => $r->{kind},
			    len => $r->{len}, addr => $addr,
			    shndx => $sym->{ndx} + 0,
			    section => $sec[$sym->{ndx}]{name} };
		}
	}
	return @out;
}

1;

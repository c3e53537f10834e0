package Fixup386::Text;
# SPDX-License-Identifier: GPL-2.0
#
# The kernel text as the image holds it and the fixup sites in it, read
# with Fixup::Image (scripts/lib): what a dump of the running kernel's
# text (Fixup386::Session's dump()) is compared with. Used by
# tests/fixup-memory.t and tests/hotplug.t.
use strict;
use warnings;
use Exporter 'import';
use Fixup::Image;
use Fixup::Catalogue;

our @EXPORT_OK = qw(kernel_text site_hex changed_outside);

# kernel_text(FILE): { text, etext => the bounds of the resident text,
# image => its bytes in the file (.text; the pad up to _etext is not in
# it), sites => [{ addr, kind => name, len, where }] in [text, etext) }.
sub kernel_text {
	my ($file) = @_;
	my $v = Fixup::Image::symbol_values($file);
	my ($text, $etext) = @$v{qw(_text _etext)};
	die "$file: no _text or _etext\n" unless defined $text && defined $etext;
	my ($sec) = grep { $_->{name} eq '.text' } Fixup::Image::sections($file);
	die "$file: no .text at _text\n" unless $sec && $sec->{addr} == $text;
	my $image = Fixup::Image::read_at($file, $sec->{offset}, $sec->{size});
	my $kinds = Fixup::Catalogue::kinds();
	my @sites = map { { addr => $_->{addr}, len => $_->{len},
			    kind => $kinds->{$_->{kind}}{name} // "kind$_->{kind}",
			    where => sprintf('0x%08x', $_->{addr}) } }
		grep { $_->{addr} >= $text && $_->{addr} < $etext }
		Fixup::Image::records($file);
	return { text => $text, etext => $etext, image => $image,
		 sites => [sort { $a->{addr} <=> $b->{addr} } @sites] };
}

# The bytes of site $s in a dump of the text, "f0" or "0f 1f 44 00 00".
sub site_hex {
	my ($t, $mem, $s) = @_;
	return join ' ', map { sprintf '%02x', $_ }
		unpack('C*', substr($mem, $s->{addr} - $t->{text}, $s->{len}));
}

# The addresses of the bytes outside every site where the dump differs
# from the image: none, whatever the patcher did.
sub changed_outside {
	my ($t, $mem) = @_;
	my %covered;
	for my $s (@{ $t->{sites} }) {
		my $off = $s->{addr} - $t->{text};
		$covered{$_} = 1 for $off .. $off + $s->{len} - 1;
	}
	my $img = $t->{image};
	my $diff = $img ^ substr($mem, 0, length $img);
	my @changed;
	while ($diff =~ /[^\0]/g) {
		my $off = pos($diff) - 1;
		push @changed, sprintf('0x%08x', $t->{text} + $off)
			unless $covered{$off};
	}
	return @changed;
}

1;

#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# scripts/lifetime-check, which the link of vmlinux and of each module
# runs: on fixtures (tests/fixtures/lifetime.c) that GCC compiles with
# the kernel's section markers and ld links with the kernel's linker
# script, each making one reference from what stays after boot to what
# is freed, it fails naming the referrer and the symbol; on the fixture
# of allowed references, and on the tree's module, it passes.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);

my $tmp = tempdir(CLEANUP => 1);

sub check {
	my $out = `scripts/lifetime-check @_ 2>&1`;
	return ($? >> 8, $out);
}

sub build {
	my ($v, @ld) = @_;
	my $o = "$tmp/$v.o";
	system('gcc', '-m32', '-O2', '-ffreestanding', '-fno-pic', '-fno-pie',
	       '-fno-asynchronous-unwind-tables', '-Wall', '-Wextra', '-Werror',
	       '-Iinclude', "-D$v", '-c', '-o', $o,
	       'tests/fixtures/lifetime.c') == 0 or die "compiling $v failed";
	system('ld', '-m', 'elf_i386', '--no-warn-rwx-segments', @ld,
	       '-o', "$tmp/$v", $o) == 0 or die "linking $v failed";
	return "$tmp/$v";
}

my $image = ['-T', 'ldscripts/vmlinux.lds', '--emit-relocs'];
my $freed = qr/\(\.init\.\w+, init: freed after boot\)/;
my $gone = qr/\(\.repatch\.\w+, re-patch: freed unless sites were kept\)/;
my %bad = (
	TEXT_CALLS_INIT => qr/stays_calls\+0x\w+ \(\.text, resident\) refers to init_fn $freed/,
	TEXT_CALLS_INIT_GLOBAL => qr/stays_calls\+0x\w+ \(\.text, resident\) refers to init_global $freed/,
	TEXT_READS_INITDATA => qr/stays_reads\+0x\w+ \(\.text, resident\) refers to boot_value $freed/,
	DATA_POINTS_AT_INIT => qr/stays_table \(\.data, resident\) refers to init_fn $freed/,
	RODATA_POINTS_AT_INIT => qr/stays_const \(\.rodata, resident\) refers to init_global $freed/,
	REPATCH_CALLS_INIT => qr/repatch_calls\+0x\w+ \(\.repatch\.text, re-patch\) refers to init_fn $freed/,
	TEXT_CALLS_REPATCH => qr/stays_calls\+0x\w+ \(\.text, resident\) refers to repatch_fn $gone/,
	TEXT_READS_REPATCH => qr/stays_reads\+0x\w+ \(\.text, resident\) refers to repatch_value $gone/,
	EXPORT_OF_INIT => qr/the export of init_global $freed: a module keeps calling it/,
);
for my $v (sort keys %bad) {
	my ($rc, $out) = check(build($v, @$image));
	is($rc, 1, "$v: the check fails") or diag($out);
	like($out, $bad{$v}, "$v: names the referrer and the symbol");
	like($out, qr/: 1 reference from what stays to what is freed/,
	     "$v: one reference");
}

{
	my ($rc, $out) = check(build('GOOD', @$image));
	is($rc, 0, 'GOOD: init to anything, re-patch to text, an export of '
	   . 'text and a region bound pass') or diag($out);
	like($out, qr/ [1-9]\d* relocations, 1 from what stays into init or re-patch, all allowed/,
	     'GOOD: it read the relocations, and saw the bound');
}

{
	my $plain = build('GOOD_PLAIN', '-T', 'ldscripts/vmlinux.lds');
	my ($rc, $out) = check($plain);
	is($rc, 2, 'an image linked without --emit-relocs is refused');
	like($out, qr/no relocations: link it with --emit-relocs/,
	     '... saying so');
}

{
	my ($rc, $out) = check(build('MODULE_READS_TABLE', '-r', '-T',
				     'modules/module.lds'));
	is($rc, 1, 'a module whose text reads its .fixup_sites fails');
	like($out, qr/stays_reads\+0x\w+ \(\.text\) refers to table\+0x4 \(\.fixup_sites: freed after the module pass\)/,
	     '... naming both');
	SKIP: {
		skip 'no modules/modtest.ko (CONFIG_MODULES off?)', 1
			unless -f 'modules/modtest.ko';
		($rc, $out) = check('modules/modtest.ko');
		is($rc, 0, 'modules/modtest.ko passes') or diag($out);
	}
}

{
	my $out = `scripts/lifetime-check --help`;
	is($? >> 8, 0, '--help exits 0');
	like($out, qr/resident may refer to neither/,
	     '--help states the rules');
}

done_testing();

#!/usr/bin/perl
# The same vmlinux boots from GRUB 2's multiboot command: the README's
# two commands, run as it prints them: "make iso" builds a CD image with
# a module (MODULES=, one GRUB "module" line), QEMU boots it, the kernel
# runs its self-tests and the module's.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use Fixup386::Boot qw(boot_problems);

open(my $fh, '<', 'README.md') or die "README.md: $!";
my $readme = do { local $/; <$fh> };
my ($make_iso) = $readme =~ /^    (make iso .*MODULES=.*)$/m;
my ($qemu) = $readme =~ /^    (qemu-system-i386 -cdrom (?:.*\\\n)*.*)$/m;
ok($make_iso && $qemu, 'the README shows how to make and boot the ISO')
	or exit 1;
$qemu =~ s/\s*\\\n\s*/ /g;

my $out = `$make_iso 2>&1`;
is($?, 0, $make_iso) or diag($out);
ok(-f 'build/fixup386.iso', 'build/fixup386.iso exists') or exit 1;
open(my $cfg, '<', 'build/iso/boot/grub/grub.cfg') or die "grub.cfg: $!";
my @mod = grep { /^\s*module / } <$cfg>;
is_deeply(\@mod, ["\tmodule /boot/modtest.ko /boot/modtest.ko hello\n"],
	  'grub.cfg: one module line for MODULES=');

# -no-reboot: a crash ends QEMU instead of booting GRUB again.
my $log = `timeout -k 5 120 $qemu -no-reboot </dev/null 2>&1`;
my $status = $? >> 8;
$log =~ s/\r//g;
# GRUB itself draws on the serial line before the kernel starts.
$log =~ s/\A.*?(?=\[\s+0\.)//s;
my $r = { status => $status == 1 ? 0 : 99, log => $log, cmd => 'qemu -cdrom' };
is_deeply([boot_problems($r)], [], 'the kernel boots from GRUB and passes its self-tests')
	or diag($log);
like($log, qr/Kernel command line: selftest poweroff$/m,
     'GRUB passed the command line (the image path skipped)');
like($log, qr/^\[\s*\d+\.\d+\] fixup: module modtest sites=\d+ patched=\d+ unchanged=\d+ rejected=0$/m,
     'GRUB passed the module: its fixup report line');
like($log, qr/^\[\s*\d+\.\d+\] modtest: init, args 'hello'$/m,
     'GRUB passed the module its arguments');
like($log, qr/^\[\s*\d+\.\d+\] ok \d+ modtest_loaded$/m, "the module's self-tests ran");

# Bad MODULES= is refused with the file named, and no image is made.
unlink 'build/fixup386.iso';
$out = `make -s iso MODULES="modules/missing.ko" 2>&1`;
isnt($?, 0, 'make iso with a missing module fails');
like($out, qr/^iso-tree: no module file 'modules\/missing.ko'$/m,
     'make iso names the missing module');

done_testing();

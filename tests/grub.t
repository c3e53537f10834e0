#!/usr/bin/perl
# The same vmlinux boots from GRUB 2's multiboot command: "make iso"
# builds a CD image, QEMU boots it, the kernel runs its self-tests.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use Fixup386::Boot qw(boot_problems);

my $out = `make -s iso APPEND="selftest poweroff" 2>&1`;
is($?, 0, 'make iso') or diag($out);
ok(-f 'build/fixup386.iso', 'build/fixup386.iso exists') or exit 1;

my $log = `timeout -k 5 60 qemu-system-i386 -cdrom build/fixup386.iso -cpu pentium3 -smp 2 -m 128 -display none -serial stdio -monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null 2>&1`;
my $status = $? >> 8;
$log =~ s/\r//g;
# GRUB itself draws on the serial line before the kernel starts.
$log =~ s/\A.*?(?=\[\s+0\.)//s;
my $r = { status => $status == 1 ? 0 : 99, log => $log, cmd => 'qemu -cdrom' };
is_deeply([boot_problems($r)], [], 'the kernel boots from GRUB and passes its self-tests')
	or diag($log);
like($log, qr/Kernel command line: selftest poweroff$/m,
     'GRUB passed the command line (the image path skipped)');

done_testing();

#!/usr/bin/perl
# The boot checks themselves must fail on a bad kernel: fake Multiboot
# kernels (tests/fixtures/fake-kernel.S) that print nothing, print a
# failing or truncated KTAP log, power off with failure, hang, or
# triple-fault are each caught, while the real kernel passes.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use File::Temp qw(tempdir);
use IPC::Open2 qw(open2);
use Fixup386::Boot qw(boot boot_problems);

my $dir = tempdir(CLEANUP => 1);
my $good_log = join '', map { "[    0.00000$_] line $_\\n" } 1 .. 5;
$good_log .= '[    0.000006] Freeing unused kernel memory: 4k freed\\n';

sub fake {
	my ($name, %o) = @_;
	my $msg = $o{message} // '';
	my @defs = ("-DMESSAGE=\"$msg\"", '-DSTATUS=' . ($o{status} // 0));
	push @defs, '-DHANG' if $o{hang};
	push @defs, '-DTRIPLE_FAULT' if $o{triple};
	push @defs, '-DSILENT_EXIT' if $o{silent_exit};
	system('gcc', '-m32', '-c', @defs, '-o', "$dir/$name.o",
	       'tests/fixtures/fake-kernel.S') == 0 or die "gcc failed";
	system('ld', '-m', 'elf_i386', '-Ttext=0x100000', '-e', '_start',
	       '-o', "$dir/$name", "$dir/$name.o") == 0 or die "ld failed";
	return "$dir/$name";
}

my %cases = (
	silent => [{}, qr/status|timestamped|KTAP/],
	failing_status => [{ message => $good_log . 'KTAP version 1\\n1..1\\nok 1 a\\n', status => 1 },
			   qr/run-qemu status 1/],
	not_ok => [{ message => $good_log . 'KTAP version 1\\n1..2\\nok 1 a\\nnot ok 2 b\\n' },
		   qr/not ok 2 b/],
	short_plan => [{ message => $good_log . 'KTAP version 1\\n1..3\\nok 1 a\\n' },
		       qr/1 KTAP results for a plan of 3/],
	backwards => [{ message => '[    0.000009] a\\n' . $good_log . 'KTAP version 1\\n1..1\\nok 1 a\\n' },
		      qr/timestamp goes backwards/],
	no_free => [{ message => join('', map { "[    0.00000$_] x\\n" } 1 .. 6) . 'KTAP version 1\\n1..1\\nok 1 a\\n' },
		    qr/Freeing unused kernel memory/],
	hang => [{ message => $good_log, hang => 1 }, qr/run-qemu status 3/],
	triple_fault => [{ message => $good_log, triple => 1 }, qr/run-qemu status 4/],
	# QEMU's status 1 without the power-off line: what QEMU's own
	# errors look like, not a success
	silent_exit => [{ message => $good_log . 'KTAP version 1\\n1..1\\nok 1 a\\n',
			  silent_exit => 1 }, qr/run-qemu status 4/],
);

for my $name (sort keys %cases) {
	my ($opts, $want) = @{ $cases{$name} };
	my $r = boot(kernel => fake($name, %$opts), cpu => '486',
		     timeout => $opts->{hang} ? 3 : 20);
	my @p = boot_problems($r);
	ok(scalar @p, "$name kernel is caught");
	like(join("\n", @p), $want, "$name kernel: the right problem named")
		or diag(join "\n", @p, $r->{log});
}

# QEMU's own errors exit 1, as a kernel's power-off with status 0 does:
# run-qemu must say 4 (its --help), and make run must fail.
sub run_out {
	my (@cmd) = @_;
	my $pid = open(my $fh, '-|') // die "fork: $!";
	if (!$pid) {
		open(STDIN, '<', '/dev/null');
		open(STDERR, '>&', \*STDOUT);
		exec @cmd or die "exec: $!";
	}
	local $/;
	my $out = <$fh> // '';
	close $fh;
	return ($? >> 8, $out);
}
my @qemu_errors = (
	['an unknown CPU model', [qw(--cpu bogus)], qr/unable to find CPU model 'bogus'/],
	['a missing -initrd file',
	 [qw(--qemu-arg -initrd --qemu-arg modules/missing.ko)],
	 qr/Failed to open file 'modules\/missing.ko'/],
	['a bad QEMU option', [qw(--qemu-arg -no-such-option)],
	 qr/invalid option/],
);
for my $e (@qemu_errors) {
	my ($what, $args, $msg) = @$e;
	my ($st, $out) = run_out('scripts/run-qemu', @$args,
				 '--append', 'poweroff', 'vmlinux');
	is($st, 4, "run-qemu: $what is status 4, not success") or diag($out);
	like($out, $msg, "run-qemu: $what: QEMU's message shown");
	like($out, qr/^run-qemu: QEMU exited with status 1 before the kernel powered off/m,
	     "run-qemu: $what: says the kernel did not run");
}
for my $args (['CPU=bogus'], ['MODULES=modules/modtest.ko,modules/missing.ko']) {
	my ($st, $out) = run_out('make', '--no-print-directory', 'run', @$args);
	isnt($st, 0, "make run @$args fails") or diag($out);
}
my ($st, $out) = run_out('make', '--no-print-directory', 'run');
is($st, 0, 'make run: the kernel powers off with status 0') or diag($out);
like($out, qr/power: off, status 0/, 'make run: the power-off line');

# With the monitor on standard input (make run), a kernel that idles
# gets a line saying how to leave; Ctrl-A x then quits QEMU, which is not
# a power-off with status 0.
{
	my $pid = open2(my $out, my $in, 'sh', '-c', 'exec scripts/run-qemu '
			. '--monitor stdio --timeout 120 --append selftest '
			. 'vmlinux 2>&1');
	my $log = '';
	while (my $l = <$out>) {
		$log .= $l;
		last if $l =~ /^run-qemu: the kernel idles/;
	}
	like($log, qr/^\[\s*\d+\.\d+\] idle: boot complete.*\n^run-qemu: the kernel idles \(no "poweroff" on its command line\): Ctrl-A x quits QEMU, Ctrl-A c switches to the \(qemu\) monitor and back$/m,
	     'run-qemu --monitor: an idle kernel, and how to leave');
	print $in "\x01x";
	close $in;
	local $/;
	$log .= <$out> // '';
	$log =~ s/\r//g;
	waitpid($pid, 0);
	is($? >> 8, 4, 'run-qemu --monitor: Ctrl-A x is status 4, not success')
		or diag($log);
	like($log, qr/^run-qemu: QEMU was quit \(Ctrl-A x\) before the kernel powered off/m,
	     'run-qemu --monitor: Ctrl-A x named') or diag($log);
}

my $r = boot(cpu => '486', append => 'selftest poweroff');
is_deeply([boot_problems($r)], [], 'the real kernel passes the same checks')
	or diag($r->{log});

done_testing();

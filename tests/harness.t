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

my $r = boot(cpu => '486', append => 'selftest poweroff');
is_deeply([boot_problems($r)], [], 'the real kernel passes the same checks')
	or diag($r->{log});

done_testing();

#!/usr/bin/perl
# The defconfig kernel boots on the oldest and on a modern CPU model,
# passes its self-tests and powers off; the deliberate invalid opcode
# gives exactly one oops naming the function, and the CPU halts.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;
use Fixup386::Boot qw(boot check_boot);

for my $cpu (qw(486 pentium Conroe max)) {
	my $r = boot(cpu => $cpu, append => 'selftest poweroff');
	check_boot($r, "-cpu $cpu");
}

my $r = boot(cpu => '486',
	     append => 'selftest=vsnprintf selftest_crash=invalid_opcode poweroff');
check_boot($r, 'invalid opcode', status => 2, oops => 1);
my @oops = $r->{log} =~ /^\[[ \d.]+\] (oops: .*)$/mg;
is(scalar(grep { /^oops: invalid opcode/ } @oops), 1, 'exactly one oops');
like($r->{log}, qr/^\[[ \d.]+\] EIP: 0008:\[<[0-9a-f]{8}>\] crash_invalid_opcode\+0x[0-9a-f]+\/0x[0-9a-f]+$/m,
     'the oops names the function as symbol+off/len');
like($r->{log}, qr/oops: CPU 0 halted/, 'the CPU halts');
like($r->{log}, qr/Call Trace:\n.*run_crash_test\+/, 'the call trace names the caller');

# A kernel stack overflow runs into the guard page; the double-fault
# task reports it instead of the machine resetting.
for my $cpu ('486', 'Conroe') {
	$r = boot(cpu => $cpu, smp => 2,
		  append => 'selftest_crash=stack_overflow poweroff');
	is($r->{status}, 2, "$cpu: stack overflow ends in an oops power-off")
		or diag($r->{log});
	my @o = $r->{log} =~ /^\[[ \d.]+\] (oops: double fault.*)$/mg;
	is(scalar @o, 1, "$cpu: exactly one double-fault oops");
	like($r->{log}, qr/EIP: 0008:\[<[0-9a-f]{8}>\] recurse\S*\+0x[0-9a-f]+\/0x[0-9a-f]+$/m,
	     "$cpu: the oops names the overflowing function");
	like($r->{log}, qr/oops: kernel stack overflow: ESP [0-9a-f]{8} reached the guard page/,
	     "$cpu: the overflow is named");
}

# Bad parameters are warned about by name; boot goes on.
$r = boot(cpu => 'pentium',
	  append => 'selftest bogus loglevel=abc poweroff=1 poweroff');
check_boot($r, 'bad parameters');
like($r->{log}, qr/cmdline: unknown parameter 'bogus' ignored/, 'unknown parameter named');
like($r->{log}, qr/cmdline: bad value 'abc' for 'loglevel'/, 'bad value named');

# A selection that names no test is one failure, and nothing passed.
$r = boot(cpu => 'pentium', append => 'selftest=NOMATCH poweroff');
is($r->{status}, 1, 'selftest=NOMATCH: status 1, a failure');
like($r->{log}, qr/\] selftest: no test matches 'NOMATCH'\n.*\] selftest: 0 passed, 1 failed\n/s,
     'selftest=NOMATCH: no test matches, 0 passed, 1 failed');

# Without the isa-debug-exit device the kernel halts with a message.
# The timeout ends the halted kernel; 5 s was too short to boot it at
# all on a loaded machine (a load average of 30 on 2 cores).
$r = boot(cpu => '486', append => 'poweroff', timeout => 20,
	  no_exit_device => 1);
is($r->{status}, 3, 'no exit device: the kernel halts (ended by timeout)');
like($r->{log}, qr/power: no isa-debug-exit device at 0xf4; halting/,
     'no exit device: the kernel says why it halts');

done_testing();

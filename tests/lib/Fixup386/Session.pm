package Fixup386::Session;
# SPDX-License-Identifier: GPL-2.0
#
# A running kernel that a test talks to: scripts/run-qemu with the
# console on a pipe and QEMU's QMP monitor on a socket. The test waits
# for console lines, sends monitor commands (the human monitor's, as a
# user types them, through QMP's human-monitor-command, whose answers
# are plain text), reads QMP events (DEVICE_DELETED, ...) and dumps
# guest memory (pmemsave). Used by tests/fixup-memory.t (through
# Fixup386::Memory) and tests/hotplug.t.
#
# QMP: QEMU's docs/interop/qmp-spec.rst (one JSON object a line, the
# greeting, qmp_capabilities, then {"execute": ...} -> {"return": ...} or
# {"error": ...}, events {"event": ...} in between).
#
#   my $s = Fixup386::Session->start(cpu => 'Conroe', smp => '1,maxcpus=4',
#                                    append => 'selftest_on_hotplug');
#   $s->wait_for(qr/idle: boot complete/) or die $s->log;
#   my $answer = $s->hmp('device_add Conroe-i386-cpu,id=cpu1,...');
#   my $bytes = $s->dump($addr, $size);
#   my $r = $s->finish;	# { status, log, cmd, events }
use strict;
use warnings;
use IO::Socket::UNIX;
use IO::Select;
use JSON::PP;
use File::Temp qw(tempdir);
use File::Path qw(remove_tree);
use Time::HiRes qw(time sleep);

my $json = JSON::PP->new->canonical;

# start(cpu => MODEL, smp => "N" or "N,maxcpus=M", append => ARGS,
#       kernel => FILE, timeout => S, qemu_args => [...])
# timeout is run-qemu's: QEMU is killed after S seconds (default 600),
# whatever the test is doing; it only ends a session that hangs.
sub start {
	my ($class, %o) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my $smp = $o{smp} // 1;
	my ($n) = $smp =~ /^(\d+)/ or die "smp '$smp': no CPU count\n";
	my @cmd = ('scripts/run-qemu', '--cpu', $o{cpu} // 'max',
		   '--smp', $n, '--timeout', $o{timeout} // 600,
		   '--append', $o{append} // '',
		   # the whole -smp (maxcpus=...) after run-qemu's: QEMU
		   # merges them, the later wins
		   ($smp ne $n ? ('--qemu-arg', '-smp', '--qemu-arg', $smp) : ()),
		   '--qemu-arg', '-qmp',
		   '--qemu-arg', "unix:$dir/qmp,server=on,wait=off",
		   (map { ('--qemu-arg', $_) } @{ $o{qemu_args} // [] }),
		   $o{kernel} // 'vmlinux');
	my $pid = open(my $fh, '-|') // die "fork: $!";
	if (!$pid) {
		open(STDIN, '<', '/dev/null');
		open(STDERR, '>&', \*STDOUT);
		exec @cmd or die "exec: $!";
	}
	my $s = bless { pid => $pid, fh => $fh, dir => $dir, log => '',
			cmd => "@cmd", events => [], eof => 0, buf => '' },
		$class;
	$s->connect;
	return $s;
}

# The QMP socket appears once QEMU has parsed its options.
sub connect {
	my ($s) = @_;
	my $deadline = time + 30;
	while (time < $deadline && !$s->{eof}) {
		$s->{mon} = IO::Socket::UNIX->new(Peer => "$s->{dir}/qmp")
			and last;
		$s->pump(0.05);
	}
	die "QMP socket: $!\n$s->{cmd}\n$s->{log}" unless $s->{mon};
	my $hello = $s->qmp_line // die "no QMP greeting\n";
	die "QMP greeting: $hello->{error}{desc}\n" unless $hello->{QMP};
	$s->qmp('qmp_capabilities');
}

# Read what the console printed, waiting at most $wait seconds.
sub pump {
	my ($s, $wait) = @_;
	return if $s->{eof};
	my $sel = IO::Select->new($s->{fh});
	if ($sel->can_read($wait)) {
		my $n = sysread($s->{fh}, my $buf, 65536);
		if ($n) {
			$buf =~ s/\r//g;
			$s->{log} .= $buf;
		} else {
			$s->{eof} = 1;
		}
	}
}

# The console so far.
sub log { return $_[0]{log}; }

# Wait until the console, from offset $from (0), matches $re: true, or
# false when QEMU is gone or $limit seconds (120) passed. The limit
# only keeps a lost event from hanging the test; nothing is timed.
sub wait_for {
	my ($s, $re, %o) = @_;
	my $deadline = time + ($o{limit} // 120);
	my $from = $o{from} // 0;
	while (1) {
		return 1 if substr($s->{log}, $from) =~ $re;
		return 0 if $s->{eof} || time > $deadline;
		$s->pump(0.1);
	}
}

# One JSON line from QMP (undef when it closed); the console is read
# meanwhile, so that QEMU never blocks on a full pipe.
sub qmp_line {
	my ($s) = @_;
	my $sel = IO::Select->new($s->{mon});
	my $deadline = time + 120;
	while ($s->{buf} !~ /\n/) {
		return undef if time > $deadline;
		$s->pump(0);
		next unless $sel->can_read(0.05);
		my $n = sysread($s->{mon}, my $buf, 65536);
		return undef unless $n;
		$s->{buf} .= $buf;
	}
	$s->{buf} =~ s/^([^\n]*)\n//;
	return $json->decode($1);
}

# Run a QMP command; its "return" value. Events on the way are kept.
sub qmp {
	my ($s, $cmd, %args) = @_;
	my $req = { execute => $cmd, (%args ? (arguments => \%args) : ()) };
	local $SIG{PIPE} = 'IGNORE';
	syswrite($s->{mon}, $json->encode($req) . "\n")
		or die "QMP $cmd: $!\n";
	while (my $m = $s->qmp_line) {
		if ($m->{event}) {
			push @{ $s->{events} }, $m;
			next;
		}
		die "QMP $cmd: $m->{error}{desc}\n" if $m->{error};
		return $m->{return};
	}
	die "QMP $cmd: no answer (QEMU gone?)\n";
}

# A human-monitor command, as typed at "(qemu)"; what it printed.
sub hmp {
	my ($s, $line) = @_;
	my $out = $s->qmp('human-monitor-command', 'command-line' => $line);
	$out =~ s/\r//g;
	return $out;
}

# The QMP events so far (each { event, data, timestamp }), after
# reading those that are waiting.
sub events {
	my ($s) = @_;
	$s->qmp('query-status');
	return @{ $s->{events} };
}

# Guest-physical memory [addr, addr + size) as a string of bytes. The
# kernel maps itself at its physical address (Documentation/boot.md).
# With virtual true, addr is a virtual address, read through the boot
# CPU's page tables (memsave): module text, mapped above RAM.
sub dump {
	my ($s, $addr, $size, $virtual) = @_;
	my $file = "$s->{dir}/mem";
	unlink $file;
	$s->qmp($virtual ? 'memsave' : 'pmemsave', val => $addr,
		size => $size, filename => $file);
	my $mem = do { local (@ARGV, $/) = ($file); <> };
	die "pmemsave: " . length($mem // '') . " of $size bytes\n"
		unless defined $mem && length $mem == $size;
	return $mem;
}

# End the session (QEMU is told to quit if it still runs) and return
# { status => run-qemu's status, log, cmd, events }.
sub finish {
	my ($s) = @_;
	if (!$s->{eof}) {
		eval { $s->{events} = [$s->events]; $s->qmp('quit') };
		$s->pump(1) until $s->{eof};
	}
	close $s->{mon} if $s->{mon};
	close $s->{fh};
	my $status = $? >> 8;
	# boot_each() children end with _exit(): File::Temp cannot clean up
	remove_tree($s->{dir});
	return { status => $status, log => $s->{log}, cmd => $s->{cmd},
		 events => $s->{events} };
}

# A session the test left (a die on the way) still ends QEMU.
sub DESTROY {
	my ($s) = @_;
	return if $s->{eof} || !$s->{fh} || !$s->{fh}->opened;
	eval { $s->qmp('quit') } or kill 'KILL', $s->{pid};
}

1;

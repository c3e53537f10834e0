package Fixup386::Nmi;
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel with scripts/run-qemu while QEMU's human monitor injects
# NMIs ("nmi", what "virsh inject-nmi" or a server's NMI button does):
# one every 1-2 ms, from the first console line (or from QEMU's start)
# until QEMU exits. Used by tests/nmi.t.
use strict;
use warnings;
use Exporter 'import';
use IO::Socket::UNIX;
use IO::Select;
use Socket qw(SOCK_STREAM);
use Time::HiRes qw(time);
use File::Temp qw(tempdir);
use POSIX qw(:sys_wait_h);

our @EXPORT_OK = qw(boot_nmi);

# boot_nmi(cpu => MODEL, smp => N, append => ARGS, kernel => FILE,
#          timeout => S, from_start => BOOL, interval => [MIN_MS, MAX_MS],
#          qemu_args => [...])
# returns { status, log, cmd, sent => "nmi" commands written }
# from_start sends from QEMU's start, before the firmware has run: under
# QEMU that reaches SeaBIOS, which has no NMI handler (Documentation/nmi.md).
sub boot_nmi {
	my (%o) = @_;
	local $SIG{PIPE} = "IGNORE";	# QEMU closes the monitor as it exits
	my $dir = tempdir(CLEANUP => 1);
	my $sock = "$dir/mon";
	my ($lo, $hi) = @{ $o{interval} // [1, 2] };
	my @cmd = ('scripts/run-qemu', '--cpu', $o{cpu} // 'max',
		   '--smp', $o{smp} // 1, '--timeout', $o{timeout} // 60,
		   '--append', $o{append} // 'selftest poweroff',
		   '--qemu-arg', '-monitor',
		   '--qemu-arg', "unix:$sock,server=on,wait=off",
		   (map { ("--qemu-arg", $_) } @{ $o{qemu_args} // [] }),
		   $o{kernel} // 'vmlinux');
	my $pid = open(my $fh, '-|') // die "fork: $!";
	if (!$pid) {
		open(STDERR, '>&', \*STDOUT);
		exec @cmd or die "exec: $!";
	}
	my ($log, $mon, $queued, $next, $out, $gone) = ('', undef, 0, 0, '', 0);
	my $sel = IO::Select->new($fh);
	my $start = $o{from_start};
	while (1) {
		my $now = time;
		if (!$mon && !$gone &&
		    ($start || $log =~ /^\[\s*\d+\.\d+\] /m)) {
			$start = 1;
			$mon = IO::Socket::UNIX->new(Type => SOCK_STREAM,
						     Peer => $sock);
			if ($mon) {
				$mon->blocking(0);
				$sel->add($mon);
				$next = $now;
			}
		}
		if ($mon && $now >= $next) {
			$out .= "nmi\n";
			$queued++;
			$next = $now + ($lo + rand($hi - $lo)) / 1000;
		}
		if ($mon && length $out) {
			# Whole lines reach the monitor in order, however the
			# socket buffer splits them.
			my $n = syswrite($mon, $out);
			substr($out, 0, $n, '') if $n;
		}
		my $wait = $mon ? $next - time : 0.0005;
		my @ready = $sel->can_read($wait > 0 ? $wait : 0);
		my $eof;
		for my $h (@ready) {
			my $n = sysread($h, my $buf, 65536);
			if ($h == $fh) {
				if (!$n) { $eof = 1; last; }
				$log .= $buf;
			} elsif (!$n) {
				$sel->remove($mon);
				close $mon;
				$mon = undef;	# QEMU is going away
				$gone = 1;
			}
			# monitor output (prompts, echo) is discarded
		}
		last if $eof;
	}
	# what never left this process was not sent
	my $sent = $queued - int((length($out) + 3) / 4);
	close $fh;
	my $status = $? >> 8;
	$log =~ s/\r//g;
	return { status => $status, log => $log, cmd => "@cmd",
		 sent => $sent };
}

1;

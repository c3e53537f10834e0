package Fixup386::Memory;
# Boot a kernel, let it finish booting and idle, then read its memory
# through the QEMU monitor (pmemsave): what the patcher really wrote.
use strict;
use warnings;
use Exporter 'import';
use IO::Socket::UNIX;
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep time);

our @EXPORT_OK = qw(boot_and_dump);

# boot_and_dump(cpu => M, smp => N, append => ARGS, addr => A, size => S)
# returns { log => console text, mem => bytes at [A, A + S) } or dies.
sub boot_and_dump {
	my (%o) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my ($sock, $log, $out) = ("$dir/mon", "$dir/console", "$dir/mem");
	my $pid = fork() // die "fork: $!";
	if (!$pid) {
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>', '/dev/null');
		open(STDERR, '>', '/dev/null');
		exec('qemu-system-i386', '-kernel', $o{kernel} // 'vmlinux',
		     '-append', $o{append} // '', '-cpu', $o{cpu},
		     '-smp', $o{smp} // 1, '-m', 128, '-display', 'none',
		     '-no-reboot', '-serial', "file:$log",
		     '-monitor', "unix:$sock,server,nowait") or exit 127;
	}
	my $text = '';
	my $deadline = time + ($o{timeout} // 60);
	while (time < $deadline) {
		$text = do { local (@ARGV, $/) = ($log); <> } // '' if -f $log;
		last if $text =~ /idle: boot complete|oops:|Kernel panic/;
		sleep 0.2;
	}
	my $mem;
	if ($text =~ /idle: boot complete/ && -S $sock) {
		my $m = IO::Socket::UNIX->new(Peer => $sock) or die "monitor: $!";
		printf $m "pmemsave 0x%x 0x%x \"%s\"\n", $o{addr}, $o{size}, $out;
		for (1 .. 100) {
			last if -f $out && -s $out == $o{size};
			sleep 0.1;
		}
		print $m "quit\n";
		close $m;
		$mem = do { local (@ARGV, $/) = ($out); <> } if -f $out;
	}
	kill 'KILL', $pid;
	waitpid($pid, 0);
	$text =~ s/\r//g;
	return { log => $text, mem => $mem };
}

1;

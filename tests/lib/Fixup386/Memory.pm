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
# Options: qemu_args => [more QEMU arguments], virtual => 1 (A is a
# virtual address, read through the boot CPU's page tables: memsave, not
# pmemsave), info_mem => 1 (also return the monitor's "info mem", the
# mapped virtual ranges and their rights, as info_mem).
# A and S may also be functions of the console text, called once the
# kernel has booted (an address it printed).
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
		     '-monitor', "unix:$sock,server,nowait",
		     @{$o{qemu_args} // []}) or exit 127;
	}
	my $text = '';
	my $deadline = time + ($o{timeout} // 60);
	while (time < $deadline) {
		$text = do { local (@ARGV, $/) = ($log); <> } // '' if -f $log;
		last if $text =~ /idle: boot complete|oops:|Kernel panic/;
		sleep 0.2;
	}
	my ($mem, $info);
	if ($text =~ /idle: boot complete/ && -S $sock) {
		my $m = IO::Socket::UNIX->new(Peer => $sock) or die "monitor: $!";
		my ($addr, $size) = map { ref $_ ? $_->($text) : $_ }
			@o{qw(addr size)};
		monitor_reply($m);		# the banner
		if ($o{info_mem}) {
			print $m "info mem\n";
			$info = monitor_reply($m);
		}
		printf $m "%s 0x%x 0x%x \"%s\"\n", $o{virtual} ? 'memsave'
			: 'pmemsave', $addr, $size, $out;
		for (1 .. 100) {
			last if -f $out && -s $out == $size;
			sleep 0.1;
		}
		print $m "quit\n";
		close $m;
		$mem = do { local (@ARGV, $/) = ($out); <> } if -f $out;
	}
	kill 'KILL', $pid;
	waitpid($pid, 0);
	$text =~ s/\r//g;
	return { log => $text, mem => $mem, info_mem => $info };
}

# What the monitor prints up to its next prompt, the prompt left out.
sub monitor_reply {
	my ($m) = @_;
	my ($buf, $end) = ('', time + 10);
	while (time < $end && $buf !~ /\(qemu\) $/) {
		my $rin = '';
		vec($rin, fileno($m), 1) = 1;
		next unless select(my $r = $rin, undef, undef, 0.2);
		sysread($m, $buf, 4096, length $buf) or last;
	}
	$buf =~ s/\e\[[0-9;]*[A-Za-z]//g;	# the monitor's terminal codes
	$buf =~ s/\r//g;
	$buf =~ s/\(qemu\) $//;
	return $buf;
}

1;

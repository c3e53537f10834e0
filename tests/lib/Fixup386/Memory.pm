package Fixup386::Memory;
# Boot a kernel, let it finish booting and idle, then read its memory
# through the QEMU monitor (Fixup386::Session's dump(): pmemsave): what
# the patcher really wrote.
use strict;
use warnings;
use Exporter 'import';
use Fixup386::Session;

our @EXPORT_OK = qw(boot_and_dump);

# boot_and_dump(cpu => M, smp => N, append => ARGS, addr => A, size => S)
# returns { log => console text, mem => bytes at [A, A + S), undef if the
# boot did not complete }.
sub boot_and_dump {
	my (%o) = @_;
	my $s = Fixup386::Session->start(cpu => $o{cpu}, smp => $o{smp} // 1,
		append => $o{append} // '', kernel => $o{kernel},
		timeout => $o{timeout} // 60);
	$s->wait_for(qr/idle: boot complete|oops:|Kernel panic/);
	my $mem = $s->log =~ /idle: boot complete/ ?
		$s->dump($o{addr}, $o{size}) : undef;
	return { log => $s->finish->{log}, mem => $mem };
}

1;

package Fixup386::Memory;
# Boot a kernel, let it finish booting and idle, then read its memory
# through the QEMU monitor (Fixup386::Session's dump(): pmemsave, or
# memsave for a virtual address): what the patcher really wrote.
use strict;
use warnings;
use Exporter 'import';
use Fixup386::Session;

our @EXPORT_OK = qw(boot_and_dump);

# boot_and_dump(cpu => M, smp => N, append => ARGS, addr => A, size => S)
# returns { log => console text, mem => bytes at [A, A + S), undef if the
# boot did not complete }.
# Options: qemu_args => [more QEMU arguments], virtual => 1 (A is a
# virtual address, read through the boot CPU's page tables), info_mem =>
# 1 (also return the monitor's "info mem", the mapped virtual ranges and
# their rights, as info_mem). A and S may also be functions of the
# console text, called once the kernel has booted (an address it
# printed).
sub boot_and_dump {
	my (%o) = @_;
	my $s = Fixup386::Session->start(cpu => $o{cpu}, smp => $o{smp} // 1,
		append => $o{append} // '', kernel => $o{kernel},
		timeout => $o{timeout} // 60, qemu_args => $o{qemu_args});
	my ($mem, $info);
	$s->wait_for(qr/idle: boot complete|oops:|Kernel panic/);
	if ($s->log =~ /idle: boot complete/) {
		my ($addr, $size) = map { ref $_ ? $_->($s->log) : $_ }
			@o{qw(addr size)};
		$info = $s->hmp('info mem') if $o{info_mem};
		$mem = $s->dump($addr, $size, $o{virtual});
	}
	return { log => $s->finish->{log}, mem => $mem, info_mem => $info };
}

1;

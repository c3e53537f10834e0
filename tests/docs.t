#!/usr/bin/perl
# The README's and Documentation/report.md's examples are what the kernel
# prints. The "make run" commands of the README and Documentation/ that
# end on their own (the kernel powers off), and the README's QEMU
# command, are run as printed and must succeed; then every
# console line the two documents show in their examples must be a line
# of one of those boots, or of the few more below that report.md's
# examples come from (timestamps and time_us= aside). A line that only a
# session can show (a CPU added by hand), spectre_v2=lfence or a kernel
# built without thunks is named and not checked here: tests/hotplug.t,
# tests/hotplug-sci.t and tests/spectre.t check those lines.
use strict;
use warnings;
use lib 'tests/lib';
use Test::More;

sub slurp {
	my ($f) = @_;
	open(my $fh, '<', $f) or die "$f: $!";
	local $/;
	return <$fh>;
}

sub make_run {
	my ($args) = @_;
	my $pid = open(my $fh, '-|') // die "fork: $!";
	if (!$pid) {
		open(STDIN, '<', '/dev/null');
		open(STDERR, '>&', \*STDOUT);
		exec('sh', '-c', "exec make --no-print-directory run $args")
			or die "exec: $!";
	}
	local $/;
	my $out = <$fh> // '';
	close $fh;
	$out =~ s/\r//g;
	return ($? >> 8, $out);
}

my $readme = slurp('README.md');
my @commands;
for my $doc ('README.md', glob 'Documentation/*.md') {
	# a command, and the lines it continues on with a backslash
	for (slurp($doc) =~ /^    (make run\b(?:.*\\\n)*.*)$/mg) {
		(my $c = $_) =~ s/\s*\\\n\s*/ /g;
		$c =~ s/\s+#.*$//;
		# With room for hot-added CPUs and no poweroff it stays up.
		next if $c =~ /maxcpus=/ && $c !~ /poweroff/;
		push @commands, $c unless grep { $_ eq $c } @commands;
	}
}
ok(@commands >= 7, 'the README and Documentation/ show make run commands')
	or diag(join "\n", @commands);

# report.md's examples: no APIC, nofixup, and the README's CPU hot-add
# boot, ended by poweroff instead of by hand.
my @more = ('make run CPU=486 SMP=2', 'make run APPEND="nofixup poweroff"',
	    'make run SMP=1,maxcpus=4 APPEND=poweroff '
	    . 'MODULES=modules/modtest.ko');

# The README's plain QEMU command for vmlinux (the ISO's: tests/grub.t).
my ($qemu) = $readme =~ /^    (qemu-system-i386 -kernel vmlinux (?:.*\\\n)*.*)$/m;
ok($qemu, 'the README shows a QEMU command for vmlinux') or diag($readme);
if ($qemu) {
	$qemu =~ s/\s*\\\n\s*/ /g;
	my $out = `timeout -k 5 120 $qemu </dev/null 2>&1`;
	# isa-debug-exit: status 0 is QEMU's 1
	is($? >> 8, 1, "$qemu: QEMU's status for a power-off with status 0");
	like($out, qr/power: off, status 0\r?$/m, "$qemu: powers off")
		or diag($out);
	like($out, qr/selftest: \d+ passed, 0 failed/, "$qemu: self-tests pass");
}

my %seen;
for my $c (@commands, @more) {
	(my $args = $c) =~ s/^make run\s*//;
	my ($st, $out) = make_run($args);
	is($st, 0, "$c: powers off with status 0") or diag($out);
	$seen{normal($_)} = 1 for split /\n/, $out;
}

# Timestamps and times vary from boot to boot, and fixup_debug's site
# lines with any change to the code: their offset and a call's
# displacement are not compared.
sub normal {
	my ($l) = @_;
	$l =~ s/^\[\s*\d+\.\d+\] //;
	$l =~ s/\b(time_us|sci_to_up_us)=\d+/$1=#/g;
	if ($l =~ /^fixup: site /) {
		$l =~ s/\+0x[0-9a-f]+ /+0x# /;
		$l =~ s/\be8(?: [0-9a-f]{2}){4}\b/e8 # # # #/g;
	}
	return $l;
}

# Lines these boots cannot show: a session's with device_add/device_del,
# spectre_v2=lfence's and a kernel's built without thunks
# (tests/spectre.t's).
my $elsewhere = qr/^(?:hotplug: (?:insert|remove|add |remove )|fixup: repatched |fixup: mode: \S+ cpus=\d+ reason=hotplug|idle: boot complete|fixup: spectre_v2: mode=(?:lfence |none reason=not-built))/;
# A format rather than an example: placeholders in capitals.
my $format = qr/(?<![\w.])(?:[NMKPRTBSFUILA]|VENDOR|LIST|MODE|REASON|KIND|VARIANT|RECORD|SITE|SYMBOL|OFF|OLD|NEW|NAME|TEXT|SOURCE|ADDR|PORT|GPE|REASON)(?![\w])|0x[A-Z]|CPUn|CPU\[s\]/;

sub check_examples {
	my ($doc, $want, @lines) = @_;
	my ($n, @skipped) = (0);
	for my $l (@lines) {
		my $line = normal($l);
		next unless $line =~ $want;
		next if $line =~ $format;
		if ($line =~ $elsewhere) {
			push @skipped, $line;
			next;
		}
		$n++;
		next if ok($seen{$line}, "$doc: '$line' is what a boot prints");
		# What the boots printed instead: lines of the same two words.
		my $head = join ' ', (split ' ', $line)[0, 1];
		diag("a boot printed: $_") for grep { index($_, "$head ") == 0 }
			sort keys %seen;
	}
	ok($n, "$doc: examples checked");
	note("$doc: not checked here (a session's, or tests/spectre.t's): $_")
		for @skipped;
}

# README.md: every console line of its examples.
check_examples('README.md', qr/^\S+: |^Freeing /,
	       $readme =~ /^    (\[\s*\d+\.\d+\] .*)$/mg);

# report.md: the fixup: lines and the module: lines of the kernel's own
# modules; a refused module and the rejected records come from the bad
# files and records of tests/modules.t and tests/configs.t.
my $report = slurp('Documentation/report.md');
check_examples('Documentation/report.md',
	       qr/^fixup: (?!rejected )|^module: modtest /,
	       $report =~ /^    ((?:fixup|module): .*)$/mg);

# Every file of the tree that a script's --help names exists (an example
# of fixup-report's named arch/i386/kernel/spinlock.o).
my %not_ours = ('scripts/mod/modpost.c' => "Linux's, named as a model");
for my $script (grep { -f && -x } glob 'scripts/*') {
	# Only those that have a --help (link-vmlinux.sh would link "--help")
	next unless slurp($script) =~ /--help\b|'help\b/;
	my $help = `$script --help 2>&1 </dev/null`;
	my %named;
	for ($help =~ m{(?:^|[\s"'(])((?:arch|modules|include|scripts|tests|Documentation|bench|ldscripts)/[\w./-]+)}g) {
		(my $f = $_) =~ s/[.]+$//;
		$named{$f} = 1 unless $f =~ /[A-Z]{3,}/ || $not_ours{$f};
	}
	my @missing = grep { !-e } sort keys %named;
	is_deeply(\@missing, [], "$script --help names files that exist");
}

done_testing();

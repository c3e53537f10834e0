package Fixup386::Build;
# Build the kernel with another configuration in a copy of the source
# tree, so that tests can try configurations without touching the main
# build. build_config("CONFIG_X=y\n...") returns (vmlinux path, log).
use strict;
use warnings;
use Exporter 'import';
use File::Temp qw(tempdir);
use File::Path qw(make_path);
use File::Copy qw(copy);
use File::Find;

our @EXPORT_OK = qw(copy_tree build_config);

sub source_files {
	if (-d '.git') {
		my @f = split /\0/, `git ls-files -z --cached --others --exclude-standard`;
		return grep { -f } @f;
	}
	my @f;
	find(sub { push @f, $File::Find::name =~ s{^\./}{}r if -f }, '.');
	return grep { !m{(^|/)(build|\.git)/|\.o$|\.fx\.s$|^vmlinux$} } @f;
}

sub copy_tree {
	my $dir = tempdir('fixup386-XXXXXX', TMPDIR => 1, CLEANUP => 1);
	for my $f (source_files()) {
		next if $f =~ m{^tests/} && $f !~ m{^tests/(host|fuzz)/};
		(my $d = "$dir/$f") =~ s{/[^/]+$}{};
		make_path($d);
		copy($f, "$dir/$f") or die "copy $f: $!";
		chmod((stat $f)[2] & 07777, "$dir/$f");
	}
	return $dir;
}

# Config fragment on top of defconfig (or "randconfig:SEED").
sub build_config {
	my ($fragment) = @_;
	my $dir = copy_tree();
	my $log = '';
	my $run = sub {
		my ($cmd) = @_;
		$log .= "\$ $cmd\n" . `cd $dir && $cmd 2>&1`;
		return $? == 0;
	};
	my $ok;
	if ($fragment =~ /^randconfig:(\d+)$/) {
		$ok = $run->("KCONFIG_SEED=$1 make -s randconfig");
	} else {
		$ok = $run->('make -s defconfig');
		if ($ok) {
			open my $fh, '>>', "$dir/.config" or die;
			print $fh $fragment;
			close $fh;
			$ok = $run->('make -s olddefconfig');
		}
	}
	$ok &&= $run->('make -j2');
	return ($ok ? "$dir/vmlinux" : undef, $log, $dir);
}

1;

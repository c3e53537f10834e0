package Fixup::Thunks;
# SPDX-License-Identifier: GPL-2.0
#
# The Spectre v2 thunks GCC branches to, and the site kind of each branch
# (Documentation/spectre.md): what the asm pass records, fixup-verify
# checks and fixup-report names.

use strict;
use warnings;

=head1 NAME

Fixup::Thunks - the thunks of the THUNK site kinds, by name

=head1 SYNOPSIS

  my $kind = Fixup::Thunks::site_kind('call', '__x86_indirect_thunk_eax');
  # 'THUNK_CALL'
  my $t = Fixup::Thunks::thunk('__x86_return_thunk_ecx');
  # { name, reg => 'ecx', call => undef, jmp => 'THUNK_JMP' }
  my @names = Fixup::Thunks::of_kind('RETURN');  # ('__x86_return_thunk')

=head1 DESCRIPTION

GCC 12 names the thunks itself (C<-mindirect-branch=thunk-extern
-mindirect-branch-register>, C<-mfunction-return=thunk-extern>); the
kernel defines them in F<arch/i386/lib/retpoline.S>. Which branch to
which thunk is a site of which kind of the catalogue
(F<include/asm/fixup-kinds.h>):

  call __x86_indirect_thunk_REG   THUNK_CALL  REG  (call *%REG)
  jmp  __x86_indirect_thunk_REG   THUNK_JMP   REG  (a tail call: jmp *%REG)
  jmp  __x86_return_thunk_ecx     THUNK_JMP   ecx  ("ret $N": popl %ecx;
                                                    leal N(%esp),%esp first)
  jmp  __x86_return_thunk         RETURN      -    (ret)

REG is any of eax ecx edx ebx ebp esi edi (never esp: GCC cannot branch
through the stack pointer). A call to a return thunk is no site: GCC
never writes one.

=over 4

=item thunk(NAME)

C<{ name, reg, call, jmp }> for a thunk: its register (undef for
C<__x86_return_thunk>) and the kind of a C<call> and of a C<jmp> to it
(undef where that branch is no site). Undef for any other name.

=item site_kind(BRANCH, NAME)

The kind name of a C<call> or C<jmp> (BRANCH) to the symbol NAME, or
undef.

=item of_kind(KIND)

The names of the thunks that a site of KIND may branch to, sorted.

=item names()

Every thunk's name, sorted.

=item reg_number(REG)

The number of a 32-bit register in a ModRM byte (Intel SDM vol. 2A,
table 2-2): eax 0, ecx 1, edx 2, ebx 3, esp 4, ebp 5, esi 6, edi 7.

=back

=cut

my %REG = (eax => 0, ecx => 1, edx => 2, ebx => 3, esp => 4, ebp => 5,
	esi => 6, edi => 7);

my %THUNK = (
	(map { ("__x86_indirect_thunk_$_" => { reg => $_,
	    call => 'THUNK_CALL', jmp => 'THUNK_JMP' }) }
	    qw(eax ecx edx ebx ebp esi edi)),
	__x86_return_thunk_ecx => { reg => 'ecx', call => undef,
	    jmp => 'THUNK_JMP' },
	__x86_return_thunk => { reg => undef, call => undef,
	    jmp => 'RETURN' },
);
$THUNK{$_}{name} = $_ for keys %THUNK;

sub thunk { return $THUNK{$_[0] // ''}; }

sub site_kind {
	my ($branch, $name) = @_;
	my $t = thunk($name) or return undef;
	return $t->{$branch};
}

sub of_kind {
	my ($kind) = @_;
	return sort grep { grep { ($_ // '') eq $kind }
	    @{$THUNK{$_}}{qw(call jmp)} } keys %THUNK;
}

sub names { return sort keys %THUNK; }

sub reg_number { return $REG{$_[0]}; }

1;

/*
 * Multiboot v1 entry point. See the Multiboot Specification 0.6.96,
 * 3.1 "OS image format" and 3.2 "Machine state": we arrive in 32-bit
 * protected mode, paging off, interrupts off, EAX = 0x2BADB002 and
 * EBX = the physical address of the multiboot information.
 */
#include <asm/segment.h>

#define MB_HEADER_MAGIC	0x1BADB002
#define MB_PAGE_ALIGN	(1 << 0)	/* modules on page boundaries */
#define MB_MEMORY_INFO	(1 << 1)	/* we want the memory map */
#define MB_FLAGS	(MB_PAGE_ALIGN | MB_MEMORY_INFO)

#define BOOT_STACK_SIZE	16384

	.section .multiboot, "a"
	.align 4
	.long MB_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MB_HEADER_MAGIC + MB_FLAGS)

	.section .text.head, "ax"
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp			/* ends the oops stack walk */
	pushl $0
	popfl				/* IF, DF, AC, ID all clear */
	pushl %ebx			/* struct multiboot_info * */
	pushl %eax			/* loader magic */
	call start_kernel
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start

/*
 * The boot CPU's stack, with an unmapped guard page below it once paging
 * is set up (arch/i386/mm/protect.c): an overflow faults instead of
 * silently overwriting what lies below; the double-fault task reports it.
 */
	.section .bss.page_aligned, "aw", @nobits
	.align 4096
	.globl boot_stack_guard
boot_stack_guard:
	.skip 4096
	.globl boot_stack
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:

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

#define EARLY_VECTORS	32		/* the exceptions and the NMI */
#define GATE_INTR_HI	0x8e00		/* present, ring 0, 32-bit intr gate */

	.section .text.head, "ax"
	.globl _start
	.type _start, @function
_start:
	/*
	 * From here to the lidt below, an NMI (or any exception) finds the
	 * loader's IDT and GDT, which Multiboot leaves undefined, and the
	 * machine triple-faults: that is the whole window, the instructions
	 * up to and including the lidt (a 32-pass loop among them), a few
	 * hundred nanoseconds. From the lidt on, vector 2 and the exceptions
	 * have gates: an NMI goes to the ordinary NMI path, an exception
	 * (a double fault too: an interrupt gate here, the per-CPU task gate
	 * comes with idt_init()) to the oops path. cpu_load_descriptors()
	 * then moves to the full GDT and IDT, each in one instruction.
	 */
	cli
	cld
	lgdt early_gdt_desc
	ljmp $__KERNEL_CS, $1f
1:	movl $__KERNEL_DS, %ecx
	movl %ecx, %ds
	movl %ecx, %es
	movl %ecx, %ss			/* no interrupt before the next insn */
	movl $boot_stack_top, %esp
	/* gate v: trap_stubs + 16 v, split in two halves around the selector */
	movl $trap_stubs, %edx
	movl $early_idt, %edi
	movl $EARLY_VECTORS, %ecx
2:	movl %edx, %esi
	andl $0xffff, %esi
	orl $(__KERNEL_CS << 16), %esi
	movl %esi, (%edi)
	movl %edx, %esi
	andl $0xffff0000, %esi
	orl $GATE_INTR_HI, %esi
	movl %esi, 4(%edi)
	addl $16, %edx
	addl $8, %edi
	decl %ecx
	jnz 2b
	lidt early_idt_desc		/* the window ends here */
	xorl %ebp, %ebp			/* ends the oops stack walk */
	pushl $0
	popfl				/* IF, DF, AC, ID all clear */
	movl %eax, %esi			/* kept across the call */
	pushl %ebx			/* struct multiboot_info * */
	pushl %esi			/* loader magic */
	call check_cpu			/* 486 code: halts on too old a CPU */
	addl $8, %esp
	pushl %ebx
	pushl %esi
	call start_kernel
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start

/*
 * The early descriptors: the flat code and data segments at the same
 * indices as the full GDT (asm/segment.h), and gates for vectors 0-31.
 * A vector above 31 is past the limit: #GP, which has a gate.
 */
	.section .rodata
	.align 8
early_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* __KERNEL_CS: flat 4 GiB, code */
	.quad 0x00cf92000000ffff	/* __KERNEL_DS: flat 4 GiB, data */
early_gdt_end:
	.align 4
	.word 0
early_gdt_desc:
	.word early_gdt_end - early_gdt - 1
	.long early_gdt
	.word 0
early_idt_desc:
	.word EARLY_VECTORS * 8 - 1
	.long early_idt

	.section .bss
	.align 8
early_idt:
	.skip EARLY_VECTORS * 8

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

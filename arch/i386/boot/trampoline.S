/*
 * AP start-up trampoline. See the MultiProcessor Specification 1.4,
 * B.4 "Application Processor Startup", and Intel SDM vol. 3A, 9.9.1
 * "Switching to protected mode" and 9.1.4 "First instruction executed".
 *
 * A STARTUP IPI starts the AP in real mode at VV00:0000. The boot CPU
 * copies this code to TRAMPOLINE_PHYS and fills in the parameters at its
 * end. The AP loads a flat GDT of its own (same selectors as the
 * kernel's), enters protected mode, turns on paging with the kernel's page
 * directory and the boot CPU's CR0 (WP included: text is read-only by
 * now), takes its stack and jumps to the C entry with its CPU number.
 *
 * It lives in .rodata, outside the init region: the APs start after init
 * memory is freed, and this copy is only ever read.
 */
#include <asm/segment.h>
#include <asm/trampoline.h>

#define REL(x)		((x) - trampoline_start)	/* offset in the page */
#define PHYS(x)		(TRAMPOLINE_PHYS + REL(x))	/* where it runs */
#define CR0_PE		0x1

	.section .rodata, "a"
	.balign 16
	.globl trampoline_start
	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax			/* CS = TRAMPOLINE_PHYS >> 4 */
	movw %ax, %ds
	lgdtl REL(gdt_desc)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $__KERNEL_CS, $PHYS(protected)

	.code32
protected:
	movl $__KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl PHYS(trampoline_params) + TP_CR3, %eax
	movl %eax, %cr3
	movl PHYS(trampoline_params) + TP_CR0, %eax
	movl %eax, %cr0			/* paging on: this page is mapped 1:1 */
	jmp 1f				/* 486: refetch after changing CR0 */
1:	movl PHYS(trampoline_params) + TP_ESP, %esp
	xorl %ebp, %ebp			/* ends the oops stack walk */
	pushl PHYS(trampoline_params) + TP_CPU
	pushl $0			/* no return address */
	jmp *PHYS(trampoline_params) + TP_ENTRY

/* Flat 4 GiB code and data, at the kernel's selectors. */
	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* __KERNEL_CS: present, ring 0, code */
	.quad 0x00cf92000000ffff	/* __KERNEL_DS: present, ring 0, data */
gdt_end:
	.if __KERNEL_CS != 8 || __KERNEL_DS != 16
	.error "trampoline GDT does not match asm/segment.h"
	.endif

gdt_desc:
	.word gdt_end - gdt - 1
	.long PHYS(gdt)

	.balign 4
	.globl trampoline_params
trampoline_params:
	.skip TP_SIZE
	.globl trampoline_end
trampoline_end:

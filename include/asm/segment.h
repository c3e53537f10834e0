/* GDT layout (Intel SDM vol. 3A, 3.4.5 "Segment descriptors"). */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS	1
#define GDT_ENTRY_KERNEL_DS	2
#define GDT_ENTRY_TSS		3	/* one per CPU from here on */
#define GDT_ENTRY_DF_TSS	(GDT_ENTRY_TSS + CONFIG_NR_CPUS)
#define GDT_ENTRIES		(GDT_ENTRY_DF_TSS + 1)

#define __KERNEL_CS		(GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS		(GDT_ENTRY_KERNEL_DS * 8)
#define TSS_SELECTOR(cpu)	((GDT_ENTRY_TSS + (cpu)) * 8)
#define DF_TSS_SELECTOR		(GDT_ENTRY_DF_TSS * 8)	/* double faults */

#endif

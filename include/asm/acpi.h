/*
 * What the kernel keeps from the ACPI FADT (arch/i386/kernel/acpi.c; ACPI
 * specification 6.5, 5.2.9): enough to switch to ACPI mode and take the
 * SCI for CPU hot-add (arch/i386/kernel/hotplug.c). No AML.
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <kernel/types.h>

struct acpi_fadt {
	bool found;		/* a good FADT was read */
	char oem_id[7];		/* the table header's OEM ID, NUL-ended */
	u16 sci_int;		/* SCI_INT: the 8259 IRQ of the SCI */
	u32 smi_cmd;		/* SMI_CMD port; 0: no mode switch */
	u8 acpi_enable;		/* ACPI_ENABLE: value for SMI_CMD */
	u32 pm1a_evt;		/* PM1a_EVT_BLK: status, then enable */
	u32 pm1a_cnt;		/* PM1a_CNT_BLK: SCI_EN is bit 0 */
	u8 pm1_evt_len;		/* PM1_EVT_LEN */
	u32 gpe0_blk;		/* GPE0_BLK: status bytes, then enable */
	u8 gpe0_len;		/* GPE0_BLK_LEN */
};

extern struct acpi_fadt acpi_fadt;

#define ACPI_PM1_SCI_EN		0x0001	/* PM1 control, 4.8.3.2.1 */

#endif

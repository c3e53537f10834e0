/* The kernel's own symbol table, made at link time (scripts/kallsyms.pl). */
#ifndef KERNEL_KALLSYMS_H
#define KERNEL_KALLSYMS_H

#include <kernel/types.h>

struct ksym_table {
	u32 num;
	const u32 *addr;	/* sorted */
	const u32 *size;
	const u32 *name_off;	/* into names */
	const char *names;
};

const char *ksym_lookup(const struct ksym_table *t, u32 addr, u32 *off,
			u32 *size);
const char *kallsyms_lookup(u32 addr, u32 *off, u32 *size);
/* "name+0xoff/0xlen" or "0x12345678"; returns buf. */
char *kallsyms_format(char *buf, size_t len, u32 addr);
/* The same for a return address: names the function of the call. */
char *kallsyms_format_ret(char *buf, size_t len, u32 addr);

#endif

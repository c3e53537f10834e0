/*
 * Address to symbol, for oopses and the fixup_debug report. The table is
 * generated from the linked image by scripts/kallsyms.pl and linked in a
 * second pass (scripts/link-vmlinux.sh), as Linux's kallsyms.
 */
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/module.h>

/* Binary search for the last symbol at or below addr. */
const char *ksym_lookup(const struct ksym_table *t, u32 addr, u32 *off,
			u32 *size)
{
	u32 lo = 0, hi = t->num, mid;

	if (!t->num || addr < t->addr[0])
		return NULL;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (t->addr[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (addr - t->addr[lo] >= t->size[lo])
		return NULL;		/* in a gap between symbols */
	*off = addr - t->addr[lo];
	*size = t->size[lo];
	return t->names + t->name_off[lo];
}

#ifndef HOST_TEST
extern const u32 kallsyms_num;
extern const u32 kallsyms_addresses[], kallsyms_sizes[];
extern const u32 kallsyms_name_offsets[];
extern const char kallsyms_names[];

const char *kallsyms_lookup(u32 addr, u32 *off, u32 *size)
{
	const struct ksym_table t = {
		kallsyms_num, kallsyms_addresses, kallsyms_sizes,
		kallsyms_name_offsets, kallsyms_names,
	};

	return ksym_lookup(&t, addr, off, size);
}

static char *format(char *buf, size_t len, u32 addr, u32 bias)
{
	u32 off, size;
	const char *name = kallsyms_lookup(addr - bias, &off, &size);
	const struct module *mod;

	if (name) {
		snprintf(buf, len, "%s+0x%x/0x%x", name, off + bias, size);
	} else if ((mod = module_of(addr - bias)) != NULL) {
		/* module:symbol+off/len, from the module's own symbols */
		name = ksym_lookup(&mod->syms, addr - bias, &off, &size);
		if (name)
			snprintf(buf, len, "%s:%s+0x%x/0x%x", mod->name, name,
				 off + bias, size);
		else
			snprintf(buf, len, "%s:0x%08x", mod->name, addr);
	} else {
		snprintf(buf, len, "0x%08x", addr);
	}
	return buf;
}

char *kallsyms_format(char *buf, size_t len, u32 addr)
{
	return format(buf, len, addr, 0);
}

/*
 * A return address may be one past the end of a function that ends in a
 * call (a noreturn callee): look up the call instruction instead.
 */
char *kallsyms_format_ret(char *buf, size_t len, u32 addr)
{
	return format(buf, len, addr, 1);
}
#endif

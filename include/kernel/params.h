/*
 * Kernel command-line parameters (arch/i386/kernel/cmdline.c). A parameter
 * is registered with __setup("name", fn); fn gets the text after '=' or
 * NULL when the word had no '=', and returns 0 or -1 for a bad value (the
 * parser then warns by name and the parameter keeps its default).
 */
#ifndef KERNEL_PARAMS_H
#define KERNEL_PARAMS_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define COMMAND_LINE_SIZE	512

struct kernel_param {
	const char *name;
	int (*set)(const char *val);
};

#define __setup(str, fn)						\
	static const struct kernel_param __setup_##fn			\
	__used __section(".init.setup") __aligned(4) = { str, fn }

extern char boot_command_line[COMMAND_LINE_SIZE];

/* The command line from the loader without an image path in front. */
const char *cmdline_skip_image(const char *args,
			       const struct kernel_param *start,
			       const struct kernel_param *end);
int parse_params(char *line, const struct kernel_param *start,
		 const struct kernel_param *end);
void parse_boot_command_line(const char *from_loader);

/* Value helpers for setters: 0 on success, -1 on a malformed value. */
int param_uint(const char *val, unsigned int *out);
int param_flag(const char *val);
int param_string(const char *val, char *buf, size_t size);

/* A parameter that is a plain word and sets a bool. */
#define __setup_flag(str, var)						\
	static int __init __set_flag_##var(const char *val)		\
	{								\
		if (param_flag(val))					\
			return -1;					\
		var = true;						\
		return 0;						\
	}								\
	__setup(str, __set_flag_##var)

#endif

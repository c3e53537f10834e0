/*
 * The kernel command line: words separated by spaces, each "name",
 * "name=value" or name="a quoted value". Parsed once, early in boot;
 * unknown parameters and bad values are warned about by name and boot
 * goes on with the defaults.
 */
#include <kernel/params.h>
#include <kernel/printk.h>
#include <kernel/string.h>

char boot_command_line[COMMAND_LINE_SIZE];

int param_uint(const char *val, unsigned int *out)
{
	unsigned int v = 0;

	if (!val || !*val)
		return -1;
	for (; *val; val++) {
		if (*val < '0' || *val > '9')
			return -1;
		if (v > (0xffffffffu - (*val - '0')) / 10)
			return -1;		/* overflow */
		v = v * 10 + (*val - '0');
	}
	*out = v;
	return 0;
}

/* A parameter that is a plain word takes no value. */
int param_flag(const char *val)
{
	return val ? -1 : 0;
}

/* A non-empty value that fits buf with its NUL. */
int param_string(const char *val, char *buf, size_t size)
{
	size_t n = val ? strlen(val) : 0;

	if (!n || n >= size)
		return -1;
	memcpy(buf, val, n + 1);
	return 0;
}

static const struct kernel_param *find_param(const char *name,
					     const struct kernel_param *start,
					     const struct kernel_param *end)
{
	const struct kernel_param *p;

	for (p = start; p < end; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* Cut the next word out of *s (in place); NULL at the end of the line. */
static char *next_word(char **s)
{
	char *p = *s, *word, *out;
	bool quoted = false;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return NULL;
	word = out = p;
	for (; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n'))
			break;
		*out++ = *p;
	}
	if (*p)
		p++;
	*out = '\0';
	*s = p;
	return word;
}

/* Returns how many words were warned about. */
int parse_params(char *line, const struct kernel_param *start,
		 const struct kernel_param *end)
{
	const struct kernel_param *p;
	char *word, *val;
	int bad = 0;

	while ((word = next_word(&line))) {
		val = strchr(word, '=');
		if (val)
			*val++ = '\0';
		p = find_param(word, start, end);
		if (!p) {
			pr_warn("cmdline: unknown parameter '%s' ignored\n",
				word);
			bad++;
		} else if (p->set(val)) {
			if (val)
				pr_warn("cmdline: bad value '%s' for '%s', "
					"using the default\n", val, word);
			else
				pr_warn("cmdline: '%s' needs a value, "
					"using the default\n", word);
			bad++;
		}
	}
	return bad;
}

/*
 * Where the parameters start. Some Multiboot loaders (QEMU -kernel,
 * GRUB legacy) pass the image path as the first word of the command
 * line, others (GRUB 2) do not. The first word is taken for the image
 * when it has a '/' before any '=', or is neither "name=value" nor a
 * known parameter, whatever its length.
 */
const char *__init cmdline_skip_image(const char *args,
			       const struct kernel_param *start,
			       const struct kernel_param *end)
{
	const struct kernel_param *p;
	const char *w;
	size_t n;

	while (*args == ' ')
		args++;
	for (w = args; *args && *args != ' ' && *args != '='; args++)
		if (*args == '/')
			goto image;
	if (*args == '=' || w == args)
		return w;			/* name=value, or nothing */
	n = args - w;
	for (p = start; p < end; p++)
		if (strlen(p->name) == n && !memcmp(p->name, w, n))
			return w;		/* a parameter */
image:
	while (*args && *args != ' ')
		args++;
	while (*args == ' ')
		args++;
	return args;
}

#ifndef HOST_TEST
extern const struct kernel_param __setup_start[], __setup_end[];

void __init parse_boot_command_line(const char *from_loader)
{
	static char work[COMMAND_LINE_SIZE] __initdata;
	const char *args = cmdline_skip_image(from_loader ? from_loader : "",
					      __setup_start, __setup_end);
	size_t n;

	n = strlen(args);
	if (n >= COMMAND_LINE_SIZE) {
		pr_warn("cmdline: %u bytes is too long, cut to %u\n",
			(u32)n, COMMAND_LINE_SIZE - 1);
		n = COMMAND_LINE_SIZE - 1;
	}
	memcpy(boot_command_line, args, n);
	boot_command_line[n] = '\0';
	pr_info("Kernel command line: %s\n", boot_command_line);
	memcpy(work, boot_command_line, n + 1);
	parse_params(work, __setup_start, __setup_end);
}
#endif

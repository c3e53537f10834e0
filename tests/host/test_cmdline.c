/* Host tests of the command-line parser (arch/i386/kernel/cmdline.c). */
#include "tap.h"
#include <kernel/params.h>
#include <kernel/printk.h>
#include <asm/spectre.h>

static char log[2048];

int printk(const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(log);
	int r;

	va_start(ap, fmt);
	r = vsnprintf(log + n, sizeof(log) - n, fmt, ap);
	va_end(ap);
	return r;
}

static unsigned int maxcpus = 8;
static int nosmp, flag_calls;
static char mode[32] = "auto";

static int set_maxcpus(const char *val)
{
	return param_uint(val, &maxcpus);
}

static int set_nosmp(const char *val)
{
	flag_calls++;
	if (param_flag(val))
		return -1;
	nosmp = 1;
	return 0;
}

static int set_mode(const char *val)
{
	if (!val || (strcmp(val, "up") && strcmp(val, "smp") &&
		     strcmp(val, "auto")))
		return -1;
	strcpy(mode, val);
	return 0;
}

static const struct kernel_param params[] = {
	{ "maxcpus", set_maxcpus },
	{ "nosmp", set_nosmp },
	{ "fixup", set_mode },
};

static int parse(const char *line)
{
	char buf[256];

	log[0] = '\0';
	maxcpus = 8;
	nosmp = flag_calls = 0;
	strcpy(mode, "auto");
	strcpy(buf, line);
	return parse_params(buf, params, params + 3);
}

/*
 * spectre_v2= and nospectre_v2 through the parser, with the kernel's own
 * setters (arch/i386/kernel/spectre.c); the line each gives on an
 * affected Core 2 in a kernel built with thunks.
 */
static const struct kernel_param spectre_params[] = {
	{ "spectre_v2", spectre_v2_set },
	{ "nospectre_v2", nospectre_v2_set },
};

static const char *spectre(const char *line, int *bad)
{
	static const struct cpuinfo core2 = {
		.vendor = X86_VENDOR_INTEL, .family = 6,
		.features = X86_FEATURE_SSE | X86_FEATURE_SSE2,
		.bugs = X86_BUG_SPECTRE_V2,
	};
	static char out[80];
	struct spectre_v2_choice ch;
	char buf[256];

	log[0] = '\0';
	memset(&spectre_v2_cmdline, 0, sizeof(spectre_v2_cmdline));
	strcpy(buf, line);
	*bad = parse_params(buf, spectre_params, spectre_params + 2);
	ch = spectre_v2_choose(&core2, &spectre_v2_cmdline, true);
	spectre_v2_format(&ch, out, sizeof(out));
	return out;
}

static void test_spectre_v2(void)
{
	static const struct {
		const char *line, *want, *warning;
	} t[] = {
		{ "", "mode=retpoline reason=affected", NULL },
		{ "spectre_v2=off", "mode=none reason=spectre_v2=off", NULL },
		{ "spectre_v2=retpoline,lfence",
		  "mode=lfence reason=spectre_v2=retpoline,lfence", NULL },
		{ "spectre_v2=off spectre_v2=on",
		  "mode=retpoline reason=spectre_v2=on", NULL },
		{ "spectre_v2=off spectre_v2=sideways",
		  "mode=retpoline reason=affected",
		  "cmdline: bad value 'sideways' for 'spectre_v2', "
		  "using the default" },
		{ "spectre_v2=off spectre_v2",
		  "mode=retpoline reason=affected",
		  "cmdline: 'spectre_v2' needs a value, using the default" },
		{ "spectre_v2=\"retpoline,generic\"",
		  "mode=retpoline reason=spectre_v2=retpoline,generic", NULL },
		{ "spectre_v2=eibrs", "mode=retpoline reason=affected",
		  "bad value 'eibrs' for 'spectre_v2'" },
		{ "nospectre_v2 spectre_v2=on",
		  "mode=none reason=nospectre_v2", NULL },
		{ "spectre_v2=on nospectre_v2",
		  "mode=none reason=nospectre_v2", NULL },
		{ "nospectre_v2=1", "mode=retpoline reason=affected",
		  "bad value '1' for 'nospectre_v2'" },
	};
	const char *got;
	unsigned int i;
	int bad;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		got = spectre(t[i].line, &bad);
		if (!ok(!strcmp(got, t[i].want), "'%s': %s", t[i].line,
			t[i].want))
			diag("got %s", got);
		is_int(bad, t[i].warning ? 1 : 0, "'%s': %d warnings",
		       t[i].line, t[i].warning ? 1 : 0);
		if (t[i].warning)
			ok(strstr(log, t[i].warning) != NULL,
			   "'%s': warns %s", t[i].line, t[i].warning);
	}
}

int main(void)
{
	unsigned int v;

	is_int(parse(""), 0, "empty line");
	is_int(parse("   \t "), 0, "only spaces");
	is_int(parse("maxcpus=2 nosmp fixup=up"), 0, "three good words");
	ok(maxcpus == 2 && nosmp && !strcmp(mode, "up"), "values set");
	ok(log[0] == '\0', "no warnings for good words");

	is_int(parse("bogus maxcpus=3"), 1, "one unknown word");
	ok(strstr(log, "unknown parameter 'bogus'") != NULL,
	   "unknown parameter named in the warning");
	is_int(maxcpus, 3, "the rest still parsed");

	is_int(parse("maxcpus=abc"), 1, "malformed number");
	ok(strstr(log, "bad value 'abc' for 'maxcpus'") != NULL,
	   "bad value and parameter named");
	is_int(maxcpus, 8, "default kept");

	is_int(parse("maxcpus=99999999999"), 1, "overflow is malformed");
	is_int(maxcpus, 8, "default kept on overflow");
	is_int(parse("maxcpus="), 1, "empty value is malformed");
	is_int(parse("maxcpus"), 1, "missing value");
	ok(strstr(log, "'maxcpus' needs a value") != NULL,
	   "missing value named");
	is_int(parse("nosmp=1"), 1, "flag with a value is malformed");
	is_int(nosmp, 0, "flag not set by a malformed word");
	is_int(parse("fixup=sideways"), 1, "unknown choice");
	ok(!strcmp(mode, "auto"), "choice keeps its default");

	is_int(parse("fixup=\"smp\" maxcpus=\"4\""), 0, "quoted values");
	ok(!strcmp(mode, "smp") && maxcpus == 4, "quotes removed");
	is_int(parse("  nosmp   nosmp  "), 0, "repeated word");
	is_int(flag_calls, 2, "each word is applied");
	is_int(parse("=oops"), 1, "a word that is only a value");

	ok(param_uint("0", &v) == 0 && v == 0, "param_uint 0");
	ok(param_uint("4294967295", &v) == 0 && v == 0xffffffffu,
	   "param_uint max");
	ok(param_uint("4294967296", &v) == -1, "param_uint max + 1");
	ok(param_uint("-1", &v) == -1, "param_uint negative");
	ok(param_uint(NULL, &v) == -1, "param_uint NULL");
	{
		char b[4] = "xyz";

		ok(param_string("abc", b, sizeof(b)) == 0 && !strcmp(b, "abc"),
		   "param_string fits");
		ok(param_string("abcd", b, sizeof(b)) == -1 &&
		   !strcmp(b, "abc"), "param_string too long: unchanged");
		ok(param_string("", b, 4) == -1 && param_string(NULL, b, 4) == -1,
		   "param_string empty or missing");
	}

	/* the image path in front, as QEMU -kernel and GRUB legacy put it */
	{
		static const char long_first[] =
			"clearcpuid=sse2,sse,3dnow,mmxext,3dnowext,nopl,fxsr,"
			"mmx,cmov,pge,pae maxcpus=1";
		static const char long_path[] =
			"/boot/a/very/long/path/to/the/kernel/image/that/is/"
			"longer/than/sixty-four/bytes/vmlinux nosmp";
		static const char long_word[] =
			"averylongwordwithoutaslashoranequalssignatallthatgoeson"
			"andonandon nosmp";
		const struct kernel_param *e = params + 3;

		ok(!strcmp(cmdline_skip_image("/boot/vmlinux nosmp", params, e),
			   "nosmp"), "image path: a path is skipped");
		ok(!strcmp(cmdline_skip_image("vmlinux  nosmp", params, e),
			   "nosmp"), "image path: an unknown word is skipped");
		ok(!strcmp(cmdline_skip_image("nosmp maxcpus=1", params, e),
			   "nosmp maxcpus=1"),
		   "image path: a known parameter first is kept");
		ok(!strcmp(cmdline_skip_image("  maxcpus=1", params, e),
			   "maxcpus=1"), "image path: name=value first is kept");
		ok(!strcmp(cmdline_skip_image("a=/b c", params, e), "a=/b c"),
		   "image path: '=' before '/' is a parameter");
		ok(!strcmp(cmdline_skip_image(long_first, params, e),
			   long_first),
		   "image path: a long name=value first word is kept (GRUB 2)");
		ok(!strcmp(cmdline_skip_image(long_path, params, e), "nosmp"),
		   "image path: a long path is skipped");
		ok(!strcmp(cmdline_skip_image(long_word, params, e), "nosmp"),
		   "image path: a long unknown word is skipped");
		ok(!strcmp(cmdline_skip_image("", params, e), "") &&
		   !strcmp(cmdline_skip_image("   ", params, e), ""),
		   "image path: an empty line");
		ok(!strcmp(cmdline_skip_image("/vmlinux", params, e), ""),
		   "image path: only the path");
	}
	test_spectre_v2();
	return done_testing();
}

/*
 * Host tests for arch/i386/kernel/spectre.c: the spectre_v2= words, the
 * mode chosen for each CPU and command line (the expected lines are
 * written out by hand from Documentation/spectre.md), and the report
 * line's text.
 */
#include "tap.h"
#include <kernel/compiler.h>
#include <asm/spectre.h>

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

static struct cpuinfo cpu(u8 vendor, u8 family, u32 features, u32 bugs)
{
	struct cpuinfo c;

	memset(&c, 0, sizeof(c));
	c.vendor = vendor;
	c.family = family;
	c.features = features;
	c.bugs = bugs;
	return c;
}

static void test_parse(void)
{
	static const struct {
		const char *val;
		int cmd;		/* -1: not a word */
	} t[] = {
		{ "auto", SPECTRE_V2_CMD_AUTO },
		{ "off", SPECTRE_V2_CMD_OFF },
		{ "on", SPECTRE_V2_CMD_ON },
		{ "retpoline", SPECTRE_V2_CMD_RETPOLINE },
		{ "retpoline,generic", SPECTRE_V2_CMD_RETPOLINE },
		{ "retpoline,lfence", SPECTRE_V2_CMD_LFENCE },
		{ "retpoline,amd", SPECTRE_V2_CMD_LFENCE },
		{ "lfence", SPECTRE_V2_CMD_LFENCE },
		{ "", -1 },
		{ "Retpoline", -1 },
		{ "retpoline,", -1 },
		{ "retpolin", -1 },
		{ "retpoline,lfence,", -1 },
		{ "eibrs", -1 },		/* Linux's, needs MSRs */
		{ "ibrs", -1 },
		{ "of", -1 },
		{ "offf", -1 },
		{ "on ", -1 },
	};
	const struct spectre_v2_word *w;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		w = spectre_v2_parse(t[i].val);
		if (t[i].cmd < 0)
			ok(w == NULL, "spectre_v2=%s is not a word", t[i].val);
		else
			ok(w && w->cmd == t[i].cmd &&
			   !strcmp(w->word, t[i].val),
			   "spectre_v2=%s parses", t[i].val);
	}
	ok(spectre_v2_parse(NULL) == NULL, "spectre_v2 without a value");
}

static void test_lfence(void)
{
	const u32 sse2 = X86_FEATURE_SSE | X86_FEATURE_SSE2;
	struct cpuinfo c;

	c = cpu(X86_VENDOR_INTEL, 0xf, sse2, 0);
	ok(spectre_v2_lfence_serializing(&c), "Intel with SSE2");
	c = cpu(X86_VENDOR_INTEL, 6, X86_FEATURE_SSE, 0);
	ok(!spectre_v2_lfence_serializing(&c), "Pentium III: no lfence");
	c = cpu(X86_VENDOR_AMD, 0xf, sse2, 0);
	ok(spectre_v2_lfence_serializing(&c), "AMD family 0Fh");
	c = cpu(X86_VENDOR_AMD, 0x11, sse2, 0);
	ok(spectre_v2_lfence_serializing(&c), "AMD family 11h");
	c = cpu(X86_VENDOR_AMD, 0x10, sse2, 0);
	ok(!spectre_v2_lfence_serializing(&c), "AMD family 10h: MSR not set");
	c = cpu(X86_VENDOR_AMD, 0x17, sse2, 0);
	ok(!spectre_v2_lfence_serializing(&c), "AMD Zen: MSR not set");
	c = cpu(X86_VENDOR_CENTAUR, 6, sse2, 0);
	ok(!spectre_v2_lfence_serializing(&c), "VIA: not documented");
	c = cpu(X86_VENDOR_AMD, 0xf, X86_FEATURE_SSE, 0);
	ok(!spectre_v2_lfence_serializing(&c), "AMD 0Fh without SSE2");
}

/* Each row: the CPU, the word (NULL: none), nospectre_v2, built, line. */
static void test_choose(void)
{
	const u32 sse2 = X86_FEATURE_SSE | X86_FEATURE_SSE2;
	const struct cpuinfo i486 = cpu(X86_VENDOR_INTEL, 4, 0, 0);
	const struct cpuinfo core2 = cpu(X86_VENDOR_INTEL, 6, sse2,
					 X86_BUG_SPECTRE_V2);
	const struct cpuinfo zen = cpu(X86_VENDOR_AMD, 0x17, sse2,
				       X86_BUG_SPECTRE_V2);
	const struct cpuinfo k7 = cpu(X86_VENDOR_AMD, 6, X86_FEATURE_SSE,
				      X86_BUG_SPECTRE_V2);
	static const struct {
		const char *cpu, *word;
		bool off, built;
		const char *line;
	} t[] = {
		{ "486", NULL, false, true, "mode=none reason=not-affected" },
		{ "486", "auto", false, true,
		  "mode=none reason=not-affected" },
		{ "486", "on", false, true,
		  "mode=retpoline reason=spectre_v2=on" },
		{ "486", "retpoline", false, true,
		  "mode=retpoline reason=spectre_v2=retpoline" },
		{ "486", "lfence", false, true,
		  "mode=retpoline reason=lfence-not-serializing" },
		{ "486", "off", false, true,
		  "mode=none reason=spectre_v2=off" },
		{ "486", "on", false, false, "mode=none reason=not-built" },
		{ "486", NULL, false, false,
		  "mode=none reason=not-affected" },
		{ "core2", NULL, false, true,
		  "mode=retpoline reason=affected" },
		{ "core2", "auto", false, true,
		  "mode=retpoline reason=affected" },
		{ "core2", "off", false, true,
		  "mode=none reason=spectre_v2=off" },
		{ "core2", "retpoline,generic", false, true,
		  "mode=retpoline reason=spectre_v2=retpoline,generic" },
		{ "core2", "retpoline,lfence", false, true,
		  "mode=lfence reason=spectre_v2=retpoline,lfence" },
		{ "core2", "lfence", false, true,
		  "mode=lfence reason=spectre_v2=lfence" },
		{ "core2", NULL, true, true, "mode=none reason=nospectre_v2" },
		{ "core2", "on", true, true, "mode=none reason=nospectre_v2" },
		{ "core2", NULL, false, false, "mode=none reason=not-built" },
		{ "core2", "off", false, false,
		  "mode=none reason=spectre_v2=off" },
		{ "core2", "lfence", false, false,
		  "mode=none reason=not-built" },
		{ "zen", NULL, false, true, "mode=retpoline reason=affected" },
		{ "zen", "retpoline,amd", false, true,
		  "mode=retpoline reason=lfence-not-serializing" },
		{ "k7", "lfence", false, true,
		  "mode=retpoline reason=lfence-not-serializing" },
		{ "k7", "on", false, true,
		  "mode=retpoline reason=spectre_v2=on" },
	};
	struct spectre_v2_cmdline line;
	struct spectre_v2_choice ch;
	const struct cpuinfo *c;
	char buf[80];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		c = !strcmp(t[i].cpu, "486") ? &i486 :
		    !strcmp(t[i].cpu, "core2") ? &core2 :
		    !strcmp(t[i].cpu, "zen") ? &zen : &k7;
		line.word = spectre_v2_parse(t[i].word);
		line.off = t[i].off;
		ch = spectre_v2_choose(c, &line, t[i].built);
		spectre_v2_format(&ch, buf, sizeof(buf));
		if (!ok(!strcmp(buf, t[i].line), "%s %s%s%s%s: %s", t[i].cpu,
			t[i].word ? "spectre_v2=" : "",
			t[i].word ? t[i].word : "",
			t[i].off ? " nospectre_v2" : "",
			t[i].built ? "" : " (no thunks)", t[i].line))
			diag("got %s", buf);
	}
	line.word = NULL;
	line.off = false;
	ch = spectre_v2_choose(&core2, &line, true);
	is_int(ch.mode, SPECTRE_V2_RETPOLINE, "the mode is the enum value");
}

static void test_format(void)
{
	struct spectre_v2_choice ch = { SPECTRE_V2_LFENCE, "spectre_v2=",
					"lfence" };
	char small[12];
	int n;

	n = spectre_v2_format(&ch, small, sizeof(small));
	is_int(n, (int)strlen("mode=lfence reason=spectre_v2=lfence"),
	       "format returns the full length");
	ok(!strcmp(small, "mode=lfence"), "cut and NUL-terminated: %s",
	   small);
}

int main(void)
{
	test_parse();
	test_lfence();
	test_choose();
	test_format();
	return done_testing();
}

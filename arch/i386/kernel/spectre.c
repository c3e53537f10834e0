/*
 * Spectre v2: which form the kernel's indirect branches get. Decided
 * once at boot, before the fixup pass, from the CPU's X86_BUG_SPECTRE_V2
 * bit (cpu.c) and the command line, with Linux's parameter words
 * (Documentation/admin-guide/kernel-parameters.txt, "spectre_v2=").
 * Why each CPU gets what: Documentation/spectre.md.
 *
 * spectre_v2_parse(), spectre_v2_choose() and spectre_v2_format() are
 * pure, so tests/host/test_spectre.c runs them on the host.
 */
#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/params.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <asm/spectre.h>

static const struct spectre_v2_word words[] __initconst = {
	{ "auto",		SPECTRE_V2_CMD_AUTO },
	{ "off",		SPECTRE_V2_CMD_OFF },
	{ "on",			SPECTRE_V2_CMD_ON },
	{ "retpoline",		SPECTRE_V2_CMD_RETPOLINE },
	{ "retpoline,generic",	SPECTRE_V2_CMD_RETPOLINE },
	{ "retpoline,lfence",	SPECTRE_V2_CMD_LFENCE },
	{ "retpoline,amd",	SPECTRE_V2_CMD_LFENCE },  /* Linux's old name */
	{ "lfence",		SPECTRE_V2_CMD_LFENCE },  /* the short one */
};

static const char *const mode_names[] __initconst = {
	[SPECTRE_V2_NONE]	= "none",
	[SPECTRE_V2_RETPOLINE]	= "retpoline",
	[SPECTRE_V2_LFENCE]	= "lfence",
};

const struct spectre_v2_word *__init spectre_v2_parse(const char *val)
{
	unsigned int i;

	for (i = 0; val && i < ARRAY_SIZE(words); i++)
		if (!strcmp(val, words[i].word))
			return &words[i];
	return NULL;
}

/*
 * lfence holds back later instructions until it completes on every Intel
 * CPU that has it (SSE2; SDM vol. 2A "LFENCE"). On AMD it does so always
 * on families 0Fh and 11h, and on the later ones only with MSR
 * C001_1029[1] set, which this kernel does not set (AMD, "Software
 * Techniques for Managing Speculation on AMD Processors", 2018). Other
 * vendors say nothing: not taken as serializing.
 */
bool __init spectre_v2_lfence_serializing(const struct cpuinfo *c)
{
	if (!cpu_has(c, X86_FEATURE_SSE2))
		return false;
	return c->vendor == X86_VENDOR_INTEL ||
	       (c->vendor == X86_VENDOR_AMD &&
		(c->family == 0x0f || c->family == 0x11));
}

struct spectre_v2_choice __init spectre_v2_choose(const struct cpuinfo *c,
					const struct spectre_v2_cmdline *line,
					bool built)
{
	struct spectre_v2_choice ch = { SPECTRE_V2_NONE, NULL, NULL };
	const struct spectre_v2_word *word = line->word;
	u8 cmd = word ? word->cmd : SPECTRE_V2_CMD_AUTO;
	bool affected = c->bugs & X86_BUG_SPECTRE_V2;

	if (line->off) {
		ch.reason = "nospectre_v2";	/* wins, as in Linux */
		return ch;
	}
	if (word && cmd != SPECTRE_V2_CMD_AUTO) {
		ch.reason = "spectre_v2=";
		ch.word = word->word;
	}
	if (cmd == SPECTRE_V2_CMD_OFF)
		return ch;
	if (cmd == SPECTRE_V2_CMD_AUTO && !affected) {
		ch.reason = "not-affected";
		return ch;
	}
	if (!built) {
		ch.reason = "not-built";
		ch.word = NULL;
		return ch;
	}
	ch.mode = SPECTRE_V2_RETPOLINE;
	if (cmd == SPECTRE_V2_CMD_AUTO) {
		ch.reason = "affected";
	} else if (cmd == SPECTRE_V2_CMD_LFENCE) {
		if (spectre_v2_lfence_serializing(c)) {
			ch.mode = SPECTRE_V2_LFENCE;
		} else {
			/* Linux too falls back to the retpoline. */
			ch.reason = "lfence-not-serializing";
			ch.word = NULL;
		}
	}
	return ch;
}

int __init spectre_v2_format(const struct spectre_v2_choice *ch, char *buf,
			     size_t size)
{
	return snprintf(buf, size, "mode=%s reason=%s%s",
			mode_names[ch->mode], ch->reason,
			ch->word ? ch->word : "");
}

struct spectre_v2_cmdline spectre_v2_cmdline __initdata;

/* A word that is not Linux's: warned about, and auto, as Linux does. */
int __init spectre_v2_set(const char *val)
{
	spectre_v2_cmdline.word = spectre_v2_parse(val);
	return spectre_v2_cmdline.word ? 0 : -1;
}
__setup("spectre_v2", spectre_v2_set);

int __init nospectre_v2_set(const char *val)
{
	if (param_flag(val))
		return -1;
	spectre_v2_cmdline.off = true;
	return 0;
}
__setup("nospectre_v2", nospectre_v2_set);

#ifndef HOST_TEST
#ifdef CONFIG_RETPOLINE
#define BUILT_WITH_THUNKS	true
#else
#define BUILT_WITH_THUNKS	false
#endif

void __init spectre_v2_select(struct cpuinfo *c)
{
	struct spectre_v2_choice ch;
	char line[64];

	ch = spectre_v2_choose(c, &spectre_v2_cmdline, BUILT_WITH_THUNKS);
	c->features |= spectre_v2_mode_feature(ch.mode);
	spectre_v2_format(&ch, line, sizeof(line));
	printk(KERN_INFO "fixup: spectre_v2: %s\n", line);
}
#endif

/*
 * Spectre v2 (branch target injection, CVE-2017-5715): what the kernel's
 * indirect branches get on this CPU, from the X86_BUG_SPECTRE_V2 bit and
 * the command line (spectre_v2=, nospectre_v2). The choice and its
 * sources: Documentation/spectre.md; the parameters:
 * Documentation/cmdline.md; the report line: Documentation/report.md.
 */
#ifndef ASM_SPECTRE_H
#define ASM_SPECTRE_H

#include <kernel/types.h>
#include <asm/cpufeature.h>

/* What the command line asks for. */
enum spectre_v2_cmd {
	SPECTRE_V2_CMD_AUTO,		/* by the CPU: retpoline if affected */
	SPECTRE_V2_CMD_OFF,		/* inline branches everywhere */
	SPECTRE_V2_CMD_ON,		/* retpoline even if not affected */
	SPECTRE_V2_CMD_RETPOLINE,
	SPECTRE_V2_CMD_LFENCE,		/* lfence + inline branch */
};

/* What an indirect call or jump becomes. */
enum spectre_v2_mode {
	SPECTRE_V2_NONE,		/* call *%reg, jmp *%reg */
	SPECTRE_V2_RETPOLINE,		/* call/jmp __x86_indirect_thunk_REG */
	SPECTRE_V2_LFENCE,		/* lfence; call *%reg */
};

/* One word of spectre_v2=WORD, as Linux spells them, and what it asks. */
struct spectre_v2_word {
	const char *word;
	u8 cmd;				/* enum spectre_v2_cmd */
};

struct spectre_v2_choice {
	u8 mode;			/* enum spectre_v2_mode */
	const char *reason;		/* "affected", "spectre_v2=", ... */
	const char *word;		/* after "spectre_v2=", else NULL */
};

/* The row of spectre_v2=val, or NULL when val is not one of the words. */
const struct spectre_v2_word *spectre_v2_parse(const char *val);

/* What the command line said: spectre_v2= (NULL: auto), nospectre_v2. */
struct spectre_v2_cmdline {
	const struct spectre_v2_word *word;
	bool off;
};

/* Set by the parameters' setters while the command line is parsed. */
extern struct spectre_v2_cmdline spectre_v2_cmdline;
int spectre_v2_set(const char *val);		/* spectre_v2=WORD */
int nospectre_v2_set(const char *val);		/* nospectre_v2 */

/*
 * Pure: the mode for a CPU (its X86_BUG_SPECTRE_V2 bit, and whether its
 * lfence is dispatch-serializing), what the command line said and
 * whether the kernel was built with thunks (CONFIG_RETPOLINE).
 */
struct spectre_v2_choice spectre_v2_choose(const struct cpuinfo *c,
					   const struct spectre_v2_cmdline *cmd,
					   bool built);

/* Whether lfence stops speculation on this CPU (spectre.md). */
bool spectre_v2_lfence_serializing(const struct cpuinfo *c);

/* "mode=retpoline reason=affected", like snprintf. */
int spectre_v2_format(const struct spectre_v2_choice *ch, char *buf,
		      size_t size);

/*
 * The synthetic feature bit of a mode (enum spectre_v2_mode), which the
 * THUNK kinds' rules read (include/asm/fixup-kinds.h). Linux sets
 * RETPOLINE with RETPOLINE_LFENCE; here a mode sets one bit, so that the
 * rules need no order between them. Inline: spectre_v2_select() and
 * make bench's copies use it.
 */
static inline u32 spectre_v2_mode_feature(u8 mode)
{
	static const u32 bits[] = {
		[SPECTRE_V2_NONE]	= 0,
		[SPECTRE_V2_RETPOLINE]	= X86_FEATURE_RETPOLINE,
		[SPECTRE_V2_LFENCE]	= X86_FEATURE_RETPOLINE_LFENCE,
	};

	return bits[mode];
}

/*
 * Boot, after clearcpuid= and before the fixup pass: decide for the boot
 * CPU, print the report line, and set the mode's synthetic feature bit
 * (X86_FEATURE_RETPOLINE or _RETPOLINE_LFENCE) in c, which the thunk
 * kinds' rules read.
 */
void spectre_v2_select(struct cpuinfo *c);

#endif

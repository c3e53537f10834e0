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
 * Boot, after clearcpuid= and before the fixup pass: decide for the boot
 * CPU, print the report line, and set the mode's synthetic feature bit
 * (X86_FEATURE_RETPOLINE or _RETPOLINE_LFENCE) in c, which the thunk
 * kinds' rules read.
 */
void spectre_v2_select(struct cpuinfo *c);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the kernel command line (arch/i386/kernel/cmdline.c)
 * and clearcpuid= (arch/i386/kernel/cpu.c). The input, up to its first
 * NUL, is what a loader passes; it goes the way parse_boot_command_line()
 * takes it: cmdline_skip_image(), the cut to COMMAND_LINE_SIZE - 1, then
 * parse_params() over a table of parameters like the kernel's. Checked,
 * against models written here from the comments in cmdline.c and
 * include/kernel/params.h:
 *
 *  - the image path is skipped by the documented rule, and only then;
 *  - the words, quotes removed and split at the first '=', reach their
 *    setters in order, the unknown ones are warned about by name, a
 *    setter's -1 gives the "bad value" or "needs a value" warning, and
 *    the count returned is the number of warnings;
 *  - param_uint, param_flag and param_string accept exactly what they
 *    say, and param_string leaves its buffer alone when it refuses;
 *  - every clearcpuid= value: cpu_parse_feature_list() gives the mask of
 *    the known names and points at the first unknown one; masking takes
 *    exactly the closure under the dependencies cpu.c documents; the
 *    mask formats (cpu_format_features, any buffer size) and parses back;
 *  - spectre_v2= and nospectre_v2 through the kernel's own setters
 *    (spectre.c): the words Documentation/cmdline.md lists and only
 *    those, a bad one meaning auto, nospectre_v2 winning; after the line,
 *    the mode and reason Documentation/spectre.md gives for an
 *    unaffected, an affected and an affected lfence-capable CPU, with
 *    and without thunks, and the report text of each (any buffer size).
 *
 * Every buffer the kernel code reads or writes is an exact-size malloc.
 * printk formats with the kernel's vsnprintf, checked against the C
 * library's for the formats the parser uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/params.h>
#include <kernel/printk.h>
#include <asm/cpu.h>
#include <asm/spectre.h>

#define FUZZ_NAME "fuzz_cmdline"
#include "fuzz.h"

/* printk.h renames the kernel's formatter; the C library's is wanted too. */
#undef vsnprintf
#undef snprintf

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fail("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/* ---- what happened, in order: setter calls and messages ---- */

#define MAX_EVENTS	1024

struct event {
	int param;		/* index into params[], or -1: a message */
	char *text;		/* the value (NULL: none), or the message */
};

static struct event events[MAX_EVENTS];
static unsigned int nr_events;

static void add_event(int param, const char *text)
{
	if (nr_events == MAX_EVENTS)
		fail("more than %u events", MAX_EVENTS);
	events[nr_events].param = param;
	events[nr_events].text = text ? xstrdup(text) : NULL;
	nr_events++;
}

static void clear_events(void)
{
	while (nr_events)
		free(events[--nr_events].text);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	char *msg, *libc;
	int n, m;

	va_start(ap, fmt);
	n = kernel_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fail("printk: vsnprintf returned %d", n);
	msg = xmalloc(n + 1);
	libc = xmalloc(n + 1);
	va_start(ap, fmt);
	m = kernel_vsnprintf(msg, n + 1, fmt, ap);
	va_end(ap);
	if (m != n)
		fail("printk: vsnprintf returned %d, then %d", n, m);
	va_start(ap, fmt);
	m = vsnprintf(libc, n + 1, fmt, ap);
	va_end(ap);
	if (m != n || strcmp(msg, libc))
		fail("printk \"%s\": kernel \"%s\" (%d), libc \"%s\" (%d)",
		     fmt, msg, n, libc, m);
	add_event(-1, msg);
	free(msg);
	free(libc);
	return n;
}

/* ---- oracles of the value helpers ---- */

static bool model_uint(const char *val, unsigned int *out)
{
	unsigned long long v = 0;

	if (!val || !*val)
		return false;
	for (; *val; val++) {
		if (*val < '0' || *val > '9')
			return false;
		v = v * 10 + (unsigned int)(*val - '0');
		if (v > 0xffffffffull)
			return false;
	}
	*out = v;
	return true;
}

static int check_uint(const char *val)
{
	unsigned int got = 0x5a5a5a5a, want = 0;
	bool ok = model_uint(val, &want);
	int r = param_uint(val, &got);

	if (r != (ok ? 0 : -1) || (ok && got != want))
		fail("param_uint(\"%s\") = %d (%u), want %s %u",
		     val ? val : "(null)", r, got, ok ? "0" : "-1", want);
	if (!ok && got != 0x5a5a5a5a)
		fail("param_uint(\"%s\") failed but wrote %u",
		     val ? val : "(null)", got);
	return r;
}

static int check_flag(const char *val)
{
	int r = param_flag(val);

	if (r != (val ? -1 : 0))
		fail("param_flag(%s) = %d", val ? val : "(null)", r);
	return r;
}

/* param_string into an exact-size heap buffer of size bytes. */
static int check_string(const char *val, size_t size, char **kept)
{
	char *buf = xmalloc(size), *before = xmalloc(size);
	size_t n = val ? strlen(val) : 0;
	bool ok = n && n < size;
	int r;

	memset(buf, 'q', size);
	memcpy(before, buf, size);
	r = param_string(val, buf, size);
	if (r != (ok ? 0 : -1))
		fail("param_string(\"%s\", %zu) = %d", val ? val : "(null)",
		     size, r);
	if (ok ? strcmp(buf, val) : memcmp(buf, before, size))
		fail("param_string(\"%s\", %zu): buffer wrong after %d",
		     val ? val : "(null)", size, r);
	free(before);
	if (ok && kept)
		*kept = buf;
	else
		free(buf);
	return r;
}

/* ---- clearcpuid= ---- */

#define F(x)	X86_FEATURE_##x

/* cpu.c's comment: a feature goes when what it needs goes. */
static const struct { u32 feature, needs; } deps[] = {
	{ F(FXSR), F(FPU) }, { F(MMX), F(FPU) }, { F(SSE), F(FXSR) },
	{ F(SSE2), F(SSE) }, { F(SSE3), F(SSE2) }, { F(MMXEXT), F(MMX) },
	{ F(3DNOW), F(MMX) }, { F(3DNOWEXT), F(3DNOW) }, { F(NX), F(PAE) },
};

static u32 closure(u32 mask)
{
	u32 last;
	unsigned int i;

	do {
		last = mask;
		for (i = 0; i < sizeof(deps) / sizeof(deps[0]); i++)
			if (mask & deps[i].needs)
				mask |= deps[i].feature;
	} while (mask != last);
	return mask;
}

/* The feature bit a name of n bytes at s is, or -1. */
static int model_lookup(const char *s, size_t n)
{
	unsigned int i;

	for (i = 0; i < X86_NR_FEATURES; i++) {
		const char *name = cpu_feature_name(1u << i);

		if (!name)
			fail("feature bit %u has no name", i);
		if (strlen(name) == n && !memcmp(name, s, n))
			return i;
	}
	return -1;
}

static void check_format(u32 mask, unsigned int cut)
{
	int n = cpu_format_features(mask, NULL, 0), m;
	char *buf = xmalloc(n + 1), *part;
	const char *bad;
	size_t size;
	u32 back;

	m = cpu_format_features(mask, buf, n + 1);
	if (m != n || strlen(buf) != (size_t)n)
		fail("cpu_format_features(0x%x): %d, then %d \"%s\"", mask, n,
		     m, buf);
	if (mask && (cpu_parse_feature_list(buf, &back, &bad) || back != mask))
		fail("\"%s\" parses back as 0x%x, not 0x%x", buf, back, mask);
	size = cut % (n + 1) + 1;	/* 1..n+1 bytes */
	part = xmalloc(size);
	m = cpu_format_features(mask, part, size);
	if (m != n || strlen(part) != size - 1 ||
	    memcmp(part, buf, size - 1))
		fail("cpu_format_features(0x%x) into %zu bytes: \"%s\" (%d)",
		     mask, size, part, m);
	free(part);
	free(buf);
}

static void check_mask(u32 mask, u32 features)
{
	struct cpuinfo c;
	u32 want = closure(mask), gone;

	if (cpu_feature_dependents(mask) != want)
		fail("dependents of 0x%x: 0x%x, want 0x%x", mask,
		     cpu_feature_dependents(mask), want);
	memset(&c, 0, sizeof(c));
	c.features = features;
	gone = cpu_apply_clearcpuid(&c, mask);
	if (gone != (features & want) || c.features != (features & ~want))
		fail("clearcpuid 0x%x on 0x%x: gone 0x%x, left 0x%x; want "
		     "gone 0x%x", mask, features, gone, c.features,
		     features & want);
}

static unsigned int line_hash;

/* A clearcpuid= value, as cpu_parse_feature_list() sees it. */
static void check_feature_list(const char *list)
{
	const char *s = list, *want_bad = NULL, *bad = (const char *)1;
	u32 want = 0, mask = 0xdeadbeef;
	size_t n;
	int bit, r;

	for (;;) {
		n = strcspn(s, ",");
		bit = model_lookup(s, n);
		if (bit >= 0)
			want |= 1u << bit;
		else if (!want_bad)
			want_bad = s;
		if (!s[n])
			break;
		s += n + 1;
	}
	r = cpu_parse_feature_list(list, &mask, &bad);
	if (r != (want_bad ? -1 : 0) || mask != want || bad != want_bad)
		fail("cpu_parse_feature_list(\"%s\") = %d, mask 0x%x, bad at "
		     "%td; want mask 0x%x, bad at %td", list, r, mask,
		     bad ? bad - list : -1, want,
		     want_bad ? want_bad - list : -1);
	if (bad && cpu_feature_token_len(bad) != strcspn(bad, ","))
		fail("cpu_feature_token_len(\"%s\") = %zu", bad,
		     cpu_feature_token_len(bad));
	check_mask(mask, (1u << X86_NR_FEATURES) - 1);
	check_mask(mask, line_hash & ((1u << X86_NR_FEATURES) - 1));
	check_format(mask, line_hash);
}

/* ---- the parameters: like the kernel's __setup table ---- */

static int set_value(int self, const char *val);

#define SETTER(i) \
	static int set_##i(const char *val) { return set_value(i, val); }
SETTER(0) SETTER(1) SETTER(2) SETTER(3) SETTER(4) SETTER(5) SETTER(6)
SETTER(7) SETTER(8) SETTER(9) SETTER(10) SETTER(11) SETTER(12) SETTER(13)
SETTER(14) SETTER(15)

enum { P_FLAG, P_UINT, P_CHOICE, P_STRING, P_CLEARCPUID, P_SELFTEST,
       P_SPECTRE, P_NOSPECTRE };

static const struct {
	const char *name;
	int type;
	unsigned int max;	/* P_UINT: largest good value; P_STRING: size */
} kinds[] = {
	{ "fixup", P_CHOICE, 0 },
	{ "nofixup", P_FLAG, 0 },
	{ "fixup_debug", P_FLAG, 0 },
	{ "fixup_test_unsafe_up", P_FLAG, 0 },
	{ "loglevel", P_UINT, 8 },
	{ "quiet", P_FLAG, 0 },
	{ "debug", P_FLAG, 0 },
	{ "selftest", P_SELFTEST, 128 },
	{ "selftest_crash", P_STRING, 32 },
	{ "poweroff", P_FLAG, 0 },
	{ "smp_test_noanswer", P_UINT, CONFIG_NR_CPUS - 1 },
	{ "clearcpuid", P_CLEARCPUID, 64 },
	{ "nosmp", P_FLAG, 0 },
	{ "maxcpus", P_UINT, ~0u },
	{ "spectre_v2", P_SPECTRE, 0 },
	{ "nospectre_v2", P_NOSPECTRE, 0 },
};

#define NR_PARAMS	(sizeof(kinds) / sizeof(kinds[0]))

static const struct kernel_param params[NR_PARAMS] = {
	{ "fixup", set_0 }, { "nofixup", set_1 }, { "fixup_debug", set_2 },
	{ "fixup_test_unsafe_up", set_3 }, { "loglevel", set_4 },
	{ "quiet", set_5 }, { "debug", set_6 }, { "selftest", set_7 },
	{ "selftest_crash", set_8 }, { "poweroff", set_9 },
	{ "smp_test_noanswer", set_10 }, { "clearcpuid", set_11 },
	{ "nosmp", set_12 }, { "maxcpus", set_13 },
	{ "spectre_v2", set_14 }, { "nospectre_v2", set_15 },
};

/* ---- spectre_v2= (Documentation/cmdline.md) ---- */

static const char *const spectre_words[] = {
	"auto", "off", "on", "retpoline", "retpoline,generic",
	"retpoline,lfence", "retpoline,amd", "lfence",
};

/* The model's state of the line: the last good word (NULL: auto). */
static const char *model_word;
static bool model_off;

static bool model_spectre_word(const char *val)
{
	unsigned int i;

	for (i = 0; val && i < sizeof(spectre_words) / sizeof(*spectre_words);
	     i++)
		if (!strcmp(val, spectre_words[i]))
			return true;
	return false;
}

/* spectre.md's decision, written out again. */
static void model_spectre(bool affected, bool lfence, bool built,
			  char *out, size_t size)
{
	const char *w = model_word;
	bool autom = !w || !strcmp(w, "auto");
	bool lf = w && (!strcmp(w, "lfence") || !strcmp(w, "retpoline,lfence")
			|| !strcmp(w, "retpoline,amd"));

	if (model_off)
		snprintf(out, size, "mode=none reason=nospectre_v2");
	else if (w && !strcmp(w, "off"))
		snprintf(out, size, "mode=none reason=spectre_v2=off");
	else if (autom && !affected)
		snprintf(out, size, "mode=none reason=not-affected");
	else if (!built)
		snprintf(out, size, "mode=none reason=not-built");
	else if (autom)
		snprintf(out, size, "mode=retpoline reason=affected");
	else if (lf && !lfence)
		snprintf(out, size,
			 "mode=retpoline reason=lfence-not-serializing");
	else
		snprintf(out, size, "mode=%s reason=spectre_v2=%s",
			 lf ? "lfence" : "retpoline", w);
}

static void check_spectre_choice(void)
{
	static const struct cpuinfo cpus[] = {
		{ .vendor = X86_VENDOR_INTEL, .family = 4 },
		{ .vendor = X86_VENDOR_AMD, .family = 6,
		  .features = X86_FEATURE_SSE, .bugs = X86_BUG_SPECTRE_V2 },
		{ .vendor = X86_VENDOR_INTEL, .family = 6,
		  .features = X86_FEATURE_SSE | X86_FEATURE_SSE2,
		  .bugs = X86_BUG_SPECTRE_V2 },
	};
	struct spectre_v2_choice ch;
	char want[128], got[128], *part;
	unsigned int i, built;
	size_t size;
	int n;

	if (!spectre_v2_cmdline.word != !model_word ||
	    (model_word && strcmp(spectre_v2_cmdline.word->word, model_word)) ||
	    spectre_v2_cmdline.off != model_off)
		fail("spectre_v2 after the line: %s%s, want %s%s",
		     spectre_v2_cmdline.word ? spectre_v2_cmdline.word->word :
		     "auto", spectre_v2_cmdline.off ? " nospectre_v2" : "",
		     model_word ? model_word : "auto",
		     model_off ? " nospectre_v2" : "");
	for (i = 0; i < sizeof(cpus) / sizeof(*cpus); i++) {
		for (built = 0; built < 2; built++) {
			ch = spectre_v2_choose(&cpus[i], &spectre_v2_cmdline,
					       built);
			n = spectre_v2_format(&ch, got, sizeof(got));
			model_spectre(cpus[i].bugs, i == 2, built, want,
				      sizeof(want));
			if (n != (int)strlen(want) || strcmp(got, want))
				fail("spectre_v2 cpu %u built %u: \"%s\" (%d), "
				     "want \"%s\"", i, built, got, n, want);
			size = line_hash % (n + 1) + 1;
			part = xmalloc(size);
			if (spectre_v2_format(&ch, part, size) != n ||
			    strlen(part) != size - 1 ||
			    memcmp(part, want, size - 1))
				fail("spectre_v2 line into %zu bytes: \"%s\"",
				     size, part);
			free(part);
		}
	}
}

/* What the setter of parameter i returns for val (the model). */
static int want_set(unsigned int i, const char *val)
{
	unsigned int v;
	size_t n = val ? strlen(val) : 0;

	switch (kinds[i].type) {
	case P_FLAG:
		return val ? -1 : 0;
	case P_UINT:
		return model_uint(val, &v) && v <= kinds[i].max &&
		       (i != 10 || v) ? 0 : -1;
	case P_CHOICE:
		return val && (!strcmp(val, "auto") || !strcmp(val, "up") ||
			       !strcmp(val, "smp")) ? 0 : -1;
	case P_SPECTRE:
		return model_spectre_word(val) ? 0 : -1;
	case P_NOSPECTRE:
		return val ? -1 : 0;
	case P_SELFTEST:
		return !val || (n && n < kinds[i].max) ? 0 : -1;
	default:
		return n && n < kinds[i].max ? 0 : -1;
	}
}

static int set_value(int self, const char *val)
{
	unsigned int v;
	char *kept = NULL;
	int r;

	add_event(self, val);
	switch (kinds[self].type) {
	case P_FLAG:
		return check_flag(val);
	case P_UINT:
		if (check_uint(val))
			return -1;
		param_uint(val, &v);
		return v <= kinds[self].max && (self != 10 || v) ? 0 : -1;
	case P_CHOICE:
		return want_set(self, val);
	case P_SPECTRE:
		r = spectre_v2_set(val);
		/* val stays in the line's buffer until the line is checked */
		model_word = model_spectre_word(val) ? val : NULL;
		if (r != want_set(self, val))
			fail("spectre_v2_set(\"%s\") = %d",
			     val ? val : "(null)", r);
		return r;
	case P_NOSPECTRE:
		r = nospectre_v2_set(val);
		if (!val)
			model_off = true;
		if (r != want_set(self, val))
			fail("nospectre_v2_set(%s) = %d", val ? val : "(null)",
			     r);
		return r;
	case P_SELFTEST:
		if (!val)
			return 0;
		return check_string(val, kinds[self].max, NULL);
	case P_CLEARCPUID:
		if (val) {
			char *copy = xstrdup(val);

			check_feature_list(copy);
			free(copy);
		}
		r = check_string(val, kinds[self].max, &kept);
		if (kept) {
			check_feature_list(kept);
			free(kept);
		}
		return r;
	default:
		return check_string(val, kinds[self].max, NULL);
	}
}

/* ---- the models of the line ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* params.h and cmdline.c: where the parameters start in line. */
static size_t model_skip(const char *line)
{
	size_t w = strspn(line, " "), n = strcspn(line + w, " "), i;
	const char *slash, *eq;
	bool known = false;
	char *word;

	if (!n)
		return w;
	word = xmalloc(n + 1);
	memcpy(word, line + w, n);
	word[n] = '\0';
	slash = strchr(word, '/');
	eq = strchr(word, '=');
	for (i = 0; i < NR_PARAMS; i++)
		known |= !strcmp(word, params[i].name);
	free(word);
	if ((slash && (!eq || slash < eq)) || (!eq && !known))
		return w + n + strspn(line + w + n, " ");
	return w;
}

/*
 * The words of line: runs of non-space, where a '"' toggles quoting (a
 * quoted space is part of the word) and is itself dropped.
 */
static unsigned int model_words(const char *line, char ***out)
{
	size_t len = strlen(line), i = 0, n;
	char **words = xmalloc((len / 2 + 1) * sizeof(*words)), *w;
	unsigned int nr = 0;
	bool quoted;

	for (;;) {
		while (i < len && is_space(line[i]))
			i++;
		if (i == len)
			break;
		w = xmalloc(len - i + 1);
		n = 0;
		quoted = false;
		for (; i < len; i++) {
			if (line[i] == '"')
				quoted = !quoted;
			else if (!quoted && is_space(line[i]))
				break;
			else
				w[n++] = line[i];
		}
		w[n] = '\0';
		words[nr++] = w;
	}
	*out = words;
	return nr;
}

static void expect_msg(unsigned int *e, const char *fmt, const char *a,
		       const char *b)
{
	char want[2 * COMMAND_LINE_SIZE + 128];

	snprintf(want, sizeof(want), fmt, a, b);
	if (*e >= nr_events || events[*e].param != -1 ||
	    strcmp(events[*e].text, want))
		fail("event %u: want the message \"%s\"", *e, want);
	++*e;
}

static void check_line(const char *line, int bad)
{
	char **words, *name, *val;
	unsigned int nr = model_words(line, &words), i, e = 0, k;
	int want_bad = 0;

	for (i = 0; i < nr; i++) {
		name = words[i];
		val = strchr(name, '=');
		if (val)
			*val++ = '\0';
		for (k = 0; k < NR_PARAMS; k++)
			if (!strcmp(params[k].name, name))
				break;
		if (k == NR_PARAMS) {
			expect_msg(&e, KERN_WARNING "cmdline: unknown "
				   "parameter '%s' ignored\n", name, NULL);
			want_bad++;
			free(words[i]);
			continue;
		}
		if (e >= nr_events || events[e].param != (int)k ||
		    !events[e].text != !val ||
		    (val && strcmp(events[e].text, val)))
			fail("event %u: want %s(%s%s%s)", e, name,
			     val ? "\"" : "", val ? val : "NULL",
			     val ? "\"" : "");
		e++;
		if (want_set(k, val)) {
			want_bad++;
			if (val)
				expect_msg(&e, KERN_WARNING "cmdline: bad "
					   "value '%s' for '%s', using the "
					   "default\n", val, name);
			else
				expect_msg(&e, KERN_WARNING "cmdline: '%s' "
					   "needs a value, using the "
					   "default\n", name, NULL);
		}
		free(words[i]);
	}
	free(words);
	if (e != nr_events)
		fail("%u events, the line has %u words: %u expected", nr_events,
		     nr, e);
	if (bad != want_bad)
		fail("parse_params returned %d, %d words were warned about",
		     bad, want_bad);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t len = strnlen((const char *)data, size), n, want;
	char *from, *work;
	const char *args;
	unsigned int i;
	int bad;

	from = xmalloc(len + 1);
	memcpy(from, data, len);
	from[len] = '\0';
	line_hash = 2166136261u;
	for (i = 0; i < len; i++)
		line_hash = (line_hash ^ (u8)from[i]) * 16777619u;

	args = cmdline_skip_image(from, params, params + NR_PARAMS);
	want = model_skip(from);
	if (args != from + want)
		fail("cmdline_skip_image(\"%s\") skipped %td bytes, want %zu",
		     from, args - from, want);

	/* parse_boot_command_line(): cut, copied, parsed in place. */
	n = strlen(args);
	if (n >= COMMAND_LINE_SIZE)
		n = COMMAND_LINE_SIZE - 1;
	work = xmalloc(n + 1);
	memcpy(work, args, n);
	work[n] = '\0';
	memset(&spectre_v2_cmdline, 0, sizeof(spectre_v2_cmdline));
	model_word = NULL;
	model_off = false;
	bad = parse_params(work, params, params + NR_PARAMS);
	check_spectre_choice();
	memcpy(work, args, n);		/* parse_params cut it up */
	check_line(work, bad);
	clear_events();

	/* And the whole input as one clearcpuid= value. */
	check_feature_list(from);
	clear_events();
	free(work);
	free(from);
	return 0;
}

/*
 * The site-kind catalogue: the one place that says what each kind of
 * patchable site is. Everything else reads it here:
 *
 *   include/asm/fixup.h       the kind numbers, for the recording macros
 *   arch/i386/fixup/          the patcher (the rows, as X-macros)
 *   scripts/lib/Fixup/Catalogue.pm
 *                             the asm pass, fixup-verify, fixup-report
 *                             and make bench (the rows, read as text)
 *
 * So the rows below keep one shape, one row per line: the Perl reader
 * takes every line that starts with FIXUP_KIND(, FIXUP_FIXED(,
 * FIXUP_MODRM( or FIXUP_RULE(, and every "#define FIXUP_KIND_NAME n".
 * tests/catalogue.t fails when a tool or Documentation/fixup-sites.md
 * says otherwise. How to add a kind: Documentation/adding-a-kind.md.
 */
#ifndef ASM_FIXUP_KINDS_H
#define ASM_FIXUP_KINDS_H

/*
 * Kind numbers, as the records carry them (the "kind" byte). A number
 * is never reused: old objects and tools must keep meaning the same.
 */
#define FIXUP_KIND_LOCK		1
#define FIXUP_KIND_MB		2
#define FIXUP_KIND_RMB		3
#define FIXUP_KIND_WMB		4
#define FIXUP_KIND_SMP_MB	5
#define FIXUP_KIND_SMP_RMB	6
#define FIXUP_KIND_SMP_WMB	7
#define FIXUP_KIND_PREFETCH	8
#define FIXUP_KIND_PREFETCHW	9
#define FIXUP_KIND_MOVNTQ	10
#define FIXUP_KIND_APIC_WRITE	11
#define FIXUP_KIND_CALL		12
#define FIXUP_KIND_MOVNTI	13
#define FIXUP_KIND_MB_FLAGS	14
#define FIXUP_KIND_RMB_FLAGS	15
#define FIXUP_KIND_WMB_FLAGS	16
#define FIXUP_KIND_THUNK_CALL	17
#define FIXUP_KIND_THUNK_JMP	18
#define FIXUP_KIND_RETURN	19
#define FIXUP_NR_KINDS		20	/* one more than the highest */

#endif /* ASM_FIXUP_KINDS_H */

/*
 * The rows. Only a file that defines FIXUP_KIND, FIXUP_FIXED,
 * FIXUP_MODRM, FIXUP_THUNK and FIXUP_RULE gets them (and may include this file again
 * for another view); an empty definition skips a row type.
 */
#if defined(FIXUP_KIND) && !defined(__ASSEMBLER__)

/*
 * FIXUP_KIND(kind, min len, max len, shape)
 *
 * shape FIXED: the whole site is one of the kind's forms, padded with
 *	NOPs to the site's length (Documentation/fixup-sites.md, "NOPs").
 * shape MODRM: the forms are the bytes in front of a 32-bit memory
 *	operand (ModRM, SIB, displacement) that stays as it is; only
 *	those bytes and, where the form says, the ModRM reg field change.
 * shape CALL: "call rel32" within a call group, or a 5-byte NOP
 *	(include/asm/fixup.h, DEFINE_FIXUP_CALL); no forms here.
 * shape THUNK: a branch the compiler sent through a Spectre v2 thunk
 *	(Documentation/spectre.md): "call/jmp rel32" to a thunk of the
 *	kind, whose target says which register the branch carries, or
 *	that branch written inline. The kernel's list of thunks says
 *	which function is the thunk of which kind and register.
 */
FIXUP_KIND(LOCK,	1, 1, FIXED)
FIXUP_KIND(MB,		5, 5, FIXED)
FIXUP_KIND(RMB,		5, 5, FIXED)
FIXUP_KIND(WMB,		5, 5, FIXED)
FIXUP_KIND(SMP_MB,	5, 5, FIXED)
FIXUP_KIND(SMP_RMB,	5, 5, FIXED)
FIXUP_KIND(SMP_WMB,	5, 5, FIXED)
FIXUP_KIND(PREFETCH,	4, 9, MODRM)	/* EB xx + lea: 8D, ModRM, SIB, disp32 */
FIXUP_KIND(PREFETCHW,	4, 9, MODRM)
FIXUP_KIND(MOVNTQ,	3, 8, MODRM)
FIXUP_KIND(APIC_WRITE,	2, 7, MODRM)
FIXUP_KIND(CALL,	5, 5, CALL)
FIXUP_KIND(MOVNTI,	3, 8, MODRM)
FIXUP_KIND(MB_FLAGS,	8, 8, FIXED)	/* the barriers, keeping EFLAGS */
FIXUP_KIND(RMB_FLAGS,	8, 8, FIXED)
FIXUP_KIND(WMB_FLAGS,	8, 8, FIXED)
FIXUP_KIND(THUNK_CALL,	5, 5, THUNK)	/* call __x86_indirect_thunk_REG */
FIXUP_KIND(THUNK_JMP,	5, 5, THUNK)	/* jmp __x86_indirect_thunk_REG */
FIXUP_KIND(RETURN,	5, 5, THUNK)	/* jmp __x86_return_thunk */

/*
 * The forms each kind's sites may hold, its compiled form (the one that
 * is right on any CPU, UP or SMP) first. The name is the boot report's
 * "variant=".
 *
 * FIXUP_FIXED(kind, name, bytes...)
 *	Barriers: Intel SDM vol. 2A/2B, MFENCE/LFENCE/SFENCE = 0F AE /6 /5
 *	/7; the locked add on the stack is a full barrier on every x86.
 *	LOCK: a DS prefix (3E) changes nothing with flat segments.
 */
FIXUP_FIXED(LOCK,	"lock",		0xf0)
FIXUP_FIXED(LOCK,	"ds",		0x3e)
FIXUP_FIXED(MB,		"lock-add",	0xf0, 0x83, 0x04, 0x24, 0x00)
FIXUP_FIXED(MB,		"mfence",	0x0f, 0xae, 0xf0)
FIXUP_FIXED(RMB,	"lock-add",	0xf0, 0x83, 0x04, 0x24, 0x00)
FIXUP_FIXED(RMB,	"lfence",	0x0f, 0xae, 0xe8)
FIXUP_FIXED(WMB,	"lock-add",	0xf0, 0x83, 0x04, 0x24, 0x00)
FIXUP_FIXED(WMB,	"sfence",	0x0f, 0xae, 0xf8)
FIXUP_FIXED(SMP_MB,	"lock-add",	0xf0, 0x83, 0x04, 0x24, 0x00)
FIXUP_FIXED(SMP_MB,	"mfence",	0x0f, 0xae, 0xf0)
FIXUP_FIXED(SMP_MB,	"nop")
FIXUP_FIXED(SMP_RMB,	"lock-add",	0xf0, 0x83, 0x04, 0x24, 0x00)
FIXUP_FIXED(SMP_RMB,	"lfence",	0x0f, 0xae, 0xe8)
FIXUP_FIXED(SMP_RMB,	"nop")
FIXUP_FIXED(SMP_WMB,	"lock-add",	0xf0, 0x83, 0x04, 0x24, 0x00)
FIXUP_FIXED(SMP_WMB,	"sfence",	0x0f, 0xae, 0xf8)
FIXUP_FIXED(SMP_WMB,	"nop")
/*
 * The asm pass's barriers where the flags may be live across the fence:
 * pushfl; lock; addl $0,4(%esp); popfl (9C, F0 83 44 24 04 00, 9D) adds
 * to the same word as the 5-byte form and leaves EFLAGS as it was. A
 * kind of its own, as the patcher writes a FIXED kind's compiled form
 * back on a CPU no rule fits: it must be this one, not the 5-byte one.
 */
FIXUP_FIXED(MB_FLAGS,	"lock-add",	0x9c, 0xf0, 0x83, 0x44, 0x24, 0x04, 0x00, 0x9d)
FIXUP_FIXED(MB_FLAGS,	"mfence",	0x0f, 0xae, 0xf0)
FIXUP_FIXED(RMB_FLAGS,	"lock-add",	0x9c, 0xf0, 0x83, 0x44, 0x24, 0x04, 0x00, 0x9d)
FIXUP_FIXED(RMB_FLAGS,	"lfence",	0x0f, 0xae, 0xe8)
FIXUP_FIXED(WMB_FLAGS,	"lock-add",	0x9c, 0xf0, 0x83, 0x44, 0x24, 0x04, 0x00, 0x9d)
FIXUP_FIXED(WMB_FLAGS,	"sfence",	0x0f, 0xae, 0xf8)

/*
 * FIXUP_MODRM(kind, name, reg, bytes...)
 *
 * reg is the ModRM reg field the form has: 0..7, ANY (a register
 * operand, kept) or HINT (a prefetch hint /0../3, kept). In a form
 * whose second byte is JMP the site starts with a short jump over the
 * rest of it (EB len-2): a prefetch must not fault on a 486, so its
 * compiled form jumps over "lea ADDR,%reg" with the prefetch's operand.
 * Prefetches: PREFETCHh 0F 18 /hint, AMD 3DNow! PREFETCH/PREFETCHW
 * 0F 0D /0 /1, NOP Ev 0F 1F /0. MOVQ mm->m64 0F 7F, MOVNTQ 0F E7;
 * MOV r32->m32 89, MOVNTI 0F C3; XCHG 87 (Pentium erratum 11AP: APIC
 * writes must be locked reads too).
 */
FIXUP_MODRM(PREFETCH,	"nop",		HINT,	0xeb, JMP, 0x8d)
FIXUP_MODRM(PREFETCH,	"prefetchnta",	HINT,	0x3e, 0x0f, 0x18)
FIXUP_MODRM(PREFETCH,	"prefetch3dnow", 0,	0x3e, 0x0f, 0x0d)
FIXUP_MODRM(PREFETCH,	"nopl",		0,	0x3e, 0x0f, 0x1f)
FIXUP_MODRM(PREFETCHW,	"nop",		1,	0xeb, JMP, 0x8d)
FIXUP_MODRM(PREFETCHW,	"prefetcht0",	1,	0x3e, 0x0f, 0x18)
FIXUP_MODRM(PREFETCHW,	"prefetch3dnow", 1,	0x3e, 0x0f, 0x0d)
FIXUP_MODRM(PREFETCHW,	"nopl",		0,	0x3e, 0x0f, 0x1f)
FIXUP_MODRM(MOVNTQ,	"movq",		ANY,	0x0f, 0x7f)
FIXUP_MODRM(MOVNTQ,	"movntq",	ANY,	0x0f, 0xe7)
FIXUP_MODRM(APIC_WRITE,	"movl",		ANY,	0x89)
FIXUP_MODRM(APIC_WRITE,	"xchg",		ANY,	0x87)
FIXUP_MODRM(MOVNTI,	"movl",		ANY,	0x3e, 0x89)
FIXUP_MODRM(MOVNTI,	"movnti",	ANY,	0x0f, 0xc3)

/*
 * FIXUP_THUNK(kind, name, bytes...)
 *
 * The first form of a THUNK kind is its compiled form: the one byte
 * given, E8 (call) or E9 (jmp), then rel32 to one of the kind's thunks.
 * In the others a byte REG(b) is b plus the number of the register the
 * site's thunk carries (eax 0, ecx 1, edx 2, ebx 3, ebp 5, esi 6, edi 7:
 * Intel SDM vol. 2A, table 2-2); a form shorter than the site is padded
 * with NOPs. CALL FF /2 and JMP FF /4 with a register operand are
 * FF D0+r and FF E0+r. After a jmp or ret nothing runs: int3 (CC) pads
 * it, so that straight-line speculation stops there, as Linux pads.
 */
FIXUP_THUNK(THUNK_CALL,	"thunk",	0xe8)
FIXUP_THUNK(THUNK_CALL,	"lfence",	0x0f, 0xae, 0xe8, 0xff, REG(0xd0))
FIXUP_THUNK(THUNK_CALL,	"inline",	0xff, REG(0xd0))
FIXUP_THUNK(THUNK_JMP,	"thunk",	0xe9)
FIXUP_THUNK(THUNK_JMP,	"lfence",	0x0f, 0xae, 0xe8, 0xff, REG(0xe0))
FIXUP_THUNK(THUNK_JMP,	"inline",	0xff, REG(0xe0), 0xcc, 0xcc, 0xcc)
FIXUP_THUNK(RETURN,	"thunk",	0xe9)
FIXUP_THUNK(RETURN,	"ret",		0xc3, 0xcc, 0xcc, 0xcc, 0xcc)

/*
 * FIXUP_RULE(kind, needs, bug, mode, form)
 *
 * Which form a kind's sites get: the first of its rules whose needed
 * feature (X86_FEATURE_*) and erratum (X86_BUG_*) the CPU has, in the
 * pass's mode (UP, SMP, or ANY), wins; with none, the compiled form.
 *
 * SMP_MB on SMP keeps the locked add: between CPUs it is a full barrier
 * and cheaper than mfence (13 against 51 cycles where "make bench" was
 * first run; Linux's smp_mb() made the same choice). mfence stays for
 * mb(), which must also order non-temporal and write-combining stores.
 * The locked add stays on (%esp): the -4(%esp) form Linux uses is a byte
 * longer and was no faster with a stack load after it (bench/README.md).
 * SMP_RMB is a NOP in both modes: x86 does not reorder loads with other
 * loads (Intel SDM vol. 3A, "Memory Ordering in P6 and More Recent
 * Processor Families"; AMD APM vol. 2, "Memory Ordering"), and no
 * erratum that a fence fixes remains (Linux removed its Pentium Pro
 * workaround, CONFIG_X86_PPRO_FENCE, in v4.16). Its lock-add and lfence
 * forms are still accepted on a site. x86 keeps stores in order, except
 * an IDT WinChip with OOSTORE set up.
 * PREFETCHW: 0F 0D /1 wherever it exists, with 3DNow! or with the
 * PREFETCHW bit (CPUID 0x80000001 ECX bit 8, which K8 and later and
 * Broadwell and later report); prefetcht0 only on SSE parts without it.
 */
FIXUP_RULE(LOCK,	NONE,	NONE,	SMP,	"lock")
FIXUP_RULE(LOCK,	NONE,	NONE,	ANY,	"ds")
FIXUP_RULE(MB,		SSE2,	NONE,	ANY,	"mfence")
FIXUP_RULE(RMB,		SSE2,	NONE,	ANY,	"lfence")
FIXUP_RULE(WMB,		SSE,	NONE,	ANY,	"sfence")
FIXUP_RULE(SMP_MB,	NONE,	NONE,	UP,	"nop")
FIXUP_RULE(SMP_RMB,	NONE,	NONE,	ANY,	"nop")
FIXUP_RULE(SMP_WMB,	NONE,	NONE,	UP,	"nop")
FIXUP_RULE(SMP_WMB,	SSE,	OOSTORE, ANY,	"sfence")
FIXUP_RULE(SMP_WMB,	NONE,	OOSTORE, ANY,	"lock-add")
FIXUP_RULE(SMP_WMB,	NONE,	NONE,	ANY,	"nop")
FIXUP_RULE(PREFETCH,	SSE,	NONE,	ANY,	"prefetchnta")
FIXUP_RULE(PREFETCH,	3DNOW,	NONE,	ANY,	"prefetch3dnow")
FIXUP_RULE(PREFETCH,	NOPL,	NONE,	ANY,	"nopl")
FIXUP_RULE(PREFETCHW,	3DNOW,	NONE,	ANY,	"prefetch3dnow")
FIXUP_RULE(PREFETCHW,	PREFETCHW, NONE, ANY,	"prefetch3dnow")
FIXUP_RULE(PREFETCHW,	SSE,	NONE,	ANY,	"prefetcht0")
FIXUP_RULE(PREFETCHW,	NOPL,	NONE,	ANY,	"nopl")
FIXUP_RULE(MOVNTQ,	SSE,	NONE,	ANY,	"movntq")
FIXUP_RULE(MOVNTQ,	MMXEXT,	NONE,	ANY,	"movntq")
FIXUP_RULE(MOVNTI,	SSE2,	NONE,	ANY,	"movnti")
FIXUP_RULE(APIC_WRITE,	NONE,	11AP,	ANY,	"xchg")
FIXUP_RULE(MB_FLAGS,	SSE2,	NONE,	ANY,	"mfence")
FIXUP_RULE(RMB_FLAGS,	SSE2,	NONE,	ANY,	"lfence")
FIXUP_RULE(WMB_FLAGS,	SSE,	NONE,	ANY,	"sfence")
/*
 * The thunk kinds follow the Spectre v2 mode chosen at boot
 * (arch/i386/kernel/spectre.c sets the synthetic RETPOLINE and
 * RETPOLINE_LFENCE bits, as Linux does); with neither, the branch is
 * written inline. No CPU gets a return thunk on i386: every return is a
 * ret. Why: Documentation/spectre.md.
 */
FIXUP_RULE(THUNK_CALL,	RETPOLINE, NONE, ANY,	"thunk")
FIXUP_RULE(THUNK_CALL,	RETPOLINE_LFENCE, NONE, ANY, "lfence")
FIXUP_RULE(THUNK_CALL,	NONE,	NONE,	ANY,	"inline")
FIXUP_RULE(THUNK_JMP,	RETPOLINE, NONE, ANY,	"thunk")
FIXUP_RULE(THUNK_JMP,	RETPOLINE_LFENCE, NONE, ANY, "lfence")
FIXUP_RULE(THUNK_JMP,	NONE,	NONE,	ANY,	"inline")
FIXUP_RULE(RETURN,	NONE,	NONE,	ANY,	"ret")

#endif /* FIXUP_KIND */

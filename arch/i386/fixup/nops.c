/*
 * NOP padding: the NOPs of each length for P6 and later and for older
 * CPUs, as listed in Documentation/fixup-sites.md ("NOPs"). A site is
 * padded with the CPU's set, and may hold either. The n-byte NOP of a
 * set starts at offset n * (n - 1) / 2.
 */
#include "internal.h"

/* Intel SDM vol. 2B, "NOP": the recommended multi-byte sequences (P6+). */
static const u8 p6_nops[] __initconst = {
	0x90,
	0x66, 0x90,
	0x0f, 0x1f, 0x00,
	0x0f, 0x1f, 0x40, 0x00,
	0x0f, 0x1f, 0x44, 0x00, 0x00,
	0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00,
	0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00,
	0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Plain i386 instructions that do nothing: mov %esi,%esi; lea 0(%esi),%esi. */
static const u8 i486_nops[] __initconst = {
	0x90,
	0x89, 0xf6,
	0x8d, 0x76, 0x00,
	0x8d, 0x74, 0x26, 0x00,
	0x90, 0x8d, 0x74, 0x26, 0x00,
	0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00,
	0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00,
};

_Static_assert(sizeof(p6_nops) == 8 * 9 / 2, "p6_nops: 1..8 bytes");
_Static_assert(sizeof(i486_nops) == 7 * 8 / 2, "i486_nops: 1..7 bytes");

struct nop_set {
	const u8 *bytes;
	unsigned int max;	/* longest NOP in the set */
};

static const struct nop_set nop_sets[2] __initconst = {
	{ i486_nops, 7 },
	{ p6_nops, 8 },
};

/*@ requires s == &nop_sets[0] || s == &nop_sets[1];
    requires 1 <= n <= s->max;
    assigns \nothing;
    ensures \result == s->bytes + n * (n - 1) / 2;
    ensures \valid_read(\result + (0 .. n - 1));
 */
static const u8 *__init nop(const struct nop_set *s, unsigned int n)
{
	return s->bytes + n * (n - 1) / 2;
}

/* Fill n bytes with the fewest NOPs of one set: the longest, then the rest. */
/*@ requires \valid(p + (0 .. n - 1));
    assigns p[0 .. n - 1] \from i486_nops[0 .. 27], p6_nops[0 .. 35], n, p6;
 */
void __init fixup_pad(u8 *p, unsigned int n, bool p6)
{
	const struct nop_set *s = &nop_sets[p6];
	unsigned int c, i;

	/*@ loop invariant 0 <= n <= \at(n, Pre);
	    loop invariant p == \at(p, Pre) + (\at(n, Pre) - n);
	    loop assigns n, c, i, p, \at(p, Pre)[0 .. \at(n, Pre) - 1];
	    loop variant n;
	 */
	for (; n; n -= c) {
		const u8 *q = nop(s, c = n < s->max ? n : s->max);

		/*@ loop invariant 0 <= i <= c;
		    loop invariant p == \at(p, Pre) + (\at(n, Pre) - n) + i;
		    loop assigns i, p, \at(p, Pre)[0 .. \at(n, Pre) - 1];
		    loop variant c - i;
		 */
		for (i = 0; i < c; i++)
			*p++ = q[i];
	}
}

/* Whether n bytes are exactly what fixup_pad() writes for that set. */
/*@ requires \valid_read(p + (0 .. n - 1));
    assigns \result \from p[0 .. n - 1], i486_nops[0 .. 27],
			  p6_nops[0 .. 35], n, p6;
    ensures \result == 0 || \result == 1;
 */
bool __init fixup_is_pad(const u8 *p, unsigned int n, bool p6)
{
	const struct nop_set *s = &nop_sets[p6];
	unsigned int c, i;

	/*@ loop invariant 0 <= n <= \at(n, Pre);
	    loop invariant p == \at(p, Pre) + (\at(n, Pre) - n);
	    loop assigns n, c, i, p;
	    loop variant n;
	 */
	for (; n; n -= c) {
		const u8 *q = nop(s, c = n < s->max ? n : s->max);

		/*@ loop invariant 0 <= i <= c;
		    loop invariant p == \at(p, Pre) + (\at(n, Pre) - n) + i;
		    loop assigns i, p;
		    loop variant c - i;
		 */
		for (i = 0; i < c; i++)
			if (*p++ != q[i])
				return false;
	}
	return true;
}

/*
 * NOP padding: the NOPs of each length for P6 and later and for older
 * CPUs, as listed in Documentation/fixup-sites.md ("NOPs"). A site is
 * padded with the CPU's set, and may hold either. The n-byte NOP of a
 * set starts at offset n * (n - 1) / 2.
 */
#include "internal.h"
#include "proof-nops.h"

/* Intel SDM vol. 2B, "NOP": the recommended multi-byte sequences (P6+). */
const u8 fixup_p6_nops[] __initconst = {
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
const u8 fixup_i486_nops[] __initconst = {
	0x90,
	0x89, 0xf6,
	0x8d, 0x76, 0x00,
	0x8d, 0x74, 0x26, 0x00,
	0x90, 0x8d, 0x74, 0x26, 0x00,
	0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00,
	0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00,
};

_Static_assert(sizeof(fixup_p6_nops) == 8 * 9 / 2, "fixup_p6_nops: 1..8 bytes");
_Static_assert(sizeof(fixup_i486_nops) == 7 * 8 / 2, "fixup_i486_nops: 1..7 bytes");

struct nop_set {
	const u8 *bytes;
	unsigned int max;	/* longest NOP in the set */
};

static const struct nop_set nop_sets[2] __initconst = {
	{ fixup_i486_nops, 7 },
	{ fixup_p6_nops, 8 },
};

/*@ requires s == &nop_sets[0] || s == &nop_sets[1];
    requires 1 <= n <= s->max;
    assigns \nothing;
    ensures \result == s->bytes + nop_start(n);
    ensures \valid_read(\result + (0 .. n - 1));
 */
static const u8 *__init nop(const struct nop_set *s, unsigned int n)
{
	return s->bytes + n * (n - 1) / 2;
}

/* Fill n bytes with the fewest NOPs of one set: the longest, then the rest. */
/*@ requires \valid(p + (0 .. n - 1));
    assigns p[0 .. n - 1] \from fixup_i486_nops[0 .. 27],
		fixup_p6_nops[0 .. 35], n, p6;
    ensures nops: nop_padded{Pre, Post}(p, n, p6);
 */
void __init fixup_pad(u8 *p, unsigned int n, bool p6)
{
	const struct nop_set *s = &nop_sets[p6];
	unsigned int c, i;

	/*@ assert set: p6 != 0 ?
		s->bytes == fixup_p6_nops && s->max == 8 :
		s->bytes == fixup_i486_nops && s->max == 7; */
	/*@ loop invariant 0 <= n <= \at(n, Pre);
	    loop invariant p == \at(p, Pre) + (\at(n, Pre) - n);
	    loop invariant whole: n == 0 || (p6 != 0 ?
		(\at(n, Pre) - n) % 8 == 0 : (\at(n, Pre) - n) % 7 == 0);
	    loop invariant done: \forall integer j; 0 <= j < \at(n, Pre) - n ==>
		\at(p, Pre)[j] == \at(nop_byte(p6, \at(n, Pre), j), Pre);
	    loop assigns n, c, i, p, \at(p, Pre)[0 .. \at(n, Pre) - 1];
	    loop variant n;
	 */
	for (; n; n -= c) {
		const u8 *q = nop(s, c = n < s->max ? n : s->max);

		/*@ loop invariant 0 <= i <= c;
		    loop invariant p == \at(p, Pre) + (\at(n, Pre) - n) + i;
		    loop invariant done: \forall integer j;
			0 <= j < \at(n, Pre) - n + i ==>
			\at(p, Pre)[j] == \at(nop_byte(p6, \at(n, Pre), j), Pre);
		    loop assigns i, p, \at(p, Pre)[0 .. \at(n, Pre) - 1];
		    loop variant c - i;
		 */
		for (i = 0; i < c; i++) {
			/*@ assert at: \let j = \at(n, Pre) - n + i;
				p6 != 0 ? j / 8 * 8 == \at(n, Pre) - n &&
				j % 8 == i && nop_len(\at(n, Pre), j, 8) == c :
				j / 7 * 7 == \at(n, Pre) - n &&
				j % 7 == i && nop_len(\at(n, Pre), j, 7) == c; */
			/*@ assert byte: \let j = \at(n, Pre) - n + i;
				q[i] == \at(nop_byte(p6, \at(n, Pre), j), Pre); */
			*p++ = q[i];
		}
	}
}

/* Whether n bytes are exactly what fixup_pad() writes for that set. */
/*@ requires \valid_read(p + (0 .. n - 1));
    assigns \result \from p[0 .. n - 1], fixup_i486_nops[0 .. 27],
			  fixup_p6_nops[0 .. 35], n, p6;
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

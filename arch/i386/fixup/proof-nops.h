/*
 * The logic of the NOP padding's bytes, for the ACSL contracts of nops.c
 * and patcher.c (Documentation/proof.md, wp-nops). Apart from proof.h,
 * which kept.c includes too: Frama-C takes a logic function over the
 * tables, declared in three files, for three declarations. To the
 * compiler this file is comments only.
 */
#ifndef ARCH_I386_FIXUP_PROOF_NOPS_H
#define ARCH_I386_FIXUP_PROOF_NOPS_H

/*@
  // The NOP padding (nops.c): fixup_pad() fills n bytes with the longest
  // NOP of its set (8 bytes for P6, 7 before) as often as they fit, then
  // one of the rest: byte j of them is in the NOP that starts j / max *
  // max bytes in, nop_len bytes long, and the c-byte NOP of a table
  // starts at c * (c - 1) / 2.
  logic integer nop_len(integer n, integer j, integer max) =
	n - j / max * max < max ? n - j / max * max : max;
  logic integer nop_start(integer c) = c * (c - 1) / 2;
  logic integer nop_at(integer n, integer j, integer max) =
	nop_start(nop_len(n, j, max)) + j % max;
  logic u8 nop_byte{L}(integer p6, integer n, integer j) =
	p6 != 0 ? fixup_p6_nops[nop_at(n, j, 8)] :
		  fixup_i486_nops[nop_at(n, j, 7)];
  // p[0 .. n - 1] (at B) are the n bytes of padding of the set p6 names,
  // as the tables were at A.
  predicate nop_padded{A, B}(u8 *p, integer n, integer p6) =
	\forall integer j; 0 <= j < n ==>
	  \at(p[j], B) == \at(nop_byte(p6, n, j), A);
 */

#endif

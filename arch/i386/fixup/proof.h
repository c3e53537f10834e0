/*
 * The logic that the ACSL contracts of arch/i386/fixup/ share, for
 * Frama-C (Documentation/proof.md, "make prove"). To the compiler this
 * file is comments only.
 */
#ifndef ARCH_I386_FIXUP_PROOF_H
#define ARCH_I386_FIXUP_PROOF_H

/*@
  // n bytes at a (in state A) equal n bytes at b (in state B).
  predicate same_bytes{A, B}(u8 *a, u8 *b, integer n) =
	\forall integer j; 0 <= j < n ==> \at(a[j], A) == \at(b[j], B);

  // The counts went from state A to state B by one site, counted as
  // patched, unchanged or rejected by the 1 among the three.
  predicate counted_one{A, B}(struct fixup_counts *st, integer patched,
			       integer unchanged, integer rejected) =
	\at(st->sites, B) == \at(st->sites, A) + 1 &&
	\at(st->patched, B) == \at(st->patched, A) + patched &&
	\at(st->unchanged, B) == \at(st->unchanged, A) + unchanged &&
	\at(st->rejected, B) == \at(st->rejected, A) + rejected;

  // The counts went from state A to state B by n sites, each counted
  // once, as patched, unchanged or rejected. (A predicate, not the
  // equalities themselves: from those WP's simplifier solves a loop's
  // counter for the counts, and every goal about site i + 1 then goes
  // through the counts' arithmetic.)
  predicate counted_n{A, B}(struct fixup_counts *st, integer n) =
	\at(st->sites, B) == \at(st->sites, A) + n &&
	\at(st->patched, A) <= \at(st->patched, B) <=
		\at(st->patched, A) + n &&
	\at(st->unchanged, A) <= \at(st->unchanged, B) <=
		\at(st->unchanged, A) + n &&
	\at(st->rejected, A) <= \at(st->rejected, B) <=
		\at(st->rejected, A) + n &&
	\at(st->patched + st->unchanged + st->rejected, B) ==
		\at(st->patched + st->unchanged + st->rejected, A) + n;

  // A kept table (kept.c): site i's bytes start kept_off(k, i) bytes
  // into k->bytes, its UP bytes then its SMP bytes, len bytes each.
  logic integer kept_off{L}(struct fixup_kept *k, integer i) =
	i <= 0 ? 0 : kept_off(k, i - 1) + 2 * k->sites[i - 1].len;

  logic integer kept_len{L}(struct fixup_kept *k, integer i) =
	k->sites[i].len;

  // Site i's two forms, 2 * len bytes.
  logic u8 *kept_bytes{L}(struct fixup_kept *k, integer i) =
	k->bytes + kept_off(k, i);

  // The site, where it is read, and its alias, where it is written: the
  // address plus the offset in uintptr_t arithmetic, as C adds them.
  logic u8 *kept_site{L}(struct fixup_kept *k, integer i) =
	(u8 *)k->sites[i].addr;
  logic u8 *kept_alias{L}(struct fixup_kept *k, integer i, ptrdiff_t off) =
	(u8 *)(uintptr_t)(k->sites[i].addr + (uintptr_t)off);

  // p is a byte of the alias of one of the first nr sites: what the
  // re-patch loop may write. (As a predicate rather than a set
  // comprehension in the assigns clauses: the provers find what a call
  // leaves alone through it, not through the comprehension.)
  predicate kept_written{L}(struct fixup_kept *k, integer nr, ptrdiff_t off,
			    u8 *p) =
	\exists integer i, j; 0 <= i < nr && 0 <= j < kept_len(k, i) &&
	p == kept_alias(k, i, off) + j;

  // The bytes of the mode entered (to) and of the mode left (from).
  logic u8 *kept_to{L}(struct fixup_kept *k, integer i, integer smp) =
	kept_bytes(k, i) + (smp != 0 ? kept_len(k, i) : 0);
  logic u8 *kept_from{L}(struct fixup_kept *k, integer i, integer smp) =
	kept_bytes(k, i) + (smp != 0 ? 0 : kept_len(k, i));

  // Site i is to be moved: it holds the bytes of the mode left, not
  // those of the mode entered (were they the same, it already has them).
  predicate kept_moves{L}(struct fixup_kept *k, integer i, integer smp) =
	same_bytes{L, L}(kept_site(k, i), kept_from(k, i, smp),
			 kept_len(k, i)) &&
	!same_bytes{L, L}(kept_site(k, i), kept_to(k, i, smp),
			  kept_len(k, i));
 */

#endif

/*
 * Kept for a CPU hot-add: the sites whose form depends on the CPU count,
 * each with its bytes for UP and for SMP, decided once by the walk at
 * boot (or at a module's load), and the loop that later writes one set
 * or the other (Documentation/fixup-sites.md, "Kept for CPU hot-add").
 * The loop is Linux's alternatives_smp_lock() for any bytes: if a site
 * holds the bytes of the mode being left, write those of the other.
 *
 * The builder is __init; the loop is __repatch, in the re-patch region
 * that stays only when something was kept.
 */
#include <kernel/string.h>
#include "internal.h"
#include "proof.h"

/* The bytes are appended after sites[max] while filling, moved down after. */
void __init fixup_keep_begin(struct fixup_keeping *k, void *room,
			     size_t size, u32 max, const void *text_start,
			     const void *text_end)
{
	struct fixup_kept *h = room;

	*k = (struct fixup_keeping){ .kept = h, .max = max };
	if (size < fixup_keep_room(max)) {
		k->full = true;
		return;
	}
	*h = (struct fixup_kept){
		.sites = (struct fixup_kept_site *)(h + 1),
		.text_start = (uintptr_t)text_start,
		.text_end = (uintptr_t)text_end,
	};
	k->bytes = (u8 *)(h->sites + max);
}

/*
 * The mode_dependent hook. Only a site in the table's text range: the
 * kernel's excludes init text, which is freed before any other CPU can
 * start.
 */
void __init fixup_keep_site(void *ctx, const struct fixup_site *rec,
			    const u8 *site, const u8 *up, const u8 *smp)
{
	struct fixup_keeping *k = ctx;
	struct fixup_kept_site *s;

	if (k->full || (uintptr_t)site < k->kept->text_start ||
	    (uintptr_t)site >= k->kept->text_end)
		return;
	if (k->nr == k->max) {	/* more accepted sites than records */
		k->full = true;
		return;
	}
	s = (struct fixup_kept_site *)&k->kept->sites[k->nr++];
	s->addr = (uintptr_t)site;
	s->len = rec->len;
	memcpy(k->bytes + k->nr_bytes, up, rec->len);
	memcpy(k->bytes + k->nr_bytes + rec->len, smp, rec->len);
	k->nr_bytes += 2 * rec->len;
}

size_t __init fixup_keep_done(struct fixup_keeping *k)
{
	struct fixup_kept *h = k->kept;
	u8 *bytes = (u8 *)(h->sites + k->nr);

	if (k->full || !k->nr)
		return 0;
	memmove(bytes, k->bytes, k->nr_bytes);
	h->nr = k->nr;
	h->bytes = bytes;
	return (size_t)(bytes + k->nr_bytes - (u8 *)h);
}

/*
 * One kept site: if it holds from's bytes (the mode being left) and not
 * to's, to's go into it through its alias. What it held is counted.
 */
/*@ requires \valid(st);
    requires \valid_read(site + (0 .. len - 1));
    requires \valid_read(from + (0 .. len - 1));
    requires \valid_read(to + (0 .. len - 1));
    requires \valid(alias + (0 .. len - 1));
    requires \separated(alias + (0 .. len - 1), to + (0 .. len - 1));
    requires st->sites < 0xffffffff && st->patched < 0xffffffff &&
	st->unchanged < 0xffffffff && st->rejected < 0xffffffff;
    assigns *st, alias[0 .. len - 1];
    behavior holds_to:
	assumes same_bytes{Pre, Pre}(site, to, len);
	assigns st->sites, st->unchanged;
	ensures counted_one{Pre, Post}(st, 0, 1, 0);
	ensures same_bytes{Post, Pre}(alias, alias, len);
    behavior holds_from:
	assumes !same_bytes{Pre, Pre}(site, to, len);
	assumes same_bytes{Pre, Pre}(site, from, len);
	assigns st->sites, st->patched, alias[0 .. len - 1];
	ensures counted_one{Pre, Post}(st, 1, 0, 0);
	ensures same_bytes{Post, Pre}(alias, to, len);
    behavior holds_neither:
	assumes !same_bytes{Pre, Pre}(site, to, len);
	assumes !same_bytes{Pre, Pre}(site, from, len);
	assigns st->sites, st->rejected;
	ensures counted_one{Pre, Post}(st, 0, 0, 1);
	ensures same_bytes{Post, Pre}(alias, alias, len);
    complete behaviors;
    disjoint behaviors;
 */
static void __repatch write_kept_site(const u8 *site, u8 *alias,
				      const u8 *from, const u8 *to, u32 len,
				      struct fixup_counts *st)
{
	st->sites++;
	if (!memcmp(site, to, len)) {
		st->unchanged++;
	} else if (!memcmp(site, from, len)) {
		memcpy(alias, to, len);
		st->patched++;
	} else {
		st->rejected++;
	}
}

/*
 * What the caller gives (repatch.c; the host tests, the fuzz target):
 * a kept table made by fixup_keep_done(), each site readable and its
 * alias writable, no alias on the table, its bytes, st, another site or
 * another site's alias, and counts that cannot wrap. What it promises:
 * a site's alias is written only when the site held the bytes of the
 * mode being left and not those of the mode entered, and then gets the
 * latter; every other alias keeps its bytes; every site is counted
 * once, as patched, unchanged or rejected.
 */
/*@ requires \valid_read(k) && \valid(st) && \separated(st, k);
    requires \valid_read(k->sites + (0 .. k->nr - 1));
    requires \forall integer i; 0 <= i < k->nr ==>
	\separated(st, &k->sites[i]);
    requires st->sites + k->nr <= 0xffffffff &&
	st->patched + k->nr <= 0xffffffff &&
	st->unchanged + k->nr <= 0xffffffff &&
	st->rejected + k->nr <= 0xffffffff;
    requires \forall integer i; 0 <= i < k->nr ==>
	\valid_read(kept_bytes(k, i) + (0 .. 2 * kept_len(k, i) - 1)) &&
	\valid_read(kept_site(k, i) + (0 .. kept_len(k, i) - 1)) &&
	\valid(kept_alias(k, i, write_offset) + (0 .. kept_len(k, i) - 1));
    requires \forall integer i, i2; 0 <= i < k->nr && 0 <= i2 < k->nr ==>
	\separated(kept_alias(k, i, write_offset) + (0 .. kept_len(k, i) - 1),
		   kept_bytes(k, i2) + (0 .. 2 * kept_len(k, i2) - 1));
    requires \forall integer i, i2; 0 <= i < k->nr && 0 <= i2 < k->nr &&
	i != i2 ==>
	\separated(kept_alias(k, i, write_offset) + (0 .. kept_len(k, i) - 1),
		   kept_site(k, i2) + (0 .. kept_len(k, i2) - 1)) &&
	\separated(kept_alias(k, i, write_offset) + (0 .. kept_len(k, i) - 1),
		   kept_alias(k, i2, write_offset) +
		   (0 .. kept_len(k, i2) - 1));
    requires \forall integer i, i2; 0 <= i < k->nr && 0 <= i2 < k->nr ==>
	\separated(kept_alias(k, i, write_offset) + (0 .. kept_len(k, i) - 1),
		   &k->sites[i2]);
    assigns *st, { *p | u8 *p; kept_written(k, k->nr, write_offset, p) };
    ensures counted: st->sites == \old(st->sites) + \old(k->nr) &&
	st->patched + st->unchanged + st->rejected ==
	\old(st->patched + st->unchanged + st->rejected) + \old(k->nr);
    ensures moved: \forall integer i; 0 <= i < \old(k->nr) ==>
	kept_moves{Pre}(k, i, smp) ==>
	same_bytes{Post, Pre}(kept_alias{Pre}(k, i, write_offset),
			      kept_to{Pre}(k, i, smp), kept_len{Pre}(k, i));
    ensures untouched: \forall integer i; 0 <= i < \old(k->nr) ==>
	!kept_moves{Pre}(k, i, smp) ==>
	same_bytes{Post, Pre}(kept_alias{Pre}(k, i, write_offset),
			      kept_alias{Pre}(k, i, write_offset),
			      kept_len{Pre}(k, i));
 */
void __repatch fixup_kept_write(const struct fixup_kept *k, bool smp,
				ptrdiff_t write_offset, struct fixup_counts *st)
{
	const u8 *b = k->bytes, *site;	/* b: site i's UP, SMP bytes */
	const u8 *from, *to;		/* the modes left and entered */
	u8 *alias;			/* where site i is written */
	u32 i, len;

	/*@ loop invariant range: 0 <= i <= k->nr && k->nr == \at(k->nr, Pre);
	    loop invariant addr: \forall integer i2; 0 <= i2 < k->nr ==>
		k->sites[i2].addr == \at(k->sites[i2].addr, Pre);
	    loop invariant len: \forall integer i2; 0 <= i2 < k->nr ==>
		k->sites[i2].len == \at(k->sites[i2].len, Pre);
	    loop invariant bytes: b == kept_bytes{Pre}(k, i);
	    loop invariant counted: counted_n{Pre, Here}(st, i);
	    loop invariant moved: \forall integer i2; 0 <= i2 < i ==>
		kept_moves{Pre}(k, i2, smp) ==>
		same_bytes{Here, Pre}(kept_alias{Pre}(k, i2, write_offset),
				      kept_to{Pre}(k, i2, smp),
				      kept_len{Pre}(k, i2));
	    loop invariant untouched: \forall integer i2; 0 <= i2 < i ==>
		!kept_moves{Pre}(k, i2, smp) ==>
		same_bytes{Here, Pre}(kept_alias{Pre}(k, i2, write_offset),
				      kept_alias{Pre}(k, i2, write_offset),
				      kept_len{Pre}(k, i2));
	    loop invariant ahead_site: \forall integer i2; i <= i2 < k->nr ==>
		same_bytes{Here, Pre}(kept_site{Pre}(k, i2),
				      kept_site{Pre}(k, i2),
				      kept_len{Pre}(k, i2));
	    loop invariant ahead_alias: \forall integer i2; i <= i2 < k->nr ==>
		same_bytes{Here, Pre}(kept_alias{Pre}(k, i2, write_offset),
				      kept_alias{Pre}(k, i2, write_offset),
				      kept_len{Pre}(k, i2));
	    loop invariant ahead_to: \forall integer i2; i <= i2 < k->nr ==>
		same_bytes{Here, Pre}(kept_to{Pre}(k, i2, smp),
				      kept_to{Pre}(k, i2, smp),
				      kept_len{Pre}(k, i2));
	    loop invariant ahead_from: \forall integer i2; i <= i2 < k->nr ==>
		same_bytes{Here, Pre}(kept_from{Pre}(k, i2, smp),
				      kept_from{Pre}(k, i2, smp),
				      kept_len{Pre}(k, i2));
	    loop assigns i, b, site, from, to, alias, len, *st, { *p | u8 *p;
		kept_written{Pre}(k, \at(k->nr, Pre), write_offset, p) };
	    loop variant k->nr - i;
	 */
	for (i = 0; i < k->nr; i++) {
		/*
		 * The assertions name site i's terms in what the contract
		 * says of every site: the provers find a quantified fact
		 * for the current site only so (Documentation/proof.md).
		 */
		site = (const u8 *)k->sites[i].addr;
		alias = (u8 *)(k->sites[i].addr + write_offset);
		len = k->sites[i].len;
		/*@ assert at_addr: k->sites[i].addr ==
			\at(k->sites[\at(i, Here)].addr, Pre);
		 */
		//@ assert at_site: site == kept_site{Pre}(k, i);
		/*@ assert at_sum: alias == (u8 *)(uintptr_t)
			(\at(k->sites[\at(i, Here)].addr, Pre) +
			 (uintptr_t)write_offset);
		 */
		/*@ assert at_alias: alias ==
			kept_alias{Pre}(k, i, write_offset);
		 */
		//@ assert at_len: len == kept_len{Pre}(k, i);
		/*@ assert kept_off{Pre}(k, i + 1) ==
			kept_off{Pre}(k, i) + 2 * len;
		 */
		/*@ assert apart: \forall integer i2; 0 <= i2 < k->nr ==>
			\separated(alias + (0 .. len - 1), &k->sites[i2]) &&
			\separated(st, &k->sites[i2]);
		 */
		/*@ assert apart_forms: \forall integer i2; 0 <= i2 < k->nr ==>
			\separated(alias + (0 .. len - 1),
				   kept_to{Pre}(k, i2, smp) +
				   (0 .. kept_len{Pre}(k, i2) - 1)) &&
			\separated(alias + (0 .. len - 1),
				   kept_from{Pre}(k, i2, smp) +
				   (0 .. kept_len{Pre}(k, i2) - 1));
		 */
		/*@ assert apart_bytes: \forall integer i2, j;
			0 <= i2 < k->nr && i2 != i &&
			0 <= j < kept_len{Pre}(k, i2) ==>
			\separated(kept_site{Pre}(k, i2) + j,
				   alias + (0 .. len - 1)) &&
			\separated(kept_alias{Pre}(k, i2, write_offset) + j,
				   alias + (0 .. len - 1));
		 */
		/*@ assert apart_form_bytes: \forall integer i2, j;
			i < i2 < k->nr && 0 <= j < kept_len{Pre}(k, i2) ==>
			\separated(kept_to{Pre}(k, i2, smp) + j,
				   alias + (0 .. len - 1)) &&
			\separated(kept_from{Pre}(k, i2, smp) + j,
				   alias + (0 .. len - 1));
		 */
		from = smp ? b : b + len;
		to = smp ? b + len : b;
		//@ assert at_from: from == kept_from{Pre}(k, i, smp);
		//@ assert at_to: to == kept_to{Pre}(k, i, smp);
		//@ assert now_site: same_bytes{Here, Pre}(site, site, len);
		//@ assert now_alias: same_bytes{Here, Pre}(alias, alias, len);
		//@ assert now_from: same_bytes{Here, Pre}(from, from, len);
		//@ assert now_to: same_bytes{Here, Pre}(to, to, len);
		/*@ assert holds_from: kept_moves{Pre}(k, i, smp) ==>
			same_bytes{Here, Here}(site, from, len) &&
			!same_bytes{Here, Here}(site, to, len);
		 */
		/*@ assert holds_not: !kept_moves{Pre}(k, i, smp) ==>
			!same_bytes{Here, Here}(site, from, len) ||
			same_bytes{Here, Here}(site, to, len);
		 */
		write_kept_site(site, alias, from, to, len, st);
		/*@ assert moved_i: kept_moves{Pre}(k, i, smp) ==>
			same_bytes{Here, Pre}(alias, to, len);
		 */
		/*@ assert untouched_i: !kept_moves{Pre}(k, i, smp) ==>
			same_bytes{Here, Pre}(alias, alias, len);
		 */
		b += 2 * len;
		//@ assert next: b == kept_bytes{Pre}(k, i + 1);
	}
}

void __repatch fixup_kept_report(const struct fixup_kept *k, bool smp,
				 void (*neither)(uintptr_t addr))
{
	const u8 *b = k->bytes;
	u32 i, len;

	for (i = 0; i < k->nr; i++) {
		len = k->sites[i].len;
		if (memcmp((const u8 *)k->sites[i].addr, smp ? b + len : b,
			   len))
			neither(k->sites[i].addr);
		b += 2 * len;
	}
}

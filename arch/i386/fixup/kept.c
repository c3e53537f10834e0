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
 * What the caller gives (repatch.c; the host tests, the fuzz target):
 * a kept table made by fixup_keep_done(), each site readable and its
 * alias writable, no alias on the table, its bytes, st, or another
 * site. What it promises: a site's alias is written only when the site
 * held the bytes of the mode being left and not those of the mode
 * entered, and then gets the latter.
 */
/*@ requires \valid_read(k) && \valid(st);
    requires \valid_read(k->sites + (0 .. k->nr - 1));
    requires \valid_read(k->bytes + (0 .. kept_off(k, k->nr) - 1));
    requires \forall integer i; 0 <= i < k->nr ==>
	\valid_read(k->bytes + kept_off(k, i) + (0 .. 2 * kept_len(k, i) - 1)) &&
	\separated(k->bytes + kept_off(k, i) + (0 .. 2 * kept_len(k, i) - 1),
		   st) &&
	\valid_read(kept_site(k, i) + (0 .. kept_len(k, i) - 1)) &&
	\valid(kept_alias(k, i, write_offset) + (0 .. kept_len(k, i) - 1));
    requires \separated(st, k, k->sites + (0 .. k->nr - 1),
			k->bytes + (0 .. kept_off(k, k->nr) - 1));
    requires \forall integer i; 0 <= i < k->nr ==>
	\separated(kept_alias(k, i, write_offset) + (0 .. kept_len(k, i) - 1),
		   st, k, k->sites + (0 .. k->nr - 1),
		   k->bytes + (0 .. kept_off(k, k->nr) - 1));
    requires \forall integer i, j; 0 <= i < k->nr && 0 <= j < k->nr &&
	i != j ==>
	\separated(kept_alias(k, i, write_offset) + (0 .. kept_len(k, i) - 1),
		   kept_site(k, j) + (0 .. kept_len(k, j) - 1));
    assigns *st, { kept_alias(k, i, write_offset)[j] | integer i, j;
		  0 <= i < k->nr && 0 <= j < kept_len(k, i) };
    ensures written_only_from:
	\forall integer i; 0 <= i < k->nr ==>
	(same_bytes{Pre, Pre}(kept_site(k, i), kept_to(k, i, smp),
			      kept_len(k, i)) ||
	 !same_bytes{Pre, Pre}(kept_site(k, i), kept_from(k, i, smp),
			       kept_len(k, i))) ==>
	same_bytes{Post, Pre}(kept_alias(k, i, write_offset),
			      kept_alias(k, i, write_offset), kept_len(k, i));
    ensures moved:
	\forall integer i; 0 <= i < k->nr ==>
	same_bytes{Pre, Pre}(kept_site(k, i), kept_from(k, i, smp),
			     kept_len(k, i)) ==>
	same_bytes{Post, Pre}(kept_alias(k, i, write_offset),
			      kept_to(k, i, smp), kept_len(k, i));
 */
void __repatch fixup_kept_write(const struct fixup_kept *k, bool smp,
				ptrdiff_t write_offset, struct fixup_counts *st)
{
	const u8 *b = k->bytes, *site, *from, *to;	/* b: site i's UP bytes */
	u32 i, len;

	/*@ loop invariant 0 <= i <= k->nr;
	    loop invariant b == k->bytes + kept_off(k, i);
	    loop invariant \forall integer i2; 0 <= i2 < k->nr ==>
		same_bytes{Here, Pre}(kept_site(k, i2), kept_site(k, i2),
				      kept_len(k, i2)) || i2 < i;
	    loop invariant \forall integer i2; i <= i2 < k->nr ==>
		same_bytes{Here, Pre}(kept_alias(k, i2, write_offset),
				      kept_alias(k, i2, write_offset),
				      kept_len(k, i2));
	    loop invariant \forall integer i2; 0 <= i2 < i ==>
		(same_bytes{Pre, Pre}(kept_site(k, i2), kept_to(k, i2, smp),
				      kept_len(k, i2)) ||
		 !same_bytes{Pre, Pre}(kept_site(k, i2),
				       kept_from(k, i2, smp),
				       kept_len(k, i2))) ==>
		same_bytes{Here, Pre}(kept_alias(k, i2, write_offset),
				      kept_alias(k, i2, write_offset),
				      kept_len(k, i2));
	    loop invariant \forall integer i2; 0 <= i2 < i ==>
		same_bytes{Pre, Pre}(kept_site(k, i2), kept_from(k, i2, smp),
				     kept_len(k, i2)) ==>
		same_bytes{Here, Pre}(kept_alias(k, i2, write_offset),
				      kept_to(k, i2, smp), kept_len(k, i2));
	    loop assigns i, b, site, from, to, len, *st,
		{ kept_alias(k, i2, write_offset)[j] | integer i2, j;
		  0 <= i2 < i && 0 <= j < kept_len(k, i2) };
	    loop variant k->nr - i;
	 */
	for (i = 0; i < k->nr; i++) {
		site = (const u8 *)k->sites[i].addr;
		len = k->sites[i].len;
		from = smp ? b : b + len;
		to = smp ? b + len : b;
		st->sites++;
		if (!memcmp(site, to, len)) {
			st->unchanged++;
		} else if (!memcmp(site, from, len)) {
			memcpy((u8 *)(k->sites[i].addr + write_offset), to, len);
			st->patched++;
		} else {
			st->rejected++;
		}
		b += 2 * len;
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

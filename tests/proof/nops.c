/*
 * Eva harness for arch/i386/fixup/nops.c: fixup_pad() over every length
 * a site can have (0..FIXUP_MAX_LEN) and both NOP sets, into a buffer of
 * exactly that length, then fixup_is_pad() over what it wrote. Eva must
 * find no alarm (no read or write outside the buffer or the NOP tables,
 * no uninitialized byte), and the two must agree.
 */
#include <stdlib.h>
#include "__fc_builtin.h"
#include "internal.h"

int main(void)
{
	unsigned int n = Frama_C_interval(0, FIXUP_MAX_LEN);
	bool p6 = Frama_C_nondet(0, 1), same;
	u8 *buf;

	//@ split n;
	//@ split p6;
	buf = malloc(n);		/* exactly n bytes: nothing to spare */
	if (!buf)
		return 0;
	fixup_pad(buf, n, p6);
	same = fixup_is_pad(buf, n, p6);
	//@ assert padded: same;
	free(buf);
	return 0;
}

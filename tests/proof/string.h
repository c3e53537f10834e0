/*
 * For Frama-C only (scripts/proof includes it before every source): the
 * string functions the proved code calls, as C specifies them, over
 * bytes. WP's typed memory model reads a void pointer as a char one, so
 * a call through memcmp()'s own prototype could not be related to the
 * u8 bytes of the caller; the calls go to these instead. That they are
 * what arch/i386/lib/string.c does is assumed (Documentation/proof.md).
 */
#include <kernel/string.h>

/*@ requires \valid_read(a + (0 .. n - 1));
    requires \valid_read(b + (0 .. n - 1));
    assigns \result \from a[0 .. n - 1], b[0 .. n - 1];
    ensures \result == 0 <==> (\forall integer i; 0 <= i < n ==> a[i] == b[i]);
 */
int proof_memcmp(const u8 *a, const u8 *b, size_t n);

/*@ requires \valid(dst + (0 .. n - 1));
    requires \valid_read(src + (0 .. n - 1));
    requires \separated(dst + (0 .. n - 1), src + (0 .. n - 1));
    assigns dst[0 .. n - 1] \from src[0 .. n - 1];
    assigns \result \from dst;
    ensures \forall integer i; 0 <= i < n ==> dst[i] == \old(src[i]);
    ensures \result == dst;
 */
u8 *proof_memcpy(u8 *dst, const u8 *src, size_t n);

#define memcmp proof_memcmp
#define memcpy proof_memcpy

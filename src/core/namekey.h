/* SPDX-License-Identifier: MIT
 * namekey.h: search keys for people's names. A key folds case, accents and punctuation so that
 * "GONZÁLEZ, José" and "gonzalez, jose" compare equal, and sorts by last name, then first name.
 * Pure functions: no allocation, no locale, no I/O. */
#ifndef HC_NAMEKEY_H
#define HC_NAMEKEY_H

#include <stddef.h>

/* Separates the last-name part from the rest in a key. Below ' ', so "smith" sorts before
 * "smith jones" and both before "smithers". */
#define HC_NAMEKEY_SEP '\t'

/* Fold the UTF-8 text s[0..len) into out (cap bytes, NUL-terminated):
 * - ASCII letters to lower case; digits kept;
 * - Latin-1 Supplement and Latin Extended-A letters to their base letters, lower case
 *   (é->e, Ñ->n, ß->ss, ø->o, ł->l, Æ->ae, Œ->oe, Þ->th, Ĳ->ij); combining marks U+0300-U+036F
 *   dropped, so decomposed input folds like precomposed;
 * - apostrophes (' ` U+2019 U+02BC) dropped, so "O'Brien" is "obrien";
 * - every other ASCII or Latin-1 character (spaces, hyphens, periods, commas, controls, x, /)
 *   and every invalid UTF-8 byte is a separator: runs of separators become one space, and none
 *   is kept at either end;
 * - other characters (Greek, Cyrillic, CJK ...) are copied unchanged.
 * The output is never longer than len, so cap = len + 1 always suffices. Returns the length
 * written (without the NUL), or -1 when cap is too small (out is then "" if cap > 0). */
long hc_namekey_fold(const char *s, size_t len, char *out, size_t cap);

/* The key of a stored name written "Last, First Middle": fold(Last) HC_NAMEKEY_SEP
 * fold(First Middle). A name without a comma is all last name (the key ends with the
 * separator). cap = len + 2 always suffices. Returns the length written or -1 as above. */
long hc_namekey(const char *name, size_t len, char *out, size_t cap);

/* The longest folded word hc_namekey_prefix_distance compares; longer ones count as far. */
#define HC_NAMEKEY_DISTANCE_MAX_LEN 64

/* How far the typed word a[0..alen) is from being a prefix of the word b[0..blen): the least
 * number of byte insertions, deletions, substitutions and swaps of two neighbours that turn a
 * into some prefix of b (optimal string alignment), so "gonzales" is 1 from "gonzalez",
 * "nugyen" 1 from "nguyen", and a prefix of b is 0. Both are folded keys (hc_namekey_fold).
 * Returns the distance, or limit + 1 when it is above limit or either word is longer than
 * HC_NAMEKEY_DISTANCE_MAX_LEN. */
int hc_namekey_prefix_distance(const char *a, size_t alen, const char *b, size_t blen, int limit);

#endif

/* SPDX-License-Identifier: MIT
 * date.h: calendar dates as day numbers, for effective dates and lookbacks.
 * A date is an int: days since 1970-01-01 in the proleptic Gregorian calendar. Only years
 * 1900..2199 are accepted from input, which covers every record a jail keeps. */
#ifndef HC_DATE_H
#define HC_DATE_H

#include <stddef.h>

typedef int hc_day;

#define HC_DAY_NONE (-2147483647 - 1) /* "no date": sorts before every real date */

/* Day number of the civil date y-m-d. The date must be valid. */
hc_day hc_date_from_ymd(int y, int m, int d);

/* Split day into year, month (1-12) and day of month (1-31). */
void hc_date_to_ymd(hc_day day, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM-DD" (s[0..len)) into *out. Returns 0, or HC_EINVAL when the text is
 * not of that form or names no real day (2023-02-29, 2024-13-01) or a year outside 1900..2199.
 * *out is untouched on failure. */
int hc_date_parse(const char *s, size_t len, hc_day *out);

/* Write "YYYY-MM-DD" and a NUL to out[0..11). */
void hc_date_format(hc_day day, char out[11]);

/* The same month and day `years` calendar years before `day`; 29 February becomes
 * 28 February when the target year has no 29th. */
hc_day hc_date_minus_years(hc_day day, int years);

/* Whether `event` lies within the `years` before `as_of`: event > as_of - years (the same
 * month and day N years back is outside, the next day inside) and event <= as_of. This is the
 * one place the lookback boundary of Gov. Code 7282.5(a)(3) is defined. */
int hc_date_within_years(hc_day event, hc_day as_of, int years);

#endif

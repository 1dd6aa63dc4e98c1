/* SPDX-License-Identifier: MIT
 * date.h: calendar dates as day numbers, for effective dates and lookbacks.
 * A date is an int: days since 1970-01-01 in the proleptic Gregorian calendar. Only years
 * 1900..2199 are accepted from input, which covers every record a jail keeps. */
#ifndef HC_DATE_H
#define HC_DATE_H

#include <stddef.h>
#include <stdint.h>

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

/* A moment as records and requests write it (ISO 8601's extended form, the subset holdcheck
 * reads): "YYYY-MM-DD", or that followed by "THH:MM:SS" (second 60 for a leap second), an
 * optional fraction ".d..." (ignored), and an optional "Z" or "+hh:mm" / "-hh:mm" offset no
 * wider than 14:00, the widest any zone uses. */
struct hc_time {
    hc_day day;        /* the date as written */
    int32_t secs;      /* seconds into that day as written; 0 for a date alone */
    int has_time;      /* "THH:MM:SS" was written */
    int has_zone;      /* "Z" or an offset was written (only after a time) */
    int32_t offset;    /* the offset in seconds east of UTC; 0 for "Z" or none */
};

/* Read s[0..len) (no NUL inside) as a moment into *out. Returns 0, or HC_EINVAL when the text
 * is not of that form, names no real day or time (25:00, 12:61), or has an offset over 14:00
 * or one with more than 59 minutes; *out is then unspecified. */
int hc_time_parse(const char *s, size_t len, struct hc_time *out);

/* Seconds since 1970-01-01T00:00:00Z of t, which must have a zone (t->has_zone). */
int64_t hc_time_utc(const struct hc_time *t);

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

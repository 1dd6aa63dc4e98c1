/* SPDX-License-Identifier: MIT
 * clock.h: the one clock. Everything outside core that needs "now" asks here, so a test can fix
 * the time for the whole process (hc_clock_set, or HOLDCHECK_NOW in the environment through the
 * CLI), and every timestamp holdcheck writes has one of the few formats below. Core never calls
 * it: dates come into the engine as arguments. Thread-safe. */
#ifndef HC_CLOCK_H
#define HC_CLOCK_H

#include <stdint.h>

#define HC_CLOCK_UTC_LEN 21   /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */
#define HC_CLOCK_DATE_LEN 11  /* "YYYY-MM-DD" and its NUL */
#define HC_CLOCK_LOCAL_LEN 32 /* "YYYY-MM-DDTHH:MM:SS+hh:mm" and its NUL, with room */
#define HC_CLOCK_MAIL_LEN 40  /* "Sun, 06 Dec 2026 20:13:43 +0000" and its NUL, with room */

/* Seconds since the epoch: the fixed time when one is set, else the system's. */
int64_t hc_clock_now(void);

/* Fix the process's time at t (seconds since the epoch); 0 returns to the system clock. */
void hc_clock_set(int64_t t);

/* Parse "YYYY-MM-DDTHH:MM:SSZ" or a plain number of seconds into *t. Returns 0, or HC_EINVAL
 * when s is neither. */
int hc_clock_parse(const char *s, int64_t *t);

/* A monotonic clock in milliseconds, for durations and timeouts; never fixed by hc_clock_set. */
int64_t hc_clock_mono_ms(void);
/* The same clock in microseconds, for latencies. */
int64_t hc_clock_mono_us(void);

/* t as "YYYY-MM-DDTHH:MM:SSZ". */
void hc_clock_utc(int64_t t, char out[HC_CLOCK_UTC_LEN]);
/* t as the UTC date "YYYY-MM-DD". */
void hc_clock_date(int64_t t, char out[HC_CLOCK_DATE_LEN]);
/* t's date in the local time zone, "YYYY-MM-DD": the jail's calendar day. */
void hc_clock_local_date(int64_t t, char out[HC_CLOCK_DATE_LEN]);
/* t in the local time zone as RFC 3339, "YYYY-MM-DDTHH:MM:SS+hh:mm". */
void hc_clock_local(int64_t t, char out[HC_CLOCK_LOCAL_LEN]);
/* t as an RFC 5322 mail date in UTC, "Sun, 06 Dec 2026 20:13:43 +0000". */
void hc_clock_mail(int64_t t, char out[HC_CLOCK_MAIL_LEN]);

#endif

/* SPDX-License-Identifier: MIT
 * clock.c: the one clock (clock.h). The fixed time is one atomic: set once by a test or the CLI
 * before threads start, read by every thread after. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "err.h"

static _Atomic int64_t fixed_now;

int64_t hc_clock_now(void)
{
    int64_t t = atomic_load_explicit(&fixed_now, memory_order_relaxed);
    return t != 0 ? t : (int64_t)time(NULL);
}

void hc_clock_set(int64_t t)
{
    atomic_store(&fixed_now, t);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil), so parsing needs neither timegm nor the time zone. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date of day z since 1970-01-01 in the proleptic Gregorian calendar (the inverse of
 * days_from_civil). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Write the n-digit decimal of v (0 <= v < 10^n) at out. */
static void put_digits(char *out, int n, int64_t v)
{
    while (n-- > 0) {
        out[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Write t in UTC into out (HC_CLOCK_UTC_LEN bytes when with_time, else HC_CLOCK_DATE_LEN) as
 * "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD", by arithmetic: gmtime_r and strftime take glibc's
 * time zone lock, and a busy server stamps every staff read. "" for a year outside 0..9999. */
static void utc_format(int64_t t, int with_time, char *out)
{
    int64_t days = (t >= 0 ? t : t - 86399) / 86400, sec = t - days * 86400, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        out[0] = '\0';
        return;
    }
    put_digits(out, 4, y);
    out[4] = '-';
    put_digits(out + 5, 2, m);
    out[7] = '-';
    put_digits(out + 8, 2, d);
    if (!with_time) {
        out[10] = '\0';
        return;
    }
    out[10] = 'T';
    put_digits(out + 11, 2, sec / 3600);
    out[13] = ':';
    put_digits(out + 14, 2, sec / 60 % 60);
    out[16] = ':';
    put_digits(out + 17, 2, sec % 60);
    out[19] = 'Z';
    out[20] = '\0';
}

/* The n-digit number at s, or -1 when s does not start with n digits. */
static int64_t digits(const char *s, int n)
{
    int64_t v = 0;
    int i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int hc_clock_parse(const char *s, int64_t *t)
{
    char *end;
    long long v;

    /* YYYY-MM-DDTHH:MM:SSZ */
    if (strlen(s) == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' &&
        s[16] == ':' && s[19] == 'Z') {
        int64_t y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
        int64_t h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
            mi > 59 || se < 0 || se > 60)
            return HC_EINVAL;
        *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
        return HC_OK;
    }
    v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || v <= 0)
        return HC_EINVAL;
    *t = (int64_t)v;
    return HC_OK;
}

int64_t hc_clock_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t hc_clock_mono_ms(void)
{
    return hc_clock_mono_us() / 1000;
}

static struct tm broken_down(int64_t t, int local)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (local)
        localtime_r(&tt, &tm);
    else
        gmtime_r(&tt, &tm);
    return tm;
}

void hc_clock_utc(int64_t t, char out[HC_CLOCK_UTC_LEN])
{
    utc_format(t, 1, out);
}

/* "YYYY-MM-DD" of t in local time (local) or UTC. */
static void format_date(int64_t t, int local, char out[HC_CLOCK_DATE_LEN])
{
    struct tm tm = broken_down(t, local);
    if (strftime(out, HC_CLOCK_DATE_LEN, "%Y-%m-%d", &tm) == 0)
        out[0] = '\0';
}

void hc_clock_date(int64_t t, char out[HC_CLOCK_DATE_LEN])
{
    utc_format(t, 0, out);
}

void hc_clock_local_date(int64_t t, char out[HC_CLOCK_DATE_LEN])
{
    format_date(t, 1, out);
}

void hc_clock_local(int64_t t, char out[HC_CLOCK_LOCAL_LEN])
{
    struct tm tm = broken_down(t, 1);
    char z[8];
    size_t n = strftime(out, HC_CLOCK_LOCAL_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
    /* strftime's "+hhmm"; RFC 3339 wants "+hh:mm" */
    if (strftime(z, sizeof z, "%z", &tm) == 5)
        snprintf(out + n, HC_CLOCK_LOCAL_LEN - n, "%c%c%c:%c%c", z[0], z[1], z[2], z[3], z[4]);
}

void hc_clock_mail(int64_t t, char out[HC_CLOCK_MAIL_LEN])
{
    struct tm tm = broken_down(t, 0);
    if (strftime(out, HC_CLOCK_MAIL_LEN, "%a, %d %b %Y %H:%M:%S +0000", &tm) == 0)
        out[0] = '\0';
}

/* SPDX-License-Identifier: MIT
 * date.c: civil-date arithmetic (days-from-civil, after the well-known era algorithm). */
#include <string.h>

#include "date.h"

#include "err.h"

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

hc_day hc_date_from_ymd(int y, int m, int d)
{
    /* Shift the year to start in March so the leap day is the last day of the year. */
    int yy = m <= 2 ? y - 1 : y;
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    int yoe = yy - era * 400;
    int mp = (m + 9) % 12;
    int doy = (153 * mp + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void hc_date_to_ymd(hc_day day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int hc_date_parse(const char *s, size_t len, hc_day *out)
{
    int y, m, d;
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return HC_EINVAL;
    y = digits(s, 4);
    m = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return HC_EINVAL;
    *out = hc_date_from_ymd(y, m, d);
    return HC_OK;
}

void hc_date_format(hc_day day, char out[11])
{
    int y, m, d;
    hc_date_to_ymd(day, &y, &m, &d);
    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

hc_day hc_date_minus_years(hc_day day, int years)
{
    int y, m, d;
    hc_date_to_ymd(day, &y, &m, &d);
    y -= years;
    if (m == 2 && d == 29 && !is_leap(y))
        d = 28;
    return hc_date_from_ymd(y, m, d);
}

int hc_date_within_years(hc_day event, hc_day as_of, int years)
{
    return event > hc_date_minus_years(as_of, years) && event <= as_of;
}

/* Whether s[0..n) are n decimal digits; their value into *v. */
static int read_digits(const char *s, int n, int *v)
{
    int i;
    *v = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

int hc_time_parse(const char *s, size_t len, struct hc_time *out)
{
    const char *p = s + 10, *end = s + len;
    int hh, mi, ss, oh, om;

    memset(out, 0, sizeof *out);
    if (len < 10 || hc_date_parse(s, 10, &out->day) != 0)
        return HC_EINVAL;
    if (p == end)
        return 0;
    if (end - p < 9 || p[0] != 'T' || !read_digits(p + 1, 2, &hh) || p[3] != ':' ||
        !read_digits(p + 4, 2, &mi) || p[6] != ':' || !read_digits(p + 7, 2, &ss) || hh > 23 ||
        mi > 59 || ss > 60)
        return HC_EINVAL;
    out->has_time = 1;
    out->secs = hh * 3600 + mi * 60 + ss;
    p += 9;
    if (p < end && *p == '.') {
        const char *f = ++p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        if (p == f)
            return HC_EINVAL;
    }
    if (p < end && *p == 'Z') {
        out->has_zone = 1;
        p++;
    } else if (p < end && (*p == '+' || *p == '-')) {
        if (end - p < 6 || !read_digits(p + 1, 2, &oh) || p[3] != ':' ||
            !read_digits(p + 4, 2, &om) || om > 59 || oh * 60 + om > 14 * 60)
            return HC_EINVAL;
        out->has_zone = 1;
        out->offset = (*p == '+' ? 1 : -1) * (oh * 3600 + om * 60);
        p += 6;
    }
    return p == end ? 0 : HC_EINVAL;
}

int64_t hc_time_utc(const struct hc_time *t)
{
    return (int64_t)t->day * 86400 + t->secs - t->offset;
}

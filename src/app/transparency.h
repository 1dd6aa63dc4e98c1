/* SPDX-License-Identifier: MIT
 * transparency.h: the public transparency page (docs/reports.md, "The transparency page"):
 * a year's aggregate figures of the statutory reports (reports.h) for anyone, when the agency
 * chooses to publish them: requests received by month and by type, outcomes in force, what
 * was done, ICE access by mode, transfers by basis and releases of people with a notification
 * request by why no notice was given. Each chart is server-rendered SVG with a title and a
 * description, with a table of the same figures beside it, and the page offers them as CSV.
 * Never a person: no request ids, no rows, no name, booking number or date of birth, and
 * neither age nor sex, which in a small county could point to one person. */
#ifndef HC_APP_TRANSPARENCY_H
#define HC_APP_TRANSPARENCY_H

#include <stddef.h>

#include "err.h"

struct hc_store;

enum transparency_format { TRANSPARENCY_HTML, TRANSPARENCY_CSV };

struct transparency_query {
    int year;                        /* 0: the current calendar year (local time) */
    const char *lang;                /* "en" (NULL: en) or "es" */
    enum transparency_format format;
    const char *csv_path;            /* HTML: the CSV download's path ("/api/v1/public/
                                      * transparency.csv"), given the year and language */
    const char *page_path;           /* HTML: this page's path, for the year and language
                                      * links ("/transparency") */
};

/* Build the page (or its CSV) for q from st's records, through the reports of reports.h, into
 * *out (malloc'd, NUL-terminated; the caller frees it) of *len bytes. Errors (d names the
 * field): HC_EINVAL ("year") a year before 2014, the first year of the law holdcheck encodes,
 * or after the current one; HC_EINVAL ("lang") a language other than en and es; the errors of
 * reports_render otherwise. *out is NULL on error. */
int transparency_render(struct hc_store *st, const struct transparency_query *q, char **out,
                        size_t *len, struct hc_diag *d);

#endif

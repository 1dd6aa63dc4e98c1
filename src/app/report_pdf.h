/* SPDX-License-Identifier: MIT
 * report_pdf.h: shared by reports.c and report_pdf.c only: a built report (its JSON, as
 * reports_render encodes it) printed as PDF through the notice module's printed documents
 * (src/notice/print.h). */
#ifndef HC_APP_REPORT_PDF_H
#define HC_APP_REPORT_PDF_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"

/* A figure's request ids are printed when there are at most this many; past it, the figure
 * says how many there are and where to get them (the report's JSON). */
#define REPORT_PDF_MAX_IDS 60

/* Print report root (the JSON document of reports.h, in English or Spanish by its "lang") as
 * PDF: title, agency, period, definition version, the rulesets of the decisions read, the
 * offense catalog in use, when it was generated, the statute it answers, the figures as a
 * table (group, label, count, request ids), the rows as a table, and a footer with the page
 * numbers. agency (NULL or "": printed as not set) and catalog_version (NULL: not printed) are
 * borrowed. *out (malloc'd; the caller frees it) holds *len bytes. Errors: HC_ENOMEM; HC_EIO
 * (d says why: a character without a font, cairo, writing); *out is NULL on error. */
int report__pdf(json_t *root, const char *agency, const char *catalog_version, char **out,
                size_t *len, struct hc_diag *d);

#endif

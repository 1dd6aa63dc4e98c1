/* SPDX-License-Identifier: MIT
 * reports.h: the statutory reports (docs/reports.md), from the stored records, for a period:
 * doj-transfers (Gov. Code 7284.6(c)(2): each transfer and the offense that allowed it),
 * releases-without-notice (the releases of people with an open notification request, by why
 * no notice was given), truth-forum (the TRUTH Act forum packet, 7283.1(d)) and cpra (the
 * records of ICE access and communication with ICE, 7283.1(c), redacted by default). Every figure carries the ids of the requests behind it; every report
 * carries its definition version, its period, the rulesets of the decisions it read and when
 * it was generated. `reports_check` recomputes each figure a second way, from plain tallies,
 * and checks the records against the audit chain. What counts as what lives here and in the
 * report_*.c files, nowhere else; the store returns rows. No report writes a name, booking
 * number, date of birth or any other personal identifier (but cpra unredacted, for an
 * administrator), nor ethnicity, national origin or immigration status (none is stored). */
#ifndef HC_APP_REPORTS_H
#define HC_APP_REPORTS_H

#include <stddef.h>

#include "err.h"

struct hc_store;

/* The output formats. */
enum report_format { REPORT_JSON, REPORT_CSV, REPORT_HTML, REPORT_PDF };

/* What to report. Every string is borrowed for the call. */
struct report_query {
    const char *kind;      /* "doj-transfers", "releases-without-notice", "truth-forum" */
    const char *from, *to; /* the period's first and last local days, YYYY-MM-DD, both or
                            * neither; neither: the calendar year below */
    int year;              /* 0: the current calendar year in the local time zone */
    enum report_format format;
    const char *lang;      /* "en" (NULL: en), or "es" for a kind written in Spanish too */
    const char *link_base; /* HTML: a request's page is link_base followed by its id (NULL:
                            * "/console/request.html?id=") */
    const char *agency;    /* PDF: the agency's name printed in the header (NULL: "not set") */
    const char *catalog_version; /* PDF: the offense catalog in use (NULL: not printed) */
    int unredacted;        /* cpra only: write the personal identifying information the bundle
                            * redacts by default (an administrator's only; the access is
                            * written to the audit log) */
    int role;              /* with unredacted: the caller's role (an AUTH_* bit, auth.h) */
    const char *actor;     /* with unredacted: the caller's name, the audit entry's actor */
};

/* The database backend has no reports (STORE_ENOTSUP of store_reports.h: PostgreSQL for
 * now). Distinct from every HC_E* and store code. */
#define REPORTS_ENOTSUP (-56)

/* An unredacted report asked by a role that may not see one (only an administrator may): the
 * HTTP layer answers it 403 with d's message. Distinct from every HC_E* and store code. */
#define REPORTS_EADMIN (-57)

/* The format named name ("json", "csv", "html", "pdf") into *f. HC_EINVAL (field "format")
 * otherwise. */
int reports_format_from_name(const char *name, enum report_format *f, struct hc_diag *d);

/* Build the report q asks for from st, in one read snapshot, and encode it in q->format into
 * *out (malloc'd, NUL-terminated; the caller frees it) of *len bytes. The local time zone (TZ)
 * is the agency's: it sets the period's bounds and each row's date.
 * Errors (d names the field): HC_EINVAL ("kind", "from", "to", "year", "lang") an unknown kind,
 * a bad date, a period that ends before it starts or spans more than 366 days, a year outside
 * 2014..9999, a language the kind is not written in; HC_ENOMEM the period holds too much;
 * REPORTS_ENOTSUP the backend has no reports; a store error; for PDF, HC_EIO when a character
 * has no font or the PDF could not be written (d says which; src/notice/print.h). PDF output
 * is laid out one report at a time in a process. *out is NULL on error.
 * With q->unredacted: HC_EINVAL ("redaction") for a kind other than cpra; REPORTS_EADMIN
 * ("redaction") when q->role is not AUTH_ADMIN; otherwise an audit entry
 * "report.unredacted" (entity "report/cpra", by q->actor, with the period and format) is
 * appended before the report is handed out, and a failure to append it is an error (no
 * report). */
int reports_render(struct hc_store *st, const struct report_query *q, char **out, size_t *len,
                   struct hc_diag *d);

/* Recompute report q's figures independently (plain tallies read by other queries, counted
 * without the report's classification code) and compare them, figure by figure (count and
 * request ids), with the report built now and, when against (NUL-terminated JSON, a report of
 * the same kind written earlier by reports_render) is not NULL, with that report too; then
 * verify against the audit chain the records the report could have read (store_report_verify:
 * every entry's link, the entries vouching for those records rehashed; docs/reports.md says
 * exactly which records), or, for a kind that does not name the records it reads
 * (report__track_reads), the whole chain and every record it vouches for (anchor_verify).
 * *out (malloc'd text, one line a finding, a line saying what was verified, then a summary
 * line; the caller frees it) and *differences (OUT) the number of figures that differ plus the
 * audit chain's problems: 0 means every figure was recomputed and the records agree with the
 * chain. Errors as reports_render; HC_EINVAL
 * ("against") when against is not such a report or is of another kind or period. */
int reports_check(struct hc_store *st, const struct report_query *q, const char *against,
                  char **out, size_t *len, int *differences, struct hc_diag *d);

#endif

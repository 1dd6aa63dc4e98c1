/* SPDX-License-Identifier: MIT
 * case_charges.c: a case's citations written as jail and court systems write them, read with
 * the charge-string reader (charge.h) and the offense catalog, so that the engine decides on
 * "496(A) PC RECEIVE KNOWN STOLEN PROP" what it decides on "PC 496(a)". */
#include <string.h>

#include "charge.h"

/* Read text (one conviction's or charge's citation, which hc_cite_parse refused) with the
 * catalog on day. On one reading, *cite gets it, *ok is set and *level, when unknown, takes
 * the level written with it. Otherwise *why says what the text holds, for the decision's
 * missing-fact note. Returns HC_OK or HC_ENOMEM. */
static int read_one(const char *text, const struct hc_catalog *cat, hc_day day,
                    struct hc_arena *a, struct hc_cite *cite, int *ok, unsigned char *level,
                    const char **why)
{
    struct hc_charge_catalog cc = {cat, day};
    struct hc_charge_readings rd;
    struct hc_diag d;
    struct hc_buf b;
    char mem[512];
    size_t i;
    int n;

    hc_diag_clear(&d);
    n = hc_charge_read(text, strlen(text), hc_charge_catalog_exists, &cc, &rd, &d);
    if (n == 1 && rd.c[0].conf != HC_CHARGE_AMBIGUOUS) {
        *cite = rd.c[0].cand[0];
        *ok = 1;
        if (*level == HC_LEVEL_UNKNOWN)
            *level = rd.c[0].level != HC_LEVEL_UNKNOWN ? rd.c[0].level : cite->level_suffix;
        return HC_OK;
    }
    if (n < 1) /* no citation in it: hc_cite_parse's reason stands */
        return HC_OK;
    /* Never a guess: name what the text could be, for a person to settle. */
    hc_buf_init(&b, mem, sizeof mem);
    if (n > 1)
        hc_buf_puts(&b, "several citations, to give as separate entries: ");
    for (i = 0; i < rd.n; i++) {
        if (i > 0)
            hc_buf_puts(&b, "; ");
        hc_charge_reading_format(&rd.c[i], &b); /* "AMBIGUOUS: PC 4221(a) | PC 422.1(a)" */
    }
    if ((*why = hc_arena_strndup(a, b.data, b.len)) == NULL)
        return HC_ENOMEM;
    return HC_OK;
}

int hc_case_read_charges(struct hc_case *c, const struct hc_catalog *cat, struct hc_arena *a)
{
    size_t i;
    int rc = HC_OK;
    for (i = 0; i < c->nconv && rc == HC_OK; i++) {
        struct hc_conviction *cv = &c->conv[i];
        const char *conflict;
        if (cv->cite_ok || cv->citation == NULL)
            continue;
        rc = read_one(cv->citation, cat, cv->date != HC_DAY_NONE ? cv->date : c->as_of, a,
                      &cv->cite, &cv->cite_ok, &cv->level, &cv->cite_error);
        if (!cv->cite_ok)
            continue;
        /* As hc_case_read does for a citation it reads: the United States Code is a federal
         * conviction unless said otherwise, and a jurisdiction that contradicts the reading
         * leaves the citation unread, for a person to settle. */
        if (cv->juris_name == NULL && cv->cite.main.code == HC_CODE_USC)
            cv->juris = HC_JURIS_FEDERAL;
        if ((conflict = hc_juris_conflict(&cv->cite, cv->juris_name)) != NULL) {
            cv->cite_ok = 0;
            cv->cite_error = conflict;
        }
    }
    for (i = 0; i < c->ncharges && rc == HC_OK; i++) {
        struct hc_charge *ch = &c->charges[i];
        if (!ch->cite_ok && ch->citation != NULL)
            rc = read_one(ch->citation, cat, c->as_of, a, &ch->cite, &ch->cite_ok, &ch->level,
                          &ch->cite_error);
    }
    return rc;
}

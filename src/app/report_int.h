/* SPDX-License-Identifier: MIT
 * report_int.h: shared by the report files of src/app only (reports.c, report_*.c): a report
 * under construction, its figures, and the table of kinds. A report is a JSON object
 * (jansson) until reports.c encodes it; report_*.c add its figures and rows. */
#ifndef HC_APP_REPORT_INT_H
#define HC_APP_REPORT_INT_H

#include <jansson.h>
#include <stdint.h>

#include "arena.h"
#include "clock.h"
#include "err.h"
#include "store_reports.h"

struct hc_store;

/* A report being built: its period, and the members of root that the kinds fill. */
struct report_ctx {
    json_t *root;     /* the whole report (owned) */
    json_t *figures;  /* root's "figures": [{group, key, label, count, request_ids}]; a kind
                       * whose figures rest on records that are not requests leaves
                       * request_ids empty and adds its own list (task-force: entry_ids, the
                       * register entries summed; docs/reports.md) */
    json_t *rows;     /* root's "rows": one object a counted item, no personal identifier */
    json_t *rulesets; /* root's "rulesets": the decisions' rulesets, each once */
    json_t *index;    /* each figure of figures by "group\037key" (owned; borrowed values),
                       * so that counting an item does not search the list */
    char from_utc[HC_CLOCK_UTC_LEN], to_utc[HC_CLOCK_UTC_LEN]; /* [from, to) */
    struct hc_arena *a; /* the store's rows */
    int es;             /* the report is written in Spanish (lang=es) */
    int unredacted;     /* cpra: write the personal identifying information (an
                         * administrator's, audited by reports_render) */
};

/* Count one item (one transfer, one request at a release...) under figure group/key, with
 * label shown beside it: the figure is created at its first item (figures keep the order of
 * their first use), its count goes up by one and request_id joins its ids (once the report is
 * built, each figure's ids are sorted and each kept once). A NULL label keeps the figure's. */
void report__count(struct report_ctx *r, const char *group, const char *key, const char *label,
                   int64_t request_id);
/* Add request_id to figure group/key's ids without counting an item (a second request behind
 * the same item); the figure must exist. */
void report__add_id(struct report_ctx *r, const char *group, const char *key, int64_t request_id);
/* Create figure group/key with no item yet, so that a zero is shown (no-op when it exists). */
void report__figure(struct report_ctx *r, const char *group, const char *key, const char *label);
/* Note that a decision of ruleset rs (NULL: none) was read. */
void report__ruleset(struct report_ctx *r, const char *rs);
/* The store's tally k for r's period into *t and *n (in r->a); on error d says so. */
int report__tally(struct hc_store *st, struct report_ctx *r, enum store_report_tally_kind k,
                  struct store_report_tally **t, size_t *n, struct hc_diag *d);
/* t's date in the local time zone (the agency's), "YYYY-MM-DD". */
void report__local_date(int64_t t, char out[HC_CLOCK_DATE_LEN]);

/* One kind of report. build fills r from the records (figures, rows, rulesets); tally fills
 * the figures only, from the store's plain tallies (store_report_tally), without build's
 * code: reports_check compares the two. Both return HC_OK or an HC_E* / store code with d
 * set. */
struct report_kind {
    const char *name;       /* "doj-transfers" */
    const char *version;    /* the definition's version, "doj-transfers/1": raised whenever
                             * what a figure counts changes */
    const char *title;      /* the report's English title */
    const char *answers;    /* the statute it answers, quoted */
    int (*build)(struct hc_store *st, struct report_ctx *r, struct hc_diag *d);
    int (*tally)(struct hc_store *st, struct report_ctx *r, struct hc_diag *d);
    const char *title_es;   /* the title in Spanish; NULL: the kind is written in English only */
};

extern const struct report_kind report_doj_transfers;           /* report_transfers.c */
extern const struct report_kind report_releases_without_notice; /* report_releases.c */
extern const struct report_kind report_truth_forum;             /* report_forum.c */
extern const struct report_kind report_cpra;                    /* report_cpra.c */
extern const struct report_kind report_task_force;              /* report_taskforce.c */

#endif

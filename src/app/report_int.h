/* SPDX-License-Identifier: MIT
 * report_int.h: shared by the report files of src/app only (reports.c, report_*.c): a report
 * under construction, its figures, and the table of kinds. A report is a JSON object
 * (jansson) until reports.c encodes it; report_*.c add its figures and rows. */
#ifndef HC_APP_REPORT_INT_H
#define HC_APP_REPORT_INT_H

#include <jansson.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "clock.h"
#include "err.h"
#include "store_reports.h"

struct hc_store;

/* A text grown on the heap, never past the most a report may hold (REPORT_MAX_BYTES,
 * reports.c, 256 MiB): what the encoders write, and the rows a kind writes as JSON while it
 * reads them (report__rows_as_text). Start it zeroed. */
struct report_text {
    char *p;    /* malloc'd, NUL-terminated; NULL until something is put */
    size_t len, cap;
    int full;   /* the text would have passed the cap, or memory ran out: nothing more is put */
};

/* Give the next n bytes of o's room as the bounded buffer b, for the writers of src/common that
 * write into one (hc_buf_put_jstr, hc_csv_cell, hc_buf_put_html): b must not be written past
 * report__text_commit, which keeps what b got (o is full when b is). 0, or -1 when o cannot
 * grow by n (o is then full and b is not set). */
int report__text_reserve(struct report_text *o, size_t n, struct hc_buf *b);
void report__text_commit(struct report_text *o, const struct hc_buf *b);

/* A report being built: its period, and the members of root that the kinds fill. */
struct report_ctx {
    json_t *root;     /* the whole report (owned) */
    json_t *figures;  /* root's "figures": [{group, key, label, count, request_ids}]; a kind
                       * whose figures rest on records that are not requests sets ids_name */
    const char *ids_name; /* NULL: each figure's ids are written as its request_ids; else as
                           * this member (task-force: "entry_ids", the register entries summed;
                           * docs/reports.md), beside an empty request_ids */
    json_t *rows;     /* root's "rows": one object a counted item, no personal identifier;
                       * empty while rows_as_text (its elements are in rows_text) */
    /* A kind whose rows are too many for a tree (cpra: a year's bundle, some 290,000 rows and
     * redactions) writes them as JSON text while it reads them (report__rows_as_text): the
     * array of root's "rows", brackets included, in rows_text; and the elements of root's
     * "redactions" (the cpra redaction log) by write_log, straight into the encoded report,
     * from what build kept (kept, freed by release). The JSON encoder writes them in place of
     * root's (empty) arrays; the other formats parse them back into root first. */
    int rows_as_text;
    struct report_text rows_text;
    void (*write_log)(struct report_ctx *r, struct report_text *o); /* report__text_element */
    void (*release)(struct report_ctx *r); /* frees kept; NULL: nothing kept */
    void *kept;
    json_t *rulesets; /* root's "rulesets": the decisions' rulesets, each once */
    struct report_tallies *tallies; /* the figures while they are counted, in C (reports.c;
                                     * owned): written into figures once the report is built */
    struct report_reads *reads;     /* the bound rows read (report__read; owned), or NULL */
    char from_utc[HC_CLOCK_UTC_LEN], to_utc[HC_CLOCK_UTC_LEN]; /* [from, to) */
    struct hc_arena *a; /* the store's rows */
    int es;             /* the report is written in Spanish (lang=es) */
    int figures_only;   /* built for its figures alone (report --check compares them): a kind
                         * may leave its rows unwritten */
    int unredacted;     /* cpra: write the personal identifying information (an
                         * administrator's, audited by reports_render) */
};

/* Count one item (one transfer, one request at a release...) under figure group/key, with
 * label shown beside it: the figure is created at its first item (figures keep the order of
 * their first use), its count goes up by one and request_id joins its ids (once the report is
 * built, each figure's ids are sorted and each kept once). A NULL label keeps the figure's. */
void report__count(struct report_ctx *r, const char *group, const char *key, const char *label,
                   int64_t request_id);
/* Add n to figure group/key's count and, when id is not 0, id to its ids: for figures that sum
 * an amount a record gives (a register entry's arrests) rather than count items. The figure is
 * created with label at its first use as by report__count; a NULL label keeps the figure's. */
void report__sum(struct report_ctx *r, const char *group, const char *key, const char *label,
                 int64_t n, int64_t id);
/* Add request_id to figure group/key's ids without counting an item (a second request behind
 * the same item); the figure must exist. */
void report__add_id(struct report_ctx *r, const char *group, const char *key, int64_t request_id);
/* Create figure group/key with no item yet, so that a zero is shown (no-op when it exists). */
void report__figure(struct report_ctx *r, const char *group, const char *key, const char *label);
/* The bit of table t (enum store_report_table) in report__track_reads' tables. */
#define REPORT_TABLE(t) (1u << (t))
/* With REPORT_TABLE(STORE_REPORT_DECISIONS) in report__track_reads' tables: the report also
 * read the provisions kept beside the decisions, which --check compares with their JSON. */
#define REPORT_CITATIONS (1u << 31)
/* Say that this report reads the bound tables in tables (REPORT_TABLE bits) and no other, and
 * names every row of them it reads with report__read: `report --check` then verifies those
 * rows against the chain (store_report_verify), and nothing of the other tables, instead of
 * every bound row of the database. A kind that does not call this gets the whole
 * verification. Call before the first report__read. */
void report__track_reads(struct report_ctx *r, unsigned tables);
/* Note that the report read row id (> 0; 0 is ignored) of table t. A no-op unless
 * report__track_reads was called. Each row may be noted any number of times. */
void report__read(struct report_ctx *r, enum store_report_table t, int64_t id);
/* Say that this report writes its rows as JSON text (rows_text: it starts as "[" here;
 * report__text_element adds each row; reports.c closes it) and its redaction log by
 * r->write_log, which the kind sets, and leaves root's "rows" and "redactions" as empty arrays
 * for the encoders to fill (root gets "redactions" here, after the members it already has).
 * rows: about how many rows it will write, to size the text once (its pages are taken only as
 * it is written). */
void report__rows_as_text(struct report_ctx *r, size_t rows);
/* Reserve room for one more element of at most n bytes at the end of t (rows_text, or the
 * redactions being written into the report), with the comma that separates it from the one
 * before (none right after the array's "["), as the bounded buffer b: write the element into
 * b, then report__text_commit(t, b). 0, or -1 as report__text_reserve. */
int report__text_element(struct report_text *t, size_t n, struct hc_buf *b);
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

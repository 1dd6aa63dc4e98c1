/* SPDX-License-Identifier: MIT
 * feed_rows.h: the rows a jail management system exports, as `holdcheck import` and
 * POST /api/v1/feed read them (docs/import.md): the columns of each kind, the checks of their
 * values, and the reader of one flat JSON object a line. Decoding only; what a row does to the
 * record is feed.h's. */
#ifndef HC_APP_FEED_ROWS_H
#define HC_APP_FEED_ROWS_H

#include <stddef.h>

#include "rows_import.h"

#define FEED_MAX_COLS 8   /* columns of the widest kind */
#define FEED_MAX_KEYS 64  /* keys of one JSON line, columns of one CSV file */
#define FEED_TEXT_MAX 200 /* bytes of a text column, a citation */
#define FEED_CITE_SLOTS 512 /* slots of the cache of good citations (feed_check_row) */

enum feed_col_type {
    FEED_T_TEXT,           /* any UTF-8 text up to max bytes */
    FEED_T_BOOKING_NO,     /* 1-40 of A-Z a-z 0-9 - _ . */
    FEED_T_DATE,           /* YYYY-MM-DD (hc_date_parse) */
    FEED_T_TIME,           /* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.f][Z|+hh:mm] */
    FEED_T_LEVEL,          /* felony, misdemeanor, infraction (or F, M, I) */
    FEED_T_BOOL,           /* true/false, yes/no, y/n, t/f, 1/0; empty = false */
    FEED_T_TRI,            /* the same, empty = not known */
    FEED_T_BOOKING_STATUS, /* in_custody (default), released */
    FEED_T_CHARGE_STATUS,  /* pending (default), dismissed, convicted */
    FEED_T_CITATION,       /* hc_cite_parse must accept it; stored as written */
    FEED_T_AGG             /* A-U, true, false */
};

/* One column of a kind. */
struct feed_col {
    const char *name;
    enum feed_col_type type;
    int required;
    size_t max; /* bytes, for FEED_T_TEXT */
};

/* A kind's name ("people", "bookings", "charges", "convictions") and its columns, in the order
 * of docs/import.md (the order export writes and the rows hash reads). */
struct feed_kind_cols {
    const char *name;
    const struct feed_col *cols;
    size_t ncols;
};

/* The columns of kind k (a valid STORE_KIND_*): a static table. */
const struct feed_kind_cols *feed_kind(enum store_kind k);

/* The kind named s ("people", ...), or 0. */
enum store_kind feed_kind_from_name(const char *s);

/* The kind whose columns names[0..n) name (docs/import.md, "Kinds"), or 0. */
enum store_kind feed_kind_from_names(const char *const *names, int n);

/* The index of the column of kind k named name (case-insensitive), or -1. */
int feed_col_index(enum store_kind k, const char *name);

/* Whether a column or key name asks for immigration status, national origin or ethnicity
 * (docs/import.md, "Never accepted"). */
int feed_forbidden_name(const char *name);

/* The message that refuses such a column. */
extern const char feed_forbidden_msg[];

/* Why the n bytes at s cannot be a value (a NUL byte, not UTF-8), or NULL. */
const char *feed_text_fault(const char *s, size_t n);

/* A value of a JSON line: a string, true, false or null. */
enum feed_jval { FEED_JV_STR, FEED_JV_TRUE, FEED_JV_FALSE, FEED_JV_NULL };

struct feed_kv {
    const char *key;
    const char *val; /* for FEED_JV_STR */
    enum feed_jval type;
};

/* Where a JSON line's strings are decoded to: out has cap bytes (cap >= the line's length + 5
 * is always enough); len is set by feed_jsonl_parse. */
struct feed_jbuf {
    char *out;
    size_t cap, len;
};

/* Parse one flat JSON object, line[0..line_len) (a NUL before line_len is a NUL byte of the
 * input; line[line_len] must be a NUL, which ends the reading), into kv[0..*n) (at most FEED_MAX_KEYS), decoding its strings into b. Returns 0, or -1
 * with *err (static text) and *key (the key at fault, or NULL). */
int feed_jsonl_parse(struct feed_jbuf *b, const char *line, size_t line_len, struct feed_kv *kv,
                     int *n, const char **err, const char **key);

/* Told of one bad field of a row: its column name and the message (valid during the call). */
typedef void (*feed_bad_fn)(void *ctx, const char *field, const char *msg);

/* Check the values of one row of kind (v[i] for column i of feed_kind(kind), NULL or "" when
 * absent; jbool[i] 0 or 1 for a JSON false or true in column i, -1 otherwise, or jbool NULL for
 * CSV) and fill *r (OUT; its strings point into v or static text). Every bad field is passed to
 * bad(ctx, ...). cites is the cache of good citations (FEED_CITE_SLOTS * (FEED_TEXT_MAX + 1)
 * bytes, zeroed at first, kept by the caller between rows), or NULL. Returns the number of bad
 * fields; *r is filled only when it is 0. */
int feed_check_row(enum store_kind kind, const char **v, const int *jbool, char *cites,
                   struct store_import_row *r, feed_bad_fn bad, void *ctx);

/* Read JSON line kv[0..n) of kind into v and jbool (FEED_MAX_COLS each, as feed_check_row takes
 * them). A key that no column of kind has is passed to bad (unless skip_unknown), as is a
 * forbidden one (always). Returns the number of bad keys. */
int feed_jsonl_values(enum store_kind kind, const struct feed_kv *kv, int n, int skip_unknown,
                      const char **v, int *jbool, feed_bad_fn bad, void *ctx);

#endif

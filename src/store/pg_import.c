/* SPDX-License-Identifier: MIT
 * pg_import.c: bulk import and export (docs/import.md) on PostgreSQL. An import is one
 * transaction. Its rows are held and sent a batch at a time by COPY into a temporary staging
 * table (COPY FROM cannot write a table under row-level security), then moved into the agency's
 * table by one INSERT ... SELECT that resolves each row's reference by a join; a batch the
 * database refuses is inserted again one row at a time, each under a savepoint, to name the
 * refused rows. The rows hash and the single "import.commit" audit entry are the SQLite
 * backend's. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "clock.h"
#include "namekey.h"
#include "pg_int.h"
#include "sql.h"

/* Rows held before they are copied: enough that a batch's few round trips cost nothing per
 * row. */
#define IMP_BATCH 4096
/* Text columns of a staged row after its reference: the most any kind has. */
#define IMP_VALS 8
/* A batch of this many rows or more is analysed once staged (imp_copy). */
#define IMP_ANALYZE_ROWS 64
/* No value (SQL NULL), as an offset into the held text. */
#define IMP_NULL ((size_t)-1)

enum stmt_id {
    S_SEQ, S_IDS, S_INS_PEOPLE, S_INS_BOOKINGS,
    S_INS_CHARGES, S_INS_CONV, S_EXP_PEOPLE, S_EXP_BOOKINGS, S_EXP_CHARGES, S_EXP_CONV,
    S_UPS_BOOKING, S_UPS_PERSON, S_KEY_LOCK, S_KEY_GET, S_KEY_PUT, S_AUDIT_SEQ, S_COUNT
};

/* The staging table: one per connection, emptied by each batch and at each commit. Its rows
 * carry their place in the batch (ord), their pre-allocated id, their reference's key (ref)
 * and their values as text, cast by the INSERT that moves them. */
static const char stage_sql[] =
    "CREATE TEMPORARY TABLE hc_import_stage (ord integer NOT NULL, id bigint NOT NULL,"
    " ref text, v1 text, v2 text, v3 text, v4 text, v5 text, v6 text, v7 text, v8 text)"
    " ON COMMIT DELETE ROWS";

/* Every statement names its agency ($n agency) besides row-level security. */
static const char *const stmt_sql[S_COUNT] = {
    [S_SEQ] = "SELECT pg_get_serial_sequence($1, 'id')",
    /* Ids are taken before the rows are copied, so the rows hash and the summary know each
     * row's id without reading it back. */
    [S_IDS] = "SELECT nextval($1::regclass) FROM generate_series(1, $2::integer)",
    /* The staged rows ord $1..$2 into the kind's table, in their order; a row whose person
     * or booking the agency lacks is left out by the join, and its id is not returned. */
    [S_INS_PEOPLE] = "INSERT INTO people (id, name, date_of_birth, local_id, registrant_290,"
                     " created_at, name_key) SELECT id, v1, v2, v3, v4::smallint, v5, v6"
                     " FROM hc_import_stage WHERE ord BETWEEN $1 AND $2 ORDER BY ord"
                     " RETURNING id",
    [S_INS_BOOKINGS] = "INSERT INTO bookings (id, booking_no, person_id, booked_at, facility,"
                       " status, scheduled_release, released_at, release_reason)"
                       " SELECT s.id, s.v1, p.id, s.v2, s.v3, s.v4, s.v5, s.v6, s.v7"
                       " FROM hc_import_stage s JOIN people p ON p.local_id = s.ref"
                       " AND p.agency_id = $3 WHERE s.ord BETWEEN $1 AND $2 ORDER BY s.ord"
                       " RETURNING id",
    [S_INS_CHARGES] = "INSERT INTO charges (id, booking_id, citation, level, status,"
                      " magistrate_probable_cause)"
                      " SELECT s.id, b.id, s.v1, s.v2, s.v3, s.v4::smallint"
                      " FROM hc_import_stage s JOIN bookings b ON b.booking_no = s.ref"
                      " AND b.agency_id = $3 WHERE s.ord BETWEEN $1 AND $2 ORDER BY s.ord"
                      " RETURNING id",
    [S_INS_CONV] = "INSERT INTO convictions (id, person_id, citation, level, date, court,"
                   " prop47_reduced, federal_aggravated_felony, jurisdiction)"
                   " SELECT s.id, p.id, s.v1, s.v2, s.v3, s.v4, s.v5::smallint, s.v6, s.v7"
                   " FROM hc_import_stage s JOIN people p ON p.local_id = s.ref"
                   " AND p.agency_id = $3 WHERE s.ord BETWEEN $1 AND $2 ORDER BY s.ord"
                   " RETURNING id",
    /* Export: the columns of docs/import.md, in its order. */
    [S_EXP_PEOPLE] = "SELECT local_id, name, date_of_birth,"
                     " CASE registrant_290 WHEN 1 THEN 'true' ELSE 'false' END"
                     " FROM people WHERE agency_id = $1 ORDER BY id",
    [S_EXP_BOOKINGS] = "SELECT b.booking_no, p.local_id, b.booked_at, b.facility, b.status,"
                       " b.scheduled_release, b.released_at, b.release_reason"
                       " FROM bookings b JOIN people p ON p.id = b.person_id"
                       " AND p.agency_id = b.agency_id WHERE b.agency_id = $1 ORDER BY b.id",
    [S_EXP_CHARGES] = "SELECT b.booking_no, c.citation, c.level, c.status,"
                      " CASE c.magistrate_probable_cause WHEN 1 THEN 'true' ELSE 'false' END"
                      " FROM charges c JOIN bookings b ON b.id = c.booking_id"
                      " AND b.agency_id = c.agency_id WHERE c.agency_id = $1 ORDER BY c.id",
    [S_EXP_CONV] = "SELECT p.local_id, c.citation, c.level, c.date, c.court,"
                   " CASE c.prop47_reduced WHEN 1 THEN 'true' WHEN 0 THEN 'false' END,"
                   " c.federal_aggravated_felony, c.jurisdiction"
                   " FROM convictions c JOIN people p ON p.id = c.person_id"
                   " AND p.agency_id = c.agency_id WHERE c.agency_id = $1 ORDER BY c.id",
    /* The booking as every booking change reads it, then what may not change. */
    [S_UPS_BOOKING] = "SELECT b.id, b.booking_no, b.facility, b.status, b.scheduled_release,"
                      " b.released_at, b.release_reason, b.bail, b.next_court_date,"
                      " b.booked_at, p.local_id FROM bookings b JOIN people p"
                      " ON p.id = b.person_id AND p.agency_id = b.agency_id"
                      " WHERE b.booking_no = $1 AND b.agency_id = $2",
    /* The person's bookings tell a re-booking, and whose subscribers hear of it. */
    [S_UPS_PERSON] = "SELECT p.id, p.name, p.date_of_birth, p.registrant_290,"
                     " (SELECT count(*) FROM bookings b WHERE b.person_id = p.id"
                     " AND b.agency_id = p.agency_id),"
                     " (SELECT coalesce(max(b.id), 0) FROM bookings b WHERE b.person_id = p.id"
                     " AND b.agency_id = p.agency_id)"
                     " FROM people p WHERE p.local_id = $1 AND p.agency_id = $2",
    /* Pushes with one key take turns from the key's read to their commit. */
    [S_KEY_LOCK] = "SELECT pg_advisory_xact_lock(7285, hashtext($1))",
    [S_KEY_GET] = "SELECT body_hash, status, answer FROM feed_keys"
                  " WHERE key = $1 AND agency_id = $2",
    [S_KEY_PUT] = "INSERT INTO feed_keys (key, body_hash, status, answer, created_at)"
                  " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_id, key) DO NOTHING",
    /* The entry just appended: the agency's chain lock is held until the commit. */
    [S_AUDIT_SEQ] = "SELECT max(seq) FROM audit_log WHERE agency_id = $1",
};

_Static_assert(PG_X_IMPORT + S_COUNT <= PG_STMT_MAX, "this file's statements fit its slots");

static PGresult *run(struct store_pg *s, enum stmt_id id, const struct pg_params *p, int *rc)
{
    return pg_run(s, PG_X_IMPORT + (int)id, stmt_sql[id], p, rc);
}

static int exec(struct store_pg *s, enum stmt_id id, const struct pg_params *p,
                int64_t *changed, int64_t *rid)
{
    return pg_exec_stmt(s, PG_X_IMPORT + (int)id, stmt_sql[id], p, changed, rid);
}

/* A row held for the next batch: its reference's key (v[0], NULL for people) and its staged
 * values v[1..IMP_VALS], as offsets into the held text (IMP_NULL: none). */
struct imp_held {
    long tag;
    size_t v[1 + IMP_VALS];
    int64_t id;  /* taken when the batch is sent */
    int rc;      /* HC_OK once inserted, else why the row was refused */
};

/* One import in progress on a connection (store_pg.imp). */
struct pg_import {
    int staged;           /* the staging table exists on this connection */
    enum store_kind kind; /* 0: no import open */
    unsigned flags;
    char seq[128];        /* the kind table's id sequence */
    char at[HC_CLOCK_UTC_LEN];
    crypto_generichash_state hash;
    int64_t rows, first, last, refused;
    store_import_report_fn report;
    void *report_ctx;
    struct imp_held held[IMP_BATCH];
    int nheld;
    char *text;           /* the held rows' values, NUL-terminated */
    size_t textlen, textcap;
    char *copy;           /* a batch in COPY's text format */
    size_t copylen, copycap;
};

void pg_import_free(struct store_pg *s)
{
    if (s->imp == NULL)
        return;
    free(s->imp->text);
    free(s->imp->copy);
    free(s->imp);
    s->imp = NULL;
}

static const char *kind_name(enum store_kind k)
{
    switch (k) {
    case STORE_KIND_PEOPLE: return "people";
    case STORE_KIND_BOOKINGS: return "bookings";
    case STORE_KIND_CHARGES: return "charges";
    case STORE_KIND_CONVICTIONS: return "convictions";
    }
    return "?";
}

/* Append n bytes of v to the growable buffer *buf (*len used, *cap allocated). HC_ENOMEM. */
static int grow_put(char **buf, size_t *len, size_t *cap, const char *v, size_t n)
{
    if (*len + n > *cap) {
        size_t c = *cap > 0 ? *cap : 65536;
        char *b;
        while (c < *len + n)
            c *= 2;
        if ((b = realloc(*buf, c)) == NULL)
            return HC_ENOMEM;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, v, n);
    *len += n;
    return HC_OK;
}

/* Value i of held row h (NULL for none). Valid until the next row is held. */
static const char *held_val(const struct pg_import *m, const struct imp_held *h, int i)
{
    return h->v[i] == IMP_NULL ? NULL : m->text + h->v[i];
}

/* ------------------------------------------------------------------------------------------ */
/* The rows hash (docs/import.md, "Audit"): each field of each row in the column order of     */
/* docs/import.md, as an 8-byte big-endian length and its bytes; NULL as the length 2^64-1.   */

static void hash_field(crypto_generichash_state *h, const char *v)
{
    static const unsigned char none[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (v == NULL)
        crypto_generichash_update(h, none, sizeof none);
    else
        chain_hash_field(h, v, strlen(v));
}

/* The fields of each kind's rows in the hash's order, as indexes of a held row's values; a
 * negative index -i is the smallint flag v[i] hashed as "true"/"false" (NULL stays NULL). */
static const int hash_cols[][IMP_VALS + 1] = {
    [STORE_KIND_PEOPLE] = {4, 3, 1, 2, -4},
    [STORE_KIND_BOOKINGS] = {8, 1, 0, 2, 3, 4, 5, 6, 7},
    [STORE_KIND_CHARGES] = {5, 0, 1, 2, 3, -4},
    [STORE_KIND_CONVICTIONS] = {8, 0, 1, 2, 3, 4, -5, 6, 7},
}; /* [k][0]: how many */

static void hash_held(struct pg_import *m, const struct imp_held *h)
{
    const int *c = hash_cols[m->kind];
    int i;
    for (i = 1; i <= c[0]; i++) {
        const char *v = held_val(m, h, c[i] < 0 ? -c[i] : c[i]);
        if (c[i] < 0 && v != NULL)
            v = strcmp(v, "1") == 0 ? "true" : "false";
        hash_field(&m->hash, v);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Holding and sending rows                                                                   */

/* Hold row r: its values as the kind's INSERT (S_INS_*) takes them from the staging table. */
static int imp_hold(struct pg_import *m, const struct store_import_row *r)
{
    const char *v[1 + IMP_VALS] = {NULL};
    struct imp_held *h = &m->held[m->nheld];
    char key[1024];
    int i;

    switch (m->kind) {
    case STORE_KIND_PEOPLE: {
        const struct store_person *p = &r->person;
        long n = p->name != NULL ? hc_namekey(p->name, strlen(p->name), key, sizeof key) : -1;
        v[1] = p->name;
        v[2] = p->date_of_birth;
        v[3] = p->local_id;
        v[4] = p->registrant_290 ? "1" : "0";
        v[5] = m->at;
        v[6] = n >= 0 ? key : NULL;
        break;
    }
    case STORE_KIND_BOOKINGS:
        v[0] = r->person_local_id;
        v[1] = r->booking.booking_no;
        v[2] = r->booking.booked_at;
        v[3] = r->booking.facility;
        v[4] = r->booking.status;
        v[5] = r->booking.scheduled_release;
        v[6] = r->booking.released_at;
        v[7] = r->booking.release_reason;
        break;
    case STORE_KIND_CHARGES:
        v[0] = r->booking_no;
        v[1] = r->charge.citation;
        v[2] = r->charge.level;
        v[3] = r->charge.status;
        v[4] = r->charge.magistrate_probable_cause ? "1" : "0";
        break;
    case STORE_KIND_CONVICTIONS:
        v[0] = r->person_local_id;
        v[1] = r->conviction.citation;
        v[2] = r->conviction.level;
        v[3] = r->conviction.date;
        v[4] = r->conviction.court;
        v[5] = r->conviction.prop47_reduced < 0 ? NULL
                                                : r->conviction.prop47_reduced ? "1" : "0";
        v[6] = r->conviction.federal_aggravated_felony;
        v[7] = r->conviction.jurisdiction;
        break;
    }
    for (i = 0; i <= IMP_VALS; i++) {
        h->v[i] = v[i] != NULL ? m->textlen : IMP_NULL;
        if (v[i] != NULL &&
            grow_put(&m->text, &m->textlen, &m->textcap, v[i], strlen(v[i]) + 1) != HC_OK)
            return HC_ENOMEM;
    }
    h->tag = r->tag;
    h->id = 0;
    h->rc = HC_OK;
    m->nheld++;
    return HC_OK;
}

/* Append v to the batch in COPY's text format: backslash, newline, carriage return and tab
 * escaped, NULL as \N; then sep. */
static int copy_field(struct pg_import *m, const char *v, char sep)
{
    char buf[256];
    size_t n = 0;
    int rc = HC_OK;
    if (v == NULL) {
        buf[n++] = '\\';
        buf[n++] = 'N';
    }
    for (; v != NULL && *v != '\0' && rc == HC_OK; v++) {
        const char *esc = *v == '\\' ? "\\\\" : *v == '\n' ? "\\n" : *v == '\r' ? "\\r"
                        : *v == '\t' ? "\\t" : NULL;
        if (n + 2 > sizeof buf - 1) {
            rc = grow_put(&m->copy, &m->copylen, &m->copycap, buf, n);
            n = 0;
        }
        if (esc != NULL) {
            buf[n++] = esc[0];
            buf[n++] = esc[1];
        } else {
            buf[n++] = *v;
        }
    }
    buf[n++] = sep;
    return rc == HC_OK ? grow_put(&m->copy, &m->copylen, &m->copycap, buf, n) : rc;
}

/* Copy the held rows, with their ids, into the emptied staging table. */
static int imp_copy(struct store_pg *s, struct pg_import *m)
{
    char ord[16], id[24];
    PGresult *r;
    int i, j, rc = HC_OK;

    m->copylen = 0;
    for (i = 0; i < m->nheld && rc == HC_OK; i++) {
        snprintf(ord, sizeof ord, "%d", i);
        snprintf(id, sizeof id, "%" PRId64, m->held[i].id);
        if ((rc = copy_field(m, ord, '\t')) == HC_OK)
            rc = copy_field(m, id, '\t');
        for (j = 0; j <= IMP_VALS && rc == HC_OK; j++)
            rc = copy_field(m, held_val(m, &m->held[i], j), j < IMP_VALS ? '\t' : '\n');
    }
    if (rc != HC_OK || (rc = pg_exec_sql(s, "TRUNCATE hc_import_stage")) != HC_OK)
        return rc;
    r = PQexec(s->conn, "COPY hc_import_stage FROM STDIN");
    if (r == NULL || PQresultStatus(r) != PGRES_COPY_IN) {
        rc = r != NULL ? pg_map_result(r) : HC_ENOMEM;
        PQclear(r);
        return rc != HC_OK ? rc : HC_EIO;
    }
    PQclear(r);
    if (PQputCopyData(s->conn, m->copy, (int)m->copylen) != 1 ||
        PQputCopyEnd(s->conn, NULL) != 1)
        rc = HC_EIO;
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (rc == HC_OK)
            rc = pg_map_result(r);
        PQclear(r);
    }
    /* Without statistics the planner takes the staging table for a few rows and scans it once
     * per row of the table the rows refer to: 8.6 s for a batch of 4,096 bookings of 10,000
     * people, against 0.1 s once it is analysed (a few milliseconds). */
    if (rc == HC_OK && m->nheld >= IMP_ANALYZE_ROWS)
        rc = pg_exec_sql(s, "ANALYZE hc_import_stage");
    return rc;
}

/* Take an id for each held row from the kind's sequence. */
static int imp_take_ids(struct store_pg *s, struct pg_import *m)
{
    struct pg_params p = {0};
    PGresult *r;
    int rc, i;
    pg_param_str(&p, m->seq);
    pg_param_i64(&p, m->nheld);
    if ((r = run(s, S_IDS, &p, &rc)) == NULL)
        return rc;
    if (PQntuples(r) != m->nheld)
        rc = HC_EIO;
    for (i = 0; rc == HC_OK && i < m->nheld; i++)
        m->held[i].id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
    PQclear(r);
    return rc;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = ((const struct imp_held *)b)->id;
    return (x > y) - (x < y);
}

/* Move staged rows lo..hi into the kind's table: each row inserted HC_OK, each left out for
 * want of its person or booking HC_ENOENT (held[].rc). The ids were taken in increasing
 * order (imp_take_ids), so a returned id is found by bisection. */
static int imp_insert(struct store_pg *s, struct pg_import *m, int lo, int hi)
{
    static const enum stmt_id ins[] = {
        [STORE_KIND_PEOPLE] = S_INS_PEOPLE, [STORE_KIND_BOOKINGS] = S_INS_BOOKINGS,
        [STORE_KIND_CHARGES] = S_INS_CHARGES, [STORE_KIND_CONVICTIONS] = S_INS_CONV};
    struct pg_params p = {0};
    PGresult *r;
    int rc, i;
    pg_param_i64(&p, lo);
    pg_param_i64(&p, hi);
    if (m->kind != STORE_KIND_PEOPLE)
        pg_param_i64(&p, s->agency);
    if ((r = run(s, ins[m->kind], &p, &rc)) == NULL)
        return rc;
    for (i = lo; i <= hi; i++)
        m->held[i].rc = HC_ENOENT;
    for (i = 0; i < PQntuples(r); i++) {
        int64_t id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        struct imp_held *h = bsearch(&id, m->held + lo, (size_t)hi - (size_t)lo + 1, sizeof *h,
                                     cmp_id);
        if (h != NULL)
            h->rc = HC_OK;
    }
    PQclear(r);
    return HC_OK;
}

static int is_refusal(int rc)
{
    return rc == STORE_ECONFLICT || rc == HC_ENOENT || rc == HC_EINVAL;
}

/* Insert the batch: at once, or, when the database refuses it, row by row, each under a
 * savepoint, to find the refused rows (held[i].rc). HC_OK or a store error. */
static int imp_insert_batch(struct store_pg *s, struct pg_import *m)
{
    int rc, i;
    if ((rc = pg_exec_sql(s, "SAVEPOINT hc_import")) != HC_OK)
        return rc;
    rc = imp_insert(s, m, 0, m->nheld - 1);
    if (rc == HC_OK)
        return pg_exec_sql(s, "RELEASE SAVEPOINT hc_import");
    if (!is_refusal(rc) || (rc = pg_exec_sql(s, "ROLLBACK TO SAVEPOINT hc_import")) != HC_OK)
        return rc;
    for (i = 0; i < m->nheld; i++) {
        if ((rc = pg_exec_sql(s, "SAVEPOINT hc_import_row")) != HC_OK)
            return rc;
        if ((rc = imp_insert(s, m, i, i)) == HC_OK) {
            rc = pg_exec_sql(s, "RELEASE SAVEPOINT hc_import_row");
        } else if (is_refusal(rc)) {
            m->held[i].rc = rc;
            rc = pg_exec_sql(s, "ROLLBACK TO SAVEPOINT hc_import_row");
        }
        if (rc != HC_OK)
            return rc;
    }
    return pg_exec_sql(s, "RELEASE SAVEPOINT hc_import");
}

/* Send the held rows: each inserted row counted and hashed, in order; each refused one
 * reported (store_import_begin's report), or, when d is not NULL (a row inserted as it comes),
 * returned with its reason in d. */
static int imp_send(struct store_pg *s, struct hc_diag *d)
{
    struct pg_import *m = s->imp;
    int rc = HC_OK, i;
    const int charges = m->kind == STORE_KIND_CHARGES;
    const struct sql_refusal why = {
        m->kind == STORE_KIND_PEOPLE ? "local_id" : "booking_no", "already exists",
        charges ? "booking_no" : "person_local_id", charges ? "no such booking"
                                                           : "no such person",
        "", "the database refused the row"};

    if (m->nheld == 0)
        return HC_OK;
    if ((rc = imp_take_ids(s, m)) == HC_OK && (rc = imp_copy(s, m)) == HC_OK)
        rc = imp_insert_batch(s, m);
    for (i = 0; rc == HC_OK && i < m->nheld; i++) {
        const struct imp_held *h = &m->held[i];
        struct hc_diag dd;
        if (h->rc == HC_OK) {
            if (m->rows++ == 0)
                m->first = h->id;
            m->last = h->id;
            hash_held(m, h);
            continue;
        }
        m->refused++;
        if (d != NULL) {
            rc = sql_refused(h->rc, &why, d);
            break;
        }
        hc_diag_clear(&dd);
        (void)sql_refused(h->rc, &why, &dd);
        if (m->report != NULL)
            m->report(m->report_ctx, h->tag, h->rc, &dd);
    }
    m->nheld = 0;
    m->textlen = 0;
    return rc;
}

/* The import open on st, or NULL (none begun, or store_rollback ended it). */
static struct pg_import *open_import(struct store_pg *s)
{
    if (s->imp == NULL || s->imp->kind == 0)
        return NULL;
    if (s->base.depth == 0) { /* rolled back */
        s->imp->kind = 0;
        s->imp->nheld = 0;
        s->imp->textlen = 0;
        return NULL;
    }
    return s->imp;
}

static int pg_import_begin(struct hc_store *st, enum store_kind kind, unsigned flags,
                           store_import_report_fn report, void *ctx)
{
    struct store_pg *s = pgs(st);
    struct pg_import *m;
    struct pg_params p = {0};
    PGresult *r;
    int rc;

    (void)open_import(s);
    if (s->base.depth != 0 || s->base.reading || kind < STORE_KIND_PEOPLE ||
        kind > STORE_KIND_CONVICTIONS || s->agency == 0)
        return HC_EINVAL;
    if (s->imp == NULL && (s->imp = calloc(1, sizeof *s->imp)) == NULL)
        return HC_ENOMEM;
    m = s->imp;
    /* Made outside any transaction, so that no rollback takes it away. */
    if (!m->staged && (rc = pg_exec_sql(s, stage_sql)) != HC_OK)
        return rc;
    m->staged = 1;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_str(&p, kind_name(kind));
    if ((r = run(s, S_SEQ, &p, &rc)) == NULL || PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
        PQclear(r);
        store_rollback(st);
        return rc != HC_OK ? rc : HC_EIO;
    }
    snprintf(m->seq, sizeof m->seq, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    m->kind = kind;
    m->flags = flags;
    hc_clock_utc(hc_clock_now(), m->at);
    crypto_generichash_init(&m->hash, NULL, 0, CHAIN_HASH_LEN);
    m->rows = m->first = m->last = m->refused = 0;
    m->report = report;
    m->report_ctx = ctx;
    m->nheld = 0;
    m->textlen = 0;
    return HC_OK;
}

/* Every row of a bulk import is held and copied a batch at a time. An upsert (IN_PLACE) holds
 * its bookings and charges, as SQLite does, and inserts each person and conviction as it
 * comes, since the feed looks them up again at once. */
static int pg_import_row(struct hc_store *st, const struct store_import_row *r,
                         struct hc_diag *d)
{
    struct store_pg *s = pgs(st);
    struct pg_import *m = open_import(s);
    int rc;

    if (m == NULL)
        return HC_EINVAL;
    if ((rc = imp_hold(m, r)) != HC_OK)
        return rc;
    if ((m->flags & STORE_IMPORT_IN_PLACE) &&
        (m->kind == STORE_KIND_PEOPLE || m->kind == STORE_KIND_CONVICTIONS))
        return imp_send(s, d);
    return m->nheld == IMP_BATCH ? imp_send(s, NULL) : HC_OK;
}

static int pg_import_flush(struct hc_store *st)
{
    struct store_pg *s = pgs(st);
    return open_import(s) != NULL ? imp_send(s, NULL) : HC_OK;
}

static int pg_import_commit(struct hc_store *st, const char *actor, const char *source,
                            const char *format, struct store_import_summary *out)
{
    struct store_pg *s = pgs(st);
    struct pg_import *m = open_import(s);
    unsigned char hash[CHAIN_HASH_LEN];
    struct store_import_summary sum;
    struct pg_params p = {0};
    json_t *pl = NULL;
    char entity[48];
    int rc;

    if (m == NULL)
        return HC_EINVAL;
    memset(&sum, 0, sizeof sum);
    rc = imp_send(s, NULL);
    if (rc == HC_OK && m->refused > 0)
        rc = HC_EINVAL; /* a held row was refused: nothing of the import is committed */
    crypto_generichash_final(&m->hash, hash, CHAIN_HASH_LEN);
    sodium_bin2hex(sum.rows_hash, sizeof sum.rows_hash, hash, CHAIN_HASH_LEN);
    sum.rows = m->rows;
    sum.first_id = m->first;
    sum.last_id = m->last;
    if (rc == HC_OK && (pl = json_object()) == NULL)
        rc = HC_ENOMEM;
    if (rc == HC_OK) {
        json_object_set_new(pl, "source", json_string(source));
        json_object_set_new(pl, "format", json_string(format));
        json_object_set_new(pl, "kind", json_string(kind_name(m->kind)));
        json_object_set_new(pl, "rows", json_integer(sum.rows));
        json_object_set_new(pl, "first_id", json_integer(sum.first_id));
        json_object_set_new(pl, "last_id", json_integer(sum.last_id));
        json_object_set_new(pl, "rows_hash", json_string(sum.rows_hash));
        snprintf(entity, sizeof entity, "import/%s", kind_name(m->kind));
        /* The entry binds the imported bookings, read back as stored. */
        if (m->kind == STORE_KIND_BOOKINGS && sum.rows > 0)
            rc = pg_bound_note(s, "bookings", sum.first_id, sum.last_id);
        if (rc == HC_OK)
            rc = pg_audit_append(st, actor, "import.commit", entity, pl);
        pg_param_i64(&p, s->agency);
        if (rc == HC_OK)
            rc = exec(s, S_AUDIT_SEQ, &p, NULL, &sum.audit_seq);
    }
    json_decref(pl);
    m->kind = 0;
    m->nheld = 0;
    rc = pg_tx_leave(s, rc);
    if (rc == HC_OK && out != NULL)
        *out = sum;
    return rc;
}

static int pg_import_commit_plain(struct hc_store *st)
{
    struct store_pg *s = pgs(st);
    struct pg_import *m = open_import(s);
    int rc = HC_OK;

    if (m == NULL)
        return HC_EINVAL;
    if (m->rows > 0 || m->nheld > 0)
        rc = HC_EINVAL;
    m->kind = 0;
    m->nheld = 0;
    return pg_tx_leave(s, rc);
}

/* Read every row of the export's statement one at a time (libpq's single-row mode), so that a
 * large table never sits whole in memory. */
static int pg_export_rows(struct hc_store *st, enum store_kind kind, store_export_cb cb,
                          void *ctx)
{
    static const enum stmt_id ids[] = {
        [STORE_KIND_PEOPLE] = S_EXP_PEOPLE, [STORE_KIND_BOOKINGS] = S_EXP_BOOKINGS,
        [STORE_KIND_CHARGES] = S_EXP_CHARGES, [STORE_KIND_CONVICTIONS] = S_EXP_CONV,
    };
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    const char *v[16];
    PGresult *r;
    int rc = HC_OK, crc = 0, own_tx = s->base.depth == 0 && !s->base.reading;

    if (kind < STORE_KIND_PEOPLE || kind > STORE_KIND_CONVICTIONS)
        return HC_EINVAL;
    /* One snapshot for the whole export. */
    if (own_tx && (rc = pg_exec_sql(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) !=
                      HC_OK)
        return rc;
    pg_param_i64(&p, s->agency);
    if (!PQsendQueryParams(s->conn, stmt_sql[ids[kind]], p.n, NULL, p.v, NULL, NULL, 0) ||
        !PQsetSingleRowMode(s->conn))
        rc = HC_EIO;
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (PQresultStatus(r) == PGRES_SINGLE_TUPLE && rc == HC_OK && crc == 0) {
            int i, n = PQnfields(r) < 16 ? PQnfields(r) : 16;
            for (i = 0; i < n; i++)
                v[i] = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
            crc = cb(ctx, v, (size_t)n);
        } else if (PQresultStatus(r) != PGRES_SINGLE_TUPLE && rc == HC_OK) {
            rc = pg_map_result(r); /* the end (PGRES_TUPLES_OK), or the failure */
        }
        PQclear(r); /* rows after cb stopped the export are read and dropped */
    }
    if (crc != 0)
        rc = crc;
    if (own_tx)
        (void)pg_exec_sql(s, rc == HC_OK ? "COMMIT" : "ROLLBACK");
    return rc;
}

/* The one row of statement id for key (and this agency), or NULL with *rc. */
static PGresult *by_key(struct store_pg *s, enum stmt_id id, const char *key, int *rc)
{
    struct pg_params p = {0};
    pg_param_str(&p, key);
    pg_param_i64(&p, s->agency);
    return pg_run_one(s, PG_X_IMPORT + (int)id, stmt_sql[id], &p, rc);
}

static int pg_import_booking_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                                 struct store_import_known *out)
{
    struct store_import_known k;
    PGresult *r;
    int rc, oom = 0;

    if ((r = by_key(pgs(st), S_UPS_BOOKING, booking_no, &rc)) == NULL)
        return rc;
    memset(&k, 0, sizeof k);
    k.booking_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    pg_booking_state_read(r, 1, a, &k.state, &oom);
    k.booked_at = pg_col_dup(r, 0, 9, a, &oom);
    k.person_local_id = pg_col_dup(r, 0, 10, a, &oom);
    PQclear(r);
    if (oom)
        return HC_ENOMEM;
    *out = k;
    return HC_OK;
}

static int pg_import_person_get(struct hc_store *st, const char *local_id, struct hc_arena *a,
                                struct store_import_person *out)
{
    struct store_import_person p;
    PGresult *r;
    int rc, oom = 0;

    if ((r = by_key(pgs(st), S_UPS_PERSON, local_id, &rc)) == NULL)
        return rc;
    memset(&p, 0, sizeof p);
    p.person.id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    p.person.local_id = local_id;
    p.person.name = pg_col_dup(r, 0, 1, a, &oom);
    p.person.date_of_birth = pg_col_dup(r, 0, 2, a, &oom);
    p.person.registrant_290 = (int)strtol(PQgetvalue(r, 0, 3), NULL, 10);
    p.bookings = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
    p.last_booking_id = strtoll(PQgetvalue(r, 0, 5), NULL, 10);
    PQclear(r);
    if (oom)
        return HC_ENOMEM;
    *out = p;
    return HC_OK;
}

static int pg_feed_key_get(struct hc_store *st, const char *key, struct hc_arena *a,
                           struct store_feed_key *out)
{
    struct store_pg *s = pgs(st);
    struct store_feed_key k;
    struct pg_params p = {0};
    PGresult *r;
    int rc, oom = 0;

    pg_param_str(&p, key);
    if ((rc = exec(s, S_KEY_LOCK, &p, NULL, NULL)) != HC_OK ||
        (r = by_key(s, S_KEY_GET, key, &rc)) == NULL)
        return rc;
    memset(&k, 0, sizeof k);
    k.body_hash = pg_col_dup(r, 0, 0, a, &oom);
    k.status = (int)strtol(PQgetvalue(r, 0, 1), NULL, 10);
    k.answer = pg_col_dup(r, 0, 2, a, &oom);
    PQclear(r);
    if (oom)
        return HC_ENOMEM;
    *out = k;
    return HC_OK;
}

static int pg_feed_key_put(struct hc_store *st, const char *key, const struct store_feed_key *k)
{
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN];
    int64_t changed = 0;
    int rc;

    hc_clock_utc(hc_clock_now(), at);
    pg_param_str(&p, key);
    pg_param_str(&p, k->body_hash);
    pg_param_i64(&p, k->status);
    pg_param_str(&p, k->answer);
    pg_param_str(&p, at);
    /* A kept key is told without a unique violation, which would end the transaction. */
    if ((rc = exec(pgs(st), S_KEY_PUT, &p, &changed, NULL)) != HC_OK)
        return rc;
    return changed > 0 ? HC_OK : STORE_ECONFLICT;
}

const struct store_import_ops pg_import_ops = {
    STORE_IMPORT_OPS(PG_OP)
};

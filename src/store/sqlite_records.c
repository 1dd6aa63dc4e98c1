/* SPDX-License-Identifier: MIT
 * sqlite_records.c: people, bookings and the agency settings: writing a booking with its person,
 * convictions and charges, reading a record back, and the row helpers the court record and the
 * import share. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql.h"
#include "sqlite_int.h"

/* This file's prepared statements (slots SQ_X_RECORDS..), kept for the life of the connection. */
enum stmt_id {
    S_PERSON_INSERT, S_CONV_INSERT, S_BOOKING_INSERT, S_CHARGE_INSERT, S_BOOKING_BY_NO,
    S_CONV_BY_PERSON, S_CHARGES_BY_BOOKING, S_BOOKING_COUNT, S_AGENCY_GET, S_AGENCY_SET,
    S_BOOKING_ID, S_PERSON_ID, S_BOOKING_STATE_GET, S_BOOKING_STATE_SET, S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    [S_PERSON_INSERT] = "INSERT INTO people (name, date_of_birth, local_id, registrant_290,"
                        " created_at, name_key) VALUES (?, ?, ?, ?, ?, ?)",
    [S_CONV_INSERT] = "INSERT INTO convictions (person_id, citation, level, date, court,"
                      " prop47_reduced, federal_aggravated_felony, jurisdiction)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_BOOKING_INSERT] = "INSERT INTO bookings (booking_no, person_id, booked_at, facility, status,"
                         " scheduled_release, released_at, release_reason)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [S_CHARGE_INSERT] = "INSERT INTO charges (booking_id, citation, level, status,"
                        " magistrate_probable_cause) VALUES (?, ?, ?, ?, ?)",
    [S_BOOKING_BY_NO] = SQL_BOOKING_BY_NO,
    [S_CONV_BY_PERSON] = SQL_CONV_BY_PERSON,
    [S_CHARGES_BY_BOOKING] = SQL_CHARGES_BY_BOOKING,
    [S_BOOKING_COUNT] = SQL_BOOKING_COUNT,
    [S_AGENCY_GET] = SQL_AGENCY_GET,
    [S_AGENCY_SET] = "UPDATE agency_settings SET release_dates_public = ?,"
                     " personal_info_public = ?, policy_json = ?, updated_at = ? WHERE id = 1",
    [S_BOOKING_ID] = SQL_BOOKING_ID,
    [S_PERSON_ID] = SQL_PERSON_ID,
    [S_BOOKING_STATE_GET] = SQL_BOOKING_STATE_GET,
    [S_BOOKING_STATE_SET] = SQL_BOOKING_STATE_SET,
};

_Static_assert(SQ_X_RECORDS + S_COUNT <= SQ_X_COURT, "this file's statements fit its slots");

/* The statement id, reset and with no bindings, prepared on first use. NULL on failure. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum stmt_id id)
{
    return sq_xstmt(s, SQ_X_RECORDS + (int)id, stmt_sql[id]);
}

int sq_booking_id(struct store_sqlite *s, const char *booking_no, int64_t *id)
{
    sqlite3_stmt *q = stmt(s, S_BOOKING_ID);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, booking_no);
    return sq_one_id(s, q, id);
}

int sq_person_exists(struct store_sqlite *s, int64_t person_id)
{
    sqlite3_stmt *q = stmt(s, S_PERSON_ID);
    int64_t id;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, person_id);
    return sq_one_id(s, q, &id);
}
void sq_bind_person(sqlite3_stmt *q, const struct store_person *p, const char *at)
{
    int i = sq_bind_fields(q, 1, p, &sql_person_rec, NULL);
    sq_bind_str(q, i, at);
    sq_bind_namekey(q, i + 1, p->name); /* the public search key */
}

void sq_bind_booking(sqlite3_stmt *q, int64_t person_id, const struct store_booking *b)
{
    struct store_booking nb = *b;
    nb.person_id = person_id;
    sq_bind_fields(q, 1, &nb, &sql_booking_rec, NULL);
}

void sq_bind_child(sqlite3_stmt *q, int64_t parent_id, const void *row, const struct sf_record *rd)
{
    sqlite3_bind_int64(q, 1, parent_id);
    sq_bind_fields(q, 2, row, rd, NULL);
}

/* This backend's insert of one row of a booking (sql_insert_fn, sql.h): the row INSERTs the
 * import shares, bound as it binds them. */
static int insert_row(void *backend, enum sql_row k, int64_t parent_id, const void *row,
                      int64_t *id)
{
    struct store_sqlite *s = backend;
    sqlite3_stmt *q = sq_insert_stmt(s, (enum sq_insert)k);
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    if (q == NULL)
        return HC_EIO;
    if (k == SQL_ROW_PERSON) {
        sq_now_utc(at);
        sq_bind_person(q, row, at);
    } else if (k == SQL_ROW_BOOKING) {
        sq_bind_fields(q, 1, row, &sql_booking_rec, NULL);
    } else {
        sq_bind_child(q, parent_id, row, k == SQL_ROW_CHARGE ? &sq_charge_rec : &sq_conviction_rec);
    }
    if ((rc = sq_exec_stmt(s, q)) == HC_OK)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

_Static_assert((int)SQL_ROW_PERSON == (int)SQ_INSERT_PERSON &&
                   (int)SQL_ROW_CONVICTION == (int)SQ_INSERT_CONVICTION &&
                   (int)SQL_ROW_BOOKING == (int)SQ_INSERT_BOOKING &&
                   (int)SQL_ROW_CHARGE == (int)SQ_INSERT_CHARGE,
               "a booking's rows are numbered as the row INSERTs");

static int sq_booking_add(struct hc_store *st, const struct store_booking_new *b,
                              const char *actor, int64_t *booking_id, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object();
    char entity[48];
    int64_t id = 0;
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    if ((rc = sql_booking_write(insert_row, s, b, pl, &id, d)) == HC_OK) {
        snprintf(entity, sizeof entity, "booking/%" PRId64, id);
        rc = sq_audit_write(s, actor, "booking.create", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
    if (rc == HC_OK)
        *booking_id = id;
out:
    json_decref(pl);
    return rc;
}

static int sq_agency_set(struct hc_store *st, const struct store_agency *ag, const char *actor)
{
    struct store_sqlite *s = sq(st);
    struct store_agency row = *ag;
    json_t *pl = json_object(), *jp = NULL;
    sqlite3_stmt *q;
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if (row.policy_json == NULL)
        row.policy_json = "{}";
    jp = json_loads(row.policy_json, 0, NULL);
    if (!json_is_object(jp)) {
        rc = HC_EINVAL;
        goto out;
    }
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    sq_now_utc(at);
    if ((q = stmt(s, S_AGENCY_SET)) == NULL) {
        rc = HC_EIO;
    } else {
        int i = sq_bind_fields(q, 1, &row, &sql_agency_rec, NULL);
        sq_bind_str(q, i, at); /* updated_at */
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK) {
        sf_jset_fields(pl, &row, &sql_agency_rec, NULL);
        json_object_set(pl, "policy", jp);
        rc = sq_audit_write(s, actor, "agency.update", "agency", pl);
    }
    rc = sq_tx_leave(s, rc);
out:
    json_decref(jp);
    json_decref(pl);
    return rc;
}

static int sq_record_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                             struct store_record *out)
{
    struct store_sqlite *s = sq(st);
    struct store_record r;
    void *conv = NULL, *charges = NULL;
    sqlite3_stmt *q;
    int rc, oom = 0, i, has_conv, has_req;

    memset(&r, 0, sizeof r);
    if ((q = stmt(s, S_BOOKING_BY_NO)) == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, booking_no);
    if ((rc = sq_step_row(s, q)) != HC_OK)
        return rc;
    i = sq_fill_fields(q, 0, a, &r.booking, &sql_booking_rec, &oom);
    i = sq_fill_fields(q, i, a, &r.person, &sql_person_rec, &oom);
    has_conv = sqlite3_column_int(q, i);
    has_req = sqlite3_column_int(q, i + 1);
    sqlite3_reset(q);
    if (oom)
        return HC_ENOMEM;

    /* Most people have no convictions and most bookings no requests: the EXISTS columns above
     * (one index probe each) spare those statements when they would return nothing. */
    if ((has_conv && (rc = sq_read_rows_by_id(s, stmt(s, S_CONV_BY_PERSON), r.person.id, a,
                                              &sq_conviction_rec, &conv, &r.nconv)) != HC_OK) ||
        (rc = sq_read_rows_by_id(s, stmt(s, S_CHARGES_BY_BOOKING), r.booking.id, a,
                                 &sq_charge_rec, &charges, &r.ncharges)) != HC_OK ||
        (has_req && (rc = sq_requests_of_booking(s, r.booking.id, a, &r.req, &r.nreq)) != HC_OK))
        return rc;
    r.conv = conv;
    r.charges = charges;
    *out = r;
    return HC_OK;
}

static int sq_agency_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out)
{
    struct store_sqlite *s = sq(st);
    return sq_read_rec(s, stmt(s, S_AGENCY_GET), a, &sql_agency_rec, out);
}

static int sq_booking_state_get(struct hc_store *st, const char *booking_no,
                                    struct hc_arena *a, int64_t *booking_id,
                                    struct store_booking_state *out)
{
    struct store_sqlite *s = sq(st);
    struct store_booking_state b;
    sqlite3_stmt *q = stmt(s, S_BOOKING_STATE_GET);
    int rc, oom = 0;

    if (q == NULL)
        return HC_EIO;
    memset(&b, 0, sizeof b);
    sq_bind_str(q, 1, booking_no);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *booking_id = sqlite3_column_int64(q, 0);
        b.booking_no = sq_col_dup(a, q, 1, &oom);
        b.facility = sq_col_dup(a, q, 2, &oom);
        b.status = sq_col_dup(a, q, 3, &oom);
        b.scheduled_release = sq_col_dup(a, q, 4, &oom);
        b.released_at = sq_col_dup(a, q, 5, &oom);
        b.release_reason = sq_col_dup(a, q, 6, &oom);
        b.has_bail = sqlite3_column_type(q, 7) != SQLITE_NULL;
        b.bail = sqlite3_column_int64(q, 7);
        b.next_court_date = sq_col_dup(a, q, 8, &oom);
        rc = oom ? HC_ENOMEM : HC_OK;
    } else {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
    }
    sqlite3_reset(q);
    if (rc == HC_OK)
        *out = b;
    return rc;
}

static int sq_booking_state_set(struct hc_store *st, int64_t booking_id,
                                    const struct store_booking_state *b)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_BOOKING_STATE_SET);
    int rc;
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, b->facility);
    sq_bind_str(q, 2, b->status);
    sq_bind_str(q, 3, b->scheduled_release);
    sq_bind_str(q, 4, b->released_at);
    sq_bind_str(q, 5, b->release_reason);
    if (b->has_bail)
        sqlite3_bind_int64(q, 6, b->bail);
    else
        sqlite3_bind_null(q, 6);
    sq_bind_str(q, 7, b->next_court_date);
    sqlite3_bind_int64(q, 8, booking_id);
    rc = sq_exec_stmt(s, q);
    /* The change's audit entry (store_audit_append, by the caller) binds the row as changed. */
    return rc == HC_OK ? sq_bound_note(s, "bookings", booking_id, booking_id) : rc;
}

static int sq_booking_count(struct hc_store *st, int64_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, S_BOOKING_COUNT);
    return q != NULL ? sq_one_id(s, q, n) : HC_EIO;
}

/* The row INSERTs shared with the import: their ids are the first of this file's, in the order
 * of enum sq_insert. */
_Static_assert(S_PERSON_INSERT == (int)SQ_INSERT_PERSON &&
                   S_CONV_INSERT == (int)SQ_INSERT_CONVICTION &&
                   S_BOOKING_INSERT == (int)SQ_INSERT_BOOKING &&
                   S_CHARGE_INSERT == (int)SQ_INSERT_CHARGE,
               "the row INSERTs are slots SQ_X_RECORDS + enum sq_insert");

sqlite3_stmt *sq_insert_stmt(struct store_sqlite *s, enum sq_insert k)
{
    return stmt(s, (enum stmt_id)k);
}

const char *sq_insert_sql(enum sq_insert k)
{
    return stmt_sql[k];
}

/* ------------------------------------------------------------------------------------------ */
/* The court record after booking: charges and convictions added and changed. Each change and
 * its audit entry (each changed value as from/to) commit in one transaction; a change that
 * changes nothing writes nothing. Stored decisions are never touched. */

enum kx_id { KX_CHARGE_GET, KX_CHARGE_SET, KX_CONV_GET, KX_CONV_SET, KX_COUNT };

_Static_assert(SQ_X_COURT + KX_COUNT <= SQ_X_REQUESTS,
               "the court record's statements fit its slots");

static const char *const kx_sql[KX_COUNT] = {
    [KX_CHARGE_GET] = SQL_CHARGE_GET,
    [KX_CHARGE_SET] = SQL_CHARGE_SET,
    [KX_CONV_GET] = SQL_CONV_GET,
    [KX_CONV_SET] = SQL_CONV_SET,
};

static sqlite3_stmt *kx(struct store_sqlite *s, enum kx_id id)
{
    return sq_xstmt(s, SQ_X_COURT + (int)id, kx_sql[id]);
}

/* The record named by a lookup that found nothing: HC_ENOENT naming field with msg. */
static int none(struct hc_diag *d, const char *field, const char *msg)
{
    hc_diag_set(d, field, msg, NULL);
    return HC_ENOENT;
}

/* Step q (bound) to the one row to change: HC_OK with the row to read (reset q after), or
 * HC_ENOENT naming "id" with msg (q reset), or a store error (q reset). */
static int row_to_change(struct store_sqlite *s, sqlite3_stmt *q, const char *msg,
                         struct hc_diag *d)
{
    int rc = sq_step_row(s, q);
    return rc == HC_ENOENT ? none(d, "id", msg) : rc;
}

/* Copy column i of q (text or NULL) into buf; returns buf, or NULL for SQL NULL. */
static const char *col_copy(sqlite3_stmt *q, int i, char *buf, size_t n)
{
    if (sqlite3_column_type(q, i) == SQLITE_NULL)
        return NULL;
    snprintf(buf, n, "%s", (const char *)sqlite3_column_text(q, i));
    return buf;
}

/* A refused INSERT or UPDATE: say so when the schema refused a value. */
static int refused(int rc, const char *what, struct hc_diag *d)
{
    const struct sq_refusal r = {NULL, NULL, NULL, NULL, "", what};
    return sq_refused(rc, &r, d);
}

static int sq_charge_add(struct hc_store *st, const char *booking_no, const struct store_charge *c,
                         const char *actor, int64_t *charge_id, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    struct store_charge ch = *c;
    json_t *pl = NULL;
    int64_t bid = 0;
    int rc;

    if (ch.status == NULL)
        ch.status = "pending";
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((rc = sq_booking_id(s, booking_no, &bid)) != HC_OK) {
        if (rc == HC_ENOENT)
            none(d, "booking_no", "no such booking");
        goto out;
    }
    pl = json_object();
    sq_jset_str(pl, "booking_no", booking_no);
    if ((rc = sql_court_row_add(insert_row, s, SQL_ROW_CHARGE, bid, &ch, "charge",
                                "the database refused the charge", pl, charge_id, d)) == HC_OK)
        rc = sq_audit_write(s, actor, "charge.add", booking_no, pl);
out:
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

static int sq_charge_update(struct hc_store *st, int64_t charge_id,
                            const struct store_charge_patch *p, const char *actor,
                            struct store_court_change *out, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    char citation[256], lv[16], old_status[16];
    struct sql_charge_cols old, next;
    json_t *pl = NULL;
    sqlite3_stmt *q;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = kx(s, KX_CHARGE_GET)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sqlite3_bind_int64(q, 1, charge_id);
    if ((rc = row_to_change(s, q, "no such charge", d)) != HC_OK)
        goto out;
    col_copy(q, 0, citation, sizeof citation);
    old.level = col_copy(q, 1, lv, sizeof lv);
    old.status = col_copy(q, 2, old_status, sizeof old_status);
    old.magistrate_probable_cause = sqlite3_column_int(q, 3);
    col_copy(q, 4, out->booking_no, sizeof out->booking_no);
    sqlite3_reset(q);

    if ((pl = sql_charge_change(out->booking_no, charge_id, citation, &old, p, &next)) == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    if (json_object_size(json_object_get(pl, "changes")) == 0)
        goto out;
    if ((q = kx(s, KX_CHARGE_SET)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, next.level);
    sq_bind_str(q, 2, next.status);
    sqlite3_bind_int(q, 3, next.magistrate_probable_cause);
    sqlite3_bind_int64(q, 4, charge_id);
    if ((rc = refused(sq_exec_stmt(s, q), "the database refused the change", d)) != HC_OK)
        goto out;
    if ((rc = sq_audit_write(s, actor, "charge.update", out->booking_no, pl)) == HC_OK)
        out->changed = 1;
out:
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

static int sq_conviction_add(struct hc_store *st, int64_t person_id,
                             const struct store_conviction *c, const char *actor,
                             int64_t *conviction_id, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = NULL;
    char entity[48];
    int rc;

    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((rc = sq_person_exists(s, person_id)) != HC_OK) {
        if (rc == HC_ENOENT)
            none(d, "person_id", "no such person");
        goto out;
    }
    pl = json_object();
    json_object_set_new(pl, "person_id", json_integer(person_id));
    if ((rc = sql_court_row_add(insert_row, s, SQL_ROW_CONVICTION, person_id, c, "conviction",
                                "the database refused the conviction", pl, conviction_id,
                                d)) == HC_OK) {
        snprintf(entity, sizeof entity, "person/%" PRId64, person_id);
        rc = sq_audit_write(s, actor, "conviction.add", entity, pl);
    }
out:
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

static int sq_conviction_update(struct hc_store *st, int64_t conviction_id,
                                const struct store_conviction_patch *p, const char *actor,
                                struct store_court_change *out, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    char citation[256], lv[16], ag[8], entity[48];
    struct sql_conviction_cols old, next;
    json_t *pl = NULL;
    sqlite3_stmt *q;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = kx(s, KX_CONV_GET)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sqlite3_bind_int64(q, 1, conviction_id);
    if ((rc = row_to_change(s, q, "no such conviction", d)) != HC_OK)
        goto out;
    col_copy(q, 0, citation, sizeof citation);
    old.level = col_copy(q, 1, lv, sizeof lv);
    old.prop47_reduced = sqlite3_column_type(q, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 2);
    old.federal_aggravated_felony = col_copy(q, 3, ag, sizeof ag);
    out->person_id = sqlite3_column_int64(q, 4);
    sqlite3_reset(q);

    pl = sql_conviction_change(out->person_id, conviction_id, citation, &old, p, &next);
    if (pl == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    if (json_object_size(json_object_get(pl, "changes")) == 0)
        goto out;
    if ((q = kx(s, KX_CONV_SET)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, next.level);
    sq_bind_tri(q, 2, next.prop47_reduced);
    sq_bind_str(q, 3, next.federal_aggravated_felony);
    sqlite3_bind_int64(q, 4, conviction_id);
    if ((rc = refused(sq_exec_stmt(s, q), "the database refused the change", d)) != HC_OK)
        goto out;
    snprintf(entity, sizeof entity, "person/%" PRId64, out->person_id);
    if ((rc = sq_audit_write(s, actor, "conviction.update", entity, pl)) == HC_OK)
        out->changed = 1;
out:
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

const struct store_records_ops sq_records_ops = {
    STORE_RECORDS_OPS(SQ_OP)
};

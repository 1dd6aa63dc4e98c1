/* SPDX-License-Identifier: MIT
 * pg_records.c: people, bookings, the court record and the agency settings on PostgreSQL. The
 * statements and field descriptors are the SQLite backend's (sql.h), but for the row INSERTs,
 * which return their ids here, and the agency settings, one row an agency, written by an upsert.
 * Row-level security keeps every statement to the connection's agency; each write and its audit
 * entry commit in one transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "namekey.h"
#include "pg_int.h"
#include "sql.h"

enum stmt_id {
    S_PERSON_INSERT, S_CONV_INSERT, S_BOOKING_INSERT, S_CHARGE_INSERT, S_BOOKING_BY_NO,
    S_CONV_BY_PERSON, S_CHARGES_BY_BOOKING, S_BOOKING_COUNT, S_AGENCY_GET, S_AGENCY_SET,
    S_BOOKING_ID, S_PERSON_ID, S_BOOKING_STATE_GET, S_BOOKING_STATE_SET, S_CHARGE_GET,
    S_CHARGE_SET, S_CONV_GET, S_CONV_SET, S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
    /* The row INSERTs bind in the order of sql_person_rec (then created_at and name_key),
     * sql_booking_rec, and the parent's id then sql_conviction_rec or sql_charge_rec. */
    [S_PERSON_INSERT] = "INSERT INTO people (name, date_of_birth, local_id, registrant_290,"
                        " created_at, name_key) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    [S_CONV_INSERT] = "INSERT INTO convictions (person_id, citation, level, date, court,"
                      " prop47_reduced, federal_aggravated_felony, jurisdiction)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    [S_BOOKING_INSERT] = "INSERT INTO bookings (booking_no, person_id, booked_at, facility,"
                         " status, scheduled_release, released_at, release_reason)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    [S_CHARGE_INSERT] = "INSERT INTO charges (booking_id, citation, level, status,"
                        " magistrate_probable_cause) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [S_BOOKING_BY_NO] = SQL_BOOKING_BY_NO,
    [S_CONV_BY_PERSON] = SQL_CONV_BY_PERSON,
    [S_CHARGES_BY_BOOKING] = SQL_CHARGES_BY_BOOKING,
    [S_BOOKING_COUNT] = SQL_BOOKING_COUNT,
    [S_AGENCY_GET] = SQL_AGENCY_GET,
    /* The agency's one row (id 1 of its agency_id), made by its first change. */
    [S_AGENCY_SET] = "INSERT INTO agency_settings (release_dates_public, personal_info_public,"
                     " policy_json, updated_at) VALUES ($1, $2, $3, $4)"
                     " ON CONFLICT (agency_id, id) DO UPDATE SET"
                     " release_dates_public = EXCLUDED.release_dates_public,"
                     " personal_info_public = EXCLUDED.personal_info_public,"
                     " policy_json = EXCLUDED.policy_json, updated_at = EXCLUDED.updated_at",
    [S_BOOKING_ID] = SQL_BOOKING_ID,
    [S_PERSON_ID] = SQL_PERSON_ID,
    [S_BOOKING_STATE_GET] = SQL_BOOKING_STATE_GET,
    [S_BOOKING_STATE_SET] = SQL_BOOKING_STATE_SET,
    [S_CHARGE_GET] = SQL_CHARGE_GET,
    [S_CHARGE_SET] = SQL_CHARGE_SET,
    [S_CONV_GET] = SQL_CONV_GET,
    [S_CONV_SET] = SQL_CONV_SET,
};

_Static_assert(PG_X_RECORDS + S_COUNT <= PG_X_REQUESTS, "this file's statements fit its slots");

/* Statement id with p for its one row (pg_run_one: NULL with *rc HC_ENOENT when none). */
static PGresult *run_one(struct store_pg *s, enum stmt_id id, const struct pg_params *p,
                         int *rc)
{
    return pg_run_one(s, PG_X_RECORDS + (int)id, stmt_sql[id], p, rc);
}

/* Statement id with p: rows changed into *changed, or the id it returns into *id (either may
 * be NULL; pg_exec_stmt). */
static int exec(struct store_pg *s, enum stmt_id id, const struct pg_params *p,
                int64_t *changed, int64_t *rid)
{
    return pg_exec_stmt(s, PG_X_RECORDS + (int)id, stmt_sql[id], p, changed, rid);
}

/* The id statement id finds for its one parameter (a booking number, a person id). */
static int lookup_str(struct store_pg *s, enum stmt_id id, const char *v, int64_t *rid)
{
    struct pg_params p = {0};
    pg_param_str(&p, v);
    return exec(s, id, &p, NULL, rid);
}

/* The rows of statement id for the one row id, by rd, into *out and *n (in a). */
static int read_by_id(struct store_pg *s, enum stmt_id id, int64_t row, struct hc_arena *a,
                      const struct sf_record *rd, void **out, size_t *n)
{
    struct pg_params p;
    pg_params_id(&p, row);
    return pg_read_recs(s, PG_X_RECORDS + (int)id, stmt_sql[id], &p, a, rd, out, n);
}

/* This backend's insert of one row of a booking (sql_insert_fn, sql.h): a person with its
 * creation time and public search key. */
static int insert_row(void *backend, enum sql_row k, int64_t parent_id, const void *row,
                      int64_t *id)
{
    static const struct sf_record *const rec[] = {
        [SQL_ROW_PERSON] = &sql_person_rec, [SQL_ROW_CONVICTION] = &sql_conviction_rec,
        [SQL_ROW_BOOKING] = &sql_booking_rec, [SQL_ROW_CHARGE] = &sql_charge_rec};
    const struct store_person *person = row;
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN], key[1024];
    int rc;

    if (k == SQL_ROW_CONVICTION || k == SQL_ROW_CHARGE)
        pg_param_i64(&p, parent_id);
    if ((rc = pg_param_fields(&p, row, rec[k], NULL)) != HC_OK)
        return rc;
    if (k == SQL_ROW_PERSON) {
        long n = person->name != NULL
                     ? hc_namekey(person->name, strlen(person->name), key, sizeof key)
                     : -1;
        hc_clock_utc(hc_clock_now(), at);
        pg_param_str(&p, at);
        pg_param_str(&p, n >= 0 ? key : NULL);
    }
    return exec(pgs(backend), (enum stmt_id)(S_PERSON_INSERT + (int)k), &p, NULL, id);
}

_Static_assert(S_PERSON_INSERT + (int)SQL_ROW_CHARGE == S_CHARGE_INSERT &&
                   S_PERSON_INSERT + (int)SQL_ROW_BOOKING == S_BOOKING_INSERT &&
                   S_PERSON_INSERT + (int)SQL_ROW_CONVICTION == S_CONV_INSERT,
               "the row INSERTs are in the order of enum sql_row");

static int pg_booking_add(struct hc_store *st, const struct store_booking_new *b,
                          const char *actor, int64_t *booking_id, struct hc_diag *d)
{
    struct store_pg *s = pgs(st);
    json_t *pl;
    char entity[48];
    int64_t id = 0;
    int rc;

    if ((pl = json_object()) == NULL)
        return HC_ENOMEM;
    if ((rc = store_begin(st)) != HC_OK) {
        json_decref(pl);
        return rc;
    }
    rc = sql_booking_write(insert_row, s, b, pl, &id, d);
    snprintf(entity, sizeof entity, "booking/%" PRId64, id);
    if (rc == HC_OK)
        rc = pg_audit_append(st, actor, "booking.create", entity, pl);
    json_decref(pl);
    if ((rc = pg_tx_leave(s, rc)) == HC_OK)
        *booking_id = id;
    return rc;
}

static int pg_record_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                         struct store_record *out)
{
    struct store_pg *s = pgs(st);
    struct store_record r;
    struct pg_params p = {0};
    void *conv = NULL, *charges = NULL;
    PGresult *res;
    int rc, oom = 0, i, has_conv, has_req;

    memset(&r, 0, sizeof r);
    pg_param_str(&p, booking_no);
    if ((res = run_one(s, S_BOOKING_BY_NO, &p, &rc)) == NULL)
        return rc;
    i = pg_fill_fields(res, 0, 0, a, &r.booking, &sql_booking_rec, &oom);
    i = pg_fill_fields(res, 0, i, a, &r.person, &sql_person_rec, &oom);
    has_conv = (int)strtol(PQgetvalue(res, 0, i), NULL, 10);
    has_req = (int)strtol(PQgetvalue(res, 0, i + 1), NULL, 10);
    PQclear(res);
    if (oom)
        return HC_ENOMEM;
    if ((has_conv && (rc = read_by_id(s, S_CONV_BY_PERSON, r.person.id, a, &sql_conviction_rec,
                                      &conv, &r.nconv)) != HC_OK) ||
        (rc = read_by_id(s, S_CHARGES_BY_BOOKING, r.booking.id, a, &sql_charge_rec, &charges,
                         &r.ncharges)) != HC_OK ||
        (has_req && (rc = pg_requests_of_booking(s, r.booking.id, a, &r.req, &r.nreq)) != HC_OK))
        return rc;
    r.conv = conv;
    r.charges = charges;
    *out = r;
    return HC_OK;
}

static int pg_booking_count(struct hc_store *st, int64_t *n)
{
    return exec(pgs(st), S_BOOKING_COUNT, NULL, NULL, n);
}

static int pg_agency_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out)
{
    return pg_read_rec(pgs(st), PG_X_RECORDS + S_AGENCY_GET, stmt_sql[S_AGENCY_GET], NULL, a,
                       &sql_agency_rec, out);
}

static int pg_agency_set(struct hc_store *st, const struct store_agency *ag, const char *actor)
{
    struct store_pg *s = pgs(st);
    struct store_agency row = *ag;
    struct pg_params p = {0};
    json_t *pl = json_object(), *jp;
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    if (row.policy_json == NULL)
        row.policy_json = "{}";
    jp = json_loads(row.policy_json, 0, NULL);
    if (pl == NULL || !json_is_object(jp)) {
        rc = pl == NULL ? HC_ENOMEM : HC_EINVAL;
        goto out;
    }
    if ((rc = store_begin(st)) != HC_OK)
        goto out;
    hc_clock_utc(hc_clock_now(), at);
    if ((rc = pg_param_fields(&p, &row, &sql_agency_rec, NULL)) == HC_OK) {
        pg_param_str(&p, at); /* updated_at */
        rc = exec(s, S_AGENCY_SET, &p, NULL, NULL);
    }
    if (rc == HC_OK) {
        sf_jset_fields(pl, &row, &sql_agency_rec, NULL);
        json_object_set(pl, "policy", jp);
        rc = pg_audit_append(st, actor, "agency.update", "agency", pl);
    }
    rc = pg_tx_leave(s, rc);
out:
    json_decref(jp);
    json_decref(pl);
    return rc;
}

void pg_booking_state_read(const PGresult *r, int c, struct hc_arena *a,
                           struct store_booking_state *b, int *oom)
{
    b->booking_no = pg_col_dup(r, 0, c, a, oom);
    b->facility = pg_col_dup(r, 0, c + 1, a, oom);
    b->status = pg_col_dup(r, 0, c + 2, a, oom);
    b->scheduled_release = pg_col_dup(r, 0, c + 3, a, oom);
    b->released_at = pg_col_dup(r, 0, c + 4, a, oom);
    b->release_reason = pg_col_dup(r, 0, c + 5, a, oom);
    b->has_bail = !PQgetisnull(r, 0, c + 6);
    b->bail = b->has_bail ? strtoll(PQgetvalue(r, 0, c + 6), NULL, 10) : 0;
    b->next_court_date = pg_col_dup(r, 0, c + 7, a, oom);
}

static int pg_booking_state_get(struct hc_store *st, const char *booking_no,
                                struct hc_arena *a, int64_t *booking_id,
                                struct store_booking_state *out)
{
    struct store_booking_state b;
    struct pg_params p = {0};
    PGresult *r;
    int rc, oom = 0;

    memset(&b, 0, sizeof b);
    pg_param_str(&p, booking_no);
    if ((r = run_one(pgs(st), S_BOOKING_STATE_GET, &p, &rc)) == NULL)
        return rc;
    *booking_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    pg_booking_state_read(r, 1, a, &b, &oom);
    PQclear(r);
    if (oom)
        return HC_ENOMEM;
    *out = b;
    return HC_OK;
}

static int pg_booking_state_set(struct hc_store *st, int64_t booking_id,
                                const struct store_booking_state *b)
{
    const char *const text[] = {b->facility, b->status, b->scheduled_release, b->released_at,
                                b->release_reason};
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    int64_t changed = 0;
    size_t i;
    int rc;

    for (i = 0; i < sizeof text / sizeof text[0]; i++)
        pg_param_str(&p, text[i]);
    if (b->has_bail)
        pg_param_i64(&p, b->bail);
    else
        pg_param_str(&p, NULL);
    pg_param_str(&p, b->next_court_date);
    pg_param_i64(&p, booking_id);
    if ((rc = exec(s, S_BOOKING_STATE_SET, &p, &changed, NULL)) != HC_OK)
        return rc;
    /* The change's audit entry (store_audit_append, by the caller) binds the row as changed. */
    return changed > 0 ? pg_bound_note(s, "bookings", booking_id, booking_id) : HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The court record after booking: each change and its audit entry (each changed value as
 * from/to) commit in one transaction; a change that changes nothing writes nothing. */

/* A lookup that found nothing: HC_ENOENT naming field with msg; other codes pass. */
static int none(int rc, struct hc_diag *d, const char *field, const char *msg)
{
    if (rc == HC_ENOENT)
        hc_diag_set(d, field, msg, NULL);
    return rc;
}

static int refused(int rc, const char *what, struct hc_diag *d)
{
    const struct sql_refusal r = {NULL, NULL, NULL, NULL, "", what};
    return sql_refused(rc, &r, d);
}

static int pg_charge_add(struct hc_store *st, const char *booking_no,
                         const struct store_charge *c, const char *actor, int64_t *charge_id,
                         struct hc_diag *d)
{
    struct store_pg *s = pgs(st);
    struct store_charge ch = *c;
    json_t *pl = NULL;
    int64_t bid = 0;
    int rc;

    if (ch.status == NULL)
        ch.status = "pending";
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    rc = none(lookup_str(s, S_BOOKING_ID, booking_no, &bid), d, "booking_no", "no such booking");
    if (rc == HC_OK && (pl = json_object()) == NULL)
        rc = HC_ENOMEM;
    if (rc == HC_OK) {
        json_object_set_new(pl, "booking_no", json_string(booking_no));
        rc = sql_court_row_add(insert_row, s, SQL_ROW_CHARGE, bid, &ch, "charge",
                               "the database refused the charge", pl, charge_id, d);
    }
    if (rc == HC_OK)
        rc = pg_audit_append(st, actor, "charge.add", booking_no, pl);
    json_decref(pl);
    return pg_tx_leave(s, rc);
}

/* Start the transaction of a change and read the row to change by statement get with q into
 * its result; out is cleared. NULL with *rc when there is none (HC_ENOENT naming "id" with
 * msg) or on a store error: the transaction is then over. */
static PGresult *row_to_change(struct store_pg *s, enum stmt_id get, const struct pg_params *q,
                               struct store_court_change *out, const char *msg,
                               struct hc_diag *d, int *rc)
{
    PGresult *r = NULL;
    memset(out, 0, sizeof *out);
    if ((*rc = store_begin(&s->base)) == HC_OK && (r = run_one(s, get, q, rc)) == NULL)
        *rc = pg_tx_leave(s, none(*rc, d, "id", msg));
    return r;
}

/* Write the change pl describes (its "changes", when any) with statement set and p, and its
 * audit entry action on entity: *changed is 1 when something was written. pl is released. */
static int write_change(struct store_pg *s, enum stmt_id set, const struct pg_params *p,
                        json_t *pl, const char *actor, const char *action, const char *entity,
                        int *changed, struct hc_diag *d)
{
    int rc = HC_OK;
    if (json_object_size(json_object_get(pl, "changes")) > 0) {
        rc = refused(exec(s, set, p, NULL, NULL), "the database refused the change", d);
        if (rc == HC_OK)
            rc = pg_audit_append(&s->base, actor, action, entity, pl);
        *changed = rc == HC_OK;
    }
    json_decref(pl);
    return rc;
}

static int pg_charge_update(struct hc_store *st, int64_t charge_id,
                            const struct store_charge_patch *p, const char *actor,
                            struct store_court_change *out, struct hc_diag *d)
{
    struct store_pg *s = pgs(st);
    struct sql_charge_cols old, next;
    struct pg_params q;
    json_t *pl;
    PGresult *r;
    int rc;

    pg_params_id(&q, charge_id);
    if ((r = row_to_change(s, S_CHARGE_GET, &q, out, "no such charge", d, &rc)) == NULL)
        return rc;
    snprintf(out->booking_no, sizeof out->booking_no, "%s", PQgetvalue(r, 0, 4));
    old.level = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    old.status = PQgetvalue(r, 0, 2);
    old.magistrate_probable_cause = (int)strtol(PQgetvalue(r, 0, 3), NULL, 10);
    pl = sql_charge_change(out->booking_no, charge_id, PQgetvalue(r, 0, 0), &old, p, &next);
    q.n = 0;
    pg_param_str(&q, next.level);
    pg_param_str(&q, next.status);
    pg_param_i64(&q, next.magistrate_probable_cause);
    pg_param_i64(&q, charge_id);
    rc = pl != NULL ? write_change(s, S_CHARGE_SET, &q, pl, actor, "charge.update",
                                   out->booking_no, &out->changed, d)
                    : HC_ENOMEM;
    PQclear(r); /* after the statement: the old values point into it */
    return pg_tx_leave(s, rc);
}

static int pg_conviction_add(struct hc_store *st, int64_t person_id,
                             const struct store_conviction *c, const char *actor,
                             int64_t *conviction_id, struct hc_diag *d)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    json_t *pl = NULL;
    char entity[48];
    int64_t found = 0;
    int rc;

    pg_params_id(&p, person_id);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    rc = none(exec(s, S_PERSON_ID, &p, NULL, &found), d, "person_id", "no such person");
    if (rc == HC_OK && (pl = json_pack("{s:I}", "person_id", (json_int_t)person_id)) == NULL)
        rc = HC_ENOMEM;
    if (rc == HC_OK)
        rc = sql_court_row_add(insert_row, s, SQL_ROW_CONVICTION, person_id, c, "conviction",
                               "the database refused the conviction", pl, conviction_id, d);
    if (rc == HC_OK) {
        snprintf(entity, sizeof entity, "person/%" PRId64, person_id);
        rc = pg_audit_append(st, actor, "conviction.add", entity, pl);
    }
    json_decref(pl);
    return pg_tx_leave(s, rc);
}

static int pg_conviction_update(struct hc_store *st, int64_t conviction_id,
                                const struct store_conviction_patch *p, const char *actor,
                                struct store_court_change *out, struct hc_diag *d)
{
    struct store_pg *s = pgs(st);
    struct sql_conviction_cols old, next;
    struct pg_params q;
    char entity[48];
    json_t *pl;
    PGresult *r;
    int rc;

    pg_params_id(&q, conviction_id);
    if ((r = row_to_change(s, S_CONV_GET, &q, out, "no such conviction", d, &rc)) == NULL)
        return rc;
    old.level = PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1);
    old.prop47_reduced = PQgetisnull(r, 0, 2) ? -1 : (int)strtol(PQgetvalue(r, 0, 2), NULL, 10);
    old.federal_aggravated_felony = PQgetisnull(r, 0, 3) ? NULL : PQgetvalue(r, 0, 3);
    out->person_id = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
    pl = sql_conviction_change(out->person_id, conviction_id, PQgetvalue(r, 0, 0), &old, p,
                               &next);
    q.n = 0;
    pg_param_str(&q, next.level);
    if (next.prop47_reduced < 0)
        pg_param_str(&q, NULL);
    else
        pg_param_i64(&q, next.prop47_reduced);
    pg_param_str(&q, next.federal_aggravated_felony);
    pg_param_i64(&q, conviction_id);
    snprintf(entity, sizeof entity, "person/%" PRId64, out->person_id);
    rc = pl != NULL ? write_change(s, S_CONV_SET, &q, pl, actor, "conviction.update", entity,
                                   &out->changed, d)
                    : HC_ENOMEM;
    PQclear(r); /* after the statement: the old values point into it */
    return pg_tx_leave(s, rc);
}

const struct store_records_ops pg_records_ops = {
    STORE_RECORDS_OPS(PG_OP)
};

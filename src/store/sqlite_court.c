/* SPDX-License-Identifier: MIT
 * sqlite_court.c: the court record after booking (issue 3): charges added to a booking, a
 * charge's disposition or the magistrate's probable-cause finding, convictions added to a
 * person and a conviction's later Prop 47 reduction or corrected classification. Statements
 * use slots SQ_X_COURT..SQ_X_COURT+15. The invariant, as for every write: the change and its
 * audit entry (with each changed value as from/to) commit in one transaction, and a change that
 * changes nothing writes nothing. Decisions already stored are never touched. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

enum kx_id { KX_CHARGE_GET, KX_CHARGE_SET, KX_CONV_GET, KX_CONV_SET, KX_COUNT };

static const char *const kx_sql[KX_COUNT] = {
    [KX_CHARGE_GET] = "SELECT c.citation, c.level, c.status, c.magistrate_probable_cause,"
                      " b.booking_no FROM charges c JOIN bookings b ON b.id = c.booking_id"
                      " WHERE c.id = ?",
    [KX_CHARGE_SET] = "UPDATE charges SET level = ?, status = ?, magistrate_probable_cause = ?"
                      " WHERE id = ?",
    [KX_CONV_GET] = "SELECT citation, level, prop47_reduced, federal_aggravated_felony, person_id"
                    " FROM convictions WHERE id = ?",
    [KX_CONV_SET] = "UPDATE convictions SET level = ?, prop47_reduced = ?,"
                    " federal_aggravated_felony = ? WHERE id = ?",
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
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        return HC_OK;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? none(d, "id", msg) : sq_map_rc(s, rc);
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
    if (rc == HC_EINVAL)
        hc_diag_set(d, "", what, NULL);
    return rc;
}

int sq_charge_add(struct hc_store *st, const char *booking_no, const struct store_charge *c,
                  const char *actor, int64_t *charge_id, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    struct store_charge ch = *c;
    json_t *pl = NULL, *o;
    sqlite3_stmt *q;
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
    if ((q = sq_stmt(s, S_CHARGE_INSERT)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_charge(q, bid, &ch);
    if ((rc = refused(sq_exec_stmt(s, q), "the database refused the charge", d)) != HC_OK)
        goto out;
    *charge_id = sqlite3_last_insert_rowid(s->db);
    pl = json_object();
    sq_jset_str(pl, "booking_no", booking_no);
    o = json_object();
    json_object_set_new(o, "id", json_integer(*charge_id));
    sq_jset_charge(o, &ch);
    json_object_set_new(pl, "charge", o);
    rc = sq_audit_append(s, actor, "charge.add", booking_no, pl);
out:
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

int sq_charge_update(struct hc_store *st, int64_t charge_id, const struct store_charge_patch *p,
                     const char *actor, struct store_court_change *out, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    char citation[256], lv[16], old_status[16];
    const char *old_level, *level, *status;
    int old_mpc, mpc, rc;
    json_t *pl = NULL, *changes = NULL;
    sqlite3_stmt *q;

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
    old_level = col_copy(q, 1, lv, sizeof lv);
    col_copy(q, 2, old_status, sizeof old_status);
    old_mpc = sqlite3_column_int(q, 3);
    col_copy(q, 4, out->booking_no, sizeof out->booking_no);
    sqlite3_reset(q);

    level = (p->set & STORE_CHG_LEVEL) ? p->level : old_level;
    status = (p->set & STORE_CHG_STATUS) ? p->status : old_status;
    mpc = (p->set & STORE_CHG_MAGISTRATE) ? p->magistrate_probable_cause != 0 : old_mpc;
    changes = json_object();
    sq_change_str(changes, "level", old_level, level);
    sq_change_str(changes, "status", old_status, status);
    sq_change_tri(changes, "magistrate_probable_cause", old_mpc, mpc);
    if (json_object_size(changes) == 0) {
        rc = HC_OK;
        goto out;
    }
    if ((q = kx(s, KX_CHARGE_SET)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, level);
    sq_bind_str(q, 2, status);
    sqlite3_bind_int(q, 3, mpc);
    sqlite3_bind_int64(q, 4, charge_id);
    if ((rc = refused(sq_exec_stmt(s, q), "the database refused the change", d)) != HC_OK)
        goto out;
    pl = json_object();
    sq_jset_str(pl, "booking_no", out->booking_no);
    json_object_set_new(pl, "charge_id", json_integer(charge_id));
    sq_jset_str(pl, "citation", citation);
    json_object_set_new(pl, "changes", changes);
    changes = NULL;
    if ((rc = sq_audit_append(s, actor, "charge.update", out->booking_no, pl)) == HC_OK)
        out->changed = 1;
out:
    json_decref(changes);
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

int sq_conviction_add(struct hc_store *st, int64_t person_id, const struct store_conviction *c,
                      const char *actor, int64_t *conviction_id, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = NULL, *o;
    sqlite3_stmt *q;
    char entity[48];
    int rc;

    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((rc = sq_person_exists(s, person_id)) != HC_OK) {
        if (rc == HC_ENOENT)
            none(d, "person_id", "no such person");
        goto out;
    }
    if ((q = sq_stmt(s, S_CONV_INSERT)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_conviction(q, person_id, c);
    if ((rc = refused(sq_exec_stmt(s, q), "the database refused the conviction", d)) != HC_OK)
        goto out;
    *conviction_id = sqlite3_last_insert_rowid(s->db);
    pl = json_object();
    json_object_set_new(pl, "person_id", json_integer(person_id));
    o = json_object();
    json_object_set_new(o, "id", json_integer(*conviction_id));
    sq_jset_conviction(o, c);
    json_object_set_new(pl, "conviction", o);
    snprintf(entity, sizeof entity, "person/%" PRId64, person_id);
    rc = sq_audit_append(s, actor, "conviction.add", entity, pl);
out:
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

int sq_conviction_update(struct hc_store *st, int64_t conviction_id,
                         const struct store_conviction_patch *p, const char *actor,
                         struct store_court_change *out, struct hc_diag *d)
{
    struct store_sqlite *s = sq(st);
    char citation[256], lv[16], ag[8], entity[48];
    const char *old_level, *old_agg, *level, *agg;
    int old_p47, p47, rc;
    json_t *pl = NULL, *changes = NULL;
    sqlite3_stmt *q;

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
    old_level = col_copy(q, 1, lv, sizeof lv);
    old_p47 = sqlite3_column_type(q, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 2);
    old_agg = col_copy(q, 3, ag, sizeof ag);
    out->person_id = sqlite3_column_int64(q, 4);
    sqlite3_reset(q);

    level = (p->set & STORE_CONV_LEVEL) ? p->level : old_level;
    p47 = (p->set & STORE_CONV_PROP47) ? p->prop47_reduced : old_p47;
    agg = (p->set & STORE_CONV_AGG) ? p->federal_aggravated_felony : old_agg;
    changes = json_object();
    sq_change_str(changes, "level", old_level, level);
    sq_change_tri(changes, "prop47_reduced", old_p47, p47);
    sq_change_str(changes, "federal_aggravated_felony", old_agg, agg);
    if (json_object_size(changes) == 0) {
        rc = HC_OK;
        goto out;
    }
    if ((q = kx(s, KX_CONV_SET)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, level);
    sq_bind_tri(q, 2, p47);
    sq_bind_str(q, 3, agg);
    sqlite3_bind_int64(q, 4, conviction_id);
    if ((rc = refused(sq_exec_stmt(s, q), "the database refused the change", d)) != HC_OK)
        goto out;
    pl = json_object();
    json_object_set_new(pl, "person_id", json_integer(out->person_id));
    json_object_set_new(pl, "conviction_id", json_integer(conviction_id));
    sq_jset_str(pl, "citation", citation);
    json_object_set_new(pl, "changes", changes);
    changes = NULL;
    snprintf(entity, sizeof entity, "person/%" PRId64, out->person_id);
    if ((rc = sq_audit_append(s, actor, "conviction.update", entity, pl)) == HC_OK)
        out->changed = 1;
out:
    json_decref(changes);
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

/* SPDX-License-Identifier: MIT
 * pg_public.c: the public portal on PostgreSQL (store_public.h, docs/public.md): the
 * publication policy and the agency flag derived from it, public search and export, the
 * facility status line, events and their deliveries, subscriptions and the delivery queue,
 * advance notices and snapshot records (the SMS operations are pg_sms.c's). The statements are this backend's own: the agency's
 * one-row tables are written by upserts (no row exists until the first change), ids come back
 * by RETURNING, name keys compare byte by byte (COLLATE "C", as SQLite compares them), and a
 * delivery is claimed FOR UPDATE SKIP LOCKED so that two senders never claim the same one.
 * Row-level security keeps every statement to the connection's agency, and each names the
 * agency of its rows besides. Each write and its audit entry commit in one transaction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "date.h"
#include "namekey.h"
#include "pg_int.h"

enum stmt_id {
    S_POLICY_GET, S_POLICY_SET, S_AGENCY_FLAG,
    S_SEARCH_NAME, S_SEARCH_NO, S_SEARCH_ID, S_EXPORT, S_NEXT_KEY, S_CURSOR_KEYS,
    S_STATUS, S_SCAN_GET, S_SCAN_BOOKINGS, S_SCAN_CHARGES, S_SCAN_SET, S_FACILITY_TOUCH,
    S_BACKFILL_GET, S_BACKFILL_SET,
    S_EVENT_INSERT, S_DELIVER_TO_SUBSCRIBERS, S_BOOKING_ID,
    S_SUB_FIND, S_SUB_COUNT_TARGET, S_SUB_COUNT_PENDING, S_SUB_INSERT, S_SUB_REFRESH,
    S_SUB_CANCEL_CONFIRMS, S_DELIVERY_ONE, S_SUB_BY_CONFIRM, S_SUB_CONFIRM, S_SUB_BY_UNSUB,
    S_SUB_END, S_SUB_CANCEL_ALL, S_PURGE_DELIVERIES, S_PURGE_SUBS,
    S_REQUEUE, S_DUE_EVENT, S_DUE, S_CLAIM, S_JOB, S_FINISH, S_SUB_CONFIRM_BY_DELIVERY,
    S_SUB_END_BY_DELIVERY, S_DELIVERY_LIST, S_ADVANCE_DUE,
    S_SNAP_PUT, S_SNAP_LIST, S_SNAP_DELETE,
    S_COUNT
};

_Static_assert(PG_X_PUBLIC + S_COUNT <= PG_X_SMS, "this file's statements fit its slots");

/* Every public read binds $1 the policy's fields, $2 released_since, $3 dob, $4 facility,
 * $5 custody status and $6 the agency, then its own parameters.
 * The population: in custody, or released on or after released_since when recently released
 * bookings are published (fields & 512). */
#define POPULATION                                                                                \
    " (b.status = 'in_custody' OR ($1::int & 512 <> 0 AND b.status = 'released'"                 \
    " AND substr(b.released_at, 1, 10) >= $2::text))"
/* The columns of struct store_public_row; the charges (a JSON array of [citation, status])
 * only when published (fields & 8). */
#define ROW_COLUMNS                                                                               \
    "SELECT b.id, b.booking_no, p.name, p.name_key, p.date_of_birth, b.booked_at, b.facility,"   \
    " b.status, b.scheduled_release, b.released_at, b.next_court_date, b.bail,"                  \
    " CASE WHEN $1::int & 8 <> 0 THEN (SELECT json_agg(json_build_array(c.citation, c.status)"   \
    "   ORDER BY c.id)::text FROM charges c WHERE c.booking_id = b.id"                           \
    "   AND c.agency_id = b.agency_id AND c.status <> 'dismissed') END"                          \
    " FROM bookings b JOIN people p ON p.id = b.person_id AND p.agency_id = b.agency_id"         \
    " WHERE b.agency_id = $6::bigint AND"
#define FILTERS                                                                                   \
    " AND ($3::text IS NULL OR p.date_of_birth = $3) AND ($4::text IS NULL OR b.facility = $4)"  \
    " AND ($5::text IS NULL OR b.status = $5)"
/* A name key compared byte by byte, whatever the database's collation. */
#define KEY "p.name_key COLLATE \"C\""
/* The columns of S_JOB: a delivery with its event and subscription. */
#define JOB_COLUMNS                                                                               \
    "SELECT d.id, d.event_id, d.subscription_id, d.attempts, e.kind, e.data, e.created_at,"      \
    " b.booking_no, s.channel, s.target, s.secret, s.lang, s.state, s.confirm_token,"            \
    " s.unsubscribe_token, p.name FROM deliveries d JOIN public_events e ON e.id = d.event_id"  \
    " JOIN subscriptions s ON s.id = d.subscription_id JOIN bookings b ON b.id = e.booking_id"   \
    " JOIN people p ON p.id = b.person_id AND p.agency_id = b.agency_id"

static const char *const stmt_sql[S_COUNT] = {
    /* The agency's policy, or the defaults before its first change: nothing published, a
     * week's releases, release dates public elsewhere as the agency's flag says. $1 agency. */
    [S_POLICY_GET] = "SELECT coalesce(p.fields, 0), coalesce(p.recent_days, 7),"
                     " coalesce(p.release_elsewhere, a.release_dates_public, 0),"
                     " coalesce(p.version, 1), p.updated_at, p.updated_by,"
                     " coalesce(a.release_dates_public, 0), coalesce(a.personal_info_public, 0)"
                     " FROM (SELECT 1 AS one) o"
                     " LEFT JOIN public_policy p ON p.agency_id = $1::bigint AND p.id = 1"
                     " LEFT JOIN agency_settings a ON a.agency_id = $1::bigint AND a.id = 1",
    [S_POLICY_SET] = "INSERT INTO public_policy (fields, recent_days, release_elsewhere, version,"
                     " updated_at, updated_by) VALUES ($1, $2, $3, 2, $4, $5)"
                     " ON CONFLICT (agency_id, id) DO UPDATE SET fields = EXCLUDED.fields,"
                     " recent_days = EXCLUDED.recent_days,"
                     " release_elsewhere = EXCLUDED.release_elsewhere,"
                     " version = public_policy.version + 1, updated_at = EXCLUDED.updated_at,"
                     " updated_by = EXCLUDED.updated_by",
    [S_AGENCY_FLAG] = "INSERT INTO agency_settings (release_dates_public, personal_info_public,"
                      " policy_json, updated_at) VALUES ($1, 0, '{}', $2)"
                      " ON CONFLICT (agency_id, id) DO UPDATE SET"
                      " release_dates_public = EXCLUDED.release_dates_public,"
                      " updated_at = EXCLUDED.updated_at",
    /* Name order: $7 lower bound (the greater of the prefix and the cursor's key), $8 upper
     * bound, $9 has cursor, $10 cursor key, $11 cursor person, $12 cursor booking, $13 limit;
     * the order of the people_name_key index, then each person's bookings newest first. */
    [S_SEARCH_NAME] = ROW_COLUMNS " " KEY " >= $7::text AND " KEY " < $8::text AND" POPULATION
                      FILTERS " AND ($9::int = 0 OR " KEY " > $10::text OR (p.name_key = $10"
                      " AND (p.id > $11::bigint OR (p.id = $11 AND b.id < $12::bigint))))"
                      " ORDER BY " KEY ", p.id, b.id DESC LIMIT $13::int",
    /* A booking number as written, or else in capitals or in small letters: $7 the number,
     * $8 has cursor, $9 cursor booking, $10 limit. */
    [S_SEARCH_NO] = ROW_COLUMNS " (b.booking_no = $7::text OR (b.booking_no IN (upper($7),"
                    " lower($7)) AND NOT EXISTS (SELECT 1 FROM bookings x"
                    " WHERE x.agency_id = $6 AND x.booking_no = $7))) AND" POPULATION FILTERS
                    " AND ($8::int = 0 OR b.id < $9::bigint) ORDER BY b.id DESC LIMIT $10::int",
    /* $7 below this booking, $8 limit. */
    [S_SEARCH_ID] = ROW_COLUMNS " b.id < $7::bigint AND" POPULATION FILTERS
                    " ORDER BY b.id DESC LIMIT $8::int",
    [S_EXPORT] = ROW_COLUMNS POPULATION FILTERS " ORDER BY b.id",
    /* The first key in [$1, $2) of agency $3. */
    [S_NEXT_KEY] = "SELECT p.name_key FROM people p WHERE p.agency_id = $3::bigint"
                   " AND " KEY " >= $1::text AND " KEY " < $2::text ORDER BY " KEY " LIMIT 1",
    [S_CURSOR_KEYS] = "SELECT p.name_key, p.id FROM bookings b JOIN people p"
                      " ON p.id = b.person_id AND p.agency_id = b.agency_id"
                      " WHERE b.id = $1::bigint AND b.agency_id = $2::bigint",
    [S_STATUS] = "SELECT facility, changed_at FROM facility_status WHERE agency_id = $1::bigint"
                 " ORDER BY facility COLLATE \"C\"",
    [S_SCAN_GET] = "SELECT booking_seen, charge_seen FROM public_scan"
                   " WHERE agency_id = $1::bigint AND id = 1",
    [S_SCAN_BOOKINGS] = "SELECT facility, max(id) FROM bookings WHERE agency_id = $2::bigint"
                        " AND id > $1::bigint GROUP BY facility",
    [S_SCAN_CHARGES] = "SELECT b.facility, max(c.id) FROM charges c JOIN bookings b"
                       " ON b.id = c.booking_id AND b.agency_id = c.agency_id"
                       " WHERE c.agency_id = $2::bigint AND c.id > $1::bigint GROUP BY b.facility",
    [S_SCAN_SET] = "INSERT INTO public_scan (booking_seen, charge_seen) VALUES ($1, $2)"
                   " ON CONFLICT (agency_id, id) DO UPDATE SET"
                   " booking_seen = greatest(public_scan.booking_seen, EXCLUDED.booking_seen),"
                   " charge_seen = greatest(public_scan.charge_seen, EXCLUDED.charge_seen)",
    [S_FACILITY_TOUCH] = "INSERT INTO facility_status (facility, changed_at) VALUES ($1, $2)"
                         " ON CONFLICT (agency_id, facility) DO UPDATE"
                         " SET changed_at = EXCLUDED.changed_at",
    [S_BACKFILL_GET] = "SELECT id, name FROM people WHERE agency_id = $1::bigint"
                       " AND name_key IS NULL LIMIT 2000",
    [S_BACKFILL_SET] = "UPDATE people SET name_key = $1 WHERE id = $2 AND agency_id = $3",
    [S_EVENT_INSERT] = "INSERT INTO public_events (booking_id, kind, data, created_at, dedupe)"
                       " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_id, dedupe) DO NOTHING"
                       " RETURNING id",
    /* $1 event, $2 due, $3 booking, $4 event bit, $5 follow_since, $6 agency: the booking's
     * subscriptions, then those of the person's earlier bookings confirmed since $5. */
    [S_DELIVER_TO_SUBSCRIBERS] = "INSERT INTO deliveries (event_id, subscription_id, status,"
                                 " next_attempt_at, created_at)"
                                 " SELECT $1::bigint, id, 'pending', $2::text, $2::text"
                                 " FROM subscriptions WHERE agency_id = $6::bigint"
                                 " AND booking_id = $3::bigint AND state = 'confirmed'"
                                 " AND events & $4::int <> 0"
                                 " UNION ALL SELECT $1, s.id, 'pending', $2, $2"
                                 " FROM bookings b1 JOIN bookings b2 ON b2.agency_id = b1.agency_id"
                                 " AND b2.person_id = b1.person_id AND b2.id < b1.id"
                                 " JOIN subscriptions s ON s.booking_id = b2.id"
                                 " AND s.agency_id = b2.agency_id"
                                 " WHERE $5::text IS NOT NULL AND b1.id = $3 AND b1.agency_id = $6"
                                 " AND s.state = 'confirmed' AND s.events & $4 <> 0"
                                 " AND s.confirmed_at >= $5",
    [S_BOOKING_ID] = "SELECT id FROM bookings WHERE booking_no = $1 AND agency_id = $2::bigint",
    [S_SUB_FIND] = "SELECT id, state FROM subscriptions WHERE agency_id = $4::bigint"
                   " AND booking_id = $1::bigint AND channel = $2 AND target = $3"
                   " AND state <> 'unsubscribed' ORDER BY id DESC LIMIT 1",
    [S_SUB_COUNT_TARGET] = "SELECT count(*) FROM subscriptions WHERE agency_id = $3::bigint"
                           " AND target = $1 AND channel = $2"
                           " AND state IN ('pending', 'confirmed')",
    [S_SUB_COUNT_PENDING] = "SELECT count(*) FROM subscriptions WHERE agency_id = $2::bigint"
                            " AND booking_id = $1::bigint AND state = 'pending'",
    [S_SUB_INSERT] = "INSERT INTO subscriptions (booking_id, channel, target, events,"
                     " advance_days, lang, secret, confirm_token, unsubscribe_token, state,"
                     " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10)"
                     " RETURNING id",
    [S_SUB_REFRESH] = "UPDATE subscriptions SET events = $1, advance_days = $2, lang = $3,"
                      " secret = $4, confirm_token = $5, created_at = $6"
                      " WHERE id = $7 AND agency_id = $8::bigint",
    [S_SUB_CANCEL_CONFIRMS] = "UPDATE deliveries SET status = 'cancelled',"
                              " last_error = 'superseded by a newer confirmation'"
                              " WHERE subscription_id = $1 AND agency_id = $2::bigint"
                              " AND status = 'pending'",
    [S_DELIVERY_ONE] = "INSERT INTO deliveries (event_id, subscription_id, status,"
                       " next_attempt_at, created_at) VALUES ($1, $2, 'pending', $3, $3)"
                       " RETURNING id",
    [S_SUB_BY_CONFIRM] = "SELECT s.id, s.state, s.created_at, b.booking_no, s.events,"
                         " s.advance_days FROM subscriptions s JOIN bookings b"
                         " ON b.id = s.booking_id AND b.agency_id = s.agency_id"
                         " WHERE s.confirm_token = $1 AND s.agency_id = $2::bigint"
                         " FOR UPDATE OF s",
    [S_SUB_CONFIRM] = "UPDATE subscriptions SET state = 'confirmed', confirmed_at = $1"
                      " WHERE id = $2 AND agency_id = $3::bigint AND state = 'pending'",
    [S_SUB_BY_UNSUB] = "SELECT id, state FROM subscriptions WHERE unsubscribe_token = $1"
                       " AND agency_id = $2::bigint FOR UPDATE",
    [S_SUB_END] = "UPDATE subscriptions SET state = 'unsubscribed', ended_at = $1"
                  " WHERE id = $2 AND agency_id = $3::bigint AND state <> 'unsubscribed'",
    [S_SUB_CANCEL_ALL] = "UPDATE deliveries SET status = 'cancelled', last_error = 'unsubscribed'"
                         " WHERE subscription_id = $1 AND agency_id = $2::bigint"
                         " AND status = 'pending'",
    [S_PURGE_DELIVERIES] = "DELETE FROM deliveries WHERE agency_id = $2::bigint"
                           " AND subscription_id IN (SELECT id FROM subscriptions"
                           " WHERE agency_id = $2 AND state = 'pending' AND created_at < $1::text)",
    [S_PURGE_SUBS] = "DELETE FROM subscriptions WHERE agency_id = $2::bigint"
                     " AND state = 'pending' AND created_at < $1::text",
    [S_REQUEUE] = "UPDATE deliveries SET status = 'pending' WHERE agency_id = $1::bigint"
                  " AND status = 'sending'",
    /* The due delivery of an event (never a confirmation), locked for this transaction; one
     * another sender holds is passed over. $1 now, $2 agency. */
    [S_DUE_EVENT] = "SELECT d.id FROM deliveries d JOIN public_events e ON e.id = d.event_id"
                    " AND e.agency_id = d.agency_id WHERE d.agency_id = $2::bigint"
                    " AND d.status = 'pending' AND d.next_attempt_at <= $1::text"
                    " AND e.kind <> 'confirm' ORDER BY d.next_attempt_at, d.id LIMIT 1"
                    " FOR UPDATE OF d SKIP LOCKED",
    [S_DUE] = "SELECT id FROM deliveries WHERE agency_id = $2::bigint AND status = 'pending'"
              " AND next_attempt_at <= $1::text ORDER BY next_attempt_at, id LIMIT 1"
              " FOR UPDATE SKIP LOCKED",
    [S_CLAIM] = "UPDATE deliveries SET status = 'sending', attempts = attempts + 1"
                " WHERE id = $1 AND agency_id = $2::bigint AND status = 'pending'",
    [S_JOB] = JOB_COLUMNS " WHERE d.id = $1::bigint AND d.agency_id = $2::bigint",
    [S_FINISH] = "UPDATE deliveries SET status = $1,"
                 " next_attempt_at = coalesce($2, next_attempt_at), last_error = $3,"
                 " delivered_at = $4 WHERE id = $5 AND agency_id = $6::bigint",
    [S_SUB_CONFIRM_BY_DELIVERY] = "UPDATE subscriptions SET state = 'confirmed', confirmed_at = $1"
                                  " WHERE state = 'pending' AND agency_id = $3::bigint AND id ="
                                  " (SELECT subscription_id FROM deliveries WHERE id = $2::bigint"
                                  " AND agency_id = $3)",
    [S_SUB_END_BY_DELIVERY] = "UPDATE subscriptions SET state = 'unsubscribed', ended_at = $1"
                              " WHERE state <> 'unsubscribed' AND agency_id = $3::bigint AND id ="
                              " (SELECT subscription_id FROM deliveries WHERE id = $2::bigint"
                              " AND agency_id = $3)",
    [S_DELIVERY_LIST] = "SELECT d.id, d.event_id, d.subscription_id, e.kind, s.channel,"
                        " b.booking_no, d.status, d.next_attempt_at, d.last_error,"
                        " d.delivered_at, d.created_at, d.attempts FROM deliveries d"
                        " JOIN public_events e ON e.id = d.event_id"
                        " JOIN subscriptions s ON s.id = d.subscription_id"
                        " JOIN bookings b ON b.id = e.booking_id WHERE d.agency_id = $4::bigint"
                        " AND d.id > $1::bigint AND ($2::text IS NULL OR d.status = $2)"
                        " ORDER BY d.id LIMIT $3::int",
    /* Advance notices due today ($1): the release date not yet passed and at most
     * advance_days ahead (the stored date compared as text, never parsed); for the
     * subscriptions of the booking, and, when $3 is not NULL, for those of the same person's
     * earlier bookings confirmed at or after $3, which follow the person. $2 the agency. */
    [S_ADVANCE_DUE] = "SELECT s.id, b.id, substr(b.scheduled_release, 1, 10), s.advance_days"
                      " FROM bookings b JOIN subscriptions s ON s.agency_id = b.agency_id"
                      " AND (s.booking_id = b.id OR ($3::text IS NOT NULL AND s.confirmed_at >= $3"
                      "   AND s.booking_id IN (SELECT e.id FROM bookings e"
                      "   WHERE e.agency_id = b.agency_id AND e.person_id = b.person_id"
                      "   AND e.id < b.id)))"
                      " WHERE b.agency_id = $2::bigint"
                      " AND s.state = 'confirmed' AND s.events & 8 <> 0"
                      " AND b.status = 'in_custody' AND b.scheduled_release IS NOT NULL"
                      " AND substr(b.scheduled_release, 1, 10) >= $1::text"
                      " AND substr(b.scheduled_release, 1, 10)"
                      "   <= to_char($1::date + s.advance_days, 'YYYY-MM-DD')",
    [S_SNAP_PUT] = "INSERT INTO public_snapshots (date, generated_at, rows, fields,"
                   " policy_version) VALUES ($1, $2, $3, $4, $5)"
                   " ON CONFLICT (agency_id, date) DO UPDATE SET"
                   " generated_at = EXCLUDED.generated_at, rows = EXCLUDED.rows,"
                   " fields = EXCLUDED.fields, policy_version = EXCLUDED.policy_version",
    [S_SNAP_LIST] = "SELECT date, generated_at, rows, fields, policy_version"
                    " FROM public_snapshots WHERE agency_id = $1::bigint ORDER BY date DESC",
    [S_SNAP_DELETE] = "DELETE FROM public_snapshots WHERE date = $1 AND agency_id = $2::bigint",
};

/* Above every byte a valid UTF-8 name key holds where a prefix ends (U+10FFFF, the last code
 * point): prefix followed by this bounds the prefix's range of keys. */
#define KEY_TOP "\xf4\x8f\xbf\xbf"

/* The upper bound of the keys that begin with prefix (prefix then KEY_TOP) into out (cap
 * bytes): HC_EINVAL when it does not fit. */
static int key_top(const char *prefix, char *out, size_t cap)
{
    size_t n = strlen(prefix);
    if (n + sizeof KEY_TOP > cap)
        return HC_EINVAL;
    memcpy(out, prefix, n);
    memcpy(out + n, KEY_TOP, sizeof KEY_TOP);
    return HC_OK;
}

static int slot(enum stmt_id id)
{
    return PG_X_PUBLIC + (int)id;
}

/* Statement id with p: rows changed into *changed, or the id it returns into *row. */
static int exec(struct store_pg *s, enum stmt_id id, const struct pg_params *p,
                int64_t *changed, int64_t *row)
{
    return pg_exec_stmt(s, slot(id), stmt_sql[id], p, changed, row);
}

/* Statement id with p, for its result (pg_run). */
static PGresult *run(struct store_pg *s, enum stmt_id id, const struct pg_params *p, int *rc)
{
    return pg_run(s, slot(id), stmt_sql[id], p, rc);
}

/* Statement id with the one parameter v (a number) and the agency after it. */
static int exec_id(struct store_pg *s, enum stmt_id id, int64_t v, int64_t *changed)
{
    struct pg_params p;
    pg_params_id(&p, v);
    pg_param_i64(&p, s->agency);
    return exec(s, id, &p, changed, NULL);
}

/* p: the agency alone. */
static void params_agency(struct pg_params *p, const struct store_pg *s)
{
    pg_params_id(p, s->agency);
}

/* The time now, as the store writes times. */
static void now_utc(char at[HC_CLOCK_UTC_LEN])
{
    hc_clock_utc(hc_clock_now(), at);
}

/* Append an audit entry whose payload pl this takes (NULL: out of memory). */
static int audit(struct hc_store *st, const char *actor, const char *action, const char *entity,
                 json_t *pl)
{
    int rc = pl != NULL ? pg_audit_append(st, actor, action, entity, pl) : HC_ENOMEM;
    json_decref(pl);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Publication policy                                                                         */

/* Columns of S_POLICY_GET. */
static const struct sf_field policy_cols[] = {
    SF_FIELD(struct store_public_policy, fields, SF_UINT, SF_COL),
    SF_FIELD(struct store_public_policy, recent_days, SF_INT, SF_COL),
    SF_FIELD(struct store_public_policy, release_elsewhere, SF_INT, SF_COL),
    SF_FIELD(struct store_public_policy, version, SF_I64, SF_COL),
    SF_FIELD(struct store_public_policy, updated_at, SF_STR, SF_COL),
    SF_FIELD(struct store_public_policy, updated_by, SF_STR, SF_COL),
    SF_FIELD(struct store_public_policy, release_dates_public, SF_INT, SF_COL),
    SF_FIELD(struct store_public_policy, personal_info_public, SF_INT, SF_COL),
};
static const struct sf_record policy_rec = SF_RECORD(struct store_public_policy, policy_cols);

static int pg_public_policy_get(struct hc_store *st, struct hc_arena *a,
                                struct store_public_policy *out)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    int rc;
    params_agency(&p, s);
    rc = pg_read_rec(s, slot(S_POLICY_GET), stmt_sql[S_POLICY_GET], &p, a, &policy_rec, out);
    return rc == HC_ENOENT ? HC_EIO : rc; /* the statement always returns its one row */
}

static int pg_public_policy_fields(struct hc_store *st, unsigned *fields)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    PGresult *r;
    int rc;
    params_agency(&p, s);
    if ((r = run(s, S_POLICY_GET, &p, &rc)) == NULL)
        return rc;
    if (PQntuples(r) == 1)
        *fields = (unsigned)strtoul(PQgetvalue(r, 0, 0), NULL, 10);
    else
        rc = HC_EIO;
    PQclear(r);
    return rc;
}

static int pg_public_policy_set(struct hc_store *st, const struct store_public_policy *pol,
                                const char *actor)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN];
    int dates_public = (pol->fields & STORE_PUB_SCHEDULED_RELEASE) != 0 ||
                       pol->release_elsewhere != 0;
    json_t *pl;
    int rc;

    if ((pol->fields & ~STORE_PUB_ALL) != 0 || pol->recent_days < 1 || pol->recent_days > 90)
        return HC_EINVAL;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    now_utc(at);
    pg_param_i64(&p, pol->fields);
    pg_param_i64(&p, pol->recent_days);
    pg_param_i64(&p, pol->release_elsewhere != 0);
    pg_param_str(&p, at);
    pg_param_str(&p, actor);
    rc = exec(s, S_POLICY_SET, &p, NULL, NULL);
    /* The flag the engine reads; the policy is written first, so the schema's trigger sees
     * what the portal now publishes. */
    p.n = 0;
    pg_param_i64(&p, dates_public);
    pg_param_str(&p, at);
    if (rc == HC_OK)
        rc = exec(s, S_AGENCY_FLAG, &p, NULL, NULL);
    if (rc == HC_OK) {
        pl = json_pack("{s:i, s:i, s:b, s:b}", "fields", (int)pol->fields, "recent_days",
                       pol->recent_days, "release_elsewhere", pol->release_elsewhere != 0,
                       "release_dates_public", dates_public);
        rc = audit(st, actor, "publication.update", "public_policy", pl);
    }
    return pg_tx_leave(s, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Public search and export                                                                   */

/* Columns 0-10 of a public row; 11 is the bail (NULL: none set), 12 the charges. */
static const struct sf_field public_row_cols[] = {
    SF_FIELD(struct store_public_row, booking_id, SF_I64, SF_COL),
    SF_FIELD(struct store_public_row, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, name, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, name_key, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, date_of_birth, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, booked_at, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, facility, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, status, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, scheduled_release, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, released_at, SF_STR, SF_COL),
    SF_FIELD(struct store_public_row, next_court_date, SF_STR, SF_COL),
};
static const struct sf_record public_row_rec = SF_RECORD(struct store_public_row,
                                                         public_row_cols);

/* The charges of a row from their JSON text ([[citation, status], ...], or NULL: none read),
 * into a. */
static int read_charges(const char *text, struct hc_arena *a, struct store_public_row *r)
{
    json_t *arr, *c;
    size_t i;
    int rc = HC_OK;
    if (text == NULL)
        return HC_OK;
    if ((arr = json_loads(text, 0, NULL)) == NULL || !json_is_array(arr)) {
        json_decref(arr);
        return HC_EIO;
    }
    r->charges = hc_arena_zalloc(a, (json_array_size(arr) + 1) * sizeof *r->charges);
    if (r->charges == NULL)
        rc = HC_ENOMEM;
    json_array_foreach(arr, i, c) {
        const char *cit = json_string_value(json_array_get(c, 0));
        const char *st = json_string_value(json_array_get(c, 1));
        if (rc != HC_OK || cit == NULL || st == NULL)
            continue;
        r->charges[r->ncharges].citation = hc_arena_strndup(a, cit, strlen(cit));
        r->charges[r->ncharges].status = hc_arena_strndup(a, st, strlen(st));
        if (r->charges[r->ncharges].citation == NULL || r->charges[r->ncharges].status == NULL)
            rc = HC_ENOMEM;
        r->ncharges++;
    }
    json_decref(arr);
    return rc;
}

/* Row i of a public read's result into *out (strings in a). */
static int fill_row(const PGresult *res, int i, struct hc_arena *a, struct store_public_row *out)
{
    int col, oom = 0;
    memset(out, 0, sizeof *out);
    col = pg_fill_fields(res, i, 0, a, out, &public_row_rec, &oom);
    if (oom)
        return HC_ENOMEM;
    out->has_bail = !PQgetisnull(res, i, col);
    out->bail = out->has_bail ? strtoll(PQgetvalue(res, i, col), NULL, 10) : 0;
    return read_charges(PQgetisnull(res, i, col + 1) ? NULL : PQgetvalue(res, i, col + 1), a,
                        out);
}

/* Parameters $1..$6 of every public read: the population, the filters and the agency. */
static void param_population(struct pg_params *p, const struct store_pg *s,
                             const struct store_public_query *q)
{
    p->n = 0;
    pg_param_i64(p, q->fields);
    pg_param_str(p, q->released_since != NULL ? q->released_since : "9999-12-31");
    pg_param_str(p, q->dob);
    pg_param_str(p, q->facility);
    pg_param_str(p, q->custody_status);
    pg_param_i64(p, s->agency);
}

/* The rows of statement id with p, appended to acc (which has room for them: the statement's
 * limit), *nacc growing. */
static int read_rows(struct store_pg *s, enum stmt_id id, const struct pg_params *p,
                     struct hc_arena *a, struct store_public_row *acc, size_t *nacc)
{
    PGresult *r;
    int rc, i;
    if ((r = run(s, id, p, &rc)) == NULL)
        return rc;
    for (i = 0; rc == HC_OK && i < PQntuples(r); i++)
        if ((rc = fill_row(r, i, a, &acc[*nacc])) == HC_OK)
            (*nacc)++;
    PQclear(r);
    return rc;
}

/* Where a page by name continues: the cursor's key and person, and whether there is one. */
struct name_cursor {
    int has;
    const char *key;
    int64_t person, booking;
};

/* The rows of one name-key range [lo, hi) after cursor c, at most limit of them, appended to
 * acc. */
static int search_range(struct store_pg *s, const struct store_public_query *q, const char *lo,
                        const char *hi, const struct name_cursor *c, int limit,
                        struct hc_arena *a, struct store_public_row *acc, size_t *nacc)
{
    struct pg_params p;
    param_population(&p, s, q);
    pg_param_str(&p, lo);
    pg_param_str(&p, hi);
    pg_param_i64(&p, c->has);
    pg_param_str(&p, c->key);
    pg_param_i64(&p, c->person);
    pg_param_i64(&p, c->booking);
    pg_param_i64(&p, limit);
    return read_rows(s, S_SEARCH_NAME, &p, a, acc, nacc);
}

/* The last name (the part before HC_NAMEKEY_SEP) of the first name key in [cur, hi), into x
 * (xn bytes). HC_ENOENT when there is none (or it does not fit x). */
static int next_last_name(struct store_pg *s, const char *cur, const char *hi, char *x,
                          size_t xn)
{
    struct pg_params p = {0};
    const char *k, *tab;
    size_t xl;
    PGresult *r;
    int rc;
    pg_param_str(&p, cur);
    pg_param_str(&p, hi);
    pg_param_i64(&p, s->agency);
    if ((r = run(s, S_NEXT_KEY, &p, &rc)) == NULL)
        return rc;
    if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
        PQclear(r);
        return HC_ENOENT;
    }
    k = PQgetvalue(r, 0, 0);
    tab = strchr(k, HC_NAMEKEY_SEP);
    xl = tab != NULL ? (size_t)(tab - k) : strlen(k);
    if (xl + 2 >= xn) {
        PQclear(r);
        return HC_ENOENT;
    }
    memcpy(x, k, xl);
    x[xl] = '\0';
    PQclear(r);
    return HC_OK;
}

/* A last-name prefix with a first-name prefix: one range LAST\tFIRST.. per last name that has
 * the prefix, in key order, visiting at most q->max_names last names (HC_ERANGE past them). */
static int search_first(struct store_pg *s, const struct store_public_query *q, const char *lo,
                        const char *hi, const struct name_cursor *c, struct hc_arena *a,
                        struct store_public_row *acc, size_t *nacc)
{
    char cur[540], x[520], slo[1100], shi[1100];
    int hops, rc;

    snprintf(cur, sizeof cur, "%s", lo);
    for (hops = 0; *nacc < (size_t)q->limit; hops++) {
        if ((rc = next_last_name(s, cur, hi, x, sizeof x)) != HC_OK)
            return rc == HC_ENOENT ? HC_OK : rc;
        if (hops >= q->max_names)
            return HC_ERANGE;
        snprintf(slo, sizeof slo, "%s\t%s", x, q->first);
        if ((rc = key_top(slo, shi, sizeof shi)) != HC_OK)
            return rc;
        if (strcmp(cur, slo) > 0)
            snprintf(slo, sizeof slo, "%s", cur);
        if (strcmp(slo, shi) < 0 &&
            (rc = search_range(s, q, slo, shi, c, q->limit - (int)*nacc, a, acc, nacc)) != HC_OK)
            return rc;
        snprintf(cur, sizeof cur, "%s\n", x); /* past every key of x: '\n' follows '\t' */
    }
    return HC_OK;
}

/* A search by name: the range of the last-name prefix (or whole last name), from the cursor's
 * place on. */
static int search_name(struct store_pg *s, const struct store_public_query *q,
                       struct hc_arena *a, struct store_public_row *acc, size_t *nacc)
{
    struct name_cursor c = {q->has_after, "", 0, q->after_id};
    const char *last = q->last != NULL ? q->last : "";
    char lo[540], hi[540];
    size_t ll = strlen(last);
    int rc;

    if (ll + 6 >= sizeof lo)
        return HC_EINVAL;
    if (q->has_after) {
        struct pg_params p;
        PGresult *r;
        char *key;
        pg_params_id(&p, q->after_id);
        pg_param_i64(&p, s->agency);
        if ((r = run(s, S_CURSOR_KEYS, &p, &rc)) == NULL)
            return rc;
        if (PQntuples(r) != 1) {
            PQclear(r);
            return HC_EINVAL; /* the cursor names no booking of this agency */
        }
        key = hc_arena_strndup(a, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
        c.person = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
        PQclear(r);
        if (key == NULL)
            return HC_ENOMEM;
        c.key = key;
    }
    snprintf(lo, sizeof lo, "%s%s", last, q->last_whole ? "\t" : "");
    if ((rc = key_top(lo, hi, sizeof hi)) != HC_OK)
        return rc;
    if (q->has_after && strcmp(c.key, lo) > 0) {
        if (strlen(c.key) >= sizeof lo)
            return HC_EINVAL;
        snprintf(lo, sizeof lo, "%s", c.key);
    }
    if (q->first != NULL)
        return search_first(s, q, lo, hi, &c, a, acc, nacc);
    return search_range(s, q, lo, hi, &c, q->limit, a, acc, nacc);
}

static int pg_public_search(struct hc_store *st, const struct store_public_query *q,
                            struct hc_arena *a, struct store_public_row **out, size_t *n)
{
    struct store_pg *s = pgs(st);
    struct store_public_row *acc;
    struct pg_params p;
    size_t got = 0;
    int rc;

    if (q->limit < 1 || q->limit > 1000)
        return HC_EINVAL;
    if ((acc = hc_arena_zalloc(a, (size_t)q->limit * sizeof *acc)) == NULL)
        return HC_ENOMEM;
    if (q->booking_no != NULL) {
        param_population(&p, s, q);
        pg_param_str(&p, q->booking_no);
        pg_param_i64(&p, q->has_after);
        pg_param_i64(&p, q->after_id);
        pg_param_i64(&p, q->limit);
        rc = read_rows(s, S_SEARCH_NO, &p, a, acc, &got);
    } else if (q->by_name) {
        rc = search_name(s, q, a, acc, &got);
    } else {
        param_population(&p, s, q);
        pg_param_i64(&p, q->has_after ? q->after_id : INT64_MAX);
        pg_param_i64(&p, q->limit);
        rc = read_rows(s, S_SEARCH_ID, &p, a, acc, &got);
    }
    if (rc == HC_OK) {
        *out = acc;
        *n = got;
    }
    return rc;
}

static int pg_public_last_names(struct hc_store *st, const char *prefix, int max,
                                struct hc_arena *a, char ***out, size_t *n)
{
    struct store_pg *s = pgs(st);
    char cur[540], hi[540], x[520];
    char **names;
    size_t got = 0, pl = strlen(prefix);
    int rc;

    *out = NULL;
    *n = 0;
    if (max < 1 || pl > 500)
        return HC_EINVAL;
    if ((names = hc_arena_alloc(a, (size_t)max * sizeof *names)) == NULL)
        return HC_ENOMEM;
    snprintf(cur, sizeof cur, "%s", prefix);
    if (key_top(prefix, hi, sizeof hi) != HC_OK)
        return HC_EINVAL;
    while ((rc = next_last_name(s, cur, hi, x, sizeof x)) == HC_OK) {
        if (got == (size_t)max) {
            rc = HC_ERANGE;
            break;
        }
        if ((names[got++] = hc_arena_strndup(a, x, strlen(x))) == NULL)
            return HC_ENOMEM;
        snprintf(cur, sizeof cur, "%s\n", x); /* past every key of x: '\n' follows '\t' */
    }
    *out = names;
    *n = got;
    return rc == HC_ENOENT ? HC_OK : rc;
}

/* One statement reads the whole population in one snapshot. */
static int pg_public_export(struct hc_store *st, const struct store_public_query *q,
                            store_public_row_cb cb, void *ctx)
{
    struct store_pg *s = pgs(st);
    struct store_public_query all = *q;
    struct store_public_row row;
    struct pg_params p;
    struct hc_arena a;
    PGresult *r;
    char *mem;
    int rc, i;

    all.dob = all.facility = all.custody_status = NULL;
    param_population(&p, s, &all);
    if ((mem = malloc(1 << 16)) == NULL)
        return HC_ENOMEM;
    if ((r = run(s, S_EXPORT, &p, &rc)) == NULL) {
        free(mem);
        return rc;
    }
    for (i = 0; rc == HC_OK && i < PQntuples(r); i++) {
        hc_arena_init(&a, mem, 1 << 16);
        if ((rc = fill_row(r, i, &a, &row)) == HC_OK)
            rc = cb(ctx, &row); /* the callback's own value, as the contract says */
    }
    PQclear(r);
    free(mem);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The status line                                                                            */

/* Columns of S_STATUS. */
static const struct sf_field status_cols[] = {
    SF_FIELD(struct store_facility_status, facility, SF_STR, SF_COL),
    SF_FIELD(struct store_facility_status, changed_at, SF_STR, SF_COL),
};
static const struct sf_record status_rec = SF_RECORD(struct store_facility_status, status_cols);

static int pg_public_status(struct hc_store *st, struct hc_arena *a,
                            struct store_facility_status **out, size_t *n, const char **overall)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    void *arr = NULL;
    size_t i;
    int rc;
    params_agency(&p, s);
    rc = pg_read_recs(s, slot(S_STATUS), stmt_sql[S_STATUS], &p, a, &status_rec, &arr, n);
    if (rc != HC_OK)
        return rc;
    *out = arr;
    *overall = NULL;
    for (i = 0; i < *n; i++)
        if (*overall == NULL || strcmp((*out)[i].changed_at, *overall) > 0)
            *overall = (*out)[i].changed_at;
    return HC_OK;
}

static int pg_facility_touch(struct hc_store *st, const char *facility, const char *at)
{
    struct pg_params p = {0};
    pg_param_str(&p, facility);
    pg_param_str(&p, at);
    return exec(pgs(st), S_FACILITY_TOUCH, &p, NULL, NULL);
}

/* Touch every facility the rows of statement id (facility, max id) after id `from` name;
 * *seen gets the largest id (from when none). */
static int scan_touch(struct store_pg *s, enum stmt_id id, int64_t from, const char *at,
                      int64_t *seen, int *changed)
{
    struct pg_params p;
    PGresult *r;
    int rc, i;
    pg_params_id(&p, from);
    pg_param_i64(&p, s->agency);
    *seen = from;
    if ((r = run(s, id, &p, &rc)) == NULL)
        return rc;
    for (i = 0; rc == HC_OK && i < PQntuples(r); i++) {
        int64_t max = strtoll(PQgetvalue(r, i, 1), NULL, 10);
        if (max > *seen)
            *seen = max;
        if ((rc = pg_facility_touch(&s->base, PQgetvalue(r, i, 0), at)) == HC_OK)
            (*changed)++;
    }
    PQclear(r);
    return rc;
}

static int pg_public_status_scan(struct hc_store *st, int *changed)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    int64_t bseen = 0, cseen = 0, bnew = 0, cnew = 0;
    char at[HC_CLOCK_UTC_LEN];
    PGresult *r;
    int rc;

    *changed = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    now_utc(at);
    params_agency(&p, s);
    if ((r = run(s, S_SCAN_GET, &p, &rc)) != NULL) {
        if (PQntuples(r) == 1) {
            bseen = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
            cseen = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
        }
        PQclear(r);
    }
    if (rc == HC_OK)
        rc = scan_touch(s, S_SCAN_BOOKINGS, bseen, at, &bnew, changed);
    if (rc == HC_OK)
        rc = scan_touch(s, S_SCAN_CHARGES, cseen, at, &cnew, changed);
    if (rc == HC_OK && (bnew != bseen || cnew != cseen)) {
        pg_params_id(&p, bnew);
        pg_param_i64(&p, cnew);
        rc = exec(s, S_SCAN_SET, &p, NULL, NULL);
    }
    return pg_tx_leave(s, rc);
}

static int pg_namekey_backfill(struct hc_store *st, int64_t *filled)
{
    struct store_pg *s = pgs(st);
    *filled = 0;
    for (;;) {
        struct pg_params p;
        PGresult *r;
        int rc, i, rows = 0;
        if ((rc = store_begin(st)) != HC_OK)
            return rc;
        params_agency(&p, s);
        if ((r = run(s, S_BACKFILL_GET, &p, &rc)) != NULL) {
            rows = PQntuples(r);
            for (i = 0; rc == HC_OK && i < rows; i++) {
                const char *name = PQgetvalue(r, i, 1);
                char key[1024];
                long kn = hc_namekey(name, strlen(name), key, sizeof key);
                p.n = 0;
                /* A name that does not fold (too long) gets "" so it is not read again. */
                pg_param_str(&p, kn < 0 ? "" : key);
                pg_param_str(&p, PQgetvalue(r, i, 0));
                pg_param_i64(&p, s->agency);
                rc = exec(s, S_BACKFILL_SET, &p, NULL, NULL);
            }
            PQclear(r);
        }
        if ((rc = pg_tx_leave(s, rc)) != HC_OK)
            return rc;
        *filled += rows;
        if (rows == 0)
            return HC_OK;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Events and their deliveries, written in the transaction of the change that raises them     */

/* Insert an event; *event_id gets its id, or 0 when its dedupe key was taken. */
static int insert_event(struct store_pg *s, int64_t booking_id, const char *kind,
                        const char *data, const char *at, const char *dedupe, int64_t *event_id)
{
    struct pg_params p;
    PGresult *r;
    int rc;
    pg_params_id(&p, booking_id);
    pg_param_str(&p, kind);
    pg_param_str(&p, data);
    pg_param_str(&p, at);
    pg_param_str(&p, dedupe);
    *event_id = 0;
    if ((r = run(s, S_EVENT_INSERT, &p, &rc)) == NULL)
        return rc; /* HC_ENOENT: no such booking of this agency */
    if (PQntuples(r) == 1) /* none: DO NOTHING, the dedupe key was taken */
        *event_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return HC_OK;
}

static int pg_event_add(struct hc_store *st, int64_t booking_id, const char *kind,
                        const char *data, const char *at, const char *dedupe, int64_t *event_id)
{
    return insert_event(pgs(st), booking_id, kind, data, at, dedupe, event_id);
}

static int pg_event_deliver(struct hc_store *st, int64_t event_id, int64_t booking_id,
                            unsigned evt, const char *at, const char *follow_since,
                            int64_t *queued)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    int64_t n = 0;
    int rc;
    pg_params_id(&p, event_id);
    pg_param_str(&p, at);
    pg_param_i64(&p, booking_id);
    pg_param_i64(&p, evt);
    pg_param_str(&p, follow_since);
    pg_param_i64(&p, s->agency);
    if ((rc = exec(s, S_DELIVER_TO_SUBSCRIBERS, &p, &n, NULL)) == HC_OK)
        *queued += n;
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Subscriptions                                                                              */

/* Queue one delivery of event eid to subscription sid, due at `at`; *id (may be NULL) gets
 * it. */
static int queue_one(struct store_pg *s, int64_t eid, int64_t sid, const char *at, int64_t *id)
{
    struct pg_params p;
    int64_t got = 0;
    int rc;
    pg_params_id(&p, eid);
    pg_param_i64(&p, sid);
    pg_param_str(&p, at);
    rc = exec(s, S_DELIVERY_ONE, &p, NULL, &got);
    if (id != NULL)
        *id = got;
    return rc;
}

/* The one count statement id returns for p into *n. */
static int count(struct store_pg *s, enum stmt_id id, const struct pg_params *p, int64_t *n)
{
    return exec(s, id, p, NULL, n);
}

/* Whether a new subscription sub of booking bid keeps the caller's limits: HC_OK; HC_ENOSPC
 * past the target's; HC_ERANGE past the booking's pending ones; or an error. */
static int new_within_limits(struct store_pg *s, const struct store_subscription *sub,
                             int64_t bid)
{
    struct pg_params p = {0};
    int64_t n = 0;
    int rc;
    if (sub->max_per_target > 0) {
        pg_param_str(&p, sub->target);
        pg_param_str(&p, sub->channel);
        pg_param_i64(&p, s->agency);
        if ((rc = count(s, S_SUB_COUNT_TARGET, &p, &n)) != HC_OK)
            return rc;
        if (n >= sub->max_per_target)
            return HC_ENOSPC;
    }
    if (sub->max_pending_per_booking > 0) {
        pg_params_id(&p, bid);
        pg_param_i64(&p, s->agency);
        if ((rc = count(s, S_SUB_COUNT_PENDING, &p, &n)) != HC_OK)
            return rc;
        if (n >= sub->max_pending_per_booking)
            return HC_ERANGE;
    }
    return HC_OK;
}

/* Parameters of the terms a request sets, in S_SUB_INSERT's and S_SUB_REFRESH's order. */
static void param_terms(struct pg_params *p, const struct store_subscription *sub)
{
    pg_param_i64(p, sub->events);
    pg_param_i64(p, sub->advance_days);
    pg_param_str(p, sub->lang);
    pg_param_str(p, sub->secret);
    pg_param_str(p, sub->confirm_token);
}

/* The booking id of number no of this agency: HC_ENOENT when none. */
static int booking_id(struct store_pg *s, const char *no, int64_t *id)
{
    struct pg_params p = {0};
    pg_param_str(&p, no);
    pg_param_i64(&p, s->agency);
    return exec(s, S_BOOKING_ID, &p, NULL, id);
}

/* The live subscription of sub's booking bid, channel and target: *sid and state ("" when
 * none). */
static int find_live(struct store_pg *s, const struct store_subscription *sub, int64_t bid,
                     int64_t *sid, char state[16])
{
    struct pg_params p;
    PGresult *r;
    int rc;
    pg_params_id(&p, bid);
    pg_param_str(&p, sub->channel);
    pg_param_str(&p, sub->target);
    pg_param_i64(&p, s->agency);
    state[0] = '\0';
    if ((r = run(s, S_SUB_FIND, &p, &rc)) == NULL)
        return rc;
    if (PQntuples(r) == 1) {
        *sid = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        snprintf(state, 16, "%s", PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return HC_OK;
}

/* Write (sid 0) or renew pending subscription sid for sub of booking bid at `at`; *sid gets
 * the row. */
static int write_pending(struct store_pg *s, const struct store_subscription *sub, int64_t bid,
                         const char *at, int64_t *sid)
{
    struct pg_params p = {0};
    int rc;
    if (*sid != 0) { /* the newest request wins; earlier confirmation messages are withdrawn */
        param_terms(&p, sub);
        pg_param_str(&p, at);
        pg_param_i64(&p, *sid);
        pg_param_i64(&p, s->agency);
        if ((rc = exec(s, S_SUB_REFRESH, &p, NULL, NULL)) != HC_OK)
            return rc;
        return exec_id(s, S_SUB_CANCEL_CONFIRMS, *sid, NULL);
    }
    pg_param_i64(&p, bid);
    pg_param_str(&p, sub->channel);
    pg_param_str(&p, sub->target);
    param_terms(&p, sub);
    pg_param_str(&p, sub->unsubscribe_token);
    pg_param_str(&p, at);
    return exec(s, S_SUB_INSERT, &p, NULL, sid);
}

static int pg_subscription_add(struct hc_store *st, const struct store_subscription *sub,
                               int64_t *delivery_id)
{
    struct store_pg *s = pgs(st);
    int64_t bid = 0, sid = 0, eid = 0;
    char at[HC_CLOCK_UTC_LEN], state[16];
    int rc;

    *delivery_id = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    now_utc(at);
    if ((rc = booking_id(s, sub->booking_no, &bid)) == HC_OK)
        rc = find_live(s, sub, bid, &sid, state);
    if (rc != HC_OK)
        return pg_tx_leave(s, rc);
    if (strcmp(state, "confirmed") == 0) {
        /* Recorded all the same, so that it commits as a new one does: neither the answer nor
         * its time tells whether the address had subscribed. */
        rc = audit(st, "public", "subscription.repeat", sub->booking_no,
                   json_pack("{s:I, s:s, s:s}", "subscription", (json_int_t)sid, "booking_no",
                             sub->booking_no, "channel", sub->channel));
        return pg_tx_leave(s, rc);
    }
    if (sid == 0 && (rc = new_within_limits(s, sub, bid)) != HC_OK) {
        if (rc == HC_ENOSPC) /* the target's limit: recorded as a repeat is, nothing else */
            rc = audit(st, "public", "subscription.refused", sub->booking_no,
                       json_pack("{s:s, s:s, s:s}", "booking_no", sub->booking_no, "channel",
                                 sub->channel, "reason", "the target's limit"));
        return pg_tx_leave(s, rc);
    }
    if ((rc = write_pending(s, sub, bid, at, &sid)) == HC_OK)
        rc = insert_event(s, bid, "confirm", "{}", at, NULL, &eid);
    if (rc == HC_OK)
        rc = queue_one(s, eid, sid, at, delivery_id);
    /* The audit entry never holds the target (PC 679.03): the subscription's number only. */
    if (rc == HC_OK)
        rc = audit(st, "public", "subscription.create", sub->booking_no,
                   json_pack("{s:I, s:s, s:s, s:i}", "subscription", (json_int_t)sid,
                             "booking_no", sub->booking_no, "channel", sub->channel, "events",
                             (int)sub->events));
    if (rc != HC_OK)
        *delivery_id = 0;
    return pg_tx_leave(s, rc);
}

/* Columns of S_SUB_BY_CONFIRM but the creation time (column 2, read apart). */
static const struct sf_field sub_info_cols[] = {
    SF_FIELD(struct store_subscription_info, id, SF_I64, SF_COL),
    SF_FIELD(struct store_subscription_info, state, SF_STR, SF_COL),
};
static const struct sf_field sub_info_tail[] = {
    SF_FIELD(struct store_subscription_info, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_subscription_info, events, SF_UINT, SF_COL),
    SF_FIELD(struct store_subscription_info, advance_days, SF_INT, SF_COL),
};
static const struct sf_record sub_info_rec = SF_RECORD(struct store_subscription_info,
                                                       sub_info_cols);
static const struct sf_record sub_info_tail_rec = SF_RECORD(struct store_subscription_info,
                                                            sub_info_tail);

/* The subscription of confirmation token token, locked, into *info, and its creation time
 * (in a). HC_ENOENT when none. */
static int sub_by_confirm(struct store_pg *s, const char *token, struct hc_arena *a,
                          struct store_subscription_info *info, const char **created)
{
    struct pg_params p = {0};
    PGresult *r;
    int rc, oom = 0;
    pg_param_str(&p, token);
    pg_param_i64(&p, s->agency);
    if ((r = run(s, S_SUB_BY_CONFIRM, &p, &rc)) == NULL)
        return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return HC_ENOENT;
    }
    memset(info, 0, sizeof *info);
    pg_fill_fields(r, 0, 0, a, info, &sub_info_rec, &oom);
    *created = hc_arena_strndup(a, PQgetvalue(r, 0, 2), (size_t)PQgetlength(r, 0, 2));
    pg_fill_fields(r, 0, 3, a, info, &sub_info_tail_rec, &oom);
    PQclear(r);
    return oom || *created == NULL ? HC_ENOMEM : HC_OK;
}

static int pg_subscription_confirm(struct hc_store *st, const char *token,
                                   const char *created_after, struct hc_arena *a,
                                   struct store_subscription_info *out)
{
    struct store_pg *s = pgs(st);
    struct store_subscription_info info;
    struct pg_params p = {0};
    const char *created = NULL;
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    if ((rc = sub_by_confirm(s, token, a, &info, &created)) != HC_OK)
        return pg_tx_leave(s, rc);
    if (info.state != NULL && strcmp(info.state, "confirmed") == 0) {
        *out = info;
        return pg_tx_leave(s, HC_OK);
    }
    if (info.state == NULL || strcmp(info.state, "pending") != 0 ||
        strcmp(created, created_after) <= 0)
        return pg_tx_leave(s, HC_ENOENT);
    now_utc(at);
    pg_param_str(&p, at);
    pg_param_i64(&p, info.id);
    pg_param_i64(&p, s->agency);
    rc = exec(s, S_SUB_CONFIRM, &p, NULL, NULL);
    if (rc == HC_OK)
        rc = audit(st, "public", "subscription.confirm", info.booking_no,
                   json_pack("{s:I, s:s, s:s}", "subscription", (json_int_t)info.id,
                             "booking_no", info.booking_no, "via", "link"));
    if (rc == HC_OK) {
        info.state = "confirmed";
        *out = info;
    }
    return pg_tx_leave(s, rc);
}

static int pg_subscription_unsubscribe(struct hc_store *st, const char *token,
                                       int64_t *cancelled)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN];
    int64_t sid = 0;
    int ended = 0;
    PGresult *r;
    int rc;

    *cancelled = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_str(&p, token);
    pg_param_i64(&p, s->agency);
    if ((r = run(s, S_SUB_BY_UNSUB, &p, &rc)) == NULL)
        return pg_tx_leave(s, rc);
    if (PQntuples(r) == 1) {
        sid = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        ended = strcmp(PQgetvalue(r, 0, 1), "unsubscribed") == 0;
    } else {
        rc = HC_ENOENT;
    }
    PQclear(r);
    if (rc != HC_OK || ended) /* an ended one: nothing to do, as its first ending did */
        return pg_tx_leave(s, rc);
    now_utc(at);
    p.n = 0;
    pg_param_str(&p, at);
    pg_param_i64(&p, sid);
    pg_param_i64(&p, s->agency);
    if ((rc = exec(s, S_SUB_END, &p, NULL, NULL)) == HC_OK)
        rc = exec_id(s, S_SUB_CANCEL_ALL, sid, cancelled);
    if (rc == HC_OK)
        rc = audit(st, "public", "subscription.end", "subscription",
                   json_pack("{s:I, s:I}", "subscription", (json_int_t)sid,
                             "cancelled_deliveries", (json_int_t)*cancelled));
    return pg_tx_leave(s, rc);
}

static int pg_subscription_purge(struct hc_store *st, const char *created_before,
                                 int64_t *removed)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    int rc;

    *removed = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_str(&p, created_before);
    pg_param_i64(&p, s->agency);
    if ((rc = exec(s, S_PURGE_DELIVERIES, &p, NULL, NULL)) == HC_OK)
        rc = exec(s, S_PURGE_SUBS, &p, removed, NULL);
    if (rc == HC_OK && *removed > 0)
        rc = audit(st, "system", "subscription.purge", "subscription",
                   json_pack("{s:I, s:s}", "subscriptions", (json_int_t)*removed,
                             "created_before", created_before));
    if (rc != HC_OK)
        *removed = 0;
    return pg_tx_leave(s, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* The delivery queue. Bookkeeping only: deliveries are not audited (the events and the
 * subscriptions are).                                                                        */

static int pg_delivery_requeue(struct hc_store *st, int64_t *n)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    int rc;
    params_agency(&p, s);
    rc = exec(s, S_REQUEUE, &p, n, NULL);
    return rc == HC_OK ? pg_sms_requeue(s) : rc;
}

/* Columns of S_JOB. */
static const struct sf_field job_cols[] = {
    SF_FIELD(struct store_delivery_job, id, SF_I64, SF_COL),
    SF_FIELD(struct store_delivery_job, event_id, SF_I64, SF_COL),
    SF_FIELD(struct store_delivery_job, subscription_id, SF_I64, SF_COL),
    SF_FIELD(struct store_delivery_job, attempts, SF_INT, SF_COL),
    SF_FIELD(struct store_delivery_job, kind, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, event_data, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, event_at, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, channel, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, target, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, secret, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, lang, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, sub_state, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, confirm_token, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, unsubscribe_token, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_job, person_name, SF_STR, SF_COL),
};
static const struct sf_record job_rec = SF_RECORD(struct store_delivery_job, job_cols);

static int pg_delivery_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                             struct store_delivery_job *out)
{
    struct store_pg *s = pgs(st);
    struct store_delivery_job j;
    struct pg_params p = {0};
    int64_t id = 0;
    int rc;

    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_str(&p, now);
    pg_param_i64(&p, s->agency);
    rc = exec(s, S_DUE_EVENT, &p, NULL, &id);
    if (rc == HC_ENOENT) /* no event's: a confirmation's, if any */
        rc = exec(s, S_DUE, &p, NULL, &id);
    if (rc == HC_OK)
        rc = exec_id(s, S_CLAIM, id, NULL);
    if (rc == HC_OK) {
        pg_params_id(&p, id);
        pg_param_i64(&p, s->agency);
        memset(&j, 0, sizeof j);
        rc = pg_read_rec(s, slot(S_JOB), stmt_sql[S_JOB], &p, a, &job_rec, &j);
        rc = rc == HC_ENOENT ? HC_EIO : rc; /* the row just claimed */
    }
    if (rc == HC_OK)
        *out = j;
    return pg_tx_leave(s, rc);
}

/* The status a delivery's result leaves it in; NULL for no such result. */
static const char *result_status(enum store_delivery_result r)
{
    switch (r) {
    case STORE_DELIVERY_DELIVERED:
    case STORE_DELIVERY_CONFIRMED: return "delivered";
    case STORE_DELIVERY_RETRY: return "pending";
    case STORE_DELIVERY_CANCELLED: return "cancelled";
    case STORE_DELIVERY_FAILED:
    case STORE_DELIVERY_GONE: return "failed";
    }
    return NULL;
}

static int pg_delivery_finish(struct hc_store *st, int64_t id, enum store_delivery_result r,
                              const char *next_attempt_at, const char *error)
{
    struct store_pg *s = pgs(st);
    const char *status = result_status(r);
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN];
    int64_t changed = 0;
    int rc;

    if (status == NULL || (r == STORE_DELIVERY_RETRY && next_attempt_at == NULL))
        return HC_EINVAL;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    now_utc(at);
    pg_param_str(&p, status);
    pg_param_str(&p, r == STORE_DELIVERY_RETRY ? next_attempt_at : NULL);
    pg_param_str(&p, error);
    pg_param_str(&p, strcmp(status, "delivered") == 0 ? at : NULL);
    pg_param_i64(&p, id);
    pg_param_i64(&p, s->agency);
    rc = exec(s, S_FINISH, &p, NULL, NULL);
    if (rc == HC_OK && (r == STORE_DELIVERY_CONFIRMED || r == STORE_DELIVERY_GONE)) {
        int confirm = r == STORE_DELIVERY_CONFIRMED;
        p.n = 0;
        pg_param_str(&p, at);
        pg_param_i64(&p, id);
        pg_param_i64(&p, s->agency);
        rc = exec(s, confirm ? S_SUB_CONFIRM_BY_DELIVERY : S_SUB_END_BY_DELIVERY, &p, &changed,
                  NULL);
        if (rc == HC_OK && changed > 0)
            rc = audit(st, "delivery", confirm ? "subscription.confirm" : "subscription.end",
                       "subscription",
                       json_pack("{s:I, s:s}", "delivery", (json_int_t)id, "via",
                                 confirm ? "webhook challenge" : "webhook answered 410"));
    }
    return pg_tx_leave(s, rc);
}

/* Columns of S_DELIVERY_LIST. */
static const struct sf_field delivery_cols[] = {
    SF_FIELD(struct store_delivery_row, id, SF_I64, SF_COL),
    SF_FIELD(struct store_delivery_row, event_id, SF_I64, SF_COL),
    SF_FIELD(struct store_delivery_row, subscription_id, SF_I64, SF_COL),
    SF_FIELD(struct store_delivery_row, kind, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_row, channel, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_row, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_row, status, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_row, next_attempt_at, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_row, last_error, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_row, delivered_at, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_row, created_at, SF_STR, SF_COL),
    SF_FIELD(struct store_delivery_row, attempts, SF_INT, SF_COL),
};
static const struct sf_record delivery_rec = SF_RECORD(struct store_delivery_row, delivery_cols);

static int pg_delivery_list(struct hc_store *st, const char *status, int64_t after_id, int limit,
                            struct hc_arena *a, struct store_delivery_row **out, size_t *n)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    if (limit < 1 || limit > 500)
        return HC_EINVAL;
    pg_params_id(&p, after_id);
    pg_param_str(&p, status);
    pg_param_i64(&p, limit);
    pg_param_i64(&p, s->agency);
    return pg_read_recs(s, slot(S_DELIVERY_LIST), stmt_sql[S_DELIVERY_LIST], &p, a,
                        &delivery_rec, (void **)out, n);
}

/* The advance notice of subscription sid for booking bid released on date (YYYY-MM-DD), due
 * today: an event once per subscription and date, and its delivery; *queued grows when it is
 * new. */
static int advance_one(struct store_pg *s, int64_t sid, int64_t bid, const char *date,
                       const char *today, const char *at, int64_t *queued)
{
    char dedupe[64], *text;
    long days_before = 0;
    hc_day rel, now;
    int64_t eid = 0;
    json_t *e;
    int rc;

    if (hc_date_parse(date, strlen(date), &rel) == 0 &&
        hc_date_parse(today, strlen(today), &now) == 0)
        days_before = (long)rel - (long)now;
    snprintf(dedupe, sizeof dedupe, "advance:%" PRId64 ":%s", sid, date);
    e = json_pack("{s:s, s:i}", "scheduled_release", date, "days_before", (int)days_before);
    text = e != NULL ? json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(e);
    if (text == NULL)
        return HC_ENOMEM;
    rc = insert_event(s, bid, "advance_notice", text, at, dedupe, &eid);
    free(text);
    if (rc != HC_OK || eid == 0) /* eid 0: sent (or queued) before for this date */
        return rc;
    if ((rc = queue_one(s, eid, sid, at, NULL)) == HC_OK)
        (*queued)++;
    return rc;
}

static int pg_advance_scan(struct hc_store *st, const char *today, const char *follow_since,
                           int64_t *queued)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN];
    PGresult *r;
    int rc, i;

    *queued = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    now_utc(at);
    pg_param_str(&p, today);
    pg_param_i64(&p, s->agency);
    pg_param_str(&p, follow_since);
    if ((r = run(s, S_ADVANCE_DUE, &p, &rc)) == NULL)
        return pg_tx_leave(s, rc);
    for (i = 0; rc == HC_OK && i < PQntuples(r); i++)
        rc = advance_one(s, strtoll(PQgetvalue(r, i, 0), NULL, 10),
                         strtoll(PQgetvalue(r, i, 1), NULL, 10), PQgetvalue(r, i, 2), today, at,
                         queued);
    PQclear(r);
    if (rc != HC_OK)
        *queued = 0;
    return pg_tx_leave(s, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshot records                                                                           */

static int pg_snapshot_put(struct hc_store *st, const struct store_snapshot *snap)
{
    struct pg_params p = {0};
    pg_param_str(&p, snap->date);
    pg_param_str(&p, snap->generated_at);
    pg_param_i64(&p, snap->rows);
    pg_param_i64(&p, snap->fields);
    pg_param_i64(&p, snap->policy_version);
    return exec(pgs(st), S_SNAP_PUT, &p, NULL, NULL);
}

/* Columns of S_SNAP_LIST. */
static const struct sf_field snap_cols[] = {
    SF_FIELD(struct store_snapshot, date, SF_STR, SF_COL),
    SF_FIELD(struct store_snapshot, generated_at, SF_STR, SF_COL),
    SF_FIELD(struct store_snapshot, rows, SF_I64, SF_COL),
    SF_FIELD(struct store_snapshot, fields, SF_UINT, SF_COL),
    SF_FIELD(struct store_snapshot, policy_version, SF_I64, SF_COL),
};
static const struct sf_record snap_rec = SF_RECORD(struct store_snapshot, snap_cols);

static int pg_snapshot_list(struct hc_store *st, struct hc_arena *a, struct store_snapshot **out,
                            size_t *n)
{
    struct store_pg *s = pgs(st);
    struct pg_params p;
    params_agency(&p, s);
    return pg_read_recs(s, slot(S_SNAP_LIST), stmt_sql[S_SNAP_LIST], &p, a, &snap_rec,
                        (void **)out, n);
}

static int pg_snapshot_delete(struct hc_store *st, const char *date)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    pg_param_str(&p, date);
    pg_param_i64(&p, s->agency);
    return exec(s, S_SNAP_DELETE, &p, NULL, NULL);
}

const struct store_public_ops pg_public_ops = {STORE_PUBLIC_OPS(PG_OP)};

/* SPDX-License-Identifier: MIT
 * sqlite_public.c: the SQLite side of the public portal (docs/public.md): the publication
 * policy and the agency flag derived from it, public search and export, the facility status
 * line, events and their deliveries, subscriptions and the delivery queue, advance notices and
 * snapshot records. Statements use slots
 * SQ_X_PUBLIC..SQ_X_PUBLIC+63. Events and deliveries are rows written inside the
 * transaction of the change that raises them (src/app/booking.c), so a restart loses none. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "namekey.h"
#include "sqlite_int.h"

enum px_id {
    PX_POLICY_GET, PX_POLICY_SET, PX_AGENCY_FLAG,
    PX_SEARCH_NAME, PX_SEARCH_NO, PX_SEARCH_ID, PX_EXPORT,
    PX_STATUS, PX_SCAN_GET, PX_SCAN_BOOKINGS, PX_SCAN_CHARGES, PX_SCAN_SET, PX_FACILITY_TOUCH,
    PX_BACKFILL_GET, PX_BACKFILL_SET,
    PX_EVENT_INSERT, PX_DELIVER_TO_SUBSCRIBERS,
    PX_SUB_FIND, PX_SUB_INSERT, PX_SUB_REFRESH, PX_SUB_CANCEL_CONFIRMS,
    PX_DELIVERY_ONE, PX_SUB_BY_CONFIRM, PX_SUB_CONFIRM, PX_SUB_BY_UNSUB, PX_SUB_END,
    PX_SUB_CANCEL_ALL, PX_REQUEUE, PX_DUE, PX_CLAIM, PX_JOB, PX_FINISH, PX_SUB_CONFIRM_BY_DELIVERY,
    PX_SUB_END_BY_DELIVERY, PX_DELIVERY_LIST, PX_ADVANCE_DUE, PX_ADVANCE_EVENT,
    PX_SNAP_PUT, PX_SNAP_LIST, PX_SNAP_DELETE, PX_CURSOR_KEYS, PX_NEXT_KEY,
    PX_DUE_EVENT, PX_PURGE_DELIVERIES, PX_PURGE_SUBS, PX_SUB_COUNT_TARGET, PX_SUB_COUNT_PENDING,
    PX_COUNT
};

_Static_assert(SQ_X_PUBLIC + PX_COUNT <= SQ_X_NOTICE, "this file's statements fit its slots");

/* The population every public answer sees (?90 fields, ?91 released_since): in custody, or
 * released on or after released_since when recently released bookings are published. */
#define POPULATION                                                                                \
    " (b.status = 'in_custody' OR (?90 & 512 <> 0 AND b.status = 'released'"                     \
    " AND substr(b.released_at, 1, 10) >= ?91))"
/* The columns of struct store_public_row; the charges only when published (?90 & 8). */
#define ROW_COLUMNS                                                                               \
    "SELECT b.id, b.booking_no, p.name, p.name_key, p.date_of_birth, b.booked_at, b.facility,"   \
    " b.status, b.scheduled_release, b.released_at, b.next_court_date, b.bail,"                  \
    " CASE WHEN ?90 & 8 <> 0 THEN (SELECT group_concat(x, char(30)) FROM"                        \
    "   (SELECT c.citation || char(31) || c.status AS x FROM charges c"                          \
    "    WHERE c.booking_id = b.id AND c.status <> 'dismissed' ORDER BY c.id)) END"             \
    " FROM bookings b JOIN people p ON p.id = b.person_id"
/* Optional filters: ?92 dob, ?93 facility, ?94 custody status. */
#define FILTERS                                                                                   \
    " AND (?92 IS NULL OR p.date_of_birth = ?92) AND (?93 IS NULL OR b.facility = ?93)"          \
    " AND (?94 IS NULL OR b.status = ?94)"

static const char *const px_sql[PX_COUNT] = {
    [PX_POLICY_GET] = "SELECT p.fields, p.recent_days, p.release_elsewhere, p.version,"
                      " p.updated_at, p.updated_by, a.release_dates_public, a.personal_info_public"
                      " FROM public_policy p, agency_settings a WHERE p.id = 1 AND a.id = 1",
    [PX_POLICY_SET] = "UPDATE public_policy SET fields = ?, recent_days = ?, release_elsewhere = ?,"
                      " version = version + 1, updated_at = ?, updated_by = ? WHERE id = 1",
    [PX_AGENCY_FLAG] = "UPDATE agency_settings SET release_dates_public = ?, updated_at = ?"
                       " WHERE id = 1",
    /* Name order: ?1 lower bound (the greater of the prefix and the cursor's key), ?2 upper
     * bound, ?3 first-name prefix, ?4 has cursor, ?5 cursor key, ?6 cursor person, ?7 cursor
     * booking, ?8 limit. The order (name key, person, booking newest first) follows the
     * people_name_key index and each person's bookings, so a page never sorts more than one
     * person's bookings, however many people share a name. */
    [PX_SEARCH_NAME] = ROW_COLUMNS
                       " WHERE p.name_key >= ?1 AND p.name_key < ?2 AND" POPULATION FILTERS
                       " AND (?3 IS NULL OR substr(p.name_key, instr(p.name_key, char(9)) + 1,"
                       "   length(?3)) = ?3)"
                       " AND (?4 = 0 OR p.name_key > ?5 OR (p.name_key = ?5 AND"
                       "   (p.id > ?6 OR (p.id = ?6 AND b.id < ?7))))"
                       " ORDER BY p.name_key, p.id, b.id DESC LIMIT ?8",
    /* A booking number as written, or else in capitals or in small letters (people type
     * "demo-123" for DEMO-123): three probes of the unique index, never a scan. A stored number
     * in mixed case is found only as written. */
    [PX_SEARCH_NO] = ROW_COLUMNS " WHERE (b.booking_no = ?1 OR (b.booking_no IN (upper(?1),"
                     " lower(?1)) AND NOT EXISTS (SELECT 1 FROM bookings x"
                     " WHERE x.booking_no = ?1))) AND" POPULATION FILTERS
                     " AND (?4 = 0 OR b.id < ?7) ORDER BY b.id DESC LIMIT ?8",
    [PX_SEARCH_ID] = ROW_COLUMNS " WHERE b.id < ?7 AND" POPULATION FILTERS
                     " ORDER BY b.id DESC LIMIT ?8",
    [PX_EXPORT] = ROW_COLUMNS " WHERE" POPULATION " ORDER BY b.id",
    [PX_STATUS] = "SELECT facility, changed_at FROM facility_status ORDER BY facility",
    [PX_SCAN_GET] = "SELECT booking_seen, charge_seen FROM public_scan WHERE id = 1",
    [PX_SCAN_BOOKINGS] = "SELECT facility, max(id) FROM bookings WHERE id > ? GROUP BY facility",
    [PX_SCAN_CHARGES] = "SELECT b.facility, max(c.id) FROM charges c JOIN bookings b"
                        " ON b.id = c.booking_id WHERE c.id > ? GROUP BY b.facility",
    [PX_SCAN_SET] = "UPDATE public_scan SET booking_seen = max(booking_seen, ?),"
                    " charge_seen = max(charge_seen, ?) WHERE id = 1",
    [PX_FACILITY_TOUCH] = "INSERT INTO facility_status (facility, changed_at) VALUES (?, ?)"
                          " ON CONFLICT (facility) DO UPDATE SET changed_at = excluded.changed_at",
    [PX_BACKFILL_GET] = "SELECT id, name FROM people WHERE name_key IS NULL LIMIT 2000",
    [PX_BACKFILL_SET] = "UPDATE people SET name_key = ? WHERE id = ?",
    [PX_EVENT_INSERT] = "INSERT INTO public_events (booking_id, kind, data, created_at, dedupe)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe) DO NOTHING",
    /* The booking's subscriptions, then (?5 not NULL) those of the person's earlier bookings
     * confirmed since ?5: each an index lookup (subscriptions_booking, bookings_person). Times
     * compare as text: confirmed_at and ?5 are both the store's "YYYY-MM-DDTHH:MM:SSZ". */
    [PX_DELIVER_TO_SUBSCRIBERS] = "INSERT INTO deliveries (event_id, subscription_id, status,"
                                  " next_attempt_at, created_at)"
                                  " SELECT ?1, id, 'pending', ?2, ?2 FROM subscriptions"
                                  " WHERE booking_id = ?3 AND state = 'confirmed'"
                                  " AND events & ?4 <> 0"
                                  " UNION ALL SELECT ?1, s.id, 'pending', ?2, ?2"
                                  " FROM bookings b1 JOIN bookings b2"
                                  " ON b2.person_id = b1.person_id AND b2.id < b1.id"
                                  " JOIN subscriptions s ON s.booking_id = b2.id"
                                  " WHERE ?5 IS NOT NULL AND b1.id = ?3"
                                  " AND s.state = 'confirmed' AND s.events & ?4 <> 0"
                                  " AND s.confirmed_at >= ?5",
    [PX_SUB_FIND] = "SELECT id, state FROM subscriptions WHERE booking_id = ? AND channel = ?"
                    " AND target = ? AND state <> 'unsubscribed' ORDER BY id DESC LIMIT 1",
    [PX_SUB_INSERT] = "INSERT INTO subscriptions (booking_id, channel, target, events,"
                      " advance_days, lang, secret, confirm_token, unsubscribe_token, state,"
                      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
    [PX_SUB_REFRESH] = "UPDATE subscriptions SET events = ?, advance_days = ?, lang = ?,"
                       " secret = ?, confirm_token = ?, created_at = ? WHERE id = ?",
    [PX_SUB_CANCEL_CONFIRMS] = "UPDATE deliveries SET status = 'cancelled',"
                               " last_error = 'superseded by a newer confirmation'"
                               " WHERE subscription_id = ? AND status = 'pending'",
    [PX_DELIVERY_ONE] = "INSERT INTO deliveries (event_id, subscription_id, status,"
                        " next_attempt_at, created_at) VALUES (?1, ?2, 'pending', ?3, ?3)",
    [PX_SUB_BY_CONFIRM] = "SELECT s.id, s.state, s.created_at, b.booking_no, s.events,"
                          " s.advance_days FROM subscriptions s JOIN bookings b"
                          " ON b.id = s.booking_id WHERE s.confirm_token = ?",
    [PX_SUB_CONFIRM] = "UPDATE subscriptions SET state = 'confirmed', confirmed_at = ?"
                       " WHERE id = ? AND state = 'pending'",
    [PX_SUB_BY_UNSUB] = "SELECT id, state FROM subscriptions WHERE unsubscribe_token = ?",
    [PX_SUB_END] = "UPDATE subscriptions SET state = 'unsubscribed', ended_at = ?"
                   " WHERE id = ? AND state <> 'unsubscribed'",
    [PX_SUB_CANCEL_ALL] = "UPDATE deliveries SET status = 'cancelled', last_error = 'unsubscribed'"
                          " WHERE subscription_id = ? AND status = 'pending'",
    [PX_REQUEUE] = "UPDATE deliveries SET status = 'pending' WHERE status = 'sending'",
    [PX_DUE] = "SELECT id FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?"
               " ORDER BY next_attempt_at, id LIMIT 1",
    /* PX_DUE without the confirmations: it walks the due rows of deliveries_due in order
     * until one is an event's, so a backlog of confirmations costs a look-up each. */
    [PX_DUE_EVENT] = "SELECT d.id FROM deliveries d JOIN public_events e ON e.id = d.event_id"
                     " WHERE d.status = 'pending' AND d.next_attempt_at <= ?1"
                     " AND e.kind <> 'confirm' ORDER BY d.next_attempt_at, d.id LIMIT 1",
    [PX_PURGE_DELIVERIES] = "DELETE FROM deliveries WHERE subscription_id IN (SELECT id FROM"
                            " subscriptions WHERE state = 'pending' AND created_at < ?1)",
    [PX_SUB_COUNT_TARGET] = "SELECT count(*) FROM subscriptions WHERE target = ?1 AND channel = ?2"
                            " AND state IN ('pending', 'confirmed')",
    [PX_SUB_COUNT_PENDING] = "SELECT count(*) FROM subscriptions WHERE booking_id = ?1"
                             " AND state = 'pending'",
    [PX_PURGE_SUBS] = "DELETE FROM subscriptions WHERE state = 'pending' AND created_at < ?1",
    [PX_CLAIM] = "UPDATE deliveries SET status = 'sending', attempts = attempts + 1"
                 " WHERE id = ? AND status = 'pending'",
    [PX_JOB] = "SELECT d.id, d.event_id, d.subscription_id, d.attempts, e.kind, e.data,"
               " e.created_at, b.booking_no, s.channel, s.target, s.secret, s.lang, s.state,"
               " s.confirm_token, s.unsubscribe_token, p.name FROM deliveries d"
               " JOIN public_events e ON e.id = d.event_id"
               " JOIN subscriptions s ON s.id = d.subscription_id"
               " JOIN bookings b ON b.id = e.booking_id"
               " JOIN people p ON p.id = b.person_id WHERE d.id = ?",
    [PX_FINISH] = "UPDATE deliveries SET status = ?, next_attempt_at = coalesce(?, next_attempt_at),"
                  " last_error = ?, delivered_at = ? WHERE id = ?",
    [PX_SUB_CONFIRM_BY_DELIVERY] = "UPDATE subscriptions SET state = 'confirmed', confirmed_at = ?"
                                   " WHERE state = 'pending' AND id ="
                                   " (SELECT subscription_id FROM deliveries WHERE id = ?)",
    [PX_SUB_END_BY_DELIVERY] = "UPDATE subscriptions SET state = 'unsubscribed', ended_at = ?"
                               " WHERE state <> 'unsubscribed' AND id ="
                               " (SELECT subscription_id FROM deliveries WHERE id = ?)",
    [PX_DELIVERY_LIST] = "SELECT d.id, d.event_id, d.subscription_id, e.kind, s.channel,"
                         " b.booking_no, d.status, d.next_attempt_at, d.last_error,"
                         " d.delivered_at, d.created_at, d.attempts FROM deliveries d"
                         " JOIN public_events e ON e.id = d.event_id"
                         " JOIN subscriptions s ON s.id = d.subscription_id"
                         " JOIN bookings b ON b.id = e.booking_id"
                         " WHERE d.id > ? AND (?2 IS NULL OR d.status = ?2) ORDER BY d.id LIMIT ?3",
    /* Advance notices due today (?1): release date within advance_days, not yet passed; for
     * the subscriptions of the booking, and, when ?2 is not NULL, for those of the same
     * person's earlier bookings confirmed at or after ?2 (subscriptions that follow the
     * person, as PX_DELIVER_TO_SUBSCRIBERS). */
    [PX_ADVANCE_DUE] = "SELECT s.id, b.id, substr(b.scheduled_release, 1, 10), s.advance_days"
                       " FROM bookings b JOIN subscriptions s ON s.booking_id = b.id"
                       "   OR (?2 IS NOT NULL AND s.confirmed_at >= ?2 AND s.booking_id IN"
                       "     (SELECT e.id FROM bookings e"
                       "      WHERE e.person_id = b.person_id AND e.id < b.id))"
                       " WHERE b.status = 'in_custody' AND b.scheduled_release IS NOT NULL"
                       " AND substr(b.scheduled_release, 1, 10) >= ?1"
                       " AND s.state = 'confirmed' AND s.events & 8 <> 0"
                       " AND date(substr(b.scheduled_release, 1, 10),"
                       "   '-' || s.advance_days || ' days') <= ?1",
    [PX_ADVANCE_EVENT] = "SELECT id FROM public_events WHERE dedupe = ?",
    [PX_SNAP_PUT] = "INSERT OR REPLACE INTO public_snapshots (date, generated_at, rows, fields,"
                    " policy_version) VALUES (?, ?, ?, ?, ?)",
    [PX_SNAP_LIST] = "SELECT date, generated_at, rows, fields, policy_version"
                     " FROM public_snapshots ORDER BY date DESC",
    [PX_SNAP_DELETE] = "DELETE FROM public_snapshots WHERE date = ?",
    [PX_NEXT_KEY] = "SELECT name_key FROM people WHERE name_key >= ?1 AND name_key < ?2"
                    " ORDER BY name_key LIMIT 1",
    [PX_CURSOR_KEYS] = "SELECT p.name_key, p.id FROM bookings b JOIN people p"
                       " ON p.id = b.person_id WHERE b.id = ?",
};

static sqlite3_stmt *px(struct store_sqlite *s, enum px_id id)
{
    return sq_xstmt(s, SQ_X_PUBLIC + (int)id, px_sql[id]);
}

void sq_bind_namekey(sqlite3_stmt *q, int i, const char *name)
{
    char key[1024];
    long n = name != NULL ? hc_namekey(name, strlen(name), key, sizeof key) : -1;
    if (n < 0)
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_text(q, i, key, (int)n, SQLITE_TRANSIENT);
}

/* Whether two nullable strings differ. */
/* ------------------------------------------------------------------------------------------ */
/* Publication policy                                                                         */

/* The policy's fields (read inside the caller's transaction). */
static int policy_fields(struct store_sqlite *s, unsigned *fields)
{
    sqlite3_stmt *q = px(s, PX_POLICY_GET);
    int rc;
    if (q == NULL)
        return HC_EIO;
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *fields = (unsigned)sqlite3_column_int(q, 0);
    rc = rc == SQLITE_ROW ? HC_OK : rc == SQLITE_DONE ? HC_EIO : sq_map_rc(s, rc);
    sqlite3_reset(q);
    return rc;
}

static int sq_public_policy_fields(struct hc_store *st, unsigned *fields)
{
    return policy_fields(sq(st), fields);
}

/* Columns of PX_POLICY_GET. */
static const struct sf_field policy_fields_cols[] = {
    SF_FIELD(struct store_public_policy, fields, SF_UINT, SF_COL),
    SF_FIELD(struct store_public_policy, recent_days, SF_INT, SF_COL),
    SF_FIELD(struct store_public_policy, release_elsewhere, SF_INT, SF_COL),
    SF_FIELD(struct store_public_policy, version, SF_I64, SF_COL),
    SF_FIELD(struct store_public_policy, updated_at, SF_STR, SF_COL),
    SF_FIELD(struct store_public_policy, updated_by, SF_STR, SF_COL),
    SF_FIELD(struct store_public_policy, release_dates_public, SF_INT, SF_COL),
    SF_FIELD(struct store_public_policy, personal_info_public, SF_INT, SF_COL),
};
static const struct sf_record policy_rec = SF_RECORD(struct store_public_policy,
                                                     policy_fields_cols);

static int sq_public_policy_get(struct hc_store *st, struct hc_arena *a,
                                struct store_public_policy *out)
{
    struct store_sqlite *s = sq(st);
    int rc = sq_read_rec(s, px(s, PX_POLICY_GET), a, &policy_rec, out);
    /* The policy's one row is there from migration 4 on: without it the database is broken. */
    return rc == HC_ENOENT ? HC_EIO : rc;
}

static int sq_public_policy_set(struct hc_store *st, const struct store_public_policy *p,
                                const char *actor)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    char at[HC_CLOCK_UTC_LEN];
    json_t *pl;
    int rc;

    if ((p->fields & ~STORE_PUB_ALL) != 0 || p->recent_days < 1 || p->recent_days > 90)
        return HC_EINVAL;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    sq_now_utc(at);
    if ((q = px(s, PX_POLICY_SET)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sqlite3_bind_int(q, 1, (int)p->fields);
    sqlite3_bind_int(q, 2, p->recent_days);
    sqlite3_bind_int(q, 3, p->release_elsewhere != 0);
    sq_bind_str(q, 4, at);
    sq_bind_str(q, 5, actor);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    /* The flag the engine reads: release dates are public when the portal publishes them or
     * the agency publishes them elsewhere. The triggers of migration 4 keep release_elsewhere
     * as it is for this value. */
    if ((q = px(s, PX_AGENCY_FLAG)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sqlite3_bind_int(q, 1, (p->fields & STORE_PUB_SCHEDULED_RELEASE) != 0 || p->release_elsewhere);
    sq_bind_str(q, 2, at);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    pl = json_object();
    json_object_set_new(pl, "fields", json_integer(p->fields));
    json_object_set_new(pl, "recent_days", json_integer(p->recent_days));
    json_object_set_new(pl, "release_elsewhere", json_boolean(p->release_elsewhere));
    json_object_set_new(pl, "release_dates_public",
                        json_boolean((p->fields & STORE_PUB_SCHEDULED_RELEASE) != 0 ||
                                     p->release_elsewhere));
    rc = sq_audit_write(s, actor, "publication.update", "public_policy", pl);
    json_decref(pl);
out:
    return sq_tx_leave(s, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Public search and export                                                                   */

/* Split "cit\x1fstatus\x1e..." into charges in a. */
static int parse_charges(const char *t, struct hc_arena *a, struct store_public_row *r)
{
    size_t n = 1, i = 0;
    const char *p;
    if (t == NULL || *t == '\0')
        return HC_OK;
    for (p = t; *p; p++)
        n += *p == '\x1e';
    r->charges = hc_arena_zalloc(a, n * sizeof *r->charges);
    if (r->charges == NULL)
        return HC_ENOMEM;
    p = t;
    while (i < n) {
        const char *end = strchr(p, '\x1e'), *us;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        us = memchr(p, '\x1f', len);
        if (us != NULL) {
            r->charges[i].citation = hc_arena_strndup(a, p, (size_t)(us - p));
            r->charges[i].status = hc_arena_strndup(a, us + 1, len - (size_t)(us - p) - 1);
            if (r->charges[i].citation == NULL || r->charges[i].status == NULL)
                return HC_ENOMEM;
            i++;
        } else {
            n--;
        }
        if (end == NULL)
            break;
        p = end + 1;
    }
    r->ncharges = i;
    return HC_OK;
}

/* Columns 0-10 of a public row; 11 is the bail (NULL: none set), 12 the charges. */
static const struct sf_field public_row_fields[] = {
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
                                                         public_row_fields);

static void fill_row(sqlite3_stmt *q, struct hc_arena *a, void *el, int *oom)
{
    struct store_public_row *r = el;
    int i;
    memset(r, 0, sizeof *r);
    i = sq_fill_fields(q, 0, a, r, &public_row_rec, oom);
    r->has_bail = sqlite3_column_type(q, i) != SQLITE_NULL;
    r->bail = sqlite3_column_int64(q, i);
    if (parse_charges((const char *)sqlite3_column_text(q, i + 1), a, r) != HC_OK)
        *oom = 1;
}

/* Bind the population and the filters shared by every public statement. */
static void bind_population(sqlite3_stmt *q, const struct store_public_query *pq)
{
    sqlite3_bind_int(q, 90, (int)pq->fields);
    sq_bind_str(q, 91, pq->released_since ? pq->released_since : "9999-12-31");
    sq_bind_str(q, 92, pq->dob);
    sq_bind_str(q, 93, pq->facility);
    sq_bind_str(q, 94, pq->custody_status);
}

/* The rows of one name-key range [lo, hi) (the first-name filter first, or NULL), after the
 * cursor (after_key, after_person, pq->after_id when pq->has_after), at most limit of them. */
static int search_range(struct store_sqlite *s, const struct store_public_query *pq,
                        const char *lo, const char *hi, const char *first, const char *after_key,
                        int64_t after_person, int limit, struct hc_arena *a,
                        struct store_public_row **out, size_t *n)
{
    sqlite3_stmt *q = px(s, PX_SEARCH_NAME);
    void *arr = NULL;
    int rc;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_text(q, 1, lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, hi, -1, SQLITE_TRANSIENT);
    sq_bind_str(q, 3, first);
    sqlite3_bind_int(q, 4, pq->has_after);
    sqlite3_bind_text(q, 5, after_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 6, after_person);
    sqlite3_bind_int64(q, 7, pq->after_id);
    bind_population(q, pq);
    sqlite3_bind_int(q, 8, limit);
    rc = sq_read_rows(s, q, a, sizeof(struct store_public_row), fill_row, &arr, n);
    if (rc == HC_OK)
        *out = arr;
    return rc;
}

/* A last-name prefix with a first-name prefix: one index range per last name that has the
 * prefix ("gonzalez", "gonzalez smith", ...), each narrowed to LAST\tFIRST.., in key order, so
 * rows of other first names are never read: one index seek per distinct last name, at most
 * pq->max_names of them (a one-letter prefix can have a hundred thousand). */
/* The first last name (the part of a key before HC_NAMEKEY_SEP) of a people.name_key in
 * [cur, hi), into x (xn bytes). HC_ENOENT when there is none (or it does not fit x). */
static int next_last_name(struct store_sqlite *s, const char *cur, const char *hi, char *x,
                          size_t xn)
{
    sqlite3_stmt *q = px(s, PX_NEXT_KEY);
    const char *k, *tab;
    size_t xl;
    int rc;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_text(q, 1, cur, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, hi, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(q);
        return rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
    }
    k = (const char *)sqlite3_column_text(q, 0);
    tab = k ? strchr(k, HC_NAMEKEY_SEP) : NULL;
    xl = k == NULL ? 0 : tab ? (size_t)(tab - k) : strlen(k);
    if (k == NULL || xl >= xn - 2) {
        sqlite3_reset(q);
        return HC_ENOENT;
    }
    memcpy(x, k, xl);
    x[xl] = '\0';
    sqlite3_reset(q);
    return HC_OK;
}

static int search_first(struct store_sqlite *s, const struct store_public_query *pq,
                        const char *lo, const char *hi, const char *after_key,
                        int64_t after_person, struct hc_arena *a, struct store_public_row **out,
                        size_t *n)
{
    struct store_public_row *acc = NULL;
    size_t nacc = 0, cap = (size_t)pq->limit;
    char cur[540], x[520], slo[1100], shi[1100];
    int hops, rc = HC_OK;

    acc = hc_arena_alloc(a, cap * sizeof *acc);
    if (acc == NULL)
        return HC_ENOMEM;
    snprintf(cur, sizeof cur, "%s", lo);
    for (hops = 0; nacc < cap; hops++) {
        struct store_public_row *seg = NULL;
        size_t nseg = 0;
        rc = next_last_name(s, cur, hi, x, sizeof x);
        if (rc != HC_OK) {
            if (rc == HC_ENOENT)
                rc = HC_OK;
            break;
        }
        if (hops >= pq->max_names) /* another last name, and no more visits allowed */
            return HC_ERANGE;
        snprintf(slo, sizeof slo, "%s\t%s", x, pq->first);
        snprintf(shi, sizeof shi, "%s\t%s\xff", x, pq->first);
        if (strcmp(cur, slo) > 0)
            snprintf(slo, sizeof slo, "%s", cur);
        if (strcmp(slo, shi) < 0) {
            rc = search_range(s, pq, slo, shi, NULL, after_key, after_person,
                              (int)(cap - nacc), a, &seg, &nseg);
            if (rc != HC_OK)
                return rc;
            if (nseg > 0)
                memcpy(acc + nacc, seg, nseg * sizeof *seg);
            nacc += nseg;
        }
        /* The next last name: every key of x starts with x\t, and '\n' follows '\t'. */
        snprintf(cur, sizeof cur, "%s\n", x);
    }
    if (rc != HC_OK)
        return rc;
    *out = acc;
    *n = nacc;
    return HC_OK;
}

static int sq_public_search(struct hc_store *st, const struct store_public_query *pq,
                            struct hc_arena *a, struct store_public_row **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    char lo[512], hi[516];
    void *arr = NULL;
    int rc;

    if (pq->limit < 1 || pq->limit > 1000)
        return HC_EINVAL;
    if (pq->booking_no != NULL) {
        if ((q = px(s, PX_SEARCH_NO)) == NULL)
            return HC_EIO;
        sq_bind_str(q, 1, pq->booking_no);
        sqlite3_bind_int(q, 4, pq->has_after);
        sqlite3_bind_int64(q, 7, pq->after_id);
    } else if (pq->by_name) {
        const char *last = pq->last ? pq->last : "", *after_key = "";
        int64_t after_person = 0;
        char keybuf[512];
        size_t ll = strlen(last);
        if (ll + 1 >= sizeof lo)
            return HC_EINVAL;
        if (pq->has_after) {
            /* The cursor names a booking: continue after its place in the order. */
            if ((q = px(s, PX_CURSOR_KEYS)) == NULL)
                return HC_EIO;
            sqlite3_bind_int64(q, 1, pq->after_id);
            if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
                sqlite3_reset(q);
                return rc == SQLITE_DONE ? HC_EINVAL : sq_map_rc(s, rc);
            }
            snprintf(keybuf, sizeof keybuf, "%s",
                     sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
            after_person = sqlite3_column_int64(q, 1);
            sqlite3_reset(q);
            after_key = keybuf;
        }
        memcpy(lo, last, ll + 1);
        if (pq->last_whole) { /* the last name ends where the key's first name begins */
            lo[ll++] = HC_NAMEKEY_SEP;
            lo[ll] = '\0';
        }
        memcpy(hi, lo, ll);
        hi[ll] = '\xff'; /* above every UTF-8 byte: the end of the prefix's range */
        hi[ll + 1] = '\0';
        if (pq->has_after && strcmp(after_key, lo) > 0) {
            if (strlen(after_key) >= sizeof lo)
                return HC_EINVAL;
            memcpy(lo, after_key, strlen(after_key) + 1);
        }
        if (pq->first != NULL)
            return search_first(s, pq, lo, hi, after_key, after_person, a, out, n);
        return search_range(s, pq, lo, hi, NULL, after_key, after_person, pq->limit, a, out, n);
    } else {
        if ((q = px(s, PX_SEARCH_ID)) == NULL)
            return HC_EIO;
        sqlite3_bind_int64(q, 7, pq->has_after ? pq->after_id : INT64_MAX);
    }
    bind_population(q, pq);
    sqlite3_bind_int(q, 8, pq->limit);
    rc = sq_read_rows(s, q, a, sizeof(struct store_public_row), fill_row, &arr, n);
    if (rc == HC_OK)
        *out = arr;
    return rc;
}

static int sq_public_last_names(struct hc_store *st, const char *prefix, int max,
                                struct hc_arena *a, char ***out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    char cur[540], hi[540], x[520];
    char **names;
    size_t got = 0, pl = strlen(prefix);
    int rc;

    *out = NULL;
    *n = 0;
    if (max < 1 || pl + 2 > sizeof hi)
        return HC_EINVAL;
    if ((names = hc_arena_alloc(a, (size_t)max * sizeof *names)) == NULL)
        return HC_ENOMEM;
    snprintf(cur, sizeof cur, "%s", prefix);
    snprintf(hi, sizeof hi, "%s\xff", prefix);
    while ((rc = next_last_name(s, cur, hi, x, sizeof x)) == HC_OK) {
        size_t xl = strlen(x);
        if (got == (size_t)max) {
            rc = HC_ERANGE;
            break;
        }
        if ((names[got] = hc_arena_alloc(a, xl + 1)) == NULL)
            return HC_ENOMEM;
        memcpy(names[got++], x, xl + 1);
        snprintf(cur, sizeof cur, "%s\n", x); /* past every key of x: '\n' follows '\t' */
    }
    *out = names;
    *n = got;
    return rc == HC_ENOENT ? HC_OK : rc;
}

static int sq_public_export(struct hc_store *st, const struct store_public_query *pq,
                            store_public_row_cb cb, void *ctx)
{
    struct store_sqlite *s = sq(st);
    struct store_public_query all = *pq;
    struct hc_arena a;
    struct store_public_row r;
    sqlite3_stmt *q;
    char *mem = malloc(1 << 16);
    int rc, reading = 0, oom;

    if (mem == NULL)
        return HC_ENOMEM;
    all.dob = all.facility = all.custody_status = NULL;
    if (s->base.depth == 0 && !s->base.reading) {
        if ((rc = sq_exec_sql(s, "BEGIN DEFERRED")) != HC_OK)
            goto out;
        reading = 1;
    }
    if ((q = px(s, PX_EXPORT)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    bind_population(q, &all);
    for (;;) {
        int step = sqlite3_step(q), r_cb;
        if (step != SQLITE_ROW) {
            rc = step == SQLITE_DONE ? HC_OK : sq_map_rc(s, step);
            break;
        }
        oom = 0;
        hc_arena_init(&a, mem, 1 << 16);
        fill_row(q, &a, &r, &oom);
        if (oom) {
            rc = HC_ENOMEM;
            break;
        }
        if ((r_cb = cb(ctx, &r)) != 0) {
            rc = r_cb; /* the callback's own value, as store.h promises */
            break;
        }
    }
    sqlite3_reset(q);
out:
    if (reading)
        sq_exec_sql(s, "COMMIT");
    free(mem);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The status line                                                                            */

/* Columns of PX_STATUS. */
static const struct sf_field status_fields[] = {
    SF_FIELD(struct store_facility_status, facility, SF_STR, SF_COL),
    SF_FIELD(struct store_facility_status, changed_at, SF_STR, SF_COL),
};
static const struct sf_record status_rec = SF_RECORD(struct store_facility_status, status_fields);

static int sq_public_status(struct hc_store *st, struct hc_arena *a,
                            struct store_facility_status **out, size_t *n, const char **overall)
{
    struct store_sqlite *s = sq(st);
    void *arr = NULL;
    size_t i;
    int rc = sq_read_recs(s, px(s, PX_STATUS), a, &status_rec, &arr, n);
    if (rc != HC_OK)
        return rc;
    *out = arr;
    *overall = NULL;
    for (i = 0; i < *n; i++)
        if (*overall == NULL || strcmp((*out)[i].changed_at, *overall) > 0)
            *overall = (*out)[i].changed_at;
    return HC_OK;
}

/* Mark facility as changed at `at`. */
static int touch_facility(struct store_sqlite *s, const char *facility, const char *at)
{
    sqlite3_stmt *q = px(s, PX_FACILITY_TOUCH);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, facility);
    sq_bind_str(q, 2, at);
    return sq_exec_stmt(s, q);
}

/* Touch every facility the rows of q (facility, max id) name; *seen gets the largest id. */
static int scan_touch(struct store_sqlite *s, sqlite3_stmt *q, int64_t from, const char *at,
                      int64_t *seen, int *changed)
{
    char facility[512];
    int rc;
    sqlite3_bind_int64(q, 1, from);
    *seen = from;
    for (;;) {
        rc = sqlite3_step(q);
        if (rc != SQLITE_ROW)
            break;
        snprintf(facility, sizeof facility, "%s", (const char *)sqlite3_column_text(q, 0));
        if (sqlite3_column_int64(q, 1) > *seen)
            *seen = sqlite3_column_int64(q, 1);
        /* The facility statement is another slot: q stays where it is. */
        if ((rc = touch_facility(s, facility, at)) != HC_OK) {
            sqlite3_reset(q);
            return rc;
        }
        (*changed)++;
    }
    rc = sq_map_rc(s, rc);
    sqlite3_reset(q);
    return rc;
}

static int sq_public_status_scan(struct hc_store *st, int *changed)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    int64_t bseen = 0, cseen = 0, bnew, cnew;
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    *changed = 0;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    sq_now_utc(at);
    if ((q = px(s, PX_SCAN_GET)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    if (sqlite3_step(q) == SQLITE_ROW) {
        bseen = sqlite3_column_int64(q, 0);
        cseen = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    if ((q = px(s, PX_SCAN_BOOKINGS)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    if ((rc = scan_touch(s, q, bseen, at, &bnew, changed)) != HC_OK)
        goto out;
    if ((q = px(s, PX_SCAN_CHARGES)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    if ((rc = scan_touch(s, q, cseen, at, &cnew, changed)) != HC_OK)
        goto out;
    if (bnew != bseen || cnew != cseen) {
        if ((q = px(s, PX_SCAN_SET)) == NULL) {
            rc = HC_EIO;
            goto out;
        }
        sqlite3_bind_int64(q, 1, bnew);
        sqlite3_bind_int64(q, 2, cnew);
        rc = sq_exec_stmt(s, q);
    }
out:
    return sq_tx_leave(s, rc);
}

static int sq_namekey_backfill(struct hc_store *st, int64_t *filled)
{
    struct store_sqlite *s = sq(st);
    int rc;
    *filled = 0;
    for (;;) {
        sqlite3_stmt *get, *set;
        int64_t batch = 0;
        if ((rc = sq_begin(st)) != HC_OK)
            return rc;
        if ((get = px(s, PX_BACKFILL_GET)) == NULL || (set = px(s, PX_BACKFILL_SET)) == NULL) {
            rc = HC_EIO;
            goto batch_out;
        }
        while ((rc = sqlite3_step(get)) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(get, 1);
            char key[1024];
            long kn = name ? hc_namekey(name, strlen(name), key, sizeof key) : -1;
            sqlite3_reset(set);
            /* A name that does not fold (too long) gets "" so it is not read again. */
            sqlite3_bind_text(set, 1, kn < 0 ? "" : key, kn < 0 ? 0 : (int)kn, SQLITE_TRANSIENT);
            sqlite3_bind_int64(set, 2, sqlite3_column_int64(get, 0));
            if ((rc = sqlite3_step(set)) != SQLITE_DONE)
                break;
            batch++;
        }
        rc = sq_map_rc(s, rc == SQLITE_DONE ? SQLITE_OK : rc);
        sqlite3_reset(get);
        sqlite3_reset(set);
    batch_out:
        if ((rc = sq_tx_leave(s, rc)) != HC_OK)
            return rc;
        *filled += batch;
        if (batch == 0) {
            /* Give back the page cache the walk over every person filled: this connection
             * (the delivery thread's) needs few pages afterwards. */
            if (*filled > 0)
                sqlite3_db_release_memory(s->db);
            return HC_OK;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Events and their deliveries, written in the transaction of the change that raises them     */

static int sq_facility_touch(struct hc_store *st, const char *facility, const char *at)
{
    return touch_facility(sq(st), facility, at);
}

static int sq_event_add(struct hc_store *st, int64_t booking_id, const char *kind, const char *data,
                        const char *at, const char *dedupe, int64_t *event_id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = px(s, PX_EVENT_INSERT);
    int rc;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, booking_id);
    sq_bind_str(q, 2, kind);
    sq_bind_str(q, 3, data);
    sq_bind_str(q, 4, at);
    sq_bind_str(q, 5, dedupe);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        return rc;
    /* ON CONFLICT (dedupe) DO NOTHING: no row, and last_insert_rowid would be a stale one */
    *event_id = sqlite3_changes(s->db) == 0 ? 0 : sqlite3_last_insert_rowid(s->db);
    return HC_OK;
}

static int sq_event_deliver(struct hc_store *st, int64_t event_id, int64_t booking_id, unsigned evt,
                            const char *at, const char *follow_since, int64_t *queued)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = px(s, PX_DELIVER_TO_SUBSCRIBERS);
    int rc;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, event_id);
    sq_bind_str(q, 2, at);
    sqlite3_bind_int64(q, 3, booking_id);
    sqlite3_bind_int(q, 4, (int)evt);
    sq_bind_str(q, 5, follow_since);
    if ((rc = sq_exec_stmt(s, q)) == HC_OK)
        *queued += sqlite3_changes(s->db);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Subscriptions                                                                              */

/* Queue a confirmation message for subscription sid of booking booking_id. */
static int queue_confirm(struct store_sqlite *s, int64_t booking_id, int64_t sid, const char *at,
                         int64_t *delivery_id)
{
    sqlite3_stmt *q = px(s, PX_EVENT_INSERT);
    int64_t eid;
    int rc;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, booking_id);
    sq_bind_str(q, 2, "confirm");
    sq_bind_str(q, 3, "{}");
    sq_bind_str(q, 4, at);
    sqlite3_bind_null(q, 5);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        return rc;
    eid = sqlite3_last_insert_rowid(s->db);
    if ((q = px(s, PX_DELIVERY_ONE)) == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, eid);
    sqlite3_bind_int64(q, 2, sid);
    sq_bind_str(q, 3, at);
    if ((rc = sq_exec_stmt(s, q)) == HC_OK)
        *delivery_id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* The terms a subscription request sets, whether it makes the subscription (PX_SUB_INSERT,
 * after the booking, channel and target) or renews a pending one (PX_SUB_REFRESH). */
static const struct sf_field sub_terms_fields[] = {
    SF_FIELD(struct store_subscription, events, SF_UINT, SF_BIND),
    SF_FIELD(struct store_subscription, advance_days, SF_INT, SF_BIND),
    SF_FIELD(struct store_subscription, lang, SF_STR, SF_BIND),
    SF_FIELD(struct store_subscription, secret, SF_STR, SF_BIND),
    SF_FIELD(struct store_subscription, confirm_token, SF_STR, SF_BIND),
};
static const struct sf_record sub_terms_rec = SF_RECORD(struct store_subscription,
                                                        sub_terms_fields);

/* Whether a new subscription sub of booking bid keeps the caller's limits: HC_OK; HC_ENOSPC
 * past the target's; HC_ERANGE past the booking's pending ones; or an error. */
static int new_within_limits(struct store_sqlite *s, const struct store_subscription *sub,
                             int64_t bid)
{
    sqlite3_stmt *q;
    int64_t n = 0;
    int rc;
    if (sub->max_per_target > 0) {
        if ((q = px(s, PX_SUB_COUNT_TARGET)) == NULL)
            return HC_EIO;
        sq_bind_str(q, 1, sub->target);
        sq_bind_str(q, 2, sub->channel);
        if ((rc = sq_one_id(s, q, &n)) != HC_OK)
            return rc;
        if (n >= sub->max_per_target)
            return HC_ENOSPC;
    }
    if (sub->max_pending_per_booking > 0) {
        if ((q = px(s, PX_SUB_COUNT_PENDING)) == NULL)
            return HC_EIO;
        sqlite3_bind_int64(q, 1, bid);
        if ((rc = sq_one_id(s, q, &n)) != HC_OK)
            return rc;
        if (n >= sub->max_pending_per_booking)
            return HC_ERANGE;
    }
    return HC_OK;
}

static int sq_subscription_add(struct hc_store *st, const struct store_subscription *sub,
                               int64_t *delivery_id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    int64_t bid = 0, sid = 0;
    char at[HC_CLOCK_UTC_LEN], state[16] = "";
    json_t *pl;
    int rc, i;

    *delivery_id = 0;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    sq_now_utc(at);
    if ((rc = sq_booking_id(s, sub->booking_no, &bid)) != HC_OK)
        goto out;
    if ((q = px(s, PX_SUB_FIND)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sqlite3_bind_int64(q, 1, bid);
    sq_bind_str(q, 2, sub->channel);
    sq_bind_str(q, 3, sub->target);
    if (sqlite3_step(q) == SQLITE_ROW) {
        sid = sqlite3_column_int64(q, 0);
        snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(q, 1));
    }
    sqlite3_reset(q);
    if (strcmp(state, "confirmed") == 0) {
        /* Already confirmed: no row changes and no message goes, but the request is recorded
         * all the same, so that it commits (and syncs) as a new one does: neither the answer
         * nor its time tells whether the address had subscribed. */
        pl = json_object();
        json_object_set_new(pl, "subscription", json_integer(sid));
        json_object_set_new(pl, "booking_no", json_string(sub->booking_no));
        json_object_set_new(pl, "channel", json_string(sub->channel));
        rc = sq_audit_write(s, "public", "subscription.repeat", sub->booking_no, pl);
        json_decref(pl);
        goto out;
    }
    if (sid == 0 && (rc = new_within_limits(s, sub, bid)) != HC_OK) {
        if (rc == HC_ENOSPC) { /* the target's limit: recorded as a repeat is, nothing else */
            pl = json_object();
            json_object_set_new(pl, "booking_no", json_string(sub->booking_no));
            json_object_set_new(pl, "channel", json_string(sub->channel));
            json_object_set_new(pl, "reason", json_string("the target's limit"));
            rc = sq_audit_write(s, "public", "subscription.refused", sub->booking_no, pl);
            json_decref(pl);
        }
        goto out;
    }
    if (sid != 0) {
        /* Pending: the newest request wins; earlier confirmation messages are withdrawn. */
        if ((q = px(s, PX_SUB_REFRESH)) == NULL) {
            rc = HC_EIO;
            goto out;
        }
        i = sq_bind_fields(q, 1, sub, &sub_terms_rec, NULL);
        sq_bind_str(q, i, at);
        sqlite3_bind_int64(q, i + 1, sid);
        if ((rc = sq_exec_stmt(s, q)) != HC_OK)
            goto out;
        if ((rc = sq_exec_by_id(s, px(s, PX_SUB_CANCEL_CONFIRMS), sid, NULL)) != HC_OK)
            goto out;
    } else {
        if ((q = px(s, PX_SUB_INSERT)) == NULL) {
            rc = HC_EIO;
            goto out;
        }
        sqlite3_bind_int64(q, 1, bid);
        sq_bind_str(q, 2, sub->channel);
        sq_bind_str(q, 3, sub->target);
        i = sq_bind_fields(q, 4, sub, &sub_terms_rec, NULL);
        sq_bind_str(q, i, sub->unsubscribe_token);
        sq_bind_str(q, i + 1, at);
        if ((rc = sq_exec_stmt(s, q)) != HC_OK)
            goto out;
        sid = sqlite3_last_insert_rowid(s->db);
    }
    if ((rc = queue_confirm(s, bid, sid, at, delivery_id)) != HC_OK)
        goto out;
    /* The audit entry never holds the target (PC 679.03): the subscription's number only. */
    pl = json_object();
    json_object_set_new(pl, "subscription", json_integer(sid));
    json_object_set_new(pl, "booking_no", json_string(sub->booking_no));
    json_object_set_new(pl, "channel", json_string(sub->channel));
    json_object_set_new(pl, "events", json_integer(sub->events));
    rc = sq_audit_write(s, "public", "subscription.create", sub->booking_no, pl);
    json_decref(pl);
out:
    return sq_tx_leave(s, rc);
}

static int sq_subscription_confirm(struct hc_store *st, const char *token,
                                   const char *created_after, struct hc_arena *a,
                                   struct store_subscription_info *out)
{
    struct store_sqlite *s = sq(st);
    struct store_subscription_info info;
    sqlite3_stmt *q;
    const char *created = NULL;
    char at[HC_CLOCK_UTC_LEN];
    json_t *pl;
    int rc, oom = 0;

    memset(&info, 0, sizeof info);
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = px(s, PX_SUB_BY_CONFIRM)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, token);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        info.id = sqlite3_column_int64(q, 0);
        info.state = sq_col_dup(a, q, 1, &oom);
        created = sq_col_dup(a, q, 2, &oom);
        info.booking_no = sq_col_dup(a, q, 3, &oom);
        info.events = (unsigned)sqlite3_column_int(q, 4);
        info.advance_days = sqlite3_column_int(q, 5);
        rc = oom ? HC_ENOMEM : HC_OK;
    } else {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
    }
    sqlite3_reset(q);
    if (rc != HC_OK)
        goto out;
    if (info.state == NULL) { /* the schema's CHECK forbids it; an unreadable row is no row */
        rc = HC_ENOENT;
        goto out;
    }
    if (strcmp(info.state, "confirmed") == 0) {
        *out = info;
        goto out;
    }
    if (strcmp(info.state, "pending") != 0 || created == NULL ||
        strcmp(created, created_after) <= 0) {
        rc = HC_ENOENT;
        goto out;
    }
    sq_now_utc(at);
    if ((q = px(s, PX_SUB_CONFIRM)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, at);
    sqlite3_bind_int64(q, 2, info.id);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    pl = json_object();
    json_object_set_new(pl, "subscription", json_integer(info.id));
    json_object_set_new(pl, "booking_no", json_string(info.booking_no));
    json_object_set_new(pl, "via", json_string("link"));
    rc = sq_audit_write(s, "public", "subscription.confirm", info.booking_no, pl);
    json_decref(pl);
    if (rc == HC_OK) {
        info.state = "confirmed";
        *out = info;
    }
out:
    return sq_tx_leave(s, rc);
}

static int sq_subscription_unsubscribe(struct hc_store *st, const char *token, int64_t *cancelled)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    int64_t sid = 0;
    char at[HC_CLOCK_UTC_LEN], state[16] = "";
    json_t *pl;
    int rc;

    *cancelled = 0;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = px(s, PX_SUB_BY_UNSUB)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, token);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        sid = sqlite3_column_int64(q, 0);
        snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(q, 1));
        rc = HC_OK;
    } else {
        rc = rc == SQLITE_DONE ? HC_ENOENT : sq_map_rc(s, rc);
    }
    sqlite3_reset(q);
    if (rc != HC_OK || strcmp(state, "unsubscribed") == 0)
        goto out;
    sq_now_utc(at);
    if ((q = px(s, PX_SUB_END)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, at);
    sqlite3_bind_int64(q, 2, sid);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    if ((rc = sq_exec_by_id(s, px(s, PX_SUB_CANCEL_ALL), sid, cancelled)) != HC_OK)
        goto out;
    pl = json_object();
    json_object_set_new(pl, "subscription", json_integer(sid));
    json_object_set_new(pl, "cancelled_deliveries", json_integer(*cancelled));
    rc = sq_audit_write(s, "public", "subscription.end", "subscription", pl);
    json_decref(pl);
out:
    return sq_tx_leave(s, rc);
}

static int sq_subscription_purge(struct hc_store *st, const char *created_before, int64_t *removed)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    json_t *pl;
    int rc;

    *removed = 0;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = px(s, PX_PURGE_DELIVERIES)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, created_before);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    if ((q = px(s, PX_PURGE_SUBS)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, created_before);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    if ((*removed = sqlite3_changes(s->db)) == 0)
        goto out;
    pl = json_object();
    json_object_set_new(pl, "subscriptions", json_integer(*removed));
    json_object_set_new(pl, "created_before", json_string(created_before));
    rc = sq_audit_write(s, "system", "subscription.purge", "subscription", pl);
    json_decref(pl);
out:
    return sq_tx_leave(s, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* The delivery queue. Bookkeeping only: deliveries are not audited (the events and the
 * subscriptions are).                                                                        */

static int sq_delivery_requeue(struct hc_store *st, int64_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = px(s, PX_REQUEUE);
    int rc;
    if (q == NULL)
        return HC_EIO;
    if ((rc = sq_exec_stmt(s, q)) == HC_OK)
        *n = sqlite3_changes(s->db);
    return rc == HC_OK ? sq_sms_requeue(s) : rc;
}

static int sq_delivery_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                             struct store_delivery_job *out)
{
    struct store_sqlite *s = sq(st);
    struct store_delivery_job j;
    sqlite3_stmt *q;
    int64_t id = 0;
    int rc, oom = 0;

    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = px(s, PX_DUE_EVENT)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, now);
    rc = sq_one_id(s, q, &id);
    if (rc == HC_ENOENT) { /* no event's: a confirmation's, if any */
        if ((q = px(s, PX_DUE)) == NULL) {
            rc = HC_EIO;
            goto out;
        }
        sq_bind_str(q, 1, now);
        rc = sq_one_id(s, q, &id);
    }
    if (rc != HC_OK)
        goto out;
    if ((rc = sq_exec_by_id(s, px(s, PX_CLAIM), id, NULL)) != HC_OK)
        goto out;
    if ((q = px(s, PX_JOB)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sqlite3_bind_int64(q, 1, id);
    if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        memset(&j, 0, sizeof j);
        j.id = sqlite3_column_int64(q, 0);
        j.event_id = sqlite3_column_int64(q, 1);
        j.subscription_id = sqlite3_column_int64(q, 2);
        j.attempts = sqlite3_column_int(q, 3);
        j.kind = sq_col_dup(a, q, 4, &oom);
        j.event_data = sq_col_dup(a, q, 5, &oom);
        j.event_at = sq_col_dup(a, q, 6, &oom);
        j.booking_no = sq_col_dup(a, q, 7, &oom);
        j.channel = sq_col_dup(a, q, 8, &oom);
        j.target = sq_col_dup(a, q, 9, &oom);
        j.secret = sq_col_dup(a, q, 10, &oom);
        j.lang = sq_col_dup(a, q, 11, &oom);
        j.sub_state = sq_col_dup(a, q, 12, &oom);
        j.confirm_token = sq_col_dup(a, q, 13, &oom);
        j.unsubscribe_token = sq_col_dup(a, q, 14, &oom);
        j.person_name = sq_col_dup(a, q, 15, &oom);
        rc = oom ? HC_ENOMEM : HC_OK;
    } else {
        rc = rc == SQLITE_DONE ? HC_EIO : sq_map_rc(s, rc);
    }
    sqlite3_reset(q);
    if (rc == HC_OK)
        *out = j;
out:
    return sq_tx_leave(s, rc);
}

static int sq_delivery_finish(struct hc_store *st, int64_t id, enum store_delivery_result r,
                              const char *next_attempt_at, const char *error)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    const char *status;
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    switch (r) {
    case STORE_DELIVERY_DELIVERED:
    case STORE_DELIVERY_CONFIRMED: status = "delivered"; break;
    case STORE_DELIVERY_RETRY: status = "pending"; break;
    case STORE_DELIVERY_CANCELLED: status = "cancelled"; break;
    case STORE_DELIVERY_FAILED:
    case STORE_DELIVERY_GONE: status = "failed"; break;
    default: return HC_EINVAL;
    }
    if (r == STORE_DELIVERY_RETRY && next_attempt_at == NULL)
        return HC_EINVAL;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    sq_now_utc(at);
    if ((q = px(s, PX_FINISH)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, status);
    sq_bind_str(q, 2, r == STORE_DELIVERY_RETRY ? next_attempt_at : NULL);
    sq_bind_str(q, 3, error);
    sq_bind_str(q, 4, strcmp(status, "delivered") == 0 ? at : NULL);
    sqlite3_bind_int64(q, 5, id);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    if (r == STORE_DELIVERY_CONFIRMED || r == STORE_DELIVERY_GONE) {
        q = px(s, r == STORE_DELIVERY_CONFIRMED ? PX_SUB_CONFIRM_BY_DELIVERY
                                                : PX_SUB_END_BY_DELIVERY);
        if (q == NULL) {
            rc = HC_EIO;
            goto out;
        }
        sq_bind_str(q, 1, at);
        sqlite3_bind_int64(q, 2, id);
        if ((rc = sq_exec_stmt(s, q)) != HC_OK)
            goto out;
        if (sqlite3_changes(s->db) > 0) {
            json_t *pl = json_object();
            json_object_set_new(pl, "delivery", json_integer(id));
            json_object_set_new(pl, "via", json_string(r == STORE_DELIVERY_CONFIRMED
                                                           ? "webhook challenge"
                                                           : "webhook answered 410"));
            rc = sq_audit_write(s, "delivery",
                                 r == STORE_DELIVERY_CONFIRMED ? "subscription.confirm"
                                                               : "subscription.end",
                                 "subscription", pl);
            json_decref(pl);
        }
    }
out:
    return sq_tx_leave(s, rc);
}

/* Columns of PX_DELIVERY_LIST. */
static const struct sf_field delivery_fields[] = {
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
static const struct sf_record delivery_rec = SF_RECORD(struct store_delivery_row, delivery_fields);

static int sq_delivery_list(struct hc_store *st, const char *status, int64_t after_id, int limit,
                            struct hc_arena *a, struct store_delivery_row **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = px(s, PX_DELIVERY_LIST);
    void *arr = NULL;
    int rc;
    if (limit < 1 || limit > 500)
        return HC_EINVAL;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, after_id);
    sq_bind_str(q, 2, status);
    sqlite3_bind_int(q, 3, limit);
    rc = sq_read_recs(s, q, a, &delivery_rec, &arr, n);
    if (rc == HC_OK)
        *out = arr;
    return rc;
}

static int sq_advance_scan(struct hc_store *st, const char *today, const char *follow_since,
                           int64_t *queued)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    char at[HC_CLOCK_UTC_LEN];
    struct due {
        int64_t sid, bid;
        char date[11];
        int days;
    } *due = NULL;
    size_t ndue = 0, cap = 0, i;
    int rc;

    *queued = 0;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    sq_now_utc(at);
    if ((q = px(s, PX_ADVANCE_DUE)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, today);
    sq_bind_str(q, 2, follow_since);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (ndue == cap) {
            struct due *nd = realloc(due, (cap = cap ? cap * 2 : 16) * sizeof *due);
            if (nd == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            due = nd;
        }
        due[ndue].sid = sqlite3_column_int64(q, 0);
        due[ndue].bid = sqlite3_column_int64(q, 1);
        snprintf(due[ndue].date, sizeof due[ndue].date, "%s",
                 (const char *)sqlite3_column_text(q, 2));
        due[ndue].days = sqlite3_column_int(q, 3);
        ndue++;
    }
    rc = sq_map_rc(s, rc == SQLITE_DONE ? SQLITE_OK : rc);
    sqlite3_reset(q);
    for (i = 0; rc == HC_OK && i < ndue; i++) {
        char dedupe[64], *text;
        json_t *e;
        long days_before = 0;
        hc_day rel, now;
        if (hc_date_parse(due[i].date, strlen(due[i].date), &rel) == 0 &&
            hc_date_parse(today, strlen(today), &now) == 0)
            days_before = (long)rel - (long)now;
        snprintf(dedupe, sizeof dedupe, "advance:%" PRId64 ":%s", due[i].sid, due[i].date);
        e = json_object();
        json_object_set_new(e, "scheduled_release", json_string(due[i].date));
        json_object_set_new(e, "days_before", json_integer(days_before));
        text = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(e);
        if (text == NULL) {
            rc = HC_ENOMEM;
            break;
        }
        if ((q = px(s, PX_EVENT_INSERT)) == NULL) {
            free(text);
            rc = HC_EIO;
            break;
        }
        sqlite3_bind_int64(q, 1, due[i].bid);
        sq_bind_str(q, 2, "advance_notice");
        sqlite3_bind_text(q, 3, text, -1, SQLITE_TRANSIENT);
        sq_bind_str(q, 4, at);
        sqlite3_bind_text(q, 5, dedupe, -1, SQLITE_TRANSIENT);
        free(text);
        if ((rc = sq_exec_stmt(s, q)) != HC_OK)
            break;
        if (sqlite3_changes(s->db) == 0)
            continue; /* sent (or queued) before for this subscription and date */
        {
            int64_t eid = sqlite3_last_insert_rowid(s->db);
            if ((q = px(s, PX_DELIVERY_ONE)) == NULL) {
                rc = HC_EIO;
                break;
            }
            sqlite3_bind_int64(q, 1, eid);
            sqlite3_bind_int64(q, 2, due[i].sid);
            sq_bind_str(q, 3, at);
            if ((rc = sq_exec_stmt(s, q)) != HC_OK)
                break;
            (*queued)++;
        }
    }
out:
    free(due);
    return sq_tx_leave(s, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshot records                                                                           */

static int sq_snapshot_put(struct hc_store *st, const struct store_snapshot *snap)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = px(s, PX_SNAP_PUT);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, snap->date);
    sq_bind_str(q, 2, snap->generated_at);
    sqlite3_bind_int64(q, 3, snap->rows);
    sqlite3_bind_int(q, 4, (int)snap->fields);
    sqlite3_bind_int64(q, 5, snap->policy_version);
    return sq_exec_stmt(s, q);
}

/* Columns of PX_SNAP_LIST. */
static const struct sf_field snap_fields[] = {
    SF_FIELD(struct store_snapshot, date, SF_STR, SF_COL),
    SF_FIELD(struct store_snapshot, generated_at, SF_STR, SF_COL),
    SF_FIELD(struct store_snapshot, rows, SF_I64, SF_COL),
    SF_FIELD(struct store_snapshot, fields, SF_UINT, SF_COL),
    SF_FIELD(struct store_snapshot, policy_version, SF_I64, SF_COL),
};
static const struct sf_record snap_rec = SF_RECORD(struct store_snapshot, snap_fields);

static int sq_snapshot_list(struct hc_store *st, struct hc_arena *a, struct store_snapshot **out,
                            size_t *n)
{
    struct store_sqlite *s = sq(st);
    void *arr = NULL;
    int rc = sq_read_recs(s, px(s, PX_SNAP_LIST), a, &snap_rec, &arr, n);
    if (rc == HC_OK)
        *out = arr;
    return rc;
}

static int sq_snapshot_delete(struct hc_store *st, const char *date)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = px(s, PX_SNAP_DELETE);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, date);
    return sq_exec_stmt(s, q);
}

const struct store_public_ops sq_public_ops = {
    STORE_PUBLIC_OPS(SQ_OP)
};

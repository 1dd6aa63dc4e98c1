/* SPDX-License-Identifier: MIT
 * sql_victims.c: victim notification's statements and field descriptors, which
 * sqlite_victims.c and pg_victims.c both run and read by (sql.h). On PostgreSQL, row-level
 * security narrows each statement to the connection's agency: a registration can name only a
 * booking of its own agency. */
#include <string.h>

#include "sql.h"

/* The columns of sql_victim_rec, in its order. */
#define VX_COLS                                                                                \
    "v.id, b.booking_no, v.person_id, v.follows_person, v.name, v.relation, v.channel,"      \
    " v.target, v.lang, v.state, v.created_by, v.created_at, v.changed_by, v.changed_at"      \
    " FROM victim_registrations v JOIN bookings b ON b.id = v.booking_id"

/* The casts give PostgreSQL the parameters' types, which an INSERT ... SELECT does not. */
const char *const sql_victims[SVX_COUNT] = {
    [SVX_INSERT] = "INSERT INTO victim_registrations (booking_id, person_id, follows_person, name,"
                   " relation, channel, target, lang, state, created_by, created_at)"
                   " SELECT b.id, b.person_id, CAST($1 AS integer), CAST($2 AS text),"
                   " CAST($3 AS text), CAST($4 AS text), CAST($5 AS text), CAST($6 AS text),"
                   " 'active', CAST($7 AS text), CAST($8 AS text)"
                   " FROM bookings b WHERE b.booking_no = $9 RETURNING id",
    [SVX_GET] = "SELECT " VX_COLS " WHERE v.id = $1",
    [SVX_LIST] = "SELECT " VX_COLS " WHERE b.booking_no = $1 ORDER BY v.id DESC LIMIT 500",
    [SVX_LIST_ALL] = "SELECT " VX_COLS " ORDER BY v.id DESC LIMIT 500",
    [SVX_SET] = "UPDATE victim_registrations SET follows_person = $1, name = $2, relation = $3,"
                " channel = $4, target = $5, lang = $6, state = $7, changed_by = $8,"
                " changed_at = $9 WHERE id = $10",
    [SVX_OF_BOOKING] = "SELECT " VX_COLS " WHERE v.state = 'active' AND (v.booking_id = $1"
                       " OR v.person_id = (SELECT person_id FROM bookings WHERE id = $1))"
                       " ORDER BY v.id",
    [SVX_NOTICE_ADD] = "INSERT INTO victim_notices (registration_id, booking_id, kind, data,"
                       " created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $5)"
                       " RETURNING id",
    [SVX_NOTICES] = "SELECT n.id, n.registration_id, b.booking_no, n.kind, n.status,"
                    " n.attempts, n.created_at, n.delivered_at, n.last_error FROM victim_notices n"
                    " JOIN bookings b ON b.id = n.booking_id WHERE n.registration_id = $1"
                    " ORDER BY n.id DESC LIMIT 200",
    [SVX_REQUEUE] = "UPDATE victim_notices SET status = 'pending' WHERE status = 'sending'",
    [SVX_DUE] = SQL_VX_DUE,
    [SVX_CLAIM] = "UPDATE victim_notices SET status = 'sending', attempts = attempts + 1"
                  " WHERE id = $1",
    /* The claimed notice with its registration, booking and person (sql_victim_job_rec). */
    [SVX_JOB] = "SELECT n.id, n.registration_id, n.attempts, n.kind, n.data, n.created_at,"
                " b.booking_no, p.name, v.name, v.channel, v.target, v.lang, v.state"
                " FROM victim_notices n JOIN victim_registrations v ON v.id = n.registration_id"
                " JOIN bookings b ON b.id = n.booking_id JOIN people p ON p.id = b.person_id"
                " WHERE n.id = $1",
    [SVX_FINISH] = "UPDATE victim_notices SET status = $1, next_attempt_at ="
                   " coalesce($2, next_attempt_at), last_error = $3,"
                   " delivered_at = CASE WHEN $1 = 'delivered' THEN $4 END WHERE id = $5",
};

static const struct sf_field victim_fields[] = {
    SF_FIELD(struct store_victim, id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, person_id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim, follows_person, SF_BOOL, SF_COL),
    SF_FIELD(struct store_victim, name, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, relation, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, channel, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, target, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, lang, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, state, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, created_by, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, created_at, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, changed_by, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, changed_at, SF_STR, SF_COL),
};
const struct sf_record sql_victim_rec = SF_RECORD(struct store_victim, victim_fields);

static const struct sf_field notice_fields[] = {
    SF_FIELD(struct store_victim_notice, id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim_notice, registration_id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim_notice, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, kind, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, status, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, attempts, SF_INT, SF_COL),
    SF_FIELD(struct store_victim_notice, created_at, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, delivered_at, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, last_error, SF_STR, SF_COL),
};
const struct sf_record sql_victim_notice_rec = SF_RECORD(struct store_victim_notice,
                                                         notice_fields);

static const struct sf_field job_fields[] = {
    SF_FIELD(struct store_victim_job, id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim_job, registration_id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim_job, attempts, SF_INT, SF_COL),
    SF_FIELD(struct store_victim_job, kind, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, data, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, created_at, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, person_name, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, name, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, channel, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, target, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, lang, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, reg_state, SF_STR, SF_COL),
};
const struct sf_record sql_victim_job_rec = SF_RECORD(struct store_victim_job, job_fields);

int sql_victim_finish_ok(const char *status, const char *next_attempt_at)
{
    if (status == NULL)
        return 0;
    if (strcmp(status, "pending") == 0)
        return next_attempt_at != NULL;
    return strcmp(status, "delivered") == 0 || strcmp(status, "failed") == 0 ||
           strcmp(status, "cancelled") == 0;
}

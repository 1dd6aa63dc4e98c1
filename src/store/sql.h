/* SPDX-License-Identifier: MIT
 * sql.h: the statements both backends run, one list an area, in SQL that SQLite and PostgreSQL
 * read alike: parameters are written $1, $2, ... in the order they first appear (SQLite numbers
 * a named parameter by its first appearance, so $n is parameter n in both), inserts end
 * RETURNING id, and times and flags are the text and 0/1 integers of both schemas. One text for
 * both keeps the backends in step; only what a backend does differently (SQLite's bulk import,
 * PostgreSQL's COPY) stays in its own files. For the backends' files only (src/store). */
#ifndef HC_STORE_SQL_H
#define HC_STORE_SQL_H

/* Users, API tokens and web sessions (sql_users.c). The columns of a user are sf_user_rec's. */
enum sql_users {
    SU_USER_INSERT, SU_USER_BY_NAME, SU_USER_ALL, SU_USER_DISABLE, SU_TOKEN_INSERT, SU_TOKEN_USER,
    SU_TOKEN_TOUCH, SU_SESSION_INSERT, SU_SESSION_USER, SU_SESSION_DELETE, SU_USER_ID,
    SU_USER_SET_PASSWORD, SU_TOKENS_OF_USER_DELETE, SU_SESSIONS_OF_USER_DELETE, SU_COUNT
};
extern const char *const sql_users[SU_COUNT];

/* The outcome in force of every request (the view request_outcome of both schemas; the
 * comment at SQLite's migration 7 says how it is chosen). */
#define SQL_REQUEST_OUTCOME                                                                    \
    " SELECT r.id AS request_id, d.id AS decision_id,"                                         \
    " d.outcome AS engine_outcome, o.id AS override_id,"                                       \
    " coalesce(o.outcome, d.outcome) AS outcome,"                                              \
    " (SELECT count(*) FROM request_actions a WHERE a.request_id = r.id) AS actions,"          \
    " (SELECT count(*) FROM request_actions a WHERE a.request_id = r.id AND a.contrary = 1)"   \
    "   AS contrary_actions"                                                                   \
    " FROM immigration_requests r"                                                             \
    " LEFT JOIN decisions d ON d.id = (SELECT x.id FROM decisions x WHERE x.request_id = r.id" \
    "   ORDER BY x.version DESC LIMIT 1)"                                                      \
    " LEFT JOIN overrides o ON o.id = (SELECT y.id FROM overrides y WHERE y.decision_id = d.id"\
    "   ORDER BY CASE y.outcome WHEN 'prohibited' THEN 3 WHEN 'review' THEN 2"                 \
    "   WHEN 'permitted_with_conditions' THEN 1 ELSE 0 END DESC, y.id DESC LIMIT 1)"

/* Which staff records changed (store_changes): the booking numbers marked after $1, oldest
 * first, at most $2 of them; and the newest mark. */
#define SQL_CHANGES_SINCE                                                                      \
    "SELECT b.booking_no, c.seq FROM record_changes c JOIN bookings b ON b.id = c.booking_id"  \
    " WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"
#define SQL_CHANGES_LAST "SELECT coalesce(max(seq), 0) FROM record_changes"

#endif

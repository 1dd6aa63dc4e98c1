/* SPDX-License-Identifier: MIT
 * sql_users.c: the users area's statements, run by sqlite_users.c and pg_users.c (sql.h). On
 * PostgreSQL, row-level security narrows each to the connection's agency. */
#include "sql.h"

const char *const sql_users[SU_COUNT] = {
    [SU_USER_INSERT] = "INSERT INTO users (name, role, password_hash, created_at, disabled)"
                      " VALUES ($1, $2, $3, $4, $5) RETURNING id",
    [SU_USER_BY_NAME] = "SELECT id, name, role, password_hash, created_at, disabled FROM users"
                       " WHERE name = $1",
    [SU_USER_ALL] = "SELECT id, name, role, NULL, created_at, disabled FROM users ORDER BY name",
    [SU_USER_DISABLE] = "UPDATE users SET disabled = 1 WHERE name = $1",
    [SU_TOKEN_INSERT] = "INSERT INTO api_tokens (token_hash, user_id, created_at)"
                       " VALUES ($1, $2, $3) RETURNING id",
    [SU_TOKEN_USER] = "SELECT u.id, u.name, u.role, NULL, u.created_at, u.disabled, t.id,"
                     " t.last_used FROM api_tokens t JOIN users u ON u.id = t.user_id"
                     " WHERE t.token_hash = $1 AND u.disabled = 0",
    [SU_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used = $1 WHERE id = $2",
    [SU_SESSION_INSERT] = "INSERT INTO sessions (id_hash, user_id, created_at, expires_at)"
                         " VALUES ($1, $2, $3, $4)",
    [SU_SESSION_USER] = "SELECT u.id, u.name, u.role, NULL, u.created_at, u.disabled"
                       " FROM sessions s JOIN users u ON u.id = s.user_id"
                       " WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
    [SU_SESSION_DELETE] = "DELETE FROM sessions WHERE id_hash = $1 OR expires_at <= $2",
    [SU_USER_ID] = "SELECT id FROM users WHERE name = $1",
    [SU_USER_SET_PASSWORD] = "UPDATE users SET password_hash = $1 WHERE id = $2",
    [SU_TOKENS_OF_USER_DELETE] = "DELETE FROM api_tokens WHERE user_id = $1",
    [SU_SESSIONS_OF_USER_DELETE] = "DELETE FROM sessions WHERE user_id = $1",
};


/* SPDX-License-Identifier: MIT
 * sql_readlog.c: the read-access log's statements, which sqlite_readlog.c and pg_readlog.c
 * both run (sql.h), and what both check and copy of an entry. On PostgreSQL, row-level
 * security narrows each statement to the connection's agency. */
#include <string.h>

#include "sql.h"

#include "err.h"

const char *const sql_readlog[SRL_COUNT] = {
    [SRL_INSERT] = "INSERT INTO read_log (at, user_id, user_name, role, method, route, kind,"
                   " object, query, client, status)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), nullif($9, ''), $10, $11)",
    [SRL_SEEN] = "INSERT INTO read_log_seen (hour, object, kind) VALUES (substr($1, 1, 13), $2, $3)"
                 " ON CONFLICT DO NOTHING",
    /* Each filter is open when its parameter is NULL. */
    [SRL_LIST] = "SELECT id, at, user_id, user_name, role, method, route, kind,"
                 " coalesce(object, ''), coalesce(query, ''), client, status FROM read_log"
                 " WHERE id > $1 AND (CAST($2 AS text) IS NULL OR user_name = $2)"
                 " AND (CAST($3 AS text) IS NULL OR at >= $3)"
                 " AND (CAST($4 AS text) IS NULL OR at < $4)"
                 " AND (CAST($5 AS text) IS NULL OR kind = $5)"
                 " AND (CAST($6 AS text) IS NULL OR object = $6) ORDER BY id LIMIT $7",
    [SRL_PRUNE] = "DELETE FROM read_log WHERE at < $1",
    [SRL_PRUNE_SEEN] = "DELETE FROM read_log_seen WHERE hour < substr($1, 1, 13)",
};

int sql_read_seen_before(const struct store_read_entry *e, size_t i)
{
    size_t j = i > 8 ? i - 8 : 0;
    for (; j < i; j++)
        if (strcmp(e[j].object, e[i].object) == 0 && strcmp(e[j].kind, e[i].kind) == 0 &&
            strncmp(e[j].at, e[i].at, 13) == 0)
            return 1;
    return 0;
}

int sql_read_batch_ok(const struct store_read_entry *e, size_t n)
{
    size_t i;
    if (n == 0)
        return HC_EINVAL;
    for (i = 0; i < n; i++)
        if (!e[i].at[0] || !e[i].user_name[0] || !e[i].route[0] || !e[i].kind[0] ||
            !e[i].client[0])
            return HC_EINVAL;
    return HC_OK;
}

void sql_read_copy(char *dst, size_t n, const char *t, size_t len)
{
    dst[0] = '\0';
    if (t == NULL)
        return;
    if (len >= n)
        len = n - 1;
    memcpy(dst, t, len);
    dst[len] = '\0';
}

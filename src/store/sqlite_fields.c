/* SPDX-License-Identifier: MIT
 * sqlite_fields.c: binding a record's fields to a statement and reading them from its row, by
 * the record's field descriptors (fields.h), for every file of the backend. */
#include <assert.h>
#include <string.h>

#include "sqlite_int.h"

int sq_bind_fields(sqlite3_stmt *q, int i, const void *rec, const struct sf_record *rd,
                   const char *at)
{
    struct sf_value v[SF_BIND_MAX];
    size_t k, n = sf_bind_values(rec, rd, at, v, SF_BIND_MAX);
    assert(n <= SF_BIND_MAX);
    for (k = 0; k < n && k < SF_BIND_MAX; k++, i++) {
        if (v[k].kind == SF_V_NULL)
            sqlite3_bind_null(q, i);
        else if (v[k].kind == SF_V_TEXT)
            sqlite3_bind_text(q, i, v[k].text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(q, i, v[k].n);
    }
    return i;
}

int sq_fill_fields(sqlite3_stmt *q, int col, struct hc_arena *a, void *rec,
                   const struct sf_record *rd, int *oom)
{
    size_t k;
    for (k = 0; k < rd->n; k++) {
        const struct sf_field *f = &rd->f[k];
        if (!(f->use & SF_COL))
            continue;
        if (f->type == SF_STR) {
            const char *t = sq_col_dup(a, q, col, oom);
            sf_put(rec, f, t, 0, t == NULL);
        } else {
            sf_put(rec, f, NULL, sqlite3_column_int64(q, col),
                   sqlite3_column_type(q, col) == SQLITE_NULL);
        }
        col++;
    }
    return col;
}

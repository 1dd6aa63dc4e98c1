/* SPDX-License-Identifier: MIT
 * sqlite_fields.c: binding, reading and showing a record by its field descriptors (struct
 * sq_record, sqlite_int.h), for every file of the backend. */
#include <string.h>

#include "sqlite_int.h"

/* A field's value as bound and shown: NULL, text, an integer or a boolean (n: 0 false). */
struct value {
    enum { V_NULL, V_TEXT, V_INT, V_BOOL } kind;
    const char *text;
    int64_t n;
};

/* The value of field f of rec; an SQ_AT field's is at, unless at is NULL. */
static struct value value_of(const void *rec, const struct sq_field *f, const char *at)
{
    const char *p = (const char *)rec + f->off;
    struct value v = {V_NULL, NULL, 0};
    unsigned u;
    int i;
    switch (f->type) {
    case SQ_F_STR:
        memcpy(&v.text, p, sizeof v.text);
        if ((f->use & SQ_AT) && at != NULL)
            v.text = at;
        v.kind = v.text != NULL ? V_TEXT : V_NULL;
        break;
    case SQ_F_I64:
    case SQ_F_REF:
        memcpy(&v.n, p, sizeof v.n);
        v.kind = f->type == SQ_F_I64 || v.n > 0 ? V_INT : V_NULL;
        break;
    case SQ_F_UINT:
        memcpy(&u, p, sizeof u);
        v.n = u;
        v.kind = V_INT;
        break;
    case SQ_F_INT:
    case SQ_F_BOOL:
    case SQ_F_TRI:
        memcpy(&i, p, sizeof i);
        v.n = f->type == SQ_F_BOOL ? i != 0 : i;
        if (f->type == SQ_F_INT)
            v.kind = V_INT;
        else
            v.kind = f->type == SQ_F_TRI && i < 0 ? V_NULL : V_BOOL;
        break;
    }
    return v;
}

int sq_bind_fields(sqlite3_stmt *q, int i, const void *rec, const struct sq_record *rd,
                   const char *at)
{
    size_t k;
    for (k = 0; k < rd->n; k++) {
        struct value v;
        if (!(rd->f[k].use & SQ_BIND))
            continue;
        v = value_of(rec, &rd->f[k], at);
        if (v.kind == V_NULL)
            sqlite3_bind_null(q, i);
        else if (v.kind == V_TEXT)
            sqlite3_bind_text(q, i, v.text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(q, i, v.n);
        i++;
    }
    return i;
}

int sq_fill_fields(sqlite3_stmt *q, int col, struct hc_arena *a, void *rec,
                   const struct sq_record *rd, int *oom)
{
    size_t k;
    for (k = 0; k < rd->n; k++) {
        const struct sq_field *f = &rd->f[k];
        char *p = (char *)rec + f->off;
        const char *s;
        int64_t v64;
        unsigned u;
        int v;
        if (!(f->use & SQ_COL))
            continue;
        switch (f->type) {
        case SQ_F_STR:
            s = sq_col_dup(a, q, col, oom);
            memcpy(p, &s, sizeof s);
            break;
        case SQ_F_I64:
        case SQ_F_REF:
            v64 = sqlite3_column_int64(q, col);
            memcpy(p, &v64, sizeof v64);
            break;
        case SQ_F_UINT:
            u = (unsigned)sqlite3_column_int(q, col);
            memcpy(p, &u, sizeof u);
            break;
        case SQ_F_INT:
        case SQ_F_BOOL:
        case SQ_F_TRI:
            v = f->type == SQ_F_TRI && sqlite3_column_type(q, col) == SQLITE_NULL
                    ? -1
                    : sqlite3_column_int(q, col);
            memcpy(p, &v, sizeof v);
            break;
        }
        col++;
    }
    return col;
}

int sq_fields_missing(const void *rec, const struct sq_record *rd)
{
    size_t k;
    for (k = 0; k < rd->n; k++)
        if ((rd->f[k].use & SQ_REQ) && value_of(rec, &rd->f[k], NULL).kind == V_NULL)
            return 1;
    return 0;
}

void sq_jset_fields(json_t *o, const void *rec, const struct sq_record *rd, const char *at)
{
    size_t k;
    for (k = 0; k < rd->n; k++) {
        struct value v;
        json_t *j;
        if (!(rd->f[k].use & SQ_JSON))
            continue;
        v = value_of(rec, &rd->f[k], at);
        if (v.kind == V_NULL)
            j = json_null();
        else if (v.kind == V_TEXT)
            j = json_string(v.text);
        else if (v.kind == V_INT)
            j = json_integer(v.n);
        else
            j = json_boolean(v.n);
        json_object_set_new(o, rd->f[k].name, j);
    }
}

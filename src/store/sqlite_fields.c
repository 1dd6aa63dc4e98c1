/* SPDX-License-Identifier: MIT
 * sqlite_fields.c: binding, reading and showing a record by its field descriptors (struct
 * sq_record, sqlite_int.h), for every file of the backend. */
#include <string.h>

#include "sqlite_int.h"

/* The field f of rec, by type. */
static const char *str_of(const void *rec, const struct sq_field *f)
{
    const char *v;
    memcpy(&v, (const char *)rec + f->off, sizeof v);
    return v;
}

static int64_t i64_of(const void *rec, const struct sq_field *f)
{
    int64_t v;
    memcpy(&v, (const char *)rec + f->off, sizeof v);
    return v;
}

static int int_of(const void *rec, const struct sq_field *f)
{
    int v;
    memcpy(&v, (const char *)rec + f->off, sizeof v);
    return v;
}

/* A field's value as bound and shown: NULL, text, an integer or a boolean (n: 0 false). */
struct value {
    enum { V_NULL, V_TEXT, V_INT, V_BOOL } kind;
    const char *text;
    int64_t n;
};

/* The value of field f of rec; an SQ_AT field's is at, unless at is NULL. */
static struct value value_of(const void *rec, const struct sq_field *f, const char *at)
{
    struct value v = {V_NULL, NULL, 0};
    switch (f->type) {
    case SQ_F_STR:
        v.text = (f->use & SQ_AT) && at != NULL ? at : str_of(rec, f);
        v.kind = v.text != NULL ? V_TEXT : V_NULL;
        break;
    case SQ_F_I64:
    case SQ_F_INT:
        v.n = f->type == SQ_F_I64 ? i64_of(rec, f) : int_of(rec, f);
        v.kind = V_INT;
        break;
    case SQ_F_BOOL:
        v.n = int_of(rec, f) != 0;
        v.kind = V_BOOL;
        break;
    case SQ_F_TRI:
        v.n = int_of(rec, f);
        v.kind = v.n < 0 ? V_NULL : V_BOOL;
        break;
    case SQ_F_REF:
        v.n = i64_of(rec, f);
        v.kind = v.n > 0 ? V_INT : V_NULL;
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

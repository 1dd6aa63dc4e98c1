/* SPDX-License-Identifier: MIT
 * fields.c: a record's field values, read and written by its descriptors (fields.h). */
#include <string.h>

#include "clock.h"

#include "fields.h"
#include "rows.h"

struct sf_value sf_value_of(const void *rec, const struct sf_field *f, const char *at)
{
    const char *p = (const char *)rec + f->off;
    struct sf_value v = {SF_V_NULL, NULL, 0};
    unsigned u;
    int i;
    switch (f->type) {
    case SF_STR:
        memcpy(&v.text, p, sizeof v.text);
        if ((f->use & SF_AT) && at != NULL)
            v.text = at;
        v.kind = v.text != NULL ? SF_V_TEXT : SF_V_NULL;
        break;
    case SF_I64:
    case SF_REF:
        memcpy(&v.n, p, sizeof v.n);
        v.kind = f->type == SF_I64 || v.n > 0 ? SF_V_INT : SF_V_NULL;
        break;
    case SF_UINT:
        memcpy(&u, p, sizeof u);
        v.n = u;
        v.kind = SF_V_INT;
        break;
    case SF_INT:
    case SF_BOOL:
    case SF_TRI:
        memcpy(&i, p, sizeof i);
        v.n = f->type == SF_BOOL ? i != 0 : i;
        if (f->type == SF_INT)
            v.kind = SF_V_INT;
        else
            v.kind = f->type == SF_TRI && i < 0 ? SF_V_NULL : SF_V_BOOL;
        break;
    }
    return v;
}

void sf_put(void *rec, const struct sf_field *f, const char *text, int64_t n, int is_null)
{
    char *p = (char *)rec + f->off;
    unsigned u;
    int i;
    switch (f->type) {
    case SF_STR:
        memcpy(p, &text, sizeof text);
        break;
    case SF_I64:
    case SF_REF:
        memcpy(p, &n, sizeof n);
        break;
    case SF_UINT:
        u = (unsigned)n;
        memcpy(p, &u, sizeof u);
        break;
    case SF_INT:
    case SF_BOOL:
    case SF_TRI:
        i = f->type == SF_TRI && is_null ? -1 : (int)n;
        memcpy(p, &i, sizeof i);
        break;
    }
}

size_t sf_bind_values(const void *rec, const struct sf_record *rd, const char *at,
                      struct sf_value *out, size_t cap)
{
    size_t k, n = 0;
    for (k = 0; k < rd->n; k++) {
        if (!(rd->f[k].use & SF_BIND))
            continue;
        if (n < cap)
            out[n] = sf_value_of(rec, &rd->f[k], at);
        n++;
    }
    return n;
}

int sf_token_touch_now(struct hc_store *st, const char *last_used, int64_t token_id)
{
    char stale[HC_CLOCK_UTC_LEN];
    hc_clock_utc(hc_clock_now() - 60, stale);
    if (last_used != NULL && strcmp(last_used, stale) >= 0)
        return 0;
    if (st->reading)
        st->touch_token = token_id;
    return !st->reading && st->depth == 0;
}

int sf_fields_missing(const void *rec, const struct sf_record *rd)
{
    size_t k;
    for (k = 0; k < rd->n; k++)
        if ((rd->f[k].use & SF_REQ) && sf_value_of(rec, &rd->f[k], NULL).kind == SF_V_NULL)
            return 1;
    return 0;
}

void sf_jset_fields(json_t *o, const void *rec, const struct sf_record *rd, const char *at)
{
    size_t k;
    for (k = 0; k < rd->n; k++) {
        struct sf_value v;
        json_t *j;
        if (!(rd->f[k].use & SF_JSON))
            continue;
        v = sf_value_of(rec, &rd->f[k], at);
        if (v.kind == SF_V_NULL)
            j = json_null();
        else if (v.kind == SF_V_TEXT)
            j = json_string(v.text);
        else if (v.kind == SF_V_INT)
            j = json_integer(v.n);
        else
            j = json_boolean(v.n);
        json_object_set_new(o, rd->f[k].name, j);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The records both backends read and write, in their SELECTs' column order                   */

/* users: columns id, name, role, password_hash, created_at, disabled; the INSERT binds all
 * but the id. */
static const struct sf_field user_fields[] = {
    SF_FIELD(struct store_user, id, SF_I64, SF_COL),
    SF_FIELD(struct store_user, name, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_user, role, SF_STR, SF_AUDITED),
    SF_FIELD(struct store_user, password_hash, SF_STR, SF_STORED),
    SF_FIELD(struct store_user, created_at, SF_STR, SF_STORED | SF_AT),
    SF_FIELD(struct store_user, disabled, SF_BOOL, SF_STORED),
};
const struct sf_record sf_user_rec = SF_RECORD(struct store_user, user_fields);

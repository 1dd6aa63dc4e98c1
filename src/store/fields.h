/* SPDX-License-Identifier: MIT
 * fields.h: a row struct described field by field, so that a backend binds it, reads it and
 * writes its audit payload by one table instead of by hand, and both backends agree on the
 * columns of every record. For the backends' files only (src/store). */
#ifndef HC_STORE_FIELDS_H
#define HC_STORE_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store_conn.h"

/* A record's fields, in the order of the columns of the SELECTs that read it. name is the
 * column's name and the key of the field in an audit payload; off and type say where and what
 * the field is in the struct; use, in which of the record's statements it takes part. Nothing
 * in a descriptor is a backend's: each backend binds and reads by the same tables. */
enum sf_type {
    SF_STR,  /* const char *: text; NULL is SQL NULL and JSON null */
    SF_I64,  /* int64_t: integer */
    SF_INT,  /* int: integer */
    SF_UINT, /* unsigned: integer (a set of flags) */
    SF_BOOL, /* int: stored 0 or 1 (anything non-zero is 1), shown as a JSON boolean */
    SF_TRI,  /* int: -1 not known (NULL), 0 or 1 (JSON null or boolean) */
    SF_REF   /* int64_t: an optional row id; 0 or less is NULL (JSON null) */
};
#define SF_COL 1u  /* a column of the SELECTs that read the record */
#define SF_BIND 2u /* a parameter of the record's INSERT, in descriptor order */
#define SF_JSON 4u /* a member of the record's audit payload */
#define SF_AT 8u   /* bound and shown as the time of the write when one is given */
#define SF_REQ 16u /* a string the record's write requires (NULL: HC_EINVAL, nothing written) */
#define SF_STORED (SF_COL | SF_BIND)
#define SF_AUDITED (SF_COL | SF_BIND | SF_JSON)
struct sf_field {
    const char *name;
    size_t off;
    enum sf_type type;
    unsigned use;
};
struct sf_record {
    const struct sf_field *f;
    size_t n;
    size_t size; /* of the struct */
};
/* The field member of struct type T, named as the member; a record of the array fields. */
#define SF_FIELD(T, member, type, use) {#member, offsetof(T, member), type, use}
#define SF_RECORD(T, fields) {(fields), sizeof(fields) / sizeof *(fields), sizeof(T)}
/* A field's value as bound and shown: NULL, text, an integer or a boolean (n: 0 is false). */
struct sf_value {
    enum { SF_V_NULL, SF_V_TEXT, SF_V_INT, SF_V_BOOL } kind;
    const char *text;
    int64_t n;
};

/* The value of field f of rec; an SF_AT field's is at, unless at is NULL. */
struct sf_value sf_value_of(const void *rec, const struct sf_field *f, const char *at);

/* Store into field f of rec the column value text (NULL: the column is NULL), or, for an
 * integer or boolean field, n. The string is stored as given: the caller copies it first. */
void sf_put(void *rec, const struct sf_field *f, const char *text, int64_t n, int is_null);

/* The most SF_BIND fields a record has (10 today): the parameters of one INSERT. */
#define SF_BIND_MAX 16

/* The values of rec's SF_BIND fields, in order, into out[0..cap) (an SF_AT field's is at,
 * unless at is NULL): the parameters of the record's INSERT. Returns how many there are, which
 * may exceed cap (then only cap are written). */
size_t sf_bind_values(const void *rec, const struct sf_record *rd, const char *at,
                      struct sf_value *out, size_t cap);

/* Whether an SF_REQ field of rec is NULL. */
int sf_fields_missing(const void *rec, const struct sf_record *rd);

/* Set the SF_JSON fields of rec as members of o (an SF_AT field as at, unless at is NULL). */
void sf_jset_fields(json_t *o, const void *rec, const struct sf_record *rd, const char *at);

/* Whether st should write now into the last_used of API token token_id, last used at
 * last_used (NULL: never). At most once a minute, since every write costs the database a flush
 * and a GET should not; never inside a write transaction; and inside a read transaction, which
 * cannot write, st->touch_token gets token_id, for the backend to write when the read ends. */
int sf_token_touch_now(struct hc_store *st, const char *last_used, int64_t token_id);

/* The records both backends read and write (fields.c). */
extern const struct sf_record sf_user_rec; /* users: id, name, role, password_hash, created_at,
                                            * disabled; the parameters of the INSERT */

#endif

/* SPDX-License-Identifier: MIT
 * bound.c: the records the audit chain vouches for (bound.h): the table of bound tables, the
 * canonical row hash, the "bound" member of an audit payload, and the map of bindings that a
 * verification checks the tables against. Backend-neutral: the backends read the rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
#include "store.h"

/* The bound tables, one line each. The columns are every column of the SQLite table (the
 * PostgreSQL one adds agency_id, which is not hashed). A nullable column added to a table is
 * added to its line without changing the hash of a row that leaves it NULL; any other change
 * of a line's columns changes the hash of every row of its table, and rows bound before then
 * would no longer match. */
const struct bound_table bound_tables[] = {
    {"decisions", "decision",
     "id, request_id, version, outcome, ruleset, case_json, decision_json, decided_at,"
     " decided_by, catalog_version, settings_json, engine_version"},
    {"overrides", "override",
     "id, request_id, decision_id, outcome, reason, created_at, created_by"},
    {"notices", "notice",
     "id, request_id, kind, recipient, recipient_name, language, subdivision, intent,"
     " release_date, generated_at, generated_by, served_at, served_by, served_to, method"},
    {"bookings", "booking",
     "id, booking_no, person_id, booked_at, facility, status, scheduled_release, released_at,"
     " release_reason, bail, next_court_date"},
    {"request_actions", "action",
     "id, request_id, kind, at, method, acted_by, office, ice_reason, outcome_in_force,"
     " contrary, reason, recorded_by, recorded_at"},
    {"task_forces", "task_force",
     "id, name, purpose, members, joined, left_on, recorded_by, recorded_at"},
    {"task_force_arrests", "tf_arrests",
     "id, task_force_id, period_from, period_to, arrests, immigration_arrests, source,"
     " recorded_by, recorded_at"},
};
const size_t bound_ntables = sizeof bound_tables / sizeof bound_tables[0];

_Static_assert(sizeof bound_tables / sizeof bound_tables[0] <= BOUND_TABLES_MAX,
               "a backend keeps a statement for each bound table");

int bound_table_find(const char *name)
{
    size_t i;
    for (i = 0; i < bound_ntables; i++)
        if (strcmp(bound_tables[i].table, name) == 0)
            return (int)i;
    return -1;
}

int bound_entity_row(const char *entity, int64_t *id)
{
    const char *slash = strchr(entity, '/'), *p;
    int64_t v = 0;
    size_t i;

    if (slash == NULL || slash[1] == '\0' || slash[1] == '0')
        return -1;
    for (p = slash + 1; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    for (i = 0; i < bound_ntables; i++)
        if (strlen(bound_tables[i].entity) == (size_t)(slash - entity) &&
            memcmp(bound_tables[i].entity, entity, (size_t)(slash - entity)) == 0) {
            *id = v;
            return (int)i;
        }
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* The canonical row hash                                                                     */

#define ROW_COLS_MAX 64

/* Add one field to the row hash as chain_hash_field does (its 8-byte big-endian length, then
 * its bytes), through buf (BOUND_HASH_BUF bytes, *used of them filled): a row's fields are
 * hashed in one BLAKE2b update, or a few for a long row, instead of two updates a field. The
 * bytes hashed, and so the hash, are the same. */
#define BOUND_HASH_BUF 2048

static void hash_field(crypto_generichash_state *h, unsigned char *buf, size_t *used,
                       const char *v, size_t n)
{
    int i;
    if (*used + 8 + n > BOUND_HASH_BUF) {
        crypto_generichash_update(h, buf, *used);
        *used = 0;
        if (8 + n > BOUND_HASH_BUF) {
            chain_hash_field(h, v, n);
            return;
        }
    }
    for (i = 0; i < 8; i++)
        buf[*used + (size_t)i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    memcpy(buf + *used + 8, v, n);
    *used += 8 + n;
}

void bound_row_hash(const char *table, size_t ncols, const char *const *names,
                    const char *const *vals, const size_t *lens,
                    unsigned char out[CHAIN_HASH_LEN])
{
    size_t order[ROW_COLS_MAX], i, j, used = 0;
    unsigned char buf[BOUND_HASH_BUF];
    crypto_generichash_state h;

    if (ncols > ROW_COLS_MAX)
        ncols = ROW_COLS_MAX;
    /* Insertion sort by name: a few columns, and the order must not depend on the SELECT. */
    for (i = 0; i < ncols; i++) {
        for (j = i; j > 0 && strcmp(names[order[j - 1]], names[i]) > 0; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    crypto_generichash_init(&h, NULL, 0, CHAIN_HASH_LEN);
    hash_field(&h, buf, &used, table, strlen(table));
    for (i = 0; i < ncols; i++) {
        size_t c = order[i];
        /* A NULL is left out, name and all: a nullable column added to a table (and to its
         * line in bound_tables) leaves the hash of every row that does not set it as it was. */
        if (vals[c] == NULL)
            continue;
        hash_field(&h, buf, &used, names[c], strlen(names[c]));
        hash_field(&h, buf, &used, vals[c], lens[c]);
    }
    crypto_generichash_update(&h, buf, used);
    crypto_generichash_final(&h, out, CHAIN_HASH_LEN);
}

/* ------------------------------------------------------------------------------------------ */
/* The "bound" member                                                                         */

int bound_json_row(json_t *arr, int t, int64_t id, const unsigned char hash[CHAIN_HASH_LEN])
{
    char hex[CHAIN_HEX_LEN];
    sodium_bin2hex(hex, sizeof hex, hash, CHAIN_HASH_LEN);
    return json_array_append_new(arr, json_pack("{s:s, s:I, s:s}", "table",
                                                bound_tables[t].table, "id", (json_int_t)id,
                                                "hash", hex)) == 0
               ? HC_OK
               : HC_ENOMEM;
}

void bound_run_begin(struct bound_run *r)
{
    memset(r, 0, sizeof *r);
    r->t = -1;
}

/* Append the run so far to arr and empty it: {"table", "first_id", "digests"}, the digests
 * in unpadded URL-safe base64 (no character of it needs escaping in JSON). */
static int run_flush(struct bound_run *r, json_t *arr)
{
    size_t nbin = (size_t)r->n * BOUND_DIGEST_LEN, len;
    json_t *o = NULL;
    char *b64;
    if (r->t < 0 || r->n == 0)
        return HC_OK;
    len = sodium_base64_ENCODED_LEN(nbin, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if ((b64 = malloc(len)) != NULL) {
        sodium_bin2base64(b64, len, r->bin, nbin, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        /* base64 is ASCII: no UTF-8 check of a string of megabytes. */
        o = json_pack("{s:s, s:I, s:o}", "table", bound_tables[r->t].table, "first_id",
                      (json_int_t)r->first, "digests", json_stringn_nocheck(b64, len - 1));
        free(b64);
    }
    r->n = 0;
    r->t = -1;
    return o != NULL && json_array_append_new(arr, o) == 0 ? HC_OK : HC_ENOMEM;
}

int bound_run_add(struct bound_run *r, json_t *arr, int t, int64_t id,
                  const unsigned char hash[CHAIN_HASH_LEN])
{
    size_t need;
    int rc;
    if (r->t != t || r->first + r->n != id) {
        if ((rc = run_flush(r, arr)) != HC_OK)
            return rc;
        r->t = t;
        r->first = id;
    }
    need = ((size_t)r->n + 1) * BOUND_DIGEST_LEN;
    if (need > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : (size_t)1024 * BOUND_DIGEST_LEN;
        unsigned char *p;
        while (cap < need)
            cap *= 2;
        if ((p = realloc(r->bin, cap)) == NULL)
            return HC_ENOMEM;
        r->bin = p;
        r->cap = cap;
    }
    memcpy(r->bin + (size_t)r->n * BOUND_DIGEST_LEN, hash, BOUND_DIGEST_LEN);
    r->n++;
    return HC_OK;
}

int bound_run_end(struct bound_run *r, json_t *arr)
{
    int rc = run_flush(r, arr);
    free(r->bin);
    bound_run_begin(r);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The map of bindings                                                                        */

struct bound_slot {
    int64_t id;
    int64_t seq;                         /* 0: the slot is empty */
    int t;
    unsigned char seen;                  /* the row was read (bound_check_row) */
    unsigned char len;                   /* bytes of hash bound: CHAIN_HASH_LEN, or
                                          * BOUND_DIGEST_LEN for a row of a run */
    unsigned char hash[CHAIN_HASH_LEN];
};

void bound_map_init(struct bound_map *m)
{
    memset(m, 0, sizeof *m);
}

void bound_map_release(struct bound_map *m)
{
    free(m->slot);
    bound_map_init(m);
}

static size_t slot_of(const struct bound_map *m, int t, int64_t id)
{
    uint64_t k = ((uint64_t)id * 0x9E3779B97F4A7C15u) ^ ((uint64_t)t << 56);
    size_t i = (size_t)(k ^ (k >> 29)) & (m->cap - 1);
    while (m->slot[i].seq != 0 && (m->slot[i].t != t || m->slot[i].id != id))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int map_grow(struct bound_map *m)
{
    struct bound_map bigger;
    size_t i;
    bigger.cap = m->cap ? m->cap * 2 : 1024;
    bigger.n = m->n;
    if ((bigger.slot = calloc(bigger.cap, sizeof *bigger.slot)) == NULL)
        return HC_ENOMEM;
    for (i = 0; i < m->cap; i++)
        if (m->slot[i].seq != 0)
            bigger.slot[slot_of(&bigger, m->slot[i].t, m->slot[i].id)] = m->slot[i];
    free(m->slot);
    *m = bigger;
    return HC_OK;
}

/* Bind row id of table t to the first len bytes of its hash, hash, by entry seq. */
static int map_put(struct bound_map *m, int t, int64_t id, int64_t seq,
                   const unsigned char *hash, size_t len)
{
    struct bound_slot *sl;
    if (2 * (m->n + 1) > m->cap && map_grow(m) != HC_OK)
        return HC_ENOMEM;
    sl = &m->slot[slot_of(m, t, id)];
    if (sl->seq == 0)
        m->n++;
    sl->t = t;
    sl->id = id;
    sl->seq = seq;
    sl->len = (unsigned char)len;
    memcpy(sl->hash, hash, len);
    return HC_OK;
}

static struct bound_slot *map_get(const struct bound_map *m, int t, int64_t id)
{
    struct bound_slot *sl;
    if (m->cap == 0)
        return NULL;
    sl = &m->slot[slot_of(m, t, id)];
    return sl->seq != 0 ? sl : NULL;
}

/* Record a run's "digests" (base64 of BOUND_DIGEST_LEN bytes a row) from row first on. */
static int map_digests(struct bound_map *m, int64_t seq, int t, int64_t first, const char *b64,
                       size_t b64len)
{
    size_t cap = b64len / 4 * 3 + 3, nbin = 0, i;
    unsigned char *bin = malloc(cap);
    int rc = HC_OK;

    if (bin == NULL)
        return HC_ENOMEM;
    if (sodium_base642bin(bin, cap, b64, b64len, NULL, &nbin, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        nbin % BOUND_DIGEST_LEN != 0)
        rc = HC_EIO;
    for (i = 0; rc == HC_OK && i < nbin / BOUND_DIGEST_LEN; i++)
        rc = map_put(m, t, first + (int64_t)i, seq, bin + i * BOUND_DIGEST_LEN, BOUND_DIGEST_LEN);
    free(bin);
    return rc;
}

/* Record one member of "bound" (any of its forms) for entry seq. */
static int map_member(struct bound_map *m, int64_t seq, json_t *b)
{
    unsigned char hash[CHAIN_HASH_LEN];
    const char *table = json_string_value(json_object_get(b, "table"));
    json_t *id = json_object_get(b, "id"), *first = json_object_get(b, "first_id");
    json_t *digests = json_object_get(b, "digests");
    const char *hex;
    size_t len, i;
    int t, rc;

    if (table == NULL)
        return HC_EIO;
    if ((t = bound_table_find(table)) < 0)
        return HC_OK; /* a table this version does not bind */
    if (json_is_integer(id)) {
        hex = json_string_value(json_object_get(b, "hash"));
        if (hex == NULL || sodium_hex2bin(hash, sizeof hash, hex, strlen(hex), NULL, &len,
                                          NULL) != 0 || len != CHAIN_HASH_LEN)
            return HC_EIO;
        return map_put(m, t, (int64_t)json_integer_value(id), seq, hash, CHAIN_HASH_LEN);
    }
    if (!json_is_integer(first))
        return HC_EIO;
    if (digests != NULL)
        return json_is_string(digests)
                   ? map_digests(m, seq, t, (int64_t)json_integer_value(first),
                                 json_string_value(digests), json_string_length(digests))
                   : HC_EIO;
    /* The older run form: each row's whole hash, in hex. */
    hex = json_string_value(json_object_get(b, "hashes"));
    if (hex == NULL || json_string_length(json_object_get(b, "hashes")) % (CHAIN_HEX_LEN - 1) != 0)
        return HC_EIO;
    len = json_string_length(json_object_get(b, "hashes")) / (CHAIN_HEX_LEN - 1);
    for (i = 0; i < len; i++) {
        size_t got;
        if (sodium_hex2bin(hash, sizeof hash, hex + i * (CHAIN_HEX_LEN - 1), CHAIN_HEX_LEN - 1,
                           NULL, &got, NULL) != 0 || got != CHAIN_HASH_LEN)
            return HC_EIO;
        if ((rc = map_put(m, t, (int64_t)json_integer_value(first) + (int64_t)i, seq, hash,
                          CHAIN_HASH_LEN)) != HC_OK)
            return rc;
    }
    return HC_OK;
}

int bound_map_entry(struct bound_map *m, int64_t seq, const char *payload, size_t len)
{
    static const char key[] = "\"bound\":";
    json_t *pl, *arr, *b;
    size_t i;
    int rc = HC_OK;

    /* Most entries bind nothing: skip parsing those. */
    if (strstr(payload, key) == NULL)
        return HC_OK;
    if ((pl = json_loadb(payload, len, 0, NULL)) == NULL)
        return HC_EIO;
    arr = json_object_get(pl, "bound");
    if (arr != NULL && !json_is_array(arr))
        rc = HC_EIO;
    json_array_foreach(arr, i, b) {
        if (rc != HC_OK)
            break;
        rc = json_is_object(b) ? map_member(m, seq, b) : HC_EIO;
    }
    json_decref(pl);
    return rc;
}

int bound_map_has(const struct bound_map *m, int t, int64_t id, int64_t *seq)
{
    const struct bound_slot *sl = map_get(m, t, id);
    if (sl != NULL && seq != NULL)
        *seq = sl->seq;
    return sl != NULL;
}

/* Count a problem with row id of table t, and keep it when there is room. */
static void problem(struct store_audit_report *rep, int t, int64_t id, int64_t seq,
                    enum store_audit_row_problem what)
{
    struct store_audit_row *r;
    rep->row_problems++;
    if (rep->nrows >= STORE_AUDIT_ROWS_MAX)
        return;
    r = &rep->row[rep->nrows++];
    memset(r, 0, sizeof *r);
    snprintf(r->table, sizeof r->table, "%s", bound_tables[t].table);
    r->id = id;
    r->seq = seq;
    r->problem = what;
}

int bound_check_row(struct bound_map *m, int t, int64_t id,
                    const unsigned char hash[CHAIN_HASH_LEN], struct store_audit_report *rep)
{
    struct bound_slot *sl = map_get(m, t, id);
    rep->bound_rows++;
    if (sl == NULL) {
        problem(rep, t, id, 0, STORE_AUDIT_ROW_UNBOUND);
        return HC_OK;
    }
    sl->seen = 1;
    if (sodium_memcmp(sl->hash, hash, sl->len) != 0)
        problem(rep, t, id, sl->seq, STORE_AUDIT_ROW_CHANGED);
    return HC_OK;
}

void bound_check_missing(const struct bound_map *m, struct store_audit_report *rep)
{
    size_t i;
    for (i = 0; i < m->cap; i++)
        if (m->slot[i].seq != 0 && !m->slot[i].seen)
            problem(rep, m->slot[i].t, m->slot[i].id, m->slot[i].seq, STORE_AUDIT_ROW_DELETED);
}

/* ------------------------------------------------------------------------------------------ */
/* What a backend does with them                                                              */

/* What the bindings of one entry, or the unbound rows, are gathered in. */
struct gather {
    json_t *arr;
    struct bound_run run;
    const struct bound_map *m; /* bound_unbound_payload: rows it binds are skipped */
    int64_t n;                 /* rows gathered */
};

static int gather_row(void *ctx, int t, int64_t id, const unsigned char *hash)
{
    struct gather *g = ctx;
    g->n++;
    return bound_json_row(g->arr, t, id, hash);
}

static int gather_run(void *ctx, int t, int64_t id, const unsigned char *hash)
{
    struct gather *g = ctx;
    if (g->m != NULL && bound_map_has(g->m, t, id, NULL))
        return HC_OK;
    g->n++;
    return bound_run_add(&g->run, g->arr, t, id, hash);
}

int bound_gather(bound_scan_fn scan, void *backend, const char *entity,
                 const struct bound_note *notes, size_t n, json_t *payload)
{
    struct gather g = {NULL, {0}, NULL, 0};
    json_t *had;
    int64_t id = 0;
    size_t i;
    int t = bound_entity_row(entity, &id), rc = HC_OK;

    if (t < 0 && n == 0)
        return HC_OK;
    if ((g.arr = json_array()) == NULL)
        return HC_ENOMEM;
    bound_run_begin(&g.run);
    if (t >= 0)
        rc = scan(backend, t, id, id, gather_row, &g);
    for (i = 0; rc == HC_OK && i < n; i++) {
        rc = scan(backend, notes[i].t, notes[i].first, notes[i].last,
                  notes[i].first == notes[i].last ? gather_row : gather_run, &g);
        if (rc == HC_OK)
            rc = bound_run_end(&g.run, g.arr);
    }
    bound_run_end(&g.run, g.arr);
    had = json_object_get(payload, "bound");
    if (rc == HC_OK && g.n > 0) {
        /* An entry that binds rows itself (audit.bind) keeps them, with these after them. */
        if (json_is_array(had))
            rc = json_array_extend(had, g.arr) == 0 ? HC_OK : HC_ENOMEM;
        else
            rc = json_object_set(payload, "bound", g.arr) == 0 ? HC_OK : HC_ENOMEM;
    }
    json_decref(g.arr);
    return rc;
}

struct check {
    struct bound_map *m;
    struct store_audit_report *rep;
};

static int check_row(void *ctx, int t, int64_t id, const unsigned char *hash)
{
    struct check *c = ctx;
    return bound_check_row(c->m, t, id, hash, c->rep);
}

int bound_verify_rows(bound_scan_fn scan, void *backend, struct bound_map *m,
                      struct store_audit_report *rep)
{
    struct check c = {m, rep};
    size_t t;
    int rc = HC_OK;

    rep->rows_checked = 1;
    for (t = 0; rc == HC_OK && t < bound_ntables; t++)
        rc = scan(backend, (int)t, INT64_MIN, INT64_MAX, check_row, &c);
    if (rc == HC_OK)
        bound_check_missing(m, rep);
    return rc;
}

static int unbound_payload(bound_scan_fn scan, void *backend, const struct bound_map *m,
                           json_t **payload, int64_t *n)
{
    struct gather g = {NULL, {0}, m, 0};
    size_t t;
    int rc = HC_OK;

    *payload = NULL;
    *n = 0;
    if ((g.arr = json_array()) == NULL)
        return HC_ENOMEM;
    bound_run_begin(&g.run);
    for (t = 0; rc == HC_OK && t < bound_ntables; t++)
        rc = scan(backend, (int)t, INT64_MIN, INT64_MAX, gather_run, &g);
    if (rc == HC_OK)
        rc = bound_run_end(&g.run, g.arr);
    bound_run_end(&g.run, g.arr);
    if (rc == HC_OK && g.n > 0) {
        *payload = json_pack("{s:s, s:I, s:O}", "note",
                             "rows no entry bound, written before rows were bound into the"
                             " chain: this entry vouches for their content as it is now, not"
                             " as it was first written",
                             "rows", (json_int_t)g.n, "bound", g.arr);
        if (*payload == NULL)
            rc = HC_ENOMEM;
        else
            *n = g.n;
    }
    json_decref(g.arr);
    return rc;
}

int bound_verify(struct hc_store *st, bound_walk_fn walk, bound_scan_fn scan, void *backend,
                 struct store_audit_report *rep)
{
    struct bound_map m;
    int own = st->depth == 0 && !st->reading, rc;

    /* One snapshot: a row and the entry binding it commit together, so both or neither. */
    if (own && (rc = store_read_begin(st)) != HC_OK)
        return rc;
    bound_map_init(&m);
    rc = walk(backend, rep, &m);
    if (rc == HC_OK && rep->bad_seq == 0)
        rc = bound_verify_rows(scan, backend, &m, rep);
    bound_map_release(&m);
    if (own)
        store_read_end(st);
    return rc;
}

int bound_bind(struct hc_store *st, bound_walk_fn walk, bound_scan_fn scan, void *backend,
               const char *actor, int64_t *bound)
{
    struct store_audit_report rep;
    struct bound_map m;
    json_t *pl = NULL;
    int64_t n = 0;
    int rc;

    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    bound_map_init(&m);
    if ((rc = walk(backend, &rep, &m)) == HC_OK && rep.bad_seq != 0)
        rc = HC_EIO; /* nothing vouches for rows when the chain does not verify */
    if (rc == HC_OK)
        rc = unbound_payload(scan, backend, &m, &pl, &n);
    if (rc == HC_OK && pl != NULL)
        rc = st->audit->audit_append(st, actor, "audit.bind", "audit", pl);
    json_decref(pl);
    bound_map_release(&m);
    if (rc != HC_OK) {
        store_rollback(st);
        return rc;
    }
    if ((rc = store_commit(st)) == HC_OK)
        *bound = n;
    return rc;
}

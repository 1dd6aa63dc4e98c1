/* SPDX-License-Identifier: MIT
 * bound.h: the records the audit chain vouches for (docs/server.md, "Rows bound into the
 * chain"), the same for every backend. A write of a row of a bound table puts the row's content
 * hash into the audit entry of its transaction (the payload's "bound" member), and
 * verification checks every row of those tables against the latest entry that bound it. Here:
 * the table of bound tables, the canonical hash of a row, the "bound" member's two forms, and
 * the map of bindings a verification builds from the chain. Nothing outside src/store includes
 * this header. */
#ifndef HC_STORE_BOUND_H
#define HC_STORE_BOUND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "chain.h"
#include "rows_audit.h"
#include "store_conn.h"

/* One bound table: its name, the entity prefix of the audit entries about one of its rows
 * ("decision" for "decision/12": such an entry binds row 12), and the columns its content hash
 * covers, comma-separated, "id" among them. The columns are named, not "*", so that a backend
 * with more columns (PostgreSQL's agency_id) hashes the same row the same way. */
struct bound_table {
    const char *table;
    const char *entity;
    const char *columns;
};

extern const struct bound_table bound_tables[];
extern const size_t bound_ntables;

/* The most bound tables there may be (a backend keeps a statement per table). */
#define BOUND_TABLES_MAX 16

/* The index of table name in bound_tables, or -1. */
int bound_table_find(const char *name);

/* The bound table and row an audit entity names ("decision/12": decisions and 12): the index,
 * with *id (OUT); -1 when the entity names no row of a bound table. */
int bound_entity_row(const char *entity, int64_t *id);

/* The canonical hash of one row of table: BLAKE2b-256 of the table's name, then, for each
 * column that is not NULL, in the byte order of the names, the name and the value, each as
 * chain_hash_field does (an 8-byte big-endian length, then the bytes). A value is its text (an
 * integer in decimal). A NULL column is left out, so NULL, '' and 0 all differ, and a nullable
 * column added later does not change the hash of a row that leaves it NULL. names[i], vals[i]
 * (NULL for SQL NULL) and lens[i] describe column i, in any order (at most 64 columns). */
void bound_row_hash(const char *table, size_t ncols, const char *const *names,
                    const char *const *vals, const size_t *lens,
                    unsigned char out[CHAIN_HASH_LEN]);

/* Append to arr (a JSON array) the binding of one row: {"table", "id", "hash" (hex)}.
 * HC_ENOMEM. */
int bound_json_row(json_t *arr, int t, int64_t id, const unsigned char hash[CHAIN_HASH_LEN]);

/* A run of rows with consecutive ids, bound in one member {"table", "first_id", "digests": the
 * first BOUND_DIGEST_LEN bytes of the hashes of rows first_id, first_id + 1 ..., concatenated,
 * in unpadded URL-safe base64}: the form of a bulk write (an import's bookings). 16 bytes of
 * BLAKE2b-256 keep second-preimage resistance at 2^128 (no row can be changed to match its
 * digest) at 22 bytes of entry a row, where the whole hash in hex took 64: a 1,000,000-row
 * import's entry is 21 MB instead of 64 MB. Verification reads the older form {"table",
 * "first_id", "hashes": whole hashes in hex} too. Start a run with bound_run_begin, add each
 * row's hash in id order with bound_run_add (a gap in the ids, or a new table, ends the run
 * into arr and starts another), and finish with bound_run_end, which appends the last run.
 * HC_ENOMEM. */
#define BOUND_DIGEST_LEN 16
struct bound_run {
    int t;              /* table index, -1 when empty */
    int64_t first;      /* id of the first row */
    int64_t n;          /* rows so far */
    unsigned char *bin; /* their digests (malloc), BOUND_DIGEST_LEN bytes each */
    size_t cap;
};
void bound_run_begin(struct bound_run *r);
int bound_run_add(struct bound_run *r, json_t *arr, int t, int64_t id,
                  const unsigned char hash[CHAIN_HASH_LEN]);
int bound_run_end(struct bound_run *r, json_t *arr);

/* The bindings of a chain: for each (table, id), the hash of the latest entry binding it. */
struct bound_map {
    struct bound_slot *slot; /* open addressing (malloc) */
    size_t cap, n;
    const struct bound_map *only; /* when not NULL, bindings of rows it does not hold are not
                                   * recorded (bound_verify_only); borrowed */
    uint64_t recorded;            /* bindings recorded so far */
};
void bound_map_init(struct bound_map *m);
void bound_map_release(struct bound_map *m);

/* Record the bindings of entry seq, whose payload is payload (len bytes of JSON, then a NUL): each row of
 * its "bound" member now has that hash, replacing an earlier entry's. A member naming a table
 * not in bound_tables is skipped. HC_ENOMEM; HC_EIO when "bound" is malformed. */
int bound_map_entry(struct bound_map *m, int64_t seq, const char *payload, size_t len);

/* Whether row id of table t is bound by the map: 1 (and *seq, the latest binding entry, when
 * seq is not NULL), else 0. */
int bound_map_has(const struct bound_map *m, int t, int64_t id, int64_t *seq);

/* Check the row id of table t, whose content hash is hash, against the map: when no entry
 * binds it, or its latest binding has another hash, add a problem to rep. The row is marked
 * seen. HC_ENOMEM. */
int bound_check_row(struct bound_map *m, int t, int64_t id,
                    const unsigned char hash[CHAIN_HASH_LEN], struct store_audit_report *rep);

/* After every row of every bound table was checked: add a problem to rep for each binding
 * whose row was not seen (deleted). */
void bound_check_missing(const struct bound_map *m, struct store_audit_report *rep);

/* ------------------------------------------------------------------------------------------ */
/* What a backend does with them, given a reader of its rows                                  */

/* Told of one row: t its table, id, hash its bound_row_hash. HC_OK to go on, else an error. */
typedef int (*bound_row_fn)(void *ctx, int t, int64_t id, const unsigned char *hash);
/* A backend's reader: call each(ctx, ...) for every row of bound table t with an id in
 * first..last, in id order (backend is the backend's connection). Returns HC_OK, each's
 * error, or a store error. */
typedef int (*bound_scan_fn)(void *backend, int t, int64_t first, int64_t last,
                             bound_row_fn each, void *ctx);

/* Rows first..last of bound table t, written in the transaction of the next entry. */
struct bound_note {
    int t;
    int64_t first, last;
};

/* Add to payload's member "bound" (after what it holds) the rows an entry about entity binds:
 * the row entity names, when it is one of a bound table ("decision/12"), as {"table", "id",
 * "hash"}; and the n noted rows, a single row in that form and a range as runs. A row that does
 * not exist is not bound. Nothing is added when there is nothing to bind. HC_ENOMEM, or scan's
 * error. */
int bound_gather(bound_scan_fn scan, void *backend, const char *entity,
                 const struct bound_note *notes, size_t n, json_t *payload);

/* Check every row of every bound table against m (bound_check_row), then report the bindings
 * of rows not found (bound_check_missing); rep->rows_checked is set. HC_ENOMEM, or scan's
 * error. */
int bound_verify_rows(bound_scan_fn scan, void *backend, struct bound_map *m,
                      struct store_audit_report *rep);

/* A backend's walk of its audit chain (chain_walk_row for each entry, in seq order) into rep,
 * recording into m the bindings of each entry that holds (bound_map_entry). HC_OK whether or
 * not the chain is intact (rep->bad_seq says), or a store error. */
typedef int (*bound_walk_fn)(void *backend, struct store_audit_report *rep,
                             struct bound_map *m);

/* The backend's audit_verify (store_audit_verify's contract): walk the chain and, when it is
 * intact, check the rows (bound_verify_rows), in one read snapshot unless st is inside a
 * transaction already. */
int bound_verify(struct hc_store *st, bound_walk_fn walk, bound_scan_fn scan, void *backend,
                 struct store_audit_report *rep);

/* The backend's audit_bind (store_audit_bind's contract), in one transaction of st: one entry
 * "audit.bind" by actor binding, as runs, every row of a bound table that no entry binds. */
int bound_bind(struct hc_store *st, bound_walk_fn walk, bound_scan_fn scan, void *backend,
               const char *actor, int64_t *bound);

/* Add row id of bound table t to m without a binding, so that m can serve as another map's
 * `only` (bound_verify_only). HC_ENOMEM. */
int bound_map_hold(struct bound_map *m, int t, int64_t id);

/* bound_verify narrowed to some rows: walk the whole chain (walk is expected to check every
 * entry's link, and to rehash the entries that record a binding: chain_link_row), recording
 * only the bindings of the rows ids[t][0..n[t]) of each bound table t (ascending; ids and n
 * have bound_ntables members), then check those rows and no other:
 * each against its latest binding (bound_check_row: unbound or changed), and each bound one
 * that is no longer there (deleted). rep->rows_checked is set when the chain is intact. In one
 * read snapshot unless st is inside a transaction. HC_ENOMEM, or walk's or scan's error. */
int bound_verify_only(struct hc_store *st, bound_walk_fn walk, bound_scan_fn scan, void *backend,
                      const int64_t *const *ids, const size_t *n,
                      struct store_audit_report *rep);

#endif

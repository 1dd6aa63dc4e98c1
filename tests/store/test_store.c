/* SPDX-License-Identifier: MIT
 * test_store.c: the SQLite store and request intake: migrations, booking round trip, intake
 * writing request + decision + audit entries atomically (and nothing on failure), and audit
 * chain verification against rows altered, deleted and inserted behind the store's back with
 * raw SQL. Each test uses its own database file under $TMPDIR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "actions.h"
#include "anchor.h"
#include "auth.h"
#include "booking.h"
#include "cases_changes.h"
#include "cases_console.h"
#include "cases_public.h"
#include "cases_import.h"
#include "cases_readlog.h"
#include "cases_records.h"
#include "cases_reports.h"
#include "cases_requests.h"
#include "cases_taskforce.h"
#include "cases_users.h"
#include "cases_victims.h"
#include "catalog.h"
#include "catalog_builtin.h"
#include "engine.h"
#include "ident.h"
#include "intake.h"
#include "publish.h"
#include "review.h"
#include "sqlite_int.h"
#include "store.h"
#include "truth.h"

struct fixture {
    char path[256];
    struct hc_store *st;
    struct hc_catalog cat;
    void *cat_mem;
    char *scratch_mem;
    struct hc_arena scratch;
    const struct sqlite_case *sqlite_case; /* test_case's: the initial state */
};

static void remove_db(const char *path)
{
    char p[320];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static int setup(void **state)
{
    static int n;
    struct fixture *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    struct hc_diag d;
    struct hc_arena a;
    size_t total = 0, i;
    int from, to;

    assert_non_null(f);
    f->sqlite_case = *state;
    snprintf(f->path, sizeof f->path, "%s/hc_test_store_%ld_%d.db", tmp ? tmp : "/tmp",
             (long)getpid(), n++);
    remove_db(f->path);
    assert_int_equal(store_sqlite_open(f->path, STORE_OPEN_CREATE | STORE_OPEN_ANY_SCHEMA, &f->st,
                                       &d), HC_OK);
    assert_int_equal(store_migrate(f->st, &from, &to), HC_OK);
    for (i = 0; i < hc_catalog_builtin_n; i++)
        total += hc_catalog_builtin[i].len;
    total = total * 8 + 65536;
    f->cat_mem = malloc(total);
    assert_non_null(f->cat_mem);
    hc_arena_init(&a, f->cat_mem, total);
    assert_int_equal(hc_catalog_load(&f->cat, hc_catalog_builtin, hc_catalog_builtin_n, &a, &d),
                     HC_OK);
    f->scratch_mem = malloc(8u << 20);
    assert_non_null(f->scratch_mem);
    hc_arena_init(&f->scratch, f->scratch_mem, 8u << 20);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    remove_db(f->path);
    free(f->cat_mem);
    free(f->scratch_mem);
    free(f);
    return 0;
}

/* Run raw SQL on a second connection, as someone with the file would. */
static int raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static long long raw_count(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    long long n = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* A booking of a new person with three convictions and two charges (cases_records.h). */
static int64_t add_booking(struct fixture *f, const char *no, const char *local_id)
{
    return cases_add_booking(f->st, no, local_id);
}

/* ------------------------------------------------------------------------------------------ */

static void test_migrate(void **state)
{
    struct fixture *f = *state;
    struct hc_store *st = NULL;
    struct hc_diag d;
    char path[280];
    int v = -1, from = -1, to = -1;

    assert_int_equal(store_schema_version(f->st, &v), HC_OK);
    assert_int_equal(v, STORE_SCHEMA_VERSION);
    assert_int_equal(store_migrate(f->st, &from, &to), HC_OK); /* again: nothing to do */
    assert_int_equal(from, STORE_SCHEMA_VERSION);
    assert_int_equal(to, STORE_SCHEMA_VERSION);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM pragma_journal_mode"
                                        " WHERE journal_mode = 'wal'"), 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM agency_settings"), 1);

    /* A new file: a plain open refuses it until migrated. */
    snprintf(path, sizeof path, "%s.new", f->path);
    remove_db(path);
    assert_int_equal(store_sqlite_open(path, STORE_OPEN_CREATE, &st, &d), HC_ERANGE);
    assert_null(st);
    assert_non_null(strstr(d.msg, "migrate"));
    /* Missing file without CREATE: an error, and no file appears. */
    remove_db(path);
    assert_int_equal(store_sqlite_open(path, 0, &st, &d), HC_EIO);
    assert_int_equal(access(path, F_OK), -1);
    /* A newer schema than this build knows is refused too. */
    assert_int_equal(store_sqlite_open(path, STORE_OPEN_CREATE | STORE_OPEN_ANY_SCHEMA, &st, &d),
                     HC_OK);
    store_close(st);
    assert_int_equal(raw_exec(path, "PRAGMA user_version = 99"), SQLITE_OK);
    assert_int_equal(store_sqlite_open(path, 0, &st, &d), HC_ERANGE);
    assert_int_equal(store_sqlite_open(path, STORE_OPEN_ANY_SCHEMA, &st, &d), HC_OK);
    assert_int_equal(store_migrate(st, &from, &to), HC_ERANGE);
    store_close(st);
    remove_db(path);
}

static void test_intake_atomic(void **state)
{
    struct fixture *f = *state;
    struct store_request rq;
    struct intake_result res;
    struct store_record r;
    struct hc_diag d;

    add_booking(f, "T-0001", "TP-1");
    memset(&rq, 0, sizeof rq);
    rq.type = "notification";
    rq.form = "I-247A";
    rq.received_at = "2024-05-02T09:30:00-07:00";
    assert_int_equal(intake_submit(f->st, &f->cat, "T-0001", &rq, "test", &f->scratch, &res, &d),
                     HC_OK);
    assert_true(res.request_id > 0 && res.decision_id > 0);
    /* A felony PC 245(a)(1) conviction within 15 years opens notification (7282.5(a)(3)). */
    assert_non_null(strstr(res.decision_json, "\"outcome\":\"permitted\""));
    assert_non_null(strstr(res.decision_json, "\"id\":\"request-1\""));
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM immigration_requests"), 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM decisions"), 1);
    /* booking.create, request.receive, decision.record */
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), 3);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log WHERE action ="
                                        " 'decision.record' AND entity = 'decision/1'"), 1);
    /* The case was built from the record: as_of is the received date, only pending charges. */
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM decisions WHERE case_json LIKE"
                                        " '%\"as_of\":\"2024-05-02\"%' AND case_json LIKE"
                                        " '%PC 211%' AND case_json NOT LIKE '%PC 602%'"), 1);
    assert_int_equal(store_record_get(f->st, "T-0001", &f->scratch, &r), HC_OK);
    assert_int_equal(r.nreq, 1);
    assert_string_equal(r.req[0].outcome, "permitted");
    assert_string_equal(r.req[0].decision_json, res.decision_json);

    /* Failures write nothing: unknown booking, bad type, a date before the law, and a store
     * failure after the request row was already inserted inside the transaction. */
    assert_int_equal(intake_submit(f->st, &f->cat, "T-0404", &rq, "test", &f->scratch, &res, &d),
                     HC_ENOENT);
    assert_string_equal(d.field, "booking_no");
    rq.type = "tea";
    assert_int_equal(intake_submit(f->st, &f->cat, "T-0001", &rq, "test", &f->scratch, &res, &d),
                     HC_EINVAL);
    assert_string_equal(d.field, "type");
    rq.type = "hold";
    rq.received_at = "2013-12-31";
    assert_int_equal(intake_submit(f->st, &f->cat, "T-0001", &rq, "test", &f->scratch, &res, &d),
                     HC_ERANGE);
    assert_string_equal(d.field, "received_at");
    rq.received_at = "2024-05-03";
    assert_int_equal(raw_exec(f->path, "CREATE TRIGGER boom BEFORE INSERT ON decisions"
                                       " BEGIN SELECT RAISE(ABORT, 'boom'); END"), SQLITE_OK);
    assert_int_not_equal(intake_submit(f->st, &f->cat, "T-0001", &rq, "test", &f->scratch, &res,
                                       &d), HC_OK);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM immigration_requests"), 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM decisions"), 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), 3);
    assert_int_equal(raw_exec(f->path, "DROP TRIGGER boom"), SQLITE_OK);
    /* And the store still works after the rollback. */
    assert_int_equal(intake_submit(f->st, &f->cat, "T-0001", &rq, "test", &f->scratch, &res, &d),
                     HC_OK);
    assert_non_null(strstr(res.decision_json, "\"outcome\":\"prohibited\""));
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), 5);
}

/* Four audit entries: booking, agency update, request, decision. */
static void audit_setup(struct fixture *f)
{
    struct store_request rq;
    struct intake_result res;
    struct store_agency ag = {1, 0, "{\"notification\":\"serious_violent_only\"}"};
    struct store_audit_report rep;
    struct hc_diag d;
    add_booking(f, "T-0001", "TP-1");
    assert_int_equal(store_agency_set(f->st, &ag, "test"), HC_OK);
    memset(&rq, 0, sizeof rq);
    rq.type = "notification";
    rq.received_at = "2024-05-02";
    assert_int_equal(intake_submit(f->st, &f->cat, "T-0001", &rq, "test", &f->scratch, &res, &d),
                     HC_OK);
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.entries, 4);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(strlen(rep.head), 64);
    /* The log refuses updates and deletes while its triggers stand. */
    assert_int_not_equal(raw_exec(f->path, "UPDATE audit_log SET actor = 'x' WHERE seq = 2"),
                         SQLITE_OK);
    assert_int_not_equal(raw_exec(f->path, "DELETE FROM audit_log WHERE seq = 2"), SQLITE_OK);
}

static void test_audit_altered(void **state)
{
    struct fixture *f = *state;
    struct store_audit_report rep;
    audit_setup(f);
    assert_int_equal(raw_exec(f->path, "DROP TRIGGER audit_log_no_update;"
                                       " UPDATE audit_log SET payload = replace(payload,"
                                       " 'serious_violent_only', 'always') WHERE seq = 2"),
                     SQLITE_OK);
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 2);
    assert_non_null(strstr(rep.reason, "hash"));
}

static void test_audit_altered_and_rehashed(void **state)
{
    struct fixture *f = *state;
    struct store_audit_report rep;
    audit_setup(f);
    /* Changing a row and copying a plausible hash in still breaks the link to the next row. */
    assert_int_equal(raw_exec(f->path, "DROP TRIGGER audit_log_no_update;"
                                       " UPDATE audit_log SET hash = (SELECT hash FROM audit_log"
                                       " WHERE seq = 1) WHERE seq = 3"), SQLITE_OK);
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 3);
}

static void test_audit_deleted(void **state)
{
    struct fixture *f = *state;
    struct store_audit_report rep;
    audit_setup(f);
    assert_int_equal(raw_exec(f->path, "DROP TRIGGER audit_log_no_delete;"
                                       " DELETE FROM audit_log WHERE seq = 2"), SQLITE_OK);
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 2);
    assert_non_null(strstr(rep.reason, "missing"));
}

static void test_audit_deleted_renumbered(void **state)
{
    struct fixture *f = *state;
    struct store_audit_report rep;
    audit_setup(f);
    /* Delete seq 2 and close the gap: the prev_hash link exposes it. */
    assert_int_equal(raw_exec(f->path, "DROP TRIGGER audit_log_no_delete;"
                                       " DROP TRIGGER audit_log_no_update;"
                                       " DELETE FROM audit_log WHERE seq = 2;"
                                       " UPDATE audit_log SET seq = seq - 1 WHERE seq > 2"),
                     SQLITE_OK);
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 2);
    assert_non_null(strstr(rep.reason, "prev_hash"));
}

static void test_audit_inserted(void **state)
{
    struct fixture *f = *state;
    struct store_audit_report rep;
    audit_setup(f);
    /* A forged entry appended after the head, linked to it but not hashed by the store. */
    assert_int_equal(raw_exec(f->path, "INSERT INTO audit_log SELECT 5, at, 'intruder',"
                                       " 'decision.record', entity, payload, hash, hash"
                                       " FROM audit_log WHERE seq = 4"), SQLITE_OK);
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 5);
    assert_int_equal(rep.entries, 5);
}

static void test_audit_inserted_middle(void **state)
{
    struct fixture *f = *state;
    struct store_audit_report rep;
    audit_setup(f);
    /* Make room after seq 1 and slip a copy of seq 1 in. */
    assert_int_equal(raw_exec(f->path, "DROP TRIGGER audit_log_no_update;"
                                       " UPDATE audit_log SET seq = seq + 10 WHERE seq > 1;"
                                       " UPDATE audit_log SET seq = seq - 9 WHERE seq > 10;"
                                       " INSERT INTO audit_log SELECT 2, at, actor, action, entity,"
                                       " payload, hash, hash FROM audit_log WHERE seq = 1"),
                     SQLITE_OK);
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 2);
    /* And the store refuses nothing else: a fresh write still appends after the bad chain, and
     * verify keeps reporting the first bad entry. */
    add_booking(f, "T-0002", "TP-2");
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 2);
}

static void test_received_at(void **state)
{
    static const struct {
        const char *s;
        int ok;
    } cases[] = {
        {"2024-05-01", 1}, {"2024-05-01T09:30:00Z", 1}, {"2024-05-01T09:30:00-07:00", 1},
        {"2024-05-01T09:30:00.123+01:00", 1}, {"2024-05-01T09:30:00", 1},
        {"2024-02-30", 0}, {"2024-05-01T24:00:00Z", 0}, {"2024-05-01 09:30:00", 0},
        {"2024-05-01T09:30Z", 0}, {"2024-05-01T09:30:00+0700", 0}, {"", 0}, {"yesterday", 0},
        {"2024-05-01T09:30:00Zjunk", 0}, {"2024-05-01T09:30:00.Z", 0},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hc_day day;
        int rc = intake_parse_received(cases[i].s, &day);
        if ((rc == HC_OK) != cases[i].ok)
            fail_msg("received_at '%s': got %d", cases[i].s, rc);
    }
}


/* ------------------------------------------------------------------------------------------ */
/* Migration 2: users, tokens, sessions, versioned decisions, overrides, listings             */

/* A database written by the first slice (schema 1, with demo data) migrates to 2, keeping
 * every decision as version 1 and the audit chain intact. */
static void test_migrate_v1(void **state)
{
    struct fixture *f = *state;
    struct hc_store *st = NULL;
    struct store_audit_report rep;
    struct store_request_detail det;
    struct hc_diag d;
    char path[280], *sql;
    FILE *fp;
    long n;
    int from = -1, to = -1;

    fp = fopen("tests/store/v1.sql", "rb");
    if (fp == NULL)
        skip(); /* run from the repository root, as make does */
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    rewind(fp);
    sql = malloc((size_t)n + 1);
    assert_non_null(sql);
    assert_int_equal(fread(sql, 1, (size_t)n, fp), (size_t)n);
    sql[n] = '\0';
    fclose(fp);
    snprintf(path, sizeof path, "%s.v1", f->path);
    remove_db(path);
    assert_int_equal(raw_exec(path, sql), SQLITE_OK);
    free(sql);
    assert_int_equal(store_sqlite_open(path, 0, &st, &d), HC_ERANGE); /* needs migrating */
    assert_int_equal(store_sqlite_open(path, STORE_OPEN_ANY_SCHEMA, &st, &d), HC_OK);
    assert_int_equal(store_migrate(st, &from, &to), HC_OK);
    assert_int_equal(from, 1);
    assert_int_equal(to, STORE_SCHEMA_VERSION);
    /* Migration 3 rebuilds charges and convictions: every row stays, the CHECKs still hold. */
    assert_int_equal(raw_count(path, "SELECT count(*) FROM charges"), 127);
    assert_int_equal(raw_count(path, "SELECT count(*) FROM convictions"), 61);
    assert_int_equal(raw_count(path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(raw_exec(path, "UPDATE charges SET level = 'violation' WHERE id = 1"),
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(path, "UPDATE convictions SET level = 'Felony' WHERE id = 1"),
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_count(path, "SELECT count(*) FROM decisions WHERE version = 1"), 3);
    assert_int_equal(raw_count(path, "SELECT count(*) FROM decisions"), 3);
    assert_int_equal(store_audit_verify(st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(store_request_get(st, 1, &f->scratch, &det), HC_OK);
    assert_int_equal(det.ndec, 1);
    assert_int_equal(det.dec[0].version, 1);
    assert_string_equal(det.dec[0].outcome, det.req.outcome);
    /* Migration 10: a decision from before the trace has none: not recorded, never filled in
     * from today's catalog or engine. */
    assert_null(det.dec[0].catalog_version);
    assert_null(det.dec[0].settings_json);
    assert_int_equal(det.dec[0].engine_version, 0);
    /* Versioning works on the migrated table: a re-decision adds version 2, with its trace. */
    {
        struct intake_result res;
        assert_int_equal(intake_redecide(st, &f->cat, 1, "test", &f->scratch, &res, &d), HC_OK);
        assert_int_equal(raw_count(path, "SELECT max(version) FROM decisions WHERE request_id = 1"),
                         2);
        assert_int_equal(store_request_get(st, 1, &f->scratch, &det), HC_OK);
        assert_int_equal(det.ndec, 2);
        assert_null(det.dec[0].catalog_version);
        assert_string_equal(det.dec[1].catalog_version, f->cat.version);
        assert_int_equal(det.dec[1].engine_version, HC_ENGINE_VERSION);
        assert_non_null(det.dec[1].settings_json);
        assert_non_null(strstr(det.dec[1].settings_json, "\"policy\":"));
    }
    store_close(st);
    remove_db(path);
}

static long long path_count(void *path, const char *sql)
{
    return raw_count(path, sql);
}

static int path_exec(void *path, const char *sql)
{
    return raw_exec(path, sql);
}

/* One case of cases_records.h or cases_requests.h, given as the test's initial state, on
 * SQLite (a fresh database). */
struct sqlite_case {
    const char *name;
    cases_fn run;
};

static void test_case(void **state)
{
    struct fixture *f = *state;
    const struct cases_env e = {&f->scratch, path_count, path_exec, f->path};
    f->sqlite_case->run(f->st, &e);
}

/* Migration 21 rebuilds subscriptions, which deliveries reference, with foreign keys off (the
 * runner's sq_migrations_foreign_keys_off): a database at 19 with email and webhook
 * subscriptions, events and deliveries migrates with every row and id intact, every reference
 * holding, and the new CHECKs (sms, six languages) in force. */
static void test_migrate_v19_subscriptions(void **state)
{
    struct fixture *f = *state;
    struct hc_store *st = NULL;
    struct hc_diag d;
    char path[280];
    sqlite3 *db = NULL;
    size_t i;
    int from = -1, to = -1;
    static const char rows[] =
        "INSERT INTO people (id, name, created_at) VALUES (7, 'DOE, JANE', '2026-12-01T00:00:00Z');"
        "INSERT INTO bookings (id, booking_no, person_id, booked_at, facility, status)"
        " VALUES (11, 'M-1', 7, '2026-12-01T00:00:00Z', 'Main', 'in_custody');"
        "INSERT INTO subscriptions (id, booking_id, channel, target, events, lang, secret,"
        " confirm_token, unsubscribe_token, state, created_at) VALUES"
        " (3, 11, 'email', 'a@example.org', 15, 'es', NULL, 'c3', 'u3', 'confirmed', 't'),"
        " (5, 11, 'webhook', 'https://h.example.org/', 3, 'en', 'ab', 'c5', 'u5', 'pending', 't'),"
        " (9, 11, 'email', 'b@example.org', 1, 'en', NULL, 'c9', 'u9', 'unsubscribed', 't');"
        "INSERT INTO public_events (id, booking_id, kind, data, created_at) VALUES"
        " (21, 11, 'confirm', '{}', 't'), (22, 11, 'released', '{}', 't');"
        "INSERT INTO deliveries (id, event_id, subscription_id, status, next_attempt_at,"
        " created_at) VALUES (31, 21, 5, 'pending', 't', 't'), (32, 22, 3, 'delivered', 't', 't'),"
        " (33, 22, 9, 'cancelled', 't', 't');";

    snprintf(path, sizeof path, "%s.v19", f->path);
    remove_db(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (i = 0; i < sq_nmigrations && sq_migrations[i].version <= 19; i++)
        assert_int_equal(sqlite3_exec(db, sq_migrations[i].sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 19", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, rows, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_sqlite_open(path, STORE_OPEN_ANY_SCHEMA, &st, &d), HC_OK);
    assert_int_equal(store_migrate(st, &from, &to), HC_OK);
    assert_int_equal(from, 19);
    assert_int_equal(to, STORE_SCHEMA_VERSION);
    /* Every row with its id and values; every delivery still names its subscription. */
    assert_int_equal(raw_count(path, "SELECT count(*) FROM subscriptions WHERE"
                                     " (id = 3 AND target = 'a@example.org' AND lang = 'es'"
                                     "  AND state = 'confirmed' AND unsubscribe_token = 'u3')"
                                     " OR (id = 5 AND channel = 'webhook' AND secret = 'ab'"
                                     "  AND events = 3 AND state = 'pending')"
                                     " OR (id = 9 AND state = 'unsubscribed' AND code_tries = 0)"),
                     3);
    assert_int_equal(raw_count(path, "SELECT count(*) FROM subscriptions"), 3);
    assert_int_equal(raw_count(path, "SELECT count(*) FROM deliveries d JOIN subscriptions s"
                                     " ON s.id = d.subscription_id WHERE d.id || '-' || s.id"
                                     " IN ('31-5', '32-3', '33-9')"), 3);
    assert_int_equal(raw_count(path, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(raw_count(path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                     " AND name IN ('subscriptions_booking',"
                                     " 'subscriptions_target')"), 2);
    store_close(st);
    /* The new CHECKs: 'sms' and the six languages pass, others still fail. */
    assert_int_equal(raw_exec(path, "UPDATE subscriptions SET channel = 'sms', target = '+15550100123',"
                                    " lang = 'ko' WHERE id = 5"), SQLITE_OK);
    assert_int_equal(raw_exec(path, "UPDATE subscriptions SET lang = 'fr' WHERE id = 5"),
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(path, "UPDATE subscriptions SET channel = 'fax' WHERE id = 5"),
                     SQLITE_CONSTRAINT);
    remove_db(path);
}

/* The person table has no column for immigration status, national origin or ethnicity. */
static void test_people_columns(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM pragma_table_info('people') WHERE"
                                        " name NOT IN ('id', 'name', 'date_of_birth', 'local_id',"
                                        " 'registrant_290', 'created_at', 'name_key')"), 0);
}

/* Which records changed (cases_changes.h), on SQLite. */
static void test_changes(void **state)
{
    struct fixture *f = *state;
    cases_changes(f->st, path_exec, f->path);
}

/* A token's last_used is written on the event loop that answers its request, so it never waits
 * for another writer: while another connection holds the write lock (a feed's delta), a use of
 * a token answers at once and leaves last_used alone; after the lock is gone (and the retry
 * pause, about a second), the next use writes it. Without the rule the use waited for
 * SQLite's busy timeout (SQ_BUSY_MS, 5 s) before giving up. */
static void test_token_touch_never_waits(void **state)
{
    struct fixture *f = *state;
    struct store_user u, got;
    sqlite3 *holder = NULL;
    int64_t id = 0, t0;

    memset(&u, 0, sizeof u);
    u.name = "feedbot";
    u.role = "clerk";
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    assert_int_equal(store_user_add(f->st, &u, "test", &id), HC_OK);
    assert_int_equal(store_token_add(f->st, id, "tokenhash-busy", "test"), HC_OK);
    assert_int_equal(sqlite3_open(f->path, &holder), SQLITE_OK);
    assert_int_equal(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    t0 = hc_clock_mono_us();
    assert_int_equal(store_token_user(f->st, "tokenhash-busy", &f->scratch, &got), HC_OK);
    assert_string_equal(got.name, "feedbot");
    /* Far below the 5 s the busy handler would have waited. */
    assert_true(hc_clock_mono_us() - t0 < 2000000);
    assert_int_equal(sqlite3_exec(holder, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(holder);
    assert_int_equal(path_count(f->path, "SELECT count(*) FROM api_tokens"
                                         " WHERE last_used IS NOT NULL"), 0);
    {
        struct timespec pause = {1, 100000000}; /* the retry pause */
        nanosleep(&pause, NULL);
    }
    assert_int_equal(store_token_user(f->st, "tokenhash-busy", &f->scratch, &got), HC_OK);
    assert_int_equal(path_count(f->path, "SELECT count(*) FROM api_tokens"
                                         " WHERE last_used IS NOT NULL"), 1);
}

/* The users area's cases (cases_users.h), then what the service layer adds: argon2id password
 * hashes, and tokens stored only as their hash. */
static void test_users(void **state)
{
    struct fixture *f = *state;
    struct store_user u, got;
    char hash[AUTH_PWHASH_LEN], pw[AUTH_PASSWORD_LEN], tok[AUTH_SECRET_LEN];
    char th[AUTH_HASH_HEX_LEN];
    int64_t id = 0;

    cases_users(f->st, &f->scratch, path_count, f->path);

    auth_new_password(pw);
    assert_int_equal(strlen(pw), AUTH_PASSWORD_LEN - 1);
    assert_int_equal(auth_password_hash(pw, hash), HC_OK);
    assert_int_equal(strncmp(hash, "$argon2id$", 10), 0);
    assert_true(auth_password_verify(hash, pw));
    assert_false(auth_password_verify(hash, "wrong"));
    assert_false(auth_password_verify("garbage", pw));
    memset(&u, 0, sizeof u);
    u.name = "dave";
    u.role = "clerk";
    u.password_hash = hash;
    assert_int_equal(store_user_add(f->st, &u, "test", &id), HC_OK);
    auth_new_secret(tok);
    assert_int_equal(strlen(tok), AUTH_SECRET_LEN - 1);
    auth_secret_hash(tok, strlen(tok), th);
    assert_int_equal(store_token_add(f->st, id, th, "test"), HC_OK);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM api_tokens WHERE token_hash LIKE"
                                        " 'hc_%'"), 0);
    assert_int_equal(store_token_user(f->st, th, &f->scratch, &got), HC_OK);
    assert_string_equal(got.name, "dave");
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log WHERE payload LIKE"
                                        " '%argon2%'"), 0);
    /* Names and roles. */
    assert_true(hc_user_name_valid("a.b-c_d@e", 9));
    assert_false(hc_user_name_valid("", 0));
    assert_false(hc_user_name_valid("a b", 3));
    assert_int_equal(auth_role_from_name("admin"), AUTH_ADMIN);
    assert_int_equal(auth_role_from_name("public"), 0);
    assert_string_equal(auth_role_name(AUTH_AUDITOR), "auditor");
}

/* Submit a request about T-0001 and return its id. */
static int64_t submit(struct fixture *f, const char *type, const char *received)
{
    struct store_request rq;
    struct intake_result res;
    struct hc_diag d;
    memset(&rq, 0, sizeof rq);
    rq.type = type;
    rq.received_at = received;
    assert_int_equal(intake_submit(f->st, &f->cat, "T-0001", &rq, "clerk-1", &f->scratch, &res,
                                   &d), HC_OK);
    return res.request_id;
}

static void test_redecide_versions(void **state)
{
    struct fixture *f = *state;
    struct store_request_detail det;
    struct store_record r;
    struct intake_result res;
    struct store_agency ag;
    struct hc_diag d;
    int64_t id;

    add_booking(f, "T-0001", "TP-1");
    id = submit(f, "notification", "2024-05-02");
    /* The agency changes its policy: a re-decision follows it, the original stays. */
    memset(&ag, 0, sizeof ag);
    ag.policy_json = "{\"notification\":\"never\"}";
    assert_int_equal(store_agency_set(f->st, &ag, "admin-1"), HC_OK);
    assert_int_equal(intake_redecide(f->st, &f->cat, id, "clerk-2", &f->scratch, &res, &d), HC_OK);
    assert_non_null(strstr(res.decision_json, "\"outcome\":\"prohibited\""));
    assert_int_equal(store_request_get(f->st, id, &f->scratch, &det), HC_OK);
    assert_int_equal(det.ndec, 2);
    assert_int_equal(det.dec[0].version, 1);
    assert_string_equal(det.dec[0].outcome, "permitted");
    assert_string_equal(det.dec[0].decided_by, "clerk-1");
    assert_int_equal(det.dec[1].version, 2);
    assert_string_equal(det.dec[1].outcome, "prohibited");
    assert_string_equal(det.dec[1].decided_by, "clerk-2");
    assert_string_equal(det.req.outcome, "prohibited"); /* the newest */
    assert_string_equal(det.booking_no, "T-0001");
    /* The booking shows the request once, with its newest outcome. */
    assert_int_equal(store_record_get(f->st, "T-0001", &f->scratch, &r), HC_OK);
    assert_int_equal(r.nreq, 1);
    assert_string_equal(r.req[0].outcome, "prohibited");
    /* Decisions are never updated or deleted, even with raw SQL (short of dropping triggers). */
    assert_int_not_equal(raw_exec(f->path, "UPDATE decisions SET outcome = 'permitted'"),
                         SQLITE_OK);
    assert_int_not_equal(raw_exec(f->path, "DELETE FROM decisions"), SQLITE_OK);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log WHERE action ="
                                        " 'decision.record' AND payload LIKE '%\"version\":2%'"),
                     1);
    assert_int_equal(intake_redecide(f->st, &f->cat, 999, "x", &f->scratch, &res, &d), HC_ENOENT);
    assert_string_equal(d.field, "id");
}

static void test_override(void **state)
{
    struct fixture *f = *state;
    struct store_request_detail det;
    struct store_override o;
    struct hc_diag d;
    int64_t permitted, prohibited, oid = 0;
    long long audit;

    add_booking(f, "T-0001", "TP-1");
    permitted = submit(f, "notification", "2024-05-02");
    prohibited = submit(f, "hold", "2024-05-02");
    assert_int_equal(review_outcome_rank("permitted"), 0);
    assert_int_equal(review_outcome_rank("prohibited"), 3);
    assert_int_equal(review_outcome_rank("maybe"), -1);
    audit = raw_count(f->path, "SELECT count(*) FROM audit_log");

    /* Refused: less restrictive (naming the provision), equal, unknown outcome or request. */
    assert_int_equal(review_override(f->st, prohibited, "permitted", "r", "sup", &f->scratch,
                                     &oid, &d), HC_ERANGE);
    assert_string_equal(d.field, "outcome");
    assert_non_null(strstr(d.msg, "7284.6(a)(1)(B)"));
    assert_int_equal(review_override(f->st, prohibited, "prohibited", "r", "sup", &f->scratch,
                                     &oid, &d), HC_ERANGE);
    assert_int_equal(review_override(f->st, permitted, "permitted", "r", "sup", &f->scratch, &oid,
                                     &d), HC_ERANGE);
    assert_int_equal(review_override(f->st, permitted, "maybe", "r", "sup", &f->scratch, &oid,
                                     &d), HC_EINVAL);
    assert_int_equal(review_override(f->st, 999, "prohibited", "r", "sup", &f->scratch, &oid, &d),
                     HC_ENOENT);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM overrides"), 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), audit);

    /* Accepted: more restrictive, stored with its audit entry. */
    assert_int_equal(review_override(f->st, permitted, "review", "needs a second look", "sup",
                                     &f->scratch, &oid, &d), HC_OK);
    assert_true(oid > 0);
    assert_int_equal(review_override(f->st, permitted, "prohibited", "county policy", "sup",
                                     &f->scratch, &oid, &d), HC_OK);
    assert_int_equal(store_request_get(f->st, permitted, &f->scratch, &det), HC_OK);
    assert_int_equal(det.novr, 2);
    assert_string_equal(det.ovr[0].outcome, "review");
    assert_string_equal(det.ovr[1].reason, "county policy");
    assert_string_equal(det.ovr[1].created_by, "sup");
    assert_int_equal(det.ovr[1].decision_id, det.dec[0].id);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log WHERE action ="
                                        " 'override.record' AND actor = 'sup'"), 2);

    /* The store refuses an override naming another request's decision, and an empty reason;
     * neither leaves anything behind. */
    memset(&o, 0, sizeof o);
    o.request_id = permitted;
    o.decision_id = det.dec[0].id + 1; /* the hold request's decision */
    o.outcome = "prohibited";
    o.reason = "x";
    o.created_by = "sup";
    assert_int_equal(store_override_add(f->st, &o, &oid), HC_EINVAL);
    o.decision_id = det.dec[0].id;
    o.reason = "";
    assert_int_equal(store_override_add(f->st, &o, &oid), HC_EINVAL);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM overrides"), 2);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), audit + 2);
}

static void test_listings(void **state)
{
    struct fixture *f = *state;
    struct store_request_filter flt;
    struct store_request_item *it = NULL;
    struct store_audit_entry *e = NULL;
    size_t n = 0;

    add_booking(f, "T-0001", "TP-1");
    submit(f, "notification", "2024-05-02");
    submit(f, "hold", "2024-05-03T10:00:00-07:00");
    submit(f, "notification", "2024-05-04");
    memset(&flt, 0, sizeof flt);
    flt.limit = 500;
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(it[0].booking_no, "T-0001");
    assert_int_equal(it[0].ndecisions, 1);
    flt.type = "notification";
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_OK);
    assert_int_equal(n, 2);
    flt.type = NULL;
    flt.outcome = "prohibited";
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(it[0].req.type, "hold");
    flt.outcome = NULL;
    flt.from = "2024-05-03";
    flt.to = "2024-05-03";
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_OK);
    assert_int_equal(n, 1);
    flt.from = flt.to = NULL;
    flt.booking_no = "T-0404";
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_OK);
    assert_int_equal(n, 0);
    flt.booking_no = NULL;
    flt.limit = 2;
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_OK);
    assert_int_equal(n, 2);
    flt.after_id = it[1].req.id;
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(it[0].req.id, 3);
    flt.after_id = 0;
    flt.offset = 1;
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_OK);
    assert_int_equal(it[0].req.id, 2);
    flt.limit = 0;
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_EINVAL);
    flt.limit = 501;
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &it, &n), HC_EINVAL);

    /* booking.create + 3 x (request.receive, decision.record) */
    assert_int_equal(store_audit_list(f->st, 0, 500, &f->scratch, &e, &n), HC_OK);
    assert_int_equal(n, 7);
    assert_string_equal(e[0].action, "booking.create");
    assert_string_equal(e[1].actor, "clerk-1");
    assert_int_equal(store_audit_list(f->st, 5, 1, &f->scratch, &e, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(e[0].seq, 6);
    assert_int_equal(store_audit_list(f->st, 0, 0, &f->scratch, &e, &n), HC_EINVAL);
}

/* user_reset (cases_users.h), on SQLite. */
static void test_user_reset(void **state)
{
    struct fixture *f = *state;
    cases_user_reset(f->st, path_count, f->path);
}

/* Anchors (src/app/anchor.h): a log rewritten whole, every hash recomputed, verifies as a
 * chain but fails an anchor taken before; a log cut short fails one past its new end. */
static void test_audit_anchor(void **state)
{
    struct fixture *f = *state;
    struct store_audit_report rep;
    struct store_audit_entry *e = NULL;
    char hash[ANCHOR_HASH_HEX + 1], bad[120];
    const char *why = NULL;
    struct hc_diag d;
    int64_t seq = 0;
    size_t n = 0;

    audit_setup(f);
    assert_int_equal(store_audit_list(f->st, 1, 1, &f->scratch, &e, &n), HC_OK);
    assert_int_equal(n, 1);
    snprintf(bad, sizeof bad, "2:%s", e[0].hash);
    assert_int_equal(anchor_parse(bad, &seq, hash, &d), HC_OK);
    assert_int_equal(seq, 2);
    assert_int_equal(anchor_check(f->st, seq, hash, &f->scratch, &why), 1);
    /* malformed anchors */
    hc_diag_clear(&d);
    assert_int_equal(anchor_parse("2:abc", &seq, hash, &d), HC_EINVAL);
    assert_string_equal(d.field, "anchor");
    assert_int_equal(anchor_parse("0:" "0000000000000000000000000000000000000000000000000000000000000000",
                                  &seq, hash, &d), HC_EINVAL);
    assert_int_equal(anchor_parse("x:" "0000000000000000000000000000000000000000000000000000000000000000",
                                  &seq, hash, &d), HC_EINVAL);

    /* Rewrite history from seq 2 on, through the store itself, so every hash is right. */
    assert_int_equal(raw_exec(f->path, "DROP TRIGGER audit_log_no_delete;"
                                       " DELETE FROM audit_log WHERE seq >= 2"), SQLITE_OK);
    add_booking(f, "RW-1", "L-RW-1");
    assert_int_equal(store_audit_verify(f->st, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0); /* the chain alone cannot tell */
    assert_int_equal(anchor_check(f->st, seq, hash, &f->scratch, &why), 0);
    assert_non_null(strstr(why, "rewritten"));
    /* Cut short: an anchor past the end */
    snprintf(bad, sizeof bad, "%lld:%s", (long long)rep.entries + 5, hash + 0);
    assert_int_equal(anchor_parse(bad, &seq, hash, &d), HC_OK);
    assert_int_equal(anchor_check(f->st, seq, hash, &f->scratch, &why), 0);
    assert_non_null(strstr(why, "no longer"));
}

/* ------------------------------------------------------------------------------------------ */
/* Booking changes and the events they raise (src/app/booking.c)                               */

/* Subscribe target to booking no's events evts and confirm it. */
/* A pending subscription of booking no to target for evts (its confirmation queued). */
static void subscribe_pending(struct fixture *f, const char *no, const char *target,
                              unsigned evts, const char *ctok, const char *utok)
{
    struct store_subscription sub;
    int64_t delivery = 0;
    memset(&sub, 0, sizeof sub);
    sub.booking_no = no;
    sub.channel = "email";
    sub.target = target;
    sub.events = evts;
    sub.advance_days = 3;
    sub.lang = "en";
    sub.confirm_token = ctok;
    sub.unsubscribe_token = utok;
    assert_int_equal(store_subscription_add(f->st, &sub, &delivery), HC_OK);
    assert_true(delivery > 0);
}

/* The same, confirmed. */
static void subscribe(struct fixture *f, const char *no, const char *target, unsigned evts,
                      const char *ctok, const char *utok)
{
    struct store_subscription_info info;
    subscribe_pending(f, no, target, evts, ctok, utok);
    assert_int_equal(store_subscription_confirm(f->st, ctok, "2000-01-01T00:00:00Z",
                                                &f->scratch, &info), HC_OK);
    assert_string_equal(info.state, "confirmed");
}

static void set_policy(struct fixture *f, unsigned fields)
{
    struct store_public_policy p;
    memset(&p, 0, sizeof p);
    p.fields = fields;
    p.recent_days = 7;
    assert_int_equal(store_public_policy_set(f->st, &p, "test"), HC_OK);
}

static long long event_deliveries(struct fixture *f, const char *kind)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM deliveries d JOIN public_events e"
             " ON e.id = d.event_id WHERE e.kind = '%s'", kind);
    return raw_count(f->path, sql);
}

/* The publication policy's rule for events, as booking changes apply it. */
static int event_public(unsigned fields, unsigned evt)
{
    return publish_allows(fields, PUBLISH_EVENT, evt);
}

static void test_publish_allows_event(void **state)
{
    (void)state;
    /* without a public booking number nobody can name the booking: no event is public */
    assert_false(event_public(STORE_PUB_ALL & ~STORE_PUB_BOOKING_NO, STORE_EVT_RELEASED));
    assert_false(event_public(STORE_PUB_ALL & ~STORE_PUB_BOOKING_NO, STORE_EVT_ADVANCE));
    assert_true(event_public(STORE_PUB_ALL, STORE_EVT_TRANSFERRED));
    /* each event only with what it tells */
    assert_true(event_public(STORE_PUB_BOOKING_NO | STORE_PUB_FACILITY,
                                     STORE_EVT_TRANSFERRED));
    assert_false(event_public(STORE_PUB_BOOKING_NO | STORE_PUB_FACILITY,
                                      STORE_EVT_RELEASED));
    assert_true(event_public(STORE_PUB_BOOKING_NO | STORE_PUB_RECENTLY_RELEASED,
                                     STORE_EVT_RELEASED));
    assert_true(event_public(STORE_PUB_BOOKING_NO | STORE_PUB_CUSTODY_STATUS,
                                     STORE_EVT_RELEASED));
    assert_false(event_public(STORE_PUB_ALL & ~STORE_PUB_SCHEDULED_RELEASE,
                                      STORE_EVT_RELEASE_DATE));
    assert_false(event_public(STORE_PUB_ALL & ~STORE_PUB_SCHEDULED_RELEASE,
                                      STORE_EVT_ADVANCE));
    assert_false(event_public(STORE_PUB_ALL, 0));
    assert_false(event_public(STORE_PUB_ALL, STORE_EVT_ALL));
}

/* The one rule of what a custody change is (booking.h): a release, a move between two known
 * facilities, a release date set while in custody; a facility recorded or erased moves nobody. */
static void test_booking_change_kinds(void **state)
{
    struct store_booking_state a = {.booking_no = "K-1", .status = "in_custody"}, b;
    (void)state;
    b = a;
    assert_int_equal(booking_change_kinds(&a, &b), 0);
    b.facility = "Main Jail"; /* recorded where there was none */
    assert_int_equal(booking_change_kinds(&a, &b), 0);
    assert_int_equal(booking_change_kinds(&b, &a), 0); /* erased */
    a.facility = "North Annex";
    assert_int_equal(booking_change_kinds(&a, &b), BOOKING_TRANSFERRED);
    b.facility = "North Annex";
    b.scheduled_release = "2027-01-10";
    assert_int_equal(booking_change_kinds(&a, &b), BOOKING_RELEASE_DATE);
    b.status = "released"; /* released with a date: the release, not a new date */
    b.released_at = "2026-12-01T10:00:00Z";
    assert_int_equal(booking_change_kinds(&a, &b), BOOKING_RELEASED);
    b.facility = "Main Jail";
    assert_int_equal(booking_change_kinds(&a, &b), BOOKING_RELEASED | BOOKING_TRANSFERRED);
    assert_int_equal(booking_change_kinds(&b, &b), 0); /* released again: nothing */
}

/* Deliveries of the event kind on booking no (d JOIN e: the event's own booking). */
static long long deliveries_to(struct fixture *f, const char *kind, const char *no, const char *to)
{
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM deliveries d JOIN public_events e"
             " ON e.id = d.event_id JOIN bookings b ON b.id = e.booking_id JOIN subscriptions s"
             " ON s.id = d.subscription_id WHERE e.kind = '%s' AND b.booking_no = '%s'"
             " AND s.target = '%s'", kind, no, to);
    return raw_count(f->path, sql);
}

/* A subscription follows its person to a later booking (subscribe.h): told of the later
 * booking's events for SUBSCRIBE_FOLLOW_DAYS after it was confirmed, under a policy that
 * publishes names; never of an earlier booking's; not once ended or too old. */
static void test_subscription_follows_person(void **state)
{
    struct fixture *f = *state;
    struct store_booking_patch p;
    struct store_booking_state out;
    struct hc_diag d;

    add_booking(f, "FO-1", "L-FO");
    assert_int_equal(raw_exec(f->path, "INSERT INTO bookings (booking_no, person_id, booked_at,"
                     " facility, status) SELECT 'FO-2', person_id, '2026-11-01T00:00:00Z',"
                     " 'Main Jail', 'in_custody' FROM bookings WHERE booking_no = 'FO-1'"),
                     SQLITE_OK);
    set_policy(f, STORE_PUB_ALL);
    subscribe(f, "FO-1", "first@example.org", STORE_EVT_TRANSFERRED, "fc-1", "fu-1");
    subscribe(f, "FO-1", "old@example.org", STORE_EVT_TRANSFERRED, "fc-2", "fu-2");
    subscribe(f, "FO-2", "second@example.org", STORE_EVT_TRANSFERRED, "fc-3", "fu-3");
    /* confirmed more than SUBSCRIBE_FOLLOW_DAYS ago: follows no more */
    assert_int_equal(raw_exec(f->path, "UPDATE subscriptions SET confirmed_at ="
                     " '2020-01-01T00:00:00Z' WHERE target = 'old@example.org'"), SQLITE_OK);

    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_FACILITY;
    p.facility = "North Annex";
    assert_int_equal(booking_update(f->st, "FO-2", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(deliveries_to(f, "transferred", "FO-2", "second@example.org"), 1);
    assert_int_equal(deliveries_to(f, "transferred", "FO-2", "first@example.org"), 1);
    assert_int_equal(deliveries_to(f, "transferred", "FO-2", "old@example.org"), 0);
    assert_int_equal(out.deliveries, 2);
    /* an earlier booking's event is not told to the later booking's subscriber */
    assert_int_equal(booking_update(f->st, "FO-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(deliveries_to(f, "transferred", "FO-1", "second@example.org"), 0);
    assert_int_equal(deliveries_to(f, "transferred", "FO-1", "first@example.org"), 1);
    /* names not published: nobody follows */
    set_policy(f, STORE_PUB_ALL & ~STORE_PUB_NAME);
    p.facility = "South Facility";
    assert_int_equal(booking_update(f->st, "FO-2", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(deliveries_to(f, "transferred", "FO-2", "second@example.org"), 2);
    assert_int_equal(deliveries_to(f, "transferred", "FO-2", "first@example.org"), 1);
}

/* Advance notice of a scheduled release follows the person as events do: a subscriber of an
 * earlier booking confirmed within SUBSCRIBE_FOLLOW_DAYS is told of the later booking's
 * release, once; not one confirmed too long ago, not of an earlier booking's release, and
 * nobody under a policy that publishes no names. */
static void test_advance_notice_follows_person(void **state)
{
    struct fixture *f = *state;
    struct store_booking_patch p;
    struct store_booking_state out;
    struct hc_diag d;
    int64_t queued = -1;

    add_booking(f, "AF-1", "L-AF");
    assert_int_equal(raw_exec(f->path, "INSERT INTO bookings (booking_no, person_id, booked_at,"
                     " facility, status) SELECT 'AF-2', person_id, '2026-11-01T00:00:00Z',"
                     " 'Main Jail', 'in_custody' FROM bookings WHERE booking_no = 'AF-1'"),
                     SQLITE_OK);
    set_policy(f, STORE_PUB_ALL);
    subscribe(f, "AF-1", "first@example.org", STORE_EVT_ADVANCE, "ac-1", "au-1");
    subscribe(f, "AF-1", "old@example.org", STORE_EVT_ADVANCE, "ac-2", "au-2");
    subscribe(f, "AF-2", "second@example.org", STORE_EVT_ADVANCE, "ac-3", "au-3");
    assert_int_equal(raw_exec(f->path, "UPDATE subscriptions SET confirmed_at ="
                     " '2020-01-01T00:00:00Z' WHERE target = 'old@example.org'"), SQLITE_OK);
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_SCHEDULED_RELEASE;
    p.scheduled_release = "2030-05-03";
    assert_int_equal(booking_update(f->st, "AF-2", &p, "clerk1", &f->scratch, &out, &d), HC_OK);

    assert_int_equal(booking_advance_scan(f->st, "2030-05-01", &queued), HC_OK);
    assert_int_equal(queued, 2);
    assert_int_equal(deliveries_to(f, "advance_notice", "AF-2", "second@example.org"), 1);
    assert_int_equal(deliveries_to(f, "advance_notice", "AF-2", "first@example.org"), 1);
    assert_int_equal(deliveries_to(f, "advance_notice", "AF-2", "old@example.org"), 0);
    assert_int_equal(booking_advance_scan(f->st, "2030-05-02", &queued), HC_OK);
    assert_int_equal(queued, 0); /* once */

    /* the earlier booking's release is not told to the later booking's subscriber */
    p.scheduled_release = "2030-06-03";
    assert_int_equal(booking_update(f->st, "AF-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(booking_advance_scan(f->st, "2030-06-01", &queued), HC_OK);
    assert_int_equal(deliveries_to(f, "advance_notice", "AF-1", "second@example.org"), 0);
    assert_int_equal(deliveries_to(f, "advance_notice", "AF-1", "first@example.org"), 1);

    /* names not published: the later booking's new date reaches its own subscriber only */
    set_policy(f, STORE_PUB_ALL & ~STORE_PUB_NAME);
    p.scheduled_release = "2030-07-03";
    assert_int_equal(booking_update(f->st, "AF-2", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(booking_advance_scan(f->st, "2030-07-01", &queued), HC_OK);
    assert_int_equal(deliveries_to(f, "advance_notice", "AF-2", "second@example.org"), 2);
    assert_int_equal(deliveries_to(f, "advance_notice", "AF-2", "first@example.org"), 1);
}

/* The delivery queue: a custody event before any confirmation due earlier; expired pending
 * subscriptions purged with their deliveries, nothing else. */
static void test_delivery_lanes_and_purge(void **state)
{
    struct fixture *f = *state;
    struct store_booking_patch p;
    struct store_booking_state out;
    struct store_delivery_job j;
    struct hc_diag d;
    int64_t removed = -1;

    add_booking(f, "DQ-1", "L-DQ");
    set_policy(f, STORE_PUB_ALL);
    subscribe(f, "DQ-1", "moves@example.org", STORE_EVT_TRANSFERRED, "qc-1", "qu-1");
    subscribe_pending(f, "DQ-1", "flood1@example.org", STORE_EVT_TRANSFERRED, "qc-2", "qu-2");
    subscribe_pending(f, "DQ-1", "flood2@example.org", STORE_EVT_TRANSFERRED, "qc-3", "qu-3");
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_FACILITY;
    p.facility = "North Annex";
    assert_int_equal(booking_update(f->st, "DQ-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    /* every delivery due at once, the confirmations first by time */
    assert_int_equal(raw_exec(f->path, "UPDATE deliveries SET next_attempt_at ="
                     " '2026-01-01T00:00:00Z'; UPDATE deliveries SET next_attempt_at ="
                     " '2025-01-01T00:00:00Z' WHERE event_id IN (SELECT id FROM public_events"
                     " WHERE kind = 'confirm')"), SQLITE_OK);
    assert_int_equal(store_delivery_claim(f->st, "2026-06-01T00:00:00Z", &f->scratch, &j), HC_OK);
    assert_string_equal(j.kind, "transferred");
    assert_int_equal(store_delivery_claim(f->st, "2026-06-01T00:00:00Z", &f->scratch, &j), HC_OK);
    assert_string_equal(j.kind, "confirm");

    /* flood1 was asked 8 days ago: purged with its deliveries; flood2 (today) and the
     * confirmed subscription stay, however old */
    assert_int_equal(raw_exec(f->path, "UPDATE subscriptions SET created_at ="
                     " '2026-11-01T00:00:00Z' WHERE target IN ('flood1@example.org',"
                     " 'moves@example.org')"), SQLITE_OK);
    assert_int_equal(store_subscription_purge(f->st, "2026-11-30T00:00:00Z", &removed), HC_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM subscriptions WHERE target ="
                               " 'flood1@example.org'"), 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM deliveries d LEFT JOIN"
                               " subscriptions s ON s.id = d.subscription_id WHERE s.id IS NULL"), 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM subscriptions"), 2);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log WHERE action ="
                               " 'subscription.purge'"), 1);
    assert_int_equal(store_subscription_purge(f->st, "2026-11-30T00:00:00Z", &removed), HC_OK);
    assert_int_equal(removed, 0);
}

/* A new subscription within the caller's limits (rows_public.h): past the target's, the same
 * answer and no row; past the booking's pending ones, HC_ERANGE. */
static void test_subscription_limits(void **state)
{
    struct fixture *f = *state;
    struct store_subscription sub;
    int64_t delivery = 0;
    char ctok[16], utok[16];
    int i;

    add_booking(f, "SL-1", "L-SL-1");
    add_booking(f, "SL-2", "L-SL-2");
    add_booking(f, "SL-3", "L-SL-3");
    memset(&sub, 0, sizeof sub);
    sub.channel = "email";
    sub.events = STORE_EVT_TRANSFERRED;
    sub.advance_days = 3;
    sub.lang = "en";
    sub.confirm_token = ctok;
    sub.unsubscribe_token = utok;
    sub.max_per_target = 2;
    sub.max_pending_per_booking = 3;
    for (i = 0; i < 4; i++) { /* many@ for SL-1, SL-2, then SL-3: past its limit of 2 */
        static const char *const nos[] = {"SL-1", "SL-2", "SL-2", "SL-3"};
        snprintf(ctok, sizeof ctok, "lc-%d", i);
        snprintf(utok, sizeof utok, "lu-%d", i);
        sub.booking_no = nos[i];
        sub.target = i == 1 ? "other@example.org" : "many@example.org";
        assert_int_equal(store_subscription_add(f->st, &sub, &delivery), HC_OK);
        assert_true(i < 3 ? delivery > 0 : delivery == 0);
    }
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM subscriptions WHERE target ="
                               " 'many@example.org'"), 2);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log WHERE action ="
                               " 'subscription.refused'"), 1);
    /* SL-2 holds two pending; the third may wait, the fourth not */
    sub.booking_no = "SL-2";
    sub.target = "third@example.org";
    strcpy(ctok, "lc-8");
    strcpy(utok, "lu-8");
    assert_int_equal(store_subscription_add(f->st, &sub, &delivery), HC_OK);
    sub.target = "fourth@example.org";
    strcpy(ctok, "lc-9");
    strcpy(utok, "lu-9");
    assert_int_equal(store_subscription_add(f->st, &sub, &delivery), HC_ERANGE);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM subscriptions WHERE target ="
                               " 'fourth@example.org'"), 0);
    /* an unsubscribed one no longer counts against the target */
    assert_int_equal(raw_exec(f->path, "UPDATE subscriptions SET state = 'unsubscribed' WHERE"
                     " target = 'many@example.org' AND booking_id = (SELECT id FROM bookings"
                     " WHERE booking_no = 'SL-1')"), SQLITE_OK);
    sub.booking_no = "SL-1";
    sub.target = "many@example.org";
    strcpy(ctok, "lc-10");
    strcpy(utok, "lu-10");
    assert_int_equal(store_subscription_add(f->st, &sub, &delivery), HC_OK);
    assert_true(delivery > 0);
}

static void test_booking_update_events(void **state)
{
    struct fixture *f = *state;
    struct store_booking_patch p;
    struct store_booking_state out;
    struct store_audit_entry *e = NULL;
    struct hc_diag d;
    long long audits;
    size_t n = 0;

    add_booking(f, "EV-1", "L-EV-1");
    set_policy(f, STORE_PUB_ALL);
    subscribe(f, "EV-1", "moves@example.org", STORE_EVT_RELEASED | STORE_EVT_TRANSFERRED, "c-1",
              "u-1");
    subscribe(f, "EV-1", "dates@example.org", STORE_EVT_RELEASE_DATE, "c-2", "u-2");

    /* a transfer: one event, delivered to the one subscriber who asked for it */
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_FACILITY;
    p.facility = "North Annex";
    assert_int_equal(booking_update(f->st, "EV-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(out.events, STORE_EVT_TRANSFERRED);
    assert_int_equal(out.deliveries, 1);
    assert_string_equal(out.facility, "North Annex");
    assert_int_equal(event_deliveries(f, "transferred"), 1);
    audits = raw_count(f->path, "SELECT count(*) FROM audit_log");
    assert_int_equal(store_audit_list(f->st, audits - 1, 1, &f->scratch, &e, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(e[0].action, "booking.update");
    assert_string_equal(e[0].actor, "clerk1");
    assert_string_equal(e[0].entity, "EV-1");
    /* The entry binds the booking row as changed (its hash: docs/server.md, "Rows bound"). */
    assert_int_equal(strncmp(e[0].payload, "{\"booking_no\":\"EV-1\",\"bound\":[{\"hash\":\"", 39),
                     0);
    assert_string_equal(e[0].payload + 39 + 64,
                        "\",\"id\":1,\"table\":\"bookings\"}],"
                        "\"changes\":{\"facility\":{\"from\":\"Test Jail\","
                        "\"to\":\"North Annex\"}},\"deliveries\":1,\"events\":[\"transferred\"]}");

    /* the same transfer when the policy no longer publishes facilities: the event is recorded,
     * but nobody hears of it */
    set_policy(f, STORE_PUB_ALL & ~STORE_PUB_FACILITY);
    p.facility = "Test Jail";
    assert_int_equal(booking_update(f->st, "EV-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(out.events, STORE_EVT_TRANSFERRED);
    assert_int_equal(out.deliveries, 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM public_events"
                                        " WHERE kind = 'transferred'"), 2);
    assert_int_equal(event_deliveries(f, "transferred"), 1);

    /* a change that changes nothing writes nothing */
    audits = raw_count(f->path, "SELECT count(*) FROM audit_log");
    assert_int_equal(booking_update(f->st, "EV-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(out.events, 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), audits);

    /* an inconsistent result is refused, and nothing is written */
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_STATUS;
    p.status = "released";
    hc_diag_clear(&d);
    assert_int_equal(booking_update(f->st, "EV-1", &p, "clerk1", &f->scratch, &out, &d),
                     HC_EINVAL);
    assert_string_equal(d.field, "released_at");
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), audits);

    /* a release date: only the subscriber to release dates hears of it */
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_SCHEDULED_RELEASE;
    p.scheduled_release = "2030-05-01";
    set_policy(f, STORE_PUB_ALL);
    assert_int_equal(booking_update(f->st, "EV-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(out.events, STORE_EVT_RELEASE_DATE);
    assert_int_equal(out.deliveries, 1);

    /* the row, the event, its deliveries and the audit entry are one transaction: an enclosing
     * transaction rolled back takes all of them back */
    audits = raw_count(f->path, "SELECT count(*) FROM audit_log");
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_STATUS | STORE_PATCH_RELEASED_AT;
    p.status = "released";
    p.released_at = "2030-04-02T10:00:00Z";
    assert_int_equal(store_begin(f->st), HC_OK);
    assert_int_equal(booking_update(f->st, "EV-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(out.events, STORE_EVT_RELEASED);
    assert_int_equal(out.deliveries, 1);
    store_rollback(f->st);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM public_events"
                                        " WHERE kind = 'released'"), 0);
    assert_int_equal(event_deliveries(f, "released"), 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), audits);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM bookings"
                                        " WHERE booking_no = 'EV-1' AND status = 'in_custody'"), 1);

    /* the release itself, committed */
    assert_int_equal(booking_update(f->st, "EV-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);
    assert_int_equal(out.events, STORE_EVT_RELEASED);
    assert_int_equal(event_deliveries(f, "released"), 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM public_events WHERE kind ="
                                        " 'released' AND data = '{\"custody_status\":"
                                        "\"released\",\"released_on\":\"2030-04-02\"}'"), 1);
    assert_int_equal(store_audit_verify(f->st, &(struct store_audit_report){0}), HC_OK);

    /* when the audit entry cannot be written, neither is anything else: the chain's head is
     * made unreadable, so the append refuses to extend it */
    audits = raw_count(f->path, "SELECT count(*) FROM audit_log");
    assert_int_equal(raw_exec(f->path, "DROP TRIGGER audit_log_no_update;"
                                       " UPDATE audit_log SET hash = 'x' WHERE seq ="
                                       " (SELECT max(seq) FROM audit_log)"), SQLITE_OK);
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_FACILITY;
    p.facility = "South Annex";
    assert_int_equal(booking_update(f->st, "EV-1", &p, "clerk1", &f->scratch, &out, &d), HC_EIO);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM public_events"
                                        " WHERE kind = 'transferred'"), 2);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM facility_status"
                                        " WHERE facility = 'South Annex'"), 0);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM bookings"
                                        " WHERE booking_no = 'EV-1' AND facility = 'Test Jail'"), 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), audits);

    /* no such booking */
    hc_diag_clear(&d);
    assert_int_equal(booking_update(f->st, "EV-404", &p, "clerk1", &f->scratch, &out, &d),
                     HC_ENOENT);
    assert_string_equal(d.field, "booking_no");
}

static void test_booking_advance_scan(void **state)
{
    struct fixture *f = *state;
    struct store_booking_patch p;
    struct store_booking_state out;
    struct hc_diag d;
    int64_t queued = -1;

    add_booking(f, "ADV-1", "L-ADV-1");
    set_policy(f, STORE_PUB_ALL);
    subscribe(f, "ADV-1", "soon@example.org", STORE_EVT_ADVANCE, "c-a", "u-a");
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_SCHEDULED_RELEASE;
    p.scheduled_release = "2030-05-03";
    assert_int_equal(booking_update(f->st, "ADV-1", &p, "clerk1", &f->scratch, &out, &d), HC_OK);

    /* not published: no advance notice, however due */
    set_policy(f, STORE_PUB_ALL & ~STORE_PUB_SCHEDULED_RELEASE);
    assert_int_equal(booking_advance_scan(f->st, "2030-05-01", &queued), HC_OK);
    assert_int_equal(queued, 0);
    /* published: one, once */
    set_policy(f, STORE_PUB_ALL);
    assert_int_equal(booking_advance_scan(f->st, "2030-05-01", &queued), HC_OK);
    assert_int_equal(queued, 1);
    assert_int_equal(booking_advance_scan(f->st, "2030-05-02", &queued), HC_OK);
    assert_int_equal(queued, 0);
    assert_int_equal(event_deliveries(f, "advance_notice"), 1);
}

/* ------------------------------------------------------------------------------------------ */
/* The console's rules (src/app/truth.c)                                                        */

/* The outcome in force (the view request_outcome, migration 7): the newest decision's, then the
 * override in force; the engine's own beside it; no override loosens an earlier one; a
 * re-decision starts again from the engine's outcome. */
static void test_outcome_in_force(void **state)
{
    struct fixture *f = *state;
    struct store_request_detail det;
    struct store_request_filter flt;
    struct store_request_item *items = NULL;
    struct intake_result res;
    struct hc_diag d;
    int64_t id, oid = 0;
    size_t n = 0;

    add_booking(f, "T-0001", "TP-1");
    id = submit(f, "notification", "2024-05-02");
    assert_int_equal(store_request_get(f->st, id, &f->scratch, &det), HC_OK);
    assert_string_equal(det.req.outcome, "permitted");
    assert_string_equal(det.req.engine_outcome, "permitted");
    assert_int_equal(det.req.override_id, 0);

    assert_int_equal(review_override(f->st, id, "review", "r", "sup", &f->scratch, &oid, &d),
                     HC_OK);
    assert_int_equal(store_request_get(f->st, id, &f->scratch, &det), HC_OK);
    assert_string_equal(det.req.outcome, "review");
    assert_string_equal(review_effective_outcome(&det), "review");
    assert_string_equal(det.req.engine_outcome, "permitted");
    assert_int_equal(det.req.override_id, oid);
    /* Looser than the override in force: refused; equal: a second reason, accepted. */
    assert_int_equal(review_override(f->st, id, "permitted_with_conditions", "r", "sup",
                                     &f->scratch, &oid, &d), HC_ERANGE);
    assert_non_null(strstr(d.msg, "may not loosen"));
    assert_int_equal(review_override(f->st, id, "review", "r2", "sup2", &f->scratch, &oid, &d),
                     HC_OK);
    assert_int_equal(review_override(f->st, id, "prohibited", "policy", "sup", &f->scratch, &oid,
                                     &d), HC_OK);
    assert_int_equal(store_request_get(f->st, id, &f->scratch, &det), HC_OK);
    assert_string_equal(det.req.outcome, "prohibited");
    assert_int_equal(det.req.override_id, oid);
    /* A looser override written around the rule (an older database) does not loosen it. */
    assert_int_equal(raw_exec(f->path, "INSERT INTO overrides (request_id, decision_id, outcome,"
                              " reason, created_at, created_by) SELECT request_id, id, 'review',"
                              " 'old', 'x', 'x' FROM decisions"), SQLITE_OK);
    assert_int_equal(store_request_get(f->st, id, &f->scratch, &det), HC_OK);
    assert_string_equal(det.req.outcome, "prohibited");

    /* The list shows and filters by the outcome in force. */
    memset(&flt, 0, sizeof flt);
    flt.limit = 10;
    flt.outcome = "prohibited";
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &items, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(items[0].req.outcome, "prohibited");
    assert_string_equal(items[0].req.engine_outcome, "permitted");
    flt.outcome = "permitted";
    assert_int_equal(store_request_list(f->st, &flt, &f->scratch, &items, &n), HC_OK);
    assert_int_equal(n, 0);

    /* A new decision version is decided afresh: its overrides start empty. */
    assert_int_equal(intake_redecide(f->st, &f->cat, id, "clerk-1", &f->scratch, &res, &d),
                     HC_OK);
    assert_int_equal(store_request_get(f->st, id, &f->scratch, &det), HC_OK);
    assert_string_equal(det.req.outcome, "permitted");
    assert_int_equal(det.req.override_id, 0);
}

/* The one rule of which action is contrary to which outcome for which request type
 * (actions_contrary, Gov. Code 7284.6(a)(1)(C), (a)(4), 7282.5). */
static void test_actions_contrary(void **state)
{
    static const struct {
        int kind;
        const char *type, *in_force;
        int want;
    } cases[] = {
        {ACTION_NOTIFIED, "notification", "permitted", 0},
        {ACTION_NOTIFIED, "notification", "permitted_with_conditions", 0},
        {ACTION_NOTIFIED, "notification", "review", 1},
        {ACTION_NOTIFIED, "notification", "prohibited", 1},
        {ACTION_NOTIFIED, "notification", NULL, 1},
        {ACTION_NOTIFIED, "transfer", "permitted", 0},
        {ACTION_NOTIFIED, "hold", "prohibited", 1},
        {ACTION_NOTIFIED, "interview", "permitted_with_conditions", 1},
        {ACTION_TRANSFERRED, "transfer", "permitted", 0},
        {ACTION_TRANSFERRED, "transfer", "permitted_with_conditions", 0},
        {ACTION_TRANSFERRED, "transfer", "review", 1},
        {ACTION_TRANSFERRED, "transfer", "prohibited", 1},
        {ACTION_TRANSFERRED, "notification", "permitted", 1},
        {ACTION_TRANSFERRED, "hold", "prohibited", 1},
        {ACTION_RELEASED_BEFORE_ICE, "hold", "prohibited", 0},
        {ACTION_ICE_NO_CUSTODY, "notification", "permitted", 0},
        {ACTION_LIFTED_BY_ICE, "hold", "prohibited", 0},
        {ACTION_DECLINED, "transfer", "permitted", 0},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (actions_contrary(cases[i].kind, cases[i].type, cases[i].in_force) != cases[i].want)
            fail_msg("case %zu: %s on %s (%s)", i, actions_kind_name(cases[i].kind),
                     cases[i].type, cases[i].in_force ? cases[i].in_force : "undecided");
    }
    assert_int_equal(actions_kind_from_name("declined"), ACTION_DECLINED);
    assert_int_equal(actions_kind_from_name("honored"), -1);
    assert_string_equal(actions_ice_reason_text("early_release"), "Early Release");
    assert_null(actions_ice_reason_text("Early Release"));
}

/* actions_record: who may record a contrary action, with what; nothing written on refusal; the
 * reads per request and per period. */
static void test_actions_record(void **state)
{
    struct fixture *f = *state;
    struct store_action x, *out = NULL;
    struct store_action_filter flt;
    struct hc_diag d;
    int64_t hold, aid = 0;
    size_t n = 0;

    add_booking(f, "T-0001", "TP-1");
    hold = submit(f, "hold", "2024-05-02");
    memset(&x, 0, sizeof x);
    x.kind = "transferred";
    x.at = "2024-05-03T08:00:00Z";
    x.office = "SF";
    hc_diag_clear(&d);
    assert_int_equal(actions_record(f->st, hold, &x, AUTH_CLERK, "clerk-1", &f->scratch, &aid,
                                    &d), ACTIONS_ESUPERVISOR);
    assert_non_null(strstr(d.msg, "(prohibited)"));
    assert_int_equal(actions_record(f->st, hold, &x, AUTH_SUPERVISOR, "sup", &f->scratch, &aid,
                                    &d), HC_ERANGE);
    assert_string_equal(d.field, "reason");
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM request_actions"), 0);
    x.reason = "federal criminal warrant";
    assert_int_equal(actions_record(f->st, hold, &x, AUTH_SUPERVISOR, "sup", &f->scratch, &aid,
                                    &d), HC_OK);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM request_actions WHERE contrary = 1"
                                        " AND outcome_in_force = 'prohibited'"), 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log WHERE action ="
                                        " 'action.record'"), 1);
    memset(&x, 0, sizeof x);
    x.kind = "declined";
    x.at = "2024-06-01T08:00:00Z";
    assert_int_equal(actions_record(f->st, hold, &x, AUTH_CLERK, "clerk-1", &f->scratch, &aid,
                                    &d), HC_OK);
    assert_string_equal(x.ice_reason, "declined_by_lea");

    memset(&flt, 0, sizeof flt);
    flt.limit = 10;
    flt.from = "2024-06-01";
    assert_int_equal(store_actions_list(f->st, &flt, &f->scratch, &out, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].kind, "declined");
    flt.from = NULL;
    flt.request_id = hold;
    flt.contrary = 1;
    assert_int_equal(store_actions_list(f->st, &flt, &f->scratch, &out, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].reason, "federal criminal warrant");
    assert_int_equal(raw_exec(f->path, "UPDATE request_actions SET contrary = 0"), SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(f->path, "DELETE FROM request_actions"), SQLITE_CONSTRAINT);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM request_actions"), 2);
}

/* One-row audited writes (sq_add_audited): the row and its entry on "what/ID", whose payload
 * carries the new id; a refused row leaves neither behind. */
static void test_audited_insert(void **state)
{
    struct fixture *f = *state;
    struct store_warrant w;
    struct store_user u;
    int64_t rid, wid = 0, uid = 0;
    long long audit;
    char sql[512];

    add_booking(f, "T-0001", "TP-1");
    rid = submit(f, "hold", "2024-05-02");
    memset(&w, 0, sizeof w);
    w.request_id = rid;
    w.court = "Test Court";
    w.judge = "Judge, Test";
    w.recorded_by = "clerk-1";
    assert_int_equal(store_warrant_add(f->st, &w, &wid), HC_OK);
    assert_true(wid > 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE entity = 'warrant/%lld'"
             " AND action = 'warrant.record' AND actor = 'clerk-1' AND payload LIKE"
             " '{\"court\":\"Test Court\",\"id\":%lld,\"judge\":\"Judge, Test\","
             "\"recorded_at\":\"____-__-__T__:__:__Z\",\"request_id\":%lld}'",
             (long long)wid, (long long)wid, (long long)rid);
    assert_int_equal(raw_count(f->path, sql), 1);

    memset(&u, 0, sizeof u);
    u.name = "auditee";
    u.role = "clerk";
    u.password_hash = "x";
    assert_int_equal(store_user_add(f->st, &u, "admin", &uid), HC_OK);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE entity = 'user/%lld' AND action ="
             " 'user.create' AND actor = 'admin' AND payload ="
             " '{\"id\":%lld,\"name\":\"auditee\",\"role\":\"clerk\"}'",
             (long long)uid, (long long)uid);
    assert_int_equal(raw_count(f->path, sql), 1);

    /* No such request: the foreign key refuses the row, and no entry is written. */
    audit = raw_count(f->path, "SELECT count(*) FROM audit_log");
    w.request_id = rid + 1000;
    wid = -7;
    assert_int_equal(store_warrant_add(f->st, &w, &wid), HC_ENOENT);
    assert_int_equal(wid, -7); /* OUT untouched on failure */
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM request_warrants"), 1);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM audit_log"), audit);
}

static void test_truth_interview_consent(void **state)
{
    struct fixture *f = *state;
    struct store_notice n;
    struct store_notice_service sv;
    struct store_consent c;
    struct store_interview iv;
    struct hc_diag d;
    int64_t rid, nid = 0, cid = 0, first = 0, ivid = 0;

    add_booking(f, "T-0001", "TP-1");
    rid = submit(f, "interview", "2024-05-02");
    memset(&iv, 0, sizeof iv);
    iv.request_id = rid;
    iv.status = "granted";
    iv.recorded_by = "clerk-1";
    iv.consent_id = 999; /* ignored: the rule finds the consent */

    /* no consent form served */
    hc_diag_clear(&d);
    assert_int_equal(truth_interview_record(f->st, &iv, 1, &f->scratch, &ivid, &d), HC_ERANGE);
    assert_string_equal(d.field, "status");
    assert_non_null(strstr(d.msg, "consent form is served"));
    memset(&n, 0, sizeof n);
    n.request_id = rid;
    n.kind = "consent";
    n.recipient = "person";
    n.language = "en";
    n.subdivision = "7283.1(a)";
    n.generated_by = "clerk-1";
    assert_int_equal(store_notice_add(f->st, &n, &nid), HC_OK);
    hc_diag_clear(&d);
    assert_int_equal(truth_interview_record(f->st, &iv, 1, &f->scratch, &ivid, &d), HC_ERANGE);
    assert_non_null(strstr(d.msg, "consent form is served")); /* generated is not served */
    memset(&sv, 0, sizeof sv);
    sv.served_to = "Testperson, Alpha";
    sv.method = "in_person";
    sv.served_by = "clerk-1";
    assert_int_equal(store_notice_serve(f->st, nid, &sv, &d), HC_OK);

    /* served, but no answer yet */
    hc_diag_clear(&d);
    assert_int_equal(truth_interview_record(f->st, &iv, 1, &f->scratch, &ivid, &d), HC_ERANGE);
    assert_non_null(strstr(d.msg, "answer is recorded"));
    /* consent, then decline: the newest answer counts */
    memset(&c, 0, sizeof c);
    c.request_id = rid;
    c.answer = "consent";
    c.recorded_by = "clerk-1";
    assert_int_equal(store_consent_add(f->st, &c, &first), HC_OK);
    c.answer = "decline";
    assert_int_equal(store_consent_add(f->st, &c, &cid), HC_OK);
    hc_diag_clear(&d);
    assert_int_equal(truth_interview_record(f->st, &iv, 1, &f->scratch, &ivid, &d), HC_ERANGE);
    assert_non_null(strstr(d.msg, "declined"));
    /* with an attorney, but none named */
    c.answer = "attorney_only";
    assert_int_equal(store_consent_add(f->st, &c, &cid), HC_OK);
    hc_diag_clear(&d);
    assert_int_equal(truth_interview_record(f->st, &iv, 1, &f->scratch, &ivid, &d), HC_ERANGE);
    assert_non_null(strstr(d.msg, "record the attorney"));
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM interviews"), 0);
    /* a refusal needs no consent; nor does a grant when the decision asks for none */
    iv.status = "refused";
    assert_int_equal(truth_interview_record(f->st, &iv, 1, &f->scratch, &ivid, &d), HC_OK);
    iv.status = "granted";
    assert_int_equal(truth_interview_record(f->st, &iv, 0, &f->scratch, &ivid, &d), HC_OK);
    assert_int_equal(raw_count(f->path, "SELECT count(*) FROM interviews"
                                        " WHERE consent_id IS NULL"), 2);
    /* consent naming the attorney: granted, resting on that answer */
    c.answer = "attorney_only";
    c.attorney = "A. Lawyer";
    assert_int_equal(store_consent_add(f->st, &c, &cid), HC_OK);
    assert_int_equal(truth_interview_record(f->st, &iv, 1, &f->scratch, &ivid, &d), HC_OK);
    {
        char sql[120];
        snprintf(sql, sizeof sql, "SELECT consent_id FROM interviews WHERE id = %lld",
                 (long long)ivid);
        assert_int_equal(raw_count(f->path, sql), cid);
    }
    (void)first;
}

/* The shared cases, each on a fresh database. */
#define SQLITE_CASE(fn) {#fn, fn}
static struct sqlite_case shared_cases[] = {
    SQLITE_CASE(cases_booking_roundtrip), SQLITE_CASE(cases_records_rollback),
    SQLITE_CASE(cases_court_record),      SQLITE_CASE(cases_booking_state),
    SQLITE_CASE(cases_agency),            SQLITE_CASE(cases_request_decisions),
    SQLITE_CASE(cases_overrides),         SQLITE_CASE(cases_actions_and_lists),
    SQLITE_CASE(cases_requests_bound),    SQLITE_CASE(cases_console_notices),
    SQLITE_CASE(cases_console_records),   SQLITE_CASE(cases_console_queue),
    SQLITE_CASE(cases_console_trail),     SQLITE_CASE(cases_taskforce_writes),
    SQLITE_CASE(cases_taskforce_lists_and_tally), SQLITE_CASE(cases_readlog),
    SQLITE_CASE(cases_readlog_by_record), SQLITE_CASE(cases_victim_registrations),
    SQLITE_CASE(cases_victim_notices),    SQLITE_CASE(cases_reports_year),
    SQLITE_CASE(cases_public_policy),     SQLITE_CASE(cases_public_search),
    SQLITE_CASE(cases_public_export),     SQLITE_CASE(cases_public_status),
    SQLITE_CASE(cases_public_subscriptions), SQLITE_CASE(cases_public_deliveries),
    SQLITE_CASE(cases_public_webhook_results), SQLITE_CASE(cases_public_snapshots),
    SQLITE_CASE(cases_public_namekey_backfill), SQLITE_CASE(cases_public_advance_follows),
    SQLITE_CASE(cases_public_sms),
    SQLITE_CASE(cases_import_bulk),       SQLITE_CASE(cases_import_refused),
    SQLITE_CASE(cases_import_in_place),
};
_Static_assert(sizeof shared_cases / sizeof shared_cases[0] == 34,
               "every shared case has its CASE(i) in main's list");
/* cmocka_unit_test_prestate_setup_teardown, named after the case. */
#define CASE(i) {shared_cases[i].name, test_case, setup, teardown, &shared_cases[i]}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_touch_never_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_people_columns, setup, teardown),
        CASE(0), CASE(1), CASE(2), CASE(3), CASE(4), CASE(5), CASE(6), CASE(7), CASE(8),
        CASE(9), CASE(10), CASE(11), CASE(12), CASE(13), CASE(14), CASE(15), CASE(16), CASE(17),
        CASE(18), CASE(19), CASE(20), CASE(21), CASE(22), CASE(23), CASE(24), CASE(25),
        CASE(26), CASE(27), CASE(28), CASE(29), CASE(30), CASE(31), CASE(32), CASE(33),
        cmocka_unit_test_setup_teardown(test_intake_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_altered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_altered_and_rehashed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_deleted_renumbered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_inserted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_inserted_middle, setup, teardown),
        cmocka_unit_test(test_received_at),
        cmocka_unit_test_setup_teardown(test_migrate_v1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v19_subscriptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redecide_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_override, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_anchor, setup, teardown),
        cmocka_unit_test(test_publish_allows_event),
        cmocka_unit_test(test_booking_change_kinds),
        cmocka_unit_test_setup_teardown(test_booking_update_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subscription_follows_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_advance_notice_follows_person, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delivery_lanes_and_purge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subscription_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_booking_advance_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outcome_in_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actions_contrary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actions_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truth_interview_consent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audited_insert, setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT
 * replay.h: what-if replay (docs/replay.md). The decided requests received in a period are
 * decided again from the case each decision stored, under other agency settings and/or the law
 * in force on another day, and every request whose outcome would differ is reported with why,
 * beside a count of (old, new) outcome pairs. A replay only reads: it runs in one read snapshot
 * and never writes, so the database is the same, byte for byte, after it. */
#ifndef HC_APP_REPLAY_H
#define HC_APP_REPLAY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "err.h"

struct hc_store;

/* What to replay. */
struct replay_opts {
    const char *from, *to; /* YYYY-MM-DD, inclusive, on the date the request was received */
    const char *as_of;     /* YYYY-MM-DD: decide under the law in force that day (and count
                            * lookbacks to it); NULL: each request on the date it was decided */
    const char *settings;  /* agency settings to decide under: a JSON object as GET
                            * /api/v1/settings writes it (release_dates_public,
                            * personal_info_public, policy) and optionally the interpretive
                            * settings (settings: case-format.md); each member given replaces
                            * the stored one, each absent keeps it. NULL: the stored settings */
    const struct hc_catalog *proposed; /* decide under this catalog (replay_catalog_proposed:
                                        * today's tables and a proposed law change) instead of
                                        * the one given to replay_run; NULL: that one */
    const char *proposed_name;         /* the proposed table's name, for the summary */
};

/* Whether the stored decision's catalog or engine version is today's. */
enum replay_version { REPLAY_SAME = 0, REPLAY_CHANGED, REPLAY_UNRECORDED };

#define REPLAY_WHY_MAX 24 /* basis entries and missing facts reported, each */

/* One request whose outcome would differ, or whose stored case no longer decides. Strings are
 * valid only during the callback that receives it. */
struct replay_change {
    int64_t request_id;
    const char *booking_no, *type, *received_at;
    int64_t decision_id;       /* the stored decision re-decided (the newest version) */
    int decision_version;
    const char *in_force;      /* the outcome in force: the decision's, or its override's */
    int64_t override_id;       /* the override in force, 0 when none */
    const char *old_outcome;   /* the stored decision's own outcome (the engine's) */
    const char *old_ruleset;
    const char *old_catalog_version; /* the stored decision's trace; NULL (0): not recorded */
    const char *old_settings;
    int64_t old_engine_version;
    const char *new_outcome;   /* NULL when the stored case could not be decided (error) */
    const char *new_ruleset;
    const char *basis[REPLAY_WHY_MAX];   /* the new decision's cited provisions */
    size_t nbasis;
    const char *missing[REPLAY_WHY_MAX]; /* the facts it now lacks (outcome review) */
    size_t nmissing;
    const char *error;         /* why the stored case could not be decided, else NULL */
    int catalog;               /* enum replay_version of the stored decision's catalog */
    int engine;                /* enum replay_version of the stored decision's engine */
};

/* Outcomes in the order of the summary's rows and columns. */
#define REPLAY_NOUT 4 /* permitted, permitted_with_conditions, review, prohibited */

/* What a replay found over the whole period. */
struct replay_summary {
    int64_t decided;                        /* requests decided again */
    int64_t changed;                        /* of them, with another outcome */
    int64_t failed;                         /* stored cases that could not be decided */
    int64_t pairs[REPLAY_NOUT][REPLAY_NOUT]; /* [old engine outcome][new outcome] */
    int64_t changed_overridden;             /* changed requests whose outcome in force is an
                                             * override's */
    int64_t catalog_changed, catalog_unrecorded; /* of the decided, by their catalog version */
    int64_t engine_changed, engine_unrecorded;
    char catalog_version[HC_CATALOG_VERSION_LEN]; /* today's */
    int engine_version;                           /* today's */
    const char *proposed_name;                    /* replay_opts.proposed_name, or NULL */
    char proposed_version[HC_CATALOG_VERSION_LEN]; /* the proposed catalog's, or "" */
};

/* The name of outcome row or column i of replay_summary.pairs ("permitted" ...). */
const char *replay_outcome_name(int i);

/* Called for each change, in request id order; a non-zero return stops the replay, which
 * then returns that value. */
typedef int (*replay_change_cb)(void *ctx, const struct replay_change *ch);

/* Check o before any work: from and to dates with from <= to, as_of a date the law covers
 * (2014-01-01 on), settings a JSON object of the members replay_opts names, each as the case
 * format reads it. HC_OK, or HC_EINVAL with d naming the field: "from", "to", "as_of", or
 * within the settings object ("policy.hold", "settings.prop47_scope"; "" for the object as a
 * whole), which the caller names as its input has it. */
int replay_check(const struct replay_opts *o, struct hc_diag *d);

/* Replay o (checked as replay_check does) over st against catalog cat: each decided request
 * received in the period, in id order, its newest decision's stored case read by today's case
 * reader, given o's settings and as_of, decided by hc_decide, and compared with the stored
 * decision's own outcome; cb gets each request whose outcome differs or whose case no longer
 * decides (counted in failed, not in pairs). *sum (OUT) gets the counts. Runs inside one read
 * snapshot (service_read_begin) and writes nothing. Returns 0; HC_EINVAL (d names the field);
 * HC_ENOMEM; a store error (HC_EIO...); or cb's non-zero return. */
int replay_run(struct hc_store *st, const struct hc_catalog *cat, const struct replay_opts *o,
               replay_change_cb cb, void *ctx, struct replay_summary *sum, struct hc_diag *d);

/* A proposed law change (a bill not in force) for a replay: today's tables base[0..nbase)
 * with the table `proposed` (the catalog format, data/README.md) added, loaded into *out with
 * memory from *mem (OUT; the caller frees it once done with *out). Every row of the proposed
 * table must carry a `from` date, the day the bill would take effect: before it the row
 * changes nothing, so a replay --as-of that day or later shows what the bill would change.
 * Only a replay loads such a table: intake and the server never do, so a proposed row can
 * decide no stored request. HC_EINVAL with d naming the table, line and cell (a row without a
 * from date, or any row the catalog loader refuses); HC_ENOMEM. */
int replay_catalog_proposed(const struct hc_memfile *base, size_t nbase,
                            const struct hc_memfile *proposed, struct hc_catalog *out,
                            void **mem, struct hc_diag *d);

/* A change as a JSON object (docs/replay.md, "JSON"), for the CLI's --format json and the HTTP
 * route alike; the caller owns the reference. */
json_t *replay_change_json(const struct replay_change *ch);

/* The summary as a JSON object (docs/replay.md); the caller owns the reference. */
json_t *replay_summary_json(const struct replay_summary *s);

#endif

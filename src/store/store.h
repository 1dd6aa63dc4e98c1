/* SPDX-License-Identifier: MIT
 * store.h: the one interface to holdcheck's database. Callers see plain structs and HC_E* codes;
 * no SQL appears above this header. A backend embeds `struct hc_store` as its first member and
 * fills a `struct store_ops`; the static inline wrappers below dispatch through it.
 *
 * Invariants every backend keeps:
 * - Every write and the audit_log entry describing it commit in one transaction, or neither does.
 * - The audit log is append-only and hash-chained (docs/server.md, "Audit chain").
 * - People carry a name, date of birth, local id and the PC 290 flag, and nothing else: no
 *   immigration status, national origin or ethnicity is ever stored.
 *
 * A store handle is one database connection: use it from one thread at a time. Open one per
 * thread. Strings read from the store are allocated from the caller's arena and live as long as
 * it does. */
#ifndef HC_STORE_H
#define HC_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"

/* A unique key (booking_no, local_id) already exists. err.h has no code for it yet;
 * NEEDSWORK: move to err.h as HC_EEXIST. store_strerror() knows it. */
#define STORE_ECONFLICT (-32)

/* hc_strerror(rc), extended with the store's own codes. */
const char *store_strerror(int rc);

struct store_person {
    int64_t id;                /* 0 when not yet stored */
    const char *name;          /* required */
    const char *date_of_birth; /* YYYY-MM-DD or NULL */
    const char *local_id;      /* the agency's own person number, unique, or NULL */
    int registrant_290;        /* a current PC 290 registrant */
};

struct store_conviction {
    const char *citation;                  /* as written in the court record */
    const char *level;                     /* "felony", "misdemeanor", "infraction" or NULL */
    const char *date;                      /* YYYY-MM-DD or NULL */
    const char *court;                     /* NULL when not known */
    int prop47_reduced;                    /* -1 not known, 0, 1 */
    const char *federal_aggravated_felony; /* NULL, "A".."U", "true" or "false" */
    const char *jurisdiction;              /* NULL (the citation decides), "CA", "federal", a state */
    int64_t id;                            /* read back only (0 when writing) */
};

struct store_charge {
    const char *citation;
    const char *level;  /* as for convictions */
    const char *status; /* "pending", "dismissed" or "convicted" */
    int magistrate_probable_cause;
    int64_t id;         /* read back only (0 when writing) */
};

struct store_request {
    int64_t id;
    const char *type;            /* a request type of docs/case-format.md */
    const char *form;            /* "I-247A" ... or NULL */
    const char *received_at;     /* YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[Z|+hh:mm] */
    const char *issuing_office;  /* NULL when not given */
    int judicial_warrant, judicial_probable_cause, federal_felony_warrant;
    /* Read back only: */
    const char *outcome;         /* the decision's outcome, NULL when undecided */
    const char *decision_json;   /* as stored, NULL when undecided */
};

struct store_booking {
    int64_t id;
    const char *booking_no;        /* required, unique */
    int64_t person_id;             /* an existing person, or 0 to create `person` */
    const char *booked_at;         /* required */
    const char *facility;          /* required */
    const char *status;            /* "in_custody" or "released" */
    const char *scheduled_release; /* or NULL */
    const char *released_at;       /* or NULL */
    const char *release_reason;    /* or NULL */
};

/* What a booking creation writes: the booking, its charges, and, when booking.person_id is 0,
 * a new person with their convictions. */
struct store_booking_new {
    struct store_booking booking;
    struct store_person person;
    const struct store_conviction *conv;
    size_t nconv;
    const struct store_charge *charges;
    size_t ncharges;
};

/* A booking with everything needed to decide a request about it or to show it. */
struct store_record {
    struct store_booking booking;
    struct store_person person;
    struct store_conviction *conv;
    size_t nconv;
    struct store_charge *charges; /* all of the booking's charges, any status */
    size_t ncharges;
    struct store_request *req;    /* the booking's requests, oldest first */
    size_t nreq;
};

struct store_agency {
    int release_dates_public;
    int personal_info_public;
    const char *policy_json; /* a JSON object, request type -> policy name (case-format.md) */
};

struct store_decision {
    int64_t request_id;
    const char *outcome;       /* "permitted" ... */
    const char *ruleset;       /* "CA-2018-01-01" ... */
    const char *case_json;     /* the case the engine was given */
    const char *decision_json; /* hc_render_json's output */
    const char *decided_by;
};

struct store_audit_report {
    int64_t entries;   /* rows checked */
    int64_t bad_seq;   /* first row that fails, 0 when the chain is intact */
    char reason[128];  /* why bad_seq fails */
    char head[65];     /* hex hash of the last entry ("" when empty) */
};

/* A user of the server (migration 2). Roles are "clerk", "supervisor", "auditor", "admin". */
struct store_user {
    int64_t id;
    const char *name;          /* 1-64 of A-Z a-z 0-9 . _ - @, unique */
    const char *role;
    const char *password_hash; /* crypto_pwhash_str (argon2id) output; never the password */
    const char *created_at;    /* read back only */
    int disabled;
};

/* One version of the decision on a request. Versions are never updated: a re-decision adds a
 * new row with the next version number. */
struct store_decision_row {
    int64_t id;
    int version;               /* 1 for the decision made at intake */
    const char *outcome;
    const char *ruleset;
    const char *case_json;
    const char *decision_json;
    const char *decided_at;
    const char *decided_by;
};

/* A supervisor's override of a decision: always more restrictive than it (callers check). */
struct store_override {
    int64_t id;          /* read back only */
    int64_t request_id;
    int64_t decision_id; /* the decision version it overrides */
    const char *outcome;
    const char *reason;  /* required, 1-2000 bytes */
    const char *created_at; /* read back only */
    const char *created_by;
};

/* A request with the booking it is about, every decision version (oldest first) and every
 * override (oldest first). req.outcome and req.decision_json are those of the newest version. */
struct store_request_detail {
    struct store_request req;
    const char *booking_no;
    struct store_decision_row *dec;
    size_t ndec;
    struct store_override *ovr;
    size_t novr;
};

/* Filters of store_request_list; NULL (or 0) means "any". */
struct store_request_filter {
    const char *type;       /* request type */
    const char *outcome;    /* outcome of the newest decision */
    const char *from, *to;  /* YYYY-MM-DD, inclusive, on the received date */
    const char *booking_no;
    int64_t after_id;       /* cursor: only requests with a larger id */
    int64_t offset;         /* rows to skip (after the cursor) */
    int limit;              /* 1..500 */
};

/* A list entry: the request (outcome of the newest decision) and its booking number. */
struct store_request_item {
    struct store_request req;
    const char *booking_no;
    int64_t ndecisions;
    int64_t noverrides;
};

struct store_audit_entry {
    int64_t seq;
    const char *at, *actor, *action, *entity;
    const char *payload; /* compact JSON */
    const char *hash;
};

/* What `holdcheck import` loads and `holdcheck export` writes: one kind of row per file. */
enum store_kind {
    STORE_KIND_PEOPLE = 1,
    STORE_KIND_BOOKINGS,
    STORE_KIND_CHARGES,
    STORE_KIND_CONVICTIONS
};

/* One validated row of an import. Which members are read depends on the kind of the import:
 * people: person (id ignored; local_id required);
 * bookings: booking (id and person_id ignored) and person_local_id;
 * charges: charge and booking_no;
 * convictions: conviction and person_local_id.
 * The store checks only what the schema checks and that the reference exists: callers validate
 * formats (citations, dates, levels) first. */
struct store_import_row {
    struct store_person person;
    struct store_booking booking;
    struct store_charge charge;
    struct store_conviction conviction;
    const char *person_local_id; /* bookings, convictions: the person's local_id */
    const char *booking_no;      /* charges: the booking's number */
    long tag;                    /* the caller's number for the row (its line), given back by
                                  * the import's report function (store_import_begin) */
};

/* Called with a row that store_import_row held back (tag is its r->tag) and the database then
 * refused: rc and d are what store_import_row would have returned for it. */
typedef void (*store_import_report_fn)(void *ctx, long tag, int rc, const struct hc_diag *d);

/* What one committed import wrote, as recorded in its audit entry. */
struct store_import_summary {
    int64_t rows;           /* rows inserted */
    int64_t first_id;       /* row ids first_id..last_id of the kind's table (0 when no rows) */
    int64_t last_id;
    int64_t audit_seq;      /* the audit entry */
    char rows_hash[65];     /* hex BLAKE2b-256 of the rows (docs/import.md, "Audit") */
};

/* Called by store_export with one row: v[0..n) are the columns in the order of docs/import.md
 * (NULL for SQL NULL; booleans as "true"/"false"). The strings live until cb returns. A
 * non-zero return stops the export, which returns that value. */
typedef int (*store_export_cb)(void *ctx, const char *const *v, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* Public portal and subscriptions (migration 4, sqlite_public.c; docs/public.md)              */

/* The fields an agency may publish: bits of store_public_policy.fields. Stored in the
 * database, so never renumbered. Nothing immigration-related has a bit, nor ever will. */
enum store_pub_field {
    STORE_PUB_NAME = 1 << 0,
    STORE_PUB_BOOKING_NO = 1 << 1,
    STORE_PUB_BOOKING_DATE = 1 << 2,
    STORE_PUB_CHARGES = 1 << 3,
    STORE_PUB_BAIL = 1 << 4,
    STORE_PUB_NEXT_COURT_DATE = 1 << 5,
    STORE_PUB_FACILITY = 1 << 6,
    STORE_PUB_CUSTODY_STATUS = 1 << 7,
    STORE_PUB_SCHEDULED_RELEASE = 1 << 8,
    STORE_PUB_RECENTLY_RELEASED = 1 << 9
};
#define STORE_PUB_ALL 0x3ffu

/* The changes one may subscribe to: bits of store_subscription.events. Stored; never
 * renumbered. */
enum store_pub_event {
    STORE_EVT_RELEASED = 1 << 0,     /* status became released */
    STORE_EVT_TRANSFERRED = 1 << 1,  /* facility changed */
    STORE_EVT_RELEASE_DATE = 1 << 2, /* scheduled release set or changed while in custody */
    STORE_EVT_ADVANCE = 1 << 3       /* advance_days before the scheduled release date */
};
#define STORE_EVT_ALL 0xfu

/* Whether a policy publishing `fields` lets anyone subscribe to event evt (one bit): an event
 * may only tell what the answers already show, and a subscription needs a public booking
 * number to name its booking. */
static inline int store_pub_event_allowed(unsigned fields, unsigned evt)
{
    if (!(fields & STORE_PUB_BOOKING_NO))
        return 0;
    switch (evt) {
    case STORE_EVT_RELEASED:
        return (fields & (STORE_PUB_CUSTODY_STATUS | STORE_PUB_RECENTLY_RELEASED)) != 0;
    case STORE_EVT_TRANSFERRED:
        return (fields & STORE_PUB_FACILITY) != 0;
    case STORE_EVT_RELEASE_DATE:
    case STORE_EVT_ADVANCE:
        return (fields & STORE_PUB_SCHEDULED_RELEASE) != 0;
    default:
        return 0;
    }
}

/* The publication policy: one row. Setting it also sets agency_settings.release_dates_public
 * to (fields has STORE_PUB_SCHEDULED_RELEASE) || release_elsewhere, in the same transaction,
 * so the engine reads what is really public (docs/public.md, "Legal effect"). */
struct store_public_policy {
    unsigned fields;        /* STORE_PUB_* */
    int recent_days;        /* 1..90: "recently released" means released within this many days */
    int release_elsewhere;  /* the agency makes release dates public by other means too */
    /* Read back only: */
    int64_t version;        /* 1, then +1 on every change of the policy */
    const char *updated_at; /* NULL until first set */
    const char *updated_by;
    int release_dates_public; /* the agency_settings flags the engine reads */
    int personal_info_public;
};

/* Which bookings a public search or export sees, and how to page. Strings are borrowed. */
struct store_public_query {
    unsigned fields;            /* the policy's: recently released bookings are listed only
                                 * with STORE_PUB_RECENTLY_RELEASED */
    const char *released_since; /* YYYY-MM-DD: released on or after it count as recent */
    const char *booking_no;     /* exact, or NULL */
    const char *last;           /* folded last-name prefix (hc_namekey_fold), or NULL */
    const char *first;          /* folded first-name prefix (needs last), or NULL */
    const char *dob;            /* YYYY-MM-DD, or NULL */
    const char *facility;       /* exact, or NULL */
    const char *custody_status; /* "in_custody", "released" or NULL */
    int by_name;                /* order by name key, then person, then booking (newest
                                 * first); else by booking, newest first */
    int has_after;              /* continue after the row of booking after_id */
    int64_t after_id;
    int limit;                  /* 1..1000 rows */
};

struct store_public_charge {
    const char *citation;
    const char *status; /* "pending" or "convicted" (dismissed charges are never read) */
};

/* One booking as the public side reads it: every publishable column. Callers show only what
 * the policy publishes (src/app/publish.c). */
struct store_public_row {
    int64_t booking_id;
    const char *booking_no, *name, *name_key, *date_of_birth, *booked_at, *facility, *status;
    const char *scheduled_release, *released_at, *next_court_date;
    int has_bail;  /* bail is set */
    int64_t bail;  /* whole dollars; -1: held without bail */
    struct store_public_charge *charges;
    size_t ncharges;
};

/* Called by store_public_export with each row (valid until it returns). Non-zero stops. */
typedef int (*store_public_row_cb)(void *ctx, const struct store_public_row *r);

struct store_facility_status {
    const char *facility;
    const char *changed_at; /* YYYY-MM-DDTHH:MM:SSZ */
};

/* What PATCH /api/v1/bookings/{no} may change: set says which members are given. */
enum store_patch_bits {
    STORE_PATCH_STATUS = 1 << 0,
    STORE_PATCH_RELEASED_AT = 1 << 1,
    STORE_PATCH_RELEASE_REASON = 1 << 2,
    STORE_PATCH_FACILITY = 1 << 3,
    STORE_PATCH_SCHEDULED_RELEASE = 1 << 4,
    STORE_PATCH_BAIL = 1 << 5,
    STORE_PATCH_NEXT_COURT_DATE = 1 << 6
};

struct store_booking_patch {
    unsigned set;                  /* STORE_PATCH_* */
    const char *status;            /* "in_custody" or "released" */
    const char *released_at;       /* NULL clears (when set) */
    const char *release_reason;
    const char *facility;          /* never NULL when set */
    const char *scheduled_release;
    int has_bail;                  /* 0 clears bail (when set) */
    int64_t bail;                  /* dollars, -1 held without bail */
    const char *next_court_date;
};

/* Court record after booking (issue 3): a change to one charge, or to one conviction. `set`
 * says which members to write; the others are left as they are. */
enum store_record_patch_bits {
    STORE_CHG_STATUS = 1 << 0,     /* store_charge_patch.status */
    STORE_CHG_LEVEL = 1 << 1,      /* .level (NULL clears) */
    STORE_CHG_MAGISTRATE = 1 << 2, /* .magistrate_probable_cause */
    STORE_CONV_LEVEL = 1 << 3,     /* store_conviction_patch.level (NULL clears) */
    STORE_CONV_PROP47 = 1 << 4,    /* .prop47_reduced (-1 clears) */
    STORE_CONV_AGG = 1 << 5        /* .federal_aggravated_felony (NULL clears) */
};

struct store_charge_patch {
    unsigned set;
    const char *status; /* "pending", "dismissed" or "convicted" */
    const char *level;
    int magistrate_probable_cause;
};

struct store_conviction_patch {
    unsigned set;
    const char *level;
    int prop47_reduced;                    /* -1 not known, 0, 1 */
    const char *federal_aggravated_felony; /* NULL, "A".."U", "true" or "false" */
};

/* What a charge or conviction update touched: the booking (of a charge) or the person (of a
 * conviction) it belongs to, and whether anything changed. */
struct store_court_change {
    char booking_no[48];
    int64_t person_id;
    int changed;
};

/* A booking's publishable state after an update, and what the update caused. */
struct store_booking_state {
    const char *booking_no, *facility, *status, *scheduled_release, *released_at;
    const char *release_reason, *next_court_date;
    int has_bail;
    int64_t bail;
    unsigned events;    /* STORE_EVT_* events the change made (whether or not anyone listens) */
    int64_t deliveries; /* deliveries queued for them */
};

/* A subscription request. target (an email address or a URL) is confidential: the store
 * never writes it to the audit log, and no public answer reads it. */
struct store_subscription {
    const char *booking_no;
    const char *channel;           /* "email" or "webhook" */
    const char *target;
    unsigned events;               /* STORE_EVT_* */
    int advance_days;              /* 1..30 */
    const char *lang;              /* "en" or "es" */
    const char *secret;            /* webhooks: HMAC key, hex; NULL for email */
    const char *confirm_token;     /* random, caller-made */
    const char *unsubscribe_token; /* random, caller-made */
};

struct store_subscription_info {
    int64_t id;
    const char *booking_no;
    unsigned events;
    int advance_days;
    const char *state; /* "pending", "confirmed" or "unsubscribed" */
};

/* One delivery to make, claimed by store_delivery_claim: the event and its subscription. */
struct store_delivery_job {
    int64_t id, event_id, subscription_id;
    int attempts;             /* including this one */
    const char *kind;         /* "confirm", "released", "transferred", "release_date",
                               * "advance_notice" */
    const char *event_data;   /* JSON object, internal: filter by the policy before sending */
    const char *event_at;     /* when the event happened, UTC */
    const char *booking_no;
    const char *channel, *target, *secret, *lang, *sub_state;
    const char *confirm_token, *unsubscribe_token;
};

enum store_delivery_result {
    STORE_DELIVERY_DELIVERED = 1, /* acknowledged by the receiver */
    STORE_DELIVERY_CONFIRMED,     /* acknowledged, and a webhook echoed its challenge: the
                                   * subscription is confirmed too */
    STORE_DELIVERY_RETRY,         /* failed; try again at next_attempt_at */
    STORE_DELIVERY_FAILED,        /* failed for good */
    STORE_DELIVERY_CANCELLED,     /* not sent: unsubscribed, or no longer published */
    STORE_DELIVERY_GONE           /* the receiver said 410 Gone: failed, and unsubscribe */
};

/* A delivery as GET /api/v1/deliveries lists it: never the subscriber's address. */
struct store_delivery_row {
    int64_t id, event_id, subscription_id;
    const char *kind, *channel, *booking_no, *status, *next_attempt_at, *last_error;
    const char *delivered_at, *created_at;
    int attempts;
};

/* A daily snapshot of the public export, as recorded (the files are the server's). */
struct store_snapshot {
    const char *date;         /* YYYY-MM-DD, local */
    const char *generated_at; /* UTC */
    int64_t rows;
    unsigned fields;          /* the policy's fields when it was made */
    int64_t policy_version;
};

/* ------------------------------------------------------------------------------------------ */
/* Staff console and notices (migration 5, sqlite_console.c; docs/console.md)                 */

/* A TRUTH Act notice generated for a request (Gov. Code 7283.1), and its service. Which notices
 * are owed is src/notice/rules.h's; the store records what was done. */
struct store_notice {
    int64_t id;                 /* read back only */
    int64_t request_id;
    const char *kind;           /* "copy", "release" or "consent" */
    const char *recipient;      /* "person"; release notices also "attorney" or "designee" */
    const char *recipient_name; /* the attorney's or designee's name, or NULL */
    const char *language;       /* "en", "es", "zh", "tl", "vi" or "ko" */
    const char *subdivision;    /* "7283.1(b), first sentence" ... */
    const char *intent;         /* copy notices: "undecided", "yes" or "no" as stated; or NULL */
    const char *release_date;   /* release notices: the date given to ICE (required) */
    const char *generated_by;
    /* Read back only: */
    const char *generated_at;   /* UTC */
    const char *served_at;      /* UTC, NULL until served */
    const char *served_by, *served_to, *method;
};

/* How a notice was served: handed to whom, how, by whom (the acting user) and when. */
struct store_notice_service {
    const char *served_at;  /* UTC YYYY-MM-DDTHH:MM:SSZ, or NULL for now */
    const char *served_to;  /* the name of the person it was given to, 1-200 bytes */
    const char *method;     /* "in_person", "mail", "email" or "fax" */
    const char *served_by;
};

/* The person's answer to an interview request (7283.1(a)). */
struct store_consent {
    int64_t id;             /* read back only */
    int64_t request_id;
    const char *answer;     /* "consent", "decline" or "attorney_only" */
    const char *attorney;   /* the attorney's name, or NULL */
    const char *recorded_by;
    const char *recorded_at; /* read back only */
};

/* The agency's stated intent to comply with a request (7283.1(b), first sentence). */
struct store_intent {
    int64_t id;
    int64_t request_id;
    const char *intent;     /* "undecided", "yes" or "no" */
    const char *recorded_by;
    const char *recorded_at; /* read back only */
};

/* The agency gave immigration authorities a release date (7283.1(b), second sentence). */
struct store_disclosure {
    int64_t id;
    int64_t request_id;
    const char *release_date; /* the date (and time) given */
    const char *told_at;      /* when they were told (a time as intake accepts it) */
    const char *recorded_by;
    const char *recorded_at;  /* read back only */
};

/* A step of an interview: scheduled (at its start), granted or refused. */
struct store_interview {
    int64_t id;
    int64_t request_id;
    const char *status;     /* "scheduled", "granted" or "refused" */
    const char *at;         /* scheduled: the start; otherwise NULL */
    int64_t consent_id;     /* granted: the consent it rests on (set by the store), else 0 */
    const char *recorded_by;
    const char *recorded_at; /* read back only */
};

/* A judicial warrant's court and judge, as read off the warrant at intake. */
struct store_warrant {
    int64_t id;
    int64_t request_id;
    const char *court;      /* e.g. "U.S. District Court, N.D. Cal." */
    const char *judge;
    const char *recorded_by;
    const char *recorded_at; /* read back only */
};

/* Everything the console records about one request, each list oldest first (in the arena). */
struct store_console_state {
    struct store_notice *notices;
    size_t nnotices;
    struct store_consent *consents;
    size_t nconsents;
    struct store_intent *intents;
    size_t nintents;
    struct store_disclosure *disclosures;
    size_t ndisclosures;
    struct store_interview *interviews;
    size_t ninterviews;
    struct store_warrant *warrants;
    size_t nwarrants;
};

/* One open request of the console's queue. */
struct store_queue_item {
    struct store_request req;      /* outcome and decision_json: the newest decision's */
    const char *ruleset;           /* the newest decision's */
    const char *effective_outcome; /* the newest decision's, or its most restrictive override */
    const char *booking_no;
    const char *booking_status;    /* "in_custody" or "released" */
    const char *scheduled_release; /* or NULL */
    int64_t person_id;
    const char *person_name;
};

struct hc_store;

struct store_ops {
    const char *name;
    void (*close)(struct hc_store *st);
    int (*migrate)(struct hc_store *st, int *from, int *to);
    int (*schema_version)(struct hc_store *st, int *version);
    int (*begin)(struct hc_store *st);
    int (*commit)(struct hc_store *st);
    void (*rollback)(struct hc_store *st);
    int (*read_begin)(struct hc_store *st);
    void (*read_end)(struct hc_store *st);
    int (*version)(struct hc_store *st, uint64_t *v);
    int (*booking_add)(struct hc_store *st, const struct store_booking_new *b, const char *actor,
                       int64_t *booking_id, struct hc_diag *d);
    int (*record_get)(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                      struct store_record *out);
    int (*booking_count)(struct hc_store *st, int64_t *n);
    int (*agency_get)(struct hc_store *st, struct hc_arena *a, struct store_agency *out);
    int (*agency_set)(struct hc_store *st, const struct store_agency *ag, const char *actor);
    int (*request_add)(struct hc_store *st, int64_t booking_id, const struct store_request *rq,
                       const char *actor, int64_t *request_id);
    int (*decision_add)(struct hc_store *st, const struct store_decision *dec, int64_t *decision_id);
    int (*audit_verify)(struct hc_store *st, struct store_audit_report *rep);
    int (*ping)(struct hc_store *st);
    /* Migration 2: users, tokens, sessions, versioned decisions, overrides, listings. */
    int (*user_add)(struct hc_store *st, const struct store_user *u, const char *actor,
                    int64_t *user_id);
    int (*user_get)(struct hc_store *st, const char *name, struct hc_arena *a,
                    struct store_user *out);
    int (*user_list)(struct hc_store *st, struct hc_arena *a, struct store_user **out, size_t *n);
    int (*user_disable)(struct hc_store *st, const char *name, const char *actor);
    int (*user_reset)(struct hc_store *st, const char *name, const char *password_hash,
                      int revoke_tokens, const char *actor, int64_t *tokens, int64_t *sessions);
    int (*token_add)(struct hc_store *st, int64_t user_id, const char *token_hash,
                     const char *actor);
    int (*token_user)(struct hc_store *st, const char *token_hash, struct hc_arena *a,
                      struct store_user *out);
    int (*session_add)(struct hc_store *st, int64_t user_id, const char *id_hash,
                       const char *expires_at);
    int (*session_user)(struct hc_store *st, const char *id_hash, struct hc_arena *a,
                        struct store_user *out);
    int (*session_delete)(struct hc_store *st, const char *id_hash);
    int (*request_get)(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                       struct store_request_detail *out);
    int (*request_list)(struct hc_store *st, const struct store_request_filter *f,
                        struct hc_arena *a, struct store_request_item **out, size_t *n);
    int (*override_add)(struct hc_store *st, const struct store_override *o, int64_t *override_id);
    int (*audit_list)(struct hc_store *st, int64_t after_seq, int limit, struct hc_arena *a,
                      struct store_audit_entry **out, size_t *n);
    /* Bulk import and export (holdcheck import / export, docs/import.md). */
    int (*import_begin)(struct hc_store *st, enum store_kind kind, store_import_report_fn report,
                        void *ctx);
    int (*import_row)(struct hc_store *st, const struct store_import_row *r, struct hc_diag *d);
    int (*import_flush)(struct hc_store *st);
    int (*import_commit)(struct hc_store *st, const char *actor, const char *source,
                         const char *format, struct store_import_summary *out);
    int (*export_rows)(struct hc_store *st, enum store_kind kind, store_export_cb cb, void *ctx);
    /* public portal and subscriptions (sqlite_public.c) */
    int (*public_policy_get)(struct hc_store *st, struct hc_arena *a,
                             struct store_public_policy *out);
    int (*public_policy_set)(struct hc_store *st, const struct store_public_policy *p,
                             const char *actor);
    int (*public_search)(struct hc_store *st, const struct store_public_query *q,
                         struct hc_arena *a, struct store_public_row **out, size_t *n);
    int (*public_export)(struct hc_store *st, const struct store_public_query *q,
                         store_public_row_cb cb, void *ctx);
    int (*public_status)(struct hc_store *st, struct hc_arena *a,
                         struct store_facility_status **out, size_t *n, const char **overall);
    int (*public_status_scan)(struct hc_store *st, int *changed);
    int (*namekey_backfill)(struct hc_store *st, int64_t *filled);
    int (*booking_update)(struct hc_store *st, const char *booking_no,
                          const struct store_booking_patch *p, const char *actor,
                          struct hc_arena *a, struct store_booking_state *out, struct hc_diag *d);
    int (*subscription_add)(struct hc_store *st, const struct store_subscription *sub,
                            int64_t *delivery_id);
    int (*subscription_confirm)(struct hc_store *st, const char *token, const char *created_after,
                                struct hc_arena *a, struct store_subscription_info *out);
    int (*subscription_unsubscribe)(struct hc_store *st, const char *token, int64_t *cancelled);
    int (*delivery_requeue)(struct hc_store *st, int64_t *n);
    int (*delivery_claim)(struct hc_store *st, const char *now, struct hc_arena *a,
                          struct store_delivery_job *out);
    int (*delivery_finish)(struct hc_store *st, int64_t id, enum store_delivery_result r,
                           const char *next_attempt_at, const char *error);
    int (*delivery_list)(struct hc_store *st, const char *status, int64_t after_id, int limit,
                         struct hc_arena *a, struct store_delivery_row **out, size_t *n);
    int (*advance_scan)(struct hc_store *st, const char *today, int64_t *queued);
    int (*snapshot_put)(struct hc_store *st, const struct store_snapshot *snap);
    int (*snapshot_list)(struct hc_store *st, struct hc_arena *a, struct store_snapshot **out,
                         size_t *n);
    int (*snapshot_delete)(struct hc_store *st, const char *date);
    /* staff console and notices (sqlite_console.c) */
    int (*notice_add)(struct hc_store *st, const struct store_notice *n, int64_t *notice_id);
    int (*notice_get)(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                      struct store_notice *out);
    int (*notice_serve)(struct hc_store *st, int64_t notice_id,
                        const struct store_notice_service *sv, struct hc_diag *d);
    int (*consent_add)(struct hc_store *st, const struct store_consent *c, int64_t *consent_id);
    int (*intent_add)(struct hc_store *st, const struct store_intent *in, int64_t *intent_id);
    int (*disclosure_add)(struct hc_store *st, const struct store_disclosure *dc,
                          int64_t *disclosure_id);
    int (*interview_add)(struct hc_store *st, const struct store_interview *iv, int need_consent,
                         int64_t *interview_id, struct hc_diag *d);
    int (*warrant_add)(struct hc_store *st, const struct store_warrant *w, int64_t *warrant_id);
    int (*console_state)(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                         struct store_console_state *out);
    int (*console_queue)(struct hc_store *st, int in_custody_only, int limit, struct hc_arena *a,
                         struct store_queue_item **out, size_t *n);
    int (*request_audit)(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                         struct store_audit_entry **out, size_t *n);
    int (*person_bookings)(struct hc_store *st, int64_t person_id, struct hc_arena *a,
                           const char ***booking_nos, size_t *n);
    int (*charge_add)(struct hc_store *st, const char *booking_no, const struct store_charge *c,
                      const char *actor, int64_t *charge_id, struct hc_diag *d);
    int (*charge_update)(struct hc_store *st, int64_t charge_id,
                         const struct store_charge_patch *p, const char *actor,
                         struct store_court_change *out, struct hc_diag *d);
    int (*conviction_add)(struct hc_store *st, int64_t person_id, const struct store_conviction *c,
                          const char *actor, int64_t *conviction_id, struct hc_diag *d);
    int (*conviction_update)(struct hc_store *st, int64_t conviction_id,
                             const struct store_conviction_patch *p, const char *actor,
                             struct store_court_change *out, struct hc_diag *d);
};

struct hc_store {
    const struct store_ops *ops;
};

/* Latest schema version this build knows; `holdcheck migrate` brings a database to it. */
#define STORE_SCHEMA_VERSION 5

enum store_open_flags {
    STORE_OPEN_CREATE = 1 << 0,   /* create the database file when missing */
    STORE_OPEN_ANY_SCHEMA = 1 << 1, /* do not insist on STORE_SCHEMA_VERSION (for migrate) */
    STORE_OPEN_BACKGROUND = 1 << 2  /* a background thread's connection: a small page cache */
};

/* Open the SQLite database at path into *out (WAL, foreign keys on, a busy timeout). Unless
 * STORE_OPEN_ANY_SCHEMA is given the schema must be at STORE_SCHEMA_VERSION. Returns 0, or
 * HC_EIO / HC_ERANGE (schema too old or too new) with the reason in d; *out is then NULL.
 * Free with store_close. */
int store_sqlite_open(const char *path, int flags, struct hc_store **out, struct hc_diag *d);

/* Close st and free it. st may be NULL. */
static inline void store_close(struct hc_store *st)
{
    if (st != NULL)
        st->ops->close(st);
}

/* Apply every migration newer than the database's version, each in its own transaction.
 * *from and *to (OUT) get the versions before and after. */
static inline int store_migrate(struct hc_store *st, int *from, int *to)
{
    return st->ops->migrate(st, from, to);
}

/* The database's schema version (OUT). */
static inline int store_schema_version(struct hc_store *st, int *version)
{
    return st->ops->schema_version(st, version);
}

/* Start a transaction that takes the write lock at once (BEGIN IMMEDIATE). Writes made until
 * store_commit, including those of the store_*_add calls, commit together. Transactions nest:
 * only the outermost begin/commit touch the database. After any failed call inside a
 * transaction the caller must store_rollback. */
static inline int store_begin(struct hc_store *st)
{
    return st->ops->begin(st);
}

static inline int store_commit(struct hc_store *st)
{
    return st->ops->commit(st);
}

/* Abandon the whole (outermost) transaction, whatever the nesting depth. */
static inline void store_rollback(struct hc_store *st)
{
    st->ops->rollback(st);
}

/* Start a read transaction (BEGIN DEFERRED): the reads until store_read_end see one snapshot
 * and take the database's read lock once, instead of once per statement. For requests that
 * only read; a write (store_begin or a store_*_add) must not be made inside one. Nothing
 * happens inside a store_begin transaction. A token's last_used, which store_token_user
 * writes, is written by store_read_end after the read transaction ends. */
static inline int store_read_begin(struct hc_store *st)
{
    return st->ops->read_begin(st);
}

/* End the read transaction of store_read_begin (when one is open). */
static inline void store_read_end(struct hc_store *st)
{
    st->ops->read_end(st);
}

/* *v (OUT) gets the database's version: a number that differs from the one an earlier call
 * on this handle gave whenever the database may have changed in between, by a commit of any
 * other connection or process or a row written through this handle. Equal numbers mean
 * nothing changed. Inside a store_read_begin transaction it speaks of that snapshot. Cheap (no
 * I/O beyond what starting a read takes). Returns 0, or HC_EIO. */
static inline int store_version(struct hc_store *st, uint64_t *v)
{
    return st->ops->version(st, v);
}

/* Write a booking (with a new person and their convictions when b->booking.person_id is 0) and
 * its charges, plus one audit entry, atomically. *booking_id (OUT) gets the new id. Returns
 * STORE_ECONFLICT with d->field "booking_no" or "person.local_id" when that key exists, HC_ENOENT
 * with d->field "person_id" for an unknown person, HC_EINVAL for values the schema refuses. */
static inline int store_booking_add(struct hc_store *st, const struct store_booking_new *b,
                                    const char *actor, int64_t *booking_id, struct hc_diag *d)
{
    return st->ops->booking_add(st, b, actor, booking_id, d);
}

/* Read the booking numbered booking_no with its person, convictions, charges and requests into
 * *out (strings in a). Returns HC_ENOENT when there is no such booking, HC_ENOMEM when a is full. */
static inline int store_record_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                                   struct store_record *out)
{
    return st->ops->record_get(st, booking_no, a, out);
}

/* Number of bookings stored (OUT). */
static inline int store_booking_count(struct hc_store *st, int64_t *n)
{
    return st->ops->booking_count(st, n);
}

/* The agency's publication settings and policy (strings in a). */
static inline int store_agency_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out)
{
    return st->ops->agency_get(st, a, out);
}

/* Replace the agency settings, with an audit entry, atomically. The policy JSON is stored as
 * given; callers validate it (hc_case_read does, when a decision uses it). */
static inline int store_agency_set(struct hc_store *st, const struct store_agency *ag,
                                   const char *actor)
{
    return st->ops->agency_set(st, ag, actor);
}

/* Record an immigration request about booking booking_id, with an audit entry. */
static inline int store_request_add(struct hc_store *st, int64_t booking_id,
                                    const struct store_request *rq, const char *actor,
                                    int64_t *request_id)
{
    return st->ops->request_add(st, booking_id, rq, actor, request_id);
}

/* Record a decision on a request, with an audit entry. Since migration 2 decisions are
 * versioned: each call adds the request's next version (1, 2, ...) and never changes an
 * earlier one (a trigger refuses UPDATE and DELETE on decisions). */
static inline int store_decision_add(struct hc_store *st, const struct store_decision *dec,
                                     int64_t *decision_id)
{
    return st->ops->decision_add(st, dec, decision_id);
}

/* Walk the whole audit chain, recomputing every hash. Returns 0 whether or not the chain is
 * intact: rep->bad_seq says (0 = intact). A negative return means the walk itself failed. */
static inline int store_audit_verify(struct hc_store *st, struct store_audit_report *rep)
{
    return st->ops->audit_verify(st, rep);
}

/* Check that the connection answers (for /healthz). */
static inline int store_ping(struct hc_store *st)
{
    return st->ops->ping(st);
}

/* ------------------------------------------------------------------------------------------ */
/* Users, tokens and sessions (migration 2). Secrets are never stored: callers pass the
 * argon2id hash of a password and the BLAKE2b hash (hex) of a token or session id. */

/* Add user u (id, created_at ignored) with an audit entry "user.create". *user_id (OUT).
 * STORE_ECONFLICT when the name exists; HC_EINVAL when the schema refuses the role or name. */
static inline int store_user_add(struct hc_store *st, const struct store_user *u,
                                 const char *actor, int64_t *user_id)
{
    return st->ops->user_add(st, u, actor, user_id);
}

/* The user named name (strings in a), disabled or not. HC_ENOENT when there is none. */
static inline int store_user_get(struct hc_store *st, const char *name, struct hc_arena *a,
                                 struct store_user *out)
{
    return st->ops->user_get(st, name, a, out);
}

/* Every user, by name (arrays and strings in a; password_hash is NULL). */
static inline int store_user_list(struct hc_store *st, struct hc_arena *a,
                                  struct store_user **out, size_t *n)
{
    return st->ops->user_list(st, a, out, n);
}

/* Disable the user named name (its tokens and sessions stop working), with an audit entry
 * "user.disable". HC_ENOENT when there is no such user. */
static inline int store_user_disable(struct hc_store *st, const char *name, const char *actor)
{
    return st->ops->user_disable(st, name, actor);
}

/* Reset the credentials of the user named name, in one transaction with an audit entry: with
 * password_hash (argon2id, auth_password_hash) the password is replaced ("user.password");
 * with revoke_tokens every API token is deleted ("user.revoke"; both when both are asked).
 * Either way every session of theirs ends, so a stolen session cookie dies with the old
 * password. *tokens and *sessions (OUT) get how many were deleted. HC_ENOENT when there is no
 * such user. Nothing else about the user changes (a disabled user stays disabled). */
static inline int store_user_reset(struct hc_store *st, const char *name,
                                   const char *password_hash, int revoke_tokens,
                                   const char *actor, int64_t *tokens, int64_t *sessions)
{
    return st->ops->user_reset(st, name, password_hash, revoke_tokens, actor, tokens, sessions);
}

/* Store the hash of a new API token of user user_id, with an audit entry "token.create". */
static inline int store_token_add(struct hc_store *st, int64_t user_id, const char *token_hash,
                                  const char *actor)
{
    return st->ops->token_add(st, user_id, token_hash, actor);
}

/* The enabled user whose API token hashes to token_hash; records the token's last use (at
 * most once a minute). HC_ENOENT when no enabled user has that token. */
static inline int store_token_user(struct hc_store *st, const char *token_hash,
                                   struct hc_arena *a, struct store_user *out)
{
    return st->ops->token_user(st, token_hash, a, out);
}

/* Store a web session (the hash of its random id) for user_id until expires_at (UTC,
 * "YYYY-MM-DDTHH:MM:SSZ"). */
static inline int store_session_add(struct hc_store *st, int64_t user_id, const char *id_hash,
                                    const char *expires_at)
{
    return st->ops->session_add(st, user_id, id_hash, expires_at);
}

/* The enabled user of the unexpired session whose id hashes to id_hash. HC_ENOENT otherwise. */
static inline int store_session_user(struct hc_store *st, const char *id_hash,
                                     struct hc_arena *a, struct store_user *out)
{
    return st->ops->session_user(st, id_hash, a, out);
}

/* End the session whose id hashes to id_hash (also removes expired sessions). 0 if none. */
static inline int store_session_delete(struct hc_store *st, const char *id_hash)
{
    return st->ops->session_delete(st, id_hash);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests, decisions, overrides and the audit log, read and reviewed (migration 2).          */

/* Request request_id with its booking number, decisions and overrides (in a). HC_ENOENT. */
static inline int store_request_get(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                                    struct store_request_detail *out)
{
    return st->ops->request_get(st, request_id, a, out);
}

/* Requests matching f, by id, at most f->limit of them (in a). */
static inline int store_request_list(struct hc_store *st, const struct store_request_filter *f,
                                     struct hc_arena *a, struct store_request_item **out,
                                     size_t *n)
{
    return st->ops->request_list(st, f, a, out, n);
}

/* Record override o with an audit entry "override.record", atomically. The store checks only
 * that the decision belongs to the request (else HC_EINVAL) and what the schema checks; the
 * caller checks that the override is more restrictive (src/app/review.c). */
static inline int store_override_add(struct hc_store *st, const struct store_override *o,
                                     int64_t *override_id)
{
    return st->ops->override_add(st, o, override_id);
}

/* At most limit (1..500) audit entries with seq > after_seq, oldest first (in a). */
static inline int store_audit_list(struct hc_store *st, int64_t after_seq, int limit,
                                   struct hc_arena *a, struct store_audit_entry **out, size_t *n)
{
    return st->ops->audit_list(st, after_seq, limit, a, out, n);
}

/* ------------------------------------------------------------------------------------------ */
/* Bulk import and export (docs/import.md).                                                   */

/* Start importing rows of one kind: opens a transaction (BEGIN IMMEDIATE) that holds every row
 * and the import's single audit entry, and starts the rows' hash. Finish with
 * store_import_commit, or abandon everything with store_rollback. One import at a time per
 * handle; it must not be nested in another transaction. report(ctx, ...) is told of each row
 * that store_import_row held back and the database then refused. */
static inline int store_import_begin(struct hc_store *st, enum store_kind kind,
                                     store_import_report_fn report, void *ctx)
{
    return st->ops->import_begin(st, kind, report, ctx);
}

/* Insert one row of the current import (see struct store_import_row) and add it to the hash,
 * or hold it back for a batch (see store_import_flush). A refused row leaves the transaction
 * usable, so a caller can go on checking later rows and roll back at the end. Errors: STORE_ECONFLICT (d->field "local_id" or "booking_no": the key
 * exists, in the database or earlier in this import); HC_ENOENT (d->field "person_local_id" or
 * "booking_no": no such person or booking); HC_EINVAL (the schema refused a value); HC_EIO. */
static inline int store_import_row(struct hc_store *st, const struct store_import_row *r,
                                   struct hc_diag *d)
{
    return st->ops->import_row(st, r, d);
}

/* Bookings and charges are inserted in batches (docs/import.md, "Speed"): store_import_row may
 * copy a valid row and return HC_OK before inserting it. A refused row of a batch is passed to
 * the import's report function, at the latest by this call, which inserts every row held back,
 * in order. Returns HC_OK (even when rows were refused), or a store error (HC_EIO, HC_ENOMEM).
 * Call it before reporting a problem of a later row, and before committing. */
static inline int store_import_flush(struct hc_store *st)
{
    return st->ops->import_flush(st);
}

/* Append the import's audit entry ("import.commit": source, format, kind, row count, id range,
 * rows hash) and commit. *out (OUT, may be NULL) gets the summary. On failure everything of the
 * import is rolled back. source is the file name as the user gave it. */
static inline int store_import_commit(struct hc_store *st, const char *actor, const char *source,
                                      const char *format, struct store_import_summary *out)
{
    return st->ops->import_commit(st, actor, source, format, out);
}

/* Call cb once per stored row of kind, oldest first, with the columns of docs/import.md. Reads
 * in one transaction, so the export is a consistent snapshot. Returns 0, cb's non-zero return,
 * or a store error. */
static inline int store_export(struct hc_store *st, enum store_kind kind, store_export_cb cb,
                               void *ctx)
{
    return st->ops->export_rows(st, kind, cb, ctx);
}

/* ------------------------------------------------------------------------------------------ */
/* Public portal and subscriptions (migration 4, sqlite_public.c; docs/public.md).            */

/* The publication policy (strings in a). */
static inline int store_public_policy_get(struct hc_store *st, struct hc_arena *a,
                                          struct store_public_policy *out)
{
    return st->ops->public_policy_get(st, a, out);
}

/* Replace the policy's fields, recent_days and release_elsewhere; derive the agency's
 * release_dates_public from it; audit "publication.update"; all in one transaction. HC_EINVAL
 * for a field bit or day count out of range. */
static inline int store_public_policy_set(struct hc_store *st, const struct store_public_policy *p,
                                          const char *actor)
{
    return st->ops->public_policy_set(st, p, actor);
}

/* At most q->limit bookings of the public population matching q, in q's order (arrays and
 * strings in a). Reads only: call inside store_read_begin for one snapshot with the policy. */
static inline int store_public_search(struct hc_store *st, const struct store_public_query *q,
                                      struct hc_arena *a, struct store_public_row **out, size_t *n)
{
    return st->ops->public_search(st, q, a, out, n);
}

/* Call cb with every booking of the public population matching q (q->limit, the cursor and
 * the order are ignored: by id), in one read transaction. Returns 0, cb's non-zero return, or
 * a store error. */
static inline int store_public_export(struct hc_store *st, const struct store_public_query *q,
                                      store_public_row_cb cb, void *ctx)
{
    return st->ops->public_export(st, q, cb, ctx);
}

/* Per facility, when its data last changed (by facility name), and *overall the newest of
 * them (NULL when none). Strings in a. */
static inline int store_public_status(struct hc_store *st, struct hc_arena *a,
                                      struct store_facility_status **out, size_t *n,
                                      const char **overall)
{
    return st->ops->public_status(st, a, out, n, overall);
}

/* Record facilities whose bookings or charges were added since the last scan as changed now.
 * *changed (OUT) gets how many facilities were touched. */
static inline int store_public_status_scan(struct hc_store *st, int *changed)
{
    return st->ops->public_status_scan(st, changed);
}

/* Fill people.name_key where it is NULL (rows written before migration 4), in batches of
 * their own transactions. *filled (OUT) gets the number of people updated. */
static inline int store_namekey_backfill(struct hc_store *st, int64_t *filled)
{
    return st->ops->namekey_backfill(st, filled);
}

/* Change a booking (p->set says what), with an audit entry "booking.update" naming each change,
 * the events it causes (released, transferred, release date set or changed) and the deliveries
 * to confirmed subscribers of events the policy publishes, all in one transaction. *out (in a)
 * gets the booking afterwards. HC_ENOENT (d->field "booking_no"); HC_EINVAL naming the field
 * for an inconsistent result (released without released_at, released_at while in custody). */
static inline int store_booking_update(struct hc_store *st, const char *booking_no,
                                       const struct store_booking_patch *p, const char *actor,
                                       struct hc_arena *a, struct store_booking_state *out,
                                       struct hc_diag *d)
{
    return st->ops->booking_update(st, booking_no, p, actor, a, out, d);
}

/* Subscribe (double opt-in): unless the same booking, channel and target already has a
 * confirmed subscription (then nothing is written and *delivery_id is 0), write or refresh
 * the pending subscription with sub's tokens, secret, events and language, and queue its
 * confirmation message; audit "subscription.create" without the target. *delivery_id (OUT)
 * gets the confirmation's delivery. HC_ENOENT when there is no such booking. */
static inline int store_subscription_add(struct hc_store *st, const struct store_subscription *sub,
                                         int64_t *delivery_id)
{
    return st->ops->subscription_add(st, sub, delivery_id);
}

/* Confirm the subscription whose confirmation token is token, if it was created after
 * created_after (UTC; pending subscriptions expire) or is already confirmed. HC_ENOENT
 * otherwise (unsubscribed ones too). Audited "subscription.confirm" when it changes. */
static inline int store_subscription_confirm(struct hc_store *st, const char *token,
                                             const char *created_after, struct hc_arena *a,
                                             struct store_subscription_info *out)
{
    return st->ops->subscription_confirm(st, token, created_after, a, out);
}

/* End the subscription whose unsubscribe token is token, cancelling its pending deliveries
 * (*cancelled, OUT). Idempotent; HC_ENOENT for an unknown token. */
static inline int store_subscription_unsubscribe(struct hc_store *st, const char *token,
                                                 int64_t *cancelled)
{
    return st->ops->subscription_unsubscribe(st, token, cancelled);
}

/* Put deliveries left "sending" by a stopped process back to "pending" (*n, OUT). Call once at
 * startup, before any store_delivery_claim: this is the at-least-once step. */
static inline int store_delivery_requeue(struct hc_store *st, int64_t *n)
{
    return st->ops->delivery_requeue(st, n);
}

/* Claim the pending delivery due soonest at or before now (UTC): mark it "sending", count the
 * attempt, commit, and fill *out (strings in a). HC_ENOENT when none is due. */
static inline int store_delivery_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                                       struct store_delivery_job *out)
{
    return st->ops->delivery_claim(st, now, a, out);
}

/* Record how a claimed delivery went (next_attempt_at for RETRY, error: what failed, or
 * NULL), in one transaction with its consequences (confirming or ending the subscription). */
static inline int store_delivery_finish(struct hc_store *st, int64_t id,
                                        enum store_delivery_result r, const char *next_attempt_at,
                                        const char *error)
{
    return st->ops->delivery_finish(st, id, r, next_attempt_at, error);
}

/* At most limit (1..500) deliveries with id > after_id, oldest first, optionally of one status
 * (NULL: any). Never the target. */
static inline int store_delivery_list(struct hc_store *st, const char *status, int64_t after_id,
                                      int limit, struct hc_arena *a,
                                      struct store_delivery_row **out, size_t *n)
{
    return st->ops->delivery_list(st, status, after_id, limit, a, out, n);
}

/* Queue an advance notice for each confirmed subscription that wants one, whose booking is in
 * custody with a scheduled release date between today and today + advance_days, once per
 * subscription and date, when the policy publishes scheduled releases. *queued (OUT). */
static inline int store_advance_scan(struct hc_store *st, const char *today, int64_t *queued)
{
    return st->ops->advance_scan(st, today, queued);
}

/* Record (or replace) the snapshot of snap->date. */
static inline int store_snapshot_put(struct hc_store *st, const struct store_snapshot *snap)
{
    return st->ops->snapshot_put(st, snap);
}

/* Every recorded snapshot, newest first (in a). */
static inline int store_snapshot_list(struct hc_store *st, struct hc_arena *a,
                                      struct store_snapshot **out, size_t *n)
{
    return st->ops->snapshot_list(st, a, out, n);
}

/* Forget the snapshot of date (0 also when there was none). */
static inline int store_snapshot_delete(struct hc_store *st, const char *date)
{
    return st->ops->snapshot_delete(st, date);
}

/* ------------------------------------------------------------------------------------------ */
/* Staff console and notices (migration 5, sqlite_console.c; docs/console.md).                */

/* Record that notice n was generated (generated_at is now) by n->generated_by, with an audit
 * entry "notice.generate", atomically. *notice_id (OUT). HC_ENOENT when the request does not
 * exist; HC_EINVAL when the schema refuses a value (unknown kind, language or recipient, a
 * release notice without its date, a copy or consent notice to anyone but the person). */
static inline int store_notice_add(struct hc_store *st, const struct store_notice *n,
                                   int64_t *notice_id)
{
    return st->ops->notice_add(st, n, notice_id);
}

/* Notice notice_id (strings in a). HC_ENOENT. */
static inline int store_notice_get(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                                   struct store_notice *out)
{
    return st->ops->notice_get(st, notice_id, a, out);
}

/* Record the service of notice notice_id, with an audit entry "notice.serve", atomically.
 * HC_ENOENT (d->field "id"); STORE_ECONFLICT (d->field "id") when it was already served, and
 * nothing changes; HC_EINVAL when the schema refuses a value. */
static inline int store_notice_serve(struct hc_store *st, int64_t notice_id,
                                     const struct store_notice_service *sv, struct hc_diag *d)
{
    return st->ops->notice_serve(st, notice_id, sv, d);
}

/* Record the person's answer to an interview request, audited "consent.record". *consent_id
 * (OUT). HC_ENOENT for no such request; HC_EINVAL for a value the schema refuses. */
static inline int store_consent_add(struct hc_store *st, const struct store_consent *c,
                                    int64_t *consent_id)
{
    return st->ops->consent_add(st, c, consent_id);
}

/* Record the agency's intent to comply, audited "intent.record". Errors as store_consent_add.
 * Callers check that "yes" is not stated for a prohibited request. */
static inline int store_intent_add(struct hc_store *st, const struct store_intent *in,
                                   int64_t *intent_id)
{
    return st->ops->intent_add(st, in, intent_id);
}

/* Record that the agency told immigration authorities a release date, audited
 * "release.disclose". Errors as store_consent_add. */
static inline int store_disclosure_add(struct hc_store *st, const struct store_disclosure *dc,
                                       int64_t *disclosure_id)
{
    return st->ops->disclosure_add(st, dc, disclosure_id);
}

/* Record an interview step, audited "interview.record", atomically with its check: when
 * iv->status is "granted" and need_consent is set (the decision's conditions include
 * 7283.1(a)), a consent notice must have been served to the person and the newest consent
 * answer must be "consent", or "attorney_only" naming the attorney; that answer's id is
 * recorded with the step. HC_ERANGE (d->field "status", d->msg saying what is missing) when
 * not, and nothing is written. HC_ENOENT for no such request. *interview_id (OUT). */
static inline int store_interview_add(struct hc_store *st, const struct store_interview *iv,
                                      int need_consent, int64_t *interview_id, struct hc_diag *d)
{
    return st->ops->interview_add(st, iv, need_consent, interview_id, d);
}

/* Record a judicial warrant's court and judge, audited "warrant.record". Errors as
 * store_consent_add. */
static inline int store_warrant_add(struct hc_store *st, const struct store_warrant *w,
                                    int64_t *warrant_id)
{
    return st->ops->warrant_add(st, w, warrant_id);
}

/* Everything recorded about request_id's notices, consent, intent, release dates, interview
 * and warrant (in a). A request that does not exist has empty lists: check it first. */
static inline int store_console_state(struct hc_store *st, int64_t request_id,
                                      struct hc_arena *a, struct store_console_state *out)
{
    return st->ops->console_state(st, request_id, a, out);
}

/* At most limit (1..500) requests, most urgent first: bookings with a scheduled release
 * (soonest first), then the others, newest request first within a date. With in_custody_only,
 * only requests about bookings still in custody (in a). */
static inline int store_console_queue(struct hc_store *st, int in_custody_only, int limit,
                                      struct hc_arena *a, struct store_queue_item **out,
                                      size_t *n)
{
    return st->ops->console_queue(st, in_custody_only, limit, a, out, n);
}

/* The audit entries about request_id, oldest first: its receipt, its decisions and overrides,
 * and the console's records (the entries whose entity is request/ID, or decision/N,
 * override/N, notice/N, consent/N, intent/N, disclosure/N, interview/N or warrant/N of a row
 * of that request). At most 1000 (in a). */
static inline int store_request_audit(struct hc_store *st, int64_t request_id,
                                      struct hc_arena *a, struct store_audit_entry **out,
                                      size_t *n)
{
    return st->ops->request_audit(st, request_id, a, out, n);
}

/* The booking numbers of person_id, newest booking first (in a). HC_ENOENT when there is no
 * such person. */
static inline int store_person_bookings(struct hc_store *st, int64_t person_id,
                                        struct hc_arena *a, const char ***booking_nos, size_t *n)
{
    return st->ops->person_bookings(st, person_id, a, booking_nos, n);
}

/* ---- Court record after booking (issue 3; src/store/sqlite_court.c) --------------------------
 * Each write and its audit entry (actor: the acting user) commit in one transaction; a change
 * that changes nothing writes nothing (*changed 0). Stored decisions are never touched: a
 * request is decided again on the new record only when asked (re-decide).
 * Errors: HC_ENOENT naming "booking_no", "person_id" or "id" (no such booking, person, charge
 * or conviction); HC_EINVAL when the database refused a value. */

/* Add charge c (status "pending" when c->status is NULL) to booking booking_no: audit
 * "charge.add". *charge_id (OUT) gets its id. */
static inline int store_charge_add(struct hc_store *st, const char *booking_no,
                                   const struct store_charge *c, const char *actor,
                                   int64_t *charge_id, struct hc_diag *d)
{
    return st->ops->charge_add(st, booking_no, c, actor, charge_id, d);
}

/* Change charge charge_id (a disposition, a magistrate's probable-cause finding, a corrected
 * level): audit "charge.update" with each change as from/to. *out gets its booking. */
static inline int store_charge_update(struct hc_store *st, int64_t charge_id,
                                      const struct store_charge_patch *p, const char *actor,
                                      struct store_court_change *out, struct hc_diag *d)
{
    return st->ops->charge_update(st, charge_id, p, actor, out, d);
}

/* Add conviction c (a court disposition) to person person_id: audit "conviction.add".
 * *conviction_id (OUT) gets its id. */
static inline int store_conviction_add(struct hc_store *st, int64_t person_id,
                                       const struct store_conviction *c, const char *actor,
                                       int64_t *conviction_id, struct hc_diag *d)
{
    return st->ops->conviction_add(st, person_id, c, actor, conviction_id, d);
}

/* Change conviction conviction_id (a Prop 47 reduction granted, a level or an
 * aggravated-felony classification corrected): audit "conviction.update" with from/to.
 * *out gets its person. */
static inline int store_conviction_update(struct hc_store *st, int64_t conviction_id,
                                          const struct store_conviction_patch *p,
                                          const char *actor, struct store_court_change *out,
                                          struct hc_diag *d)
{
    return st->ops->conviction_update(st, conviction_id, p, actor, out, d);
}

#endif

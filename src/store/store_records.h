/* SPDX-License-Identifier: MIT
 * store_records.h: people, bookings and the court record (convictions and charges, and their
 * changes after booking), and the agency settings the engine reads. People carry a name, date of
 * birth, local id and the PC 290 flag, and nothing else: no immigration status, national origin or
 * ethnicity is ever stored. */
#ifndef HC_STORE_RECORDS_H
#define HC_STORE_RECORDS_H

#include "store_conn.h"
#include "store_requests.h"

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

/* The court record after booking: a change to one charge, or to one conviction. `set`
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

/* A booking's columns that change after booking (status, release, facility, bail, court date),
 * as a change reads and writes them. events and deliveries say what a change caused
 * (src/app/booking.c); they are not columns. */
struct store_booking_state {
    const char *booking_no, *facility, *status, *scheduled_release, *released_at;
    const char *release_reason, *next_court_date;
    int has_bail;
    int64_t bail;
    unsigned events;    /* STORE_EVT_* events the change made (whether or not anyone listens) */
    int64_t deliveries; /* deliveries queued for them */
};

/* The people, bookings, the court record and agency settings operations of a backend
 * (contracts: the wrappers below). */
struct store_records_ops {
    int (*booking_add)(struct hc_store *st, const struct store_booking_new *b, const char *actor,
                       int64_t *booking_id, struct hc_diag *d);
    int (*record_get)(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                      struct store_record *out);
    int (*booking_count)(struct hc_store *st, int64_t *n);
    int (*agency_get)(struct hc_store *st, struct hc_arena *a, struct store_agency *out);
    int (*agency_set)(struct hc_store *st, const struct store_agency *ag, const char *actor);
    int (*booking_state_get)(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                             int64_t *booking_id, struct store_booking_state *out);
    int (*booking_state_set)(struct hc_store *st, int64_t booking_id,
                             const struct store_booking_state *b);
    int (*charge_add)(struct hc_store *st, const char *booking_no, const struct store_charge *c,
                      const char *actor, int64_t *charge_id, struct hc_diag *d);
    int (*charge_update)(struct hc_store *st, int64_t charge_id, const struct store_charge_patch *p,
                         const char *actor, struct store_court_change *out, struct hc_diag *d);
    int (*conviction_add)(struct hc_store *st, int64_t person_id, const struct store_conviction *c,
                          const char *actor, int64_t *conviction_id, struct hc_diag *d);
    int (*conviction_update)(struct hc_store *st, int64_t conviction_id,
                             const struct store_conviction_patch *p, const char *actor,
                             struct store_court_change *out, struct hc_diag *d);
};

/* Write a booking (with a new person and their convictions when b->booking.person_id is 0) and
 * its charges, plus one audit entry, atomically. *booking_id (OUT) gets the new id. Returns
 * STORE_ECONFLICT with d->field "booking_no" or "person.local_id" when that key exists, HC_ENOENT
 * with d->field "person_id" for an unknown person, HC_EINVAL for values the schema refuses. */
static inline int store_booking_add(struct hc_store *st, const struct store_booking_new *b,
                                    const char *actor, int64_t *booking_id, struct hc_diag *d)
{
    return st->records->booking_add(st, b, actor, booking_id, d);
}

/* Read the booking numbered booking_no with its person, convictions, charges and requests into
 * *out (strings in a). Returns HC_ENOENT when there is no such booking, HC_ENOMEM when a is full. */
static inline int store_record_get(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                                   struct store_record *out)
{
    return st->records->record_get(st, booking_no, a, out);
}

/* Number of bookings stored (OUT). */
static inline int store_booking_count(struct hc_store *st, int64_t *n)
{
    return st->records->booking_count(st, n);
}

/* The agency's publication settings and policy (strings in a). */
static inline int store_agency_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out)
{
    return st->records->agency_get(st, a, out);
}

/* Replace the agency settings, with an audit entry, atomically. The policy JSON is stored as
 * given; callers validate it (hc_case_read does, when a decision uses it). */
static inline int store_agency_set(struct hc_store *st, const struct store_agency *ag,
                                   const char *actor)
{
    return st->records->agency_set(st, ag, actor);
}

/* The booking numbered booking_no: its id into *booking_id and its changeable columns into *out
 * (OUT; strings in a; events and deliveries 0). HC_ENOENT when there is no such booking. */
static inline int store_booking_state_get(struct hc_store *st, const char *booking_no,
                                          struct hc_arena *a, int64_t *booking_id,
                                          struct store_booking_state *out)
{
    return st->records->booking_state_get(st, booking_no, a, booking_id, out);
}

/* Write b's facility, status, scheduled_release, released_at, release_reason, bail and
 * next_court_date to booking booking_id (b->booking_no is not read). A row operation, with no
 * audit entry: call it inside a transaction (store_begin) that appends the change's entry
 * (store_audit_append). HC_EINVAL when the schema refuses a value. Whether the change is
 * consistent (released with a release time) is the caller's to check (src/app/booking.c). */
static inline int store_booking_state_set(struct hc_store *st, int64_t booking_id,
                                          const struct store_booking_state *b)
{
    return st->records->booking_state_set(st, booking_id, b);
}

/* Add charge c (status "pending" when c->status is NULL) to booking booking_no: audit
 * "charge.add". *charge_id (OUT) gets its id. */
static inline int store_charge_add(struct hc_store *st, const char *booking_no,
                                   const struct store_charge *c, const char *actor,
                                   int64_t *charge_id, struct hc_diag *d)
{
    return st->records->charge_add(st, booking_no, c, actor, charge_id, d);
}

/* Change charge charge_id (a disposition, a magistrate's probable-cause finding, a corrected
 * level): audit "charge.update" with each change as from/to. *out gets its booking. */
static inline int store_charge_update(struct hc_store *st, int64_t charge_id,
                                      const struct store_charge_patch *p, const char *actor,
                                      struct store_court_change *out, struct hc_diag *d)
{
    return st->records->charge_update(st, charge_id, p, actor, out, d);
}

/* Add conviction c (a court disposition) to person person_id: audit "conviction.add".
 * *conviction_id (OUT) gets its id. */
static inline int store_conviction_add(struct hc_store *st, int64_t person_id,
                                       const struct store_conviction *c, const char *actor,
                                       int64_t *conviction_id, struct hc_diag *d)
{
    return st->records->conviction_add(st, person_id, c, actor, conviction_id, d);
}

/* Change conviction conviction_id (a Prop 47 reduction granted, a level or an
 * aggravated-felony classification corrected): audit "conviction.update" with from/to.
 * *out gets its person. */
static inline int store_conviction_update(struct hc_store *st, int64_t conviction_id,
                                          const struct store_conviction_patch *p,
                                          const char *actor, struct store_court_change *out,
                                          struct hc_diag *d)
{
    return st->records->conviction_update(st, conviction_id, p, actor, out, d);
}

#endif

/* SPDX-License-Identifier: MIT
 * rows_records.h: people, bookings, the court record and its changes, agency settings, and a
 * booking's changeable columns, as holdcheck's layers pass them around. Types only: the operations
 * on them are store_records.h's, which includes this header. Code that must not call the store
 * (src/http) sees these through src/store/rows alone. */
#ifndef HC_ROWS_RECORDS_H
#define HC_ROWS_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "rows_requests.h"

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

#endif

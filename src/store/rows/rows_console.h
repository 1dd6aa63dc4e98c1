/* SPDX-License-Identifier: MIT
 * rows_console.h: TRUTH Act notices and their service, consent, intent, disclosures, interviews,
 * warrants, and the console's state and queue, as holdcheck's layers pass them around. Types only:
 * the operations on them are store_console.h's, which includes this header. Code that must not
 * call the store (src/http) sees these through src/store/rows alone. */
#ifndef HC_ROWS_CONSOLE_H
#define HC_ROWS_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "rows_requests.h"

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
    int64_t consent_id;     /* granted: the consent answer it rests on (src/app/truth.c), or 0 */
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
    struct store_request req;      /* req.outcome: the outcome in force; no decision_json */
    const char *ruleset;           /* the newest decision's */
    const char *booking_no;
    const char *booking_status;    /* "in_custody" or "released" */
    const char *scheduled_release; /* or NULL */
    int64_t person_id;
    const char *person_name;
};

#endif

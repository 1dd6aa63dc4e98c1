/* SPDX-License-Identifier: MIT
 * rows_victims.h: victim notification (Penal Code 646.92, 679.03; docs/public.md "Victim
 * notification"): a victim or their designee registered by staff to be told of a booking's
 * release, transfer, escape or death, and the queue of notices owed to them. Types only: the
 * operations are store_victims.h's. The registrant's name and target (an email address for
 * now) are confidential: no public answer, export, audit payload or log line carries them. */
#ifndef HC_ROWS_VICTIMS_H
#define HC_ROWS_VICTIMS_H
#include <stddef.h>
#include <stdint.h>

/* One registration. */
struct store_victim {
    int64_t id;              /* read back only */
    const char *booking_no;  /* the booking registered for (the person's, with follows_person) */
    int64_t person_id;       /* read back only: the booking's person */
    int follows_person;      /* 1: every booking of the person, present and future */
    const char *name;        /* the victim's or designee's name, 1-200 bytes: confidential */
    const char *relation;    /* "victim", "designee", "family" or "witness" */
    const char *channel;     /* "email" (the schema admits "sms" and "webhook" to come) */
    const char *target;      /* where the notice goes (an email address): confidential */
    const char *lang;        /* "en", "es", "zh", "tl", "vi" or "ko" */
    const char *state;       /* "active" or "removed" */
    const char *created_by;
    const char *created_at;  /* UTC */
    const char *changed_by;  /* the last change or removal, or NULL */
    const char *changed_at;
};

/* One notice of the queue, as staff see it (no contact details). */
struct store_victim_notice {
    int64_t id;
    int64_t registration_id;
    const char *booking_no;  /* the booking the notice tells of */
    const char *kind;        /* "released", "transferred", "escaped", "died" or "rebooked" */
    const char *status;      /* "pending", "sending", "delivered", "failed" or "cancelled" */
    int attempts;
    const char *created_at;
    const char *delivered_at; /* or NULL */
    const char *last_error;   /* or NULL: never names the target */
};

/* A claimed notice with what it takes to send it. */
struct store_victim_job {
    int64_t id;
    int64_t registration_id;
    int attempts;            /* counting this one */
    const char *kind;
    const char *data;        /* the notice's JSON object, as the service wrote it */
    const char *created_at;
    const char *booking_no;
    const char *person_name; /* the person the notice is about */
    const char *name;        /* the registrant (confidential) */
    const char *channel;
    const char *target;      /* confidential */
    const char *lang;
    const char *reg_state;   /* the registration's state now */
};

#endif

/* SPDX-License-Identifier: MIT
 * agency_conf.h: the agency's own settings that the service layer applies, as `holdcheck serve`
 * reads them from its configuration (src/cli/config.c, docs/configuration.md): how long a
 * second request like one already recorded is taken for a duplicate, who may state the
 * agency's intent to comply, the name and address printed on notices, and the hours that make
 * "upon receiving" and "promptly" deadlines. A value is read-only once the server runs; every
 * worker borrows the same struct. */
#ifndef HC_AGENCY_CONF_H
#define HC_AGENCY_CONF_H

#include "rules.h"

/* Who may record the agency's intent to comply with a request (PUT /requests/{id}/intent). */
enum agency_intent_by {
    AGENCY_INTENT_BY_CLERK = 0,  /* any staff who may write: clerks, supervisors, admins */
    AGENCY_INTENT_BY_SUPERVISOR, /* supervisors and admins only */
};

#define AGENCY_CONF_DUPLICATE_HOURS_DEFAULT 24
#define AGENCY_CONF_DUPLICATE_HOURS_MAX 720

struct agency_conf {
    /* A request for the same booking, type and form received within this many hours of one
     * already recorded is refused as a duplicate unless confirmed new (intake.h); 0: never. */
    int duplicate_window_hours;
    int intent_by;               /* enum agency_intent_by */
    const char *name;            /* borrowed; printed at the head of notices; NULL: blank */
    const char *address;         /* borrowed; printed under the name; NULL: none */
    /* The public page's contacts (GET /api/v1/public/info); borrowed; NULL: not shown. Phones
     * pass agency_phone_valid, the URL hc_url_parse. */
    const char *phone;                 /* the agency's public telephone number */
    const char *victim_services_phone; /* victim services: telephone */
    const char *victim_services_url;   /* victim services: web page (http or https) */
    struct notice_clock clock;   /* "upon receiving" and "promptly", in hours */
    int transparency_public;     /* the public transparency page is published (0: not) */
};

/* The built-in settings: a 24-hour duplicate window, intent stated by any writer, no name or
 * address, and notice_clock_defaults. */
void agency_conf_defaults(struct agency_conf *c);

/* c, or the built-in settings when c is NULL (a caller that was given none). Borrowed; the
 * built-in struct is static and never changes. */
const struct agency_conf *agency_conf_or_default(const struct agency_conf *c);

#define AGENCY_PHONE_MAX 40 /* bytes of a telephone number as written */

/* Whether s is a telephone number as people write it: digits, spaces and + ( ) - . only,
 * beginning with a digit, '+' or '(', with 7 to 15 digits (E.164 allows 15), '+' only first,
 * at most AGENCY_PHONE_MAX bytes: "(510) 555-0100", "+1 510 555 0100". Text ("call us"),
 * letters (1-800-FLOWERS) and extensions are refused, so the page can always dial it. */
int agency_phone_valid(const char *s);

/* The name of an enum agency_intent_by ("clerk", "supervisor"), or NULL; and back (-1). */
const char *agency_intent_by_name(int v);
int agency_intent_by_from_name(const char *s);

#endif

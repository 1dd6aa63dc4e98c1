/* SPDX-License-Identifier: MIT
 * publish.h: what the public sees of a booking (issue 4, docs/public-api.md). The publication
 * policy's fields, their names and legal effect, the subscription events, and the renderers
 * of a public record as JSON and CSV. Every public answer, export, snapshot and message goes
 * through these renderers, which write only the fields the policy publishes: this is the one
 * place that decides what leaves the building. No I/O. */
#ifndef HC_PUBLISH_H
#define HC_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "catalog.h"
#include "clock.h"
#include "rows_public.h"

#define PUBLISH_NFIELDS 10

/* One publishable field, in the fixed order of answers and CSV columns. */
struct publish_field {
    unsigned bit;       /* STORE_PUB_* */
    const char *name;   /* in the policy ("recently_released") */
    const char *key;    /* in records and CSV headers ("released_on") */
    const char *effect; /* its legal effect, for the admin (docs/public.md, "Legal effect") */
};

/* The ten fields, in order. */
extern const struct publish_field publish_fields[PUBLISH_NFIELDS];

/* The STORE_PUB_* bit of a policy field name, or 0 when there is none. */
unsigned publish_field_bit(const char *name);

/* The STORE_EVT_* bit of an event name ("released", "transferred", "release_date",
 * "advance_notice"), or 0; and the name of one bit (NULL when not one). */
unsigned publish_event_bit(const char *name);
const char *publish_event_name(unsigned evt);

/* What the policy never publishes, for the admin answer: a static sentence. */
extern const char publish_never_public[];

/* Whether a charge may be shown to the public, and how: NULL when it never may, whatever the
 * policy: a citation of 8 USC (immigration law) or one the catalog flags "status" (its naming
 * tells a person's immigration or citizenship status: data/README.md), read as of day `on`
 * (YYYY-MM-DD; NULL: the newest rows); else the catalog's description of the offense, borrowed
 * from cat, "" when cat is NULL or the catalog does not know it (or the citation does not
 * parse: shown as written). Every public output of charges asks this first. */
const char *publish_charge(const struct hc_catalog *cat, const char *citation, const char *on);

/* What a public output or query wants to use, for publish_allows. */
enum publish_use {
    PUBLISH_SHOW,     /* what: one STORE_PUB_* field an answer, export, snapshot or message
                       * would show */
    PUBLISH_FILTER,   /* what: one PUBLISH_BY_* key a public search would filter on */
    PUBLISH_EVENT,    /* what: one STORE_EVT_* event subscribers would be told of */
    PUBLISH_SNAPSHOT  /* what: the STORE_PUB_* fields a stored snapshot was written under */
};

/* The keys a public search may filter on (PUBLISH_FILTER). */
enum publish_filter {
    PUBLISH_BY_NAME = 1,      /* name, last, first */
    PUBLISH_BY_DOB,           /* date of birth (confirms one; never shown) */
    PUBLISH_BY_BOOKING_NO,
    PUBLISH_BY_FACILITY,
    PUBLISH_BY_CUSTODY_STATUS
};

/* The publication policy: whether a policy publishing `fields` (STORE_PUB_* bits) lets the
 * public side use `what` as `use` says. Every public answer, export, snapshot, search filter,
 * subscription and delivered message asks here, so what leaves the building is decided in
 * this one function:
 * - a field is shown only when its bit is published;
 * - a search may filter by name or date of birth only when names are published, by booking
 *   number, facility or custody status only when those are (custody status also when
 *   recently released bookings are listed);
 * - an event may be told only when booking numbers are published (a subscription names its
 *   booking by one) and the event tells nothing the answers do not already show;
 * - a snapshot may be served only when it holds no field the policy no longer publishes.
 * Returns 1 or 0. Pure; thread-safe. */
int publish_allows(unsigned fields, enum publish_use use, unsigned what);

/* The STORE_EVT_* events a policy publishing `fields` lets anyone subscribe to (each one
 * allowed by publish_allows). */
unsigned publish_events(unsigned fields);

/* How many distinct last names one page of a search by last and first name may visit: a
 * one-letter last name with an unlikely first name ("s", "zzzz") would otherwise walk every
 * last name that begins with the letter (a hundred thousand in a large county: 23 ms a query,
 * for anyone, as often as the rate limit allows). 2,000 seeks cost well under a millisecond;
 * past them the searcher is asked for more letters of the last name. */
#define PUBLISH_SEARCH_MAX_NAMES 2000

/* Say in d, against the query field `field` ("last" on the public side, "name" in the
 * console), that a search passed PUBLISH_SEARCH_MAX_NAMES and needs more letters of the last
 * name. Returns HC_ERANGE, the code the store gave for it. */
int publish_search_too_wide(struct hc_diag *d, const char *field);

/* The population every public answer sees under policy p at time now (seconds since the
 * epoch): q is cleared and given the policy's fields, the first day (local time, into since)
 * on which a release still counts as recent, and the search bound PUBLISH_SEARCH_MAX_NAMES.
 * since must outlive q. */
void publish_query_init(const struct store_public_policy *p, int64_t now,
                        char since[HC_CLOCK_DATE_LEN], struct store_public_query *q);

/* Append r as a JSON object holding exactly the fields in `fields`, in table order. cat gives
 * the charges' descriptions (may be NULL). */
void publish_json(struct hc_buf *b, const struct store_public_row *r, unsigned fields,
                  const struct hc_catalog *cat);

/* The CSV header row (CRLF-terminated) of `fields`, and one record (RFC 4180). */
void publish_csv_header(struct hc_buf *b, unsigned fields);
void publish_csv_row(struct hc_buf *b, const struct store_public_row *r, unsigned fields,
                     const struct hc_catalog *cat);

#endif

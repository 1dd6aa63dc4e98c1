/* SPDX-License-Identifier: MIT
 * publish.h: what the public sees of a booking (issue 4, docs/public-api.md). The publication
 * policy's fields, their names and legal effect, the subscription events, and the renderers
 * of a public record as JSON and CSV. Every public answer, export, snapshot and message goes
 * through these renderers, which write only the fields the policy publishes: this is the one
 * place that decides what leaves the building. No I/O. */
#ifndef HC_PUBLISH_H
#define HC_PUBLISH_H

#include <stddef.h>

#include "buf.h"
#include "catalog.h"
#include "store.h"

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

/* The catalog's description of a charge's citation as of day `on` (YYYY-MM-DD, NULL: today is
 * not known, the newest rows are used), borrowed from cat; "" when cat is NULL or the catalog
 * does not know the offense. */
const char *publish_charge_description(const struct hc_catalog *cat, const char *citation,
                                       const char *on);

/* s as a JSON string literal (NULL: null). Bytes that are not valid UTF-8 become U+FFFD, so
 * a stray byte in imported data cannot make an answer invalid. */
void publish_put_jstr(struct hc_buf *b, const char *s);

/* Append r as a JSON object holding exactly the fields in `fields`, in table order. cat gives
 * the charges' descriptions (may be NULL). */
void publish_json(struct hc_buf *b, const struct store_public_row *r, unsigned fields,
                  const struct hc_catalog *cat);

/* The CSV header row (CRLF-terminated) of `fields`, and one record (RFC 4180). */
void publish_csv_header(struct hc_buf *b, unsigned fields);
void publish_csv_row(struct hc_buf *b, const struct store_public_row *r, unsigned fields,
                     const struct hc_catalog *cat);

#endif

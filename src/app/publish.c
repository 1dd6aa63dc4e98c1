/* SPDX-License-Identifier: MIT
 * publish.c: the public record (publish.h). One table names the ten publishable fields; the
 * JSON and CSV writers walk it and write a field only when its bit is in the policy, so a field
 * the agency does not publish cannot appear by a forgotten `if`. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cite.h"
#include "csv.h"
#include "date.h"
#include "json.h"
#include "publish.h"

const struct publish_field publish_fields[PUBLISH_NFIELDS] = {
    {STORE_PUB_BOOKING_NO, "booking_no", "booking_no",
     "The booking number: needed for a person's own page, deep links and subscriptions. It "
     "identifies a booking, not a person, to anyone who does not already know it."},
    {STORE_PUB_NAME, "name", "name",
     "Gov. Code 7284.6(a)(1)(D): a published name is personal information 'available to the "
     "public', and with it every other published field describes an identified person. Names "
     "also allow search by name and by date of birth (a date of birth can then be confirmed, "
     "though it is never shown). The engine's personal_info_public flag does not follow: it "
     "speaks of the personal information a request asks for (a home or work address, for "
     "instance), which the portal never publishes; set it in the agency settings only if the "
     "agency makes that information public by other means."},
    {STORE_PUB_BOOKING_DATE, "booking_date", "booking_date",
     "The date of booking. With names published, personal information under 7284.6(a)(1)(D) "
     "made available to the public."},
    {STORE_PUB_CHARGES, "charges", "charges",
     "Pending and convicted charges (citation and the catalog's description; dismissed charges "
     "and charges whose naming says something immigration-related, 8 USC, 18 USC 911, 922(g)(5) "
     "and 1546, are never shown). Criminal history may already be shared with immigration authorities "
     "where state law allows (7284.6(b)(2)); publishing it shows it to everyone."},
    {STORE_PUB_BAIL, "bail", "bail",
     "The bail amount, or that the person is held without bail. With names published, "
     "personal information made available to the public (7284.6(a)(1)(D))."},
    {STORE_PUB_NEXT_COURT_DATE, "next_court_date", "next_court_date",
     "The next court date. It tells where and when a person will be outside the jail: with "
     "names published, immigration authorities can read it like anyone else."},
    {STORE_PUB_FACILITY, "facility", "facility",
     "Where the person is held. Allows 'transferred' subscriptions and the per-facility "
     "status line."},
    {STORE_PUB_CUSTODY_STATUS, "custody_status", "custody_status",
     "Whether the person is in custody or released. Allows 'released' subscriptions."},
    {STORE_PUB_SCHEDULED_RELEASE, "scheduled_release", "scheduled_release",
     "Gov. Code 7284.6(a)(1)(C): publishing scheduled release dates and times makes them "
     "'available to the public', so the engine may permit answering an immigration "
     "notification request with a release date for anyone, not only for people who meet a "
     "7282.5 condition. The agency flag release_dates_public turns on with this field, in the "
     "same transaction. Allows 'release_date' and 'advance_notice' subscriptions."},
    {STORE_PUB_RECENTLY_RELEASED, "recently_released", "released_on",
     "Lists people released within the last N days, with their release date, and so their "
     "custody status. A past release date does not say when anyone will be released, so it "
     "does not make release dates 'available to the public' under 7284.6(a)(1)(C) and the "
     "engine flag does not follow it (an interpretive choice: docs/public.md)."},
};

const char publish_never_public[] =
    "Never public, whatever the policy: immigration requests, holds, notification and transfer "
    "requests, decisions, overrides, dates of birth, local ids, PC 290 status, prior "
    "convictions, release reasons, subscribers' addresses, and charges whose naming says "
    "something immigration-related (8 USC, 18 USC 911, 922(g)(5), 1546).";

static const char *const event_names[] = {"released", "transferred", "release_date",
                                          "advance_notice"};

unsigned publish_field_bit(const char *name)
{
    size_t i;
    for (i = 0; i < PUBLISH_NFIELDS; i++)
        if (strcmp(publish_fields[i].name, name) == 0)
            return publish_fields[i].bit;
    return 0;
}

unsigned publish_event_bit(const char *name)
{
    unsigned i;
    for (i = 0; i < 4; i++)
        if (strcmp(event_names[i], name) == 0)
            return 1u << i;
    return 0;
}

const char *publish_event_name(unsigned evt)
{
    unsigned i;
    for (i = 0; i < 4; i++)
        if (evt == 1u << i)
            return event_names[i];
    return NULL;
}

const char *publish_charge(const struct hc_catalog *cat, const char *citation, const char *on)
{
    struct hc_cite c;
    struct hc_offense off;
    hc_day day = hc_date_from_ymd(2100, 1, 1);
    if (citation == NULL || hc_cite_parse(citation, strlen(citation), &c, NULL) != HC_OK)
        return "";
    /* Title 8 is immigration law whether or not the catalog has the section. */
    if ((c.main.code == HC_CODE_USC && c.main.title == 8) ||
        (c.has_target && c.target.code == HC_CODE_USC && c.target.title == 8))
        return NULL;
    if (cat == NULL)
        return "";
    if (on != NULL && strlen(on) >= 10)
        hc_date_parse(on, 10, &day);
    hc_catalog_resolve(cat, &c, day, &off);
    if (off.reveals_status)
        return NULL;
    return off.found && off.desc != NULL ? off.desc : "";
}

int publish_allows(unsigned fields, enum publish_use use, unsigned what)
{
    switch (use) {
    case PUBLISH_SHOW:
        return what != 0 && (what & ~STORE_PUB_ALL) == 0 && (fields & what) == what;
    case PUBLISH_FILTER:
        switch (what) {
        case PUBLISH_BY_NAME:
        case PUBLISH_BY_DOB: return (fields & STORE_PUB_NAME) != 0;
        case PUBLISH_BY_BOOKING_NO: return (fields & STORE_PUB_BOOKING_NO) != 0;
        case PUBLISH_BY_FACILITY: return (fields & STORE_PUB_FACILITY) != 0;
        case PUBLISH_BY_CUSTODY_STATUS:
            return (fields & (STORE_PUB_CUSTODY_STATUS | STORE_PUB_RECENTLY_RELEASED)) != 0;
        default: return 0;
        }
    case PUBLISH_EVENT:
        if (!(fields & STORE_PUB_BOOKING_NO))
            return 0;
        switch (what) {
        case STORE_EVT_RELEASED:
            return (fields & (STORE_PUB_CUSTODY_STATUS | STORE_PUB_RECENTLY_RELEASED)) != 0;
        case STORE_EVT_TRANSFERRED: return (fields & STORE_PUB_FACILITY) != 0;
        case STORE_EVT_RELEASE_DATE:
        case STORE_EVT_ADVANCE: return (fields & STORE_PUB_SCHEDULED_RELEASE) != 0;
        default: return 0;
        }
    case PUBLISH_SNAPSHOT:
        return (what & ~fields) == 0;
    }
    return 0;
}

unsigned publish_events(unsigned fields)
{
    unsigned e = 0, i;
    for (i = 0; i < 4; i++)
        if (publish_allows(fields, PUBLISH_EVENT, 1u << i))
            e |= 1u << i;
    return e;
}

void publish_query_init(const struct store_public_policy *p, int64_t now,
                        char since[HC_CLOCK_DATE_LEN], struct store_public_query *q)
{
    char local[HC_CLOCK_LOCAL_LEN];
    memset(q, 0, sizeof *q);
    q->fields = p->fields;
    hc_clock_local(now - (int64_t)p->recent_days * 86400, local);
    memcpy(since, local, HC_CLOCK_DATE_LEN - 1);
    since[HC_CLOCK_DATE_LEN - 1] = '\0';
    q->released_since = since;
    q->max_names = PUBLISH_SEARCH_MAX_NAMES;
}

int publish_search_too_wide(struct hc_diag *d, const char *field)
{
    hc_diag_set(d, field, "too many last names begin with these letters to search by first "
                          "name too: give more letters of the last name", NULL);
    return HC_ERANGE;
}

/* s as a JSON string literal, or null when s is NULL. */
static void put_str(struct hc_buf *b, const char *s)
{
    if (s == NULL)
        hc_buf_put(b, "null", 4);
    else
        hc_buf_put_jstr(b, s, strlen(s));
}

static void put_key(struct hc_buf *b, const char *key, int *first)
{
    if (!*first)
        hc_buf_putc(b, ',');
    *first = 0;
    hc_buf_putc(b, '"');
    hc_buf_puts(b, key);
    hc_buf_put(b, "\":", 2);
}

static void put_int(struct hc_buf *b, int64_t v)
{
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    hc_buf_puts(b, tmp);
}

/* The first 10 bytes of s (a date or an instant) as its date, into out; NULL when s is. */
static const char *date_part(const char *s, char out[11])
{
    if (s == NULL)
        return NULL;
    snprintf(out, 11, "%s", s);
    return out;
}

void publish_json(struct hc_buf *b, const struct store_public_row *r, unsigned fields,
                  const struct hc_catalog *cat)
{
    int first = 1, released = r->status != NULL && strcmp(r->status, "released") == 0;
    size_t i, k, shown;
    char day[11];

    hc_buf_putc(b, '{');
    for (i = 0; i < PUBLISH_NFIELDS; i++) {
        const struct publish_field *f = &publish_fields[i];
        if (!publish_allows(fields, PUBLISH_SHOW, f->bit))
            continue;
        put_key(b, f->key, &first);
        switch (f->bit) {
        case STORE_PUB_BOOKING_NO: put_str(b, r->booking_no); break;
        case STORE_PUB_NAME: put_str(b, r->name); break;
        case STORE_PUB_BOOKING_DATE: put_str(b, date_part(r->booked_at, day)); break;
        case STORE_PUB_CHARGES:
            hc_buf_putc(b, '[');
            for (k = 0, shown = 0; k < r->ncharges; k++) {
                const char *desc = publish_charge(cat, r->charges[k].citation, r->booked_at);
                if (desc == NULL)
                    continue;
                if (shown++)
                    hc_buf_putc(b, ',');
                hc_buf_puts(b, "{\"citation\":");
                put_str(b, r->charges[k].citation);
                hc_buf_puts(b, ",\"description\":");
                put_str(b, desc);
                hc_buf_puts(b, ",\"status\":");
                put_str(b, r->charges[k].status);
                hc_buf_putc(b, '}');
            }
            hc_buf_putc(b, ']');
            break;
        case STORE_PUB_BAIL:
            if (!r->has_bail)
                hc_buf_put(b, "null", 4);
            else if (r->bail < 0)
                hc_buf_put(b, "\"none\"", 6);
            else
                put_int(b, r->bail);
            break;
        case STORE_PUB_NEXT_COURT_DATE: put_str(b, r->next_court_date); break;
        case STORE_PUB_FACILITY: put_str(b, r->facility); break;
        case STORE_PUB_CUSTODY_STATUS: put_str(b, r->status); break;
        case STORE_PUB_SCHEDULED_RELEASE:
            put_str(b, released ? NULL : r->scheduled_release);
            break;
        case STORE_PUB_RECENTLY_RELEASED:
            put_str(b, released ? date_part(r->released_at, day) : NULL);
            break;
        default: hc_buf_put(b, "null", 4); break;
        }
    }
    hc_buf_putc(b, '}');
}

void publish_csv_header(struct hc_buf *b, unsigned fields)
{
    size_t i;
    int first = 1;
    for (i = 0; i < PUBLISH_NFIELDS; i++) {
        if (!publish_allows(fields, PUBLISH_SHOW, publish_fields[i].bit))
            continue;
        if (!first)
            hc_buf_putc(b, ',');
        first = 0;
        hc_buf_puts(b, publish_fields[i].key);
    }
    hc_buf_put(b, "\r\n", 2);
}

void publish_csv_row(struct hc_buf *b, const struct store_public_row *r, unsigned fields,
                     const struct hc_catalog *cat)
{
    int first = 1, released = r->status != NULL && strcmp(r->status, "released") == 0;
    size_t i, k, shown;
    char day[11], tmp[2048];

    for (i = 0; i < PUBLISH_NFIELDS; i++) {
        const struct publish_field *f = &publish_fields[i];
        if (!publish_allows(fields, PUBLISH_SHOW, f->bit))
            continue;
        if (!first)
            hc_buf_putc(b, ',');
        first = 0;
        switch (f->bit) {
        case STORE_PUB_BOOKING_NO: hc_csv_cell(b, r->booking_no); break;
        case STORE_PUB_NAME: hc_csv_cell(b, r->name); break;
        case STORE_PUB_BOOKING_DATE: hc_csv_cell(b, date_part(r->booked_at, day)); break;
        case STORE_PUB_CHARGES: {
            struct hc_buf cb;
            hc_buf_init(&cb, tmp, sizeof tmp - 1);
            for (k = 0, shown = 0; k < r->ncharges; k++) {
                const char *desc = publish_charge(cat, r->charges[k].citation, r->booked_at);
                if (desc == NULL)
                    continue;
                if (shown++)
                    hc_buf_put(&cb, "; ", 2);
                hc_buf_puts(&cb, r->charges[k].citation);
                if (desc[0] != '\0') {
                    hc_buf_putc(&cb, ' ');
                    hc_buf_puts(&cb, desc);
                }
            }
            tmp[cb.len] = '\0';
            hc_csv_cell(b, tmp);
            break;
        }
        case STORE_PUB_BAIL:
            if (r->has_bail && r->bail < 0) {
                hc_buf_puts(b, "none");
            } else if (r->has_bail) {
                snprintf(tmp, sizeof tmp, "%lld", (long long)r->bail);
                hc_buf_puts(b, tmp);
            }
            break;
        case STORE_PUB_NEXT_COURT_DATE: hc_csv_cell(b, r->next_court_date); break;
        case STORE_PUB_FACILITY: hc_csv_cell(b, r->facility); break;
        case STORE_PUB_CUSTODY_STATUS: hc_csv_cell(b, r->status); break;
        case STORE_PUB_SCHEDULED_RELEASE: hc_csv_cell(b, released ? NULL : r->scheduled_release); break;
        case STORE_PUB_RECENTLY_RELEASED:
            hc_csv_cell(b, released ? date_part(r->released_at, day) : NULL);
            break;
        default: break;
        }
    }
    hc_buf_put(b, "\r\n", 2);
}

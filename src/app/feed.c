/* SPDX-License-Identifier: MIT
 * feed.c: the custody feed (contracts: feed.h). One file or push is one store transaction: new
 * rows go through the bulk import (store_import_row), changes of known bookings through
 * booking_change (booking.c), so the events a change raises are decided in one place. A row
 * that changes nothing writes nothing, which is what makes a file applied twice change nothing
 * the second time, and a refused row leaves the transaction usable so that later rows are
 * checked too; the feed then rolls back at its end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "booking.h"
#include "clock.h"
#include "date.h"
#include "feed.h"
#include "feed_rows.h"
#include "intake.h"
#include "store.h"

#define ROW_ARENA ((size_t)64 << 10)    /* what one row reads from the store */
#define GROUP_ARENA ((size_t)512 << 10) /* one booking's charge list, copied */
#define GROUP_MAX 500                   /* charges of one booking (HC_CASE_MAX_RECORDS) */
#define PUSH_ERRORS_MAX 100             /* refused rows listed in a push's answer */
#define KEY_MAX 200
#define RECENT 64 /* new bookings remembered: more than the store holds back at once */

/* One row of the charge list being gathered: its line and its charge (strings in grp). */
struct group_row {
    long tag;
    struct store_charge c;
};

struct feed {
    struct hc_store *st;
    enum store_kind kind;
    const char *actor;
    store_import_report_fn report; /* the caller's, told of rows refused after feed_row */
    void *ctx;
    unsigned fields;               /* the publication policy's fields (who hears of events) */
    struct hc_arena row;           /* reset at each row */
    struct hc_arena grp;           /* the charge list being gathered */
    char group_no[48];             /* its booking ("" none) */
    struct group_row *group;       /* GROUP_MAX rows */
    size_t ngroup;
    int64_t bulk;                  /* rows given to store_import_row */
    char recent[RECENT][72];       /* the people of the last RECENT new bookings ("" none) */
    unsigned nrecent;
    int wrote;                     /* 1 once anything but a bulk row was written */
    struct feed_counts n;
    char mem[];                    /* the arenas' memory */
};

/* ------------------------------------------------------------------------------------------ */
/* Times                                                                                      */

/* The moment s names, when it carries "Z" or an offset: 1 with *t set; 0 for a date or a local
 * time (no zone), whose moment depends on the zone it was written in. s is valid (checked by
 * feed_check_row). */
static int instant_of(const char *s, int64_t *t)
{
    char utc[21];
    const char *p = s + 19;
    size_t n = strlen(s);
    if (n < 20 || s[10] != 'T')
        return 0;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if (*p != 'Z' && *p != '+' && *p != '-')
        return 0;
    memcpy(utc, s, 19);
    utc[19] = 'Z';
    utc[20] = '\0';
    if (hc_clock_parse(utc, t) != HC_OK)
        return 0;
    if (*p != 'Z') {
        int64_t off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600 + ((p[4] - '0') * 10 +
                                                                    (p[5] - '0')) * 60;
        *t -= *p == '+' ? off : -off;
    }
    return 1;
}

/* HC_OK when time s (a booking or release) is not in the future: to the second when it carries
 * a zone, to the day otherwise, with FEED_CLOCK_SKEW_SECS of allowance. */
static int not_future(const char *field, const char *s, struct hc_diag *d)
{
    int64_t t, now = hc_clock_now() + FEED_CLOCK_SKEW_SECS;
    char today[HC_CLOCK_DATE_LEN];
    hc_day day, tday;
    if (s == NULL)
        return HC_OK;
    if (instant_of(s, &t)) {
        if (t > now)
            return hc_diag_set(d, field, "is in the future", NULL);
        return HC_OK;
    }
    hc_clock_local_date(now, today);
    if (intake_parse_received(s, &day) == HC_OK && hc_date_parse(today, 10, &tday) == HC_OK &&
        day > tday)
        return hc_diag_set(d, field, "is in the future", NULL);
    return HC_OK;
}

/* Whether time a is before time b: to the second when both carry a zone, else to the day. */
static int before(const char *a, const char *b)
{
    int64_t ta, tb;
    hc_day da, db;
    if (instant_of(a, &ta) && instant_of(b, &tb))
        return ta < tb;
    return intake_parse_received(a, &da) == HC_OK && intake_parse_received(b, &db) == HC_OK &&
           da < db;
}

/* Whether two nullable strings differ. */
static int differ(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a != b;
    return strcmp(a, b) != 0;
}

/* ------------------------------------------------------------------------------------------ */
/* People                                                                                     */

static int person_row(struct feed *f, const struct store_import_row *r, struct hc_diag *d)
{
    struct store_import_person p;
    const struct store_person *w = &r->person;
    int rc = store_import_person_get(f->st, w->local_id, &f->row, &p);
    if (rc == HC_ENOENT) {
        if ((rc = store_import_row(f->st, r, d)) == HC_OK) {
            f->bulk++;
            f->n.created++;
        }
        return rc;
    }
    if (rc != HC_OK)
        return rc;
    /* NEEDSWORK: a corrected name or date of birth is refused rather than applied: changing a
     * person needs a store operation (and the name's search key) the feed does not have yet. */
    if (differ(p.person.name, w->name))
        return hc_diag_set(d, "name", "differs from the record; the feed does not change "
                           "people", NULL);
    if (differ(p.person.date_of_birth, w->date_of_birth))
        return hc_diag_set(d, "date_of_birth", "differs from the record; the feed does not "
                           "change people", NULL);
    if (p.person.registrant_290 != (w->registrant_290 != 0))
        return hc_diag_set(d, "registrant_290", "differs from the record; the feed does not "
                           "change people", NULL);
    f->n.unchanged++;
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Bookings                                                                                   */

/* What a booking row says of itself, whether or not the booking is known. */
static int booking_self_check(const struct store_booking *b, struct hc_diag *d)
{
    int rc;
    if ((rc = not_future("booked_at", b->booked_at, d)) != HC_OK ||
        (rc = not_future("released_at", b->released_at, d)) != HC_OK)
        return rc;
    if (b->released_at != NULL && before(b->released_at, b->booked_at)) {
        char msg[96];
        snprintf(msg, sizeof msg, "is before the booking (booked at %.40s)", b->booked_at);
        return hc_diag_set(d, "released_at", msg, NULL);
    }
    return HC_OK;
}

/* Whether one of the last RECENT new bookings of this feed was person local_id's. */
static int recent_person(const struct feed *f, const char *local_id)
{
    unsigned i;
    for (i = 0; i < RECENT && i < f->nrecent; i++)
        if (strcmp(f->recent[i], local_id) == 0)
            return 1;
    return 0;
}

/* A new booking: created in bulk, its re-booking recorded when its person was booked before. */
static int booking_create(struct feed *f, const struct store_import_row *r, struct hc_diag *d)
{
    struct store_import_person p;
    int rc;
    /* The store holds a few new rows back for one multi-row INSERT, where the count of the
     * person's bookings does not see them: when this person's booking may be among them, they
     * are inserted first. */
    if (recent_person(f, r->person_local_id) && (rc = store_import_flush(f->st)) != HC_OK)
        return rc;
    rc = store_import_person_get(f->st, r->person_local_id, &f->row, &p);
    if (rc == HC_ENOENT) {
        hc_diag_set(d, "person_local_id", "no such person", NULL);
        return HC_ENOENT;
    }
    if (rc != HC_OK)
        return rc;
    if ((rc = store_import_row(f->st, r, d)) != HC_OK)
        return rc;
    f->bulk++;
    f->n.created++;
    if (strlen(r->person_local_id) < sizeof f->recent[0])
        memcpy(f->recent[f->nrecent++ % RECENT], r->person_local_id,
               strlen(r->person_local_id) + 1);
    if (p.bookings > 0) {
        json_t *pl = json_object();
        int64_t queued = 0;
        int raised = 0;
        /* The event is on the person's newest earlier booking, which exists already. */
        rc = booking_rebooked(f->st, p.last_booking_id, r->booking.booking_no,
                              r->booking.booked_at, r->booking.status, f->fields, &raised,
                              &queued);
        json_object_set_new(pl, "booking_no", json_string(r->booking.booking_no));
        json_object_set_new(pl, "person_local_id", json_string(r->person_local_id));
        json_object_set_new(pl, "earlier_bookings", json_integer(p.bookings));
        json_object_set_new(pl, "events", raised ? json_pack("[s]", "rebooked") : json_array());
        json_object_set_new(pl, "deliveries", json_integer(queued));
        if (rc == HC_OK)
            rc = store_audit_append(f->st, f->actor, "booking.rebooked", r->booking.booking_no,
                                    pl);
        json_decref(pl);
        if (rc == HC_OK) {
            f->n.rebooked++;
            f->n.events += raised;
            f->n.deliveries += queued;
            f->wrote = 1;
        }
    }
    return rc;
}

static int booking_row(struct feed *f, const struct store_import_row *r, struct hc_diag *d)
{
    const struct store_booking *b = &r->booking;
    struct store_import_known k;
    struct store_booking_patch p;
    struct store_booking_state after;
    int rc, changed = 0;

    if ((rc = booking_self_check(b, d)) != HC_OK)
        return rc;
    rc = store_import_booking_get(f->st, b->booking_no, &f->row, &k);
    if (rc == HC_ENOENT)
        return booking_create(f, r, d);
    if (rc != HC_OK)
        return rc;
    if (differ(k.booked_at, b->booked_at)) {
        char msg[120];
        snprintf(msg, sizeof msg, "differs from the record (%.40s); a booking's time does not "
                 "change", k.booked_at);
        return hc_diag_set(d, "booked_at", msg, NULL);
    }
    if (differ(k.person_local_id, r->person_local_id))
        return hc_diag_set(d, "person_local_id", "differs from the record; a booking's person "
                           "does not change", NULL);
    if (strcmp(k.state.status, "released") == 0 && strcmp(b->status, "in_custody") == 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "the booking was released at %.40s; a new custody is a new "
                 "booking number", k.state.released_at ? k.state.released_at : "?");
        return hc_diag_set(d, "status", msg, NULL);
    }
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_STATUS | STORE_PATCH_RELEASED_AT | STORE_PATCH_RELEASE_REASON |
            STORE_PATCH_FACILITY | STORE_PATCH_SCHEDULED_RELEASE;
    p.status = b->status;
    p.released_at = b->released_at;
    p.release_reason = b->release_reason;
    p.facility = b->facility;
    p.scheduled_release = b->scheduled_release;
    /* feed_check_row made the row consistent, so booking_change refuses nothing: any error
     * is the store's, and ends the feed. */
    if ((rc = booking_change(f->st, k.booking_id, &k.state, &p, f->actor, f->fields, &after,
                             &changed, d)) != HC_OK)
        return rc == HC_EINVAL ? HC_EIO : rc;
    if (changed) {
        int e;
        f->wrote = 1;
        f->n.changed++;
        for (e = 0; e < 32; e++)
            f->n.events += (after.events >> e) & 1u;
        f->n.deliveries += after.deliveries;
    } else {
        f->n.unchanged++;
    }
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Charges: one booking's rows are its whole list                                             */

/* Tell the caller of a row refused after feed_row returned for it. */
static void refuse_late(struct feed *f, long tag, int rc, const char *field, const char *msg)
{
    struct hc_diag d;
    hc_diag_clear(&d);
    hc_diag_set(&d, field, msg, NULL);
    f->n.refused++;
    if (f->report != NULL)
        f->report(f->ctx, tag, rc, &d);
}

/* Apply the gathered list of one booking's charges. HC_OK (refused rows are reported through
 * refuse_late), or a store error. */
static int group_apply(struct feed *f)
{
    struct store_record rec;
    unsigned char used[GROUP_MAX];
    size_t i, j;
    int rc, bad = 0;

    if (f->ngroup == 0)
        return HC_OK;
    hc_arena_reset(&f->row);
    /* Charges held back for a batch are not read back: a booking whose rows come in two runs
     * must see the first run's, so that the second is checked against them. */
    if ((rc = store_import_flush(f->st)) != HC_OK)
        goto out;
    rc = store_record_get(f->st, f->group_no, &f->row, &rec);
    if (rc == HC_ENOENT) {
        for (i = 0; i < f->ngroup; i++)
            refuse_late(f, f->group[i].tag, HC_ENOENT, "booking_no", "no such booking");
        rc = HC_OK;
        goto out;
    }
    if (rc != HC_OK)
        goto out;
    if (rec.ncharges > GROUP_MAX) {
        refuse_late(f, f->group[0].tag, HC_EINVAL, "booking_no", "more charges than the feed "
                    "matches (500)");
        goto out;
    }
    memset(used, 0, sizeof used);
    /* Match first, write after: a refused list writes nothing. */
    for (i = 0; i < f->ngroup; i++) {
        const struct store_charge *w = &f->group[i].c;
        for (j = 0; j < rec.ncharges; j++)
            if (!used[j] && strcmp(rec.charges[j].citation, w->citation) == 0)
                break;
        if (j == rec.ncharges)
            continue;
        used[j] = 1;
        if (strcmp(rec.charges[j].status, "pending") != 0 && strcmp(w->status, "pending") == 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "the charge was disposed (%.20s); a disposition does not "
                     "return to pending", rec.charges[j].status);
            refuse_late(f, f->group[i].tag, HC_EINVAL, "status", msg);
            bad = 1;
        }
    }
    for (j = 0; j < rec.ncharges; j++)
        if (!used[j]) {
            char msg[224];
            snprintf(msg, sizeof msg, "the record's charge %.80s is missing from the booking's "
                     "list (a charge is disposed, never dropped)", rec.charges[j].citation);
            refuse_late(f, f->group[0].tag, HC_EINVAL, "citation", msg);
            bad = 1;
        }
    if (bad)
        goto out;
    memset(used, 0, sizeof used);
    for (i = 0; i < f->ngroup && rc == HC_OK; i++) {
        const struct store_charge *w = &f->group[i].c;
        struct hc_diag d;
        hc_diag_clear(&d);
        for (j = 0; j < rec.ncharges; j++)
            if (!used[j] && strcmp(rec.charges[j].citation, w->citation) == 0)
                break;
        if (j == rec.ncharges) {
            struct store_import_row r;
            memset(&r, 0, sizeof r);
            r.booking_no = f->group_no;
            r.charge = *w;
            r.tag = f->group[i].tag;
            if (rec.ncharges == 0) { /* a new booking's list: in bulk, in the file's hash */
                rc = store_import_row(f->st, &r, &d);
                f->bulk += rc == HC_OK;
            } else {
                int64_t id = 0;
                rc = store_charge_add(f->st, f->group_no, w, f->actor, &id, &d);
                f->wrote |= rc == HC_OK;
            }
            if (rc == HC_OK) {
                f->n.created++;
            } else if (rc == HC_EINVAL || rc == HC_ENOENT || rc == STORE_ECONFLICT) {
                refuse_late(f, r.tag, rc, d.field, d.msg);
                rc = HC_OK;
            }
            continue;
        }
        used[j] = 1;
        {
            const struct store_charge *o = &rec.charges[j];
            struct store_charge_patch p;
            struct store_court_change cc;
            memset(&p, 0, sizeof p);
            if (strcmp(o->status, w->status) != 0) {
                p.set |= STORE_CHG_STATUS;
                p.status = w->status;
            }
            if (differ(o->level, w->level)) {
                p.set |= STORE_CHG_LEVEL;
                p.level = w->level;
            }
            if ((o->magistrate_probable_cause != 0) != (w->magistrate_probable_cause != 0)) {
                p.set |= STORE_CHG_MAGISTRATE;
                p.magistrate_probable_cause = w->magistrate_probable_cause != 0;
            }
            if (p.set == 0) {
                f->n.unchanged++;
                continue;
            }
            rc = store_charge_update(f->st, o->id, &p, f->actor, &cc, &d);
            if (rc == HC_OK) {
                f->wrote = 1;
                f->n.changed++;
            }
        }
    }
out:
    f->ngroup = 0;
    f->group_no[0] = '\0';
    hc_arena_reset(&f->grp);
    return rc;
}

static char *grp_dup(struct feed *f, const char *s)
{
    return s != NULL ? hc_arena_strndup(&f->grp, s, strlen(s)) : NULL;
}

static int charge_row(struct feed *f, const struct store_import_row *r, struct hc_diag *d)
{
    struct group_row *g;
    int rc;
    if (strcmp(f->group_no, r->booking_no) != 0) {
        if ((rc = group_apply(f)) != HC_OK)
            return rc;
        if (strlen(r->booking_no) >= sizeof f->group_no)
            return hc_diag_set(d, "booking_no", "too long", NULL);
        memcpy(f->group_no, r->booking_no, strlen(r->booking_no) + 1);
    }
    if (f->ngroup == GROUP_MAX)
        return hc_diag_set(d, "booking_no", "more than 500 charges for one booking", NULL);
    g = &f->group[f->ngroup];
    g->tag = r->tag;
    g->c = r->charge;
    g->c.citation = grp_dup(f, r->charge.citation);
    g->c.level = grp_dup(f, r->charge.level);
    g->c.status = grp_dup(f, r->charge.status);
    if (g->c.citation == NULL || g->c.status == NULL ||
        (r->charge.level != NULL && g->c.level == NULL))
        return HC_ENOMEM;
    f->ngroup++;
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* A file                                                                                     */

/* The store's report of a held row it refused: counted, then passed on. */
static void held_refused(void *ctx, long tag, int rc, const struct hc_diag *d)
{
    struct feed *f = ctx;
    f->n.refused++;
    if (f->report != NULL)
        f->report(f->ctx, tag, rc, d);
}

int feed_begin(struct hc_store *st, enum store_kind kind, const char *actor,
               store_import_report_fn report, void *ctx, struct feed **out, struct hc_diag *d)
{
    struct feed *f;
    int rc;

    if (kind != STORE_KIND_PEOPLE && kind != STORE_KIND_BOOKINGS && kind != STORE_KIND_CHARGES)
        return hc_diag_set(d, "kind", "the feed takes people, bookings and charges; "
                           "convictions have no key to match the record by (import them "
                           "without --upsert)", NULL);
    f = calloc(1, sizeof *f + ROW_ARENA + GROUP_ARENA + GROUP_MAX * sizeof(struct group_row));
    if (f == NULL)
        return HC_ENOMEM;
    f->st = st;
    f->kind = kind;
    f->actor = actor;
    f->report = report;
    f->ctx = ctx;
    hc_arena_init(&f->row, f->mem, ROW_ARENA);
    hc_arena_init(&f->grp, f->mem + ROW_ARENA, GROUP_ARENA);
    f->group = (struct group_row *)(void *)(f->mem + ROW_ARENA + GROUP_ARENA);
    if ((rc = store_import_begin(st, kind, STORE_IMPORT_IN_PLACE, held_refused, f)) != HC_OK) {
        free(f);
        return rc;
    }
    if ((rc = store_public_policy_fields(st, &f->fields)) != HC_OK) {
        store_rollback(st);
        free(f);
        return rc;
    }
    *out = f;
    return HC_OK;
}

int feed_row(struct feed *f, const struct store_import_row *r, struct hc_diag *d)
{
    int rc;
    hc_arena_reset(&f->row);
    switch (f->kind) {
    case STORE_KIND_PEOPLE:
        rc = person_row(f, r, d);
        break;
    case STORE_KIND_BOOKINGS:
        rc = booking_row(f, r, d);
        break;
    case STORE_KIND_CHARGES:
        rc = charge_row(f, r, d);
        break;
    default:
        rc = HC_EINVAL;
        break;
    }
    if (rc == HC_EINVAL || rc == HC_ENOENT || rc == STORE_ECONFLICT)
        f->n.refused++;
    return rc;
}

void feed_abort(struct feed *f)
{
    if (f == NULL)
        return;
    store_rollback(f->st);
    free(f);
}

int feed_commit(struct feed *f, const char *source, const char *format, struct feed_counts *out)
{
    struct store_import_summary sum;
    struct hc_store *st = f->st;
    int rc;

    rc = f->kind == STORE_KIND_CHARGES ? group_apply(f) : HC_OK;
    if (rc == HC_OK)
        rc = store_import_flush(st);
    if (rc == HC_OK && f->n.refused > 0)
        rc = HC_EINVAL;
    /* Refused rows, or nothing new and nothing changed: nothing is written. */
    if (rc != HC_OK || (f->bulk == 0 && !f->wrote)) {
        store_rollback(st);
    } else if (f->bulk > 0) {
        memset(&sum, 0, sizeof sum);
        rc = store_import_commit(st, f->actor, source, format, &sum);
        f->n.audit_seq = sum.audit_seq;
        if (rc == HC_EINVAL && f->n.refused == 0)
            rc = HC_EIO; /* the store refused a held row without telling: should not happen */
    } else {
        rc = store_import_commit_plain(st);
    }
    if (out != NULL)
        *out = f->n;
    free(f);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* A push over HTTP                                                                           */

struct push {
    json_t *errors; /* [{"line","field","message"}], at most PUSH_ERRORS_MAX */
    long line;
    int64_t refused;
};

static void push_error(struct push *p, long line, const char *field, const char *msg)
{
    json_t *e;
    p->refused++;
    if (json_array_size(p->errors) >= PUSH_ERRORS_MAX)
        return;
    e = json_object();
    json_object_set_new(e, "line", json_integer(line));
    json_object_set_new(e, "field", json_string(field != NULL ? field : ""));
    json_object_set_new(e, "message", json_string(msg));
    json_array_append_new(p->errors, e);
}

static void push_bad(void *ctx, const char *field, const char *msg)
{
    struct push *p = ctx;
    push_error(p, p->line, field, msg);
}

static void push_refused(void *ctx, long tag, int rc, const struct hc_diag *d)
{
    (void)rc;
    push_error(ctx, tag, d->field, d->msg);
}

static int key_valid(const char *key)
{
    size_t n = key != NULL ? strlen(key) : 0, i;
    if (n == 0 || n > KEY_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e)
            return 0;
    return 1;
}

/* The next non-blank line of body from *pos, copied NUL-terminated into lb (which has len + 1
 * bytes: feed_jsonl_parse reads to a NUL), *s pointing at it and *n its length; 0 at the end.
 * *lineno counts physical lines. */
static int next_line(const char *body, size_t len, size_t *pos, long *lineno, char *lb,
                     const char **s, size_t *n)
{
    while (*pos < len) {
        const char *p = body + *pos, *nl = memchr(p, '\n', len - *pos);
        size_t l = nl != NULL ? (size_t)(nl - p) : len - *pos;
        *pos += l + (nl != NULL);
        (*lineno)++;
        if (l > 0 && p[l - 1] == '\r')
            l--;
        {
            size_t k = 0;
            while (k < l && (p[k] == ' ' || p[k] == '\t'))
                k++;
            if (k == l)
                continue;
        }
        memcpy(lb, p, l);
        lb[l] = '\0';
        *s = lb;
        *n = l;
        return 1;
    }
    return 0;
}

/* Copy json text into a (NUL-terminated) as out's body. */
static int answer_set(struct feed_answer *out, struct hc_arena *a, int status,
                      const char *type, json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *copy;
    if (text == NULL)
        return HC_ENOMEM;
    copy = hc_arena_strndup(a, text, strlen(text));
    free(text);
    if (copy == NULL)
        return HC_ENOMEM;
    out->status = status;
    out->content_type = type;
    out->body = copy;
    out->len = strlen(copy);
    out->replayed = 0;
    return HC_OK;
}

/* The kind of the push, from its first line's keys: 0 when it cannot be told. */
static enum store_kind push_kind(const char *body, size_t len, char *lb, struct feed_jbuf *jb)
{
    struct feed_kv kv[FEED_MAX_KEYS];
    const char *names[FEED_MAX_KEYS], *s, *err, *key;
    size_t pos = 0, n;
    long line = 0;
    int nkv = 0, i;
    if (!next_line(body, len, &pos, &line, lb, &s, &n) ||
        feed_jsonl_parse(jb, s, n, kv, &nkv, &err, &key) != 0)
        return 0;
    for (i = 0; i < nkv; i++)
        names[i] = kv[i].key;
    return feed_kind_from_names(names, nkv);
}

/* Apply the rows of body in feed f, collecting refused rows in p. HC_OK or a store error. */
static int push_rows(struct feed *f, enum store_kind kind, const char *body, size_t len,
                     char *lb, struct feed_jbuf *jb, char *cites, struct push *p)
{
    size_t pos = 0, n;
    const char *s;
    int rc;
    while (next_line(body, len, &pos, &p->line, lb, &s, &n)) {
        struct feed_kv kv[FEED_MAX_KEYS];
        const char *v[FEED_MAX_COLS], *err, *key;
        int jbool[FEED_MAX_COLS], nkv = 0;
        struct store_import_row r;
        struct hc_diag d;
        if (feed_jsonl_parse(jb, s, n, kv, &nkv, &err, &key) != 0) {
            push_error(p, p->line, key != NULL ? key : "", err);
            continue;
        }
        if (feed_jsonl_values(kind, kv, nkv, 0, v, jbool, push_bad, p) != 0 ||
            feed_check_row(kind, v, jbool, cites, &r, push_bad, p) != 0)
            continue;
        r.tag = p->line;
        hc_diag_clear(&d);
        rc = feed_row(f, &r, &d);
        if (rc == HC_EINVAL || rc == HC_ENOENT || rc == STORE_ECONFLICT)
            push_error(p, p->line, d.field, d.msg);
        else if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

static json_t *counts_json(enum store_kind kind, const struct feed_counts *c)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "kind", feed_kind(kind)->name,
                     "created", (json_int_t)c->created, "changed", (json_int_t)c->changed,
                     "unchanged", (json_int_t)c->unchanged, "rebooked", (json_int_t)c->rebooked,
                     "events", (json_int_t)c->events, "deliveries_queued",
                     (json_int_t)c->deliveries);
}

int feed_push(struct hc_store *st, const char *actor, const char *key, const char *body,
              size_t len, struct hc_arena *a, struct feed_answer *out, struct hc_diag *d)
{
    unsigned char h[crypto_generichash_BYTES];
    char hash[2 * crypto_generichash_BYTES + 1];
    struct feed_jbuf jb;
    struct store_feed_key kept;
    struct feed_counts c;
    struct feed *f = NULL;
    struct push p;
    enum store_kind kind;
    char *cites = NULL, *lb = NULL;
    json_t *o = NULL;
    int rc;

    memset(&p, 0, sizeof p);
    if (!key_valid(key))
        return hc_diag_set(d, "Idempotency-Key", "required: 1 to 200 printable ASCII "
                           "characters, the same for every retry of one push", NULL);
    jb.cap = len + 8;
    jb.len = 0;
    if ((jb.out = hc_arena_alloc(a, jb.cap)) == NULL || (lb = hc_arena_alloc(a, len + 1)) == NULL)
        return HC_ENOMEM;
    if ((kind = push_kind(body, len, lb, &jb)) == 0)
        return hc_diag_set(d, "", "no rows, or the first line is not a JSON object whose keys "
                           "name people, bookings or charges (docs/import.md)", NULL);
    crypto_generichash(h, sizeof h, (const unsigned char *)body, len, NULL, 0);
    sodium_bin2hex(hash, sizeof hash, h, sizeof h);
    if ((rc = feed_begin(st, kind, actor, push_refused, &p, &f, d)) != HC_OK)
        return rc;
    /* The key is looked up inside the push's write transaction: a second push with the same
     * key waits for the first, then finds its answer. */
    rc = store_feed_key_get(st, key, a, &kept);
    if (rc == HC_OK) {
        feed_abort(f);
        if (strcmp(kept.body_hash, hash) != 0) {
            hc_diag_set(d, "Idempotency-Key", "already used for a push with another body; a "
                        "retry must send the same body, a new push a new key", NULL);
            return STORE_ECONFLICT;
        }
        out->status = kept.status;
        out->content_type = "application/json";
        out->body = kept.answer;
        out->len = strlen(kept.answer);
        out->replayed = 1;
        return HC_OK;
    }
    if (rc != HC_ENOENT)
        goto fail;
    if ((cites = calloc(FEED_CITE_SLOTS, FEED_TEXT_MAX + 1)) == NULL) {
        rc = HC_ENOMEM;
        goto fail;
    }
    p.errors = json_array();
    if ((rc = push_rows(f, kind, body, len, lb, &jb, cites, &p)) != HC_OK ||
        (kind == STORE_KIND_CHARGES && (rc = group_apply(f)) != HC_OK) ||
        (rc = store_import_flush(st)) != HC_OK)
        goto fail;
    if (p.refused > 0) {
        feed_abort(f);
        f = NULL;
        o = json_object();
        json_object_set_new(o, "type", json_string("about:blank"));
        json_object_set_new(o, "title", json_string("rows refused; nothing of this push was "
                                                    "applied"));
        json_object_set_new(o, "status", json_integer(422));
        json_object_set_new(o, "refused", json_integer(p.refused));
        json_object_set_new(o, "errors", p.errors);
        p.errors = NULL;
        rc = answer_set(out, a, 422, "application/problem+json", o);
        goto done;
    }
    /* The answer (what this push did) is kept under the key in the push's own transaction, so
     * the rows and the key commit together or not at all. */
    o = counts_json(kind, &f->n);
    if ((rc = answer_set(out, a, 200, "application/json", o)) != HC_OK)
        goto fail;
    kept.body_hash = hash;
    kept.status = 200;
    kept.answer = out->body;
    if ((rc = store_feed_key_put(st, key, &kept)) != HC_OK)
        goto fail;
    f->wrote = 1; /* the key is written even when the rows change nothing */
    rc = feed_commit(f, "POST /api/v1/feed", "jsonl", &c);
    f = NULL;
    goto done;
fail:
    feed_abort(f);
    f = NULL;
done:
    json_decref(o);
    json_decref(p.errors);
    free(cites);
    return rc;
}

/* SPDX-License-Identifier: MIT
 * report_cpra.c: the cpra report (Gov. Code 7283.1(c)): every record of ICE access and every
 * recorded communication with immigration authorities of a period, as a bundle a records
 * officer can release: the requests received, the judicial warrants recorded with them, the
 * decisions and the provisions they cite, the overrides, the agency's stated intent, the
 * actions taken, the release dates told to ICE, the TRUTH Act notices, the interview consents
 * and interview steps; each record in the period by its own time (store_reports.h), in time
 * order. Personal identifying information is redacted by default, each redaction logged with
 * its record, field, placeholder and legal basis; the rules are the lists below (`tables`,
 * STAFF_FIELDS ...) and the one function `redact_field`, the one place they are written. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "report_int.h"
#include "store_reports.h"

/* Figure groups. */
#define G_TOTAL "total"
#define G_RECORDS "records"
#define G_REQUESTS "requests"

/* The legal basis of each kind of redaction, as the redaction log writes it. */
#define BASIS_PII                                                                               \
    "Gov. Code 7283.1(c): personal identifying information may be redacted prior to public "    \
    "disclosure"
#define BASIS_FREE_TEXT                                                                         \
    "Gov. Code 7283.1(c): free text typed by staff may carry personal identifying "            \
    "information, so it is redacted whole"
#define BASIS_STATUS                                                                            \
    "Gov. Code 7283.1(c): personal information; holdcheck never discloses a person's "          \
    "citizenship or immigration status (nor ethnicity or national origin, which it never "       \
    "stores)"

/* The placeholders that are not numbered. */
#define PH_REDACTED "[redacted]"
#define PH_REMOVED "(removed)"
#define PH_WITHHELD "[withheld]"

/* The request types whose records are in the bundle: every type immigration authorities send
 * (docs/case-format.md), not `status_inquiry` (a local officer asking about status: no
 * communication with ICE) nor `visa_certification` (a victim's request to certify a T or U
 * visa, 7284.6(b)(4): not from ICE, and its record would tell that someone sought
 * immigration relief). The same test for the bundle and its tally. */
static int type_included(const char *type)
{
    return type != NULL && strcmp(type, "status_inquiry") != 0 &&
           strcmp(type, "visa_certification") != 0;
}

/* How a field is written. */
enum treatment {
    KEEP,      /* as stored: codes from a fixed list, times, offices, outcomes, provisions */
    STAFF,     /* a user's name: written (below) */
    FREE_TEXT, /* typed by staff, no fixed list: redacted whole */
    CONTACT,   /* a private person's name (a notice's recipient, an attorney): a placeholder */
    LIFT       /* ICE's lift reason: a fixed list, but two codes state citizenship or removability */
};

/* Each table of the bundle, in enum store_report_record_table's order: its short name (the
 * row's `record`), its figure's label, and its fields written as stored (KEEP). */
static const struct {
    const char *table, *record, *label, *kept;
} tables[STORE_REC_NTABLES] = {
    {"immigration_requests", "request", "Requests received from immigration authorities",
     "received_at form issuing_office judicial_warrant judicial_probable_cause "
     "federal_felony_warrant engine_outcome outcome_in_force override_in_force"},
    {"request_warrants", "warrant", "Judicial warrants recorded with a request",
     "court judge recorded_at"},
    {"decisions", "decision", "Decisions on the requests, with the provisions they cite",
     "version outcome ruleset catalog_version engine_version decided_at basis qualifying "
     "conditions"},
    {"overrides", "override", "Supervisors' overrides of a decision, with their reasons",
     "decision_id outcome created_at"},
    {"request_intents", "intent", "The agency's stated intent to comply (Gov. Code 7283.1(b))",
     "intent recorded_at"},
    {"request_actions", "action", "Actions taken (ICE notified, transferred, declined ...)",
     "kind at method office outcome_in_force contrary recorded_at"},
    {"release_disclosures", "disclosure", "Release dates given to immigration authorities",
     "release_date told_at recorded_at"},
    {"notices", "notice", "TRUTH Act notices to the person (Gov. Code 7283.1(a), (b))",
     "kind recipient language subdivision intent release_date generated_at served_at"},
    {"interview_consents", "consent", "Answers to an interview consent form (7283.1(a))",
     "answer recorded_at"},
    {"interviews", "interview", "Interview steps (scheduled, granted, refused)",
     "status at consent_id recorded_at"},
};

/* The fields of any table that are not kept as stored nor redacted whole. Staff user names
 * are written: they are public employees' accounts acting in their official capacity, and who
 * decided, overrode or acted is what a records request about ICE access asks; they are user
 * names from the users table, never typed text. `acted_by` (the officer who told ICE, typed
 * by the clerk) is free text: in no list, so redacted whole, as is an override's or an
 * action's `reason`, and any column added to a record later until it is listed. Offices
 * (ICE's issuing office, the office that took custody) and a warrant's court and judge name
 * public bodies and officials: kept. */
#define STAFF_FIELDS "decided_by created_by recorded_by generated_by served_by"
#define CONTACT_FIELDS "recipient_name served_to attorney"
#define LIFT_FIELDS "ice_reason"

/* ICE's lift reasons (actions.c) that say something of a person's citizenship or
 * removability: withheld in every bundle, redacted or not. */
static int lift_reason_states_status(const char *code)
{
    return strcmp(code, "citizenship_claim") == 0 || strcmp(code, "not_amenable") == 0;
}

/* Whether word is one of the space-separated words of list. */
static int has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    const char *p;
    for (p = strstr(list, word); p != NULL; p = strstr(p + 1, word))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* How field of table t is written: the one place the lists above are read. */
static enum treatment treatment_of(size_t t, const char *field)
{
    if (has_word(tables[t].kept, field))
        return KEEP;
    if (has_word(STAFF_FIELDS, field))
        return STAFF;
    if (has_word(CONTACT_FIELDS, field))
        return CONTACT;
    if (has_word(LIFT_FIELDS, field))
        return LIFT;
    return FREE_TEXT;
}

/* Numbers given to ids in the order they are first seen: the placeholders "Person N" and
 * "Booking N", the people counted. Open addressing, a power of two slots, at most half full;
 * a slot whose num is 0 is empty. */
struct numbering {
    int64_t *id;
    uint32_t *num;
    size_t nslots, n;
};

static size_t numbering_slot(const struct numbering *m, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15u;
    size_t i = (size_t)(h ^ (h >> 29)) & (m->nslots - 1);
    while (m->num[i] != 0 && m->id[i] != id)
        i = (i + 1) & (m->nslots - 1);
    return i;
}

/* Double m's slots; -1 when memory runs out (m is left as it was). */
static int numbering_grow(struct numbering *m)
{
    struct numbering g = {NULL, NULL, m->nslots ? 2 * m->nslots : 1024, m->n};
    size_t i, j;
    g.id = malloc(g.nslots * sizeof *g.id);
    g.num = calloc(g.nslots, sizeof *g.num);
    if (g.id == NULL || g.num == NULL) {
        free(g.id);
        free(g.num);
        return -1;
    }
    for (i = 0; i < m->nslots; i++)
        if (m->num[i] != 0) {
            j = numbering_slot(&g, m->id[i]);
            g.id[j] = m->id[i];
            g.num[j] = m->num[i];
        }
    free(m->id);
    free(m->num);
    *m = g;
    return 0;
}

/* The number of id in m: the one it was given, or the next one (*fresh is then 1, else 0).
 * 0 when memory ran out. */
static uint32_t number_of(struct numbering *m, int64_t id, int *fresh)
{
    size_t i;
    *fresh = 0;
    if (2 * (m->n + 1) > m->nslots && numbering_grow(m) != 0)
        return 0;
    i = numbering_slot(m, id);
    if (m->num[i] == 0) {
        m->id[i] = id;
        m->num[i] = (uint32_t)++m->n;
        *fresh = 1;
    }
    return m->num[i];
}

static void numbering_free(struct numbering *m)
{
    free(m->id);
    free(m->num);
}

/* How each field of a table's records is written, by its place: every record of a table
 * comes from one statement, so its fields come in one order, and the lists are read once. */
struct treatments {
    size_t n;
    const char *field[STORE_REPORT_RECORD_FIELDS]; /* the first record's names (in the arena) */
    enum treatment how[STORE_REPORT_RECORD_FIELDS];
};

/* One record read, and the table it came from (its place in the bundle's order). */
struct item {
    const struct store_report_record *rec;
    size_t t;
};

/* The bundle being written, in two passes over its records in order: first its rows, into r's
 * rows_text (report__rows_as_text), giving the placeholders; then, when the report is encoded,
 * its redaction log straight into the report (write_log), the same redactions in the same
 * order, with the placeholders already given. Kept by r between the two (r->kept). */
struct bundle {
    struct report_ctx *r;
    struct item *items; /* the records in the bundle's order (malloc'd) */
    size_t nitems;
    struct numbering people, bookings; /* person id, booking id -> its placeholder's number */
    json_t *contacts;                  /* a contact's name -> its number */
    struct treatments treat[STORE_REC_NTABLES];
    struct report_text *log; /* the redaction log's pass: where it goes; NULL: the rows' */
    int oom;
};

/* How field i (named field) of a record of table t is written: treatment_of, remembered. */
static enum treatment field_treatment(struct bundle *b, size_t t, size_t i, const char *field)
{
    struct treatments *c = &b->treat[t];
    enum treatment how;
    if (i < c->n && strcmp(c->field[i], field) == 0)
        return c->how[i];
    how = treatment_of(t, field);
    if (i == c->n && i < STORE_REPORT_RECORD_FIELDS) {
        c->field[i] = field;
        c->how[i] = how;
        c->n++;
    }
    return how;
}

/* The room s takes as a JSON string (a byte is at most six: \u00XX) or, NULL, as null. */
static size_t json_room(const char *s)
{
    return s != NULL ? 6 * strlen(s) + 2 : 4;
}

/* The most a placeholder takes as a JSON string ("Booking 4294967295" and its quotes). */
#define PH_ROOM ((size_t)48)

/* s as a JSON string into o; nothing in the redaction log's pass, which writes no row (o has
 * no room). */
static void put_str(struct hc_buf *o, const char *s)
{
    if (o->cap > 0)
        hc_buf_put_jstr(o, s, strlen(s));
}

static void put_i64(struct hc_buf *o, int64_t v)
{
    if (v < 0) {
        hc_buf_putc(o, '-');
        hc_buf_putu(o, (unsigned long)(-(v + 1)) + 1u);
    } else
        hc_buf_putu(o, (unsigned long)v);
}

/* The placeholder "PREFIX N" into ph (a short prefix). */
static void placeholder(char ph[PH_ROOM], const char *prefix, unsigned long n)
{
    struct hc_buf b;
    hc_buf_init(&b, ph, PH_ROOM);
    hc_buf_puts(&b, prefix);
    hc_buf_putc(&b, ' ');
    hc_buf_putu(&b, n);
    hc_buf_cstr(&b);
}

/* The placeholder of id in map ("Person N", "Booking N") into ph. */
static void id_placeholder(struct bundle *b, struct numbering *map, const char *prefix,
                           int64_t id, char ph[PH_ROOM])
{
    int fresh;
    uint32_t n = number_of(map, id, &fresh);
    if (n == 0)
        b->oom = 1;
    placeholder(ph, prefix, n);
}

/* The placeholder "Contact N" of name into ph: the number it was given, or the next one. */
static void contact_placeholder(struct bundle *b, const char *name, char ph[PH_ROOM])
{
    json_t *n = json_object_get(b->contacts, name);
    if (n == NULL) {
        n = json_integer((json_int_t)json_object_size(b->contacts) + 1);
        if (json_object_set_new(b->contacts, name, n) != 0)
            b->oom = 1;
    }
    placeholder(ph, "Contact", (unsigned long)json_integer_value(n));
}

/* A legal basis as a JSON string, quotes included: the bases are ASCII literals above with no
 * quote, backslash or control character, which the escaper would copy as they are, so each
 * is quoted once here rather than escaped again for each of a year's 200,000 redactions. */
#define QUOTED(s) "\"" s "\""

/* Log a redaction: field of rec replaced by placeholder, for basis (QUOTED: one of the BASIS_
 * strings; one element of the log: {table, id, request_id, field, placeholder, basis}). */
static void log_redaction(struct bundle *b, const struct store_report_record *rec,
                          const char *field, const char *placeholder, const char *basis)
{
    struct report_text *t = b->log;
    struct hc_buf o;
    if (t == NULL) /* the rows' pass */
        return;
    if (report__text_element(t, 128 + json_room(rec->table) + json_room(field) +
                                    json_room(placeholder) + strlen(basis), &o) != 0)
        return;
    hc_buf_puts(&o, "{\"table\":");
    put_str(&o, rec->table);
    hc_buf_puts(&o, ",\"id\":");
    put_i64(&o, rec->id);
    hc_buf_puts(&o, ",\"request_id\":");
    put_i64(&o, rec->request_id);
    hc_buf_puts(&o, ",\"field\":");
    put_str(&o, field);
    hc_buf_puts(&o, ",\"placeholder\":");
    put_str(&o, placeholder);
    hc_buf_puts(&o, ",\"basis\":");
    hc_buf_puts(&o, basis);
    hc_buf_putc(&o, '}');
    report__text_commit(t, &o);
}

/* Write into o the value of field i of rec (table t; its value is not NULL), logging it when
 * it is redacted: the one place the redaction rules are applied. */
static void redact_field(struct bundle *b, struct hc_buf *o, const struct store_report_record *rec,
                         size_t t, size_t i)
{
    const char *field = rec->field[i], *v = rec->value[i];
    char ph[PH_ROOM];
    switch (field_treatment(b, t, i, field)) {
    case KEEP:
    case STAFF:
        put_str(o, v);
        return;
    case LIFT:
        if (!lift_reason_states_status(v)) {
            put_str(o, v);
            return;
        }
        log_redaction(b, rec, field, PH_WITHHELD, QUOTED(BASIS_STATUS));
        put_str(o, PH_WITHHELD);
        return;
    case CONTACT:
        if (b->r->unredacted) {
            put_str(o, v);
            return;
        }
        /* The person's own name (a notice served on them) is their placeholder. */
        if (rec->person_name && strcmp(v, rec->person_name) == 0)
            id_placeholder(b, &b->people, "Person", rec->person_id, ph);
        else
            contact_placeholder(b, v, ph);
        log_redaction(b, rec, field, ph, QUOTED(BASIS_PII));
        put_str(o, ph);
        return;
    case FREE_TEXT:
    default:
        if (b->r->unredacted) {
            put_str(o, v);
            return;
        }
        log_redaction(b, rec, field, PH_REDACTED, QUOTED(BASIS_FREE_TEXT));
        put_str(o, PH_REDACTED);
        return;
    }
}

/* Who a record is about (its request's person and booking) into o: placeholders, or as
 * stored. */
static void row_identity(struct bundle *b, struct hc_buf *o, const struct store_report_record *rec)
{
    char person[PH_ROOM], booking[PH_ROOM];
    hc_buf_puts(o, ",\"person\":");
    if (b->r->unredacted) {
        put_str(o, rec->person_name ? rec->person_name : "");
        hc_buf_puts(o, ",\"booking\":");
        put_str(o, rec->booking_no ? rec->booking_no : "");
        return;
    }
    id_placeholder(b, &b->people, "Person", rec->person_id, person);
    id_placeholder(b, &b->bookings, "Booking", rec->booking_id, booking);
    log_redaction(b, rec, "people.name", person, QUOTED(BASIS_PII));
    log_redaction(b, rec, "bookings.booking_no", booking, QUOTED(BASIS_PII));
    put_str(o, person);
    hc_buf_puts(o, ",\"booking\":");
    put_str(o, booking);
}

/* The most record rec's row may take (record_row): its strings escaped, its numbers and
 * placeholders, and the names around them. */
static size_t row_room(const struct store_report_record *rec, size_t t)
{
    size_t n = 256 + json_room(tables[t].record) + json_room(rec->table) +
               json_room(rec->request_type) + 2 * PH_ROOM + json_room(rec->person_name) +
               json_room(rec->booking_no) + json_room(rec->birth_date), i;
    for (i = 0; i < rec->nfields; i++)
        n += json_room(rec->field[i]) + json_room(rec->value[i]) + PH_ROOM + 2;
    return n;
}

/* One row of the bundle, record rec of table t, as the next element of r's rows_text:
 * {record, table, id, request_id, request_type, time_utc, person, booking, fields}; in the
 * redaction log's pass, its redactions only. */
static void record_row(struct bundle *b, const struct store_report_record *rec, size_t t)
{
    struct report_text *rows = &b->r->rows_text;
    char at[HC_CLOCK_UTC_LEN];
    struct hc_buf o;
    size_t i;

    if (b->log != NULL)
        hc_buf_init(&o, at, 0); /* no room: the row is not written again */
    else if (report__text_element(rows, row_room(rec, t), &o) != 0)
        return;
    hc_clock_utc(rec->epoch, at);
    hc_buf_puts(&o, "{\"record\":");
    put_str(&o, tables[t].record);
    hc_buf_puts(&o, ",\"table\":");
    put_str(&o, rec->table);
    hc_buf_puts(&o, ",\"id\":");
    put_i64(&o, rec->id);
    hc_buf_puts(&o, ",\"request_id\":");
    put_i64(&o, rec->request_id);
    hc_buf_puts(&o, ",\"request_type\":");
    put_str(&o, rec->request_type);
    hc_buf_puts(&o, ",\"time_utc\":");
    put_str(&o, at);
    row_identity(b, &o, rec);
    hc_buf_puts(&o, ",\"fields\":{");
    for (i = 0; i < rec->nfields; i++) {
        if (i)
            hc_buf_putc(&o, ',');
        put_str(&o, rec->field[i]);
        hc_buf_putc(&o, ':');
        if (rec->value[i] != NULL)
            redact_field(b, &o, rec, t, i);
        else
            hc_buf_puts(&o, "null");
    }
    /* A request names whom ICE asked about: the date of birth only unredacted. */
    if (t == STORE_REC_REQUESTS && rec->birth_date != NULL) {
        if (b->r->unredacted) {
            hc_buf_puts(&o, rec->nfields ? ",\"date_of_birth\":" : "\"date_of_birth\":");
            put_str(&o, rec->birth_date);
        } else
            log_redaction(b, rec, "people.date_of_birth", PH_REMOVED, QUOTED(BASIS_PII));
    }
    hc_buf_puts(&o, "}}");
    if (b->log == NULL)
        report__text_commit(rows, &o);
}

/* ------------------------------------------------------------------------------------------ */
/* The figures, from the bundle's records or from the tally                                    */

static void declare_figures(struct report_ctx *r)
{
    size_t t;
    report__figure(r, G_TOTAL, "records", "Records of ICE access and communication with ICE");
    report__figure(r, G_TOTAL, "people", "People the records are about (each once)");
    for (t = 0; t < STORE_REC_NTABLES; t++)
        report__figure(r, G_RECORDS, tables[t].table, tables[t].label);
}

/* Count one record of table (its request request_id of type type, about person person_id;
 * seen: the people counted so far, by id). 0, or -1 when memory ran out. */
static int count_record(struct report_ctx *r, struct numbering *seen, const char *table,
                         const char *type, int64_t request_id, int64_t person_id)
{
    char label[160];
    int fresh;
    report__count(r, G_TOTAL, "records", NULL, request_id);
    report__count(r, G_RECORDS, table, NULL, request_id);
    if (strcmp(table, "immigration_requests") == 0) {
        snprintf(label, sizeof label, "Requests received of type %s", type);
        report__count(r, G_REQUESTS, type, label, request_id);
    }
    if (number_of(seen, person_id, &fresh) == 0)
        return -1;
    if (fresh)
        report__count(r, G_TOTAL, "people", NULL, request_id);
    else
        report__add_id(r, G_TOTAL, "people", request_id);
    return 0;
}

/* Time order; at the same instant, a request before what answers it (the tables' order),
 * then by id. */
static int cmp_item(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    if (a->rec->epoch != b->rec->epoch)
        return a->rec->epoch < b->rec->epoch ? -1 : 1;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->rec->id > b->rec->id) - (a->rec->id < b->rec->id);
}

/* The place of id in v[0..n) (ascending, as store_report_bookings gives them), or n. */
static size_t booking_index(const struct store_report_booking *v, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].booking_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].booking_id == id ? lo : n;
}

/* Whom each record of recs[t][0..counts[t]) is about, from its booking: each booking read once
 * (store_report_bookings), not with each of its records. A record whose booking or person is
 * not stored keeps person_name NULL: the bundle leaves it out. */
static int read_identities(struct hc_store *st, struct report_ctx *r,
                           struct store_report_record *recs[STORE_REC_NTABLES],
                           const size_t counts[STORE_REC_NTABLES])
{
    struct hc_ids ids = {NULL, 0, 0};
    struct store_report_booking *who = NULL;
    size_t nwho = 0, t, i, j;
    int rc = HC_OK;

    for (t = 0; rc == HC_OK && t < STORE_REC_NTABLES; t++)
        for (i = 0; rc == HC_OK && i < counts[t]; i++)
            rc = hc_ids_push(&ids, recs[t][i].booking_id);
    hc_ids_settle(&ids);
    if (rc == HC_OK)
        rc = store_report_bookings(st, ids.v, ids.n, r->a, &who, &nwho);
    for (t = 0; rc == HC_OK && t < STORE_REC_NTABLES; t++)
        for (i = 0; i < counts[t]; i++) {
            struct store_report_record *rec = &recs[t][i];
            if ((j = booking_index(who, nwho, rec->booking_id)) == nwho)
                continue;
            rec->person_id = who[j].person_id;
            rec->person_name = who[j].person_name;
            rec->birth_date = who[j].birth_date;
            rec->booking_no = who[j].booking_no;
        }
    hc_ids_release(&ids);
    return rc;
}

/* Every record of the period whose request type is in the bundle, in order, into *out (malloc'd;
 * the caller frees it) and *n. */
static int read_records(struct hc_store *st, struct report_ctx *r, struct item **out, size_t *n,
                        struct hc_diag *d)
{
    struct store_report_record *recs[STORE_REC_NTABLES] = {NULL};
    size_t counts[STORE_REC_NTABLES] = {0}, t, i, total = 0;
    struct item *items;
    int rc;

    for (t = 0; t < STORE_REC_NTABLES; t++) {
        rc = store_report_records(st, (enum store_report_record_table)t, r->from_utc, r->to_utc,
                                  r->a, &recs[t], &counts[t]);
        if (rc != HC_OK)
            return hc_diag_set(d, "from", "the records of the period could not be read", NULL),
                   rc;
        total += counts[t];
    }
    if ((rc = read_identities(st, r, recs, counts)) != HC_OK)
        return hc_diag_set(d, "from", "the records of the period could not be read", NULL), rc;
    if ((items = malloc((total ? total : 1) * sizeof *items)) == NULL)
        return HC_ENOMEM;
    *n = 0;
    for (t = 0; t < STORE_REC_NTABLES; t++)
        for (i = 0; i < counts[t]; i++)
            if (type_included(recs[t][i].request_type) && recs[t][i].person_name != NULL) {
                items[*n].rec = &recs[t][i];
                items[*n].t = t;
                (*n)++;
            }
    qsort(items, *n, sizeof *items, cmp_item);
    *out = items;
    return HC_OK;
}

/* Note for --check the rows of the chain's bound tables that record rec of table t rests on:
 * the record itself where its table is bound, and its booking. */
static void note_read(struct report_ctx *r, const struct store_report_record *rec, size_t t)
{
    static const struct {
        enum store_report_record_table rec;
        enum store_report_table bound;
    } bound[] = {{STORE_REC_DECISIONS, STORE_REPORT_DECISIONS},
                 {STORE_REC_OVERRIDES, STORE_REPORT_OVERRIDES},
                 {STORE_REC_ACTIONS, STORE_REPORT_ACTIONS},
                 {STORE_REC_NOTICES, STORE_REPORT_NOTICES}};
    size_t i;
    for (i = 0; i < sizeof bound / sizeof bound[0]; i++)
        if ((size_t)bound[i].rec == t)
            report__read(r, bound[i].bound, rec->id);
    report__read(r, STORE_REPORT_BOOKINGS, rec->booking_id);
}

static void bundle_free(struct bundle *b)
{
    if (b == NULL)
        return;
    free(b->items);
    numbering_free(&b->people);
    numbering_free(&b->bookings);
    json_decref(b->contacts);
    free(b);
}

static void release_bundle(struct report_ctx *r)
{
    bundle_free(r->kept);
}

/* The redaction log's pass (struct bundle) into o: report_ctx's write_log. */
static void write_log(struct report_ctx *r, struct report_text *o)
{
    struct bundle *b = r->kept;
    size_t i;
    b->log = o;
    for (i = 0; i < b->nitems && !b->oom && !o->full; i++)
        record_row(b, b->items[i].rec, b->items[i].t);
    b->log = NULL;
    if (b->oom)
        o->full = 1;
}

static int build(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct bundle *b = calloc(1, sizeof *b);
    struct numbering seen = {NULL, NULL, 0, 0};
    size_t i, j;
    int rc;

    if (b == NULL || (b->contacts = json_object()) == NULL) {
        bundle_free(b);
        return HC_ENOMEM;
    }
    b->r = r;
    declare_figures(r);
    json_object_set_new(r->root, "redaction",
                        json_string(r->unredacted ? "off: personal identifying information "
                                                    "as stored (an administrator's copy, "
                                                    "audited; not for release)"
                                                  : "on: personal identifying information "
                                                    "replaced (Gov. Code 7283.1(c)); each "
                                                    "redaction in redactions"));
    report__track_reads(r, REPORT_TABLE(STORE_REPORT_DECISIONS) | REPORT_CITATIONS |
                           REPORT_TABLE(STORE_REPORT_OVERRIDES) |
                           REPORT_TABLE(STORE_REPORT_ACTIONS) |
                           REPORT_TABLE(STORE_REPORT_NOTICES) |
                           REPORT_TABLE(STORE_REPORT_BOOKINGS));
    if ((rc = read_records(st, r, &b->items, &b->nitems, d)) == HC_OK) {
        /* The year's bundle is some 290,000 rows and redactions: written as they are read,
         * with no tree of them; not at all when only its figures are asked for. */
        if (!r->figures_only)
            report__rows_as_text(r, b->nitems);
        for (i = 0; i < b->nitems && !b->oom; i++) {
            const struct store_report_record *rec = b->items[i].rec;
            if (count_record(r, &seen, rec->table, rec->request_type, rec->request_id,
                             rec->person_id) != 0)
                b->oom = 1;
            if (b->items[i].t == STORE_REC_DECISIONS)
                for (j = 0; j < rec->nfields; j++)
                    if (strcmp(rec->field[j], "ruleset") == 0)
                        report__ruleset(r, rec->value[j]);
            if (!r->figures_only)
                record_row(b, rec, b->items[i].t);
            note_read(r, rec, b->items[i].t);
        }
        if (b->oom)
            rc = HC_ENOMEM;
    }
    numbering_free(&seen);
    if (rc != HC_OK) {
        bundle_free(b);
        return rc;
    }
    r->kept = b;
    r->write_log = write_log;
    r->release = release_bundle;
    return HC_OK;
}

/* The same figures from STORE_TALLY_CPRA: one plain UNION ALL of the same tables, the person
 * by the booking's person_id, counted here without the bundle's code. */
static int tally(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_report_tally *t = NULL;
    struct numbering seen = {NULL, NULL, 0, 0};
    size_t n = 0, i;
    int rc;

    declare_figures(r);
    if ((rc = report__tally(st, r, STORE_TALLY_CPRA, &t, &n, d)) == HC_OK)
        for (i = 0; i < n && rc == HC_OK; i++)
            if (type_included(t[i].v[1]) &&
                count_record(r, &seen, t[i].v[0], t[i].v[1], t[i].request_id, t[i].n[0]) != 0)
                rc = HC_ENOMEM;
    numbering_free(&seen);
    return rc;
}

const struct report_kind report_cpra = {
    "cpra",
    "cpra/1",
    "Records of ICE access and communication with ICE (California Public Records Act)",
    "Gov. Code 7283.1(c): \"All records relating to ICE access provided by local law "
    "enforcement agencies, including all communication with ICE, shall be public records for "
    "purposes of the California Public Records Act ... including the exemptions provided by "
    "that act and, as permitted under that act, personal identifying information may be "
    "redacted prior to public disclosure.\" Gov. Code 7283(d): \"ICE access\" means, for the "
    "purposes of civil immigration enforcement, \"(1) Responding to an ICE hold, notification, "
    "or transfer request. (2) Providing notification to ICE in advance of the public that an "
    "individual is being or will be released at a certain date and time through data sharing "
    "or otherwise. (3) Providing ICE non-publicly available information regarding release "
    "dates, home addresses, or work addresses ... (4) Allowing ICE to interview an individual. "
    "(5) Providing ICE information regarding dates and times of probation or parole "
    "check-ins.\"",
    build,
    tally,
    NULL,
};

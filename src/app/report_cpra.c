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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The bundle being written: the placeholders given so far and the redaction log. */
struct bundle {
    struct report_ctx *r;
    json_t *people, *bookings, *contacts; /* key (person id, booking id, name) -> its number */
    json_t *log;                          /* root's "redactions" (a reference of its own) */
};

/* The placeholder "PREFIX N" of key in map: the number it was given, or the next one. */
static json_t *numbered(json_t *map, const char *prefix, const char *key)
{
    json_t *n = json_object_get(map, key);
    char buf[48];
    if (n == NULL) {
        n = json_integer((json_int_t)json_object_size(map) + 1);
        json_object_set_new(map, key, n);
    }
    snprintf(buf, sizeof buf, "%s %lld", prefix, (long long)json_integer_value(n));
    return json_string(buf);
}

static json_t *id_placeholder(json_t *map, const char *prefix, int64_t id)
{
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    return numbered(map, prefix, key);
}

/* Log a redaction: field of rec replaced by placeholder, for basis. */
static void log_redaction(struct bundle *b, const struct store_report_record *rec,
                          const char *field, json_t *placeholder, const char *basis)
{
    json_t *e = json_object();
    json_object_set_new(e, "table", json_string(rec->table));
    json_object_set_new(e, "id", json_integer(rec->id));
    json_object_set_new(e, "request_id", json_integer(rec->request_id));
    json_object_set_new(e, "field", json_string(field));
    json_object_set_new(e, "placeholder", json_copy(placeholder));
    json_object_set_new(e, "basis", json_string(basis));
    json_array_append_new(b->log, e);
}

/* The value to write of field (value v, not NULL) of rec, logging it when it is redacted: the
 * one place the redaction rules are applied. A new reference. */
static json_t *redact_field(struct bundle *b, const struct store_report_record *rec, size_t t,
                            const char *field, const char *v)
{
    json_t *ph;
    switch (treatment_of(t, field)) {
    case KEEP:
    case STAFF:
        return json_string(v);
    case LIFT:
        if (!lift_reason_states_status(v))
            return json_string(v);
        ph = json_string(PH_WITHHELD);
        log_redaction(b, rec, field, ph, BASIS_STATUS);
        return ph;
    case CONTACT:
        if (b->r->unredacted)
            return json_string(v);
        /* The person's own name (a notice served on them) is their placeholder. */
        ph = rec->person_name && strcmp(v, rec->person_name) == 0
                 ? id_placeholder(b->people, "Person", rec->person_id)
                 : numbered(b->contacts, "Contact", v);
        log_redaction(b, rec, field, ph, BASIS_PII);
        return ph;
    case FREE_TEXT:
    default:
        if (b->r->unredacted)
            return json_string(v);
        ph = json_string(PH_REDACTED);
        log_redaction(b, rec, field, ph, BASIS_FREE_TEXT);
        return ph;
    }
}

/* Who a record is about (its request's person and booking): placeholders, or as stored. */
static void row_identity(struct bundle *b, const struct store_report_record *rec, json_t *row)
{
    json_t *person, *booking;
    if (b->r->unredacted) {
        json_object_set_new(row, "person", json_string(rec->person_name ? rec->person_name : ""));
        json_object_set_new(row, "booking", json_string(rec->booking_no ? rec->booking_no : ""));
        return;
    }
    person = id_placeholder(b->people, "Person", rec->person_id);
    booking = id_placeholder(b->bookings, "Booking", rec->booking_id);
    log_redaction(b, rec, "people.name", person, BASIS_PII);
    log_redaction(b, rec, "bookings.booking_no", booking, BASIS_PII);
    json_object_set_new(row, "person", person);
    json_object_set_new(row, "booking", booking);
}

/* One row of the bundle: record rec of table t. */
static json_t *record_row(struct bundle *b, const struct store_report_record *rec, size_t t)
{
    json_t *row = json_object(), *f = json_object(), *ph;
    char at[HC_CLOCK_UTC_LEN];
    size_t i;

    hc_clock_utc(rec->epoch, at);
    json_object_set_new(row, "record", json_string(tables[t].record));
    json_object_set_new(row, "table", json_string(rec->table));
    json_object_set_new(row, "id", json_integer(rec->id));
    json_object_set_new(row, "request_id", json_integer(rec->request_id));
    json_object_set_new(row, "request_type", json_string(rec->request_type));
    json_object_set_new(row, "time_utc", json_string(at));
    row_identity(b, rec, row);
    for (i = 0; i < rec->nfields; i++)
        json_object_set_new(f, rec->field[i],
                            rec->value[i] ? redact_field(b, rec, t, rec->field[i], rec->value[i])
                                          : json_null());
    /* A request names whom ICE asked about: the date of birth only unredacted. */
    if (t == STORE_REC_REQUESTS && rec->birth_date != NULL) {
        if (b->r->unredacted)
            json_object_set_new(f, "date_of_birth", json_string(rec->birth_date));
        else {
            ph = json_string(PH_REMOVED);
            log_redaction(b, rec, "people.date_of_birth", ph, BASIS_PII);
            json_decref(ph);
        }
    }
    json_object_set_new(row, "fields", f);
    return row;
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
 * seen: the people counted so far, by id). */
static void count_record(struct report_ctx *r, json_t *seen, const char *table,
                         const char *type, int64_t request_id, int64_t person_id)
{
    char key[24], label[160];
    snprintf(key, sizeof key, "%lld", (long long)person_id);
    report__count(r, G_TOTAL, "records", NULL, request_id);
    report__count(r, G_RECORDS, table, NULL, request_id);
    if (strcmp(table, "immigration_requests") == 0) {
        snprintf(label, sizeof label, "Requests received of type %s", type);
        report__count(r, G_REQUESTS, type, label, request_id);
    }
    if (json_object_get(seen, key) == NULL) {
        json_object_set_new(seen, key, json_true());
        report__count(r, G_TOTAL, "people", NULL, request_id);
    } else
        report__add_id(r, G_TOTAL, "people", request_id);
}

/* One record read, and the table it came from (its place in the bundle's order). */
struct item {
    const struct store_report_record *rec;
    size_t t;
};

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
    if ((items = malloc((total ? total : 1) * sizeof *items)) == NULL)
        return HC_ENOMEM;
    *n = 0;
    for (t = 0; t < STORE_REC_NTABLES; t++)
        for (i = 0; i < counts[t]; i++)
            if (type_included(recs[t][i].request_type)) {
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

static int build(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct bundle b = {r, json_object(), json_object(), json_object(), json_array()};
    json_t *seen = json_object();
    struct item *items = NULL;
    size_t n = 0, i, j;
    int rc;

    declare_figures(r);
    json_object_set_new(r->root, "redaction",
                        json_string(r->unredacted ? "off: personal identifying information "
                                                    "as stored (an administrator's copy, "
                                                    "audited; not for release)"
                                                  : "on: personal identifying information "
                                                    "replaced (Gov. Code 7283.1(c)); each "
                                                    "redaction in redactions"));
    json_object_set(r->root, "redactions", b.log);
    report__track_reads(r, REPORT_TABLE(STORE_REPORT_DECISIONS) |
                           REPORT_TABLE(STORE_REPORT_OVERRIDES) |
                           REPORT_TABLE(STORE_REPORT_ACTIONS) |
                           REPORT_TABLE(STORE_REPORT_NOTICES) |
                           REPORT_TABLE(STORE_REPORT_BOOKINGS));
    if ((rc = read_records(st, r, &items, &n, d)) == HC_OK) {
        for (i = 0; i < n; i++) {
            const struct store_report_record *rec = items[i].rec;
            count_record(r, seen, rec->table, rec->request_type, rec->request_id,
                         rec->person_id);
            if (items[i].t == STORE_REC_DECISIONS)
                for (j = 0; j < rec->nfields; j++)
                    if (strcmp(rec->field[j], "ruleset") == 0)
                        report__ruleset(r, rec->value[j]);
            json_array_append_new(r->rows, record_row(&b, rec, items[i].t));
            note_read(r, rec, items[i].t);
        }
    }
    free(items);
    json_decref(seen);
    json_decref(b.people);
    json_decref(b.bookings);
    json_decref(b.contacts);
    json_decref(b.log);
    return rc;
}

/* The same figures from STORE_TALLY_CPRA: one plain UNION ALL of the same tables, the person
 * by the booking's person_id, counted here without the bundle's code. */
static int tally(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_report_tally *t = NULL;
    json_t *seen = json_object();
    size_t n = 0, i;
    int rc;

    declare_figures(r);
    if ((rc = report__tally(st, r, STORE_TALLY_CPRA, &t, &n, d)) == HC_OK)
        for (i = 0; i < n; i++)
            if (type_included(t[i].v[1]))
                count_record(r, seen, t[i].v[0], t[i].v[1], t[i].request_id, t[i].n[0]);
    json_decref(seen);
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

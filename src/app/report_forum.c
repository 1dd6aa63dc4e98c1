/* SPDX-License-Identifier: MIT
 * report_forum.c: the truth-forum report, the packet for the TRUTH Act's community forum
 * (Gov. Code 7283.1(d)), in English or Spanish. The rules, the one place they are written:
 *   received      each request received in the period, by its type and the local month;
 *   outcome       the same requests by their outcome in force (undecided: "undecided");
 *   action        each action taken in the period, by kind; lift_reason by ICE's code;
 *   access        ICE given access in the period: a `notified` or `transferred` action, or an
 *                 interview granted; its mode is the type of the request it answered (hold,
 *                 notification, transfer, interview; personal_info and
 *                 status_information_exchange are non-public information; any other: other);
 *   age_band      the person's age on the local day of each access (under 18, 18-24 ... 65
 *                 and over, unknown); sex: holdcheck records none, so "not recorded";
 *   notices       TRUTH Act notices generated in the period, by kind, and how many of them
 *                 are served or not yet served;
 *   flags         actions recorded as contrary to the outcome in force.
 * Never ethnicity, national origin or immigration status: none is stored. */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "report_int.h"
#include "store_reports.h"

/* A label in the report's language: English, or Spanish when es. */
#define L(en, es_) (r->es ? (es_) : (en))

/* The mode of access given under a request of type t. */
static const char *access_mode(const char *t)
{
    static const char *const own[] = {"hold", "notification", "transfer", "interview"};
    size_t i;
    for (i = 0; t != NULL && i < sizeof own / sizeof own[0]; i++)
        if (strcmp(t, own[i]) == 0)
            return own[i];
    if (t != NULL && (strcmp(t, "personal_info") == 0 ||
                      strcmp(t, "status_information_exchange") == 0))
        return "non_public_information";
    return "other";
}

/* The age band of age (negative: unknown). */
static const char *age_band(int age)
{
    static const struct {
        int below;
        const char *band;
    } bands[] = {{18, "under_18"}, {25, "18-24"}, {35, "25-34"}, {45, "35-44"},
                 {55, "45-54"},    {65, "55-64"}};
    size_t i;
    if (age < 0)
        return "unknown";
    for (i = 0; i < sizeof bands / sizeof bands[0]; i++)
        if (age < bands[i].below)
            return bands[i].band;
    return "65_and_over";
}

/* The age in whole years on the local day of t of a person born on birth ("YYYY-MM-DD"), or
 * -1 when birth is not such a date. */
static int age_on(const char *birth, int64_t t)
{
    char day[HC_CLOCK_DATE_LEN];
    hc_day b, now;
    int by, bm, bd, y, m, d;
    report__local_date(t, day);
    if (birth == NULL || hc_date_parse(birth, strlen(birth), &b) != 0 ||
        hc_date_parse(day, strlen(day), &now) != 0)
        return -1;
    hc_date_to_ymd(b, &by, &bm, &bd);
    hc_date_to_ymd(now, &y, &m, &d);
    return y - by - (m < bm || (m == bm && d < bd));
}

/* Count one access of mode under request_id, with the person's age. */
static void count_access(struct report_ctx *r, int64_t request_id, const char *mode, int age)
{
    char label[160];
    snprintf(label, sizeof label, "%s: %s", L("ICE access", "Acceso de ICE"), mode);
    report__count(r, "access", mode, label, request_id);
    snprintf(label, sizeof label, "%s: %s", L("Age band of the people given access",
                                               "Edad de las personas con acceso"), age_band(age));
    report__count(r, "age_band", age_band(age), label, request_id);
    report__count(r, "sex", "not_recorded", NULL, request_id);
}

static void count_request(struct report_ctx *r, int64_t request_id, const char *type,
                          const char *month, const char *outcome)
{
    char key[96], label[200];
    snprintf(key, sizeof key, "%s %s", type ? type : "?", month);
    snprintf(label, sizeof label, "%s: %s", L("Requests received", "Solicitudes recibidas"), key);
    report__count(r, "received", key, label, request_id);
    if (outcome == NULL)
        outcome = "undecided";
    snprintf(label, sizeof label, "%s: %s", L("Outcome in force", "Resultado vigente"), outcome);
    report__count(r, "outcome", outcome, label, request_id);
}

static void count_action(struct report_ctx *r, int64_t request_id, const char *kind,
                         const char *reason, const char *request_type, int contrary, int age)
{
    char label[200];
    snprintf(label, sizeof label, "%s: %s", L("Actions taken", "Acciones tomadas"), kind);
    report__count(r, "action", kind, label, request_id);
    if (reason != NULL) {
        snprintf(label, sizeof label, "%s: %s",
                 L("ICE lift reason", "Motivo de ICE para levantar la solicitud"), reason);
        report__count(r, "lift_reason", reason, label, request_id);
    }
    if (contrary)
        report__count(r, "flags", "contrary", NULL, request_id);
    if (strcmp(kind, "notified") == 0 || strcmp(kind, "transferred") == 0)
        count_access(r, request_id, access_mode(request_type), age);
}

static void count_notice(struct report_ctx *r, int64_t request_id, const char *kind, int served)
{
    char key[64], label[200];
    snprintf(key, sizeof key, "generated %s", kind);
    snprintf(label, sizeof label, "%s: %s", L("Notices generated", "Avisos generados"), kind);
    report__count(r, "notices", key, label, request_id);
    snprintf(key, sizeof key, "%s %s", served ? "served" : "not_served", kind);
    snprintf(label, sizeof label, "%s: %s",
             served ? L("Notices served", "Avisos entregados")
                    : L("Notices not yet served", "Avisos aún no entregados"),
             kind);
    report__count(r, "notices", key, label, request_id);
}

static void declare_figures(struct report_ctx *r)
{
    report__figure(r, "flags", "contrary",
                   L("Actions recorded as contrary to the outcome in force (flagged)",
                     "Acciones registradas en contra del resultado vigente (señaladas)"));
    report__figure(r, "sex", "not_recorded",
                   L("Sex of the people given access: not recorded by holdcheck",
                     "Sexo de las personas con acceso: holdcheck no lo registra"));
}

static int build(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_report_forum f;
    size_t i;
    int rc;

    declare_figures(r);
    report__track_reads(r, REPORT_TABLE(STORE_REPORT_DECISIONS) |
                           REPORT_TABLE(STORE_REPORT_OVERRIDES) |
                           REPORT_TABLE(STORE_REPORT_ACTIONS) |
                           REPORT_TABLE(STORE_REPORT_BOOKINGS) |
                           REPORT_TABLE(STORE_REPORT_NOTICES));
    if ((rc = store_report_forum(st, r->from_utc, r->to_utc, r->a, &f)) != HC_OK)
        return hc_diag_set(d, "from", "the records of the period could not be read", NULL), rc;
    for (i = 0; i < f.nrequests; i++) {
        char day[HC_CLOCK_DATE_LEN];
        report__local_date(f.requests[i].epoch, day);
        day[7] = '\0'; /* the month */
        count_request(r, f.requests[i].request_id, f.requests[i].request_type, day,
                      f.requests[i].kind);
        report__ruleset(r, f.requests[i].ruleset);
        report__read(r, STORE_REPORT_DECISIONS, f.requests[i].decision_id);
        report__read(r, STORE_REPORT_OVERRIDES, f.requests[i].override_id);
    }
    for (i = 0; i < f.nactions; i++) {
        const struct store_report_event *e = &f.actions[i];
        count_action(r, e->request_id, e->kind, e->reason, e->request_type, e->flag,
                     age_on(e->birth_date, e->epoch));
        report__read(r, STORE_REPORT_ACTIONS, e->id);
        report__read(r, STORE_REPORT_BOOKINGS, e->booking_id);
    }
    for (i = 0; i < f.ninterviews; i++) {
        count_access(r, f.interviews[i].request_id, access_mode(f.interviews[i].request_type),
                     age_on(f.interviews[i].birth_date, f.interviews[i].epoch));
        report__read(r, STORE_REPORT_BOOKINGS, f.interviews[i].booking_id);
    }
    for (i = 0; i < f.nnotices; i++) {
        count_notice(r, f.notices[i].request_id, f.notices[i].kind, f.notices[i].flag);
        report__read(r, STORE_REPORT_NOTICES, f.notices[i].id);
    }
    return HC_OK;
}

/* The same figures from STORE_TALLY_FORUM: the month and the age computed by SQLite. */
static int tally(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_report_tally *t = NULL;
    size_t n = 0, i;
    int rc;

    declare_figures(r);
    if ((rc = report__tally(st, r, STORE_TALLY_FORUM, &t, &n, d)) != HC_OK)
        return rc;
    for (i = 0; i < n; i++) {
        const char *which = t[i].v[3] ? t[i].v[3] : "";
        if (strcmp(which, "request") == 0)
            count_request(r, t[i].request_id, t[i].v[0], t[i].v[1] ? t[i].v[1] : "?", t[i].v[2]);
        else if (strcmp(which, "action") == 0)
            count_action(r, t[i].request_id, t[i].v[0] ? t[i].v[0] : "?", t[i].v[1], t[i].v[2],
                         t[i].n[0] != 0, (int)t[i].n[1]);
        else if (strcmp(which, "interview") == 0)
            count_access(r, t[i].request_id, access_mode(t[i].v[2]), (int)t[i].n[1]);
        else if (strcmp(which, "notice") == 0)
            count_notice(r, t[i].request_id, t[i].v[0] ? t[i].v[0] : "?", t[i].n[0] != 0);
    }
    return HC_OK;
}

const struct report_kind report_truth_forum = {
    "truth-forum",
    "truth-forum/1",
    "TRUTH Act community forum: ICE access in the period",
    "Gov. Code 7283.1(d): beginning January 1, 2018, the local governing body of any county, "
    "city, or city and county in which a local law enforcement agency has provided ICE access "
    "to an individual during the last year shall hold at least one community forum during the "
    "following year, that is open to the public; the agency may provide the number and "
    "characteristics of the individuals given access, the date ICE access was provided, and "
    "whether it was provided through a hold, transfer, or notification request or through "
    "other means (paraphrased; see docs/reports.md).",
    build,
    tally,
    "Foro comunitario de la Ley TRUTH: acceso de ICE en el período",
};

/* SPDX-License-Identifier: MIT
 * demo.c: `holdcheck demo --db PATH [--bookings N] [--seed S] [--today YYYY-MM-DD]`: fill a
 * migrated, empty database with a synthetic county: obviously fake people ("Testperson, Alpha"),
 * court histories and bookings drawn from citations that parse and are in the catalog, release
 * dates, and a few percent of bookings with immigration requests of every type, each decided
 * through the same intake path as POST /api/v1/bookings/{no}/requests. The same seed and --today
 * give the same records. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "auth.h"
#include "booking.h"
#include "case.h"
#include "catalog_builtin.h"
#include "cli.h"
#include "clock.h"
#include "engine.h"
#include "intake.h"
#include "review.h"
#include "store.h"
#include "taskforce.h"

#define DEMO_ARENA ((size_t)8 << 20)
#define MAX_PRIORS 8
#define MAX_CHARGES 3
#define REQUEST_PERMILLE 40 /* 4% of bookings get an immigration request */

struct demo_offense {
    const char *cite;
    const char *level; /* NULL: a wobbler, level drawn per record */
    int weight;
};

/* A jail's everyday mix: mostly misdemeanors, some serious felonies. Every citation is checked
 * against the catalog before anything is written. */
static const struct demo_offense offenses[] = {
    {"PC 484", "misdemeanor", 10},     {"PC 488", "misdemeanor", 6},
    {"PC 490.2", "misdemeanor", 3},    {"PC 647(f)", "misdemeanor", 10},
    {"PC 243(e)(1)", "misdemeanor", 8},{"PC 273.5", NULL, 6},
    {"PC 245(a)(1)", NULL, 5},         {"PC 242", "misdemeanor", 6},
    {"PC 148(a)(1)", "misdemeanor", 6},{"PC 166", "misdemeanor", 3},
    {"PC 496", NULL, 4},               {"PC 29800", "felony", 3},
    {"PC 422", NULL, 3},               {"PC 602", "misdemeanor", 4},
    {"PC 594", NULL, 4},               {"HS 11377", NULL, 6},
    {"HS 11378", "felony", 3},         {"HS 11364", "misdemeanor", 6},
    {"HS 11550", "misdemeanor", 5},    {"HS 11350", NULL, 4},
    {"VC 23152(a)", NULL, 10},         {"VC 14601.1", "misdemeanor", 6},
    {"VC 10851", NULL, 4},             {"PC 459 2nd", NULL, 4},
    {"PC 459 1st", "felony", 1},       {"PC 211", "felony", 3},
    {"PC 215", "felony", 1},           {"PC 187(a)", "felony", 1},
    {"PC 261(a)(2)", "felony", 1},     {"PC 451", "felony", 1},
    {"PC 646.9", NULL, 1},             {"PC 69", NULL, 2},
    {"PC 530.5", NULL, 2},             {"PC 664/211", "felony", 1},
    {"18 USC 2113(a)", "felony", 1},
};
#define NOFFENSES (sizeof offenses / sizeof offenses[0])

static const char *const surnames[] = {
    "Testperson", "Sampleperson", "Demoperson", "Mockperson", "Fakeperson", "Placeholder",
    "Dummyperson", "Exampleperson",
};
static const char *const given[] = {
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett",
    "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango",
    "Uniform", "Victor", "Whiskey", "Xray", "Yankee", "Zulu",
};
static const char *const facilities[] = {
    "Example County Central Jail", "Example County North Annex", "Example County Work Furlough",
};
static const char *const courts[] = {
    "Superior Court of California, County of Example",
    "Superior Court of California, County of Sample",
};
static const char *const release_reasons[] = {
    "time served", "bail posted", "own recognizance", "charges dismissed", "sentence completed",
};
static const char *const forms[HC_REQ_COUNT] = {
    [HC_REQ_HOLD] = "I-247A", [HC_REQ_NOTIFICATION] = "I-247A", [HC_REQ_TRANSFER] = "I-247A",
    [HC_REQ_CIVIL_WARRANT_ARREST] = "I-200", [HC_REQ_VISA_CERTIFICATION] = "I-918 Supplement B",
};

/* splitmix64: small, seedable, and the same on every platform. */
static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
/* Uniform in [0, n). */
static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static const struct demo_offense *pick_offense(void)
{
    static int total;
    size_t i;
    int r;
    if (total == 0)
        for (i = 0; i < NOFFENSES; i++)
            total += offenses[i].weight;
    r = pick(total);
    for (i = 0; i < NOFFENSES; i++) {
        if (r < offenses[i].weight)
            return &offenses[i];
        r -= offenses[i].weight;
    }
    return &offenses[0];
}

static const char *level_of(const struct demo_offense *o)
{
    if (o->level != NULL)
        return o->level;
    return pick(3) == 0 ? "felony" : "misdemeanor";
}

/* Check every demo citation parses and is known to the catalog today. */
static int check_offenses(const struct hc_catalog *cat, hc_day today)
{
    size_t i;
    for (i = 0; i < NOFFENSES; i++) {
        struct hc_cite c;
        struct hc_offense off;
        struct hc_diag d;
        if (hc_cite_parse(offenses[i].cite, strlen(offenses[i].cite), &c, &d) != HC_OK) {
            fprintf(stderr, "holdcheck demo: citation '%s' does not parse: %s\n",
                    offenses[i].cite, d.msg);
            return -1;
        }
        hc_catalog_resolve(cat, &c, today, &off);
        if (!off.found) {
            fprintf(stderr, "holdcheck demo: citation '%s' is not in the catalog\n",
                    offenses[i].cite);
            return -1;
        }
    }
    return 0;
}

/* Strings of one generated booking; everything the store reads lives here. */
struct demo_booking {
    char no[24], name[64], dob[11], local_id[24], booked_at[32], sched[11], released_at[32];
    int64_t booked_min; /* booked_at in minutes since 1970-01-01T00:00 of the demo's -08:00 */
    char conv_date[MAX_PRIORS][11];
    struct store_conviction conv[MAX_PRIORS];
    struct store_charge charges[MAX_CHARGES];
    struct store_booking_new b;
};

static void fmt_time(char out[32], hc_day day, int minute_of_day)
{
    char d[11];
    hc_date_format(day, d);
    snprintf(out, 32, "%sT%02d:%02d:00-08:00", d, minute_of_day / 60 % 24, minute_of_day % 60);
}

static void make_booking(struct demo_booking *x, int i, hc_day today)
{
    struct store_booking *bk = &x->b.booking;
    hc_day dob, booked, adult;
    int age = 18 + pick(50), npri, nch, k, r;

    memset(x, 0, sizeof *x);
    snprintf(x->no, sizeof x->no, "DEMO-%06d", i + 1);
    snprintf(x->name, sizeof x->name, "%s, %s", surnames[pick(8)], given[pick(26)]);
    snprintf(x->local_id, sizeof x->local_id, "DEMO-P%06d", i + 1);
    dob = today - age * 365 - pick(365);
    hc_date_format(dob, x->dob);
    x->b.person.name = x->name;
    x->b.person.date_of_birth = x->dob;
    x->b.person.local_id = x->local_id;
    x->b.person.registrant_290 = pick(1000) < 15;

    /* 30% were released within the last year; the rest were booked in the last 60 days. */
    r = pick(100);
    booked = r < 30 ? today - 60 - pick(300) : today - pick(60);
    k = pick(24 * 60);
    x->booked_min = (int64_t)booked * 1440 + k;
    fmt_time(x->booked_at, booked, k);
    bk->booking_no = x->no;
    bk->booked_at = x->booked_at;
    bk->facility = facilities[pick(3)];
    if (r < 30) {
        bk->status = "released";
        fmt_time(x->released_at, booked + 1 + pick(50), pick(24 * 60));
        bk->released_at = x->released_at;
        bk->release_reason = release_reasons[pick(5)];
    } else {
        bk->status = "in_custody";
        if (pick(100) < 40) { /* sentenced: a release date is scheduled */
            hc_date_format(today + 1 + pick(300), x->sched);
            bk->scheduled_release = x->sched;
        }
    }

    /* Court history: many have none, a few have long ones. */
    r = pick(100);
    npri = r < 45 ? 0 : r < 65 ? 1 : r < 80 ? 2 : r < 90 ? 3 : 4 + pick(MAX_PRIORS - 3);
    adult = dob + 18 * 365 + 5;
    for (k = 0; k < npri && adult < booked - 30; k++) {
        const struct demo_offense *o = pick_offense();
        struct store_conviction *c = &x->conv[k];
        hc_day when = adult + pick(booked - 30 - adult);
        hc_date_format(when, x->conv_date[k]);
        c->citation = o->cite;
        c->level = level_of(o);
        c->date = x->conv_date[k];
        c->prop47_reduced = -1;
        if (strncmp(o->cite, "18 USC", 6) == 0) {
            c->court = "United States District Court, Example District";
        } else {
            c->court = courts[pick(2)];
            /* Theft and drug misdemeanors after Prop 47 took effect: sometimes reduced. */
            if (when >= hc_date_from_ymd(2014, 11, 5) && strcmp(c->level, "misdemeanor") == 0 &&
                (strncmp(o->cite, "HS 113", 6) == 0 || strcmp(o->cite, "PC 496") == 0) &&
                pick(100) < 40)
                c->prop47_reduced = 1;
        }
    }
    x->b.conv = x->conv;
    x->b.nconv = (size_t)k;

    nch = 1 + pick(MAX_CHARGES);
    for (k = 0; k < nch; k++) {
        const struct demo_offense *o = pick_offense();
        struct store_charge *c = &x->charges[k];
        c->citation = o->cite;
        c->level = level_of(o);
        if (strcmp(bk->status, "released") == 0)
            c->status = pick(2) ? "dismissed" : "convicted";
        else
            c->status = pick(10) < 8 ? "pending" : "dismissed";
        c->magistrate_probable_cause =
            strcmp(c->status, "pending") == 0 && strcmp(c->level, "felony") == 0 && pick(5) == 0;
    }
    x->b.charges = x->charges;
    x->b.ncharges = (size_t)nch;
}

static void usage(FILE *f)
{
    fputs("usage: holdcheck demo --db PATH [--bookings N] [--seed S] [--today YYYY-MM-DD]\n"
          "                             [--history]\n"
          "       holdcheck demo --csv DIR [--bookings N] [--seed S] [--today YYYY-MM-DD]\n"
          "  Fill an empty, migrated database with a synthetic county (fake names) and decide a\n"
          "  few percent of immigration requests through the normal intake path. With --csv,\n"
          "  write the same county (no requests) as people.csv, convictions.csv, bookings.csv\n"
          "  and charges.csv in DIR, the files `holdcheck import` reads (docs/import.md).\n"
          "  With --history, also record what the agency did with each request (ICE notified,\n"
          "  transfers, releases before ICE came, requests declined), supervisors' overrides and\n"
          "  two actions contrary to the outcome in force, and two fictional joint task forces\n"
          "  with their arrests this year, so the reports have a year to count.\n",
          f);
}

/* One CSV field: quoted when it holds a comma, quote or line break; NULL is empty. */
static void csv_put(FILE *f, const char *s, int last)
{
    if (s != NULL) {
        if (s[strcspn(s, ",\"\r\n")] == '\0') {
            fputs(s, f);
        } else {
            putc('"', f);
            for (; *s; s++) {
                if (*s == '"')
                    putc('"', f);
                putc(*s, f);
            }
            putc('"', f);
        }
    }
    putc(last ? '\n' : ',', f);
}

/* Write nbook synthetic bookings as the four import CSVs in dir. */
static int write_csv(const char *dir, long nbook, hc_day today)
{
    static const char *const names[4] = {"people", "convictions", "bookings", "charges"};
    static const char *const headers[4] = {
        "local_id,name,date_of_birth,registrant_290",
        "person_local_id,citation,level,date,court,prop47_reduced,federal_aggravated_felony,"
        "jurisdiction",
        "booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,"
        "release_reason",
        "booking_no,citation,level,status,magistrate_probable_cause",
    };
    FILE *f[4] = {NULL, NULL, NULL, NULL};
    struct demo_booking *x = cli_xmalloc(sizeof *x);
    long i;
    size_t k;
    int rc = -1;

    for (k = 0; k < 4; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.csv", dir, names[k]);
        if ((f[k] = fopen(path, "w")) == NULL) {
            perror(path);
            goto out;
        }
        fprintf(f[k], "%s\n", headers[k]);
    }
    for (i = 0; i < nbook; i++) {
        const struct store_booking *b = &x->b.booking;
        make_booking(x, (int)i, today);
        csv_put(f[0], x->b.person.local_id, 0);
        csv_put(f[0], x->b.person.name, 0);
        csv_put(f[0], x->b.person.date_of_birth, 0);
        csv_put(f[0], x->b.person.registrant_290 ? "true" : "false", 1);
        for (k = 0; k < x->b.nconv; k++) {
            const struct store_conviction *c = &x->conv[k];
            csv_put(f[1], x->b.person.local_id, 0);
            csv_put(f[1], c->citation, 0);
            csv_put(f[1], c->level, 0);
            csv_put(f[1], c->date, 0);
            csv_put(f[1], c->court, 0);
            csv_put(f[1], c->prop47_reduced < 0 ? NULL : c->prop47_reduced ? "true" : "false", 0);
            csv_put(f[1], c->federal_aggravated_felony, 0);
            csv_put(f[1], c->jurisdiction, 1);
        }
        csv_put(f[2], b->booking_no, 0);
        csv_put(f[2], x->b.person.local_id, 0);
        csv_put(f[2], b->booked_at, 0);
        csv_put(f[2], b->facility, 0);
        csv_put(f[2], b->status, 0);
        csv_put(f[2], b->scheduled_release, 0);
        csv_put(f[2], b->released_at, 0);
        csv_put(f[2], b->release_reason, 1);
        for (k = 0; k < x->b.ncharges; k++) {
            const struct store_charge *c = &x->charges[k];
            csv_put(f[3], b->booking_no, 0);
            csv_put(f[3], c->citation, 0);
            csv_put(f[3], c->level, 0);
            csv_put(f[3], c->status, 0);
            csv_put(f[3], c->magistrate_probable_cause ? "true" : "false", 1);
        }
    }
    rc = 0;
out:
    for (k = 0; k < 4; k++)
        if (f[k] != NULL && (fclose(f[k]) != 0 && rc == 0)) {
            perror(names[k]);
            rc = -1;
        }
    free(x);
    if (rc == 0)
        printf("demo: %ld bookings written to %s/{people,convictions,bookings,charges}.csv\n",
               nbook, dir);
    return rc;
}

/* Issue 4: bail and a next court date for a booking in custody, derived from its number i
 * rather than drawn from the generator, so every other value of the demo stays as it was. */
static int demo_bail_court(struct hc_store *st, const char *no, int i, hc_day today,
                           struct hc_arena *a, struct hc_diag *d)
{
    struct store_booking_patch p;
    struct store_booking_state out;
    char court[11];
    memset(&p, 0, sizeof p);
    p.set = STORE_PATCH_BAIL;
    p.has_bail = 1;
    p.bail = i % 10 == 9 ? -1 : (int64_t)((i * 7919) % 40 + 1) * 2500;
    if (i % 10 < 7) {
        hc_date_format(today + 1 + (i * 13) % 60, court);
        p.set |= STORE_PATCH_NEXT_COURT_DATE;
        p.next_court_date = court;
    }
    return booking_update(st, no, &p, "demo", a, &out, d);
}

/* Issue 4: the demo county publishes every field of the public portal, release dates
 * included (so release_dates_public becomes true after the demo's requests were decided). */
static int demo_publication(struct hc_store *st)
{
    struct store_public_policy p;
    memset(&p, 0, sizeof p);
    p.fields = STORE_PUB_ALL;
    p.recent_days = 7;
    return store_public_policy_set(st, &p, "demo");
}

/* A request the demo recorded, for --history: what is needed to say what was done with it. */
struct demo_request {
    int64_t id;
    int type;          /* enum hc_request_type */
    int outcome;       /* enum hc_outcome of its decision */
    int64_t received;  /* minutes, as booked_min */
    int64_t released;  /* minutes, or -1 while in custody */
};

/* Minutes since 1970-01-01T00:00 of the demo's -08:00 of a time fmt_time wrote. */
static int64_t demo_minutes(const char *t)
{
    hc_day day;
    int minute;
    if (hc_date_parse(t, 10, &day) != 0)
        return -1;
    minute = (t[11] - '0') * 600 + (t[12] - '0') * 60 + (t[14] - '0') * 10 + (t[15] - '0');
    return (int64_t)day * 1440 + minute;
}

/* Record action kind about r at minute `at` (clamped to now, never before r was received):
 * by a clerk, or by a supervisor with reason when reason is set (a contrary action). */
static int demo_act(struct hc_store *st, const struct demo_request *r, const char *kind,
                    int64_t at, const char *reason, struct hc_arena *a, struct hc_diag *d)
{
    struct store_action x;
    char when[32];
    int64_t id, now = (hc_clock_now() - (int64_t)8 * 3600) / 60 - 1;
    if (at > now)
        at = now;
    if (at < r->received)
        at = r->received;
    fmt_time(when, (hc_day)(at / 1440), (int)(at % 1440));
    memset(&x, 0, sizeof x);
    x.kind = kind;
    x.at = when;
    if (strcmp(kind, "notified") == 0) {
        x.method = pick(2) ? "email" : "phone";
        x.acted_by = "Deputy Example";
    } else if (strcmp(kind, "transferred") == 0) {
        x.office = "ICE ERO Example Field Office";
    }
    x.reason = reason;
    return actions_record(st, r->id, &x, reason != NULL ? AUTH_SUPERVISOR : AUTH_CLERK,
                          reason != NULL ? "demo-supervisor" : "demo-clerk", a, &id, d);
}

/* What a county's year looks like after the decisions, for the reports: supervisors override
 * every other permitted interview to prohibited (a county may decline more than the law
 * requires; many decline ICE interviews),
 * and each hold, notification and transfer request gets what was done with it; one still at
 * review waits for its supervisor and gets nothing. Drawn from the same
 * seed after every record is written, so --history leaves the county itself unchanged. */
static int demo_history(struct hc_store *st, const struct demo_request *req, size_t n,
                        struct hc_arena *a, int *noverrides, struct hc_diag *d)
{
    static const char *const why_contrary =
        "Demo: recorded against the outcome in force, to show how such an action is flagged";
    size_t i;
    int rc = HC_OK, contrary = 0, interviews = 0;
    for (i = 0; i < n && rc == HC_OK; i++) {
        const struct demo_request *r = &req[i];
        int out = r->outcome, custodial = r->type == HC_REQ_HOLD ||
                                         r->type == HC_REQ_NOTIFICATION ||
                                         r->type == HC_REQ_TRANSFER;
        int64_t id;
        if (r->type == HC_REQ_INTERVIEW && out != HC_OUT_PROHIBITED && out != HC_OUT_REVIEW &&
            interviews++ % 2 == 0) {
            rc = review_override(st, r->id, "prohibited",
                                 "Demo: county policy declines ICE interviews in the jail",
                                 "demo-supervisor", a, &id, d);
            ++*noverrides;
            if (rc != HC_OK)
                break;
        }
        if (!custodial || out == HC_OUT_REVIEW ||
            (r->released >= 0 && r->released < r->received))
            continue; /* nothing about custody, a supervisor's to decide, or gone before */
        if (out == HC_OUT_PROHIBITED) {
            if (contrary < 2 && r->type != HC_REQ_HOLD) {
                contrary++;
                rc = demo_act(st, r, r->type == HC_REQ_TRANSFER ? "transferred" : "notified",
                              r->released >= 0 ? r->released - 60 : r->received + 180,
                              why_contrary, a, d);
            } else {
                rc = demo_act(st, r, "declined", r->received + 120, NULL, a, d);
            }
        } else if (r->type == HC_REQ_NOTIFICATION) {
            if (r->released >= 0 || pick(2))
                rc = demo_act(st, r, "notified", r->received + 60, NULL, a, d);
            if (rc == HC_OK && r->released >= 0 && pick(3) == 0)
                rc = demo_act(st, r, "ice_no_custody", r->released, NULL, a, d);
        } else if (r->type == HC_REQ_TRANSFER && r->released >= 0) {
            static const char *const ends[] = {"transferred", "released_before_ice",
                                               "ice_no_custody"};
            rc = demo_act(st, r, ends[pick(3)], r->released, NULL, a, d);
        } else if (r->type == HC_REQ_HOLD) {
            rc = demo_act(st, r, "lifted_by_ice", r->received + 1440, NULL, a, d);
        }
    }
    return rc;
}

/* Record the arrests of task force tf for the days first..last (day numbers) as the demo's
 * actor, unless the period has not ended before today. */
static int demo_tf_entry(struct hc_store *st, int64_t tf, hc_day first, hc_day last,
                         hc_day today, int64_t arrests, int64_t immigration, struct hc_arena *a,
                         struct hc_diag *d)
{
    struct taskforce_arrests_new e;
    char from[11], to[11];
    int64_t id;
    if (last >= today)
        return HC_OK;
    hc_date_format(first, from);
    hc_date_format(last, to);
    memset(&e, 0, sizeof e);
    e.task_force_id = tf;
    e.from = from;
    e.to = to;
    e.arrests = arrests;
    e.immigration_arrests = immigration;
    e.source = "Demo: the task force's own report to its members (fictional)";
    return taskforce_arrests_add(st, &e, "demo", a, &id, d);
}

/* The first day of month m (1-12, or 13: January of the next year) of year y. */
static hc_day month_start(int y, int m)
{
    return m > 12 ? hc_date_from_ymd(y + 1, m - 12, 1) : hc_date_from_ymd(y, m, 1);
}

/* Two fictional joint task forces for the task-force report (Gov. Code 7284.6(c)(1)), with the
 * arrests of today's year so far: one reporting by calendar month, one by quarters that start
 * in December, so its first quarter straddles the year and the report lists it without
 * counting it. The figures follow the month, not the random draws, so --history leaves the
 * rest of the demo as it was. */
static int demo_task_forces(struct hc_store *st, hc_day today, struct hc_arena *a,
                            struct hc_diag *d)
{
    static const char *const members[2][4] = {
        {"Example County Sheriff's Office", "Example City Police Department",
         "California Highway Patrol", "Federal Bureau of Investigation"},
        {"Example County Sheriff's Office", "Example County District Attorney",
         "California Department of Justice", "Drug Enforcement Administration"}};
    static const struct {
        const char *name, *purpose;
        int years_ago, month; /* joined on the 1st of month, years_ago before today's year */
    } tfs[2] = {
        {"Example County Regional Auto Theft Task Force",
         "Demo (fictional): investigate organized vehicle theft, chop shops and catalytic "
         "converter theft rings across the county", 2, 3},
        {"Example Valley Narcotics Task Force",
         "Demo (fictional): investigate drug trafficking organizations supplying the valley", 1,
         6}};
    struct taskforce_new t;
    char joined[11];
    int64_t id[2];
    int y, m, dd, k, rc = HC_OK;

    hc_date_to_ymd(today, &y, &m, &dd);
    for (k = 0; k < 2 && rc == HC_OK; k++) {
        memset(&t, 0, sizeof t);
        hc_date_format(hc_date_from_ymd(y - tfs[k].years_ago, tfs[k].month, 1), joined);
        t.name = tfs[k].name;
        t.purpose = tfs[k].purpose;
        t.members = members[k];
        t.nmembers = sizeof members[k] / sizeof members[k][0];
        t.joined = joined;
        rc = taskforce_add(st, &t, "demo", &id[k], d);
    }
    for (m = 1; m <= 12 && rc == HC_OK; m++)
        rc = demo_tf_entry(st, id[0], month_start(y, m), month_start(y, m + 1) - 1, today,
                           6 + (m * 7) % 11, 0, a, d);
    /* Quarters December-February, March-May, June-August, September-November. */
    for (m = 0; m < 4 && rc == HC_OK; m++) {
        hc_day first = m == 0 ? hc_date_from_ymd(y - 1, 12, 1) : month_start(y, 3 * m);
        rc = demo_tf_entry(st, id[1], first, month_start(y, 3 * m + 3) - 1, today,
                           14 + (m * 5) % 9, m == 2 ? 1 : 0, a, d);
    }
    return rc;
}

int cli_demo(int argc, char **argv)
{
    const char *db = NULL, *today_s = NULL, *csv_dir = NULL;
    struct hc_store *st = NULL;
    struct hc_catalog cat;
    struct hc_diag d;
    struct hc_arena a;
    struct demo_booking *x = NULL;
    struct store_agency ag = {0, 0, "{}"};
    char *arena_mem = NULL, *end;
    long nbook = 2000;
    unsigned long long seed = 1;
    int64_t existing = 0, id;
    struct demo_request *reqs = NULL;
    size_t nreqs_cap = 0;
    int i, rc = CLI_EXIT_USAGE, nreq = 0, cat_loaded = 0, history = 0, noverrides = 0;
    int outcomes[4] = {0, 0, 0, 0};
    hc_day today;
    int64_t last_min;

    hc_diag_clear(&d);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--bookings") == 0 && i + 1 < argc) {
            nbook = strtol(argv[++i], &end, 10);
            if (*end != '\0' || nbook < 1 || nbook > 9999999) {
                fprintf(stderr, "holdcheck demo: --bookings must be 1..999999 (9999999 with "
                                "--csv)\n");
                return CLI_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc) {
            csv_dir = argv[++i];
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoull(argv[++i], &end, 10);
            if (*end != '\0') {
                fprintf(stderr, "holdcheck demo: --seed must be a number\n");
                return CLI_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--history") == 0) {
            history = 1;
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            today_s = argv[++i];
        } else {
            return cli_arg_rest("demo", argv[i], usage);
        }
    }
    if ((db == NULL) == (csv_dir == NULL) || (db != NULL && nbook > 999999)) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (today_s != NULL) {
        if (hc_date_parse(today_s, strlen(today_s), &today) != 0) {
            fprintf(stderr, "holdcheck demo: --today must be YYYY-MM-DD\n");
            return CLI_EXIT_USAGE;
        }
    } else {
        char now[HC_CLOCK_LOCAL_LEN];
        hc_clock_local(hc_clock_now(), now);
        hc_date_parse(now, 10, &today);
    }
    rng_state = seed;
    if (csv_dir != NULL) /* the offense table is checked by the demo's database path and tests */
        return write_csv(csv_dir, nbook, today) == 0 ? CLI_EXIT_OK : CLI_EXIT_SOFTWARE;

    if (cli_catalog_load(&cat, NULL) != HC_OK) {
        rc = CLI_EXIT_SOFTWARE;
        goto out;
    }
    cat_loaded = 1;
    if (check_offenses(&cat, today) != 0) {
        rc = CLI_EXIT_SOFTWARE;
        goto out;
    }
    if (cli_store_open("demo", db, 0, &st) != 0) {
        goto out;
    }
    if (store_booking_count(st, &existing) != HC_OK || existing != 0) {
        fprintf(stderr, "holdcheck demo: %s already holds bookings; use a new database\n", db);
        goto out;
    }
    arena_mem = cli_xmalloc(DEMO_ARENA);
    hc_arena_init(&a, arena_mem, DEMO_ARENA);
    x = cli_xmalloc(sizeof *x);

    /* One transaction for the whole county: fast, and all or nothing. */
    rc = CLI_EXIT_SOFTWARE;
    if (store_begin(st) != HC_OK || store_agency_set(st, &ag, "demo") != HC_OK)
        goto fail;
    /* The last minute a request may have been received: the end of the day before today, or
     * now if that is earlier, in the demo's -08:00. */
    last_min = (int64_t)today * 1440 - 1;
    if (last_min > (hc_clock_now() - (int64_t)8 * 3600) / 60)
        last_min = (hc_clock_now() - (int64_t)8 * 3600) / 60;
    for (i = 0; i < nbook; i++) {
        make_booking(x, i, today);
        if (store_booking_add(st, &x->b, "demo", &id, &d) != HC_OK) {
            fprintf(stderr, "holdcheck demo: booking %s: %s: %s\n", x->no, d.field, d.msg);
            goto fail;
        }
        if (strcmp(x->b.booking.status, "in_custody") == 0 &&
            demo_bail_court(st, x->no, i, today, &a, &d) != HC_OK) {
            fprintf(stderr, "holdcheck demo: booking %s: %s: %s\n", x->no, d.field, d.msg);
            goto fail;
        }
        /* A few percent get a request; the k-th request has type k mod 15, so every type is
         * decided at least once whenever there are 15 requests or more. */
        if (pick(1000) < REQUEST_PERMILLE || (i == nbook - 1 && nreq == 0)) {
            struct store_request rq;
            struct intake_result res;
            hc_day booked;
            char recv[32];
            int type = nreq % HC_REQ_COUNT;
            int64_t when;
            int minute, day;
            memset(&rq, 0, sizeof rq);
            hc_date_parse(x->booked_at, 10, &booked);
            /* In the order the county has always been drawn in, so a seed gives the same one. */
            minute = 8 * 60 + pick(9 * 60);
            day = booked + pick(today - booked + 1 > 30 ? 30 : today - booked + 1);
            rq.judicial_warrant = pick(100) < 3;
            rq.federal_felony_warrant = pick(100) < 3;
            when = (int64_t)day * 1440 + minute;
            /* Intake refuses a time that cannot be: never before the booking, never after the
             * end of the day before today or after now. */
            if (when <= x->booked_min)
                when = x->booked_min + 1;
            if (when > last_min)
                when = last_min;
            if (when <= x->booked_min)
                continue; /* booked today: no request yet */
            fmt_time(recv, (hc_day)(when / 1440), (int)(when % 1440));
            rq.type = hc_request_name(type);
            rq.form = forms[type];
            rq.received_at = recv;
            rq.issuing_office = "ICE ERO Example Field Office";
            if (intake_submit(st, &cat, x->no, &rq, "demo", &a, &res, &d) != HC_OK) {
                fprintf(stderr, "holdcheck demo: request on %s: %s: %s\n", x->no, d.field, d.msg);
                goto fail;
            }
            if (res.outcome >= HC_OUT_PERMITTED && res.outcome <= HC_OUT_REVIEW)
                outcomes[res.outcome]++; /* the order of enum hc_outcome, as printed below */
            if (history) {
                if ((size_t)nreq == nreqs_cap) {
                    nreqs_cap = nreqs_cap ? 2 * nreqs_cap : 256;
                    reqs = cli_xrealloc(reqs, nreqs_cap * sizeof *reqs);
                }
                reqs[nreq].id = res.request_id;
                reqs[nreq].type = type;
                reqs[nreq].outcome = res.outcome;
                reqs[nreq].received = when;
                reqs[nreq].released = x->b.booking.released_at != NULL
                                          ? demo_minutes(x->b.booking.released_at)
                                          : -1;
            }
            nreq++;
        }
    }
    if (history && demo_history(st, reqs, (size_t)nreq, &a, &noverrides, &d) != HC_OK) {
        fprintf(stderr, "holdcheck demo: history: %s: %s\n", d.field, d.msg);
        goto fail;
    }
    if (history && demo_task_forces(st, today, &a, &d) != HC_OK) {
        fprintf(stderr, "holdcheck demo: history: task forces: %s: %s\n", d.field, d.msg);
        goto fail;
    }
    if (demo_publication(st) != HC_OK || store_commit(st) != HC_OK)
        goto fail;
    printf("demo: %s: %ld bookings (DEMO-000001 .. DEMO-%06ld), %d immigration requests decided:"
           " %d permitted, %d permitted with conditions, %d prohibited, %d review\n",
           db, nbook, nbook, nreq, outcomes[0], outcomes[1], outcomes[2], outcomes[3]);
    if (history)
        printf("demo: history: %d overrides; what was done with each hold, notification and "
               "transfer request is recorded (GET /api/v1/requests/{id}/actions); two joint task "
               "forces with their arrests (GET /api/v1/task-forces)\n", noverrides);
    rc = CLI_EXIT_OK;
    goto out;
fail:
    store_rollback(st);
out:
    free(reqs);
    free(x);
    free(arena_mem);
    store_close(st);
    if (cat_loaded)
        cli_catalog_free();
    return rc;
}

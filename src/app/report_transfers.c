/* SPDX-License-Identifier: MIT
 * report_transfers.c: the doj-transfers report (Gov. Code 7284.6(c)(2)): each transfer to
 * immigration authorities of a period, the basis that allowed it and the totals by basis and
 * by offense. The rule, the one place it is written: a transfer is a `transferred` action
 * (request_actions) whose time is in the period; its basis is the first qualifying fact of
 * its request's newest decision, as the engine wrote it (a judicial warrant or a judicial
 * probable-cause determination comes first, 7284.6(a)(4), then the 7282.5 facts in order),
 * when that decision's own outcome permitted the request; otherwise, or when the decision
 * names none, the basis is "not recorded" and counted as such, never guessed. */
#include <stdio.h>
#include <string.h>

#include "report_int.h"
#include "store_reports.h"

/* Figure groups and the keys that are not a provision or a citation. */
#define G_TOTAL "total"
#define G_BASIS "by_basis"
#define G_OFFENSE "by_offense"
#define G_FLAGS "flags"
#define K_NOT_RECORDED "not_recorded"
#define K_JW "judicial_warrant"
#define K_JPC "judicial_probable_cause"

/* The basis key of a transfer from the first qualifying fact (provision, fact) of a decision
 * whose own outcome is outcome: a judicial warrant, a judicial probable-cause determination,
 * the 7282.5 provision ("7282.5(a)(2)"), or K_NOT_RECORDED. */
static const char *basis_key(const char *outcome, const char *provision, const char *fact)
{
    if (outcome == NULL ||
        (strcmp(outcome, "permitted") != 0 && strcmp(outcome, "permitted_with_conditions") != 0))
        return K_NOT_RECORDED;
    if (fact != NULL && strcmp(fact, "request.judicial_warrant") == 0)
        return K_JW;
    if (fact != NULL && strcmp(fact, "request.judicial_probable_cause") == 0)
        return K_JPC;
    if (provision != NULL && strncmp(provision, "7282.5(", 7) == 0)
        return provision;
    return K_NOT_RECORDED;
}

/* The offense key of a transfer of basis key: the qualifying citation for a 7282.5 basis;
 * "none:" and the key for a judicial basis (no offense is needed); K_NOT_RECORDED when the
 * decision names none. */
static const char *offense_key(const char *key, const char *citation)
{
    if (strcmp(key, K_JW) == 0)
        return "none:" K_JW;
    if (strcmp(key, K_JPC) == 0)
        return "none:" K_JPC;
    if (strcmp(key, K_NOT_RECORDED) == 0 || citation == NULL || citation[0] == '\0')
        return K_NOT_RECORDED;
    return citation;
}

static const char *basis_label(const char *key)
{
    if (strcmp(key, K_JW) == 0)
        return "A judicial warrant (Gov. Code 7284.6(a)(4))";
    if (strcmp(key, K_JPC) == 0)
        return "A judicial probable cause determination (Gov. Code 7284.6(a)(4))";
    if (strcmp(key, K_NOT_RECORDED) == 0)
        return "Basis not recorded: the decision in the record names no fact that allowed the "
               "transfer";
    return NULL; /* the caller writes "Gov. Code " and the provision */
}

/* Count one transfer under its basis and offense (and as contrary when it was). */
static void count_transfer(struct report_ctx *r, int64_t request_id, const char *bkey,
                           const char *okey, const char *offense_text, int contrary)
{
    char label[300];
    const char *bl = basis_label(bkey);
    report__count(r, G_TOTAL, "transfers", NULL, request_id);
    if (bl == NULL) {
        snprintf(label, sizeof label, "Gov. Code %s", bkey);
        bl = label;
    }
    report__count(r, G_BASIS, bkey, bl, request_id);
    if (strncmp(okey, "none:", 5) == 0)
        report__count(r, G_OFFENSE, okey, "No offense: the transfer rests on a judicial order",
                      request_id);
    else if (strcmp(okey, K_NOT_RECORDED) == 0)
        report__count(r, G_OFFENSE, okey, "Offense not recorded", request_id);
    else {
        snprintf(label, sizeof label, "%s%s%s", okey, offense_text ? ": " : "",
                 offense_text ? offense_text : "");
        report__count(r, G_OFFENSE, okey, label, request_id);
    }
    if (contrary)
        report__count(r, G_FLAGS, "contrary", NULL, request_id);
}

/* The figures every doj-transfers report shows, even at zero. */
static void declare_figures(struct report_ctx *r)
{
    report__figure(r, G_TOTAL, "transfers",
                   "Transfers to immigration authorities (Gov. Code 7284.6(a)(4))");
    report__figure(r, G_BASIS, K_NOT_RECORDED, basis_label(K_NOT_RECORDED));
    report__figure(r, G_FLAGS, "contrary",
                   "Transfers recorded as contrary to the outcome in force (flagged)");
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int build(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_report_transfer *t = NULL;
    size_t n = 0, i;
    int rc;

    declare_figures(r);
    report__track_reads(r, REPORT_TABLE(STORE_REPORT_ACTIONS) |
                           REPORT_TABLE(STORE_REPORT_DECISIONS) |
                           REPORT_TABLE(STORE_REPORT_OVERRIDES));
    if ((rc = store_report_transfers(st, r->from_utc, r->to_utc, r->a, &t, &n)) != HC_OK)
        return hc_diag_set(d, "from", "the transfers of the period could not be read", NULL),
               rc;
    for (i = 0; i < n; i++) {
        json_t *dec = t[i].decision_json ? json_loads(t[i].decision_json, 0, NULL) : NULL;
        json_t *q0 = json_array_get(json_object_get(dec, "qualifying"), 0);
        const char *bkey = basis_key(jstr(dec, "outcome"), jstr(q0, "provision"),
                                     jstr(q0, "fact"));
        const char *okey = offense_key(bkey, jstr(q0, "citation"));
        /* The catalog's words for the offense, when the offense is the qualifying citation. */
        const char *otext = okey == jstr(q0, "citation") ? jstr(q0, "offense") : NULL;
        char day[HC_CLOCK_DATE_LEN];
        json_t *row = json_object();

        count_transfer(r, t[i].request_id, bkey, okey, otext, t[i].contrary);
        report__ruleset(r, t[i].ruleset);
        report__read(r, STORE_REPORT_ACTIONS, t[i].action_id);
        report__read(r, STORE_REPORT_DECISIONS, t[i].decision_id);
        report__read(r, STORE_REPORT_OVERRIDES, t[i].override_id);
        report__local_date(t[i].at_epoch, day);
        json_object_set_new(row, "action_id", json_integer(t[i].action_id));
        json_object_set_new(row, "request_id", json_integer(t[i].request_id));
        json_object_set_new(row, "date", json_string(day));
        json_object_set_new(row, "request_type", json_string(t[i].request_type));
        json_object_set_new(row, "basis", json_string(bkey));
        json_object_set_new(row, "offense", json_string(okey));
        json_object_set_new(row, "offense_text", otext ? json_string(otext) : json_null());
        json_object_set_new(row, "level", jstr(q0, "level") && strcmp(bkey, K_NOT_RECORDED) != 0
                                              ? json_string(jstr(q0, "level"))
                                              : json_null());
        json_object_set_new(row, "outcome_in_force",
                            t[i].outcome ? json_string(t[i].outcome) : json_null());
        json_object_set_new(row, "contrary", json_boolean(t[i].contrary));
        json_array_append_new(r->rows, row);
        json_decref(dec);
    }
    return HC_OK;
}

/* The same figures from STORE_TALLY_TRANSFERS: the first qualifying fact read by SQL's
 * json_extract, the newest decision found again without the view request_outcome. */
static int tally(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_report_tally *t = NULL;
    size_t n = 0, i;
    int rc;

    declare_figures(r);
    if ((rc = report__tally(st, r, STORE_TALLY_TRANSFERS, &t, &n, d)) != HC_OK)
        return rc;
    for (i = 0; i < n; i++) {
        const char *bkey = basis_key(t[i].v[3], t[i].v[0], t[i].v[1]);
        count_transfer(r, t[i].request_id, bkey, offense_key(bkey, t[i].v[2]), NULL,
                       t[i].n[0] != 0);
    }
    return HC_OK;
}

const struct report_kind report_doj_transfers = {
    "doj-transfers",
    "doj-transfers/1",
    "Transfers to immigration authorities and the offense that allowed each",
    "Gov. Code 7284.6(c)(2): law enforcement agencies shall report to the department annually "
    "the number of transfers pursuant to paragraph (4) of subdivision (a), \"and the offense "
    "that allowed for the transfer\". Gov. Code 7284.6(a)(4): no transfer \"unless authorized "
    "by a judicial warrant or judicial probable cause determination, or in accordance with "
    "Section 7282.5\".",
    build,
    tally,
    NULL,
};

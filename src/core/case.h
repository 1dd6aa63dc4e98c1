/* SPDX-License-Identifier: MIT
 * case.h: one request to decide: the request, the person's record, the agency's publication
 * settings, policy and interpretive settings, and the date. Field meanings are documented in
 * docs/case-format.md; an absent optional boolean means "not the case", an absent level, date,
 * wobbler or prop47_reduced means "not known". */
#ifndef HC_CASE_H
#define HC_CASE_H

#include <stddef.h>

#include "arena.h"
#include "cite.h"
#include "date.h"
#include "err.h"

enum hc_request_type {
    HC_REQ_HOLD = 0,
    HC_REQ_NOTIFICATION,
    HC_REQ_TRANSFER,
    HC_REQ_INTERVIEW,
    HC_REQ_PERSONAL_INFO,
    HC_REQ_CRIMINAL_HISTORY,
    HC_REQ_STATUS_INQUIRY,
    HC_REQ_CIVIL_WARRANT_ARREST,
    HC_REQ_OFFICER_FUNCTIONS,
    HC_REQ_BORDER_SEARCH,
    HC_REQ_INTERPRETER,
    HC_REQ_OFFICE_SPACE,
    HC_REQ_DETENTION_CONTRACT,
    HC_REQ_STATUS_EXCHANGE,
    HC_REQ_VISA_CERTIFICATION,
    HC_REQ_COUNT
};

/* The request type's name in the case format ("hold", ...), or NULL for an invalid value. */
const char *hc_request_name(int type);
/* The request type named s[0..n), or -1. */
int hc_request_from_name(const char *s, size_t n);

enum hc_policy {
    HC_POLICY_STATE_LAW = 0,     /* follow state law */
    HC_POLICY_NEVER,             /* the agency never does this */
    HC_POLICY_SERIOUS_VIOLENT,   /* only for 7282.5(a)(1) serious or violent felony convictions */
    HC_POLICY_JUDICIAL_WARRANT,  /* transfers only on a judicial warrant or determination */
    HC_POLICY_ALWAYS,            /* the agency wants to honor every such request */
};

enum hc_juris { HC_JURIS_CA = 0, HC_JURIS_FEDERAL, HC_JURIS_OTHER };

/* The jurisdiction a conviction's `jurisdiction` names: "CA" or "California", "federal" or
 * "US", anything else another state. */
enum hc_juris hc_juris_from_name(const char *name);

/* Whether a conviction's stated jurisdiction contradicts its citation: federal for a citation
 * that is not to the United States Code, or California for one that is. Returns the message
 * to show for the jurisdiction field, or NULL when they agree (another state's name agrees
 * with any citation: its own code is not parsed) or jurisdiction is NULL. */
const char *hc_juris_conflict(const struct hc_cite *c, const char *jurisdiction);

/* Interpretive settings (docs/case-format.md, "Settings"). Zero values are the defaults. */
enum hc_prop47_scope { HC_P47_OFFENSE = 0, HC_P47_PERSON };
enum hc_prison_at { HC_PRISON_REVIEW = 0, HC_PRISON_CONVICTION, HC_PRISON_DECISION };
enum hc_juvenile { HC_JUV_EXCLUDE = 0, HC_JUV_COUNT };
enum hc_expunged { HC_EXP_COUNT = 0, HC_EXP_EXCLUDE };

struct hc_settings {
    unsigned char prop47_scope;   /* enum hc_prop47_scope */
    unsigned char prison_at;      /* enum hc_prison_at */
    unsigned char juvenile;       /* enum hc_juvenile */
    unsigned char expunged;       /* enum hc_expunged */
    unsigned char sb54_jan4;      /* values_act_start is 2018-01-04 */
};

struct hc_conviction {
    const char *citation;      /* as written; in the arena */
    struct hc_cite cite;
    int cite_ok;               /* the citation parsed */
    const char *cite_error;    /* why not; in the arena */
    unsigned char level;       /* enum hc_level; UNKNOWN when absent and no suffix */
    hc_day date;               /* HC_DAY_NONE when absent */
    signed char wobbler;       /* -1 absent, 0, 1 */
    signed char prop47;        /* prop47_reduced: -1 absent, 0, 1 */
    char agg;                  /* 0 absent or false, 'A'..'U', '?' when true (fact only) */
    unsigned char agg_false;   /* federal_aggravated_felony: false was given */
    unsigned char juris;       /* enum hc_juris */
    const char *juris_name;    /* as written, or NULL */
    struct hc_cite equiv;      /* ca_equivalent */
    unsigned char has_equiv;
    unsigned char equiv_ok;
    unsigned char juvenile, strike_adjudication, expunged;
};

struct hc_charge {
    const char *citation;
    struct hc_cite cite;
    int cite_ok;
    const char *cite_error;
    unsigned char level;
    unsigned char magistrate_pc;
};

struct hc_case {
    const char *id;            /* NULL when absent; raw JSON text of the id when numeric */
    unsigned char id_is_number;
    hc_day as_of;
    unsigned char type;        /* enum hc_request_type */
    const char *form;          /* NULL when absent */
    unsigned char judicial_warrant, judicial_pc, federal_felony_warrant;
    struct hc_conviction *conv;
    size_t nconv;
    struct hc_charge *charges;
    size_t ncharges;
    unsigned char registrant_290;
    unsigned char release_public, personal_public;
    unsigned char policy[HC_REQ_COUNT]; /* enum hc_policy per request type */
    struct hc_settings settings;
};

#define HC_CASE_MAX_RECORDS 500 /* convictions or charges in one case */

/* Read one JSON case from s[0..len) starting at *pos. On success fills *out (strings and
 * arrays in a), advances *pos past the value and returns 0. Returns HC_EINVAL with d->field and
 * d->msg set for any malformed or unknown input (d->line is the 1-based line of the error,
 * counted from line `line0` at s[*pos]), HC_ENOENT when only whitespace remains, or HC_ENOMEM
 * when a is too small. s need not be NUL-terminated. */
int hc_case_read(const char *s, size_t len, size_t *pos, int line0, struct hc_case *out,
                 struct hc_arena *a, struct hc_diag *d);

#endif

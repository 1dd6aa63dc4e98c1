/* SPDX-License-Identifier: MIT
 * engine.h: the decision engine. hc_decide applies the California law in force on the case's
 * date to one request and records the outcome, the provisions that decided it, the record facts
 * that satisfied them, the duties that attach, what is missing when the answer is `review`,
 * conflicts with agency policy, and the interpretive settings that changed the outcome.
 *
 * The engine is pure: no I/O, no globals, no allocation. A decision is a fixed-size value;
 * render.h turns it into JSON or plain language. */
#ifndef HC_ENGINE_H
#define HC_ENGINE_H

#include "case.h"
#include "catalog.h"
#include "err.h"

/* The engine's version: which rules, as code, decided. Raised by one whenever a change to
 * src/core (engine.c, catalog.c's lookup, case_json.c, case_charges.c, charge.c, cite.c,
 * date.c) can change an outcome, a basis or a missing fact for some case: a new rule, a fixed
 * rule, a new way of reading a citation. 2: a less specific citation's felony sentence is read
 * from the narrower rows that allow a felony only. Not raised for a change of wording only (render.c's texts) or of the
 * catalog's rows (hc_catalog_version tells those). Stored in each decision's trace, so a
 * replay tells whether the code that decided differs from today's. */
#define HC_ENGINE_VERSION 2

enum hc_outcome {
    HC_OUT_PERMITTED = 0,
    HC_OUT_PERMITTED_COND, /* permitted_with_conditions: only after a prior step (interviews) */
    HC_OUT_PROHIBITED,
    HC_OUT_REVIEW,         /* a fact the outcome depends on is missing; see missing[] */
};

enum hc_ruleset {
    HC_RULES_TRUST = 0, /* CA-2014-01-01: TRUST Act (Stats. 2013, ch. 570), holds only */
    HC_RULES_TRUTH,     /* CA-2017-01-01: TRUST Act and TRUTH Act (Stats. 2016, ch. 768) */
    HC_RULES_VALUES,    /* CA-2018-01-01: Values Act (Stats. 2017, ch. 495), amended TRUST, TRUTH */
};

/* Provisions a decision can rest on. render.c holds their citations and plain texts. */
enum hc_prov {
    HC_P_7284_6_A1A, HC_P_7284_6_A1B, HC_P_7284_6_A1C, HC_P_7284_6_A1D, HC_P_7284_6_A1E,
    HC_P_7284_6_A1F, HC_P_7284_6_A1G, HC_P_7284_6_A2, HC_P_7284_6_A3, HC_P_7284_6_A4,
    HC_P_7284_6_A5, HC_P_7284_6_A6,
    HC_P_7284_6_B2, HC_P_7284_6_B4, HC_P_7284_6_B5, HC_P_7284_6_E,
    HC_P_7282_5_A1, HC_P_7282_5_A2, HC_P_7282_5_A3, HC_P_7282_5_A4, HC_P_7282_5_A5,
    HC_P_7282_5_A6, HC_P_7282_5_B,
    /* The TRUST Act's own numbering, 2014-01-01 to 2017-12-31. */
    HC_P_T_A1, HC_P_T_A2, HC_P_T_A3, HC_P_T_A4, HC_P_T_A5, HC_P_T_A6, HC_P_T_B,
    HC_P_T_HOLDS_ONLY,   /* before 2018 no statute restricted anything but holds */
    HC_P_7282_FG,        /* out-of-state serious and violent felonies */
    HC_P_7282_A,         /* "conviction" as in PC 667(d): federal convictions by their elements */
    HC_P_POLICY,         /* the agency's own policy */
    HC_P_7283_1_A,       /* TRUTH Act (from 2017-01-01): interviews only with written consent */
    HC_P_PRE2018_NONE,   /* before 2018 no statute limited this request (the TRUST Act: holds) */
    HC_P_COUNT
};

struct hc_basis {
    unsigned char prov; /* enum hc_prov */
    unsigned char cat;  /* category index + 1 for HC_P_7282_5_A3 / HC_P_T_A3, else 0 */
};

enum hc_fact {
    HC_FACT_CONVICTION = 0, HC_FACT_CHARGE, HC_FACT_REGISTRANT, HC_FACT_FEDERAL_WARRANT,
    HC_FACT_JUDICIAL_WARRANT, HC_FACT_JUDICIAL_PC, HC_FACT_RELEASE_PUBLIC,
    HC_FACT_PERSONAL_PUBLIC,
};

/* A record fact that satisfied a provision. */
struct hc_qual {
    unsigned char prov;      /* enum hc_prov */
    unsigned char cat;       /* category index + 1, for (a)(3) */
    unsigned char fact;      /* enum hc_fact */
    unsigned char para;      /* PC 1192.7(c) paragraph (or 667.5(c) when violent_para) */
    unsigned char vpara;     /* PC 667.5(c) paragraph */
    char agg;                /* 1101(a)(43) letter for (a)(5) */
    unsigned char years;     /* lookback in years, 0 when none applied */
    unsigned short idx;      /* conviction or charge index */
    hc_day window_from;      /* lookback: convictions after this day count */
};

enum hc_missing_what {
    HC_M_CITATION_UNREADABLE = 0, HC_M_CITATION_UNKNOWN, HC_M_LEVEL, HC_M_DATE,
    HC_M_SUBDIVISION, HC_M_SENTENCE, HC_M_WOBBLER, HC_M_PROP47, HC_M_AGG_LETTER,
    HC_M_TARGET, HC_M_OUT_OF_STATE, HC_M_PRISON_READING, HC_M_STRIKE_ADJUDICATION,
    HC_M_LEVEL_CONFLICT,      /* the record says felony; the offense is a misdemeanor only */
    HC_M_LEVEL_CONFLICT_MISD, /* the record says misdemeanor; the offense is a felony only */
    HC_M_DATE_SENTENCE,       /* no date, and the section's state-prison status changed over time */
    HC_M_PROP47_FELONY,       /* a pre-Prop 47 felony that may have been reduced (PC 1170.18) */
    HC_M_ADMIN_WARRANT,       /* judicial_warrant claimed, but the form is an administrative one */
    HC_M_PROP47_CONFLICT,     /* prop47_reduced true for an offense Prop 47 did not reclassify */
    HC_M_JUVENILE_REACH,      /* juvenile_adjudications=count: whether PC 667(d)(3) reaches it */
};

/* A fact the outcome depends on but the case does not give. */
struct hc_missing {
    unsigned char what;      /* enum hc_missing_what */
    unsigned char fact;      /* HC_FACT_CONVICTION or HC_FACT_CHARGE */
    unsigned char prov;      /* the provision that needs it */
    unsigned short idx;
};

enum hc_duty {
    HC_D_COPY_REQUEST = 0, /* 7283.1(b): copy of the request and whether the agency will comply */
    HC_D_SAME_NOTICE,      /* 7283.1(b): release notice in writing to the person and attorney */
    HC_D_CONSENT_FORM,     /* 7283.1(a): written consent form before any interview */
    HC_D_PUBLIC_RECORDS,   /* 7283.1(c): records of ICE access are public records */
    HC_D_NOT_REQUIRED,     /* 7284.6(a)(1)(C): responses are never required */
    HC_D_LOCAL_POLICY,     /* 7282.5(a): only where no law or local policy is violated */
    HC_D_REPORT_TRANSFER,  /* 7284.6(c)(2): count the transfer and its offense for DOJ */
    HC_D_STATE_LAW_HISTORY,/* 7284.6(b)(2): only where otherwise permitted by state law */
    HC_D_HOLD_48H,         /* TRUST Act 7282(c): at most 48 hours, excluding weekends, holidays */
    HC_D_COUNT
};

enum hc_note {
    HC_N_FUTURE_CONVICTION = 0, /* idx: a conviction dated after as_of was not counted */
    HC_N_JUVENILE_EXCLUDED,     /* idx */
    HC_N_EXPUNGED_EXCLUDED,     /* idx */
    HC_N_AGG_OUTSIDE_A_P,       /* idx: a federal aggravated felony under (Q)-(U) */
    HC_N_HOLD_WARRANT,          /* a judicial warrant supports a transfer, not a hold */
    HC_N_MAGISTRATE_NOT_TRANSFER, /* a 7282.5(b) finding exists but opens notification only */
    HC_N_PUBLIC_NOT_TRANSFER,   /* release dates are public, which does not open a transfer */
    HC_N_SB54_FIRST_DAYS,       /* as_of is 2018-01-01..03 (DOJ bulletin says January 4) */
    HC_N_PROP47_BLOCKED,        /* idx: a Prop 47 misdemeanor was not counted (7282.5(a)(6)) */
    HC_N_PROP47_PERSON,         /* the person-level Prop 47 exclusion applied */
    HC_N_AGG_NOT_FEDERAL,       /* idx: a state conviction flagged as aggravated felony */
    HC_N_STATUS_EXCHANGE,       /* 7284.6(e) status information exchange remains possible */
    HC_N_CIVIL_WARRANT_JUDICIAL, /* a judge's criminal warrant is not a civil immigration one */
    HC_N_JUVENILE_NOT_REACHED,  /* idx: count setting, but PC 667(d)(3) does not reach it */
    HC_N_POLICY_1373,           /* a policy restricting status exchange: 8 USC 1373(a) */
};

struct hc_note_ent {
    unsigned char note; /* enum hc_note */
    unsigned short idx;
};

/* Settings reported when they changed the outcome (bits). */
enum {
    HC_SET_PROP47_SCOPE = 1 << 0,
    HC_SET_PRISON_AT = 1 << 1,
    HC_SET_JUVENILE = 1 << 2,
    HC_SET_EXPUNGED = 1 << 3,
    HC_SET_SB54_START = 1 << 4,
};

#define HC_MAX_BASIS 24
#define HC_MAX_QUAL 48
#define HC_MAX_MISSING 24
#define HC_MAX_NOTE 16
#define HC_MAX_CONFLICT 2

struct hc_decision {
    unsigned char outcome;      /* enum hc_outcome */
    unsigned char ruleset;      /* enum hc_ruleset */
    unsigned char type;         /* enum hc_request_type */
    unsigned char policy;       /* enum hc_policy applied to this type */
    unsigned char by_policy;    /* the agency policy, not state law, decided the outcome */
    unsigned char state_outcome;/* what state law alone gave */
    unsigned char settings_changed;
    unsigned char nbasis, nqual, nmissing, nnote, nconflict;
    unsigned short qual_dropped, missing_dropped;
    uint32_t duties;            /* bits of enum hc_duty */
    struct hc_basis basis[HC_MAX_BASIS];
    struct hc_qual qual[HC_MAX_QUAL];
    struct hc_missing missing[HC_MAX_MISSING];
    struct hc_note_ent note[HC_MAX_NOTE];
    unsigned char conflict[HC_MAX_CONFLICT]; /* enum hc_prov the policy conflicts with */
};

/* Decide case c against catalog cat into *out. Returns 0, or HC_ERANGE with d->field "as_of"
 * when the date is before 2014-01-01, the first law holdcheck encodes. Thread-safe: reads only
 * c and cat. */
int hc_decide(const struct hc_catalog *cat, const struct hc_case *c, struct hc_decision *out,
              struct hc_diag *d);

/* The ruleset in force on day for the given settings, or -1 before 2014-01-01. */
int hc_ruleset_for(hc_day day, const struct hc_settings *s);

#endif

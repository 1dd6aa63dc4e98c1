/* SPDX-License-Identifier: MIT
 * engine.c: California law on cooperation with immigration authorities, as code.
 *
 * Every test on the record is three-valued (HC_NO, HC_YES, HC_MAYBE): MAYBE means the answer
 * depends on a fact the case does not give, and the fact is recorded in missing[]. A route that
 * is YES permits; otherwise any MAYBE gives `review`; otherwise the request is prohibited.
 *
 * Map of the law (docs/engine.md has the long form):
 *   ruleset      Values Act era (>= 2018-01-01)           TRUST era (2014-01-01..2017-12-31)
 *   hold         prohibited, 7284.6(a)(1)(B)              7282.5(a)(1)-(6) old numbering, else (b)
 *   notification public (7284.6(a)(1)(C)), 7282.5(a), (b)  not restricted
 *   transfer     judicial warrant/PC (7284.6(a)(4)), 7282.5(a)   not restricted
 *   interview    permitted_with_conditions, 7284.6(b)(5) + 7283.1(a)  (TRUTH from 2017-01-01)
 *   others       7284.6(a)(1)(A),(D),(E),(F),(G),(a)(3),(5),(6),(b)(2),(b)(4),(e)
 * TRUTH Act duties (7283.1) attach from 2017-01-01 whatever the outcome. */
#include "engine.h"

#include <stddef.h>
#include <string.h>

#define DAY_2014 16071 /* 2014-01-01 */
#define DAY_2017 17167 /* 2017-01-01 */
#define DAY_2018 17532 /* 2018-01-01 */
#define DAY_2018_JAN4 17535
#define DAY_PROP47 16379 /* 2014-11-05: Proposition 47 (PC 1170.18) in force */
#define DAY_1900 (-25567) /* 1900-01-01: the earliest date a case may give */

/* What the catalog says of a federal citation, for 7282.5(a)(5). */
struct fed {
    unsigned char found;     /* the catalog knows the federal offense */
    char kind;               /* its kind ('F', 'M', ...) */
    char agg;                /* 8 USC 1101(a)(43) subparagraph, 0 for none */
    unsigned char agg_cond;  /* the subparagraph depends on facts not in the citation */
    unsigned char no_ca;     /* no California offense has its elements (catalog `none`) */
};

/* What the catalog says of one record entry. It does not depend on the settings, so it is
 * resolved once per hc_decide and shared by the settings re-runs. */
struct rec {
    struct hc_offense off;   /* the California offense: as of the conviction date (as_of for
                              * charges and for the ca_equivalent of another jurisdiction's) */
    struct fed fed;          /* a federal conviction's own citation */
    unsigned char resolved;  /* off, have_off and fed are filled (resolution is lazy) */
    unsigned char have_off;  /* off describes the offense */
    unsigned char sent_dec;  /* sentencing on as_of: enum hc_sentence, or SENT_NOT_YET */
    unsigned char sent_any;  /* undated conviction: SENT_ANY_DONE | sentencing bits on any day */
    unsigned char p47_now;   /* the offense on as_of: P47_UNKNOWN, P47_LEFT, P47_RECLASSIFIED,
                              * or P47_NOT_YET */
};
#define SENT_NOT_YET 0xff
#define SENT_ANY_DONE 0x80
#define P47_NOT_YET 0xff
enum { P47_UNKNOWN, P47_LEFT, P47_RECLASSIFIED }; /* not in the catalog; prop47 '-'; 'Y','P','?' */

struct ctx {
    const struct hc_catalog *cat;
    const struct hc_case *c;
    struct hc_settings st;
    int ruleset;
    struct hc_decision *d;
    struct rec *conv;       /* one per conviction, resolved once */
    struct rec *charge;     /* one per pending charge */
    hc_day *cuts;           /* lookback cut-offs for 5 and 15 years, HC_DAY_NONE until needed */
    int quiet;              /* a settings re-run: only the outcome matters */
    unsigned indep;         /* settings (HC_SET_*) some 7282.5 YES route does not depend on */
    unsigned indep_outside; /* the same for routes outside 7282.5 (public dates, warrants) */
    unsigned touched;       /* settings whose other values might change the outcome */
    int a6_blocked;         /* the Prop 47 exclusion kept some offense from qualifying */
    int jw;                 /* a judicial warrant (7284.4(i)) the form does not contradict */
    int jw_doubt;           /* judicial_warrant claimed for an administrative form (I-200...) */
    int jpc;                /* a judicial probable-cause determination (7284.4(h)), likewise */
    int jpc_doubt;          /* judicial_probable_cause claimed for an administrative form */
};

/* Whether form names an administrative immigration warrant or order, signed by an immigration
 * officer and not by a judge: I-200 (arrest), I-203 (detain or release), I-205 (removal).
 * None is a "judicial warrant" (Gov. Code 7284.4(i)); digest section 16. Case, spaces and
 * hyphens are ignored. */
static int admin_form(const char *form)
{
    char n[8];
    size_t k = 0;
    if (form == NULL)
        return 0;
    for (; *form != '\0' && k < sizeof n - 1; form++)
        if (*form != '-' && *form != ' ')
            n[k++] = (char)(*form >= 'a' && *form <= 'z' ? *form - 'a' + 'A' : *form);
    if (*form != '\0')
        return 0;
    n[k] = '\0';
    return strcmp(n, "I200") == 0 || strcmp(n, "I203") == 0 || strcmp(n, "I205") == 0;
}

/* Per-conviction facts, resolved once. */
struct cf {
    unsigned char usable;   /* enum hc_tri: counts as a conviction */
    unsigned char level;    /* enum hc_level, from the record or the catalog */
    unsigned char juris;
    unsigned char have_off; /* off describes the offense (citation read, or an equivalent) */
    unsigned char p47_open; /* a felony record that may since have been reduced under
                             * Proposition 47 (PC 1170.18); prop47_reduced not given */
    unsigned char p47_conflict; /* prop47_reduced true for an offense Prop 47 left alone */
    unsigned char juv_reach_open; /* juvenile, count setting: whether PC 667(d)(3) reaches it
                                   * depends on facts the citation does not give */
    struct hc_offense off;  /* the California offense (7282.5(a)(1)-(3)): the citation as of
                             * the conviction date (as_of when unknown), or the ca_equivalent of
                             * a conviction in another jurisdiction as of as_of */
    struct fed fed;         /* a federal conviction's own citation (7282.5(a)(5)) */
};

static int tri_or(int a, int b)
{
    if (a == HC_YES || b == HC_YES)
        return HC_YES;
    if (a == HC_MAYBE || b == HC_MAYBE)
        return HC_MAYBE;
    return HC_NO;
}

/* ---- recording --------------------------------------------------------------------------- */

static void add_basis(struct hc_decision *d, int prov, int cat)
{
    int i;
    for (i = 0; i < d->nbasis; i++)
        if (d->basis[i].prov == prov && d->basis[i].cat == cat)
            return;
    if (d->nbasis < HC_MAX_BASIS) {
        d->basis[d->nbasis].prov = (unsigned char)prov;
        d->basis[d->nbasis].cat = (unsigned char)cat;
        d->nbasis++;
    }
}

static struct hc_qual *add_qual(struct hc_decision *d, int prov, int fact, size_t idx)
{
    struct hc_qual *q;
    if (d->nqual >= HC_MAX_QUAL) {
        d->qual_dropped++;
        return NULL;
    }
    q = &d->qual[d->nqual++];
    memset(q, 0, sizeof *q);
    q->prov = (unsigned char)prov;
    q->fact = (unsigned char)fact;
    q->idx = (unsigned short)idx;
    return q;
}

static void add_missing(struct hc_decision *d, int what, int fact, int prov, size_t idx)
{
    int i;
    for (i = 0; i < d->nmissing; i++)
        if (d->missing[i].what == what && d->missing[i].fact == fact && d->missing[i].idx == idx)
            return;
    if (d->nmissing >= HC_MAX_MISSING) {
        d->missing_dropped++;
        return;
    }
    d->missing[d->nmissing].what = (unsigned char)what;
    d->missing[d->nmissing].fact = (unsigned char)fact;
    d->missing[d->nmissing].prov = (unsigned char)prov;
    d->missing[d->nmissing].idx = (unsigned short)idx;
    d->nmissing++;
}

static void add_note(struct hc_decision *d, int note, size_t idx)
{
    int i;
    if (d->nnote == 0xff)
        return; /* a quiet re-run */
    for (i = 0; i < d->nnote; i++)
        if (d->note[i].note == note && d->note[i].idx == idx)
            return;
    if (d->nnote < HC_MAX_NOTE) {
        d->note[d->nnote].note = (unsigned char)note;
        d->note[d->nnote].idx = (unsigned short)idx;
        d->nnote++;
    }
}

static void duty(struct hc_decision *d, int duty_id)
{
    d->duties |= (uint32_t)1u << duty_id;
}

/* ---- settings independence --------------------------------------------------------------- */

#define SET_RECORD (HC_SET_PRISON_AT | HC_SET_JUVENILE | HC_SET_EXPUNGED)
#define SET_ALL (SET_RECORD | HC_SET_PROP47_SCOPE)

/* Settings that a YES resting on conviction i does not depend on. Every 7282.5 route depends on
 * prop47_scope (the person-level reading shuts them all). */
static unsigned conv_indep(const struct hc_conviction *cv, int prison_reading_matters)
{
    unsigned m = 0;
    if (!prison_reading_matters)
        m |= HC_SET_PRISON_AT;
    if (!cv->juvenile)
        m |= HC_SET_JUVENILE;
    if (!cv->expunged)
        m |= HC_SET_EXPUNGED;
    return m;
}

/* ---- catalog facts, resolved on first use -------------------------------------------------- */

static const struct rec *conv_rec(struct ctx *x, size_t i)
{
    struct rec *r = &x->conv[i];
    if (!r->resolved) {
        const struct hc_conviction *cv = &x->c->conv[i];
        r->resolved = 1;
        r->have_off = 0;
        r->sent_dec = SENT_NOT_YET;
        r->sent_any = 0;
        r->p47_now = P47_NOT_YET;
        memset(&r->fed, 0, sizeof r->fed);
        if (cv->juris != HC_JURIS_CA) {
            /* 7282(f), (g): an offense in another state that "would be" a serious or violent
             * felony if committed in California; 7282(a) and PC 667(d): a conviction in another
             * jurisdiction, a federal court included, for an offense with all the elements of
             * the California one. Judged by California law on the decision date. */
            if (cv->has_equiv && cv->equiv_ok) {
                hc_catalog_resolve(x->cat, &cv->equiv, x->c->as_of, &r->off);
                r->have_off = 1;
            }
            if (cv->juris == HC_JURIS_FEDERAL && cv->cite_ok) {
                struct hc_offense o;
                hc_catalog_resolve(x->cat, &cv->cite,
                                   cv->date != HC_DAY_NONE ? cv->date : x->c->as_of, &o);
                r->fed.found = o.found;
                r->fed.kind = o.kind;
                r->fed.agg = o.agg;
                r->fed.agg_cond = o.agg_cond;
                r->fed.no_ca = o.no_ca;
            }
        } else if (cv->cite_ok) {
            /* The offense as of the conviction; the serious and violent lists (and any other
             * list row) as they read on the decision date. */
            hc_catalog_resolve_at(x->cat, &cv->cite,
                                  cv->date != HC_DAY_NONE ? cv->date : x->c->as_of, x->c->as_of,
                                  &r->off);
            r->have_off = 1;
        }
    }
    return r;
}

static const struct rec *charge_rec(struct ctx *x, size_t j)
{
    struct rec *r = &x->charge[j];
    if (!r->resolved) {
        r->resolved = 1;
        r->have_off = (unsigned char)x->c->charges[j].cite_ok;
        if (r->have_off)
            hc_catalog_resolve(x->cat, &x->c->charges[j].cite, x->c->as_of, &r->off);
    }
    return r;
}

/* ---- conviction facts -------------------------------------------------------------------- */

static unsigned char level_from_kind(char kind)
{
    switch (kind) {
    case 'F':
    case 'E': return HC_LEVEL_FELONY;
    case 'M': return HC_LEVEL_MISDEMEANOR;
    case 'I': return HC_LEVEL_INFRACTION;
    default: return HC_LEVEL_UNKNOWN;
    }
}

/* Whether a California felony record may since have been reduced to a misdemeanor under
 * Proposition 47 (PC 1170.18): HC_MAYBE when prop47_reduced is not given, the conviction is
 * dated before 2014-11-05 (or not dated), the decision is on or after that day, and the offense
 * is one Proposition 47 reclassified (the catalog on as_of). A felony conviction dated later is
 * one the law still allowed (the catalog's `R` rows). */
/* What the catalog on as_of says of conviction i's offense and Proposition 47 (P47_...),
 * resolved once. The citation must have been read. */
static int prop47_today(struct ctx *x, size_t i)
{
    struct rec *r = &x->conv[i];
    if (r->p47_now == P47_NOT_YET) {
        struct hc_offense now;
        hc_catalog_resolve(x->cat, &x->c->conv[i].cite, x->c->as_of, &now);
        r->p47_now = !now.found ? P47_UNKNOWN : now.prop47 == '-' ? P47_LEFT : P47_RECLASSIFIED;
    }
    return r->p47_now;
}

static int prop47_open(struct ctx *x, size_t i, const struct cf *f)
{
    const struct hc_conviction *cv = &x->c->conv[i];

    if (cv->prop47 >= 0 || f->juris != HC_JURIS_CA || f->level != HC_LEVEL_FELONY ||
        !cv->cite_ok || x->c->as_of < DAY_PROP47)
        return HC_NO;
    if (cv->date != HC_DAY_NONE && cv->date >= DAY_PROP47)
        return HC_NO;
    return prop47_today(x, i) == P47_RECLASSIFIED ? HC_MAYBE : HC_NO;
}

/* prop47_reduced: true for a California offense the catalog, on as_of, says Proposition 47
 * did not reclassify (PC 211, say): the record contradicts itself, and the flag is not
 * believed. (Before 2014-11-05 nothing could have been reduced: also a contradiction.) */
static int prop47_conflict(struct ctx *x, size_t i, const struct cf *f)
{
    const struct hc_conviction *cv = &x->c->conv[i];
    if (cv->prop47 != 1 || f->juris != HC_JURIS_CA || !cv->cite_ok)
        return 0;
    return x->c->as_of < DAY_PROP47 || prop47_today(x, i) == P47_LEFT;
}

/* Offenses listed in Welf. & Inst. Code § 707(b) that are neither serious (PC 1192.7(c)) nor
 * violent (PC 667.5(c)) by their citation. 707(b) lists, among others, "assault by any means of
 * force likely to produce great bodily injury" (PC 245(a)(4), and the force prong of 245(a)(1)
 * before 2012); manufacturing, compounding or selling one-half ounce or more of a controlled
 * substance of HS 11055(e) (the quantity is not in a citation: maybe); and forcible escape from a
 * juvenile facility with great bodily injury under WIC 871(b) (maybe). Every other 707(b) entry
 * is a serious or violent felony, which the catalog already says. */
static const struct {
    unsigned char code;
    const char *sec;
    unsigned char sub0; /* first subdivision letter, 0 = any */
    unsigned char sub1; /* second subdivision digit, 0 = any */
    unsigned char tri;  /* HC_YES or HC_MAYBE */
} wic707b_extra[] = {
    {HC_CODE_PC, "245", 'a', '4', HC_YES},
    {HC_CODE_PC, "245", 'a', '1', HC_MAYBE},
    {HC_CODE_HS, "11351", 0, 0, HC_MAYBE},
    {HC_CODE_HS, "11352", 0, 0, HC_MAYBE},
    {HC_CODE_HS, "11378", 0, 0, HC_MAYBE},
    {HC_CODE_HS, "11379", 0, 0, HC_MAYBE},
    {HC_CODE_HS, "11379.6", 0, 0, HC_MAYBE},
    {HC_CODE_WI, "871", 0, 0, HC_MAYBE},
};

/* Whether WIC 707(b) lists the offense of citation p beyond what the serious and violent lists
 * say: HC_YES, HC_MAYBE (it may, on facts a citation does not give), or HC_NO. */
static int wic707b_listed(const struct hc_cite_part *p)
{
    size_t k;
    int r = HC_NO;
    for (k = 0; k < sizeof wic707b_extra / sizeof wic707b_extra[0]; k++) {
        const char *sub;
        if (p->code != wic707b_extra[k].code || strcmp(p->sec, wic707b_extra[k].sec) != 0)
            continue;
        if (wic707b_extra[k].sub0 == 0)
            return wic707b_extra[k].tri;
        if (p->nsub == 0) {
            r = HC_MAYBE; /* "PC 245": which subdivision decides */
            continue;
        }
        sub = p->sub[0];
        if (sub[0] != (char)wic707b_extra[k].sub0 || sub[1] != '\0')
            continue;
        if (p->nsub < 2) {
            r = HC_MAYBE;
            continue;
        }
        if (p->sub[1][0] == (char)wic707b_extra[k].sub1 && p->sub[1][1] == '\0')
            return wic707b_extra[k].tri;
    }
    return r;
}

/* With juvenile_adjudications=count, whether juvenile adjudication i is one PC 667(d)(3) treats
 * as a prior conviction: WIC 203 says an adjudication "shall not be deemed a conviction of a
 * crime for any purpose"; PC 667(d)(3), which Gov. Code § 7282(a) borrows, counts one only for
 * an offense listed in WIC 707(b) or a serious or violent felony. A record marked
 * strike_adjudication says so itself. */
static int juvenile_reach(struct ctx *x, size_t i)
{
    const struct hc_conviction *cv = &x->c->conv[i];
    const struct rec *r;
    int listed;
    if (cv->strike_adjudication)
        return HC_YES;
    r = conv_rec(x, i);
    if (cv->juris != HC_JURIS_CA || !r->have_off || !r->off.found || r->off.inchoate)
        return HC_MAYBE;
    if (r->off.serious == HC_YES || r->off.violent == HC_YES)
        return HC_YES;
    listed = wic707b_listed(&cv->cite.main);
    if (listed == HC_YES)
        return HC_YES;
    if (listed == HC_MAYBE || r->off.serious == HC_MAYBE || r->off.violent == HC_MAYBE)
        return HC_MAYBE;
    return HC_NO;
}

/* Conviction i does not count (f->usable = HC_NO), for the reason note gives. */
static void not_counted(struct ctx *x, struct cf *f, int note, size_t i)
{
    f->usable = HC_NO;
    add_note(x->d, note, i);
}

static void conv_facts(struct ctx *x, size_t i, struct cf *f)
{
    const struct hc_conviction *cv = &x->c->conv[i];

    memset(f, 0, sizeof *f);
    f->usable = HC_YES;
    f->juris = cv->juris;
    if (cv->date != HC_DAY_NONE && cv->date > x->c->as_of) {
        /* Not yet a conviction on the decision date: replaying history must not see it. */
        not_counted(x, f, HC_N_FUTURE_CONVICTION, i);
        return;
    }
    if (cv->juvenile) {
        x->touched |= HC_SET_JUVENILE;
        if (x->st.juvenile == HC_JUV_COUNT) {
            int reach = juvenile_reach(x, i);
            if (reach == HC_NO) {
                not_counted(x, f, HC_N_JUVENILE_NOT_REACHED, i);
                return;
            }
            f->usable = (unsigned char)reach;
            f->juv_reach_open = reach == HC_MAYBE;
        } else if (cv->strike_adjudication) {
            f->usable = HC_MAYBE;
        } else {
            not_counted(x, f, HC_N_JUVENILE_EXCLUDED, i);
            return;
        }
    }
    if (cv->expunged) {
        x->touched |= HC_SET_EXPUNGED;
        if (x->st.expunged == HC_EXP_EXCLUDE) {
            not_counted(x, f, HC_N_EXPUNGED_EXCLUDED, i);
            return;
        }
    }
    {
        const struct rec *r = conv_rec(x, i);
        f->have_off = r->have_off;
        if (f->have_off)
            f->off = r->off;
        f->fed = r->fed;
    }
    f->level = cv->level;
    f->p47_conflict = (unsigned char)prop47_conflict(x, i, f);
    /* A conviction reduced under Proposition 47 (PC 1170.18) is a misdemeanor "for all
     * purposes" (1170.18(k)), whatever level the original record shows. */
    if (cv->prop47 == 1 && !f->p47_conflict)
        f->level = HC_LEVEL_MISDEMEANOR;
    if (f->level == HC_LEVEL_UNKNOWN && f->juris == HC_JURIS_FEDERAL && f->fed.found)
        f->level = level_from_kind(f->fed.kind);
    else if (f->level == HC_LEVEL_UNKNOWN && f->have_off && f->off.found)
        f->level = level_from_kind(f->off.kind);
    f->p47_open = (unsigned char)(prop47_open(x, i, f) == HC_MAYBE);
}

/* Record why the offense itself is not known; returns HC_MAYBE. */
static int offense_unknown(struct ctx *x, const struct cf *f, size_t i, int prov)
{
    int what;
    if (f->juris != HC_JURIS_CA)
        what = HC_M_OUT_OF_STATE; /* another state's or a federal conviction: ca_equivalent */
    else if (!f->have_off)
        what = HC_M_CITATION_UNREADABLE;
    else if (f->off.inchoate && !x->c->conv[i].cite.has_target)
        what = HC_M_TARGET;
    else
        what = HC_M_CITATION_UNKNOWN;
    add_missing(x->d, what, HC_FACT_CONVICTION, prov, i);
    return HC_MAYBE;
}

/* Whether a YES on conviction i may be recorded as it is: the record counts as a conviction
 * and as a felony of that level. */
static int settled(const struct cf *f)
{
    return f->usable == HC_YES && !f->p47_open && !f->p47_conflict;
}

/* Gate a YES on whether the record counts as a conviction at all, and on whether a felony may
 * since have become a Proposition 47 misdemeanor "for all purposes" (PC 1170.18(k)); such a
 * misdemeanor meets none of 7282.5(a)(1)-(3) (no felony, not a wobbler, and 7282.5(a)(6)). */
static int gate_usable(struct ctx *x, const struct cf *f, size_t i, int prov, int r)
{
    if (r != HC_YES)
        return r;
    if (f->usable == HC_MAYBE) {
        add_missing(x->d, f->juv_reach_open ? HC_M_JUVENILE_REACH : HC_M_STRIKE_ADJUDICATION,
                    HC_FACT_CONVICTION, prov, i);
        r = HC_MAYBE;
    }
    if (f->p47_open) {
        add_missing(x->d, HC_M_PROP47_FELONY, HC_FACT_CONVICTION, prov, i);
        r = HC_MAYBE;
    }
    if (f->p47_conflict) {
        add_missing(x->d, HC_M_PROP47_CONFLICT, HC_FACT_CONVICTION, prov, i);
        r = HC_MAYBE;
    }
    return r;
}

/* A federal conviction the catalog marks as having no California counterpart (8 USC 1326
 * reentry, 18 USC 3146 failure to appear), with no ca_equivalent given: PC 667(d), which
 * 7282(a) borrows, counts another jurisdiction's conviction only for an offense with all the
 * elements of a California one, so it meets none of 7282.5(a)(1)-(3). */
static int no_counterpart(const struct cf *f)
{
    return f->juris == HC_JURIS_FEDERAL && !f->have_off && f->fed.found && f->fed.no_ca;
}

/* Whether conviction facts f can meet 7282.5(a)(1) or (a)(2), which take felonies only: the
 * conviction counts, is not a misdemeanor or an infraction, and is not a federal one with no
 * California counterpart. */
static int may_be_felony(const struct cf *f)
{
    return f->usable != HC_NO && !no_counterpart(f) && f->level != HC_LEVEL_MISDEMEANOR &&
           f->level != HC_LEVEL_INFRACTION;
}

/* 7282.5(a)(1): a serious (PC 1192.7(c)) or violent (PC 667.5(c)) felony, at any time;
 * out-of-state convictions through 7282(f), (g), federal ones through 7282(a) (PC 667(d)). */
static int conv_a1(struct ctx *x, size_t i, const struct cf *f, int prov)
{
    int sv, r;
    struct hc_qual *q;

    if (!may_be_felony(f))
        return HC_NO;
    if (!f->have_off || !f->off.found)
        return offense_unknown(x, f, i, prov);
    sv = tri_or(f->off.serious, f->off.violent);
    if (sv == HC_NO)
        return HC_NO;
    if (sv == HC_MAYBE) {
        add_missing(x->d, HC_M_SUBDIVISION, HC_FACT_CONVICTION, prov, i);
        r = HC_MAYBE;
    } else {
        r = HC_YES;
    }
    if (f->level == HC_LEVEL_UNKNOWN) {
        add_missing(x->d, HC_M_LEVEL, HC_FACT_CONVICTION, prov, i);
        r = HC_MAYBE;
    }
    r = gate_usable(x, f, i, prov, r);
    if (r == HC_YES) {
        x->indep |= conv_indep(&x->c->conv[i], 0);
        q = add_qual(x->d, prov, HC_FACT_CONVICTION, i);
        if (q != NULL) {
            q->para = f->off.serious == HC_YES ? f->off.serious_para : 0;
            q->vpara = f->off.violent == HC_YES ? f->off.violent_para : 0;
        }
        add_basis(x->d, prov, 0);
        if (f->juris == HC_JURIS_OTHER)
            add_basis(x->d, HC_P_7282_FG, 0);
        else if (f->juris == HC_JURIS_FEDERAL)
            add_basis(x->d, HC_P_7282_A, 0);
    }
    return r;
}

/* Sentencing of an undated felony conviction for (a)(2). f->off is the offense on as_of. When
 * the section was punished differently on some earlier day, the date decides: under the
 * conviction-date reading directly, under `review` because the two readings then may or may
 * not disagree. Only the decision-date reading does not need it. */
static int undated_sentence(struct ctx *x, size_t i, const struct cf *f, int *need_date,
                            int *differ)
{
    const struct hc_conviction *cv = &x->c->conv[i];
    struct rec *rc = &x->conv[i];
    int s_dec = f->off.sentence;
    unsigned other;

    if (!(rc->sent_any & SENT_ANY_DONE))
        rc->sent_any = (unsigned char)(SENT_ANY_DONE |
                                       hc_catalog_sentences(x->cat, &cv->cite, DAY_1900,
                                                            x->c->as_of));
    other = (rc->sent_any & ~(unsigned)SENT_ANY_DONE) & ~(1u << s_dec);
    if (other == 0)
        return s_dec;
    *differ = 1;
    x->touched |= HC_SET_PRISON_AT;
    if (x->st.prison_at == HC_PRISON_DECISION)
        return s_dec;
    *need_date = 1;
    return HC_SENT_UNKNOWN;
}

/* Sentencing of a felony for (a)(2), under the state_prison_at setting. */
static int felony_sentence(struct ctx *x, size_t i, const struct cf *f, int *disagree,
                           int *differ, int *need_date)
{
    const struct hc_conviction *cv = &x->c->conv[i];
    struct rec *rc = &x->conv[i];
    int s_conv = f->off.sentence, s_dec;

    *disagree = 0;
    *need_date = 0;
    /* Only a section whose rows change over time can read differently on the two dates. */
    if (!f->off.dated)
        return s_conv;
    if (cv->date == HC_DAY_NONE)
        return undated_sentence(x, i, f, need_date, differ);
    if (rc->sent_dec == SENT_NOT_YET) {
        struct hc_offense now;
        hc_catalog_resolve(x->cat, &cv->cite, x->c->as_of, &now);
        rc->sent_dec = now.sentence;
    }
    s_dec = rc->sent_dec;
    if (s_dec == s_conv)
        return s_conv;
    *differ = 1;
    if (s_conv != HC_SENT_UNKNOWN && s_dec != HC_SENT_UNKNOWN)
        x->touched |= HC_SET_PRISON_AT;
    if (x->st.prison_at == HC_PRISON_CONVICTION)
        return s_conv;
    if (x->st.prison_at == HC_PRISON_DECISION)
        return s_dec;
    if (s_conv == HC_SENT_UNKNOWN || s_dec == HC_SENT_UNKNOWN)
        return HC_SENT_UNKNOWN;
    *disagree = 1;
    return HC_SENT_UNKNOWN;
}

/* 7282.5(a)(2): a felony punishable by imprisonment in the state prison, at any time. */
static int conv_a2(struct ctx *x, size_t i, const struct cf *f, int prov)
{
    int s, disagree, differ = 0, need_date, r;

    if (!may_be_felony(f))
        return HC_NO;
    if (f->juris != HC_JURIS_CA) {
        /* The statute extends only the serious and violent lists to other states (7282(f),
         * (g)), and PC 667(d) those to other jurisdictions; whether another state's or a
         * federal felony is "punishable by imprisonment in the state prison" is open. */
        add_missing(x->d, HC_M_OUT_OF_STATE, HC_FACT_CONVICTION, prov, i);
        return HC_MAYBE;
    }
    if (!f->have_off || !f->off.found)
        return offense_unknown(x, f, i, prov);
    if (f->off.kind == 'E')
        return HC_NO; /* an enhancement finding is not itself a felony offense */
    s = felony_sentence(x, i, f, &disagree, &differ, &need_date);
    switch (s) {
    case HC_SENT_PRISON:
        r = HC_YES;
        break;
    case HC_SENT_1170H:
        return HC_NO;
    case HC_SENT_NONE:
        if (f->level != HC_LEVEL_FELONY)
            return HC_NO;
        add_missing(x->d, HC_M_LEVEL_CONFLICT, HC_FACT_CONVICTION, prov, i);
        return HC_MAYBE;
    default:
        add_missing(x->d, need_date ? HC_M_DATE_SENTENCE
                          : disagree ? HC_M_PRISON_READING : HC_M_SENTENCE,
                    HC_FACT_CONVICTION, prov, i);
        return HC_MAYBE;
    }
    if (f->level == HC_LEVEL_UNKNOWN) {
        add_missing(x->d, HC_M_LEVEL, HC_FACT_CONVICTION, prov, i);
        return HC_MAYBE;
    }
    r = gate_usable(x, f, i, prov, r);
    if (r == HC_YES) {
        x->indep |= conv_indep(&x->c->conv[i], differ);
        add_qual(x->d, prov, HC_FACT_CONVICTION, i);
        add_basis(x->d, prov, 0);
    }
    return r;
}

/* Whether the conviction is a Proposition 47 misdemeanor (7282.5(a)(6)); tri. Only meaningful
 * for misdemeanor convictions. */
static int conv_prop47(const struct hc_conviction *cv, const struct cf *f)
{
    if (f->p47_conflict)
        return HC_MAYBE;
    if (cv->prop47 >= 0)
        return cv->prop47 ? HC_YES : HC_NO;
    if (!f->have_off || !f->off.found)
        return HC_MAYBE;
    switch (f->off.prop47) {
    case 'Y': return HC_YES;
    case 'P': return cv->wobbler == 1 ? HC_NO : HC_MAYBE;
    case '-': return HC_NO;
    default: return HC_MAYBE;
    }
}

/* The lookback cut-off for 5 or 15 years, computed on first use and shared with re-runs. */
static hc_day window_cut(struct ctx *x, int years)
{
    hc_day *cut = &x->cuts[years == 5 ? 0 : 1];
    if (*cut == HC_DAY_NONE)
        *cut = hc_date_minus_years(x->c->as_of, years);
    return *cut;
}

static int window(struct ctx *x, size_t i, int years, int prov)
{
    const struct hc_conviction *cv = &x->c->conv[i];
    hc_day cut;
    if (years == 0)
        return HC_YES;
    if (cv->date == HC_DAY_NONE) {
        add_missing(x->d, HC_M_DATE, HC_FACT_CONVICTION, prov, i);
        return HC_MAYBE;
    }
    /* The cut-offs are hc_date_minus_years(as_of, 5 or 15): see hc_date_within_years. */
    cut = window_cut(x, years);
    return cv->date > cut && cv->date <= x->c->as_of ? HC_YES : HC_NO;
}

static void a3_qualify(struct ctx *x, size_t i, uint32_t cats, int years, int prov)
{
    int k;
    if (x->quiet)
        return; /* a re-run needs the outcome only */
    for (k = 0; k < HC_CAT_COUNT; k++) {
        struct hc_qual *q;
        if (!(cats & ((uint32_t)1u << k)))
            continue;
        q = add_qual(x->d, prov, HC_FACT_CONVICTION, i);
        if (q != NULL) {
            q->cat = (unsigned char)(k + 1);
            q->years = (unsigned char)years;
            q->window_from = years ? window_cut(x, years) : HC_DAY_NONE;
        }
        add_basis(x->d, prov, k + 1);
    }
}

/* The category is open because the offense is unknown or cited less precisely than needed. */
static void offense_unknown_or_sub(struct ctx *x, const struct cf *f, size_t i, int prov)
{
    if (!f->have_off || !f->off.found)
        offense_unknown(x, f, i, prov);
    else
        add_missing(x->d, HC_M_SUBDIVISION, HC_FACT_CONVICTION, prov, i);
}

/* (a)(3) for a felony conviction: any category, within `years` (0: at any time, TRUST era). */
static int a3_felony(struct ctx *x, size_t i, const struct cf *f, int years, int prov, int record)
{
    uint32_t yes = 0, maybe = HC_CAT_ALL;
    int w;
    if (f->have_off && f->off.found) {
        yes = f->off.cats_yes;
        maybe = f->off.cats_maybe;
    }
    if (yes == 0 && maybe == 0)
        return HC_NO;
    w = window(x, i, years, prov);
    if (w == HC_NO)
        return HC_NO;
    if (f->have_off && f->off.found && (f->off.kind == 'M' || f->off.kind == 'I') &&
        x->c->conv[i].level == HC_LEVEL_FELONY) {
        /* A felony record of an offense that is never a felony: the record is wrong somewhere,
         * and a permission must not rest on it. */
        add_missing(x->d, HC_M_LEVEL_CONFLICT, HC_FACT_CONVICTION, prov, i);
        return HC_MAYBE;
    }
    if (yes == 0) {
        offense_unknown_or_sub(x, f, i, prov);
        return HC_MAYBE;
    }
    if (w == HC_YES && record)
        a3_qualify(x, i, yes, years, prov);
    return w;
}

/* (a)(3) for a misdemeanor conviction: a wobbler ("a crime punishable as either a misdemeanor
 * or a felony") within five years, in any category but (G) and (M), which name felonies only;
 * never a Proposition 47 misdemeanor (7282.5(a)(6); the TRUST Act had no such paragraph). */
static int a3_misdemeanor(struct ctx *x, size_t i, const struct cf *f, int prov, int record)
{
    const struct hc_conviction *cv = &x->c->conv[i];
    uint32_t yes = 0, maybe = HC_CAT_ALL & ~(HC_CAT_G | HC_CAT_M);
    int wob, w, p47, r = HC_YES;

    if (f->have_off && f->off.found) {
        yes = f->off.cats_yes & ~(HC_CAT_G | HC_CAT_M);
        maybe = f->off.cats_maybe & ~(HC_CAT_G | HC_CAT_M);
    }
    if (yes == 0 && maybe == 0)
        return HC_NO;
    if (cv->wobbler >= 0) {
        wob = cv->wobbler ? HC_YES : HC_NO;
    } else if (!f->have_off || !f->off.found) {
        wob = HC_MAYBE;
    } else {
        wob = f->off.misd_wobbler;
    }
    if (wob == HC_NO)
        return HC_NO;
    w = window(x, i, 5, prov);
    if (w == HC_NO)
        return HC_NO;
    if (x->ruleset == HC_RULES_VALUES) {
        p47 = conv_prop47(cv, f);
        if (p47 == HC_YES) {
            x->a6_blocked = 1;
            add_note(x->d, HC_N_PROP47_BLOCKED, i);
            return HC_NO;
        }
        if (p47 == HC_MAYBE) {
            add_missing(x->d, HC_M_PROP47, HC_FACT_CONVICTION, prov, i);
            r = HC_MAYBE;
        }
    }
    if (wob == HC_MAYBE) {
        if (!f->have_off || !f->off.found)
            offense_unknown(x, f, i, prov);
        else if (cv->wobbler < 0 && (f->off.kind == 'F' || f->off.kind == 'E'))
            add_missing(x->d, HC_M_LEVEL_CONFLICT_MISD, HC_FACT_CONVICTION, prov, i);
        else
            add_missing(x->d, HC_M_WOBBLER, HC_FACT_CONVICTION, prov, i);
        r = HC_MAYBE;
    }
    if (w == HC_MAYBE)
        r = HC_MAYBE;
    if (yes == 0) {
        offense_unknown_or_sub(x, f, i, prov);
        r = HC_MAYBE;
    }
    if (r == HC_YES && record)
        a3_qualify(x, i, yes, 5, prov);
    return r;
}

/* 7282.5(a)(3) for one conviction. felony_years is 15 (Values Act) or 0 (TRUST: any time). */
static int conv_a3(struct ctx *x, size_t i, const struct cf *f, int felony_years, int prov)
{
    int fel, mis, r;
    int record = settled(f); /* a YES on an unsettled record is not recorded as met */

    if (f->usable == HC_NO || f->level == HC_LEVEL_INFRACTION)
        return HC_NO;
    if (no_counterpart(f))
        return HC_NO;
    if (f->juris != HC_JURIS_CA) {
        /* Another state's or a federal conviction: which category its offense falls in is for
         * a person, as is whether it was "punishable as either" (digest 17 #6). */
        int yrs = f->level == HC_LEVEL_MISDEMEANOR ? 5 : felony_years;
        if (window(x, i, yrs, prov) == HC_NO)
            return HC_NO;
        add_missing(x->d, HC_M_OUT_OF_STATE, HC_FACT_CONVICTION, prov, i);
        return HC_MAYBE;
    }
    if (f->level == HC_LEVEL_FELONY) {
        r = a3_felony(x, i, f, felony_years, prov, record);
    } else if (f->level == HC_LEVEL_MISDEMEANOR) {
        r = a3_misdemeanor(x, i, f, prov, record);
    } else {
        /* Level unknown: if both readings qualify the level does not matter. */
        fel = a3_felony(x, i, f, felony_years, prov, 0);
        mis = a3_misdemeanor(x, i, f, prov, 0);
        if (fel == HC_YES && mis == HC_YES) {
            r = a3_misdemeanor(x, i, f, prov, record);
        } else if (fel == HC_NO && mis == HC_NO) {
            r = HC_NO;
        } else {
            add_missing(x->d, HC_M_LEVEL, HC_FACT_CONVICTION, prov, i);
            r = HC_MAYBE;
        }
    }
    r = gate_usable(x, f, i, prov, r);
    if (r == HC_YES)
        x->indep |= conv_indep(&x->c->conv[i], 0);
    return r;
}

/* 7282.5(a)(5), first half: a federal conviction that is an aggravated felony under
 * 8 USC 1101(a)(43)(A)-(P). */
static int conv_a5(struct ctx *x, size_t i, const struct cf *f, int prov)
{
    const struct hc_conviction *cv = &x->c->conv[i];
    char letter = 0;
    struct hc_qual *q;
    int r;

    if (f->usable == HC_NO)
        return HC_NO;
    if (f->juris != HC_JURIS_FEDERAL) {
        if (cv->agg != 0)
            add_note(x->d, HC_N_AGG_NOT_FEDERAL, i);
        return HC_NO;
    }
    if (cv->agg_false)
        return HC_NO;
    if (cv->agg >= 'A' && cv->agg <= 'U') {
        letter = cv->agg;
    } else if (cv->agg == '?') {
        /* The record says "aggravated felony" without the subparagraph: place the citation. */
        if (f->fed.found && f->fed.agg != 0) {
            letter = f->fed.agg;
        } else {
            add_missing(x->d, HC_M_AGG_LETTER, HC_FACT_CONVICTION, prov, i);
            return HC_MAYBE;
        }
    } else {
        /* Not flagged: only an offense that is an aggravated felony by its elements counts. */
        if (f->fed.found && f->fed.agg != 0 && !f->fed.agg_cond && f->level == HC_LEVEL_FELONY)
            letter = f->fed.agg;
        else
            return HC_NO;
    }
    if (letter > 'P') {
        add_note(x->d, HC_N_AGG_OUTSIDE_A_P, i);
        return HC_NO;
    }
    r = gate_usable(x, f, i, prov, HC_YES);
    if (r == HC_YES) {
        x->indep |= conv_indep(cv, 0);
        q = add_qual(x->d, prov, HC_FACT_CONVICTION, i);
        if (q != NULL)
            q->agg = letter;
        add_basis(x->d, prov, 0);
    }
    return r;
}

static int is_domestic_violence(const struct hc_cite_part *p)
{
    if (p->code != HC_CODE_PC)
        return 0;
    if (strcmp(p->sec, "273.5") == 0 || strcmp(p->sec, "273.6") == 0)
        return 1;
    return strcmp(p->sec, "243") == 0 && p->nsub >= 1 && strcmp(p->sub[0], "e") == 0;
}

/* 7282.5(b) (Values Act) or (a)(5) (TRUST Act): arrested and taken before a magistrate on a
 * charge of a serious or violent felony or a state-prison felony (TRUST: also any listed
 * felony other than domestic violence) with a PC 872 probable-cause finding on that charge. */
static int charge_magistrate(struct ctx *x, size_t j, int prov, int trust)
{
    const struct hc_charge *ch = &x->c->charges[j];
    const struct hc_offense *o;
    int level = ch->level, sv, prison, listed, r;
    struct hc_qual *q;

    if (!ch->magistrate_pc)
        return HC_NO;
    if (level == HC_LEVEL_MISDEMEANOR || level == HC_LEVEL_INFRACTION)
        return HC_NO;
    if (!ch->cite_ok) {
        add_missing(x->d, HC_M_CITATION_UNREADABLE, HC_FACT_CHARGE, prov, j);
        return HC_MAYBE;
    }
    o = &charge_rec(x, j)->off;
    if (!o->found) {
        add_missing(x->d, ch->cite.inchoate && !ch->cite.has_target ? HC_M_TARGET
                                                                   : HC_M_CITATION_UNKNOWN,
                    HC_FACT_CHARGE, prov, j);
        return HC_MAYBE;
    }
    /* A preliminary examination and its PC 872 holding order exist only on a felony complaint,
     * so a charge with the finding and no level is a felony charge: misdemeanors and
     * infractions were turned away above, and what follows holds for any felony. */
    sv = tri_or(o->serious, o->violent);
    prison = o->sentence == HC_SENT_PRISON ? HC_YES
             : o->sentence == HC_SENT_UNKNOWN ? HC_MAYBE : HC_NO;
    listed = HC_NO;
    if (trust && !is_domestic_violence(&ch->cite.main))
        listed = o->cats_yes ? HC_YES : o->cats_maybe ? HC_MAYBE : HC_NO;
    r = tri_or(tri_or(sv, prison), listed);
    if (r == HC_NO)
        return HC_NO;
    if (r == HC_MAYBE) {
        add_missing(x->d, sv == HC_MAYBE ? HC_M_SUBDIVISION : HC_M_SENTENCE, HC_FACT_CHARGE,
                    prov, j);
        return HC_MAYBE;
    }
    x->indep |= SET_RECORD;
    q = add_qual(x->d, prov, HC_FACT_CHARGE, j);
    if (q != NULL) {
        q->para = o->serious == HC_YES ? o->serious_para : 0;
        q->vpara = o->violent == HC_YES ? o->violent_para : 0;
    }
    add_basis(x->d, prov, 0);
    return HC_YES;
}

/* Is the person "arrested, detained, or convicted of" a Proposition 47 misdemeanor? (The
 * person-level reading of 7282.5(a)(6).) */
static int person_prop47(struct ctx *x, const struct cf *facts, size_t n)
{
    int r = HC_NO;
    size_t i;
    for (i = 0; i < n; i++) {
        const struct cf *f = &facts[i];
        if (f->usable == HC_NO || f->juris != HC_JURIS_CA)
            continue;
        if (f->level == HC_LEVEL_MISDEMEANOR)
            r = tri_or(r, conv_prop47(&x->c->conv[i], f));
    }
    for (i = 0; i < x->c->ncharges; i++) {
        const struct hc_charge *ch = &x->c->charges[i];
        const struct hc_offense *off;
        int level = ch->level;
        if (!ch->cite_ok || level == HC_LEVEL_FELONY)
            continue;
        off = &charge_rec(x, i)->off;
        if (level == HC_LEVEL_UNKNOWN && off->found)
            level = level_from_kind(off->kind);
        if (off->found && off->prop47 == 'Y' && level == HC_LEVEL_MISDEMEANOR)
            r = HC_YES;
    }
    return r;
}

/* Evaluate the conditions of 7282.5 on the record. with_b: also the magistrate rule (it opens
 * notifications only). Returns the tri-state result; records quals, basis and missing. */
static int eval_7282_5(struct ctx *x, int with_b)
{
    struct cf facts[HC_CASE_MAX_RECORDS];
    const struct hc_case *c = x->c;
    int trust = x->ruleset != HC_RULES_VALUES, r = HC_NO, p47;
    int pa1 = trust ? HC_P_T_A1 : HC_P_7282_5_A1, pa2 = trust ? HC_P_T_A2 : HC_P_7282_5_A2;
    int pa3 = trust ? HC_P_T_A3 : HC_P_7282_5_A3, pa4 = trust ? HC_P_T_A4 : HC_P_7282_5_A4;
    int pa5 = trust ? HC_P_T_A6 : HC_P_7282_5_A5, pb = trust ? HC_P_T_A5 : HC_P_7282_5_B;
    unsigned char nqual0 = x->d->nqual, nbasis0 = x->d->nbasis;
    size_t i, n = c->nconv < HC_CASE_MAX_RECORDS ? c->nconv : HC_CASE_MAX_RECORDS;

    for (i = 0; i < n; i++) {
        struct cf *f = &facts[i];
        conv_facts(x, i, f);
        r = tri_or(r, conv_a1(x, i, f, pa1));
        r = tri_or(r, conv_a2(x, i, f, pa2));
        r = tri_or(r, conv_a3(x, i, f, trust ? 0 : 15, pa3));
        r = tri_or(r, conv_a5(x, i, f, pa5));
    }
    if (c->registrant_290) {
        x->indep |= SET_RECORD;
        add_qual(x->d, pa4, HC_FACT_REGISTRANT, 0);
        add_basis(x->d, pa4, 0);
        r = HC_YES;
    }
    if (c->federal_felony_warrant) {
        x->indep |= SET_RECORD;
        add_qual(x->d, pa5, HC_FACT_FEDERAL_WARRANT, 0);
        add_basis(x->d, pa5, 0);
        r = HC_YES;
    }
    if (with_b)
        for (i = 0; i < c->ncharges; i++)
            r = tri_or(r, charge_magistrate(x, i, pb, trust));
    if (trust || r == HC_NO)
        return r;

    /* 7282.5(a)(6), person-level reading: nobody arrested, detained or convicted of a Prop 47
     * misdemeanor gets any cooperation under this section. */
    p47 = person_prop47(x, facts, n);
    if (p47 == HC_NO)
        return r;
    x->touched |= HC_SET_PROP47_SCOPE;
    if (x->st.prop47_scope != HC_P47_PERSON)
        return r;
    x->d->nqual = nqual0;
    x->d->nbasis = nbasis0;
    if (p47 == HC_YES) {
        x->a6_blocked = 1;
        add_note(x->d, HC_N_PROP47_PERSON, 0);
        return HC_NO;
    }
    for (i = 0; i < n; i++)
        if (c->conv[i].prop47 < 0 && facts[i].level == HC_LEVEL_MISDEMEANOR &&
            conv_prop47(&c->conv[i], &facts[i]) == HC_MAYBE)
            add_missing(x->d, HC_M_PROP47, HC_FACT_CONVICTION, HC_P_7282_5_A6, i);
    return HC_MAYBE;
}

/* ---- request types ----------------------------------------------------------------------- */

static void truth_duties_ice_request(struct ctx *x)
{
    if (x->ruleset >= HC_RULES_TRUTH) {
        duty(x->d, HC_D_COPY_REQUEST);
        duty(x->d, HC_D_PUBLIC_RECORDS);
    }
}

static void set_outcome(struct ctx *x, int outcome)
{
    x->d->outcome = (unsigned char)outcome;
}

static int outcome_of(int tri)
{
    return tri == HC_YES ? HC_OUT_PERMITTED : tri == HC_MAYBE ? HC_OUT_REVIEW : HC_OUT_PROHIBITED;
}

static void values_notification(struct ctx *x)
{
    const struct hc_case *c = x->c;
    int r;

    add_basis(x->d, HC_P_7284_6_A1C, 0);
    if (c->release_public) {
        add_qual(x->d, HC_P_7284_6_A1C, HC_FACT_RELEASE_PUBLIC, 0);
    }
    r = eval_7282_5(x, 1);
    if (c->release_public) {
        r = HC_YES;
        x->indep_outside |= SET_ALL;
    }
    set_outcome(x, outcome_of(r));
    if (r == HC_NO && x->a6_blocked)
        add_basis(x->d, HC_P_7282_5_A6, 0);
    truth_duties_ice_request(x);
    if (r != HC_NO) {
        duty(x->d, HC_D_SAME_NOTICE);
        duty(x->d, HC_D_NOT_REQUIRED);
    }
}

static void values_transfer(struct ctx *x)
{
    const struct hc_case *c = x->c;
    int r;
    size_t j;

    add_basis(x->d, HC_P_7284_6_A4, 0);
    if (x->jw)
        add_qual(x->d, HC_P_7284_6_A4, HC_FACT_JUDICIAL_WARRANT, 0);
    if (x->jpc)
        add_qual(x->d, HC_P_7284_6_A4, HC_FACT_JUDICIAL_PC, 0);
    r = eval_7282_5(x, 0);
    if (x->jw || x->jpc) {
        r = HC_YES;
        x->indep_outside |= SET_ALL;
    } else if ((x->jw_doubt || x->jpc_doubt) && r != HC_YES) {
        /* A warrant or a judge's probable-cause determination claimed on a form an
         * immigration officer signs: which it is decides. */
        if (x->jw_doubt)
            add_missing(x->d, HC_M_ADMIN_WARRANT, HC_FACT_JUDICIAL_WARRANT, HC_P_7284_6_A4, 0);
        if (x->jpc_doubt)
            add_missing(x->d, HC_M_ADMIN_WARRANT, HC_FACT_JUDICIAL_PC, HC_P_7284_6_A4, 0);
        r = HC_MAYBE;
    }
    set_outcome(x, outcome_of(r));
    if (r == HC_NO && x->a6_blocked)
        add_basis(x->d, HC_P_7282_5_A6, 0);
    if (r != HC_YES) {
        /* Say why two things that open a notification do not open a transfer. */
        for (j = 0; j < c->ncharges; j++)
            if (c->charges[j].magistrate_pc)
                add_note(x->d, HC_N_MAGISTRATE_NOT_TRANSFER, j);
        if (c->release_public)
            add_note(x->d, HC_N_PUBLIC_NOT_TRANSFER, 0);
    }
    truth_duties_ice_request(x);
    if (r != HC_NO)
        duty(x->d, HC_D_REPORT_TRANSFER);
}

/* Requests whose answer does not depend on the record, Values Act era. */
static void values_fixed(struct ctx *x, int prov, int outcome)
{
    add_basis(x->d, prov, 0);
    set_outcome(x, outcome);
}

static void decide_values(struct ctx *x)
{
    const struct hc_case *c = x->c;
    switch (c->type) {
    case HC_REQ_HOLD:
        values_fixed(x, HC_P_7284_6_A1B, HC_OUT_PROHIBITED);
        truth_duties_ice_request(x);
        if (c->judicial_warrant || c->judicial_pc)
            add_note(x->d, HC_N_HOLD_WARRANT, 0);
        break;
    case HC_REQ_NOTIFICATION:
        values_notification(x);
        break;
    case HC_REQ_TRANSFER:
        values_transfer(x);
        break;
    case HC_REQ_INTERVIEW:
        values_fixed(x, HC_P_7284_6_B5, HC_OUT_PERMITTED_COND);
        duty(x->d, HC_D_CONSENT_FORM);
        duty(x->d, HC_D_PUBLIC_RECORDS);
        break;
    case HC_REQ_PERSONAL_INFO:
        values_fixed(x, HC_P_7284_6_A1D, c->personal_public ? HC_OUT_PERMITTED : HC_OUT_PROHIBITED);
        if (c->personal_public)
            add_qual(x->d, HC_P_7284_6_A1D, HC_FACT_PERSONAL_PUBLIC, 0);
        break;
    case HC_REQ_CRIMINAL_HISTORY:
        values_fixed(x, HC_P_7284_6_B2, HC_OUT_PERMITTED);
        duty(x->d, HC_D_STATE_LAW_HISTORY);
        break;
    case HC_REQ_STATUS_INQUIRY:
        values_fixed(x, HC_P_7284_6_A1A, HC_OUT_PROHIBITED);
        add_note(x->d, HC_N_STATUS_EXCHANGE, 0);
        break;
    case HC_REQ_CIVIL_WARRANT_ARREST:
        values_fixed(x, HC_P_7284_6_A1E, HC_OUT_PROHIBITED);
        if (x->jw)
            add_note(x->d, HC_N_CIVIL_WARRANT_JUDICIAL, 0);
        break;
    case HC_REQ_BORDER_SEARCH: values_fixed(x, HC_P_7284_6_A1F, HC_OUT_PROHIBITED); break;
    case HC_REQ_OFFICER_FUNCTIONS: values_fixed(x, HC_P_7284_6_A1G, HC_OUT_PROHIBITED); break;
    case HC_REQ_INTERPRETER: values_fixed(x, HC_P_7284_6_A3, HC_OUT_PROHIBITED); break;
    case HC_REQ_OFFICE_SPACE: values_fixed(x, HC_P_7284_6_A5, HC_OUT_PROHIBITED); break;
    case HC_REQ_DETENTION_CONTRACT: values_fixed(x, HC_P_7284_6_A6, HC_OUT_PROHIBITED); break;
    case HC_REQ_STATUS_EXCHANGE: values_fixed(x, HC_P_7284_6_E, HC_OUT_PERMITTED); break;
    case HC_REQ_VISA_CERTIFICATION: values_fixed(x, HC_P_7284_6_B4, HC_OUT_PERMITTED); break;
    default: values_fixed(x, HC_P_7284_6_A1A, HC_OUT_REVIEW); break;
    }
}

/* 2014-01-01 .. 2017-12-31: the TRUST Act limited holds only; the TRUTH Act added duties from
 * 2017-01-01. */
static void decide_trust(struct ctx *x)
{
    const struct hc_case *c = x->c;
    int r;

    if (c->type == HC_REQ_HOLD) {
        r = eval_7282_5(x, 1);
        set_outcome(x, outcome_of(r));
        if (r == HC_NO)
            add_basis(x->d, HC_P_T_B, 0);
        truth_duties_ice_request(x);
        if (r != HC_NO) {
            duty(x->d, HC_D_HOLD_48H);
            duty(x->d, HC_D_LOCAL_POLICY);
        }
        return;
    }
    /* The TRUST Act limited holds only: nothing it says is a basis for another request. A 2017
     * interview rests on the TRUTH Act, 7283.1(a); anything else on the absence of a statute. */
    if (c->type == HC_REQ_INTERVIEW && x->ruleset >= HC_RULES_TRUTH)
        add_basis(x->d, HC_P_7283_1_A, 0);
    else
        add_basis(x->d, HC_P_PRE2018_NONE, 0);
    set_outcome(x, HC_OUT_PERMITTED);
    switch (c->type) {
    case HC_REQ_NOTIFICATION:
        truth_duties_ice_request(x);
        if (x->ruleset >= HC_RULES_TRUTH)
            duty(x->d, HC_D_SAME_NOTICE);
        break;
    case HC_REQ_TRANSFER:
        truth_duties_ice_request(x);
        break;
    case HC_REQ_INTERVIEW:
        if (x->ruleset >= HC_RULES_TRUTH) {
            set_outcome(x, HC_OUT_PERMITTED_COND);
            duty(x->d, HC_D_CONSENT_FORM);
            duty(x->d, HC_D_PUBLIC_RECORDS);
        }
        break;
    case HC_REQ_PERSONAL_INFO:
        /* Giving ICE home or work addresses that are not public is "ICE access" (7283(d)),
         * whose records 7283.1(c) makes public. */
        if (x->ruleset >= HC_RULES_TRUTH && !c->personal_public)
            duty(x->d, HC_D_PUBLIC_RECORDS);
        break;
    default:
        break;
    }
}

/* ---- agency policy ----------------------------------------------------------------------- */

/* The provision that makes local policy binding for this request type. */
static int policy_anchor(int type)
{
    switch (type) {
    case HC_REQ_NOTIFICATION: return HC_P_7284_6_A1C;
    case HC_REQ_TRANSFER: return HC_P_7284_6_A4;
    default: return -1;
    }
}

/* How far d shows provision prov met: HC_YES with a qualifying fact for it, HC_MAYBE with only
 * a missing fact for it, HC_NO with neither. */
static int prov_met(const struct hc_decision *d, int prov)
{
    int i;
    for (i = 0; i < d->nqual; i++)
        if (d->qual[i].prov == prov)
            return HC_YES;
    for (i = 0; i < d->nmissing; i++)
        if (d->missing[i].prov == prov)
            return HC_MAYBE;
    return HC_NO;
}

static void restrict_by_policy(struct ctx *x)
{
    struct hc_decision *d = x->d;
    int anchor = policy_anchor(d->type);
    d->outcome = HC_OUT_PROHIBITED;
    d->by_policy = 1;
    d->nbasis = 0;
    add_basis(d, HC_P_POLICY, 0);
    /* 7284.6 is the Values Act's, in force from 2018: before, the policy stands alone. */
    if (anchor >= 0 && x->ruleset == HC_RULES_VALUES)
        add_basis(d, anchor, 0);
    d->nmissing = 0;
    /* Duties that attach to cooperating go with it: no release notice is sent, no transfer
     * reported, no hold limited, no interview held (so no consent form), no history shared
     * (7283.1(b) second sentence, 7284.6(c)(2), 7282(c), 7283.1(a), 7284.6(b)(2)). */
    d->duties &= ~((1u << HC_D_SAME_NOTICE) | (1u << HC_D_NOT_REQUIRED) |
                   (1u << HC_D_LOCAL_POLICY) | (1u << HC_D_REPORT_TRANSFER) |
                   (1u << HC_D_HOLD_48H) | (1u << HC_D_CONSENT_FORM) |
                   (1u << HC_D_STATE_LAW_HISTORY));
    /* 8 USC 1373(a) forbids restricting the exchange of status information; 7284.6(e). */
    if (d->type == HC_REQ_STATUS_EXCHANGE)
        add_note(d, HC_N_POLICY_1373, 0);
}

/* For serious_violent_only on a request that state law opens without looking at the record
 * (an interview, a criminal history): whether the record shows a serious or violent felony
 * (7282.5(a)(1), the TRUST Act's (a)(1) before 2018), recording it as for a notification. */
static int policy_a1(struct ctx *x, int prov)
{
    const struct hc_case *c = x->c;
    size_t i, n = c->nconv < HC_CASE_MAX_RECORDS ? c->nconv : HC_CASE_MAX_RECORDS;
    int r = HC_NO;
    for (i = 0; i < n; i++) {
        struct cf f;
        conv_facts(x, i, &f);
        r = tri_or(r, conv_a1(x, i, &f, prov));
    }
    return r;
}

static void apply_policy(struct ctx *x)
{
    struct hc_decision *d = x->d;
    int pol = x->c->policy[d->type];
    int a1 = x->ruleset == HC_RULES_VALUES ? HC_P_7282_5_A1 : HC_P_T_A1;

    d->policy = (unsigned char)pol;
    d->state_outcome = d->outcome;
    switch (pol) {
    case HC_POLICY_NEVER:
        if (d->outcome != HC_OUT_PROHIBITED)
            restrict_by_policy(x);
        break;
    case HC_POLICY_SERIOUS_VIOLENT:
        if (d->outcome == HC_OUT_PROHIBITED)
            break;
        if (d->type == HC_REQ_INTERVIEW || d->type == HC_REQ_CRIMINAL_HISTORY) {
            /* State law opens these whatever the record (7284.6(b)(2), (b)(5)); the policy
             * narrows them to people with a serious or violent felony. The state outcome, and
             * its conditions, stand where the policy is met. */
            int r = policy_a1(x, a1);
            if (r == HC_MAYBE)
                d->outcome = HC_OUT_REVIEW;
            else if (r == HC_NO)
                restrict_by_policy(x);
            break;
        }
        if (prov_met(d, a1) == HC_YES || (d->type == HC_REQ_TRANSFER && (x->jw || x->jpc)))
            d->outcome = HC_OUT_PERMITTED;
        else if (prov_met(d, a1) == HC_MAYBE)
            d->outcome = HC_OUT_REVIEW;
        else
            restrict_by_policy(x);
        break;
    case HC_POLICY_JUDICIAL_WARRANT:
        if (d->outcome != HC_OUT_PROHIBITED && !x->jw && !x->jpc)
            restrict_by_policy(x);
        break;
    case HC_POLICY_ALWAYS:
        /* A policy may only restrict (7282.5(a), 7284.6(a)(1)(C), 7284.6(b)): state law wins. */
        if (d->outcome == HC_OUT_PROHIBITED && d->nbasis > 0 && d->nconflict < HC_MAX_CONFLICT)
            d->conflict[d->nconflict++] = d->basis[0].prov;
        break;
    default:
        break;
    }
}

/* ---- entry points ------------------------------------------------------------------------ */

int hc_ruleset_for(hc_day day, const struct hc_settings *s)
{
    hc_day values_start = s != NULL && s->sb54_jan4 ? DAY_2018_JAN4 : DAY_2018;
    if (day < DAY_2014)
        return -1;
    if (day >= values_start)
        return HC_RULES_VALUES;
    if (day >= DAY_2017)
        return HC_RULES_TRUTH;
    return HC_RULES_TRUST;
}

static unsigned decide_once(const struct hc_catalog *cat, const struct hc_case *c,
                            const struct hc_settings *st, struct rec *conv, struct rec *charge,
                            hc_day cuts[2], int quiet, unsigned *solid, struct hc_decision *out)
{
    struct ctx x;

    memset(out, 0, offsetof(struct hc_decision, basis));
    x.cat = cat;
    x.c = c;
    x.st = *st;
    x.ruleset = hc_ruleset_for(c->as_of, st);
    x.d = out;
    x.conv = conv;
    x.charge = charge;
    x.cuts = cuts;
    x.quiet = quiet;
    x.indep = 0;
    x.indep_outside = 0;
    x.touched = 0;
    x.a6_blocked = 0;
    {
        int admin = admin_form(c->form);
        x.jw_doubt = c->judicial_warrant && admin;
        x.jw = c->judicial_warrant && !admin;
        x.jpc_doubt = c->judicial_pc && admin;
        x.jpc = c->judicial_pc && !admin;
    }
    out->type = c->type;
    out->ruleset = (unsigned char)x.ruleset;
    if (quiet)
        out->nnote = 0xff; /* add_note records nothing */
    if (c->as_of >= DAY_2018 && c->as_of < DAY_2018_JAN4) {
        add_note(out, HC_N_SB54_FIRST_DAYS, 0);
        x.touched |= HC_SET_SB54_START;
    }
    if (x.ruleset == HC_RULES_VALUES)
        decide_values(&x);
    else
        decide_trust(&x);
    apply_policy(&x);
    if (out->outcome == HC_OUT_REVIEW) {
        /* A review rests on the provisions whose facts are missing: cite each. */
        int k;
        for (k = 0; k < out->nmissing; k++)
            add_basis(out, out->missing[k].prov, 0);
    }
    if (out->outcome != HC_OUT_REVIEW) {
        out->nmissing = 0;
        out->missing_dropped = 0;
    }
    if (out->outcome == HC_OUT_PROHIBITED && !out->by_policy)
        out->nqual = 0;
    if (quiet)
        out->nnote = 0;
    if (solid != NULL) {
        /* Under the person-level Prop 47 reading, counting one more record (a juvenile or an
         * expunged one) can shut every 7282.5 route, so those routes are not independent of
         * the juvenile and expunged settings. */
        unsigned in = x.indep;
        if (x.st.prop47_scope == HC_P47_PERSON)
            in &= ~(unsigned)(HC_SET_JUVENILE | HC_SET_EXPUNGED);
        *solid = in | x.indep_outside;
    }
    return x.touched;
}

/* The other values of the interpretive setting `bit` (one HC_SET_*) than st has, each as a copy
 * of st with that value, into alt; returns how many (at most HC_PRISON_DECISION). */
static int other_settings(const struct hc_settings *st, unsigned bit,
                          struct hc_settings alt[HC_PRISON_DECISION])
{
    int n = 0, v;
    alt[0] = *st;
    switch (bit) {
    case HC_SET_PROP47_SCOPE:
        alt[0].prop47_scope = st->prop47_scope == HC_P47_PERSON ? HC_P47_OFFENSE : HC_P47_PERSON;
        return 1;
    case HC_SET_PRISON_AT:
        for (v = HC_PRISON_REVIEW; v <= HC_PRISON_DECISION && n < HC_PRISON_DECISION; v++) {
            if (v == st->prison_at)
                continue;
            alt[n] = *st;
            alt[n++].prison_at = (unsigned char)v;
        }
        return n;
    case HC_SET_JUVENILE:
        alt[0].juvenile = st->juvenile == HC_JUV_COUNT ? HC_JUV_EXCLUDE : HC_JUV_COUNT;
        return 1;
    case HC_SET_EXPUNGED:
        alt[0].expunged = st->expunged == HC_EXP_EXCLUDE ? HC_EXP_COUNT : HC_EXP_EXCLUDE;
        return 1;
    default:
        alt[0].sb54_jan4 = !st->sb54_jan4;
        return 1;
    }
}

int hc_decide(const struct hc_catalog *cat, const struct hc_case *c, struct hc_decision *out,
              struct hc_diag *d)
{
    struct rec conv[HC_CASE_MAX_RECORDS], charge[HC_CASE_MAX_RECORDS];
    hc_day cuts[2];
    struct hc_decision alt;
    struct hc_settings st[HC_PRISON_DECISION];
    unsigned touched, solid = 0, bit;
    size_t i;
    int n, k;

    if (hc_ruleset_for(c->as_of, &c->settings) < 0)
    {
        hc_diag_set(d, "as_of", "is before 2014-01-01, when the first California law holdcheck "
                    "encodes (the TRUST Act) took effect", NULL);
        return HC_ERANGE;
    }
    if (c->nconv > HC_CASE_MAX_RECORDS || c->ncharges > HC_CASE_MAX_RECORDS) {
        hc_diag_set(d, "person", "too many records in one case", NULL);
        return HC_ERANGE;
    }
    /* Catalog facts are resolved on first use and shared by the re-runs below. */
    for (i = 0; i < c->nconv; i++)
        conv[i].resolved = 0;
    for (i = 0; i < c->ncharges; i++)
        charge[i].resolved = 0;
    cuts[0] = cuts[1] = HC_DAY_NONE;
    touched = decide_once(cat, c, &c->settings, conv, charge, cuts, 0, &solid, out);
    /* A setting cannot change a permission that rests on a route it does not reach (the
     * settings only change 7282.5 tests; serious_violent_only reads (a)(1) results). */
    if ((out->outcome == HC_OUT_PERMITTED || out->outcome == HC_OUT_PERMITTED_COND) &&
        out->policy != HC_POLICY_SERIOUS_VIOLENT)
        touched &= ~solid | HC_SET_SB54_START;
    if (touched == 0)
        return HC_OK;
    /* Report each interpretive setting whose other values would change the outcome. */
    for (bit = HC_SET_PROP47_SCOPE; bit <= HC_SET_SB54_START; bit <<= 1) {
        if (!(touched & bit))
            continue;
        n = other_settings(&c->settings, bit, st);
        for (k = 0; k < n; k++) {
            decide_once(cat, c, &st[k], conv, charge, cuts, 1, NULL, &alt);
            if (alt.outcome != out->outcome)
                out->settings_changed |= (unsigned char)bit;
        }
    }
    return HC_OK;
}

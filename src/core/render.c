/* SPDX-License-Identifier: MIT
 * render.c: the words of holdcheck. Every provision, duty and missing fact has one citation and
 * one plain sentence here, used by both the JSON and the text form, so they cannot drift. */
#include "render.h"

#include <string.h>

struct prov_text {
    const char *cite;  /* "Gov. Code § 7284.6(a)(1)(B)" */
    const char *plain; /* what the provision says, in plain words */
};

#define TRUST_TAG " (TRUST Act, Stats. 2013, ch. 570)"

static const struct prov_text provs[HC_P_COUNT] = {
    /* 7284.6(a)(1): agencies shall not "use agency or department moneys or personnel to
     * investigate, interrogate, detain, detect, or arrest persons for immigration enforcement
     * purposes, including ... (A) Inquiring into an individual's immigration status." */
    [HC_P_7284_6_A1A] = {"Gov. Code § 7284.6(a)(1)(A)",
        "California law enforcement may not use agency money or staff for immigration "
        "enforcement, which includes inquiring into a person's immigration status"},
    [HC_P_7284_6_A1B] = {"Gov. Code § 7284.6(a)(1)(B)",
        "California law enforcement may not keep anyone in custody because immigration "
        "authorities asked for a hold (detainer); there is no exception"},
    [HC_P_7284_6_A1C] = {"Gov. Code § 7284.6(a)(1)(C)",
        "the agency may tell immigration authorities when a person will be released only if "
        "that information is available to the public or Gov. Code § 7282.5 allows it, and it is "
        "never required to"},
    [HC_P_7284_6_A1D] = {"Gov. Code § 7284.6(a)(1)(D)",
        "the agency may not give immigration authorities personal information, such as a home "
        "or work address, unless that information is available to the public"},
    [HC_P_7284_6_A1E] = {"Gov. Code § 7284.6(a)(1)(E)",
        "California law enforcement may not make or take part in arrests based on civil "
        "immigration warrants"},
    [HC_P_7284_6_A1F] = {"Gov. Code § 7284.6(a)(1)(F)",
        "California law enforcement may not help immigration authorities with searches under "
        "8 U.S.C. § 1357(a)(3)"},
    [HC_P_7284_6_A1G] = {"Gov. Code § 7284.6(a)(1)(G)",
        "California law enforcement may not perform the functions of an immigration officer"},
    [HC_P_7284_6_A2] = {"Gov. Code § 7284.6(a)(2)",
        "officers may not be placed under federal supervision for immigration enforcement"},
    [HC_P_7284_6_A3] = {"Gov. Code § 7284.6(a)(3)",
        "the agency may not use immigration authorities as interpreters for people in its "
        "custody"},
    [HC_P_7284_6_A4] = {"Gov. Code § 7284.6(a)(4)",
        "the agency may transfer a person to immigration authorities only on a judicial "
        "warrant or a judicial probable cause determination, or as Gov. Code § 7282.5 allows"},
    [HC_P_7284_6_A5] = {"Gov. Code § 7284.6(a)(5)",
        "the agency may not give immigration authorities office space dedicated to them"},
    [HC_P_7284_6_A6] = {"Gov. Code § 7284.6(a)(6)",
        "the agency may not contract to house federal immigration detainees, except under "
        "Gov. Code § 7310 and following"},
    [HC_P_7284_6_B2] = {"Gov. Code § 7284.6(b)(2)",
        "the agency may answer a request for a specific person's criminal history where state "
        "law otherwise allows it"},
    [HC_P_7284_6_B4] = {"Gov. Code § 7284.6(b)(4)",
        "the agency may make the inquiries needed to certify a crime or trafficking victim for "
        "a T or U visa"},
    [HC_P_7284_6_B5] = {"Gov. Code § 7284.6(b)(5)",
        "the agency may let immigration authorities interview a person in custody, but only "
        "as the TRUTH Act requires"},
    /* 7284.6(e): "This section does not prohibit or restrict any government entity or official
     * from sending to, or receiving from, federal immigration authorities, information regarding
     * the citizenship or immigration status, lawful or unlawful, of an individual, or from
     * requesting from federal immigration authorities immigration status information ... or
     * maintaining or exchanging that information ... pursuant to Sections 1373 and 1644 of
     * Title 8 of the United States Code." */
    [HC_P_7284_6_E] = {"Gov. Code § 7284.6(e)",
        "the Values Act does not stop the agency from sending information about a person's "
        "citizenship or immigration status to federal immigration authorities, receiving it "
        "from them, asking them for it, or keeping and exchanging it, as 8 U.S.C. §§ 1373 and "
        "1644 provide"},
    [HC_P_7282_5_A1] = {"Gov. Code § 7282.5(a)(1)",
        "the person was convicted of a serious or violent felony (Penal Code § 1192.7(c) or "
        "§ 667.5(c))"},
    [HC_P_7282_5_A2] = {"Gov. Code § 7282.5(a)(2)",
        "the person was convicted of a felony punishable by imprisonment in the state prison"},
    [HC_P_7282_5_A3] = {"Gov. Code § 7282.5(a)(3)",
        "the person was convicted of an offense in a listed category: a felony within the last "
        "15 years, or a misdemeanor for a crime punishable either way within the past five years"},
    [HC_P_7282_5_A4] = {"Gov. Code § 7282.5(a)(4)",
        "the person is a current registrant on the California Sex and Arson Registry"},
    [HC_P_7282_5_A5] = {"Gov. Code § 7282.5(a)(5)",
        "the person was convicted of a federal aggravated felony (8 U.S.C. § 1101(a)(43)(A) to "
        "(P)) or is identified by immigration authorities as the subject of an outstanding "
        "federal felony arrest warrant"},
    [HC_P_7282_5_A6] = {"Gov. Code § 7282.5(a)(6)",
        "no cooperation under Gov. Code § 7282.5 is allowed on the basis of a misdemeanor that "
        "was a felony or a wobbler before Proposition 47"},
    [HC_P_7282_5_B] = {"Gov. Code § 7282.5(b)",
        "the person was taken before a magistrate on a serious, violent or state-prison felony "
        "charge and the magistrate found probable cause (Penal Code § 872); this allows "
        "answering a notification request only"},
    [HC_P_T_A1] = {"Gov. Code § 7282.5(a)(1)" TRUST_TAG,
        "the person was convicted of a serious or violent felony"},
    [HC_P_T_A2] = {"Gov. Code § 7282.5(a)(2)" TRUST_TAG,
        "the person was convicted of a felony punishable by imprisonment in the state prison"},
    [HC_P_T_A3] = {"Gov. Code § 7282.5(a)(3)" TRUST_TAG,
        "the person was convicted of an offense in a listed category: a felony at any time, or "
        "a misdemeanor for a crime punishable either way within the past five years"},
    [HC_P_T_A4] = {"Gov. Code § 7282.5(a)(4)" TRUST_TAG,
        "the person is a current registrant on the California Sex and Arson Registry"},
    [HC_P_T_A5] = {"Gov. Code § 7282.5(a)(5)" TRUST_TAG,
        "the person was taken before a magistrate on a serious, violent, state-prison or listed "
        "felony charge (other than domestic violence) and the magistrate found probable cause"},
    [HC_P_T_A6] = {"Gov. Code § 7282.5(a)(6)" TRUST_TAG,
        "the person was convicted of a federal aggravated felony or is the subject of an "
        "outstanding federal felony arrest warrant"},
    [HC_P_T_B] = {"Gov. Code § 7282.5(b)" TRUST_TAG,
        "no one may be kept on an immigration hold after becoming eligible for release unless "
        "a condition of subdivision (a) is met"},
    [HC_P_T_HOLDS_ONLY] = {"Gov. Code § 7282.5" TRUST_TAG,
        "before 2018 California law limited only immigration holds; no state statute "
        "restricted this request"},
    [HC_P_7282_FG] = {"Gov. Code § 7282(f), (g)",
        "an offense committed in another state counts as a serious or violent felony if it "
        "would be one in California"},
    [HC_P_7282_A] = {"Gov. Code § 7282(a)",
        "a conviction has the meaning of Penal Code § 667(d), which counts a conviction in "
        "another jurisdiction, such as a federal court, for an offense that has all the "
        "elements of the California offense"},
    [HC_P_POLICY] = {"agency policy",
        "the agency's own policy, which may restrict cooperation further than state law"},
    /* 7283.1(a) (TRUTH Act, Stats. 2016, ch. 768, from 2017-01-01): "In advance of any
     * interview between ICE and an individual in local law enforcement custody regarding civil
     * immigration violations, the local law enforcement entity shall provide the individual
     * with a written consent form that explains the purpose of the interview, that the
     * interview is voluntary, and that he or she may decline to be interviewed or may choose to
     * be interviewed only with his or her attorney present." */
    [HC_P_7283_1_A] = {"Gov. Code § 7283.1(a) (TRUTH Act, Stats. 2016, ch. 768)",
        "an interview by immigration authorities of a person in custody may take place only "
        "after the person receives a written consent form, and only if they agree"},
    /* Before the Values Act (2018-01-01) the TRUST Act (Gov. Code §§ 7282, 7282.5 as then in
     * force) limited only immigration holds; it said nothing of other requests. */
    [HC_P_PRE2018_NONE] = {"California law before 2018",
        "no statute limited this kind of request; the law then in force limited only "
        "immigration holds"},
};

static const char *const cat_desc[HC_CAT_COUNT] = {
    "assault", "battery", "use of threats",
    "sexual abuse, sexual exploitation, or crimes endangering children",
    "child abuse or endangerment",
    "burglary, robbery, theft, fraud, forgery, or embezzlement",
    "driving under the influence of alcohol or drugs (felony)", "obstruction of justice",
    "bribery", "escape",
    /* NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one entry, wrapped at 100 columns */
    "unlawful possession or use of a weapon, firearm, explosive device, or weapon of mass "
    "destruction",
    "possession of an unlawful deadly weapon",
    "felony possession, sale, distribution, manufacture, or trafficking of controlled "
    "substances",
    "vandalism with prior convictions", "gang-related offenses",
    "attempt or conspiracy to commit an offense named in Gov. Code § 7282.5",
    "a crime resulting in death or great bodily injury",
    "possession or use of a firearm in the commission of an offense",
    "an offense requiring sex-offender registration",
    "false imprisonment, slavery, and human trafficking",
    "criminal profiteering and money laundering", "torture and mayhem",
    "a crime threatening public safety", "elder and dependent adult abuse", "a hate crime",
    "stalking", "soliciting the commission of a crime",
    "an offense committed while on bail or released on own recognizance",
    "rape, sodomy, oral copulation, or sexual penetration", "kidnapping",
    "Vehicle Code § 20001(c) (hit and run causing death or injury)",
};

static const char *const duty_text[HC_D_COUNT] = {
    [HC_D_COPY_REQUEST] = "Gov. Code § 7283.1(b): give the person a copy of the request and tell "
        "them in writing whether the agency intends to comply",
    [HC_D_SAME_NOTICE] = "Gov. Code § 7283.1(b): if the agency tells immigration authorities "
        "when the person will be released, give the same notice in writing, promptly, to the "
        "person and to their attorney or one other person they choose",
    [HC_D_CONSENT_FORM] = "Gov. Code § 7283.1(a): before any interview, give the person a written "
        "consent form explaining its purpose, that it is voluntary, and that they may decline "
        "it or agree only with their attorney present (in English, Spanish, Chinese, Tagalog, "
        "Vietnamese or Korean); interview only with their consent",
    [HC_D_PUBLIC_RECORDS] = "Gov. Code § 7283.1(c): keep the records of this request and of "
        "every communication with immigration authorities about it; they are public records",
    [HC_D_NOT_REQUIRED] = "Gov. Code § 7284.6(a)(1)(C): a response is never required, and is "
        "allowed only if it violates no local law or policy",
    [HC_D_LOCAL_POLICY] = "Gov. Code § 7282.5(a): cooperate only if doing so violates no "
        "federal, state or local law or local policy",
    [HC_D_REPORT_TRANSFER] = "Gov. Code § 7284.6(c)(2): count this transfer, and the offense "
        "that allowed it, in the agency's annual report to the Department of Justice",
    [HC_D_STATE_LAW_HISTORY] = "Gov. Code § 7284.6(b)(2): share criminal history only where "
        "state law otherwise allows it (for example the CLETS rules)",
    [HC_D_HOLD_48H] = "Gov. Code § 7282(c) (TRUST Act): a hold may keep the person no more than "
        "48 hours after they are eligible for release, excluding weekends and holidays",
};

static const char *const req_plain[HC_REQ_COUNT] = {
    [HC_REQ_HOLD] = "keep the person in custody after they are due for release (a hold or detainer)",
    [HC_REQ_NOTIFICATION] = "tell them when the person will be released",
    [HC_REQ_TRANSFER] = "hand the person over to them",
    [HC_REQ_INTERVIEW] = "let them interview the person",
    /* NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one entry, wrapped at 100 columns */
    [HC_REQ_PERSONAL_INFO] = "give them personal information about the person, such as a home "
        "or work address",
    [HC_REQ_CRIMINAL_HISTORY] = "give them the person's criminal history",
    [HC_REQ_STATUS_INQUIRY] = "ask the person about their immigration status",
    [HC_REQ_CIVIL_WARRANT_ARREST] = "arrest the person on a civil immigration warrant",
    [HC_REQ_OFFICER_FUNCTIONS] = "act as immigration officers",
    [HC_REQ_BORDER_SEARCH] = "help with searches under 8 U.S.C. § 1357(a)(3)",
    [HC_REQ_INTERPRETER] = "let immigration authorities interpret for people in custody",
    [HC_REQ_OFFICE_SPACE] = "give immigration authorities office space of their own",
    [HC_REQ_DETENTION_CONTRACT] = "house people in custody for immigration authorities",
    [HC_REQ_STATUS_EXCHANGE] = "exchange information about citizenship or immigration status",
    [HC_REQ_VISA_CERTIFICATION] = "make inquiries to certify a victim for a T or U visa",
};

const char *hc_outcome_name(int outcome)
{
    switch (outcome) {
    case HC_OUT_PERMITTED: return "permitted";
    case HC_OUT_PERMITTED_COND: return "permitted_with_conditions";
    case HC_OUT_PROHIBITED: return "prohibited";
    default: return "review";
    }
}

const char *hc_ruleset_name(int ruleset)
{
    switch (ruleset) {
    case HC_RULES_TRUST: return "CA-2014-01-01";
    case HC_RULES_TRUTH: return "CA-2017-01-01";
    default: return "CA-2018-01-01";
    }
}

/* The value v in [lo, hi] for which name(v) is s, or -1 (s may be NULL). */
static int value_named(const char *(*name)(int), int lo, int hi, const char *s)
{
    int v;
    if (s == NULL)
        return -1;
    for (v = lo; v <= hi; v++)
        if (strcmp(name(v), s) == 0)
            return v;
    return -1;
}

int hc_outcome_from_name(const char *s)
{
    return value_named(hc_outcome_name, HC_OUT_PERMITTED, HC_OUT_REVIEW, s);
}

int hc_ruleset_from_name(const char *s)
{
    return value_named(hc_ruleset_name, HC_RULES_TRUST, HC_RULES_VALUES, s);
}

static const char *policy_name(int p)
{
    static const char *const names[] = {
        "state_law", "never", "serious_violent_only", "judicial_warrant_only", "always",
    };
    return p >= 0 && p < 5 ? names[p] : "state_law";
}

/* "7282.5(a)(3)(B)" part of a citation: the text after "§ " up to any " (". */
static void put_prov_short(struct hc_buf *b, int prov, int cat)
{
    const char *s = provs[prov].cite, *sect = strstr(s, "§ "), *end;
    if (sect == NULL) {
        hc_buf_puts(b, s);
        return;
    }
    sect += strlen("§ ");
    end = strstr(sect, " (");
    hc_buf_put(b, sect, end ? (size_t)(end - sect) : strlen(sect));
    if (cat > 0) {
        hc_buf_putc(b, '(');
        hc_buf_puts(b, hc_cat_letters(cat - 1));
        hc_buf_putc(b, ')');
    }
}

void hc_render_basis(const struct hc_basis *bs, const struct hc_decision *d, const struct hc_case *c,
                     struct hc_buf *b)
{
    const char *s = provs[bs->prov].cite, *paren;
    if (bs->prov == HC_P_POLICY) {
        hc_buf_puts(b, "agency policy: ");
        hc_buf_puts(b, hc_request_name(d->type));
        hc_buf_puts(b, " \"");
        hc_buf_puts(b, policy_name(c->policy[d->type]));
        hc_buf_putc(b, '"');
        return;
    }
    if (bs->cat == 0) {
        hc_buf_puts(b, s);
        return;
    }
    /* Insert the category letter before any " (TRUST Act ...)" tag. */
    paren = strstr(s, " (");
    hc_buf_put(b, s, paren ? (size_t)(paren - s) : strlen(s));
    hc_buf_putc(b, '(');
    hc_buf_puts(b, hc_cat_letters(bs->cat - 1));
    hc_buf_putc(b, ')');
    if (paren)
        hc_buf_puts(b, paren);
}

/* ---- record facts ----------------------------------------------------------------------- */

static void put_fact_path(struct hc_buf *b, int fact, size_t idx)
{
    switch (fact) {
    case HC_FACT_CONVICTION:
        hc_buf_puts(b, "person.convictions[");
        hc_buf_putu(b, idx);
        hc_buf_putc(b, ']');
        break;
    case HC_FACT_CHARGE:
        hc_buf_puts(b, "person.pending_charges[");
        hc_buf_putu(b, idx);
        hc_buf_putc(b, ']');
        break;
    case HC_FACT_REGISTRANT: hc_buf_puts(b, "person.registrant_290"); break;
    case HC_FACT_FEDERAL_WARRANT: hc_buf_puts(b, "request.federal_felony_warrant"); break;
    case HC_FACT_JUDICIAL_WARRANT: hc_buf_puts(b, "request.judicial_warrant"); break;
    case HC_FACT_JUDICIAL_PC: hc_buf_puts(b, "request.judicial_probable_cause"); break;
    case HC_FACT_RELEASE_PUBLIC: hc_buf_puts(b, "agency.release_dates_public"); break;
    default: hc_buf_puts(b, "agency.personal_info_public"); break;
    }
}

static const char *level_name(int level)
{
    switch (level) {
    case HC_LEVEL_FELONY: return "felony";
    case HC_LEVEL_MISDEMEANOR: return "misdemeanor";
    case HC_LEVEL_INFRACTION: return "infraction";
    default: return "unknown";
    }
}

static void put_date(struct hc_buf *b, hc_day day)
{
    char s[11];
    hc_date_format(day, s);
    hc_buf_put(b, s, 10);
}

/* The canonical citation of a record entry (the equivalent for out-of-state convictions is
 * given separately). Falls back to the text as written when it did not parse. */
static void put_record_cite(struct hc_buf *b, const char *written, const struct hc_cite *cite, int ok)
{
    if (ok)
        hc_cite_format(cite, b);
    else
        hc_buf_puts(b, written);
}

/* Offense description for a record entry, from the catalog ("" when unknown). */
static const char *record_desc(const struct hc_catalog *cat, const struct hc_cite *cite, int ok,
                               hc_day on)
{
    struct hc_offense off;
    if (!ok)
        return "";
    hc_catalog_resolve(cat, cite, on, &off);
    return off.desc;
}

static void json_key(struct hc_buf *b, const char *k)
{
    hc_buf_putc(b, '"');
    hc_buf_puts(b, k);
    hc_buf_puts(b, "\":");
}

static void json_str(struct hc_buf *b, const char *s)
{
    hc_buf_put_jstr(b, s, strlen(s));
}

/* ,"citation": and the canonical citation of a record entry, or the text as written when the
 * canonical form does not fit 64 bytes. */
static void json_record_cite(struct hc_buf *b, const char *written, const struct hc_cite *cite,
                             int ok)
{
    char tmp[64];
    struct hc_buf t;

    hc_buf_putc(b, ',');
    json_key(b, "citation");
    hc_buf_init(&t, tmp, sizeof tmp);
    put_record_cite(&t, written, cite, ok);
    if (t.full)
        json_str(b, written);
    else
        hc_buf_put_jstr(b, t.data, t.len);
}

/* Whether qualifying fact q of conviction cv was judged through its California equivalent:
 * another state's always (7282(f), (g)); a federal one except under 7282.5(a)(5), which takes
 * the federal crime itself. */
static int qual_by_equiv(const struct hc_conviction *cv, const struct hc_qual *q)
{
    if (cv->juris == HC_JURIS_OTHER)
        return 1;
    return cv->juris == HC_JURIS_FEDERAL && q->prov != HC_P_7282_5_A5 && q->prov != HC_P_T_A6;
}

static void json_qual(const struct hc_catalog *cat, const struct hc_case *c,
                      const struct hc_qual *q, struct hc_buf *b)
{
    char tmp[64];
    struct hc_buf t;

    hc_buf_puts(b, "{\"provision\":\"");
    put_prov_short(b, q->prov, q->cat);
    hc_buf_puts(b, "\",\"fact\":\"");
    put_fact_path(b, q->fact, q->idx);
    hc_buf_putc(b, '"');
    if (q->fact == HC_FACT_CONVICTION) {
        const struct hc_conviction *cv = &c->conv[q->idx];
        hc_day on = cv->date != HC_DAY_NONE ? cv->date : c->as_of;
        json_record_cite(b, cv->citation, &cv->cite, cv->cite_ok);
        if (qual_by_equiv(cv, q) && cv->has_equiv) {
            hc_buf_putc(b, ',');
            json_key(b, "ca_equivalent");
            hc_buf_init(&t, tmp, sizeof tmp);
            hc_cite_format(&cv->equiv, &t);
            hc_buf_put_jstr(b, t.data, t.len);
        }
        hc_buf_putc(b, ',');
        json_key(b, "offense");
        json_str(b, qual_by_equiv(cv, q)
                        ? record_desc(cat, &cv->equiv, cv->has_equiv && cv->equiv_ok, on)
                        : record_desc(cat, &cv->cite, cv->cite_ok, on));
        hc_buf_putc(b, ',');
        json_key(b, "level");
        json_str(b, level_name(cv->level));
        if (cv->date != HC_DAY_NONE) {
            hc_buf_puts(b, ",\"date\":\"");
            put_date(b, cv->date);
            hc_buf_putc(b, '"');
        }
    } else if (q->fact == HC_FACT_CHARGE) {
        const struct hc_charge *ch = &c->charges[q->idx];
        json_record_cite(b, ch->citation, &ch->cite, ch->cite_ok);
        hc_buf_putc(b, ',');
        json_key(b, "offense");
        json_str(b, record_desc(cat, &ch->cite, ch->cite_ok, c->as_of));
        hc_buf_puts(b, ",\"magistrate_probable_cause\":true");
    }
    if (q->para) {
        hc_buf_puts(b, ",\"serious_felony\":\"Penal Code § 1192.7(c)(");
        hc_buf_putu(b, q->para);
        hc_buf_puts(b, ")\"");
    }
    if (q->vpara) {
        hc_buf_puts(b, ",\"violent_felony\":\"Penal Code § 667.5(c)(");
        hc_buf_putu(b, q->vpara);
        hc_buf_puts(b, ")\"");
    }
    if (q->cat) {
        hc_buf_puts(b, ",\"category\":");
        json_str(b, cat_desc[q->cat - 1]);
    }
    if (q->agg) {
        hc_buf_puts(b, ",\"aggravated_felony\":\"8 U.S.C. § 1101(a)(43)(");
        hc_buf_putc(b, q->agg);
        hc_buf_puts(b, ")\"");
    }
    if (q->years) {
        hc_buf_puts(b, ",\"lookback\":{\"years\":");
        hc_buf_putu(b, q->years);
        hc_buf_puts(b, ",\"after\":\"");
        put_date(b, q->window_from);
        hc_buf_puts(b, "\",\"until\":\"");
        put_date(b, c->as_of);
        hc_buf_puts(b, "\",\"inside\":true}");
    }
    hc_buf_putc(b, '}');
}

/* ---- missing facts ----------------------------------------------------------------------- */

/* What a missing fact says after its field path: before, then the record's citation and after;
 * with after NULL, before alone. (An unreadable citation and an administrative warrant say
 * more, and put_missing writes them out.) */
static const struct missing_text {
    const char *before, *after;
} missing_text[HC_M_JUVENILE_REACH + 1] = {
    [HC_M_CITATION_UNKNOWN] = {
        ".citation: ",
        " is not in the offense catalog; a person must decide whether it meets "
        "the condition"},
    [HC_M_LEVEL] = {
        ".level: not given; whether this was a felony or a misdemeanor decides "
        "the outcome",
        NULL},
    [HC_M_DATE] = {
        ".date: not given; the lookback counts from the date of conviction",
        NULL},
    [HC_M_SUBDIVISION] = {
        ".citation: ",
        " is not specific enough: the answer differs between its subdivisions or "
        "degrees; give the exact subdivision"},
    [HC_M_SENTENCE] = {
        ".citation: the catalog does not know whether a felony under ",
        " is punishable by state prison or only by county jail under Penal Code "
        "§ 1170(h)"},
    [HC_M_WOBBLER] = {
        ".wobbler: not given, and the catalog cannot tell whether ",
        " was punishable either as a misdemeanor or as a felony"},
    [HC_M_PROP47] = {
        ".prop47_reduced: not given; whether this misdemeanor is one that "
        "Proposition 47 reduced from a felony or wobbler decides the outcome",
        NULL},
    [HC_M_AGG_LETTER] = {
        ".federal_aggravated_felony: the subparagraph of 8 U.S.C. § 1101(a)(43) "
        "is not given and the catalog cannot place ",
        ""},
    [HC_M_TARGET] = {
        ".citation: an attempt or conspiracy must name the offense attempted, "
        "e.g. PC 664/211",
        NULL},
    [HC_M_OUT_OF_STATE] = {
        ".ca_equivalent: a conviction from another jurisdiction must be matched "
        "to a California offense by a person",
        NULL},
    [HC_M_PRISON_READING] = {
        ".citation: whether a felony under ",
        " is punishable by state prison differs between the law at conviction and "
        "the law today; set agency.settings.state_prison_at"},
    /* WIC 203: an adjudication "shall not be deemed a conviction of a crime for any purpose";
     * PC 667(d)(3) (borrowed by Gov. Code § 7282(a)) treats a juvenile adjudication as a prior
     * conviction only when the juvenile was 16 or older and the offense is listed in WIC
     * 707(b) or is a serious or violent felony. */
    [HC_M_STRIKE_ADJUDICATION] = {
        ".strike_adjudication: a juvenile adjudication that Penal Code § 667(d)(3) "
        "treats as a prior conviction; the agency does not count such adjudications "
        "(agency.settings.juvenile_adjudications is exclude), so a person must decide "
        "whether this record can be relied on",
        NULL},
    [HC_M_JUVENILE_REACH] = {
        ".strike_adjudication: the agency counts only juvenile adjudications that "
        "Penal Code § 667(d)(3) treats as prior convictions (offenses listed in "
        "Welf. & Inst. Code § 707(b), or serious or violent felonies); whether ",
        " is one depends on facts the citation does not give (the subdivision, the "
        "quantity, or great bodily injury); set strike_adjudication if it is"},
    [HC_M_LEVEL_CONFLICT] = {
        ".level: the record says felony, but the catalog lists ",
        " as a misdemeanor only; check the record"},
    [HC_M_LEVEL_CONFLICT_MISD] = {
        ".level: the record says misdemeanor, but the catalog lists ",
        " as a felony only; check the record"},
    [HC_M_DATE_SENTENCE] = {
        ".date: not given; whether a felony under ",
        " is punishable by state prison depends on the date of conviction"},
    [HC_M_PROP47_FELONY] = {
        ".prop47_reduced: not given; this felony conviction is for an offense "
        "Proposition 47 reclassified, and whether it was since reduced to a "
        "misdemeanor (Penal Code § 1170.18) decides the outcome",
        NULL},
    [HC_M_PROP47_CONFLICT] = {
        ".prop47_reduced: true, but ",
        " is not an offense Proposition 47 reclassified (Penal Code § 1170.18), "
        "so it cannot have been reduced under it; check the record"},
};

static void put_missing(const struct hc_case *c, const struct hc_missing *m, struct hc_buf *b)
{
    const char *written = "", *why = "";
    const struct hc_cite *cite = NULL;
    int ok = 0;

    if (m->fact == HC_FACT_CONVICTION) {
        written = c->conv[m->idx].citation;
        cite = &c->conv[m->idx].cite;
        ok = c->conv[m->idx].cite_ok;
        why = c->conv[m->idx].cite_error;
    } else if (m->fact == HC_FACT_CHARGE) {
        written = c->charges[m->idx].citation;
        cite = &c->charges[m->idx].cite;
        ok = c->charges[m->idx].cite_ok;
        why = c->charges[m->idx].cite_error;
    }
    put_fact_path(b, m->fact, m->idx);
    switch (m->what) {
    case HC_M_CITATION_UNREADABLE:
        hc_buf_puts(b, ".citation: \"");
        hc_buf_puts(b, written);
        hc_buf_puts(b, "\" could not be read (");
        hc_buf_puts(b, why);
        hc_buf_puts(b, "); write it as, e.g., PC 245(a)(1)");
        break;
    case HC_M_ADMIN_WARRANT:
        hc_buf_puts(b, ": the request's form, ");
        hc_buf_puts(b, c->form);
        hc_buf_puts(b, ", is an administrative warrant or order signed by an immigration officer, ");
        hc_buf_puts(b, m->fact == HC_FACT_JUDICIAL_PC
                           ? "not a determination by a federal judge or magistrate judge; confirm "
                             "that a judge's probable-cause determination is attached, or set "
                             "judicial_probable_cause to false"
                           : "not a judicial warrant; confirm that a warrant issued by a federal "
                             "judge or magistrate judge is attached, or set judicial_warrant to "
                             "false");
        break;
    default: {
        const struct missing_text *t =
            &missing_text[m->what <= HC_M_JUVENILE_REACH ? m->what : HC_M_LEVEL_CONFLICT];
        hc_buf_puts(b, t->before);
        if (t->after != NULL) {
            put_record_cite(b, written, cite, ok);
            hc_buf_puts(b, t->after);
        }
        break;
    }
    }
    hc_buf_puts(b, " (");
    hc_buf_puts(b, provs[m->prov].cite);
    hc_buf_putc(b, ')');
}

static void put_conflict(const struct hc_case *c, const struct hc_decision *d, int prov,
                         struct hc_buf *b)
{
    hc_buf_puts(b, "agency.policy.");
    hc_buf_puts(b, hc_request_name(d->type));
    hc_buf_puts(b, ": \"");
    hc_buf_puts(b, policy_name(c->policy[d->type]));
    hc_buf_puts(b, "\" conflicts with ");
    hc_buf_puts(b, provs[prov].cite);
    hc_buf_puts(b, ", which does not allow this; state law prevails and a policy may only "
                   "restrict cooperation");
}

static const char *setting_name(int bit)
{
    switch (bit) {
    case HC_SET_PROP47_SCOPE: return "prop47_scope";
    case HC_SET_PRISON_AT: return "state_prison_at";
    case HC_SET_JUVENILE: return "juvenile_adjudications";
    case HC_SET_EXPUNGED: return "expunged";
    default: return "values_act_start";
    }
}

/* Writes item i of a list of d's (basis entries, missing facts or conflicts) as text. */
typedef void put_item_fn(const struct hc_case *c, const struct hc_decision *d, int i,
                         struct hc_buf *b);

static void put_basis_item(const struct hc_case *c, const struct hc_decision *d, int i,
                           struct hc_buf *b)
{
    hc_render_basis(&d->basis[i], d, c, b);
}

static void put_missing_item(const struct hc_case *c, const struct hc_decision *d, int i,
                             struct hc_buf *b)
{
    put_missing(c, &d->missing[i], b);
}

static void put_conflict_item(const struct hc_case *c, const struct hc_decision *d, int i,
                              struct hc_buf *b)
{
    put_conflict(c, d, d->conflict[i], b);
}

/* Items 0..n-1 as JSON strings separated by commas (each at most 1 KiB). */
static void json_str_list(const struct hc_case *c, const struct hc_decision *d, int n,
                          put_item_fn *put_item, struct hc_buf *b)
{
    char tmp[1024];
    struct hc_buf t;
    int i;

    for (i = 0; i < n; i++) {
        if (i)
            hc_buf_putc(b, ',');
        hc_buf_init(&t, tmp, sizeof tmp);
        put_item(c, d, i, &t);
        hc_buf_put_jstr(b, t.data, t.len);
    }
}

void hc_render_json(const struct hc_catalog *cat, const struct hc_case *c,
                    const struct hc_decision *d, struct hc_buf *b)
{
    int i, first;

    hc_buf_putc(b, '{');
    if (c->id != NULL) {
        json_key(b, "id");
        if (c->id_is_number)
            hc_buf_puts(b, c->id);
        else
            json_str(b, c->id);
        hc_buf_putc(b, ',');
    }
    json_key(b, "outcome");
    json_str(b, hc_outcome_name(d->outcome));
    hc_buf_puts(b, ",\"basis\":[");
    json_str_list(c, d, d->nbasis, put_basis_item, b);
    hc_buf_puts(b, "],\"qualifying\":[");
    for (i = 0; i < d->nqual; i++) {
        if (i)
            hc_buf_putc(b, ',');
        json_qual(cat, c, &d->qual[i], b);
    }
    hc_buf_puts(b, "],\"conditions\":[");
    for (first = 1, i = 0; i < HC_D_COUNT; i++) {
        if (!(d->duties & (1u << i)))
            continue;
        if (!first)
            hc_buf_putc(b, ',');
        first = 0;
        json_str(b, duty_text[i]);
    }
    hc_buf_puts(b, "],\"missing\":[");
    json_str_list(c, d, d->nmissing, put_missing_item, b);
    hc_buf_puts(b, "],\"conflicts\":[");
    json_str_list(c, d, d->nconflict, put_conflict_item, b);
    hc_buf_puts(b, "],\"settings\":[");
    for (first = 1, i = 0; i < 5; i++) {
        if (!(d->settings_changed & (1 << i)))
            continue;
        if (!first)
            hc_buf_putc(b, ',');
        first = 0;
        json_str(b, setting_name(1 << i));
    }
    hc_buf_puts(b, "],\"ruleset\":");
    json_str(b, hc_ruleset_name(d->ruleset));
    hc_buf_puts(b, ",\"explanation\":");
    {
        char ex[16384];
        struct hc_buf e;
        hc_buf_init(&e, ex, sizeof ex);
        hc_render_explanation(cat, c, d, &e);
        hc_buf_put_jstr(b, e.data, e.len);
    }
    hc_buf_putc(b, '}');
}

/* ---- plain language ---------------------------------------------------------------------- */

static void put_qual_sentence(const struct hc_catalog *cat, const struct hc_case *c,
                              const struct hc_qual *q, struct hc_buf *b)
{
    switch (q->fact) {
    case HC_FACT_CONVICTION: {
        const struct hc_conviction *cv = &c->conv[q->idx];
        hc_day on = cv->date != HC_DAY_NONE ? cv->date : c->as_of;
        const char *desc = qual_by_equiv(cv, q)
                               ? record_desc(cat, &cv->equiv, cv->has_equiv && cv->equiv_ok, on)
                               : record_desc(cat, &cv->cite, cv->cite_ok, on);
        hc_buf_puts(b, "The ");
        if (cv->level != HC_LEVEL_UNKNOWN) {
            hc_buf_puts(b, level_name(cv->level));
            hc_buf_putc(b, ' ');
        }
        hc_buf_puts(b, "conviction for ");
        put_record_cite(b, cv->citation, &cv->cite, cv->cite_ok);
        if (desc[0]) {
            hc_buf_puts(b, " (");
            hc_buf_puts(b, desc);
            hc_buf_putc(b, ')');
        }
        if (cv->date != HC_DAY_NONE) {
            hc_buf_puts(b, " on ");
            put_date(b, cv->date);
        }
        hc_buf_puts(b, " meets ");
        hc_buf_puts(b, provs[q->prov].cite);
        if (q->cat) {
            hc_buf_puts(b, ": the offense is in category (");
            hc_buf_puts(b, hc_cat_letters(q->cat - 1));
            hc_buf_puts(b, "), ");
            hc_buf_puts(b, cat_desc[q->cat - 1]);
            if (q->years) {
                hc_buf_puts(b, ", and the conviction is within the ");
                hc_buf_putu(b, q->years);
                hc_buf_puts(b, " years counted back from ");
                put_date(b, c->as_of);
                hc_buf_puts(b, " (after ");
                put_date(b, q->window_from);
                hc_buf_putc(b, ')');
            }
        } else if (q->para || q->vpara) {
            hc_buf_puts(b, ": it is a ");
            if (q->para) {
                hc_buf_puts(b, "serious felony under Penal Code § 1192.7(c)(");
                hc_buf_putu(b, q->para);
                hc_buf_putc(b, ')');
            }
            if (q->para && q->vpara)
                hc_buf_puts(b, " and a ");
            if (q->vpara) {
                hc_buf_puts(b, "violent felony under Penal Code § 667.5(c)(");
                hc_buf_putu(b, q->vpara);
                hc_buf_putc(b, ')');
            }
        } else if (q->agg) {
            hc_buf_puts(b, ": it is an aggravated felony under 8 U.S.C. § 1101(a)(43)(");
            hc_buf_putc(b, q->agg);
            hc_buf_putc(b, ')');
        } else {
            hc_buf_puts(b, ": ");
            hc_buf_puts(b, provs[q->prov].plain);
        }
        hc_buf_puts(b, ". ");
        break;
    }
    case HC_FACT_CHARGE: {
        const struct hc_charge *ch = &c->charges[q->idx];
        hc_buf_puts(b, "A magistrate found probable cause on the pending charge of ");
        put_record_cite(b, ch->citation, &ch->cite, ch->cite_ok);
        hc_buf_puts(b, ", which meets ");
        hc_buf_puts(b, provs[q->prov].cite);
        hc_buf_puts(b, ". ");
        break;
    }
    case HC_FACT_REGISTRANT:
        hc_buf_puts(b, "The person is a current registrant on the California Sex and Arson "
                       "Registry, which meets ");
        hc_buf_puts(b, provs[q->prov].cite);
        hc_buf_puts(b, ". ");
        break;
    case HC_FACT_FEDERAL_WARRANT:
        hc_buf_puts(b, "Immigration authorities identify the person as the subject of an "
                       "outstanding federal felony arrest warrant, which meets ");
        hc_buf_puts(b, provs[q->prov].cite);
        hc_buf_puts(b, ". ");
        break;
    case HC_FACT_JUDICIAL_WARRANT:
        hc_buf_puts(b, "A judicial warrant signed by a federal judge or magistrate judge "
                       "authorizes the transfer. ");
        break;
    case HC_FACT_JUDICIAL_PC:
        hc_buf_puts(b, "A federal judge or magistrate judge has made a judicial probable cause "
                       "determination that authorizes the transfer. ");
        break;
    case HC_FACT_RELEASE_PUBLIC:
        hc_buf_puts(b, "The agency publishes release dates to everyone, so this information is "
                       "available to the public. ");
        break;
    default:
        hc_buf_puts(b, "The agency publishes this personal information to everyone, so it is "
                       "available to the public. ");
        break;
    }
}

/* What a note says: before, then the conviction's citation as written and after; with after
 * NULL, before alone. */
static const struct note_text {
    const char *before, *after;
} note_text[HC_N_POLICY_1373 + 1] = {
    [HC_N_FUTURE_CONVICTION] = {
        "The conviction for ",
        " is dated after the decision date and was not counted. "},
    [HC_N_JUVENILE_EXCLUDED] = {
        "The juvenile adjudication for ",
        " was not counted as a conviction (Welf. & Inst. Code § 203). "},
    [HC_N_EXPUNGED_EXCLUDED] = {
        "The conviction for ",
        " was dismissed under Penal Code § 1203.4 and, by agency setting, not "
        "counted. "},
    [HC_N_AGG_OUTSIDE_A_P] = {
        "The federal conviction for ",
        " is an aggravated felony only under 8 U.S.C. § 1101(a)(43)(Q) to (U), "
        "which Gov. Code § 7282.5(a)(5) does not include. "},
    [HC_N_HOLD_WARRANT] = {
        "The judicial warrant does not allow a hold; it may allow a transfer "
        "under Gov. Code § 7284.6(a)(4). ",
        NULL},
    [HC_N_MAGISTRATE_NOT_TRANSFER] = {
        "A magistrate's probable-cause finding allows answering a notification "
        "request (Gov. Code § 7282.5(b)), not a transfer. ",
        NULL},
    [HC_N_PUBLIC_NOT_TRANSFER] = {
        "Publishing release dates allows sharing them, not transferring the "
        "person. ",
        NULL},
    [HC_N_SB54_FIRST_DAYS] = {
        "The decision date falls on 1 to 3 January 2018: the statute took effect "
        "on 1 January, but the Attorney General's bulletin DLE-2018-01 says 4 "
        "January (setting values_act_start). ",
        NULL},
    [HC_N_PROP47_BLOCKED] = {
        "The misdemeanor conviction for ",
        " is one Proposition 47 reduced, so it cannot be the basis of cooperation "
        "(Gov. Code § 7282.5(a)(6)). "},
    [HC_N_PROP47_PERSON] = {
        "The person was arrested, detained or convicted for a misdemeanor that "
        "Proposition 47 reduced, so under the agency's reading of Gov. Code "
        "§ 7282.5(a)(6) no cooperation under § 7282.5 is allowed. ",
        NULL},
    [HC_N_AGG_NOT_FEDERAL] = {
        "The conviction for ",
        " is not federal; only a federal conviction counts under Gov. Code "
        "§ 7282.5(a)(5). "},
    [HC_N_STATUS_EXCHANGE] = {
        "Sending information on a person's citizenship or immigration status to federal "
        "immigration authorities, receiving it from them, or asking them for it remains "
        "lawful (Gov. Code § 7284.6(e), under 8 U.S.C. §§ 1373 and 1644). ",
        NULL},
    [HC_N_CIVIL_WARRANT_JUDICIAL] = {
        "A warrant issued by a federal judge or magistrate judge for a federal "
        "criminal immigration offense is a judicial warrant (Gov. Code § 7284.4(i)), "
        "not a civil immigration warrant: Gov. Code § 7284.6(a)(1)(E) does not "
        "reach it, and it may allow a transfer under § 7284.6(a)(4); record the "
        "request as a transfer. ",
        NULL},
    /* WIC 203; PC 667(d)(3) reaches only WIC 707(b) offenses and serious or violent felonies. */
    [HC_N_JUVENILE_NOT_REACHED] = {
        "The juvenile adjudication for ",
        " was not counted as a conviction: Welf. & Inst. Code § 203 says an adjudication "
        "is not a conviction of a crime for any purpose, and Penal Code § 667(d)(3), the "
        "only route by which one counts, reaches only offenses listed in Welf. & Inst. "
        "Code § 707(b) and serious or violent felonies. The agency's juvenile_adjudications "
        "setting (count) applies to those alone. "},
    /* 8 U.S.C. § 1373(a): a "State, or local government entity or official may not prohibit, or
     * in any way restrict, any government entity or official from sending to, or receiving
     * from, the Immigration and Naturalization Service information regarding the citizenship or
     * immigration status ... of any individual"; Gov. Code § 7284.6(e) keeps that exchange. */
    [HC_N_POLICY_1373] = {
        "Warning: a local policy that forbids sending or receiving citizenship or "
        "immigration status information conflicts with 8 U.S.C. § 1373(a), which Gov. Code "
        "§ 7284.6(e) leaves in place; have counsel review the policy before relying on it. ",
        NULL},
};

/* The sentence of note n (note_text). */
static void put_note(const struct hc_case *c, const struct hc_note_ent *n, struct hc_buf *b)
{
    const struct note_text *t =
        &note_text[n->note <= HC_N_POLICY_1373 ? n->note : HC_N_STATUS_EXCHANGE];
    hc_buf_puts(b, t->before);
    if (t->after != NULL) {
        hc_buf_puts(b, c->conv[n->idx].citation);
        hc_buf_puts(b, t->after);
    }
}

void hc_render_explanation(const struct hc_catalog *cat, const struct hc_case *c,
                           const struct hc_decision *d, struct hc_buf *b)
{
    int i;

    hc_buf_puts(b, "Immigration authorities asked the agency to ");
    hc_buf_puts(b, req_plain[d->type]);
    hc_buf_puts(b, ". ");
    switch (d->outcome) {
    case HC_OUT_PERMITTED:
        hc_buf_puts(b, "California law allows the agency to do this, but does not require it. ");
        break;
    case HC_OUT_PERMITTED_COND:
        hc_buf_puts(b, "California law allows this only after the steps listed below. ");
        break;
    case HC_OUT_PROHIBITED:
        hc_buf_puts(b, d->by_policy ? "The agency's own policy does not allow this. "
                                    : "California law does not allow the agency to do this. ");
        break;
    default:
        hc_buf_puts(b, "The record does not say enough to decide: a person must check the "
                       "missing facts listed with this decision. ");
        break;
    }
    int trust_hold = d->type == HC_REQ_HOLD && d->ruleset != HC_RULES_VALUES;
    if (trust_hold)
        hc_buf_puts(b, "Under the TRUST Act (Gov. Code § 7282.5, Stats. 2013, ch. 570), a person "
                       "may be kept on an immigration hold after becoming eligible for release "
                       "only if a condition of subdivision (a) is met, and for no more than 48 "
                       "hours. ");
    /* The rule: the first state-law basis entry that is a rule rather than a condition met. */
    for (i = 0; i < d->nbasis && !trust_hold; i++) {
        int p = d->basis[i].prov;
        if (p == HC_P_POLICY)
            continue;
        if (p >= HC_P_7282_5_A1 && p <= HC_P_T_B && p != HC_P_7282_5_A6 && p != HC_P_T_B)
            continue;
        hc_buf_puts(b, "Under ");
        hc_buf_puts(b, provs[p].cite);
        hc_buf_puts(b, ", ");
        hc_buf_puts(b, provs[p].plain);
        hc_buf_puts(b, ". ");
        break;
    }
    for (i = 0; i < d->nqual && i < 12; i++)
        put_qual_sentence(cat, c, &d->qual[i], b);
    if (d->nqual > 12 || d->qual_dropped) {
        hc_buf_putu(b, (unsigned long)(d->nqual > 12 ? d->nqual - 12 : 0) + d->qual_dropped);
        hc_buf_puts(b, " more record facts also qualify. ");
    }
    if (d->state_outcome == HC_OUT_PROHIBITED && (d->type == HC_REQ_NOTIFICATION ||
        d->type == HC_REQ_TRANSFER || (d->type == HC_REQ_HOLD && d->ruleset != HC_RULES_VALUES)))
        hc_buf_puts(b, "Nothing in the record meets a condition of Gov. Code § 7282.5 that "
                       "applies to this request. ");
    for (i = 0; i < d->nnote; i++)
        put_note(c, &d->note[i], b);
    if (d->by_policy) {
        hc_buf_puts(b, "State law alone would give: ");
        hc_buf_puts(b, hc_outcome_name(d->state_outcome));
        hc_buf_puts(b, "; the agency policy restricts it. ");
    }
    if (d->nconflict)
        hc_buf_puts(b, "The agency's policy asks for more than state law allows; state law "
                       "prevails. ");
    /* WIC 203: an adjudication "shall not be deemed a conviction of a crime for any purpose";
     * PC 667(d)(3), borrowed by Gov. Code § 7282(a), treats as a prior conviction only an
     * adjudication at 16 or older for a WIC 707(b) offense or a serious or violent felony. */
    if (d->settings_changed & HC_SET_JUVENILE)
        hc_buf_puts(b, c->settings.juvenile == HC_JUV_COUNT
                           ? "By agency setting (juvenile_adjudications: count), a juvenile "
                             "adjudication that Penal Code § 667(d)(3) treats as a prior "
                             "conviction (an offense listed in Welf. & Inst. Code § 707(b), or a "
                             "serious or violent felony, committed at 16 or older) is counted as "
                             "a conviction, as Gov. Code § 7282(a) allows through § 667(d); any "
                             "other adjudication is not a conviction (Welf. & Inst. Code § 203). "
                           : "By agency setting (juvenile_adjudications: exclude), juvenile "
                             "adjudications are not counted as convictions (Welf. & Inst. Code "
                             "§ 203); one that Penal Code § 667(d)(3) treats as a prior "
                             "conviction is left to a person. ");
    if (d->settings_changed & ~HC_SET_JUVENILE) {
        int k, first = 1;
        hc_buf_puts(b, "This outcome rests on how the agency reads a point the statute leaves "
                       "open (setting ");
        for (k = 0; k < 5; k++) {
            if (!(d->settings_changed & (1 << k) & ~HC_SET_JUVENILE))
                continue;
            if (!first)
                hc_buf_puts(b, ", ");
            first = 0;
            hc_buf_puts(b, setting_name(1 << k));
        }
        hc_buf_puts(b, "); the other reading would give a different answer. ");
    }
    if (d->duties)
        hc_buf_puts(b, "The conditions listed with this decision apply.");
    while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->len--;
}

void hc_render_text(const struct hc_catalog *cat, const struct hc_case *c,
                    const struct hc_decision *d, struct hc_buf *b)
{
    char tmp[1024];
    struct hc_buf t;
    int i;

    hc_buf_puts(b, "Decision");
    if (c->id != NULL) {
        hc_buf_putc(b, ' ');
        hc_buf_puts(b, c->id);
    }
    hc_buf_puts(b, ": ");
    hc_buf_puts(b, hc_outcome_name(d->outcome));
    hc_buf_puts(b, "  (");
    hc_buf_puts(b, hc_request_name(d->type));
    hc_buf_puts(b, ", law in force on ");
    put_date(b, c->as_of);
    hc_buf_puts(b, ", ruleset ");
    hc_buf_puts(b, hc_ruleset_name(d->ruleset));
    hc_buf_puts(b, ")\n\n");
    hc_render_explanation(cat, c, d, b);
    hc_buf_puts(b, "\n\nProvisions:\n");
    for (i = 0; i < d->nbasis; i++) {
        hc_buf_puts(b, "  - ");
        hc_render_basis(&d->basis[i], d, c, b);
        hc_buf_putc(b, '\n');
    }
    if (d->duties) {
        hc_buf_puts(b, "Conditions:\n");
        for (i = 0; i < HC_D_COUNT; i++) {
            if (!(d->duties & (1u << i)))
                continue;
            hc_buf_puts(b, "  - ");
            hc_buf_puts(b, duty_text[i]);
            hc_buf_putc(b, '\n');
        }
    }
    if (d->nmissing) {
        hc_buf_puts(b, "Missing:\n");
        for (i = 0; i < d->nmissing; i++) {
            hc_buf_init(&t, tmp, sizeof tmp);
            put_missing(c, &d->missing[i], &t);
            hc_buf_puts(b, "  - ");
            hc_buf_put(b, t.data, t.len);
            hc_buf_putc(b, '\n');
        }
    }
    if (d->nconflict) {
        hc_buf_puts(b, "Conflicts:\n");
        for (i = 0; i < d->nconflict; i++) {
            hc_buf_puts(b, "  - ");
            put_conflict(c, d, d->conflict[i], b);
            hc_buf_putc(b, '\n');
        }
    }
    if (d->settings_changed) {
        hc_buf_puts(b, "Settings that changed the outcome:");
        for (i = 0; i < 5; i++)
            if (d->settings_changed & (1 << i)) {
                hc_buf_putc(b, ' ');
                hc_buf_puts(b, setting_name(1 << i));
            }
        hc_buf_putc(b, '\n');
    }
}

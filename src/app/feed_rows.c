/* SPDX-License-Identifier: MIT
 * feed_rows.c: the columns of each kind of row a jail management system exports, the checks of
 * their values, and the reader of JSON Lines (contracts: feed_rows.h). Shared by `holdcheck
 * import` (CSV and JSON Lines files) and POST /api/v1/feed (JSON Lines), so that a row means
 * the same thing whichever way it comes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "cite.h"
#include "date.h"
#include "feed_rows.h"
#include "ident.h"
#include "json.h"

#define TEXT_MAX FEED_TEXT_MAX
#define ID_MAX 64
#define MAX_FIELDS FEED_MAX_KEYS
#define MAX_COLS FEED_MAX_COLS
#define CITE_SLOTS FEED_CITE_SLOTS

/* ------------------------------------------------------------------------------------------ */
/* Kinds and their columns (docs/import.md is the reference; keep the two in step)            */

static const struct feed_col people_cols[] = {
    {"local_id", FEED_T_TEXT, 1, ID_MAX},
    {"name", FEED_T_TEXT, 1, TEXT_MAX},
    {"date_of_birth", FEED_T_DATE, 0, 10},
    {"registrant_290", FEED_T_BOOL, 0, 5},
};
static const struct feed_col booking_cols[] = {
    {"booking_no", FEED_T_BOOKING_NO, 1, HC_BOOKING_NO_MAX},
    {"person_local_id", FEED_T_TEXT, 1, ID_MAX},
    {"booked_at", FEED_T_TIME, 1, 40},
    {"facility", FEED_T_TEXT, 1, TEXT_MAX},
    {"status", FEED_T_BOOKING_STATUS, 0, 16},
    {"scheduled_release", FEED_T_TIME, 0, 40},
    {"released_at", FEED_T_TIME, 0, 40},
    {"release_reason", FEED_T_TEXT, 0, TEXT_MAX},
};
static const struct feed_col charge_cols[] = {
    {"booking_no", FEED_T_BOOKING_NO, 1, HC_BOOKING_NO_MAX},
    {"citation", FEED_T_CITATION, 1, TEXT_MAX},
    {"level", FEED_T_LEVEL, 0, 16},
    {"status", FEED_T_CHARGE_STATUS, 0, 16},
    {"magistrate_probable_cause", FEED_T_BOOL, 0, 5},
};
static const struct feed_col conviction_cols[] = {
    {"person_local_id", FEED_T_TEXT, 1, ID_MAX},
    {"citation", FEED_T_CITATION, 1, TEXT_MAX},
    {"level", FEED_T_LEVEL, 0, 16},
    {"date", FEED_T_DATE, 0, 10},
    {"court", FEED_T_TEXT, 0, TEXT_MAX},
    {"prop47_reduced", FEED_T_TRI, 0, 5},
    {"federal_aggravated_felony", FEED_T_AGG, 0, 5},
    {"jurisdiction", FEED_T_TEXT, 0, 40},
};

static const struct feed_kind_cols kinds[] = {
    [STORE_KIND_PEOPLE] = {"people", people_cols, sizeof people_cols / sizeof people_cols[0]},
    [STORE_KIND_BOOKINGS] = {"bookings", booking_cols,
                             sizeof booking_cols / sizeof booking_cols[0]},
    [STORE_KIND_CHARGES] = {"charges", charge_cols, sizeof charge_cols / sizeof charge_cols[0]},
    [STORE_KIND_CONVICTIONS] = {"convictions", conviction_cols,
                                sizeof conviction_cols / sizeof conviction_cols[0]},
};

enum store_kind feed_kind_from_name(const char *s)
{
    int k;
    for (k = STORE_KIND_PEOPLE; k <= STORE_KIND_CONVICTIONS; k++)
        if (strcmp(s, kinds[k].name) == 0)
            return (enum store_kind)k;
    return 0;
}

int feed_col_index(enum store_kind k, const char *name)
{
    size_t i;
    for (i = 0; i < kinds[k].ncols; i++)
        if (strcasecmp(kinds[k].cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* What is never accepted                                                                     */

const char feed_forbidden_msg[] =
    "holdcheck never records immigration status, national origin or ethnicity: Gov. Code "
    "7284.6(a)(1)(A) bars a local agency from inquiring into immigration status, and no "
    "decision depends on any of them; remove the column and import again";

/* Whether a column or key name asks for immigration status, national origin or ethnicity.
 * The name is folded to lower case with every other character as '_', then matched against
 * whole names, stems and whole words, so "Immigration Status", "CITIZENSHIP_CODE", "ethnic_cd"
 * and "Race" are all caught while "date_of_birth" and "trace_id" are not. */
int feed_forbidden_name(const char *name)
{
    static const char *const stems[] = {
        "immigra", "citizen", "nationalit", "national_origin", "ethnic", "alien", "birthplace",
        "place_of_birth", "country_of_birth", "birth_country", "hispanic", "latin", "ancestry",
        "a_number", "visa", "deport", "i_94", "green_card", "undocumented", "naturaliz",
    };
    static const char *const words[] = {"race", "anumber", "ice", "uscis"};
    char f[128];
    size_t n = 0, i;
    const char *p;
    for (p = name; *p && n + 1 < sizeof f; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        f[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
    }
    f[n] = '\0';
    for (i = 0; i < sizeof stems / sizeof stems[0]; i++)
        if (strstr(f, stems[i]) != NULL)
            return 1;
    for (p = f; *p;) {
        size_t w = strcspn(p, "_");
        for (i = 0; i < sizeof words / sizeof words[0]; i++)
            if (w == strlen(words[i]) && strncmp(p, words[i], w) == 0)
                return 1;
        p += w;
        while (*p == '_')
            p++;
    }
    return 0;
}


/* Why the n bytes at s cannot be a value, or NULL. Every field is checked, skipped ones and
 * header names included: a NUL byte would silently cut the text short wherever it is read as a
 * C string, and everything holdcheck stores or names is UTF-8. */
const char *feed_text_fault(const char *s, size_t n)
{
    if (memchr(s, '\0', n) != NULL)
        return "a NUL byte";
    if (!hc_utf8_valid(s, n))
        return "not valid UTF-8";
    return NULL;
}


static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    return p;
}

static int hexval(const char *p, unsigned *out)
{
    unsigned v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Decode the JSON string starting after its opening quote at *pp into out (NUL-terminated);
 * *pp ends after the closing quote. Returns NULL with *err set on bad input. */
static char *jstring(const char **pp, struct feed_jbuf *b, const char *line_end,
                     const char **err)
{
    const char *p = *pp;
    char *start = b->out + b->len, *o = start;
    char *lim = b->out + b->cap;
    for (;;) {
        unsigned char c = (unsigned char)*p++;
        if (o + 4 >= lim) {
            *err = "string too long";
            return NULL;
        }
        if (c == '"')
            break;
        if (c < 0x20) {
            *err = c != 0 ? "a control character in a string (escape it)"
                   : p - 1 < line_end ? "a NUL byte" : "a string is not closed";
            return NULL;
        }
        if (c != '\\') {
            *o++ = (char)c;
            continue;
        }
        c = (unsigned char)*p++;
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned u, lo;
            if (hexval(p, &u) != 0) {
                *err = "a bad \\u escape";
                return NULL;
            }
            p += 4;
            if (u >= 0xd800 && u < 0xdc00) {
                if (p[0] != '\\' || p[1] != 'u' || hexval(p + 2, &lo) != 0 || lo < 0xdc00 ||
                    lo > 0xdfff) {
                    *err = "a lone UTF-16 surrogate in a \\u escape";
                    return NULL;
                }
                p += 6;
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
            } else if (u >= 0xdc00 && u < 0xe000) {
                *err = "a lone UTF-16 surrogate in a \\u escape";
                return NULL;
            }
            if (u == 0) {
                *err = "a NUL character";
                return NULL;
            }
            if (u < 0x80) {
                *o++ = (char)u;
            } else if (u < 0x800) {
                *o++ = (char)(0xc0 | (u >> 6));
                *o++ = (char)(0x80 | (u & 0x3f));
            } else if (u < 0x10000) {
                *o++ = (char)(0xe0 | (u >> 12));
                *o++ = (char)(0x80 | ((u >> 6) & 0x3f));
                *o++ = (char)(0x80 | (u & 0x3f));
            } else {
                *o++ = (char)(0xf0 | (u >> 18));
                *o++ = (char)(0x80 | ((u >> 12) & 0x3f));
                *o++ = (char)(0x80 | ((u >> 6) & 0x3f));
                *o++ = (char)(0x80 | (u & 0x3f));
            }
            break;
        }
        default:
            *err = "a bad escape in a string";
            return NULL;
        }
    }
    if ((*err = feed_text_fault(start, (size_t)(o - start))) != NULL)
        return NULL;
    *o++ = '\0';
    b->len = (size_t)(o - b->out);
    *pp = p;
    return start;
}

int feed_jsonl_parse(struct feed_jbuf *b, const char *line, size_t line_len, struct feed_kv *kv,
                     int *n, const char **err, const char **key)
{
    const char *p = skip_ws(line), *line_end = line + line_len;
    int cnt = 0, i;

    b->len = 0;
    *key = NULL;
    if (*p++ != '{') {
        *err = "expected a JSON object";
        return -1;
    }
    p = skip_ws(p);
    if (*p == '}') {
        p++;
        goto end;
    }
    for (;;) {
        const char *k;
        if (*p++ != '"') {
            *err = "expected a key in quotes";
            return -1;
        }
        if ((k = jstring(&p, b, line_end, err)) == NULL)
            return -1;
        *key = k;
        for (i = 0; i < cnt; i++)
            if (strcmp(kv[i].key, k) == 0) {
                *err = "the key appears twice";
                return -1;
            }
        if (cnt == MAX_FIELDS) {
            *err = "too many keys";
            return -1;
        }
        p = skip_ws(p);
        if (*p++ != ':') {
            *err = "expected ':' after the key";
            return -1;
        }
        p = skip_ws(p);
        kv[cnt].key = k;
        kv[cnt].val = NULL;
        if (*p == '"') {
            p++;
            if ((kv[cnt].val = jstring(&p, b, line_end, err)) == NULL)
                return -1;
            kv[cnt].type = FEED_JV_STR;
        } else if (strncmp(p, "true", 4) == 0) {
            kv[cnt].type = FEED_JV_TRUE;
            p += 4;
        } else if (strncmp(p, "false", 5) == 0) {
            kv[cnt].type = FEED_JV_FALSE;
            p += 5;
        } else if (strncmp(p, "null", 4) == 0) {
            kv[cnt].type = FEED_JV_NULL;
            p += 4;
        } else {
            *err = "expected a string, true, false or null";
            return -1;
        }
        cnt++;
        p = skip_ws(p);
        if (*p == ',') {
            p = skip_ws(p + 1);
            continue;
        }
        if (*p++ == '}')
            break;
        *err = "expected ',' or '}'";
        *key = NULL;
        return -1;
    }
end:
    *key = NULL;
    p = skip_ws(p);
    if (*p != '\0' || p < line_end) {
        *err = *p != '\0' ? "text after the object (one object a line)" : "a NUL byte";
        return -1;
    }
    *n = cnt;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Values                                                                                     */

/* 1 true, 0 false, -1 not a boolean. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"true", "t", "yes", "y", "1"};
    static const char *const no[] = {"false", "f", "no", "n", "0"};
    size_t i;
    for (i = 0; i < 5; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return 1;
        if (strcasecmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* The canonical spelling of s among names[0..n) (case-insensitive), or NULL. */
static const char *one_of(const char *s, const char *const *names, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcasecmp(s, names[i]) == 0)
            return names[i];
    return NULL;
}

/* Citations repeat: a county's charges use a few hundred codes. The last good citation seen in
 * each of CITE_SLOTS slots (picked by a hash of the text) is kept, so most rows skip
 * hc_cite_parse. A slot holds a NUL-terminated text of at most TEXT_MAX bytes, "" when empty. */

static size_t cite_slot(const char *v, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t i;
    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)v[i]) * 16777619u;
    return h % CITE_SLOTS;
}

/* Check value v of column c. On success *out is the value to store (possibly a canonical
 * static string) and *b the boolean (FEED_T_BOOL, FEED_T_TRI); otherwise returns the message. cites is
 * the cache of good citations (CITE_SLOTS slots), or NULL. */
static const char *check_value(const struct feed_col *c, const char *v, const char **out, int *b,
                               char *why, size_t whylen, char *cites)
{
    static const char *const levels[] = {"felony", "misdemeanor", "infraction"};
    static const char *const bstat[] = {"in_custody", "released"};
    static const char *const cstat[] = {"pending", "dismissed", "convicted"};
    size_t len = strlen(v);
    struct hc_time tm;
    hc_day day;

    *out = v; /* v has no NUL byte and is UTF-8: csv_faults or jstring checked it */
    switch (c->type) {
    case FEED_T_TEXT:
        if (len > c->max) {
            snprintf(why, whylen, "longer than %zu bytes", c->max);
            return why;
        }
        return NULL;
    case FEED_T_BOOKING_NO:
        return hc_booking_no_valid(v, len) ? NULL
                                             : "not a booking number (" HC_BOOKING_NO_RULE ")";
    case FEED_T_DATE:
        return hc_date_parse(v, len, &day) == 0 ? NULL : "not a date (expected YYYY-MM-DD)";
    case FEED_T_TIME:
        if (len > c->max || hc_time_parse(v, len, &tm) != 0)
            return "not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with Z or an offset)";
        return NULL;
    case FEED_T_LEVEL:
        if (len == 1 && (v[0] == 'F' || v[0] == 'f' || v[0] == 'M' || v[0] == 'm' ||
                         v[0] == 'I' || v[0] == 'i')) {
            *out = v[0] == 'F' || v[0] == 'f' ? levels[0] : v[0] == 'M' || v[0] == 'm'
                                                                  ? levels[1] : levels[2];
            return NULL;
        }
        *out = one_of(v, levels, 3);
        return *out ? NULL : "not a level (felony, misdemeanor or infraction)";
    case FEED_T_BOOL:
    case FEED_T_TRI:
        *b = parse_bool(v);
        return *b >= 0 ? NULL : "not a boolean (true or false)";
    case FEED_T_BOOKING_STATUS:
        *out = one_of(v, bstat, 2);
        return *out ? NULL : "not a booking status (in_custody or released)";
    case FEED_T_CHARGE_STATUS:
        *out = one_of(v, cstat, 3);
        return *out ? NULL : "not a charge status (pending, dismissed or convicted)";
    case FEED_T_CITATION: {
        struct hc_cite cite;
        struct hc_diag d;
        char *slot = NULL;
        hc_diag_clear(&d);
        if (len > c->max)
            return "longer than 200 bytes";
        if (cites != NULL) {
            slot = cites + cite_slot(v, len) * (TEXT_MAX + 1);
            if (strcmp(slot, v) == 0)
                return NULL; /* parsed before: hc_cite_parse depends on the text only */
        }
        if (hc_cite_parse(v, len, &cite, &d) != 0) {
            snprintf(why, whylen, "not a citation: %s", d.msg[0] ? d.msg : "unrecognised");
            return why;
        }
        if (slot != NULL)
            memcpy(slot, v, len + 1);
        return NULL;
    }
    case FEED_T_AGG:
        if (len == 1 && v[0] >= 'A' && v[0] <= 'U')
            return NULL;
        if ((*b = parse_bool(v)) >= 0) {
            *out = *b ? "true" : "false";
            return NULL;
        }
        return "not an aggravated felony category (a letter A-U, true or false)";
    }
    return "unknown column type";
}

int feed_check_row(enum store_kind kind, const char **v, const int *jbool, char *cites,
                   struct store_import_row *r, feed_bad_fn bad, void *ctx)
{
    const struct feed_kind_cols *k = &kinds[kind];
    /* Set below for the kind's columns; zeroed so that no column past them is read unset. */
    const char *nv[MAX_COLS] = {0};
    int bv[MAX_COLS] = {0};
    char why[256];
    size_t i;
    int nbad = 0;

    for (i = 0; i < k->ncols; i++) {
        const struct feed_col *c = &k->cols[i];
        const char *msg;
        nv[i] = NULL;
        bv[i] = c->type == FEED_T_TRI ? -1 : 0;
        if (jbool != NULL && jbool[i] >= 0) { /* a JSON true or false */
            if (c->type == FEED_T_BOOL || c->type == FEED_T_TRI) {
                bv[i] = jbool[i];
            } else if (c->type == FEED_T_AGG) {
                nv[i] = jbool[i] ? "true" : "false";
            } else {
                bad(ctx, c->name, "expected a string");
                nbad++;
            }
            continue;
        }
        if (v[i] == NULL || v[i][0] == '\0') {
            if (c->required) {
                bad(ctx, c->name, "required");
                nbad++;
            }
            continue;
        }
        if ((msg = check_value(c, v[i], &nv[i], &bv[i], why, sizeof why, cites)) != NULL) {
            bad(ctx, c->name, msg);
            nbad++;
        }
    }
    if (nbad)
        return nbad;
    memset(r, 0, sizeof *r);
    switch (kind) {
    case STORE_KIND_PEOPLE:
        r->person.local_id = nv[0];
        r->person.name = nv[1];
        r->person.date_of_birth = nv[2];
        r->person.registrant_290 = bv[3];
        break;
    case STORE_KIND_BOOKINGS:
        r->booking.booking_no = nv[0];
        r->person_local_id = nv[1];
        r->booking.booked_at = nv[2];
        r->booking.facility = nv[3];
        r->booking.status = nv[4] ? nv[4] : "in_custody";
        r->booking.scheduled_release = nv[5];
        r->booking.released_at = nv[6];
        r->booking.release_reason = nv[7];
        if (strcmp(r->booking.status, "released") == 0 && nv[6] == NULL) {
            bad(ctx, "released_at", "required when status is released");
            nbad++;
        } else if (strcmp(r->booking.status, "in_custody") == 0 && nv[6] != NULL) {
            bad(ctx, "released_at", "must be empty while in custody");
            nbad++;
        }
        break;
    case STORE_KIND_CHARGES:
        r->booking_no = nv[0];
        r->charge.citation = nv[1];
        r->charge.level = nv[2];
        r->charge.status = nv[3] ? nv[3] : "pending";
        r->charge.magistrate_probable_cause = bv[4];
        break;
    case STORE_KIND_CONVICTIONS:
        r->person_local_id = nv[0];
        r->conviction.citation = nv[1];
        r->conviction.level = nv[2];
        r->conviction.date = nv[3];
        r->conviction.court = nv[4];
        r->conviction.prop47_reduced = bv[5];
        r->conviction.federal_aggravated_felony = nv[6];
        r->conviction.jurisdiction = nv[7];
        {
            struct hc_cite cite;
            const char *clash;
            if (nv[1] != NULL && nv[7] != NULL &&
                hc_cite_parse(nv[1], strlen(nv[1]), &cite, NULL) == HC_OK &&
                (clash = hc_juris_conflict(&cite, nv[7])) != NULL) {
                bad(ctx, "jurisdiction", clash);
                nbad++;
            }
        }
        break;
    }
    return nbad;
}

/* The kind whose columns the names name (see docs/import.md, "Kinds"), or 0. */
enum store_kind feed_kind_from_names(const char *const *names, int n)
{
    int has_cite = 0, has_bno = 0, has_plid = 0, has_lid = 0, has_name = 0, i;
    for (i = 0; i < n; i++) {
        has_cite |= strcasecmp(names[i], "citation") == 0;
        has_bno |= strcasecmp(names[i], "booking_no") == 0;
        has_plid |= strcasecmp(names[i], "person_local_id") == 0;
        has_lid |= strcasecmp(names[i], "local_id") == 0;
        has_name |= strcasecmp(names[i], "name") == 0;
    }
    if (has_cite && has_bno)
        return STORE_KIND_CHARGES;
    if (has_cite && has_plid)
        return STORE_KIND_CONVICTIONS;
    if (has_bno)
        return STORE_KIND_BOOKINGS;
    if (has_lid || has_name)
        return STORE_KIND_PEOPLE;
    return 0;
}


const struct feed_kind_cols *feed_kind(enum store_kind k)
{
    return &kinds[k];
}

int feed_jsonl_values(enum store_kind kind, const struct feed_kv *kv, int n, int skip_unknown,
                      const char **v, int *jbool, feed_bad_fn bad, void *ctx)
{
    int k;
    for (k = 0; k < MAX_COLS; k++) {
        v[k] = NULL;
        jbool[k] = -1;
    }
    for (k = 0; k < n; k++) {
        int ci = feed_col_index(kind, kv[k].key);
        if (feed_forbidden_name(kv[k].key)) {
            bad(ctx, kv[k].key, feed_forbidden_msg);
            return 1;
        } else if (ci < 0) {
            if (!skip_unknown) {
                char m[96];
                snprintf(m, sizeof m, "unknown field for %s (--skip-unknown ignores it)",
                         kinds[kind].name);
                bad(ctx, kv[k].key, m);
                return 1;
            }
        } else if (kv[k].type == FEED_JV_STR) {
            v[ci] = kv[k].val;
        } else if (kv[k].type != FEED_JV_NULL) {
            jbool[ci] = kv[k].type == FEED_JV_TRUE;
        }
    }
    return 0;
}

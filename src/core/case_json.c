/* SPDX-License-Identifier: MIT
 * case_json.c: a strict reader for the case format (docs/case-format.md). It validates RFC 8259
 * syntax (including UTF-8 and escapes) and the schema in one pass, so a bad case is rejected
 * with the field that is wrong and nothing is half-read. Every string lands in the arena. */
#include "case.h"
#include "ident.h"
#include "json.h"

#include <stdint.h>
#include <string.h>

static const char *const req_names[HC_REQ_COUNT] = {
    "hold", "notification", "transfer", "interview", "personal_info", "criminal_history",
    "status_inquiry", "civil_warrant_arrest", "immigration_officer_functions", "border_search",
    "interpreter", "office_space", "detention_contract", "status_information_exchange",
    "visa_certification",
};

const char *hc_request_name(int type)
{
    return type >= 0 && type < HC_REQ_COUNT ? req_names[type] : NULL;
}

int hc_request_from_name(const char *s, size_t n)
{
    return hc_name_index(req_names, HC_REQ_COUNT, s, n);
}

#define MAX_DEPTH 32

struct rd {
    const char *s;
    size_t n, i;
    int line;
    struct hc_arena *a;
    struct hc_diag *d;
    int depth;
};

/* A string value as read: bytes (decoded) and length, NUL-terminated in the arena. */
struct str {
    const char *p;
    size_t n;
};

static int fail(struct rd *r, const char *field, const char *msg)
{
    hc_diag_set(r->d, field, msg, NULL);
    if (r->d)
        r->d->line = r->line;
    return HC_EINVAL;
}

static int fail2(struct rd *r, const char *field, const char *msg, const char *msg2)
{
    hc_diag_set(r->d, field, msg, msg2);
    if (r->d)
        r->d->line = r->line;
    return HC_EINVAL;
}

static void ws(struct rd *r)
{
    while (r->i < r->n) {
        char c = r->s[r->i];
        if (c == '\n')
            r->line++;
        else if (c != ' ' && c != '\t' && c != '\r')
            return;
        r->i++;
    }
}

static int peek(struct rd *r)
{
    ws(r);
    return r->i < r->n ? (unsigned char)r->s[r->i] : -1;
}

static int expect(struct rd *r, char c, const char *field)
{
    if (peek(r) != (unsigned char)c) {
        char msg[] = "expected 'x'";
        msg[10] = c;
        return fail(r, field, r->i < r->n ? msg : "unexpected end of input");
    }
    r->i++;
    return HC_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int read_hex4(struct rd *r, unsigned *out)
{
    unsigned v = 0;
    int k;
    if (r->n - r->i < 4)
        return -1;
    for (k = 0; k < 4; k++) {
        int h = hexval(r->s[r->i + (size_t)k]);
        if (h < 0)
            return -1;
        v = v * 16 + (unsigned)h;
    }
    r->i += 4;
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Read a JSON string into the arena (decoded, NUL-terminated). */
static int read_string(struct rd *r, const char *field, struct str *out)
{
    size_t start, j;
    char *o;
    size_t k = 0;

    if (peek(r) != '"')
        return fail(r, field, "expected a string");
    start = ++r->i;
    /* Fast scan: most strings have no escapes and are ASCII. */
    for (j = start; j < r->n; j++) {
        unsigned char c = (unsigned char)r->s[j];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
            break;
    }
    if (j < r->n && r->s[j] == '"') {
        o = hc_arena_strndup(r->a, r->s + start, j - start);
        if (o == NULL)
            return HC_ENOMEM;
        out->p = o;
        out->n = j - start;
        r->i = j + 1;
        return HC_OK;
    }
    /* Slow path: find the closing quote first, so the arena is asked only for this string
     * (the decoded text is never longer than its source). */
    for (j = start; j < r->n && r->s[j] != '"'; j++)
        if (r->s[j] == '\\')
            j++;
    if (j >= r->n)
        return fail(r, field, "unterminated string");
    o = hc_arena_alloc(r->a, j - start + 1);
    if (o == NULL)
        return HC_ENOMEM;
    while (r->i < r->n) {
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            r->i++;
            o[k] = '\0';
            out->p = o;
            out->n = k;
            return HC_OK;
        }
        if (c < 0x20)
            return fail(r, field, "control character in string");
        if (c == '\\') {
            unsigned cp;
            if (++r->i >= r->n)
                break;
            switch (r->s[r->i++]) {
            case '"': o[k++] = '"'; break;
            case '\\': o[k++] = '\\'; break;
            case '/': o[k++] = '/'; break;
            case 'b': o[k++] = '\b'; break;
            case 'f': o[k++] = '\f'; break;
            case 'n': o[k++] = '\n'; break;
            case 'r': o[k++] = '\r'; break;
            case 't': o[k++] = '\t'; break;
            case 'u':
                if (read_hex4(r, &cp) != 0)
                    return fail(r, field, "bad \\u escape");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned lo;
                    if (r->n - r->i < 2 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
                        return fail(r, field, "unpaired surrogate in \\u escape");
                    r->i += 2;
                    if (read_hex4(r, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
                        return fail(r, field, "unpaired surrogate in \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail(r, field, "unpaired surrogate in \\u escape");
                } else if (cp == 0) {
                    return fail(r, field, "NUL character in string");
                }
                k += put_utf8(o + k, cp);
                break;
            default:
                return fail(r, field, "bad escape in string");
            }
            continue;
        }
        {
            size_t ul = hc_utf8_seq_len((const unsigned char *)r->s + r->i, r->n - r->i);
            if (ul == 0)
                return fail(r, field, "invalid UTF-8 in string");
            memcpy(o + k, r->s + r->i, ul);
            k += ul;
            r->i += ul;
        }
    }
    return fail(r, field, "unterminated string");
}

static int lit(struct rd *r, const char *w)
{
    size_t n = strlen(w);
    if (r->n - r->i >= n && memcmp(r->s + r->i, w, n) == 0) {
        r->i += n;
        return 1;
    }
    return 0;
}

/* null: 1 when the value is JSON null (consumed). */
static int is_null(struct rd *r)
{
    return peek(r) == 'n' && lit(r, "null");
}

/* true, false or null as 1, 0 or -1 in *out. Returns HC_OK or HC_EINVAL. */
static int read_bool_or_null(struct rd *r, const char *field, int *out)
{
    int c = peek(r);
    if (c == 't' && lit(r, "true"))
        *out = 1;
    else if (c == 'f' && lit(r, "false"))
        *out = 0;
    else if (is_null(r))
        *out = -1;
    else
        return fail(r, field, "expected true or false");
    return HC_OK;
}

/* A boolean; null is false. */
static int read_bool(struct rd *r, const char *field, unsigned char *out)
{
    int v;
    int rc = read_bool_or_null(r, field, &v);
    if (rc == HC_OK)
        *out = v > 0;
    return rc;
}

/* Optional boolean: -1 for null. */
static int read_tribool(struct rd *r, const char *field, signed char *out)
{
    int v;
    int rc = read_bool_or_null(r, field, &v);
    if (rc == HC_OK)
        *out = (signed char)v;
    return rc;
}

/* A JSON number, kept as its text (only ids are numbers in this format). */
static int read_number(struct rd *r, const char *field, struct str *out)
{
    size_t st = r->i, j = r->i;
    if (j < r->n && r->s[j] == '-')
        j++;
    if (j >= r->n || r->s[j] < '0' || r->s[j] > '9')
        return fail(r, field, "expected a number or string");
    if (r->s[j] == '0')
        j++;
    else
        while (j < r->n && r->s[j] >= '0' && r->s[j] <= '9')
            j++;
    if (j < r->n && r->s[j] == '.') {
        j++;
        if (j >= r->n || r->s[j] < '0' || r->s[j] > '9')
            return fail(r, field, "malformed number");
        while (j < r->n && r->s[j] >= '0' && r->s[j] <= '9')
            j++;
    }
    if (j < r->n && (r->s[j] == 'e' || r->s[j] == 'E')) {
        j++;
        if (j < r->n && (r->s[j] == '+' || r->s[j] == '-'))
            j++;
        if (j >= r->n || r->s[j] < '0' || r->s[j] > '9')
            return fail(r, field, "malformed number");
        while (j < r->n && r->s[j] >= '0' && r->s[j] <= '9')
            j++;
    }
    if (j - st > 40)
        return fail(r, field, "number too long");
    out->p = hc_arena_strndup(r->a, r->s + st, j - st);
    if (out->p == NULL)
        return HC_ENOMEM;
    out->n = j - st;
    r->i = j;
    return HC_OK;
}

static int read_date(struct rd *r, const char *field, hc_day *out)
{
    struct str s;
    int rc = read_string(r, field, &s);
    if (rc != HC_OK)
        return rc;
    if (hc_date_parse(s.p, s.n, out) != HC_OK)
        return fail(r, field, "expected a real calendar date written YYYY-MM-DD (years 1900-2199)");
    return HC_OK;
}

static int read_level(struct rd *r, const char *field, unsigned char *out)
{
    struct str s;
    int rc;
    if (is_null(r)) {
        *out = HC_LEVEL_UNKNOWN;
        return HC_OK;
    }
    rc = read_string(r, field, &s);
    if (rc != HC_OK)
        return rc;
    if (strcmp(s.p, "felony") == 0)
        *out = HC_LEVEL_FELONY;
    else if (strcmp(s.p, "misdemeanor") == 0)
        *out = HC_LEVEL_MISDEMEANOR;
    else if (strcmp(s.p, "infraction") == 0)
        *out = HC_LEVEL_INFRACTION;
    else
        return fail(r, field, "expected \"felony\", \"misdemeanor\" or \"infraction\"");
    return HC_OK;
}

/* ---- objects ----------------------------------------------------------------------------- */

/* Build "prefix.key" or "prefix[i].key" into out for error messages. */
static const char *path(char *out, size_t cap, const char *prefix, long idx, const char *key)
{
    struct hc_buf b;
    hc_buf_init(&b, out, cap);
    hc_buf_puts(&b, prefix);
    if (idx >= 0) {
        hc_buf_putc(&b, '[');
        hc_buf_putu(&b, (unsigned long)idx);
        hc_buf_putc(&b, ']');
    }
    if (key != NULL) {
        if (b.len > 0)
            hc_buf_putc(&b, '.');
        hc_buf_puts(&b, key);
    }
    return hc_buf_cstr(&b);
}

/* Between the members of an object or the elements of an array, which close ends ('}' or ']'):
 * returns 0 after consuming close, 1 when a member or element follows (its ',' consumed unless it
 * is the first), or an error. */
static int next_item(struct rd *r, const char *where, int first, char close)
{
    int c = peek(r);
    if (c == (unsigned char)close) {
        r->i++;
        return 0;
    }
    if (first)
        return 1;
    if (c != ',')
        return fail(r, where, c < 0            ? "unexpected end of input"
                              : close == '}' ? "expected ',' or '}'"
                                             : "expected ',' or ']'");
    r->i++;
    return 1;
}

/* Iterate the members of an object. `seen` catches duplicates among the first 32 keys of the
 * schema (index from the key table). Call begin, then next until it returns 0. */
struct obj {
    const char *const *keys; /* NULL-terminated schema */
    uint32_t seen;
    int first;
};

/* Returns 1 with *key set to the schema index of the next member, 0 at the end, or a negative
 * error. The cursor is left on the member's value. */
static int obj_next(struct rd *r, struct obj *o, const char *where, int *key)
{
    struct str k;
    char field[96];
    int rc, i;

    rc = next_item(r, where, o->first, '}');
    o->first = 0;
    if (rc != 1)
        return rc;
    peek(r);
    rc = read_string(r, where, &k);
    if (rc != HC_OK)
        return rc == HC_EINVAL ? fail(r, where, "expected a field name in double quotes") : rc;
    for (i = 0; o->keys[i] != NULL; i++)
        if (strlen(o->keys[i]) == k.n && memcmp(o->keys[i], k.p, k.n) == 0)
            break;
    if (o->keys[i] == NULL)
        return fail2(r, path(field, sizeof field, where, -1, k.p), "unknown field", NULL);
    if (o->seen & (1u << i))
        return fail(r, path(field, sizeof field, where, -1, k.p), "duplicate field");
    o->seen |= 1u << i;
    rc = expect(r, ':', path(field, sizeof field, where, -1, k.p));
    if (rc != HC_OK)
        return rc;
    *key = i;
    return 1;
}

static int obj_begin(struct rd *r, struct obj *o, const char *const *keys, const char *where)
{
    int rc;
    if (++r->depth > MAX_DEPTH)
        return fail(r, where, "nested too deeply");
    if (peek(r) != '{')
        return fail(r, where[0] ? where : "case", "expected an object");
    r->i++;
    o->keys = keys;
    o->seen = 0;
    o->first = 1;
    rc = HC_OK;
    return rc;
}

/* Count the elements of the array at the cursor without consuming it, so arrays are sized
 * once. The caller validates the elements themselves. Returns the count or an error. */
static long count_elements(struct rd *r, const char *where)
{
    size_t j = r->i + 1;
    int depth = 0, instr = 0;
    long count = 0, any = 0;
    for (; j < r->n; j++) {
        char c = r->s[j];
        if (instr) {
            if (c == '\\')
                j++;
            else if (c == '"')
                instr = 0;
            continue;
        }
        if (c == '"') {
            instr = 1;
            any = 1;
        } else if (c == '{' || c == '[') {
            depth++;
            any = 1;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return count + any;
            depth--;
        } else if (c == ',' && depth == 0) {
            count++;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            any = 1;
        }
    }
    return fail(r, where, "unterminated array");
}

static int arr_begin(struct rd *r, const char *where, long *count)
{
    if (peek(r) != '[')
        return fail(r, where, "expected an array");
    *count = count_elements(r, where);
    if (*count < 0)
        return (int)*count;
    if (*count > HC_CASE_MAX_RECORDS)
        return fail(r, where, "too many entries (at most 500)");
    r->i++;
    return HC_OK;
}

/* Between array elements: 1 if another element follows, 0 at the end. */
static int arr_next(struct rd *r, const char *where, long idx)
{
    return next_item(r, where, idx == 0, ']');
}

static int parse_cite_field(struct rd *r, const char *field, const char **text, struct hc_cite *c,
                            int *ok, const char **why)
{
    struct str s;
    struct hc_diag cd;
    int rc = read_string(r, field, &s);
    if (rc != HC_OK)
        return rc;
    if (s.n == 0)
        return fail(r, field, "empty citation");
    *text = s.p;
    hc_diag_clear(&cd);
    *ok = hc_cite_parse(s.p, s.n, c, &cd) == HC_OK;
    *why = "";
    if (!*ok) {
        char *m = hc_arena_strndup(r->a, cd.msg, strlen(cd.msg));
        if (m == NULL)
            return HC_ENOMEM;
        *why = m;
    }
    return HC_OK;
}

/* Common end of a conviction or charge: the citation is required, and a "-F"/"-M" suffix
 * gives the level when none was written. */
static int finish_record(struct rd *r, const char *where, const char *citation,
                         const struct hc_cite *cite, int cite_ok, unsigned char *level)
{
    char field[96];
    if (citation == NULL)
        return fail(r, path(field, sizeof field, where, -1, "citation"), "required field missing");
    if (*level == HC_LEVEL_UNKNOWN && cite_ok)
        *level = cite->level_suffix;
    return HC_OK;
}

/* Reads the value of member keys[key] of an object, field being its path for messages; ctx is
 * what the object is read into. Returns HC_OK or an error (hc_diag set). */
typedef int read_member_fn(struct rd *r, int key, const char *field, void *ctx);

/* Read the object at the cursor, at path where, whose members may be keys (NULL-terminated):
 * read_member reads each member's value into ctx. Returns HC_OK with the object consumed, or
 * the first error. */
static int read_object(struct rd *r, const char *const *keys, const char *where,
                       read_member_fn *read_member, void *ctx)
{
    char field[96];
    struct obj o;
    int rc, key = 0;

    rc = obj_begin(r, &o, keys, where);
    if (rc != HC_OK)
        return rc;
    while ((rc = obj_next(r, &o, where, &key)) == 1) {
        rc = read_member(r, key, path(field, sizeof field, where, -1, keys[key]), ctx);
        if (rc != HC_OK)
            return rc;
    }
    if (rc < 0)
        return rc;
    r->depth--;
    return HC_OK;
}

static const char *const conv_keys[] = {
    "citation", "level", "date", "wobbler", "prop47_reduced", "federal_aggravated_felony",
    "jurisdiction", "ca_equivalent", "juvenile", "strike_adjudication", "expunged",
    "court", "case_number", "disposition", NULL,
};

/* A member of a conviction (conv_keys) into the struct hc_conviction ctx. */
static int read_conviction_member(struct rd *r, int key, const char *f, void *ctx)
{
    struct hc_conviction *cv = ctx;
    int rc = HC_OK; /* a null optional member sets nothing */
    struct str s;
    unsigned char b = 0;

    switch (key) {
    case 0:
        rc = parse_cite_field(r, f, &cv->citation, &cv->cite, &cv->cite_ok, &cv->cite_error);
        break;
    case 1: rc = read_level(r, f, &cv->level); break;
    case 2:
        if (is_null(r))
            break;
        rc = read_date(r, f, &cv->date);
        break;
    case 3: rc = read_tribool(r, f, &cv->wobbler); break;
    case 4: rc = read_tribool(r, f, &cv->prop47); break;
    case 5:
        if (is_null(r))
            break;
        if (peek(r) == '"') {
            rc = read_string(r, f, &s);
            if (rc == HC_OK && (s.n != 1 || s.p[0] < 'A' || s.p[0] > 'U'))
                rc = fail(r, f, "expected a subparagraph letter \"A\" to \"U\", true or false");
            if (rc == HC_OK)
                cv->agg = s.p[0];
        } else {
            rc = read_bool(r, f, &b);
            if (rc == HC_OK) {
                cv->agg = b ? '?' : 0;
                cv->agg_false = !b;
            }
        }
        break;
    case 6:
        if (is_null(r))
            break;
        rc = read_string(r, f, &s);
        if (rc != HC_OK)
            break;
        if (s.n == 0)
            rc = fail(r, f, "empty jurisdiction");
        cv->juris = (unsigned char)hc_juris_from_name(s.p);
        cv->juris_name = s.p;
        break;
    case 7: {
        const char *t = NULL, *why = NULL;
        int ok = 0; /* read below even when parse_cite_field failed */
        if (is_null(r))
            break;
        rc = parse_cite_field(r, f, &t, &cv->equiv, &ok, &why);
        if (rc == HC_OK && !ok)
            rc = fail2(r, f, "not a California citation: ", why);
        cv->has_equiv = 1;
        cv->equiv_ok = (unsigned char)ok;
        break;
    }
    case 8: rc = read_bool(r, f, &cv->juvenile); break;
    case 9: rc = read_bool(r, f, &cv->strike_adjudication); break;
    case 10: rc = read_bool(r, f, &cv->expunged); break;
    default: /* court, case_number, disposition: informational strings */
        if (!is_null(r))
            rc = read_string(r, f, &s);
        break;
    }
    return rc;
}

/* Read conviction idx of person.convictions into *cv. Returns HC_OK or an error. */
static int read_conviction(struct rd *r, long idx, struct hc_conviction *cv)
{
    char where[64], field[96];
    int rc;

    path(where, sizeof where, "person.convictions", idx, NULL);
    memset(cv, 0, sizeof *cv);
    cv->date = HC_DAY_NONE;
    cv->wobbler = -1;
    cv->prop47 = -1;
    rc = read_object(r, conv_keys, where, read_conviction_member, cv);
    if (rc != HC_OK)
        return rc;
    rc = finish_record(r, where, cv->citation, &cv->cite, cv->cite_ok, &cv->level);
    if (rc != HC_OK)
        return rc;
    /* A citation to the United States Code is a federal conviction unless said otherwise. */
    if (cv->juris_name == NULL && cv->cite_ok && cv->cite.main.code == HC_CODE_USC)
        cv->juris = HC_JURIS_FEDERAL;
    /* A jurisdiction that contradicts the citation is an error, not a guess. */
    if (cv->juris_name != NULL && cv->cite_ok) {
        const char *why = hc_juris_conflict(&cv->cite, cv->juris_name);
        if (why != NULL)
            return fail(r, path(field, sizeof field, where, -1, "jurisdiction"), why);
    }
    /* A strike adjudication (PC 667(d)(3)) is a juvenile adjudication by definition. */
    if (cv->strike_adjudication)
        cv->juvenile = 1;
    return HC_OK;
}

static const char *const charge_keys[] = {
    "citation", "level", "magistrate_probable_cause", "status", NULL,
};

/* A member of a pending charge (charge_keys) into the struct hc_charge ctx. */
static int read_charge_member(struct rd *r, int key, const char *f, void *ctx)
{
    struct hc_charge *ch = ctx;
    struct str s;

    switch (key) {
    case 0: return parse_cite_field(r, f, &ch->citation, &ch->cite, &ch->cite_ok, &ch->cite_error);
    case 1: return read_level(r, f, &ch->level);
    case 2: return read_bool(r, f, &ch->magistrate_pc);
    default: return is_null(r) ? HC_OK : read_string(r, f, &s);
    }
}

/* Read charge idx of person.pending_charges into *ch. Returns HC_OK or an error. */
static int read_charge(struct rd *r, long idx, struct hc_charge *ch)
{
    char where[64];
    int rc;

    path(where, sizeof where, "person.pending_charges", idx, NULL);
    memset(ch, 0, sizeof *ch);
    rc = read_object(r, charge_keys, where, read_charge_member, ch);
    if (rc != HC_OK)
        return rc;
    return finish_record(r, where, ch->citation, &ch->cite, ch->cite_ok, &ch->level);
}

/* read_conviction and read_charge in the form read_records calls. */
static int read_conviction_el(struct rd *r, long idx, void *el)
{
    return read_conviction(r, idx, el);
}

static int read_charge_el(struct rd *r, long idx, void *el)
{
    return read_charge(r, idx, el);
}

/* Read an array of records of `size` bytes each, sized once by counting its elements. */
static int read_records(struct rd *r, const char *where, size_t size,
                        int (*read_el)(struct rd *, long, void *), void **out, size_t *n_out)
{
    long n, i;
    char *arr;
    int rc = arr_begin(r, where, &n);
    if (rc != HC_OK)
        return rc;
    arr = hc_arena_alloc(r->a, (size_t)(n ? n : 1) * size);
    if (arr == NULL)
        return HC_ENOMEM;
    for (i = 0; (rc = arr_next(r, where, i)) == 1; i++) {
        if (i >= n)
            return fail(r, where, "malformed array");
        rc = read_el(r, i, arr + (size_t)i * size);
        if (rc != HC_OK)
            return rc;
    }
    if (rc < 0)
        return rc;
    *out = arr;
    *n_out = (size_t)i;
    return HC_OK;
}

static const char *const person_keys[] = {
    "convictions", "pending_charges", "registrant_290", NULL,
};

/* A member of person (person_keys) into the struct hc_case ctx. */
static int read_person_member(struct rd *r, int key, const char *f, void *ctx)
{
    struct hc_case *c = ctx;
    void *arr = NULL;
    int rc;

    if (key == 2)
        return read_bool(r, f, &c->registrant_290);
    if (is_null(r))
        return HC_OK;
    if (key == 0) {
        rc = read_records(r, f, sizeof *c->conv, read_conviction_el, &arr, &c->nconv);
        c->conv = arr;
    } else {
        rc = read_records(r, f, sizeof *c->charges, read_charge_el, &arr, &c->ncharges);
        c->charges = arr;
    }
    return rc;
}

static const char *const request_keys[] = {
    "type", "form", "judicial_warrant", "judicial_probable_cause", "federal_felony_warrant",
    "received", "issuing_office", NULL,
};

/* What the members of a case are read into; have_* say which required members were there. */
struct case_in {
    struct hc_case *c;
    int have_date, have_type, have_request;
};

/* A member of request (request_keys) into the struct case_in ctx. */
static int read_request_member(struct rd *r, int key, const char *f, void *ctx)
{
    struct case_in *in = ctx;
    struct hc_case *c = in->c;
    int rc = HC_OK; /* a null optional member sets nothing */
    struct str s;

    switch (key) {
    case 0:
        rc = read_string(r, f, &s);
        if (rc != HC_OK)
            break;
        {
            int t = hc_request_from_name(s.p, s.n);
            if (t < 0)
                rc = fail2(r, f, "unknown request type: ", s.p);
            else
                c->type = (unsigned char)t;
            in->have_type = 1;
        }
        break;
    case 1:
        if (!is_null(r)) {
            rc = read_string(r, f, &s);
            c->form = s.p;
        }
        break;
    case 2: rc = read_bool(r, f, &c->judicial_warrant); break;
    case 3: rc = read_bool(r, f, &c->judicial_pc); break;
    case 4: rc = read_bool(r, f, &c->federal_felony_warrant); break;
    default:
        if (!is_null(r))
            rc = read_string(r, f, &s);
        break;
    }
    return rc;
}

static const char *const settings_keys[] = {
    "prop47_scope", "state_prison_at", "juvenile_adjudications", "expunged", "values_act_start",
    NULL,
};

/* A member of agency.settings (settings_keys) into the struct hc_settings ctx. */
static int read_settings_member(struct rd *r, int key, const char *f, void *ctx)
{
    static const char *const values[][4] = {
        {"offense", "person", NULL, NULL},
        {"review", "conviction", "decision", NULL},
        {"exclude", "count", NULL, NULL},
        {"count", "exclude", NULL, NULL},
        {"2018-01-01", "2018-01-04", NULL, NULL},
    };
    struct hc_settings *st = ctx;
    struct str s;
    int rc, v;

    rc = read_string(r, f, &s);
    if (rc != HC_OK)
        return rc;
    for (v = 0; values[key][v] != NULL; v++)
        if (strcmp(values[key][v], s.p) == 0)
            break;
    if (values[key][v] == NULL)
        return fail2(r, f, "unknown value: ", s.p);
    switch (key) {
    case 0: st->prop47_scope = (unsigned char)v; break;
    case 1: st->prison_at = (unsigned char)v; break;
    case 2: st->juvenile = (unsigned char)v; break;
    case 3: st->expunged = (unsigned char)v; break;
    default: st->sb54_jan4 = (unsigned char)v; break;
    }
    return HC_OK;
}

static int read_policy(struct rd *r, struct hc_case *c)
{
    static const char *const values[] = {
        "state_law", "never", "serious_violent_only", "judicial_warrant_only", "always", NULL,
    };
    char field[96];
    int rc, first = 1;

    if (++r->depth > MAX_DEPTH)
        return fail(r, "agency.policy", "nested too deeply");
    if (peek(r) != '{')
        return fail(r, "agency.policy", "expected an object");
    r->i++;
    for (;;) {
        struct str k, s;
        int t, v, ch = peek(r);
        if (ch == '}') {
            r->i++;
            break;
        }
        if (!first) {
            if (ch != ',')
                return fail(r, "agency.policy", "expected ',' or '}'");
            r->i++;
        }
        first = 0;
        rc = read_string(r, "agency.policy", &k);
        if (rc != HC_OK)
            return rc;
        path(field, sizeof field, "agency.policy", -1, k.p);
        t = hc_request_from_name(k.p, k.n);
        if (t < 0)
            return fail(r, field, "unknown field (policy keys are request types)");
        rc = expect(r, ':', field);
        if (rc != HC_OK)
            return rc;
        rc = read_string(r, field, &s);
        if (rc != HC_OK)
            return rc;
        for (v = 0; values[v] != NULL; v++)
            if (strcmp(values[v], s.p) == 0)
                break;
        if (values[v] == NULL)
            return fail2(r, field, "unknown policy (state_law, never, serious_violent_only, "
                                   "judicial_warrant_only or always): ", s.p);
        if (v == HC_POLICY_JUDICIAL_WARRANT && t != HC_REQ_TRANSFER)
            return fail(r, field, "judicial_warrant_only applies to transfer only");
        if (v == HC_POLICY_SERIOUS_VIOLENT && t != HC_REQ_TRANSFER && t != HC_REQ_NOTIFICATION &&
            t != HC_REQ_HOLD && t != HC_REQ_INTERVIEW && t != HC_REQ_CRIMINAL_HISTORY)
            return fail(r, field, "serious_violent_only applies to hold, notification, transfer, "
                                  "interview and criminal_history");
        c->policy[t] = (unsigned char)v;
    }
    r->depth--;
    return HC_OK;
}

static const char *const agency_keys[] = {
    "release_dates_public", "personal_info_public", "policy", "settings", "name", NULL,
};

/* A member of agency (agency_keys) into the struct hc_case ctx. */
static int read_agency_member(struct rd *r, int key, const char *f, void *ctx)
{
    struct hc_case *c = ctx;
    struct str s;

    if (key >= 2 && is_null(r))
        return HC_OK;
    switch (key) {
    case 0: return read_bool(r, f, &c->release_public);
    case 1: return read_bool(r, f, &c->personal_public);
    case 2: return read_policy(r, c);
    case 3: return read_object(r, settings_keys, f, read_settings_member, &c->settings);
    default: return read_string(r, f, &s);
    }
}

static const char *const case_keys[] = {"id", "as_of", "request", "person", "agency", NULL};

/* A member of the case (case_keys) into the struct case_in ctx. */
static int read_case_member(struct rd *r, int key, const char *f, void *ctx)
{
    struct case_in *in = ctx;
    struct hc_case *out = in->c;
    struct str str;
    int rc;

    switch (key) {
    case 0:
        if (peek(r) == '"') {
            rc = read_string(r, f, &str);
        } else {
            rc = read_number(r, f, &str);
            out->id_is_number = 1;
        }
        if (rc == HC_OK)
            out->id = str.p;
        return rc;
    case 1:
        in->have_date = 1;
        return read_date(r, f, &out->as_of);
    case 2:
        in->have_request = 1;
        return read_object(r, request_keys, f, read_request_member, in);
    case 3: return is_null(r) ? HC_OK : read_object(r, person_keys, f, read_person_member, out);
    default: return is_null(r) ? HC_OK : read_object(r, agency_keys, f, read_agency_member, out);
    }
}

int hc_case_read(const char *s, size_t len, size_t *pos, int line0, struct hc_case *out,
                 struct hc_arena *a, struct hc_diag *d)
{
    struct rd r = {s, len, *pos, line0, a, d, 0};
    struct case_in in = {out, 0, 0, 0};
    int rc;

    hc_diag_clear(d);
    memset(out, 0, sizeof *out);
    if (peek(&r) < 0) {
        *pos = r.i;
        return HC_ENOENT;
    }
    rc = read_object(&r, case_keys, "", read_case_member, &in);
    if (rc != HC_OK)
        return rc;
    if (!in.have_date)
        return fail(&r, "as_of", "required field missing");
    if (!in.have_request)
        return fail(&r, "request", "required field missing");
    if (!in.have_type)
        return fail(&r, "request.type", "required field missing");
    *pos = r.i;
    return HC_OK;
}

enum hc_juris hc_juris_from_name(const char *name)
{
    if (strcmp(name, "CA") == 0 || strcmp(name, "California") == 0)
        return HC_JURIS_CA;
    if (strcmp(name, "federal") == 0 || strcmp(name, "US") == 0)
        return HC_JURIS_FEDERAL;
    return HC_JURIS_OTHER;
}

const char *hc_juris_conflict(const struct hc_cite *c, const char *jurisdiction)
{
    int usc = c->main.code == HC_CODE_USC;
    enum hc_juris j;
    if (jurisdiction == NULL)
        return NULL;
    j = hc_juris_from_name(jurisdiction);
    if (j == HC_JURIS_FEDERAL && !usc)
        return "federal, but the citation is not to the United States Code";
    if (j == HC_JURIS_CA && usc)
        return "CA, but the citation is to the United States Code";
    return NULL;
}

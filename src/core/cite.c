/* SPDX-License-Identifier: MIT
 * cite.c: citation parser. The text is first normalised (upper case, "§" and commas to
 * spaces, abbreviation dots dropped, decimal points kept), then read left to right:
 *   [title USC | code] section [(sub)...] [degree] [/ [code] section ...] [code] [-level]
 * Everything the grammar does not account for is an error, never silently ignored. */
#include "ascii.h"
#include "cite.h"

#include <stdint.h>
#include <string.h>

#define NORM_MAX 160

struct scan {
    char s[NORM_MAX];
    size_t n;
    size_t i;
};


/* Copy src into sc->s in normal form. Returns HC_EINVAL when the text is too long or has a
 * byte no citation contains. */
static int normalise(struct scan *sc, const char *src, size_t len)
{
    size_t i;
    sc->n = 0;
    sc->i = 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)src[i];
        char out;
        if (c == 0xC2 && i + 1 < len && (unsigned char)src[i + 1] == 0xA7) { /* § */
            i++;
            out = ' ';
        } else if (c >= 'a' && c <= 'z') {
            out = (char)(c - 'a' + 'A');
        } else if (c == '.') {
            /* Keep a decimal point (273.5); drop abbreviation dots (P.C., U.S.C., Sec.). */
            int prev_digit = sc->n > 0 && hc_is_digit(sc->s[sc->n - 1]);
            int next_digit = i + 1 < len && hc_is_digit(src[i + 1]);
            if (!(prev_digit && next_digit))
                continue;
            out = '.';
        } else if (c == ',' || c == '\t' || c == ':' || c == ';') {
            out = ' ';
        } else if (c >= 0x20 && c < 0x7f) {
            out = (char)c;
        } else {
            return HC_EINVAL;
        }
        if (sc->n + 1 >= NORM_MAX)
            return HC_EINVAL;
        sc->s[sc->n++] = out;
    }
    sc->s[sc->n] = '\0';
    return HC_OK;
}

static void skip_ws(struct scan *sc)
{
    while (sc->i < sc->n && sc->s[sc->i] == ' ')
        sc->i++;
}

static char peek(const struct scan *sc)
{
    return sc->i < sc->n ? sc->s[sc->i] : '\0';
}

/* Strip a trailing word w from name (length *n) if present. */
static void strip_suffix(char *name, size_t *n, const char *w)
{
    size_t wl = strlen(w);
    if (*n > wl && memcmp(name + *n - wl, w, wl) == 0)
        *n -= wl;
}

/* Map a code name with spaces removed ("PENALCODE", "H&S", "HSC") to enum hc_code. */
static int code_from_name(const char *raw, size_t n)
{
    static const struct {
        const char *name;
        unsigned char code;
    } names[] = {
        {"PC", HC_CODE_PC}, {"P", HC_CODE_PC}, {"PEN", HC_CODE_PC}, {"PENAL", HC_CODE_PC},
        {"CPC", HC_CODE_PC},
        {"VC", HC_CODE_VC}, {"V", HC_CODE_VC}, {"VEH", HC_CODE_VC}, {"VEHICLE", HC_CODE_VC},
        {"CVC", HC_CODE_VC},
        {"HS", HC_CODE_HS}, {"H&S", HC_CODE_HS}, {"HSC", HC_CODE_HS}, {"H&SC", HC_CODE_HS},
        {"HANDS", HC_CODE_HS}, {"HEALTH&SAFETY", HC_CODE_HS}, {"HEALTHANDSAFETY", HC_CODE_HS},
        {"HEALTH&SAF", HC_CODE_HS}, {"HLTH&SAF", HC_CODE_HS}, {"HLTH&SAFETY", HC_CODE_HS},
        {"WI", HC_CODE_WI}, {"W&I", HC_CODE_WI}, {"WIC", HC_CODE_WI}, {"W&IC", HC_CODE_WI},
        {"WELFARE&INSTITUTIONS", HC_CODE_WI}, {"WELFAREANDINSTITUTIONS", HC_CODE_WI},
        {"WELF&INST", HC_CODE_WI},
        {"BP", HC_CODE_BP}, {"B&P", HC_CODE_BP}, {"BPC", HC_CODE_BP}, {"B&PC", HC_CODE_BP},
        {"BUSINESS&PROFESSIONS", HC_CODE_BP}, {"BUSINESSANDPROFESSIONS", HC_CODE_BP},
        {"BUS&PROF", HC_CODE_BP},
        {"USC", HC_CODE_USC}, {"UNITEDSTATES", HC_CODE_USC},
    };
    char name[48];
    size_t i, k = 0;

    for (i = 0; i < n && k < sizeof name - 1; i++)
        if (raw[i] != ' ')
            name[k++] = raw[i];
    if (i < n)
        return HC_CODE_NONE;
    strip_suffix(name, &k, "SECTIONS");
    strip_suffix(name, &k, "SECTION");
    strip_suffix(name, &k, "SEC");
    strip_suffix(name, &k, "SS");
    strip_suffix(name, &k, "CODE");
    if (k > 3 && memcmp(name, "CAL", 3) == 0 && name[3] != '&')
        memmove(name, name + 3, k -= 3);
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == k && memcmp(names[i].name, name, k) == 0)
            return names[i].code;
    return HC_CODE_NONE;
}

/* Read a run of letters, '&' and spaces at the cursor; return its code or NONE (cursor is
 * restored when the run is not a code name). */
static int read_code(struct scan *sc)
{
    size_t start, end;
    int code;
    skip_ws(sc);
    start = sc->i;
    end = start;
    while (end < sc->n && (hc_is_upper(sc->s[end]) || sc->s[end] == '&' || sc->s[end] == ' '))
        end++;
    while (end > start && sc->s[end - 1] == ' ')
        end--;
    /* Try the whole run, then drop trailing words ("PC F" is the code PC and a level). */
    while (end > start) {
        code = code_from_name(sc->s + start, end - start);
        if (code != HC_CODE_NONE) {
            sc->i = end;
            return code;
        }
        while (end > start && sc->s[end - 1] != ' ')
            end--;
        while (end > start && sc->s[end - 1] == ' ')
            end--;
    }
    return HC_CODE_NONE;
}

static int word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(w, lit, n) == 0;
}

static int degree_of(const char *w, size_t n)
{
    if (word_is(w, n, "1ST") || word_is(w, n, "FIRST"))
        return 1;
    if (word_is(w, n, "2ND") || word_is(w, n, "SECOND"))
        return 2;
    return 0;
}

/* Read an optional degree word ("1st", "first degree", "2nd deg"). */
static void read_degree(struct scan *sc, struct hc_cite_part *p)
{
    size_t save = sc->i, start, end;
    int deg;
    skip_ws(sc);
    start = sc->i;
    end = start;
    while (end < sc->n && (hc_is_upper(sc->s[end]) || hc_is_digit(sc->s[end])))
        end++;
    deg = degree_of(sc->s + start, end - start);
    if (deg == 0) {
        sc->i = save;
        return;
    }
    p->degree = (unsigned char)deg;
    sc->i = end;
    save = sc->i;
    skip_ws(sc);
    start = sc->i;
    end = start;
    while (end < sc->n && hc_is_upper(sc->s[end]))
        end++;
    if (word_is(sc->s + start, end - start, "DEGREE") || word_is(sc->s + start, end - start, "DEG"))
        sc->i = end;
    else
        sc->i = save;
}

/* section [(sub)...] [degree]. The cursor is on the first digit. */
static int read_section(struct scan *sc, struct hc_cite_part *p, struct hc_diag *d)
{
    size_t k = 0, start;
    skip_ws(sc);
    if (!hc_is_digit(peek(sc)))
        return hc_diag_set(d, "", "expected a section number", NULL);
    while (hc_is_digit(peek(sc)) || (peek(sc) == '.' && k > 0)) {
        if (k + 1 >= HC_CITE_SEC_MAX)
            return hc_diag_set(d, "", "section number too long", NULL);
        p->sec[k++] = sc->s[sc->i++];
    }
    /* Letters glued to the digits: a section suffix (288a, 273ab) unless they name a code. */
    start = sc->i;
    while (hc_is_upper(peek(sc)))
        sc->i++;
    if (sc->i > start) {
        size_t n = sc->i - start;
        if (code_from_name(sc->s + start, n) != HC_CODE_NONE || n > 2) {
            sc->i = start;
        } else {
            size_t j;
            for (j = 0; j < n; j++) {
                if (k + 1 >= HC_CITE_SEC_MAX)
                    return hc_diag_set(d, "", "section number too long", NULL);
                p->sec[k++] = hc_to_lower(sc->s[start + j]);
            }
        }
    }
    p->sec[k] = '\0';
    for (;;) {
        size_t save = sc->i, n = 0;
        char lab[8];
        skip_ws(sc);
        if (peek(sc) != '(') {
            sc->i = save;
            break;
        }
        sc->i++;
        while (sc->i < sc->n && (hc_is_upper(sc->s[sc->i]) || hc_is_digit(sc->s[sc->i]))) {
            if (n + 1 >= sizeof lab)
                return hc_diag_set(d, "", "subdivision label too long", NULL);
            lab[n++] = sc->s[sc->i++];
        }
        if (n == 0 || peek(sc) != ')')
            return hc_diag_set(d, "", "malformed subdivision", NULL);
        sc->i++;
        if (degree_of(lab, n) != 0) {
            p->degree = (unsigned char)degree_of(lab, n);
            continue;
        }
        if (n + 1 > HC_CITE_SUBLEN)
            return hc_diag_set(d, "", "subdivision label too long", NULL);
        if (p->nsub >= HC_CITE_SUB_MAX)
            return hc_diag_set(d, "", "too many subdivision levels", NULL);
        {
            size_t j;
            for (j = 0; j < n; j++)
                p->sub[p->nsub][j] = hc_to_lower(lab[j]);
            p->sub[p->nsub][n] = '\0';
        }
        p->nsub++;
    }
    read_degree(sc, p);
    return HC_OK;
}

/* One part: either "TITLE USC section..." or "[code] section..." (code optional). */
static int read_part(struct scan *sc, struct hc_cite_part *p, struct hc_diag *d)
{
    memset(p, 0, sizeof *p);
    skip_ws(sc);
    if (hc_is_digit(peek(sc))) {
        /* Maybe a USC title: digits, spaces, then a USC code word. */
        size_t save = sc->i;
        unsigned v = 0;
        while (hc_is_digit(peek(sc)) && v < 1000)
            v = v * 10 + (unsigned)(sc->s[sc->i++] - '0');
        if (!hc_is_digit(peek(sc)) && peek(sc) != '.' && peek(sc) != '(') {
            if (read_code(sc) == HC_CODE_USC) {
                if (v == 0 || v > 54)
                    return hc_diag_set(d, "", "no such title of the United States Code", NULL);
                p->code = HC_CODE_USC;
                p->title = (unsigned short)v;
                return read_section(sc, p, d);
            }
        }
        sc->i = save;
        return read_section(sc, p, d);
    }
    p->code = (unsigned char)read_code(sc);
    if (p->code == HC_CODE_NONE)
        return hc_diag_set(d, "", "unknown code name (expected PC, VC, HS, WI, BP or USC)", NULL);
    if (p->code == HC_CODE_USC)
        return hc_diag_set(d, "", "a United States Code citation needs its title, e.g. 18 USC 2113", NULL);
    return read_section(sc, p, d);
}

static int level_word(const char *w, size_t n)
{
    if (word_is(w, n, "F") || word_is(w, n, "FEL") || word_is(w, n, "FELONY"))
        return HC_LEVEL_FELONY;
    if (word_is(w, n, "M") || word_is(w, n, "MISD") || word_is(w, n, "MISDEMEANOR"))
        return HC_LEVEL_MISDEMEANOR;
    if (word_is(w, n, "I") || word_is(w, n, "INF") || word_is(w, n, "INFRACTION"))
        return HC_LEVEL_INFRACTION;
    return HC_LEVEL_UNKNOWN;
}

int hc_cite_part_equal(const struct hc_cite_part *a, const struct hc_cite_part *b)
{
    int i;
    if (a->code != b->code || a->title != b->title || a->nsub != b->nsub ||
        a->degree != b->degree || strncmp(a->sec, b->sec, sizeof a->sec) != 0)
        return 0;
    for (i = 0; i < a->nsub && i < HC_CITE_SUB_MAX; i++)
        if (strncmp(a->sub[i], b->sub[i], sizeof a->sub[i]) != 0)
            return 0;
    return 1;
}

enum hc_inchoate hc_cite_inchoate_of(const struct hc_cite_part *p)
{
    if (p->code != HC_CODE_PC)
        return HC_INCHOATE_NONE;
    if (strcmp(p->sec, "664") == 0)
        return HC_INCHOATE_ATTEMPT;
    if (strcmp(p->sec, "182") == 0)
        return HC_INCHOATE_CONSPIRACY;
    return HC_INCHOATE_NONE;
}

unsigned int hc_cite_hash(const struct hc_cite_part *p)
{
    uint32_t h = 2166136261u;
    const char *s;
    h = (h ^ p->code) * 16777619u;
    h = (h ^ (p->title & 0xffu)) * 16777619u;
    h = (h ^ (uint32_t)(p->title >> 8)) * 16777619u;
    for (s = p->sec; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int parse_parts(const char *s, size_t len, struct hc_cite *out, struct hc_diag *d);

int hc_cite_parse(const char *s, size_t len, struct hc_cite *out, struct hc_diag *d)
{
    int rc = parse_parts(s, len, out, d);
    if (rc == HC_OK) {
        out->main.hash = hc_cite_hash(&out->main);
        if (out->has_target)
            out->target.hash = hc_cite_hash(&out->target);
    }
    return rc;
}

static int parse_parts(const char *s, size_t len, struct hc_cite *out, struct hc_diag *d)
{
    struct scan sc;
    int rc;

    memset(out, 0, sizeof *out);
    if (normalise(&sc, s, len) != HC_OK)
        return hc_diag_set(d, "", "citation is too long or has characters no citation uses", NULL);
    rc = read_part(&sc, &out->main, d);
    if (rc != HC_OK)
        return rc;
    skip_ws(&sc);
    if (peek(&sc) == '/') {
        sc.i++;
        rc = read_part(&sc, &out->target, d);
        if (rc != HC_OK)
            return rc;
        out->has_target = 1;
    }
    /* A code written after the section ("245(a)(1) PC") applies to every part without one. */
    if (out->main.code == HC_CODE_NONE || (out->has_target && out->target.code == HC_CODE_NONE)) {
        int code = read_code(&sc);
        if (code == HC_CODE_NONE && out->main.code == HC_CODE_NONE)
            return hc_diag_set(d, "", "no code named (PC, VC, HS, WI, BP or USC)", NULL);
        if (code == HC_CODE_USC)
            return hc_diag_set(d, "", "a United States Code citation needs its title first", NULL);
        if (out->main.code == HC_CODE_NONE)
            out->main.code = (unsigned char)code;
        if (out->has_target && out->target.code == HC_CODE_NONE)
            out->target.code = code != HC_CODE_NONE ? (unsigned char)code : out->main.code;
    }
    /* Level suffix: "-F", "- M", " FELONY". */
    skip_ws(&sc);
    if (peek(&sc) == '-')
        sc.i++;
    skip_ws(&sc);
    if (sc.i < sc.n) {
        size_t start = sc.i;
        while (hc_is_upper(peek(&sc)))
            sc.i++;
        out->level_suffix = (unsigned char)level_word(sc.s + start, sc.i - start);
        if (out->level_suffix == HC_LEVEL_UNKNOWN)
            return hc_diag_set(d, "", "unexpected text after the citation", NULL);
        skip_ws(&sc);
        if (sc.i < sc.n)
            return hc_diag_set(d, "", "unexpected text after the citation", NULL);
    }
    if (out->has_target) {
        /* "PC 211/664" means the same as "PC 664/211". */
        if (!hc_cite_inchoate_of(&out->main) && hc_cite_inchoate_of(&out->target)) {
            struct hc_cite_part t = out->main;
            out->main = out->target;
            out->target = t;
        }
        out->inchoate = (unsigned char)hc_cite_inchoate_of(&out->main);
        if (out->inchoate == HC_INCHOATE_NONE)
            return hc_diag_set(d, "", "two sections joined by '/' must be an attempt (PC 664) or a conspiracy (PC 182)", NULL);
        if (hc_cite_inchoate_of(&out->target))
            return hc_diag_set(d, "", "an attempt or conspiracy needs an offense as its object", NULL);
    } else {
        out->inchoate = (unsigned char)hc_cite_inchoate_of(&out->main);
    }
    return HC_OK;
}

/* Compare two zero-filled fixed-size labels as whole words (memcpy keeps it free of aliasing
 * and alignment traps; compilers turn it into plain loads). */
static int label_eq(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    size_t k;
    for (k = 0; k < n; k += sizeof x) {
        memcpy(&x, a + k, sizeof x);
        memcpy(&y, b + k, sizeof y);
        if (x != y)
            return 0;
    }
    return 1;
}

int hc_cite_same_section(const struct hc_cite_part *a, const struct hc_cite_part *b)
{
    return a->code == b->code && a->title == b->title && label_eq(a->sec, b->sec, HC_CITE_SEC_MAX);
}

enum hc_cite_rel hc_cite_relate_path(const struct hc_cite_part *list, const struct hc_cite_part *c)
{
    int i, m;
    /* A degree applies to the whole section: "459 1st" and "459(a) 1st" name the same
     * thing, so a degree on one side is compared only against a degree on the other. */
    if (list->degree && c->degree && list->degree != c->degree)
        return HC_CITE_UNRELATED;
    m = list->nsub < c->nsub ? list->nsub : c->nsub;
    for (i = 0; i < m; i++)
        if (!label_eq(list->sub[i], c->sub[i], HC_CITE_SUBLEN))
            return HC_CITE_UNRELATED;
    if (list->nsub <= c->nsub && (list->degree == 0 || list->degree == c->degree))
        return HC_CITE_COVERS;
    return HC_CITE_NARROWER;
}

enum hc_cite_rel hc_cite_relate(const struct hc_cite_part *list, const struct hc_cite_part *c)
{
    if (!hc_cite_same_section(list, c))
        return HC_CITE_UNRELATED;
    return hc_cite_relate_path(list, c);
}

void hc_cite_part_format(const struct hc_cite_part *p, struct hc_buf *b)
{
    static const char *const names[] = {"", "PC", "VC", "HS", "WI", "BP", "USC"};
    int i;
    if (p->code == HC_CODE_USC) {
        hc_buf_putu(b, p->title);
        hc_buf_puts(b, " USC ");
    } else if (p->code != HC_CODE_NONE && p->code < sizeof names / sizeof names[0]) {
        hc_buf_puts(b, names[p->code]);
        hc_buf_putc(b, ' ');
    }
    hc_buf_puts(b, p->sec);
    for (i = 0; i < p->nsub; i++) {
        hc_buf_putc(b, '(');
        hc_buf_puts(b, p->sub[i]);
        hc_buf_putc(b, ')');
    }
    if (p->degree == 1)
        hc_buf_puts(b, " 1st");
    else if (p->degree == 2)
        hc_buf_puts(b, " 2nd");
}

void hc_cite_format(const struct hc_cite *c, struct hc_buf *b)
{
    hc_cite_part_format(&c->main, b);
    if (c->has_target) {
        hc_buf_putc(b, '/');
        if (c->target.code != c->main.code) {
            hc_cite_part_format(&c->target, b);
        } else {
            struct hc_cite_part t = c->target;
            t.code = HC_CODE_NONE;
            hc_cite_part_format(&t, b);
        }
    }
}

/* SPDX-License-Identifier: MIT
 * charge.c: the charge-string reader. Four steps over a normalised copy of the text (upper
 * case, abbreviation dots dropped, decimal points kept, "§", "_" and other bytes as spaces):
 *   1. tokens: numbers, words, "(label)", punctuation, each knowing whether a space separates
 *      it from the token before ("PC4532B1" is PC, 4532, B, 1, all glued);
 *   2. code phrases ("PC", "H & S", "Pen. Code", "Health and Safety Code") marked on words;
 *   3. citations: a number with a code beside it (before, after, glued, or carried over from a
 *      list), its subdivisions in parentheses, glued ("B1") or in words ("subdivision (a)"),
 *      a degree, a second part after "/", and a level right after it; then the text up to the
 *      next citation, where level and degree words are looked for;
 *   4. readings: each citation's possible readings are listed (the letter of "288A" as a
 *      subdivision or a section suffix, "4221A" with its decimal point restored as 422.1(a));
 *      one reading is the answer, several are put to the caller's predicate, and what it
 *      cannot settle stays AMBIGUOUS.
 * A number with no code beside it is not a citation: the reader leaves it alone. */
#include "ascii.h"
#include "charge.h"

#include <string.h>

#define TOK_MAX HC_CHARGE_TEXT_MAX /* every token takes a byte at least: see tokenise() */
#define SPLIT_MAX 2 /* letters before a glued code, "C" of "587CPC" */

/* ---- step 1: normal form and tokens ------------------------------------------------------ */

struct text {
    char s[HC_CHARGE_TEXT_MAX + 1];
    size_t n;
};


/* Copy src into t in normal form. Spaces are collapsed, so a token is glued to the one before
 * exactly when the byte before it is not a space. */
static int normalise(struct text *t, const char *src, size_t len)
{
    size_t i;
    t->n = 0;
    if (len > HC_CHARGE_TEXT_MAX)
        return HC_EINVAL;
    for (i = 0; i < len; i++) {
        char c = src[i];
        char out;
        if (c == '\xC2' && i + 1 < len && src[i + 1] == '\xA7') { /* "§": a section mark */
            i++;
            if (t->n > 0 && t->s[t->n - 1] != ' ')
                t->s[t->n++] = ' ';
            out = '@';
        } else if (c >= 'a' && c <= 'z') {
            out = (char)(c - 'a' + 'A');
        } else if (hc_is_upper(c) || hc_is_digit(c) || c == '(' || c == ')' || c == '/' || c == '-' ||
                   c == ',' || c == ';' || c == '&') {
            out = c;
        } else if (c == '.') {
            /* A decimal point (273.5) stays; an abbreviation dot (P.C., Pen.) goes. */
            if (!(t->n > 0 && hc_is_digit(t->s[t->n - 1]) && i + 1 < len && hc_is_digit(src[i + 1])))
                continue;
            out = '.';
        } else if (c == '\'') {
            continue;
        } else {
            out = ' ';
        }
        if (out == ' ' && (t->n == 0 || t->s[t->n - 1] == ' '))
            continue;
        t->s[t->n++] = out;
    }
    while (t->n > 0 && t->s[t->n - 1] == ' ')
        t->n--;
    t->s[t->n] = '\0';
    return HC_OK;
}

enum tk_type {
    TK_NUM = 1, /* digits, maybe one decimal point */
    TK_WORD,    /* letters and '&' */
    TK_ORD,     /* 1ST, 2ND, (1ST), FIRST: val is the number */
    TK_PAREN,   /* "(label)": off/len name the label */
    TK_SLASH,
    TK_DASH,
    TK_COMMA,
    TK_PUNCT, /* anything else: ; ( ) alone */
};

/* What a word means to the reader. */
enum word_kind {
    W_NONE = 0,
    W_SECT,   /* SECTION, SEC, SECS */
    W_SUBD,   /* SUBDIVISION, SUBD, PARAGRAPH */
    W_CONJ,   /* AND, OR, & */
    W_COUNT,  /* COUNT, COUNTS, CT, CTS */
    W_DEGREE, /* DEGREE, DEG */
    W_LEVEL,  /* FEL, FELONY, MISD, MISDEMEANOR, INF, INFRACTION, and F, M, I */
};

struct tok {
    unsigned short off, len;
    unsigned char type;     /* enum tk_type */
    unsigned char glued;    /* no space before it */
    unsigned char kind;     /* enum word_kind */
    unsigned char val;      /* TK_ORD: 1, 2 ...; W_LEVEL: enum hc_level */
    unsigned char code;     /* a code phrase starts here: its enum hc_code */
    unsigned char span;     /* ...and has this many tokens */
    unsigned char code_end; /* a code phrase ends here */
    unsigned char has_dot;  /* TK_NUM */
    unsigned char spelled;  /* TK_ORD written as a word ("FIRST"): needs "DEGREE" after it */
};

struct toks {
    struct tok t[TOK_MAX];
    size_t n;
};

/* Whether w[0..n) is the string literal lit (its length known at compile time). */
#define WORD_IS(w, n, lit) ((n) == sizeof(lit) - 1 && memcmp((w), (lit), sizeof(lit) - 1) == 0)

/* Bit c - 'A' is set when a letter c begins some name in a table; a word beginning with any
 * other byte is rejected without a scan (most words of a description). */
#define LETTER_BIT(c) (1u << ((c) - 'A'))
static int may_begin(unsigned mask, char c)
{
    return c >= 'A' && c <= 'Z' && (mask & LETTER_BIT(c)) != 0;
}

static void classify_word(const char *w, struct tok *k)
{
    size_t n = k->len;
    static const struct {
        const char *w;
        unsigned char len, kind, val;
    } words[] = {
        {"SECTION", 7, W_SECT, 0},     {"SECTIONS", 8, W_SECT, 0},    {"SEC", 3, W_SECT, 0},
        {"SECS", 4, W_SECT, 0},        {"SECT", 4, W_SECT, 0},        {"SUBDIVISION", 11, W_SUBD, 0},
        {"SUBDIVISIONS", 12, W_SUBD, 0}, {"SUBD", 4, W_SUBD, 0},       {"SUBDS", 5, W_SUBD, 0},
        {"SUBDIV", 6, W_SUBD, 0},      {"SUBSECTION", 10, W_SUBD, 0},  {"SUBSEC", 6, W_SUBD, 0},
        {"PARAGRAPH", 9, W_SUBD, 0},   {"PARA", 4, W_SUBD, 0},        {"SUBPARAGRAPH", 12, W_SUBD, 0},
        {"AND", 3, W_CONJ, 0},         {"OR", 2, W_CONJ, 0},          {"&", 1, W_CONJ, 0},
        {"COUNT", 5, W_COUNT, 0},      {"COUNTS", 6, W_COUNT, 0},     {"CT", 2, W_COUNT, 0},
        {"CTS", 3, W_COUNT, 0},        {"DEGREE", 6, W_DEGREE, 0},    {"DEG", 3, W_DEGREE, 0},
        {"F", 1, W_LEVEL, HC_LEVEL_FELONY},       {"FEL", 3, W_LEVEL, HC_LEVEL_FELONY},
        {"FELONY", 6, W_LEVEL, HC_LEVEL_FELONY},  {"M", 1, W_LEVEL, HC_LEVEL_MISDEMEANOR},
        {"MISD", 4, W_LEVEL, HC_LEVEL_MISDEMEANOR}, {"MISDEMEANOR", 11, W_LEVEL, HC_LEVEL_MISDEMEANOR},
        {"I", 1, W_LEVEL, HC_LEVEL_INFRACTION},   {"INF", 3, W_LEVEL, HC_LEVEL_INFRACTION},
        {"INFRACTION", 10, W_LEVEL, HC_LEVEL_INFRACTION},
    };
    static const unsigned first = LETTER_BIT('A') | LETTER_BIT('C') | LETTER_BIT('D') |
                                  LETTER_BIT('F') | LETTER_BIT('I') | LETTER_BIT('M') |
                                  LETTER_BIT('O') | LETTER_BIT('P') | LETTER_BIT('S');
    size_t i;
    if (w[0] != '&' && !may_begin(first, w[0]))
        return;
    if (WORD_IS(w, n, "FIRST") || WORD_IS(w, n, "SECOND")) {
        k->type = TK_ORD;
        k->val = w[0] == 'F' ? 1 : 2;
        k->spelled = 1;
        return;
    }
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (words[i].len == n && words[i].w[0] == w[0] && memcmp(words[i].w, w, n) == 0) {
            k->kind = words[i].kind;
            k->val = words[i].val;
            return;
        }
    }
}

static int ord_suffix(const char *w)
{
    return (w[0] == 'S' && w[1] == 'T') || (w[0] == 'N' && w[1] == 'D') ||
           (w[0] == 'R' && w[1] == 'D') || (w[0] == 'T' && w[1] == 'H');
}

static unsigned char small_number(const char *s, size_t n)
{
    unsigned v = 0;
    size_t i;
    for (i = 0; i < n && v < 100; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return (unsigned char)(v < 100 ? v : 99);
}

/* Split t into tokens. Every token takes at least one byte, so a text of HC_CHARGE_TEXT_MAX
 * bytes never has more than TOK_MAX tokens and nothing is cut off. */
static void tokenise(const struct text *t, struct toks *ks)
{
    const char *s = t->s;
    size_t i = 0, n = t->n;
    ks->n = 0;
    while (i < n && ks->n < TOK_MAX) {
        struct tok *k = &ks->t[ks->n];
        size_t st;
        if (s[i] == ' ') {
            i++;
            continue;
        }
        memset(k, 0, sizeof *k);
        k->glued = i > 0 && s[i - 1] != ' ';
        st = i;
        if (hc_is_digit(s[i])) {
            while (i < n && hc_is_digit(s[i]))
                i++;
            if (i + 1 < n && s[i] == '.' && hc_is_digit(s[i + 1])) {
                k->has_dot = 1;
                i++;
                while (i < n && hc_is_digit(s[i]))
                    i++;
            }
            k->type = TK_NUM;
            if (!k->has_dot && i + 1 < n && ord_suffix(s + i) &&
                (i + 2 >= n || !hc_is_upper(s[i + 2]))) {
                k->type = TK_ORD;
                k->val = small_number(s + st, i - st);
                i += 2;
            }
        } else if (hc_is_upper(s[i]) || s[i] == '&') {
            while (i < n && (hc_is_upper(s[i]) || s[i] == '&'))
                i++;
            k->type = TK_WORD;
            k->off = (unsigned short)st;
            k->len = (unsigned short)(i - st);
            classify_word(s + st, k);
            ks->n++;
            continue;
        } else if (s[i] == '(') {
            size_t j = i + 1, ls, le;
            while (j < n && s[j] == ' ')
                j++;
            ls = j;
            while (j < n && (hc_is_upper(s[j]) || hc_is_digit(s[j])) && j - ls < 8)
                j++;
            le = j;
            while (j < n && s[j] == ' ')
                j++;
            /* "(a)", "(12)", "(1ST)"; not "(35353)" nor "(§ 664)", which are no subdivision. */
            if (le > ls && le - ls < HC_CITE_SUBLEN && j < n && s[j] == ')' &&
                !(le - ls >= 3 && hc_is_digit(s[ls]) && hc_is_digit(s[ls + 1]) && hc_is_digit(s[ls + 2]))) {
                k->type = TK_PAREN;
                k->off = (unsigned short)ls;
                k->len = (unsigned short)(le - ls);
                if (le - ls == 3 && hc_is_digit(s[ls]) && ord_suffix(s + ls + 1)) {
                    k->type = TK_ORD;
                    k->val = (unsigned char)(s[ls] - '0');
                } else if (WORD_IS(s + ls, le - ls, "FIRST") ||
                           WORD_IS(s + ls, le - ls, "SECOND")) {
                    k->type = TK_ORD;
                    k->val = s[ls] == 'F' ? 1 : 2;
                }
                i = j + 1;
                ks->n++;
                continue;
            }
            k->type = TK_PUNCT;
            i++;
        } else if (s[i] == '@') {
            k->type = TK_PUNCT;
            k->kind = W_SECT;
            i++;
        } else {
            k->type = s[i] == '/' ? TK_SLASH : s[i] == '-' ? TK_DASH : s[i] == ',' ? TK_COMMA
                                                                                    : TK_PUNCT;
            i++;
        }
        k->off = (unsigned short)st;
        k->len = (unsigned short)(i - st);
        ks->n++;
    }
}

/* ---- step 2: code phrases ---------------------------------------------------------------- */

/* Names of codes with spaces removed and AND written '&'. Spelled-out names need their "CODE"
 * ("Vehicle Code"): "VEHICLE" alone is a word of many descriptions. */
static const struct {
    const char *name;
    unsigned char len, code;
} code_names[] = {
    {"PC", 2, HC_CODE_PC},       {"CPC", 3, HC_CODE_PC},         {"PENCODE", 7, HC_CODE_PC},
    {"PENALCODE", 9, HC_CODE_PC}, {"VC", 2, HC_CODE_VC},         {"CVC", 3, HC_CODE_VC},
    {"VEHCODE", 7, HC_CODE_VC},  {"VEHICLECODE", 11, HC_CODE_VC}, {"HS", 2, HC_CODE_HS},
    {"H&S", 3, HC_CODE_HS},      {"HSC", 3, HC_CODE_HS},         {"H&SC", 4, HC_CODE_HS},
    {"H&SCODE", 7, HC_CODE_HS},  {"HEALTH&SAFETYCODE", 17, HC_CODE_HS},
    {"HEALTH&SAFCODE", 14, HC_CODE_HS}, {"HLTH&SAFCODE", 12, HC_CODE_HS}, {"HLTH&SAFETYCODE", 15, HC_CODE_HS},
    {"WI", 2, HC_CODE_WI},       {"W&I", 3, HC_CODE_WI},         {"WIC", 3, HC_CODE_WI},
    {"W&IC", 4, HC_CODE_WI},     {"W&ICODE", 7, HC_CODE_WI},     {"WELF&INSTCODE", 13, HC_CODE_WI},
    {"WELFARE&INSTITUTIONSCODE", 24, HC_CODE_WI}, {"BP", 2, HC_CODE_BP}, {"B&P", 3, HC_CODE_BP},
    {"BPC", 3, HC_CODE_BP},      {"B&PC", 4, HC_CODE_BP},        {"B&PCODE", 7, HC_CODE_BP},
    {"BUS&PROFCODE", 12, HC_CODE_BP}, {"BUSINESS&PROFESSIONSCODE", 24, HC_CODE_BP},
    {"USC", 3, HC_CODE_USC},     {"UNITEDSTATESCODE", 16, HC_CODE_USC},
};
#define NCODE_NAMES (sizeof code_names / sizeof code_names[0])

/* 0: no name starts with name[0..n); 1: some does; 2 | code << 2: one is exactly it. */
static unsigned code_name_status(const char *name, size_t n)
{
    static const unsigned first = LETTER_BIT('B') | LETTER_BIT('C') | LETTER_BIT('H') |
                                  LETTER_BIT('P') | LETTER_BIT('U') | LETTER_BIT('V') |
                                  LETTER_BIT('W');
    unsigned st = 0;
    size_t i;
    if (!may_begin(first, name[0]))
        return 0;
    for (i = 0; i < NCODE_NAMES; i++) {
        size_t l = code_names[i].len;
        if (l < n || code_names[i].name[0] != name[0] || memcmp(code_names[i].name, name, n) != 0)
            continue;
        if (l == n)
            return 2u | ((unsigned)code_names[i].code << 2);
        st = 1;
    }
    return st;
}

/* The two-letter abbreviations a glued word may end or begin with ("587CPC", "484PCTFMV"). */
static int abbrev_code(const char *w)
{
    static const char ab[][3] = {"PC", "VC", "HS", "WI", "BP"};
    static const unsigned char codes[] = {HC_CODE_PC, HC_CODE_VC, HC_CODE_HS, HC_CODE_WI,
                                          HC_CODE_BP};
    size_t i;
    for (i = 0; i < 5; i++)
        if (w[0] == ab[i][0] && w[1] == ab[i][1])
            return codes[i];
    return HC_CODE_NONE;
}

/* Mark the longest code phrase starting at each word ("CAL." and "CALIFORNIA" may lead). */
static void mark_codes(const struct text *t, struct toks *ks)
{
    size_t i = 0;
    while (i < ks->n) {
        size_t w = i, m, k = 0, best_end = 0, maxw;
        unsigned best = 0;
        char name[40];
        const struct tok *f = &ks->t[i];
        if (f->type != TK_WORD || f->kind == W_LEVEL || f->kind == W_SECT) {
            i++;
            continue;
        }
        if ((WORD_IS(t->s + f->off, f->len, "CAL") || WORD_IS(t->s + f->off, f->len, "CALIFORNIA")) &&
            i + 1 < ks->n)
            w = i + 1;
        /* A word glued to a number or "(x)" is a code on its own or not at all: "504B PC" is
         * 504b and PC, not 504 and "B PC". */
        maxw = f->glued && i > 0 && (ks->t[i - 1].type == TK_NUM || ks->t[i - 1].type == TK_PAREN)
                   ? 1
                   : 6;
        for (m = w; m < ks->n && m < w + maxw; m++) {
            const struct tok *x = &ks->t[m];
            const char *ws = t->s + x->off;
            size_t wl = x->len;
            unsigned st;
            if (x->type != TK_WORD)
                break;
            if (WORD_IS(ws, wl, "AND")) {
                ws = "&";
                wl = 1;
            }
            if (k + wl >= sizeof name)
                break;
            memcpy(name + k, ws, wl);
            k += wl;
            st = code_name_status(name, k);
            if (st & 2u) {
                best = st >> 2;
                best_end = m + 1;
            } else if (st == 0) {
                break;
            }
        }
        if (best == 0) {
            i++;
            continue;
        }
        ks->t[i].code = (unsigned char)best;
        ks->t[i].span = (unsigned char)(best_end - i);
        ks->t[best_end - 1].code_end = (unsigned char)best;
        i = best_end;
    }
}

/* ---- step 3: citations ------------------------------------------------------------------- */

/* A citation's part as written, before its readings are listed. */
struct raw_part {
    unsigned char code;    /* written code, HC_CODE_NONE when none */
    unsigned char codeless; /* no code anywhere: the predicate must find one */
    unsigned short title;  /* USC */
    const char *sec;       /* digits in the normalised text */
    size_t seclen;
    unsigned char has_dot;
    char sub[HC_CITE_SUB_MAX][HC_CITE_SUBLEN];
    unsigned char nsub;
    unsigned char suffix;    /* sub[0] are letters glued to the digits: 1 may be a section
                              * suffix, 2 must be ("288A(C)", "273AB") */
    unsigned char compressed; /* subdivisions glued without parentheses ("4532B1") */
    unsigned char parens;     /* some subdivision in parentheses */
    unsigned char degree;
    unsigned char split_code; /* "587CPC" may also be 587c PC: the code after the letters */
    char split[SPLIT_MAX + 1]; /* ...and the letters */
    unsigned char bad;        /* too many or too long subdivisions: not a citation */
};

#define SIB_MAX 3 /* "23152(A)/(B)": other subdivisions of the same section */

/* A subdivision path written after a citation as another charge of the same section: its
 * first `depth` subdivisions are the citation's, then sub[0..nsub). */
struct sibling {
    unsigned char depth, nsub;
    char sub[HC_CITE_SUB_MAX][HC_CITE_SUBLEN];
};

struct cit {
    struct raw_part part[2];
    struct sibling sib[SIB_MAX];
    unsigned char nsib;
    unsigned char has_target;
    unsigned char level;      /* written right after it */
    unsigned char list_join;  /* continues a comma list after the citation before it */
    size_t start, end;        /* tokens [start, end) */
};

struct reader {
    const struct text *t;
    const struct toks *ks;
    struct cit cit[HC_CHARGE_MAX + 1];
    size_t ncit;
    int any_code;
};

static const struct tok *tk(const struct reader *r, size_t i)
{
    static const struct tok none;
    return i < r->ks->n ? &r->ks->t[i] : &none;
}

static void add_sub(struct raw_part *p, const char *s, size_t n)
{
    size_t j;
    if (p->nsub >= HC_CITE_SUB_MAX || n == 0 || n >= HC_CITE_SUBLEN) {
        p->bad = 1;
        return;
    }
    for (j = 0; j < n; j++)
        p->sub[p->nsub][j] = hc_to_lower(s[j]);
    p->sub[p->nsub][n] = '\0';
    p->nsub++;
}

/* A code glued after the part: its code, unless one was written before it ("PC459VC",
 * "18 USC 2113PC"), which makes it no citation. */
static void set_code(struct raw_part *p, int code)
{
    if (p->code == HC_CODE_NONE)
        p->code = (unsigned char)code;
    else if (p->code != code)
        p->bad = 1;
}

/* The code written before the number at i, or HC_CODE_NONE. Skips "section" and "§", one
 * comma ("Pen. Code, § 211") and one dash ("PC-459"). *start is where the code began. */
static int leading_code(const struct reader *r, size_t i, size_t *start)
{
    size_t j = i;
    int comma = 0, dash = 0;
    while (j > 0) {
        const struct tok *p = tk(r, j - 1);
        if (p->kind == W_SECT) {
            j--;
        } else if (p->type == TK_COMMA && !comma) {
            comma = 1;
            j--;
        } else if (p->type == TK_DASH && !dash) {
            dash = 1;
            j--;
        } else {
            break;
        }
    }
    if (j > 0 && tk(r, j - 1)->type == TK_WORD && tk(r, j - 1)->code_end) {
        size_t s = j - 1;
        while (s > 0 && tk(r, s)->code == 0)
            s--;
        *start = s;
        return tk(r, j - 1)->code_end;
    }
    return HC_CODE_NONE;
}

/* One part at the number at i: section, subdivisions, degree, and a code written after it
 * (taken only when `lead` is none: a code after "PC 459" begins the next citation). */
static size_t read_part(const struct reader *r, size_t i, int lead, struct raw_part *p)
{
    const struct tok *num = tk(r, i);
    size_t j = i + 1;
    memset(p, 0, sizeof *p);
    p->code = (unsigned char)lead;
    p->sec = r->t->s + num->off;
    p->seclen = num->len;
    p->has_dot = num->has_dot;
    for (;;) {
        const struct tok *k = tk(r, j);
        if (k->type == TK_WORD && k->glued) {
            int at_digits = j == i + 1;
            const char *w = r->t->s + k->off;
            size_t n = k->len;
            if (n == 1 && k->kind == W_LEVEL && tk(r, j - 1)->type == TK_PAREN &&
                !tk(r, j + 1)->glued)
                break; /* "PC 530.5(A)F": the level, glued on */
            if (k->code != HC_CODE_NONE && k->code != HC_CODE_USC) { /* "23152(A)VC" */
                set_code(p, k->code);
                if (n == 3 && k->span == 1 && abbrev_code(w + 1) != HC_CODE_NONE) {
                    /* "587CPC", "308BPC": also a letter and a two-letter code. */
                    p->split[0] = w[0];
                    p->split_code = (unsigned char)abbrev_code(w + 1);
                }
                j += k->span;
                break;
            }
            if ((n == 3 || n == 4) && abbrev_code(w + n - 2) != HC_CODE_NONE &&
                memchr(w, '&', n - 2) == NULL) {
                /* "484EPC": letters, then a code that is not also a name with them. */
                set_code(p, abbrev_code(w + n - 2));
                add_sub(p, w, n - 2);
                if (at_digits && !p->has_dot)
                    p->suffix = n == 4 ? 2 : 1;
                j++;
                break;
            }
            if (n >= 4 && abbrev_code(w) != HC_CODE_NONE) { /* "484PCTFMV": code, description */
                set_code(p, abbrev_code(w));
                j++;
                break;
            }
            if (n > 2 || memchr(w, '&', n) != NULL)
                break; /* a description glued on, or "6&4" */
            add_sub(p, w, n);
            /* Letters glued to the digits: a section suffix before "(", or when two
             * ("273AB", "171B(A)(1)"); a subdivision before glued digits ("4532B1",
             * "11357B2"); either when alone ("487I", "11357A", "647F"). */
            if (at_digits && !p->has_dot) {
                const struct tok *nx = tk(r, j + 1);
                if (n == 2 || nx->type == TK_PAREN)
                    p->suffix = 2;
                else if (!(nx->type == TK_NUM && nx->glued))
                    p->suffix = 1;
            }
            /* Letters straight after the digits, no parentheses: a system that strips
             * punctuation may have stripped a decimal point too ("4221A" for 422.1(a)). */
            if (at_digits && p->suffix != 2)
                p->compressed = 1;
            j++;
            continue;
        }
        if (k->type == TK_NUM && k->glued && !k->has_dot && k->len <= 2 &&
            (tk(r, j - 1)->type == TK_WORD || tk(r, j - 1)->type == TK_PAREN)) {
            add_sub(p, r->t->s + k->off, k->len); /* "11375(B)2", "4532B1" */
            j++;
            continue;
        }
        if (k->type == TK_PAREN) {
            struct tok w = *k;
            w.kind = 0;
            classify_word(r->t->s + k->off, &w);
            if (w.kind == W_LEVEL && k->len > 1)
                break; /* "(FEL)", "(MISD)": the level, not a subdivision */
            add_sub(p, r->t->s + k->off, k->len);
            p->compressed = 0; /* it kept its parentheses, so its points too */
            p->parens = 1;
            j++;
            continue;
        }
        if (k->type == TK_COMMA && tk(r, j + 1)->kind == W_SUBD) {
            j++;
            continue;
        }
        if (k->type == TK_WORD && k->kind == W_SUBD && tk(r, j + 1)->type == TK_PAREN) {
            j++;
            continue;
        }
        break;
    }
    /* Degree: "1ST", "(1ST)", "FIRST DEGREE", "2ND DEG". */
    if (tk(r, j)->type == TK_ORD && (tk(r, j)->val == 1 || tk(r, j)->val == 2)) {
        if (!tk(r, j)->spelled || tk(r, j + 1)->kind == W_DEGREE) {
            p->degree = tk(r, j)->val;
            j++;
            if (tk(r, j)->kind == W_DEGREE)
                j++;
        }
    }
    if (p->code == HC_CODE_NONE && tk(r, j)->type == TK_WORD && tk(r, j)->code != 0 &&
        tk(r, j)->code != HC_CODE_USC) {
        p->code = tk(r, j)->code;
        j += tk(r, j)->span;
    }
    return j;
}

/* The level a token writes, 0 for none: a level word, or one in parentheses ("(F)",
 * "(MISD)", "(FELONY)", "(MISDEMEANOR)"). */
static unsigned char level_of(const struct reader *r, const struct tok *k)
{
    if (k->kind == W_LEVEL)
        return k->val;
    if (k->type == TK_PAREN && k->len <= 11) {
        struct tok w = *k;
        w.kind = 0;
        classify_word(r->t->s + k->off, &w);
        if (w.kind == W_LEVEL)
            return w.val;
    }
    return 0;
}

/* Whether two subdivision labels are of one kind: both numbers or both letters. */
static int same_kind(char a, char b)
{
    return hc_is_digit(a) == hc_is_digit(b);
}

/* Whether k is a level in parentheses, "(FEL)", "(MISD)" ("(F)" is a subdivision). */
static int level_paren(const struct reader *r, const struct tok *k)
{
    return k->type == TK_PAREN && k->len > 1 && level_of(r, k) != 0;
}

/* "23152(A)/(B)", "245(A)(1) & (4)": after the part just read, another subdivision path of the
 * same section, a charge of its own. A label replaces the part's deepest subdivision of its
 * kind, (B) the (A) and (4) the (1); one of no kind there ends the list unread, and so does a
 * level ("(A)/(FEL)": read_level's). Then a code written after the list applies to the part
 * ("23152(A)/(B) VC"). Returns the next token. */
static size_t read_siblings(const struct reader *r, size_t j, struct cit *c)
{
    struct raw_part *p = &c->part[0];
    size_t first = p->suffix == 2 ? 1 : 0; /* "273A(A)": the A of 273a is no subdivision */
    while (c->nsib < SIB_MAX && !p->bad && p->nsub > first &&
           (tk(r, j)->type == TK_SLASH || tk(r, j)->kind == W_CONJ) &&
           tk(r, j + 1)->type == TK_PAREN && !level_paren(r, tk(r, j + 1))) {
        struct sibling *sb = &c->sib[c->nsib];
        const char *l = r->t->s + tk(r, j + 1)->off;
        size_t d = p->nsub, m = j + 1;
        while (d > first && !same_kind(p->sub[d - 1][0], hc_to_lower(l[0])))
            d--;
        if (d == first)
            break;
        memset(sb, 0, sizeof *sb);
        sb->depth = (unsigned char)(d - 1);
        while (tk(r, m)->type == TK_PAREN && sb->depth + sb->nsub < HC_CITE_SUB_MAX &&
               !level_paren(r, tk(r, m))) {
            const struct tok *k = tk(r, m);
            size_t q;
            for (q = 0; q < k->len; q++)
                sb->sub[sb->nsub][q] = hc_to_lower(r->t->s[k->off + q]);
            sb->nsub++;
            m++;
        }
        if (tk(r, m)->type == TK_PAREN && !level_paren(r, tk(r, m)))
            break; /* too deep: leave it unread */
        c->nsib++;
        j = m;
    }
    if (c->nsib > 0 && p->code == HC_CODE_NONE && tk(r, j)->type == TK_WORD &&
        tk(r, j)->code != 0 && tk(r, j)->code != HC_CODE_USC) {
        p->code = tk(r, j)->code;
        j += tk(r, j)->span;
    }
    return j;
}

/* A level right after a citation: "-F", "/M", " M", "FEL". */
static size_t read_level(const struct reader *r, size_t j, unsigned char *level)
{
    const struct tok *k = tk(r, j);
    if ((k->type == TK_DASH || k->type == TK_SLASH) && tk(r, j + 1)->kind == W_LEVEL) {
        *level = tk(r, j + 1)->val;
        return j + 2;
    }
    if (k->kind == W_LEVEL && (k->len > 1 || !tk(r, j + 1)->glued)) {
        *level = k->val;
        return j + 1;
    }
    if (level_paren(r, k)) {
        *level = level_of(r, k);
        return j + 1;
    }
    return j;
}

/* Whether tokens [a, b) only separate items of a list: commas, "and", "or", "section". */
static int list_separator(const struct reader *r, size_t a, size_t b)
{
    size_t j;
    if (a >= b)
        return 0;
    for (j = a; j < b; j++) {
        const struct tok *k = tk(r, j);
        if (k->type != TK_COMMA && k->kind != W_CONJ && k->kind != W_SECT)
            return 0;
    }
    return 1;
}

/* Whether nothing before token i but punctuation and "section" ("(§ 211)"). */
static int at_start(const struct reader *r, size_t i)
{
    size_t j;
    for (j = 0; j < i; j++) {
        const struct tok *k = tk(r, j);
        if (!(k->type == TK_PUNCT || k->kind == W_SECT))
            return 0;
    }
    return 1;
}

/* Whether a number no code is written with still looks like a citation, the part read from
 * tokens [i, j): a section mark before it ("§ 664"), subdivisions in parentheses, or a level
 * right after it ("243(E)(1)/M"); and no short word after it, which is likely a code the
 * reader does not know ("1090 GC", "6404.5(B) LC"). A bare "459" is not read. */
static int citation_shaped(const struct reader *r, size_t i, size_t j, const struct raw_part *p)
{
    const struct tok *nx = tk(r, j);
    unsigned char lv = 0;
    size_t k;
    int sect = 0;
    if (nx->type == TK_WORD && (nx->glued || (nx->kind != W_LEVEL && nx->len <= 3)))
        return 0;
    for (k = 0; k < i; k++)
        sect |= tk(r, k)->kind == W_SECT;
    (void)read_level(r, j, &lv);
    return sect || p->parens || lv != 0;
}

/* Find every citation. Returns HC_OK or HC_ERANGE when there are too many. */
static int find_citations(struct reader *r)
{
    size_t i = 0;
    r->ncit = 0;
    r->any_code = 0;
    for (i = 0; i < r->ks->n; i++)
        if (r->ks->t[i].code != 0)
            r->any_code = 1;
    i = 0;
    while (i < r->ks->n) {
        const struct tok *k = tk(r, i);
        struct cit *c = &r->cit[r->ncit]; /* built in place; kept by counting it */
        size_t j, start = i;
        int lead;
        if (k->type != TK_NUM) {
            i++;
            continue;
        }
        /* read_part clears the parts it reads; the rest is cleared here, not the ~700
         * bytes of the whole struct (this runs for every number of a description). */
        c->nsib = 0;
        c->has_target = 0;
        c->level = 0;
        c->list_join = 0;
        c->part[1].code = HC_CODE_NONE;
        /* "18 U.S.C. § 2113(a)": a title, the code, the section. */
        if (!k->has_dot && tk(r, i + 1)->code == HC_CODE_USC) {
            size_t s = i + 1 + tk(r, i + 1)->span;
            unsigned title = 0;
            size_t d;
            while (tk(r, s)->kind == W_SECT)
                s++;
            for (d = 0; d < k->len && title < 1000; d++)
                title = title * 10 + (unsigned)(r->t->s[k->off + d] - '0');
            if (tk(r, s)->type == TK_NUM && title >= 1 && title <= 54) {
                j = read_part(r, s, HC_CODE_USC, &c->part[0]);
                c->part[0].title = (unsigned short)title;
                if (!c->part[0].bad)
                    goto found;
                i = j;
                continue;
            }
            i++;
            continue;
        }
        lead = leading_code(r, i, &start);
        if (lead == HC_CODE_USC) { /* "USC 2113": a federal citation needs its title */
            i++;
            continue;
        }
        if (lead == HC_CODE_NONE && k->glued && tk(r, i - 1)->type == TK_WORD) {
            i++; /* "A484PC": glued to a word that names no code */
            continue;
        }
        j = read_part(r, i, lead, &c->part[0]);
        j = read_siblings(r, j, c);
        if (tk(r, j)->type == TK_SLASH) {
            size_t t = j + 1;
            int tlead = HC_CODE_NONE;
            if (tk(r, t)->type == TK_WORD && tk(r, t)->code != 0 && tk(r, t)->code != HC_CODE_USC) {
                tlead = tk(r, t)->code;
                t += tk(r, t)->span;
            }
            if (tk(r, t)->type == TK_NUM && !(tk(r, t)->glued && tlead == HC_CODE_NONE &&
                                              tk(r, t - 1)->type == TK_WORD)) {
                j = read_part(r, t, tlead, &c->part[1]);
                c->has_target = 1;
                if (c->part[0].code == HC_CODE_NONE) {
                    c->part[0].code = c->part[1].code;
                    c->part[0].title = c->part[1].title;
                }
                if (c->part[1].code == HC_CODE_NONE) {
                    c->part[1].code = c->part[0].code;
                    c->part[1].title = c->part[0].title;
                }
            }
        }
        if (c->part[0].code == HC_CODE_NONE) {
            const struct cit *prev = r->ncit > 0 ? &r->cit[r->ncit - 1] : NULL;
            if (tk(r, i - 1)->kind == W_COUNT || tk(r, j)->kind == W_COUNT) {
                i++;
                continue;
            }
            if (prev != NULL && prev->part[prev->has_target].code != HC_CODE_NONE &&
                !prev->part[0].codeless && list_separator(r, prev->end, i)) {
                /* The code carries over with its title: "18 U.S.C. §§ 2113, 924(c)". */
                c->part[0].code = prev->part[prev->has_target].code;
                c->part[0].title = prev->part[prev->has_target].title;
                if (c->has_target && c->part[1].code == HC_CODE_NONE) {
                    c->part[1].code = c->part[0].code;
                    c->part[1].title = c->part[0].title;
                }
                c->list_join = 1;
            } else if (!r->any_code && r->ncit == 0 && at_start(r, i) && !c->part[0].bad &&
                       citation_shaped(r, i, j, &c->part[0])) {
                /* No code anywhere: "243(E)(1)/M", "(§ 664)". */
                c->part[0].codeless = 1;
                if (c->has_target)
                    c->part[1].codeless = 1;
            } else {
                i++;
                continue;
            }
        }
        if (c->part[0].bad || (c->has_target && c->part[1].bad)) {
            i = j > i ? j : i + 1;
            continue;
        }
    found:
        j = read_level(r, j, &c->level);
        c->start = start;
        c->end = j;
        if (r->ncit == HC_CHARGE_MAX)
            return HC_ERANGE; /* a ninth citation: r->cit has a slot for it to be read into */
        r->ncit++;
        i = j > i ? j : i + 1;
    }
    return HC_OK;
}

/* Level and degree words in the text between a citation and the next: "DUI .08 M",
 * "MURDER 1ST", "BURGLARY:SECOND DEGREE", "(F)". A level closing the text wins over one
 * inside it ("ESC:CHG/ETC:MISD:FRC/VIOL (F)" is a felony: MISD describes the charge escaped
 * from); inside it only a word counts ("MISD", "FELONY"), never a lone letter. */
static void read_tail(const struct reader *r, size_t a, size_t b, unsigned char *level,
                      unsigned char *degree)
{
    size_t j;
    unsigned char inside = 0;
    if (*level == 0 && a < b)
        *level = level_of(r, tk(r, b - 1));
    for (j = a; j < b; j++) {
        const struct tok *k = tk(r, j);
        if (inside == 0 && k->len > 1 && level_of(r, k) != 0)
            inside = level_of(r, k);
        if (k->type == TK_ORD && (k->val == 1 || k->val == 2) && *degree == 0) {
            /* "... 1ST DEGREE", or "1ST" closing the text ("MURDER 1ST", "MURDER 1ST F"). */
            int last = j + 1 == b || (j + 2 == b && level_of(r, tk(r, j + 1)) != 0);
            int deg_word = j + 1 < b && tk(r, j + 1)->kind == W_DEGREE;
            if (deg_word || (last && !k->spelled))
                *degree = k->val;
        }
    }
    if (*level == 0)
        *level = inside;
}

/* ---- step 4: readings -------------------------------------------------------------------- */

struct reading {
    struct hc_cite_part p;
    unsigned char tier;   /* 0 as written, 1 with a decimal point restored (a conjecture) */
    unsigned char suffix; /* the letters are read as a section suffix; the reading before it
                           * in the list is the same text with them as a subdivision */
};

struct readings {
    struct reading r[48];
    size_t n;
};

/* Add the part code/sec[0..seclen) with a dot before the last `frac` digits (0: none), the
 * suffix letters (NULL: none) and subs. Drops what does not fit a part. */
static void add_reading(struct readings *rs, const struct raw_part *rp, unsigned char code,
                        size_t frac, const char *suffix, size_t first_sub, unsigned char tier)
{
    struct reading *x;
    size_t k = 0, i;
    if (rs->n >= sizeof rs->r / sizeof rs->r[0])
        return;
    x = &rs->r[rs->n];
    memset(x, 0, sizeof *x);
    x->tier = tier;
    x->p.code = code;
    x->p.title = rp->title;
    x->p.degree = rp->degree;
    if (rp->seclen + (frac != 0) + (suffix != NULL ? strlen(suffix) : 0) >= HC_CITE_SEC_MAX)
        return; /* no room for it and the NUL */
    for (i = 0; i < rp->seclen; i++) {
        if (frac != 0 && i == rp->seclen - frac)
            x->p.sec[k++] = '.';
        x->p.sec[k++] = rp->sec[i];
    }
    if (suffix != NULL)
        for (i = 0; suffix[i] != '\0'; i++)
            x->p.sec[k++] = suffix[i];
    for (i = first_sub; i < rp->nsub; i++)
        memcpy(x->p.sub[x->p.nsub++], rp->sub[i], HC_CITE_SUBLEN);
    x->p.hash = hc_cite_hash(&x->p);
    rs->n++;
}

/* Whether letters may be read as a section suffix: not letters that name a code to
 * hc_cite_parse ("245P", "80PC"), nor ST, ND, RD, TH, which make an ordinal ("1ST"), since
 * the canonical form would not read back. */
static int suffix_ok(const char *l)
{
    static const char *const no[] = {"p", "v", "pc", "vc", "hs", "wi", "bp", "st", "nd", "rd",
                                     "th"};
    size_t i;
    for (i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(l, no[i]) == 0)
            return 0;
    return 1;
}

/* Every reading of rp with code `code`, in the order of hc_charge's cand[]. */
static void list_readings(const struct raw_part *rp, unsigned char code, struct readings *rs)
{
    size_t f;
    int variant;
    for (variant = 0; variant < 2; variant++) {
        struct raw_part v = *rp;
        unsigned char vcode = code;
        if (variant == 1) {
            if (!rp->split_code || (rp->code != HC_CODE_NONE && code != rp->code))
                break;
            /* "587CPC" as 587 C PC: the letter is a subdivision or a suffix of 587. */
            vcode = rp->split_code;
            if (v.nsub < HC_CITE_SUB_MAX) {
                memset(v.sub[v.nsub], 0, HC_CITE_SUBLEN);
                v.sub[v.nsub][0] = hc_to_lower(rp->split[0]);
                v.nsub++;
            }
            if (rp->nsub == 0 && !rp->has_dot)
                v.suffix = 1;
        }
        if (v.suffix != 0 && v.nsub > 0 && !suffix_ok(v.sub[0]))
            v.suffix = 0;
        if (v.suffix != 2)
            add_reading(rs, &v, vcode, 0, NULL, 0, 0);
        if (v.suffix != 0 && v.nsub > 0) {
            add_reading(rs, &v, vcode, 0, v.sub[0], 1, 0);
            if (v.suffix == 1 && rs->n >= 2)
                rs->r[rs->n - 1].suffix = 1;
        }
        if (v.compressed && !v.has_dot && v.seclen >= 4 && v.suffix != 2)
            for (f = 1; f <= 2; f++)
                if (v.seclen - f >= 2)
                    add_reading(rs, &v, vcode, f, NULL, 0, 1);
    }
}

struct resolved {
    struct hc_cite_part p[HC_CHARGE_CAND_MAX];
    size_t n;
};

/* Choose among the readings of rp.
 *  - A part with no code keeps the readings the predicate finds, in whichever code; none is
 *    no charge.
 *  - A restored decimal point ("4221" as 422.1) is settled by the predicate: when it finds
 *    such a reading and none as written, that reading is the answer; when it finds one as
 *    written too, the readings as written stay beside the decimal ones it finds.
 *  - Otherwise the readings as written (a letter as a subdivision or a section suffix, "CPC"
 *    as one code or as C and PC) all stay: the catalog lists offenses, not every section, so
 *    its silence about 487i proves nothing. The one positive evidence used: when the suffixed
 *    section exists and the bare one does not ("273A": 273a), the subdivision reading goes.
 *    When the predicate finds nothing at all, the first decimal reading is named too. */
static void resolve(const struct raw_part *rp, hc_charge_exists_fn exists, void *ctx,
                    struct resolved *out)
{
    static const unsigned char all_codes[] = {HC_CODE_PC, HC_CODE_VC, HC_CODE_HS, HC_CODE_WI,
                                              HC_CODE_BP};
    struct readings rs;
    unsigned char ex[sizeof rs.r / sizeof rs.r[0]], keep[sizeof rs.r / sizeof rs.r[0]];
    size_t i, c;
    int found0 = 0, found1 = 0, dec_named = 0;
    rs.n = 0;
    out->n = 0;
    if (rp->codeless) {
        for (c = 0; c < sizeof all_codes; c++)
            list_readings(rp, all_codes[c], &rs);
    } else {
        list_readings(rp, rp->code, &rs);
    }
    if (rs.n == 1 && !rp->codeless) {
        out->p[out->n++] = rs.r[0].p;
        return;
    }
    for (i = 0; i < rs.n; i++) {
        ex[i] = (unsigned char)(exists != NULL && exists(ctx, &rs.r[i].p) != 0);
        if (rs.r[i].tier == 0)
            found0 |= ex[i];
        else
            found1 |= ex[i];
    }
    for (i = 0; i < rs.n; i++) {
        if (rp->codeless || (found1 && !found0))
            keep[i] = ex[i];
        else
            keep[i] = (unsigned char)(rs.r[i].tier == 0 || ex[i]);
    }
    if (!rp->codeless && !(found1 && !found0))
        for (i = 1; i < rs.n; i++)
            if (rs.r[i].suffix && ex[i] && !ex[i - 1])
                keep[i - 1] = 0;
    for (i = 0; i < rs.n && out->n < HC_CHARGE_CAND_MAX; i++) {
        if (!keep[i]) {
            if (rp->codeless || found0 || found1 || rs.r[i].tier != 1 || dec_named)
                continue;
            dec_named = 1;
        }
        out->p[out->n++] = rs.r[i].p;
    }
}

static int push_single(struct hc_charge_readings *out, const struct resolved *m, unsigned char level)
{
    struct hc_charge_reading *ch;
    size_t i;
    if (out->n >= HC_CHARGE_MAX)
        return HC_ERANGE;
    ch = &out->c[out->n++];
    memset(ch, 0, sizeof *ch);
    for (i = 0; i < m->n; i++) {
        ch->cand[i].main = m->p[i];
        ch->cand[i].inchoate = (unsigned char)hc_cite_inchoate_of(&m->p[i]);
        ch->cand[i].level_suffix = level;
    }
    ch->ncand = (unsigned char)m->n;
    ch->conf = m->n > 1 ? HC_CHARGE_AMBIGUOUS : HC_CHARGE_READ;
    ch->level = level;
    return HC_OK;
}

/* An attempt or conspiracy: every pairing of the readings of its two parts, at most
 * HC_CHARGE_CAND_MAX. */
static int push_inchoate(struct hc_charge_readings *out, const struct resolved *m,
                         const struct resolved *t, unsigned char level)
{
    struct hc_charge_reading *ch;
    size_t a, b, n = 0;
    if (out->n >= HC_CHARGE_MAX)
        return HC_ERANGE;
    ch = &out->c[out->n++];
    memset(ch, 0, sizeof *ch);
    for (a = 0; a < m->n; a++) {
        for (b = 0; b < t->n && n < HC_CHARGE_CAND_MAX; b++, n++) {
            ch->cand[n].main = m->p[a];
            ch->cand[n].target = t->p[b];
            ch->cand[n].has_target = 1;
            ch->cand[n].inchoate = (unsigned char)hc_cite_inchoate_of(&m->p[a]);
            ch->cand[n].level_suffix = level;
        }
    }
    ch->ncand = (unsigned char)n;
    ch->conf = n > 1 ? HC_CHARGE_AMBIGUOUS : HC_CHARGE_READ;
    ch->level = level;
    return HC_OK;
}

/* 1 when every reading of r is an attempt or conspiracy, 0 when none is, -1 when they differ
 * (a part with no code read as PC 664 and as HS 664): then the two parts are two charges. */
static int all_inchoate(const struct resolved *r)
{
    size_t i, n = 0;
    for (i = 0; i < r->n; i++)
        n += hc_cite_inchoate_of(&r->p[i]) != HC_INCHOATE_NONE;
    return n == 0 ? 0 : n == r->n ? 1 : -1;
}

/* Drop the readings of r that are themselves an attempt or conspiracy (at least one is not). */
static struct resolved *offenses_only(struct resolved *r)
{
    size_t i, k = 0;
    for (i = 0; i < r->n; i++)
        if (hc_cite_inchoate_of(&r->p[i]) == HC_INCHOATE_NONE)
            r->p[k++] = r->p[i];
    r->n = k;
    return r;
}

/* Build the charges of one citation. */
static int emit(struct hc_charge_readings *out, const struct cit *c, unsigned char level,
                hc_charge_exists_fn exists, void *ctx)
{
    struct resolved m, t;
    int rc;
    resolve(&c->part[0], exists, ctx, &m);
    if (!c->has_target) {
        size_t s;
        if (m.n == 0)
            return HC_OK;
        if ((rc = push_single(out, &m, level)) != HC_OK)
            return rc;
        for (s = 0; s < c->nsib; s++) {
            struct raw_part q = c->part[0];
            const struct sibling *sb = &c->sib[s];
            size_t k;
            q.nsub = sb->depth;
            if (q.nsub == 0)
                q.suffix = 0; /* its first subdivision is written in parentheses */
            for (k = 0; k < sb->nsub; k++)
                memcpy(q.sub[q.nsub++], sb->sub[k], HC_CITE_SUBLEN);
            resolve(&q, exists, ctx, &t);
            if (t.n > 0 && (rc = push_single(out, &t, level)) != HC_OK)
                return rc;
        }
        return HC_OK;
    }
    resolve(&c->part[1], exists, ctx, &t);
    if (m.n > 0 && t.n > 0) {
        int im = all_inchoate(&m), it = all_inchoate(&t);
        /* The object of an attempt must be an offense: a reading of it as 664 or 182 goes
         * ("PC 664/664C" is 664/664c, not 664/664(c)). */
        if (im == 1 && it != 1)
            return push_inchoate(out, &m, offenses_only(&t), level);
        if (it == 1 && im != 1) /* "PC 211/664" */
            return push_inchoate(out, &t, offenses_only(&m), level);
    }
    if (m.n > 0 && (rc = push_single(out, &m, level)) != HC_OK)
        return rc;
    if (t.n > 0 && (rc = push_single(out, &t, level)) != HC_OK)
        return rc;
    return HC_OK;
}

/* "(Pen. Code, §§ 664, 187, subd. (a))": an attempt or conspiracy written as a list. */
static void join_list(struct hc_charge_readings *out, size_t first_of_this)
{
    struct hc_charge_reading *a, *b;
    if (first_of_this == 0 || first_of_this + 1 != out->n)
        return;
    a = &out->c[first_of_this - 1];
    b = &out->c[first_of_this];
    if (a->ncand != 1 || b->ncand != 1 || a->cand[0].has_target || b->cand[0].has_target)
        return;
    if (hc_cite_inchoate_of(&b->cand[0].main) != HC_INCHOATE_NONE &&
        hc_cite_inchoate_of(&a->cand[0].main) == HC_INCHOATE_NONE) {
        struct hc_charge_reading tmp = *a;
        *a = *b;
        *b = tmp;
    }
    if (hc_cite_inchoate_of(&a->cand[0].main) == HC_INCHOATE_NONE ||
        hc_cite_inchoate_of(&b->cand[0].main) != HC_INCHOATE_NONE)
        return;
    a->cand[0].target = b->cand[0].main;
    a->cand[0].has_target = 1;
    if (a->level == 0)
        a->level = b->level;
    a->cand[0].level_suffix = a->level;
    out->n--;
}

int hc_charge_read(const char *s, size_t len, hc_charge_exists_fn exists, void *ctx,
                   struct hc_charge_readings *out, struct hc_diag *d)
{
    struct text t;
    struct toks ks;
    struct reader r;
    size_t i;
    int rc;

    out->n = 0;
    if (normalise(&t, s, len) != HC_OK)
        return hc_diag_set(d, "", "charge text is longer than 512 bytes", NULL);
    tokenise(&t, &ks);
    mark_codes(&t, &ks);
    r.t = &t;
    r.ks = &ks;
    rc = find_citations(&r);
    if (rc != HC_OK) {
        hc_diag_set(d, "", "more than 8 citations in one charge text", NULL);
        return rc;
    }
    for (i = 0; i < r.ncit; i++) {
        const struct cit *c = &r.cit[i];
        unsigned char level = c->level, degree = 0;
        size_t tail_end = i + 1 < r.ncit ? r.cit[i + 1].start : ks.n;
        size_t before = out->n;
        read_tail(&r, c->end, tail_end, &level, &degree);
        if (i == 0)
            read_tail(&r, 0, c->start, &level, &degree);
        {
            struct raw_part *last = &r.cit[i].part[r.cit[i].has_target];
            if (degree != 0 && last->degree == 0)
                last->degree = degree;
            rc = emit(out, c, level, exists, ctx);
        }
        if (rc != HC_OK) {
            out->n = 0;
            hc_diag_set(d, "", "more than 8 citations in one charge text", NULL);
            return rc;
        }
        if (c->list_join && out->n == before + 1)
            join_list(out, before);
    }
    if (out->n == 0)
        return hc_diag_set(d, "", "no citation found (a section number with a code: PC, VC, HS, WI, BP or USC)", NULL);
    for (i = 0; i < out->n; i++) {
        size_t j;
        for (j = 0; j < out->c[i].ncand; j++) {
            struct hc_cite *x = &out->c[i].cand[j];
            x->main.hash = hc_cite_hash(&x->main);
            if (x->has_target)
                x->target.hash = hc_cite_hash(&x->target);
        }
    }
    /* EXACT: the one citation spans every token, and the strict parser reads it the same. */
    if (out->n == 1 && out->c[0].conf == HC_CHARGE_READ && r.ncit == 1 && r.cit[0].start == 0 &&
        r.cit[0].end == ks.n) {
        struct hc_cite strict;
        const struct hc_cite *x = &out->c[0].cand[0];
        if (hc_cite_parse(s, len, &strict, NULL) == HC_OK && hc_cite_part_equal(&strict.main, &x->main) &&
            strict.has_target == x->has_target &&
            (!x->has_target || hc_cite_part_equal(&strict.target, &x->target)))
            out->c[0].conf = HC_CHARGE_EXACT;
    }
    return (int)out->n;
}

int hc_charge_catalog_exists(void *ctx, const struct hc_cite_part *p)
{
    const struct hc_charge_catalog *cc = ctx;
    struct hc_cite_part sec;
    struct hc_offense o;
    /* The section alone: a catalog lists subdivisions only where they differ in law, so a
     * subdivision it does not list says nothing about which section was meant. */
    memset(&sec, 0, sizeof sec);
    sec.code = p->code;
    sec.title = p->title;
    memcpy(sec.sec, p->sec, sizeof sec.sec);
    sec.hash = hc_cite_hash(&sec);
    hc_catalog_lookup(cc->cat, &sec, cc->on, &o);
    return o.found;
}

void hc_charge_reading_format(const struct hc_charge_reading *c, struct hc_buf *b)
{
    size_t i;
    if (c->conf == HC_CHARGE_AMBIGUOUS)
        hc_buf_puts(b, "AMBIGUOUS: ");
    for (i = 0; i < c->ncand; i++) {
        if (i > 0)
            hc_buf_puts(b, " | ");
        hc_cite_format(&c->cand[i], b);
    }
}

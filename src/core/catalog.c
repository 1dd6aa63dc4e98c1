/* SPDX-License-Identifier: MIT
 * catalog.c: loading the offense tables and resolving a citation against them.
 * Invariant: rows[] is sorted by section, so each section's rows form one group, found through
 * an open-addressing hash of (code, title, section). */
#include "catalog.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define NCELLS 14     /* the last, flags, may be left out */
#define NCELLS_MIN 13

struct hc_catalog_group {
    uint32_t first;
    uint32_t count;
};

static const char *const cat_names[HC_CAT_COUNT] = {
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P",
    "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "AA", "AB", "AC", "AD", "AE",
};

uint32_t hc_cat_bit(const char *s, size_t n)
{
    int i;
    for (i = 0; i < HC_CAT_COUNT; i++)
        if (strlen(cat_names[i]) == n && memcmp(cat_names[i], s, n) == 0)
            return (uint32_t)1u << i;
    return 0;
}

const char *hc_cat_letters(int i)
{
    return i >= 0 && i < HC_CAT_COUNT ? cat_names[i] : "?";
}

static int cmp_section(const struct hc_cite_part *a, const struct hc_cite_part *b)
{
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    if (a->title != b->title)
        return a->title < b->title ? -1 : 1;
    return strcmp(a->sec, b->sec);
}

static int cmp_rows(const void *pa, const void *pb)
{
    const struct hc_offense_row *a = pa, *b = pb;
    int c = cmp_section(&a->cite, &b->cite);
    if (c != 0)
        return c;
    /* Keep file order within a section: it is how the data author reads them. */
    return a->desc < b->desc ? -1 : a->desc > b->desc;
}

/* ---- loading ---------------------------------------------------------------------------- */

struct cell {
    const char *p;
    size_t n;
};

static int cell_is(const struct cell *c, const char *lit)
{
    return strlen(lit) == c->n && memcmp(c->p, lit, c->n) == 0;
}

static int cell_uint(const struct cell *c, unsigned max, unsigned char *out)
{
    unsigned v = 0;
    size_t i;
    if (cell_is(c, "-")) {
        *out = 0;
        return 0;
    }
    if (cell_is(c, "?")) {
        *out = HC_PARA_MAYBE;
        return 0;
    }
    if (c->n == 0 || c->n > 3)
        return -1;
    for (i = 0; i < c->n; i++) {
        if (c->p[i] < '0' || c->p[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(c->p[i] - '0');
    }
    if (v == 0 || v > max)
        return -1;
    *out = (unsigned char)v;
    return 0;
}

static int cell_date(const struct cell *c, hc_day open, hc_day *out)
{
    if (cell_is(c, "-")) {
        *out = open;
        return 0;
    }
    return hc_date_parse(c->p, c->n, out);
}

static int cell_cats(const struct cell *c, uint32_t *out)
{
    size_t i = 0;
    *out = 0;
    if (cell_is(c, "-"))
        return 0;
    if (cell_is(c, "none")) {
        *out = HC_CAT_NO_CA;
        return 0;
    }
    while (i < c->n) {
        size_t j = i;
        uint32_t bit;
        while (j < c->n && c->p[j] != ',')
            j++;
        bit = hc_cat_bit(c->p + i, j - i);
        if (bit == 0)
            return -1;
        *out |= bit;
        i = j + 1;
        if (j < c->n && i >= c->n)
            return -1; /* trailing comma */
    }
    return 0;
}

/* HC_ENOMEM, said in d. */
static int no_room(struct hc_diag *d)
{
    hc_diag_set(d, "", "the memory given to the catalog is smaller than its tables need", NULL);
    return HC_ENOMEM;
}

/* Report a bad cell: field is "FILE:LINE", message names the column. */
static int bad_cell(struct hc_diag *d, const char *file, int line, const char *col, const char *why)
{
    char where[96];
    struct hc_buf b;
    hc_buf_init(&b, where, sizeof where);
    hc_buf_puts(&b, file);
    hc_buf_putc(&b, ':');
    hc_buf_putu(&b, (unsigned long)line);
    hc_buf_cstr(&b);
    hc_diag_set(d, where, col, why);
    if (d)
        d->line = line;
    return HC_EINVAL;
}

static int parse_row(const struct cell *cells, int nc, struct hc_offense_row *r,
                     struct hc_arena *a, const char *file, int line, struct hc_diag *d)
{
    struct hc_cite c;
    struct hc_diag cd;

    memset(r, 0, sizeof *r);
    if (hc_cite_parse(cells[0].p, cells[0].n, &c, &cd) != HC_OK)
        return bad_cell(d, file, line, "cite: ", cd.msg);
    if (c.has_target || c.level_suffix != HC_LEVEL_UNKNOWN)
        return bad_cell(d, file, line, "cite: ", "must name one offense, without level");
    r->cite = c.main;
    if (cell_date(&cells[1], HC_DAY_NONE, &r->from) != 0)
        return bad_cell(d, file, line, "from: ", "expected YYYY-MM-DD or -");
    if (cell_date(&cells[2], 2147483647, &r->to) != 0)
        return bad_cell(d, file, line, "to: ", "expected YYYY-MM-DD or -");
    if (r->to < r->from)
        return bad_cell(d, file, line, "to: ", "is before from");
    if (cells[3].n != 1 || strchr("FWMIERL?", cells[3].p[0]) == NULL)
        return bad_cell(d, file, line, "kind: ", "expected F, W, M, I, E, R, L or ?");
    r->kind = cells[3].p[0];
    if (cell_is(&cells[4], "prison"))
        r->sentence = HC_SENT_PRISON;
    else if (cell_is(&cells[4], "1170h"))
        r->sentence = HC_SENT_1170H;
    else if (cell_is(&cells[4], "-"))
        r->sentence = HC_SENT_NONE;
    else if (cell_is(&cells[4], "?"))
        r->sentence = HC_SENT_UNKNOWN;
    else
        return bad_cell(d, file, line, "sentence: ", "expected prison, 1170h, - or ?");
    if ((r->kind == 'M' || r->kind == 'I') && r->sentence != HC_SENT_NONE)
        return bad_cell(d, file, line, "sentence: ", "a misdemeanor or infraction takes -");
    if (r->kind == 'L' && r->sentence != HC_SENT_NONE)
        return bad_cell(d, file, line, "sentence: ", "a list row (L) takes -");
    if ((r->kind == 'R' || r->kind == 'F' || r->kind == 'W') && r->sentence == HC_SENT_NONE &&
        r->cite.code != HC_CODE_USC) /* state-prison sentencing does not apply to the USC */
        return bad_cell(d, file, line, "sentence: ", "a felony is possible: prison, 1170h or ?");
    if (cell_uint(&cells[5], 60, &r->serious) != 0)
        return bad_cell(d, file, line, "serious: ", "expected a PC 1192.7(c) paragraph number, ? or -");
    if (cell_uint(&cells[6], 40, &r->violent) != 0)
        return bad_cell(d, file, line, "violent: ", "expected a PC 667.5(c) paragraph number, ? or -");
    if (cell_cats(&cells[7], &r->cats) != 0)
        return bad_cell(d, file, line, "cats: ", "expected category letters A..AE separated by commas, - or (federal rows) none");
    if (r->cats == HC_CAT_NO_CA && r->cite.code != HC_CODE_USC)
        return bad_cell(d, file, line, "cats: ", "none is for federal offenses without a California counterpart");
    if (cell_is(&cells[8], "Y"))
        r->reg290 = 1;
    else if (!cell_is(&cells[8], "-"))
        return bad_cell(d, file, line, "reg290: ", "expected Y or -");
    if (cells[9].n != 1 || strchr("YP-", cells[9].p[0]) == NULL)
        return bad_cell(d, file, line, "prop47: ", "expected Y, P or -");
    r->prop47 = cells[9].p[0];
    if (!cell_is(&cells[10], "-")) {
        size_t n = cells[10].n;
        if (n >= 1 && cells[10].p[n - 1] == '*') {
            r->agg_cond = 1;
            n--;
        }
        if (n != 1 || cells[10].p[0] < 'A' || cells[10].p[0] > 'U')
            return bad_cell(d, file, line, "agg: ", "expected a letter A..U, optionally with *, or -");
        r->agg = cells[10].p[0];
    }
    if (nc > NCELLS_MIN && cell_is(&cells[NCELLS_MIN], "status"))
        r->reveals_status = 1;
    else if (nc > NCELLS_MIN && !cell_is(&cells[NCELLS_MIN], "-"))
        return bad_cell(d, file, line, "flags: ", "expected status or -");
    r->desc = hc_arena_strndup(a, cells[11].p, cells[11].n);
    r->source = hc_arena_strndup(a, cells[12].p, cells[12].n);
    if (r->desc == NULL || r->source == NULL)
        return no_room(d);
    return HC_OK;
}

/* Count candidate data lines in text, an upper bound on its rows. */
static size_t count_lines(const char *t, size_t n)
{
    size_t i, k = 1;
    for (i = 0; i < n; i++)
        k += t[i] == '\n';
    return k;
}

size_t hc_catalog_arena_bytes(const struct hc_memfile *src, size_t n)
{
    size_t lines = 0, bytes = 0, s;
    for (s = 0; s < n; s++) {
        lines += count_lines((const char *)src[s].data, src[s].len);
        bytes += src[s].len;
    }
    /* Per line at most: a row, a group, four hash slots (nslots < 4 groups, at least 16), and
     * the alignment and NULs of its two texts, whose bytes are the line's; then the alignment of
     * the three arrays. */
    const size_t align = HC_ARENA_ALIGN;
    return lines * (sizeof(struct hc_offense_row) + sizeof(struct hc_catalog_group) +
                    4 * sizeof(uint32_t) + 2 * (align + 1)) +
           bytes + 16 * sizeof(uint32_t) + sizeof(struct hc_catalog_group) + 4 * align;
}

int hc_catalog_load(struct hc_catalog *cat, const struct hc_memfile *src, size_t nsrc,
                    struct hc_arena *a, struct hc_diag *d)
{
    struct hc_offense_row *rows;
    struct hc_catalog_group *groups;
    uint32_t *slots;
    size_t cap = 0, nrows = 0, ngroups = 0, nslots = 16, i, s;
    int rc;

    hc_diag_clear(d);
    memset(cat, 0, sizeof *cat);
    for (s = 0; s < nsrc; s++)
        cap += count_lines((const char *)src[s].data, src[s].len);
    rows = hc_arena_alloc(a, cap * sizeof *rows);
    if (rows == NULL)
        return no_room(d);
    for (s = 0; s < nsrc; s++) {
        const char *t = (const char *)src[s].data, *end = t + src[s].len;
        int line = 0;
        while (t < end) {
            const char *eol = memchr(t, '\n', (size_t)(end - t));
            const char *le = eol ? eol : end, *p = t;
            struct cell cells[NCELLS];
            int nc = 0;
            line++;
            if (le > t && le[-1] == '\r')
                le--;
            if (le == t || *t == '#') {
                t = eol ? eol + 1 : end;
                continue;
            }
            for (;;) {
                const char *tab = memchr(p, '\t', (size_t)(le - p));
                const char *ce = tab ? tab : le;
                if (nc == NCELLS)
                    return bad_cell(d, src[s].path, line, "", "more than 14 tab-separated cells");
                cells[nc].p = p;
                cells[nc].n = (size_t)(ce - p);
                if (cells[nc].n == 0)
                    return bad_cell(d, src[s].path, line, "", "empty cell (write - for none)");
                nc++;
                if (tab == NULL)
                    break;
                p = tab + 1;
            }
            if (nc < NCELLS_MIN)
                return bad_cell(d, src[s].path, line, "", "fewer than 13 tab-separated cells");
            rc = parse_row(cells, nc, &rows[nrows], a, src[s].path, line, d);
            if (rc != HC_OK)
                return rc;
            nrows++;
            t = eol ? eol + 1 : end;
        }
    }
    /* desc pointers increase in load order (one arena), which makes the sort stable. */
    qsort(rows, nrows, sizeof *rows, cmp_rows);

    groups = hc_arena_alloc(a, (nrows + 1) * sizeof *groups);
    if (groups == NULL)
        return no_room(d);
    for (i = 0; i < nrows; i++) {
        if (i == 0 || cmp_section(&rows[i - 1].cite, &rows[i].cite) != 0) {
            groups[ngroups].first = (uint32_t)i;
            groups[ngroups].count = 0;
            ngroups++;
        }
        groups[ngroups - 1].count++;
    }
    while (nslots < ngroups * 2)
        nslots *= 2;
    slots = hc_arena_zalloc(a, nslots * sizeof *slots);
    if (slots == NULL)
        return no_room(d);
    for (i = 0; i < ngroups; i++) {
        size_t h = rows[groups[i].first].cite.hash & (nslots - 1);
        while (slots[h] != 0)
            h = (h + 1) & (nslots - 1);
        slots[h] = (uint32_t)i + 1;
    }
    cat->rows = rows;
    cat->nrows = nrows;
    cat->groups = groups;
    cat->ngroups = ngroups;
    cat->slots = slots;
    cat->nslots = nslots;
    hc_catalog_version(src, nsrc, cat->version);
    return HC_OK;
}

/* ---- version ----------------------------------------------------------------------------- */

/* The last two components of path ("data/ca/penal.tsv" -> "ca/penal.tsv"), or all of it. */
static const char *table_name(const char *path)
{
    const char *last = NULL, *prev = NULL, *p;
    for (p = path; *p != '\0'; p++)
        if (*p == '/') {
            prev = last;
            last = p;
        }
    return prev != NULL ? prev + 1 : path;
}

void hc_catalog_version(const struct hc_memfile *src, size_t n,
                        char out[HC_CATALOG_VERSION_LEN])
{
    static const char hex[] = "0123456789abcdef";
    crypto_generichash_state h;
    unsigned char hash[32];
    size_t s, i;

    crypto_generichash_init(&h, NULL, 0, sizeof hash);
    for (s = 0; s < n; s++) {
        const char *name = table_name(src[s].path ? src[s].path : "");
        const char *t = (const char *)src[s].data, *end = t + src[s].len;
        crypto_generichash_update(&h, (const unsigned char *)name, strlen(name));
        crypto_generichash_update(&h, (const unsigned char *)"\n", 1);
        while (t < end) {
            const char *eol = memchr(t, '\n', (size_t)(end - t));
            const char *le = eol ? eol : end;
            if (le > t && le[-1] == '\r')
                le--;
            /* The rows hc_catalog_load reads: the same test as its loop's. */
            if (le != t && *t != '#') {
                crypto_generichash_update(&h, (const unsigned char *)t, (size_t)(le - t));
                crypto_generichash_update(&h, (const unsigned char *)"\n", 1);
            }
            t = eol ? eol + 1 : end;
        }
    }
    crypto_generichash_final(&h, hash, sizeof hash);
    for (i = 0; i < sizeof hash; i++) {
        out[2 * i] = hex[hash[i] >> 4];
        out[2 * i + 1] = hex[hash[i] & 15];
    }
    out[2 * sizeof hash] = '\0';
}

/* ---- lookup ------------------------------------------------------------------------------ */

static const struct hc_catalog_group *find_group(const struct hc_catalog *cat,
                                                 const struct hc_cite_part *p)
{
    size_t h;
    if (cat->nslots == 0)
        return NULL;
    h = p->hash & (cat->nslots - 1);
    while (cat->slots[h] != 0) {
        const struct hc_catalog_group *g = &cat->groups[cat->slots[h] - 1];
        if (hc_cite_same_section(&cat->rows[g->first].cite, p))
            return g;
        h = (h + 1) & (cat->nslots - 1);
    }
    return NULL;
}

/* Count a row's kind toward "may a misdemeanor conviction of it be a wobbler?". Kinds that
 * cannot be a misdemeanor (felony only, enhancement) say nothing. */
static void misd_note(char kind, int *yes, int *no, int *maybe)
{
    switch (kind) {
    case 'W': *yes = 1; break;
    case 'M':
    case 'R':
    case 'I': *no = 1; break;
    case '?': *maybe = 1; break;
    default: break;
    }
}

static int path_depth(const struct hc_cite_part *p)
{
    return p->nsub + (p->degree != 0);
}

static int prop47_rank(char c)
{
    return c == 'Y' ? 2 : c == 'P' ? 1 : 0;
}

static void unknown_offense(struct hc_offense *o)
{
    memset(o, 0, sizeof *o);
    o->kind = '?';
    o->sentence = HC_SENT_UNKNOWN;
    o->serious = HC_MAYBE;
    o->violent = HC_MAYBE;
    o->cats_maybe = HC_CAT_ALL;
    o->reg290 = HC_MAYBE;
    o->prop47 = '?';
    o->misd_wobbler = HC_MAYBE;
    o->desc = "";
}

/* Whether a conviction under an offense row of this kind can be a felony: a felony's sentence
 * (state prison or PC 1170(h)) is said only by such rows. */
static int allows_felony(char kind)
{
    return kind != 'M' && kind != 'I';
}

/* The lookup proper: offense rows apply by `on` (the conviction date), list rows (kind L) by
 * `list_on` (the decision date). A less specific citation gets a sentence only when every
 * narrower row that allows a felony agrees on it (a felony conviction under the section is under
 * one of those), and the covering row too when it allows one. */
static void lookup_at(const struct hc_catalog *cat, const struct hc_cite_part *p, hc_day on,
                      hc_day list_on, struct hc_offense *out)
{
    const struct hc_catalog_group *g = find_group(cat, p);
    const struct hc_offense_row *best = NULL, *first_narrow = NULL;
    uint32_t cats_narrow = 0, i;
    int serious_narrow = 0, violent_narrow = 0, reg_narrow = 0, p47_cover = 0, p47_narrow = 0;
    int kind_mixed = 0, sent_mixed = 0, serious_maybe = 0, violent_maybe = 0;
    int mw_yes = 0, mw_no = 0, mw_maybe = 0; /* narrower rows that allow a misdemeanor */
    int fel_narrow = 0, fel_sent_mixed = 0;    /* narrower rows that allow a felony */
    int reveals = 0; /* a row naming it, of any date, says it reveals immigration status */
    char narrow_kind = 0;
    unsigned char narrow_sent = 0, fel_sent = 0;

    unknown_offense(out);
    if (g == NULL)
        return;
    out->serious = out->violent = out->reg290 = HC_NO;
    out->cats_maybe = 0;
    for (i = 0; i < g->count; i++) {
        const struct hc_offense_row *r = &cat->rows[g->first + i];
        int list = r->kind == 'L';
        hc_day day = list ? list_on : on;
        if (!list && (r->from != HC_DAY_NONE || r->to != 2147483647))
            out->dated = 1;
        if (r->reveals_status && hc_cite_relate_path(&r->cite, p) != HC_CITE_UNRELATED)
            reveals = 1; /* what an offense is does not change with the date */
        if (day < r->from || day > r->to)
            continue;
        switch (hc_cite_relate_path(&r->cite, p)) {
        case HC_CITE_COVERS:
            /* A list row adds membership to an offense other rows establish; it never makes an
             * offense known, and says nothing of its kind or sentence. */
            out->found |= (unsigned char)!list;
            out->cats_yes |= r->cats & HC_CAT_ALL;
            if (r->cats & HC_CAT_NO_CA)
                out->no_ca = 1;
            if (r->serious == HC_PARA_MAYBE) {
                serious_maybe = 1;
            } else if (r->serious && out->serious != HC_YES) {
                out->serious = HC_YES;
                out->serious_para = r->serious;
            }
            if (r->violent == HC_PARA_MAYBE) {
                violent_maybe = 1;
            } else if (r->violent && out->violent != HC_YES) {
                out->violent = HC_YES;
                out->violent_para = r->violent;
            }
            if (r->reg290)
                out->reg290 = HC_YES;
            if (prop47_rank(r->prop47) > p47_cover)
                p47_cover = prop47_rank(r->prop47);
            if (r->agg && (out->agg == 0 || !r->agg_cond)) {
                out->agg = r->agg;
                out->agg_cond = r->agg_cond;
            }
            if (!list && (best == NULL || path_depth(&r->cite) >= path_depth(&best->cite)))
                best = r;
            break;
        case HC_CITE_NARROWER:
            out->found |= (unsigned char)!list;
            cats_narrow |= r->cats & HC_CAT_ALL;
            serious_narrow |= r->serious != 0;
            violent_narrow |= r->violent != 0;
            reg_narrow |= r->reg290;
            if (prop47_rank(r->prop47) > p47_narrow)
                p47_narrow = prop47_rank(r->prop47);
            if (list)
                break;
            if (first_narrow == NULL) {
                first_narrow = r;
                narrow_kind = r->kind;
                narrow_sent = r->sentence;
            }
            kind_mixed |= r->kind != narrow_kind;
            sent_mixed |= r->sentence != narrow_sent;
            if (allows_felony(r->kind)) {
                if (!fel_narrow)
                    fel_sent = r->sentence;
                fel_narrow = 1;
                fel_sent_mixed |= r->sentence != fel_sent;
            }
            misd_note(r->kind, &mw_yes, &mw_no, &mw_maybe);
            break;
        case HC_CITE_UNRELATED:
            break;
        }
    }
    out->reveals_status = (unsigned char)reveals;
    if (!out->found) {
        int dated = out->dated;
        unknown_offense(out);
        out->dated = (unsigned char)dated;
        out->reveals_status = (unsigned char)reveals;
        return;
    }
    /* Narrower rows that add something make it a "maybe" for this less specific citation. */
    out->cats_maybe = cats_narrow & ~out->cats_yes;
    if (out->serious == HC_NO && (serious_narrow || serious_maybe))
        out->serious = HC_MAYBE;
    if (out->violent == HC_NO && (violent_narrow || violent_maybe))
        out->violent = HC_MAYBE;
    if (out->reg290 == HC_NO && reg_narrow)
        out->reg290 = HC_MAYBE;
    out->prop47 = p47_cover == 2 ? 'Y' : p47_cover == 1 ? 'P' : '-';
    if (p47_narrow > p47_cover)
        out->prop47 = '?';
    /* A misdemeanor conviction can only be under a subdivision that allows one: judge "a crime
     * punishable as either" over those rows (and the most specific covering row). */
    if (best != NULL && (first_narrow == NULL || best->kind != '?'))
        misd_note(best->kind, &mw_yes, &mw_no, &mw_maybe);
    out->misd_wobbler = (unsigned char)(mw_maybe || (mw_yes && mw_no) || (!mw_yes && !mw_no)
                                            ? HC_MAYBE : mw_yes ? HC_YES : HC_NO);
    if (best != NULL) {
        out->kind = best->kind;
        out->sentence = best->sentence;
        out->desc = best->desc;
        if (first_narrow != NULL) {
            if (kind_mixed || narrow_kind != best->kind)
                out->kind = '?';
            if (fel_narrow && (fel_sent_mixed ||
                               (allows_felony(best->kind) && fel_sent != best->sentence)))
                out->sentence = HC_SENT_UNKNOWN;
            else if (fel_narrow)
                out->sentence = fel_sent;
            else if (sent_mixed || narrow_sent != best->sentence)
                out->sentence = allows_felony(best->kind) ? best->sentence : HC_SENT_UNKNOWN;
        }
    } else {
        /* out->found with no covering row: a narrower row was found. */
        assert(first_narrow != NULL);
        out->kind = kind_mixed ? '?' : narrow_kind;
        if (fel_narrow)
            out->sentence = fel_sent_mixed ? (unsigned char)HC_SENT_UNKNOWN : fel_sent;
        else
            out->sentence = sent_mixed ? (unsigned char)HC_SENT_UNKNOWN : narrow_sent;
        out->desc = first_narrow->desc;
    }
}

void hc_catalog_lookup(const struct hc_catalog *cat, const struct hc_cite_part *p, hc_day on,
                       struct hc_offense *out)
{
    lookup_at(cat, p, on, on, out);
}

/* Is the offense "specified in" Gov. Code 7282.5 (a category, or the serious or violent lists
 * that (a)(1) names)? Tri-state. */
static int specified_in_7282_5(const struct hc_offense *t)
{
    if (t->cats_yes || t->serious == HC_YES || t->violent == HC_YES)
        return HC_YES;
    if (t->cats_maybe || t->serious == HC_MAYBE || t->violent == HC_MAYBE)
        return HC_MAYBE;
    return HC_NO;
}

void hc_catalog_resolve(const struct hc_catalog *cat, const struct hc_cite *c, hc_day on,
                        struct hc_offense *out)
{
    hc_catalog_resolve_at(cat, c, on, on, out);
}

void hc_catalog_resolve_at(const struct hc_catalog *cat, const struct hc_cite *c, hc_day on,
                           hc_day list_on, struct hc_offense *out)
{
    struct hc_offense t;
    int spec;

    if (c->inchoate == HC_INCHOATE_NONE) {
        lookup_at(cat, &c->main, on, list_on, out);
        return;
    }
    if (!c->has_target) {
        /* "PC 664" alone: what was attempted decides everything. */
        unknown_offense(out);
        out->inchoate = c->inchoate;
        return;
    }
    lookup_at(cat, &c->target, on, list_on, &t);
    unknown_offense(out);
    out->inchoate = c->inchoate;
    out->desc = t.desc;
    out->reveals_status = t.reveals_status;
    if (!t.found)
        return;
    out->found = 1;
    out->kind = t.kind;
    out->misd_wobbler = t.misd_wobbler;
    out->sentence = t.sentence; /* attempts and conspiracies follow the object offense */
    out->reg290 = t.reg290;     /* PC 290(c) names attempts of its offenses */
    out->prop47 = '-';
    out->cats_yes = 0;
    out->cats_maybe = 0;
    spec = specified_in_7282_5(&t);
    if (spec == HC_YES)
        out->cats_yes = HC_CAT_P;
    else if (spec == HC_MAYBE)
        out->cats_maybe = HC_CAT_P;
    /* PC 1192.7(c)(39): an attempt of a listed crime other than an assault; (c)(42): any
     * conspiracy to commit one. Attempted murder is (c)(9) and violent under 667.5(c)(12). */
    out->serious = t.serious;
    out->violent = HC_NO;
    if (c->inchoate == HC_INCHOATE_ATTEMPT) {
        int murder = c->target.code == HC_CODE_PC && strcmp(c->target.sec, "187") == 0;
        int assault = (t.cats_yes & HC_CAT_A) != 0;
        if (murder) {
            out->serious = HC_YES;
            out->serious_para = 9;
            out->violent = HC_YES;
            out->violent_para = 12;
        } else if (assault) {
            out->serious = HC_NO;
        } else if (t.serious == HC_YES) {
            out->serious_para = 39;
        }
    } else if (t.serious == HC_YES) {
        out->serious_para = 42;
    }
}

/* Add to *bits the sentencing of c on day, when the catalog knows the offense then. */
static void sentence_on(const struct hc_catalog *cat, const struct hc_cite *c, hc_day day,
                        unsigned *bits)
{
    struct hc_offense o;
    hc_catalog_resolve(cat, c, day, &o);
    if (o.found)
        *bits |= 1u << o.sentence;
}

/* The days in lo..hi on which a row of group g starts or stops applying. */
static void sentences_at_bounds(const struct hc_catalog *cat, const struct hc_catalog_group *g,
                                const struct hc_cite *c, hc_day lo, hc_day hi, unsigned *bits)
{
    uint32_t i;
    if (g == NULL)
        return;
    for (i = 0; i < g->count; i++) {
        const struct hc_offense_row *r = &cat->rows[g->first + i];
        if (r->from > lo && r->from <= hi)
            sentence_on(cat, c, r->from, bits);
        if (r->to >= lo && r->to < hi)
            sentence_on(cat, c, r->to + 1, bits);
    }
}

unsigned hc_catalog_sentences(const struct hc_catalog *cat, const struct hc_cite *c, hc_day lo,
                              hc_day hi)
{
    unsigned bits = 0;
    if (lo > hi)
        return 0;
    /* The answer can only change on a day some row of the cited section (or, for an attempt or
     * a conspiracy, of the object offense) starts or stops applying. */
    sentence_on(cat, c, lo, &bits);
    sentences_at_bounds(cat, find_group(cat, &c->main), c, lo, hi, &bits);
    if (c->inchoate != HC_INCHOATE_NONE && c->has_target)
        sentences_at_bounds(cat, find_group(cat, &c->target), c, lo, hi, &bits);
    return bits;
}

/* SPDX-License-Identifier: MIT
 * text.c: the translation files. One file per language, `key<TAB>value` a line (format in
 * data/notices/README.md), embedded in the binary by tools/embed.sh (Makefile, "Embedded files"). Loading checks everything a
 * renderer relies on, so rendering never meets a missing key, a stray brace or bad UTF-8: a bad
 * file is reported with its name and line. */
#include "file.h"
#include "ident.h"
#include "json.h"
#include "memfile.h"
#include "notice_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VALUE 4096
#define MAX_KEY 64
#define MAX_FILE (1u << 20)

/* ---- languages --------------------------------------------------------------------------- */

#define LATIN_CSS "\"Noto Sans\", \"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif"
#define LATIN_PANGO "Noto Sans, DejaVu Sans"

static const struct notice_lang_info langs[NOTICE_LANG_COUNT] = {
    [NOTICE_LANG_EN] = {"en", "en", "English", LATIN_CSS, LATIN_PANGO},
    [NOTICE_LANG_ES] = {"es", "es", "Spanish", LATIN_CSS, LATIN_PANGO},
    [NOTICE_LANG_ZH] = {"zh", "zh-Hant", "Chinese",
                        "\"Noto Sans CJK TC\", \"Noto Sans TC\", \"Source Han Sans TC\", "
                        "\"Microsoft JhengHei\", \"PingFang TC\", sans-serif",
                        "Noto Sans CJK TC"},
    [NOTICE_LANG_TL] = {"tl", "tl", "Tagalog", LATIN_CSS, LATIN_PANGO},
    /* Noto Sans has the precomposed Vietnamese letters and the stacked diacritics. */
    [NOTICE_LANG_VI] = {"vi", "vi", "Vietnamese", LATIN_CSS, LATIN_PANGO},
    [NOTICE_LANG_KO] = {"ko", "ko", "Korean",
                        "\"Noto Sans CJK KR\", \"Noto Sans KR\", \"Source Han Sans K\", "
                        "\"Malgun Gothic\", \"Apple SD Gothic Neo\", sans-serif",
                        "Noto Sans CJK KR"},
};

const struct notice_lang_info *notice_lang_info(int lang)
{
    return lang >= 0 && lang < NOTICE_LANG_COUNT ? &langs[lang] : NULL;
}

int notice_lang_from_code(const char *s)
{
    int i;
    for (i = 0; i < NOTICE_LANG_COUNT; i++)
        if (strcmp(langs[i].code, s) == 0)
            return i;
    return -1;
}

/* ---- keys and placeholders ------------------------------------------------------------- */

#define KEY_NAME(id, name) name,
static const char *const key_names[NK_COUNT] = {NOTICE_KEYS(KEY_NAME)};
#undef KEY_NAME
#define VAR_NAME(id, name) name,
static const char *const var_names[NV_COUNT] = {NOTICE_VARS(VAR_NAME)};
#undef VAR_NAME

size_t notice_key_count(void)
{
    return NK_COUNT;
}

const char *notice_key_name(size_t i)
{
    return i < NK_COUNT ? key_names[i] : NULL;
}

static int key_index(const char *s)
{
    return hc_name_index(key_names, NK_COUNT, s, strlen(s));
}

int notice__var_from_name(const char *s, size_t n)
{
    return hc_name_index(var_names, NV_COUNT, s, n);
}

/* ---- the file format --------------------------------------------------------------------- */

static int line_error(struct hc_diag *d, const char *name, int line, const char *msg,
                      const char *msg2)
{
    hc_diag_set(d, name, msg, msg2);
    if (d != NULL)
        d->line = line;
    return HC_EINVAL;
}

static int key_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

int notice_tsv_parse(const char *name, const char *data, size_t len,
                     int (*cb)(void *ctx, const char *key, const char *value, int line),
                     void *ctx, struct hc_diag *d)
{
    char key[MAX_KEY];
    char *value = NULL;
    size_t pos = 0;
    int line = 0, rc = HC_ENOMEM;

    value = calloc(1, MAX_VALUE); /* zeroed: no byte past a value's NUL is ever unset */
    if (value == NULL)
        goto out;
    /* A byte order mark is what some editors add; it is not part of the first key. */
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        pos = 3;
    while (pos < len) {
        const char *ln = data + pos, *nl = memchr(ln, '\n', len - pos), *tab, *p;
        size_t n = nl ? (size_t)(nl - ln) : len - pos, klen, vlen = 0;

        pos += n + (nl != NULL);
        line++;
        if (n > 0 && ln[n - 1] == '\r')
            n--;
        if (n == 0 || ln[0] == '#')
            continue;
        if (memchr(ln, '\0', n) != NULL) {
            rc = line_error(d, name, line, "NUL byte in line", NULL);
            goto out;
        }
        tab = memchr(ln, '\t', n);
        if (tab == NULL) {
            rc = line_error(d, name, line, "expected key<TAB>value", NULL);
            goto out;
        }
        klen = (size_t)(tab - ln);
        if (klen == 0 || klen >= sizeof key) {
            rc = line_error(d, name, line, klen ? "key too long" : "empty key", NULL);
            goto out;
        }
        for (p = ln; p < tab; p++)
            if (!key_char_ok(*p)) {
                rc = line_error(d, name, line, "key may only have a-z, 0-9, '_' and '.'", NULL);
                goto out;
            }
        memcpy(key, ln, klen);
        key[klen] = '\0';
        for (p = tab + 1; p < ln + n; p++) {
            char c = *p;
            if (c == '\t') {
                rc = line_error(d, name, line, "second tab in line (write \\t in a value)", NULL);
                goto out;
            }
            if (c == '\\') {
                if (++p == ln + n || (*p != '\\' && *p != 'n' && *p != 't')) {
                    rc = line_error(d, name, line, "unknown escape (use \\\\, \\n or \\t)", NULL);
                    goto out;
                }
                c = *p == 'n' ? '\n' : *p == 't' ? '\t' : '\\';
            }
            if (vlen + 1 >= MAX_VALUE) {
                rc = line_error(d, name, line, "value longer than 4095 bytes", NULL);
                goto out;
            }
            value[vlen++] = c;
        }
        value[vlen] = '\0';
        rc = cb(ctx, key, value, line);
        if (rc != 0)
            goto out;
    }
    rc = 0;
out:
    free(value);
    return rc;
}

/* ---- loading ----------------------------------------------------------------------------- */

struct lang_texts {
    char *mem;                 /* owned: the values, NUL-terminated */
    size_t used, cap;
    const char *val[NK_COUNT]; /* into mem; NULL until seen */
    int line[NK_COUNT];
    unsigned mask[NK_COUNT];   /* bit v: the value uses placeholder v */
};

struct notice_texts {
    struct lang_texts lang[NOTICE_LANG_COUNT];
};

struct load_ctx {
    struct lang_texts *lt;
    const char *name;
    struct hc_diag *d;
};

/* Whether value is twelve non-empty names separated by '|' (the month names). */
static int twelve_names(const char *value)
{
    int n = 1;
    const char *p;
    if (value[0] == '|')
        return 0;
    for (p = value; *p != '\0'; p++)
        if (*p == '|') {
            if (p[1] == '|' || p[1] == '\0')
                return 0;
            n++;
        }
    return n == 12;
}

/* Check value's {placeholders}: each is a known name, every brace is part of one. Sets *mask. */
static int check_placeholders(const struct load_ctx *x, const char *value, int line,
                              unsigned *mask)
{
    const char *p = value;
    *mask = 0;
    while ((p = strpbrk(p, "{}")) != NULL) {
        const char *close;
        int v;
        if (*p == '}')
            return line_error(x->d, x->name, line, "'}' without '{'", NULL);
        close = strchr(p + 1, '}');
        if (close == NULL)
            return line_error(x->d, x->name, line, "'{' without '}'", NULL);
        v = notice__var_from_name(p + 1, (size_t)(close - p - 1));
        if (v < 0) {
            char what[80];
            snprintf(what, sizeof what, "%.*s}'", (int)(close - p - 1 > 60 ? 60 : close - p - 1),
                     p + 1);
            return line_error(x->d, x->name, line, "unknown placeholder '{", what);
        }
        *mask |= 1u << v;
        p = close + 1;
    }
    return 0;
}

static int load_entry(void *ctx, const char *key, const char *value, int line)
{
    struct load_ctx *x = ctx;
    struct lang_texts *lt = x->lt;
    size_t n = strlen(value);
    unsigned mask;
    int k = key_index(key), rc;

    if (k < 0)
        return line_error(x->d, x->name, line, "unknown key: ", key);
    if (lt->val[k] != NULL) {
        char first[40];
        snprintf(first, sizeof first, " (first on line %d)", lt->line[k]);
        line_error(x->d, x->name, line, "duplicate key: ", key);
        if (x->d != NULL && strlen(x->d->msg) + strlen(first) < sizeof x->d->msg)
            memcpy(x->d->msg + strlen(x->d->msg), first, strlen(first) + 1);
        return HC_EINVAL;
    }
    if (n == 0)
        return line_error(x->d, x->name, line, "empty value for key: ", key);
    if (!hc_utf8_valid(value, n))
        return line_error(x->d, x->name, line, "value is not valid UTF-8", NULL);
    rc = check_placeholders(x, value, line, &mask);
    if (rc != 0)
        return rc;
    if (k == NK_DATE_MONTHS && !twelve_names(value))
        return line_error(x->d, x->name, line,
                          "date.months must be twelve non-empty names separated by |", NULL);
    if (lt->used + n + 1 > lt->cap)
        return line_error(x->d, x->name, line, "internal: value store full", NULL);
    memcpy(lt->mem + lt->used, value, n + 1);
    lt->val[k] = lt->mem + lt->used;
    lt->used += n + 1;
    lt->line[k] = line;
    lt->mask[k] = mask;
    return 0;
}

static int first_bad_utf8_line(const char *data, size_t len)
{
    size_t pos = 0;
    int line = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
        line++;
        if (!hc_utf8_valid(data + pos, n))
            return line;
        pos += n + 1;
    }
    return 0;
}

static int load_lang(struct lang_texts *lt, const struct notice_text_src *src,
                     struct hc_diag *d)
{
    struct load_ctx x;
    int bad, k, rc;

    if (src->len > MAX_FILE) {
        hc_diag_set(d, src->name, "file larger than 1 MiB", NULL);
        return HC_EINVAL;
    }
    /* Checked on the raw bytes first, so the line reported is the file's. */
    bad = first_bad_utf8_line(src->data, src->len);
    if (bad)
        return line_error(d, src->name, bad, "not valid UTF-8", NULL);
    lt->cap = src->len + 1;
    lt->mem = malloc(lt->cap);
    if (lt->mem == NULL)
        return HC_ENOMEM;
    x.lt = lt;
    x.name = src->name;
    x.d = d;
    rc = notice_tsv_parse(src->name, src->data, src->len, load_entry, &x, d);
    if (rc != 0)
        return rc;
    for (k = 0; k < NK_COUNT; k++)
        if (lt->val[k] == NULL)
            return line_error(d, src->name, 0, "missing key: ", key_names[k]);
    return 0;
}

/* Each language must use, in each value, the placeholders the English value uses. */
static int check_parity(const struct notice_texts *t, const struct notice_text_src *srcs,
                        struct hc_diag *d)
{
    int l, k, v;
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        if (l == NOTICE_LANG_EN)
            continue;
        for (k = 0; k < NK_COUNT; k++) {
            unsigned want = t->lang[NOTICE_LANG_EN].mask[k], got = t->lang[l].mask[k];
            if (want == got)
                continue;
            for (v = 0; v < NV_COUNT; v++) {
                char msg[160];
                if (((want ^ got) >> v & 1u) == 0)
                    continue;
                snprintf(msg, sizeof msg, "%s: {%s} %s", key_names[k], var_names[v],
                         (want >> v & 1u) ? "is missing (the English text has it)"
                                          : "is not in the English text");
                return line_error(d, srcs[l].name, t->lang[l].line[k], msg, NULL);
            }
        }
    }
    return 0;
}

int notice_texts_new_mem(const struct notice_text_src srcs[NOTICE_LANG_COUNT],
                         struct notice_texts **out, struct hc_diag *d)
{
    struct notice_texts *t;
    int l, rc;

    hc_diag_clear(d);
    t = calloc(1, sizeof *t);
    if (t == NULL)
        return HC_ENOMEM;
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        rc = load_lang(&t->lang[l], &srcs[l], d);
        if (rc != 0)
            goto fail;
    }
    rc = check_parity(t, srcs, d);
    if (rc != 0)
        goto fail;
    *out = t;
    return 0;
fail:
    notice_texts_free(t);
    return rc;
}

/* data/notices/LANG.tsv, embedded by tools/embed.sh. */
extern const struct hc_memfile notice_tsv[];
extern const size_t notice_tsv_n;

int notice_texts_new_builtin(struct notice_texts **out, struct hc_diag *d)
{
    static const char *const paths[NOTICE_LANG_COUNT] = {
        [NOTICE_LANG_EN] = "data/notices/en.tsv", [NOTICE_LANG_ES] = "data/notices/es.tsv",
        [NOTICE_LANG_ZH] = "data/notices/zh.tsv", [NOTICE_LANG_TL] = "data/notices/tl.tsv",
        [NOTICE_LANG_VI] = "data/notices/vi.tsv", [NOTICE_LANG_KO] = "data/notices/ko.tsv",
    };
    struct notice_text_src srcs[NOTICE_LANG_COUNT];
    size_t i;

    for (i = 0; i < NOTICE_LANG_COUNT; i++) {
        const struct hc_memfile *f = hc_memfile_find(notice_tsv, notice_tsv_n, paths[i]);
        if (f == NULL)
            return hc_diag_set(d, paths[i], "not built into this binary", NULL);
        srcs[i].name = f->path;
        srcs[i].data = (const char *)f->data;
        srcs[i].len = f->len;
    }
    return notice_texts_new_mem(srcs, out, d);
}

int notice_texts_new_dir(const char *dir, struct notice_texts **out, struct hc_diag *d)
{
    struct notice_text_src srcs[NOTICE_LANG_COUNT];
    char *paths[NOTICE_LANG_COUNT] = {NULL};
    char *bufs[NOTICE_LANG_COUNT] = {NULL};
    int l, rc = 0;

    hc_diag_clear(d);
    for (l = 0; l < NOTICE_LANG_COUNT && rc == 0; l++) {
        size_t n = strlen(dir) + strlen(langs[l].code) + 6;
        paths[l] = malloc(n);
        if (paths[l] == NULL) {
            rc = HC_ENOMEM;
            break;
        }
        snprintf(paths[l], n, "%s/%s.tsv", dir, langs[l].code);
        srcs[l].name = paths[l];
        rc = hc_file_read(paths[l], MAX_FILE, &bufs[l], &srcs[l].len, d);
        srcs[l].data = bufs[l];
    }
    if (rc == 0)
        rc = notice_texts_new_mem(srcs, out, d);
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        free(paths[l]);
        free(bufs[l]);
    }
    return rc;
}

void notice_texts_free(struct notice_texts *t)
{
    int l;
    if (t == NULL)
        return;
    for (l = 0; l < NOTICE_LANG_COUNT; l++)
        free(t->lang[l].mem);
    free(t);
}

const char *notice__text(const struct notice_texts *t, int lang, int k)
{
    return t->lang[lang].val[k];
}

const char *notice_text(const struct notice_texts *t, int lang, const char *key)
{
    int k = key_index(key);
    if (t == NULL || lang < 0 || lang >= NOTICE_LANG_COUNT || k < 0)
        return NULL;
    return t->lang[lang].val[k];
}

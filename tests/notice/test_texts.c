/* SPDX-License-Identifier: MIT
 * test_texts.c: the translation files data/notices/LANG.tsv and their loader (src/notice/text.c).
 * The parity checks read the files from disk and use their own placeholder scanner and UTF-8
 * check, not the loader's: every key in every language, the same {placeholders} per key, no
 * empty value, valid UTF-8. Then the loader: it accepts the real files, and it rejects each kind
 * of bad file naming the file and the line. Then the HTML of every notice in every language.
 * Run from the top of the source tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "case.h"
#include "engine.h"
#include "file.h"
#include "notice.h"

#define MAX_KEYS 200

static const char *const codes[NOTICE_LANG_COUNT] = {"en", "es", "zh", "tl", "vi", "ko"};

struct entry {
    char key[64];
    char *value;
    int line;
};

struct file {
    char path[64];
    char *data;
    size_t len;
    struct entry e[MAX_KEYS];
    size_t n;
};

static struct file files[NOTICE_LANG_COUNT];

static int collect(void *ctx, const char *key, const char *value, int line)
{
    struct file *f = ctx;
    assert_true(f->n < MAX_KEYS);
    assert_true(strlen(key) < sizeof f->e[0].key);
    strcpy(f->e[f->n].key, key);
    f->e[f->n].value = strdup(value);
    f->e[f->n].line = line;
    f->n++;
    return 0;
}

/* The file at path, NUL-terminated (hc_file_read), or NULL; the caller frees it. */
static char *slurp(const char *path, size_t *len)
{
    char *buf = NULL;
    return hc_file_read(path, 0, &buf, len, NULL) == HC_OK ? buf : NULL;
}

static int setup(void **state)
{
    int l;
    struct hc_diag d;
    (void)state;
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        struct file *f = &files[l];
        snprintf(f->path, sizeof f->path, "data/notices/%s.tsv", codes[l]);
        f->data = slurp(f->path, &f->len);
        if (f->data == NULL) {
            fprintf(stderr, "cannot read %s (run from the source tree)\n", f->path);
            return -1;
        }
        if (notice_tsv_parse(f->path, f->data, f->len, collect, f, &d) != 0) {
            fprintf(stderr, "%s:%d: %s\n", d.field, d.line, d.msg);
            return -1;
        }
    }
    return 0;
}

static int teardown(void **state)
{
    int l;
    size_t i;
    (void)state;
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        for (i = 0; i < files[l].n; i++)
            free(files[l].e[i].value);
        free(files[l].data);
    }
    return 0;
}

static const struct entry *find(const struct file *f, const char *key)
{
    size_t i;
    for (i = 0; i < f->n; i++)
        if (strcmp(f->e[i].key, key) == 0)
            return &f->e[i];
    return NULL;
}

/* find, for keys that must exist: a missing one ends the test program with its name. */
static const struct entry *must_find(const struct file *f, const char *key)
{
    const struct entry *e = find(f, key);
    if (e == NULL) {
        fprintf(stderr, "%s: no key %s\n", f->path, key);
        abort();
    }
    return e;
}

/* The sorted, de-duplicated placeholder names of s, joined by spaces, into out. */
static void placeholders(const char *s, char *out, size_t cap)
{
    char names[16][40];
    size_t n = 0, i, j, len = 0;
    const char *p = s;
    while ((p = strchr(p, '{')) != NULL) {
        const char *q = strchr(p, '}');
        assert_non_null(q);
        assert_true((size_t)(q - p - 1) < sizeof names[0] && n < 16);
        memcpy(names[n], p + 1, (size_t)(q - p - 1));
        names[n][q - p - 1] = '\0';
        for (j = 0; j < n && strcmp(names[j], names[n]) != 0; j++)
            ;
        if (j == n)
            n++;
        p = q + 1;
    }
    for (i = 1; i < n; i++) /* insertion sort */
        for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char tmp[40];
            strcpy(tmp, names[j]);
            strcpy(names[j], names[j - 1]);
            strcpy(names[j - 1], tmp);
        }
    out[0] = '\0';
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", names[i]);
}

/* An independent UTF-8 check: decode each sequence and re-check its ranges. */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], need, cp, k;
        if (c < 0x80) {
            i++;
            continue;
        }
        need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        if (need == 0 || c > 0xf4 || i + need >= n)
            return 0;
        cp = c & (0x3fu >> need);
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3fu);
        }
        if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* Every key of every language is in every other, with the same placeholders. */
static void test_parity(void **state)
{
    int l, m;
    size_t i;
    char a[256], b[256];
    (void)state;
    for (l = 0; l < NOTICE_LANG_COUNT; l++)
        for (m = 0; m < NOTICE_LANG_COUNT; m++)
            for (i = 0; i < files[l].n; i++) {
                const struct entry *e = &files[l].e[i], *o;
                if (find(&files[m], e->key) == NULL) {
                    print_error("%s:%d: key %s is missing from %s\n", files[l].path, e->line,
                                e->key, files[m].path);
                    fail();
                }
                o = must_find(&files[m], e->key);
                placeholders(e->value, a, sizeof a);
                placeholders(o->value, b, sizeof b);
                if (strcmp(a, b) != 0) {
                    print_error("%s:%d: %s has {%s}, %s:%d has {%s}\n", files[l].path, e->line,
                                e->key, a, files[m].path, o->line, b);
                    fail();
                }
            }
}

static void test_values(void **state)
{
    int l;
    size_t i, j;
    (void)state;
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        const struct file *f = &files[l];
        assert_true(utf8_ok((const unsigned char *)f->data, f->len));
        for (i = 0; i < f->n; i++) {
            if (f->e[i].value[0] == '\0') {
                print_error("%s:%d: empty value for %s\n", f->path, f->e[i].line, f->e[i].key);
                fail();
            }
            for (j = 0; j < i; j++)
                if (strcmp(f->e[i].key, f->e[j].key) == 0) {
                    print_error("%s:%d: duplicate key %s\n", f->path, f->e[i].line, f->e[i].key);
                    fail();
                }
        }
    }
}

/* The files have exactly the keys the program uses. */
static void test_keys_known(void **state)
{
    size_t i;
    (void)state;
    assert_int_equal(files[NOTICE_LANG_EN].n, notice_key_count());
    for (i = 0; i < notice_key_count(); i++)
        assert_non_null(find(&files[NOTICE_LANG_EN], notice_key_name(i)));
    assert_null(notice_key_name(notice_key_count()));
}

/* Translations differ from the English: a forgotten untranslated copy shows up here. Short
 * labels and names may legitimately coincide (Tagalog "Form", "Tagalog"). */
static void test_translated(void **state)
{
    int l;
    size_t i;
    (void)state;
    for (l = 1; l < NOTICE_LANG_COUNT; l++) {
        size_t same = 0;
        for (i = 0; i < files[l].n; i++) {
            const struct entry *en = must_find(&files[NOTICE_LANG_EN], files[l].e[i].key);
            /* The patterns of dates and times may coincide ("{month} {day}, {year}"). */
            if (strncmp(files[l].e[i].key, "date.", 5) == 0 ||
                strncmp(files[l].e[i].key, "time.", 5) == 0)
                continue;
            if (strcmp(en->value, files[l].e[i].value) == 0 && strlen(en->value) > 12) {
                print_error("%s:%d: %s is the English text\n", files[l].path, files[l].e[i].line,
                            files[l].e[i].key);
                same++;
            }
        }
        assert_int_equal(same, 0);
    }
}

static void test_load_real(void **state)
{
    struct notice_texts *t = NULL;
    struct hc_diag d;
    int l;
    (void)state;
    assert_int_equal(notice_texts_new_builtin(&t, &d), 0);
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        /* The embedded texts are the files on disk. */
        const struct entry *e = must_find(&files[l], "consent.title");
        assert_string_equal(notice_text(t, l, "consent.title"), e->value);
    }
    assert_null(notice_text(t, NOTICE_LANG_EN, "consent.nope"));
    assert_null(notice_text(t, NOTICE_LANG_COUNT, "consent.title"));
    notice_texts_free(t);
    assert_int_equal(notice_texts_new_dir("data/notices", &t, &d), 0);
    notice_texts_free(t);
    assert_int_equal(notice_texts_new_dir("no/such/dir", &t, &d), HC_EIO);
    assert_string_equal(d.field, "no/such/dir/en.tsv");
}

/* ---- the loader's errors ----------------------------------------------------------------- */

/* Load the real files with language `lang` replaced by text. */
static int load_with(int lang, const char *text, struct hc_diag *d)
{
    struct notice_text_src srcs[NOTICE_LANG_COUNT];
    struct notice_texts *t = NULL;
    int l, rc;
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        srcs[l].name = files[l].path;
        srcs[l].data = files[l].data;
        srcs[l].len = files[l].len;
    }
    srcs[lang].data = text;
    srcs[lang].len = strlen(text);
    rc = notice_texts_new_mem(srcs, &t, d);
    notice_texts_free(t);
    return rc;
}

/* The real file of lang with line `line` (1-based) replaced by repl ("" deletes it). */
static char *edit_line(int lang, int line, const char *repl)
{
    const char *s = files[lang].data, *start = s, *end;
    char *out;
    int i;
    for (i = 1; i < line; i++)
        start = strchr(start, '\n') + 1;
    end = strchr(start, '\n');
    end = end ? end + 1 : start + strlen(start);
    out = malloc(files[lang].len + strlen(repl) + 2);
    memcpy(out, s, (size_t)(start - s));
    strcpy(out + (start - s), repl);
    if (repl[0] != '\0')
        strcat(out, "\n");
    strcat(out, end);
    return out;
}

static void test_loader_errors(void **state)
{
    static const struct {
        int lang;
        const char *repl;   /* replaces the line of key `at` */
        const char *at;
        int line_delta;     /* expected line relative to `at`'s line; -999: line 0 */
        const char *msg;    /* expected in the message */
    } cases[] = {
        {NOTICE_LANG_ES, "copy.title Aviso sin tabulador", "copy.title", 0, "key<TAB>value"},
        {NOTICE_LANG_ZH, "copy.titel\t通知", "copy.title", 0, "unknown key"},
        {NOTICE_LANG_KO, "copy.title\t", "copy.title", 0, "empty value"},
        {NOTICE_LANG_VI, "copy.title\tTh\xc3\x94ng b\xe1\xba", "copy.title", 0, "UTF-8"},
        {NOTICE_LANG_TL, "copy.intent_no\tHindi susundin.", "copy.intent_no", 0,
         "{agency} is missing"},
        {NOTICE_LANG_ES, "copy.intent_no\t{agencia} no cumplirá.", "copy.intent_no", 0,
         "unknown placeholder '{agencia}'"},
        {NOTICE_LANG_ES, "copy.intent_no\t{agency no cumplirá.", "copy.intent_no", 0,
         "without '}'"},
        {NOTICE_LANG_ES, "copy.intent_no\t{agency} no } cumplirá.", "copy.intent_no", 0,
         "without '{'"},
        {NOTICE_LANG_ES, "copy.intent_no\t{agency} no cumplirá.\\x", "copy.intent_no", 0,
         "unknown escape"},
        {NOTICE_LANG_EN, "Copy.title\tNotice", "copy.title", 0, "a-z"},
        {NOTICE_LANG_KO, "", "consent.law", -999, "missing key: consent.law"},
        {NOTICE_LANG_ZH, "copy.title\t通知\tB", "copy.title", 0, "second tab"},
        {NOTICE_LANG_ES, "consent.title\t{provisions} extra", "consent.title", 0,
         "{provisions} is not in the English text"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct entry *e = must_find(&files[cases[i].lang], cases[i].at);
        char *text = edit_line(cases[i].lang, e->line, cases[i].repl);
        struct hc_diag d;
        int want = cases[i].line_delta == -999 ? 0 : e->line + cases[i].line_delta;
        assert_int_equal(load_with(cases[i].lang, text, &d), HC_EINVAL);
        if (strcmp(d.field, files[cases[i].lang].path) != 0 || d.line != want ||
            strstr(d.msg, cases[i].msg) == NULL) {
            print_error("case %zu: got %s:%d: %s; want %s:%d: ...%s...\n", i, d.field, d.line,
                        d.msg, files[cases[i].lang].path, want, cases[i].msg);
            fail();
        }
        free(text);
    }
}

static void test_loader_duplicate(void **state)
{
    const struct entry *e = must_find(&files[NOTICE_LANG_ES], "copy.title");
    size_t n = files[NOTICE_LANG_ES].len;
    char *text = malloc(n + 64);
    struct hc_diag d;
    int lines = 0;
    size_t i;
    (void)state;
    memcpy(text, files[NOTICE_LANG_ES].data, n);
    strcpy(text + n, "copy.title\tOtra vez\n");
    for (i = 0; i < n; i++)
        lines += text[i] == '\n';
    assert_int_equal(load_with(NOTICE_LANG_ES, text, &d), HC_EINVAL);
    assert_int_equal(d.line, lines + 1);
    assert_non_null(strstr(d.msg, "duplicate key: copy.title"));
    {
        char first[32];
        snprintf(first, sizeof first, "first on line %d", e->line);
        assert_non_null(strstr(d.msg, first));
    }
    free(text);
}

/* Escapes, CRLF line ends, comments and a byte order mark are all accepted. */
static int collect_one(void *ctx, const char *key, const char *value, int line)
{
    char *out = ctx;
    snprintf(out, 128, "%d:%s=%s", line, key, value);
    return 0;
}

static void test_tsv_syntax(void **state)
{
    char got[128];
    struct hc_diag d;
    const char *in = "\xef\xbb\xbf# comment\r\n\r\nk.a\tx\\ty\\\\z\\nw\r\n";
    (void)state;
    assert_int_equal(notice_tsv_parse("t", in, strlen(in), collect_one, got, &d), 0);
    assert_string_equal(got, "3:k.a=x\ty\\z\nw");
}

/* ---- HTML -------------------------------------------------------------------------------- */

static void facts_for(int kind, struct notice_facts *f)
{
    static const char *const basis[] = {"Gov. Code § 7284.6(a)(1)(B)"};
    notice_facts_init(f);
    f->person_name = "Ana <Test> O'Neil & Co";
    f->booking_no = "DEMO-000042";
    f->agency = "Sample County Sheriff's Office";
    f->request_type = kind == NOTICE_CONSENT ? HC_REQ_INTERVIEW : HC_REQ_HOLD;
    f->form = "I-247A";
    f->received_at = "2025-06-01 09:30";
    f->outcome = kind == NOTICE_CONSENT ? HC_OUT_PERMITTED_COND : HC_OUT_PROHIBITED;
    f->provisions = basis;
    f->nprovisions = 1;
    f->release_date = "2025-06-20 14:00";
    f->generated_at = "2025-06-01 09:41";
}

static void test_html_every_notice(void **state)
{
    struct notice_texts *t = NULL;
    struct hc_diag d;
    static char mem[1 << 16];
    int l, k;
    (void)state;
    assert_int_equal(notice_texts_new_builtin(&t, &d), 0);
    for (l = 0; l < NOTICE_LANG_COUNT; l++)
        for (k = 0; k < NOTICE_KIND_COUNT; k++) {
            const struct notice_lang_info *li = notice_lang_info(l);
            struct notice_facts f;
            struct hc_buf b;
            char want[64];
            const char *html, *body;
            facts_for(k, &f);
            hc_buf_init(&b, mem, sizeof mem);
            assert_int_equal(notice_render_html(t, k, l, &f, NOTICE_PAPER_LETTER, &b, &d), 0);
            html = hc_buf_cstr(&b);
            snprintf(want, sizeof want, "<html lang=\"%s\">", li->tag);
            assert_non_null(strstr(html, want));
            assert_non_null(strstr(html, li->css_fonts));
            assert_non_null(strstr(html, "@page{size:letter"));
            body = strstr(html, "<body>");
            assert_non_null(body);
            assert_null(strchr(body, '{'));   /* every placeholder filled */
            assert_null(strstr(body, "Ana <Test>"));
            assert_non_null(strstr(body, "Ana &lt;Test&gt; O&#39;Neil &amp; Co"));
            assert_non_null(strstr(body, k == NOTICE_CONSENT ? "7283.1(a)" : "7283.1(b)"));
            assert_non_null(strstr(body, "Gov. Code § 7284.6(a)(1)(B)")); /* the decision's */
            assert_non_null(strstr(html, "</html>\n"));
        }
    notice_texts_free(t);
}

static void test_html_content(void **state)
{
    struct notice_texts *t = NULL;
    struct notice_facts f;
    struct hc_diag d;
    static char mem[1 << 16];
    struct hc_buf b;
    const char *html;
    (void)state;
    assert_int_equal(notice_texts_new_builtin(&t, &d), 0);

    /* A prohibited hold: the agency does not intend to comply (7283.1(b)). */
    facts_for(NOTICE_COPY, &f);
    hc_buf_init(&b, mem, sizeof mem);
    assert_int_equal(notice_render_html(t, NOTICE_COPY, NOTICE_LANG_EN, &f, NOTICE_PAPER_A4, &b,
                                        &d), 0);
    html = hc_buf_cstr(&b);
    assert_non_null(strstr(html, "does not intend to comply"));
    assert_non_null(strstr(html, "immigration hold request (detainer)"));
    assert_non_null(strstr(html, "@page{size:A4"));
    assert_non_null(strstr(html, "Gov. Code § 7283.1(b); Gov. Code § 7284.6(a)(1)(B)"));

    /* Undecided, and blanks for missing facts. */
    f.outcome = HC_OUT_REVIEW;
    f.request_type = HC_REQ_NOTIFICATION;
    f.person_name = NULL;
    hc_buf_init(&b, mem, sizeof mem);
    assert_int_equal(notice_render_html(t, NOTICE_COPY, NOTICE_LANG_ES, &f, 0, &b, &d), 0);
    html = hc_buf_cstr(&b);
    assert_non_null(strstr(html, "todavía no ha decidido"));
    assert_non_null(strstr(html, "class=\"blank\""));

    /* The release notice to the attorney says so, and names them in the service record. */
    facts_for(NOTICE_RELEASE, &f);
    f.served_to = NOTICE_TO_ATTORNEY;
    f.served_to_name = "Jo Counsel, Esq.";
    hc_buf_init(&b, mem, sizeof mem);
    assert_int_equal(notice_render_html(t, NOTICE_RELEASE, NOTICE_LANG_KO, &f, 0, &b, &d), 0);
    html = hc_buf_cstr(&b);
    assert_non_null(strstr(html, "Ana &lt;Test&gt; O&#39;Neil &amp; Co 님의 변호사로서"));
    assert_non_null(strstr(html, "Jo Counsel, Esq."));
    assert_non_null(strstr(html, "2025-06-20 14:00"));

    /* Too small a buffer. */
    hc_buf_init(&b, mem, 512);
    assert_int_equal(notice_render_html(t, NOTICE_RELEASE, NOTICE_LANG_KO, &f, 0, &b, &d),
                     HC_ENOSPC);
    notice_texts_free(t);
}

static void test_html_invalid(void **state)
{
    struct notice_texts *t = NULL;
    struct notice_facts f;
    struct hc_diag d;
    static char mem[1 << 16];
    struct hc_buf b;
    char long_name[300];
    (void)state;
    assert_int_equal(notice_texts_new_builtin(&t, &d), 0);
    hc_buf_init(&b, mem, sizeof mem);

    facts_for(NOTICE_COPY, &f);
    f.request_type = HC_REQ_INTERVIEW; /* 7283.1(b) copies are for hold/notification/transfer */
    assert_int_equal(notice_render_html(t, NOTICE_COPY, 0, &f, 0, &b, &d), HC_EINVAL);
    assert_string_equal(d.field, "request.type");

    facts_for(NOTICE_RELEASE, &f);
    f.release_date = "";
    assert_int_equal(notice_render_html(t, NOTICE_RELEASE, 0, &f, 0, &b, &d), HC_EINVAL);
    assert_string_equal(d.field, "release_date");

    facts_for(NOTICE_CONSENT, &f);
    f.served_to = NOTICE_TO_DESIGNEE;
    assert_int_equal(notice_render_html(t, NOTICE_CONSENT, 0, &f, 0, &b, &d), HC_EINVAL);
    assert_string_equal(d.field, "served_to");

    facts_for(NOTICE_CONSENT, &f);
    f.person_name = "bad \xff byte";
    assert_int_equal(notice_render_html(t, NOTICE_CONSENT, 0, &f, 0, &b, &d), HC_EINVAL);
    assert_string_equal(d.field, "person_name");
    f.person_name = "line\nbreak";
    assert_int_equal(notice_render_html(t, NOTICE_CONSENT, 0, &f, 0, &b, &d), HC_EINVAL);
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    f.person_name = long_name;
    assert_int_equal(notice_render_html(t, NOTICE_CONSENT, 0, &f, 0, &b, &d), HC_EINVAL);

    facts_for(NOTICE_COPY, &f);
    f.intent = NOTICE_INTENT_YES; /* on a prohibited hold */
    assert_int_equal(notice_render_html(t, NOTICE_COPY, 0, &f, 0, &b, &d), HC_EINVAL);
    assert_string_equal(d.field, "intent");

    facts_for(NOTICE_COPY, &f);
    assert_int_equal(notice_render_html(t, NOTICE_KIND_COUNT, 0, &f, 0, &b, &d), HC_EINVAL);
    assert_int_equal(notice_render_html(t, 0, NOTICE_LANG_COUNT, &f, 0, &b, &d), HC_EINVAL);
    assert_int_equal(notice_render_html(t, 0, 0, &f, 7, &b, &d), HC_EINVAL);
    notice_texts_free(t);
}

static void test_langs(void **state)
{
    int l;
    (void)state;
    for (l = 0; l < NOTICE_LANG_COUNT; l++) {
        assert_string_equal(notice_lang_info(l)->code, codes[l]);
        assert_int_equal(notice_lang_from_code(codes[l]), l);
    }
    assert_int_equal(notice_lang_from_code("fr"), -1);
    assert_null(notice_lang_info(-1));
    assert_string_equal(notice_lang_info(NOTICE_LANG_ZH)->tag, "zh-Hant");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parity),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_keys_known),
        cmocka_unit_test(test_translated),
        cmocka_unit_test(test_load_real),
        cmocka_unit_test(test_loader_errors),
        cmocka_unit_test(test_loader_duplicate),
        cmocka_unit_test(test_tsv_syntax),
        cmocka_unit_test(test_html_every_notice),
        cmocka_unit_test(test_html_content),
        cmocka_unit_test(test_html_invalid),
        cmocka_unit_test(test_langs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

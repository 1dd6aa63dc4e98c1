/* SPDX-License-Identifier: MIT
 * fuzz_feed.c: libFuzzer target for the custody feed's row reader (src/app/feed_rows.h), which
 * reads every line a jail management system pushes to POST /api/v1/feed and every JSON Lines
 * file `holdcheck import` is given.
 *
 * The input is one line, in an exact-size buffer ended by the NUL the reader's contract asks
 * for, so AddressSanitizer traps any read past it.
 * It is read as a JSON object, then as a row of each of the four kinds. Checked:
 *   - feed_jsonl_parse returns 0, or -1 with a message; reading is deterministic;
 *   - on 0: at most FEED_MAX_KEYS keys, the decoded text inside the buffer it was given, every
 *     key and string value NUL-terminated there, UTF-8 and free of NUL bytes;
 *   - feed_jsonl_values and feed_check_row return exactly the number of faults they report,
 *     each naming a field and saying something;
 *   - a row accepted has every required column, and every booking number, date and time in it
 *     reads again with the readers the rest of the program uses.
 * A broken property is reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "feed_rows.h"
#include "ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(const char *what)
{
    fprintf(stderr, "fuzz_feed: contract broken: %s\n", what);
    __builtin_trap();
}

struct faults {
    int n;
};

static void fault(void *ctx, const char *field, const char *msg)
{
    struct faults *f = ctx;
    if (field == NULL || msg == NULL || msg[0] == '\0')
        contract("a fault without a field or a message");
    f->n++;
}

/* Whether s lies inside b's decoded text and ends there with a NUL, with valid text before. */
static void inside(const struct feed_jbuf *b, const char *s)
{
    size_t n;
    if (s < b->out || s >= b->out + b->len)
        contract("a key or value outside the decoded text");
    n = strnlen(s, (size_t)(b->out + b->len - s));
    if (s + n >= b->out + b->len)
        contract("a key or value not NUL-terminated in the decoded text");
    if (feed_text_fault(s, n) != NULL)
        contract("a key or value that is not UTF-8 text");
}

/* The accepted row of kind k with values v: every required column present, and every typed
 * value readable again. */
static void accepted(enum store_kind k, const char *const *v)
{
    const struct feed_kind_cols *kc = feed_kind(k);
    struct hc_time t;
    hc_day day;
    size_t i;
    for (i = 0; i < kc->ncols; i++) {
        const struct feed_col *c = &kc->cols[i];
        const char *s = v[i];
        size_t n = s != NULL ? strlen(s) : 0;
        if (c->required && n == 0)
            contract("a row accepted without a required column");
        if (n == 0)
            continue;
        if (c->type == FEED_T_BOOKING_NO && !hc_booking_no_valid(s, n))
            contract("a row accepted with a bad booking number");
        if (c->type == FEED_T_DATE && hc_date_parse(s, n, &day) != 0)
            contract("a row accepted with a bad date");
        if (c->type == FEED_T_TIME && hc_time_parse(s, n, &t) != 0)
            contract("a row accepted with a bad time");
        if (c->type == FEED_T_TEXT && n > c->max)
            contract("a row accepted with a text column over its limit");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char cites[FEED_CITE_SLOTS * (FEED_TEXT_MAX + 1)];
    struct feed_kv kv[FEED_MAX_KEYS], kv2[FEED_MAX_KEYS];
    struct feed_jbuf b, b2;
    const char *err = NULL, *key = NULL, *err2 = NULL, *key2 = NULL;
    char *line, *out, *out2;
    int n = 0, n2 = 0, rc, rc2, i, k;

    if (size > 65536)
        return 0;
    line = malloc(size + 1);
    out = malloc(size + 5);
    out2 = malloc(size + 5);
    if (line == NULL || out == NULL || out2 == NULL)
        abort();
    memcpy(line, data, size);
    line[size] = '\0';
    b.out = out;
    b.cap = size + 5;
    b.len = 0;
    b2 = b;
    b2.out = out2;
    rc = feed_jsonl_parse(&b, line, size, kv, &n, &err, &key);
    rc2 = feed_jsonl_parse(&b2, line, size, kv2, &n2, &err2, &key2);
    if (rc != rc2 || n != n2 || b.len != b2.len || (rc == 0 && memcmp(out, out2, b.len) != 0))
        contract("reading the same line twice differs");
    if (rc != 0 && (rc != -1 || err == NULL || err[0] == '\0'))
        contract("a refusal without a message, or a result other than 0 and -1");
    if (rc == 0) {
        if (n < 0 || n > FEED_MAX_KEYS || b.len > b.cap)
            contract("too many keys, or decoded past the buffer");
        for (i = 0; i < n; i++) {
            inside(&b, kv[i].key);
            if (kv[i].type == FEED_JV_STR)
                inside(&b, kv[i].val);
        }
        for (k = STORE_KIND_PEOPLE; k <= STORE_KIND_CONVICTIONS; k++) {
            const char *v[FEED_MAX_COLS];
            int jbool[FEED_MAX_COLS];
            struct store_import_row r;
            struct faults f = {0};
            int bad = feed_jsonl_values((enum store_kind)k, kv, n, k % 2, v, jbool, fault, &f);
            if (bad != f.n)
                contract("feed_jsonl_values counts other faults than it reports");
            if (bad != 0)
                continue;
            f.n = 0;
            bad = feed_check_row((enum store_kind)k, v, jbool, cites, &r, fault, &f);
            if (bad != f.n)
                contract("feed_check_row counts other faults than it reports");
            if (bad == 0)
                accepted((enum store_kind)k, v);
        }
    }
    free(line);
    free(out);
    free(out2);
    return 0;
}

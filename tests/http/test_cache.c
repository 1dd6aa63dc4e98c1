/* SPDX-License-Identifier: MIT
 * test_cache.c: the shared answer cache (src/http/cache.h), without a server. What it must
 * guarantee: an answer is served only under its own namespace and key, only while neither its
 * namespace nor its key was invalidated since it was read, and before it expires, and the bytes
 * kept never exceed the budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cache.h"

#define MIB ((size_t)1 << 20)

/* Blocks handed out by test_alloc, freed by reset_allocs. */
static void *allocs[64];
static size_t nallocs;

static void *test_alloc(void *ctx, size_t n)
{
    (void)ctx;
    assert_true(n > 0);
    assert_true(nallocs < sizeof allocs / sizeof allocs[0]);
    return allocs[nallocs++] = malloc(n);
}

static void reset_allocs(void)
{
    while (nallocs > 0)
        free(allocs[--nallocs]);
}

/* Look (ns, key) up at now; the body as a NUL-terminated string in out, or 0 when missing. */
static int get(struct http_cache *c, int ns, const char *key, int64_t now, char *out, size_t n,
               char *tag)
{
    struct http_cache_hit hit;
    int found = http_cache_get(c, ns, key, strlen(key), now, test_alloc, NULL, &hit);
    if (found) {
        assert_true(hit.len < n);
        memcpy(out, hit.body, hit.len);
        out[hit.len] = '\0';
        if (tag != NULL)
            strcpy(tag, hit.tag);
    }
    reset_allocs();
    return found;
}

static void put(struct http_cache *c, int ns, const char *key, const char *body, const char *tag,
                const struct http_cache_view *v, int64_t now, int64_t ttl)
{
    http_cache_put(c, ns, key, strlen(key), body, strlen(body), tag, v, now, ttl);
}

/* The view of c now. */
static struct http_cache_view view(struct http_cache *c)
{
    struct http_cache_view v;
    http_cache_view(c, &v);
    return v;
}

/* An answer for key read under old (a view from before an invalidation) is refused; one read
 * under a view taken now is kept. */
static void refused_then_kept(struct http_cache *c, const char *key,
                              const struct http_cache_view *old)
{
    struct http_cache_view now;
    char out[64];
    put(c, HTTP_CACHE_STAFF, key, "old", NULL, old, 0, -1);
    assert_false(get(c, HTTP_CACHE_STAFF, key, 0, out, sizeof out, NULL));
    now = view(c);
    put(c, HTTP_CACHE_STAFF, key, "new", NULL, &now, 0, -1);
    assert_true(get(c, HTTP_CACHE_STAFF, key, 0, out, sizeof out, NULL));
    assert_string_equal(out, "new");
}

static void forget(struct http_cache *c, int ns, const char *key)
{
    http_cache_invalidate_key(c, ns, key, strlen(key));
}

static void test_hit_and_namespaces(void **state)
{
    struct http_cache *c = http_cache_new(MIB);
    char out[256], tag[HTTP_CACHE_TAG];
    struct http_cache_view e;
    (void)state;
    assert_non_null(c);
    e = view(c);
    assert_false(get(c, HTTP_CACHE_STAFF, "DEMO-000001", 0, out, sizeof out, NULL));
    put(c, HTTP_CACHE_STAFF, "DEMO-000001", "{\"staff\":1}", NULL, &e, 0, -1);
    assert_true(get(c, HTTP_CACHE_STAFF, "DEMO-000001", 10, out, sizeof out, tag));
    assert_string_equal(out, "{\"staff\":1}");
    assert_string_equal(tag, "");
    /* The same key in the public namespace is another answer: never the staff one. */
    assert_false(get(c, HTTP_CACHE_PUBLIC, "DEMO-000001", 10, out, sizeof out, NULL));
    put(c, HTTP_CACHE_PUBLIC, "DEMO-000001", "{\"public\":1}", "\"etag\"", &e, 0, 5000);
    assert_true(get(c, HTTP_CACHE_PUBLIC, "DEMO-000001", 10, out, sizeof out, tag));
    assert_string_equal(out, "{\"public\":1}");
    assert_string_equal(tag, "\"etag\"");
    assert_true(get(c, HTTP_CACHE_STAFF, "DEMO-000001", 10, out, sizeof out, NULL));
    assert_string_equal(out, "{\"staff\":1}");
    /* A key that is a prefix of another is another key. */
    assert_false(get(c, HTTP_CACHE_STAFF, "DEMO-00000", 10, out, sizeof out, NULL));
    /* Keeping the same key again replaces the answer. */
    put(c, HTTP_CACHE_STAFF, "DEMO-000001", "{\"staff\":2}", NULL, &e, 0, -1);
    assert_true(get(c, HTTP_CACHE_STAFF, "DEMO-000001", 10, out, sizeof out, NULL));
    assert_string_equal(out, "{\"staff\":2}");
    http_cache_free(c);
}

static void test_epoch(void **state)
{
    struct http_cache *c = http_cache_new(MIB);
    char out[64];
    struct http_cache_view e;
    (void)state;
    e = view(c);
    put(c, HTTP_CACHE_STAFF, "A", "a1", NULL, &e, 0, -1);
    put(c, HTTP_CACHE_PUBLIC, "/p", "p1", NULL, &e, 0, 5000);
    http_cache_invalidate(c, HTTP_CACHE_STAFF);
    /* One namespace's invalidation leaves the other's answers. */
    assert_true(get(c, HTTP_CACHE_PUBLIC, "/p", 0, out, sizeof out, NULL));
    http_cache_invalidate(c, HTTP_CACHE_PUBLIC);
    assert_false(get(c, HTTP_CACHE_PUBLIC, "/p", 0, out, sizeof out, NULL));
    assert_false(get(c, HTTP_CACHE_STAFF, "A", 0, out, sizeof out, NULL));
    /* Read under the old epoch, kept after the invalidation: refused; under the new: kept. */
    refused_then_kept(c, "B", &e);
    /* Invalidated entries give their memory back when met. */
    http_cache_invalidate(c, HTTP_CACHE_STAFF);
    assert_false(get(c, HTTP_CACHE_STAFF, "B", 0, out, sizeof out, NULL));
    {
        struct http_cache_stats st;
        http_cache_stats(c, &st);
        assert_int_equal(st.bytes, 0);
        assert_int_equal(st.hits[HTTP_CACHE_STAFF], 1);
        assert_int_equal(st.misses[HTTP_CACHE_STAFF], 3);
    }
    http_cache_free(c);
}

/* Forgetting one key leaves every other answer, and no answer of that key read before the
 * forgetting is ever kept after it. */
static void test_forget_key(void **state)
{
    struct http_cache *c = http_cache_new(MIB);
    struct http_cache_view before;
    char out[64], key[32];
    int i;
    (void)state;
    before = view(c);
    for (i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "DEMO-%06d", i);
        put(c, HTTP_CACHE_STAFF, key, key, NULL, &before, 0, -1);
    }
    put(c, HTTP_CACHE_PUBLIC, "DEMO-000007", "public", NULL, &before, 0, 5000);
    forget(c, HTTP_CACHE_STAFF, "DEMO-000007");
    assert_false(get(c, HTTP_CACHE_STAFF, "DEMO-000007", 0, out, sizeof out, NULL));
    /* The same key in the other namespace is another answer. */
    assert_true(get(c, HTTP_CACHE_PUBLIC, "DEMO-000007", 0, out, sizeof out, NULL));
    for (i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "DEMO-%06d", i);
        assert_int_equal(get(c, HTTP_CACHE_STAFF, key, 0, out, sizeof out, NULL), i != 7);
    }
    /* A reader that took its view before the forgetting read the old record: refused. One
     * that took it after read the new one: kept. */
    refused_then_kept(c, "DEMO-000007", &before);
    /* Forgetting a key nobody kept costs nothing but refuses older views of its set. */
    forget(c, HTTP_CACHE_STAFF, "NOT-KEPT");
    assert_true(get(c, HTTP_CACHE_STAFF, "DEMO-000007", 0, out, sizeof out, NULL));
    http_cache_free(c);
}

static void test_expiry(void **state)
{
    struct http_cache *c = http_cache_new(MIB);
    char out[64];
    (void)state;
    struct http_cache_view e = view(c);
    put(c, HTTP_CACHE_PUBLIC, "/p", "x", "\"t\"", &e, 1000, 5000);
    assert_true(get(c, HTTP_CACHE_PUBLIC, "/p", 5999, out, sizeof out, NULL));
    assert_false(get(c, HTTP_CACHE_PUBLIC, "/p", 6000, out, sizeof out, NULL));
    http_cache_free(c);
}

static void test_budget(void **state)
{
    size_t budget = 256 * 1024, i, found = 0;
    struct http_cache *c = http_cache_new(budget);
    struct http_cache_stats st;
    char body[2000], key[32], out[2100];
    struct http_cache_view e = view(c);
    (void)state;
    memset(body, 'x', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    /* 1,000 answers of about 2 kB into 256 KiB: the bytes kept stay under the budget, and the
     * cache goes on keeping new answers once full (older ones make room). */
    for (i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "K%zu", i);
        put(c, HTTP_CACHE_STAFF, key, body, NULL, &e, (int64_t)i, -1);
        http_cache_stats(c, &st);
        assert_true(st.bytes <= budget);
    }
    assert_true(st.bytes > budget / 2);
    assert_true(get(c, HTTP_CACHE_STAFF, "K999", 2000, out, sizeof out, NULL));
    for (i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "K%zu", i);
        found += (size_t)get(c, HTTP_CACHE_STAFF, key, 2000, out, sizeof out, NULL);
    }
    assert_true(found > 64 && found <= budget / 2000);

    /* An answer larger than a sixteenth of the budget is not kept. */
    {
        size_t big = budget / 16 + 1;
        char *b = malloc(big + 1);
        memset(b, 'y', big);
        b[big] = '\0';
        put(c, HTTP_CACHE_STAFF, "BIG", b, NULL, &e, 0, -1);
        assert_false(get(c, HTTP_CACHE_STAFF, "BIG", 0, out, sizeof out, NULL));
        free(b);
    }
    http_cache_free(c);
}

/* Many more keys than one set holds: each lookup finds its own answer or nothing, never
 * another key's. */
static void test_many_keys(void **state)
{
    struct http_cache *c = http_cache_new(64 * MIB);
    char key[32], out[64];
    struct http_cache_view e = view(c);
    size_t i, found = 0, n = (size_t)HTTP_CACHE_SETS * 2;
    (void)state;
    for (i = 0; i < n; i++) {
        snprintf(key, sizeof key, "DEMO-%06zu", i);
        put(c, HTTP_CACHE_STAFF, key, key, NULL, &e, 0, -1);
    }
    for (i = 0; i < n; i++) {
        snprintf(key, sizeof key, "DEMO-%06zu", i);
        if (get(c, HTTP_CACHE_STAFF, key, 0, out, sizeof out, NULL)) {
            assert_string_equal(out, key);
            found++;
        }
    }
    /* Two keys a set on average in sets of four: almost all are kept. */
    assert_true(found > n * 9 / 10);
    http_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_and_namespaces),
        cmocka_unit_test(test_epoch),
        cmocka_unit_test(test_forget_key),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

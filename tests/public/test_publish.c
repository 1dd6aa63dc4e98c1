/* SPDX-License-Identifier: MIT
 * test_publish.c: the public renderers (src/app/publish.c) under every publication policy.
 * Issue 4 asks for proof that no non-public field ever appears in any public answer or export
 * for every policy setting; test_leak.sh proves it over HTTP for no field, each field alone
 * and all fields. This walks all 1,024 combinations of the ten fields through the JSON and CSV
 * renderers that every answer, export, snapshot and message goes through: each field's key and
 * sentinel value appear exactly when the policy publishes it, and the fields that are never
 * public (date of birth, the search key) never appear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "publish.h"

/* A field's sentinel in the rendered text, for fields whose value is distinctive. */
struct sentinel {
    unsigned bit;
    const char *json_key;  /* "\"key\":" */
    const char *value;     /* text that only this field's value contains */
};

static const struct sentinel sentinels[] = {
    {STORE_PUB_NAME, "\"name\":", "Sentinelname"},
    {STORE_PUB_BOOKING_NO, "\"booking_no\":", "SENTBOOK-77"},
    {STORE_PUB_BOOKING_DATE, "\"booking_date\":", "1999-01-02"},
    {STORE_PUB_CHARGES, "\"charges\":", "XQCITE"},
    {STORE_PUB_BAIL, "\"bail\":", "424242"},
    {STORE_PUB_NEXT_COURT_DATE, "\"next_court_date\":", "2033-03-03"},
    {STORE_PUB_FACILITY, "\"facility\":", "SENTFACILITY"},
    {STORE_PUB_CUSTODY_STATUS, "\"custody_status\":", NULL},
    {STORE_PUB_SCHEDULED_RELEASE, "\"scheduled_release\":", "2034-04-04"},
    {STORE_PUB_RECENTLY_RELEASED, "\"released_on\":", NULL},
};

/* Never public, whatever the policy. */
static const char *const never[] = {"1901-09-09", "sentinelnamekey", "date_of_birth", "name_key",
                                    "987654321"};

static void fill(struct store_public_row *r, struct store_public_charge *ch)
{
    memset(r, 0, sizeof *r);
    memset(ch, 0, sizeof *ch);
    ch->citation = "XQCITE 1";
    ch->status = "pending";
    r->booking_id = 987654321;
    r->booking_no = "SENTBOOK-77";
    r->name = "Sentinelname, Person";
    r->name_key = "sentinelnamekey";
    r->date_of_birth = "1901-09-09";
    r->booked_at = "1999-01-02T03:04:05Z";
    r->facility = "SENTFACILITY";
    r->status = "in_custody";
    r->scheduled_release = "2034-04-04T04:04:04Z";
    r->next_court_date = "2033-03-03";
    r->has_bail = 1;
    r->bail = 424242;
    r->charges = ch;
    r->ncharges = 1;
}

static void check_text(const char *what, const char *text, unsigned fields, int json)
{
    size_t i;
    for (i = 0; i < sizeof sentinels / sizeof sentinels[0]; i++) {
        const struct sentinel *s = &sentinels[i];
        int on = (fields & s->bit) != 0;
        if (json && (strstr(text, s->json_key) != NULL) != on)
            fail_msg("%s, policy %#x: key %s %s", what, fields, s->json_key,
                     on ? "missing" : "leaked");
        if (s->value != NULL && (strstr(text, s->value) != NULL) != on)
            fail_msg("%s, policy %#x: value %s %s", what, fields, s->value,
                     on ? "missing" : "leaked");
    }
    for (i = 0; i < sizeof never / sizeof never[0]; i++)
        if (strstr(text, never[i]) != NULL)
            fail_msg("%s, policy %#x: never-public %s leaked", what, fields, never[i]);
}

static void every_policy(void **state)
{
    static char mem[1 << 16];
    struct store_public_row r;
    struct store_public_charge ch;
    unsigned fields;
    (void)state;
    fill(&r, &ch);
    for (fields = 0; fields < (1u << PUBLISH_NFIELDS); fields++) {
        struct hc_buf b;
        hc_buf_init(&b, mem, sizeof mem - 1);
        publish_json(&b, &r, fields, NULL);
        assert_false(b.full);
        mem[b.len] = '\0';
        check_text("json", mem, fields, 1);
        hc_buf_init(&b, mem, sizeof mem - 1);
        publish_csv_header(&b, fields);
        publish_csv_row(&b, &r, fields, NULL);
        assert_false(b.full);
        mem[b.len] = '\0';
        check_text("csv", mem, fields, 0);
    }
}

/* The test can fail: a policy that publishes only the name must not show the facility. */
static void detects_a_leak(void **state)
{
    static char mem[4096];
    struct store_public_row r;
    struct store_public_charge ch;
    struct hc_buf b;
    (void)state;
    fill(&r, &ch);
    hc_buf_init(&b, mem, sizeof mem - 1);
    publish_json(&b, &r, STORE_PUB_NAME, NULL);
    mem[b.len] = '\0';
    assert_non_null(strstr(mem, "Sentinelname"));
    assert_null(strstr(mem, "SENTFACILITY"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_policy),
        cmocka_unit_test(detects_a_leak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

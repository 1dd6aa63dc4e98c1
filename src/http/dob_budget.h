/* SPDX-License-Identifier: MIT
 * dob_budget.h: how many public searches with a date of birth one last name gets a day, from
 * all clients together. A search by name and date of birth confirms a date someone already
 * knows (docs/public.md); a budget per address would not stop guessing the date from many
 * addresses, so the count is per name: after `per_day` searches with a date of birth for a
 * last name in a UTC day, further ones for that name are refused until the next day, whatever
 * the date asked and whether it would have matched, so the refusal says nothing of the date.
 *
 * The table is fixed-size (HTTP_DOB_ENTRIES names, set-associative, shared by the workers,
 * stripe.h): a name counted today is never forgotten to make room. A name whose set is full of
 * names counted today shares the set's own overflow count instead, with the same budget, so no
 * traffic of other names can give a name a fresh budget; the worst a flood of distinct names
 * can do is use up the overflow budget of its sets for the day. Days are the caller's (whole
 * days on any clock), so the rules can be tested without waiting. */
#ifndef HOLDCHECK_HTTP_DOB_BUDGET_H
#define HOLDCHECK_HTTP_DOB_BUDGET_H

#include <stdint.h>

#define HTTP_DOB_ENTRIES 16384
#define HTTP_DOB_PER_DAY_DEFAULT 20 /* the configuration's dob_searches_per_name */
#define HTTP_DOB_PER_DAY_MAX 100000

struct http_dob_budget;

/* A new, empty table allowing per_day (0..HTTP_DOB_PER_DAY_MAX; 0: no search by date of birth
 * at all) searches a name a day, or NULL when out of memory. Free with http_dob_budget_free
 * (NULL is fine). */
struct http_dob_budget *http_dob_budget_new(unsigned per_day);
void http_dob_budget_free(struct http_dob_budget *b);

/* Spend one search with a date of birth for the folded last name (hc_namekey_fold) on day.
 * Returns 1 when the search may be answered, 0 when the name's budget of that day is spent. */
int http_dob_budget_spend(struct http_dob_budget *b, const char *last, int64_t day);

#endif

/* SPDX-License-Identifier: MIT
 * render.h: a decision as the JSON of docs/case-format.md, or as plain language a detained
 * person can read. Both write into a bounded hc_buf; the caller checks b->full and retries with
 * a larger buffer (a decision is a few KiB; one with hundreds of convictions can be more). */
#ifndef HC_RENDER_H
#define HC_RENDER_H

#include "buf.h"
#include "case.h"
#include "catalog.h"
#include "engine.h"

/* Append the decision for c as one line of JSON (no trailing newline). */
void hc_render_json(const struct hc_catalog *cat, const struct hc_case *c,
                    const struct hc_decision *d, struct hc_buf *b);

/* Append the plain-language explanation paragraph (the JSON "explanation" value). */
void hc_render_explanation(const struct hc_catalog *cat, const struct hc_case *c,
                           const struct hc_decision *d, struct hc_buf *b);

/* Append the human-readable report printed by `holdcheck decide --explain`. */
void hc_render_text(const struct hc_catalog *cat, const struct hc_case *c,
                    const struct hc_decision *d, struct hc_buf *b);

/* "permitted", "permitted_with_conditions", "prohibited" or "review". */
const char *hc_outcome_name(int outcome);
/* "CA-2014-01-01", "CA-2017-01-01" or "CA-2018-01-01". */
const char *hc_ruleset_name(int ruleset);
/* The outcome whose hc_outcome_name is s, or -1 when none is (s may be NULL). */
int hc_outcome_from_name(const char *s);
/* The ruleset whose hc_ruleset_name is s, or -1 when none is (s may be NULL). */
int hc_ruleset_from_name(const char *s);
/* Append the citation of a basis entry, e.g. "Gov. Code § 7282.5(a)(3)(B)". */
void hc_render_basis(const struct hc_basis *bs, const struct hc_decision *d, const struct hc_case *c,
                     struct hc_buf *b);

#endif

/* SPDX-License-Identifier: MIT
 * trace.h: the agency settings of a decision's trace (docs/engine.md, "The trace"), written the
 * one way intake stores them and a replay compares them. The rest of the trace is the core's:
 * the ruleset (engine.h), hc_catalog_version (catalog.h) and HC_ENGINE_VERSION (engine.h). */
#ifndef HC_APP_TRACE_H
#define HC_APP_TRACE_H

/* The agency settings a decision is made under, as its trace stores them: a JSON object with
 * release_dates_public and personal_info_public (booleans), policy (the object policy_json
 * holds; "{}" when NULL) and, when settings_json is not NULL, settings (the interpretive
 * settings object it holds), as the case's `agency` member gives them to the engine. Canonical:
 * keys sorted at every level, no spaces, so two equal settings are the same text. Returns a
 * string the caller frees with free(), or NULL when policy_json or settings_json is not a JSON
 * object or memory runs out. */
char *trace_settings_json(int release_dates_public, int personal_info_public,
                          const char *policy_json, const char *settings_json);

#endif

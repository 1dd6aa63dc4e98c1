/* SPDX-License-Identifier: MIT
 * trace.c: the canonical text of the agency settings a decision was made under (trace.h). */
#include "trace.h"

#include <jansson.h>
#include <stddef.h>

/* The JSON object text s parsed, or NULL when it is not one. */
static json_t *object_of(const char *s)
{
    json_t *o = json_loads(s, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *trace_settings_json(int release_dates_public, int personal_info_public,
                          const char *policy_json, const char *settings_json)
{
    json_t *o = json_object(), *pol = object_of(policy_json ? policy_json : "{}"), *set = NULL;
    char *text = NULL;

    if (o == NULL || pol == NULL || (settings_json != NULL && (set = object_of(settings_json)) == NULL))
        goto out;
    json_object_set_new(o, "release_dates_public", json_boolean(release_dates_public));
    json_object_set_new(o, "personal_info_public", json_boolean(personal_info_public));
    json_object_set(o, "policy", pol);
    if (set != NULL)
        json_object_set(o, "settings", set);
    text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
out:
    json_decref(set);
    json_decref(pol);
    json_decref(o);
    return text;
}

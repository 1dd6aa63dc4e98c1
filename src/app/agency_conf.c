/* SPDX-License-Identifier: MIT
 * agency_conf.c: the defaults of the agency's settings (agency_conf.h) and the names of their
 * values. */
#include "agency_conf.h"

#include <stddef.h>
#include <string.h>

static const char *const intent_by_names[] = {"clerk", "supervisor"};

void agency_conf_defaults(struct agency_conf *c)
{
    memset(c, 0, sizeof *c);
    c->duplicate_window_hours = AGENCY_CONF_DUPLICATE_HOURS_DEFAULT;
    c->intent_by = AGENCY_INTENT_BY_CLERK;
    notice_clock_defaults(&c->clock);
}

const struct agency_conf *agency_conf_or_default(const struct agency_conf *c)
{
    static const struct agency_conf builtin = {
        .duplicate_window_hours = AGENCY_CONF_DUPLICATE_HOURS_DEFAULT,
        .intent_by = AGENCY_INTENT_BY_CLERK,
        .clock = {.receipt_hours = NOTICE_RECEIPT_HOURS_DEFAULT,
                  .promptly_hours = NOTICE_PROMPTLY_HOURS_DEFAULT},
    };
    return c != NULL ? c : &builtin;
}

const char *agency_intent_by_name(int v)
{
    return v >= 0 && v < (int)(sizeof intent_by_names / sizeof *intent_by_names)
               ? intent_by_names[v]
               : NULL;
}

int agency_intent_by_from_name(const char *s)
{
    int i;
    for (i = 0; i < (int)(sizeof intent_by_names / sizeof *intent_by_names); i++)
        if (strcmp(s, intent_by_names[i]) == 0)
            return i;
    return -1;
}

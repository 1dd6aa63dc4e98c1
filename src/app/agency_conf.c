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

int agency_phone_valid(const char *s)
{
    size_t i, n = strlen(s);
    int digits = 0;
    if (n == 0 || n > AGENCY_PHONE_MAX)
        return 0;
    if (!(s[0] == '+' || s[0] == '(' || (s[0] >= '0' && s[0] <= '9')))
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '+' ? i != 0 : strchr(" ()-.", s[i]) == NULL)
            return 0;
    }
    return digits >= 7 && digits <= 15;
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

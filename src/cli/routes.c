/* SPDX-License-Identifier: MIT
 * routes.c: `holdcheck routes` (hidden): print the HTTP routing table, one route a line as
 * "METHOD PATTERN ROLE,ROLE...", in table order. tests/http/test_roles.sh compares it with the
 * OpenAPI document and walks every route with every role. `routes --bodies` prints
 * "METHOD PATTERN json|empty|none" instead, for tests/http/test_badinput.sh. */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "http.h"

int cli_routes(int argc, char **argv)
{
    static const int order[] = {AUTH_PUBLIC, AUTH_CLERK, AUTH_SUPERVISOR, AUTH_AUDITOR,
                                AUTH_ADMIN};
    size_t i, k;
    int bodies = argc == 2 && strcmp(argv[1], "--bodies") == 0;
    if (argc != 1 && !bodies) {
        fputs("usage: holdcheck routes [--bodies]\n", stderr);
        return CLI_EXIT_USAGE;
    }
    for (i = 0; i < http_route_count(); i++) {
        const char *method, *pattern, *sep = "";
        int roles;
        http_route_get(i, &method, &pattern, &roles);
        if (bodies) {
            printf("%s %s %s\n", method, pattern, http_route_body(i));
            continue;
        }
        printf("%s %s ", method, pattern);
        for (k = 0; k < sizeof order / sizeof order[0]; k++)
            if (roles & order[k]) {
                printf("%s%s", sep, auth_role_name(order[k]));
                sep = ",";
            }
        putchar('\n');
    }
    return CLI_EXIT_OK;
}

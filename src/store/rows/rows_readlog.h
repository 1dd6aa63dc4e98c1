/* SPDX-License-Identifier: MIT
 * rows_readlog.h: the read-access log's entries and the filter of a query over them
 * (docs/operations.md, "Read-access log"). Types only: the operations are store_readlog.h's.
 * An entry is held in fixed arrays so that a server can queue it without allocating. */
#ifndef HC_ROWS_READLOG_H
#define HC_ROWS_READLOG_H

#include <stdint.h>

#define STORE_READ_NAME_LEN 65    /* a user's name (ident.h's limit) and its NUL */
#define STORE_READ_ROUTE_LEN 96   /* a route's pattern */
#define STORE_READ_OBJECT_LEN 128 /* the path parameter that names the object */
#define STORE_READ_QUERY_LEN 256  /* the query string, cut at this length */
#define STORE_READ_CLIENT_LEN 46  /* an IPv6 address as text (INET6_ADDRSTRLEN) */

/* One staff read. Strings are NUL-terminated; "" where there is none (object, query). */
struct store_read_entry {
    int64_t id;                        /* set when read back; ignored when appended */
    char at[21];                       /* when, "YYYY-MM-DDTHH:MM:SSZ" (UTC) */
    int64_t user_id;
    char user_name[STORE_READ_NAME_LEN];
    char role[16];                     /* "clerk", "supervisor", "auditor", "admin" */
    char method[8];                    /* "GET" */
    char route[STORE_READ_ROUTE_LEN];  /* the route's pattern, "/api/v1/people/{id}" */
    char kind[16];                     /* what was read: "person", "booking", ... */
    char object[STORE_READ_OBJECT_LEN]; /* the path parameter as sent, "" for a list */
    char query[STORE_READ_QUERY_LEN];  /* the query string as sent (percent-encoded), "" none */
    char client[STORE_READ_CLIENT_LEN]; /* the client's address */
    int status;                        /* the answer's HTTP status */
};

/* Which entries a query returns: each member narrows it; NULL (0 for after) leaves it open.
 * from and to are UTC times "YYYY-MM-DDTHH:MM:SSZ", [from, to). */
struct store_read_filter {
    const char *user_name;
    const char *from, *to;
    const char *kind;
    const char *object;
    int64_t after; /* only entries with a larger id (the cursor) */
    int limit;     /* 1..1000 */
};

#endif

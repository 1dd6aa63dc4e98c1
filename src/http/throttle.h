/* SPDX-License-Identifier: MIT
 * throttle.h: how many times a login may fail before the server stops checking passwords for a
 * while. Two counters decide: one per user name (a guess at one account from many addresses)
 * and one per client address (many names from one address). After HTTP_THROTTLE_NAME_FAILS
 * failures of a name, or HTTP_THROTTLE_ADDR_FAILS from an address, within
 * HTTP_THROTTLE_WINDOW_S seconds, attempts are refused for HTTP_THROTTLE_LOCK_S seconds,
 * doubling with each failure past the threshold up to HTTP_THROTTLE_LOCK_MAX_S. A successful
 * login clears its name's counter (not the address's: a shared office address keeps its
 * count). A refused attempt costs no password check, so a flood cannot tie up the loops in
 * argon2id either.
 *
 * The tables (names, addresses: HTTP_THROTTLE_ENTRIES each) are fixed-size, shared by the
 * workers, one mutex: login is rare and argon2id takes far longer than the lock is held. A
 * name that is locked or counting is never forgotten to make room, whatever other traffic
 * does; when its set is full, names without an entry there are refused instead (throttle.c).
 * Time is the caller's (seconds on any monotonic clock), so the rules can be tested without
 * waiting. */
#ifndef HOLDCHECK_HTTP_THROTTLE_H
#define HOLDCHECK_HTTP_THROTTLE_H

#include <stdint.h>

#define HTTP_THROTTLE_NAME_FAILS 5
#define HTTP_THROTTLE_ADDR_FAILS 20
#define HTTP_THROTTLE_WINDOW_S 900
#define HTTP_THROTTLE_LOCK_S 60
#define HTTP_THROTTLE_LOCK_MAX_S 900
#define HTTP_THROTTLE_ENTRIES 4096

struct http_throttle;

/* A new, empty table, or NULL when out of memory. Free with http_throttle_free (NULL is fine). */
struct http_throttle *http_throttle_new(void);
void http_throttle_free(struct http_throttle *t);

/* 0 when a login for name from the client whose address key is addr (16 bytes, as
 * http__client_key makes it) may be checked at time now; otherwise the seconds to wait. */
int64_t http_throttle_check(struct http_throttle *t, const unsigned char addr[16],
                            const char *name, int64_t now);

/* Count a failed login (wrong name or password, disabled user) of name from addr at now.
 * Returns the seconds the next attempt must wait (0 when it need not). */
int64_t http_throttle_fail(struct http_throttle *t, const unsigned char addr[16],
                           const char *name, int64_t now);

/* A successful login of name: forget its failures. */
void http_throttle_ok(struct http_throttle *t, const char *name);

#endif

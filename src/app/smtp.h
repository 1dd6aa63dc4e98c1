/* SPDX-License-Identifier: MIT
 * smtp.h: a small SMTP client (RFC 5321) for the delivery thread: one message to one
 * recipient through a relay, on a blocking socket with a deadline. Plain SMTP only (no
 * STARTTLS, no AUTH): meant for a relay on loopback or a trusted network (docs/public.md). */
#ifndef HC_SMTP_H
#define HC_SMTP_H

#include <stddef.h>

enum smtp_result {
    SMTP_SENT = 0,      /* the relay answered 250 to the end of the message */
    SMTP_TEMPORARY = 1, /* try again later: no connection, timeout, a 4xx answer */
    SMTP_PERMANENT = 2  /* a 5xx answer: retrying will not help */
};

/* Send msg[0..len) (headers, an empty line and the body; lines end in CRLF; the client does
 * the dot-stuffing and the final ".") from `from` to `to` through relay "HOST:PORT", saying
 * EHLO helo, within timeout_ms in all. err gets the reason of a failure (the relay's answer
 * when there is one). Thread-safe: no state outside the call. */
enum smtp_result smtp_send(const char *relay, const char *helo, const char *from, const char *to,
                           const char *msg, size_t len, int timeout_ms, char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: MIT
 * smtp.c: the SMTP client of smtp.h. One connection per message: greeting, EHLO (HELO when
 * EHLO is refused), MAIL FROM (with BODY=8BITMIME when offered), RCPT TO, DATA, the
 * dot-stuffed message, QUIT. A message counts as sent once the relay says 250 after the final
 * "."; the delivery thread records that at once (docs/public.md, "Delivery guarantee"). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "netio.h"
#include "smtp.h"

struct conn {
    int fd;
    int64_t deadline;
    char buf[4096]; /* received, not yet consumed */
    size_t len;
    char *err;
    size_t errlen;
};

/* Read one reply (all its lines) into line (the last line, NUL-terminated); returns its code,
 * or -1. ext gets whether any line of it offers 8BITMIME. */
static int reply(struct conn *c, char *line, size_t n, int *ext8)
{
    for (;;) {
        char *nl = memchr(c->buf, '\n', c->len);
        if (nl != NULL) {
            size_t ll = (size_t)(nl - c->buf) + 1, k = ll - 1;
            int code, more;
            if (k > 0 && c->buf[k - 1] == '\r')
                k--;
            if (k < 3 || c->buf[0] < '2' || c->buf[0] > '5') {
                snprintf(c->err, c->errlen, "bad reply from the relay");
                return -1;
            }
            code = (c->buf[0] - '0') * 100 + (c->buf[1] - '0') * 10 + (c->buf[2] - '0');
            more = k > 3 && c->buf[3] == '-';
            if (ext8 != NULL && k >= 12 && memcmp(c->buf + 4, "8BITMIME", 8) == 0)
                *ext8 = 1;
            snprintf(line, n, "%.*s", (int)k, c->buf);
            memmove(c->buf, c->buf + ll, c->len - ll);
            c->len -= ll;
            if (!more)
                return code;
            continue;
        }
        if (c->len == sizeof c->buf) {
            snprintf(c->err, c->errlen, "reply line too long");
            return -1;
        }
        {
            long r = netio_read(c->fd, c->buf + c->len, sizeof c->buf - c->len, c->deadline,
                                c->err, c->errlen);
            if (r <= 0) {
                if (r == 0)
                    snprintf(c->err, c->errlen, "the relay closed the connection");
                return -1;
            }
            c->len += (size_t)r;
        }
    }
}

/* Send a command line and read its reply; returns the code or -1. */
static int command(struct conn *c, const char *cmd, char *line, size_t n, int *ext8)
{
    if (netio_write_all(c->fd, cmd, strlen(cmd), c->deadline, c->err, c->errlen) != 0)
        return -1;
    return reply(c, line, n, ext8);
}

/* Classify a refusal: 4xx temporary, 5xx permanent; the reply becomes the error. */
static enum smtp_result refused(struct conn *c, int code, const char *what, const char *line)
{
    if (code < 0)
        return SMTP_TEMPORARY;
    /* The code only: a relay's text may quote the recipient, which stays confidential. */
    snprintf(c->err, c->errlen, "%s refused: %.3s", what, line);
    return code >= 500 ? SMTP_PERMANENT : SMTP_TEMPORARY;
}

/* Write the message with dot-stuffing: a line starting with '.' gets another. */
static int write_data(struct conn *c, const char *msg, size_t len)
{
    size_t i = 0, start = 0;
    int bol = 1;
    for (i = 0; i < len; i++) {
        if (bol && msg[i] == '.') {
            if (netio_write_all(c->fd, msg + start, i - start, c->deadline, c->err, c->errlen) ||
                netio_write_all(c->fd, ".", 1, c->deadline, c->err, c->errlen))
                return -1;
            start = i;
        }
        bol = msg[i] == '\n';
    }
    if (netio_write_all(c->fd, msg + start, len - start, c->deadline, c->err, c->errlen))
        return -1;
    if (len < 2 || msg[len - 2] != '\r' || msg[len - 1] != '\n')
        if (netio_write_all(c->fd, "\r\n", 2, c->deadline, c->err, c->errlen))
            return -1;
    return netio_write_all(c->fd, ".\r\n", 3, c->deadline, c->err, c->errlen);
}

enum smtp_result smtp_send(const char *relay, const char *helo, const char *from, const char *to,
                           const char *msg, size_t len, int timeout_ms, char *err, size_t errlen)
{
    struct conn c;
    char host[256], line[512], cmd[600];
    int port, code, ext8 = 0;
    enum smtp_result r = SMTP_TEMPORARY;

    memset(&c, 0, sizeof c);
    c.err = err;
    c.errlen = errlen;
    c.deadline = hc_clock_mono_ms() + timeout_ms;
    if (strpbrk(from, "\r\n<>") != NULL || strpbrk(to, "\r\n<>") != NULL) {
        snprintf(err, errlen, "bad address");
        return SMTP_PERMANENT;
    }
    if (netio_split_hostport(relay, host, sizeof host, 1, &port) != 0) {
        snprintf(err, errlen, "bad smtp_relay '%s': expected HOST:PORT", relay);
        return SMTP_TEMPORARY;
    }
    /* The relay is the operator's own: loopback and private addresses are expected. */
    if ((c.fd = netio_connect(host, port, 1, c.deadline, err, errlen)) < 0)
        return SMTP_TEMPORARY;
    if ((code = reply(&c, line, sizeof line, NULL)) != 220) {
        r = refused(&c, code, "greeting", line);
        goto out;
    }
    snprintf(cmd, sizeof cmd, "EHLO %s\r\n", helo);
    if ((code = command(&c, cmd, line, sizeof line, &ext8)) != 250) {
        if (code < 0)
            goto out;
        ext8 = 0;
        snprintf(cmd, sizeof cmd, "HELO %s\r\n", helo);
        if ((code = command(&c, cmd, line, sizeof line, NULL)) != 250) {
            r = refused(&c, code, "HELO", line);
            goto out;
        }
    }
    snprintf(cmd, sizeof cmd, "MAIL FROM:<%s>%s\r\n", from, ext8 ? " BODY=8BITMIME" : "");
    if ((code = command(&c, cmd, line, sizeof line, NULL)) != 250) {
        r = refused(&c, code, "MAIL FROM", line);
        goto out;
    }
    snprintf(cmd, sizeof cmd, "RCPT TO:<%s>\r\n", to);
    if ((code = command(&c, cmd, line, sizeof line, NULL)) != 250 && code != 251) {
        r = refused(&c, code, "RCPT TO", line);
        goto out;
    }
    if ((code = command(&c, "DATA\r\n", line, sizeof line, NULL)) != 354) {
        r = refused(&c, code, "DATA", line);
        goto out;
    }
    if (write_data(&c, msg, len) != 0)
        goto out;
    if ((code = reply(&c, line, sizeof line, NULL)) != 250) {
        r = refused(&c, code, "the message", line);
        goto out;
    }
    r = SMTP_SENT;
    /* The message is accepted; QUIT is a courtesy and its answer does not matter. */
    netio_write_all(c.fd, "QUIT\r\n", 6, c.deadline, line, sizeof line);
out:
    close(c.fd);
    return r;
}

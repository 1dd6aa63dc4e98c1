/* SPDX-License-Identifier: MIT
 * netio.c: blocking TCP with deadlines (netio.h). Sockets are non-blocking underneath and
 * every wait is a poll() bounded by the caller's deadline. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "netio.h"
#include "url.h"

/* Wait for events on fd until the deadline: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, int64_t deadline_ms)
{
    for (;;) {
        struct pollfd p = {fd, events, 0};
        int64_t left = deadline_ms - hc_clock_mono_ms();
        int r;
        if (left <= 0)
            return 0;
        r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (r > 0)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

static int private_addr(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        return hc_ipv4_private(
            (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr);
    }
    if (sa->sa_family == AF_INET6) {
        const unsigned char *a = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
        static const unsigned char zero[16];
        static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(a, v4mapped, 12) == 0)
            return hc_ipv4_private(a + 12);
        return memcmp(a, zero, 15) == 0 /* :: and ::1 */ || (a[0] & 0xfe) == 0xfc /* fc00::/7 */ ||
               (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) /* fe80::/10 */ || a[0] == 0xff;
    }
    return 1;
}

int netio_connect(const char *host, int port, int allow_private, int64_t deadline_ms, char *err,
                  size_t errlen)
{
    struct addrinfo hints, *res = NULL, *ai;
    char portstr[8];
    int fd = -1, rc, refused = 0;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(portstr, sizeof portstr, "%d", port);
    if ((rc = getaddrinfo(host, portstr, &hints, &res)) != 0) {
        snprintf(err, errlen, "cannot resolve the host: %s", gai_strerror(rc));
        return -1;
    }
    snprintf(err, errlen, "cannot connect");
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (!allow_private && private_addr(ai->ai_addr)) {
            refused = 1;
            continue;
        }
        fd = socket(ai->ai_family, SOCK_STREAM, 0);
        if (fd < 0)
            continue;
        fcntl(fd, F_SETFL, O_NONBLOCK);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        if (errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline_ms) == 1 &&
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
            break;
        snprintf(err, errlen, "cannot connect: %s", soerr ? strerror(soerr) : "timed out");
        close(fd);
        fd = -1;
    }
    if (fd < 0 && refused)
        snprintf(err, errlen, "the host resolves to a loopback or private address, which this "
                 "server does not deliver to");
    freeaddrinfo(res);
    return fd;
}

int netio_write_all(int fd, const void *p, size_t n, int64_t deadline_ms, char *err,
                    size_t errlen)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w > 0) {
            c += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            snprintf(err, errlen, "write: %s", strerror(errno));
            return -1;
        }
        if (wait_fd(fd, POLLOUT, deadline_ms) != 1) {
            snprintf(err, errlen, "write timed out");
            return -1;
        }
    }
    return 0;
}

long netio_read(int fd, void *p, size_t n, int64_t deadline_ms, char *err, size_t errlen)
{
    for (;;) {
        ssize_t r = recv(fd, p, n, 0);
        if (r >= 0)
            return (long)r;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            snprintf(err, errlen, "read: %s", strerror(errno));
            return -1;
        }
        if (wait_fd(fd, POLLIN, deadline_ms) != 1) {
            snprintf(err, errlen, "no answer in time");
            return -1;
        }
    }
}

int netio_split_hostport(const char *s, char *host, size_t hostlen, int min_port, int *port)
{
    const char *h = s, *he, *colon;
    char *end;
    long p;
    if (s[0] == '[') {
        h = s + 1;
        he = strchr(h, ']');
        if (he == NULL || he[1] != ':')
            return -1;
        colon = he + 1;
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL)
            return -1;
        he = colon;
    }
    if (he == h || (size_t)(he - h) >= hostlen)
        return -1;
    errno = 0;
    p = strtol(colon + 1, &end, 10);
    if (errno != 0 || *end != '\0' || colon[1] == '\0' || p < min_port || p > 65535)
        return -1;
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    *port = (int)p;
    return 0;
}

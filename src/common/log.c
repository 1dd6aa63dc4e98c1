/* SPDX-License-Identifier: MIT
 * log.c: the one log (log.h). */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"

static atomic_int log_fd = 2;

void hc_log_set_fd(int fd)
{
    atomic_store(&log_fd, fd);
}

void hc_log(enum hc_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error: ", "warning: ", ""};
    char line[1200];
    int n, fd = atomic_load(&log_fd);
    va_list ap;

    if (fd < 0)
        return;
    n = snprintf(line, sizeof line, "holdcheck: %s", names[level]);
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    if (write(fd, line, (size_t)n) < 0) {
        /* nowhere left to say it */
    }
}

/* SPDX-License-Identifier: MIT
 * log.h: the one log. Layers below the CLI never write to stderr themselves: they call hc_log,
 * which writes one line "holdcheck: LEVEL: message" to the process's log (stderr unless
 * hc_log_set_sink says otherwise). A line is written whole with one write, so lines from
 * several threads do not interleave. Core does not log. */
#ifndef HC_LOG_H
#define HC_LOG_H

enum hc_log_level { HC_LOG_ERROR, HC_LOG_WARN, HC_LOG_INFO };

/* Write one line, printf-style. A message over 1 KiB is cut. */
void hc_log(enum hc_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Send lines to fd instead of stderr (2); -1 drops them. For tests and daemons. */
void hc_log_set_fd(int fd);

#endif

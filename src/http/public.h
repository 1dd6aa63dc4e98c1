/* SPDX-License-Identifier: MIT
 * public.h: the public portal's HTTP side (portal.c and the route files it lists): its routes (in
 * routes.c with the others), its start and stop around http_serve, and the embedded
 * files of the public web page. Shared inside src/http and with the generated web_data.c. */
#ifndef HC_HTTP_PUBLIC_H
#define HC_HTTP_PUBLIC_H

#include <stddef.h>

#include "memfile.h"
#include "err.h"
#include "http.h"

/* The files of web/public, embedded by tools/embed.sh. */
extern const struct hc_memfile http_web_files[]; /* sorted by path */
extern const size_t http_web_files_n;

/* Set up what the public routes share across worker threads: the configuration, the
 * per-client rate limiter, the key that seals search cursors, the page's ETags. Call once
 * before the workers start; cfg must outlive http_public_stop. Returns 0, or HC_ENOMEM /
 * HC_EIO with d set. */
int http_public_start(const struct http_config *cfg, struct hc_diag *d);

/* Free what http_public_start set up, after the workers stopped. */
void http_public_stop(void);

#endif

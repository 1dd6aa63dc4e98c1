/* SPDX-License-Identifier: MIT
 * fuzz_policy.c: libFuzzer target for the settings file of `holdcheck replay --policy FILE`
 * (replay_check's reading of replay_opts.settings, src/app/replay.h): a JSON object of agency
 * settings that an analyst writes or is sent, read with jansson and then by the case reader.
 *
 * The input is the file's text, NUL-terminated in an exact-size buffer. Checked:
 *   - the result is 0, or HC_EINVAL with a message (field and message NUL-terminated);
 *   - reading is deterministic, the same message for the same text;
 *   - nothing leaks (LeakSanitizer).
 * A broken property is reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(const char *what)
{
    fprintf(stderr, "fuzz_policy: contract broken: %s\n", what);
    __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct replay_opts o;
    struct hc_diag d, d2;
    char *text;
    int rc, rc2;

    if (size > 65536)
        return 0;
    if ((text = malloc(size + 1)) == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&o, 0, sizeof o);
    o.from = "2024-01-01";
    o.to = "2024-12-31";
    o.settings = text;
    hc_diag_clear(&d);
    rc = replay_check(&o, &d);
    if (rc != HC_OK && (rc != HC_EINVAL || d.msg[0] == '\0' ||
                        memchr(d.msg, '\0', sizeof d.msg) == NULL ||
                        memchr(d.field, '\0', sizeof d.field) == NULL))
        contract("an error other than HC_EINVAL, or one without a message");
    hc_diag_clear(&d2);
    rc2 = replay_check(&o, &d2);
    if (rc2 != rc || (rc != HC_OK && (strcmp(d.msg, d2.msg) != 0 ||
                                      strcmp(d.field, d2.field) != 0)))
        contract("not deterministic");
    free(text);
    return 0;
}

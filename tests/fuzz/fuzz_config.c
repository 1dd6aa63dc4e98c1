/* SPDX-License-Identifier: MIT
 * fuzz_config.c: libFuzzer target for the configuration file reader of `holdcheck serve`
 * (cli_config_read_file, src/cli/config.h), which reads a file an operator (or whoever could
 * write to it) wrote, every value checked by the validator of its key.
 *
 * The input is the file, read from a memory file. Checked:
 *   - the result is 0, or HC_EINVAL with a message and the line (at least 1) it is about;
 *   - on 0: the effective configuration printed (cli_config_print) reads back as the same
 *     configuration, value for value;
 *   - reading is deterministic;
 *   - nothing leaks (cli_config_release frees what the file set; LeakSanitizer checks).
 * A broken property is reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(const char *what)
{
    fprintf(stderr, "fuzz_config: contract broken: %s\n", what);
    __builtin_trap();
}

/* Read data[0..size) as a configuration file into c, through memory file number slot. */
static int read_config(int slot, const void *data, size_t size, struct cli_config *c,
                       struct hc_diag *d)
{
    static int fds[2] = {-1, -1};
    char path[64];
    int fd = fds[slot];
    if (fd < 0 && (fd = fds[slot] = memfd_create("fuzz_config", 0)) < 0)
        abort();
    if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    cli_config_init(c);
    return cli_config_read_file(c, path, "fuzz", d);
}

static int same(const struct cli_config *a, const struct cli_config *b)
{
    int k;
    for (k = 0; k < CLI_CFG_NKEYS; k++) {
        const struct cli_config_value *x = &a->v[k], *y = &b->v[k];
        if ((x->str == NULL) != (y->str == NULL) || x->num != y->num ||
            (x->str != NULL && strcmp(x->str, y->str) != 0))
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cli_config a, b;
    struct hc_diag d, d2;
    char *printed = NULL;
    size_t plen = 0;
    FILE *out;
    int rc, rc2;

    if (size > 3 * CLI_CONFIG_LINE_MAX)
        return 0;
    rc = read_config(0, data, size, &a, &d);
    if (rc != HC_OK && (rc != HC_EINVAL || d.msg[0] == '\0' || d.line < 1))
        contract("an error other than HC_EINVAL, or one without a message or a line");
    rc2 = read_config(1, data, size, &b, &d2);
    if (rc2 != rc || (rc == HC_OK && !same(&a, &b)) ||
        (rc != HC_OK && (d.line != d2.line || strcmp(d.msg, d2.msg) != 0 ||
                         strcmp(d.field, d2.field) != 0)))
        contract("not deterministic");
    cli_config_release(&b);
    if (rc == HC_OK) {
        if ((out = open_memstream(&printed, &plen)) == NULL)
            abort();
        cli_config_print(&a, out);
        fclose(out);
        if (read_config(1, printed, plen, &b, &d2) != HC_OK) {
            fprintf(stderr, "%s\nline %d: %s: %s\n", printed, d2.line, d2.field, d2.msg);
            contract("the printed configuration does not read back");
        }
        if (!same(&a, &b))
            contract("the printed configuration reads back otherwise");
        cli_config_release(&b);
        free(printed);
    }
    cli_config_release(&a);
    return 0;
}

/* SPDX-License-Identifier: MIT
 * fuzz_csv.c: libFuzzer target for the CSV record reader of `holdcheck import`
 * (import_csv_next, src/cli/import_csv.h), which reads every CSV file a jail management system
 * exports.
 *
 * The input is a whole file, read through a memory file with a 7-byte read buffer, so that
 * records, quotes and CRLF pairs straddle refills. Checked:
 *   - the reader ends (at most one record per input byte plus one) with 0, never an error;
 *   - every record: at least one field, offsets rising inside the record, each kept field
 *     NUL-terminated where the next begins, the record's first line not before the previous
 *     record's last;
 *   - a record without a structural error reads back the same when written again with every
 *     field quoted (quotes doubled), alone in a file;
 *   - reading is deterministic (the same records from a reader with a 4 KiB buffer).
 * A broken property is reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "import_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(const char *what)
{
    fprintf(stderr, "fuzz_csv: contract broken: %s\n", what);
    __builtin_trap();
}

/* Memory file number slot (0..2), holding data[0..size), at offset 0. */
static int mem_file(int slot, const void *data, size_t size)
{
    static int fds[3] = {-1, -1, -1};
    int fd = fds[slot];
    if (fd < 0 && (fd = fds[slot] = memfd_create("fuzz_csv", 0)) < 0)
        abort();
    if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size) ||
        lseek(fd, 0, SEEK_SET) != 0)
        abort();
    return fd;
}

struct side {
    struct import_reader r;
    struct import_csv c;
    char buf[4096];
};

static void side_open(struct side *s, int fd, size_t cap, char *row)
{
    memset(&s->r, 0, sizeof s->r);
    memset(&s->c, 0, sizeof s->c);
    s->r.fd = fd;
    s->r.buf = s->buf;
    s->r.cap = cap;
    s->c.row = row;
}

static void check_record(const struct import_csv *c)
{
    int i, kept = c->nfld < IMPORT_MAX_FIELDS ? c->nfld : IMPORT_MAX_FIELDS;
    if (c->nfld < 1 || c->off[0] != 0)
        contract("a record without a field");
    for (i = 0; i < kept; i++) {
        if (c->off[i + 1] <= c->off[i] || c->off[i + 1] > c->rowlen)
            contract("field offsets not rising inside the record");
        if (c->row[c->off[i + 1] - 1] != '\0')
            contract("a field not NUL-terminated where the next begins");
    }
    if (c->rowlen > IMPORT_ROW_BYTES)
        contract("a record past its buffer");
}

/* Write record c again with every field quoted into out; its length. */
static size_t quote_again(const struct import_csv *c, char *out)
{
    size_t o = 0, k;
    int i;
    for (i = 0; i < c->nfld; i++) {
        const char *f = c->row + c->off[i];
        size_t n = c->off[i + 1] - c->off[i] - 1;
        if (i)
            out[o++] = ',';
        out[o++] = '"';
        for (k = 0; k < n; k++) {
            if (f[k] == '"')
                out[o++] = '"';
            out[o++] = f[k];
        }
        out[o++] = '"';
    }
    out[o++] = '\n';
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char row_a[IMPORT_ROW_BYTES], row_b[IMPORT_ROW_BYTES], row_c[IMPORT_ROW_BYTES];
    static char again[2 * 8192 + IMPORT_MAX_FIELDS * 3 + 2];
    static struct side a, b, c;
    size_t records = 0;
    long last_line = 0;
    int ra, rb;

    if (size > 8192)
        return 0;
    side_open(&a, mem_file(0, data, size), 7, row_a);
    for (;;) {
        ra = import_csv_next(&a.r, &a.c);
        if (ra < 0)
            contract("an error reading memory");
        if (ra == 0)
            break;
        if (++records > size + 1)
            contract("more records than bytes");
        check_record(&a.c);
        if (a.c.rec_line <= last_line || a.c.line < a.c.rec_line - 1)
            contract("line numbers going backwards");
        last_line = a.c.line;
        if (a.c.err == NULL && a.c.nfld <= IMPORT_MAX_FIELDS) {
            size_t n = quote_again(&a.c, again);
            int i;
            side_open(&c, mem_file(2, again, n), sizeof c.buf, row_c);
            if (import_csv_next(&c.r, &c.c) != 1 || c.c.err != NULL || c.c.nfld != a.c.nfld ||
                c.c.rowlen != a.c.rowlen || memcmp(c.c.row, a.c.row, a.c.rowlen) != 0)
                contract("a record written again with quotes reads otherwise");
            for (i = 0; i < a.c.nfld; i++)
                if (!c.c.quoted[i])
                    contract("a quoted field not marked quoted");
            if (import_csv_next(&c.r, &c.c) != 0)
                contract("one record written again reads as more");
        }
    }
    /* The same records again, through a 4 KiB buffer and the 7-byte one in step. */
    side_open(&a, mem_file(0, data, size), 7, row_a);
    side_open(&b, mem_file(1, data, size), sizeof b.buf, row_b);
    do {
        ra = import_csv_next(&a.r, &a.c);
        rb = import_csv_next(&b.r, &b.c);
        if (ra != rb || (ra == 1 && (a.c.nfld != b.c.nfld || a.c.rowlen != b.c.rowlen ||
                                     a.c.err != b.c.err || a.c.rec_line != b.c.rec_line ||
                                     memcmp(a.c.row, b.c.row, a.c.rowlen) != 0)))
            contract("the records differ with the size of the read buffer");
    } while (ra == 1);
    return 0;
}

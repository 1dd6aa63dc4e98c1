/* SPDX-License-Identifier: MIT
 * import_csv.c: the byte reader and the CSV record reader of `holdcheck import`
 * (import_csv.h). */
#include <errno.h>
#include <unistd.h>

#include "import_csv.h"

int import_rd_fill(struct import_reader *r)
{
    ssize_t n;
    if (r->eof || r->err)
        return 0;
    r->consumed += r->len;
    r->pos = r->len = 0;
    do
        n = read(r->fd, r->buf, r->cap);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        r->err = errno;
        return 0;
    }
    if (n == 0) {
        r->eof = 1;
        return 0;
    }
    r->len = (size_t)n;
    return 1;
}

/* Append byte ch to the record; 0, or -1 when the record is longer than IMPORT_ROW_MAX. */
static inline int row_put(struct import_csv *c, int ch)
{
    if (c->rowlen >= IMPORT_ROW_MAX)
        return -1;
    c->row[c->rowlen++] = (char)ch;
    return 0;
}

static inline void field_end(struct import_csv *c, int quoted)
{
    /* Fields past IMPORT_MAX_FIELDS are counted but share the last slot. */
    int i = c->nfld < IMPORT_MAX_FIELDS ? c->nfld : IMPORT_MAX_FIELDS;
    c->row[c->rowlen++] = '\0'; /* room is kept: IMPORT_ROW_BYTES */
    c->quoted[i] = quoted;
    c->nfld++;
    if (c->nfld <= IMPORT_MAX_FIELDS)
        c->off[c->nfld] = c->rowlen;
    else
        c->rowlen = c->off[IMPORT_MAX_FIELDS]; /* drop the text of surplus fields */
}

int import_csv_next(struct import_reader *r, struct import_csv *c)
{
    enum { START, PLAIN, QUOTED, QUOTE_SEEN } state;
    int ch, quoted;

again:
    state = START;
    quoted = 0;
    c->rowlen = 0;
    c->nfld = 0;
    c->off[0] = 0;
    c->err = NULL;
    c->rec_line = c->line + 1;
    ch = import_rd_getc(r);
    if (ch < 0)
        goto eof;
    for (;; ch = import_rd_getc(r)) {
        if (ch < 0)
            goto eof;
        if (ch == '\n')
            c->line++;
        switch (state) {
        case START:
            quoted = 0;
            if (ch == '"') {
                state = QUOTED;
                quoted = 1;
                continue;
            }
            /* fall through */
        case PLAIN:
        case QUOTE_SEEN:
            if (ch == '"' && state == QUOTE_SEEN) {
                state = QUOTED; /* a doubled quote stands for one */
                break;
            }
            if (ch == ',') {
                field_end(c, quoted);
                state = START;
                continue;
            }
            if (ch == '\n')
                goto record;
            if (ch == '\r' && import_rd_peek(r) == '\n')
                continue;
            if (c->err == NULL && state == QUOTE_SEEN)
                c->err = "text after the closing quote of a field";
            else if (c->err == NULL && ch == '"')
                c->err = "a quote inside an unquoted field (quote the whole field and double "
                         "the quote)";
            state = PLAIN;
            break;
        case QUOTED:
            if (ch == '"') {
                state = QUOTE_SEEN;
                continue;
            }
            break;
        }
        if (row_put(c, ch) != 0)
            return IMPORT_CSV_ETOOLONG;
    }
eof:
    if (r->err)
        return IMPORT_CSV_EREAD;
    if (state == START && c->nfld == 0 && c->rowlen == 0)
        return 0; /* the file ended after a line break */
    if (state == QUOTED) {
        c->err = "a quoted field is never closed (a missing quote?)";
        c->line++; /* count the unterminated last line */
    }
record:
    field_end(c, quoted);
    if (c->nfld == 1 && c->rowlen == 1 && !c->quoted[0])
        goto again; /* a blank line */
    return 1;
}

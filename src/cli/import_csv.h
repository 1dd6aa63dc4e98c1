/* SPDX-License-Identifier: MIT
 * import_csv.h: the buffered byte reader and the CSV (RFC 4180) record reader of `holdcheck
 * import` (import.c), apart from any database so that they can be tested and fuzzed on their
 * own (tests/fuzz/fuzz_csv.c). */
#ifndef HC_CLI_IMPORT_CSV_H
#define HC_CLI_IMPORT_CSV_H

#include <stddef.h>
#include <stdint.h>

#define IMPORT_ROW_MAX ((size_t)1 << 20) /* one record (CSV row or JSON line), decoded */
#define IMPORT_MAX_FIELDS 64             /* fields of a record kept apart; more are counted */
/* Bytes a record buffer needs: the text, a NUL after each kept field, and one more. */
#define IMPORT_ROW_BYTES (IMPORT_ROW_MAX + IMPORT_MAX_FIELDS + 2)

/* Bytes of a file read cap at a time into buf (owned by the caller) from fd. */
struct import_reader {
    int fd;
    char *buf;
    size_t cap;
    size_t len, pos;   /* valid bytes, next byte */
    int eof, err;      /* end of file seen; errno of a failed read */
    uint64_t consumed; /* bytes handed out before buf[0], for progress */
};

/* Refill r's buffer. 1 with bytes, 0 at the end of the file or after an error (r->err). */
int import_rd_fill(struct import_reader *r);

/* The next byte of r as 0..255 and past it (getc), or only look at it (peek); -1 at the end
 * of the file or after an error. */
static inline int import_rd_getc(struct import_reader *r)
{
    if (r->pos == r->len && !import_rd_fill(r))
        return -1;
    return (unsigned char)r->buf[r->pos++];
}

static inline int import_rd_peek(struct import_reader *r)
{
    if (r->pos == r->len && !import_rd_fill(r))
        return -1;
    return (unsigned char)r->buf[r->pos];
}

/* Bytes of the file handed out so far. */
static inline uint64_t import_rd_offset(const struct import_reader *r)
{
    return r->consumed + r->pos;
}

/* One CSV record: field i (i < nfld and i < IMPORT_MAX_FIELDS) is the NUL-terminated text at
 * row + off[i], off[i + 1] - off[i] - 1 bytes long (it may hold NUL bytes of the file, which
 * the caller refuses), quoted[i] when it was written in quotes. Fields past IMPORT_MAX_FIELDS
 * are counted in nfld and their text dropped. */
struct import_csv {
    char *row;           /* IMPORT_ROW_BYTES, owned by the caller */
    size_t rowlen;
    size_t off[IMPORT_MAX_FIELDS + 1];
    int quoted[IMPORT_MAX_FIELDS + 1];
    int nfld;
    const char *err;     /* a structural error of the record (static text), or NULL */
    long line;           /* physical lines read so far */
    long rec_line;       /* the line the record starts on */
};

enum {
    IMPORT_CSV_EREAD = -1,   /* the file could not be read: r->err */
    IMPORT_CSV_ETOOLONG = -2 /* the record is longer than IMPORT_ROW_MAX */
};

/* Read the next CSV record of r into c. Returns 1 with a record, 0 at the end of the file, or
 * IMPORT_CSV_EREAD / IMPORT_CSV_ETOOLONG (fatal: nothing more can be read). Blank lines are
 * skipped; CRLF and LF both end a record outside quotes. A structural problem (a stray quote,
 * text after a closing quote, an unterminated quoted field) still returns the record, with
 * c->err saying what is wrong. */
int import_csv_next(struct import_reader *r, struct import_csv *c);

#endif

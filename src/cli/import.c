/* SPDX-License-Identifier: MIT
 * import.c: `holdcheck import` and `holdcheck export`: people, bookings, charges and
 * convictions as a jail management system exports them, in CSV (RFC 4180) or JSON Lines
 * (docs/import.md). Input is streamed through one fixed row buffer, never read whole. Each file
 * is one transaction: every row is validated and inserted, every bad row is reported, and the
 * file commits (with one audit entry holding the count and a hash of its rows) only when no row
 * was bad. Columns for immigration status, national origin or ethnicity are refused. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "case.h"
#include "cite.h"
#include "cli.h"
#include "clock.h"
#include "date.h"
#include "ident.h"
#include "import_csv.h"
#include "feed.h"
#include "feed_rows.h"
#include "json.h"
#include "store.h"

#define READ_BUF ((size_t)1 << 18)  /* bytes read from the file at a time */
#define ROW_MAX IMPORT_ROW_MAX
#define MAX_FIELDS FEED_MAX_KEYS     /* columns of a file */
_Static_assert(FEED_MAX_KEYS == IMPORT_MAX_FIELDS, "a CSV record keeps every column of a file");
#define MAX_COLS FEED_MAX_COLS       /* columns of the widest kind */
#define ERROR_CAP 100               /* bad rows printed per file; the rest are counted */
#define DEFAULT_ACTOR "cli"

static const enum store_kind kind_order[] = {
    STORE_KIND_PEOPLE, STORE_KIND_CONVICTIONS, STORE_KIND_BOOKINGS, STORE_KIND_CHARGES,
};
/* ------------------------------------------------------------------------------------------ */
/* One file being imported                                                                    */

enum fmt { FMT_NONE = 0, FMT_CSV, FMT_JSONL };

struct file {
    const char *path;   /* as given: the name in every message */
    enum fmt fmt;
    enum store_kind kind;
    int opened;         /* 1 after a successful open */
    struct import_reader rd;
    uint64_t size;      /* bytes, 0 when not a regular file */
    /* The current record and the lines read (JSON Lines use row, rowlen and the line counts);
     * rec.row is shared by every file, owned by struct run. */
    struct import_csv rec;
    int map[MAX_FIELDS]; /* file column -> kind column, -1 to skip */
    int nmap;            /* columns of the header */
    int quiet;           /* only looking at the header: say nothing */
    size_t line_len;     /* JSON Lines: the length of the line read (a NUL before it is a NUL
                          * byte of the file) */
    char *cites;         /* CITE_SLOTS citations known good, owned by struct run (check_value) */
    struct hc_store *held; /* during import_rows: the store, which may hold rows back */
    /* Counts. */
    long rows, bad_rows, errors;
};

struct run {
    struct hc_store *st;
    const char *actor;
    enum fmt force_fmt;
    enum store_kind force_kind;
    int skip_unknown;
    int upsert;          /* --upsert: apply rows as the custody feed (feed.h) */
    int progress;        /* stderr is a terminal */
    char *row;           /* IMPORT_ROW_BYTES */
    char *line;          /* ROW_MAX + 1: a JSON line before decoding */
    char *rdbuf;         /* READ_BUF */
    char *cites;         /* FEED_CITE_SLOTS * (FEED_TEXT_MAX + 1), zeroed */
};

/* Print a message about f to stderr, unless f is quiet. */
static void say(const struct file *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void say(const struct file *f, const char *fmt, ...)
{
    va_list ap;
    if (f->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

/* Report one problem: "FILE:LINE: FIELD: MESSAGE", at most ERROR_CAP lines per file. */
static void report(struct file *f, long line, const char *field, const char *msg,
                   const char *msg2)
{
    struct hc_store *st = f->held;
    if (st != NULL) {
        /* Rows the store holds back come before this one: report their problems first. */
        f->held = NULL;
        (void)store_import_flush(st); /* a store error shows again at the next row or commit */
        f->held = st;
    }
    f->errors++;
    if (f->errors > ERROR_CAP || f->quiet)
        return;
    fprintf(stderr, "%s:%ld: %s%s%s%s%s\n", f->path, line, field ? field : "",
            field && field[0] ? ": " : "", msg, msg2 ? ": " : "", msg2 ? msg2 : "");
}

/* Report each field of the current CSV record that feed_text_fault refuses, under its column's
 * name (its number when the column is skipped or the record is the header). Returns how many. */
static int csv_faults(struct file *f, int header)
{
    int k, bad = 0;
    for (k = 0; k < f->rec.nfld && k < MAX_FIELDS; k++) {
        const char *msg =
            feed_text_fault(f->rec.row + f->rec.off[k], f->rec.off[k + 1] - f->rec.off[k] - 1);
        char col[32];
        if (msg == NULL)
            continue;
        if (!header && f->map[k] >= 0) {
            report(f, f->rec.rec_line, feed_kind(f->kind)->cols[f->map[k]].name, msg, NULL);
        } else {
            snprintf(col, sizeof col, "column %d", k + 1);
            report(f, f->rec.rec_line, col, msg, NULL);
        }
        bad++;
    }
    return bad;
}

/* ------------------------------------------------------------------------------------------ */
/* CSV (RFC 4180)                                                                             */

/* Read the next CSV record into f->rec (import_csv_next). Returns 1 with a record, 0 at the end
 * of the file, -1 on a fatal error (reported): a read error or a record longer than ROW_MAX. */
static int csv_next(struct file *f)
{
    int r = import_csv_next(&f->rd, &f->rec);
    if (r == IMPORT_CSV_EREAD)
        say(f, "%s: read error: %s\n", f->path, strerror(f->rd.err));
    else if (r == IMPORT_CSV_ETOOLONG)
        say(f, "%s:%ld: the record is longer than %zu bytes\n", f->path, f->rec.rec_line,
            ROW_MAX);
    return r < 0 ? -1 : r;
}

/* ------------------------------------------------------------------------------------------ */
/* JSON Lines: one flat object a line, values strings, booleans or null                       */

/* Read the next non-blank line into run->line (NUL-terminated). 1, 0 at the end, -1 fatal. */
static int jsonl_line(struct file *f, char *line, size_t *len)
{
    size_t n;
    int c;
again:
    n = 0;
    f->rec.rec_line = f->rec.line + 1;
    while ((c = import_rd_getc(&f->rd)) >= 0 && c != '\n') {
        if (n >= ROW_MAX) {
            say(f, "%s:%ld: the line is longer than %zu bytes\n", f->path, f->rec.rec_line,
                ROW_MAX);
            return -1;
        }
        line[n++] = (char)c;
    }
    if (f->rd.err) {
        say(f, "%s: read error: %s\n", f->path, strerror(f->rd.err));
        return -1;
    }
    if (c < 0 && n == 0)
        return 0;
    f->rec.line++;
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    if (strspn(line, " \t") == n)
        goto again;
    *len = n;
    return 1;
}

/* Parse JSON line line[0..len) into kv (feed_jsonl_parse), its strings decoded into f->rec.row. */
static int file_jsonl_parse(struct file *f, const char *line, size_t len, struct feed_kv *kv,
                            int *n, const char **err, const char **key)
{
    struct feed_jbuf b;
    int rc;
    b.out = f->rec.row;
    b.cap = ROW_MAX;
    b.len = 0;
    rc = feed_jsonl_parse(&b, line, len, kv, n, err, key);
    f->rec.rowlen = b.len;
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Opening a file: format, header, kind                                                       */

static enum fmt fmt_from_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL)
        return FMT_NONE;
    if (strcasecmp(dot, ".csv") == 0)
        return FMT_CSV;
    if (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0 ||
        strcasecmp(dot, ".json") == 0)
        return FMT_JSONL;
    return FMT_NONE;
}

/* Check the column names against the kind: a forbidden name or a repeated one rejects the file,
 * an unknown one too unless --skip-unknown, and so does a missing required column. Fills
 * f->map. Returns the number of problems reported. */
static int map_columns(struct run *run, struct file *f, const char *const *names, int n)
{
    const struct feed_kind_cols *k = feed_kind(f->kind);
    int seen[MAX_COLS] = {0};
    int bad = 0, i;
    size_t c;

    for (i = 0; i < n; i++) {
        int ci = feed_col_index(f->kind, names[i]);
        f->map[i] = ci;
        if (feed_forbidden_name(names[i])) {
            report(f, f->rec.rec_line, names[i], feed_forbidden_msg, NULL);
            bad++;
        } else if (ci < 0 && !run->skip_unknown) {
            char m[96];
            snprintf(m, sizeof m, "unknown column for %s (--skip-unknown ignores it)", k->name);
            report(f, f->rec.rec_line, names[i], m, NULL);
            bad++;
        } else if (ci >= 0 && seen[ci]++) {
            report(f, f->rec.rec_line, names[i], "the column appears twice", NULL);
            bad++;
        }
    }
    f->nmap = n;
    if (f->fmt == FMT_CSV)
        for (c = 0; c < k->ncols; c++)
            if (k->cols[c].required && !seen[c]) {
                report(f, f->rec.rec_line, k->cols[c].name,
                       "required column missing from the header", NULL);
                bad++;
            }
    return bad;
}

/* Open f: sniff the format, skip a BOM, and for CSV read the header. Sets f->kind from the
 * header or the first JSON object unless run->force_kind. Returns 0, 1 when the file is
 * rejected (reported), 2 when it cannot be read (reported). */
static int file_open(struct run *run, struct file *f)
{
    struct stat sb;
    int c;

    f->rd.buf = run->rdbuf;
    f->rd.cap = READ_BUF;
    f->rd.len = f->rd.pos = 0;
    f->rd.eof = f->rd.err = 0;
    f->rd.consumed = 0;
    f->rec.row = run->row;
    f->cites = run->cites;
    f->rec.line = 0;
    f->rows = f->bad_rows = f->errors = 0;
    f->size = 0;
    f->rd.fd = strcmp(f->path, "-") == 0 ? STDIN_FILENO : open(f->path, O_RDONLY);
    if (f->rd.fd < 0) {
        say(f, "%s: %s\n", f->path, strerror(errno));
        return 2;
    }
    f->opened = 1;
    if (fstat(f->rd.fd, &sb) == 0 && S_ISREG(sb.st_mode))
        f->size = (uint64_t)sb.st_size;
    /* A UTF-8 byte order mark, as spreadsheet programs write. */
    if (import_rd_peek(&f->rd) == 0xef && f->rd.len - f->rd.pos >= 3 &&
        memcmp(f->rd.buf + f->rd.pos, "\xef\xbb\xbf", 3) == 0)
        f->rd.pos += 3;
    if (f->rd.err) {
        say(f, "%s: %s\n", f->path, strerror(f->rd.err));
        return 2;
    }
    f->fmt = run->force_fmt ? run->force_fmt : fmt_from_path(f->path);
    if (f->fmt == FMT_NONE) {
        size_t i = f->rd.pos;
        while (i < f->rd.len && strchr(" \t\r\n", f->rd.buf[i]) != NULL)
            i++;
        f->fmt = i < f->rd.len && f->rd.buf[i] == '{' ? FMT_JSONL : FMT_CSV;
    }
    f->kind = run->force_kind;

    if (f->fmt == FMT_CSV) {
        const char *names[MAX_FIELDS] = {0};
        int i, r = csv_next(f);
        if (r < 0)
            return 1;
        if (r == 0) {
            report(f, 1, "", "empty file: expected a header row naming the columns", NULL);
            return 1;
        }
        if (f->rec.err != NULL) {
            report(f, f->rec.rec_line, "", f->rec.err, NULL);
            return 1;
        }
        if (f->rec.nfld > MAX_FIELDS) {
            report(f, f->rec.rec_line, "", "more than 64 columns", NULL);
            return 1;
        }
        if (csv_faults(f, 1) > 0)
            return 1;
        for (i = 0; i < f->rec.nfld; i++)
            names[i] = f->rec.row + f->rec.off[i];
        if (f->kind == 0 && (f->kind = feed_kind_from_names(names, f->rec.nfld)) == 0) {
            report(f, f->rec.rec_line, "", "cannot tell people, bookings, charges or convictions "
                                       "from the header; use --kind", NULL);
            for (i = 0; i < f->rec.nfld; i++)
                if (feed_forbidden_name(names[i]))
                    report(f, f->rec.rec_line, names[i], feed_forbidden_msg, NULL);
            return 1;
        }
        return map_columns(run, f, names, f->rec.nfld) ? 1 : 0;
    }
    /* JSON Lines: the kind comes from the first object's keys; the bytes stay unread. */
    if (f->kind == 0) {
        size_t i = f->rd.pos, n = 0;
        const char *names[MAX_FIELDS] = {0};
        struct feed_kv kv[MAX_FIELDS];
        const char *err, *key;
        int nkv = 0, k;
        while (i < f->rd.len && f->rd.buf[i] != '\n' && n < ROW_MAX)
            run->line[n++] = f->rd.buf[i++];
        run->line[n] = '\0';
        c = file_jsonl_parse(f, run->line, n, kv, &nkv, &err, &key);
        for (k = 0; c == 0 && k < nkv; k++)
            names[k] = kv[k].key;
        if (c != 0 || (f->kind = feed_kind_from_names(names, nkv)) == 0) {
            report(f, 1, "", "cannot tell people, bookings, charges or convictions from the "
                             "first line; use --kind", NULL);
            return 1;
        }
    }
    return 0;
}

static void file_close(struct file *f)
{
    if (f->opened && f->rd.fd != STDIN_FILENO)
        close(f->rd.fd);
    f->opened = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Progress                                                                                   */

static double now_s(void)
{
    return (double)hc_clock_mono_ms() / 1000.0;
}

static void progress(struct file *f, double t0, int final)
{
    double dt = now_s() - t0;
    double rate = dt > 0 ? (double)f->rows / dt : 0;
    char bar[21];
    int pct = -1, i;
    if (f->size > 0) {
        uint64_t at = import_rd_offset(&f->rd);
        pct = final ? 100 : (int)(at * 100 / f->size);
        if (pct > 100)
            pct = 100;
    }
    for (i = 0; i < 20; i++)
        bar[i] = pct >= 0 && i < pct / 5 ? '#' : '.';
    bar[20] = '\0';
    if (pct >= 0)
        fprintf(stderr, "\r%s [%s] %3d%%  %ld rows  %.0f rows/s\033[K", f->path, bar, pct,
                f->rows, rate);
    else
        fprintf(stderr, "\r%s  %ld rows  %.0f rows/s\033[K", f->path, f->rows, rate);
    if (final)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* ------------------------------------------------------------------------------------------ */
/* Importing one file                                                                         */

/* A row the store held back and then refused (store_import_begin). */
static void import_refused(void *ctx, long line, int rc, const struct hc_diag *d)
{
    struct file *f = ctx;
    (void)rc;
    report(f, line, d->field, d->msg, NULL);
    f->bad_rows++;
}

/* A bad field of the current row (feed_check_row, feed_jsonl_values). */
static void row_bad(void *ctx, const char *field, const char *msg)
{
    struct file *f = ctx;
    report(f, f->rec.rec_line, field, msg, NULL);
}

/* Insert row r (its line in r->tag) into the import, or apply it through the feed when fd is
 * not NULL (--upsert). Returns 0, 1 for a refused row (reported), -1 on a database error
 * (reported). */
static int put_row(struct run *run, struct file *f, struct feed *fd, struct store_import_row *r)
{
    struct hc_diag d;
    int rc;
    /* Valid rows are inserted even after a bad one, so that a repeated key or a missing
     * reference later in the file is reported too; all is rolled back. */
    hc_diag_clear(&d);
    r->tag = f->rec.rec_line;
    f->held = run->st;
    rc = fd != NULL ? feed_row(fd, r, &d) : store_import_row(run->st, r, &d);
    if (rc == STORE_ECONFLICT || rc == HC_ENOENT || rc == HC_EINVAL) {
        report(f, f->rec.rec_line, d.field, d.msg, NULL);
        return 1;
    }
    if (rc != HC_OK) {
        fprintf(stderr, "%s:%ld: database error: %s\n", f->path, f->rec.rec_line,
                store_strerror(rc));
        return -1;
    }
    return 0;
}

/* Read the next record of f and check it into *r. Returns 1 with a good row, 0 with a bad one
 * (reported), 2 at the end of the file, -1 on a fatal read error (reported). */
static int next_row(struct run *run, struct file *f, struct store_import_row *r)
{
    const char *v[MAX_COLS];
    int jb[MAX_COLS], got, k;

    if (f->fmt == FMT_CSV) {
        got = csv_next(f);
    } else {
        size_t len = 0;
        got = jsonl_line(f, run->line, &len);
        f->line_len = len;
    }
    if (got <= 0)
        return got < 0 ? -1 : 2;
    f->rows++;
    for (k = 0; k < MAX_COLS; k++) {
        v[k] = NULL;
        jb[k] = -1;
    }
    if (f->fmt == FMT_CSV) {
        if (f->rec.err != NULL) {
            report(f, f->rec.rec_line, "", f->rec.err, NULL);
            return 0;
        }
        if (f->rec.nfld != f->nmap) {
            char m[96];
            snprintf(m, sizeof m, "%d fields; the header has %d", f->rec.nfld, f->nmap);
            report(f, f->rec.rec_line, "", m, NULL);
            return 0;
        }
        if (csv_faults(f, 0) > 0)
            return 0;
        for (k = 0; k < f->rec.nfld; k++)
            if (f->map[k] >= 0)
                v[f->map[k]] = f->rec.row + f->rec.off[k];
    } else {
        struct feed_kv kv[MAX_FIELDS];
        const char *err, *key;
        int nkv;
        if (file_jsonl_parse(f, run->line, f->line_len, kv, &nkv, &err, &key) != 0) {
            report(f, f->rec.rec_line, key ? key : "", err, NULL);
            return 0;
        }
        if (feed_jsonl_values(f->kind, kv, nkv, run->skip_unknown, v, jb, row_bad, f) != 0)
            return 0;
    }
    return feed_check_row(f->kind, v, f->fmt == FMT_JSONL ? jb : NULL, f->cites, r, row_bad,
                          f) == 0;
}

/* Read, check and insert (or with --upsert apply) the rows of opened file f in one
 * transaction. Returns 0 when the file was committed, 1 when it was rejected (everything
 * reported). */
static int import_rows(struct run *run, struct file *f)
{
    struct store_import_row r;
    struct store_import_summary sum;
    struct feed_counts cnt;
    struct feed *fd = NULL;
    struct hc_diag d;
    double t0 = now_s(), next_draw = t0 + 0.2;
    const char *fmtname = f->fmt == FMT_CSV ? "csv" : "jsonl";
    int rc, fatal = 0;

    hc_diag_clear(&d);
    memset(&cnt, 0, sizeof cnt);
    if (run->upsert)
        rc = feed_begin(run->st, f->kind, run->actor, import_refused, f, &fd, &d);
    else
        rc = store_import_begin(run->st, f->kind, 0, import_refused, f);
    if (rc != HC_OK) {
        if (d.field[0] != '\0')
            report(f, 1, d.field, d.msg, NULL);
        else
            fprintf(stderr, "%s: cannot start the import: %s\n", f->path, store_strerror(rc));
        fprintf(stderr, "%s: rejected; nothing of this file was imported\n", f->path);
        return 1;
    }
    for (;;) {
        int got = next_row(run, f, &r), bad;
        if (got == 2 || got < 0) {
            fatal = got < 0;
            break;
        }
        bad = got == 1 ? put_row(run, f, fd, &r) : 1;
        if (bad < 0) {
            fatal = 1;
            break;
        }
        f->bad_rows += bad;
        if (run->progress && (f->rows & 1023) == 0) {
            double t = now_s();
            if (t >= next_draw) {
                progress(f, t0, 0);
                next_draw = t + 0.2;
            }
        }
    }
    f->held = NULL;
    if (!fatal && fd == NULL && (rc = store_import_flush(run->st)) != HC_OK) {
        fprintf(stderr, "%s:%ld: database error: %s\n", f->path, f->rec.rec_line,
                store_strerror(rc));
        fatal = 1;
    }
    if (run->progress)
        progress(f, t0, 1);
    if (fd != NULL && !fatal && f->bad_rows == 0) {
        /* The feed's last charge list and held rows are checked at its commit: their problems
         * are reported (and counted as bad rows) before it answers. */
        rc = feed_commit(fd, f->path, fmtname, &cnt);
        fd = NULL;
        if (rc != HC_OK && rc != HC_EINVAL) {
            fprintf(stderr, "%s: database error: %s\n", f->path, store_strerror(rc));
            fatal = 1;
        } else if (rc == HC_EINVAL && f->bad_rows == 0) {
            f->bad_rows = cnt.refused > 0 ? cnt.refused : 1;
        }
    }
    if (fatal || f->bad_rows > 0) {
        if (fd != NULL)
            feed_abort(fd);
        else if (!run->upsert)
            store_rollback(run->st);
        if (f->errors > ERROR_CAP)
            fprintf(stderr, "%s: ... and %ld more errors not shown\n", f->path,
                    f->errors - ERROR_CAP);
        if (fatal)
            fprintf(stderr, "%s: rejected; nothing of this file was imported\n", f->path);
        else
            fprintf(stderr, "%s: rejected: %ld bad %s of %ld; nothing of this file was "
                            "imported\n", f->path, f->bad_rows, f->bad_rows == 1 ? "row" : "rows",
                    f->rows);
        return 1;
    }
    if (run->upsert) {
        double dt = now_s() - t0;
        printf("%s: %ld %s in %.2f s: %lld created, %lld changed, %lld unchanged; "
               "%lld re-booked, %lld events, %lld deliveries queued\n",
               f->path, f->rows, feed_kind(f->kind)->name, dt, (long long)cnt.created,
               (long long)cnt.changed, (long long)cnt.unchanged, (long long)cnt.rebooked,
               (long long)cnt.events, (long long)cnt.deliveries);
        /* The line says the file is committed: it must not wait in a buffer a kill loses. */
        fflush(stdout);
        return 0;
    }
    if ((rc = store_import_commit(run->st, run->actor, f->path, fmtname, &sum)) != HC_OK) {
        fprintf(stderr, "%s: commit failed: %s; nothing of this file was imported\n", f->path,
                store_strerror(rc));
        return 1;
    }
    {
        double dt = now_s() - t0;
        printf("%s: %ld %s imported in %.2f s (%.0f rows/s); audit entry %lld, rows hash %.16s\n",
               f->path, f->rows, feed_kind(f->kind)->name, dt, dt > 0 ? (double)f->rows / dt : 0.0,
               (long long)sum.audit_seq, sum.rows_hash);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* holdcheck import                                                                           */

static void import_usage(FILE *out)
{
    fputs("usage: holdcheck import --db PATH [--kind people|bookings|charges|convictions]\n"
          "                        [--format csv|jsonl] [--skip-unknown] [--upsert]\n"
          "                        [--actor NAME] FILE...\n"
          "  Import people, bookings, charges and convictions exported by a jail management\n"
          "  system (CSV with a header row, or JSON Lines; docs/import.md). Files are imported\n"
          "  people first, then convictions, bookings and charges. Each file is all or\n"
          "  nothing: every bad row is reported as FILE:LINE: FIELD: MESSAGE and the file is\n"
          "  rolled back. --upsert applies a snapshot or delta of people, bookings and\n"
          "  charges (the custody feed): new rows created, known ones changed, the same\n"
          "  rows left alone; it prints how many were created, changed and unchanged.\n"
          "  Exit 0: every file imported; 1: some file was rejected; 2: usage.\n",
          out);
}

static enum fmt fmt_from_name(const char *s)
{
    if (strcmp(s, "csv") == 0)
        return FMT_CSV;
    if (strcmp(s, "jsonl") == 0)
        return FMT_JSONL;
    return FMT_NONE;
}

/* The options import and export share: --db PATH, --kind KIND and --format FORMAT. Takes
 * argv[*i] and its value, advancing *i, when it is one of them. Returns 1 when it took them, 0
 * when argv[*i] is another argument, -1 after printing why the value is bad. */
static int db_kind_format_opt(const char *cmd, int argc, char **argv, int *i, const char **db,
                              enum store_kind *kind, enum fmt *fmt)
{
    const char *opt = argv[*i];
    if (*i + 1 >= argc)
        return 0;
    if (strcmp(opt, "--db") == 0) {
        *db = argv[++*i];
    } else if (strcmp(opt, "--kind") == 0) {
        if ((*kind = feed_kind_from_name(argv[++*i])) == 0) {
            fprintf(stderr, "holdcheck %s: --kind must be people, bookings, charges or "
                            "convictions\n", cmd);
            return -1;
        }
    } else if (strcmp(opt, "--format") == 0) {
        if ((*fmt = fmt_from_name(argv[++*i])) == FMT_NONE) {
            fprintf(stderr, "holdcheck %s: --format must be csv or jsonl\n", cmd);
            return -1;
        }
    } else {
        return 0;
    }
    return 1;
}

/* The kind of path without importing it (0 when it cannot be told; the import says why). */
static enum store_kind peek_kind(struct run *run, const char *path)
{
    struct file f;
    if (run->force_kind || strcmp(path, "-") == 0)
        return run->force_kind;
    memset(&f, 0, sizeof f);
    f.path = path;
    f.quiet = 1; /* problems are reported once, when the file is imported */
    file_open(run, &f);
    file_close(&f);
    return f.kind;
}

static int cli_import_main(int argc, char **argv)
{
    struct run run;
    struct hc_diag d;
    const char *db = NULL;
    const char **paths = NULL;
    enum store_kind *pk = NULL;
    int npaths = 0, i, rc = CLI_EXIT_USAGE, rejected = 0, unreadable = 0, o, taken;
    size_t j;

    memset(&run, 0, sizeof run);
    run.actor = DEFAULT_ACTOR;
    hc_diag_clear(&d);
    paths = cli_xmalloc(sizeof *paths * (size_t)argc);
    for (i = 1; i < argc; i++) {
        taken = db_kind_format_opt("import", argc, argv, &i, &db, &run.force_kind, &run.force_fmt);
        if (taken < 0)
            goto out;
        if (taken > 0)
            continue;
        if (strcmp(argv[i], "--actor") == 0 && i + 1 < argc) {
            run.actor = argv[++i];
            if (!hc_user_name_valid(run.actor, strlen(run.actor))) {
                fprintf(stderr, "holdcheck import: bad --actor: " HC_USER_NAME_RULE "\n");
                goto out;
            }
        } else if (strcmp(argv[i], "--skip-unknown") == 0) {
            run.skip_unknown = 1;
        } else if (strcmp(argv[i], "--upsert") == 0) {
            run.upsert = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = cli_arg_rest("import", argv[i], import_usage);
            goto out;
        } else {
            paths[npaths++] = argv[i];
        }
    }
    if (db == NULL || npaths == 0) {
        import_usage(stderr);
        goto out;
    }
    for (i = 0, o = 0; i < npaths; i++)
        o += strcmp(paths[i], "-") == 0;
    if (o > 1) {
        fprintf(stderr, "holdcheck import: standard input ('-') can be read only once\n");
        goto out;
    }
    if (cli_store_open(run.upsert ? "import --upsert" : "import", db, 0, &run.st) != 0) {
        goto out;
    }
#if defined(M_TRIM_THRESHOLD)
    /* SQLite allocates and frees page-cache buffers at the top of the heap as a big
     * transaction spills; glibc's default would hand that memory back and fault it in again
     * on every cycle (measured: 1M charges went from 150k rows/s to 2k rows/s). Keep it. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
#endif
    run.progress = isatty(STDERR_FILENO);
    run.row = cli_xmalloc(IMPORT_ROW_BYTES);
    run.line = cli_xmalloc(ROW_MAX + 1);
    run.rdbuf = cli_xmalloc(READ_BUF);
    run.cites = cli_xmalloc((size_t)FEED_CITE_SLOTS * (FEED_TEXT_MAX + 1));
    memset(run.cites, 0, (size_t)FEED_CITE_SLOTS * (FEED_TEXT_MAX + 1));

    /* People before convictions and bookings, bookings before charges: a reference can only
     * resolve to a committed row. Files of one kind keep their command-line order; a file
     * whose kind cannot be told goes last and is rejected with the reason. */
    pk = cli_xmalloc(sizeof *pk * (size_t)npaths);
    for (i = 0; i < npaths; i++)
        pk[i] = peek_kind(&run, paths[i]);
    for (j = 0; j <= sizeof kind_order / sizeof kind_order[0]; j++) {
        enum store_kind want = j < sizeof kind_order / sizeof kind_order[0] ? kind_order[j] : 0;
        for (i = 0; i < npaths; i++) {
            struct file f;
            int r;
            if (pk[i] != want)
                continue;
            memset(&f, 0, sizeof f);
            f.path = paths[i];
            r = file_open(&run, &f);
            if (r == 0)
                r = import_rows(&run, &f);
            else if (r == 1)
                fprintf(stderr, "%s: rejected; nothing of this file was imported\n", f.path);
            file_close(&f);
            rejected += r == 1;
            unreadable += r == 2;
        }
    }
    rc = unreadable ? CLI_EXIT_USAGE : rejected ? CLI_EXIT_INPUT : CLI_EXIT_OK;
out:
    store_close(run.st);
    free(run.row);
    free(run.line);
    free(run.rdbuf);
    free(run.cites);
    free(paths);
    free(pk);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* holdcheck export                                                                           */

struct export_ctx {
    FILE *out;
    enum fmt fmt;
    const struct feed_kind_cols *k;
    long rows;
};

static void csv_field(FILE *out, const char *s)
{
    const char *p;
    if (s == NULL)
        return;
    if (s[strcspn(s, ",\"\r\n")] == '\0') {
        fputs(s, out);
        return;
    }
    putc('"', out);
    for (p = s; *p; p++) {
        if (*p == '"')
            putc('"', out);
        putc(*p, out);
    }
    putc('"', out);
}

/* A short write sets the stream's error flag, which the caller checks with ferror. */
static void file_sink(void *out, const char *s, size_t n)
{
    (void)fwrite(s, 1, n, out);
}

static void json_str(FILE *out, const char *s)
{
    hc_json_escape(file_sink, out, s, strlen(s));
}

static int export_row(void *vctx, const char *const *v, size_t n)
{
    struct export_ctx *x = vctx;
    size_t i;
    if (n != x->k->ncols)
        return HC_EIO;
    if (x->fmt == FMT_CSV) {
        for (i = 0; i < n; i++) {
            if (i)
                putc(',', x->out);
            csv_field(x->out, v[i]);
        }
        putc('\n', x->out);
    } else {
        putc('{', x->out);
        for (i = 0; i < n; i++) {
            enum feed_col_type t = x->k->cols[i].type;
            if (i)
                putc(',', x->out);
            json_str(x->out, x->k->cols[i].name);
            putc(':', x->out);
            if (v[i] == NULL)
                fputs("null", x->out);
            else if (t == FEED_T_BOOL || t == FEED_T_TRI)
                fputs(strcmp(v[i], "true") == 0 ? "true" : "false", x->out);
            else
                json_str(x->out, v[i]);
        }
        fputs("}\n", x->out);
    }
    x->rows++;
    return ferror(x->out) ? HC_EIO : 0;
}

static void export_usage(FILE *out)
{
    fputs("usage: holdcheck export --db PATH --kind people|bookings|charges|convictions\n"
          "                        [--format csv|jsonl] [--out FILE]\n"
          "  Write every stored row of one kind in the format `holdcheck import` reads\n"
          "  (docs/import.md), oldest first, to FILE or standard output. CSV by default.\n", out);
}

static int cli_export_main(int argc, char **argv)
{
    struct export_ctx x;
    struct hc_store *st = NULL;
    struct hc_diag d;
    const char *db = NULL, *outpath = NULL;
    enum store_kind kind = 0;
    char *obuf = NULL;
    int i, rc = CLI_EXIT_USAGE, src, taken;

    memset(&x, 0, sizeof x);
    x.fmt = FMT_CSV;
    hc_diag_clear(&d);
    for (i = 1; i < argc; i++) {
        if ((taken = db_kind_format_opt("export", argc, argv, &i, &db, &kind, &x.fmt)) < 0)
            return CLI_EXIT_USAGE;
        if (taken > 0)
            continue;
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            outpath = argv[++i];
        else
            return cli_arg_rest("export", argv[i], export_usage);
    }
    if (db == NULL || kind == 0) {
        export_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_store_open("export", db, 0, &st) != 0) {
        return CLI_EXIT_USAGE;
    }
    x.k = feed_kind(kind);
    x.out = outpath && strcmp(outpath, "-") != 0 ? fopen(outpath, "w") : stdout;
    if (x.out == NULL) {
        fprintf(stderr, "holdcheck export: %s: %s\n", outpath, strerror(errno));
        goto out;
    }
    obuf = cli_xmalloc(1 << 20);
    setvbuf(x.out, obuf, _IOFBF, 1 << 20);
    if (x.fmt == FMT_CSV) {
        size_t c;
        for (c = 0; c < x.k->ncols; c++)
            fprintf(x.out, "%s%s", c ? "," : "", x.k->cols[c].name);
        putc('\n', x.out);
    }
    src = store_export(st, kind, export_row, &x);
    if (fflush(x.out) != 0 || ferror(x.out))
        src = HC_EIO;
    if (src != HC_OK) {
        fprintf(stderr, "holdcheck export: %s\n", store_strerror(src));
        rc = CLI_EXIT_SOFTWARE;
    } else {
        rc = CLI_EXIT_OK;
    }
out:
    if (x.out != NULL && x.out != stdout && fclose(x.out) != 0 && rc == CLI_EXIT_OK) {
        fprintf(stderr, "holdcheck export: %s: %s\n", outpath, strerror(errno));
        rc = CLI_EXIT_SOFTWARE;
    }
    if (x.out == stdout)
        fflush(stdout);
    store_close(st);
    if (x.out != stdout)
        free(obuf);
    return rc;
}

/* `holdcheck import ...` and `holdcheck export ...` share this entry point (argv[0] says). */
int cli_import(int argc, char **argv)
{
    if (strcmp(argv[0], "export") == 0)
        return cli_export_main(argc, argv);
    return cli_import_main(argc, argv);
}

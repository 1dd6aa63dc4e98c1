/* SPDX-License-Identifier: MIT
 * print.h: a plain printed document as PDF: a title, label and value lines, quotations,
 * headings, paragraphs and tables, with a footer and "Page N of M" on every page, laid out
 * with the same page flow as the TRUTH Act notices (fonts through fontconfig, and no page
 * printed with a box in place of a character). The caller says what to print, in its own
 * words and language; this module only lays it out. The statutory reports are printed with it
 * (src/app/report_pdf.c). */
#ifndef HC_NOTICE_PRINT_H
#define HC_NOTICE_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* What a block of a printed document is. */
enum notice_print_type {
    NOTICE_PRINT_TITLE = 0, /* text, large and bold */
    NOTICE_PRINT_FIELD,     /* label: text, on one line (the text wraps beside the label) */
    NOTICE_PRINT_QUOTE,     /* text set off by a bar: a statute quoted */
    NOTICE_PRINT_HEADING,   /* text, kept on the page of what follows it */
    NOTICE_PRINT_PARA,      /* text */
    NOTICE_PRINT_TABLE      /* table: its column headings repeated on every page it spans */
};

/* A table. Strings are borrowed UTF-8. */
struct notice_print_table {
    size_t ncols;               /* 1..NOTICE_PRINT_MAX_COLS */
    const char *const *head;    /* ncols column headings */
    const double *share;        /* ncols shares of the width, summing to 1; NULL: after the
                                 * text (each column its longest word, then its longest text) */
    const unsigned char *right; /* ncols flags: 1 aligns the column right (counts); NULL: none */
    size_t nrows;
    const char *const *cell;    /* nrows * ncols cells, row by row; NULL cells print empty */
};
#define NOTICE_PRINT_MAX_COLS 16

struct notice_print_block {
    int type;                               /* enum notice_print_type */
    const char *label;                      /* FIELD: the label */
    const char *text;                       /* the text (not for TABLE) */
    const struct notice_print_table *table; /* TABLE: the table */
};

/* A document. Strings are borrowed UTF-8, valid for the call. */
struct notice_print {
    int lang;         /* enum notice_lang: its fonts, and the language the text is tagged with */
    int paper;        /* enum notice_paper */
    const char *title;  /* the PDF's title (metadata) */
    const char *footer; /* at the foot of every page, beside its number */
    const char *page_word, *of_word; /* the page number's words: "Page", "of" */
    const struct notice_print_block *blk;
    size_t n;
};

/* Write doc as PDF to out (not closed). Returns 0; HC_EINVAL (d->field "lang" or "paper", or
 * "table" for a table without columns or with more than NOTICE_PRINT_MAX_COLS) for a bad
 * document; HC_EIO when a character has no font (d->field "lang", d->msg naming the language's
 * fonts), cairo failed or writing out failed: then nothing more was written to out. Documents
 * are laid out one at a time in a process (a lock is held for the call). */
int notice_print_pdf(const struct notice_print *doc, FILE *out, struct hc_diag *d);

#endif

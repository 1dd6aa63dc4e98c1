/* SPDX-License-Identifier: MIT
 * pdf_int.h: shared inside src/notice only: the page flow every PDF of holdcheck is written
 * with (pdf_flow.c). It opens a cairo PDF surface on a stdio stream with a pango context at 72
 * dpi (a font size in points is a size in user units), lays text out in the language's fonts
 * (fontconfig), moves the text down the page and starts a new page when a block does not fit,
 * prints a footer with "Page N of M" when asked, and at the end refuses the whole document
 * when any glyph had no font (a box in place of a character), writing nothing. The notices
 * (pdf.c) and the printed documents of print.h (print_pdf.c) are laid out with it.
 *
 * Page numbers need the page count before the first page is written: a document with a footer
 * is laid out twice, first measuring only (dry: nothing drawn, no page written), then for real.
 * The layout is deterministic, so both passes break the pages at the same places. */
#ifndef HC_NOTICE_PDF_INT_H
#define HC_NOTICE_PDF_INT_H

#include <stdio.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "err.h"

struct notice__pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *ctx;
    const char *family;  /* pango font family list of the language (notice_lang_info) */
    const char *lang_name; /* its English name, for the missing-glyph message */
    FILE *out;
    int write_failed;
    int discard;         /* drop the output: the document failed, write nothing more */
    int missing_glyphs;  /* glyphs pango found no font for, over every layout of both passes */
    int dry;             /* measuring pass: lay out and count pages, draw and write nothing */
    int locked;          /* holds the process-wide rendering lock */
    double w, h, margin; /* page size and margin, points */
    double y;            /* where the next block starts */
    int page;            /* the page being laid out, from 1 */
    int pages;           /* the document's page count (known after the dry pass), or 0 */
    const char *footer;  /* printed at the foot of every page with the page number; NULL: no
                          * footer and no page numbers (borrowed: outlives the document) */
    const char *page_word, *of_word; /* "Page", "of" (borrowed) */
};

/* Open a document of one paper (enum notice_paper) in language lang (enum notice_lang) on out
 * (not closed), with title as its PDF metadata title. Takes the process-wide rendering lock
 * (pango's font maps are not shared between threads safely) until notice__pdf_close. Returns
 * 0, or HC_EIO with d saying why (cairo failed); call notice__pdf_close either way. */
int notice__pdf_open(struct notice__pdf *p, int paper, int lang, const char *title, FILE *out,
                     struct hc_diag *d);
/* Start a pass at the top of page 1: dry (1) measures only, 0 draws. */
void notice__pdf_pass(struct notice__pdf *p, int dry);
/* Finish the document begun by notice__pdf_open: end the last page, then, when rc is 0, fail
 * with HC_EIO if any glyph had no font (d->field "lang", d->msg naming the language and its
 * fonts) or if cairo or writing out failed; on failure nothing more is written. Frees everything and releases the lock (also
 * after a failed open). Returns the final code. */
int notice__pdf_close(struct notice__pdf *p, int rc, struct hc_diag *d);

/* A layout of text, wrapped to width points, pt points, bold or not, in the language's font;
 * counts glyphs without a font. The caller unrefs it (g_object_unref). */
PangoLayout *notice__pdf_layout(struct notice__pdf *p, const char *text, double pt, int bold,
                                double width);
/* The height of l, points. */
double notice__pdf_height(PangoLayout *l);
/* Whether need points fit below p->y on this page. */
int notice__pdf_fits(const struct notice__pdf *p, double need);
/* End this page (its footer, when there is one) and go to the top of the next. */
void notice__pdf_break(struct notice__pdf *p);
/* Start a new page when need points do not fit on this one and this one is not empty. */
void notice__pdf_room(struct notice__pdf *p, double need);
/* Draw l with its top left corner at (x, y); nothing in a dry pass. */
void notice__pdf_draw(struct notice__pdf *p, PangoLayout *l, double x, double y);
/* Draw one line of a layout with its baseline's left end at (x, baseline); nothing in a dry
 * pass. */
void notice__pdf_draw_line(struct notice__pdf *p, PangoLayoutLine *line, double x,
                           double baseline);
/* A horizontal line from x0 to x1 at y, width points wide; nothing in a dry pass. */
void notice__pdf_hline(struct notice__pdf *p, double x0, double x1, double y, double width);
/* A rectangle, filled (fill 1, in grey level grey: 0 black, 1 white) or stroked 1.1 points
 * wide (fill 0); nothing in a dry pass. */
void notice__pdf_rect(struct notice__pdf *p, double x, double y, double w, double h, int fill,
                      double grey);
/* Text in one style across the width less indent (a bar sets off an indented block), then
 * after points of space. */
void notice__pdf_text(struct notice__pdf *p, const char *text, double pt, int bold,
                      double indent, double after);

#endif

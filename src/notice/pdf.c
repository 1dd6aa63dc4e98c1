/* SPDX-License-Identifier: MIT
 * pdf.c: a notice as PDF through pango + cairo. Pango shapes the text (HarfBuzz: Vietnamese
 * stacked diacritics, Hangul, Han) and fontconfig finds the script's font (Noto Sans CJK TC/KR,
 * Noto Sans); cairo embeds the glyph subsets with their Unicode mapping, so the PDF prints the
 * same anywhere and its text can be extracted. Units are PDF points (1/72 in); pango's
 * resolution is set to 72 so that a font size in points is a size in user units.
 *
 * A notice must never print a box in place of a character: after each layout the renderer asks
 * pango how many glyphs had no font, and fails rather than write such a page. */
#include "notice_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#define PT_BODY 11.0
#define PT_TITLE 16.0
#define PT_AGENCY 12.0
#define PT_HEADING 12.0
#define PT_SMALL 9.0

struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *ctx;
    const struct notice_lang_info *li;
    FILE *out;
    int write_failed;
    int discard;         /* drop the output: the notice failed, write nothing more */
    int missing_glyphs;  /* glyphs pango found no font for */
    double w, h, margin; /* page size and margin, points */
    double y;            /* where the next block starts */
};

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    struct pdf *p = closure;
    if (p->discard)
        return CAIRO_STATUS_SUCCESS;
    if (fwrite(data, 1, len, p->out) != len) {
        p->write_failed = 1;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* A layout of text, wrapped to width points, in the language's font. */
static PangoLayout *layout(struct pdf *p, const char *text, double pt, int bold, double width)
{
    PangoLayout *l = pango_layout_new(p->ctx);
    PangoFontDescription *fd = pango_font_description_from_string(p->li->pango_family);

    pango_font_description_set_size(fd, (gint)(pt * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_spacing(l, (int)(pt * 0.3 * PANGO_SCALE));
    pango_layout_set_text(l, text, -1);
    p->missing_glyphs += pango_layout_get_unknown_glyphs_count(l);
    return l;
}

static double height_of(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* Start a new page when need points do not fit on this one (and this one is not empty). */
static void room_for(struct pdf *p, double need)
{
    if (p->y + need > p->h - p->margin && p->y > p->margin + 1) {
        cairo_show_page(p->cr);
        p->y = p->margin;
    }
}

static void draw(struct pdf *p, PangoLayout *l, double x, double y)
{
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

static void hline(struct pdf *p, double x0, double x1, double y, double width)
{
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_stroke(p->cr);
}

/* Text in one style, full width, then space after. */
static void text_block(struct pdf *p, const char *text, double pt, int bold, double indent,
                       double after)
{
    double width = p->w - 2 * p->margin - indent;
    PangoLayout *l = layout(p, text, pt, bold, width);
    double h = height_of(l);

    room_for(p, h);
    draw(p, l, p->margin + indent, p->y);
    if (indent > 0) { /* the bar that sets off an emphasised paragraph */
        cairo_rectangle(p->cr, p->margin, p->y + 1, 2.5, h - 2);
        cairo_fill(p->cr);
    }
    p->y += h + after;
    g_object_unref(l);
}

static void field(struct pdf *p, const struct notice__block *k)
{
    double col = (p->w - 2 * p->margin) * 0.32, width = p->w - 2 * p->margin - col;
    PangoLayout *lab = layout(p, k->label, PT_BODY, 1, col - 8);
    PangoLayout *val = k->text[0] ? layout(p, k->text, PT_BODY, 0, width) : NULL;
    double hl = height_of(lab), hv = val ? height_of(val) : hl, h = hl > hv ? hl : hv;

    room_for(p, h);
    draw(p, lab, p->margin, p->y);
    if (val != NULL)
        draw(p, val, p->margin + col, p->y);
    else
        hline(p, p->margin + col, p->margin + col + width * 0.75, p->y + hl - 2, 0.6);
    p->y += h + 3;
    g_object_unref(lab);
    if (val != NULL)
        g_object_unref(val);
}

static void check(struct pdf *p, const struct notice__block *k)
{
    double indent = 24, box = 10.5;
    PangoLayout *l = layout(p, k->text, PT_BODY, 0, p->w - 2 * p->margin - indent);
    double h = height_of(l);

    room_for(p, h);
    cairo_set_line_width(p->cr, 1.1);
    cairo_rectangle(p->cr, p->margin + 1, p->y + 2.5, box, box);
    cairo_stroke(p->cr);
    draw(p, l, p->margin + indent, p->y);
    p->y += h + 9;
    g_object_unref(l);
}

static void sign(struct pdf *p, const struct notice__block *k)
{
    double width = (p->w - 2 * p->margin) * 0.65, gap = 22;
    PangoLayout *lab = layout(p, k->label, PT_SMALL, 0, width);
    PangoLayout *pre = k->text[0] ? layout(p, k->text, PT_BODY, 0, width) : NULL;
    double hl = height_of(lab), hp = pre ? height_of(pre) : 0;
    double line_y;

    room_for(p, gap + hl + 2);
    line_y = p->y + (hp > gap ? hp : gap);
    if (pre != NULL)
        draw(p, pre, p->margin + 2, line_y - hp - 1);
    hline(p, p->margin, p->margin + width, line_y, 0.6);
    draw(p, lab, p->margin, line_y + 1.5);
    p->y = line_y + 1.5 + hl + 4;
    g_object_unref(lab);
    if (pre != NULL)
        g_object_unref(pre);
}

static void agency(struct pdf *p, const struct notice__block *k)
{
    char line[512];
    if (k->text[0] != '\0') {
        text_block(p, k->text, PT_AGENCY, 0, 0, 12);
        return;
    }
    snprintf(line, sizeof line, "%s: ________________", k->label);
    text_block(p, line, PT_AGENCY, 0, 0, 12);
}

static void blocks(struct pdf *p, const struct notice__doc *doc)
{
    size_t i;
    for (i = 0; i < doc->n; i++) {
        const struct notice__block *k = &doc->blk[i];
        switch (k->type) {
        case NB_TITLE: text_block(p, k->text, PT_TITLE, 1, 0, 4); break;
        case NB_AGENCY: agency(p, k); break;
        case NB_FIELD:
            field(p, k);
            if (i + 1 < doc->n && doc->blk[i + 1].type != NB_FIELD)
                p->y += 8;
            break;
        case NB_PARA: text_block(p, k->text, PT_BODY, 0, 0, 7); break;
        case NB_EMPH: text_block(p, k->text, PT_BODY, 1, 9, 7); break;
        case NB_HEADING:
            p->y += 6;
            room_for(p, 60); /* keep a heading with what follows it */
            text_block(p, k->text, PT_HEADING, 1, 0, 5);
            break;
        case NB_CHECK: check(p, k); break;
        case NB_SIGN: sign(p, k); break;
        case NB_SMALL:
            if (i > 0 && doc->blk[i - 1].type == NB_SIGN)
                p->y += 10;
            text_block(p, k->text, PT_SMALL, 0, 0, 5);
            break;
        default: break;
        }
    }
}

int notice_render_pdf(const struct notice_texts *t, int kind, int lang,
                      const struct notice_facts *f, int paper, FILE *out, struct hc_diag *d)
{
    struct notice__doc *doc = NULL;
    struct pdf p;
    cairo_status_t st;
    int rc;

    memset(&p, 0, sizeof p);
    if ((rc = notice__doc_new(t, kind, lang, f, paper, &doc, d)) != 0)
        return rc;

    p.li = notice_lang_info(lang);
    p.out = out;
    p.w = paper == NOTICE_PAPER_A4 ? 595.276 : 612.0;
    p.h = paper == NOTICE_PAPER_A4 ? 841.890 : 792.0;
    p.margin = paper == NOTICE_PAPER_A4 ? 51.0 : 54.0; /* 18 mm, 0.75 in */
    p.y = p.margin;
    rc = HC_EIO;
    p.surface = cairo_pdf_surface_create_for_stream(write_cb, &p, p.w, p.h);
    if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
        hc_diag_set(d, "", "cairo: ", cairo_status_to_string(cairo_surface_status(p.surface)));
        goto out;
    }
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, doc->title);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "holdcheck");
    p.cr = cairo_create(p.surface);
    p.ctx = pango_cairo_create_context(p.cr);
    pango_cairo_context_set_resolution(p.ctx, 72.0);
    pango_context_set_language(p.ctx, pango_language_from_string(p.li->tag));
    cairo_set_source_rgb(p.cr, 0, 0, 0);

    blocks(&p, doc);
    cairo_show_page(p.cr);
    if (p.missing_glyphs > 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "%d characters have no font for %s (%s); install the fonts "
                 "named in docs/notices.md", p.missing_glyphs, p.li->english_name,
                 p.li->pango_family);
        hc_diag_set(d, "lang", msg, NULL);
        goto out;
    }
    cairo_destroy(p.cr);
    p.cr = NULL;
    cairo_surface_finish(p.surface);
    st = cairo_surface_status(p.surface);
    if (p.write_failed || fflush(out) != 0 || ferror(out)) {
        hc_diag_set(d, "", "cannot write the PDF: ", strerror(errno));
        goto out;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        hc_diag_set(d, "", "cairo: ", cairo_status_to_string(st));
        goto out;
    }
    rc = 0;
out:
    /* Destroying an unfinished surface would still write it out. */
    p.discard = rc != 0;
    if (p.ctx != NULL)
        g_object_unref(p.ctx);
    if (p.cr != NULL)
        cairo_destroy(p.cr);
    if (p.surface != NULL)
        cairo_surface_destroy(p.surface);
    free(doc);
    return rc;
}

int notice_render_pdf_file(const struct notice_texts *t, int kind, int lang,
                           const struct notice_facts *f, int paper, const char *path,
                           struct hc_diag *d)
{
    FILE *out = fopen(path, "wb");
    int rc;

    if (out == NULL) {
        hc_diag_set(d, path, "cannot create: ", strerror(errno));
        return HC_EIO;
    }
    rc = notice_render_pdf(t, kind, lang, f, paper, out, d);
    if (fclose(out) != 0 && rc == 0) {
        hc_diag_set(d, path, "cannot write: ", strerror(errno));
        rc = HC_EIO;
    }
    if (rc != 0)
        unlink(path);
    return rc;
}

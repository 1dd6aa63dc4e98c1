/* SPDX-License-Identifier: MIT
 * pdf_flow.c: the page flow of every PDF (pdf_int.h). Pango shapes the text (HarfBuzz:
 * Vietnamese stacked diacritics, Hangul, Han) and fontconfig finds the script's font (Noto Sans
 * CJK TC/KR, Noto Sans); cairo embeds the glyph subsets with their Unicode mapping, so the PDF
 * prints the same anywhere and its text can be extracted. Units are PDF points (1/72 in).
 *
 * A document must never print a box in place of a character: every layout counts the glyphs
 * pango found no font for, and notice__pdf_close fails rather than finish such a document. */
#include "pdf_int.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "notice.h"

#define PT_FOOTER 8.0

/* Pango's font maps and fontconfig's configuration are loaded per process and are not safe to
 * use from two threads at once: one document is laid out at a time. */
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    struct notice__pdf *p = closure;
    if (p->discard)
        return CAIRO_STATUS_SUCCESS;
    if (fwrite(data, 1, len, p->out) != len) {
        p->write_failed = 1;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

int notice__pdf_open(struct notice__pdf *p, int paper, int lang, const char *title, FILE *out,
                     struct hc_diag *d)
{
    const struct notice_lang_info *li = notice_lang_info(lang);

    pthread_mutex_lock(&render_lock);
    p->locked = 1;
    p->family = li->pango_family;
    p->lang_name = li->english_name;
    p->out = out;
    p->w = paper == NOTICE_PAPER_A4 ? 595.276 : 612.0;
    p->h = paper == NOTICE_PAPER_A4 ? 841.890 : 792.0;
    p->margin = paper == NOTICE_PAPER_A4 ? 51.0 : 54.0; /* 18 mm, 0.75 in */
    notice__pdf_pass(p, 0);
    p->surface = cairo_pdf_surface_create_for_stream(write_cb, p, p->w, p->h);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        hc_diag_set(d, "", "cairo: ", cairo_status_to_string(cairo_surface_status(p->surface)));
        return HC_EIO;
    }
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "holdcheck");
    p->cr = cairo_create(p->surface);
    p->ctx = pango_cairo_create_context(p->cr);
    pango_cairo_context_set_resolution(p->ctx, 72.0);
    pango_context_set_language(p->ctx, pango_language_from_string(li->tag));
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    return HC_OK;
}

void notice__pdf_pass(struct notice__pdf *p, int dry)
{
    p->dry = dry;
    p->page = 1;
    p->y = p->margin;
}

PangoLayout *notice__pdf_layout(struct notice__pdf *p, const char *text, double pt, int bold,
                                double width)
{
    PangoLayout *l = pango_layout_new(p->ctx);
    PangoFontDescription *fd = pango_font_description_from_string(p->family);
    PangoAttrList *attrs = pango_attr_list_new();

    /* A word too long for its line is broken between characters, without the hyphen pango
     * would add: in a booking number, a date or a request id a hyphen would be a character
     * the record does not have. */
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);

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

double notice__pdf_height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

void notice__pdf_draw(struct notice__pdf *p, PangoLayout *l, double x, double y)
{
    if (p->dry)
        return;
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

void notice__pdf_draw_line(struct notice__pdf *p, PangoLayoutLine *line, double x,
                           double baseline)
{
    if (p->dry)
        return;
    cairo_move_to(p->cr, x, baseline);
    pango_cairo_show_layout_line(p->cr, line);
}

void notice__pdf_hline(struct notice__pdf *p, double x0, double x1, double y, double width)
{
    if (p->dry)
        return;
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_stroke(p->cr);
}

void notice__pdf_rect(struct notice__pdf *p, double x, double y, double w, double h, int fill,
                      double grey)
{
    if (p->dry)
        return;
    cairo_rectangle(p->cr, x, y, w, h);
    if (fill) {
        cairo_set_source_rgb(p->cr, grey, grey, grey);
        cairo_fill(p->cr);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    } else {
        cairo_set_line_width(p->cr, 1.1);
        cairo_stroke(p->cr);
    }
}

/* The footer of this page: the document's footer text at the left, "Page N of M" at the
 * right, in the bottom margin. */
static void footer(struct notice__pdf *p)
{
    char num[64];
    double width = p->w - 2 * p->margin, y = p->h - p->margin * 0.65;
    PangoLayout *left, *right;

    snprintf(num, sizeof num, "%s %d %s %d", p->page_word ? p->page_word : "Page", p->page,
             p->of_word ? p->of_word : "of", p->pages);
    right = notice__pdf_layout(p, num, PT_FOOTER, 0, width);
    pango_layout_set_alignment(right, PANGO_ALIGN_RIGHT);
    left = notice__pdf_layout(p, p->footer, PT_FOOTER, 0, width * 0.7);
    notice__pdf_hline(p, p->margin, p->w - p->margin, y - 4, 0.4);
    notice__pdf_draw(p, left, p->margin, y);
    notice__pdf_draw(p, right, p->margin, y);
    g_object_unref(left);
    g_object_unref(right);
}

/* End this page: its footer, and the page itself (a dry pass only counts it). */
static void page_end(struct notice__pdf *p)
{
    if (p->footer != NULL)
        footer(p);
    if (!p->dry)
        cairo_show_page(p->cr);
}

int notice__pdf_fits(const struct notice__pdf *p, double need)
{
    return p->y + need <= p->h - p->margin;
}

void notice__pdf_break(struct notice__pdf *p)
{
    page_end(p);
    p->page++;
    p->y = p->margin;
}

void notice__pdf_room(struct notice__pdf *p, double need)
{
    if (!notice__pdf_fits(p, need) && p->y > p->margin + 1)
        notice__pdf_break(p);
}

void notice__pdf_text(struct notice__pdf *p, const char *text, double pt, int bold,
                      double indent, double after)
{
    double width = p->w - 2 * p->margin - indent;
    PangoLayout *l = notice__pdf_layout(p, text, pt, bold, width);
    double h = notice__pdf_height(l);

    notice__pdf_room(p, h);
    notice__pdf_draw(p, l, p->margin + indent, p->y);
    if (indent > 0) /* the bar that sets off an emphasised paragraph */
        notice__pdf_rect(p, p->margin, p->y + 1, 2.5, h - 2, 1, 0);
    p->y += h + after;
    g_object_unref(l);
}

int notice__pdf_close(struct notice__pdf *p, int rc, struct hc_diag *d)
{
    cairo_status_t st;

    if (rc == HC_OK && p->cr != NULL) {
        page_end(p);
        rc = HC_EIO;
        if (p->missing_glyphs > 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "%d characters have no font for %s (%s); install the fonts "
                     "named in docs/notices.md", p->missing_glyphs, p->lang_name, p->family);
            hc_diag_set(d, "lang", msg, NULL);
            goto out;
        }
        cairo_destroy(p->cr);
        p->cr = NULL;
        cairo_surface_finish(p->surface);
        st = cairo_surface_status(p->surface);
        if (p->write_failed || fflush(p->out) != 0 || ferror(p->out)) {
            hc_diag_set(d, "", "cannot write the PDF: ", strerror(errno));
            goto out;
        }
        if (st != CAIRO_STATUS_SUCCESS) {
            hc_diag_set(d, "", "cairo: ", cairo_status_to_string(st));
            goto out;
        }
        rc = HC_OK;
    }
out:
    /* Destroying an unfinished surface would still write it out. */
    p->discard = rc != HC_OK;
    if (p->ctx != NULL)
        g_object_unref(p->ctx);
    if (p->cr != NULL)
        cairo_destroy(p->cr);
    if (p->surface != NULL)
        cairo_surface_destroy(p->surface);
    p->ctx = NULL;
    p->cr = NULL;
    p->surface = NULL;
    if (p->locked)
        pthread_mutex_unlock(&render_lock);
    p->locked = 0;
    return rc;
}

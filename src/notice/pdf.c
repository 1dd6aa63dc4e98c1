/* SPDX-License-Identifier: MIT
 * pdf.c: a notice as PDF: the blocks of the document model (notice_int.h) laid out with the
 * page flow every PDF shares (pdf_int.h: fonts, pages, and the refusal to print a box in place
 * of a character). */
#include "notice_int.h"
#include "pdf_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PT_BODY 11.0
#define PT_TITLE 16.0
#define PT_AGENCY 12.0
#define PT_HEADING 12.0
#define PT_SMALL 9.0

static void field(struct notice__pdf *p, const struct notice__block *k)
{
    double col = (p->w - 2 * p->margin) * 0.32, width = p->w - 2 * p->margin - col;
    PangoLayout *lab = notice__pdf_layout(p, k->label, PT_BODY, 1, col - 8);
    PangoLayout *val = k->text[0] ? notice__pdf_layout(p, k->text, PT_BODY, 0, width) : NULL;
    double hl = notice__pdf_height(lab), hv = val ? notice__pdf_height(val) : hl;
    double h = hl > hv ? hl : hv;

    notice__pdf_room(p, h);
    notice__pdf_draw(p, lab, p->margin, p->y);
    if (val != NULL)
        notice__pdf_draw(p, val, p->margin + col, p->y);
    else
        notice__pdf_hline(p, p->margin + col, p->margin + col + width * 0.75, p->y + hl - 2, 0.6);
    p->y += h + 3;
    g_object_unref(lab);
    if (val != NULL)
        g_object_unref(val);
}

static void check(struct notice__pdf *p, const struct notice__block *k)
{
    double indent = 24, box = 10.5;
    PangoLayout *l = notice__pdf_layout(p, k->text, PT_BODY, 0, p->w - 2 * p->margin - indent);
    double h = notice__pdf_height(l);

    notice__pdf_room(p, h);
    notice__pdf_rect(p, p->margin + 1, p->y + 2.5, box, box, 0, 0);
    notice__pdf_draw(p, l, p->margin + indent, p->y);
    p->y += h + 9;
    g_object_unref(l);
}

static void sign(struct notice__pdf *p, const struct notice__block *k)
{
    double width = (p->w - 2 * p->margin) * 0.65, gap = 22;
    PangoLayout *lab = notice__pdf_layout(p, k->label, PT_SMALL, 0, width);
    PangoLayout *pre = k->text[0] ? notice__pdf_layout(p, k->text, PT_BODY, 0, width) : NULL;
    double hl = notice__pdf_height(lab), hp = pre ? notice__pdf_height(pre) : 0;
    double line_y;

    notice__pdf_room(p, gap + hl + 2);
    line_y = p->y + (hp > gap ? hp : gap);
    if (pre != NULL)
        notice__pdf_draw(p, pre, p->margin + 2, line_y - hp - 1);
    notice__pdf_hline(p, p->margin, p->margin + width, line_y, 0.6);
    notice__pdf_draw(p, lab, p->margin, line_y + 1.5);
    p->y = line_y + 1.5 + hl + 4;
    g_object_unref(lab);
    if (pre != NULL)
        g_object_unref(pre);
}

static void agency(struct notice__pdf *p, const struct notice__block *k)
{
    char line[512];
    if (k->text[0] != '\0') {
        notice__pdf_text(p, k->text, PT_AGENCY, 0, 0, 12);
        return;
    }
    snprintf(line, sizeof line, "%s: ________________", k->label);
    notice__pdf_text(p, line, PT_AGENCY, 0, 0, 12);
}

static void blocks(struct notice__pdf *p, const struct notice__doc *doc)
{
    size_t i;
    for (i = 0; i < doc->n; i++) {
        const struct notice__block *k = &doc->blk[i];
        switch (k->type) {
        case NB_TITLE: notice__pdf_text(p, k->text, PT_TITLE, 1, 0, 4); break;
        case NB_AGENCY: agency(p, k); break;
        case NB_FIELD:
            field(p, k);
            if (i + 1 < doc->n && doc->blk[i + 1].type != NB_FIELD)
                p->y += 8;
            break;
        case NB_PARA: notice__pdf_text(p, k->text, PT_BODY, 0, 0, 7); break;
        case NB_EMPH: notice__pdf_text(p, k->text, PT_BODY, 1, 9, 7); break;
        case NB_HEADING:
            p->y += 6;
            notice__pdf_room(p, 60); /* keep a heading with what follows it */
            notice__pdf_text(p, k->text, PT_HEADING, 1, 0, 5);
            break;
        case NB_CHECK: check(p, k); break;
        case NB_SIGN: sign(p, k); break;
        case NB_SMALL:
            if (i > 0 && doc->blk[i - 1].type == NB_SIGN)
                p->y += 10;
            notice__pdf_text(p, k->text, PT_SMALL, 0, 0, 5);
            break;
        default: break;
        }
    }
}

int notice_render_pdf(const struct notice_texts *t, int kind, int lang,
                      const struct notice_facts *f, int paper, FILE *out, struct hc_diag *d)
{
    struct notice__doc *doc = NULL;
    struct notice__pdf p;
    int rc;

    memset(&p, 0, sizeof p);
    if ((rc = notice__doc_new(t, kind, lang, f, paper, &doc, d)) != 0)
        return rc;
    if ((rc = notice__pdf_open(&p, paper, lang, doc->title, out, d)) == HC_OK)
        blocks(&p, doc);
    rc = notice__pdf_close(&p, rc, d);
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

/* SPDX-License-Identifier: MIT
 * html.c: a notice as one self-contained, print-ready HTML page: no script, no external file;
 * inline CSS sets the paper size and margins, names the script's fonts, and draws the check
 * boxes and signature lines, so the page prints the same from any browser. */
#include "notice_int.h"

#include <stdlib.h>
#include <string.h>

/* s as HTML text: escaped, each line break a <br>. */
static void esc(struct hc_buf *b, const char *s)
{
    const char *nl;
    while ((nl = strchr(s, '\n')) != NULL) {
        hc_buf_put_html(b, s, (size_t)(nl - s));
        hc_buf_puts(b, "<br>");
        s = nl + 1;
    }
    hc_buf_put_html(b, s, strlen(s));
}

static const char css_common[] =
    "html{font-size:11pt;line-height:1.45;color:#000;background:#fff}\n"
    "body{margin:0 auto;max-width:7in;padding:0.5in 0.25in}\n"
    "@media print{body{max-width:none;padding:0}}\n"
    ":lang(ko){word-break:keep-all}\n"
    "h1{font-size:16pt;line-height:1.25;margin:0 0 4pt}\n"
    ".agency{font-size:12pt;margin:0 0 12pt}\n"
    "dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:2pt 12pt;margin:0 0 12pt}\n"
    "dt{font-weight:bold}dd{margin:0}\n"
    ".blank{display:inline-block;min-width:2.5in;border-bottom:1px solid #000}\n"
    "p{margin:0 0 7pt}\n"
    "p.emph{font-weight:bold;border-left:3pt solid #000;padding-left:6pt}\n"
    "h2{font-size:12pt;margin:12pt 0 5pt;break-after:avoid;page-break-after:avoid}\n"
    "ul.choices{list-style:none;padding:0;margin:0 0 6pt}\n"
    "ul.choices li{margin:0 0 9pt;padding-left:22pt;text-indent:-22pt}\n"
    ".box{display:inline-block;width:11pt;height:11pt;border:1.2pt solid #000;"
    "vertical-align:-2pt;margin-right:9pt;text-indent:0}\n"
    ".signs{break-inside:avoid;page-break-inside:avoid}\n"
    ".sign{margin:16pt 0 0}\n"
    ".sign .line{border-bottom:1px solid #000;min-height:15pt;max-width:4.5in}\n"
    ".sign .label{font-size:9pt}\n"
    ".small{font-size:9pt}\n";

static void head(struct hc_buf *b, const struct notice__doc *doc, int paper)
{
    const struct notice_lang_info *li = notice_lang_info(doc->lang);

    hc_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
    hc_buf_puts(b, li->tag);
    hc_buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"holdcheck\">\n<title>");
    esc(b, doc->title);
    hc_buf_puts(b, "</title>\n<style>\n");
    hc_buf_puts(b, paper == NOTICE_PAPER_A4 ? "@page{size:A4;margin:18mm}\n"
                                            : "@page{size:letter;margin:0.75in}\n");
    hc_buf_puts(b, "html{font-family:");
    hc_buf_puts(b, li->css_fonts);
    hc_buf_puts(b, "}\n");
    hc_buf_puts(b, css_common);
    hc_buf_puts(b, "</style>\n</head>\n<body>\n");
}

/* The HTML of each kind of block: what comes before and after its text, and, for the kinds
 * whose runs form a list, the list's opening and closing tags (NULL for the others). */
static const struct block_html {
    const char *open, *close, *list_open, *list_close;
} html_of[NB_COUNT] = {
    [NB_TITLE] = {"<h1>", "</h1>\n", NULL, NULL},
    [NB_AGENCY] = {"<p class=\"agency\">", "</p>\n", NULL, NULL},
    [NB_FIELD] = {"<dt>", "</dd>\n", "<dl class=\"fields\">\n", "</dl>\n"},
    [NB_PARA] = {"<p>", "</p>\n", NULL, NULL},
    [NB_EMPH] = {"<p class=\"emph\">", "</p>\n", NULL, NULL},
    [NB_HEADING] = {"<h2>", "</h2>\n", NULL, NULL},
    [NB_CHECK] = {"<li><span class=\"box\" aria-hidden=\"true\"></span>", "</li>\n",
                  "<ul class=\"choices\">\n", "</ul>\n"},
    [NB_SIGN] = {"<div class=\"sign\"><div class=\"line\">", "</div></div>\n",
                 "<div class=\"signs\">\n", "</div>\n"},
    [NB_SMALL] = {"<p class=\"small\">", "</p>\n", NULL, NULL},
};

/* Close the list a run of fields, check boxes or signature lines was in, if the next block
 * does not continue it (-1: no block). */
static void close_group(struct hc_buf *b, int prev, int next)
{
    if (prev == next)
        return;
    if (prev >= 0 && html_of[prev].list_close != NULL)
        hc_buf_puts(b, html_of[prev].list_close);
    if (next >= 0 && html_of[next].list_open != NULL)
        hc_buf_puts(b, html_of[next].list_open);
}

static void block(struct hc_buf *b, const struct notice__block *k)
{
    if (k->type >= NB_COUNT)
        return;
    hc_buf_puts(b, html_of[k->type].open);
    switch (k->type) {
    case NB_AGENCY:
        if (k->text[0] != '\0') {
            esc(b, k->text);
        } else {
            esc(b, k->label);
            hc_buf_puts(b, ": <span class=\"blank\"></span>");
        }
        break;
    case NB_FIELD:
        esc(b, k->label);
        hc_buf_puts(b, "</dt><dd>");
        if (k->text[0] != '\0')
            esc(b, k->text);
        else
            hc_buf_puts(b, "<span class=\"blank\"></span>");
        break;
    case NB_SIGN:
        esc(b, k->text);
        hc_buf_puts(b, "</div><div class=\"label\">");
        esc(b, k->label);
        break;
    default:
        esc(b, k->text);
        break;
    }
    hc_buf_puts(b, html_of[k->type].close);
}

int notice_render_html(const struct notice_texts *t, int kind, int lang,
                       const struct notice_facts *f, int paper, struct hc_buf *b,
                       struct hc_diag *d)
{
    struct notice__doc *doc;
    size_t i;
    int prev = -1, rc;

    if ((rc = notice__doc_new(t, kind, lang, f, paper, &doc, d)) != 0)
        return rc;
    head(b, doc, paper);
    for (i = 0; i < doc->n; i++) {
        close_group(b, prev, doc->blk[i].type);
        block(b, &doc->blk[i]);
        prev = doc->blk[i].type;
    }
    close_group(b, prev, -1);
    hc_buf_puts(b, "</body>\n</html>\n");
    rc = 0;
    if (b->full) {
        hc_diag_set(d, "", "the HTML did not fit in the output buffer", NULL);
        rc = HC_ENOSPC;
    }
    free(doc);
    return rc;
}

/* SPDX-License-Identifier: MIT
 * notice.h: the TRUTH Act notices as documents. The texts come from translation files
 * (data/notices/LANG.tsv, embedded in the binary at build time); a notice is rendered from the
 * texts, its kind, its language and the facts of one request, as print-ready HTML into a
 * bounded buffer or as PDF (pango + cairo) into a stdio stream. Which notices are owed, and by
 * when, is rules.h. Formats and the reading of the statute: docs/notices.md. */
#ifndef HC_NOTICE_H
#define HC_NOTICE_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"
#include "rules.h"

/* The languages 7283.1(a) names, in its order. */
enum notice_lang {
    NOTICE_LANG_EN = 0,
    NOTICE_LANG_ES,
    NOTICE_LANG_ZH, /* Chinese in traditional characters (zh-Hant); docs/notices.md says why */
    NOTICE_LANG_TL,
    NOTICE_LANG_VI,
    NOTICE_LANG_KO,
    NOTICE_LANG_COUNT
};

/* What the program knows of a language. All strings are static. */
struct notice_lang_info {
    const char *code;         /* the file name: "zh" for data/notices/zh.tsv */
    const char *tag;          /* BCP 47, for <html lang> and pango: "zh-Hant" */
    const char *english_name; /* "Chinese" */
    const char *css_fonts;    /* CSS font-family list naming the script's fonts */
    const char *pango_family; /* pango family list, e.g. "Noto Sans CJK TC" */
};

/* The language's description, or NULL when lang is out of range. */
const struct notice_lang_info *notice_lang_info(int lang);
/* The language whose code is s ("en", ... "ko"), or -1. */
int notice_lang_from_code(const char *s);

/* ---- texts ------------------------------------------------------------------------------- */

/* Every text of every language, checked: each file is valid UTF-8, every line is `key<TAB>value`
 * or a comment, every known key is present exactly once with a non-empty value, no unknown key,
 * and each value uses the same {placeholders} as the English one. */
struct notice_texts;

/* Load the texts embedded in the binary. Returns 0 with *out set (free it with
 * notice_texts_free), HC_EINVAL with d->field = the file name ("data/notices/es.tsv") and
 * d->line = its line when a file is bad, or HC_ENOMEM. */
int notice_texts_new_builtin(struct notice_texts **out, struct hc_diag *d);

/* Load dir/en.tsv ... dir/ko.tsv instead (for translators: check or try a file without a
 * rebuild). Errors as notice_texts_new_builtin, plus HC_EIO with d->field = the path when a file
 * cannot be read. */
int notice_texts_new_dir(const char *dir, struct notice_texts **out, struct hc_diag *d);

/* Load from memory: srcs[lang] holds language lang's file (name is used in messages). Errors as
 * notice_texts_new_builtin. */
struct notice_text_src {
    const char *name;
    const char *data;
    size_t len;
};
int notice_texts_new_mem(const struct notice_text_src srcs[NOTICE_LANG_COUNT],
                         struct notice_texts **out, struct hc_diag *d);

/* Free t and everything it owns. t may be NULL. */
void notice_texts_free(struct notice_texts *t);

/* The text of key in lang, with its {placeholders} unexpanded, or NULL for an unknown key or
 * language. Borrowed from t: valid until notice_texts_free(t). */
const char *notice_text(const struct notice_texts *t, int lang, const char *key);

/* The number of known keys, and the i-th key's name (NULL when i is out of range). */
size_t notice_key_count(void);
const char *notice_key_name(size_t i);

/* Parse one translation file without checking its keys or values: call cb(ctx, key, value,
 * line) for each entry in order, with the value's escapes (\\, \t, \n) undone; key and value
 * are NUL-terminated and valid only during the call. A non-zero return from cb stops the parse
 * and is returned. Returns 0, or HC_EINVAL with d->field = name and d->line set when a line is
 * neither blank, a comment (#...) nor `key<TAB>value`, a key has characters other than
 * [a-z0-9_.], an escape is unknown, or a value is longer than 4095 bytes. */
int notice_tsv_parse(const char *name, const char *data, size_t len,
                     int (*cb)(void *ctx, const char *key, const char *value, int line),
                     void *ctx, struct hc_diag *d);

/* ---- rendering --------------------------------------------------------------------------- */

/* To whom this copy of a notice is given. */
enum notice_served_to {
    NOTICE_TO_PERSON = 0, /* the person in custody */
    NOTICE_TO_ATTORNEY,   /* their attorney (release notices only) */
    NOTICE_TO_DESIGNEE,   /* the one other person they designated (release notices only) */
};

enum notice_paper { NOTICE_PAPER_LETTER = 0, NOTICE_PAPER_A4 };

#define NOTICE_MAX_PROVISIONS 24
#define NOTICE_MAX_FACT 256 /* bytes in one fact string */

/* The facts a notice states. Strings are borrowed, UTF-8, at most NOTICE_MAX_FACT bytes; NULL
 * or "" prints a blank line to fill in by hand. Start from notice_facts_init. */
struct notice_facts {
    const char *person_name;
    const char *booking_no;
    const char *agency;            /* e.g. "Alameda County Sheriff's Office" */
    const char *agency_address;    /* printed under the name; NULL or "": none */
    int request_type;              /* enum hc_request_type, or -1 (release date sent unasked) */
    const char *form;              /* the federal form, e.g. "I-247A" */
    const char *received_at;       /* when the request was received: a stored date or time
                                    * (printed as a local date and time in the notice's
                                    * language), or text printed as it is */
    int outcome;                   /* enum hc_outcome, or -1 when not decided */
    const char *const *provisions; /* the decision's basis, e.g. "Gov. Code § 7284.6(a)(1)(B)" */
    size_t nprovisions;            /* at most NOTICE_MAX_PROVISIONS */
    int intent;                    /* enum notice_intent (UNSET: from the outcome) */
    const char *release_date;      /* the release date (and time) given to ICE; as received_at */
    int served_to;                 /* enum notice_served_to */
    const char *served_to_name;    /* the attorney's or designee's name */
    const char *generated_at;      /* printed in the footer when set; as received_at */
};

/* Reset f: every string NULL, request_type and outcome -1, intent UNSET, served_to PERSON. */
void notice_facts_init(struct notice_facts *f);

/* Append notice `kind` (enum notice_kind) in `lang` as one self-contained HTML page (inline
 * print CSS for `paper`, <html lang>, the script's fonts named) to b. Returns 0; HC_ENOSPC when
 * b filled up (retry with a larger buffer; 64 KiB always suffices); HC_EINVAL with d->field
 * naming the fact when kind, lang, paper or a fact is invalid: a fact string over
 * NOTICE_MAX_FACT bytes or not UTF-8, a copy notice for a request other than a hold,
 * notification or transfer, a release notice without release_date, or a copy or consent
 * notice served to anyone but the person. Thread-safe. */
int notice_render_html(const struct notice_texts *t, int kind, int lang,
                       const struct notice_facts *f, int paper, struct hc_buf *b,
                       struct hc_diag *d);

/* Write the same notice as PDF to out (not closed). Returns 0; HC_EINVAL as
 * notice_render_html; HC_EIO when writing failed, cairo reported an error or a character has
 * no font (d->msg says which); HC_ENOMEM. Uses fontconfig through pango's default font map;
 * PDFs are laid out one at a time in a process (pdf_int.h: a lock is held for the call). */
int notice_render_pdf(const struct notice_texts *t, int kind, int lang,
                      const struct notice_facts *f, int paper, FILE *out, struct hc_diag *d);

/* notice_render_pdf into the file at path (created or truncated; removed again on failure).
 * HC_EIO with d->field = path when it cannot be written. */
int notice_render_pdf_file(const struct notice_texts *t, int kind, int lang,
                           const struct notice_facts *f, int paper, const char *path,
                           struct hc_diag *d);

#endif

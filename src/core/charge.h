/* SPDX-License-Identifier: MIT
 * charge.h: read the charge strings jail systems, booking logs and court opinions actually write
 * ("496(A) PC RECEIVE KNOWN STOLEN PROP", "PC4532B1-F", "23152(A)VC", "243(E)(1)/M",
 * "(Pen. Code, § 211; count 3)", "booked for 273.5(a) PC and 166(c)(1) PC") into the citations
 * they contain, each with the level, degree and attempt or conspiracy written with it, and how
 * sure the reading is. Where the text admits more than one reading (is "PC4221A" 422.1(a) or
 * 4221(a)?) a caller-given predicate says which sections exist; when it cannot settle it the
 * charge is AMBIGUOUS and names every candidate. The reader never guesses. */
#ifndef HC_CHARGE_H
#define HC_CHARGE_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "case.h"
#include "catalog.h"
#include "cite.h"
#include "date.h"
#include "err.h"

#define HC_CHARGE_MAX 8      /* citations read from one string */
#define HC_CHARGE_CAND_MAX 4 /* candidates named by one AMBIGUOUS charge */
#define HC_CHARGE_TEXT_MAX 512 /* longest string read, in bytes */

enum hc_charge_conf {
    HC_CHARGE_EXACT = 1, /* the whole string is one citation hc_cite_parse reads as it stands */
    HC_CHARGE_READ,      /* one reading, after stripping descriptions and noise, splitting glued
                          * text, expanding compressed subdivisions, or choosing the one
                          * candidate the predicate says exists */
    HC_CHARGE_AMBIGUOUS, /* several readings remain: cand[0..ncand) */
};

/* One charge read from a string. cand[0] is the reading; for an AMBIGUOUS charge cand[1..ncand)
 * are the others, in the order: the text as written, a letter read as a section suffix
 * ("288A" as 288a), a section whose decimal point a system dropped ("4221" as 422.1). The
 * degree is in cand[i].main.degree (or .target.degree for an attempt), the attempt or
 * conspiracy in cand[i].inchoate, the level also in cand[i].level_suffix. */
struct hc_charge_reading {
    struct hc_cite cand[HC_CHARGE_CAND_MAX];
    unsigned char ncand; /* 1 unless conf is AMBIGUOUS */
    unsigned char conf;  /* enum hc_charge_conf */
    unsigned char level; /* enum hc_level written with the charge ("-F", "/M", "MISD"...) */
};

struct hc_charge_readings {
    size_t n;
    struct hc_charge_reading c[HC_CHARGE_MAX];
};

/* Whether the section (and, if it cares, the subdivision path) p exists, for ctx. p is
 * complete: code, title, section, subdivisions, degree and hash (hc_cite_hash). Returns
 * non-zero when it exists. Called only to choose between readings, never for text with one
 * reading in a written code. Must not keep p. */
typedef int (*hc_charge_exists_fn)(void *ctx, const struct hc_cite_part *p);

/* Read every citation in s[0..len) into *out, in the order written. Several citations in one
 * string give several charges; "X/Y" gives an attempt or conspiracy when X or Y is PC 664 or
 * PC 182, two charges otherwise. A number counts as a section only when a code is written
 * next to it, before or after, glued or not, or it continues a list begun with a code
 * ("Pen. Code, §§ 211, 212.5"). A string that names no code at all is read only when it
 * begins with something shaped like a citation ("243(E)(1)/M", "(§ 664)"; not a bare "459"),
 * and then only in the codes where `exists` finds the section: one code gives READ, several
 * AMBIGUOUS, none no charge.
 *
 * How readings are chosen (the reader never guesses): a restored decimal point ("4221A" as
 * 422.1(a)) stands only if `exists` finds it, and wins when it finds no reading as written;
 * readings as written (a glued letter as subdivision or section suffix, "CPC" as one code or
 * as C and PC) all stand unless `exists` finds the suffixed section and not the bare one.
 * exists may be NULL: then every string with more than one reading is AMBIGUOUS. ctx is
 * passed to it.
 *
 * Returns the number of charges (1..HC_CHARGE_MAX), or HC_EINVAL with the reason in d when the
 * string is longer than HC_CHARGE_TEXT_MAX or no citation can be read from it, or HC_ERANGE
 * when it holds more than HC_CHARGE_MAX. On error out->n is 0. Never reads past s + len; s need
 * not be NUL-terminated. Pure: no allocation, no global state; safe from any thread. */
int hc_charge_read(const char *s, size_t len, hc_charge_exists_fn exists, void *ctx,
                   struct hc_charge_readings *out, struct hc_diag *d);

/* Context for hc_charge_catalog_exists: the catalog and the day the offense is judged on. */
struct hc_charge_catalog {
    const struct hc_catalog *cat; /* borrowed; must outlive every call */
    hc_day on;
};

/* An hc_charge_exists_fn over the offense catalog: ctx is a struct hc_charge_catalog. A part
 * exists when the catalog has a row of its section (code, title, section) on that day
 * (hc_catalog_lookup's `found`); subdivisions are not compared, since the catalog lists a
 * subdivision only where its law differs from its section's. */
int hc_charge_catalog_exists(void *ctx, const struct hc_cite_part *p);

/* Append the charge's citation in canonical form ("PC 245(a)(1)", "PC 664/211",
 * "PC 187(a) 1st"), or for an AMBIGUOUS one "AMBIGUOUS: PC 4221(a) | PC 422.1(a)". The level is
 * not written. */
void hc_charge_reading_format(const struct hc_charge_reading *c, struct hc_buf *b);

/* Read with hc_charge_read, and the catalog on each record's day (a conviction's date, else
 * the case's as_of), every conviction's and charge's citation of c that hc_cite_parse refused:
 * what jail and court systems write ("496(A) PC RECEIVE KNOWN STOLEN PROP"). One reading sets
 * cite and cite_ok, and the level when the case gave none and the string does; the citation
 * text stays as written. A string with several readings or several citations stays
 * unreadable, its cite_error naming them, so that the decision is `review` naming what a person
 * must settle; one with no citation keeps hc_cite_parse's reason. Call after hc_case_read and
 * before hc_decide; strings go into a. Returns HC_OK, or HC_ENOMEM. */
int hc_case_read_charges(struct hc_case *c, const struct hc_catalog *cat, struct hc_arena *a);

#endif

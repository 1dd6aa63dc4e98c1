/* SPDX-License-Identifier: MIT
 * catalog.h: the offense catalog (the TSV tables under data/; format in data/README.md)
 * loaded once into an immutable index, and the lookup that says what the catalog knows of a
 * cited offense on a date: its level, sentencing, and membership in the serious (PC 1192.7(c))
 * and violent (PC 667.5(c)) lists, the Gov. Code 7282.5(a)(3) categories, PC 290 registration,
 * Proposition 47 and the federal aggravated-felony subparagraphs.
 *
 * Membership accumulates over every row covering a citation; kind and sentence come from the
 * most specific covering row. Where rows narrower than the citation would change an answer the
 * answer is "maybe", and the engine turns that into `review`. */
#ifndef HC_CATALOG_H
#define HC_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "cite.h"
#include "date.h"
#include "memfile.h"
#include "err.h"

enum hc_tri { HC_NO = 0, HC_YES = 1, HC_MAYBE = 2 };

enum hc_sentence {
    HC_SENT_UNKNOWN = 0, /* the catalog does not know */
    HC_SENT_PRISON,      /* a felony conviction is punishable by imprisonment in the state prison */
    HC_SENT_1170H,       /* a felony is punishable only in county jail under PC 1170(h) */
    HC_SENT_NONE,        /* no felony is possible */
};

/* Gov. Code 7282.5(a)(3) categories as bits: (A) is bit 0 ... (Z) bit 25, (AA) bit 26 ... (AE) bit 30. */
#define HC_CAT_COUNT 31
#define HC_CAT_ALL ((uint32_t)0x7fffffffu)
/* Not a category: `none` in the cats cell of a federal row, an offense with no California
 * counterpart, which therefore meets none of 7282.5(a)(1)-(3) (8 USC 1326 reentry, say). */
#define HC_CAT_NO_CA ((uint32_t)1u << 31)
#define HC_CAT_A ((uint32_t)1u << 0)  /* assault */
#define HC_CAT_G ((uint32_t)1u << 6)  /* felony DUI */
#define HC_CAT_M ((uint32_t)1u << 12) /* felony drug offenses */
#define HC_CAT_P ((uint32_t)1u << 15) /* attempt or conspiracy */
/* Bit of category letters s[0..n) ("A", "AC"), or 0 when there is no such category. */
uint32_t hc_cat_bit(const char *s, size_t n);
/* Letters of category i (0..30): "A" .. "AE". */
const char *hc_cat_letters(int i);

/* A serious/violent cell of "?": whether the list applies depends on facts of the record (e.g.
 * which prong of a section the conviction was under). */
#define HC_PARA_MAYBE 255

struct hc_offense_row {
    struct hc_cite_part cite;
    hc_day from, to;        /* applies to convictions dated from..to inclusive */
    char kind;              /* 'F' felony, 'W' wobbler, 'M' misdemeanor, 'I' infraction, 'E' enhancement,
                             * 'R' a misdemeanor unless priors make it a felony, '?' it depends on
                             * facts the citation does not give, 'L' a list row: it adds list
                             * membership (serious, violent, categories, registration) to the
                             * offense other rows describe, dated by the decision date */
    unsigned char sentence; /* enum hc_sentence */
    unsigned char serious;  /* PC 1192.7(c) paragraph, 0 for none, HC_PARA_MAYBE when it depends */
    unsigned char violent;  /* PC 667.5(c) paragraph, 0 for none, HC_PARA_MAYBE when it depends */
    uint32_t cats;          /* 7282.5(a)(3) categories */
    unsigned char reg290;   /* conviction requires PC 290 registration */
    char prop47;            /* 'Y' reclassified by Prop 47, 'P' partly, '-' not */
    char agg;               /* 8 USC 1101(a)(43) subparagraph 'A'..'U', 0 for none */
    unsigned char agg_cond; /* the subparagraph depends on facts not in the citation */
    unsigned char reveals_status; /* flags "status": the offense's elements include the person's
                                   * immigration or citizenship status, so naming the charge
                                   * tells it (8 USC 1325, 1326; 18 USC 922(g)(5), 911) */
    const char *desc;       /* in the arena */
    const char *source;     /* in the arena */
};

struct hc_catalog_group; /* rows of one section, contiguous in rows[] */

/* A catalog version: 64 lower-case hex digits of a BLAKE2b-256 hash, and a NUL. */
#define HC_CATALOG_VERSION_LEN 65

struct hc_catalog {
    const struct hc_offense_row *rows; /* sorted by section; in the arena */
    size_t nrows;
    const struct hc_catalog_group *groups;
    size_t ngroups;
    const uint32_t *slots; /* open-addressing hash of sections: group index + 1, 0 = empty */
    size_t nslots;         /* a power of two */
    char version[HC_CATALOG_VERSION_LEN]; /* hc_catalog_version of the tables it was loaded from */
};

/* The most arena memory hc_catalog_load can take for the tables src[0..n), in bytes: an arena
 * of this size never runs out, whatever the tables hold (a row per line at most, its two texts
 * no longer than the line). */
size_t hc_catalog_arena_bytes(const struct hc_memfile *src, size_t n);

/* Parse n TSV files (src[i].path names one in error messages) into *cat, allocating everything
 * from a. The catalog then only reads that memory: it is immutable and may be shared by any
 * number of threads. On error returns HC_EINVAL with d naming the file in field, the line and
 * the cell, or HC_ENOMEM (d says so) when a is smaller than hc_catalog_arena_bytes needs; *cat
 * is then unusable. The texts may be freed after a successful load. */
int hc_catalog_load(struct hc_catalog *cat, const struct hc_memfile *src, size_t n,
                    struct hc_arena *a, struct hc_diag *d);

/* The version of the catalog that tables src[0..n) load into: the BLAKE2b-256 hash (libsodium's
 * crypto_generichash, 32 bytes, no key) of, for each table in order, the last two components of
 * its path ("ca/penal.tsv") and a newline, then each row the loader reads (every line that is
 * neither empty nor a comment, without its line ending) and a newline; written into out as 64
 * lower-case hex digits. So the version names the rows that decide, wherever the tables were
 * read from (built in, or `--catalog DIR`): a comment or a blank line changes nothing, a changed
 * cell, row, table name or table order changes it. A pure function of its arguments (no
 * allocation; libsodium's hash needs no sodium_init). hc_catalog_load computes it once into
 * cat->version; a decision's trace stores it (docs/engine.md, "The trace"). */
void hc_catalog_version(const struct hc_memfile *src, size_t n,
                        char out[HC_CATALOG_VERSION_LEN]);

/* What the catalog knows of one offense on one date. */
struct hc_offense {
    unsigned char found;        /* some row names this section on that date */
    char kind;                  /* 'F','W','M','I','E','R', or '?' when unknown or depends on subdivision */
    unsigned char misd_wobbler; /* enum hc_tri: is a misdemeanor conviction of it one for "a crime
                                 * punishable as either" (7282.5(a)(3)), judged over the rows that
                                 * allow a misdemeanor */
    unsigned char sentence;     /* enum hc_sentence */
    unsigned char serious;      /* enum hc_tri */
    unsigned char serious_para; /* PC 1192.7(c) paragraph when serious == HC_YES */
    unsigned char violent;      /* enum hc_tri */
    unsigned char violent_para;
    uint32_t cats_yes;          /* categories that certainly apply */
    uint32_t cats_maybe;        /* categories that may apply (narrower rows, or unknown offense) */
    unsigned char reg290;       /* enum hc_tri */
    char prop47;                /* 'Y', 'P', '-', or '?' when it depends on the subdivision */
    char agg;                   /* subparagraph letter, 0 for none */
    unsigned char agg_cond;
    unsigned char no_ca;        /* a covering federal row says: no California counterpart */
    unsigned char inchoate;     /* enum hc_inchoate of the citation resolved */
    unsigned char dated;        /* some row of the section has an effective-date bound */
    unsigned char reveals_status; /* a row naming it or a narrower part, of any date, flags
                                   * "status" (see hc_offense_row): such a charge is never shown
                                   * to the public */
    const char *desc;           /* borrowed from the catalog; "" when not found */
};

/* Resolve part p as of day `on` into *out. Never fails: an unknown section gives found = 0
 * and every attribute unknown. */
void hc_catalog_lookup(const struct hc_catalog *cat, const struct hc_cite_part *p, hc_day on,
                       struct hc_offense *out);

/* Resolve a whole citation, including attempts (PC 664) and conspiracies (PC 182), whose
 * attributes derive from the offense attempted: PC 1192.7(c)(39) and (c)(42), PC 667.5(c)(12)
 * for attempted murder, and 7282.5(a)(3)(P) when the object offense is specified in 7282.5. */
void hc_catalog_resolve(const struct hc_catalog *cat, const struct hc_cite *c, hc_day on,
                        struct hc_offense *out);

/* hc_catalog_resolve with two dates: offense rows apply to a conviction dated `on`, list rows
 * (kind L: a list such as PC 1192.7(c) naming the offense from a date) to a decision on
 * `list_on`. The list a provision names is the list as it reads when the agency decides; the
 * offense is the one the person was convicted of. hc_catalog_resolve(c, on) is
 * hc_catalog_resolve_at(c, on, on). */
void hc_catalog_resolve_at(const struct hc_catalog *cat, const struct hc_cite *c, hc_day on,
                           hc_day list_on, struct hc_offense *out);

/* The sentencing (enum hc_sentence) that hc_catalog_resolve gives citation c on the days lo..hi
 * on which the catalog knows the offense, as bits (1u << HC_SENT_...); 0 when it knows the
 * offense on none of them. For a conviction whose date is not known: when more than one bit is
 * set, the date decides "punishable by imprisonment in the state prison". */
unsigned hc_catalog_sentences(const struct hc_catalog *cat, const struct hc_cite *c, hc_day lo,
                              hc_day hi);

#endif

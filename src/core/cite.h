/* SPDX-License-Identifier: MIT
 * cite.h: parse the citations jail and court systems write ("PC 245(a)(1)", "245(A)(1) PC",
 * "Penal Code § 245(a)(1)", "H&S 11378", "VC 23152(a)-F", "18 U.S.C. § 2113(a)",
 * "PC 664/187(a)", "PC 459 1st") into one canonical structure, and match citations against
 * each other with the subdivision rule: a listing covers everything beneath it (245 covers
 * 245(a)(1)) and nothing beside it (243(d) does not cover 243(e)). */
#ifndef HC_CITE_H
#define HC_CITE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

enum hc_code {
    HC_CODE_NONE = 0,
    HC_CODE_PC,  /* Penal Code */
    HC_CODE_VC,  /* Vehicle Code */
    HC_CODE_HS,  /* Health and Safety Code */
    HC_CODE_WI,  /* Welfare and Institutions Code */
    HC_CODE_BP,  /* Business and Professions Code */
    HC_CODE_USC, /* United States Code; the title is in hc_cite_part.title */
};

enum hc_level {
    HC_LEVEL_UNKNOWN = 0,
    HC_LEVEL_FELONY,
    HC_LEVEL_MISDEMEANOR,
    HC_LEVEL_INFRACTION,
};

#define HC_CITE_SEC_MAX 16 /* "12022.53" and the like, NUL included */
#define HC_CITE_SUB_MAX 6  /* subdivision depth */
#define HC_CITE_SUBLEN 8   /* one subdivision label, NUL included */

/* One section reference: code, section and subdivision path. The degree (1 or 2, 0 for none)
 * is matched as the last, most specific component of the path. The parser zero-fills sec and
 * every sub[], so parts compare as whole words (hc_cite_same_section, hc_cite_relate_path). */
struct hc_cite_part {
    unsigned char code;                        /* enum hc_code */
    unsigned char nsub;
    unsigned char degree;
    unsigned short title;                      /* USC title, 0 otherwise */
    char sec[HC_CITE_SEC_MAX];                 /* lower case, e.g. "288a", "273.5" */
    unsigned int hash;                         /* of code, title and sec (hc_cite_hash) */
    char sub[HC_CITE_SUB_MAX][HC_CITE_SUBLEN]; /* lower case, e.g. {"a","1"} */
};

enum hc_inchoate {
    HC_INCHOATE_NONE = 0,
    HC_INCHOATE_ATTEMPT,    /* PC 664 */
    HC_INCHOATE_CONSPIRACY, /* PC 182 */
};

/* A parsed citation. For an attempt or conspiracy ("PC 664/211") `main` is the 664 or 182
 * part and `target` the offense attempted; has_target says whether a target was written. */
struct hc_cite {
    struct hc_cite_part main;
    struct hc_cite_part target;
    unsigned char has_target;
    unsigned char inchoate;     /* enum hc_inchoate */
    unsigned char level_suffix; /* enum hc_level from a "-F"/"-M"/"-I" suffix, else UNKNOWN */
};

/* Whether a and b are the same citation part: code, title, section, subdivision path and
 * degree. Reads only within the arrays, whatever the parts hold. */
int hc_cite_part_equal(const struct hc_cite_part *a, const struct hc_cite_part *b);

/* What a part opens when it is the first of "PC 664/211": HC_INCHOATE_ATTEMPT for PC 664,
 * HC_INCHOATE_CONSPIRACY for PC 182, else HC_INCHOATE_NONE. */
enum hc_inchoate hc_cite_inchoate_of(const struct hc_cite_part *p);

/* Parse s[0..len) into *out. Returns 0, or HC_EINVAL with a reason in d->msg (d may be NULL)
 * when the text is not a citation this parser understands; *out is then unspecified. Never
 * reads past s + len; s need not be NUL-terminated. */
int hc_cite_parse(const char *s, size_t len, struct hc_cite *out, struct hc_diag *d);

/* How listing `list` relates to the cited part `c`: */
enum hc_cite_rel {
    HC_CITE_UNRELATED = 0, /* other section, or a sibling subdivision */
    HC_CITE_COVERS,        /* list is c or an ancestor of c: the listing applies */
    HC_CITE_NARROWER,      /* list is a proper descendant of c: it may or may not apply */
};
enum hc_cite_rel hc_cite_relate(const struct hc_cite_part *list, const struct hc_cite_part *c);
/* The same, for two parts already known to name the same section (hc_cite_same_section). */
enum hc_cite_rel hc_cite_relate_path(const struct hc_cite_part *list, const struct hc_cite_part *c);

/* Hash of code, title and section: computed by the parser into p->hash, used by the catalog. */
unsigned int hc_cite_hash(const struct hc_cite_part *p);

/* Whether a and b name the same code, title and section (subdivisions ignored). */
int hc_cite_same_section(const struct hc_cite_part *a, const struct hc_cite_part *b);

/* Append the canonical form ("PC 245(a)(1)", "18 USC 2113(a)", "PC 664/211") to b. */
void hc_cite_format(const struct hc_cite *c, struct hc_buf *b);
void hc_cite_part_format(const struct hc_cite_part *p, struct hc_buf *b);

#endif

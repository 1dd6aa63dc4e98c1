/* SPDX-License-Identifier: MIT
 * notice.c: `holdcheck notice`: the TRUTH Act notices (Gov. Code 7283.1) from the command line.
 *   notice owed --type T --outcome O [...]      which notices are owed, to whom, by when
 *   notice [render] --kind K --lang L --format html|pdf --out FILE [--facts FILE] [flags]
 *   notice check-texts [DIR]                    check translation files (for translators)
 * The facts come from a JSON file and/or flags (flags win); docs/notices.md has the format. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "case.h"
#include "cli.h"
#include "date.h"
#include "engine.h"
#include "notice.h"
#include "render.h"
#include "rules.h"

/* Declared here until src/cli/cli.h lists it with the other subcommands. */
int cli_notice(int argc, char **argv);

#define HTML_MAX (1u << 20)

static void usage(FILE *f)
{
    fputs("usage: holdcheck notice owed --type T --outcome O [--release-date-provided]\n"
          "                             [--intent I] [--not-civil] [--as-of YYYY-MM-DD] [--json]\n"
          "       holdcheck notice [render] --kind K --lang L --format html|pdf --out FILE\n"
          "                             [--facts FILE] [FACT FLAGS] [--paper letter|a4]\n"
          "       holdcheck notice check-texts [DIR]\n"
          "  See holdcheck notice --help and docs/notices.md.\n", f);
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "holdcheck notice: %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
    usage(stderr);
    return CLI_EXIT_USAGE;
}

static void print_diag(const char *prefix, const struct hc_diag *d)
{
    if (d->line > 0)
        fprintf(stderr, "holdcheck: %s:%d: %s\n", d->field, d->line, d->msg);
    else if (d->field[0] != '\0')
        fprintf(stderr, "holdcheck: %s%s: %s\n", prefix, d->field, d->msg);
    else
        fprintf(stderr, "holdcheck: %s\n", d->msg);
}

static int request_from_name(const char *s)
{
    return hc_request_from_name(s, strlen(s));
}

/* What request_opt has read, a bit each. */
enum { GIVEN_TYPE = 1, GIVEN_OUTCOME = 2, GIVEN_INTENT = 4 };

/* The options `owed` and `render` share: --type, --outcome and --intent. Reads option opt with
 * value val into *type, *outcome or *intent and marks it in *given. Returns 1 when opt is one of
 * them, 0 when it is another option, -1 after usage_error() reported a bad value. */
static int request_opt(const char *opt, const char *val, int *type, int *outcome, int *intent,
                       unsigned *given)
{
    const char *bad;
    if (strcmp(opt, "--type") == 0) {
        *given |= GIVEN_TYPE;
        if ((*type = request_from_name(val)) >= 0)
            return 1;
        bad = "unknown request type:";
    } else if (strcmp(opt, "--outcome") == 0) {
        *given |= GIVEN_OUTCOME;
        if ((*outcome = hc_outcome_from_name(val)) >= 0)
            return 1;
        bad = "unknown outcome:";
    } else if (strcmp(opt, "--intent") == 0) {
        *given |= GIVEN_INTENT;
        if ((*intent = notice_intent_from_name(val)) >= 0)
            return 1;
        bad = "unknown intent (undecided, yes, no):";
    } else {
        return 0;
    }
    (void)usage_error(bad, val);
    return -1;
}

/* ---- notice owed ------------------------------------------------------------------------- */

static int parse_hours(const char *s, unsigned *out)
{
    char *end;
    unsigned long v;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > 720 || s[0] == '-')
        return -1;
    *out = (unsigned)v;
    return 0;
}

static void owed_text(const struct notice_owed *o, const struct notice_clock *c)
{
    unsigned hours = o->due.anchor == NOTICE_ANCHOR_INTERVIEW ? 0
                     : o->due.uses_promptly                   ? c->promptly_hours
                                                              : c->receipt_hours;
    printf("%s\t%s\t%s\t%s\t%s+%uh%s\tintent=%s%s%s\n", notice_kind_name(o->kind),
           notice_owed_to_name(o->to), o->subdivision, o->due.words,
           notice_anchor_name(o->due.anchor), hours,
           o->due.not_after_release ? ",before_release" : "", notice_intent_name(o->intent),
           (o->flags & NOTICE_F_INTENT_PENDING) ? "\tintent_pending" : "",
           (o->flags & NOTICE_F_IF_INTERVIEW_PROCEEDS) ? "\tif_interview_proceeds" : "");
}

static int owed_json(const struct notice_owed *o, const struct notice_clock *c)
{
    json_t *j = json_object(), *due = json_object(), *flags = json_array();
    unsigned hours = o->due.anchor == NOTICE_ANCHOR_INTERVIEW ? 0
                     : o->due.uses_promptly                   ? c->promptly_hours
                                                              : c->receipt_hours;
    char *s;
    json_object_set_new(j, "kind", json_string(notice_kind_name(o->kind)));
    json_object_set_new(j, "to", json_string(notice_owed_to_name(o->to)));
    json_object_set_new(j, "provision", json_string(o->cite));
    json_object_set_new(j, "subdivision", json_string(o->subdivision));
    json_object_set_new(j, "intent", json_string(notice_intent_name(o->intent)));
    json_object_set_new(due, "words", json_string(o->due.words));
    json_object_set_new(due, "from", json_string(notice_anchor_name(o->due.anchor)));
    json_object_set_new(due, "hours", json_integer(hours));
    json_object_set_new(due, "not_after_release", json_boolean(o->due.not_after_release));
    json_object_set_new(j, "due", due);
    if (o->flags & NOTICE_F_INTENT_PENDING)
        json_array_append_new(flags, json_string("intent_pending"));
    if (o->flags & NOTICE_F_IF_INTERVIEW_PROCEEDS)
        json_array_append_new(flags, json_string("if_interview_proceeds"));
    json_object_set_new(j, "flags", flags);
    s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(j);
    if (s == NULL)
        return -1;
    puts(s);
    free(s);
    return 0;
}

static int cmd_owed(int argc, char **argv)
{
    struct notice_situation s;
    struct notice_owed o[NOTICE_MAX_OWED];
    struct notice_clock clock;
    struct hc_diag d;
    size_t n, i;
    int json = 0, a, taken;
    unsigned given = 0;

    memset(&s, 0, sizeof s);
    s.ruleset = HC_RULES_VALUES;
    notice_clock_defaults(&clock);
    for (a = 1; a < argc; a++) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (strcmp(opt, "--release-date-provided") == 0) {
            s.release_date_provided = 1;
            continue;
        }
        if (strcmp(opt, "--not-civil") == 0) {
            s.interview_not_civil = 1;
            continue;
        }
        if (strcmp(opt, "--json") == 0) {
            json = 1;
            continue;
        }
        if (val == NULL)
            return usage_error("unknown option or missing value:", opt);
        a++;
        if ((taken = request_opt(opt, val, &s.type, &s.outcome, &s.intent, &given)) < 0)
            return CLI_EXIT_USAGE;
        if (taken)
            continue;
        if (strcmp(opt, "--as-of") == 0) {
            hc_day day;
            struct hc_settings st;
            memset(&st, 0, sizeof st);
            if (hc_date_parse(val, strlen(val), &day) != 0)
                return usage_error("--as-of wants YYYY-MM-DD, not", val);
            if ((s.ruleset = hc_ruleset_for(day, &st)) < 0)
                return usage_error("--as-of is before 2014-01-01, the first law encoded:", val);
        } else if (strcmp(opt, "--receipt-hours") == 0) {
            if (parse_hours(val, &clock.receipt_hours) != 0)
                return usage_error("--receipt-hours wants 0..720, not", val);
        } else if (strcmp(opt, "--promptly-hours") == 0) {
            if (parse_hours(val, &clock.promptly_hours) != 0)
                return usage_error("--promptly-hours wants 0..720, not", val);
        } else {
            return usage_error("unknown option:", opt);
        }
    }
    if (!(given & GIVEN_TYPE) || !(given & GIVEN_OUTCOME))
        return usage_error("owed needs --type and --outcome", NULL);
    if (notice_owed(&s, o, &n, &d) != 0) {
        print_diag("", &d);
        return CLI_EXIT_INPUT;
    }
    for (i = 0; i < n; i++) {
        if (json) {
            if (owed_json(&o[i], &clock) != 0)
                return CLI_EXIT_SOFTWARE;
        } else {
            owed_text(&o[i], &clock);
        }
    }
    if (fflush(stdout) != 0)
        return CLI_EXIT_SOFTWARE;
    return CLI_EXIT_OK;
}

/* ---- the facts --------------------------------------------------------------------------- */

struct facts_in {
    json_t *root; /* owns the strings the facts borrow */
    struct notice_facts f;
    const char *prov[NOTICE_MAX_PROVISIONS];
};

static int bad_fact(const char *path, const char *field, const char *msg)
{
    fprintf(stderr, "holdcheck: %s: %s: %s\n", path, field, msg);
    return -1;
}

/* Read an optional string member: absent or null leaves *out; anything else not a string is an
 * error. */
static int get_str(const char *path, json_t *obj, const char *key, const char *field,
                   const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return bad_fact(path, field, "must be a string");
    *out = json_string_value(v);
    return 0;
}

static int check_members(const char *path, json_t *obj, const char *where,
                         const char *const *known)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i;
        int ok = 0;
        (void)v;
        for (i = 0; known[i] != NULL && !ok; i++)
            ok = strcmp(known[i], key) == 0;
        if (!ok) {
            char field[128];
            snprintf(field, sizeof field, "%s%s", where, key);
            return bad_fact(path, field, "unknown field");
        }
    }
    return 0;
}

static int load_facts_file(const char *path, struct facts_in *in)
{
    static const char *const top[] = {"person_name", "booking_no", "agency", "request",
                                      "decision", "intent", "release_date", "served_to",
                                      "served_to_name", "generated_at", NULL};
    static const char *const req[] = {"type", "form", "received_at", NULL};
    json_error_t err;
    json_t *r, *dec;
    const char *s = NULL;
    struct notice_facts *f = &in->f;
    char *text;
    size_t len;

    if (cli_read_file(path, &text, &len) != 0)
        return -2;
    in->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    free(text);
    if (in->root == NULL) {
        fprintf(stderr, "holdcheck: %s:%d: %s\n", path, err.line, err.text);
        return -1;
    }
    if (!json_is_object(in->root))
        return bad_fact(path, "(top)", "must be a JSON object");
    if (check_members(path, in->root, "", top) != 0)
        return -1;
    if (get_str(path, in->root, "person_name", "person_name", &f->person_name) ||
        get_str(path, in->root, "booking_no", "booking_no", &f->booking_no) ||
        get_str(path, in->root, "agency", "agency", &f->agency) ||
        get_str(path, in->root, "release_date", "release_date", &f->release_date) ||
        get_str(path, in->root, "served_to_name", "served_to_name", &f->served_to_name) ||
        get_str(path, in->root, "generated_at", "generated_at", &f->generated_at))
        return -1;
    s = NULL;
    if (get_str(path, in->root, "intent", "intent", &s) != 0)
        return -1;
    if (s != NULL && (f->intent = notice_intent_from_name(s)) < 0)
        return bad_fact(path, "intent", "must be undecided, yes or no");
    s = NULL;
    if (get_str(path, in->root, "served_to", "served_to", &s) != 0)
        return -1;
    if (s != NULL) {
        if (strcmp(s, "person") == 0)
            f->served_to = NOTICE_TO_PERSON;
        else if (strcmp(s, "attorney") == 0)
            f->served_to = NOTICE_TO_ATTORNEY;
        else if (strcmp(s, "designee") == 0)
            f->served_to = NOTICE_TO_DESIGNEE;
        else
            return bad_fact(path, "served_to", "must be person, attorney or designee");
    }
    r = json_object_get(in->root, "request");
    if (r != NULL && !json_is_null(r)) {
        if (!json_is_object(r))
            return bad_fact(path, "request", "must be an object");
        if (check_members(path, r, "request.", req) != 0)
            return -1;
        s = NULL;
        if (get_str(path, r, "type", "request.type", &s) != 0)
            return -1;
        if (s != NULL && (f->request_type = request_from_name(s)) < 0)
            return bad_fact(path, "request.type", "unknown request type (docs/case-format.md)");
        if (get_str(path, r, "form", "request.form", &f->form) ||
            get_str(path, r, "received_at", "request.received_at", &f->received_at))
            return -1;
    }
    /* The decision as `holdcheck decide` writes it; only outcome and basis are read. */
    dec = json_object_get(in->root, "decision");
    if (dec != NULL && !json_is_null(dec)) {
        json_t *basis;
        if (!json_is_object(dec))
            return bad_fact(path, "decision", "must be an object");
        s = NULL;
        if (get_str(path, dec, "outcome", "decision.outcome", &s) != 0)
            return -1;
        if (s != NULL && (f->outcome = hc_outcome_from_name(s)) < 0)
            return bad_fact(path, "decision.outcome",
                            "must be permitted, permitted_with_conditions, prohibited or review");
        basis = json_object_get(dec, "basis");
        if (basis != NULL && !json_is_null(basis)) {
            size_t i;
            json_t *v;
            if (!json_is_array(basis) || json_array_size(basis) > NOTICE_MAX_PROVISIONS)
                return bad_fact(path, "decision.basis", "must be an array of at most 24 strings");
            json_array_foreach(basis, i, v) {
                if (!json_is_string(v))
                    return bad_fact(path, "decision.basis", "must be an array of strings");
                in->prov[i] = json_string_value(v);
            }
            f->provisions = in->prov;
            f->nprovisions = json_array_size(basis);
        }
    }
    return 0;
}

/* ---- notice render ----------------------------------------------------------------------- */

static int write_all(const char *path, const char *data, size_t len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    int ok;
    if (f == NULL) {
        fprintf(stderr, "holdcheck: %s: %s\n", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    ok = fwrite(data, 1, len, f) == len;
    ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "holdcheck: %s: write failed\n", path);
        return CLI_EXIT_SOFTWARE;
    }
    return CLI_EXIT_OK;
}

static int exit_for(int rc)
{
    return rc == HC_EINVAL ? CLI_EXIT_INPUT : CLI_EXIT_SOFTWARE;
}

static int render_html(const struct notice_texts *t, int kind, int lang,
                       const struct notice_facts *f, int paper, const char *out)
{
    size_t cap = 65536;
    struct hc_diag d;
    int rc;

    for (;;) {
        char *mem = cli_xmalloc(cap);
        struct hc_buf b;
        hc_buf_init(&b, mem, cap);
        rc = notice_render_html(t, kind, lang, f, paper, &b, &d);
        if (rc == 0) {
            rc = write_all(out, b.data, b.len);
        } else if (rc != HC_ENOSPC || cap >= HTML_MAX) {
            print_diag("", &d);
            rc = exit_for(rc);
        }
        free(mem);
        if (rc != HC_ENOSPC)
            return rc;
        cap *= 2;
    }
}

static int render_pdf(const struct notice_texts *t, int kind, int lang,
                      const struct notice_facts *f, int paper, const char *out)
{
    struct hc_diag d;
    int rc;
    if (strcmp(out, "-") == 0)
        rc = notice_render_pdf(t, kind, lang, f, paper, stdout, &d);
    else
        rc = notice_render_pdf_file(t, kind, lang, f, paper, out, &d);
    if (rc != 0) {
        print_diag("", &d);
        return exit_for(rc);
    }
    return CLI_EXIT_OK;
}

static int cmd_render(int argc, char **argv, int first)
{
    struct facts_in in;
    struct notice_facts *f = &in.f;
    struct notice_texts *t = NULL;
    struct hc_diag d;
    const char *kind_s = NULL, *lang_s = NULL, *format = NULL, *out = NULL, *facts = NULL;
    const char *texts_dir = NULL, *paper_s = NULL;
    const char *flag_prov[NOTICE_MAX_PROVISIONS];
    size_t nflag_prov = 0;
    struct notice_facts flags;
    int kind, lang, paper = NOTICE_PAPER_LETTER, a, rc, taken;
    int set_to = 0;
    unsigned given = 0;

    memset(&in, 0, sizeof in);
    notice_facts_init(f);
    notice_facts_init(&flags);
    for (a = first; a < argc; a++) {
        const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
        if (val == NULL)
            return usage_error("unknown option or missing value:", opt);
        a++;
        if (strcmp(opt, "--kind") == 0) kind_s = val;
        else if (strcmp(opt, "--lang") == 0) lang_s = val;
        else if (strcmp(opt, "--format") == 0) format = val;
        else if (strcmp(opt, "--out") == 0) out = val;
        else if (strcmp(opt, "--facts") == 0) facts = val;
        else if (strcmp(opt, "--texts") == 0) texts_dir = val;
        else if (strcmp(opt, "--paper") == 0) paper_s = val;
        else if (strcmp(opt, "--person") == 0) flags.person_name = val;
        else if (strcmp(opt, "--booking") == 0) flags.booking_no = val;
        else if (strcmp(opt, "--agency") == 0) flags.agency = val;
        else if (strcmp(opt, "--form") == 0) flags.form = val;
        else if (strcmp(opt, "--received") == 0) flags.received_at = val;
        else if (strcmp(opt, "--release-date") == 0) flags.release_date = val;
        else if (strcmp(opt, "--to-name") == 0) flags.served_to_name = val;
        else if (strcmp(opt, "--generated") == 0) flags.generated_at = val;
        else if ((taken = request_opt(opt, val, &flags.request_type, &flags.outcome,
                                      &flags.intent, &given)) < 0)
            return CLI_EXIT_USAGE;
        else if (taken) continue;
        else if (strcmp(opt, "--to") == 0) {
            if (strcmp(val, "person") == 0) flags.served_to = NOTICE_TO_PERSON;
            else if (strcmp(val, "attorney") == 0) flags.served_to = NOTICE_TO_ATTORNEY;
            else if (strcmp(val, "designee") == 0) flags.served_to = NOTICE_TO_DESIGNEE;
            else return usage_error("--to wants person, attorney or designee, not", val);
            set_to = 1;
        } else if (strcmp(opt, "--provision") == 0) {
            if (nflag_prov == NOTICE_MAX_PROVISIONS)
                return usage_error("more than 24 --provision", NULL);
            flag_prov[nflag_prov++] = val;
        } else {
            return usage_error("unknown option:", opt);
        }
    }
    if (kind_s == NULL || lang_s == NULL || format == NULL || out == NULL)
        return usage_error("render needs --kind, --lang, --format and --out", NULL);
    if ((kind = notice_kind_from_name(kind_s)) < 0)
        return usage_error("--kind wants copy, release or consent, not", kind_s);
    if ((lang = notice_lang_from_code(lang_s)) < 0)
        return usage_error("--lang wants en, es, zh, tl, vi or ko, not", lang_s);
    if (strcmp(format, "html") != 0 && strcmp(format, "pdf") != 0)
        return usage_error("--format wants html or pdf, not", format);
    if (paper_s != NULL) {
        if (strcmp(paper_s, "letter") == 0) paper = NOTICE_PAPER_LETTER;
        else if (strcmp(paper_s, "a4") == 0) paper = NOTICE_PAPER_A4;
        else return usage_error("--paper wants letter or a4, not", paper_s);
    }

    if (facts != NULL) {
        rc = load_facts_file(facts, &in);
        if (rc != 0) {
            json_decref(in.root);
            return rc == -2 ? CLI_EXIT_USAGE : CLI_EXIT_INPUT;
        }
    }
    /* Flags win over the file. */
#define OVERRIDE(m) if (flags.m != NULL) f->m = flags.m
    OVERRIDE(person_name);
    OVERRIDE(booking_no);
    OVERRIDE(agency);
    OVERRIDE(form);
    OVERRIDE(received_at);
    OVERRIDE(release_date);
    OVERRIDE(served_to_name);
    OVERRIDE(generated_at);
#undef OVERRIDE
    if (given & GIVEN_TYPE) f->request_type = flags.request_type;
    if (given & GIVEN_OUTCOME) f->outcome = flags.outcome;
    if (given & GIVEN_INTENT) f->intent = flags.intent;
    if (set_to) f->served_to = flags.served_to;
    if (nflag_prov > 0) {
        f->provisions = flag_prov;
        f->nprovisions = nflag_prov;
    }

    rc = texts_dir ? notice_texts_new_dir(texts_dir, &t, &d) : notice_texts_new_builtin(&t, &d);
    if (rc != 0) {
        print_diag("", &d);
        rc = rc == HC_EINVAL ? CLI_EXIT_INPUT : rc == HC_EIO ? CLI_EXIT_USAGE : CLI_EXIT_SOFTWARE;
        goto out;
    }
    if (strcmp(format, "html") == 0)
        rc = render_html(t, kind, lang, f, paper, out);
    else
        rc = render_pdf(t, kind, lang, f, paper, out);
out:
    notice_texts_free(t);
    json_decref(in.root);
    return rc;
}

/* ---- notice check-texts ------------------------------------------------------------------ */

static int cmd_check_texts(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "data/notices";
    struct notice_texts *t = NULL;
    struct hc_diag d;
    int rc;

    if (argc > 2)
        return usage_error("check-texts takes one directory", NULL);
    rc = notice_texts_new_dir(dir, &t, &d);
    if (rc != 0) {
        print_diag("", &d);
        return rc == HC_EINVAL ? CLI_EXIT_INPUT : CLI_EXIT_USAGE;
    }
    notice_texts_free(t);
    printf("%s: %d languages, %zu keys each: ok\n", dir, NOTICE_LANG_COUNT, notice_key_count());
    return CLI_EXIT_OK;
}

int cli_notice(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("which notice command?", NULL);
    if (strcmp(argv[1], "owed") == 0)
        return cmd_owed(argc - 1, argv + 1);
    if (strcmp(argv[1], "check-texts") == 0)
        return cmd_check_texts(argc - 1, argv + 1);
    if (strcmp(argv[1], "render") == 0)
        return cmd_render(argc, argv, 2);
    return cmd_render(argc, argv, 1);
}

/* SPDX-License-Identifier: MIT
 * truth.c: the interview consent rule and the console's queue (contracts: truth.h). */
#include <string.h>

#include "store.h"
#include "truth.h"

/* The consent an interview may be granted on (7283.1(a)): the consent form was served, and the
 * newest answer is consent, or attorney_only naming the attorney. *consent_id (OUT) gets that
 * answer; HC_ERANGE with d saying what is missing. */
static int consent_basis(const struct store_console_state *cs, int64_t *consent_id,
                         struct hc_diag *d)
{
    const struct store_consent *last =
        cs->nconsents > 0 ? &cs->consents[cs->nconsents - 1] : NULL;
    const char *why = NULL;
    int served = 0;
    size_t i;

    for (i = 0; i < cs->nnotices; i++)
        if (cs->notices[i].kind != NULL && strcmp(cs->notices[i].kind, "consent") == 0 &&
            cs->notices[i].served_at != NULL)
            served = 1;
    if (!served)
        why = "the interview cannot be granted before the written consent form is served to the "
              "person (Gov. Code § 7283.1(a))";
    else if (last == NULL || last->answer == NULL)
        why = "the interview cannot be granted before the person's answer is recorded: consent, "
              "decline or only with an attorney (Gov. Code § 7283.1(a))";
    else if (strcmp(last->answer, "decline") == 0)
        why = "the person declined the interview (Gov. Code § 7283.1(a)); it cannot be granted";
    else if (strcmp(last->answer, "attorney_only") == 0 && last->attorney == NULL)
        why = "the person agreed only with an attorney present: record the attorney before "
              "granting the interview (Gov. Code § 7283.1(a))";
    if (why != NULL) {
        hc_diag_set(d, "status", why, NULL);
        return HC_ERANGE;
    }
    *consent_id = last->id;
    return HC_OK;
}

int truth_interview_record(struct hc_store *st, const struct store_interview *iv,
                           int need_consent, struct hc_arena *a, int64_t *interview_id,
                           struct hc_diag *d)
{
    struct store_interview x = *iv;
    struct store_console_state cs;
    int rc;

    x.consent_id = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    if (need_consent && x.status != NULL && strcmp(x.status, "granted") == 0 &&
        ((rc = store_console_state(st, x.request_id, a, &cs)) != HC_OK ||
         (rc = consent_basis(&cs, &x.consent_id, d)) != HC_OK))
        goto out;
    rc = store_interview_add(st, &x, interview_id);
out:
    if (rc != HC_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

int truth_queue(struct hc_store *st, int in_custody_only, int limit, struct hc_arena *a,
                struct store_queue_item **out, size_t *n)
{
    return store_console_queue(st, in_custody_only, limit, a, out, n);
}

/* SPDX-License-Identifier: MIT
 * sql_reports.c: what the statutory reports read the same way on both backends
 * (sqlite_reports.c, pg_reports.c; sql.h): the tables and columns, and the verification of the
 * rows a report read, over each backend's readers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
#include "buf.h"
#include "ids.h"
#include "sql.h"
#include "store.h"

const struct sql_report_table sql_report_tables[STORE_REC_NTABLES] = {
    [STORE_REC_REQUESTS] = {"immigration_requests", "received_at",
                            "received_at form issuing_office judicial_warrant"
                            " judicial_probable_cause federal_felony_warrant"},
    [STORE_REC_WARRANTS] = {"request_warrants", "recorded_at",
                            "court judge recorded_by recorded_at"},
    [STORE_REC_DECISIONS] = {"decisions", "decided_at",
                             "version outcome ruleset catalog_version engine_version decided_at"
                             " decided_by"},
    [STORE_REC_OVERRIDES] = {"overrides", "created_at",
                             "decision_id outcome reason created_at created_by"},
    [STORE_REC_INTENTS] = {"request_intents", "recorded_at", "intent recorded_by recorded_at"},
    [STORE_REC_ACTIONS] = {"request_actions", "at",
                           "kind at method acted_by office ice_reason outcome_in_force contrary"
                           " reason recorded_by recorded_at"},
    [STORE_REC_DISCLOSURES] = {"release_disclosures", "told_at",
                               "release_date told_at recorded_by recorded_at"},
    [STORE_REC_NOTICES] = {"notices", "generated_at",
                           "kind recipient recipient_name language subdivision intent"
                           " release_date generated_at generated_by served_at served_by"
                           " served_to"},
    [STORE_REC_CONSENTS] = {"interview_consents", "recorded_at",
                            "answer attorney recorded_by recorded_at"},
    [STORE_REC_INTERVIEWS] = {"interviews", "recorded_at",
                              "status at consent_id recorded_by recorded_at"},
};

void sql_report_cols(const struct sql_report_table *rt, struct hc_buf *b)
{
    const char *c = rt->cols, *sp;
    while (*c != '\0') {
        size_t n = (sp = strchr(c, ' ')) != NULL ? (size_t)(sp - c) : strlen(c);
        hc_buf_puts(b, ", x.");
        hc_buf_put(b, c, n);
        hc_buf_puts(b, " AS ");
        hc_buf_put(b, c, n);
        c += n + (sp != NULL);
    }
}

const char *const sql_report_read_tables[STORE_REPORT_NTABLES] = {
    [STORE_REPORT_BOOKINGS] = "bookings",
    [STORE_REPORT_DECISIONS] = "decisions",
    [STORE_REPORT_OVERRIDES] = "overrides",
    [STORE_REPORT_ACTIONS] = "request_actions",
    [STORE_REPORT_NOTICES] = "notices",
    [STORE_REPORT_TASK_FORCES] = "task_forces",
    [STORE_REPORT_TF_ARRESTS] = "task_force_arrests",
};

/* Small, append-only tables whose rows a report selects by columns an edit could change:
 * verified whole (store_report_verify). */
const char *const sql_report_whole[STORE_REPORT_NTABLES] = {
    [STORE_REPORT_OVERRIDES] = "SELECT id, 0 FROM overrides",
    [STORE_REPORT_ACTIONS] = "SELECT id, 0 FROM request_actions",
    [STORE_REPORT_NOTICES] = "SELECT id, 0 FROM notices",
    [STORE_REPORT_TASK_FORCES] = "SELECT id, 0 FROM task_forces",
    [STORE_REPORT_TF_ARRESTS] = "SELECT id, 0 FROM task_force_arrests",
};

void sql_report_citation_problem(struct store_audit_report *rep, int64_t decision_id)
{
    rep->row_problems++;
    if (rep->nrows < STORE_AUDIT_ROWS_MAX) {
        struct store_audit_row *r = &rep->row[rep->nrows++];
        memset(r, 0, sizeof *r);
        snprintf(r->table, sizeof r->table, "%s", "decision_citations");
        r->id = decision_id;
        r->problem = STORE_AUDIT_ROW_CHANGED;
    }
}

int sql_report_verify(struct hc_store *st, const struct sql_report_verify_fns *f,
                      const struct store_report_read *rd, struct store_audit_report *rep)
{
    struct hc_ids got[STORE_REPORT_NTABLES];
    const int64_t *ids[BOUND_TABLES_MAX] = {NULL};
    size_t n[BOUND_TABLES_MAX] = {0}, i;
    int own = st->depth == 0 && !st->reading, rc = HC_OK;

    memset(got, 0, sizeof got);
    /* One snapshot for the lists and the verification (bound_verify_only joins it). */
    if (own && (rc = store_read_begin(st)) != HC_OK)
        return rc;
    for (i = 0; rc == HC_OK && i < STORE_REPORT_NTABLES; i++) {
        int t = bound_table_find(sql_report_read_tables[i]);
        if (t < 0) {
            rc = HC_EINVAL;
            break;
        }
        if (!(rd->tables & (1u << i)))
            continue; /* not read: ids[t] stays NULL and n[t] 0, so none of it is checked */
        if (sql_report_whole[i] != NULL)
            rc = f->whole(st, sql_report_whole[i], &got[i]);
        else if (i == STORE_REPORT_DECISIONS)
            rc = f->decisions(st, rd->ids[i], rd->n[i], &got[i]);
        ids[t] = got[i].v ? got[i].v : rd->ids[i];
        n[t] = got[i].v ? got[i].n : rd->n[i];
    }
    if (rc == HC_OK)
        rc = f->verify_only(st, ids, n, rep);
    /* What the report read beside a decision is checked against what the chain vouches for:
     * the provisions it cites. */
    if (rc == HC_OK && rd->citations && (rd->tables & (1u << STORE_REPORT_DECISIONS)) &&
        got[STORE_REPORT_DECISIONS].n > 0)
        rc = f->citations(st, got[STORE_REPORT_DECISIONS].v, got[STORE_REPORT_DECISIONS].n,
                          rep);
    if (own)
        store_read_end(st);
    for (i = 0; i < STORE_REPORT_NTABLES; i++)
        free(got[i].v);
    return rc;
}

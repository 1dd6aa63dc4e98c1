/* SPDX-License-Identifier: MIT
 * sql_reports.c: the tables and columns the statutory reports read, the same on both
 * backends (sqlite_reports.c, pg_reports.c; sql.h). */
#include "sql.h"
#include "store_reports.h"

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

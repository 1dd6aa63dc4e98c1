/* SPDX-License-Identifier: MIT
 * routes.c: the one table of routes: method, path pattern, who may call it, its body, its
 * rate-limit cost, its flags and its handler. Who may call what is read here, in one place; the
 * router (router.c) matches paths against it in order and authorises before any handler runs.
 * Add a route here and its handler in the file of its area. */
#include "portal.h"
#include "routes.h"

const struct http_route http_routes[] = {
    /* router.c: the server's own metrics */
    {"GET", "/metrics", AUTH_AUDITOR | AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_metrics},
    /* routes_agency.c: health, the OpenAPI document, the audit log, the agency's settings */
    {"GET", "/healthz", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_healthz},
    {"GET", "/api/v1/openapi.json", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_openapi},
    {"GET", "/api/v1/audit", AUTH_AUDITOR | AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0, READLOG_AUDIT, h_audit_list},
    {"GET", "/api/v1/audit/verify", AUTH_SUPERVISOR | AUTH_AUDITOR | AUTH_ADMIN, HTTP_BODY_NONE,
     NULL, 0, 0, READLOG_NONE, h_audit_verify},
    {"GET", "/api/v1/agency/settings", AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_settings_get},
    {"PUT", "/api/v1/agency/settings", AUTH_ADMIN, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_settings_put},
    /* routes_users.c: sessions, users and their credentials */
    {"POST", "/api/v1/session", HTTP_ANYONE, HTTP_BODY_JSON, &login_body, 0, 0, READLOG_NONE, h_session_create},
    {"GET", "/api/v1/session", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_session_get},
    {"DELETE", "/api/v1/session", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_session_delete},
    {"GET", "/api/v1/users", AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0, READLOG_USER, h_users_list},
    {"POST", "/api/v1/users", AUTH_ADMIN, HTTP_BODY_JSON, &user_body, 0, 0, READLOG_NONE, h_users_create},
    {"POST", "/api/v1/users/{name}/disable", AUTH_ADMIN, HTTP_BODY_EMPTY, NULL, 0, 0, READLOG_NONE, h_user_disable},
    {"POST", "/api/v1/users/{name}/password", AUTH_ADMIN, HTTP_BODY_EMPTY, NULL, 0, 0, READLOG_NONE, h_user_password},
    {"POST", "/api/v1/users/{name}/revoke", AUTH_ADMIN, HTTP_BODY_EMPTY, NULL, 0, 0, READLOG_NONE, h_user_revoke},
    {"PUT", "/api/v1/session/password", HTTP_READERS, HTTP_BODY_JSON, &password_body, 0, 0, READLOG_NONE, h_session_password},
    /* routes_requests.c: the engine over HTTP, immigration requests, decisions, overrides */
    {"POST", "/api/v1/decide", HTTP_ANYONE, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_decide},
    {"POST", "/api/v1/bookings/{booking_no}/requests", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_request_create},
    {"GET", "/api/v1/requests", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REQUEST, h_requests_list},
    {"GET", "/api/v1/requests/{id}", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REQUEST, h_request_get},
    {"POST", "/api/v1/requests/{id}/redecide", HTTP_WRITERS, HTTP_BODY_EMPTY, NULL, 0, 0, READLOG_NONE, h_redecide},
    {"POST", "/api/v1/requests/{id}/override", AUTH_SUPERVISOR | AUTH_ADMIN, HTTP_BODY_JSON,
     NULL, 0, 0, READLOG_NONE, h_override},
    {"GET", "/api/v1/requests/{id}/actions", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REQUEST, h_actions_list},
    {"POST", "/api/v1/requests/{id}/actions", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_action_create},
    /* routes_replay.c: what-if replay of stored requests (writes nothing) */
    {"POST", "/api/v1/replay", AUTH_ADMIN, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_replay},
    /* routes_court.c: charges and convictions */
    {"POST", "/api/v1/bookings/{booking_no}/charges", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_charge_add},
    {"PATCH", "/api/v1/charges/{id}", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_charge_patch},
    {"POST", "/api/v1/people/{id}/convictions", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_conviction_add},
    {"PATCH", "/api/v1/convictions/{id}", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_conviction_patch},
    /* routes_console.c: the staff console: queue, a request's steps, audit trail, person, pages */
    {"GET", "/api/v1/console/queue", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REQUEST, h_queue},
    {"GET", "/api/v1/console/bookings", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_SEARCH, h_booking_search},
    {"GET", "/api/v1/console/agency", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_agency_conf},
    {"GET", "/api/v1/requests/{id}/notices", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REQUEST, h_notices},
    {"POST", "/api/v1/requests/{id}/consent", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_consent},
    {"PUT", "/api/v1/requests/{id}/intent", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_intent},
    {"POST", "/api/v1/requests/{id}/disclosures", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_disclosure},
    {"POST", "/api/v1/requests/{id}/interview", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_interview},
    {"POST", "/api/v1/requests/{id}/warrant", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_warrant},
    {"GET", "/api/v1/requests/{id}/audit", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REQUEST, h_request_audit},
    {"GET", "/api/v1/people/{id}", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_PERSON, h_person},
    {"GET", "/console", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_console_redirect},
    {"GET", "/console/", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_console_file},
    {"GET", "/console/{file}", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_console_file},
    /* routes_notices.c: TRUTH Act notices: generated, served, HTML, PDF */
    {"POST", "/api/v1/requests/{id}/notices", HTTP_WRITERS, HTTP_BODY_JSON, &notice_body, 0, 0,
     READLOG_NONE, h_notice_create},
    {"GET", "/api/v1/notices/{id}/html", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NOTICE, h_notice_html},
    {"GET", "/api/v1/notices/{id}/pdf", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NOTICE, h_notice_pdf},
    {"POST", "/api/v1/notices/{id}/served", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_notice_served},
    /* routes_public.c: the public portal's records: info, status, search, one record */
    {"GET", "/api/v1/public/info", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 1, HTTP_R_CORS, READLOG_NONE, h_info},
    {"GET", "/api/v1/public/status", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 1, HTTP_R_CORS, READLOG_NONE, h_status},
    {"GET", "/api/v1/public/inmates", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 1, HTTP_R_CORS, READLOG_NONE, h_search},
    {"GET", "/api/v1/public/inmates/{booking_no}", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 1, HTTP_R_CORS, READLOG_NONE, h_inmate},
    /* routes_exports.c: the public bulk export and its daily snapshots; the staff's exports */
    {"GET", "/api/v1/public/export.csv", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 1, HTTP_R_CORS, READLOG_NONE, h_export_csv},
    {"GET", "/api/v1/public/export.jsonl", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 1, HTTP_R_CORS, READLOG_NONE, h_export_jsonl},
    {"GET", "/api/v1/public/snapshots", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 1, HTTP_R_CORS, READLOG_NONE, h_snapshots},
    {"GET", "/api/v1/public/snapshots/{date}", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 1, HTTP_R_CORS, READLOG_NONE, h_snapshot_file},
    {"GET", "/api/v1/public/transparency.csv", HTTP_ANYONE, HTTP_BODY_NONE, NULL,
     HTTP_TRANSPARENCY_COST, HTTP_R_CORS, READLOG_NONE, h_transparency_csv},
    {"GET", "/transparency", HTTP_ANYONE, HTTP_BODY_NONE, NULL, HTTP_TRANSPARENCY_COST, 0,
     READLOG_NONE, h_transparency},
    {"GET", "/api/v1/exports/requests.jsonl", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REQUEST, h_export_requests},
    {"GET", "/api/v1/exports/actions.jsonl", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REQUEST, h_export_actions},
    /* routes_reports.c: the statutory reports, for auditors and administrators */
    {"GET", "/api/v1/reports/{kind}", AUTH_AUDITOR | AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0, READLOG_REPORT, h_report},
    /* routes_readlog.c: the read-access log, for auditors and administrators */
    {"GET", "/api/v1/read-log", AUTH_AUDITOR | AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0, READLOG_READ_LOG,
     h_read_log},
    /* routes_taskforce.c: the register of joint task forces the task-force report reads */
    {"GET", "/api/v1/task-forces", AUTH_AUDITOR | AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0,
     READLOG_NONE, h_task_forces_list},
    {"POST", "/api/v1/task-forces", AUTH_ADMIN, HTTP_BODY_JSON, &task_force_body, 0, 0,
     READLOG_NONE, h_task_force_create},
    {"POST", "/api/v1/task-forces/{id}/arrests", AUTH_ADMIN, HTTP_BODY_JSON, NULL, 0, 0,
     READLOG_NONE, h_task_force_arrests},
    /* routes_victims.c: victim notification (names and addresses for clerks, supervisors, admins) */
    {"GET", "/api/v1/victims", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_VICTIM, h_victims_list},
    {"POST", "/api/v1/victims", HTTP_WRITERS, HTTP_BODY_JSON, &victim_body, 0, 0, READLOG_NONE, h_victim_add},
    {"GET", "/api/v1/victims/{id}", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_VICTIM, h_victim_get},
    {"PATCH", "/api/v1/victims/{id}", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_victim_change},
    {"DELETE", "/api/v1/victims/{id}", HTTP_WRITERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_victim_remove},
    /* routes_subscriptions.c: public subscriptions: subscribe, confirm, unsubscribe */
    {"POST", "/api/v1/public/subscriptions", HTTP_ANYONE, HTTP_BODY_JSON, &subscribe_body,
     HTTP_SUBSCRIBE_COST, 0, READLOG_NONE, h_subscribe},
    {"POST", "/api/v1/public/subscriptions/confirm/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     NULL, 1, 0, READLOG_NONE, h_confirm},
    /* SMS: the code the number was sent; each try costs as much as a subscription. */
    {"POST", "/api/v1/public/subscriptions/confirm-code", HTTP_ANYONE, HTTP_BODY_JSON,
     &confirm_code_body, HTTP_SUBSCRIBE_COST, 0, READLOG_NONE, h_confirm_code},
    /* The SMS gateway's callbacks (opt-out words), authenticated by the shared secret. */
    {"POST", "/api/v1/public/sms/inbound", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0,
     READLOG_NONE, h_sms_inbound},
    {"GET", "/api/v1/public/subscriptions/confirm/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     NULL, 1, 0, READLOG_NONE, h_confirm_get},
    {"POST", "/api/v1/public/subscriptions/unsubscribe/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     NULL, 1, 0, READLOG_NONE, h_unsubscribe},
    {"GET", "/api/v1/public/subscriptions/unsubscribe/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     NULL, 1, 0, READLOG_NONE, h_unsubscribe_get},
    /* routes_publication.c: the publication policy and the delivery queue, for admins */
    {"GET", "/api/v1/agency/publication", AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_policy_get},
    {"PUT", "/api/v1/agency/publication", AUTH_ADMIN, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_policy_put},
    {"GET", "/api/v1/deliveries", AUTH_ADMIN, HTTP_BODY_NONE, NULL, 0, 0, READLOG_DELIVERY, h_deliveries},
    /* routes_bookings.c: custody records and their changes */
    {"POST", "/api/v1/bookings", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_booking_create},
    {"GET", "/api/v1/bookings/{booking_no}", HTTP_READERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_BOOKING, h_booking_get},
    {"PATCH", "/api/v1/bookings/{booking_no}", HTTP_WRITERS, HTTP_BODY_JSON, NULL, 0, 0, READLOG_NONE, h_booking_patch},
    /* routes_feed.c: the custody feed pushed by a jail management system (JSON Lines) */
    {"POST", "/api/v1/feed", HTTP_WRITERS, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_feed_push},
    /* static.c: the public page and its files; last, as its patterns match any path of one or two segments */
    {"GET", "/", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_static},
    {"GET", "/{file}", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_static},
    {"GET", "/{dir}/{file}", HTTP_ANYONE, HTTP_BODY_NONE, NULL, 0, 0, READLOG_NONE, h_static},
};
const size_t http_nroutes = HTTP_NKEYS(http_routes);

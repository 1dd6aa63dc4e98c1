/* SPDX-License-Identifier: MIT
 * routes.h: every route's handler, by the file that holds it, and the one table of routes
 * (routes.c) that the router matches in order. A handler returns 0 when it answered, or an HC_E*
 * code with c->diag set, which the router answers as a problem (http_int.h, struct http_route). */
#ifndef HC_HTTP_ROUTES_H
#define HC_HTTP_ROUTES_H

#include <stddef.h>

#include "http_int.h"

/* The routes, in matching order; a route's number (for /metrics and `holdcheck routes`) is its
 * place in this table. */
extern const struct http_route http_routes[];
extern const size_t http_nroutes;

/* router.c: the server's own metrics. */
int h_metrics(struct http_call *c);

/* routes_agency.c: health, the OpenAPI document, the audit log, the agency's settings. */
int h_healthz(struct http_call *c);
int h_openapi(struct http_call *c);
int h_audit_list(struct http_call *c);
int h_audit_verify(struct http_call *c);
int h_settings_get(struct http_call *c);
int h_settings_put(struct http_call *c);

/* routes_users.c: sessions, users and their credentials. */
extern const struct http_body login_body;
int h_session_create(struct http_call *c);
int h_session_get(struct http_call *c);
int h_session_delete(struct http_call *c);
int h_users_list(struct http_call *c);
extern const struct http_body user_body;
int h_users_create(struct http_call *c);
int h_user_disable(struct http_call *c);
int h_user_password(struct http_call *c);
int h_user_revoke(struct http_call *c);
extern const struct http_body password_body;
int h_session_password(struct http_call *c);

/* routes_requests.c: the engine over HTTP, immigration requests, decisions, overrides. */
int h_decide(struct http_call *c);
int h_request_create(struct http_call *c);
int h_requests_list(struct http_call *c);
int h_request_get(struct http_call *c);
int h_redecide(struct http_call *c);
int h_override(struct http_call *c);
int h_actions_list(struct http_call *c);
int h_action_create(struct http_call *c);
int h_export_requests(struct http_call *c);
/* routes_reports.c: the statutory reports (docs/reports.md). */
int h_report(struct http_call *c);

/* routes_readlog.c: the read-access log, for auditors and administrators. */
int h_read_log(struct http_call *c);
int h_export_actions(struct http_call *c);

/* routes_taskforce.c: the register of joint law enforcement task forces (app/taskforce.h). */
extern const struct http_body task_force_body;
extern const struct http_body victim_body;
int h_task_forces_list(struct http_call *c);
int h_task_force_create(struct http_call *c);
int h_task_force_arrests(struct http_call *c);
/* routes_victims.c */
int h_victims_list(struct http_call *c);
int h_victim_get(struct http_call *c);
int h_victim_add(struct http_call *c);
int h_victim_change(struct http_call *c);
int h_victim_remove(struct http_call *c);

/* routes_replay.c: what-if replay of stored requests (src/app/replay.h). */
int h_replay(struct http_call *c);

/* routes_court.c: charges and convictions. */
int h_charge_add(struct http_call *c);
int h_charge_patch(struct http_call *c);
int h_conviction_add(struct http_call *c);
int h_conviction_patch(struct http_call *c);

/* routes_console.c: the staff console: queue, a request's steps, audit trail, person, pages. */
int h_queue(struct http_call *c);
int h_notices(struct http_call *c);
int h_consent(struct http_call *c);
int h_intent(struct http_call *c);
int h_disclosure(struct http_call *c);
int h_interview(struct http_call *c);
int h_warrant(struct http_call *c);
int h_request_audit(struct http_call *c);
int h_person(struct http_call *c);
int h_console_redirect(struct http_call *c);
int h_console_file(struct http_call *c);
int h_booking_search(struct http_call *c);
int h_agency_conf(struct http_call *c);

/* routes_notices.c: TRUTH Act notices: generated, served, HTML, PDF. */
extern const struct http_body notice_body;
int h_notice_create(struct http_call *c);
int h_notice_html(struct http_call *c);
int h_notice_pdf(struct http_call *c);
int h_notice_served(struct http_call *c);

/* routes_public.c: the public portal's records: info, status, search, one record. */
int h_info(struct http_call *c);
int h_status(struct http_call *c);
int h_search(struct http_call *c);
int h_inmate(struct http_call *c);

/* routes_exports.c: the public bulk export and its daily snapshots. */
int h_export_csv(struct http_call *c);
int h_export_jsonl(struct http_call *c);
int h_snapshots(struct http_call *c);
int h_snapshot_file(struct http_call *c);
/* routes_transparency.c: the public transparency page and its CSV (app/transparency.h). */
int h_transparency(struct http_call *c);
int h_transparency_csv(struct http_call *c);

/* routes_subscriptions.c: public subscriptions: subscribe, confirm, unsubscribe. */
extern const struct http_body subscribe_body;
int h_subscribe(struct http_call *c);
int h_confirm(struct http_call *c);
extern const struct http_body confirm_code_body;
int h_confirm_code(struct http_call *c);
int h_sms_inbound(struct http_call *c);
int h_confirm_get(struct http_call *c);
int h_unsubscribe(struct http_call *c);
int h_unsubscribe_get(struct http_call *c);

/* routes_publication.c: the publication policy and the delivery queue, for admins. */
int h_policy_get(struct http_call *c);
int h_policy_put(struct http_call *c);
int h_deliveries(struct http_call *c);

/* routes_bookings.c: custody records and their changes. */
int h_booking_create(struct http_call *c);
int h_booking_get(struct http_call *c);
int h_booking_patch(struct http_call *c);

/* routes_feed.c */
int h_feed_push(struct http_call *c);

/* static.c: the public page and its files; last, as its patterns match any path of one or two segments. */
int h_static(struct http_call *c);

#endif

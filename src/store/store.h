/* SPDX-License-Identifier: MIT
 * store.h: the one interface to holdcheck's database, as one header for callers that use several
 * areas. Callers see plain structs and HC_E* codes; no SQL appears above the store. Each area has
 * its own header, with its structs, its table of operations and their contracts:
 *
 *   store_conn.h      the handle, opening, transactions, read snapshots, schema migrations
 *   store_records.h   people, bookings, the court record, agency settings
 *   store_requests.h  immigration requests, versioned decisions, overrides
 *   store_users.h     users, API tokens, web sessions
 *   store_audit.h     the hash-chained audit log
 *   store_public.h    publication policy, public search, subscriptions, events, deliveries
 *   store_console.h   TRUTH Act notices, consent, intent, interviews, warrants, the queue
 *   store_import.h    bulk import and export
 *   store_reports.h   the rows and tallies behind the statutory reports
 *   store_readlog.h   the read-access log: who read which record, when, from where
 *   store_taskforce.h the register of joint law enforcement task forces and their arrests
 *   store_victims.h   victim notification: registrations and the queue of their notices
 *
 * The store keeps rows, transactions and the audit append, and no rules: what a change means
 * (the events a booking change raises, who may hear of them, which override is allowed) is
 * decided in src/app. docs/architecture.md ("The store") says why the areas are tables of operations. */
#ifndef HC_STORE_H
#define HC_STORE_H

#include "store_audit.h"
#include "store_conn.h"
#include "store_console.h"
#include "store_import.h"
#include "store_public.h"
#include "store_records.h"
#include "store_readlog.h"
#include "store_reports.h"
#include "store_requests.h"
#include "store_taskforce.h"
#include "store_victims.h"
#include "store_users.h"

#endif

/* SPDX-License-Identifier: MIT
 * sqlite_schema.c: the SQLite schema as an ordered list of migrations, run by
 * `holdcheck migrate` (sqlite_conn.c). Never edit a released migration; append the next
 * version here and raise STORE_SCHEMA_VERSION in store_conn.h to match. */
#include <stddef.h>

#include "sql.h"
#include "sqlite_int.h"

/* ------------------------------------------------------------------------------------------ */
/* Schema: an ordered list of migrations. Never edit a released one; append a new version.    */

/* Mark as changed the bookings b for which cond holds (inside a trigger: NEW and OLD name the
 * row written): the staff record of each (store_changes). record_mark's trigger says how. */
#define MARK_CHANGED(cond) " INSERT INTO record_mark SELECT b.id FROM bookings b WHERE " cond ";"

/* The delivery queue's table, named name, its events in table events: created by version 4
 * and again, unchanged, by version 11's rebuild. (The text of version 6 is as it was.) */
#define DELIVERIES_TABLE(name, events)                                                   \
    "CREATE TABLE " name " ("                                                            \
    "  id INTEGER PRIMARY KEY,"                                                          \
    "  event_id INTEGER NOT NULL REFERENCES " events "(id),"                             \
    "  subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),"                   \
    "  status TEXT NOT NULL CHECK (status = 'pending' OR status = 'sending'"             \
    "    OR status = 'delivered' OR status = 'failed' OR status = 'cancelled'),"         \
    "  attempts INTEGER NOT NULL DEFAULT 0,"                                             \
    "  next_attempt_at TEXT NOT NULL,"                                                   \
    "  last_error TEXT,"                                                                 \
    "  created_at TEXT NOT NULL,"                                                        \
    "  delivered_at TEXT,"                                                               \
    "  UNIQUE (event_id, subscription_id));"

const struct sq_migration sq_migrations[] = {
    {1,
     /* People: identity and the PC 290 flag only. No immigration status, national origin or
      * ethnicity column exists, and none may be added (Gov. Code 7284.6, docs/server.md). */
     "CREATE TABLE people ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
     "  date_of_birth TEXT,"
     "  local_id TEXT UNIQUE,"
     "  registrant_290 INTEGER NOT NULL DEFAULT 0 CHECK (registrant_290 IN (0, 1)),"
     "  created_at TEXT NOT NULL);"
     "CREATE TABLE bookings ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_no TEXT NOT NULL UNIQUE,"
     "  person_id INTEGER NOT NULL REFERENCES people(id),"
     "  booked_at TEXT NOT NULL,"
     "  facility TEXT NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('in_custody', 'released')),"
     "  scheduled_release TEXT,"
     "  released_at TEXT,"
     "  release_reason TEXT);"
     "CREATE INDEX bookings_person ON bookings(person_id);"
     "CREATE TABLE charges ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  citation TEXT NOT NULL,"
     "  level TEXT CHECK (level IN ('felony', 'misdemeanor', 'infraction')),"
     "  status TEXT NOT NULL CHECK (status IN ('pending', 'dismissed', 'convicted')),"
     "  magistrate_probable_cause INTEGER NOT NULL DEFAULT 0"
     "    CHECK (magistrate_probable_cause IN (0, 1)));"
     "CREATE INDEX charges_booking ON charges(booking_id);"
     "CREATE TABLE convictions ("
     "  id INTEGER PRIMARY KEY,"
     "  person_id INTEGER NOT NULL REFERENCES people(id),"
     "  citation TEXT NOT NULL,"
     "  level TEXT CHECK (level IN ('felony', 'misdemeanor', 'infraction')),"
     "  date TEXT,"
     "  court TEXT,"
     "  prop47_reduced INTEGER CHECK (prop47_reduced IN (0, 1)),"
     "  federal_aggravated_felony TEXT CHECK (federal_aggravated_felony IN ('true', 'false')"
     "    OR (length(federal_aggravated_felony) = 1"
     "        AND federal_aggravated_felony BETWEEN 'A' AND 'U')),"
     "  jurisdiction TEXT);"
     "CREATE INDEX convictions_person ON convictions(person_id);"
     "CREATE TABLE immigration_requests ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  type TEXT NOT NULL,"
     "  form TEXT,"
     "  received_at TEXT NOT NULL,"
     "  issuing_office TEXT,"
     "  judicial_warrant INTEGER NOT NULL DEFAULT 0 CHECK (judicial_warrant IN (0, 1)),"
     "  judicial_probable_cause INTEGER NOT NULL DEFAULT 0"
     "    CHECK (judicial_probable_cause IN (0, 1)),"
     "  federal_felony_warrant INTEGER NOT NULL DEFAULT 0"
     "    CHECK (federal_felony_warrant IN (0, 1)));"
     "CREATE INDEX requests_booking ON immigration_requests(booking_id);"
     "CREATE TABLE decisions ("
     "  id INTEGER PRIMARY KEY,"
     "  request_id INTEGER NOT NULL UNIQUE REFERENCES immigration_requests(id),"
     "  outcome TEXT NOT NULL"
     "    CHECK (outcome IN ('permitted', 'permitted_with_conditions', 'prohibited', 'review')),"
     "  ruleset TEXT NOT NULL,"
     "  case_json TEXT NOT NULL,"
     "  decision_json TEXT NOT NULL,"
     "  decided_at TEXT NOT NULL,"
     "  decided_by TEXT NOT NULL);"
     "CREATE TABLE agency_settings ("
     "  id INTEGER PRIMARY KEY CHECK (id = 1),"
     "  release_dates_public INTEGER NOT NULL CHECK (release_dates_public IN (0, 1)),"
     "  personal_info_public INTEGER NOT NULL CHECK (personal_info_public IN (0, 1)),"
     "  policy_json TEXT NOT NULL,"
     "  updated_at TEXT);"
     "INSERT INTO agency_settings VALUES (1, 0, 0, '{}', NULL);"
     "CREATE TABLE audit_log ("
     "  seq INTEGER PRIMARY KEY,"
     "  at TEXT NOT NULL,"
     "  actor TEXT NOT NULL,"
     "  action TEXT NOT NULL,"
     "  entity TEXT NOT NULL,"
     "  payload TEXT NOT NULL,"
     "  prev_hash TEXT NOT NULL,"
     "  hash TEXT NOT NULL);"
     /* Append-only at the database level too; the hash chain catches whoever drops these. */
     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
     "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
     "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
     "  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"},
    {2,
     /* Users and their secrets, stored only as hashes: argon2id for passwords, BLAKE2b-256
      * (hex) for API tokens and session ids. */
     "CREATE TABLE users ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),"
     "  role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'auditor', 'admin')),"
     "  password_hash TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)));"
     "CREATE TABLE api_tokens ("
     "  id INTEGER PRIMARY KEY,"
     "  token_hash TEXT NOT NULL UNIQUE,"
     "  user_id INTEGER NOT NULL REFERENCES users(id),"
     "  created_at TEXT NOT NULL,"
     "  last_used TEXT);"
     "CREATE INDEX api_tokens_user ON api_tokens(user_id);"
     "CREATE TABLE sessions ("
     "  id INTEGER PRIMARY KEY,"
     "  id_hash TEXT NOT NULL UNIQUE,"
     "  user_id INTEGER NOT NULL REFERENCES users(id),"
     "  created_at TEXT NOT NULL,"
     "  expires_at TEXT NOT NULL);"
     /* Decisions become versioned: a re-decision is a new row, the original is never
      * updated. SQLite cannot drop the old UNIQUE (request_id), so the table is rebuilt. */
     "CREATE TABLE decisions_v2 ("
     "  id INTEGER PRIMARY KEY,"
     "  request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "  version INTEGER NOT NULL CHECK (version >= 1),"
     "  outcome TEXT NOT NULL"
     "    CHECK (outcome IN ('permitted', 'permitted_with_conditions', 'prohibited', 'review')),"
     "  ruleset TEXT NOT NULL,"
     "  case_json TEXT NOT NULL,"
     "  decision_json TEXT NOT NULL,"
     "  decided_at TEXT NOT NULL,"
     "  decided_by TEXT NOT NULL,"
     "  UNIQUE (request_id, version));"
     "INSERT INTO decisions_v2 (id, request_id, version, outcome, ruleset, case_json,"
     "  decision_json, decided_at, decided_by)"
     "  SELECT id, request_id, 1, outcome, ruleset, case_json, decision_json, decided_at,"
     "  decided_by FROM decisions;"
     "DROP TABLE decisions;"
     "ALTER TABLE decisions_v2 RENAME TO decisions;"
     "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions"
     "  BEGIN SELECT RAISE(ABORT, 'decisions are never updated; add a version'); END;"
     "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions"
     "  BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;"
     "CREATE TABLE overrides ("
     "  id INTEGER PRIMARY KEY,"
     "  request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "  decision_id INTEGER NOT NULL REFERENCES decisions(id),"
     "  outcome TEXT NOT NULL"
     "    CHECK (outcome IN ('permitted', 'permitted_with_conditions', 'prohibited', 'review')),"
     "  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),"
     "  created_at TEXT NOT NULL,"
     "  created_by TEXT NOT NULL);"
     "CREATE INDEX overrides_request ON overrides(request_id);"
     "CREATE INDEX requests_received ON immigration_requests(received_at);"},
    {3,
     /* The same charges and convictions, with each CHECK on a list of three words written as
      * comparisons joined by OR, which mean the same (NULL still passes). SQLite evaluates
      * `x IN (a, b, c)` with three or more constants by building a temporary b-tree on every
      * INSERT: two per charge row, over half of a charge import's time (docs/import.md).
      * The rebuilt tables keep every id, column and index; nothing references either. */
     "CREATE TABLE charges_v3 ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  citation TEXT NOT NULL,"
     "  level TEXT CHECK (level = 'felony' OR level = 'misdemeanor' OR level = 'infraction'),"
     "  status TEXT NOT NULL"
     "    CHECK (status = 'pending' OR status = 'dismissed' OR status = 'convicted'),"
     "  magistrate_probable_cause INTEGER NOT NULL DEFAULT 0"
     "    CHECK (magistrate_probable_cause IN (0, 1)));"
     "INSERT INTO charges_v3 (id, booking_id, citation, level, status, magistrate_probable_cause)"
     "  SELECT id, booking_id, citation, level, status, magistrate_probable_cause FROM charges;"
     "DROP TABLE charges;"
     "ALTER TABLE charges_v3 RENAME TO charges;"
     "CREATE INDEX charges_booking ON charges(booking_id);"
     "CREATE TABLE convictions_v3 ("
     "  id INTEGER PRIMARY KEY,"
     "  person_id INTEGER NOT NULL REFERENCES people(id),"
     "  citation TEXT NOT NULL,"
     "  level TEXT CHECK (level = 'felony' OR level = 'misdemeanor' OR level = 'infraction'),"
     "  date TEXT,"
     "  court TEXT,"
     "  prop47_reduced INTEGER CHECK (prop47_reduced IN (0, 1)),"
     "  federal_aggravated_felony TEXT CHECK (federal_aggravated_felony IN ('true', 'false')"
     "    OR (length(federal_aggravated_felony) = 1"
     "        AND federal_aggravated_felony BETWEEN 'A' AND 'U')),"
     "  jurisdiction TEXT);"
     "INSERT INTO convictions_v3 (id, person_id, citation, level, date, court, prop47_reduced,"
     "  federal_aggravated_felony, jurisdiction)"
     "  SELECT id, person_id, citation, level, date, court, prop47_reduced,"
     "  federal_aggravated_felony, jurisdiction FROM convictions;"
     "DROP TABLE convictions;"
     "ALTER TABLE convictions_v3 RENAME TO convictions;"
     "CREATE INDEX convictions_person ON convictions(person_id);"},
    {4,
     /* The public portal (issue 4, docs/public.md). people.name_key is the folded search key
      * of src/core/namekey.c, written in C on every insert; rows of earlier versions get it
      * from store_namekey_backfill (run by `serve` and `public-export`), since SQL cannot
      * call the folding. Bail is whole dollars, -1 for held without bail. */
     "ALTER TABLE people ADD COLUMN name_key TEXT;"
     "CREATE INDEX people_name_key ON people(name_key);"
     "ALTER TABLE bookings ADD COLUMN bail INTEGER CHECK (bail >= -1);"
     "ALTER TABLE bookings ADD COLUMN next_court_date TEXT;"
     /* The publication policy: one row; fields is a set of STORE_PUB_* bits (store.h).
      * release_elsewhere: release dates are public by other means than the portal. */
     "CREATE TABLE public_policy ("
     "  id INTEGER PRIMARY KEY CHECK (id = 1),"
     "  fields INTEGER NOT NULL DEFAULT 0 CHECK (fields >= 0 AND fields <= 1023),"
     "  recent_days INTEGER NOT NULL DEFAULT 7 CHECK (recent_days BETWEEN 1 AND 90),"
     "  release_elsewhere INTEGER NOT NULL DEFAULT 0 CHECK (release_elsewhere IN (0, 1)),"
     "  version INTEGER NOT NULL DEFAULT 1,"
     "  updated_at TEXT,"
     "  updated_by TEXT);"
     "INSERT INTO public_policy (id, release_elsewhere)"
     "  SELECT 1, release_dates_public FROM agency_settings WHERE id = 1;"
     /* agency_settings.release_dates_public = (the portal publishes scheduled releases) OR
      * release_elsewhere, whoever writes it: PUT /api/v1/agency/settings sets
      * release_elsewhere through the flag, and may not deny what the portal publishes. */
     "CREATE TRIGGER agency_release_published BEFORE UPDATE OF release_dates_public"
     "  ON agency_settings"
     "  WHEN NEW.release_dates_public = 0"
     "    AND (SELECT fields & 256 FROM public_policy WHERE id = 1) <> 0"
     "  BEGIN SELECT RAISE(ABORT, 'release dates are published by the public portal;"
     " unpublish scheduled_release in the publication policy first'); END;"
     "CREATE TRIGGER agency_release_elsewhere AFTER UPDATE OF release_dates_public"
     "  ON agency_settings"
     "  BEGIN UPDATE public_policy SET release_elsewhere = NEW.release_dates_public"
     "    WHERE id = 1 AND fields & 256 = 0; END;"
     /* Subscriptions: target (an email address or a URL) is confidential (PC 679.03). */
     "CREATE TABLE subscriptions ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  channel TEXT NOT NULL CHECK (channel = 'email' OR channel = 'webhook'),"
     "  target TEXT NOT NULL CHECK (length(target) BETWEEN 3 AND 2048),"
     "  events INTEGER NOT NULL CHECK (events BETWEEN 1 AND 15),"
     "  advance_days INTEGER NOT NULL DEFAULT 3 CHECK (advance_days BETWEEN 1 AND 30),"
     "  lang TEXT NOT NULL DEFAULT 'en' CHECK (lang = 'en' OR lang = 'es'),"
     "  secret TEXT,"
     "  confirm_token TEXT NOT NULL UNIQUE,"
     "  unsubscribe_token TEXT NOT NULL UNIQUE,"
     "  state TEXT NOT NULL"
     "    CHECK (state = 'pending' OR state = 'confirmed' OR state = 'unsubscribed'),"
     "  created_at TEXT NOT NULL,"
     "  confirmed_at TEXT,"
     "  ended_at TEXT);"
     "CREATE INDEX subscriptions_booking ON subscriptions(booking_id, state);"
     /* What happened to a booking that subscribers may hear of. data is internal JSON,
      * filtered by the policy when a message is made. dedupe keeps advance notices once. */
     "CREATE TABLE public_events ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  kind TEXT NOT NULL CHECK (kind = 'confirm' OR kind = 'released' OR kind = 'transferred'"
     "    OR kind = 'release_date' OR kind = 'advance_notice'),"
     "  data TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  dedupe TEXT UNIQUE);"
     /* The delivery queue: one row per event and subscriber, worked by `serve`. */
     DELIVERIES_TABLE("deliveries", "public_events")
     "CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);"
     "CREATE INDEX deliveries_subscription ON deliveries(subscription_id, status);"
     /* The public status line: when each facility's data last changed, and how far the scan
      * of new bookings and charges got. */
     "CREATE TABLE facility_status ("
     "  facility TEXT PRIMARY KEY,"
     "  changed_at TEXT NOT NULL);"
     "CREATE TABLE public_scan ("
     "  id INTEGER PRIMARY KEY CHECK (id = 1),"
     "  booking_seen INTEGER NOT NULL,"
     "  charge_seen INTEGER NOT NULL);"
     "INSERT INTO public_scan VALUES (1, 0, 0);"
     /* Daily snapshots of the public export (the files live in the server's snapshot_dir). */
     "CREATE TABLE public_snapshots ("
     "  date TEXT PRIMARY KEY,"
     "  generated_at TEXT NOT NULL,"
     "  rows INTEGER NOT NULL,"
     "  fields INTEGER NOT NULL,"
     "  policy_version INTEGER NOT NULL);"},
    {5,
     /* The staff console (issue 5, docs/console.md): the TRUTH Act notices generated and
      * served for each request (Gov. Code 7283.1), the agency's stated intent to comply, the
      * release dates it gave immigration authorities, the person's answer to an interview
      * request and the interview's steps. Only service may be added to a notice row, once;
      * every other row is append-only (the newest row of a request is the current one). Names
      * (recipient, attorney, court, judge) are 1-200 bytes, checked by the API. */
     "CREATE TABLE notices ("
     "id INTEGER PRIMARY KEY,"
     "request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "kind TEXT NOT NULL CHECK (kind IN ('copy', 'release', 'consent')),"
     "recipient TEXT NOT NULL CHECK (recipient IN ('person', 'attorney', 'designee')),"
     "recipient_name TEXT,"
     "language TEXT NOT NULL CHECK (language IN ('en', 'es', 'zh', 'tl', 'vi', 'ko')),"
     "subdivision TEXT NOT NULL,"
     "intent TEXT CHECK (intent IN ('undecided', 'yes', 'no')),"
     "release_date TEXT,"
     "generated_at TEXT NOT NULL,"
     "generated_by TEXT NOT NULL,"
     "served_at TEXT,"
     "served_by TEXT,"
     "served_to TEXT,"
     "method TEXT CHECK (method IN ('in_person', 'mail', 'email', 'fax')),"
     "CHECK ((served_at IS NULL) = (served_by IS NULL)"
     " AND (served_at IS NULL) = (served_to IS NULL) AND (served_at IS NULL) = (method IS NULL)),"
     "CHECK (recipient = 'person' OR kind = 'release'),"
     "CHECK (kind <> 'release' OR release_date IS NOT NULL));"
     "CREATE INDEX notices_request ON notices(request_id);"
     "CREATE TRIGGER notices_serve_once BEFORE UPDATE ON notices"
     " WHEN OLD.served_at IS NOT NULL OR NEW.served_at IS NULL"
     " BEGIN SELECT RAISE(ABORT, 'served once'); END;"
     "CREATE TRIGGER notices_fixed BEFORE UPDATE OF id, request_id, kind, recipient,"
     " recipient_name, language, subdivision, intent, release_date, generated_at, generated_by"
     " ON notices BEGIN SELECT RAISE(ABORT, 'served once'); END;"
     "CREATE TRIGGER notices_nd BEFORE DELETE ON notices"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     /* The person's answer to an ICE interview request; attorney_only may name the attorney
      * later, in a new row. */
     "CREATE TABLE interview_consents ("
     "id INTEGER PRIMARY KEY,"
     "request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "answer TEXT NOT NULL CHECK (answer IN ('consent', 'decline', 'attorney_only')),"
     "attorney TEXT,"
     "recorded_by TEXT NOT NULL,"
     "recorded_at TEXT NOT NULL);"
     "CREATE INDEX consents_request ON interview_consents(request_id);"
     /* Whether the agency intends to comply (7283.1(b), first sentence). */
     "CREATE TABLE request_intents ("
     "id INTEGER PRIMARY KEY,"
     "request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "intent TEXT NOT NULL CHECK (intent IN ('undecided', 'yes', 'no')),"
     "recorded_by TEXT NOT NULL,"
     "recorded_at TEXT NOT NULL);"
     "CREATE INDEX intents_request ON request_intents(request_id);"
     /* The agency told immigration authorities a release date (7283.1(b), second sentence). */
     "CREATE TABLE release_disclosures ("
     "id INTEGER PRIMARY KEY,"
     "request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "release_date TEXT NOT NULL,"
     "told_at TEXT NOT NULL,"
     "recorded_by TEXT NOT NULL,"
     "recorded_at TEXT NOT NULL);"
     "CREATE INDEX disclosures_request ON release_disclosures(request_id);"
     /* An interview's steps; 'granted' names the consent it rests on when the decision's
      * conditions require one (7283.1(a)). */
     "CREATE TABLE interviews ("
     "id INTEGER PRIMARY KEY,"
     "request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "status TEXT NOT NULL CHECK (status IN ('scheduled', 'granted', 'refused')),"
     "at TEXT,"
     "consent_id INTEGER REFERENCES interview_consents(id),"
     "recorded_by TEXT NOT NULL,"
     "recorded_at TEXT NOT NULL);"
     "CREATE INDEX interviews_request ON interviews(request_id);"
     /* A judicial warrant's court and judge, as the clerk read them off the warrant. */
     "CREATE TABLE request_warrants ("
     "id INTEGER PRIMARY KEY,"
     "request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "court TEXT NOT NULL,"
     "judge TEXT NOT NULL,"
     "recorded_by TEXT NOT NULL,"
     "recorded_at TEXT NOT NULL);"
     "CREATE INDEX warrants_request ON request_warrants(request_id);"
     "CREATE TRIGGER warrants_nu BEFORE UPDATE ON request_warrants"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER warrants_nd BEFORE DELETE ON request_warrants"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER consents_nu BEFORE UPDATE ON interview_consents"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER consents_nd BEFORE DELETE ON interview_consents"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER intents_nu BEFORE UPDATE ON request_intents"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER intents_nd BEFORE DELETE ON request_intents"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER disclosures_nu BEFORE UPDATE ON release_disclosures"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER disclosures_nd BEFORE DELETE ON release_disclosures"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER interviews_nu BEFORE UPDATE ON interviews"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER interviews_nd BEFORE DELETE ON interviews"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     /* The audit trail of one request (store_request_audit) looks its entries up by entity
      * (request/N, decision/N, notice/N ...). */
     "CREATE INDEX audit_log_entity ON audit_log(entity);"},
    {6,
     /* A token's id is never given again once its token is revoked (issue 15): AUTOINCREMENT
      * keeps the largest id ever used in sqlite_sequence. The table is rebuilt to get it;
      * the sequence starts past every id the audit log says was issued (token.create's
      * token_id), since a revoked token with the largest id left no row behind. */
     "CREATE TABLE api_tokens_v6 ("
     "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
     "  token_hash TEXT NOT NULL UNIQUE,"
     "  user_id INTEGER NOT NULL REFERENCES users(id),"
     "  created_at TEXT NOT NULL,"
     "  last_used TEXT);"
     "INSERT INTO api_tokens_v6 (id, token_hash, user_id, created_at, last_used)"
     "  SELECT id, token_hash, user_id, created_at, last_used FROM api_tokens;"
     "DROP TABLE api_tokens;"
     "ALTER TABLE api_tokens_v6 RENAME TO api_tokens;"
     "CREATE INDEX api_tokens_user ON api_tokens(user_id);"
     "DELETE FROM sqlite_sequence WHERE name IN ('api_tokens', 'api_tokens_v6');"
     "INSERT INTO sqlite_sequence (name, seq) SELECT 'api_tokens', max("
     "  (SELECT coalesce(max(id), 0) FROM api_tokens),"
     "  (SELECT coalesce(max(CAST(json_extract(payload, '$.token_id') AS INTEGER)), 0)"
     "   FROM audit_log WHERE action = 'token.create'));"},
    {7,
     /* What the agency did about each request (docs/actions.md), appended, never edited: ICE
      * told of the release date, a transfer to ICE custody, a release before ICE came, ICE not
      * taking custody, the request lifted by ICE, the request declined. ice_reason is ICE's own
      * word for how the detainer ended (the detainer_lift_reason of ICE's published detainer
      * data), as a code of the list in src/app/actions.c. contrary says the action went against
      * the outcome in force when it was recorded (outcome_in_force), which needs a supervisor's
      * reason (actions_record). */
     "CREATE TABLE request_actions ("
     "id INTEGER PRIMARY KEY,"
     "request_id INTEGER NOT NULL REFERENCES immigration_requests(id),"
     "kind TEXT NOT NULL CHECK (kind IN ('notified', 'transferred', 'released_before_ice',"
     " 'ice_no_custody', 'lifted_by_ice', 'declined')),"
     "at TEXT NOT NULL,"
     "method TEXT CHECK (method IN ('phone', 'fax', 'email', 'system')),"
     "acted_by TEXT CHECK (length(acted_by) BETWEEN 1 AND 200),"
     "office TEXT CHECK (length(office) BETWEEN 1 AND 200),"
     "ice_reason TEXT CHECK (ice_reason IN ('booked_into_detention', 'declined_by_lea',"
     " 'case_closed', 'duplicate', 'early_release', 'ice_resource_constraint',"
     " 'insufficient_notice', 'not_in_custody', 'not_amenable', 'prosecutorial_discretion',"
     " 'superseded', 'citizenship_claim', 'judicial_review')),"
     "outcome_in_force TEXT CHECK (outcome_in_force IN ('permitted', 'permitted_with_conditions',"
     " 'prohibited', 'review')),"
     "contrary INTEGER NOT NULL CHECK (contrary IN (0, 1)),"
     "reason TEXT CHECK (length(reason) BETWEEN 1 AND 2000),"
     "recorded_by TEXT NOT NULL,"
     "recorded_at TEXT NOT NULL,"
     "CHECK ((kind = 'notified') = (method IS NOT NULL)),"
     "CHECK (kind <> 'notified' OR acted_by IS NOT NULL),"
     "CHECK (kind <> 'transferred' OR office IS NOT NULL),"
     "CHECK (contrary = 0 OR reason IS NOT NULL));"
     "CREATE INDEX actions_request ON request_actions(request_id);"
     "CREATE INDEX actions_at ON request_actions(at);"
     "CREATE TRIGGER actions_nu BEFORE UPDATE ON request_actions"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER actions_nd BEFORE DELETE ON request_actions"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     /* The outcome in force of every request, the one place it is computed: the newest
      * decision (highest version), unless that decision has overrides: then the most
      * restrictive of them (review_outcome_rank's order, src/app/review.c), the newest among
      * equals. review_override lets no override loosen an earlier one, so this is also the
      * newest override. engine_outcome is the decision's own; outcome is NULL while the
      * request is undecided. Every read that shows a request's outcome reads it here. */
     "CREATE VIEW request_outcome AS" SQL_REQUEST_OUTCOME ";"
     "CREATE INDEX overrides_decision ON overrides(decision_id);"},
    {8,
     /* The custody feed's idempotency keys (POST /api/v1/feed, docs/import.md): a push retried
      * with the same Idempotency-Key is answered what the first was, from here, and applied
      * once. body_hash (hex BLAKE2b-256) tells a retry from another body under the same key. */
     "CREATE TABLE feed_keys ("
     "  id INTEGER PRIMARY KEY,"
     "  key TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200),"
     "  body_hash TEXT NOT NULL,"
     "  status INTEGER NOT NULL,"
     "  answer TEXT NOT NULL,"
     "  created_at TEXT NOT NULL);"},
    {9,
     /* Which staff records changed, whoever wrote them (store_changes): the answer cache
      * forgets a booking's record when its row here moves, and keeps every other. One row per
      * booking, so the table never outgrows the bookings; seq orders the changes, and SQLite's
      * one writer at a time makes that the order of the commits. A new booking needs no mark:
      * nothing can have kept its record before it existed. A bulk import of charges or
      * convictions pauses their row triggers (a row in record_marks_paused, inside its
      * transaction only) and marks their bookings in one statement before it commits: a
      * trigger a row would double the import's time. */
     "CREATE TABLE record_changes ("
     "  booking_id INTEGER PRIMARY KEY REFERENCES bookings(id),"
     "  seq INTEGER NOT NULL);"
     "CREATE INDEX record_changes_seq ON record_changes(seq);"
     "CREATE TABLE record_marks_paused (paused INTEGER NOT NULL);"
     /* A booking marked takes the next change number: an insert into this view does it. */
     "CREATE VIEW record_mark AS SELECT booking_id FROM record_changes WHERE 0;"
     "CREATE TRIGGER record_mark_insert INSTEAD OF INSERT ON record_mark BEGIN"
     " INSERT INTO record_changes (booking_id, seq)"
     " VALUES (NEW.booking_id, (SELECT coalesce(max(seq), 0) + 1 FROM record_changes))"
     " ON CONFLICT (booking_id) DO UPDATE SET seq = excluded.seq; END;"
     "CREATE TRIGGER bookings_changed AFTER UPDATE ON bookings BEGIN"
     MARK_CHANGED("b.id = NEW.id") " END;"
     "CREATE TRIGGER people_changed AFTER UPDATE ON people BEGIN"
     MARK_CHANGED("b.person_id = NEW.id") " END;"
     "CREATE TRIGGER charges_added AFTER INSERT ON charges"
     " WHEN NOT EXISTS (SELECT 1 FROM record_marks_paused) BEGIN"
     MARK_CHANGED("b.id = NEW.booking_id") " END;"
     "CREATE TRIGGER charges_changed AFTER UPDATE ON charges BEGIN"
     MARK_CHANGED("b.id = NEW.booking_id OR b.id = OLD.booking_id") " END;"
     "CREATE TRIGGER charges_removed AFTER DELETE ON charges BEGIN"
     MARK_CHANGED("b.id = OLD.booking_id") " END;"
     "CREATE TRIGGER convictions_added AFTER INSERT ON convictions"
     " WHEN NOT EXISTS (SELECT 1 FROM record_marks_paused) BEGIN"
     MARK_CHANGED("b.person_id = NEW.person_id") " END;"
     "CREATE TRIGGER convictions_changed AFTER UPDATE ON convictions BEGIN"
     MARK_CHANGED("b.person_id = NEW.person_id OR b.person_id = OLD.person_id") " END;"
     "CREATE TRIGGER convictions_removed AFTER DELETE ON convictions BEGIN"
     MARK_CHANGED("b.person_id = OLD.person_id") " END;"
     "CREATE TRIGGER requests_added AFTER INSERT ON immigration_requests BEGIN"
     MARK_CHANGED("b.id = NEW.booking_id") " END;"
     "CREATE TRIGGER requests_changed AFTER UPDATE ON immigration_requests BEGIN"
     MARK_CHANGED("b.id = NEW.booking_id OR b.id = OLD.booking_id") " END;"
     "CREATE TRIGGER decisions_added AFTER INSERT ON decisions BEGIN"
     MARK_CHANGED("b.id = (SELECT booking_id FROM immigration_requests WHERE id = NEW.request_id)")
     " END;"
     "CREATE TRIGGER overrides_added AFTER INSERT ON overrides BEGIN"
     MARK_CHANGED("b.id = (SELECT booking_id FROM immigration_requests WHERE id = NEW.request_id)")
     " END;"
     "CREATE TRIGGER actions_added AFTER INSERT ON request_actions BEGIN"
     MARK_CHANGED("b.id = (SELECT booking_id FROM immigration_requests WHERE id = NEW.request_id)")
     " END;"},
    {10,
     /* Each decision's trace (docs/engine.md, "The trace"): the offense catalog's version
      * (hc_catalog_version, 64 hex digits), the agency settings in force as canonical JSON
      * and the engine's version (HC_ENGINE_VERSION), beside the ruleset the table already
      * has. A decision stored before has NULL in all three: not recorded, never guessed. */
     "ALTER TABLE decisions ADD COLUMN catalog_version TEXT"
     " CHECK (length(catalog_version) = 64);"
     "ALTER TABLE decisions ADD COLUMN settings_json TEXT CHECK (substr(settings_json, 1, 1) = '{');"
     "ALTER TABLE decisions ADD COLUMN engine_version INTEGER CHECK (engine_version >= 1);"},
    {11,
     /* The event "rebooked" (src/app/booking.c, booking_rebooked): a person booked again under a
      * new number, told to those who follow the earlier booking. SQLite cannot change a CHECK
      * in place, and a migration's transaction cannot turn foreign keys off, so the events and
      * their deliveries (which nothing references) are copied into new tables, the old ones
      * dropped child first, and the new ones renamed (which points the deliveries' reference
      * at the new events). */
     "CREATE TABLE public_events_v11 ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  kind TEXT NOT NULL CHECK (kind = 'confirm' OR kind = 'released' OR kind = 'transferred'"
     "    OR kind = 'release_date' OR kind = 'advance_notice' OR kind = 'rebooked'),"
     "  data TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  dedupe TEXT UNIQUE);"
     "INSERT INTO public_events_v11 (id, booking_id, kind, data, created_at, dedupe)"
     " SELECT id, booking_id, kind, data, created_at, dedupe FROM public_events;"
     DELIVERIES_TABLE("deliveries_v11", "public_events_v11")
     "INSERT INTO deliveries_v11 (id, event_id, subscription_id, status, attempts,"
     " next_attempt_at, last_error, created_at, delivered_at)"
     " SELECT id, event_id, subscription_id, status, attempts, next_attempt_at, last_error,"
     " created_at, delivered_at FROM deliveries;"
     "DROP TABLE deliveries;"
     "DROP TABLE public_events;"
     "ALTER TABLE public_events_v11 RENAME TO public_events;"
     "ALTER TABLE deliveries_v11 RENAME TO deliveries;"
     "CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);"
     "CREATE INDEX deliveries_subscription ON deliveries(subscription_id, status);"},
    {12,
     /* The read-access log (docs/operations.md, "Read-access log"): one row per staff read of
      * a record, a list, a notice or a report: when (UTC), who (id, name and role then), the
      * route (method and pattern), the object's kind and the path parameter naming it, the
      * query string as sent, the client's address and the answer's status. Not bound into
      * the audit chain (its volume would dwarf it); pruned by age (read_log_days). */
     "CREATE TABLE read_log ("
     "  id INTEGER PRIMARY KEY,"
     "  at TEXT NOT NULL,"
     "  user_id INTEGER NOT NULL,"
     "  user_name TEXT NOT NULL,"
     "  role TEXT NOT NULL,"
     "  method TEXT NOT NULL,"
     "  route TEXT NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  object TEXT,"
     "  query TEXT,"
     "  client TEXT NOT NULL,"
     "  status INTEGER NOT NULL);"
     "CREATE INDEX read_log_at ON read_log(at);"
     "CREATE INDEX read_log_user ON read_log(user_name, id);"
     "CREATE INDEX read_log_object ON read_log(kind, object, id);"},
    {13,
     /* The register of joint law enforcement task forces the agency takes part in, and the
      * arrests each reported for a period (Gov. Code 7284.6(c)(1); src/app/taskforce.c checks
      * the rest: dates, a period inside the membership, no two periods of a task force
      * overlapping). members: a JSON array of the agencies involved. Both append-only: an entry
      * is bound into the audit chain (bound.c), and a correction is a new task force or entry,
      * never an edit. No column names a person. */
     "CREATE TABLE task_forces ("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),"
     "  purpose TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 2000),"
     "  members TEXT NOT NULL CHECK (substr(members, 1, 1) = '[' AND substr(members, -1) = ']'),"
     "  joined TEXT NOT NULL CHECK (joined GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
     "  left_on TEXT CHECK (left_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
     "    AND left_on >= joined),"
     "  recorded_by TEXT NOT NULL,"
     "  recorded_at TEXT NOT NULL);"
     "CREATE TABLE task_force_arrests ("
     "  id INTEGER PRIMARY KEY,"
     "  task_force_id INTEGER NOT NULL REFERENCES task_forces(id),"
     "  period_from TEXT NOT NULL"
     "    CHECK (period_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
     "  period_to TEXT NOT NULL"
     "    CHECK (period_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
     "  arrests INTEGER NOT NULL CHECK (arrests >= 0),"
     "  immigration_arrests INTEGER NOT NULL"
     "    CHECK (immigration_arrests >= 0 AND immigration_arrests <= arrests),"
     "  source TEXT CHECK (length(source) BETWEEN 1 AND 500),"
     "  recorded_by TEXT NOT NULL,"
     "  recorded_at TEXT NOT NULL,"
     "  CHECK (period_to >= period_from));"
     "CREATE INDEX task_force_arrests_period ON task_force_arrests(task_force_id, period_from);"
     "CREATE TRIGGER task_forces_append_only_u BEFORE UPDATE ON task_forces"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER task_forces_append_only_d BEFORE DELETE ON task_forces"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER task_force_arrests_append_only_u BEFORE UPDATE ON task_force_arrests"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
     "CREATE TRIGGER task_force_arrests_append_only_d BEFORE DELETE ON task_force_arrests"
     " BEGIN SELECT RAISE(ABORT, 'append-only'); END;"},
    {14,
     /* The newest decision of each request and its outcome, read from an index: the statutory
      * reports (sqlite_reports.c) look up the outcome in force of every request of a year, and
      * through the rowid that read a decision's whole row (its case and decision JSON, most of
      * a page) for two short columns. With outcome and ruleset in the index the lookup never
      * leaves it. */
     "CREATE INDEX decisions_newest ON decisions(request_id, version, outcome, ruleset);"},
    {15,
     /* The instant each request, action and notice names, in an index: stored times carry their
      * offsets, so the reports (sqlite_reports.c) test a period and order the records by
      * julianday() of the text, which no index on the text can answer. On a year of a large
      * county that was a date parsed four times a row and a sort of every row; with these the
      * period is a range of the index, read in order. julianday() of a column is deterministic,
      * so SQLite takes it in an index. */
     "CREATE INDEX requests_instant ON immigration_requests(julianday(received_at));"
     "CREATE INDEX actions_instant ON request_actions(julianday(at));"
     "CREATE INDEX notices_instant ON notices(julianday(generated_at));"
     /* The cpra bundle reads every record table by its own time. */
     "CREATE INDEX decisions_instant ON decisions(julianday(decided_at));"
     "CREATE INDEX overrides_instant ON overrides(julianday(created_at));"
     "CREATE INDEX warrants_instant ON request_warrants(julianday(recorded_at));"
     "CREATE INDEX intents_instant ON request_intents(julianday(recorded_at));"
     "CREATE INDEX disclosures_instant ON release_disclosures(julianday(told_at));"
     "CREATE INDEX consents_instant ON interview_consents(julianday(recorded_at));"
     "CREATE INDEX interviews_instant ON interviews(julianday(recorded_at));"},
    {16,
     /* Victim notification (PC 646.92, 679.03; src/app/victims.c has the rules): a victim or
      * their designee registered by staff for a booking, or for its person (follows_person:
      * every booking of the person), and the queue of the notices owed to them, worked by the
      * delivery thread before the public deliveries. name and target are confidential: never
      * in an audit payload, a public answer or an export. channel admits the channels to come
      * (the service takes email only for now). */
     "CREATE TABLE victim_registrations ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  person_id INTEGER NOT NULL REFERENCES people(id),"
     "  follows_person INTEGER NOT NULL DEFAULT 0 CHECK (follows_person IN (0, 1)),"
     "  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
     "  relation TEXT NOT NULL CHECK (relation IN ('victim', 'designee', 'family', 'witness')),"
     "  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),"
     "  target TEXT NOT NULL CHECK (length(target) BETWEEN 3 AND 2048),"
     "  lang TEXT NOT NULL CHECK (lang IN ('en', 'es', 'zh', 'tl', 'vi', 'ko')),"
     "  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'removed')),"
     "  created_by TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  changed_by TEXT,"
     "  changed_at TEXT);"
     "CREATE INDEX victim_registrations_booking ON victim_registrations(booking_id, state);"
     "CREATE INDEX victim_registrations_person ON victim_registrations(person_id, state);"
     "CREATE TABLE victim_notices ("
     "  id INTEGER PRIMARY KEY,"
     "  registration_id INTEGER NOT NULL REFERENCES victim_registrations(id),"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  kind TEXT NOT NULL"
     "    CHECK (kind IN ('released', 'transferred', 'escaped', 'died', 'rebooked')),"
     "  data TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending',"
     "    'delivered', 'failed', 'cancelled')),"
     "  attempts INTEGER NOT NULL DEFAULT 0,"
     "  next_attempt_at TEXT NOT NULL,"
     "  last_error TEXT,"
     "  delivered_at TEXT);"
     "CREATE INDEX victim_notices_due ON victim_notices(status, next_attempt_at);"
     "CREATE INDEX victim_notices_registration ON victim_notices(registration_id, id);"},
    {17,
     /* The marks become a log (store_changes): a change appends (seq, booking) at the end of
      * record_marks instead of moving its booking's row in record_changes. Moving a row wrote
      * a random page of the table and one of its seq index a change (a third of the WAL of a
      * feed's delta, docs/benchmarks.md); an append writes the last page, shared by hundreds
      * of marks. seq is the rowid, so one more than the newest: the marks are numbered without
      * gaps, in the order of the commits (SQLite's one writer at a time). A booking changed
      * twice has two marks. Only the newest marks are kept: when seq reaches a multiple of
      * 1,024 the trigger deletes those 8,192 or more behind it, so the log holds 8,192 to
      * 9,215 marks (STORE_MARKS_KEPT, rows_conn.h; 8,192 here is that number, for good). A
      * reader that missed a deleted mark finds at least 8,192 marks after where it stands,
      * more than store_changes ever lists one by one, and is told to forget everything. The
      * trim runs in the writer's own transaction, whoever writes, every 1,024 marks at once:
      * a range at the start of the log, a few pages. The newest 8,192 marks of record_changes
      * are carried over, renumbered in order after its newest seq, so that seq never goes
      * back. The booking's own trigger appends directly (the feed's delta updates bookings by
      * the thousand); the others keep marking through the view record_mark. */
     "CREATE TABLE record_marks ("
     "  seq INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL);"
     "INSERT INTO record_marks (seq, booking_id)"
     " SELECT (SELECT coalesce(max(seq), 0) FROM record_changes)"
     "   + row_number() OVER (ORDER BY seq, booking_id), booking_id"
     " FROM (SELECT seq, booking_id FROM record_changes ORDER BY seq DESC LIMIT 8192);"
     "CREATE TRIGGER record_marks_trim AFTER INSERT ON record_marks"
     " WHEN NEW.seq % 1024 = 0 BEGIN"
     " DELETE FROM record_marks WHERE seq <= NEW.seq - 8192; END;"
     "DROP VIEW record_mark;"
     "DROP TABLE record_changes;"
     "CREATE VIEW record_mark AS SELECT booking_id FROM record_marks WHERE 0;"
     "CREATE TRIGGER record_mark_insert INSTEAD OF INSERT ON record_mark BEGIN"
     " INSERT INTO record_marks (booking_id) VALUES (NEW.booking_id); END;"
     "DROP TRIGGER bookings_changed;"
     "CREATE TRIGGER bookings_changed AFTER UPDATE ON bookings BEGIN"
     " INSERT INTO record_marks (booking_id) VALUES (NEW.id); END;"},
    {18,
     /* A subscription's target is looked up when a new one is made, to count the target's
      * live subscriptions against the limit (subscribe.h, SUBSCRIBE_PER_TARGET). */
     "CREATE INDEX subscriptions_target ON subscriptions(target, channel, state);"},
    {19,
     /* The provisions each decision cites, kept beside it: the cpra bundle (sqlite_reports.c)
      * writes them for every decision of a year, and reading them from each decision's JSON
      * took three parses of most of a page a decision. A decision is never updated, so its
      * row here is written once: by the store with the decision (sqlite_requests.c; not by a
      * trigger, which may not call the JSON functions under trusted_schema=OFF), and here for
      * the decisions already stored. A decision written around holdcheck has none, and the
      * bundle reads its JSON instead. Derived from the decision's JSON, which the audit chain
      * vouches for: the cpra report's check compares the two (sqlite_reports.c). */
     "CREATE TABLE decision_citations ("
     "  decision_id INTEGER PRIMARY KEY,"
     "  basis TEXT,"
     "  qualifying TEXT,"
     "  conditions TEXT);"
     "INSERT INTO decision_citations (decision_id, basis, qualifying, conditions)"
     " SELECT d.id," SQ_DECISION_CITATIONS("d.decision_json") " FROM decisions d;"
     /* A decision removed behind holdcheck's back (decisions_no_delete forbids it otherwise)
      * takes its citations with it. */
     "CREATE TRIGGER decisions_cited_removed AFTER DELETE ON decisions BEGIN"
     " DELETE FROM decision_citations WHERE decision_id = OLD.id; END;"},
    {20,
     /* Which records were read in which hour, in place of an index of the read log by
      * object. Entries name records in no order, so an index on (kind, object) took every
      * one of them to another page of the index: each of the writer's commits rewrote about as
      * many pages as it had entries, and the log paced the staff lookups to a quarter of their
      * speed (docs/benchmarks.md, "The read-access log"). Keyed by the hour first, an hour's
      * rows are written at the end of the table, a record read again in the same hour adds
      * nothing, and a query by object seeks it hour by hour, then reads the entries of each
      * hour it was read in through read_log_at (sqlite_readlog.c). hour is the first 13
      * characters of the entries' at ("YYYY-MM-DDTHH"). */
     "DROP INDEX read_log_object;"
     "CREATE TABLE read_log_seen ("
     "  hour TEXT NOT NULL,"
     "  object TEXT NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  PRIMARY KEY (hour, object, kind)) WITHOUT ROWID;"
     "INSERT OR IGNORE INTO read_log_seen (hour, object, kind)"
     " SELECT substr(at, 1, 13), object, kind FROM read_log WHERE object IS NOT NULL;"},
    {21,
     /* Subscriptions by SMS (src/app/sms.c): the channel 'sms' (target: a number in E.164),
      * the six languages victim notices are written in, and code_tries, the wrong codes a
      * pending SMS subscription was confirmed with (subscribe.h, SUBSCRIBE_CODE_TRIES). SQLite
      * cannot change a CHECK in place, and deliveries reference subscriptions(id), so the
      * table is rebuilt by SQLite's procedure (lang_altertable.html, "Making Other Kinds Of
      * Table Schema Changes"): foreign keys off outside the transaction (sq_migrations_foreign_keys_off),
      * a new table, every row copied with its id, the old one dropped, the new one renamed,
      * its indexes made again; the runner's foreign_key_check then proves every delivery
      * still names its subscription. Then the opt-outs received from the SMS gateway (STOP
      * and its kin): each ended a number's subscriptions and owes that number one reply,
      * queued here and sent by the delivery thread. target is confidential. */
     "CREATE TABLE subscriptions_v21 ("
     "  id INTEGER PRIMARY KEY,"
     "  booking_id INTEGER NOT NULL REFERENCES bookings(id),"
     "  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook', 'sms')),"
     "  target TEXT NOT NULL CHECK (length(target) BETWEEN 3 AND 2048),"
     "  events INTEGER NOT NULL CHECK (events BETWEEN 1 AND 15),"
     "  advance_days INTEGER NOT NULL DEFAULT 3 CHECK (advance_days BETWEEN 1 AND 30),"
     "  lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'es', 'zh', 'tl', 'vi', 'ko')),"
     "  secret TEXT,"
     "  confirm_token TEXT NOT NULL UNIQUE,"
     "  unsubscribe_token TEXT NOT NULL UNIQUE,"
     "  state TEXT NOT NULL"
     "    CHECK (state = 'pending' OR state = 'confirmed' OR state = 'unsubscribed'),"
     "  created_at TEXT NOT NULL,"
     "  confirmed_at TEXT,"
     "  ended_at TEXT,"
     "  code_tries INTEGER NOT NULL DEFAULT 0 CHECK (code_tries >= 0));"
     "INSERT INTO subscriptions_v21 (id, booking_id, channel, target, events, advance_days,"
     " lang, secret, confirm_token, unsubscribe_token, state, created_at, confirmed_at,"
     " ended_at)"
     " SELECT id, booking_id, channel, target, events, advance_days, lang, secret,"
     " confirm_token, unsubscribe_token, state, created_at, confirmed_at, ended_at"
     " FROM subscriptions;"
     "DROP TABLE subscriptions;"
     "ALTER TABLE subscriptions_v21 RENAME TO subscriptions;"
     "CREATE INDEX subscriptions_booking ON subscriptions(booking_id, state);"
     "CREATE INDEX subscriptions_target ON subscriptions(target, channel, state);"
     "CREATE TABLE sms_stops ("
     "  id INTEGER PRIMARY KEY,"
     "  target TEXT NOT NULL CHECK (length(target) BETWEEN 3 AND 32),"
     "  lang TEXT NOT NULL CHECK (lang IN ('en', 'es', 'zh', 'tl', 'vi', 'ko')),"
     "  ended INTEGER NOT NULL CHECK (ended >= 0),"
     "  created_at TEXT NOT NULL,"
     "  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending',"
     "    'delivered', 'failed')),"
     "  attempts INTEGER NOT NULL DEFAULT 0,"
     "  next_attempt_at TEXT NOT NULL,"
     "  last_error TEXT);"
     "CREATE INDEX sms_stops_due ON sms_stops(status, next_attempt_at);"},
};
const size_t sq_nmigrations = sizeof sq_migrations / sizeof sq_migrations[0];
const int sq_migrations_foreign_keys_off[] = {21, 0};

#!/bin/sh
# fixture40k.sh HOLDCHECK DB [N]: build a database with about N (default 40000) decided
# requests received in 2024, for measuring `holdcheck replay` over a large county's year
# (docs/replay.md). Not part of `make check`: a one-off measurement. The demo county decides a
# few hundred requests through the normal intake path; each is then copied, with its stored
# case and trace, under new request ids spread over the days of 2024 (raw SQL: the copies are
# not audited, which a replay does not read).
set -eu
bin=$1 db=$2 want=${3:-40000}
rm -f "$db" "$db-wal" "$db-shm"
"$bin" migrate --db "$db" > /dev/null
"$bin" demo --db "$db" --bookings 5000 --today 2024-12-31 > /dev/null
have=$(sqlite3 "$db" 'SELECT count(*) FROM decisions')
copies=$(( (want + have - 1) / have - 1 ))
sqlite3 "$db" <<SQL
PRAGMA foreign_keys = ON;
INSERT INTO record_marks_paused VALUES (1);
CREATE TEMP TABLE src AS
  SELECT r.id, r.booking_id, r.type, r.form, r.issuing_office, r.judicial_warrant,
         r.judicial_probable_cause, r.federal_felony_warrant, d.outcome, d.ruleset, d.case_json,
         d.decision_json, d.decided_by, d.decided_at, d.catalog_version, d.settings_json,
         d.engine_version
  FROM immigration_requests r JOIN decisions d ON d.request_id = r.id;
CREATE TEMP TABLE k AS
  WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $copies)
  SELECT n FROM k;
DROP TRIGGER IF EXISTS requests_added;
DROP TRIGGER IF EXISTS decisions_added;
INSERT INTO immigration_requests (id, booking_id, type, form, received_at, issuing_office,
    judicial_warrant, judicial_probable_cause, federal_felony_warrant)
  SELECT s.id + k.n * 1000000, s.booking_id, s.type, s.form,
         date('2024-01-01', '+' || ((s.id * 7 + k.n * 13) % 366) || ' days') || 'T10:00:00-08:00',
         s.issuing_office, s.judicial_warrant, s.judicial_probable_cause, s.federal_felony_warrant
  FROM src s, k;
INSERT INTO decisions (request_id, version, outcome, ruleset, case_json, decision_json,
    decided_by, decided_at, catalog_version, settings_json, engine_version)
  SELECT s.id + k.n * 1000000, 1, s.outcome, s.ruleset, s.case_json, s.decision_json,
         s.decided_by, s.decided_at, s.catalog_version, s.settings_json, s.engine_version
  FROM src s, k;
DELETE FROM record_marks_paused;
SQL
echo "$db: $(sqlite3 "$db" "SELECT count(*) FROM immigration_requests WHERE received_at LIKE '2024-%'") requests received in 2024, $(sqlite3 "$db" 'SELECT count(*) FROM decisions') decisions"

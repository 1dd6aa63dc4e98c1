#!/bin/sh
# bench/server/gen-db.sh HOLDCHECK DB BOOKINGS [TEMPLATE] [TODAY]
#
# A bench-only helper: builds a migrated holdcheck database holding BOOKINGS bookings (1,000,000
# for the server bench) quickly. `holdcheck demo` is the real path but writes about 1,000
# bookings/s and stops at 999,999, so:
#   1. `holdcheck migrate`, then `holdcheck demo --bookings TEMPLATE --seed 1 --today TODAY`
#      writes TEMPLATE bookings (default 5,000) through the store and the intake path: people,
#      convictions, charges, ~4 % of bookings with an immigration request and its decision
#      (with the provisions it cites, kept beside it), and the audit entries of all of it;
#   2. the sqlite3 shell copies that county BOOKINGS/TEMPLATE - 1 times over, shifting every
#      id, so booking k is DEMO-%06d of k (DEMO-1000000 for the last) with person DEMO-P%06d
#      of k, and copies the convictions, charges, requests and decisions (the decision's case
#      and answer keep their text, with "request-N" renumbered).
# The copies have no audit entries (the chain still verifies: it covers the template). The
# database is left in WAL mode, as holdcheck opens it. No SQL of the project's src/ is used.
set -eu
hc=$1 db=$2 n=$3 t=${4:-5000} today=${5:-2026-11-01}
[ $((n % t)) -eq 0 ] || { echo "gen-db: BOOKINGS ($n) must be a multiple of TEMPLATE ($t)" >&2; exit 2; }
copies=$((n / t))
rm -f "$db" "$db-wal" "$db-shm"
"$hc" migrate --db "$db" > /dev/null
"$hc" demo --db "$db" --bookings "$t" --seed 1 --today "$today"
[ "$copies" -gt 1 ] || exit 0
sqlite3 "$db" > /dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -524288;
PRAGMA foreign_keys = OFF;
PRAGMA temp_store = MEMORY;
BEGIN;
CREATE TEMP TABLE m AS SELECT
    (SELECT max(id) FROM people) AS p, (SELECT max(id) FROM bookings) AS b,
    (SELECT max(id) FROM charges) AS c, (SELECT max(id) FROM convictions) AS v,
    (SELECT ifnull(max(id), 0) FROM immigration_requests) AS r,
    (SELECT ifnull(max(id), 0) FROM decisions) AS d;
CREATE TEMP TABLE k AS WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $copies - 1)
    SELECT n FROM s;
INSERT INTO people (id, name, name_key, date_of_birth, local_id, registrant_290, created_at)
    SELECT x.id + k.n * m.p, x.name, x.name_key, x.date_of_birth,
           printf('DEMO-P%06d', x.id + k.n * m.p), x.registrant_290, x.created_at
    FROM k, m, people x WHERE x.id <= m.p ORDER BY k.n, x.id;
INSERT INTO bookings (id, booking_no, person_id, booked_at, facility, status, scheduled_release,
                      released_at, release_reason)
    SELECT x.id + k.n * m.b, printf('DEMO-%06d', x.id + k.n * m.b), x.person_id + k.n * m.p,
           x.booked_at, x.facility, x.status, x.scheduled_release, x.released_at, x.release_reason
    FROM k, m, bookings x WHERE x.id <= m.b ORDER BY k.n, x.id;
INSERT INTO convictions (id, person_id, citation, level, date, court, prop47_reduced,
                         federal_aggravated_felony, jurisdiction)
    SELECT x.id + k.n * m.v, x.person_id + k.n * m.p, x.citation, x.level, x.date, x.court,
           x.prop47_reduced, x.federal_aggravated_felony, x.jurisdiction
    FROM k, m, convictions x WHERE x.id <= m.v ORDER BY k.n, x.id;
INSERT INTO charges (id, booking_id, citation, level, status, magistrate_probable_cause)
    SELECT x.id + k.n * m.c, x.booking_id + k.n * m.b, x.citation, x.level, x.status,
           x.magistrate_probable_cause
    FROM k, m, charges x WHERE x.id <= m.c ORDER BY k.n, x.id;
INSERT INTO immigration_requests (id, booking_id, type, form, received_at, issuing_office,
                                  judicial_warrant, judicial_probable_cause, federal_felony_warrant)
    SELECT x.id + k.n * m.r, x.booking_id + k.n * m.b, x.type, x.form, x.received_at,
           x.issuing_office, x.judicial_warrant, x.judicial_probable_cause, x.federal_felony_warrant
    FROM k, m, immigration_requests x WHERE x.id <= m.r ORDER BY k.n, x.id;
INSERT INTO decisions (id, request_id, version, outcome, ruleset, case_json, decision_json,
                       decided_at, decided_by)
    SELECT x.id + k.n * m.d, x.request_id + k.n * m.r, x.version, x.outcome, x.ruleset,
           replace(x.case_json, '"id":"request-' || x.request_id || '"',
                   '"id":"request-' || (x.request_id + k.n * m.r) || '"'),
           replace(x.decision_json, '"id":"request-' || x.request_id || '"',
                   '"id":"request-' || (x.request_id + k.n * m.r) || '"'),
           x.decided_at, x.decided_by
    FROM k, m, decisions x WHERE x.id <= m.d ORDER BY k.n, x.id;
INSERT INTO decision_citations (decision_id, basis, qualifying, conditions)
    SELECT x.decision_id + k.n * m.d, x.basis, x.qualifying, x.conditions
    FROM k, m, decision_citations x WHERE x.decision_id <= m.d ORDER BY k.n, x.decision_id;
COMMIT;
PRAGMA journal_mode = WAL;
SQL


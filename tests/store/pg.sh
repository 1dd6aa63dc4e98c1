#!/bin/sh
# pg.sh: the PostgreSQL backend's tests against a throwaway PostgreSQL 15 cluster on loopback
# (tests/lib/pg.sh), once for each test binary given (the plain and the sanitized build). Each
# binary gets a fresh database. Exits non-zero when any test fails or the cluster misbehaves.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/pg.sh
status=0
for t in "$@"; do
    echo "== $t (postgresql)"
    pg_start || exit 1
    timeout 300 "$t" || status=1
    pg_stop || status=1
done
exit $status

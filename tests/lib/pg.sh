# shellcheck shell=sh
# pg.sh: a throwaway PostgreSQL 15 cluster for the tests, from Debian's packages. Source it, then
#   pg_start    initdb a cluster in a new directory under ${TMPDIR:-/tmp} ($PG_DIR), start it
#               on loopback and a socket in that directory, and set PG_URL to a connection
#               string for its database "holdcheck";
#   pg_stop     stop it (fast shutdown), check that it stopped cleanly, remove $PG_DIR.
# As root the server runs as the unprivileged user "postgres" (the Debian package makes it):
# PostgreSQL refuses to run as root, so the directory is that user's. Nothing is installed, and
# nothing is left behind once pg_stop returns.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=
PG_URL=
PG_PORT=

# Run a PostgreSQL program as the cluster's owner.
pg__as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "pg_start: $PG_BIN/initdb not found (apt-get install postgresql-15)" >&2
        return 1
    fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/holdcheck-pg.XXXXXX") || return 1
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
    pg__as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U holdcheck -A trust -E UTF8 \
        --no-locale > "$PG_DIR/initdb.log" 2>&1 || {
        cat "$PG_DIR/initdb.log" >&2
        return 1
    }
    # Loopback and a socket in the cluster's own directory; no fsync (a test cluster is thrown
    # away, and durability is PostgreSQL's own, not what these tests check). A port another
    # program holds makes the start fail: then the next port is tried.
    PG_PORT=$((55000 + $$ % 900))
    tries=0
    until pg__as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off" start \
        > /dev/null; do
        tries=$((tries + 1))
        if [ "$tries" -ge 5 ]; then
            cat "$PG_DIR/server.log" >&2
            return 1
        fi
        PG_PORT=$((PG_PORT + 1))
    done
    pg__as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U holdcheck holdcheck || return 1
    PG_URL="postgresql://holdcheck@127.0.0.1:$PG_PORT/holdcheck"
    export PG_URL
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    pg__as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop > /dev/null || {
        echo "pg_stop: the cluster did not stop; its log:" >&2
        cat "$PG_DIR/server.log" >&2
        return 1
    }
    if grep -E '^[^ ]+ [^ ]+ [^ ]+ (PANIC|FATAL):' "$PG_DIR/server.log" | grep -v 'the database system is (starting|shutting) down' >&2; then
        echo "pg_stop: the cluster logged a fatal error" >&2
        return 1
    fi
    rm -rf "$PG_DIR"
    PG_DIR=
}

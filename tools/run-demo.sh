#!/bin/sh
# run-demo.sh BIN DB USER LISTEN: what `make run` does once the binary is built. Creates the demo
# database once (migrate, then a synthetic county), gives its demo supervisor a fresh password,
# prints how to log in and where demo mail goes, and serves it.
set -eu
bin=$1 db=$2 user=$3 listen=$4
mkdir -p "$(dirname "$db")"
if [ -e "$db" ]; then
    echo "run: $db exists; keeping it (delete it for a fresh demo)"
    "$bin" migrate --db "$db"
elif ! { "$bin" migrate --db "$db" && "$bin" demo --db "$db" --bookings 2000 --seed 1 --history; }; then
    rm -f "$db" "$db-wal" "$db-shm"
    exit 1
fi
login=$(mktemp)
trap 'rm -f "$login"' EXIT
if "$bin" user list --db "$db" | grep -q "^$user	"; then
    "$bin" user password --db "$db" "$user" > "$login"
else
    "$bin" user add --db "$db" "$user" --role supervisor > "$login"
fi
pw=$(sed -n 's/^password: //p; s/^user: .*: new password: //p' "$login")
tok=$(sed -n 's/^token: //p' "$login")
rm -f "$login"
echo
echo "Log in to the staff console at http://$listen/console/ as $user"
echo "  password: $pw   (new on every make run; shown only here)"
[ -z "$tok" ] || echo "  API token: $tok   (shown once: export TOKEN=$tok)"
echo "  other users: $bin user add --db $db NAME --role clerk|supervisor|auditor|admin"
echo "  demo mail: no SMTP relay is configured, so subscription and notice mail is not sent;"
echo "    it waits in the database's delivery queue (staff console, Deliveries)"
echo
exec "$bin" serve --db "$db" --listen "$listen"

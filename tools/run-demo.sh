#!/bin/sh
# run-demo.sh BIN DB USER LISTEN OUTBOX: what `make run` does once the binary is built. Creates the
# demo database once (migrate, then a synthetic county), gives its demo supervisor a fresh
# password, prints how to log in and where demo mail goes (the folder OUTBOX: every mail is
# written there as an .eml file instead of being sent), and serves it.
set -eu
bin=$1 db=$2 user=$3 listen=$4 outbox=$5
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
echo "  demo mail: nothing is sent; every mail (a subscription's confirmation, its notices) is"
echo "    written to $outbox/ as an .eml file: open the newest in a mail program or a text"
echo "    editor and follow its link"
echo
exec "$bin" serve --db "$db" --listen "$listen" --mail-outbox "$outbox"

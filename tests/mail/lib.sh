# shellcheck shell=sh
# lib.sh: the start of every tests/mail/test_*.sh and tests/public/test_deliver.sh (sourced, with
# the script's arguments): sets bin (the binary, $1), here, tmp and db (a scratch database
# path), and brings in tests/http/lib.sh (req, ok, bad, die, the server) and
# tests/public/common.sh (wait_for, admin_token, set_policy, publish_all, seed_bookings, J, A,
# P). A test without python3 is skipped.
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
# shellcheck source=../http/lib.sh
. "$here/../http/lib.sh"
# shellcheck source=../public/common.sh
. "$here/../public/common.sh"
command -v python3 > /dev/null || { echo "python3 missing: skipped"; exit 0; }
# shellcheck disable=SC2034 # db is for the scripts that source this
db=$tmp/t.db

#!/bin/sh
# leak.sh TREE SITE: put a one-line memory leak (64 bytes malloc'd on every request, never
# freed) into a route handler of the source tree TREE, for tests/mutation/run.sh. Never run it
# on the real tree. The handler is found by strings that stay put while the code is re-cut:
#   healthz      the line of src/**/*.c holding the /healthz answer, {"status":"ok"} as a C
#                literal; the leak goes right after it.
#   public-info  the routing table's line for "/api/v1/public/info" names the handler (its last
#                identifier); the leak goes after the opening brace of that function's
#                definition, wherever it lives under src/.
# The file also gets #include <stdlib.h> after its last #include. Prints FILE:LINE patched;
# exits 1 (saying why) when an anchor is not found, so a re-cut that moves it is noticed.
set -u
tree=${1:?usage: leak.sh TREE SITE}
site=${2:?usage: leak.sh TREE SITE}
leak='{ volatile char *hc_mutation_leak = malloc(64); if (hc_mutation_leak != NULL) hc_mutation_leak[0] = 1; } /* tests/mutation/leak.sh */'

# insert_after FILE LINE: the leak after line LINE of FILE, stdlib.h after its last #include.
insert_after() {
    last_inc=$(grep -n '^#include' "$1" | tail -1 | cut -d: -f1)
    awk -v at="$2" -v inc="${last_inc:-0}" -v leak="$leak" '
        { print }
        NR == at { print leak }
        NR == inc { print "#include <stdlib.h>" }
        END { if (at > NR) exit 1 }' "$1" > "$1.mut" && mv "$1.mut" "$1"
    touch "$1"
    echo "$1:$2: leak inserted after: $(sed -n "$(($2 + 1))p" "$1" | sed 's/^ *//')"
}

case $site in
healthz)
    hit=$(grep -rnF --include='*.c' '{\"status\":\"ok\"}' "$tree/src" | head -1)
    [ -n "$hit" ] || { echo "leak.sh: no {\"status\":\"ok\"} literal under $tree/src"; exit 1; }
    file=${hit%%:*}
    rest=${hit#*:}
    insert_after "$file" "${rest%%:*}"
    ;;
public-info)
    route=$(grep -rhF --include='*.c' '"/api/v1/public/info"' "$tree/src" | grep -F '{' | head -1)
    handler=$(printf '%s\n' "$route" | sed -n 's/.*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*}.*/\1/p')
    [ -n "$handler" ] || { echo "leak.sh: no routing-table line for /api/v1/public/info: '$route'"; exit 1; }
    # The definition: NAME( at the start of a declarator, not a prototype (no trailing ';').
    def=$(grep -rn --include='*.c' "^[A-Za-z].*[ *]$handler(.*[^;]\$" "$tree/src" | head -1)
    [ -n "$def" ] || def=$(grep -rn --include='*.c' "^[A-Za-z].*[ *]$handler(.*)\$" "$tree/src" | head -1)
    [ -n "$def" ] || { echo "leak.sh: no definition of $handler under $tree/src"; exit 1; }
    file=${def%%:*}
    rest=${def#*:}
    line=${rest%%:*}
    brace=$(awk -v from="$line" 'NR >= from && /\{/ { print NR; exit }' "$file")
    [ -n "$brace" ] || { echo "leak.sh: no opening brace after $file:$line"; exit 1; }
    insert_after "$file" "$brace"
    ;;
*)
    echo "leak.sh: unknown site $site (healthz, public-info)"
    exit 2
    ;;
esac

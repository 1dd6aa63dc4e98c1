#!/bin/sh
# lint.sh: the static checks of `make lint`.
set -eu
cd "$(dirname "$0")/.."
if grep -nE '\b(sprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets|system)\(' src/*/*.c; then
    echo "lint: banned call"; exit 1
fi
if grep -nE '#include <(stdio|unistd|time|sqlite3|libpq-fe|h2o)\.h>' src/core/*.[ch]; then
    echo "lint: I/O header in src/core"; exit 1
fi
echo "lint: ok"

#!/bin/sh
# install-deps.sh: install the Debian packages holdcheck needs to build, test, fuzz and
# benchmark. Safe to run again: it installs only what is missing. Needs root (or sudo).
set -eu
pkgs="build-essential pkg-config clang libclang-rt-14-dev jq cppcheck clang-tidy shellcheck
libsqlite3-dev sqlite3 libpq-dev postgresql-15 libjansson-dev libsodium-dev libcmocka-dev libh2o-evloop-dev
libssl-dev openssl libcurl4-openssl-dev curl ca-certificates
libpango1.0-dev libcairo2-dev fonts-noto-cjk fonts-noto-core fonts-dejavu-core poppler-utils
chromium nodejs"
# libssl-dev: h2o.h includes <openssl/ssl.h>, and libh2o-evloop-dev does not depend on it; the
# HTTPS socket uses OpenSSL itself (src/http/tls.c). openssl: the command makes the throwaway
# certificates of tests/http/test_tls.sh.
# libcurl4-openssl-dev: the deliveries (SMTP with STARTTLS or SMTPS, https webhooks), src/app/netio.c.
# pango/cairo and the Noto fonts: the TRUTH Act notices as PDF in all six languages (docs/notices.md);
# poppler-utils renders those PDFs to PNG in the tests. chromium and nodejs (with npm): the browser
# tests (playwright-core drives Debian's chromium; npm packages come from package-lock.json).
# Debian's nodejs comes without npm, which is its own package; a nodejs that brings npm with it
# conflicts with that package, so npm is asked for only when the command is missing.
# cppcheck, clang-tidy and shellcheck: `make lint` (tools/lint.sh). libpq-dev and postgresql-15:
# the PostgreSQL backend, tested against a throwaway cluster (tests/lib/pg.sh).
[ "${HOLDCHECK_BENCH_DEPS:-0}" = 1 ] && pkgs="$pkgs hyperfine wrk nginx-light"
# The missing packages are collected as positional parameters, one word each.
set --
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || set -- "$@" "$p"
done
command -v npm > /dev/null 2>&1 || set -- "$@" npm
if [ $# -eq 0 ]; then
    echo "install-deps: all packages present"
    exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "install-deps: installing $*"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"

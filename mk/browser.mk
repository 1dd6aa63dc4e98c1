# mk/browser.mk: the browser tests of the public page (tests/browser/, docs/browser-tests.md).
# playwright-core (npm) drives Debian's chromium (/usr/bin/chromium) against a real
# `holdcheck serve` on a fresh database, with a local SMTP sink and webhook receiver; axe-core
# checks every page state. `make check-browser`; part of `make check` through CHECK_EXTRA.
#
# The npm packages (playwright-core, axe-core: exact versions in package-lock.json) are
# installed with `npm ci` when node_modules is missing or older than package.json or
# package-lock.json. No browser is ever downloaded.

NPM ?= npm
NODE ?= node
BROWSER_TEST_TIMEOUT ?= 900
BROWSER_ARTIFACTS ?= $(BUILD)/browser-artifacts
NPM_STAMP := node_modules/.holdcheck-npm-ci

$(NPM_STAMP): package.json package-lock.json
	@command -v $(NPM) > /dev/null || { echo "check-browser: npm not found (tools/install-deps.sh installs nodejs with npm)"; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: check-browser
check-browser: $(BUILD)/holdcheck $(NPM_STAMP)
	@echo "== tests/browser/public-page.test.mjs (screenshots in $(BROWSER_ARTIFACTS))"
	HOLDCHECK=$(BUILD)/holdcheck BROWSER_ARTIFACTS=$(BROWSER_ARTIFACTS) timeout -k 10 $(BROWSER_TEST_TIMEOUT) \
		$(NODE) --test --test-concurrency=1 --test-timeout=180000 --test-reporter=spec \
		tests/browser/public-page.test.mjs

CHECK_EXTRA += check-browser

# holdcheck: `make` builds build/holdcheck; `make check` installs what is missing and runs every
# test (unit tests plain and under AddressSanitizer + UndefinedBehaviorSanitizer, golden cases,
# fuzz corpora, the PostgreSQL backend against a throwaway cluster, the HTTP, portal, console,
# notice, import and browser suites, and `make lint`);
# `make run` serves the demo. See README.md and docs/architecture.md.
#
# The build is one module template. Each layer under src/ is a module whose include path names
# only the layers it may use (MOD_uses below), so a stray include fails to compile: core and
# common see nothing else, store sees core, app sees store and core, http sees app, cli sees all.
# A MOD_uses entry may name a directory below src/: store/rows holds the records' types alone,
# which http sees without seeing the store.
# Every object is built in two variants from the same rule: obj/ (CFLAGS) and san/ (the
# sanitizers), which is the one place the sanitizer flags are chosen.

# `make` alone builds the binary: the first rule the templates below define is an embedded
# file's, which would otherwise be the default goal.
.DEFAULT_GOAL := all

CC ?= cc
BUILD ?= build
PREFIX ?= /usr/local
OPT ?= -O2
CFLAGS ?= $(OPT) -g
LDFLAGS ?=
LDLIBS ?=
WERROR ?= -Werror
CSTD := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wold-style-definition -Wwrite-strings -Wpointer-arith -Wcast-qual -Wundef \
        -Wformat=2 -Wvla -Wimplicit-fallthrough -Wnull-dereference -Wdouble-promotion
# The pure modules (common, core, notice but its PDF writer) also get strict conversions.
STRICT_WARN := -Wconversion -Wsign-conversion
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
DEPFLAGS := -MMD -MP

# The two build variants: their compile flags and link flags.
VARIANTS := obj san
obj_CFLAGS = $(CFLAGS)
obj_LDFLAGS = $(LDFLAGS)
san_CFLAGS = -O1 -g $(SAN)
san_LDFLAGS = -g $(SAN) $(LDFLAGS)

# ------------------------------------------------------------------------------------------------
# Modules: what each may include, the packages it compiles against, its warnings.

MODULES := common core notice store app http cli
common_uses := common
core_uses := common core
notice_uses := common core notice
store_uses := common core store store/rows
app_uses := common core store store/rows notice app
http_uses := common core store/rows notice app http
cli_uses := common core store store/rows notice app http cli

store_pkgs := sqlite3 libpq jansson libsodium
app_pkgs := jansson libsodium libcurl
http_pkgs := libh2o-evloop openssl jansson libsodium
notice_pkgs := pangocairo cairo-pdf
cli_pkgs := jansson

common_warn := $(STRICT_WARN)
core_warn := $(STRICT_WARN)
notice_warn := $(STRICT_WARN)

ALL_PKGS := libh2o-evloop openssl sqlite3 jansson libsodium libcurl pangocairo cairo-pdf
pkg_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
LIBS := $(shell pkg-config --libs $(ALL_PKGS) 2>/dev/null || \
	echo -lh2o-evloop -lssl -lcrypto -lsqlite3 -ljansson -lsodium -lcurl -lpangocairo-1.0 \
	-lpango-1.0 -lgobject-2.0 -lglib-2.0 -lcairo) -lpthread
# libpq: linked only where the PostgreSQL backend is (PG_SRC below), not into the server yet.
PG_LIBS := $(shell pkg-config --libs libpq 2>/dev/null || echo -lpq)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
# The engine alone links libsodium only: the catalog's version is a BLAKE2b hash (catalog.h).
SODIUM_LIBS := $(shell pkg-config --libs libsodium 2>/dev/null || echo -lsodium)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

$(foreach m,$(MODULES),$(eval $(m)_SRC := $(sort $(wildcard src/$(m)/*.c))))
# The PostgreSQL backend (src/store/pg_*.c) is not linked into holdcheck: libpq with its
# Kerberos and LDAP libraries adds about 3.5 MiB to the server's resident set. It is the module
# holdcheck-pg.so (below), which the command line loads only for a postgresql:// database
# (src/store/store_pg.h); holdcheck exports its symbols (-rdynamic) for the module to use.
PG_SRC := $(filter src/store/pg_%,$(store_SRC))
store_SRC := $(filter-out $(PG_SRC),$(store_SRC))
$(foreach m,$(MODULES),$(eval $(m)_CPPFLAGS := $(patsubst %,-Isrc/%,$($(m)_uses)) \
	$(if $($(m)_pkgs),$(call pkg_cflags,$($(m)_pkgs)))))
# h2o.h picks its event loop at compile time: we use h2o's own evloop, not libuv.
http_CPPFLAGS += -DH2O_USE_LIBUV=0
cli_CPPFLAGS += -DH2O_USE_LIBUV=0
# The PDF writers are the notice files that see pango and cairo: their headers are not
# clean under the strict conversion warnings.
$(foreach v,$(VARIANTS),$(foreach f,pdf pdf_flow print_pdf,\
	$(eval $(BUILD)/$(v)/src/notice/$(f).o: notice_warn :=)))

# obj(VARIANT, FILES): the objects of FILES in a variant.
obj = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))

define compile_rule
$(BUILD)/$(1)/src/$(2)/%.o: src/$(2)/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(CSTD) $$($(1)_CFLAGS) $$(WARN) $$($(2)_warn) $$(WERROR) $$(DEPFLAGS) \
		$$($(2)_CPPFLAGS) -c $$< -o $$@
endef
$(foreach v,$(VARIANTS),$(foreach m,$(MODULES),$(eval $(call compile_rule,$(v),$(m)))))

# ------------------------------------------------------------------------------------------------
# Embedded files: one tool (tools/embed.sh) writes a sorted table of struct hc_memfile
# (src/common/memfile.h) per set.

EMBEDS := catalog notices openapi web console
catalog_sym := hc_catalog_builtin
catalog_dir := .
catalog_files := $(sort $(wildcard data/ca/*.tsv)) $(sort $(wildcard data/federal/*.tsv))
notices_sym := notice_tsv
notices_dir := .
notices_files := $(patsubst %,data/notices/%.tsv,en es zh tl vi ko)
openapi_sym := http_openapi
openapi_dir := src/http
openapi_files := openapi.json
web_sym := http_web_files
web_dir := web/public
web_files :=
console_sym := http_console_files
console_dir := web/console
console_files := $(notdir $(sort $(shell find web/console -maxdepth 1 -type f ! -name '.*' 2>/dev/null)))
# What each set is made from: its files, or its whole directory (every file, and the
# directories themselves so that adding or removing a file rebuilds it).
embed_deps = $(if $($(1)_files),$(addprefix $($(1)_dir)/,$($(1)_files)),\
	$(shell find $($(1)_dir) 2>/dev/null))

define embed_rule
$(BUILD)/embed/$(1).c: $(call embed_deps,$(1)) tools/embed.sh
	@mkdir -p $$(@D)
	sh tools/embed.sh $$@ $($(1)_sym) $($(1)_dir) $($(1)_files)
endef
define embed_obj_rule
$(BUILD)/$(1)/embed/%.o: $(BUILD)/embed/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(CSTD) -O0 -Isrc/common -c $$< -o $$@
endef
$(foreach v,$(VARIANTS),$(eval $(call embed_obj_rule,$(v))))
$(foreach e,$(EMBEDS),$(eval $(call embed_rule,$(e))))
$(foreach v,$(VARIANTS),$(eval $(v)_EMBED := $(EMBEDS:%=$(BUILD)/$(v)/embed/%.o)))

# ------------------------------------------------------------------------------------------------
# The binary, plain and sanitized.

.PHONY: all check check-all unit unit-san golden fuzz fuzz-replay bench run install clean deps \
	lint
all: $(BUILD)/holdcheck $(BUILD)/holdcheck-pg.so

PROGRAM_SRC := $(foreach m,$(MODULES),$($(m)_SRC))
$(BUILD)/holdcheck: $(call obj,obj,$(PROGRAM_SRC)) $(obj_EMBED) $(BUILD)/pg-exports
	$(CC) $(obj_LDFLAGS) -Wl,--dynamic-list=$(BUILD)/pg-exports -o $@ \
		$(filter-out $(BUILD)/pg-exports,$^) $(LIBS) $(LDLIBS)
$(BUILD)/holdcheck-san: $(call obj,san,$(PROGRAM_SRC)) $(san_EMBED) $(BUILD)/pg-exports
	$(CC) $(san_LDFLAGS) -Wl,--dynamic-list=$(BUILD)/pg-exports -o $@ \
		$(filter-out $(BUILD)/pg-exports,$^) $(LIBS) $(LDLIBS)
# The PostgreSQL backend as a module, position-independent, with libpq; found beside the
# program or by HOLDCHECK_PG_MODULE (src/cli/util.c). The program exports the symbols the
# module uses, and only those (exporting all of them costs about 150 KB resident).
$(BUILD)/pg-exports: $(BUILD)/holdcheck-pg.so
	{ echo '{'; nm -u $< | awk '{ sub(/@.*/, "", $$2); print $$2 ";" }'; echo '};'; } > $@
$(BUILD)/pic/src/store/%.o: src/store/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(obj_CFLAGS) -fPIC $(WARN) $(WERROR) $(DEPFLAGS) $(store_CPPFLAGS) -c $< -o $@
$(BUILD)/holdcheck-pg.so: $(call obj,pic,$(PG_SRC))
	$(CC) -shared $(obj_LDFLAGS) -o $@ $^ $(PG_LIBS)

# ------------------------------------------------------------------------------------------------
# Unit tests: one cmocka program per module under test, built in both variants by one template.
# test_rule(VARIANT, NAME, SOURCE, INCLUDES, OBJECTS) links tests/.../NAME against OBJECTS.

TEST_CPPFLAGS = $(CMOCKA_CFLAGS)
define test_rule
$(BUILD)/$(1)-tests/$(2): $(3) $(5)
	@mkdir -p $$(@D)
	$$(CC) $$(CSTD) $$($(1)_CFLAGS) $$(WARN) $$(WERROR) $(4) $$(TEST_CPPFLAGS) -o $$@ $$< $(5) \
		$$($(1)_LDFLAGS) $$(LIBS) $$(CMOCKA_LIBS) $$(LDLIBS)
endef
# unit_test(NAME, SOURCE, INCLUDES, FILES): the rule in both variants; FILES are sources whose
# objects are linked in (the embedded catalog comes with them).
unit_test = $(foreach v,$(VARIANTS),$(eval $(call test_rule,$(v),$(1),$(2),$(3),\
	$(call obj,$(v),$(4)) $(BUILD)/$(v)/embed/catalog.o $(BUILD)/$(v)/embed/notices.o)))

ENGINE_SRC := $(common_SRC) $(core_SRC)
$(call unit_test,common/test_common,tests/common/test_common.c,$(common_CPPFLAGS),$(common_SRC))
CORE_TESTS := $(patsubst tests/core/%.c,core/%,$(sort $(wildcard tests/core/test_*.c)))
$(foreach t,$(CORE_TESTS),$(call unit_test,$(t),tests/$(t).c,\
	$(core_CPPFLAGS) -Isrc/cli -Itests/core,$(ENGINE_SRC)))
STORE_LAYER_SRC := $(common_SRC) $(core_SRC) $(store_SRC) $(notice_SRC) $(app_SRC)
$(call unit_test,store/test_store,tests/store/test_store.c,$(app_CPPFLAGS) -Isrc/cli,\
	$(STORE_LAYER_SRC))
$(call unit_test,store/test_bound,tests/store/test_bound.c,$(store_CPPFLAGS),$(STORE_LAYER_SRC))
$(call unit_test,store/test_readlog,tests/store/test_readlog.c,$(app_CPPFLAGS),$(STORE_LAYER_SRC))
$(call unit_test,store/test_pg,tests/store/test_pg.c,$(store_CPPFLAGS),$(STORE_LAYER_SRC) $(PG_SRC))
$(foreach v,$(VARIANTS),$(eval $(BUILD)/$(v)-tests/store/test_pg: LDLIBS += $(PG_LIBS)))
$(call unit_test,public/test_publish,tests/public/test_publish.c,$(app_CPPFLAGS) -Isrc/cli,\
	$(STORE_LAYER_SRC))
NOTICE_TESTS := $(patsubst tests/notice/%.c,notice/%,$(sort $(wildcard tests/notice/test_*.c)))
$(foreach t,$(NOTICE_TESTS),$(call unit_test,$(t),tests/$(t).c,$(notice_CPPFLAGS),\
	$(common_SRC) $(core_SRC) $(notice_SRC)))
# The http modules that need neither h2o nor the store, on their own.
$(foreach t,cache throttle dob_budget,$(call unit_test,http/test_$(t),tests/http/test_$(t).c,\
	$(patsubst %,-Isrc/%,common http),$(common_SRC) src/http/$(t).c))

UNIT_TESTS := common/test_common $(CORE_TESTS) store/test_store store/test_bound public/test_publish $(NOTICE_TESTS) \
	http/test_cache http/test_throttle http/test_dob_budget
UNIT_TESTS += store/test_readlog
# The rules behind deliveries (host spellings, private addresses) and the CSV cell.
$(call unit_test,mail/test_netio,tests/mail/test_netio.c,$(app_CPPFLAGS),$(STORE_LAYER_SRC))
UNIT_TESTS += mail/test_netio
# SMS: numbers, opt-out words, codes, the gateway body, segments, every message in one segment.
$(call unit_test,public/test_sms_text,tests/public/test_sms_text.c,$(app_CPPFLAGS),$(STORE_LAYER_SRC))
UNIT_TESTS += public/test_sms_text
unit: $(UNIT_TESTS:%=$(BUILD)/obj-tests/%)
	@for t in $^; do echo "== $$t"; timeout 120 $$t || exit 1; done
unit-san: $(UNIT_TESTS:%=$(BUILD)/san-tests/%)
	@for t in $^; do echo "== $$t"; timeout 300 $$t || exit 1; done
# The PostgreSQL backend's tests, plain and sanitized, each against a cluster of its own; then
# `holdcheck --db postgresql://...` (the backend loaded as its module) against another.
check-pg: $(BUILD)/obj-tests/store/test_pg $(BUILD)/san-tests/store/test_pg $(BUILD)/holdcheck \
	$(BUILD)/holdcheck-pg.so
	sh tests/store/pg.sh $(filter %/test_pg,$^)
	sh tests/store/pg_cli.sh $(BUILD)/holdcheck
	sh tests/store/pg_serve.sh $(BUILD)/holdcheck

# ------------------------------------------------------------------------------------------------
# Suites that drive the binary. Each script exits non-zero on any failure; the sanitized runs
# keep leak detection on but for h2o 2.2.5's own exit-time leaks (tests/lsan-h2o.supp).

LSAN_H2O := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan-h2o.supp
BIN := $(BUILD)/holdcheck
SANBIN := $(BUILD)/holdcheck-san
# suite(SCRIPT, BINARY, TIMEOUT[, ENV]): run one shell suite.
suite = @echo "== $(1) ($(notdir $(2)))"; $(4) timeout $(3) sh $(1) $(2)

golden: $(BIN) $(SANBIN)
	sh tests/cases/run.sh $(BIN)
	sh tests/cases/run.sh $(SANBIN)
	sh tests/cli/test_decide.sh $(BIN)

.PHONY: check-http check-public check-public-san check-console check-config check-backup check-demo check-import check-reports \
	check-kill check-notice-render check-browser check-console-browser check-cache \
	check-golden-http check-mutation check-audit check-tsan
check-http: $(BIN) $(SANBIN)
	$(call suite,tests/http/test_api.sh,$(BIN),300)
	$(call suite,tests/http/test_roles.sh,$(BIN),300)
	$(call suite,tests/http/test_court.sh,$(BIN),300)
	$(call suite,tests/http/test_actions.sh,$(BIN),300)
	$(call suite,tests/http/test_badinput.sh,$(BIN),300)
	$(call suite,tests/http/test_feed.sh,$(BIN),300)
	$(call suite,tests/http/test_offload.sh,$(BIN),300)
	$(call suite,tests/http/test_tls.sh,$(BIN),300)
	$(call suite,tests/http/test_tls.sh,$(SANBIN),600,$(LSAN_H2O))
	$(call suite,tests/http/test_readlog.sh,$(BIN),300)
	$(call suite,tests/http/test_offload.sh,$(SANBIN),600,$(LSAN_H2O))
	$(call suite,tests/http/test_readlog.sh,$(SANBIN),600,$(LSAN_H2O))
	$(call suite,tests/http/test_badinput.sh,$(SANBIN),600,$(LSAN_H2O))
	$(call suite,tests/http/test_court.sh,$(SANBIN),600,$(LSAN_H2O))
	$(call suite,tests/http/test_actions.sh,$(SANBIN),600,$(LSAN_H2O))
# The answer cache's coherence over HTTP: writes through the API, by another process, cache off.
check-cache: $(BIN)
	$(call suite,tests/http/test_cache.sh,$(BIN),300)
check-public: $(BIN)
	@echo "== tests/public/i18n.test.mjs"; timeout 60 $(NODE) --test tests/public/i18n.test.mjs
	@for t in $(sort $(wildcard tests/public/test_*.sh)); do echo "== $$t"; \
		timeout 300 sh $$t $(BIN) || exit 1; done
# Mail and webhooks through libcurl: the outbox's bytes, STARTTLS/SMTPS to a fake relay, https
# webhooks against a test CA, webhook addresses refused in every spelling, CSV cells neutralized.
.PHONY: check-mail
check-mail: $(BIN)
	@for t in $(sort $(wildcard tests/mail/test_*.sh)); do echo "== $$t"; \
		timeout 300 sh $$t $(BIN) || exit 1; done
check-public-san: $(SANBIN)
	$(call suite,tests/public/test_public.sh,$(SANBIN),600,$(LSAN_H2O))
check-console: $(BIN)
	@for t in $(sort $(wildcard tests/console/test_*.sh)); do echo "== $$t"; \
		timeout 600 sh $$t $(BIN) || exit 1; done
check-config: $(BIN)
	$(call suite,tests/cli/test_config.sh,$(BIN),300)
# A backup taken while the server writes, checked and restored (docs/operations.md).
check-backup: $(BIN)
	$(call suite,tests/cli/test_backup.sh,$(BIN),300)
# The demo's year of what was done (holdcheck demo --history), its rows checked by the rules.
check-demo: $(BIN) $(SANBIN)
	$(call suite,tests/cli/test_demo_history.sh,$(BIN),300)
	$(call suite,tests/cli/test_demo_history.sh,$(SANBIN),600)
check-import: $(BIN) $(SANBIN)
	$(call suite,tests/import/test_import.sh,$(BIN),120)
	$(call suite,tests/import/test_import.sh,$(SANBIN),300)
	$(call suite,tests/import/test_feed.sh,$(BIN),120)
	$(call suite,tests/import/test_feed.sh,$(SANBIN),300)
	$(call suite,tests/import/test_feed_cache.sh,$(BIN),120)
	$(call suite,tests/import/test_feed_cache.sh,$(SANBIN),300,$(LSAN_H2O))
check-kill: $(BIN)
	$(call suite,tests/kill/test_kill.sh,$(BIN),300)
# The statutory reports on a fixture worked out by hand, their --check, and no personal data;
# then each as PDF, its pages rendered and checked for ink and against the JSON.
check-reports: $(BIN) $(SANBIN)
	$(call suite,tests/reports/test_reports.sh,$(BIN),300)
	$(call suite,tests/reports/test_reports.sh,$(SANBIN),600,$(LSAN_H2O))
	$(call suite,tests/reports/test_cpra.sh,$(BIN),300)
	$(call suite,tests/reports/test_cpra.sh,$(SANBIN),600,$(LSAN_H2O))
	$(call suite,tests/reports/test_taskforce.sh,$(BIN),300)
	$(call suite,tests/reports/test_taskforce.sh,$(SANBIN),600,$(LSAN_H2O))
	@echo "== tests/reports/test_report_pdf.sh (pages in $(BUILD)/report-artifacts)"
	@timeout 600 sh tests/reports/test_report_pdf.sh $(BIN) $(SANBIN) $(BUILD)/report-artifacts
# The records the audit chain vouches for: tampering with each bound table, `audit bind`.
check-audit: $(BIN) $(SANBIN)
	$(call suite,tests/cli/test_audit_bind.sh,$(BIN),300)
	$(call suite,tests/cli/test_audit_bind.sh,$(SANBIN),600,$(LSAN_H2O))
# What-if replay and the trace on every decision (docs/replay.md), plain and sanitized.
.PHONY: check-replay
check-replay: $(BIN) $(SANBIN)
	$(call suite,tests/replay/test_replay.sh,$(BIN),300)
	$(call suite,tests/replay/test_replay.sh,$(SANBIN),600,$(LSAN_H2O))
# The public API's exchanges against golden request/response files (tests/golden/public/,
# UPDATE_GOLDEN=1 rewrites them), plain and sanitized.
check-golden-http: $(BIN) $(SANBIN)
	$(call suite,tests/golden/run.sh,$(BIN),300)
	$(call suite,tests/golden/run.sh,$(SANBIN),600,$(LSAN_H2O))
# The harness itself: a decide that exits 23 after correct output and a leak put into a public
# route must each make the tests that guard them fail (tests/mutation/run.sh).
check-mutation: $(BIN) $(SANBIN)
	@echo "== tests/mutation/run.sh"; timeout 1800 sh tests/mutation/run.sh $(BUILD)
# Every notice kind in every language as PDF, rasterised and checked for drawn glyphs.
check-notice-render: $(BIN) $(SANBIN)
	@echo "== tests/notice/test_render.sh"
	@timeout 600 sh tests/notice/test_render.sh $(BIN) $(SANBIN) $(BUILD)/notice-artifacts

# Browser tests: playwright-core and axe-core (npm ci, exact versions in package-lock.json)
# drive Debian's /usr/bin/chromium; no browser is ever downloaded. Screenshots go to
# $(BROWSER_ARTIFACTS).
NPM ?= npm
NODE ?= node
BROWSER_TEST_TIMEOUT ?= 900
BROWSER_ARTIFACTS ?= $(BUILD)/browser-artifacts
NPM_STAMP := node_modules/.holdcheck-npm-ci
$(NPM_STAMP): package.json package-lock.json
	@command -v $(NPM) > /dev/null || { echo "npm not found (tools/install-deps.sh installs it)"; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@
# browser_suite(TEST, PER-TEST TIMEOUT MS)
browser_suite = @echo "== $(1) (screenshots in $(BROWSER_ARTIFACTS))"; \
	HOLDCHECK=$(BIN) BROWSER_ARTIFACTS=$(BROWSER_ARTIFACTS) timeout -k 10 $(BROWSER_TEST_TIMEOUT) \
	$(NODE) --test --test-concurrency=1 --test-timeout=$(2) --test-reporter=spec $(1)
check-browser: $(BIN) $(NPM_STAMP)
	$(call browser_suite,tests/browser/public-page.test.mjs,180000)
	$(call browser_suite,tests/browser/transparency.test.mjs,180000)
	$(call browser_suite,tests/browser/sms.test.mjs,180000)
check-console-browser: $(BIN) $(NPM_STAMP)
	$(call browser_suite,tests/browser/console/console.test.mjs,300000)
	$(call browser_suite,tests/browser/console/outcome-in-force.test.mjs,300000)
	$(call browser_suite,tests/browser/console/console-job.test.mjs,300000)
	$(call browser_suite,tests/browser/console/reports.test.mjs,300000)
	$(call browser_suite,tests/browser/console/victims.test.mjs,300000)
	$(call browser_suite,tests/browser/console/publication.test.mjs,300000)

# ThreadSanitizer: the server built by clang with -fsanitize=thread, in one compiler run over
# every source (the layering is checked by the two variants above), under a short mixed load of
# lookups, logins, intakes and custody changes (tests/http/test_tsan.sh). h2o, SQLite and the
# other libraries are not built with TSan; tests/tsan-h2o.supp lists what is suppressed inside
# libh2o and why.
TSAN_CC ?= clang
TSANBIN := $(BUILD)/holdcheck-tsan
$(TSANBIN): $(PROGRAM_SRC) $(EMBEDS:%=$(BUILD)/embed/%.c) $(wildcard src/*/*.h src/store/rows/*.h)
	$(TSAN_CC) $(CSTD) -O1 -g -fsanitize=thread -fno-omit-frame-pointer $(cli_CPPFLAGS) \
		$(call pkg_cflags,$(ALL_PKGS)) -o $@ $(PROGRAM_SRC) $(EMBEDS:%=$(BUILD)/embed/%.c) \
		$(LIBS) $(LDLIBS)
check-tsan: $(TSANBIN)
	$(call suite,tests/http/test_tsan.sh,$(TSANBIN),300)
# A minute of everything at once on the TSan build: public and staff reads, intakes, feed
# pushes and logins; 0 errors, RSS flat, every acknowledged write kept (tests/http/test_soak.sh).
.PHONY: check-soak
check-soak: $(TSANBIN)
	$(call suite,tests/http/test_soak.sh,$(TSANBIN),300)

# ------------------------------------------------------------------------------------------------
# Fuzzing (clang + libFuzzer). `make fuzz` runs each target for FUZZ_SECONDS; `fuzz-replay`
# (part of check) runs every saved corpus input once under the sanitizers.

FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
# A target that reads through a service-layer file names it (and its include paths) here.
$(BUILD)/fuzz/fuzz_feed: FUZZ_EXTRA := src/app/feed_rows.c
$(BUILD)/fuzz/fuzz_feed: FUZZ_INC := -Isrc/app -Isrc/store/rows
$(BUILD)/fuzz/fuzz_feed: src/app/feed_rows.c src/app/feed_rows.h
$(BUILD)/fuzz/fuzz_csv: FUZZ_EXTRA := src/cli/import_csv.c
$(BUILD)/fuzz/fuzz_csv: src/cli/import_csv.c src/cli/import_csv.h
# The configuration reader checks values with the server's own readers (listen addresses,
# proxy lists): its target links the layers below the command line, and the reader.
FUZZ_PROGRAM := $(filter-out $(ENGINE_SRC) $(cli_SRC),$(PROGRAM_SRC)) src/cli/config.c \
	src/cli/util.c $(filter-out $(BUILD)/embed/catalog.c,$(EMBEDS:%=$(BUILD)/embed/%.c))
$(BUILD)/fuzz/fuzz_config: FUZZ_EXTRA = $(FUZZ_PROGRAM)
$(BUILD)/fuzz/fuzz_config: FUZZ_INC = $(cli_CPPFLAGS) $(call pkg_cflags,$(ALL_PKGS))
$(BUILD)/fuzz/fuzz_config: FUZZ_LIBS = $(LIBS)
$(BUILD)/fuzz/fuzz_config: $(FUZZ_PROGRAM) src/cli/config.h
# The same for the replay's settings file (replay_check) and the headers read from every
# request (the proxy headers and the session cookie, src/http/client.c and session.c).
$(BUILD)/fuzz/fuzz_policy $(BUILD)/fuzz/fuzz_headers: FUZZ_EXTRA = $(FUZZ_PROGRAM)
$(BUILD)/fuzz/fuzz_policy $(BUILD)/fuzz/fuzz_headers: \
	FUZZ_INC = $(cli_CPPFLAGS) $(call pkg_cflags,$(ALL_PKGS))
$(BUILD)/fuzz/fuzz_policy $(BUILD)/fuzz/fuzz_headers: FUZZ_LIBS = $(LIBS)
$(BUILD)/fuzz/fuzz_policy $(BUILD)/fuzz/fuzz_headers: $(FUZZ_PROGRAM)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(ENGINE_SRC) $(BUILD)/embed/catalog.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CSTD) -O1 -g -fsanitize=fuzzer,address,undefined $(core_CPPFLAGS) $(FUZZ_INC) \
		-Isrc/cli -o $@ $< $(FUZZ_EXTRA) $(ENGINE_SRC) $(BUILD)/embed/catalog.c $(SODIUM_LIBS) \
		$(FUZZ_LIBS)
fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do n=$$(basename $$t); mkdir -p $(BUILD)/corpus/$$n; \
		echo "== fuzzing $$n for $(FUZZ_SECONDS)s"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -artifact_prefix=$(BUILD)/fuzz/ \
			-dict=tests/fuzz/$$n.dict $(BUILD)/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done
fuzz-replay: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do n=$$(basename $$t); echo "== replaying corpus of $$n"; \
		$$t -runs=0 -artifact_prefix=$(BUILD)/fuzz/ tests/fuzz/corpus/$$n || exit 1; done

# ------------------------------------------------------------------------------------------------
# `make check` installs what is missing first (as `make run` does), then runs everything in a
# second make, so that the package flags above are read after the packages are there.

CHECKS := all unit unit-san check-pg golden fuzz-replay check-http check-cache check-public \
	check-public-san check-golden-http check-console check-config check-backup check-demo check-import \
	check-kill check-audit check-reports check-replay check-notice-render check-browser \
	check-console-browser check-mutation check-tsan lint
CHECKS += check-mail
CHECKS += check-soak
check: deps
	@$(MAKE) --no-print-directory check-all
check-all: $(CHECKS)
	@echo "make check: all tests passed"

deps:
	@sh tools/install-deps.sh

lint:
	@sh tools/lint.sh

# ------------------------------------------------------------------------------------------------
# Benchmarks (docs/benchmarks.md). Each reports ratios against a peer measured in the same run.

BENCH_SERVER_AFTER := $(if $(filter bench,$(MAKECMDGOALS)),$(BUILD)/bench_engine)
.PHONY: bench-server bench-public bench-reports
bench: bench-server $(BUILD)/bench_engine $(BIN)
	sh bench/run.sh
# Waits for the engine benchmark's binary in `make -j bench`, so no compiler runs while wrk
# measures.
bench-server: $(BIN) | $(BENCH_SERVER_AFTER)
	BUILD=$(BUILD) sh bench/server/run.sh
bench-public: $(BIN)
	BUILD=$(BUILD) sh bench/public/run.sh
# The statutory reports and a year's replay on bench-server's 1,000,000-booking database.
bench-reports: $(BIN)
	BUILD=$(BUILD) sh bench/reports.sh
$(BUILD)/bench_engine: bench/bench_engine.c $(ENGINE_SRC) $(BUILD)/embed/catalog.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O2 -g -DNDEBUG $(WARN) $(core_CPPFLAGS) -Isrc/cli $(LDFLAGS) -o $@ $< \
		$(ENGINE_SRC) $(BUILD)/embed/catalog.c $(SODIUM_LIBS)
# The charge-string reader alone (issue 13: under a microsecond a string); run it by hand.
$(BUILD)/bench_charge: bench/bench_charge.c $(ENGINE_SRC) $(BUILD)/embed/catalog.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O2 -g -DNDEBUG $(WARN) $(core_CPPFLAGS) -Isrc/cli $(LDFLAGS) -o $@ $< \
		$(ENGINE_SRC) $(BUILD)/embed/catalog.c $(SODIUM_LIBS)

# ------------------------------------------------------------------------------------------------
# `make run`: install what is missing, build, create the demo database once, give its demo
# supervisor a fresh password (printed with how to log in), and serve it with its mail written
# to RUN_OUTBOX as .eml files (the banner names the folder).

DEMO_DB ?= $(BUILD)/demo.db
DEMO_USER ?= demo-supervisor
RUN_LISTEN ?= 127.0.0.1:8080
RUN_OUTBOX ?= $(BUILD)/outbox
run: deps
	@$(MAKE) --no-print-directory $(BIN)
	@sh tools/run-demo.sh $(BIN) $(DEMO_DB) $(DEMO_USER) $(RUN_LISTEN) $(RUN_OUTBOX)

# The binary, its manual page and a commented example configuration (docs/configuration.md).
# Nothing is written under /etc: copying the example there is the administrator's decision.
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/holdcheck
UNITDIR ?= $(PREFIX)/lib/systemd/system
install: $(BIN) $(BUILD)/holdcheck-pg.so
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/examples
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/holdcheck
	install -d $(DESTDIR)$(PREFIX)/lib/holdcheck
	install -m 644 $(BUILD)/holdcheck-pg.so $(DESTDIR)$(PREFIX)/lib/holdcheck/holdcheck-pg.so
	install -m 644 docs/holdcheck.1 $(DESTDIR)$(MANDIR)/man1/holdcheck.1
	install -m 644 docs/examples/holdcheck.conf $(DESTDIR)$(DOCDIR)/examples/holdcheck.conf
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@BINDIR@|$(PREFIX)/bin|g' packaging/holdcheck.service.in > $(DESTDIR)$(UNITDIR)/holdcheck.service
	chmod 644 $(DESTDIR)$(UNITDIR)/holdcheck.service

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

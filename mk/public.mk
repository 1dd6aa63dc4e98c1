# mk/public.mk: the public portal of issue 4 (docs/public.md): the embedded web page, its tests
# (added to CHECK_EXTRA) and `make bench-public`. Included by the Makefile.
#
# The sources are picked up by the existing globs (src/http/public.c, src/app/*.c,
# src/store/sqlite_public.c, src/cli/public_export.c, src/core/namekey.c and
# tests/core/test_namekey.c). This file adds the page: tools/embed_web.sh turns every file
# under web/public into $(BUILD)/web_data.c, linked into build/holdcheck like the OpenAPI
# document. The generated file depends on every file and directory under web/public, so adding,
# changing or removing a file rebuilds it.

WEB_DIR := web/public
WEB_DEPS := $(shell find $(WEB_DIR) 2>/dev/null)

$(BUILD)/web_data.c: $(WEB_DEPS) tools/embed_web.sh
	@mkdir -p $(@D)
	sh tools/embed_web.sh $@ $(WEB_DIR)
$(BUILD)/obj/web_data.o: $(BUILD)/web_data.c src/http/public.h
	$(CC) $(CSTD) -O0 $(INC_SERVER) -c $< -o $@
$(BUILD)/san/web_data.o: $(BUILD)/web_data.c src/http/public.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O0 $(INC_SERVER) -c $< -o $@

$(BUILD)/holdcheck: $(BUILD)/obj/web_data.o
$(BUILD)/holdcheck-san: $(BUILD)/san/web_data.o

# The HTTP tests of the public routes, the leak test of every policy, and the subscription
# test that restarts the server with deliveries pending (tests/public/).
PUBLIC_TESTS := $(sort $(wildcard tests/public/test_*.sh))

.PHONY: check-public check-public-san bench-public
check-public: $(BUILD)/holdcheck
	@for t in $(PUBLIC_TESTS); do echo "== $$t"; timeout 300 sh $$t $(BUILD)/holdcheck || exit 1; done
# The routes once more under ASan + UBSan, leak detection on but for h2o 2.2.5's own exit-time
# leaks (tests/lsan-h2o.supp; LSAN_H2O is set in mk/server.mk).
check-public-san: $(BUILD)/holdcheck-san
	@echo "== tests/public/test_public.sh (ASan + UBSan)"; \
		$(LSAN_H2O) timeout 600 sh tests/public/test_public.sh $(BUILD)/holdcheck-san

# The public renderers under all 1,024 publication policies (cmocka), plain and sanitized.
# (mk/server.mk, which defines STORE_OBJ, is included after this file: name the objects here.)
PUBLISH_TEST_DEPS := tests/public/test_publish.c src/app/publish.h
PUBLISH_STORE_SRC := $(sort $(wildcard src/store/*.c) $(wildcard src/app/*.c))
PUBLISH_STORE_OBJ := $(PUBLISH_STORE_SRC:%.c=$(BUILD)/obj/%.o)
PUBLISH_STORE_SAN := $(PUBLISH_STORE_SRC:%.c=$(BUILD)/san/%.o)
$(BUILD)/tests/public/test_publish: $(PUBLISH_TEST_DEPS) $(PUBLISH_STORE_OBJ) $(LIB_OBJ) $(BUILD)/obj/catalog_data.o
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CFLAGS) $(WARN) $(WERROR) $(INC_SERVER) $(SERVER_CFLAGS) $(CMOCKA_CFLAGS) -o $@ \
		$< $(PUBLISH_STORE_OBJ) $(LIB_OBJ) $(BUILD)/obj/catalog_data.o $(SERVER_LIBS) $(CMOCKA_LIBS)
$(BUILD)/tests-san/public/test_publish: $(PUBLISH_TEST_DEPS) $(PUBLISH_STORE_SAN) $(LIB_SAN) $(BUILD)/san/catalog_data.o
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -g $(SAN) $(WARN) $(WERROR) $(INC_SERVER) $(SERVER_CFLAGS) $(CMOCKA_CFLAGS) -o $@ \
		$< $(PUBLISH_STORE_SAN) $(LIB_SAN) $(BUILD)/san/catalog_data.o $(SERVER_LIBS) $(CMOCKA_LIBS)

.PHONY: check-publish
check-publish: $(BUILD)/tests/public/test_publish $(BUILD)/tests-san/public/test_publish
	@echo "== $(BUILD)/tests/public/test_publish"; timeout 120 $(BUILD)/tests/public/test_publish
	@echo "== $(BUILD)/tests-san/public/test_publish"; timeout 300 $(BUILD)/tests-san/public/test_publish

CHECK_EXTRA += check-public check-public-san check-publish

# `make bench-public`: public lookups and name search against nginx on one million bookings
# (bench/public/run.sh; results in docs/benchmarks.md, "Public portal").
bench-public: $(BUILD)/holdcheck
	BUILD=$(BUILD) sh bench/public/run.sh

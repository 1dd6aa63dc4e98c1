# holdcheck: `make` builds build/holdcheck; `make check` runs every test (plain and under
# AddressSanitizer + UndefinedBehaviorSanitizer); `make run` serves the demo; see README.md.

CC ?= cc
BUILD ?= build
PREFIX ?= /usr/local
OPT ?= -O2
CFLAGS ?= $(OPT) -g
WERROR ?= -Werror
CSTD := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wold-style-definition -Wwrite-strings -Wpointer-arith -Wcast-qual -Wundef \
        -Wformat=2 -Wvla -Wimplicit-fallthrough -Wnull-dereference -Wdouble-promotion
# Core is pure logic: stricter conversions, and it can only see common/ and itself.
CORE_WARN := -Wconversion -Wsign-conversion
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
DEPFLAGS := -MMD -MP

CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

COMMON_SRC := $(sort $(wildcard src/common/*.c))
CORE_SRC := $(sort $(wildcard src/core/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
DATA := $(sort $(wildcard data/ca/*.tsv)) $(sort $(wildcard data/federal/*.tsv))
TEST_SRC := $(sort $(wildcard tests/core/test_*.c))

LIB_SRC := $(COMMON_SRC) $(CORE_SRC)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB_SAN := $(LIB_SRC:%.c=$(BUILD)/san/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/catalog_data.o
CLI_SAN := $(CLI_SRC:%.c=$(BUILD)/san/%.o) $(BUILD)/san/catalog_data.o
TESTS := $(TEST_SRC:tests/core/%.c=$(BUILD)/tests/%)
TESTS_SAN := $(TEST_SRC:tests/core/%.c=$(BUILD)/tests-san/%)

INC_CORE := -Isrc/common -Isrc/core
INC_CLI := $(INC_CORE) -Isrc/cli

.PHONY: all check unit unit-san golden fuzz bench run install clean deps lint
all: $(BUILD)/holdcheck

$(BUILD)/obj/src/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CFLAGS) $(WARN) $(CORE_WARN) $(WERROR) $(DEPFLAGS) $(INC_CORE) -c $< -o $@
$(BUILD)/san/src/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -g $(SAN) $(WARN) $(CORE_WARN) $(WERROR) $(DEPFLAGS) $(INC_CORE) -c $< -o $@
$(BUILD)/obj/src/common/%.o: src/common/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CFLAGS) $(WARN) $(CORE_WARN) $(WERROR) $(DEPFLAGS) -Isrc/common -c $< -o $@
$(BUILD)/san/src/common/%.o: src/common/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -g $(SAN) $(WARN) $(CORE_WARN) $(WERROR) $(DEPFLAGS) -Isrc/common -c $< -o $@
$(BUILD)/obj/src/cli/%.o: src/cli/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CFLAGS) $(WARN) $(WERROR) $(DEPFLAGS) $(INC_CLI) -c $< -o $@
$(BUILD)/san/src/cli/%.o: src/cli/%.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -g $(SAN) $(WARN) $(WERROR) $(DEPFLAGS) $(INC_CLI) -c $< -o $@

# The offense tables are compiled into the binary.
$(BUILD)/catalog_data.c: $(DATA) tools/embed.sh
	@mkdir -p $(@D)
	sh tools/embed.sh $@ $(DATA)
$(BUILD)/obj/catalog_data.o: $(BUILD)/catalog_data.c
	$(CC) $(CSTD) -O0 $(INC_CLI) -c $< -o $@
$(BUILD)/san/catalog_data.o: $(BUILD)/catalog_data.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O0 $(INC_CLI) -c $< -o $@

$(BUILD)/holdcheck: $(CLI_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) -o $@ $^
$(BUILD)/holdcheck-san: $(CLI_SAN) $(LIB_SAN)
	$(CC) -g $(SAN) -o $@ $^

# Unit tests: one cmocka program per core module, plain and sanitized. They reach the data
# through build/catalog_data.o so the real catalog is tested.
$(BUILD)/tests/%: tests/core/%.c $(LIB_OBJ) $(BUILD)/obj/catalog_data.o tests/core/testutil.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CFLAGS) $(WARN) $(WERROR) $(INC_CLI) -Itests/core $(CMOCKA_CFLAGS) -o $@ $< \
		$(LIB_OBJ) $(BUILD)/obj/catalog_data.o $(CMOCKA_LIBS)
$(BUILD)/tests-san/%: tests/core/%.c $(LIB_SAN) $(BUILD)/san/catalog_data.o tests/core/testutil.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -g $(SAN) $(WARN) $(WERROR) $(INC_CLI) -Itests/core $(CMOCKA_CFLAGS) -o $@ $< \
		$(LIB_SAN) $(BUILD)/san/catalog_data.o $(CMOCKA_LIBS)

unit: $(TESTS)
	@for t in $(TESTS); do echo "== $$t"; timeout 120 $$t || exit 1; done
unit-san: $(TESTS_SAN)
	@for t in $(TESTS_SAN); do echo "== $$t"; timeout 300 $$t || exit 1; done
golden: $(BUILD)/holdcheck $(BUILD)/holdcheck-san
	sh tests/cases/run.sh $(BUILD)/holdcheck
	sh tests/cases/run.sh $(BUILD)/holdcheck-san
	sh tests/cli/test_decide.sh $(BUILD)/holdcheck

# Front ends other than the CLI (server, store) add their rules in mk/*.mk and their tests to
# CHECK_EXTRA.
CHECK_EXTRA :=
-include $(sort $(wildcard mk/*.mk))

check: all unit unit-san golden fuzz-replay $(CHECK_EXTRA)
	@echo "make check: all tests passed"

# Fuzzing (clang + libFuzzer). `make fuzz` runs each target for FUZZ_SECONDS; `fuzz-replay`
# (part of check) runs every saved corpus input once under the sanitizers.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(BUILD)/catalog_data.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CSTD) -O1 -g -fsanitize=fuzzer,address,undefined $(INC_CLI) -o $@ $< $(LIB_SRC) \
		$(BUILD)/catalog_data.c
fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do n=$$(basename $$t); mkdir -p $(BUILD)/corpus/$$n; \
		echo "== fuzzing $$n for $(FUZZ_SECONDS)s"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -artifact_prefix=$(BUILD)/fuzz/ \
			-dict=tests/fuzz/$$n.dict $(BUILD)/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done
fuzz-replay: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do n=$$(basename $$t); echo "== replaying corpus of $$n"; \
		$$t -runs=0 -artifact_prefix=$(BUILD)/fuzz/ tests/fuzz/corpus/$$n || exit 1; done

bench: $(BUILD)/bench_engine $(BUILD)/holdcheck
	sh bench/run.sh
$(BUILD)/bench_engine: bench/bench_engine.c $(LIB_SRC) $(BUILD)/catalog_data.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O2 -g -DNDEBUG $(WARN) $(INC_CLI) -o $@ $< $(LIB_SRC) $(BUILD)/catalog_data.c

# The binary, its manual page and a commented example configuration (docs/configuration.md).
# Nothing is written under /etc: copying the example there is the administrator's decision.
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/holdcheck
install: $(BUILD)/holdcheck
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/examples
	install -m 755 $(BUILD)/holdcheck $(DESTDIR)$(PREFIX)/bin/holdcheck
	install -m 644 docs/holdcheck.1 $(DESTDIR)$(MANDIR)/man1/holdcheck.1
	install -m 644 docs/examples/holdcheck.conf $(DESTDIR)$(DOCDIR)/examples/holdcheck.conf

deps:
	sh tools/install-deps.sh

lint:
	@! grep -nE '\b(sprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets|system)\(' src/*/*.c || \
		{ echo "lint: banned call"; exit 1; }
	@! grep -nE '#include <(stdio|unistd|time|sqlite3|libpq-fe|h2o)\.h>' src/core/*.[ch] src/common/*.[ch] || \
		{ echo "lint: I/O header in src/core or src/common"; exit 1; }
	@echo "lint: ok"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

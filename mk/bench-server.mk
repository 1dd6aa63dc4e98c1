# mk/bench-server.mk: `make bench-server` runs the server benchmarks (bench/server/run.sh,
# docs/benchmarks.md "Server"); `make bench` runs them too. Included by the Makefile.
#
# The Makefile's `bench` rule keeps its own recipe (bench/run.sh); this file only adds
# bench-server to its prerequisites, so the server bench runs first and bench/run.sh after it.
# BENCH_SERVER_AFTER makes bench-server wait for the other benchmark's binary when both are
# built in one `make -j bench`, so no compiler runs while wrk measures.

BENCH_SERVER_AFTER := $(if $(filter bench,$(MAKECMDGOALS)),$(BUILD)/bench_engine)

.PHONY: bench-server
bench-server: $(BUILD)/holdcheck | $(BENCH_SERVER_AFTER)
	BUILD=$(BUILD) sh bench/server/run.sh

bench: bench-server

# mk/import.mk: tests of `holdcheck import` / `export` (tests/import) and the kill test of
# issue 3 (tests/kill: SIGKILL during intake bursts and imports), added to CHECK_EXTRA.
# src/cli/import.c is built by the Makefile's CLI rule like every src/cli/*.c.

.PHONY: check-import check-kill
check-import: $(BUILD)/holdcheck $(BUILD)/holdcheck-san
	@echo "== tests/import/test_import.sh"; timeout 120 sh tests/import/test_import.sh $(BUILD)/holdcheck
	@echo "== tests/import/test_import.sh (ASan + UBSan)"; \
		timeout 300 sh tests/import/test_import.sh $(BUILD)/holdcheck-san
check-kill: $(BUILD)/holdcheck
	@echo "== tests/kill/test_kill.sh"; timeout 180 sh tests/kill/test_kill.sh $(BUILD)/holdcheck

CHECK_EXTRA += check-import check-kill

# mk/config.mk: tests of the command line's configuration, help and manual page
# (src/cli/config.c, src/cli/serve.c, src/cli/main.c, docs/holdcheck.1), added to CHECK_EXTRA.
# Included by the Makefile.

.PHONY: check-config
check-config: $(BUILD)/holdcheck
	@echo "== tests/cli/test_config.sh"; timeout 300 sh tests/cli/test_config.sh $(BUILD)/holdcheck

CHECK_EXTRA += check-config

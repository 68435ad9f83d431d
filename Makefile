# The two commands: `make run` (start the lab and scan its domains) and `make test` (the whole test suite).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint setup bench clean

setup:
	@scripts/setup.sh

run: setup
	$(VENV)/bin/smecyber demo

test: setup
	$(VENV)/bin/ruff check src tests bench tools
	$(PY) -m pytest

bench: setup
	$(PY) bench/deep_scan.py
	$(PY) bench/sweep.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The two commands: `make run` (the platform with demo data, on this machine) and `make test` (ruff, the whole
# suite on SQLite, then the integration tests on PostgreSQL + Redis with real Celery workers).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint setup services bench bench-platform clean

setup:
	@scripts/setup.sh

run: setup
	$(VENV)/bin/smecyber run

test: setup
	@VENV=$(VENV) scripts/test.sh

lint: setup
	$(VENV)/bin/ruff check src tests bench tools

# start PostgreSQL and Redis for the integration tests if they are not running (.ci/run does this)
services:
	@scripts/services.sh

bench: setup
	$(PY) bench/deep_scan.py
	$(PY) bench/sweep.py

# the platform benchmarks need PostgreSQL, Redis and root (the lab): see docs/performance.md
bench-platform: setup services
	$(PY) bench/platform_dashboards.py
	$(PY) bench/celery_sweep.py
	$(PY) bench/assessment_plan.py
	$(PY) bench/survey_overview.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/browser/node_modules

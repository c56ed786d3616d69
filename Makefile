# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bench check deps dev-deps system-deps system-deps-test messages clean screenshots

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.deps: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $(VENV)/.deps $@

deps: system-deps $(VENV)/.deps
dev-deps: system-deps-test $(VENV)/.dev-deps

system-deps:
	@scripts/system_deps.sh run

system-deps-test:
	@scripts/system_deps.sh test

## make run: set up and start the portal on the embedded default (SQLite, no Redis), with
## its Celery worker and beat, demo data and printed demo logins, on http://$(HOST):$(PORT)
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: deps
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	@scripts/run_portal.sh $(HOST) $(PORT)

## make test: the whole test suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set;
## then the browser, crawl and multi-process suites run beside the rest: scripts/run_tests.sh)
test: dev-deps
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run -v0
	PY=$(PY) PYTEST_ARGS="$(PYTEST_ARGS)" scripts/run_tests.sh

## make screenshots: one page of each kind per role of the demo data, at 1280 and 390 px, in
## var/screenshots/<role>--<page>--<width>.png (the same pages as the browser checks, USE-02/03)
screenshots: dev-deps
	rm -rf var/screenshots && mkdir -p var/screenshots
	-SCREENSHOTS_DIR=$(CURDIR)/var/screenshots $(PY) -m pytest tests/e2e/test_pages.py -q -p no:randomly $(PYTEST_ARGS)
	@ls var/screenshots | wc -l | xargs echo "screenshots written to var/screenshots:"

## make bench: the benchmarks of quality.md, written to benchmarks/results/latest.md
bench: dev-deps
	@for script in benchmarks/perf*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

messages:
	cd $(CURDIR) && $(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/e2e/node/*' && $(PY) manage.py compilemessages -l en -l id --ignore '.venv/*'

clean:
	rm -rf var/

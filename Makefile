# Two commands on a fresh machine: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test e2e screenshots lint audit format smoke serve worker beat setup messages backup restore bench clean \
        system-packages-run system-packages-test

## system packages (scripts/system-packages.txt, the one list): installed with one apt-get when
## root or sudo can, otherwise make stops at once with the exact command to run.
system-packages-run:
	@bash scripts/system_packages.sh run

system-packages-test:
	@bash scripts/system_packages.sh test

# Order-only: checked before the virtualenv is made (python3-venv), never a reason to remake it.
$(VENV)/bin/activate: | system-packages-run
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## setup: migrate and load the 193 States, resolutions, measures and the demo data
setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo --print-logins

## run: the portal and two Celery workers on this machine: e-mails, reminders and the schedule
## (beat) on queue "celery", documents on queue "pdf", so mail never waits behind a PDF; Ctrl-C stops all
run: system-packages-run setup
	@set -m; \
	$(VENV)/bin/celery -A sanctions_portal worker -Q celery -n mail@%h --beat --loglevel=INFO --concurrency=2 \
	    --schedule=var/celerybeat-schedule > var/worker.log 2>&1 & worker=$$!; \
	$(VENV)/bin/celery -A sanctions_portal worker -Q pdf -n pdf@%h --loglevel=INFO --concurrency=1 \
	    > var/worker-pdf.log 2>&1 & pdfworker=$$!; \
	trap 'kill $$worker $$pdfworker 2>/dev/null; wait $$worker $$pdfworker 2>/dev/null' EXIT INT TERM; \
	echo ""; \
	echo "  Portal:   http://$(HOST):$(PORT)/   (worker logs: var/worker.log, var/worker-pdf.log)"; \
	echo "  Sign in as secretariat, monitoring, committee, focal-fra, signatory-fra ..."; \
	echo "  Password: $${DEMO_PASSWORD:-demo-pass-2253}"; \
	echo ""; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite (unit, integration with a real worker when REDIS_URL is set, browser journeys),
## in TEST_WORKERS processes (pytest-xdist; 0: one process). Each has its own test database and Redis
## database; the browser journeys and the tests that start processes of their own run one after the
## other in one of them while the others share the rest (tests/parallel.py).
TEST_WORKERS ?= 2
test: system-packages-test $(VENV)/.installed-dev
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## e2e: only the browser journeys (Debian's /usr/bin/chromium); screenshots land in test-artifacts/screenshots/
e2e: system-packages-test $(VENV)/.installed-dev
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

## screenshots: refresh the README's tour (docs/screenshots/*.png) from the demo data
screenshots: system-packages-test $(VENV)/.installed-dev
	PORTAL_TOUR=1 $(PY) -m pytest tests/e2e/test_tour.py -q

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy sanctions_portal reports
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## smoke: the embedded default with no environment: migrate, load, serve, fetch the login page
smoke: $(VENV)/.installed
	bash scripts/smoke.sh

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l ar -l fr -l ru -l es -l zh_Hans --ignore=.venv --ignore=static --ignore=test-artifacts --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

## backup: one archive (data dump + private files) in var/backups; restore: see README
backup: $(VENV)/.installed
	$(PY) manage.py backup_data --out var/backups

restore: $(VENV)/.installed
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=var/backups/portal-backup-....tar.gz"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore_data $(ARCHIVE)

## audit: known vulnerabilities in the pinned dependencies (fails on one; warns if the service is unreachable)
audit: $(VENV)/.installed-dev
	$(PY) scripts/audit_deps.py requirements.txt

bench: $(VENV)/.installed-dev
	$(PY) -m bench $(BENCH)

clean:
	rm -rf $(VENV) var staticfiles

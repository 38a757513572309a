# Goldset: `make run` brings up the demo, `make test` runs every check. Nothing else is needed.
# `make test-fast` is the inner loop: every check but the parser, subprocesses and the browser.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# The RQ pass of `make test` flushes this Redis database: keep it spare.
RQ_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test test-fast bench bench-quick lint format check-chromium clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seeds
	$(PY) manage.py preannotate seeds --now --missing
	$(PY) manage.py demo_user --force  # local only: ALLOWED_HOSTS is loopback
	@echo "Goldset is at http://127.0.0.1:$(PORT)/ with a supervised background worker (Ctrl+C stops both)"
	@$(PY) manage.py workers & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

check-chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# axe-core, the accessibility checker the browser tests inject into every page.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: $(VENV)/.installed-dev node_modules/.installed check-chromium lint
	node --test tests/js/
	$(PY) -m pytest
	DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(PY) -m pytest -m postgres -p no:cacheprovider
	TASK_BACKEND=rq REDIS_URL="$${REDIS_URL:-$(RQ_TEST_URL)}" $(PY) -m pytest -m rq -p no:cacheprovider

# Tests marked `slow` run the real spaCy pipeline or a subprocess; `e2e` drive Chromium.
test-fast: $(VENV)/.installed-dev lint
	node --test tests/js/
	$(PY) -m pytest -m "not slow and not e2e"

# Every benchmark in bench/, one table of figures against baselines measured in the same run,
# and bench/results.json. About 30 minutes; bench-quick runs smaller sizes in under 5.
bench: $(VENV)/.installed-dev check-chromium
	$(PY) -m bench $(BENCH_ARGS)

bench-quick: $(VENV)/.installed-dev check-chromium
	$(PY) -m bench --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

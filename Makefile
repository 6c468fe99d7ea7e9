# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

WEBAPP_DEPS := webapp/node_modules/.package-lock.json
WEBAPP_BUILT := web/static/app/index.html

.PHONY: install run test lint demo bench soak fuzz mutation clean webapp webapp-test chromium screenshots

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres]'
	touch $(INSTALLED)

install: $(INSTALLED)

# The employees' web app (webapp/): built into web/static/app/, served at /.
$(WEBAPP_DEPS): webapp/package.json webapp/package-lock.json
	cd webapp && npm ci --no-audit --no-fund

$(WEBAPP_BUILT): $(WEBAPP_DEPS) webapp/vite.config.js webapp/index.html $(shell find webapp/src webapp/public -type f 2>/dev/null)
	cd webapp && npm run build

webapp: $(WEBAPP_BUILT)

webapp-test: $(WEBAPP_DEPS)
	cd webapp && npx vitest run

# The browser tests drive Debian's Chromium; installed here when missing (as root).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && apt-get install -y -qq chromium; \
		else echo "/usr/bin/chromium is missing: the browser tests will be skipped"; fi; \
	fi

run: $(INSTALLED) $(WEBAPP_BUILT)
	$(VENV)/bin/customers-server --demo

bench: $(INSTALLED)
	$(PY) -m bench

soak: $(INSTALLED)
	$(PY) -m soak --only crash-sqlite --only crash-postgres --only projection \
		--only contention --only busy

fuzz: $(INSTALLED)
	$(PY) -m soak --only fuzz

demo: $(INSTALLED)
	$(PY) -m harness.demo

# Mutants of the domain, intake, history and projection ([tool.mutmut] in pyproject.toml);
# the report goes to var/mutation-report.md.
mutation: $(INSTALLED)
	$(PY) -m tests.mutation.run

# ruff (check and format) over the project; mypy over the packages that pass it
# cleanly ([tool.ruff] and [tool.mypy] in pyproject.toml).
lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(INSTALLED) lint $(WEBAPP_BUILT) chromium webapp-test
	$(PY) -m pytest

screenshots: $(INSTALLED) $(WEBAPP_BUILT) chromium
	WEBAPP_SCREENSHOTS_DIR=docs $(PY) -m pytest tests/browser/test_seed_story.py -q

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis mutants webapp/node_modules web/static/app

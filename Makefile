# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: install run test demo bench soak fuzz mutation clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres]'
	touch $(INSTALLED)

install: $(INSTALLED)

run: $(INSTALLED)
	$(VENV)/bin/customers-server --demo

bench: $(INSTALLED)
	$(PY) -m bench

soak: $(INSTALLED)
	$(PY) -m soak --only crash-sqlite --only crash-postgres --only projection \
		--only contention --only busy

fuzz: $(INSTALLED)
	$(PY) -m soak --only fuzz

demo: $(INSTALLED)
	$(PY) -m client.demo

# Mutants of the domain, intake, history and projection ([tool.mutmut] in pyproject.toml);
# the report goes to var/mutation-report.md.
mutation: $(INSTALLED)
	$(PY) -m tests.mutation.run

test: $(INSTALLED)
	$(PY) -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis mutants

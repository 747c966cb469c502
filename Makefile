# Every target bootstraps .venv itself, so a fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean migration vendor-graphiql

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/signalgraph serve

# The suite runs on parallel workers (pytest-xdist): one more than the cores, since a good part of it waits
# on servers, workers and databases it started; an idle worker steals queued tests from a busy one
# (worksteal: the long process tests, started first, would otherwise stay queued on one worker).
# TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check signalgraph tests bench tools
	$(BIN)/python tools/mypy_ratchet.py

# GraphiQL's assets (versions pinned in tools/vendor_graphiql.py), fetched with npm into signalgraph/static/graphiql.
vendor-graphiql: $(STAMP)
	$(BIN)/python tools/vendor_graphiql.py

clean:
	rm -rf $(VENV) .pytest_cache

# A schema change is a new revision: `make migration message="add key expiry"` autogenerates the next
# number (down_revision = the head) from the models; review it by hand before committing. Revisions
# already written never change.
migration: $(STAMP)
	@test -n "$(message)" || { echo 'usage: make migration message="what changes"' >&2; exit 2; }
	$(BIN)/python -c 'import sys; from signalgraph.storage.migrate import new_revision; \
	  path = new_revision(sys.argv[1]); print(path or "no change: the models match the head revision")' "$(message)"

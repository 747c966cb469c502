# Every target bootstraps .venv itself, so a fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean migration

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/signalgraph serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check signalgraph tests bench

clean:
	rm -rf $(VENV) .pytest_cache

# Before the first release there is one initial migration: regenerate it after a model change.
migration: $(STAMP)
	rm -f signalgraph/storage/migrations/versions/0001_initial_schema.py /tmp/signalgraph-migration.db
	$(BIN)/python -c "from alembic import command; from signalgraph.storage.migrate import alembic_config; command.revision(alembic_config('sqlite+aiosqlite:////tmp/signalgraph-migration.db'), message='initial schema', autogenerate=True, rev_id='0001')"
	sed -i 's/astext_type=Text()/astext_type=sa.Text()/g' signalgraph/storage/migrations/versions/0001_initial_schema.py
	rm -f /tmp/signalgraph-migration.db

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

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check signalgraph tests bench

# GraphiQL's assets (versions pinned in tools/vendor_graphiql.py), fetched with npm into signalgraph/static/graphiql.
vendor-graphiql: $(STAMP)
	$(BIN)/python tools/vendor_graphiql.py

clean:
	rm -rf $(VENV) .pytest_cache

# Before the first release the tables live in one initial migration, 0001: regenerate it after a
# model change. Later hand-written revisions (full-text indexes) are set aside while it is generated.
migration: $(STAMP)
	rm -rf /tmp/signalgraph-migration && mkdir -p /tmp/signalgraph-migration/aside
	find signalgraph/storage/migrations/versions -name '*.py' ! -name '0001_*' -exec mv {} /tmp/signalgraph-migration/aside/ \;
	rm -f signalgraph/storage/migrations/versions/0001_initial_schema.py
	$(BIN)/python -c "from alembic import command; from signalgraph.storage.migrate import alembic_config; command.revision(alembic_config('sqlite+aiosqlite:////tmp/signalgraph-migration/gen.db'), message='initial schema', autogenerate=True, rev_id='0001')"; \
	  status=$$?; mv /tmp/signalgraph-migration/aside/*.py signalgraph/storage/migrations/versions/ 2>/dev/null; exit $$status
	sed -i 's/astext_type=Text()/astext_type=sa.Text()/g' signalgraph/storage/migrations/versions/0001_initial_schema.py

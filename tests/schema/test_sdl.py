"""The committed SDL (schema.graphql, for frontend code generators) is the schema the server runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from signalgraph.schema import sdl

pytestmark = pytest.mark.processes  # started first: see pytest_collection_modifyitems

COMMITTED = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_graphql_is_the_schema_the_server_runs():
    assert COMMITTED.read_text() == sdl(), (
        "The GraphQL schema changed: regenerate the committed SDL with `signalgraph schema > schema.graphql`, "
        "review the diff, and commit it with the change."
    )


def test_signalgraph_schema_prints_the_sdl_without_touching_a_database(tmp_path):
    printed = subprocess.run(
        [sys.executable, "-m", "signalgraph.cli", "schema"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert printed.stdout == sdl()
    assert list(tmp_path.iterdir()) == []  # no ./signalgraph.db created

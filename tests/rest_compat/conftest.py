"""The REST layer is HTTP: here every key speaks over the real server."""

from __future__ import annotations

import pytest

from tests.executors import rest_queries_compared


@pytest.fixture
def make_api(make_http_api):
    return make_http_api


@pytest.fixture(autouse=True)
def _executors_compared():
    """Every REST query of these tests also runs through both executors (tests/executors.py)."""
    with rest_queries_compared():
        yield

"""The REST layer is HTTP: here every key speaks over the real server."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_api(make_http_api):
    return make_http_api

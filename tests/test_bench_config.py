"""The bench's settings from the environment: SIGNALGRAPH_BENCH_ONLY picks rows, and names no row that
does not exist (a typo would otherwise run nothing and report every target met)."""

from __future__ import annotations

import pytest

from bench.__main__ import ROWS, Config


def test_every_row_runs_when_only_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIGNALGRAPH_BENCH_ONLY", raising=False)

    config = Config.from_env()

    assert config.only == frozenset(ROWS)
    assert config.complete


def test_only_names_the_rows_that_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALGRAPH_BENCH_ONLY", "worker, post")

    config = Config.from_env()

    assert config.only == {"worker", "post"}
    assert not config.complete


def test_an_unknown_row_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALGRAPH_BENCH_ONLY", "worker,workers")

    with pytest.raises(SystemExit, match="workers"):
        Config.from_env()

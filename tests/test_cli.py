"""The `signalgraph` command as an operator uses it: serve, keys, db, eval, bad settings."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
import pytest

from tests.jobs.fake_llm import Answer, serve_fake_llm
from tests.serving import serve_process, wait_until_ready

pytestmark = pytest.mark.processes  # started first: see pytest_collection_modifyitems

KEY_PATTERN = re.compile(r"^sg_[0-9a-f]{8}_[A-Za-z0-9_-]{32,}$")
VIEWER = "{ viewer { workspace { name } key { prefix } scopes } }"


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "signalgraph.cli", *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env["SIGNALGRAPH_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    return env


def test_keys_create_prints_only_the_key_and_list_shows_its_prefix(cli_env):
    created = run_cli(cli_env, "keys", "create", "--workspace", "acme", "--name", "crm", "--scope", "signals:read")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert KEY_PATTERN.match(key) and created.stdout.count("\n") == 1

    listed = run_cli(cli_env, "keys", "list", "--workspace", "acme")
    assert listed.returncode == 0
    header, line = listed.stdout.splitlines()[-2:]
    assert header.split("\t") == ["PREFIX", "NAME", "WORKSPACE", "SCOPES", "CREATED", "LAST_USED", "EXPIRES", "STATUS"]
    row = dict(zip(header.split("\t"), line.split("\t"), strict=True))
    assert row["PREFIX"] == key.split("_")[1] and (row["NAME"], row["WORKSPACE"]) == ("crm", "acme")
    assert (row["SCOPES"], row["LAST_USED"], row["EXPIRES"], row["STATUS"]) == ("signals:read", "-", "-", "active")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["CREATED"])
    assert key not in listed.stdout


def keys_by_prefix(env: dict[str, str]) -> dict[str, dict[str, str]]:
    listed = run_cli(env, "keys", "list")
    assert listed.returncode == 0, listed.stderr
    lines = [line.split("\t") for line in listed.stdout.splitlines() if "\t" in line]
    return {row[0]: dict(zip(lines[0], row, strict=True)) for row in lines[1:]}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_keys_expire_rotate_and_show_their_last_use_against_a_running_server(cli_env):
    expiring = run_cli(cli_env, "keys", "create", "--workspace", "acme", "--name", "crm", "--expires-in", "90d",
                       "--scope", "insights:read")
    assert expiring.returncode == 0 and "expires at" in expiring.stderr
    key = expiring.stdout.strip()
    short = run_cli(cli_env, "keys", "create", "--workspace", "acme", "--expires-in", "1s").stdout.strip()
    insights = "/external/v1/insights"
    with serve_process(cli_env) as (_, base):
        wait_until_ready(base)
        assert httpx.get(base + insights, headers=bearer(key)).status_code == 200
        time.sleep(1.1)  # past the short key's second
        refused = httpx.get(base + insights, headers=bearer(short))
        assert refused.status_code == 401 and refused.json()["message"] == "API key has expired"
        assert refused.headers["WWW-Authenticate"] == 'Bearer realm="signalgraph"'

        for _ in range(100):  # the use is written after the response: a bound on waiting, not a timing
            if (row := keys_by_prefix(cli_env)[key.split("_")[1]])["LAST_USED"] != "-":
                break
            time.sleep(0.1)
        assert row["LAST_USED"] >= row["CREATED"] and row["EXPIRES"] > row["CREATED"]
        assert keys_by_prefix(cli_env)[short.split("_")[1]]["STATUS"] == "expired"

        rotated = run_cli(cli_env, "keys", "rotate", key.split("_")[1], "--grace", "1h")
        assert rotated.returncode == 0 and "keeps working until" in rotated.stderr, rotated.stderr
        new_key = rotated.stdout.strip()
        assert KEY_PATTERN.match(new_key) and new_key != key
        for working in (key, new_key):  # within the grace period both work
            assert httpx.get(base + insights, headers=bearer(working)).status_code == 200
        listed = keys_by_prefix(cli_env)
        new_row, old_row = listed[new_key.split("_")[1]], listed[key.split("_")[1]]
        assert (new_row["NAME"], new_row["WORKSPACE"], new_row["SCOPES"]) == ("crm", "acme", "insights:read")
        assert new_row["EXPIRES"] > old_row["EXPIRES"]  # the old one now ends with its grace period

        again = run_cli(cli_env, "keys", "rotate", new_key.split("_")[1])
        assert again.returncode == 0 and f"revoked {new_key.split('_')[1]}" in again.stderr
        gone = httpx.get(base + insights, headers=bearer(new_key))
        assert gone.status_code == 401 and gone.json()["message"] == "API key has been revoked"
        assert httpx.get(base + insights, headers=bearer(again.stdout.strip())).status_code == 200

    unknown = run_cli(cli_env, "keys", "rotate", short.split("_")[1])
    assert unknown.returncode == 1 and "no usable key" in unknown.stderr
    bad = run_cli(cli_env, "keys", "create", "--workspace", "acme", "--expires-in", "soon")
    assert bad.returncode == 2 and "--expires-in" in bad.stderr and "90d" in bad.stderr


def test_unknown_scope_and_unknown_prefix_fail_with_a_message(cli_env):
    bad_scope = run_cli(cli_env, "keys", "create", "--workspace", "acme", "--scope", "signals:admin")
    assert bad_scope.returncode == 2 and "unknown scope 'signals:admin'" in bad_scope.stderr
    bad_prefix = run_cli(cli_env, "keys", "revoke", "00000000")
    assert bad_prefix.returncode == 1 and "no active key" in bad_prefix.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SIGNALGRAPH_PORT", "eighty"), ("SIGNALGRAPH_DATABASE_URL", "mysql://x"), ("SIGNALGRAPH_REDIS_URL", "http://x")],
)
def test_bad_setting_fails_at_start_with_one_line_naming_the_variable(cli_env, variable, value):
    result = run_cli({**cli_env, variable: value}, "db", "upgrade")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and variable in result.stderr


def test_serve_prints_a_first_key_then_serves_graphiql_and_honours_revocation(cli_env):
    with serve_process(cli_env, stdout=subprocess.PIPE) as (server, base):
        assert "First API key" in server.stdout.readline()
        key = server.stdout.readline().strip()
        assert KEY_PATTERN.match(key)
        wait_until_ready(base)

        page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        auth = {"Authorization": f"Bearer {key}"}
        viewer = httpx.post(f"{base}/graphql", json={"query": VIEWER}, headers=auth).json()["data"]["viewer"]
        assert viewer["workspace"]["name"] == "default" and len(viewer["scopes"]) == 27

        assert run_cli(cli_env, "keys", "revoke", key.split("_")[1]).returncode == 0
        refused = httpx.post(f"{base}/graphql", json={"query": VIEWER}, headers=auth).json()
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert "revoked" in refused["errors"][0]["message"]


def test_serve_does_not_print_a_key_for_an_existing_database(cli_env):
    assert run_cli(cli_env, "keys", "create", "--workspace", "acme").returncode == 0
    with serve_process(cli_env, stdout=subprocess.PIPE) as (server, _):
        assert server.stdout.readline().startswith("Signalgraph on http://127.0.0.1:")


EVAL_SET = """
[[signal]]
id = "s1"
type = "review"
text = "Love the timer. I wish it had a dark mode."

[[signal.finding]]
kind = "feature_request"
name = "Dark mode"
keywords = [["dark mode"]]

[[signal.finding]]
kind = "bug"
name = "Crash on start"
keywords = [["crash"]]
"""


@pytest.fixture
def eval_set(tmp_path: Path) -> Path:
    path = tmp_path / "set.toml"
    path.write_text(EVAL_SET)
    return path


def test_eval_scores_the_local_extractor_as_a_table_or_as_json(cli_env, eval_set, tmp_path):
    table = run_cli(cli_env, "eval", "--set", str(eval_set))
    assert table.returncode == 0, table.stderr
    assert "extractor local on 1 signals" in table.stdout
    assert re.search(r"^all\s+2\s+1\s+2\s+1\s+0\.500\s+0\.500\s+0\.500$", table.stdout, re.MULTILINE)
    assert re.search(r"^misses \(1\)\n  s1\s+bug\s+Crash on start$", table.stdout, re.MULTILINE)

    report = orjson.loads(run_cli(cli_env, "eval", "--set", str(eval_set), "--json").stdout)
    assert report["overall"] == {"found": 2, "correct": 1, "labelled": 2, "recalled": 1, "precision": 0.5,
                                 "recall": 0.5, "f1": 0.5}
    assert report["bySignalType"]["review"]["recall"] == 0.5 and report["byKind"]["bug"]["recall"] == 0.0
    assert [e["name"] for e in report["extras"]] == ["Timer"] and report["badNames"] == []
    assert not (tmp_path / "cli.db").exists()  # scoring touches no database


def test_eval_fails_clearly_on_a_bad_set_or_an_unconfigured_llm(cli_env, eval_set, tmp_path):
    missing = run_cli(cli_env, "eval", "--set", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such set" in missing.stderr
    llm = run_cli(cli_env, "eval", "--extractor", "llm", "--set", str(eval_set))
    assert llm.returncode == 2 and "SIGNALGRAPH_LLM_BASE_URL" in llm.stderr


async def test_eval_runs_the_configured_llm(cli_env, eval_set):
    async with serve_fake_llm() as fake:
        fake.answer = Answer(content={
            "findings": [{"kind": "feature_request", "name": "Dark mode", "description": "Wants a dark mode.",
                          "sentiment": "neutral", "severity": "medium",
                          "evidence": [{"quote": "I wish it had a dark mode.", "speaker": None}]}],
            "people": [], "companies": [], "context": "feature_feedback",
        })
        env = {**cli_env, "SIGNALGRAPH_LLM_BASE_URL": fake.base_url, "SIGNALGRAPH_LLM_MODEL": "test-model"}
        result = await asyncio.to_thread(run_cli, env, "eval", "--extractor", "llm", "--set", str(eval_set), "--json")

    assert result.returncode == 0, result.stderr
    report = orjson.loads(result.stdout)
    assert report["extractor"] == "llm:test-model" and report["errors"] == []
    assert (report["overall"]["precision"], report["overall"]["recall"]) == (1.0, 0.5)
    assert len(fake.requests) == 1

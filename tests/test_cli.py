"""The `signalgraph` command as an operator uses it: serve, keys, db, eval, bad settings."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
import pytest

from signalgraph import cli
from signalgraph.storage.engine import describe_database
from signalgraph.storage.migrate import revisions_in_order
from tests.jobs.fake_llm import Answer, serve_fake_llm
from tests.serving import free_socket, serve_process, wait_until_ready

pytestmark = pytest.mark.processes  # started first: see pytest_collection_modifyitems

KEY_PATTERN = re.compile(r"^sg_[0-9a-f]{8}_[A-Za-z0-9_-]{32,}$")
VIEWER = "{ viewer { workspace { name } key { prefix } scopes } }"


def run_cli(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "signalgraph.cli", *args], env=env, capture_output=True, text=True, timeout=120,
        check=False, cwd=cwd,
    )


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


def wait_for_last_use(env: dict[str, str], key: str) -> None:
    """The server records a use after answering: poll the file (a bound on waiting, not a timing)."""
    path = env["SIGNALGRAPH_DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    for _ in range(300):
        with contextlib.closing(sqlite3.connect(path)) as db:
            row = db.execute("SELECT last_used_at FROM api_keys WHERE prefix = ?", (key.split("_")[1],)).fetchone()
        if row[0] is not None:
            return
        time.sleep(0.1)
    raise AssertionError("last_used_at was never written")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_keys_expire_rotate_and_show_their_last_use_against_a_running_server(cli_env):
    # The server reads the key on every request, so the CLI's changes count at once (they count within
    # SIGNALGRAPH_KEY_CACHE_SECONDS otherwise: tests/test_auth.py).
    cli_env = {**cli_env, "SIGNALGRAPH_KEY_CACHE_SECONDS": "0"}
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

        wait_for_last_use(cli_env, key)

        rotated = run_cli(cli_env, "keys", "rotate", key.split("_")[1], "--grace", "1h")
        assert rotated.returncode == 0 and "keeps working until" in rotated.stderr, rotated.stderr
        new_key = rotated.stdout.strip()
        assert KEY_PATTERN.match(new_key) and new_key != key
        for working in (key, new_key):  # within the grace period both work
            assert httpx.get(base + insights, headers=bearer(working)).status_code == 200
        listed = keys_by_prefix(cli_env)
        new_row, old_row = listed[new_key.split("_")[1]], listed[key.split("_")[1]]
        assert old_row["CREATED"] <= old_row["LAST_USED"] < old_row["EXPIRES"]
        assert listed[short.split("_")[1]]["STATUS"] == "expired"
        assert (new_row["NAME"], new_row["WORKSPACE"], new_row["SCOPES"]) == ("crm", "acme", "insights:read")
        assert new_row["EXPIRES"] > old_row["EXPIRES"]  # the new key lives 90 days; the old one, its grace hour

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


def test_version_is_the_installed_distributions(cli_env):
    result = run_cli(cli_env, "--version")
    assert result.returncode == 0 and result.stdout == f"signalgraph {importlib.metadata.version('signalgraph')}\n"


def documented_variables() -> set[str]:
    """The variables of README's Configuration table."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return {name for line in table.splitlines() if line.startswith("| `SIGNALGRAPH_")
            for name in re.findall(r"SIGNALGRAPH_\w+", line.split("|")[1])}


def listed_variables(capsys, *command: str) -> set[str]:
    with pytest.raises(SystemExit) as exited:
        cli.main([*command, "--help"])
    assert exited.value.code == 0
    return set(re.findall(r"^  (SIGNALGRAPH_\w+) +default: ", capsys.readouterr().out, re.MULTILINE))


def test_every_help_lists_the_settings_its_command_reads(capsys):
    everything = documented_variables()
    assert listed_variables(capsys) == everything == listed_variables(capsys, "serve")
    database = {"SIGNALGRAPH_DATABASE_URL", "SIGNALGRAPH_LOG_LEVEL"}
    for command in [("keys",), ("keys", "create"), ("keys", "list"), ("keys", "revoke"), ("keys", "rotate"),
                    ("db",), ("db", "upgrade")]:
        assert database <= listed_variables(capsys, *command) <= everything - {"SIGNALGRAPH_REDIS_URL"}, command
    worker = listed_variables(capsys, "worker")
    assert {"SIGNALGRAPH_REDIS_URL", "SIGNALGRAPH_LLM_MODEL", "SIGNALGRAPH_JOB_MAX_TRIES"} <= worker
    assert "SIGNALGRAPH_PORT" not in worker and worker < everything
    assert {"SIGNALGRAPH_LLM_BASE_URL", "SIGNALGRAPH_LLM_CHUNK_CHARS"} <= listed_variables(capsys, "eval")
    assert listed_variables(capsys, "schema") == set()


def test_commands_name_their_database_and_reading_never_creates_one(cli_env, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    default_env = {k: v for k, v in cli_env.items() if k != "SIGNALGRAPH_DATABASE_URL"}
    for command in (("keys", "list"), ("keys", "rotate", "00000000")):
        refused = run_cli(default_env, *command, cwd=elsewhere)
        assert refused.returncode == 1, command
        assert f"database: SQLite {elsewhere / 'signalgraph.db'}\n" in refused.stderr
        assert f"no database at {elsewhere / 'signalgraph.db'}" in refused.stderr
    assert list(elsewhere.iterdir()) == []

    created = run_cli(cli_env, "keys", "create", "--workspace", "acme")
    assert created.returncode == 0 and f"database: SQLite {tmp_path / 'cli.db'}\n" in created.stderr
    listed = run_cli(cli_env, "keys", "list")
    assert listed.returncode == 0 and f"database: SQLite {tmp_path / 'cli.db'}" in listed.stderr


def test_a_postgresql_database_is_named_by_host_and_name_never_with_its_password(cli_env):
    url = "postgresql+asyncpg://postgres:s3cret-pw@127.0.0.1:1/sg_opscli_nowhere"
    result = run_cli({**cli_env, "SIGNALGRAPH_DATABASE_URL": url}, "keys", "list")
    assert result.returncode == 1 and "s3cret" not in result.stderr
    assert result.stderr.splitlines() == [
        "database: PostgreSQL 127.0.0.1:1/sg_opscli_nowhere",
        result.stderr.splitlines()[1],  # one line for the failure, no traceback
    ]
    assert result.stderr.splitlines()[1].startswith("signalgraph: database error on PostgreSQL 127.0.0.1:1/")


def test_db_upgrade_prints_each_revision_it_applies_and_keys_then_work(cli_env, empty_database_url):
    env = {**cli_env, "SIGNALGRAPH_DATABASE_URL": empty_database_url}
    first = run_cli(env, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines()[0] == f"database: {describe_database(empty_database_url)}"
    assert "@" not in first.stderr  # no user, no password
    applied = [line.split()[1] for line in first.stdout.splitlines() if line.startswith("applied ")]
    assert applied == revisions_in_order()
    assert first.stdout.splitlines()[-1] == f"database is at revision {applied[-1]} (the latest)"
    key = run_cli(env, "keys", "create", "--workspace", "acme").stdout.strip()
    assert key.split("_")[1] in run_cli(env, "keys", "list").stdout
    again = run_cli(env, "db", "upgrade")
    assert again.returncode == 0 and again.stdout == f"database is at revision {applied[-1]} (the latest)\n"


def test_serve_on_a_taken_port_fails_before_it_spends_the_first_key(cli_env, tmp_path):
    with free_socket() as taken:
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(cli_env, "serve", "--port", str(port))
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert result.stdout == ""  # no key printed
    assert not (tmp_path / "cli.db").exists()  # nor created: the next start prints the first key
    with serve_process(cli_env, stdout=subprocess.PIPE) as (server, _):
        assert "First API key" in server.stdout.readline()


def test_serve_prints_a_first_key_then_serves_graphiql_and_honours_revocation(cli_env):
    # The server reads the key on every request, so the CLI's changes count at once (they count within
    # SIGNALGRAPH_KEY_CACHE_SECONDS otherwise: tests/test_auth.py).
    cli_env = {**cli_env, "SIGNALGRAPH_KEY_CACHE_SECONDS": "0"}
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

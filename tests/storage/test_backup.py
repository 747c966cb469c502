"""`signalgraph backup` under load through the real server, and `signalgraph restore` read back by it: the
copy passes `PRAGMA integrity_check` and holds every write acknowledged before the backup began."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.serving import serve_process, wait_until_ready
from tests.test_cli import bearer, run_cli

pytestmark = pytest.mark.processes  # started first: see pytest_collection_modifyitems

CREATE_INSIGHT = "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id } } }"


def rows(path: Path) -> tuple[list[str], set[str]]:
    """(PRAGMA integrity_check, the insight ids) of an SQLite file."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return ([row[0] for row in db.execute("PRAGMA integrity_check")],
                {row[0] for row in db.execute("SELECT id FROM insights")})


async def test_a_backup_under_concurrent_writes_is_whole_and_restores(cli_env, tmp_path):
    key = run_cli(cli_env, "keys", "create", "--workspace", "acme").stdout.strip()
    copy = tmp_path / "backups" / "signalgraph-1.db"
    acknowledged: list[str] = []  # insight ids, in the order the server answered them
    stop = asyncio.Event()

    async def until(count: int) -> None:  # a bound on waiting, not a timing
        for _ in range(1200):
            if len(acknowledged) >= count:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"only {len(acknowledged)} writes were acknowledged")

    with serve_process(cli_env) as (_, base):
        await asyncio.to_thread(wait_until_ready, base)
        async with httpx.AsyncClient(base_url=base, headers=bearer(key), timeout=120) as http:

            async def writer(n: int) -> None:
                for i in range(100_000):
                    if stop.is_set():
                        return
                    variables = {"input": {"description": f"writer {n}, write {i}"}}
                    answer = await http.post("/graphql", json={"query": CREATE_INSIGHT, "variables": variables})
                    acknowledged.append(answer.json()["data"]["createInsight"]["insight"]["id"])

            writers = [asyncio.create_task(writer(n)) for n in range(4)]
            await until(40)
            before = list(acknowledged)
            backed_up = await asyncio.to_thread(run_cli, cli_env, "backup", str(copy))
            after = len(acknowledged)
            await until(after + 8)  # writes the backup cannot hold
            stop.set()
            await asyncio.gather(*writers)

    assert backed_up.returncode == 0, backed_up.stderr
    assert after > len(before)  # the server acknowledged writes while `signalgraph backup` ran
    assert f"to {copy}" in backed_up.stdout and "integrity ok" in backed_up.stdout
    integrity, ids = rows(copy)
    assert integrity == ["ok"]
    assert set(before) <= ids  # every write acknowledged before the backup began
    assert len(ids) < len(acknowledged) and not ids & set(acknowledged[after:])  # and none made after it ended

    refused = run_cli(cli_env, "restore", str(copy))
    assert refused.returncode == 1 and "--force" in refused.stderr
    restored = run_cli(cli_env, "restore", str(copy), "--force")
    assert restored.returncode == 0, restored.stderr
    with serve_process(cli_env) as (_, base):
        await asyncio.to_thread(wait_until_ready, base)
        async with httpx.AsyncClient(base_url=base, headers=bearer(key), timeout=60) as http:
            listed = await http.get("/external/v1/insights", params={"limit": 1})
            assert listed.status_code == 200 and int(listed.headers["X-Total-Count"]) == len(ids)
            for insight_id in (before[0], before[-1]):
                assert (await http.get(f"/external/v1/insights/{insight_id}")).status_code == 200
            assert (await http.get(f"/external/v1/insights/{acknowledged[-1]}")).status_code == 404


def test_backup_refuses_postgresql_and_restore_refuses_what_is_no_backup(cli_env, tmp_path):
    on_postgres = run_cli({**cli_env, "SIGNALGRAPH_DATABASE_URL": "postgresql+asyncpg://sg@127.0.0.1/sg_opscli_x"},
                          "backup", str(tmp_path / "x.db"))
    assert on_postgres.returncode == 2 and "pg_dump" in on_postgres.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    refused = run_cli(cli_env, "restore", str(junk))
    assert refused.returncode == 1 and "not a readable SQLite database" in refused.stderr
    assert not (tmp_path / "cli.db").exists()

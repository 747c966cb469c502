"""The `signalgraph` command: serve | worker | keys | db | schema | eval."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import OperationalError, ProgrammingError

from . import auth, logs
from .scopes import ALL_SCOPES, parse_scopes
from .settings import Settings, SettingsError
from .storage.engine import Database
from .storage.migrate import upgrade
from .storage.models.base import utcnow
from .storage.repositories import workspaces as workspaces_repo

FIRST_WORKSPACE = "default"
DEFAULT_EVAL_SET = Path(__file__).resolve().parent.parent / "eval" / "set"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"signalgraph: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings)
    if settings.is_sqlite and args.handler not in (_db_upgrade, _schema, _eval):
        upgrade(settings.database_url)  # the embedded default migrates itself
    try:
        return args.handler(settings, args)
    except KeyboardInterrupt:
        return 130
    except (OperationalError, ProgrammingError) as exc:
        print(f"signalgraph: database error ({exc.orig!r}); is it reachable, and migrated with "
              "'signalgraph db upgrade'?", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="signalgraph", description="Self-hostable product-discovery backend.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve GraphQL and the REST API over HTTP")
    serve.add_argument("--host", help="interface to bind (default: SIGNALGRAPH_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: SIGNALGRAPH_PORT or 8000)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run jobs from Redis (needs SIGNALGRAPH_REDIS_URL)")
    worker.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    worker.set_defaults(handler=_worker)

    keys = commands.add_parser("keys", help="manage API keys").add_subparsers(dest="keys_command", required=True)
    create = keys.add_parser("create", help="create a key (and its workspace if new); prints the key alone")
    create.add_argument("--workspace", required=True, help="workspace name")
    create.add_argument("--name", default="cli", help="a label for the key")
    create.add_argument(
        "--scope", action="append", default=[], metavar="SCOPE", help="repeat for each scope; none means all scopes"
    )
    create.add_argument("--expires-in", type=duration, metavar="DURATION",
                        help="the key is refused after this long: 90d, 12h, 30m, 2w (default: never)")
    create.set_defaults(handler=_keys_create)
    listing = keys.add_parser("list", help="list keys (prefixes, never secrets)")
    listing.add_argument("--workspace", help="only this workspace")
    listing.set_defaults(handler=_keys_list)
    revoke = keys.add_parser("revoke", help="revoke a key by its prefix")
    revoke.add_argument("prefix")
    revoke.set_defaults(handler=_keys_revoke)
    rotate = keys.add_parser(
        "rotate", help="replace a key: a new one (printed alone) with the same workspace, name and scopes"
    )
    rotate.add_argument("prefix")
    rotate.add_argument("--grace", type=duration, metavar="DURATION",
                        help="the old key keeps working this long (1h, 7d); default: revoked at once")
    rotate.add_argument("--expires-in", type=duration, metavar="DURATION",
                        help="the new key's lifetime (default: the old key's, or never)")
    rotate.set_defaults(handler=_keys_rotate)

    db = commands.add_parser("db", help="database maintenance").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(handler=_db_upgrade)

    schema = commands.add_parser("schema", help="print the GraphQL schema (SDL), as committed in schema.graphql")
    schema.set_defaults(handler=_schema)

    evaluation = commands.add_parser("eval", help="score an extractor on a labelled set of signals")
    evaluation.add_argument(
        "--extractor", choices=("local", "llm"), default="local",
        help="local rules (default), or the LLM configured by SIGNALGRAPH_LLM_*",
    )
    evaluation.add_argument(
        "--set", dest="set_path", type=Path, default=DEFAULT_EVAL_SET,
        help="a .toml set or a directory of them (default: the repository's eval/set)",
    )
    evaluation.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluation.set_defaults(handler=_eval)
    return parser


DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def duration(text: str) -> timedelta:
    """`90d`, `12h`, `30m`, `45s`, `2w` → a positive timedelta (an argparse type: a bad one is a usage error)."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*([smhdw])\s*", text)
    if match is None or int(match[1]) == 0:
        raise argparse.ArgumentTypeError(f"expected a duration such as 90d, 12h, 30m or 2w, got {text!r}")
    return timedelta(seconds=int(match[1]) * DURATION_UNITS[match[2]])


def _timestamp(value: datetime | None) -> str:
    return f"{value:%Y-%m-%dT%H:%M:%SZ}" if value is not None else "-"


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import os

    import uvicorn

    if settings.is_sqlite:
        first_key = asyncio.run(_first_key(settings))
        if first_key:
            print(f"First API key (all scopes, workspace {FIRST_WORKSPACE!r}); it is shown only once:")
            print(first_key, flush=True)
    host = args.host or settings.host
    port = args.port or settings.port
    # The factory re-reads settings in the server process; pass the CLI's choices through the environment.
    os.environ["SIGNALGRAPH_HOST"], os.environ["SIGNALGRAPH_PORT"] = host, str(port)
    print(f"Signalgraph on http://{host}:{port} — GraphiQL at http://{host}:{port}/graphql", flush=True)
    # Uvicorn logs in our format (also in a reloaded child); the app writes the access lines itself.
    uvicorn.run("signalgraph.app:create_app", factory=True, host=host, port=port, reload=args.reload,
                log_level=settings.log_level.lower(), log_config=logs.config(settings), access_log=False)
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    if settings.redis_url is None:
        print("signalgraph: the worker needs SIGNALGRAPH_REDIS_URL; without it, `serve` runs jobs itself",
              file=sys.stderr)
        return 2
    from .jobs.worker import run_worker

    run_worker(settings, burst=args.burst)
    return 0


async def _first_key(settings: Settings) -> str | None:
    """A first all-scopes key when the database has none yet (a new database)."""
    db = Database(settings.database_url)
    try:
        async with db.read() as session:
            if await workspaces_repo.list_api_keys(session):
                return None
        return (await auth.create_key(db, FIRST_WORKSPACE, "first key", list(ALL_SCOPES))).key
    finally:
        await db.dispose()


def _keys_create(settings: Settings, args: argparse.Namespace) -> int:
    try:
        scopes = parse_scopes(args.scope) if args.scope else list(ALL_SCOPES)
    except ValueError as exc:
        print(f"signalgraph: {exc}", file=sys.stderr)
        return 2

    async def run() -> auth.CreatedKey:
        db = Database(settings.database_url)
        try:
            return await auth.create_key(db, args.workspace, args.name, scopes, expires_in=args.expires_in)
        finally:
            await db.dispose()

    created = asyncio.run(run())
    if created.workspace_created:
        print(f"created workspace {args.workspace!r}", file=sys.stderr)
    if created.expires_at is not None:
        print(f"the key expires at {_timestamp(created.expires_at)}", file=sys.stderr)
    print(created.key)
    return 0


def _keys_rotate(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> auth.RotatedKey | None:
        db = Database(settings.database_url)
        try:
            return await auth.rotate_key(db, args.prefix, grace=args.grace, expires_in=args.expires_in)
        finally:
            await db.dispose()

    rotated = asyncio.run(run())
    if rotated is None:
        print(f"signalgraph: no usable key with prefix {args.prefix!r} (unknown, revoked or expired)", file=sys.stderr)
        return 1
    if args.grace:
        print(f"{rotated.old_prefix} keeps working until {_timestamp(rotated.old_stops_at)}", file=sys.stderr)
    else:
        print(f"revoked {rotated.old_prefix}", file=sys.stderr)
    if rotated.new.expires_at is not None:
        print(f"the new key expires at {_timestamp(rotated.new.expires_at)}", file=sys.stderr)
    print(rotated.new.key)
    return 0


def _keys_list(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> list:
        db = Database(settings.database_url)
        try:
            async with db.read() as session:
                workspace_id = None
                if args.workspace:
                    ws = await workspaces_repo.workspace_by_name(session, args.workspace)
                    if ws is None:
                        return []
                    workspace_id = ws.id
                return await workspaces_repo.list_api_keys(session, workspace_id)
        finally:
            await db.dispose()

    rows = asyncio.run(run())
    now = utcnow()
    print("PREFIX\tNAME\tWORKSPACE\tSCOPES\tCREATED\tLAST_USED\tEXPIRES\tSTATUS")
    for key, ws in rows:
        status = "revoked" if key.revoked_at else "expired" if auth.refusal(key, now) else "active"
        print("\t".join([
            key.prefix, key.name, ws.name, ",".join(key.scopes), _timestamp(key.created_at),
            _timestamp(key.last_used_at), _timestamp(key.expires_at), status,
        ]))
    return 0


def _keys_revoke(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> bool:
        db = Database(settings.database_url)
        try:
            async with db.write() as session:
                return await workspaces_repo.revoke_api_key(session, args.prefix, utcnow())
        finally:
            await db.dispose()

    if not asyncio.run(run()):
        print(f"signalgraph: no active key with prefix {args.prefix!r}", file=sys.stderr)
        return 1
    print(f"revoked {args.prefix}")
    return 0


def _db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    upgrade(settings.database_url)
    print("database is up to date")
    return 0


def _schema(settings: Settings, args: argparse.Namespace) -> int:
    from .schema import sdl  # the schema is built only for the commands that need it

    sys.stdout.write(sdl())
    return 0


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    import orjson

    from .processing.extract import LLMExtractor, LocalExtractor
    from .processing.extract.evaluation import EvalSetError, evaluate, load_set, render

    try:
        signals = load_set(args.set_path)
    except EvalSetError as exc:
        print(f"signalgraph: {exc}", file=sys.stderr)
        return 2
    if args.extractor == "llm" and settings.llm_base_url is None:
        print("signalgraph: --extractor llm needs SIGNALGRAPH_LLM_BASE_URL and SIGNALGRAPH_LLM_MODEL", file=sys.stderr)
        return 2
    extractor = LLMExtractor(settings) if args.extractor == "llm" else LocalExtractor()
    report = asyncio.run(evaluate(extractor, signals))
    if args.json:
        sys.stdout.write(orjson.dumps(report.as_json(), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())


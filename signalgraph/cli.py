"""The `signalgraph` command: serve | worker | keys | db | schema | eval."""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import sys
from dataclasses import fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError

from . import __version__, auth, logs
from .scopes import ALL_SCOPES, parse_scopes
from .settings import Settings, SettingsError
from .storage.engine import Database, describe_database, sqlite_path
from .storage.migrate import head_revision, upgrade
from .storage.models.base import utcnow
from .storage.repositories import workspaces as workspaces_repo

FIRST_WORKSPACE = "default"
DEFAULT_EVAL_SET = Path(__file__).resolve().parent.parent / "eval" / "set"


# What a command does with the database: NEEDS one that exists (an SQLite file that is missing is an error,
# never a new empty database), or CREATES it (an SQLite file is created and migrated).
NEEDS, CREATES = "needs", "creates"

# What each command reads of the settings (Settings fields), listed by its --help.
ALL_SETTINGS = tuple(f.name for f in fields(Settings))
HTTP_ONLY_SETTINGS = ("host", "port", "cors_origins")  # read by `serve` alone
DATABASE_SETTINGS = ("database_url", "log_level", "log_format")
LLM_SETTINGS = tuple(name for name in ALL_SETTINGS if name.startswith("llm_")) + ("log_level",)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"signalgraph: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings)
    try:
        # The embedded database migrates itself, but for `serve` and `db upgrade` (they migrate in their own
        # time) and `backup` and `restore` (they copy it as it is).
        # `serve` names its database in its start-up log line (in the configured log format).
        migrate = args.handler not in (_serve, _db_upgrade, _backup, _restore)
        announce = args.handler is not _serve
        if args.database is not None and not _open_database(settings, args.database, migrate=migrate,
                                                            announce=announce):
            return 1
        return args.handler(settings, args)
    except KeyboardInterrupt:
        return 130
    except (DBAPIError, ConnectionError, socket.gaierror, TimeoutError) as exc:
        reason = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip().splitlines()[0]
        print(f"signalgraph: database error on {describe_database(settings.database_url)}: {reason}; is it "
              "reachable, and migrated with 'signalgraph db upgrade'?", file=sys.stderr)
        return 1


def _open_database(settings: Settings, mode: str, *, migrate: bool, announce: bool = True) -> bool:
    """Say which database the command uses; refuse (False, with a line on stderr) a missing SQLite file unless
    the command creates one. An SQLite database is migrated with `migrate`: the embedded one keeps itself up."""
    if announce:
        print(f"database: {describe_database(settings.database_url)}", file=sys.stderr)
    path = sqlite_path(settings.database_url)
    if path is None:
        return True
    if mode == NEEDS and not path.exists():
        print(f"signalgraph: no database at {path}; set SIGNALGRAPH_DATABASE_URL to its absolute path "
              "(sqlite+aiosqlite:////path/to/signalgraph.db), or create one with 'signalgraph db upgrade'",
              file=sys.stderr)
        return False
    if migrate:
        upgrade(settings.database_url)
    return True


def _settings_help(names: tuple[str, ...]) -> str:
    """The settings a command reads, with their defaults, for the end of its --help."""
    defaults = {f.name: f.default for f in fields(Settings)}
    chosen = [name for name in names if name in defaults]
    if not chosen:
        return "It reads no settings."
    lines = ["settings (environment variables; a bad value stops the command with a one-line error):"]
    for name in chosen:
        default = defaults[name]
        shown = "unset" if default in (None, ()) else str(default)
        lines.append(f"  SIGNALGRAPH_{name.upper():<30} default: {shown}")
    return "\n".join(lines)


def _command(
    group: Any, name: str, help: str, *, reads: tuple[str, ...], handler: Any = None, database: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with the settings it reads."""
    parser = group.add_parser(
        name, help=help, description=help, epilog=_settings_help(reads),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler, database=database)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="signalgraph", description="Self-hostable product-discovery backend.",
        epilog=_settings_help(ALL_SETTINGS) + "\nEach command's --help lists the ones it reads.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"signalgraph {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = _command(commands, "serve", "serve GraphQL and the REST API over HTTP", reads=ALL_SETTINGS,
                     handler=_serve, database=CREATES)
    serve.add_argument("--host", help="interface to bind (default: SIGNALGRAPH_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: SIGNALGRAPH_PORT or 8000; 0: any free port)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development)")

    worker_settings = tuple(name for name in ALL_SETTINGS if name not in HTTP_ONLY_SETTINGS)
    worker = _command(commands, "worker", "run jobs from Redis (needs SIGNALGRAPH_REDIS_URL)",
                      reads=worker_settings, handler=_worker)
    worker.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    worker.add_argument("--metrics-port", type=int, metavar="PORT",
                        help="serve Prometheus metrics at http://HOST:PORT/metrics (default: none)")
    worker.add_argument("--metrics-host", default="127.0.0.1", metavar="HOST",
                        help="interface for --metrics-port (default: 127.0.0.1; elsewhere needs "
                             "SIGNALGRAPH_METRICS_TOKEN)")

    keys = _command(commands, "keys", "manage API keys", reads=DATABASE_SETTINGS).add_subparsers(
        dest="keys_command", required=True
    )
    create = _command(keys, "create", "create a key (and its workspace if new); prints the key alone",
                      reads=DATABASE_SETTINGS, handler=_keys_create, database=CREATES)
    create.add_argument("--workspace", required=True, help="workspace name")
    create.add_argument("--name", default="cli", help="a label for the key")
    create.add_argument(
        "--scope", action="append", default=[], metavar="SCOPE", help="repeat for each scope; none means all scopes"
    )
    create.add_argument("--expires-in", type=duration, metavar="DURATION",
                        help="the key is refused after this long: 90d, 12h, 30m, 2w (default: never)")
    listing = _command(keys, "list", "list keys (prefixes, never secrets)", reads=DATABASE_SETTINGS,
                       handler=_keys_list, database=NEEDS)
    listing.add_argument("--workspace", help="only this workspace")
    revoke = _command(keys, "revoke", "revoke a key by its prefix", reads=DATABASE_SETTINGS,
                      handler=_keys_revoke, database=NEEDS)
    revoke.add_argument("prefix")
    rotate = _command(keys, "rotate", "replace a key: a new one (printed alone) with the same workspace, name and "
                      "scopes", reads=DATABASE_SETTINGS, handler=_keys_rotate, database=NEEDS)
    rotate.add_argument("prefix")
    rotate.add_argument("--grace", type=duration, metavar="DURATION",
                        help="the old key keeps working this long (1h, 7d); default: revoked at once")
    rotate.add_argument("--expires-in", type=duration, metavar="DURATION",
                        help="the new key's lifetime (default: the old key's, or never)")

    db = _command(commands, "db", "database maintenance", reads=DATABASE_SETTINGS).add_subparsers(
        dest="db_command", required=True
    )
    _command(db, "upgrade", "apply migrations, printing each one applied", reads=DATABASE_SETTINGS,
             handler=_db_upgrade, database=CREATES)

    backup = _command(commands, "backup", "copy the SQLite database to PATH while the server runs (SQLite's online "
                      "backup API; PostgreSQL: pg_dump)", reads=DATABASE_SETTINGS, handler=_backup, database=NEEDS)
    backup.add_argument("path", type=Path, help="the file to write")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    restore = _command(commands, "restore", "put a backup made by 'signalgraph backup' back as the SQLite database; "
                       "stop the server first", reads=DATABASE_SETTINGS, handler=_restore, database=CREATES)
    restore.add_argument("path", type=Path, help="the backup file")
    restore.add_argument("--force", action="store_true", help="replace the database if it exists")

    _command(commands, "schema", "print the GraphQL schema (SDL), as committed in schema.graphql", reads=(),
             handler=_schema)

    evaluation = _command(commands, "eval", "score an extractor on a labelled set of signals", reads=LLM_SETTINGS,
                          handler=_eval)
    evaluation.add_argument(
        "--extractor", choices=("local", "llm"), default="local",
        help="local rules (default), or the LLM configured by SIGNALGRAPH_LLM_*",
    )
    evaluation.add_argument(
        "--set", dest="set_path", type=Path, default=DEFAULT_EVAL_SET,
        help="a .toml set or a directory of them (default: the repository's eval/set)",
    )
    evaluation.add_argument("--json", action="store_true", help="print the report as JSON")
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

    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    # The port is taken before anything else happens: a busy one must not cost the first key.
    try:
        sock = _listen(host, port)
    except OSError as exc:
        print(f"signalgraph: cannot listen on {host}:{port}: {exc.strerror or exc}; choose another port with "
              "--port or SIGNALGRAPH_PORT", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    if settings.is_sqlite:
        upgrade(settings.database_url)  # the embedded database creates and migrates itself
        first_key = asyncio.run(_first_key(settings))
        if first_key:
            print(f"First API key (all scopes, workspace {FIRST_WORKSPACE!r}); it is shown only once:")
            print(first_key, flush=True)
    # The factory re-reads settings in the server process; pass the CLI's choices through the environment.
    os.environ["SIGNALGRAPH_HOST"], os.environ["SIGNALGRAPH_PORT"] = host, str(port)
    print(f"Signalgraph on http://{host}:{port} — GraphiQL at http://{host}:{port}/graphql", flush=True)
    # Uvicorn logs in our format (also in a reloaded child); the app writes the access lines itself.
    config = uvicorn.Config("signalgraph.app:create_app", factory=True, host=host, port=port, reload=args.reload,
                            log_level=settings.log_level.lower(), log_config=logs.config(settings), access_log=False)
    server = uvicorn.Server(config)
    _freeze_imports()
    if config.should_reload:
        from uvicorn.supervisors import ChangeReload

        ChangeReload(config, target=server.run, sockets=[sock]).run()
        return 0
    server.run(sockets=[sock])
    return 0 if server.started else 1


def _freeze_imports() -> None:
    """Hide what importing the app made (the libraries and the schema: some 200,000 objects that live as long
    as the process) from the garbage collector: a full collection, which a large answer's allocations set
    off, no longer walks them all (bench/README.md "Garbage collection")."""
    import gc

    from . import app  # noqa: F401 -- the factory's module, imported here so that it is frozen with the rest

    gc.collect()
    gc.freeze()


def _listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound as uvicorn binds it (it listens once the app has started)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    if settings.redis_url is None:
        print("signalgraph: the worker needs SIGNALGRAPH_REDIS_URL; without it, `serve` runs jobs itself",
              file=sys.stderr)
        return 2
    if not _open_database(settings, NEEDS, migrate=True):  # after the check above: Redis is the first need
        return 1
    from .jobs.worker import run_worker

    run_worker(settings, burst=args.burst, metrics_port=args.metrics_port, metrics_host=args.metrics_host)
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
    for revision in upgrade(settings.database_url):
        print(f"applied {revision}")
    print(f"database is at revision {head_revision(settings.database_url)} (the latest)")
    return 0


def _sqlite_file(settings: Settings, command: str) -> Path | None:
    path = sqlite_path(settings.database_url)
    if path is None:
        print(f"signalgraph: {command} works on the embedded SQLite database; on PostgreSQL use pg_dump and "
              "pg_restore (see README, Backups)", file=sys.stderr)
    return path


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from .storage.backup import BackupError, backup

    if (database := _sqlite_file(settings, "backup")) is None:
        return 2
    try:
        copied = backup(database, args.path, overwrite=args.force)
    except (BackupError, OSError) as exc:
        print(f"signalgraph: backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"backed up {copied.source} to {copied.target.resolve()} ({copied.size} bytes, revision "
          f"{copied.revision}, integrity ok)")
    return 0


def _restore(settings: Settings, args: argparse.Namespace) -> int:
    from .storage.backup import BackupError, restore

    if (database := _sqlite_file(settings, "restore")) is None:
        return 2
    try:
        copied = restore(args.path, database, overwrite=args.force)
    except (BackupError, OSError) as exc:
        print(f"signalgraph: restore failed: {exc}", file=sys.stderr)
        return 1
    print(f"restored {copied.source.resolve()} to {copied.target} (revision {copied.revision}); "
          "'signalgraph serve' migrates it if it is older")
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


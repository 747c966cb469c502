"""Backups of the embedded SQLite database, with SQLite's online backup API (`signalgraph backup|restore`).

A backup copies the pages of one read transaction: in WAL mode the server's writers go on meanwhile, and
the copy holds exactly what was committed when it began (a plain file copy can miss what is still in the
`-wal` file, or tear a page). The copy is a single self-contained file (rollback journal, no `-wal`), checked
with `PRAGMA integrity_check` before it is moved into place. PostgreSQL is backed up with its own tools
(`pg_dump`/`pg_restore`; see the README).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the operator."""


@dataclass(frozen=True)
class Copied:
    source: Path
    target: Path
    size: int
    revision: str | None  # the migration revision the copy is at


@contextlib.contextmanager
def _connect(path: Path, *, readonly: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"{path.as_uri()}?mode=ro" if readonly else path.as_uri()
    connection = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()


def _checked(path: Path) -> str | None:
    """The revision of a sound Signalgraph database at `path`; BackupError for anything else."""
    try:
        with _connect(path, readonly=True) as db:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(f"{path} fails PRAGMA integrity_check: {problems[0]}")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in tables:
                raise BackupError(f"{path} is not a Signalgraph database (it has no alembic_version table)")
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database ({exc})") from None
    return row[0] if row else None


def _copy_into_place(source: sqlite3.Connection, target: Path, *, replaces: tuple[Path, ...] = ()) -> None:
    """Copy `source` through the backup API into a new file beside `target`, check it, and move it into place
    (after removing `replaces`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, scratch_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    scratch = Path(scratch_name)
    try:
        with _connect(scratch) as copy:
            source.backup(copy)  # all pages in one step: one read transaction, one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # a single file, whatever the source's mode
        _checked(scratch)
        for old in replaces:
            old.unlink(missing_ok=True)
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)


def backup(database: Path, target: Path, *, overwrite: bool = False) -> Copied:
    """A consistent copy of the live `database` at `target`, while the server runs."""
    if not database.exists():
        raise BackupError(f"no database at {database}")
    if target.resolve() == database:
        raise BackupError("the backup must go to another file than the database itself")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; choose a new name, or --force to replace it")
    with _connect(database) as source:  # read-write: a read-only connection to a WAL database may fail
        _copy_into_place(source, target)
    return Copied(database, target, target.stat().st_size, _checked(target))


def restore(backup_file: Path, database: Path, *, overwrite: bool = False) -> Copied:
    """Put a backup back as `database` (the server stopped). The backup is checked first; the database file
    is replaced whole, and its `-wal`/`-shm` files, which belong to the old one, are removed first."""
    if not backup_file.exists():
        raise BackupError(f"no backup at {backup_file}")
    if backup_file.resolve() == database:
        raise BackupError("the backup is the database itself")
    revision = _checked(backup_file)
    if database.exists() and not overwrite:
        raise BackupError(f"{database} exists; stop the server, then restore with --force to replace it")
    with _connect(backup_file, readonly=True) as source:
        _copy_into_place(source, database, replaces=(Path(f"{database}-wal"), Path(f"{database}-shm")))
    return Copied(backup_file, database, database.stat().st_size, revision)

"""Backups of the live database: SQLite through its online backup API, PostgreSQL through
`pg_dump`/`pg_restore` (custom format). Both run while the service writes.

A backup holds every transaction committed before it started (SQLite copies a consistent snapshot;
pg_dump reads one snapshot). Errors: `BackupError` (a ValueError), one line an operator can
act on.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL

from hub_scheduler.errors import HubSchedulerError
from models.db import normalize_url


class BackupError(HubSchedulerError, ValueError):
    """The backup or restore could not be made; the message says why."""


def backup(url: str | URL, target: str | os.PathLike[str]) -> Path:
    """Write a backup of the database at `url` to the file `target` (refused if it exists)."""
    parsed = normalize_url(url)
    path = Path(target).resolve()
    if path.exists():
        raise BackupError(f"{path} exists; choose a new file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_file(parsed), path)
    else:
        _pg(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"], parsed)
    return path


def restore(url: str | URL, source: str | os.PathLike[str]) -> None:
    """Replace the database at `url` with the backup in `source` (made by `backup`)."""
    parsed = normalize_url(url)
    path = Path(source).resolve()
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_backup(path)
        _sqlite_copy(path, _sqlite_file(parsed))
    else:
        _pg(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
            parsed,
        )


def _sqlite_file(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database).resolve()


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy page by page with SQLite's online backup API: readers and writers may go on."""
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


def _check_sqlite_backup(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a hub-scheduler SQLite backup: {exc}") from None


def _pg(argv: list[str], url: URL) -> None:
    """Run a PostgreSQL client tool on `url`: password via PGPASSWORD (never on the command line),
    and only the schema named by a `search_path` option when the URL has one."""
    if shutil.which(argv[0]) is None:
        raise BackupError(f"{argv[0]} not found: install the PostgreSQL client (postgresql-client)")
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    query = dict(url.query)
    options = query.pop("options", "")
    schema = _search_path(options if isinstance(options, str) else " ".join(options))
    plain = url.set(drivername="postgresql", password=None, query=query)
    if schema and argv[0] == "pg_dump":
        argv = [*argv, f"--schema={schema}"]
    argv = [*argv, f"--dbname={plain.render_as_string(hide_password=False)}"]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{argv[0]} failed: {last}")


def _search_path(options: str) -> str | None:
    for option in options.split():
        if option.startswith("-csearch_path="):
            return option.split("=", 1)[1]
    return None

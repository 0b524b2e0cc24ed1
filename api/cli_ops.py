"""Operations commands: `info` (what this install uses), `backup FILE` and `restore FILE`."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

import click

from api.cli_support import CliError, fail_cleanly, safe_url


@click.command()
@fail_cleanly
def info() -> None:
    """Print version, instance folder, database (no password), schema revision and queue."""
    from models.db import database_url
    from models.instance import instance_path
    from models.migrate import current, head

    url = database_url()
    try:
        package_version = version("hub-scheduler")
    except PackageNotFoundError:  # run from a checkout that was never installed
        package_version = "unknown (not installed)"
    try:
        revision = (
            None if _missing_sqlite_file(url) else current(url)
        ) or "none (run: hub-scheduler db upgrade)"
    except Exception as exc:  # unreachable database: still print the rest
        revision = f"unreachable ({str(getattr(exc, 'orig', None) or exc).splitlines()[0]})"
    newest = head()
    redis_url = os.environ.get("REDIS_URL", "").strip()
    rows = [
        ("version", package_version),
        ("instance", str(instance_path())),
        ("database", safe_url(url)),
        ("schema", f"{revision} (head {newest}{', up to date' if revision == newest else ''})"),
        ("queue", safe_url(redis_url) if redis_url else "in-process"),
    ]
    for name, value in rows:
        click.echo(f"{name + ':':<10} {value}")


def _missing_sqlite_file(url: str) -> bool:
    """A SQLite database whose file is not there yet: connecting would create it, empty."""
    from pathlib import Path

    from models.db import normalize_url

    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    name = parsed.database or ""
    return name not in ("", ":memory:") and not name.startswith("file:") and not Path(name).exists()


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@fail_cleanly
def backup(file: str) -> None:
    """Back up the live database to FILE (SQLite online backup, or pg_dump custom format)."""
    from api.backup import backup as make_backup
    from models.db import database_url

    url = database_url()
    click.echo(f"backed up {safe_url(url)} to {make_backup(url, file)}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@fail_cleanly
def restore(file: str, yes: bool) -> None:
    """Replace the database with the backup in FILE (stop the service first)."""
    from api.backup import restore as restore_backup
    from models.db import database_url

    url = database_url()
    if not yes and not click.confirm(f"replace every row of {safe_url(url)} with {file}?"):
        raise CliError("nothing restored")
    restore_backup(url, file)
    click.echo(f"restored {safe_url(url)} from {file}; next: hub-scheduler db upgrade")


def register(group: click.Group) -> None:
    """Add the operations commands to the `hub-scheduler` group."""
    for command in (info, backup, restore):
        group.add_command(command)

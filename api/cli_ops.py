"""Operations commands: `info` (what this install uses), `backup FILE` and `restore FILE`."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

import click

from api.cli_support import CliError, fail_cleanly, safe_url
from api.cli_words import SaidCommand, say, width


@click.command(cls=SaidCommand)
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
        package_version = say("unknown (not installed)")
    try:
        revision = (None if _missing_sqlite_file(url) else current(url)) or say(
            "none (run: hub-scheduler db upgrade)"
        )
    except Exception as exc:  # unreachable database: still print the rest
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        revision = say("unreachable ({reason})", reason=reason)
    newest = head()
    redis_url = os.environ.get("REDIS_URL", "").strip()
    schema = (
        say("{revision} (head {head}, up to date)", revision=revision, head=newest)
        if revision == newest
        else say("{revision} (head {head})", revision=revision, head=newest)
    )
    rows = [
        (say("version:"), package_version),
        (say("instance:"), str(instance_path())),
        (say("database:"), safe_url(url)),
        (say("schema:"), schema),
        (say("queue:"), safe_url(redis_url) if redis_url else say("in-process")),
    ]
    column = max(10, *(width(name) for name, _ in rows)) + 1  # English: as it always was
    for name, value in rows:
        click.echo(f"{name}{' ' * (column - width(name))}{value}")


def _missing_sqlite_file(url: str) -> bool:
    """A SQLite database whose file is not there yet: connecting would create it, empty."""
    from pathlib import Path

    from models.db import normalize_url

    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    name = parsed.database or ""
    return name not in ("", ":memory:") and not name.startswith("file:") and not Path(name).exists()


@click.command(cls=SaidCommand)
@click.argument("file", type=click.Path(dir_okay=False))
@fail_cleanly
def backup(file: str) -> None:
    """Back up the live database to FILE (SQLite online backup, or pg_dump custom format)."""
    from api.backup import backup as make_backup
    from models.db import database_url

    url = database_url()
    click.echo(say("backed up {url} to {file}", url=safe_url(url), file=make_backup(url, file)))


@click.command(cls=SaidCommand)
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@fail_cleanly
def restore(file: str, yes: bool) -> None:
    """Replace the database with the backup in FILE (stop the service first)."""
    from api.backup import restore as restore_backup
    from models.db import database_url

    url = database_url()
    question = say("replace every row of {url} with {file}?", url=safe_url(url), file=file)
    if not yes and not click.confirm(question):
        raise CliError(say("nothing restored"))
    restore_backup(url, file)
    said = say(
        "restored {url} from {file}; next: hub-scheduler db upgrade", url=safe_url(url), file=file
    )
    click.echo(said)


def register(group: click.Group) -> None:
    """Add the operations commands to the `hub-scheduler` group."""
    for command in (info, backup, restore):
        group.add_command(command)

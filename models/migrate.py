"""Alembic driven from code: `upgrade(url)` to head and `current(url)`, from any working directory.

The migrations live in `models/migrations/` next to this file (package data), so no alembic.ini is
needed. Developers make a new revision with `python -m models.migrate revision -m "what changed"`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL

from hub_scheduler.errors import Conflict
from models.db import database_url, make_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works: it keeps two processes from migrating one PostgreSQL database at once.
_PG_LOCK_KEY = 0x4855425343  # "HUBSC"


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic config pointing at our migrations (and at `url` when given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def head() -> str:
    """The newest revision the code knows."""
    head_revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head_revision is not None, "no migrations found"
    return head_revision


def upgrade(url: str | URL | None = None, revision: str = "head") -> None:
    """Migrate the database at `url` (default: `database_url()`) up to `revision`.

    A database at a revision this code does not know (migrated by newer code) is a Conflict.
    """
    engine = make_engine(url or database_url())
    try:
        with _migrating(engine) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY}
                )
            config = alembic_config()
            config.attributes["connection"] = connection
            try:
                command.upgrade(config, revision)
            except CommandError as exc:  # e.g. a database migrated by newer code
                raise Conflict(f"cannot migrate the database: {exc}") from None
    finally:
        engine.dispose()


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for the migrations; on SQLite with foreign keys off while it runs.

    Alembic's batch mode (SQLite cannot ALTER most things) copies a table and drops the old one;
    with foreign keys on, the drop deletes every `ON DELETE CASCADE` child row (0011 emptied
    `plan_assignments` and `plan_unscheduled` that way). Alembic's documentation asks for foreign
    keys off around batch migrations; `PRAGMA foreign_keys` only changes outside a transaction,
    and `PRAGMA foreign_key_check` proves nothing was left dangling before the commit.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise Conflict(
                            f"the migration left rows without their parent: {broken[:5]}"
                        )
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def downgrade(url: str | URL, revision: str) -> None:
    """Migrate the database at `url` down to `revision` ("base" empties it)."""
    engine = make_engine(url)
    try:
        with _migrating(engine) as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def current(url: str | URL | None = None) -> str | None:
    """The revision the database at `url` is at, or None when it was never migrated."""
    engine = make_engine(url or database_url())
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def is_current(url: str | URL | None = None) -> bool:
    """True when the database is at the newest revision."""
    return current(url) == head()


def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m models.migrate")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="migrate DATABASE_URL to head")
    sub.add_parser("current", help="print the database's revision")
    new = sub.add_parser("revision", help="autogenerate a revision against DATABASE_URL at head")
    new.add_argument("-m", "--message", required=True)
    args = parser.parse_args()
    url = database_url()
    if args.command == "upgrade":
        upgrade(url)
    elif args.command == "current":
        print(current(url))
    else:
        command.revision(alembic_config(url), message=args.message, autogenerate=True)


if __name__ == "__main__":
    _main()

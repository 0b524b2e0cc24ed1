"""Where the database is and how to connect: the URL, the engine and the session factory.

SQLite is the default (a file under the instance folder, no set-up); PostgreSQL when `DATABASE_URL`
names one. Nothing here runs at import time: callers build one engine per process.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

# DATABASE_FILE and instance_path are re-exported: callers import them from here.
from models.instance import DATABASE_FILE, default_database_url, instance_path  # noqa: F401

# Drivers SQLAlchemy would otherwise pick (or not know) for a bare PostgreSQL URL.
_POSTGRES_ALIASES = {"postgres", "postgresql", "postgresql+psycopg2", "postgres+psycopg"}


def database_url() -> str:
    """`DATABASE_URL` when set, else the SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    return default_database_url()


def normalize_url(url: str | URL) -> URL:
    """Parse `url`; a bare `postgresql://` (or `postgres://`) uses the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in _POSTGRES_ALIASES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for `url`: SQLite with foreign keys and WAL, PostgreSQL with pre-ping."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **kwargs)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def _sqlite_engine(url: URL, **kwargs: Any) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    if url.database is not None and not in_memory:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = kwargs.pop("connect_args", {})
    # Several gunicorn workers and the job thread write to one file: wait for a lock, don't fail.
    connect_args.setdefault("timeout", 30)
    engine = create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            if not in_memory:
                # WAL lets readers go on while one writer commits.
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (we hand out domain copies anyway), and
    that keep the read cache's generation current when they write (`models.read_cache`)."""
    from models.read_cache import watch

    return watch(sessionmaker(bind=engine, expire_on_commit=False))

"""The database as a Flask extension: created unbound, bound by init_app, engine made on first use.

The engine is built lazily (per process, so each gunicorn worker has its own pool) and `uow()` gives
a fresh unit of work for one request or one job.

Inside a request every unit of work carries the request's view of the process's read cache
(`models.read_cache`: tokens, enterprises, the site's settings, checked against the generation
once per request, so a change committed by any process holds on the next request); outside a
request (CLI, jobs) nothing is cached.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, current_app, g, has_request_context

EXTENSION = "hub_scheduler_db"
SNAPSHOT = "hub_scheduler_read_cache"  # flask.g: the request's models.read_cache.Snapshot


class _State:
    def __init__(self, url: str):
        self.url = url
        self.engine: Any = None
        self.session_factory: Any = None
        self.read_session_factory: Any = None
        self.read_cache: Any = None
        self.lock = threading.Lock()

    def ensure(self) -> None:
        if self.session_factory is not None:
            return
        with self.lock:
            if self.session_factory is None:
                from models.db import make_engine, make_session_factory
                from models.read_cache import ReadCache

                self.engine = make_engine(self.url)
                self.read_cache = ReadCache(self.engine)
                # Same pool; each statement commits by itself, so a lone SELECT needs no
                # BEGIN and ROLLBACK round trips (two of the dozen a submission made on PostgreSQL).
                self.read_session_factory = make_session_factory(
                    self.engine.execution_options(isolation_level="AUTOCOMMIT")
                )
                self.session_factory = make_session_factory(self.engine)


class Database:
    """`db.uow()` inside a request or an app context gives a unit of work on the app's database."""

    def __init__(self, app: Flask | None = None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        url = app.config.get("DATABASE_URL")
        if not url:
            from models.instance import default_database_url

            url = default_database_url(app.config.get("HUB_SCHEDULER_INSTANCE"))
            app.config["DATABASE_URL"] = url
        app.extensions[EXTENSION] = _State(url)

    def _state(self, app: Flask | None = None) -> _State:
        state: _State = (app or current_app).extensions[EXTENSION]
        state.ensure()
        return state

    def engine(self, app: Flask | None = None) -> Any:
        return self._state(app).engine

    def uow(self, app: Flask | None = None) -> Any:
        from api.figures import on_stale_figures
        from models.uow import SqlUnitOfWork

        # A commit that wrote webhook deliveries wakes the sender (api/notify.py); one that
        # edited plans' rows has their figures counted again (api/figures.py).
        found = app or current_app
        notifier = found.extensions.get("hub_scheduler_notify")
        return SqlUnitOfWork(
            self._state(app).session_factory,
            zone=_zone_setting(app),
            on_outbox=notifier.kick if notifier is not None else None,
            cache=self.snapshot(app),
            on_stale_figures=on_stale_figures(found),
        )

    def read_uow(self, app: Flask | None = None) -> Any:
        """A unit of work for one lone read (each statement sees the latest commit); never write
        with it: there is no transaction to roll back."""
        from models.uow import SqlUnitOfWork

        return SqlUnitOfWork(
            self._state(app).read_session_factory, zone=_zone_setting(app), cache=self.snapshot(app)
        )

    def snapshot(self, app: Flask | None = None) -> Any:
        """The request's view of the read cache (one per request, its generation read on first
        use); None outside a request or for another app than the request's."""
        if not has_request_context() or (app is not None and app is not current_app):
            return None
        found = g.get(SNAPSHOT)
        if found is None:
            found = g.setdefault(SNAPSHOT, self._state(app).read_cache.snapshot())
        return found

    def ping(self, app: Flask | None = None) -> None:
        """Raise when the database does not answer a trivial query."""
        from sqlalchemy import text

        with self.engine(app).connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self, app: Flask | None = None) -> None:
        state: _State = (app or current_app).extensions[EXTENSION]
        if state.engine is not None:
            state.engine.dispose()


db = Database()


def _zone_setting(app: Flask | None) -> str | None:
    """HUB_SCHEDULER_TIMEZONE, carried by every unit of work so that each service reading the
    site (`services.site.read_site`) sees the override, not only the responses: a day filter
    or an audit time in another zone than the one shown was a bug."""
    from api.settings import EXTENSION as SETTINGS

    found = (app or current_app).extensions.get(SETTINGS)
    return found.HUB_SCHEDULER_TIMEZONE if found is not None else None

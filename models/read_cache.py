"""A per-process cache of the rows every request reads, invalidated across processes at once.

Every submission used to read its token, its enterprise and the site's settings again (three of
its six statements). Those rows change seldom, so each process keeps them, and a *generation*
says whether they are still current: a random value in `site_config` (key `cache_generation`)
that every transaction writing a watched table replaces, in that same transaction (the session
events below, on every session `models.db.make_session_factory` makes: the API, the CLI, the
queue workers). A request reads the generation once (one primary-key look-up, `Snapshot`) and
uses its process's cached rows only when the generation is the one they were read under; after
any change committed anywhere (another gunicorn worker, another machine, the CLI) the next
request reads the new generation and reads the rows again. A revoked token is refused on the
very next request, as before; expiry is checked on every use (the row carries `expires_at`).

Watched (what is cached): `api_tokens` (by hash), `enterprises` (by id) and the `site_config`
keys in `CACHED_CONFIG_KEYS` (the seeded scenario's header: time zone, screening policy).
Idempotency records also live in `site_config` but are never cached and do not change the
generation. Writes that bypass the ORM session (raw SQL on an engine connection,
a restore into a live database) do not change it: restart the server after them
(docs/deploy.md says so for a restore). With no generation row yet (a database nothing was ever
written to through a session) nothing is cached.

A session that has written a watched table reads through to the database for the rest of its
transaction (it must see its own changes), and its commit empties its process's cache.
"""

from __future__ import annotations

import marshal
import sqlite3
import threading
import uuid
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, event, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from models.tables import ApiTokenRow, ConfigRow, EnterpriseRow

GENERATION_KEY = "cache_generation"
CACHED_CONFIG_KEYS = frozenset({"scenario"})
WATCHED_TABLES = frozenset({ApiTokenRow.__tablename__, EnterpriseRow.__tablename__})
SNAPSHOT = "read_cache_snapshot"  # session.info: the request's Snapshot (None: no caching)
_WROTE = "read_cache_wrote"  # session.info: this transaction changed a watched table
_BUMPED = "read_cache_bumped"  # session.info: ... and replaced the generation already

_config = ConfigRow.__table__.c
_GENERATION = select(_config.value).where(_config.key == GENERATION_KEY)
_MISSING = object()


class ReadCache:
    """One process's cached rows for one database, and the generation they were read under."""

    def __init__(self, engine: Engine):
        # Autocommit: the one SELECT needs no BEGIN and ROLLBACK round trips (PostgreSQL).
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self.raw_engine = engine
        # SQLite: the driver's own cursor on a pooled connection. The statement is compiled
        # once; pysqlite opens no transaction for a SELECT, so no autocommit switch is needed:
        # about 20 us a request instead of about 240 (the switch on checkout and check-in).
        self.raw_sql: tuple[str, Any] | None = None
        if engine.dialect.name == "sqlite":
            compiled = _GENERATION.compile(dialect=engine.dialect)
            params = compiled.construct_params()
            positions = compiled.positiontup or []
            self.raw_sql = (str(compiled), tuple(params[name] for name in positions))
        self.generation: Any = None
        self.entries: dict[Any, Any] = {}
        self.lock = threading.Lock()

    def read_generation(self) -> Any:
        """The current generation (one primary-key SELECT), or None when there is none yet."""
        if self.raw_sql is None:
            with self.engine.connect() as connection:
                return connection.execute(_GENERATION).scalar_one_or_none()
        sql, params = self.raw_sql
        try:
            raw = self.raw_engine.raw_connection()
            try:
                cursor = raw.cursor()
                try:
                    cursor.execute(sql, params)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            finally:
                raw.close()  # back to the pool (its reset is a no-op: no transaction was opened)
        except sqlite3.Error as exc:
            # The driver's own error, past SQLAlchemy: wrapped as SQLAlchemy wraps it, so a
            # database that cannot be opened is a 503 with Retry-After (api/errors.py), not a 500.
            raise OperationalError(sql, params, exc) from exc
        return row[0] if row is not None else None

    def snapshot(self) -> Snapshot:
        """A view for one request; the generation is read on its first use, not before."""
        return Snapshot(self)

    def refresh(self) -> dict[Any, Any] | None:
        """Read the generation (one SELECT); the entries valid under it, or None: no caching."""
        generation = self.read_generation()
        if generation is None:
            return None
        with self.lock:
            if generation != self.generation:
                self.generation, self.entries = generation, {}
            return self.entries

    def clear(self) -> None:
        """Forget everything (this process committed a change to a watched table)."""
        with self.lock:
            self.generation, self.entries = None, {}


class Snapshot:
    """The cache as one request sees it: `get(key, load)` answers from the entries valid at the
    request's generation read, or loads (and keeps) the row."""

    def __init__(self, cache: ReadCache):
        self.cache = cache
        self._entries: dict[Any, Any] | None | object = _MISSING

    def entries(self) -> dict[Any, Any] | None:
        if self._entries is _MISSING:
            self._entries = self.cache.refresh()
        return self._entries  # type: ignore[return-value]

    def peek(self, key: Any) -> Any:
        """The cached value valid at this request's generation, or None (nothing is loaded)."""
        entries = self.entries()
        return None if entries is None else entries.get(key)

    def get(self, key: Any, load: Callable[[], Any]) -> Any:
        entries = self.entries()
        if entries is None:
            return load()
        found = entries.get(key, _MISSING)
        if found is _MISSING:
            found = load()
            if found is not None:  # an unknown token or enterprise is asked again next time
                entries[key] = found
        return found


def cached(session: Session, key: Any, load: Callable[[], Any], *, json_copy: bool = False) -> Any:
    """`load()` through the request's snapshot when the session carries one and has not changed
    a watched table itself. `json_copy`: the value is made of JSON types (a stored JSON column)
    and each caller gets its own copy, which may change it: kept marshalled, one C call per use
    (a tenth of `copy.deepcopy`'s time on the scenario header)."""
    snapshot: Snapshot | None = session.info.get(SNAPSHOT)
    if snapshot is None or session.info.get(_WROTE):
        return load()
    if not json_copy:
        return snapshot.get(key, load)
    return marshal.loads(snapshot.get(key, lambda: marshal.dumps(load())))


def _watched_object(obj: Any) -> bool:
    if isinstance(obj, ConfigRow):
        return obj.key in CACHED_CONFIG_KEYS
    return getattr(obj, "__tablename__", None) in WATCHED_TABLES


def _bump(session: Session, connection: Connection) -> None:
    """Replace the generation in the session's transaction (an upsert: the first write makes it)."""
    session.info[_WROTE] = True
    if session.info.get(_BUMPED):
        return
    value = uuid.uuid4().hex
    # The two databases the service supports (models.db) both have INSERT ... ON CONFLICT.
    insert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = insert(cast(Table, ConfigRow.__table__)).values(key=GENERATION_KEY, value=value)
    connection.execute(
        statement.on_conflict_do_update(index_elements=["key"], set_={"value": value})
    )
    session.info[_BUMPED] = True


def _after_flush(session: Session, _context: Any) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(_watched_object(obj) for obj in changed):
        _bump(session, session.connection())


def _do_orm_execute(state: ORMExecuteState) -> None:
    """A bulk INSERT/UPDATE/DELETE on a watched table through the session (not a flush)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in WATCHED_TABLES or (name == ConfigRow.__tablename__ and _touches_cached_key(state)):
        _bump(state.session, state.session.connection())


def _touches_cached_key(state: ORMExecuteState) -> bool:
    """A bulk statement on site_config: only the cached keys count (idempotency records do
    not); when the key cannot be told from the parameters, assume it does."""
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    keys = [row.get("key") for row in rows if isinstance(row, dict)]
    if not keys or any(k is None for k in keys):
        return True
    return any(k in CACHED_CONFIG_KEYS for k in keys)


def _after_commit(session: Session) -> None:
    wrote = session.info.pop(_WROTE, False)
    session.info.pop(_BUMPED, None)
    snapshot: Snapshot | None = session.info.get(SNAPSHOT)
    if wrote and snapshot is not None:
        snapshot.cache.clear()


def _after_rollback(session: Session) -> None:
    session.info.pop(_WROTE, None)
    session.info.pop(_BUMPED, None)


def watch(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Make every session of `factory` replace the generation when it writes a watched table."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _do_orm_execute)
    event.listen(factory, "after_commit", _after_commit)
    event.listen(factory, "after_rollback", _after_rollback)
    return factory

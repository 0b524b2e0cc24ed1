"""One-row INSERTs on the hot path of a submission, on SQLite without SQLAlchemy's per-statement
machinery.

`POST /api/v1/loads` writes two rows (the load, its audit entry), each a Core INSERT of a fixed
set of columns. Through `Connection.execute` each costs about 40 us of CPU beyond the driver's
own work (the compiled-cache look-up, the execution context, the result object), a quarter of
the bare insert endpoint's whole request (bench/bare_app.py). On SQLite `FastInsert` compiles
the statement once per column set and runs it on the driver's cursor of the same connection,
hence in the same transaction: the values go through the same bind processors SQLAlchemy would
apply (time stamps to UTC text, JSON dumped), in the same order, so the stored row is the same.
A driver error is raised as SQLAlchemy's own wrapper (`IntegrityError`, ...), as
`Connection.execute` raises it, so the callers' conflict handling is unchanged.

Every other database, a column set the statement would complete itself (a Python-side default
or a column the values leave out), or a connection with statement events listening
(SQLAlchemy's `before_cursor_execute`, which this path would bypass) goes through
`Connection.execute` as before.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Connection, Insert
from sqlalchemy.exc import DBAPIError

_PLANS_MAX = 32


class FastInsert:
    """`statement` (a Core INSERT, optionally RETURNING) executed for one row of values."""

    def __init__(self, statement: Insert):
        self.statement = statement
        self.returning = bool(statement._returning)
        # (dialect, column keys) -> (SQL, keys in bind order, their processors), or None: the
        # compiled statement needs more than the values (Python-side defaults).
        self._compiled: dict[tuple[Any, tuple[str, ...]], Any] = {}

    def _plan(self, connection: Connection, keys: tuple[str, ...]) -> Any:
        slot = (connection.dialect, keys)  # a dialect carries its engine's JSON serializer
        if slot not in self._compiled:
            if len(self._compiled) >= _PLANS_MAX:  # many engines (tests): keep no dialect alive
                self._compiled.clear()
            compiled = self.statement.compile(dialect=connection.dialect, column_keys=list(keys))
            order = tuple(compiled.positiontup or ())
            processors = compiled._bind_processors  # what SQLAlchemy applies to each value
            plan = None
            if sorted(order) == sorted(keys) and not compiled.insert_prefetch:
                plan = (str(compiled), [(k, processors.get(k)) for k in order])
            self._compiled[slot] = plan
        return self._compiled[slot]

    def execute(self, connection: Connection, values: dict[str, Any]) -> Any:
        """Insert one row; the RETURNING row when the statement has one (else None)."""
        plan = None
        if connection.dialect.name == "sqlite" and not (
            connection._has_events or connection.engine._has_events
        ):
            plan = self._plan(connection, tuple(values))
        if plan is None:
            result = connection.execute(self.statement, values)
            row = result.first() if self.returning else None
            return tuple(row) if row is not None else None
        sql, order = plan
        params = tuple(values[k] if p is None else p(values[k]) for k, p in order)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, params)
            row = cursor.fetchone() if self.returning else None
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc
        finally:
            cursor.close()
        return tuple(row) if row is not None else None

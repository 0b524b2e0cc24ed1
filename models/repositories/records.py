"""Activations, incidents, the audit log and the site configuration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, Unpack, cast

from sqlalchemy import Table, bindparam, insert, select

from hub_scheduler.errors import NotFound
from hub_scheduler.ports.records import AuditFilters
from hub_scheduler.records import Activation, AuditEntry, Incident
from models import convert
from models.read_cache import CACHED_CONFIG_KEYS, cached
from models.repositories.base import Repository, flush, paged
from models.tables import (
    ActivationRow,
    AuditRow,
    ConfigRow,
    IncidentRow,
)

R = TypeVar("R", Activation, Incident)


class _NumberedRecords(Repository, Generic[R]):
    """A table of numbered records listed newest first: what activations and incidents share."""

    _row_type: Any
    _newest: str  # the column listings sort on, newest first
    _to_row: Callable[[Any, R], Any]  # convert.fill_*_row
    _from_row: Callable[[Any], R]  # convert.*_from_row

    def add(self, record: R) -> R:
        row = self._to_row(self._row_type(), record)
        self.session.add(row)
        flush(self.session, self._row_type.__tablename__)
        return self._from_row(row)

    def get(self, record_id: int) -> R | None:
        row = self.session.get(self._row_type, record_id)
        return self._from_row(row) if row is not None else None

    def list(self, limit: int | None = 100, offset: int = 0) -> list[R]:
        newest = getattr(self._row_type, self._newest)
        query = select(self._row_type).order_by(newest.desc(), self._row_type.id.desc())
        return [self._from_row(r) for r in self.session.scalars(paged(query, limit, offset))]

    def update(self, record: R) -> R:
        row = self.session.get(self._row_type, record.id) if record.id is not None else None
        what = f"{self._row_type.__tablename__[:-1]} {record.id}"
        if row is None:
            raise NotFound(f"no {what}")
        self._to_row(row, record)
        flush(self.session, what)
        return self._from_row(row)


class SqlActivationRepository(_NumberedRecords[Activation]):
    _row_type, _newest = ActivationRow, "at"
    _to_row = staticmethod(convert.fill_activation_row)
    _from_row = staticmethod(convert.activation_from_row)


class SqlIncidentRepository(_NumberedRecords[Incident]):
    _row_type, _newest = IncidentRow, "reported_at"
    _to_row = staticmethod(convert.fill_incident_row)
    _from_row = staticmethod(convert.incident_from_row)


_AUDIT_TABLE = cast(Table, AuditRow.__table__)
_AUDIT_INSERT = insert(_AUDIT_TABLE).returning(_AUDIT_TABLE.c.id)


class SqlAuditRepository(Repository):
    """Append-only by construction: there is no method that changes or removes an entry."""

    def add(self, entry: AuditEntry) -> AuditEntry:
        # One INSERT statement, built once, no ORM object: every write request adds an entry.
        values = convert.audit_row_values(entry)
        # The session's connection, not `Session.execute`: no ORM machinery for a Core INSERT.
        entry_id = self.session.connection().execute(_AUDIT_INSERT, values).scalar_one()
        return entry.model_copy(update={"id": entry_id, "details": values["details"]})

    def list(
        self, *, limit: int | None = 100, offset: int = 0, **filters: Unpack[AuditFilters]
    ) -> list[AuditEntry]:
        query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc())
        for column in ("actor", "action", "target_type", "target_id"):
            if filters.get(column) is not None:
                query = query.where(getattr(AuditRow, column) == filters.get(column))
        part, prefix = filters.get("actor_contains"), filters.get("action_prefix")
        if part:
            query = query.where(AuditRow.actor.icontains(part, autoescape=True))
        if prefix:
            query = query.where(AuditRow.action.startswith(prefix, autoescape=True))
        since, until = filters.get("since"), filters.get("until")
        if since is not None:
            query = query.where(AuditRow.at >= since)
        if until is not None:
            query = query.where(AuditRow.at < until)
        return [
            convert.audit_from_row(r) for r in self.session.scalars(paged(query, limit, offset))
        ]


_CONFIG_VALUE = select(ConfigRow.__table__.c.value).where(
    ConfigRow.__table__.c.key == bindparam("key")
)


_CONFIG_INSERT = insert(cast(Table, ConfigRow.__table__))


class SqlConfigRepository(Repository):
    def get(self, key: str, default: Any = None) -> Any:
        # The value alone, not an ORM object: every submission reads the site's settings, which
        # the request's read cache keeps (models.read_cache; a copy: callers may change it).
        self.session.flush()  # what this session changed counts
        if key in CACHED_CONFIG_KEYS:  # kept also when missing: a site seeded without a header
            found, value = cached(
                self.session, ("config", key), lambda: self._read(key), json_copy=True
            )
        else:
            found, value = self._read(key)
        return value if found else default

    def _read(self, key: str) -> list[Any]:
        """[stored?, value]: JSON types only (the read cache keeps it marshalled)."""
        row = self.session.execute(_CONFIG_VALUE, {"key": key}).first()
        return [row is not None, row[0] if row is not None else None]

    def add(self, key: str, value: Any) -> None:
        """One INSERT, no look-up first: the primary key refuses a key stored meanwhile (a
        Conflict, the transaction rolled back)."""
        values = {"key": key, "value": convert.to_jsonable_python(value)}
        flush(self.session, f'config "{key}"', lambda: self.session.execute(_CONFIG_INSERT, values))

    def set(self, key: str, value: Any) -> None:
        row = self.session.get(ConfigRow, key)
        if row is None:
            self.session.add(ConfigRow(key=key, value=convert.to_jsonable_python(value)))
        else:
            row.value = convert.to_jsonable_python(value)
        self.session.flush()

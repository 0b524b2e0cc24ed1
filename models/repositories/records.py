"""Activations, incidents, the audit log and the site configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from hub_scheduler.errors import NotFound
from hub_scheduler.records import Activation, AuditEntry, Incident
from models import convert
from models.repositories.base import Repository, flush, paged
from models.tables import (
    ActivationRow,
    AuditRow,
    ConfigRow,
    IncidentRow,
)


class SqlActivationRepository(Repository):
    def add(self, activation: Activation) -> Activation:
        row = convert.fill_activation_row(ActivationRow(), activation)
        self.session.add(row)
        flush(self.session, "activation")
        return convert.activation_from_row(row)

    def get(self, activation_id: int) -> Activation | None:
        row = self.session.get(ActivationRow, activation_id)
        return convert.activation_from_row(row) if row is not None else None

    def list(self, limit: int | None = 100, offset: int = 0) -> list[Activation]:
        query = select(ActivationRow).order_by(ActivationRow.at.desc(), ActivationRow.id.desc())
        return [
            convert.activation_from_row(r)
            for r in self.session.scalars(paged(query, limit, offset))
        ]

    def update(self, activation: Activation) -> Activation:
        row = self.session.get(ActivationRow, activation.id) if activation.id is not None else None
        if row is None:
            raise NotFound(f"no activation {activation.id}")
        convert.fill_activation_row(row, activation)
        flush(self.session, f"activation {activation.id}")
        return convert.activation_from_row(row)


class SqlIncidentRepository(Repository):
    def add(self, incident: Incident) -> Incident:
        row = convert.fill_incident_row(IncidentRow(), incident)
        self.session.add(row)
        flush(self.session, "incident")
        return convert.incident_from_row(row)

    def get(self, incident_id: int) -> Incident | None:
        row = self.session.get(IncidentRow, incident_id)
        return convert.incident_from_row(row) if row is not None else None

    def list(self, limit: int | None = 100, offset: int = 0) -> list[Incident]:
        query = select(IncidentRow).order_by(IncidentRow.reported_at.desc(), IncidentRow.id.desc())
        return [
            convert.incident_from_row(r) for r in self.session.scalars(paged(query, limit, offset))
        ]

    def update(self, incident: Incident) -> Incident:
        row = self.session.get(IncidentRow, incident.id) if incident.id is not None else None
        if row is None:
            raise NotFound(f"no incident {incident.id}")
        convert.fill_incident_row(row, incident)
        flush(self.session, f"incident {incident.id}")
        return convert.incident_from_row(row)


class SqlAuditRepository(Repository):
    """Append-only by construction: there is no method that changes or removes an entry."""

    def add(self, entry: AuditEntry) -> AuditEntry:
        row = convert.audit_row(entry)
        self.session.add(row)
        self.session.flush()
        return convert.audit_from_row(row)

    def list(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc())
        for column, wanted in (
            (AuditRow.actor, actor),
            (AuditRow.action, action),
            (AuditRow.target_type, target_type),
            (AuditRow.target_id, target_id),
        ):
            if wanted is not None:
                query = query.where(column == wanted)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        if until is not None:
            query = query.where(AuditRow.at < until)
        return [
            convert.audit_from_row(r) for r in self.session.scalars(paged(query, limit, offset))
        ]


class SqlConfigRepository(Repository):
    def get(self, key: str, default: Any = None) -> Any:
        row = self.session.get(ConfigRow, key)
        return row.value if row is not None else default

    def set(self, key: str, value: Any) -> None:
        row = self.session.get(ConfigRow, key)
        if row is None:
            self.session.add(ConfigRow(key=key, value=convert.to_jsonable_python(value)))
        else:
            row.value = convert.to_jsonable_python(value)
        self.session.flush()

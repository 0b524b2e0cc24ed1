"""Tokens, web users, activations, incidents and the audit log: rows <-> domain objects."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Row

from hub_scheduler.records import (
    Activation,
    ApiToken,
    AuditEntry,
    Incident,
    Role,
    WebUser,
)
from models.convert.common import enum_str
from models.tables import (
    ActivationRow,
    ApiTokenRow,
    AuditRow,
    IncidentRow,
    UserRow,
)

# --- tokens ---------------------------------------------------------------------------------------


def token_row(token: ApiToken) -> ApiTokenRow:
    return ApiTokenRow(
        token_hash=token.token_hash,
        role=enum_str(token.role),
        enterprise_id=token.enterprise_id,
        label=token.label,
        created_at=token.created_at,
        revoked_at=token.revoked_at,
        expires_at=token.expires_at,
        session_version=token.session_version,
    )


def token_from_row(row: ApiTokenRow | Row[Any]) -> ApiToken:
    """From an ORM row or a plain result row of the token table's columns."""
    return ApiToken(
        id=row.id,
        token_hash=row.token_hash,
        role=Role(row.role),
        enterprise_id=row.enterprise_id,
        label=row.label,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        expires_at=row.expires_at,
        session_version=row.session_version or 0,
    )


# --- users ----------------------------------------------------------------------------------------


def user_row(user: WebUser, row: UserRow | None = None) -> UserRow:
    """A new row for `user`, or `row` overwritten with it (the id stays the row's)."""
    row = row if row is not None else UserRow()
    row.name = user.name
    row.password_hash = user.password_hash
    row.role = enum_str(user.role)
    row.enterprise_id = user.enterprise_id
    row.disabled = user.disabled
    row.created_at = user.created_at
    row.updated_at = user.updated_at
    row.session_version = user.session_version
    return row


def user_from_row(row: UserRow) -> WebUser:
    return WebUser(
        id=row.id,
        name=row.name,
        password_hash=row.password_hash,
        role=Role(row.role),
        enterprise_id=row.enterprise_id,
        disabled=bool(row.disabled),
        created_at=row.created_at,
        updated_at=row.updated_at,
        session_version=row.session_version or 0,
    )


# --- activations, incidents, audit ----------------------------------------------------------------


def fill_activation_row(row: ActivationRow, activation: Activation) -> ActivationRow:
    row.hub_ids = list(activation.hub_ids)
    row.status = activation.status
    row.reason = activation.reason
    row.actor = activation.actor
    row.at = activation.at
    row.plan_id = activation.plan_id
    return row


def activation_from_row(row: ActivationRow) -> Activation:
    return Activation(
        id=row.id,
        hub_ids=list(row.hub_ids),
        status=row.status,
        reason=row.reason,
        actor=row.actor,
        at=row.at,
        plan_id=row.plan_id,
    )


def fill_incident_row(row: IncidentRow, incident: Incident) -> IncidentRow:
    row.vehicle_plate = incident.vehicle_plate
    row.load_id = incident.load_id
    row.reported_at = incident.reported_at
    row.actor = incident.actor
    row.note = incident.note
    row.blocked_window_ids = list(incident.blocked_window_ids)
    row.cancelled_load_ids = list(incident.cancelled_load_ids)
    row.contacts = to_jsonable_python(incident.contacts)
    row.plan_id = incident.plan_id
    return row


def incident_from_row(row: IncidentRow) -> Incident:
    return Incident(
        id=row.id,
        vehicle_plate=row.vehicle_plate,
        load_id=row.load_id,
        reported_at=row.reported_at,
        actor=row.actor,
        note=row.note,
        blocked_window_ids=list(row.blocked_window_ids or []),
        cancelled_load_ids=list(row.cancelled_load_ids or []),
        contacts=list(row.contacts or []),
        plan_id=row.plan_id,
    )


def audit_row_values(entry: AuditEntry) -> dict[str, Any]:
    """The audit table's column values for `entry` (no id: the database gives it)."""
    return {
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": to_jsonable_python(entry.details),
    }


def audit_row(entry: AuditEntry) -> AuditRow:
    return AuditRow(**audit_row_values(entry))


def audit_from_row(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        details=dict(row.details or {}),
    )

"""Tokens, web users, activations, incidents and the audit log: rows <-> domain objects.

Every field here has a column of its own name (`common.shared_fields`): enums travel as their
values, lists and dicts as JSON, and a NULL column reads as the field's default.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from hub_scheduler.records import (
    Activation,
    ApiToken,
    AuditEntry,
    Incident,
    WebUser,
)
from models.convert.common import column_values, fill_row, record_from_row
from models.tables import (
    ActivationRow,
    ApiTokenRow,
    AuditRow,
    IncidentRow,
    UserRow,
)

# --- tokens ---------------------------------------------------------------------------------------


def token_row(token: ApiToken) -> ApiTokenRow:
    return ApiTokenRow(**column_values(token, ApiTokenRow))


def token_from_row(row: ApiTokenRow | Row[Any]) -> ApiToken:
    """From an ORM row or a plain result row of the token table's columns."""
    return record_from_row(ApiToken, row, ApiTokenRow)


# --- users ----------------------------------------------------------------------------------------


def user_row(user: WebUser, row: UserRow | None = None) -> UserRow:
    """A new row for `user`, or `row` overwritten with it (the id stays the row's)."""
    return fill_row(row if row is not None else UserRow(), user)


def user_from_row(row: UserRow) -> WebUser:
    return record_from_row(WebUser, row)


# --- activations, incidents, audit ----------------------------------------------------------------


def fill_activation_row(row: ActivationRow, activation: Activation) -> ActivationRow:
    return fill_row(row, activation)


def activation_from_row(row: ActivationRow) -> Activation:
    return record_from_row(Activation, row)


def fill_incident_row(row: IncidentRow, incident: Incident) -> IncidentRow:
    return fill_row(row, incident)


def incident_from_row(row: IncidentRow) -> Incident:
    return record_from_row(Incident, row)


def audit_row_values(entry: AuditEntry) -> dict[str, Any]:
    """The audit table's column values for `entry` (no id: the database gives it)."""
    return column_values(entry, AuditRow)


def audit_row(entry: AuditEntry) -> AuditRow:
    return AuditRow(**audit_row_values(entry))


def audit_from_row(row: AuditRow) -> AuditEntry:
    return record_from_row(AuditEntry, row)

"""The append-only audit log: every change writes one entry in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import AuditEntry


def record(
    uow: UnitOfWork,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry to the open unit of work (committed with the change it describes)."""
    uow.audit.add(entry(actor, action, target_type, target_id, details))


def entry(
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """The entry `record` adds, made now: a caller may build it before its transaction writes
    (SQLite's write lock is then held for the INSERTs alone) and add it with `uow.audit.add`."""
    return AuditEntry(
        at=datetime.now(UTC),
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details or {},
    )


def list_entries(
    uow: UnitOfWork, *, limit: int = 100, offset: int = 0, **filters: Any
) -> list[AuditEntry]:
    """The newest entries first."""
    with uow:
        return uow.audit.list(limit=limit, offset=offset, **filters)

"""What the store keeps as records: activations and incidents (numbered), the audit log, and the
site's config."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypedDict, TypeVar, Unpack

from hub_scheduler.records import Activation, AuditEntry, Incident

R = TypeVar("R", Activation, Incident)


class NumberedRepository(Protocol[R]):
    """Records the store numbers as they come (activations, incidents), listed newest first."""

    def add(self, record: R) -> R:
        """Store a new record; the returned copy has its id (a given id is ignored)."""

    def get(self, record_id: int) -> R | None: ...
    def list(self, limit: int | None = 100, offset: int = 0) -> list[R]: ...
    def update(self, record: R) -> R:
        """Replace the stored record of `record.id`; NotFound if there is none."""


ActivationRepository = NumberedRepository[Activation]
IncidentRepository = NumberedRepository[Incident]


class AuditFilters(TypedDict, total=False):
    """What `AuditRepository.list` filters on; each one left out matches every entry."""

    actor: str | None
    action: str | None
    target_type: str | None
    target_id: str | None
    actor_contains: str | None  # a part of the actor, any case ("zhang" finds "Zhang Wei (user)")
    action_prefix: str | None  # "load." finds every load action
    since: datetime | None  # since <= at
    until: datetime | None  # at < until


class AuditRepository(Protocol):
    """Append-only: there is no update and no delete."""

    def add(self, entry: AuditEntry) -> AuditEntry:
        """Append one entry; the returned copy has its id."""

    def list(
        self, *, limit: int | None = 100, offset: int = 0, **filters: Unpack[AuditFilters]
    ) -> list[AuditEntry]:
        """Entries matching `filters`, newest first."""


class ConfigRepository(Protocol):
    """Site-wide values: the scenario name, time zone and default settings."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def add(self, key: str, value: Any) -> None:
        """Store a new key; Conflict (the transaction rolled back) when it exists already."""
        ...

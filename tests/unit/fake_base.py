"""What every in-memory repository of `tests/unit/fakes.py` shares: the state one transaction
works on, and the way back to it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hub_scheduler.domain import Enterprise, Hub, Load, Transfer
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.plan_figures import FigureBasis
from hub_scheduler.ports.loads import LoadMeta
from hub_scheduler.ports.plans import FigureVersions
from hub_scheduler.records import (
    Activation,
    ApiToken,
    AuditEntry,
    Event,
    Incident,
    Plan,
    Report,
    TransferProposal,
    Webhook,
    WebhookDelivery,
    WebUser,
)
from tests.unit.fake_plans import M, detached

if TYPE_CHECKING:
    from tests.unit.fakes import FakeUnitOfWork


@dataclass
class FakeState:
    hubs: dict[str, Hub] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    loads: dict[str, Load] = field(default_factory=dict)
    load_meta: dict[str, LoadMeta] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)
    proposals: dict[int, TransferProposal] = field(default_factory=dict)
    tokens: dict[int, ApiToken] = field(default_factory=dict)
    users: dict[int, WebUser] = field(default_factory=dict)
    plans: dict[int, Plan] = field(default_factory=dict)
    figure_bases: dict[int, FigureBasis] = field(default_factory=dict)
    figure_versions: dict[int, FigureVersions] = field(default_factory=dict)
    activations: dict[int, Activation] = field(default_factory=dict)
    incidents: dict[int, Incident] = field(default_factory=dict)
    audit: dict[int, AuditEntry] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    webhooks: dict[int, Webhook] = field(default_factory=dict)
    deliveries: dict[int, WebhookDelivery] = field(default_factory=dict)
    reports: dict[int, Report] = field(default_factory=dict)
    last_id: dict[str, int] = field(default_factory=dict)

    def next_id(self, kind: str) -> int:
        # Like a sequence, ids are never reused, even after a rollback: kept outside snapshots.
        self.last_id[kind] = self.last_id.get(kind, 0) + 1
        return self.last_id[kind]


class FakeRepository:
    def __init__(self, uow: FakeUnitOfWork):
        self._uow = uow

    @property
    def _state(self) -> FakeState:
        return self._uow.state

    def _conflict(self, message: str) -> Conflict:
        self._uow.rollback()  # as a failed flush rolls the SQL transaction back
        return Conflict(message)

    def _insert(self, table: dict[Any, M], kind: str, record: M, *, deep: bool = False) -> M:
        """`record` stored under the next id of `kind` (never reused, as a sequence), a detached
        copy back."""
        stored = record.model_copy(update={"id": self._state.next_id(kind)}, deep=deep)
        table[stored.id] = stored  # type: ignore[attr-defined]
        return detached(stored)

    @staticmethod
    def _add_new(table: dict[Any, M], kind: str, record: M) -> M:
        """`record` stored under its own id (a Conflict when taken), a detached copy back."""
        key = record.id  # type: ignore[attr-defined]
        if key in table:
            raise Conflict(f'{kind} "{key}" already exists')
        table[key] = detached(record)
        return detached(record)

    @staticmethod
    def _replace(
        table: dict[Any, M], key: Any, record: M, missing: str, *, deep: bool = False
    ) -> M:
        """`record` stored over the one under `key` (a deep copy with `deep`), a detached copy
        back; NotFound(`missing`) when there is none."""
        if key not in table:
            raise NotFound(missing)
        table[key] = record.model_copy(deep=True) if deep else detached(record)
        return detached(record)

    @staticmethod
    def _found(table: dict[Any, M], key: Any) -> M | None:
        """A detached copy of the record stored under `key`, or None."""
        found = table.get(key)
        return detached(found) if found is not None else None

    @staticmethod
    def _first(table: dict[Any, M], match: Callable[[M], bool]) -> M | None:
        """A detached copy of the first stored record `match` accepts, or None."""
        found = [r for r in table.values() if match(r)]
        return detached(found[0]) if found else None

    def _check_enterprise(self, kind: str, enterprise_id: str | None) -> None:
        """The foreign key: a record naming an enterprise needs it stored."""
        if enterprise_id is not None and enterprise_id not in self._state.enterprises:
            raise self._conflict(f'{kind}: no enterprise "{enterprise_id}"')

"""What the services need from storage: a unit of work and its repositories, as plain Protocols.

One module per aggregate (like `models/repositories/`), with the values its methods take and give
(`ports.loads.LoadMeta`, `ports.plans.PlacedLoad`, ...); the unit of work that holds them all is
here, and every repository Protocol is importable from here too.

Services code against these; `models.uow.SqlUnitOfWork` implements them with SQLAlchemy, and a test
may implement them in memory. Every method takes and returns domain objects, never database rows.

Usage: ``with uow: ...; uow.commit()``; leaving the block without `commit()` rolls back. Blocks may
nest on one unit of work: the inner ones share the outer transaction and only the outermost exit
rolls back and closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, Self

from hub_scheduler.ports.events import EventRepository, WebhookRepository
from hub_scheduler.ports.hubs import EnterpriseRepository, HubRepository
from hub_scheduler.ports.loads import (
    LoadRepository,
    ProposalRepository,
    TransferRepository,
)
from hub_scheduler.ports.plans import PlanRepository
from hub_scheduler.ports.records import (
    ActivationRepository,
    AuditRepository,
    ConfigRepository,
    IncidentRepository,
    NumberedRepository,
)
from hub_scheduler.ports.reports import ReportRepository
from hub_scheduler.ports.tokens import TokenRepository
from hub_scheduler.ports.users import UserRepository


class UnitOfWork(Protocol):
    """Every repository on one transaction. Read-only members, so an implementation may hold its
    own repository classes (a Protocol attribute that could be assigned would have to be exactly
    the Protocol type)."""

    # The configured site zone (HUB_SCHEDULER_TIMEZONE) or None: `services.site` reads it.
    # A plain attribute, not a repository.
    zone: str | None

    @property
    def hubs(self) -> HubRepository: ...
    @property
    def enterprises(self) -> EnterpriseRepository: ...
    @property
    def loads(self) -> LoadRepository: ...
    @property
    def transfers(self) -> TransferRepository: ...
    @property
    def proposals(self) -> ProposalRepository: ...
    @property
    def tokens(self) -> TokenRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def plans(self) -> PlanRepository: ...
    @property
    def activations(self) -> ActivationRepository: ...
    @property
    def incidents(self) -> IncidentRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def config(self) -> ConfigRepository: ...
    @property
    def events(self) -> EventRepository: ...
    @property
    def webhooks(self) -> WebhookRepository: ...
    @property
    def reports(self) -> ReportRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc_info: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def read_snapshot(self) -> None:
        """Make every read of the rest of this transaction see one committed state, without
        taking any lock (first thing in the transaction; read only, end it with rollback)."""


__all__: Sequence[str] = (
    "ActivationRepository",
    "AuditRepository",
    "ConfigRepository",
    "EnterpriseRepository",
    "EventRepository",
    "HubRepository",
    "IncidentRepository",
    "LoadRepository",
    "NumberedRepository",
    "PlanRepository",
    "ReportRepository",
    "TokenRepository",
    "TransferRepository",
    "UserRepository",
    "UnitOfWork",
    "WebhookRepository",
)

"""What the services need from storage: a unit of work and its repositories, as plain Protocols.

Services code against these; `models.uow.SqlUnitOfWork` implements them with SQLAlchemy, and a test
may implement them in memory. Every method takes and returns domain objects, never database rows.

Usage: ``with uow: ...; uow.commit()``; leaving the block without `commit()` rolls back. Blocks may
nest on one unit of work: the inner ones share the outer transaction and only the outermost exit
rolls back and closes.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, Self, TypedDict, TypeVar, Unpack

from hub_scheduler.domain import (
    Assignment,
    BlockedWindow,
    Enterprise,
    Hub,
    HubStatus,
    Load,
    LoadStatus,
    Schedule,
    Transfer,
)
from hub_scheduler.records import (
    Activation,
    ApiToken,
    AuditEntry,
    Event,
    Incident,
    JobStatus,
    Plan,
    ProposalStatus,
    Report,
    TransferProposal,
    Webhook,
    WebhookDelivery,
    WebUser,
)

R = TypeVar("R", Activation, Incident)


@dataclass(frozen=True)
class LoadMeta:
    """What the store knows about a load beyond the load itself."""

    created_at: datetime
    updated_at: datetime
    idempotency_key: str | None = None
    created_by: str | None = None


@dataclass(frozen=True)
class PlacedLoad:
    """An assignment of a published plan, with the plan it belongs to."""

    plan_id: int
    assignment: Assignment


@dataclass(frozen=True)
class LoadInForce:
    """Where the plan in force holds a load: the published plan and its slot (None: left out)."""

    plan_id: int
    assignment: Assignment | None


class HubRepository(Protocol):
    def add(self, hub: Hub) -> Hub:
        """Store a new hub with all its parts; Conflict if the id exists."""

    def get(self, hub_id: str) -> Hub | None: ...
    def list(self, status: HubStatus | str | None = None) -> list[Hub]: ...
    def update(self, hub: Hub) -> Hub:
        """Replace the stored hub (and all its children) by `hub`; NotFound if missing."""

    def set_status(self, hub_id: str, status: HubStatus | str) -> Hub: ...
    def add_blocked(self, hub_id: str, window: BlockedWindow) -> BlockedWindow:
        """Add one blocked window; gives it an id when it has none."""

    def remove_blocked(self, hub_id: str, window_id: str) -> bool: ...


class EnterpriseRepository(Protocol):
    def add(self, enterprise: Enterprise) -> Enterprise: ...
    def get(self, enterprise_id: str) -> Enterprise | None: ...
    def list(self, whitelisted: bool | None = None) -> list[Enterprise]: ...
    def update(self, enterprise: Enterprise) -> Enterprise: ...


LoadStatusFilter = LoadStatus | str | Iterable[LoadStatus | str] | None


class LoadFilters(TypedDict, total=False):
    """The filters `LoadRepository.list` and `count` share; each one left out matches every load."""

    status: LoadStatusFilter  # one status or several
    hub_id: str | None  # pinned there, or placed there by a published plan
    enterprise_id: str | None
    release_from: datetime | None  # release_from <= release
    release_to: datetime | None  # release < release_to
    vehicle_plate: str | None
    # `allowed_hubs` names one of these hubs (filtered in SQL); with `or_anywhere` also the loads
    # with no `allowed_hubs` (they may go to any hub). Pins and placements are not looked at.
    may_use_hubs: Collection[str] | None
    or_anywhere: bool


class LoadRepository(Protocol):
    def add(
        self, load: Load, *, idempotency_key: str | None = None, created_by: str | None = None
    ) -> Load:
        """Store a new load; Conflict if the id, or the enterprise's idempotency key, is taken."""

    def add_many(self, loads: Iterable[Load], created_by: str | None = None) -> int:
        """Store many new loads at once, without per-load checks (the caller made them); Conflict
        if an id is taken, and then none is stored. Returns how many were stored."""

    def get(self, load_id: str) -> Load | None: ...
    def get_many(self, load_ids: Iterable[str]) -> list[Load]:
        """The stored ones among `load_ids`, in that order, each once."""

    def list(
        self, *, limit: int | None = None, offset: int = 0, **filters: Unpack[LoadFilters]
    ) -> builtins.list[Load]:
        """Loads matching `filters`, ordered by release then id."""

    def count(self, **filters: Unpack[LoadFilters]) -> int:
        """How many loads `list(**filters)` gives without limit and offset."""

    def update(self, load: Load) -> Load: ...
    def set_status(self, load_id: str, status: LoadStatus | str) -> Load: ...
    def transition(
        self, load_id: str, expected: LoadStatus | str, to: LoadStatus | str
    ) -> LoadStatus | None:
        """Set the status only if it is still `expected`; None when another change came first."""

    def current_status(self, load_id: str) -> LoadStatus | None: ...
    def get_by_idempotency_key(self, enterprise_id: str, key: str) -> Load | None: ...
    def meta(self, load_id: str) -> LoadMeta | None: ...


class TransferRepository(Protocol):
    def add(self, transfer: Transfer) -> Transfer: ...
    def list(self, load_ids: Iterable[str] | None = None) -> list[Transfer]:
        """All transfers, or those whose inbound and outbound are both among `load_ids`."""

    # `builtins.list`: below a method named `list`, a bare `list` would name the method.
    def for_load(self, load_id: str) -> builtins.list[Transfer]: ...
    def remove(self, inbound: str, outbound: str) -> bool: ...


class ProposalRepository(Protocol):
    """Relays proposed between two enterprises (`services.transfers`), awaiting confirmation."""

    def add(self, proposal: TransferProposal) -> TransferProposal:
        """Store a new proposal; the returned copy has its id."""

    def get(self, proposal_id: int) -> TransferProposal | None: ...
    def list(
        self, *, status: ProposalStatus | None = None, enterprise_id: str | None = None
    ) -> builtins.list[TransferProposal]:
        """Proposals, oldest first; `enterprise_id`: those it proposed or is named partner of."""

    def decide(
        self, proposal_id: int, to: ProposalStatus, *, by: str, at: datetime
    ) -> TransferProposal | None:
        """Set a pending proposal's status (one conditional UPDATE); None when it is no longer
        pending (of two racing deciders exactly one gets the proposal back)."""


class TokenRepository(Protocol):
    def add(self, token: ApiToken) -> ApiToken:
        """Store a token (its hash); the returned copy has its id."""

    def get(self, token_id: int) -> ApiToken | None: ...
    def get_by_hash(self, token_hash: str) -> ApiToken | None: ...
    def list(self, include_revoked: bool = True) -> list[ApiToken]: ...
    def revoke(self, token_id: int, at: datetime | None = None) -> ApiToken: ...
    def next_session_version(self, token_id: int) -> int:
        """Raise the token's session version (a page sign-out ends its sessions); the new one."""


class UserRepository(Protocol):
    """Web users, by id and by their unique name."""

    def add(self, user: WebUser) -> WebUser:
        """Store a new user; the returned copy has its id; Conflict if the name is taken."""

    def get(self, user_id: int) -> WebUser | None: ...
    def get_by_name(self, name: str) -> WebUser | None: ...
    def list(self) -> list[WebUser]:
        """Every user, by name."""

    def update(self, user: WebUser) -> WebUser:
        """Replace the stored user of `user.id`; NotFound if there is none."""


class PlanFilters(TypedDict, total=False):
    """What `PlanRepository.list` filters on; each one left out matches every plan."""

    horizon_start: datetime | None
    horizon_end: datetime | None
    status: JobStatus | str | None
    published: bool | None
    parts_of: int | None  # the parts of this split plan job
    top_level: bool | None  # True: only plan jobs that are no part of another


class PlanRepository(Protocol):
    def add(self, plan: Plan) -> Plan: ...
    def get(self, plan_id: int, with_rows: bool = True) -> Plan | None: ...
    def list(
        self, *, limit: int | None = 50, offset: int = 0, **filters: Unpack[PlanFilters]
    ) -> list[Plan]:
        """Newest first, schedules without their assignment rows (use `get` for those)."""

    def update(self, plan: Plan) -> Plan: ...
    def set_status(
        self,
        plan_id: int,
        status: JobStatus | str,
        *,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        error: str | None = None,
    ) -> Plan: ...
    def claim(self, plan_id: int | None, worker_id: str, at: datetime) -> Plan | None: ...
    def beat(self, plan_id: int, worker_id: str, at: datetime) -> str | None: ...
    def silent_since(self, before: datetime) -> builtins.list[tuple[int, int, str | None]]: ...
    def hand_back(self, plan_id: int, worker_id: str | None) -> bool: ...
    def release(self, plan_id: int, worker_id: str) -> bool:
        """A running job stays `running` but no worker holds it (a split job waiting for its
        parts); False when `worker_id` no longer holds it."""

    def claim_merge(self, plan_id: int, worker_id: str, at: datetime) -> bool:
        """Take a running job no worker holds (a split job whose parts ended) for `worker_id`,
        in one conditional UPDATE; False when another worker took it or it is not running."""

    def set_attempts(self, plan_id: int, attempts: int) -> None: ...
    def attempts(self, plan_id: int) -> int: ...
    def set_progress(self, plan_id: int, progress: dict[str, Any]) -> None: ...
    def set_result(
        self,
        plan_id: int,
        schedule: Schedule,
        *,
        status: JobStatus | str = JobStatus.SUCCEEDED,
        finished_at: datetime | None = None,
    ) -> Plan: ...
    def published_for(
        self, horizon_start: datetime, horizon_end: datetime | None = None
    ) -> Plan | None:
        """The published plan of exactly this horizon, or (no end) the one covering that moment."""

    def publish(
        self, plan_id: int, *, actor: str | None = None, at: datetime | None = None
    ) -> Plan:
        """Publish a succeeded plan, un-publishing the previous one of the same horizon."""

    def lock_publishing(self) -> None:
        """Publishers take turns from here to commit; call it before reading what is in force."""

    def in_force(self, load_ids: Iterable[str] | None = None) -> dict[str, LoadInForce]:
        """Per load, the newest published plan that holds it (placed, or left out: None)."""

    def unpublish(self, plan_id: int) -> Plan: ...
    def move_assignment(self, plan_id: int, assignment: Assignment) -> None: ...
    def drop_assignment(self, plan_id: int, load_id: str) -> bool: ...
    def published_assignments(
        self,
        *,
        hub_id: str | None = None,
        dock_id: str | None = None,
        load_ids: Iterable[str] | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
    ) -> builtins.list[PlacedLoad]: ...


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


Audience = tuple[str, str | None]  # (AudienceKind value, enterprise or hub id; None: command)


class EventRepository(Protocol):
    """The outbox: one row per event and audience, never changed but for `read_at`."""

    def add(self, event: Event) -> Event: ...
    def get(self, event_id: str) -> Event | None: ...
    def list(
        self,
        audiences: Iterable[Audience],
        *,
        unread: bool | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> builtins.list[Event]:
        """The audiences' events, newest first; `unread` True: only those not yet read."""

    def count(self, audiences: Iterable[Audience], *, unread: bool | None = None) -> int: ...
    def mark_read(
        self, audiences: Iterable[Audience], event_ids: Iterable[str] | None, at: datetime
    ) -> int:
        """Mark these (None: all) of the audiences' unread events read; how many were."""


class WebhookRepository(Protocol):
    """Subscriptions and their deliveries."""

    def add(self, webhook: Webhook) -> Webhook: ...
    def get(self, webhook_id: int) -> Webhook | None: ...
    def list(self, owner: Audience | None = None) -> builtins.list[Webhook]:
        """Every subscription (None), or one owner's, oldest first."""

    def update(self, webhook: Webhook) -> Webhook: ...
    def remove(self, webhook_id: int) -> bool: ...
    def add_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery: ...
    def get_delivery(self, delivery_id: int) -> WebhookDelivery | None: ...
    def update_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery: ...
    def due(self, at: datetime, limit: int = 100) -> builtins.list[int]:
        """Ids of pending deliveries whose next attempt is due at `at`, oldest first."""

    def next_due(self) -> datetime | None:
        """When the earliest pending delivery is due (None: none is pending)."""

    def claim(self, delivery_id: int) -> bool:
        """pending -> sending, conditionally: True for the one sender that got it."""

    def claim_many(self, delivery_ids: Iterable[int]) -> builtins.list[int]:
        """`claim` for many in one statement: the ids this sender got."""

    def deliveries(self, webhook_id: int, limit: int | None = 50) -> builtins.list[WebhookDelivery]:
        """A subscription's deliveries, newest first."""


class ReportRepository(Protocol):
    """Problem reports (the hotline): numbered as they come, listed newest first."""

    def add(self, report: Report) -> Report:
        """Store a new report; the returned copy has its id; Conflict if the number is taken."""

    def get(self, report_id: int) -> Report | None: ...
    def get_by_number(self, number: str) -> Report | None: ...
    def list(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        enterprise_id: str | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> builtins.list[Report]:
        """Reports matching every filter given (None matches all), newest first."""

    def count(
        self,
        *,
        status: str | None = None,
        kind: str | None = None,
        enterprise_id: str | None = None,
    ) -> int: ...
    def update(self, report: Report) -> Report:
        """Replace the stored report of `report.id`; NotFound if there is none."""


class ConfigRepository(Protocol):
    """Site-wide values: the scenario name, time zone and default settings."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def add(self, key: str, value: Any) -> None:
        """Store a new key; Conflict (the transaction rolled back) when it exists already."""
        ...


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


__all__: Sequence[str] = (
    "ActivationRepository",
    "AuditFilters",
    "AuditRepository",
    "ConfigRepository",
    "Audience",
    "EnterpriseRepository",
    "EventRepository",
    "HubRepository",
    "IncidentRepository",
    "LoadInForce",
    "LoadMeta",
    "LoadFilters",
    "LoadRepository",
    "LoadStatusFilter",
    "NumberedRepository",
    "PlacedLoad",
    "PlanFilters",
    "PlanRepository",
    "ReportRepository",
    "TokenRepository",
    "TransferRepository",
    "UserRepository",
    "UnitOfWork",
    "WebhookRepository",
)

"""An in-memory `UnitOfWork` (hub_scheduler/ports/), so services get millisecond unit tests.

It keeps domain objects in dicts and behaves as `models.uow.SqlUnitOfWork` does: the contract tests
(tests/integration/test_db_repository_contract.py) run one suite on both. Snapshot semantics: the
outermost ``with uow:`` copies the state, `commit()` makes the current state the one to keep,
and leaving the block (or `rollback()`) restores what was last committed. A Conflict raised while
storing (`add_many`, a clashing key) rolls the transaction back, as the SQL adapter's failed flush
does.
"""

from __future__ import annotations

import builtins
import copy
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from hub_scheduler.domain import (
    BlockedWindow,
    Enterprise,
    Hub,
    HubStatus,
    Load,
    LoadStatus,
    Transfer,
)
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.ports.loads import LoadFilters, LoadMeta, LoadStatusFilter
from hub_scheduler.ports.records import AuditFilters
from hub_scheduler.records import (
    Activation,
    ApiToken,
    AuditEntry,
    DeliveryStatus,
    Event,
    Incident,
    Plan,
    ProposalStatus,
    Report,
    TransferProposal,
    Webhook,
    WebhookDelivery,
    WebUser,
)
from hub_scheduler.values import plate_key
from tests.unit.fake_plans import FakePlanRepository, detached, page

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", Activation, Incident)


@dataclass
class _State:
    hubs: dict[str, Hub] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    loads: dict[str, Load] = field(default_factory=dict)
    load_meta: dict[str, LoadMeta] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)
    proposals: dict[int, TransferProposal] = field(default_factory=dict)
    tokens: dict[int, ApiToken] = field(default_factory=dict)
    users: dict[int, WebUser] = field(default_factory=dict)
    plans: dict[int, Plan] = field(default_factory=dict)
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


class _Repository:
    def __init__(self, uow: FakeUnitOfWork):
        self._uow = uow

    @property
    def _state(self) -> _State:
        return self._uow.state

    def _conflict(self, message: str) -> Conflict:
        self._uow.rollback()  # as a failed flush rolls the SQL transaction back
        return Conflict(message)


class FakeHubRepository(_Repository):
    def add(self, hub: Hub) -> Hub:
        if hub.id in self._state.hubs:
            raise Conflict(f'hub "{hub.id}" already exists')
        self._state.hubs[hub.id] = detached(hub)
        return detached(hub)

    def get(self, hub_id: str) -> Hub | None:
        hub = self._state.hubs.get(hub_id)
        return detached(hub) if hub is not None else None

    def list(self, status: HubStatus | str | None = None) -> list[Hub]:
        hubs = sorted(self._state.hubs.values(), key=lambda h: h.id)
        return [detached(h) for h in hubs if status is None or h.status == HubStatus(status)]

    def _required(self, hub_id: str) -> Hub:
        if hub_id not in self._state.hubs:
            raise NotFound(f'no hub "{hub_id}"')
        return self._state.hubs[hub_id]

    def update(self, hub: Hub) -> Hub:
        self._required(hub.id)
        self._state.hubs[hub.id] = detached(hub)
        return detached(hub)

    def set_status(self, hub_id: str, status: HubStatus | str) -> Hub:
        hub = self._required(hub_id).model_copy(update={"status": HubStatus(status)})
        self._state.hubs[hub_id] = hub
        return detached(hub)

    def add_blocked(self, hub_id: str, window: BlockedWindow) -> BlockedWindow:
        hub = self._required(hub_id)
        if window.id is None:
            window = window.model_copy(update={"id": "B" + secrets.token_hex(4)})
        if any(b.id == window.id for b in hub.blocked):
            raise self._conflict(f'blocked window "{window.id}" at hub "{hub_id}" exists')
        hub.blocked.append(detached(window))
        return detached(window)

    def remove_blocked(self, hub_id: str, window_id: str) -> bool:
        hub = self._state.hubs.get(hub_id)
        if hub is None:
            return False
        kept = [b for b in hub.blocked if b.id != window_id]
        removed = len(kept) != len(hub.blocked)
        hub.blocked[:] = kept
        return removed


class FakeEnterpriseRepository(_Repository):
    def add(self, enterprise: Enterprise) -> Enterprise:
        if enterprise.id in self._state.enterprises:
            raise Conflict(f'enterprise "{enterprise.id}" already exists')
        self._state.enterprises[enterprise.id] = detached(enterprise)
        return detached(enterprise)

    def get(self, enterprise_id: str) -> Enterprise | None:
        found = self._state.enterprises.get(enterprise_id)
        return detached(found) if found is not None else None

    def list(self, whitelisted: bool | None = None) -> list[Enterprise]:
        found = sorted(self._state.enterprises.values(), key=lambda e: e.id)
        return [detached(e) for e in found if whitelisted is None or e.whitelisted == whitelisted]

    def update(self, enterprise: Enterprise) -> Enterprise:
        if enterprise.id not in self._state.enterprises:
            raise NotFound(f'no enterprise "{enterprise.id}"')
        self._state.enterprises[enterprise.id] = detached(enterprise)
        return detached(enterprise)


def _statuses(status: LoadStatusFilter) -> set[LoadStatus] | None:
    if status is None:
        return None
    if isinstance(status, str):
        return {LoadStatus(status)}
    return {LoadStatus(s) for s in status}


class FakeLoadRepository(_Repository):
    def _check_new(self, load: Load) -> None:
        if load.id in self._state.loads:
            raise self._conflict(f'load "{load.id}" already exists')
        if load.enterprise_id not in self._state.enterprises:  # the foreign key
            raise self._conflict(f'load "{load.id}": no enterprise "{load.enterprise_id}"')

    def _store(self, load: Load, key: str | None, created_by: str | None) -> None:
        moment = datetime.now(UTC)
        self._state.loads[load.id] = detached(load)
        self._state.load_meta[load.id] = LoadMeta(moment, moment, key, created_by)

    def add(
        self, load: Load, *, idempotency_key: str | None = None, created_by: str | None = None
    ) -> Load:
        if load.id in self._state.loads:
            raise Conflict(f'load "{load.id}" already exists')
        if idempotency_key is not None and self._by_key(load.enterprise_id, idempotency_key):
            raise Conflict(f'idempotency key "{idempotency_key}" was already used')
        self._check_new(load)
        self._store(load, idempotency_key, created_by)
        return detached(load)

    def add_many(self, loads: Iterable[Load], created_by: str | None = None) -> int:
        loads = builtins.list(loads)
        ids = [ld.id for ld in loads]
        if len(set(ids)) != len(ids):
            raise self._conflict("loads clash with stored data: an id repeats")
        for load in loads:
            self._check_new(load)
        for load in loads:
            self._store(load, None, created_by)
        return len(loads)

    def get(self, load_id: str) -> Load | None:
        found = self._state.loads.get(load_id)
        return detached(found) if found is not None else None

    def get_many(self, load_ids: Iterable[str]) -> list[Load]:
        ids = dict.fromkeys(load_ids)
        return [detached(self._state.loads[i]) for i in ids if i in self._state.loads]

    def _matching(self, **filters: Unpack[LoadFilters]) -> builtins.list[Load]:
        statuses = _statuses(filters.get("status"))
        hub_id = filters.get("hub_id")
        placed = (
            {p.assignment.load_id for p in self._uow.plans.published_assignments(hub_id=hub_id)}
            if hub_id is not None
            else set()
        )
        release_from, release_to = filters.get("release_from"), filters.get("release_to")
        equal = {k: filters.get(k) for k in ("enterprise_id",)}
        plate = filters.get("vehicle_plate")
        may_use = filters.get("may_use_hubs")
        wanted = set(may_use) if may_use is not None else set()
        anywhere = bool(filters.get("or_anywhere"))
        found = [
            ld
            for ld in self._state.loads.values()
            if (statuses is None or ld.status in statuses)
            and all(v is None or getattr(ld, k) == v for k, v in equal.items())
            and (
                plate is None
                or (
                    ld.vehicle_plate is not None and plate_key(ld.vehicle_plate) == plate_key(plate)
                )
            )
            and (release_from is None or ld.release >= release_from)
            and (release_to is None or ld.release < release_to)
            and (
                hub_id is None
                or (ld.pinned is not None and ld.pinned.hub_id == hub_id)
                or ld.id in placed
            )
            and (
                may_use is None
                or (ld.allowed_hubs is None and anywhere)
                or bool(wanted.intersection(ld.allowed_hubs or ()))
            )
        ]
        return sorted(found, key=lambda ld: (ld.release, ld.id))

    def list(
        self, *, limit: int | None = None, offset: int = 0, **filters: Unpack[LoadFilters]
    ) -> builtins.list[Load]:
        return page(self._matching(**filters), limit, offset)

    def count(self, **filters: Unpack[LoadFilters]) -> int:
        return len(self._matching(**filters))

    def _touch(self, load: Load) -> Load:
        self._state.loads[load.id] = detached(load)
        meta = self._state.load_meta[load.id]
        self._state.load_meta[load.id] = LoadMeta(
            meta.created_at, datetime.now(UTC), meta.idempotency_key, meta.created_by
        )
        return detached(load)

    def update(self, load: Load) -> Load:
        if load.id not in self._state.loads:
            raise NotFound(f'no load "{load.id}"')
        return self._touch(load)

    def set_status(self, load_id: str, status: LoadStatus | str) -> Load:
        if load_id not in self._state.loads:
            raise NotFound(f'no load "{load_id}"')
        changed = self._state.loads[load_id].model_copy(update={"status": LoadStatus(status)})
        return self._touch(changed)

    def transition(
        self, load_id: str, expected: LoadStatus | str, to: LoadStatus | str
    ) -> LoadStatus | None:
        load = self._state.loads.get(load_id)
        if load is None or load.status != LoadStatus(expected):
            return None
        self._touch(load.model_copy(update={"status": LoadStatus(to)}))
        return LoadStatus(expected)

    def current_status(self, load_id: str) -> LoadStatus | None:
        load = self._state.loads.get(load_id)
        return load.status if load is not None else None

    def _by_key(self, enterprise_id: str, key: str) -> Load | None:
        for load_id, meta in self._state.load_meta.items():
            load = self._state.loads[load_id]
            if meta.idempotency_key == key and load.enterprise_id == enterprise_id:
                return load
        return None

    def get_by_idempotency_key(self, enterprise_id: str, key: str) -> Load | None:
        found = self._by_key(enterprise_id, key)
        return detached(found) if found is not None else None

    def meta(self, load_id: str) -> LoadMeta | None:
        return self._state.load_meta.get(load_id)


class FakeTransferRepository(_Repository):
    def add(self, transfer: Transfer) -> Transfer:
        if any(t.outbound == transfer.outbound for t in self._state.transfers):
            raise Conflict(f'load "{transfer.outbound}" is already the outbound of a transfer')
        missing = {transfer.inbound, transfer.outbound} - self._state.loads.keys()
        if missing:  # the foreign keys
            raise self._conflict(f"transfer: no load {sorted(missing)}")
        self._state.transfers.append(detached(transfer))
        return detached(transfer)

    def list(self, load_ids: Iterable[str] | None = None) -> list[Transfer]:
        wanted = None if load_ids is None else set(load_ids)
        return [
            detached(t)
            for t in self._state.transfers
            if wanted is None or (t.inbound in wanted and t.outbound in wanted)
        ]

    def for_load(self, load_id: str) -> builtins.list[Transfer]:
        return [detached(t) for t in self._state.transfers if load_id in (t.inbound, t.outbound)]

    def remove(self, inbound: str, outbound: str) -> bool:
        kept = [t for t in self._state.transfers if (t.inbound, t.outbound) != (inbound, outbound)]
        removed = len(kept) != len(self._state.transfers)
        self._state.transfers[:] = kept
        return removed


class FakeProposalRepository(_Repository):
    def add(self, proposal: TransferProposal) -> TransferProposal:
        stored = proposal.model_copy(update={"id": self._state.next_id("proposal")}, deep=True)
        self._state.proposals[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def get(self, proposal_id: int) -> TransferProposal | None:
        found = self._state.proposals.get(proposal_id)
        return detached(found) if found is not None else None

    def list(
        self, *, status: ProposalStatus | None = None, enterprise_id: str | None = None
    ) -> builtins.list[TransferProposal]:
        return [
            detached(p)
            for _, p in sorted(self._state.proposals.items())
            if (status is None or p.status == status)
            and (
                enterprise_id is None
                or enterprise_id in (p.proposer_enterprise_id, p.partner_enterprise_id)
            )
        ]

    def decide(
        self, proposal_id: int, to: ProposalStatus, *, by: str, at: datetime
    ) -> TransferProposal | None:
        found = self._state.proposals.get(proposal_id)
        if found is None or found.status is not ProposalStatus.PENDING:
            return None
        decided = found.model_copy(update={"status": to, "decided_by": by, "decided_at": at})
        self._state.proposals[proposal_id] = decided
        return detached(decided)


class FakeTokenRepository(_Repository):
    def add(self, token: ApiToken) -> ApiToken:
        if any(t.token_hash == token.token_hash for t in self._state.tokens.values()):
            raise self._conflict("token clashes with stored data: the hash exists")
        if token.enterprise_id is not None and token.enterprise_id not in self._state.enterprises:
            raise self._conflict(f'token: no enterprise "{token.enterprise_id}"')
        stored = token.model_copy(update={"id": self._state.next_id("token")})
        self._state.tokens[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def get(self, token_id: int) -> ApiToken | None:
        found = self._state.tokens.get(token_id)
        return detached(found) if found is not None else None

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        found = [t for t in self._state.tokens.values() if t.token_hash == token_hash]
        return detached(found[0]) if found else None

    def list(self, include_revoked: bool = True) -> list[ApiToken]:
        tokens = sorted(self._state.tokens.values(), key=lambda t: t.id or 0)
        return [detached(t) for t in tokens if include_revoked or t.revoked_at is None]

    def revoke(self, token_id: int, at: datetime | None = None) -> ApiToken:
        token = self._state.tokens.get(token_id)
        if token is None:
            raise NotFound(f"no token {token_id}")
        if token.revoked_at is None:  # revoking twice keeps the first time
            token = token.model_copy(update={"revoked_at": at or datetime.now(UTC)})
            self._state.tokens[token_id] = token
        return detached(token)

    def next_session_version(self, token_id: int) -> int:
        token = self._state.tokens.get(token_id)
        if token is None:
            raise NotFound(f"no token {token_id}")
        raised = token.model_copy(update={"session_version": token.session_version + 1})
        self._state.tokens[token_id] = raised
        return raised.session_version


class FakeUserRepository(_Repository):
    def add(self, user: WebUser) -> WebUser:
        if any(u.name == user.name for u in self._state.users.values()):
            raise self._conflict(f'user clashes with stored data: the name "{user.name}" exists')
        if user.enterprise_id is not None and user.enterprise_id not in self._state.enterprises:
            raise self._conflict(f'user: no enterprise "{user.enterprise_id}"')
        stored = user.model_copy(update={"id": self._state.next_id("user")})
        self._state.users[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def get(self, user_id: int) -> WebUser | None:
        found = self._state.users.get(user_id)
        return detached(found) if found is not None else None

    def get_by_name(self, name: str) -> WebUser | None:
        found = [u for u in self._state.users.values() if u.name == name]
        return detached(found[0]) if found else None

    def list(self) -> list[WebUser]:
        return [detached(u) for u in sorted(self._state.users.values(), key=lambda u: u.name)]

    def update(self, user: WebUser) -> WebUser:
        if user.id not in self._state.users:
            raise NotFound(f"no user {user.id}")
        self._state.users[user.id] = detached(user)
        return detached(user)


class _Numbered(_Repository, Generic[R]):
    """Activations and incidents: numbered records, newest first."""

    kind = ""
    newest = ""

    def _items(self) -> dict[int, R]:
        return getattr(self._state, self.kind)

    def add(self, record: R) -> R:
        stored = record.model_copy(update={"id": self._state.next_id(self.kind)})
        self._items()[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def get(self, record_id: int) -> R | None:
        found = self._items().get(record_id)
        return detached(found) if found is not None else None

    def list(self, limit: int | None = 100, offset: int = 0) -> list[R]:
        items = sorted(
            self._items().values(), key=lambda r: (getattr(r, self.newest), r.id), reverse=True
        )
        return page(items, limit, offset)

    def update(self, record: R) -> R:
        if record.id not in self._items():
            raise NotFound(f"no {self.kind[:-1]} {record.id}")
        self._items()[record.id] = detached(record)
        return detached(record)


class FakeActivationRepository(_Numbered[Activation]):
    kind, newest = "activations", "at"


class FakeIncidentRepository(_Numbered[Incident]):
    kind, newest = "incidents", "reported_at"


class FakeAuditRepository(_Repository):
    def add(self, entry: AuditEntry) -> AuditEntry:
        stored = entry.model_copy(update={"id": self._state.next_id("audit")}, deep=True)
        self._state.audit[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def list(
        self, *, limit: int | None = 100, offset: int = 0, **filters: Unpack[AuditFilters]
    ) -> list[AuditEntry]:
        since, until = filters.get("since"), filters.get("until")
        equal = {k: filters.get(k) for k in ("actor", "action", "target_type", "target_id")}
        part = (filters.get("actor_contains") or "").lower()
        prefix = filters.get("action_prefix") or ""
        found = [
            e
            for e in self._state.audit.values()
            if all(v is None or getattr(e, k) == v for k, v in equal.items())
            and part in e.actor.lower()
            and e.action.startswith(prefix)
            and (since is None or e.at >= since)
            and (until is None or e.at < until)
        ]
        found.sort(key=lambda e: (e.at, e.id), reverse=True)
        return page(found, limit, offset)


class FakeConfigRepository(_Repository):
    def get(self, key: str, default: Any = None) -> Any:
        return copy.deepcopy(self._state.config.get(key, default))

    def set(self, key: str, value: Any) -> None:
        self._state.config[key] = to_jsonable_python(value)  # stored as JSON, like the SQL column

    def add(self, key: str, value: Any) -> None:
        if key in self._state.config:
            raise Conflict(f'config key "{key}" exists already')
        self.set(key, value)


def _mine(event: Event, audiences: Iterable[tuple[str, str | None]]) -> bool:
    return (event.audience_kind.value, event.audience_id) in set(audiences)


class FakeEventRepository(_Repository):
    def add(self, event: Event) -> Event:
        self._state.events[event.id] = event.model_copy(deep=True)
        return detached(event)

    def get(self, event_id: str) -> Event | None:
        found = self._state.events.get(event_id)
        return detached(found) if found is not None else None

    def list(self, audiences, *, unread=None, limit=100, offset=0) -> builtins.list[Event]:
        audiences = builtins.list(audiences)
        found = [
            e
            for e in self._state.events.values()
            if _mine(e, audiences) and (unread is None or (e.read_at is None) == unread)
        ]
        found.sort(key=lambda e: (e.at, e.id), reverse=True)
        return [detached(e) for e in page(found, limit, offset)]

    def count(self, audiences, *, unread=None) -> int:
        return len(self.list(audiences, unread=unread, limit=None))

    def mark_read(self, audiences, event_ids, at) -> int:
        wanted = None if event_ids is None else set(event_ids)
        done = 0
        for e in self.list(audiences, unread=True, limit=None):
            if wanted is None or e.id in wanted:
                self._state.events[e.id] = e.model_copy(update={"read_at": at})
                done += 1
        return done


class FakeWebhookRepository(_Repository):
    def add(self, webhook: Webhook) -> Webhook:
        stored = webhook.model_copy(update={"id": self._state.next_id("webhooks")}, deep=True)
        self._state.webhooks[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def get(self, webhook_id: int) -> Webhook | None:
        found = self._state.webhooks.get(webhook_id)
        return detached(found) if found is not None else None

    def list(self, owner=None) -> builtins.list[Webhook]:
        return [
            detached(w)
            for _, w in sorted(self._state.webhooks.items())
            if owner is None or (w.owner_kind.value, w.owner_id) == tuple(owner)
        ]

    def update(self, webhook: Webhook) -> Webhook:
        if webhook.id not in self._state.webhooks:
            raise NotFound(f"no webhook {webhook.id}")
        self._state.webhooks[webhook.id] = webhook.model_copy(deep=True)
        return detached(webhook)

    def remove(self, webhook_id: int) -> bool:
        for i, d in builtins.list(self._state.deliveries.items()):
            if d.webhook_id == webhook_id:
                del self._state.deliveries[i]
        return self._state.webhooks.pop(webhook_id, None) is not None

    def add_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery:
        stored = delivery.model_copy(update={"id": self._state.next_id("deliveries")}, deep=True)
        self._state.deliveries[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def get_delivery(self, delivery_id: int) -> WebhookDelivery | None:
        found = self._state.deliveries.get(delivery_id)
        return detached(found) if found is not None else None

    def update_delivery(self, delivery: WebhookDelivery) -> WebhookDelivery:
        if delivery.id not in self._state.deliveries:
            raise NotFound(f"no webhook delivery {delivery.id}")
        self._state.deliveries[delivery.id] = delivery.model_copy(deep=True)
        return detached(delivery)

    def _pending(self) -> builtins.list[WebhookDelivery]:
        return sorted(
            (d for d in self._state.deliveries.values() if d.status is DeliveryStatus.PENDING),
            key=lambda d: (d.next_attempt_at, d.id),
        )

    def due(self, at: datetime, limit: int = 100) -> builtins.list[int]:
        return [d.id for d in self._pending() if d.id is not None and d.next_attempt_at <= at][
            :limit
        ]

    def next_due(self) -> datetime | None:
        pending = self._pending()
        return pending[0].next_attempt_at if pending else None

    def claim(self, delivery_id: int) -> bool:
        found = self._state.deliveries.get(delivery_id)
        if found is None or found.status is not DeliveryStatus.PENDING:
            return False
        self._state.deliveries[delivery_id] = found.model_copy(
            update={"status": DeliveryStatus.SENDING}
        )
        return True

    def claim_many(self, delivery_ids) -> builtins.list[int]:
        return [i for i in delivery_ids if self.claim(i)]

    def deliveries(self, webhook_id: int, limit: int | None = 50) -> builtins.list[WebhookDelivery]:
        found = [
            d
            for _, d in sorted(self._state.deliveries.items(), reverse=True)
            if d.webhook_id == webhook_id
        ]
        return [detached(d) for d in page(found, limit, 0)]


class FakeReportRepository(_Repository):
    def add(self, report: Report) -> Report:
        if any(r.number == report.number for r in self._state.reports.values()):
            raise Conflict(f"report {report.number} clashes with stored data")
        stored = report.model_copy(update={"id": self._state.next_id("reports")}, deep=True)
        self._state.reports[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def get(self, report_id: int) -> Report | None:
        found = self._state.reports.get(report_id)
        return detached(found) if found is not None else None

    def get_by_number(self, number: str) -> Report | None:
        found = next((r for r in self._state.reports.values() if r.number == number), None)
        return detached(found) if found is not None else None

    def list(
        self, *, status=None, kind=None, enterprise_id=None, limit=100, offset=0
    ) -> builtins.list[Report]:
        found = [
            r
            for r in self._state.reports.values()
            if (status is None or r.status.value == str(status))
            and (kind is None or r.kind.value == str(kind))
            and (enterprise_id is None or r.enterprise_id == enterprise_id)
        ]
        found.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return [detached(r) for r in page(found, limit, offset)]

    def count(self, *, status=None, kind=None, enterprise_id=None) -> int:
        return len(self.list(status=status, kind=kind, enterprise_id=enterprise_id, limit=None))

    def update(self, report: Report) -> Report:
        if report.id not in self._state.reports:
            raise NotFound(f"no report {report.id}")
        self._state.reports[report.id] = report.model_copy(deep=True)
        return detached(report)


class FakeUnitOfWork:
    """``with uow: ...; uow.commit()``; leaving the outermost block without commit rolls back."""

    def __init__(self, zone: str | None = None) -> None:
        self.zone = zone
        self.committed = _State()
        self._working: _State | None = None
        self.commits = 0
        self._depth = 0
        self.hubs = FakeHubRepository(self)
        self.enterprises = FakeEnterpriseRepository(self)
        self.loads = FakeLoadRepository(self)
        self.transfers = FakeTransferRepository(self)
        self.proposals = FakeProposalRepository(self)
        self.tokens = FakeTokenRepository(self)
        self.users = FakeUserRepository(self)
        self.plans = FakePlanRepository(self)
        self.activations = FakeActivationRepository(self)
        self.incidents = FakeIncidentRepository(self)
        self.audit = FakeAuditRepository(self)
        self.config = FakeConfigRepository(self)
        self.events = FakeEventRepository(self)
        self.webhooks = FakeWebhookRepository(self)
        self.reports = FakeReportRepository(self)

    @property
    def state(self) -> _State:
        """The transaction's working state; like the SQL unit of work, only inside a block."""
        if self._working is None:
            raise RuntimeError("repositories are only available inside `with uow:`")
        return self._working

    def _working_copy(self) -> _State:
        state = copy.deepcopy(self.committed)
        state.last_id = self.committed.last_id  # shared: ids are never reused
        return state

    def __enter__(self) -> FakeUnitOfWork:
        if self._depth == 0:
            self._working = self._working_copy()
        self._depth += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._working = None  # what was not committed is dropped

    def commit(self) -> None:
        self.committed = self.state
        self._working = self._working_copy()
        self.commits += 1

    def rollback(self) -> None:
        self.state  # noqa: B018 - raises outside a block, as SqlUnitOfWork does
        self._working = self._working_copy()


if TYPE_CHECKING:
    from hub_scheduler.ports import UnitOfWork

    def _implements_the_port(uow: FakeUnitOfWork) -> UnitOfWork:
        # Never called: mypy checks here that the fake matches every Protocol (test_fake_ports.py).
        return uow

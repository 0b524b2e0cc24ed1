"""An in-memory `UnitOfWork` (hub_scheduler/ports/), so services get millisecond unit tests.

It keeps domain objects in dicts and behaves as `models.uow.SqlUnitOfWork` does (the repositories
are here and in `fake_loads.py`, `fake_events.py` and `fake_plans.py`, on `fake_base.py`): the
contract tests (tests/integration/test_db_repository_contract.py) run one suite on both.
Snapshot semantics: the outermost ``with uow:`` copies the state, `commit()` makes the current
state the one to keep, and leaving the block (or `rollback()`) restores what was last committed. A
Conflict raised while storing (`add_many`, a clashing key) rolls the transaction back, as the SQL
adapter's failed flush does.
"""

from __future__ import annotations

import builtins
import copy
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Unpack

from pydantic_core import to_jsonable_python

from hub_scheduler.domain import (
    BlockedWindow,
    Enterprise,
    Hub,
    HubStatus,
)
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.ports.records import AuditFilters
from hub_scheduler.records import (
    Activation,
    ApiToken,
    AuditEntry,
    Incident,
    Report,
    WebUser,
)
from tests.unit.fake_base import FakeRepository, FakeState
from tests.unit.fake_events import FakeEventRepository, FakeWebhookRepository
from tests.unit.fake_loads import (
    FakeLoadRepository,
    FakeProposalRepository,
    FakeTransferRepository,
)
from tests.unit.fake_plans import FakePlanRepository, detached, page

R = TypeVar("R", Activation, Incident)


class FakeHubRepository(FakeRepository):
    def add(self, hub: Hub) -> Hub:
        return self._add_new(self._state.hubs, "hub", hub)

    def get(self, hub_id: str) -> Hub | None:
        return self._found(self._state.hubs, hub_id)

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


class FakeEnterpriseRepository(FakeRepository):
    def add(self, enterprise: Enterprise) -> Enterprise:
        return self._add_new(self._state.enterprises, "enterprise", enterprise)

    def get(self, enterprise_id: str) -> Enterprise | None:
        return self._found(self._state.enterprises, enterprise_id)

    def exists(self, enterprise_id: str) -> bool:
        return enterprise_id in self._state.enterprises

    def list(self, whitelisted: bool | None = None) -> list[Enterprise]:
        found = sorted(self._state.enterprises.values(), key=lambda e: e.id)
        return [detached(e) for e in found if whitelisted is None or e.whitelisted == whitelisted]

    def update(self, enterprise: Enterprise) -> Enterprise:
        missing = f'no enterprise "{enterprise.id}"'
        return self._replace(self._state.enterprises, enterprise.id, enterprise, missing)


class FakeTokenRepository(FakeRepository):
    def add(self, token: ApiToken) -> ApiToken:
        if any(t.token_hash == token.token_hash for t in self._state.tokens.values()):
            raise self._conflict("token clashes with stored data: the hash exists")
        self._check_enterprise("token", token.enterprise_id)
        return self._insert(self._state.tokens, "token", token)

    def get(self, token_id: int) -> ApiToken | None:
        return self._found(self._state.tokens, token_id)

    def get_by_hash(self, token_hash: str) -> ApiToken | None:
        return self._first(self._state.tokens, lambda t: t.token_hash == token_hash)

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


class FakeUserRepository(FakeRepository):
    def add(self, user: WebUser) -> WebUser:
        if any(u.name == user.name for u in self._state.users.values()):
            raise self._conflict(f'user clashes with stored data: the name "{user.name}" exists')
        self._check_enterprise("user", user.enterprise_id)
        return self._insert(self._state.users, "user", user)

    def get(self, user_id: int) -> WebUser | None:
        return self._found(self._state.users, user_id)

    def get_by_name(self, name: str) -> WebUser | None:
        return self._first(self._state.users, lambda u: u.name == name)

    def list(self) -> list[WebUser]:
        return [detached(u) for u in sorted(self._state.users.values(), key=lambda u: u.name)]

    def update(self, user: WebUser) -> WebUser:
        return self._replace(self._state.users, user.id, user, f"no user {user.id}")


class _Numbered(FakeRepository, Generic[R]):
    """Activations and incidents: numbered records, newest first."""

    kind = ""
    newest = ""

    def _items(self) -> dict[int, R]:
        return getattr(self._state, self.kind)

    def add(self, record: R) -> R:
        return self._insert(self._items(), self.kind, record)

    def get(self, record_id: int) -> R | None:
        return self._found(self._items(), record_id)

    def list(self, limit: int | None = 100, offset: int = 0) -> list[R]:
        items = sorted(
            self._items().values(), key=lambda r: (getattr(r, self.newest), r.id), reverse=True
        )
        return page(items, limit, offset)

    def update(self, record: R) -> R:
        return self._replace(self._items(), record.id, record, f"no {self.kind[:-1]} {record.id}")


class FakeActivationRepository(_Numbered[Activation]):
    kind, newest = "activations", "at"


class FakeIncidentRepository(_Numbered[Incident]):
    kind, newest = "incidents", "reported_at"


class FakeAuditRepository(FakeRepository):
    def add(self, entry: AuditEntry) -> AuditEntry:
        return self._insert(self._state.audit, "audit", entry, deep=True)

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


class FakeConfigRepository(FakeRepository):
    def get(self, key: str, default: Any = None) -> Any:
        return copy.deepcopy(self._state.config.get(key, default))

    def set(self, key: str, value: Any) -> None:
        self._state.config[key] = to_jsonable_python(value)  # stored as JSON, like the SQL column

    def add(self, key: str, value: Any) -> None:
        if key in self._state.config:
            raise Conflict(f'config key "{key}" exists already')
        self.set(key, value)


class FakeReportRepository(FakeRepository):
    def add(self, report: Report) -> Report:
        if any(r.number == report.number for r in self._state.reports.values()):
            raise Conflict(f"report {report.number} clashes with stored data")
        return self._insert(self._state.reports, "reports", report, deep=True)

    def get(self, report_id: int) -> Report | None:
        return self._found(self._state.reports, report_id)

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
        self.committed = FakeState()
        self._working: FakeState | None = None
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
    def state(self) -> FakeState:
        """The transaction's working state; like the SQL unit of work, only inside a block."""
        if self._working is None:
            raise RuntimeError("repositories are only available inside `with uow:`")
        return self._working

    def _working_copy(self) -> FakeState:
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

    def read_snapshot(self) -> None:
        """The working copy is a snapshot already."""
        self.state  # noqa: B018 - raises outside a block


if TYPE_CHECKING:
    from hub_scheduler.ports import UnitOfWork

    def _implements_the_port(uow: FakeUnitOfWork) -> UnitOfWork:
        # Never called: mypy checks here that the fake matches every Protocol (test_fake_ports.py).
        return uow

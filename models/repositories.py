"""SQLAlchemy repositories: domain objects in, domain objects out, on one session.

Each repository works inside the unit of work's transaction and never commits. Missing objects are
`None` from `get` and `NotFound` from changes; clashing ids and keys are `Conflict`.
"""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, or_, select, text, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session, selectinload

from hub_scheduler.domain import (
    BlockedWindow,
    Enterprise,
    Hub,
    HubStatus,
    Load,
    LoadStatus,
    Schedule,
    Transfer,
)
from hub_scheduler.errors import Conflict, NotFound, ValidationFailed
from hub_scheduler.ports import LoadMeta, PlacedLoad
from hub_scheduler.records import Activation, ApiToken, AuditEntry, Incident, JobStatus, Plan
from models import convert
from models.tables import (
    ActivationRow,
    ApiTokenRow,
    AuditRow,
    BlockedWindowRow,
    ConfigRow,
    EnterpriseRow,
    HubRow,
    IncidentRow,
    LoadRow,
    PlanAssignmentRow,
    PlanRow,
    TransferRow,
    ZoneRow,
)


def now() -> datetime:
    return datetime.now(UTC)


def _value(enum_or_str: Any) -> str:
    return getattr(enum_or_str, "value", enum_or_str)


def _flush(session: Session, what: str, write: Callable[[], Any] | None = None) -> None:
    """Flush (or run `write`); a constraint violation is a Conflict, a value the database cannot
    hold (an integer beyond PostgreSQL's range) is ValidationFailed. Either way the transaction is
    rolled back."""
    try:
        if write is None:
            session.flush()
        else:
            write()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(f"{what} clashes with stored data: {_first_line(exc)}") from None
    except DataError as exc:
        session.rollback()
        raise ValidationFailed(
            f"{what} has a value the database cannot store: {_first_line(exc)}"
        ) from None


def _first_line(exc: DBAPIError) -> str:
    return (str(exc.orig) if exc.orig else str(exc)).splitlines()[0]


def _page(query: Select, limit: int | None, offset: int) -> Select:
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return query


class _Repository:
    def __init__(self, session: Session):
        self.session = session


# --- hubs -----------------------------------------------------------------------------------------


class SqlHubRepository(_Repository):
    def _row(self, hub_id: str) -> HubRow | None:
        return self.session.scalars(
            select(HubRow).where(HubRow.id == hub_id).options(*self._children())
        ).one_or_none()

    @staticmethod
    def _children() -> list[Any]:
        return [
            selectinload(HubRow.zones).selectinload(ZoneRow.docks),
            selectinload(HubRow.opening_hours),
            selectinload(HubRow.blocked),
        ]

    def _required(self, hub_id: str) -> HubRow:
        row = self._row(hub_id)
        if row is None:
            raise NotFound(f'no hub "{hub_id}"')
        return row

    def add(self, hub: Hub) -> Hub:
        if self.session.get(HubRow, hub.id) is not None:
            raise Conflict(f'hub "{hub.id}" already exists')
        moment = now()
        row = convert.fill_hub_row(HubRow(created_at=moment, updated_at=moment), hub)
        self.session.add(row)
        _flush(self.session, f'hub "{hub.id}"')
        return convert.hub_from_row(row)

    def get(self, hub_id: str) -> Hub | None:
        row = self._row(hub_id)
        return convert.hub_from_row(row) if row is not None else None

    def list(self, status: HubStatus | str | None = None) -> list[Hub]:
        query = select(HubRow).options(*self._children()).order_by(HubRow.id)
        if status is not None:
            query = query.where(HubRow.status == _value(status))
        return [convert.hub_from_row(r) for r in self.session.scalars(query)]

    def update(self, hub: Hub) -> Hub:
        row = self._required(hub.id)
        # Children are replaced wholesale; flushing the removals first keeps their keys free.
        row.zones.clear()
        row.opening_hours.clear()
        row.blocked.clear()
        self.session.flush()
        convert.fill_hub_row(row, hub)
        row.updated_at = now()
        _flush(self.session, f'hub "{hub.id}"')
        return convert.hub_from_row(row)

    def set_status(self, hub_id: str, status: HubStatus | str) -> Hub:
        row = self._required(hub_id)
        row.status = HubStatus(_value(status)).value
        row.updated_at = now()
        self.session.flush()
        return convert.hub_from_row(row)

    def add_blocked(self, hub_id: str, window: BlockedWindow) -> BlockedWindow:
        row = self._required(hub_id)
        if window.id is None:
            window = window.model_copy(update={"id": "B" + secrets.token_hex(4)})
        blocked = convert.blocked_window_row(window)
        row.blocked.append(blocked)
        row.updated_at = now()
        _flush(self.session, f'blocked window "{window.id}" at hub "{hub_id}"')
        return convert.blocked_window_from_row(blocked)

    def remove_blocked(self, hub_id: str, window_id: str) -> bool:
        result = self.session.execute(
            delete(BlockedWindowRow).where(
                BlockedWindowRow.hub_id == hub_id, BlockedWindowRow.window_id == window_id
            )
        )
        self.session.expire_all()
        return bool(result.rowcount)


# --- enterprises ----------------------------------------------------------------------------------


class SqlEnterpriseRepository(_Repository):
    def add(self, enterprise: Enterprise) -> Enterprise:
        if self.session.get(EnterpriseRow, enterprise.id) is not None:
            raise Conflict(f'enterprise "{enterprise.id}" already exists')
        moment = now()
        row = convert.fill_enterprise_row(
            EnterpriseRow(created_at=moment, updated_at=moment), enterprise
        )
        self.session.add(row)
        _flush(self.session, f'enterprise "{enterprise.id}"')
        return convert.enterprise_from_row(row)

    def get(self, enterprise_id: str) -> Enterprise | None:
        row = self.session.get(EnterpriseRow, enterprise_id)
        return convert.enterprise_from_row(row) if row is not None else None

    def list(self, whitelisted: bool | None = None) -> list[Enterprise]:
        query = select(EnterpriseRow).order_by(EnterpriseRow.id)
        if whitelisted is not None:
            query = query.where(EnterpriseRow.whitelisted == whitelisted)
        return [convert.enterprise_from_row(r) for r in self.session.scalars(query)]

    def update(self, enterprise: Enterprise) -> Enterprise:
        row = self.session.get(EnterpriseRow, enterprise.id)
        if row is None:
            raise NotFound(f'no enterprise "{enterprise.id}"')
        convert.fill_enterprise_row(row, enterprise)
        row.updated_at = now()
        self.session.flush()
        return convert.enterprise_from_row(row)


# --- loads ----------------------------------------------------------------------------------------


def _statuses(status: Any) -> list[str] | None:
    if status is None:
        return None
    if isinstance(status, str):  # a StrEnum is a str too
        return [LoadStatus(_value(status)).value]
    return [LoadStatus(_value(s)).value for s in status]


class SqlLoadRepository(_Repository):
    def add(
        self, load: Load, *, idempotency_key: str | None = None, created_by: str | None = None
    ) -> Load:
        # One narrow query for both clashes (the id, the enterprise's key) rather than two rows.
        clash = LoadRow.id == load.id
        if idempotency_key is not None:
            clash = or_(
                clash,
                and_(
                    LoadRow.enterprise_id == load.enterprise_id,
                    LoadRow.idempotency_key == idempotency_key,
                ),
            )
        taken = self.session.scalars(select(LoadRow.id).where(clash).limit(2)).all()
        if load.id in taken:
            raise Conflict(f'load "{load.id}" already exists')
        if taken:
            raise Conflict(f'idempotency key "{idempotency_key}" was already used')
        moment = now()
        row = convert.fill_load_row(
            LoadRow(
                created_at=moment,
                updated_at=moment,
                idempotency_key=idempotency_key,
                created_by=created_by,
            ),
            load,
        )
        self.session.add(row)
        _flush(self.session, f'load "{load.id}"')
        return convert.load_from_row(row)

    def add_many(self, loads: Iterable[Load], created_by: str | None = None) -> int:
        """Store many new loads in one flush (no per-load checks: the caller has made them)."""
        moment = now()
        bookkeeping = {"created_at": moment, "updated_at": moment, "created_by": created_by}
        values = [{**convert.load_row_values(ld), **bookkeeping} for ld in loads]
        if values:
            # A bulk INSERT, not one ORM object per load: a 10,000-row sheet spent most of its time
            # building and flushing objects nobody reads back. render_nulls keeps every row's
            # columns alike, so the rows go in a few multi-row statements rather than many small
            # groups split wherever an optional field is empty.
            statement = insert(LoadRow).execution_options(render_nulls=True)
            _flush(self.session, "loads", lambda: self.session.execute(statement, values))
        return len(values)

    def get(self, load_id: str) -> Load | None:
        row = self.session.get(LoadRow, load_id)
        return convert.load_from_row(row) if row is not None else None

    def get_many(self, load_ids: Iterable[str]) -> list[Load]:
        ids = list(dict.fromkeys(load_ids))
        rows: dict[str, LoadRow] = {}
        for chunk in range(0, len(ids), 500):  # stay under bound-parameter limits
            part = ids[chunk : chunk + 500]
            rows.update(
                (r.id, r) for r in self.session.scalars(select(LoadRow).where(LoadRow.id.in_(part)))
            )
        return [convert.load_from_row(rows[i]) for i in ids if i in rows]

    def _filtered(
        self,
        query: Select,
        *,
        status: Any = None,
        hub_id: str | None = None,
        enterprise_id: str | None = None,
        release_from: datetime | None = None,
        release_to: datetime | None = None,
        vehicle_plate: str | None = None,
    ) -> Select:
        statuses = _statuses(status)
        if statuses is not None:
            query = query.where(LoadRow.status.in_(statuses))
        if enterprise_id is not None:
            query = query.where(LoadRow.enterprise_id == enterprise_id)
        if release_from is not None:
            query = query.where(LoadRow.release >= release_from)
        if release_to is not None:
            query = query.where(LoadRow.release < release_to)
        if vehicle_plate is not None:
            query = query.where(LoadRow.vehicle_plate == vehicle_plate)
        if hub_id is not None:
            # A load is "at" a hub when a published plan places it there or it is pinned there.
            placed = (
                select(PlanAssignmentRow.load_id)
                .join(PlanRow, PlanRow.id == PlanAssignmentRow.plan_id)
                .where(PlanRow.published.is_(True), PlanAssignmentRow.hub_id == hub_id)
            )
            query = query.where(or_(LoadRow.pinned_hub_id == hub_id, LoadRow.id.in_(placed)))
        return query

    def list(
        self,
        *,
        status: Any = None,
        hub_id: str | None = None,
        enterprise_id: str | None = None,
        release_from: datetime | None = None,
        release_to: datetime | None = None,
        vehicle_plate: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Load]:
        query = self._filtered(
            select(LoadRow),
            status=status,
            hub_id=hub_id,
            enterprise_id=enterprise_id,
            release_from=release_from,
            release_to=release_to,
            vehicle_plate=vehicle_plate,
        ).order_by(LoadRow.release, LoadRow.id)
        return [convert.load_from_row(r) for r in self.session.scalars(_page(query, limit, offset))]

    def count(self, **filters: Any) -> int:
        query = self._filtered(select(func.count()).select_from(LoadRow), **filters)
        return int(self.session.scalar(query) or 0)

    def _required(self, load_id: str) -> LoadRow:
        row = self.session.get(LoadRow, load_id)
        if row is None:
            raise NotFound(f'no load "{load_id}"')
        return row

    def update(self, load: Load) -> Load:
        row = self._required(load.id)
        convert.fill_load_row(row, load)
        row.updated_at = now()
        _flush(self.session, f'load "{load.id}"')
        return convert.load_from_row(row)

    def set_status(self, load_id: str, status: LoadStatus | str) -> Load:
        row = self._required(load_id)
        row.status = LoadStatus(_value(status)).value
        row.updated_at = now()
        self.session.flush()
        return convert.load_from_row(row)

    def _by_key(self, enterprise_id: str, key: str) -> LoadRow | None:
        return self.session.scalars(
            select(LoadRow).where(
                LoadRow.enterprise_id == enterprise_id, LoadRow.idempotency_key == key
            )
        ).one_or_none()

    def get_by_idempotency_key(self, enterprise_id: str, key: str) -> Load | None:
        row = self._by_key(enterprise_id, key)
        return convert.load_from_row(row) if row is not None else None

    def meta(self, load_id: str) -> LoadMeta | None:
        row = self.session.get(LoadRow, load_id)
        if row is None:
            return None
        return LoadMeta(
            created_at=row.created_at,
            updated_at=row.updated_at,
            idempotency_key=row.idempotency_key,
            created_by=row.created_by,
        )


class SqlTransferRepository(_Repository):
    def add(self, transfer: Transfer) -> Transfer:
        existing = self.session.scalars(
            select(TransferRow).where(TransferRow.outbound == transfer.outbound)
        ).one_or_none()
        if existing is not None:
            raise Conflict(f'load "{transfer.outbound}" is already the outbound of a transfer')
        row = convert.fill_transfer_row(TransferRow(), transfer)
        self.session.add(row)
        _flush(self.session, f'transfer "{transfer.inbound}" -> "{transfer.outbound}"')
        return convert.transfer_from_row(row)

    def list(self, load_ids: Iterable[str] | None = None) -> list[Transfer]:
        rows = self.session.scalars(select(TransferRow).order_by(TransferRow.pk))
        transfers = [convert.transfer_from_row(r) for r in rows]
        if load_ids is None:
            return transfers
        wanted = set(load_ids)
        return [t for t in transfers if t.inbound in wanted and t.outbound in wanted]

    def for_load(self, load_id: str) -> list[Transfer]:
        rows = self.session.scalars(
            select(TransferRow)
            .where(or_(TransferRow.inbound == load_id, TransferRow.outbound == load_id))
            .order_by(TransferRow.pk)
        )
        return [convert.transfer_from_row(r) for r in rows]

    def remove(self, inbound: str, outbound: str) -> bool:
        result = self.session.execute(
            delete(TransferRow).where(
                TransferRow.inbound == inbound, TransferRow.outbound == outbound
            )
        )
        return bool(result.rowcount)


# --- tokens ---------------------------------------------------------------------------------------


class SqlTokenRepository(_Repository):
    def add(self, token: ApiToken) -> ApiToken:
        row = convert.token_row(token)
        self.session.add(row)
        _flush(self.session, "token")
        return convert.token_from_row(row)

    def get(self, token_id: int) -> ApiToken | None:
        row = self.session.get(ApiTokenRow, token_id)
        return convert.token_from_row(row) if row is not None else None

    def by_hash(self, token_hash: str) -> ApiToken | None:
        row = self.session.scalars(
            select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)
        ).one_or_none()
        return convert.token_from_row(row) if row is not None else None

    get_by_hash = by_hash

    def list(self, include_revoked: bool = True) -> list[ApiToken]:
        query = select(ApiTokenRow).order_by(ApiTokenRow.id)
        if not include_revoked:
            query = query.where(ApiTokenRow.revoked_at.is_(None))
        return [convert.token_from_row(r) for r in self.session.scalars(query)]

    def revoke(self, token_id: int, at: datetime | None = None) -> ApiToken:
        row = self.session.get(ApiTokenRow, token_id)
        if row is None:
            raise NotFound(f"no token {token_id}")
        if row.revoked_at is None:  # revoking twice keeps the first time
            row.revoked_at = at or now()
            self.session.flush()
        return convert.token_from_row(row)


# --- plans ----------------------------------------------------------------------------------------


class SqlPlanRepository(_Repository):
    def _row(self, plan_id: int, with_rows: bool = True) -> PlanRow | None:
        query = select(PlanRow).where(PlanRow.id == plan_id)
        if with_rows:
            query = query.options(
                selectinload(PlanRow.assignments), selectinload(PlanRow.unscheduled)
            )
        return self.session.scalars(query).one_or_none()

    def _required(self, plan_id: int, with_rows: bool = True) -> PlanRow:
        row = self._row(plan_id, with_rows)
        if row is None:
            raise NotFound(f"no plan {plan_id}")
        return row

    def _set_schedule(self, row: PlanRow, schedule: Schedule | None) -> None:
        if row.assignments or row.unscheduled:
            row.assignments.clear()
            row.unscheduled.clear()
            self.session.flush()  # free (plan_id, load_id) before the new rows go in
        convert.fill_schedule_header(row, schedule)
        if schedule is not None:
            row.assignments, row.unscheduled = convert.schedule_rows(schedule)

    def add(self, plan: Plan) -> Plan:
        row = convert.fill_plan_row(PlanRow(), plan)
        if plan.schedule is not None:
            row.assignments, row.unscheduled = convert.schedule_rows(plan.schedule)
        self.session.add(row)
        _flush(self.session, "plan")
        return convert.plan_from_row(row)

    def get(self, plan_id: int, with_rows: bool = True) -> Plan | None:
        row = self._row(plan_id, with_rows)
        return convert.plan_from_row(row, with_rows) if row is not None else None

    def list(
        self,
        *,
        horizon_start: datetime | None = None,
        horizon_end: datetime | None = None,
        status: JobStatus | str | None = None,
        published: bool | None = None,
        limit: int | None = 50,
        offset: int = 0,
    ) -> list[Plan]:
        query = select(PlanRow).order_by(PlanRow.id.desc())
        if horizon_start is not None:
            query = query.where(PlanRow.horizon_start == horizon_start)
        if horizon_end is not None:
            query = query.where(PlanRow.horizon_end == horizon_end)
        if status is not None:
            query = query.where(PlanRow.status == JobStatus(_value(status)).value)
        if published is not None:
            query = query.where(PlanRow.published.is_(published))
        rows = self.session.scalars(_page(query, limit, offset))
        return [convert.plan_from_row(r, with_rows=False) for r in rows]

    def update(self, plan: Plan) -> Plan:
        if plan.id is None:
            raise NotFound("a plan without an id was never stored")
        row = self._required(plan.id)
        convert.fill_plan_row(row, plan)
        self._set_schedule(row, plan.schedule)
        _flush(self.session, f"plan {plan.id}")
        return convert.plan_from_row(row)

    def set_status(
        self,
        plan_id: int,
        status: JobStatus | str,
        *,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        error: str | None = None,
    ) -> Plan:
        row = self._required(plan_id, with_rows=False)
        row.status = JobStatus(_value(status)).value
        if started_at is not None:
            row.started_at = started_at
        if finished_at is not None:
            row.finished_at = finished_at
        if error is not None:
            row.error = error
        self.session.flush()
        return convert.plan_from_row(row, with_rows=False)

    def set_progress(self, plan_id: int, progress: dict[str, Any]) -> None:
        row = self._required(plan_id, with_rows=False)
        row.progress = convert.to_jsonable_python(progress)
        self.session.flush()

    def set_result(
        self,
        plan_id: int,
        schedule: Schedule,
        *,
        status: JobStatus | str = JobStatus.SUCCEEDED,
        finished_at: datetime | None = None,
    ) -> Plan:
        row = self._required(plan_id)
        self._set_schedule(row, schedule)
        row.status = JobStatus(_value(status)).value
        row.finished_at = finished_at or now()
        _flush(self.session, f"plan {plan_id}")
        return convert.plan_from_row(row)

    def published_for(
        self, horizon_start: datetime, horizon_end: datetime | None = None
    ) -> Plan | None:
        query = select(PlanRow.id).where(PlanRow.published.is_(True))
        if horizon_end is not None:
            query = query.where(
                PlanRow.horizon_start == horizon_start, PlanRow.horizon_end == horizon_end
            )
        else:
            query = query.where(
                PlanRow.horizon_start <= horizon_start, PlanRow.horizon_end > horizon_start
            )
        plan_id = self.session.scalars(
            query.order_by(PlanRow.published_at.desc(), PlanRow.id.desc()).limit(1)
        ).first()
        return self.get(plan_id) if plan_id is not None else None

    def publish(
        self, plan_id: int, *, actor: str | None = None, at: datetime | None = None
    ) -> Plan:
        row = self._required(plan_id, with_rows=False)
        if row.status != JobStatus.SUCCEEDED.value or row.schedule_status is None:
            raise Conflict(
                f"plan {plan_id} has no successful schedule to publish (status {row.status})"
            )
        if row.published:
            return self.get(plan_id)  # type: ignore[return-value]
        self._lock_horizon(row)
        previous = self.session.scalars(
            select(PlanRow)
            .where(
                PlanRow.published.is_(True),
                PlanRow.horizon_start == row.horizon_start,
                PlanRow.horizon_end == row.horizon_end,
            )
            .with_for_update()
        ).all()
        for old in previous:
            old.published = False
        self.session.flush()  # the old one must stop being published before the new one starts
        row.published = True
        row.published_at = at or now()
        row.published_by = actor
        _flush(self.session, f"publishing plan {plan_id}")
        return self.get(plan_id)  # type: ignore[return-value]

    def _lock_horizon(self, row: PlanRow) -> None:
        """Make concurrent publishers of one horizon take turns, so the second replaces the first.

        PostgreSQL: a transaction-level advisory lock keyed by the horizon. SQLite: a no-op write,
        which takes the database's write lock until commit. The partial unique index stays the
        last guard either way.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            key = zlib.crc32(
                f"{row.horizon_start.isoformat()}/{row.horizon_end.isoformat()}".encode()
            )
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        else:
            self.session.execute(
                update(PlanRow).where(PlanRow.id == row.id).values(published=PlanRow.published)
            )

    def unpublish(self, plan_id: int) -> Plan:
        row = self._required(plan_id, with_rows=False)
        row.published = False
        self.session.flush()
        return self.get(plan_id)  # type: ignore[return-value]

    def published_assignments(
        self,
        *,
        hub_id: str | None = None,
        dock_id: str | None = None,
        load_ids: Iterable[str] | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
    ) -> list[PlacedLoad]:
        query = (
            select(PlanAssignmentRow)
            .join(PlanRow, PlanRow.id == PlanAssignmentRow.plan_id)
            .where(PlanRow.published.is_(True))
            .order_by(PlanAssignmentRow.start, PlanAssignmentRow.pk)
        )
        if hub_id is not None:
            query = query.where(PlanAssignmentRow.hub_id == hub_id)
        if dock_id is not None:
            query = query.where(PlanAssignmentRow.dock_id == dock_id)
        if load_ids is not None:
            query = query.where(PlanAssignmentRow.load_id.in_(list(load_ids)))
        if start_before is not None:
            query = query.where(PlanAssignmentRow.start < start_before)
        if end_after is not None:
            query = query.where(PlanAssignmentRow.end > end_after)
        return [
            PlacedLoad(plan_id=r.plan_id, assignment=convert.assignment_from_row(r))
            for r in self.session.scalars(query)
        ]


# --- activations, incidents, audit, config --------------------------------------------------------


class SqlActivationRepository(_Repository):
    def add(self, activation: Activation) -> Activation:
        row = convert.fill_activation_row(ActivationRow(), activation)
        self.session.add(row)
        _flush(self.session, "activation")
        return convert.activation_from_row(row)

    def get(self, activation_id: int) -> Activation | None:
        row = self.session.get(ActivationRow, activation_id)
        return convert.activation_from_row(row) if row is not None else None

    def list(self, limit: int | None = 100, offset: int = 0) -> list[Activation]:
        query = select(ActivationRow).order_by(ActivationRow.at.desc(), ActivationRow.id.desc())
        return [
            convert.activation_from_row(r)
            for r in self.session.scalars(_page(query, limit, offset))
        ]

    def update(self, activation: Activation) -> Activation:
        row = self.session.get(ActivationRow, activation.id) if activation.id is not None else None
        if row is None:
            raise NotFound(f"no activation {activation.id}")
        convert.fill_activation_row(row, activation)
        _flush(self.session, f"activation {activation.id}")
        return convert.activation_from_row(row)


class SqlIncidentRepository(_Repository):
    def add(self, incident: Incident) -> Incident:
        row = convert.fill_incident_row(IncidentRow(), incident)
        self.session.add(row)
        _flush(self.session, "incident")
        return convert.incident_from_row(row)

    def get(self, incident_id: int) -> Incident | None:
        row = self.session.get(IncidentRow, incident_id)
        return convert.incident_from_row(row) if row is not None else None

    def list(self, limit: int | None = 100, offset: int = 0) -> list[Incident]:
        query = select(IncidentRow).order_by(IncidentRow.reported_at.desc(), IncidentRow.id.desc())
        return [
            convert.incident_from_row(r) for r in self.session.scalars(_page(query, limit, offset))
        ]

    def update(self, incident: Incident) -> Incident:
        row = self.session.get(IncidentRow, incident.id) if incident.id is not None else None
        if row is None:
            raise NotFound(f"no incident {incident.id}")
        convert.fill_incident_row(row, incident)
        _flush(self.session, f"incident {incident.id}")
        return convert.incident_from_row(row)


class SqlAuditRepository(_Repository):
    """Append-only by construction: there is no method that changes or removes an entry."""

    def append(self, entry: AuditEntry) -> AuditEntry:
        row = convert.audit_row(entry)
        self.session.add(row)
        self.session.flush()
        return convert.audit_from_row(row)

    add = append

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
            convert.audit_from_row(r) for r in self.session.scalars(_page(query, limit, offset))
        ]


class SqlConfigRepository(_Repository):
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

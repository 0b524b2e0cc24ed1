"""Plans (jobs and their results) and the assignments of published plans."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Unpack

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import selectinload

from hub_scheduler.domain import (
    Schedule,
)
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.ports.plans import LoadInForce, PlacedLoad, PlanFilters
from hub_scheduler.records import JobStatus, Plan
from models import convert
from models.repositories.base import enum_value, flush, now, paged
from models.repositories.plan_figures import PlanFigures
from models.repositories.plan_rows import PlanRowEdits
from models.tables import (
    PlanAssignmentRow,
    PlanRow,
    PlanUnscheduledRow,
)

# The advisory lock every publisher takes (PostgreSQL): any fixed 64-bit number of our own.
_PUBLISH_LOCK = 0x48554250  # "HUBP"


def _rows(result: Any) -> int:
    """Rows an UPDATE matched (a CursorResult's `rowcount`)."""
    return int(getattr(result, "rowcount", 0) or 0)


class SqlPlanRepository(PlanRowEdits, PlanFigures):
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
        if row.rows_version is not None:
            # A whole schedule comes with its figures: caught up with its rows (and a recount
            # of the rows it replaces, still running, can no longer write, plan_figures.py).
            row.figures_version = row.rows_version

    def add(self, plan: Plan) -> Plan:
        row = convert.fill_plan_row(PlanRow(), plan)
        if plan.schedule is not None:
            row.assignments, row.unscheduled = convert.schedule_rows(plan.schedule)
        self.session.add(row)
        flush(self.session, "plan")
        return convert.plan_from_row(row)

    def get(self, plan_id: int, with_rows: bool = True) -> Plan | None:
        row = self._row(plan_id, with_rows)
        return convert.plan_from_row(row, with_rows) if row is not None else None

    def list(
        self, *, limit: int | None = 50, offset: int = 0, **filters: Unpack[PlanFilters]
    ) -> list[Plan]:
        query = select(PlanRow).order_by(PlanRow.id.desc())
        for column in ("horizon_start", "horizon_end", "published"):
            if filters.get(column) is not None:
                query = query.where(getattr(PlanRow, column) == filters.get(column))
        status = filters.get("status")
        if status is not None:
            query = query.where(PlanRow.status == JobStatus(enum_value(status)).value)
        if filters.get("parts_of") is not None:
            query = query.where(PlanRow.parent_id == filters.get("parts_of"))
        if filters.get("top_level"):
            query = query.where(PlanRow.parent_id.is_(None))
        rows = self.session.scalars(paged(query, limit, offset))
        return [convert.plan_from_row(r, with_rows=False) for r in rows]

    def update(self, plan: Plan) -> Plan:
        if plan.id is None:
            raise NotFound("a plan without an id was never stored")
        row = self._required(plan.id)
        convert.fill_plan_row(row, plan)
        self._set_schedule(row, plan.schedule)
        flush(self.session, f"plan {plan.id}")
        return convert.plan_from_row(row)

    def set_status(
        self,
        plan_id: int,
        status: JobStatus | str,
        *,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        error: str | None = None,
        error_code: str | None = None,
        error_params: dict[str, Any] | None = None,
    ) -> Plan:
        row = self._required(plan_id, with_rows=False)
        row.status = JobStatus(enum_value(status)).value
        if started_at is not None:
            row.started_at = started_at
        if finished_at is not None:
            row.finished_at = finished_at
        if error is not None:
            row.error = error
        if error_code is not None:
            row.error_code = error_code
            row.error_params = dict(error_params or {})
        self.session.flush()
        return convert.plan_from_row(row, with_rows=False)

    # --- claims: a worker takes a queued job, keeps it alive, hands it back (api/worker.py) ---

    def claim(self, plan_id: int | None, worker_id: str, at: datetime) -> Plan | None:
        """Move a queued job (this one, or the oldest) to `running` for `worker_id`, in one
        conditional UPDATE, so two workers never both get it; None when there is none."""
        query = select(PlanRow.id).where(PlanRow.status == JobStatus.QUEUED.value)
        if plan_id is not None:
            query = query.where(PlanRow.id == plan_id)
        for candidate in self.session.scalars(query.order_by(PlanRow.id).limit(5)).all():
            claimed = self.session.execute(
                update(PlanRow)
                .where(PlanRow.id == candidate, PlanRow.status == JobStatus.QUEUED.value)
                .values(
                    status=JobStatus.RUNNING.value,
                    worker_id=worker_id,
                    heartbeat_at=at,
                    started_at=at,
                    attempts=PlanRow.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if _rows(claimed) == 1:
                self.session.expire_all()
                return self.get(candidate, with_rows=False)
        return None

    def beat(self, plan_id: int, worker_id: str, at: datetime) -> str | None:
        """Record that `worker_id` still runs the job; the job's status (None: no such plan)."""
        self.session.execute(
            update(PlanRow)
            .where(
                PlanRow.id == plan_id,
                PlanRow.worker_id == worker_id,
                PlanRow.status == JobStatus.RUNNING.value,
            )
            .values(heartbeat_at=at)
            .execution_options(synchronize_session=False)
        )
        return self.session.scalar(select(PlanRow.status).where(PlanRow.id == plan_id))

    def silent_since(self, before: datetime) -> builtins.list[tuple[int, int, str | None]]:
        """Running jobs with no heartbeat since `before`: (id, attempts, worker_id)."""
        query = select(PlanRow.id, PlanRow.attempts, PlanRow.worker_id).where(
            PlanRow.status == JobStatus.RUNNING.value,
            PlanRow.heartbeat_at.is_not(None),
            PlanRow.heartbeat_at < before,
        )
        return [(i, a or 0, w) for i, a, w in self.session.execute(query).all()]

    def hand_back(self, plan_id: int, worker_id: str | None) -> bool:
        """Put a running job back to `queued` (its worker died or stops); False when it is no
        longer running (for that worker)."""
        query = update(PlanRow).where(
            PlanRow.id == plan_id, PlanRow.status == JobStatus.RUNNING.value
        )
        if worker_id is not None:
            query = query.where(PlanRow.worker_id == worker_id)
        done = self.session.execute(
            query.values(
                status=JobStatus.QUEUED.value, worker_id=None, heartbeat_at=None
            ).execution_options(synchronize_session=False)
        )
        self.session.expire_all()
        return _rows(done) == 1

    def release(self, plan_id: int, worker_id: str) -> bool:
        done = self.session.execute(
            update(PlanRow)
            .where(
                PlanRow.id == plan_id,
                PlanRow.status == JobStatus.RUNNING.value,
                PlanRow.worker_id == worker_id,
            )
            .values(worker_id=None, heartbeat_at=None)
            .execution_options(synchronize_session=False)
        )
        self.session.expire_all()
        return _rows(done) == 1

    def claim_merge(self, plan_id: int, worker_id: str, at: datetime) -> bool:
        done = self.session.execute(
            update(PlanRow)
            .where(
                PlanRow.id == plan_id,
                PlanRow.status == JobStatus.RUNNING.value,
                PlanRow.worker_id.is_(None),
            )
            .values(worker_id=worker_id, heartbeat_at=at)
            .execution_options(synchronize_session=False)
        )
        self.session.expire_all()
        return _rows(done) == 1

    def set_attempts(self, plan_id: int, attempts: int) -> None:
        self.session.execute(
            update(PlanRow)
            .where(PlanRow.id == plan_id)
            .values(attempts=attempts)
            .execution_options(synchronize_session=False)
        )

    def attempts(self, plan_id: int) -> int:
        return self.session.scalar(select(PlanRow.attempts).where(PlanRow.id == plan_id)) or 0

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
        row.status = JobStatus(enum_value(status)).value
        row.finished_at = finished_at or now()
        flush(self.session, f"plan {plan_id}")
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
        self.lock_publishing()
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
        flush(self.session, f"publishing plan {plan_id}")
        return self.get(plan_id)  # type: ignore[return-value]

    def lock_publishing(self) -> None:
        """Make publishers take turns until commit, across horizons (the plan in force is defined
        per load, so two plans of different horizons can claim one load).

        Call it first in the transaction, before reading what is in force. PostgreSQL: a
        transaction-level advisory lock. SQLite: a no-op write, which takes the database's write
        lock (pysqlite begins the transaction at the first write, so earlier reads hold no
        snapshot). The partial unique index stays the last guard either way.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PUBLISH_LOCK})
        else:
            self.session.execute(
                update(PlanRow)
                .where(PlanRow.id == select(func.min(PlanRow.id)).scalar_subquery())
                .values(published=PlanRow.published)
            )

    def in_force(self, load_ids: Iterable[str] | None = None) -> dict[str, LoadInForce]:
        """Per load, the newest published plan that holds it (placed or left out)."""
        ranked = self.session.execute(
            select(PlanRow.id)
            .where(PlanRow.published.is_(True))
            .order_by(PlanRow.published_at.desc(), PlanRow.id.desc())
        ).scalars()
        rank = {plan_id: i for i, plan_id in enumerate(ranked)}
        if not rank:
            return {}
        wanted = list(load_ids) if load_ids is not None else None
        found: dict[str, tuple[int, LoadInForce]] = {}

        def claim(plan_id: int, load_id: str, assignment: Any) -> None:
            held = found.get(load_id)
            if held is None or rank[plan_id] < held[0]:
                found[load_id] = (rank[plan_id], LoadInForce(plan_id, assignment))

        placed = select(PlanAssignmentRow).where(PlanAssignmentRow.plan_id.in_(list(rank)))
        left_out = select(PlanUnscheduledRow.plan_id, PlanUnscheduledRow.load_id).where(
            PlanUnscheduledRow.plan_id.in_(list(rank))
        )
        if wanted is not None:
            placed = placed.where(PlanAssignmentRow.load_id.in_(wanted))
            left_out = left_out.where(PlanUnscheduledRow.load_id.in_(wanted))
        for r in self.session.scalars(placed):
            claim(r.plan_id, r.load_id, convert.assignment_from_row(r))
        for plan_id, load_id in self.session.execute(left_out):
            claim(plan_id, load_id, None)
        return {load_id: held for load_id, (_, held) in found.items()}

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
    ) -> builtins.list[PlacedLoad]:
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
        rows = list(self.session.scalars(query))
        # Only what is in force: a newer plan of another horizon may hold the same load.
        holder = self.in_force({r.load_id for r in rows})
        return [
            PlacedLoad(plan_id=r.plan_id, assignment=convert.assignment_from_row(r))
            for r in rows
            if r.load_id in holder and holder[r.load_id].plan_id == r.plan_id
        ]

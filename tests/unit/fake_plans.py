"""The in-memory plan repository of `tests/unit/fakes.py` (plans are the largest aggregate)."""

from __future__ import annotations

import builtins
import copy
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar, Unpack

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from hub_scheduler.domain import Assignment, Schedule, Unscheduled
from hub_scheduler.errors import Conflict, NotFound
from hub_scheduler.plan_figures import FigureBasis
from hub_scheduler.ports.plans import FigureVersions, LoadInForce, PlacedLoad, PlanFilters
from hub_scheduler.records import JobStatus, Plan

M = TypeVar("M", bound=BaseModel)


def _utc(value: Any) -> Any:
    """`value` with every aware time in UTC and every model detached, at any depth."""
    if isinstance(value, BaseModel):
        return detached(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo is not None else value
    if isinstance(value, dict):
        return {k: _utc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_utc(v) for v in value]
    return copy.deepcopy(value)


def detached(model: M) -> M:
    """A copy with every time in UTC, as the SQL adapter gives back (the same instants); callers
    never hold the stored object."""
    return model.model_copy(update={name: _utc(value) for name, value in model})


def page(items: list[M], limit: int | None, offset: int) -> list[M]:
    end = None if limit is None else offset + limit
    return [detached(m) for m in items[offset:end]]


def _without_rows(plan: Plan) -> Plan:
    """The plan as listings give it: the schedule's header without assignment rows."""
    if plan.schedule is None:
        return detached(plan)
    header = plan.schedule.model_copy(update={"assignments": [], "unscheduled": []})
    return detached(plan.model_copy(update={"schedule": header}))


class FakePlanRepository:
    def __init__(self, uow: Any):
        self._uow = uow

    @property
    def _plans(self) -> dict[int, Plan]:
        return self._uow.state.plans

    def _stored(self, plan: Plan) -> Plan:
        """JSON columns hold JSON: params and progress come back as the SQL adapter gives them."""
        return detached(
            plan.model_copy(
                update={
                    "params": to_jsonable_python(plan.params),
                    "progress": to_jsonable_python(plan.progress),
                }
            )
        )

    def _check_one_published(self, plan: Plan) -> None:
        # The partial unique index: one published plan per horizon.
        if plan.published and any(
            p.published
            and p.id != plan.id
            and (p.horizon_start, p.horizon_end) == (plan.horizon_start, plan.horizon_end)
            for p in self._plans.values()
        ):
            self._uow.rollback()
            raise Conflict(f"plan {plan.id}: another plan of this horizon is published")

    def _required(self, plan_id: int) -> Plan:
        if plan_id not in self._plans:
            raise NotFound(f"no plan {plan_id}")
        return self._plans[plan_id]

    def add(self, plan: Plan) -> Plan:
        stored = self._stored(plan.model_copy(update={"id": self._uow.state.next_id("plan")}))
        self._check_one_published(stored)
        self._plans[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def get(self, plan_id: int, with_rows: bool = True) -> Plan | None:
        plan = self._plans.get(plan_id)
        if plan is None:
            return None
        return detached(plan) if with_rows else _without_rows(plan)

    def list(
        self, *, limit: int | None = 50, offset: int = 0, **filters: Unpack[PlanFilters]
    ) -> list[Plan]:
        status = filters.get("status")
        equal = {k: filters.get(k) for k in ("horizon_start", "horizon_end", "published")}
        found = [
            p
            for p in sorted(self._plans.values(), key=lambda p: p.id or 0, reverse=True)
            if all(v is None or getattr(p, k) == v for k, v in equal.items())
            and (status is None or p.status == JobStatus(status))
            and (filters.get("parts_of") is None or p.parent_id == filters.get("parts_of"))
            and (not filters.get("top_level") or p.parent_id is None)
        ]
        end = None if limit is None else offset + limit
        return [_without_rows(p) for p in found[offset:end]]

    # --- claims (the SQL repository keeps them in plans.worker_id/heartbeat_at/attempts) ---

    @property
    def _claims(self) -> dict[int, dict[str, Any]]:
        """plan id -> {"worker_id", "heartbeat_at", "attempts"}."""
        state = self._uow.state
        if not hasattr(state, "plan_claims"):
            state.plan_claims = {}
        return state.plan_claims

    def _claim_of(self, plan_id: int) -> dict[str, Any]:
        return self._claims.setdefault(
            plan_id, {"worker_id": None, "heartbeat_at": None, "attempts": 0}
        )

    def claim(self, plan_id: int | None, worker_id: str, at: datetime) -> Plan | None:
        queued = sorted(
            p.id for p in self._plans.values() if p.status is JobStatus.QUEUED and p.id is not None
        )
        for candidate in queued if plan_id is None else [i for i in queued if i == plan_id]:
            claim = self._claim_of(candidate)
            claim.update(worker_id=worker_id, heartbeat_at=at, attempts=claim["attempts"] + 1)
            plan = self._plans[candidate]
            self._plans[candidate] = plan.model_copy(
                update={"status": JobStatus.RUNNING, "started_at": at}
            )
            return _without_rows(self._plans[candidate])
        return None

    def beat(self, plan_id: int, worker_id: str, at: datetime) -> str | None:
        plan = self._plans.get(plan_id)
        if plan is None:
            return None
        claim = self._claim_of(plan_id)
        if plan.status is JobStatus.RUNNING and claim["worker_id"] == worker_id:
            claim["heartbeat_at"] = at
        return plan.status.value

    def silent_since(self, before: datetime) -> builtins.list[tuple[int, int, str | None]]:
        return [
            (plan_id, c["attempts"], c["worker_id"])
            for plan_id, c in sorted(self._claims.items())
            if self._plans[plan_id].status is JobStatus.RUNNING
            and c["heartbeat_at"] is not None
            and c["heartbeat_at"] < before
        ]

    def hand_back(self, plan_id: int, worker_id: str | None) -> bool:
        plan = self._plans.get(plan_id)
        claim = self._claim_of(plan_id)
        if plan is None or plan.status is not JobStatus.RUNNING:
            return False
        if worker_id is not None and claim["worker_id"] != worker_id:
            return False
        claim.update(worker_id=None, heartbeat_at=None)
        self._plans[plan_id] = plan.model_copy(update={"status": JobStatus.QUEUED})
        return True

    def release(self, plan_id: int, worker_id: str) -> bool:
        plan = self._plans.get(plan_id)
        claim = self._claim_of(plan_id)
        if plan is None or plan.status is not JobStatus.RUNNING or claim["worker_id"] != worker_id:
            return False
        claim.update(worker_id=None, heartbeat_at=None)
        return True

    def claim_merge(self, plan_id: int, worker_id: str, at: datetime) -> bool:
        plan = self._plans.get(plan_id)
        claim = self._claim_of(plan_id)
        if plan is None or plan.status is not JobStatus.RUNNING or claim["worker_id"] is not None:
            return False
        claim.update(worker_id=worker_id, heartbeat_at=at)
        return True

    def set_attempts(self, plan_id: int, attempts: int) -> None:
        self._claim_of(plan_id)["attempts"] = attempts

    def attempts(self, plan_id: int) -> int:
        return self._claim_of(plan_id)["attempts"]

    def _put(self, plan: Plan) -> Plan:
        # `figures_pending` is read from the versions, never written (as the SQL adapter).
        pending = plan.id is not None and self._versions(plan.id).pending
        stored = self._stored(plan.model_copy(update={"figures_pending": pending}))
        self._check_one_published(stored)
        self._plans[stored.id] = stored  # type: ignore[index]
        return detached(stored)

    def update(self, plan: Plan) -> Plan:
        if plan.id is None:
            raise NotFound("a plan without an id was never stored")
        self._required(plan.id)
        return self._put(plan)

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
        changes: dict[str, Any] = {"status": JobStatus(status)}
        for name, value in (("started_at", started_at), ("finished_at", finished_at)):
            if value is not None:
                changes[name] = value
        if error is not None:
            changes["error"] = error
        if error_code is not None:
            changes["error_code"] = error_code
            changes["error_params"] = dict(error_params or {})
        return _without_rows(self._put(self._required(plan_id).model_copy(update=changes)))

    def set_progress(self, plan_id: int, progress: dict[str, Any]) -> None:
        self._put(self._required(plan_id).model_copy(update={"progress": progress}))

    def set_result(
        self,
        plan_id: int,
        schedule: Schedule,
        *,
        status: JobStatus | str = JobStatus.SUCCEEDED,
        finished_at: datetime | None = None,
    ) -> Plan:
        changes = {
            "schedule": schedule,
            "status": JobStatus(status),
            "finished_at": finished_at or datetime.now(UTC),
        }
        self._caught_up(plan_id)  # a whole schedule comes with its figures
        return self._put(self._required(plan_id).model_copy(update=changes))

    def published_for(
        self, horizon_start: datetime, horizon_end: datetime | None = None
    ) -> Plan | None:
        if horizon_end is not None:
            found = [
                p
                for p in self._plans.values()
                if p.published and (p.horizon_start, p.horizon_end) == (horizon_start, horizon_end)
            ]
        else:
            found = [
                p
                for p in self._plans.values()
                if p.published and p.horizon_start <= horizon_start < p.horizon_end
            ]
        if not found:
            return None
        latest = max(found, key=lambda p: (p.published_at is not None, p.published_at, p.id))
        return detached(latest)

    def publish(
        self, plan_id: int, *, actor: str | None = None, at: datetime | None = None
    ) -> Plan:
        plan = self._required(plan_id)
        if plan.status != JobStatus.SUCCEEDED or plan.schedule is None:
            raise Conflict(
                f"plan {plan_id} has no successful schedule to publish (status {plan.status})"
            )
        if plan.published:
            return detached(plan)
        for old in builtins.list(self._plans.values()):
            if old.published and (old.horizon_start, old.horizon_end) == (
                plan.horizon_start,
                plan.horizon_end,
            ):
                self._plans[old.id] = old.model_copy(update={"published": False})  # type: ignore[index]
        changes = {"published": True, "published_at": at or datetime.now(UTC)}
        return self._put(plan.model_copy(update={**changes, "published_by": actor}))

    def lock_publishing(self) -> None:
        """One thread, one store: publishers already take turns."""

    def in_force(self, load_ids: Iterable[str] | None = None) -> dict[str, LoadInForce]:
        wanted = None if load_ids is None else set(load_ids)
        published = [p for p in self._plans.values() if p.published and p.schedule is not None]
        newest_first = sorted(
            published, key=lambda p: (p.published_at or datetime.min.replace(tzinfo=UTC), p.id)
        )[::-1]
        found: dict[str, LoadInForce] = {}
        for plan in newest_first:
            held = [(a.load_id, detached(a)) for a in plan.schedule.assignments]  # type: ignore[union-attr]
            held += [(u.load_id, None) for u in plan.schedule.unscheduled]  # type: ignore[union-attr]
            for load_id, assignment in held:
                if (wanted is None or load_id in wanted) and load_id not in found:
                    found[load_id] = LoadInForce(plan.id, assignment)  # type: ignore[arg-type]
        return found

    def unpublish(self, plan_id: int) -> Plan:
        return self._put(self._required(plan_id).model_copy(update={"published": False}))

    def _with_rows(
        self,
        plan_id: int,
        assignments: Callable[[builtins.list[Assignment]], builtins.list[Assignment]],
        unscheduled: Callable[[builtins.list[Unscheduled]], builtins.list[Unscheduled]] = (
            lambda out: out
        ),
    ) -> None:
        """Edit the plan's rows; its stored counts (`kpis.placed`, `kpis.unscheduled`) follow."""
        plan = self._required(plan_id)
        if plan.schedule is None:
            raise NotFound(f"plan {plan_id} has no schedule")
        versions = self._versions(plan_id)  # the edit marks the figures stale
        self._uow.state.figure_versions[plan_id] = FigureVersions(
            versions.rows + 1, versions.counted
        )
        placed = assignments(list(plan.schedule.assignments))
        left_out = unscheduled(list(plan.schedule.unscheduled))
        kpis = {**plan.schedule.kpis, "placed": len(placed), "unscheduled": len(left_out)}
        schedule = plan.schedule.model_copy(
            update={"assignments": placed, "unscheduled": left_out, "kpis": kpis}
        )
        self._put(plan.model_copy(update={"schedule": schedule}))

    def move_assignment(self, plan_id: int, assignment: Assignment) -> None:
        load_id, new = assignment.load_id, detached(assignment)
        plan = self._required(plan_id)
        if plan.schedule is not None and all(
            a.load_id != load_id for a in plan.schedule.assignments
        ):
            # A walk-in: a new row, last; the load is no longer among the unscheduled.
            self._with_rows(
                plan_id,
                lambda rows: [*rows, new],
                lambda out: [u for u in out if u.load_id != load_id],
            )
            return
        self._with_rows(plan_id, lambda rows: [new if a.load_id == load_id else a for a in rows])

    def drop_assignment(self, plan_id: int, load_id: str) -> bool:
        plan = self._required(plan_id)
        if plan.schedule is None or all(a.load_id != load_id for a in plan.schedule.assignments):
            return False
        self._with_rows(plan_id, lambda rows: [a for a in rows if a.load_id != load_id])
        return True

    def leave_out(self, plan_id: int, unscheduled: Unscheduled) -> None:
        load_id, entry = unscheduled.load_id, detached(unscheduled)
        self._with_rows(
            plan_id,
            lambda rows: [a for a in rows if a.load_id != load_id],
            lambda out: [*(u for u in out if u.load_id != load_id), entry],
        )

    def _versions(self, plan_id: int) -> FigureVersions:
        return self._uow.state.figure_versions.get(plan_id, FigureVersions(0, 0))

    def _caught_up(self, plan_id: int, rows: int | None = None) -> None:
        """The figures stored now were counted from the rows at `rows` (None: as they are)."""
        versions = self._versions(plan_id)
        counted = versions.rows if rows is None else rows
        self._uow.state.figure_versions[plan_id] = FigureVersions(versions.rows, counted)

    def _store_figures(self, plan_id: int, schedule: Schedule) -> None:
        plan = self._required(plan_id)
        if plan.schedule is None:
            return
        figures = {k: getattr(schedule, k) for k in ("objective", "bound", "gap")}
        header = plan.schedule.model_copy(update={**figures, "kpis": dict(schedule.kpis)})
        self._put(plan.model_copy(update={"schedule": header}))

    def set_figures(self, plan_id: int, schedule: Schedule) -> None:
        self._required(plan_id)
        self._caught_up(plan_id)
        self._store_figures(plan_id, schedule)

    def figure_versions(self, plan_id: int) -> FigureVersions | None:
        return self._versions(plan_id) if plan_id in self._plans else None

    def store_counted_figures(self, plan_id: int, schedule: Schedule, rows_version: int) -> bool:
        if self._versions(self._required(plan_id).stored_id).counted >= rows_version:
            return False
        self._caught_up(plan_id, rows_version)
        self._store_figures(plan_id, schedule)
        return True

    def with_figures_pending(self) -> builtins.list[int]:
        return sorted(i for i in self._plans if self._versions(i).pending)

    def set_figure_basis(self, plan_id: int, basis: FigureBasis) -> None:
        self._required(plan_id)
        self._uow.state.figure_bases[plan_id] = basis

    def figure_basis(self, plan_id: int) -> FigureBasis | None:
        return self._uow.state.figure_bases.get(plan_id)

    def published_assignments(
        self,
        *,
        hub_id: str | None = None,
        dock_id: str | None = None,
        load_ids: Iterable[str] | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
    ) -> builtins.list[PlacedLoad]:
        wanted = None if load_ids is None else set(load_ids)
        placed = [
            (index, PlacedLoad(plan_id=p.id, assignment=detached(a)))  # type: ignore[arg-type]
            for p in sorted(self._plans.values(), key=lambda p: p.id or 0)
            if p.published and p.schedule is not None
            for index, a in enumerate(p.schedule.assignments)
            if (hub_id is None or a.hub_id == hub_id)
            and (dock_id is None or a.dock_id == dock_id)
            and (wanted is None or a.load_id in wanted)
            and (start_before is None or a.start < start_before)
            and (end_after is None or a.end > end_after)
        ]
        # SQL orders by start, then row key: rows go in plan by plan, in schedule order.
        return [
            pl
            for _, pl in sorted(placed, key=lambda x: (x[1].assignment.start, x[1].plan_id, x[0]))
        ]

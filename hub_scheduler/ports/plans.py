"""Plan jobs and their plans: claimed by workers, published, and the slot in force per load."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypedDict, Unpack

from hub_scheduler.domain import Assignment, Schedule, Unscheduled
from hub_scheduler.plan_figures import FigureBasis
from hub_scheduler.records import JobStatus, Plan


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


@dataclass(frozen=True)
class FigureVersions:
    """How far a plan's stored figures have caught up with its rows: `rows` goes up with every
    transaction that edits them, `counted` is the `rows` the figures were counted at."""

    rows: int
    counted: int

    @property
    def pending(self) -> bool:
        """The rows were edited since the figures were counted: a recount is due or running."""
        return self.counted < self.rows


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
        error_code: str | None = None,
        error_params: dict[str, Any] | None = None,
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
    def move_assignment(self, plan_id: int, assignment: Assignment) -> None:
        """Put the load of `assignment` at that slot in the plan: its row moves, or (a walk-in,
        no row) a row is added and the plan's unscheduled entry for the load, if any, goes.
        The plan's stored figures are marked stale in the same transaction (`figure_versions`);
        they are counted again after the commit (`services/plan_figures.recount`)."""

    def drop_assignment(self, plan_id: int, load_id: str) -> bool:
        """Take the load's row out of the plan (whether it had one); figures as above."""

    def leave_out(self, plan_id: int, unscheduled: Unscheduled) -> None:
        """The load of `unscheduled` leaves the plan's rows (if it had one) and is listed among
        its unscheduled loads with that reason (code, detail, params), last, replacing an
        earlier entry of the same load; figures as above."""

    def set_figures(self, plan_id: int, schedule: Schedule) -> None:
        """Store `schedule`'s figures (objective, bound, gap, kpis) as the plan's, counted from
        its rows as this transaction sees them (caught up: no longer pending); its rows stay."""

    def figure_versions(self, plan_id: int) -> FigureVersions | None:
        """How far the plan's figures have caught up with its rows; None: no such plan."""

    def store_counted_figures(self, plan_id: int, schedule: Schedule, rows_version: int) -> bool:
        """Store `schedule`'s figures, counted from the rows at `rows_version`, unless figures
        counted at that version or a later one are stored already; whether they were stored.
        They stay pending when the rows were edited again since `rows_version`."""

    def with_figures_pending(self) -> builtins.list[int]:
        """The ids of the plans whose rows were edited since their figures were counted."""

    def set_figure_basis(self, plan_id: int, basis: FigureBasis) -> None:
        """Keep what the plan's objective was measured against (plan_figures.FigureBasis)."""

    def figure_basis(self, plan_id: int) -> FigureBasis | None:
        """The plan's `FigureBasis`; None when none was kept (published before it was)."""

    def published_assignments(
        self,
        *,
        hub_id: str | None = None,
        dock_id: str | None = None,
        load_ids: Iterable[str] | None = None,
        start_before: datetime | None = None,
        end_after: datetime | None = None,
    ) -> builtins.list[PlacedLoad]: ...

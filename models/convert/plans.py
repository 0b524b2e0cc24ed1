"""Plans and their schedules (assignments, unscheduled loads): rows <-> domain objects."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from hub_scheduler.domain import (
    Assignment,
    PlanStatus,
    ReasonCode,
    Schedule,
    Unscheduled,
)
from hub_scheduler.records import (
    JobStatus,
    Plan,
)
from models.convert.common import enum_str, extra_of
from models.tables import (
    PlanAssignmentRow,
    PlanRow,
    PlanUnscheduledRow,
)

# --- plans ----------------------------------------------------------------------------------------

_SCHEDULE_HEADER = {
    "format",
    "scenario",
    "status",
    "objective",
    "bound",
    "gap",
    "solve_seconds",
    "assignments",
    "unscheduled",
    "kpis",
    "unscheduled_details",
}
# The unscheduled loads' reason_detail and reason_params ride in the plan row's schedule_extra
# JSON (load id -> [detail, params]): one JSON value per plan instead of a column per row, and no
# table change for data only the pages and the API read back with the whole schedule.
_DETAILS = "unscheduled_details"


def fill_plan_row(row: PlanRow, plan: Plan) -> PlanRow:
    """Copy the job fields and the schedule's header; the schedule's rows go via `schedule_rows`."""
    row.horizon_start = plan.horizon_start
    row.horizon_end = plan.horizon_end
    row.hub_ids = list(plan.hub_ids) if plan.hub_ids is not None else None
    row.status = enum_str(plan.status)
    row.params = to_jsonable_python(plan.params)
    row.progress = to_jsonable_python(plan.progress)
    row.requested_by = plan.requested_by
    row.requested_at = plan.requested_at
    row.started_at = plan.started_at
    row.finished_at = plan.finished_at
    row.published = plan.published
    row.published_at = plan.published_at
    row.published_by = plan.published_by
    row.error = plan.error
    row.parent_id = plan.parent_id
    row.extra = extra_of(plan)
    fill_schedule_header(row, plan.schedule)
    return row


def fill_schedule_header(row: PlanRow, schedule: Schedule | None) -> None:
    if schedule is None:
        row.schedule_status = row.schedule_scenario = None
        row.objective = row.bound = row.gap = row.solve_seconds = None
        row.kpis = row.schedule_extra = None
        return
    row.schedule_status = enum_str(schedule.status)
    row.schedule_scenario = schedule.scenario
    row.objective = schedule.objective
    row.bound = schedule.bound
    row.gap = schedule.gap
    row.solve_seconds = schedule.solve_seconds
    row.kpis = to_jsonable_python(schedule.kpis)
    details = {
        u.load_id: [u.reason_detail, to_jsonable_python(u.reason_params)]
        for u in schedule.unscheduled
        if u.reason_detail or u.reason_params
    }
    row.schedule_extra = extra_of(schedule) | ({_DETAILS: details} if details else {})


def schedule_rows(schedule: Schedule) -> tuple[list[PlanAssignmentRow], list[PlanUnscheduledRow]]:
    """One row per assignment and one per unscheduled load, in the schedule's order."""
    assignments = [
        PlanAssignmentRow(
            position=i,
            load_id=a.load_id,
            hub_id=a.hub_id,
            zone_id=a.zone_id,
            dock_id=a.dock_id,
            start=a.start,
            end=a.end,
            disinfected_at=a.disinfected_at,
        )
        for i, a in enumerate(schedule.assignments)
    ]
    unscheduled = [
        PlanUnscheduledRow(
            position=i, load_id=u.load_id, reason_code=enum_str(u.reason_code), reason=u.reason
        )
        for i, u in enumerate(schedule.unscheduled)
    ]
    return assignments, unscheduled


def assignment_from_row(row: PlanAssignmentRow) -> Assignment:
    return Assignment(
        load_id=row.load_id,
        hub_id=row.hub_id,
        zone_id=row.zone_id,
        dock_id=row.dock_id,
        start=row.start,
        end=row.end,
        disinfected_at=row.disinfected_at,
    )


def unscheduled_from_row(
    row: PlanUnscheduledRow, details: dict[str, Any] | None = None
) -> Unscheduled:
    """The unscheduled load; `details` (the plan's load id -> [detail, params]) adds its
    reason_detail and reason_params where the plan stored them."""
    detail, params = (details or {}).get(row.load_id) or ("", {})
    return Unscheduled(
        load_id=row.load_id,
        reason_code=ReasonCode(row.reason_code),
        reason=row.reason,
        reason_detail=detail,
        reason_params=dict(params),
    )


def schedule_from_row(row: PlanRow, with_rows: bool = True) -> Schedule | None:
    if row.schedule_status is None:
        return None
    return Schedule(
        scenario=row.schedule_scenario or "",
        status=PlanStatus(row.schedule_status),
        objective=row.objective,
        bound=row.bound,
        gap=row.gap,
        solve_seconds=row.solve_seconds or 0.0,
        assignments=[assignment_from_row(a) for a in row.assignments] if with_rows else [],
        unscheduled=[
            unscheduled_from_row(u, (row.schedule_extra or {}).get(_DETAILS))
            for u in row.unscheduled
        ]
        if with_rows
        else [],
        kpis=dict(row.kpis or {}),
        **{k: v for k, v in (row.schedule_extra or {}).items() if k not in _SCHEDULE_HEADER},
    )


def plan_from_row(row: PlanRow, with_rows: bool = True) -> Plan:
    """The plan; `with_rows=False` leaves the schedule's assignment lists empty (for listings)."""
    return Plan(
        id=row.id,
        horizon_start=row.horizon_start,
        horizon_end=row.horizon_end,
        hub_ids=list(row.hub_ids) if row.hub_ids is not None else None,
        status=JobStatus(row.status),
        params=dict(row.params or {}),
        progress=dict(row.progress or {}),
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        published=row.published,
        published_at=row.published_at,
        published_by=row.published_by,
        error=row.error,
        parent_id=row.parent_id,
        schedule=schedule_from_row(row, with_rows),
        **(row.extra or {}),
    )

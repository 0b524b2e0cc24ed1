"""Plans and their schedules (assignments, unscheduled loads): rows <-> domain objects."""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from hub_scheduler.domain import (
    Assignment,
    PlanStatus,
    Schedule,
    Unscheduled,
)
from hub_scheduler.records import (
    Plan,
)
from models.convert.common import column_values, enum_str, extra_of, fill_row, record_from_row
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
    fill_row(row, plan, extra=extra_of(plan))
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


def with_unscheduled_detail(
    extra: dict[str, Any] | None, load_id: str, unscheduled: Unscheduled | None
) -> dict[str, Any]:
    """A plan row's `schedule_extra` with the reason detail and params of `load_id` set from
    `unscheduled`, or gone (None: the load is placed, or left out with no detail)."""
    shown = dict(extra or {})
    details = dict(shown.get(_DETAILS) or {})
    details.pop(load_id, None)
    if unscheduled is not None and (unscheduled.reason_detail or unscheduled.reason_params):
        params = to_jsonable_python(unscheduled.reason_params)
        details[load_id] = [unscheduled.reason_detail, params]
    shown.pop(_DETAILS, None)
    return shown | ({_DETAILS: details} if details else {})


def schedule_rows(schedule: Schedule) -> tuple[list[PlanAssignmentRow], list[PlanUnscheduledRow]]:
    """One row per assignment and one per unscheduled load, in the schedule's order."""
    assignments = [
        PlanAssignmentRow(**column_values(a, PlanAssignmentRow, position=i))
        for i, a in enumerate(schedule.assignments)
    ]
    unscheduled = [
        PlanUnscheduledRow(**column_values(u, PlanUnscheduledRow, position=i))
        for i, u in enumerate(schedule.unscheduled)
    ]
    return assignments, unscheduled


def assignment_from_row(row: PlanAssignmentRow) -> Assignment:
    return record_from_row(Assignment, row)


def unscheduled_from_row(
    row: PlanUnscheduledRow, details: dict[str, Any] | None = None
) -> Unscheduled:
    """The unscheduled load; `details` (the plan's load id -> [detail, params]) adds its
    reason_detail and reason_params where the plan stored them."""
    detail, params = (details or {}).get(row.load_id) or ("", {})
    return record_from_row(Unscheduled, row, reason_detail=detail, reason_params=dict(params))


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
    return record_from_row(
        Plan,
        row,
        schedule=schedule_from_row(row, with_rows),
        figures_pending=(row.figures_version or 0) < (row.rows_version or 0),
        **(row.extra or {}),
    )

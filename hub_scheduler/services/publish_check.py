"""A plan checked against the current state before it is published (services/publishing.py):
the independent verifier over the plan's own loads as they are now (pins only: the clock has
moved on), and no truck on site placed before its arrival at the gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from hub_scheduler.domain import Scenario, Schedule
from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.transitions import ON_SITE

MAX_LISTED = 50  # conflicts (and loads) a publish lists at most


def checked_against_current_state(
    plan_id: int,
    schedule: Schedule,
    current: Scenario,
    verify: Callable[[Scenario, Schedule], Any],
) -> Schedule:
    """The schedule with its objective recomputed, when it passes the verifier against the
    current state; Conflict listing every broken rule otherwise (the first `MAX_LISTED`): a
    verifier's finding as `code` `verify_<code>` with its `params` and English `message`, filed
    under the first load of the plan it names (`loads.<id>`, else `plan`); a truck placed before
    its arrival as `publish_before_arrival` (`_before_arrival`)."""
    mine = schedule_load_ids(schedule)
    scenario = current.model_copy(
        update={
            "loads": [ld for ld in current.loads if ld.id in mine],
            "transfers": [t for t in current.transfers if t.inbound in mine and t.outbound in mine],
            # Pins only (on-site and by hand): the clock has moved on since the plan was made.
            "settings": current.settings.model_copy(update={"now": None}),
        }
    )
    report = verify(scenario, schedule.model_copy(update={"objective": None, "bound": None}))
    broken = [
        FieldError(
            field=_where(v.loads, mine),
            message=v.text,
            code=f"verify_{v.code}",
            params=dict(v.params),
        )
        for v in report.violations
        if v.rule != "OBJECTIVE"
    ]
    broken += _before_arrival(schedule, current)
    if broken:
        raise Conflict(
            f"plan {plan_id} no longer fits the current state ({len(broken)} conflict(s)): "
            "re-plan, then publish the new plan",
            broken[:MAX_LISTED],
        )
    if schedule.objective is not None and abs(schedule.objective - report.objective) < 1e-6:
        return schedule
    # Merged: the solver's bound and gap were for another set of loads.
    return schedule.model_copy(update={"objective": report.objective, "bound": None, "gap": None})


def _before_arrival(schedule: Schedule, current: Scenario) -> list[FieldError]:
    """A truck on site is never placed before it arrived: its arrival acts as its release (H4).
    A plan computed before the check-in of a late truck left without a slot still holds the
    slot it had then (the gate dropped it from the plan in force, so no slot in force is kept
    for it): publishing that plan would put the truck back in the past. One error per such
    truck, code `publish_before_arrival`, params {load, start, arrived} (site's zone)."""
    tz = ZoneInfo(current.timezone)
    arrived = {
        ld.id: ld.arrived_at
        for ld in current.loads
        if ld.status in ON_SITE and ld.arrived_at is not None
    }
    mine = schedule_load_ids(schedule)
    errors = []
    for a in schedule.assignments:
        if a.load_id not in arrived or a.start >= arrived[a.load_id]:
            continue
        params = {
            "load": a.load_id,
            "start": a.start.astimezone(tz).isoformat(),
            "arrived": arrived[a.load_id].astimezone(tz).isoformat(),
        }
        errors.append(
            FieldError(
                field=_where([a.load_id], mine),
                message=f"H4 load {params['load']} starts {params['start']} before its arrival "
                f"at the gate {params['arrived']}",
                code="publish_before_arrival",
                params=params,
            )
        )
    return errors


def _where(named: list[str], load_ids: set[str]) -> str:
    """The first load of the plan a violation names (`loads.L17`), else the plan."""
    for load_id in named:
        if load_id in load_ids:
            return f"loads.{load_id}"
    return "plan"


def schedule_load_ids(schedule: Schedule) -> set[str]:
    """The loads a schedule holds, placed or left out."""
    return {a.load_id for a in schedule.assignments} | {u.load_id for u in schedule.unscheduled}

"""What a publish takes away (services/publishing.py): every load that had a slot in force and has
none in the plan going in force is listed with its reason code (`dropped`), so nothing loses its
slot silently; a truck on site (checked in or working) never loses its dock (H10): publishing
such a plan is refused with a 409 naming the truck instead.

A load loses its slot when the published plan holds it without a slot (left out), or when the
plan it was held by (`replaced`, the published plan of the same horizon) stops being published
and the new plan does not hold it at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from hub_scheduler.domain import (
    Assignment,
    Hub,
    HubStatus,
    Load,
    LoadStatus,
    ReasonCode,
    Schedule,
)
from hub_scheduler.errors import Conflict, FieldError
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.services import events
from hub_scheduler.transitions import NOT_PLANNABLE, ON_SITE

# The reason code of a load no plan holds any more because of its status (CANCELLED and
# SCREENING_FAILED are the planner's codes for the same outcome).
GONE_BY_STATUS = {
    LoadStatus.CANCELLED: ReasonCode.CANCELLED.value,
    LoadStatus.REJECTED: ReasonCode.SCREENING_FAILED.value,
    LoadStatus.NO_SHOW: "NO_SHOW",
}
# Still plannable, but the published plan does not hold it (outside its horizon or hubs).
OUT_OF_PLAN = "OUT_OF_PLAN"
MAX_LISTED = 50


def lost_slots(
    held: Mapping[str, Any], replaced: Plan | None, schedule: Schedule
) -> dict[str, Assignment]:
    """Load id -> its slot in force before the publish (`held`: `uow.plans.in_force()`), for each
    load that has no slot in `schedule` (the plan going in force) afterwards: the plan holds it
    left out, or it was held by `replaced` (unpublished by the publish) and the plan does not hold
    it."""
    placed = {a.load_id for a in schedule.assignments}
    holds = placed | {u.load_id for u in schedule.unscheduled}
    replaced_id = replaced.id if replaced is not None else None
    lost = {}
    for load_id, in_force in held.items():
        slot = in_force.assignment
        if slot is None or load_id in placed:
            continue
        if load_id in holds or (replaced_id is not None and in_force.plan_id == replaced_id):
            lost[load_id] = slot
    return lost


def reason_code(load: Load | None, schedule: Schedule) -> str:
    """Why `load` has no slot in `schedule`: the plan's reason code when it leaves it out, else the
    code of its status (`GONE_BY_STATUS`), else `OUT_OF_PLAN`."""
    if load is None:
        return OUT_OF_PLAN
    found = next((u for u in schedule.unscheduled if u.load_id == load.id), None)
    if found is not None:
        return str(found.reason_code)
    return GONE_BY_STATUS.get(load.status, OUT_OF_PLAN)


def refuse_dropping_trucks_on_site(
    plan_id: int,
    lost: Mapping[str, Assignment],
    loads: Mapping[str, Load],
    schedule: Schedule,
    timezone: str,
    hubs: Collection[Hub] = (),
) -> None:
    """Raise Conflict (409) when a truck on site would lose its slot in force: one error per truck,
    field `loads.<id>`, code `publish_drops_on_site`, params {load, hub, dock, start (the site's
    zone), reason_code}. A slot the command centre took (`taken_by_command` over `hubs`: its hub
    switched off, or its dock blocked since, as a positive case blocks it) is not the plan's to
    keep: the re-plan that follows must be publishable while trucks are still there (they are
    listed in `dropped`). Nothing else is checked; nothing is written."""
    tz = ZoneInfo(timezone)
    errors = []
    for load_id, slot in sorted(lost.items()):
        load = loads.get(load_id)
        if load is None or load.status not in ON_SITE or taken_by_command(slot, hubs):
            continue
        params = {
            "load": load_id,
            "hub": slot.hub_id,
            "dock": slot.dock_id,
            "start": slot.start.astimezone(tz).isoformat(),
            "reason_code": reason_code(load, schedule),
        }
        errors.append(
            FieldError(
                field=f"loads.{load_id}",
                message=f'truck "{load_id}" is at the gate ({load.status.value}) and holds dock '
                f"{slot.dock_id} at {slot.hub_id} from {params['start']}; this plan would take "
                f"it away ({params['reason_code']})",
                code="publish_drops_on_site",
                params=params,
            )
        )
    if errors:
        raise Conflict(
            f"plan {plan_id} would take the dock of {len(errors)} truck(s) at the gate: a "
            "checked-in truck never loses its dock; re-plan, then publish the new plan",
            errors[:MAX_LISTED],
        )


def taken_by_command(slot: Assignment, hubs: Collection[Hub]) -> bool:
    """Whether `slot` lies at a hub that is not active, or meets a blocked window of its dock (the
    dock's own, its zone's, or the whole hub's) over [start, disinfected_at)."""
    hub = next((h for h in hubs if h.id == slot.hub_id), None)
    if hub is None or hub.status is not HubStatus.ACTIVE:
        return hub is not None
    zone = next((z.id for z in hub.zones for d in z.docks if d.id == slot.dock_id), None)
    return any(
        b.start < slot.disinfected_at
        and slot.start < b.end
        and (b.dock_id == slot.dock_id or (b.dock_id is None and b.zone_id in (None, zone)))
        for b in hub.blocked
    )


def dropped_entries(
    lost: Mapping[str, Assignment],
    gone: list[str],
    loads: Mapping[str, Load],
    schedule: Schedule,
) -> list[dict[str, str]]:
    """The publish's `dropped` list: each load that loses its slot in force (`lost`) and each load
    of the computed plan no longer in planning (`gone`, services/publishing.py's merge), once, as
    {load_id, reason_code}; completed trucks are left out (their row is their history: the dock
    is free, nobody waits to hear)."""
    out = []
    for load_id in sorted(set(lost) | set(gone)):
        load = loads.get(load_id)
        if load is not None and load.status is LoadStatus.COMPLETED:
            continue
        out.append({"load_id": load_id, "reason_code": reason_code(load, schedule)})
    return out


def tell_unheld_losses(
    uow: UnitOfWork,
    plan: Plan,
    held: Mapping[str, Any],
    dropped: list[dict[str, str]],
    loads: Mapping[str, Load],
    schedule: Schedule,
    tz: tzinfo,
) -> None:
    """Each enterprise hears of its slot withdrawn (`slot.withdrawn`, with the reason code) for a
    still-plannable load of `dropped` that the published plan does not hold at all (a load the
    plan holds hears from the publish's own events; a cancelled one knew already)."""
    holds = {a.load_id for a in schedule.assignments} | {u.load_id for u in schedule.unscheduled}
    for entry in dropped:
        load = loads.get(entry["load_id"])
        if load is None or load.id in holds or load.status in NOT_PLANNABLE:
            continue
        before = getattr(held.get(load.id), "assignment", None)
        reason = {"code": entry["reason_code"]}
        events.emit_slot(uow, load, before, None, reason=reason, plan_id=plan.id, tz=tz)

"""Repairing the plan in force for one load whose slot became impossible: a truck at the gate
after its slot (`services/gate.py`), an ETA moved later (`services/loads.py`).

The published plan is read as it is now (its horizon, the other loads' slots, hubs, relays), the
earliest feasible slot from `earliest` is found by `solver/repair.py` (verified, nothing else
moves), and the plan's row for the load is moved there, or dropped when there is no gap (the load
then waits for the next re-plan, with the reason). The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hub_scheduler.domain import Assignment, Load, LoadStatus, Position, Scenario
from hub_scheduler.errors import NotFound
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.audit import record
from hub_scheduler.services.events import emit_slot
from hub_scheduler.services.site import read_site
from hub_scheduler.solver.repair import earliest_slot

# Loads whose slots no longer hold a dock: their rows in a published plan are ignored.
_GONE = {LoadStatus.CANCELLED, LoadStatus.NO_SHOW, LoadStatus.REJECTED, LoadStatus.COMPLETED}


@dataclass(frozen=True)
class SlotRepair:
    """What a repair did: the slot before and after (None: none found), with a reason code and
    its parameters (ISO times in the site's zone), for the audit entry and the response."""

    before: Assignment
    after: Assignment | None
    code: str
    params: dict[str, Any]


def repair_slot(
    uow: UnitOfWork, load: Load, plan_id: int, before: Assignment, earliest: datetime, code: str
) -> SlotRepair:
    """Move `load` in published plan `plan_id` to its earliest feasible slot at or after
    `earliest` (or drop its row when none is left in the plan's horizon)."""
    site = read_site(uow)
    plan = uow.plans.get(plan_id, with_rows=False)
    if plan is None:
        raise NotFound(f"plan {plan_id} does not exist")
    in_force = [
        p.assignment
        for p in uow.plans.published_assignments(
            start_before=plan.horizon_end, end_after=plan.horizon_start
        )
        if p.assignment.load_id != load.id
    ]
    loads = {ld.id: ld for ld in uow.loads.get_many(a.load_id for a in in_force)}
    others = [a for a in in_force if a.load_id in loads and loads[a.load_id].status not in _GONE]
    moved = load.model_copy(update={"pinned": None})
    kept = [loads[a.load_id] for a in others]
    ids = {ld.id for ld in kept} | {load.id}
    scenario = Scenario(
        name=site.name,
        timezone=str(site.timezone),
        horizon={"start": plan.horizon_start, "end": plan.horizon_end},
        settings=site.settings.model_copy(update={"now": None, "freeze_minutes": 0}),
        hubs=uow.hubs.list(),
        enterprises=uow.enterprises.list(),
        loads=[*kept, moved],
        transfers=uow.transfers.list(ids),
    )
    found = earliest_slot(scenario, moved, others, max(earliest, load.release))
    if found.assignment is not None:
        uow.plans.move_assignment(plan_id, found.assignment)
    else:
        uow.plans.drop_assignment(plan_id, load.id)
    tz = site.timezone
    after = found.assignment
    params: dict[str, Any] = {
        "planned_start": before.start.astimezone(tz).isoformat(),
        "earliest": max(earliest, load.release).astimezone(tz).isoformat(),
        "new_start": after.start.astimezone(tz).isoformat() if after else None,
        "new_dock": after.dock_id if after else None,
        "tried": found.tried,
    }
    code = code if after else "NO_SLOT_LEFT"
    reason = {"code": code, "params": params}
    emit_slot(uow, load, before, after, reason=reason, plan_id=plan_id, tz=tz)
    return SlotRepair(before, after, code, params)


def stale_slot(load: Load, slot: Assignment) -> bool:
    """Whether a published slot no longer fits the load: it starts before the (new) release, its
    length is not the handling time, or it ends after the deadline."""
    end = slot.start + timedelta(minutes=load.handling_minutes)
    return (
        slot.start < load.release
        or slot.end != end
        or (load.deadline is not None and end > load.deadline)
    )


def repair_if_stale(uow: UnitOfWork, load: Load, actor: str) -> Load:
    """After a change (an ETA moved later), a slot in force that became impossible is repaired at
    once (`services/repair.py`: the earliest feasible slot from the new release, nothing else
    moves) or dropped, so it is never shown as valid; the reason is audited."""
    placed = uow.plans.published_assignments(load_ids=[load.id])
    if not placed or not stale_slot(load, placed[-1].assignment):
        return load
    repair = repair_slot(
        uow, load, placed[-1].plan_id, placed[-1].assignment, load.release, "ETA_CHANGED"
    )
    record(
        uow, actor, "load.repair", "load", load.id, {"code": repair.code, "params": repair.params}
    )
    if load.pinned is None:
        return load
    after = repair.after
    pin = Position(hub_id=after.hub_id, dock_id=after.dock_id, start=after.start) if after else None
    return load.model_copy(update={"pinned": pin})

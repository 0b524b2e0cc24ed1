"""A publish that moves a checked-in truck's start: the re-plan found its dock still held at the
gate over its pinned slot (another truck overran), so the state it planned from pinned it on the
same dock from when the dock is free (models/pin_shift.py). Publishing makes the load's `pinned`
row say the same as the slot in force (the gate, the incident trace and the next re-plan read it),
and tells why, as a repair tells a truck it pushed (services/repair.py, `SHIFTED_FOR_REPAIR`).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from hub_scheduler.domain import Position, Scenario, Schedule
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.services.audit import record
from hub_scheduler.transitions import ON_SITE

# The code of the audit entry, the slot event's reason and `slot_changed` of such a truck.
DOCK_STILL_IN_USE = "DOCK_STILL_IN_USE"


def move_pinned_starts(
    uow: UnitOfWork, schedule: Schedule, current: Scenario, *, actor: str, tz: tzinfo
) -> dict[str, dict[str, Any]]:
    """Inside the publish's unit of work, after the statuses follow the plan in force: each truck
    on site whose pin in `current` (the state the publish was checked against) is on the dock of
    its stored pin at another start, and that `schedule` (what goes in force) places exactly there,
    gets that pin stored, `slot_changed` {code `DOCK_STILL_IN_USE`, params: planned_start,
    new_start (site's zone), dock, shift_minutes} and an audit entry `load.start_moved` with the
    same. Returns those reasons by load id, for the slot events."""
    pins = {ld.id: ld.pinned for ld in current.loads if ld.pinned is not None}
    placed = {a.load_id: a for a in schedule.assignments if a.load_id in pins}
    reasons: dict[str, dict[str, Any]] = {}
    for load in uow.loads.get_many(sorted(placed)):
        stored, pin, a = load.pinned, pins[load.id], placed[load.id]
        if (
            load.status not in ON_SITE
            or stored is None
            or (stored.hub_id, stored.dock_id) != (pin.hub_id, pin.dock_id)
            or stored.start == pin.start
            or (a.hub_id, a.dock_id, a.start) != (pin.hub_id, pin.dock_id, pin.start)
        ):
            continue
        reason = {
            "code": DOCK_STILL_IN_USE,
            "params": {
                "planned_start": stored.start.astimezone(tz).isoformat(),
                "new_start": pin.start.astimezone(tz).isoformat(),
                "dock": pin.dock_id,
                "shift_minutes": round((pin.start - stored.start).total_seconds() / 60),
            },
        }
        new_pin = Position(hub_id=pin.hub_id, dock_id=pin.dock_id, start=pin.start)
        uow.loads.update(load.model_copy(update={"pinned": new_pin, "slot_changed": reason}))
        record(uow, actor, "load.start_moved", "load", load.id, reason)
        reasons[load.id] = reason
    return reasons

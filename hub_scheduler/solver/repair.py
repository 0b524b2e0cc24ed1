"""Fast repair of the plan in force for ONE load whose slot became impossible (a truck at the gate
after its slot, an ETA moved later): the earliest feasible slot from `earliest`, moving no other
load.

The candidates are the starts where a gap can open on a dock of the load's temperature class at
the hubs it may use: the first slot-grid minute at or after `earliest`, and the grid minute after
each other operation's disinfection or blocked window there. They are tried earliest first and a
candidate is taken only when the independent verifier (`hub_scheduler/verify.py`) finds no
violation that the plan without the load did not already have: so every hard rule (H1-H11,
crews, site capacity, relays, opening hours, blocked windows) is checked by the one verifier, not
re-implemented here. Nothing else moves; when no gap exists in the horizon the caller leaves the
load unplaced with a reason for the next re-plan (shifting or ejecting other loads is not done).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub_scheduler.domain import Assignment, Load, PlanStatus, Scenario, Schedule
from hub_scheduler.solver.instance import effective_disinfection
from hub_scheduler.verify import slot_minutes, verify

MAX_CANDIDATES = 400  # a day of 15-minute slots on a few docks; each costs one verification


@dataclass(frozen=True)
class Repair:
    """The new slot (None: no gap before the horizon ends) and how many candidates were tried."""

    assignment: Assignment | None
    tried: int


def _grid_at_or_after(moment: datetime, origin: datetime, step: int) -> datetime:
    minutes = (moment - origin).total_seconds() / 60
    return origin + timedelta(minutes=math.ceil(minutes / step - 1e-9) * step)


def _violations(scenario: Scenario, assignments: list[Assignment]) -> set[str]:
    schedule = Schedule(
        scenario=scenario.name, status=PlanStatus.FEASIBLE, assignments=assignments
    )
    return {v.message for v in verify(scenario, schedule).violations}


def _candidates(scenario: Scenario, load: Load, others: list[Assignment], earliest: datetime):
    """(start, hub, zone, dock) where the load might fit, earliest first."""
    allowed = set(load.allowed_hubs) if load.allowed_hubs else None
    found: set[tuple[datetime, int, str, str, str]] = set()
    order = 0
    for hub in scenario.hubs:
        if allowed is not None and hub.id not in allowed:
            continue
        step = slot_minutes(hub, scenario)
        for zone in hub.zones:
            if zone.temperature != load.temperature:
                continue
            for dock in zone.docks:
                order += 1
                frees = [earliest]
                frees += [
                    a.disinfected_at
                    for a in others
                    if a.hub_id == hub.id and a.dock_id == dock.id and a.disinfected_at > earliest
                ]
                frees += [w.end for w in hub.blocked if w.end > earliest]
                for free in frees:
                    start = _grid_at_or_after(free, scenario.horizon.start, step)
                    if start < scenario.horizon.end:
                        found.add((start, order, hub.id, zone.id, dock.id))
    return sorted(found)


def earliest_slot(
    scenario: Scenario, load: Load, others: list[Assignment], earliest: datetime
) -> Repair:
    """The earliest slot at or after `earliest` where `load` fits beside the plan `others`
    (the other assignments of the plan in force, which stay where they are).

    `scenario` holds the hubs, the loads of `others` and `load` (unpinned). Every candidate is
    checked by `verify`; a violation already present without the load does not count against it.
    """
    before = _violations(scenario, others)
    hubs = {h.id: h for h in scenario.hubs}
    tried = 0
    for start, _, hub_id, zone_id, dock_id in _candidates(scenario, load, others, earliest):
        if tried >= MAX_CANDIDATES:
            break
        tried += 1
        hub = hubs[hub_id]
        zone = next(z for z in hub.zones if z.id == zone_id)
        end = start + timedelta(minutes=load.handling_minutes)
        candidate = Assignment(
            load_id=load.id,
            hub_id=hub_id,
            zone_id=zone_id,
            dock_id=dock_id,
            start=start,
            end=end,
            disinfected_at=end + timedelta(minutes=effective_disinfection(load, zone, hub)),
        )
        if not (_violations(scenario, [*others, candidate]) - before):
            return Repair(candidate, tried)
    return Repair(None, tried)

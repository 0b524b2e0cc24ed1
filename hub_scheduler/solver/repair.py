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
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub_scheduler.domain import Assignment, Hub, Load, PlanStatus, Scenario, Schedule
from hub_scheduler.facts import assignment, disinfection_minutes, opening_minutes, slot_minutes
from hub_scheduler.verify import verify

MAX_CANDIDATES = 2000  # each costs one verification of one hub's part of the plan


@dataclass(frozen=True)
class Repair:
    """The new slot (None: no gap before the horizon ends) and how many candidates the verifier
    checked (those overlapping a dock's span are skipped before)."""

    assignment: Assignment | None
    tried: int


def _grid_at_or_after(moment: datetime, origin: datetime, step: int) -> datetime:
    minutes = (moment - origin).total_seconds() / 60
    return origin + timedelta(minutes=math.ceil(minutes / step - 1e-9) * step)


def _violations(scenario: Scenario, assignments: list[Assignment]) -> set[str]:
    schedule = Schedule(scenario=scenario.name, status=PlanStatus.FEASIBLE, assignments=assignments)
    return {v.message for v in verify(scenario, schedule).violations}


def _openings(scenario: Scenario, hub: Hub) -> list[datetime]:
    """When each opening period of the hub starts inside the horizon (H5: a closed hub's first
    chance is its next opening)."""
    return [scenario.moment(a) for a, _ in opening_minutes(hub, scenario) or []]


def _candidates(scenario: Scenario, load: Load, others: list[Assignment], earliest: datetime):
    """(start, hub, zone, dock) where the load might fit, earliest first: the first grid minute
    from `earliest`, and after each moment something frees up at that hub (a dock's
    disinfection ends, an operation ends and frees a crew or a place on site, a blocked window
    ends, the hub opens)."""
    allowed = set(load.allowed_hubs) if load.allowed_hubs else None
    found: set[tuple[datetime, int, str, str, str]] = set()
    order = 0
    for hub in scenario.hubs:
        if allowed is not None and hub.id not in allowed:
            continue
        step = slot_minutes(hub, scenario)
        here = [a for a in others if a.hub_id == hub.id]
        frees = {earliest}
        frees |= {t for a in here for t in (a.end, a.disinfected_at) if t > earliest}
        frees |= {w.end for w in hub.blocked if w.end > earliest}
        frees |= {t for t in _openings(scenario, hub) if t > earliest}
        starts = {_grid_at_or_after(t, scenario.horizon.start, step) for t in frees}
        for zone in hub.zones:
            if zone.temperature != load.temperature:
                continue
            for dock in zone.docks:
                order += 1
                for start in starts:
                    if start < scenario.horizon.end:
                        found.add((start, order, hub.id, zone.id, dock.id))
    return sorted(found)


def _hub_part(
    scenario: Scenario, load: Load, others: list[Assignment], hub_id: str
) -> tuple[Scenario, list[Assignment]]:
    """The scenario and plan a candidate at `hub_id` can affect: that hub's operations, plus the
    load's relay partners wherever they are (H7). Every rule but H7 is per hub, so verifying
    this part finds what verifying the whole plan would, at a fraction of the cost."""
    partners = {t.inbound for t in scenario.transfers if t.outbound == load.id}
    partners |= {t.outbound for t in scenario.transfers if t.inbound == load.id}
    part = [a for a in others if a.hub_id == hub_id or a.load_id in partners]
    ids = {a.load_id for a in part} | {load.id}
    hubs = {hub_id} | {a.hub_id for a in part}
    sub = scenario.model_copy(
        update={
            "hubs": [h for h in scenario.hubs if h.id in hubs],
            "loads": [ld for ld in scenario.loads if ld.id in ids],
            "transfers": [t for t in scenario.transfers if t.inbound in ids and t.outbound in ids],
        }
    )
    return sub, part


def earliest_slot(
    scenario: Scenario, load: Load, others: list[Assignment], earliest: datetime
) -> Repair:
    """The earliest slot at or after `earliest` where `load` fits beside the plan `others`
    (the other assignments of the plan in force, which stay where they are).

    `scenario` holds the hubs, the loads of `others` and `load` (unpinned). Every candidate is
    checked by `verify` (on the candidate's hub, see `_hub_part`); a violation already present
    without the load does not count against it.
    """
    hubs = {h.id: h for h in scenario.hubs}
    # Spans already on each dock: a candidate overlapping one is skipped before the verifier
    # is asked (it would say H3); the verifier stays the judge of everything that is asked.
    spans: dict[tuple[str, str], list[tuple[datetime, datetime]]] = defaultdict(list)
    for a in others:
        spans[(a.hub_id, a.dock_id)].append((a.start, a.disinfected_at))
    parts: dict[str, tuple[Scenario, list[Assignment], set[str]]] = {}
    tried = 0
    for start, _, hub_id, zone_id, dock_id in _candidates(scenario, load, others, earliest):
        hub = hubs[hub_id]
        zone = next(z for z in hub.zones if z.id == zone_id)
        candidate = assignment(
            load.id,
            (hub_id, zone_id, dock_id),
            start,
            load.handling_minutes,
            disinfection_minutes(load, zone, hub),
        )
        if load.deadline is not None and candidate.end > load.deadline:
            break  # candidates come earliest first: every later one misses the deadline too
        done = candidate.disinfected_at
        if any(s < done and start < e for s, e in spans[(hub_id, dock_id)]):
            continue
        if tried >= MAX_CANDIDATES:
            break
        tried += 1
        if hub_id not in parts:
            sub, part = _hub_part(scenario, load, others, hub_id)
            parts[hub_id] = (sub, part, _violations(sub, part))
        sub, part, before = parts[hub_id]
        if not (_violations(sub, [*part, candidate]) - before):
            return Repair(candidate, tried)
    return Repair(None, tried)

"""Fast repair of the plan in force for ONE load whose slot became impossible (a truck at the gate
after its slot, an ETA moved later): the earliest feasible slot from `earliest`, moving as few
other loads as possible.

`repair` works in two steps:

1. The gap (`earliest_slot`, zero moves). The candidates are the starts where a gap can open on
   a dock of the load's temperature class at the hubs it may use: the first slot-grid minute at
   or after `earliest`, and the grid minute after each other operation's disinfection or blocked
   window there. They are tried earliest first and a candidate is taken only when the
   independent verifier (`hub_scheduler/verify/`) finds no violation that the plan without the
   load did not already have: so every hard rule (H1-H11, crews, site capacity, relays, opening
   hours, blocked windows) is checked by the one verifier, not re-implemented here.
2. When there is no gap, or the gap ends after the load's `due` while an earlier start exists,
   an insertion: the load starts at its earliest feasible start on each eligible dock and the
   later operations of that dock that may move (the caller says which: not checked in, not
   started, not pinned, not frozen) are pushed to the right, each as little as needed (to the
   grid minute after the one before it is disinfected). A push never takes a load past its
   deadline, out of the horizon, or from on time (end <= due) to late, and never moves a load
   the caller did not allow; each insertion is verified like a gap. The dock whose insertion
   moves the fewest loads wins, then the smallest total shift, then the earliest start; the
   whole resulting plan is verified once more before it is returned (else the gap, or nothing).

When neither exists the caller leaves the load unplaced with a reason for the next re-plan.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hub_scheduler.domain import Assignment, Hub, Load, PlanStatus, Scenario, Schedule
from hub_scheduler.facts import assignment, disinfection_minutes, opening_minutes, slot_minutes
from hub_scheduler.verify import verify

MAX_CANDIDATES = 2000  # each costs one verification of one hub's part of the plan
MAX_INSERTIONS = 150  # the same, for insertions that push other loads (step 2)


@dataclass(frozen=True)
class Repair:
    """The new slot (None: none before the horizon ends), how many candidates the verifier
    checked (those overlapping a dock's span are skipped before), and the other loads' new slots
    when an insertion pushed them (`moved`, each on its own dock, later than before)."""

    assignment: Assignment | None
    tried: int
    moved: tuple[Assignment, ...] = field(default=())

    def shift_minutes(self, before: dict[str, Assignment]) -> float:
        """Total minutes the moved loads were pushed, against their slots `before` (by load id)."""
        return sum((a.start - before[a.load_id].start).total_seconds() / 60 for a in self.moved)


def _grid_at_or_after(moment: datetime, origin: datetime, step: int) -> datetime:
    minutes = (moment - origin).total_seconds() / 60
    return origin + timedelta(minutes=math.ceil(minutes / step - 1e-9) * step)


def _violations(scenario: Scenario, assignments: list[Assignment]) -> set[str]:
    schedule = Schedule(scenario=scenario.name, status=PlanStatus.FEASIBLE, assignments=assignments)
    return {v.text for v in verify(scenario, schedule).violations}


def _openings(scenario: Scenario, hub: Hub) -> list[datetime]:
    """When each opening period of the hub starts inside the horizon (H5: a closed hub's first
    chance is its next opening)."""
    return [scenario.moment(a) for a, _ in opening_minutes(hub, scenario) or []]


def _candidates(
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    earliest: datetime,
    docks: Collection[tuple[str, str]] | None = None,
):
    """(start, hub, zone, dock) where the load might fit, earliest first: the first grid minute
    from `earliest`, and after each moment something frees up at that hub (a dock's
    disinfection ends, an operation ends and frees a crew or a place on site, a blocked window
    ends, the hub opens). `docks` ((hub, dock) pairs): only those (a truck on site keeps its
    dock, H10); None: every dock of the load's temperature."""
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
                if docks is not None and (hub.id, dock.id) not in docks:
                    continue
                order += 1
                for start in starts:
                    if start < scenario.horizon.end:
                        found.add((start, order, hub.id, zone.id, dock.id))
    return sorted(found)


def _hub_part(
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    hub_id: str,
    movable: Collection[str] = (),
) -> tuple[Scenario, list[Assignment]]:
    """The scenario and plan a candidate at `hub_id` can affect: that hub's operations, plus the
    relay partners (H7), wherever they are, of the load and of the hub's loads that may be pushed
    (`movable`). Every rule but H7 is per hub, so verifying this part finds what verifying the
    whole plan would, at a fraction of the cost."""
    here = {a.load_id for a in others if a.hub_id == hub_id}
    mine = {load.id} | (here & set(movable))
    partners = {t.inbound for t in scenario.transfers if t.outbound in mine}
    partners |= {t.outbound for t in scenario.transfers if t.inbound in mine}
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
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    earliest: datetime,
    docks: Collection[tuple[str, str]] | None = None,
) -> Repair:
    """The earliest slot at or after `earliest` where `load` fits beside the plan `others`
    (the other assignments of the plan in force, which stay where they are), on one of `docks`
    when given (`_candidates`).

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
    for start, _, hub_id, zone_id, dock_id in _candidates(scenario, load, others, earliest, docks):
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


def _shifted(a: Assignment, start: datetime) -> Assignment:
    """`a` moved to `start` on the same dock, handling and disinfection as long as before."""
    delta = start - a.start
    return a.model_copy(
        update={"start": start, "end": a.end + delta, "disinfected_at": a.disinfected_at + delta}
    )


def _push(
    scenario: Scenario,
    loads: dict[str, Load],
    candidate: Assignment,
    dock_ops: list[Assignment],
    movable: Collection[str],
    step: int,
) -> list[Assignment] | None:
    """The operations of the candidate's dock (`dock_ops`, by start) pushed right as little as
    needed to make room for it: each to the grid minute at or after the moment the one before it
    is disinfected. None when the room cannot be made so: an operation starting before the
    candidate still holds the dock at its start, one in the way may not move, or a push takes
    a load past its deadline, out of the horizon, or from on time to late."""
    cursor = candidate.disinfected_at
    pushed: list[Assignment] = []
    for op in dock_ops:
        if op.start < candidate.start:
            if op.disinfected_at > candidate.start:
                return None
            continue
        if op.start >= cursor:
            break  # the plan had no overlap on the dock: nothing later is in the way
        if op.load_id not in movable:
            return None
        new = _shifted(op, _grid_at_or_after(cursor, scenario.horizon.start, step))
        load = loads.get(op.load_id)
        if new.disinfected_at > scenario.horizon.end or load is None:
            return None
        if load.deadline is not None and new.end > load.deadline:
            return None
        if op.end <= load.due < new.end:
            return None
        pushed.append(new)
        cursor = new.disinfected_at
    return pushed


def _insertion(
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    earliest: datetime,
    movable: set[str],
    before: datetime,
) -> Repair:
    """Step 2 of `repair`: the best insertion that starts before `before` (the gap's start, or
    the horizon's end), pushing only `movable` loads; `Repair(None, tried)` when none verifies."""
    hubs = {h.id: h for h in scenario.hubs}
    loads = {ld.id: ld for ld in scenario.loads}
    by_dock: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
    for a in others:
        by_dock[(a.hub_id, a.dock_id)].append(a)
    for ops in by_dock.values():
        ops.sort(key=lambda a: a.start)
    parts: dict[str, tuple[Scenario, list[Assignment], set[str]]] = {}
    found: dict[tuple[str, str], tuple[tuple[int, float, datetime], Repair]] = {}
    tried = 0
    for start, _, hub_id, zone_id, dock_id in _candidates(scenario, load, others, earliest):
        if start >= before or tried >= MAX_INSERTIONS:
            break
        if (hub_id, dock_id) in found:
            continue  # the dock's earliest insertion is known: later ones push more
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
        step = slot_minutes(hub, scenario)
        pushed = _push(scenario, loads, candidate, by_dock[(hub_id, dock_id)], movable, step)
        if not pushed:
            continue  # None: no room; []: a gap, which step 1 already judged
        tried += 1
        if hub_id not in parts:
            sub, part = _hub_part(scenario, load, others, hub_id, movable)
            parts[hub_id] = (sub, part, _violations(sub, part))
        sub, part, was = parts[hub_id]
        new = {a.load_id: a for a in pushed}
        after = [new.get(a.load_id, a) for a in part]
        if _violations(sub, [*after, candidate]) - was:
            continue
        repair = Repair(candidate, tried, tuple(pushed))
        shift = repair.shift_minutes({a.load_id: a for a in part})
        found[(hub_id, dock_id)] = ((len(pushed), shift, start), repair)
    if not found:
        return Repair(None, tried)
    best = min(found.values(), key=lambda kept: kept[0])[1]
    return Repair(best.assignment, tried, best.moved)


def _gap_is_good(scenario: Scenario, load: Load, gap: Assignment, earliest: datetime) -> bool:
    """A gap is taken as it is when it ends by the load's due, or when no start can be earlier
    (it is at the first grid minute from `earliest`)."""
    step = min((slot_minutes(h, scenario) for h in scenario.hubs), default=1)
    return gap.end <= load.due or gap.start <= _grid_at_or_after(
        earliest, scenario.horizon.start, step
    )


def repair(
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    earliest: datetime,
    movable: Collection[str] = (),
    docks: Collection[tuple[str, str]] | None = None,
) -> Repair:
    """A slot for `load` at or after `earliest` beside the plan `others`, moving as few of them
    as possible (module docstring): the gap when there is a good one, else the best insertion
    that pushes only loads in `movable` (ids of `others`), else the late gap, else none. With
    `docks` ((hub, dock) pairs), a gap on one of those only, nothing pushed (a truck on site
    waiting on its own dock, H10).

    `scenario` holds the hubs, the loads of `others` and `load` (unpinned). The result is
    verified: the plan `others` with `moved` in place of their old slots and the new slot has no
    violation (whole-plan `verify`) that `others` did not already have.
    """
    gap = earliest_slot(scenario, load, others, earliest, docks)
    if docks is not None:
        return gap
    allowed = set(movable) & {a.load_id for a in others}
    if not allowed or (
        gap.assignment is not None and _gap_is_good(scenario, load, gap.assignment, earliest)
    ):
        return gap
    before = gap.assignment.start if gap.assignment is not None else scenario.horizon.end
    found = _insertion(scenario, load, others, earliest, allowed, before)
    tried = gap.tried + found.tried
    if found.assignment is None:
        return Repair(gap.assignment, tried)
    new = {a.load_id: a for a in found.moved}
    after = [new.get(a.load_id, a) for a in others]
    if _violations(scenario, [*after, found.assignment]) - _violations(scenario, others):
        return Repair(gap.assignment, tried)  # the hub part hid something: never store it
    return Repair(found.assignment, tried, found.moved)

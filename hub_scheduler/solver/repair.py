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
   hours, blocked windows) is checked by the one verifier, not re-implemented here. Candidates
   that surely break H2, H3, H5 or H7 are skipped before it is asked (`repair_filters.py`: each
   prefilter only ever looser than the verifier), and it is asked on the slice of the plan the
   candidate can affect (`repair_check.py`), without the objective's sums: on a city day (3,000
   loads) a whole-plan verification costs 0.3 s, a slice a millisecond or two.
2. When there is no gap, or the gap ends after the load's `due` while an earlier start exists,
   an insertion: the load starts at its earliest feasible start on each eligible dock and the
   later operations of that dock that may move (the caller says which: not checked in, not
   started, not pinned, not frozen) are pushed to the right, each as little as needed (to the
   grid minute after the one before it is disinfected). A push never takes a load past its
   deadline, out of the horizon, or from on time (end <= due) to late, and never moves a load
   the caller did not allow; each insertion is verified like a gap. The dock whose insertion
   moves the fewest loads wins, then the smallest total shift, then the earliest start.

When neither exists the caller leaves the load unplaced with a reason for the next re-plan.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hub_scheduler.domain import (
    Assignment,
    Hub,
    HubStatus,
    Load,
    Scenario,
)
from hub_scheduler.facts import (
    assignment,
    disinfection_minutes,
    opening_minutes,
    slot_minutes,
)
from hub_scheduler.solver.repair_check import breaks_a_rule, hub_part
from hub_scheduler.solver.repair_filters import (
    RelayLimits,
    blocks,
    inside_opening,
    opening_spans,
    relay_limits,
)

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


def _openings(scenario: Scenario, hub: Hub) -> list[datetime]:
    """When each opening period of the hub starts inside the horizon (H5: a closed hub's first
    chance is its next opening)."""
    return [scenario.moment(a) for a, _ in opening_minutes(hub, scenario) or []]


def _candidates(
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    earliest: datetime,
    relay: RelayLimits,
    docks: Collection[tuple[str, str]] | None = None,
):
    """(start, hub, zone, dock) where the load might fit, earliest first: the first grid minute
    from `earliest`, and after each moment something frees up at that hub (a dock's
    disinfection ends, an operation ends and frees a crew or a place on site, a blocked window
    ends, the hub opens); only in the (hub, zone) and from the start its relay partners leave
    it (`relay`). `docks` ((hub, dock) pairs): only those (a truck on site keeps its dock, H10);
    None: every dock of the load's temperature."""
    allowed = set(load.allowed_hubs) if load.allowed_hubs else None
    if relay.nowhere:
        return []
    if relay.not_before is not None:
        earliest = max(earliest, relay.not_before)
    found: set[tuple[datetime, int, str, str, str]] = set()
    order = 0
    for hub in scenario.hubs:
        if allowed is not None and hub.id not in allowed:
            continue
        if relay.place is not None and hub.id != relay.place[0]:
            continue
        if hub.status != HubStatus.ACTIVE:
            continue  # H2: the verifier would refuse every start there
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
            if relay.place is not None and zone.id != relay.place[1]:
                continue
            for dock in zone.docks:
                if docks is not None and (hub.id, dock.id) not in docks:
                    continue
                order += 1
                for start in starts:
                    if start < scenario.horizon.end:
                        found.add((start, order, hub.id, zone.id, dock.id))
    return sorted(found)


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
    checked by the verifier (on the slice of its hub's operations it can affect,
    `repair_check.py`); a violation already present without the load does not count against it.
    """
    hubs = {h.id: h for h in scenario.hubs}
    # Spans already on each dock, and the blocked windows that apply to it: a candidate
    # overlapping one is skipped before the verifier is asked (it would say H3 or H5); the
    # verifier stays the judge of everything that is asked.
    spans: dict[tuple[str, str], list[tuple[datetime, datetime]]] = defaultdict(list)
    for a in others:
        spans[(a.hub_id, a.dock_id)].append((a.start, a.disinfected_at))
    for hub in scenario.hubs:
        for zone in hub.zones:
            for dock in zone.docks:
                spans[(hub.id, dock.id)] += [
                    (w.start, w.end) for w in hub.blocked if blocks(w, zone.id, dock.id)
                ]
    parts: dict[str, tuple[Scenario, list[Assignment]]] = {}
    periods = {h.id: opening_spans(scenario, h) for h in scenario.hubs}
    relay = relay_limits(scenario, load, others)
    tried = 0
    candidates = _candidates(scenario, load, others, earliest, relay, docks)
    for start, _, hub_id, zone_id, dock_id in candidates:
        if relay.not_after is not None and start > relay.not_after:
            break  # the outbound partner stays put (H7): every later candidate is too late
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
        if not inside_opening(periods[hub_id], candidate):
            continue
        if tried >= MAX_CANDIDATES:
            break
        tried += 1
        if hub_id not in parts:
            parts[hub_id] = hub_part(scenario, load, others, hub_id)
        sub, part = parts[hub_id]
        if not breaks_a_rule(sub, part, candidate):
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
    the horizon's end), pushing only `movable` loads; `Repair(None, tried)` when none verifies.

    Each dock offers its earliest insertion that verifies; the best dock's wins (fewest loads
    moved, then the smallest total shift, then the earliest start, then the candidate order).
    The pushes of every insertion are worked out first (one dock's list each, cheap), and the
    verifier is asked lazily: docks are taken by the best key any of their insertions not yet
    refused could have, so a dock whose offer verifies with a key no other dock can beat ends
    the search. The answer is the one asking every dock in turn gives, after a few
    verifications instead of one per dock (a city day: about 40 a repair)."""
    offers = _insertions(scenario, load, others, earliest, movable, before)
    # Per dock, the best key of its offers from each position on: no later offer beats it.
    floor: dict[tuple[str, str], list[tuple]] = {}
    for dock, ranked in offers.items():
        best: list[tuple] = []
        for key, _ in reversed(ranked):
            best.append(min(key, best[-1]) if best else key)
        floor[dock] = best[::-1]
    queue = [(floor[dock][0], False, dock, 0) for dock in offers]
    heapq.heapify(queue)
    parts: dict[str, tuple[Scenario, list[Assignment]]] = {}
    tried = 0
    while queue:
        key, verified, dock, at = heapq.heappop(queue)
        own, insertion = offers[dock][at]
        if verified:
            assert insertion.assignment is not None
            return Repair(insertion.assignment, tried, insertion.moved)
        tried += 1
        candidate = insertion.assignment
        assert candidate is not None
        if candidate.hub_id not in parts:
            parts[candidate.hub_id] = hub_part(scenario, load, others, candidate.hub_id, movable)
        sub, part = parts[candidate.hub_id]
        if not breaks_a_rule(sub, part, candidate, insertion.moved):
            heapq.heappush(queue, (own, True, dock, at))  # the dock's offer: its earliest
        elif at + 1 < len(offers[dock]):
            heapq.heappush(queue, (floor[dock][at + 1], False, dock, at + 1))
    return Repair(None, tried)


def _insertions(
    scenario: Scenario,
    load: Load,
    others: list[Assignment],
    earliest: datetime,
    movable: set[str],
    before: datetime,
) -> dict[tuple[str, str], list[tuple[tuple, Repair]]]:
    """Per dock, its insertions before `before` in start order, each with its key (loads moved,
    total shift in minutes, start, candidate order) and not yet verified; at most
    `MAX_INSERTIONS` in all."""
    hubs = {h.id: h for h in scenario.hubs}
    loads = {ld.id: ld for ld in scenario.loads}
    by_dock: dict[tuple[str, str], list[Assignment]] = defaultdict(list)
    for a in others:
        by_dock[(a.hub_id, a.dock_id)].append(a)
    for ops in by_dock.values():
        ops.sort(key=lambda a: a.start)
    old = {a.load_id: a for a in others}
    periods = {h.id: opening_spans(scenario, h) for h in scenario.hubs}
    relay = relay_limits(scenario, load, others)
    offers: dict[tuple[str, str], list[tuple[tuple, Repair]]] = defaultdict(list)
    count = 0
    for start, _, hub_id, zone_id, dock_id in _candidates(scenario, load, others, earliest, relay):
        if start >= before or count >= MAX_INSERTIONS:
            break
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
        if not inside_opening(periods[hub_id], candidate):
            continue
        step = slot_minutes(hub, scenario)
        pushed = _push(scenario, loads, candidate, by_dock[(hub_id, dock_id)], movable, step)
        if not pushed:
            continue  # None: no room; []: a gap, which step 1 already judged
        insertion = Repair(candidate, 0, tuple(pushed))
        key = (len(pushed), insertion.shift_minutes(old), start, count)
        offers[(hub_id, dock_id)].append((key, insertion))
        count += 1
    return offers


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
    violation that `others` did not already have. The verifier is asked on the slice of the
    plan the change can affect (`repair_check.py`: the hub's operations that touch the changed
    time and the relay partners of the changed loads); every rule but H7 is per hub and about
    one operation or one moment, so this finds what a whole-plan verification would
    (`test_repair_prefilters.py` and `test_solver_repair.py` check results on the whole plan).
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
    return Repair(found.assignment, tried, found.moved)

"""A plan's figures counted from its rows: the KPIs (counts and weights, punctuality, waits,
utilisation, moves, late loads) and the objective (S1-S5 as the independent verifier defines it,
`verify.objective_terms`: never computed a second way here).

One place, used when the solver reads a plan out (`solver/result.py`), when a plan is published
and whenever its rows are edited on the live day (a repair, a no-show, a late start: the unit of
work counts the edited plans again before it commits, `services/plan_figures.py`), so the figures a
user reads always describe the rows they see.

Two facts of the moment the objective was set are not in the rows: the slot each load held
before the plan (S4, "moved against previous") and the scenario's horizon end (S1's automatic
penalty is 10 x its minutes; utilisation counts open minutes up to it). They are kept with the plan
as its `FigureBasis`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub_scheduler.domain import Hub, HubStatus, Load, LoadStatus, Position, Scenario, Schedule
from hub_scheduler.facts import opening_minutes, unscheduled_penalty
from hub_scheduler.transitions import NOT_PLANNABLE
from hub_scheduler.verify import index_plan, objective_terms
from hub_scheduler.weights import load_weight

LATE_LOADS_LISTED = 200  # the kpis stay small on huge days; the count is always complete
_HELD_BEFORE = 5  # loads named as holding a late load's dock before it


@dataclass(frozen=True)
class FigureBasis:
    """What a plan's objective was measured against when it was set (solved or published):
    `previous` (load id -> the slot in force before the plan, S4), the S1 penalty per unit of
    weight, and the scenario's horizon end (it may reach past the plan's, day_horizon)."""

    unscheduled_penalty: float
    horizon_end: datetime
    previous: dict[str, Position] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario) -> FigureBasis:
        return cls(
            unscheduled_penalty=unscheduled_penalty(scenario),
            horizon_end=scenario.horizon.end,
            previous={ld.id: ld.previous for ld in scenario.loads if ld.previous is not None},
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "unscheduled_penalty": self.unscheduled_penalty,
            "horizon_end": self.horizon_end.isoformat(),
            "previous": {
                i: [p.hub_id, p.dock_id, p.start.isoformat()] for i, p in self.previous.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FigureBasis:
        return cls(
            unscheduled_penalty=float(data["unscheduled_penalty"]),
            horizon_end=datetime.fromisoformat(data["horizon_end"]),
            previous={
                i: Position(hub_id=h, dock_id=d, start=datetime.fromisoformat(s))
                for i, (h, d, s) in (data.get("previous") or {}).items()
            },
        )


def counted_loads(loads: Iterable[Load], basis: FigureBasis) -> list[Load]:
    """The plan's loads as its figures count them: each with the slot it held before the plan
    (`basis`), and counted whatever the gate did with it since. The plan was made and published
    with them plannable; a truck that completed, or was cancelled with its row kept, is still part
    of the plan's day (a no-show's row is dropped, so it no longer counts)."""
    counted = []
    for load in loads:
        update: dict[str, Any] = {"previous": basis.previous.get(load.id)}
        if load.status in NOT_PLANNABLE:
            update["status"] = LoadStatus.SCHEDULED
        counted.append(load.model_copy(update=update))
    return counted


def plan_objective(scenario: Scenario, schedule: Schedule) -> float:
    """S1-S5 of `schedule` over `scenario`'s loads: the verifier's sum."""
    return sum(objective_terms(index_plan(scenario, schedule)).values())


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60


def _open_minutes(scenario: Scenario, hub: Hub) -> int:
    """Minutes the hub is open in the scenario's horizon (overlapping periods counted once)."""
    openings = opening_minutes(hub, scenario)
    if openings is None:
        return scenario.horizon.minutes
    total, reach = 0, 0
    for a, b in sorted(openings):
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total


def _utilisation(scenario: Scenario, schedule: Schedule) -> tuple[dict, dict]:
    """Busy (handling + disinfection) over open minutes, per dock and averaged per zone, at the
    active hubs."""
    busy: dict[tuple[str, str], float] = defaultdict(float)
    for a in schedule.assignments:
        busy[(a.hub_id, a.dock_id)] += _minutes(a.disinfected_at, a.start)
    per_dock: dict[str, float] = {}
    per_zone: dict[str, float] = {}
    for hub in scenario.hubs:
        if hub.status is not HubStatus.ACTIVE:
            continue
        for zone in hub.zones:
            if not zone.docks:
                continue
            avail = max(1, _open_minutes(scenario, hub))
            values = []
            for dock in zone.docks:
                share = round(busy[(hub.id, dock.id)] / avail, 4)
                per_dock[f"{hub.id}/{dock.id}"] = share
                values.append(share)
            per_zone[f"{hub.id}/{zone.id}"] = round(sum(values) / len(values), 4)
    return per_zone, per_dock


def _late_loads(schedule: Schedule, loads: dict[str, Load], weights: dict[str, int]) -> list:
    """Each load ending after its due, heaviest weighted lateness first, with the loads that held
    its dock just before it (nearest first)."""
    order = {load_id: i for i, load_id in enumerate(loads)}
    by_dock: dict[tuple[str, str], list] = defaultdict(list)
    for a in schedule.assignments:
        if a.load_id in loads:
            by_dock[(a.hub_id, a.dock_id)].append((a.start, order[a.load_id], a))
    late = []
    for rows in by_dock.values():
        rows.sort(key=lambda r: (r[0], r[1]))
        for pos, (_, _, a) in enumerate(rows):
            minutes = _minutes(a.end, loads[a.load_id].due)
            if minutes > 0:
                w = weights[a.load_id]
                held = [r[2].load_id for r in reversed(rows[max(0, pos - _HELD_BEFORE) : pos])]
                late.append((-(w * minutes), a.load_id, minutes, w, held))
    late.sort()
    return late


def row_kpis(scenario: Scenario, schedule: Schedule) -> dict[str, Any]:
    """The KPIs of DESIGN.md counted from `schedule`'s rows over `scenario` (its loads, hubs,
    enterprises, horizon); the gate's figures are counted apart (`solver/kpis.gate_kpis`)."""
    loads = {ld.id: ld for ld in scenario.loads}
    enterprises = {e.id: e for e in scenario.enterprises}
    weights = {i: load_weight(ld, enterprises.get(ld.enterprise_id)) for i, ld in loads.items()}
    placed = [a for a in schedule.assignments if a.load_id in loads]
    waits = [_minutes(a.start, loads[a.load_id].release) for a in placed]
    on_time = sum(1 for a in placed if a.end <= loads[a.load_id].due)
    where = {a.load_id: (a.hub_id, a.dock_id, a.start) for a in schedule.assignments}
    moves = sum(
        1
        for ld in loads.values()
        if ld.previous is not None
        and ld.status not in NOT_PLANNABLE
        and where.get(ld.id) != (ld.previous.hub_id, ld.previous.dock_id, ld.previous.start)
    )
    per_zone, per_dock = _utilisation(scenario, schedule)
    late = _late_loads(schedule, loads, weights)
    return {
        "placed": len(schedule.assignments),
        "unscheduled": len(schedule.unscheduled),
        "placed_weight": sum(weights[a.load_id] for a in placed),
        "unscheduled_weight": sum(
            weights[u.load_id] for u in schedule.unscheduled if u.load_id in weights
        ),
        "on_time_rate": round(on_time / len(placed), 4) if placed else 1.0,
        "late_count": len(late),
        "mean_wait_minutes": round(sum(waits) / len(waits), 2) if waits else 0.0,
        "max_wait_minutes": round(max(waits), 2) if waits else 0.0,
        "utilisation_per_zone": per_zone,
        "utilisation_per_dock": per_dock,
        "moves_against_previous": moves,
        "late_loads": [
            {"load_id": i, "minutes_late": round(m, 2), "weight": w, "dock_held_before_by": held}
            for _, i, m, w, held in late[:LATE_LOADS_LISTED]
        ],
    }

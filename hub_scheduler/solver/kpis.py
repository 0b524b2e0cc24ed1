"""Key figures of a plan: counts and weights, punctuality, waiting, utilisation, moves, late
loads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from hub_scheduler.domain import Load
from hub_scheduler.solver.decode import Decoder, Solution

LATE_LOADS_LISTED = 200  # the kpis stay small on huge days; the count is always complete


def _open_minutes(dec: Decoder, hub_key: int) -> int:
    openings = dec.inst.hubs[hub_key].openings
    if openings is None:
        return dec.inst.horizon
    total, reach = 0, 0
    for a, b in openings:  # sorted; occurrences may overlap
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total


def gate_kpis(loads: Iterable[Load], planned_start: dict[str, datetime]) -> dict[str, Any]:
    """What the gate saw (DESIGN "Gate times"), in minutes: actual dwell = completed_at -
    arrived_at of the trucks that finished; on time at the gate = arrived by the start of the
    slot it was planned for (`planned_start`, load id -> start), among arrivals with a slot."""
    dwell: list[float] = []
    arrived = on_time = with_slot = 0
    for load in loads:
        if load.arrived_at is None:
            continue
        arrived += 1
        if load.completed_at is not None:
            dwell.append((load.completed_at - load.arrived_at).total_seconds() / 60)
        slot = planned_start.get(load.id)
        if slot is not None:
            with_slot += 1
            on_time += load.arrived_at <= slot
    return {
        "gate_arrivals": arrived,
        "gate_on_time_rate": round(on_time / with_slot, 4) if with_slot else None,
        "actual_dwell_mean_minutes": round(sum(dwell) / len(dwell), 2) if dwell else None,
        "actual_dwell_max_minutes": round(max(dwell), 2) if dwell else None,
    }


def plan_kpis(dec: Decoder, sol: Solution) -> dict[str, Any]:
    """The KPIs of DESIGN.md for the decoded plan."""
    inst = dec.inst
    loads = inst.loads
    placed = [k for k in range(len(loads)) if sol.cand[k] is not None]
    out_keys = [k for k in range(len(loads)) if sol.cand[k] is None]
    waits = [sol.start[k] - dec.release_f[k] for k in placed]
    on_time = sum(1 for k in placed if sol.start[k] + loads[k].p <= loads[k].due)

    busy_dock: dict[int, int] = defaultdict(int)
    by_dock: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k in placed:
        ck = sol.cand[k]
        assert ck is not None  # k is in placed
        busy_dock[sol.dock[k]] += loads[k].p + ck.disinfection
        by_dock[sol.dock[k]].append((sol.start[k], k))
    dock_util: dict[str, float] = {}
    zone_util: dict[str, float] = {}
    for z in inst.zones:
        hub = inst.hubs[z.hub]
        if not hub.active or not z.docks:
            continue
        avail = max(1, _open_minutes(dec, z.hub))
        values = []
        for dk in z.docks:
            u = round(busy_dock[dk] / avail, 4)
            dock_util[f"{hub.id}/{inst.docks[dk].id}"] = u
            values.append(u)
        zone_util[f"{hub.id}/{z.id}"] = round(sum(values) / len(values), 4)

    moves = 0
    for ld in loads:
        prev = ld.load.previous
        if prev is None:
            continue
        k = ld.key
        ck = sol.cand[k]
        if ck is None or (
            inst.hubs[ck.hub].id,
            inst.docks[sol.dock[k]].id,
            inst.moment(sol.start[k]),
        ) != (prev.hub_id, prev.dock_id, prev.start):
            moves += 1

    late = []
    for ops in by_dock.values():
        ops.sort()
        for pos, (s, k) in enumerate(ops):
            ld = loads[k]
            if s + ld.p > ld.due:
                held = [loads[j].id for _, j in reversed(ops[max(0, pos - 5) : pos])]
                late.append((-(ld.w * (s + ld.p - ld.due)), ld.id, s + ld.p - ld.due, ld.w, held))
    late.sort()
    planned = {loads[k].id: inst.moment(sol.start[k]) for k in placed}
    return {
        "placed": len(placed),
        "unscheduled": len(out_keys),
        "placed_weight": sum(loads[k].w for k in placed),
        "unscheduled_weight": sum(loads[k].w for k in out_keys),
        "on_time_rate": round(on_time / len(placed), 4) if placed else 1.0,
        "late_count": len(late),
        "mean_wait_minutes": round(sum(waits) / len(waits), 2) if waits else 0.0,
        "max_wait_minutes": round(max(waits), 2) if waits else 0.0,
        "utilisation_per_zone": zone_util,
        "utilisation_per_dock": dock_util,
        "moves_against_previous": moves,
        "late_loads": [
            {"load_id": i, "minutes_late": round(m, 2), "weight": w, "dock_held_before_by": held}
            for _, i, m, w, held in late[:LATE_LOADS_LISTED]
        ],
        **gate_kpis((ld.load for ld in loads), planned),
    }

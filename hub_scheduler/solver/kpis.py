"""Key figures of a plan as the solver stores them: those counted from its rows
(`hub_scheduler/plan_figures.py`) and what the gate saw (`gate_kpis`, also counted when a plan is
read: services/gate_figures.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hub_scheduler.domain import Load, Scenario, Schedule
from hub_scheduler.plan_figures import row_kpis
from hub_scheduler.transitions import NOT_PLANNABLE


def gate_kpis(loads: Iterable[Load]) -> dict[str, Any]:
    """What the gate saw (DESIGN "Gate times"), in minutes: actual dwell = completed_at -
    arrived_at of the trucks that finished; on time at the gate = arrived by the start of the
    slot it held when it came (`arrival_slot_start`, stored at check-in), among arrivals that
    had one (a walk-in had none)."""
    dwell: list[float] = []
    arrived = on_time = with_slot = 0
    for load in loads:
        if load.arrived_at is None:
            continue
        arrived += 1
        if load.completed_at is not None:
            dwell.append((load.completed_at - load.arrived_at).total_seconds() / 60)
        slot = load.arrival_slot_start
        if slot is not None:
            with_slot += 1
            on_time += load.arrived_at <= slot
    return {
        "gate_arrivals": arrived,
        "gate_on_time_rate": round(on_time / with_slot, 4) if with_slot else None,
        "actual_dwell_mean_minutes": round(sum(dwell) / len(dwell), 2) if dwell else None,
        "actual_dwell_max_minutes": round(max(dwell), 2) if dwell else None,
    }


def plan_kpis(scenario: Scenario, schedule: Schedule) -> dict[str, Any]:
    """The KPIs of DESIGN.md for a plan the solver read out: counted from its rows
    (`plan_figures.row_kpis`, the one place that counts them, also on the live day) and what the
    gate saw of its plannable loads so far."""
    plannable = (ld for ld in scenario.loads if ld.status not in NOT_PLANNABLE)
    return {**row_kpis(scenario, schedule), **gate_kpis(plannable)}

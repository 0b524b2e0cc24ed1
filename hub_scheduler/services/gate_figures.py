"""A plan's gate figures (DESIGN "Gate times": `gate_arrivals`, `gate_on_time_rate`,
`actual_dwell_mean_minutes`, `actual_dwell_max_minutes`), counted when the plan is read.

The solver stores them with the plan's KPIs as they were when it ran; every check-in and
completion since makes them stale. The plan view (`GET /plans/{id}`, `/plans/published`) shows
them counted now instead, over the loads the shown plan holds (placed or left out), from the
gate times stored on each load (`solver/kpis.gate_kpis`)."""

from __future__ import annotations

from datetime import datetime

from hub_scheduler.domain import Load
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.solver.kpis import gate_kpis

# The codes of a repair at check-in after which the load's slot in the plan is no longer the one
# it had when it came (services/gate.py, gate_no_slot.py): its `slot_changed.params.planned_start`
# is (None: a walk-in, which had none).
_AT_ARRIVAL = frozenset({"LATE_ARRIVAL", "WALK_IN"})


def slot_at_arrival(load: Load, slot_now: datetime | None) -> datetime | None:
    """The start of the slot `load` had when it came to the gate: the `planned_start` its
    check-in's repair recorded (a late truck: the missed slot; a walk-in: None), else the slot it
    holds now (`slot_now`)."""
    changed = load.slot_changed or {}
    params = changed.get("params") or {}
    if changed.get("code") in _AT_ARRIVAL or params.get("cause") in _AT_ARRIVAL:
        start = params.get("planned_start")
        return datetime.fromisoformat(start) if isinstance(start, str) else None
    return slot_now


def with_gate_figures(uow: UnitOfWork, plan: Plan) -> Plan:
    """`plan` (with its rows) with its KPIs' gate figures counted now; as it is without a
    schedule."""
    schedule = plan.schedule
    if schedule is None:
        return plan
    starts = {a.load_id: a.start for a in schedule.assignments}
    held = sorted(starts.keys() | {u.load_id for u in schedule.unscheduled})
    with uow:
        loads = uow.loads.get_many(held) if held else []
    planned = {}
    for load in loads:
        start = slot_at_arrival(load, starts.get(load.id))
        if start is not None:
            planned[load.id] = start
    kpis = {**schedule.kpis, **gate_kpis(loads, planned)}
    return plan.model_copy(update={"schedule": schedule.model_copy(update={"kpis": kpis})})

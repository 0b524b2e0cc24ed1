"""A plan's gate figures (DESIGN "Gate times": `gate_arrivals`, `gate_on_time_rate`,
`actual_dwell_mean_minutes`, `actual_dwell_max_minutes`), counted when the plan is read.

The solver stores them with the plan's KPIs as they were when it ran; every check-in and
completion since makes them stale. The plan view (`GET /plans/{id}`, `/plans/published`) shows
them counted now instead, from the gate times stored on each load (`solver/kpis.gate_kpis`),
over the loads the shown plan holds (placed or left out) and the trucks the gate saw within its
horizon at its hubs that it no longer holds (a re-plan drops completed trucks: the day's figures
must not go backwards when it is published). "On time" is against the slot each truck held when
it came (`Load.arrival_slot_start`, stored at check-in): a later repair or publish that changes
its slot does not make a late truck count as on time."""

from __future__ import annotations

from datetime import timedelta

from hub_scheduler.domain import Load, LoadStatus
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.solver.kpis import gate_kpis

# Trucks the gate saw: on site, or gone after their run.
_SEEN = (LoadStatus.CHECKED_IN, LoadStatus.IN_OPERATION, LoadStatus.COMPLETED)


def _seen_and_gone(uow: UnitOfWork, plan: Plan, held: set[str], hubs: set[str]) -> list[Load]:
    """Trucks that came to the gate within `plan`'s horizon at one of `hubs` (where the gate
    pinned them) that the plan no longer holds. Released at most a day before the horizon (a
    truck released earlier and arriving in it is rare and counted by its own day's plan)."""
    seen = uow.loads.list(
        status=_SEEN,
        release_from=plan.horizon_start - timedelta(days=1),
        release_to=plan.horizon_end,
    )
    return [
        load
        for load in seen
        if load.id not in held
        and load.arrived_at is not None
        and plan.horizon_start <= load.arrived_at < plan.horizon_end
        and load.pinned is not None
        and load.pinned.hub_id in hubs
    ]


def with_gate_figures(uow: UnitOfWork, plan: Plan) -> Plan:
    """`plan` (with its rows) with its KPIs' gate figures counted now; as it is without a
    schedule."""
    schedule = plan.schedule
    if schedule is None:
        return plan
    held = sorted(
        {a.load_id for a in schedule.assignments} | {u.load_id for u in schedule.unscheduled}
    )
    with uow:
        loads = uow.loads.get_many(held) if held else []
        loads += _seen_and_gone(uow, plan, set(held), {a.hub_id for a in schedule.assignments})
    kpis = {**schedule.kpis, **gate_kpis(loads)}
    return plan.model_copy(update={"schedule": schedule.model_copy(update={"kpis": kpis})})

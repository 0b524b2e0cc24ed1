"""Reading a decoded solution out as a schedule@1 Schedule."""

from __future__ import annotations

from hub_scheduler.domain import PlanStatus, Schedule, Unscheduled
from hub_scheduler.facts import assignment
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.explain import left_out_reason
from hub_scheduler.solver.kpis import plan_kpis


def to_schedule(
    dec: Decoder,
    sol: Solution,
    *,
    status: PlanStatus,
    bound: float | None,
    seconds: float,
    extra_kpis: dict | None = None,
) -> Schedule:
    """The schedule: assignments in start order, the left-out loads with reasons, the KPIs."""
    inst = dec.inst
    assignments = []
    unscheduled = []
    for ld in inst.loads:
        k = ld.key
        c = sol.cand[k]
        if c is None:
            why = left_out_reason(dec, sol, k)
            unscheduled.append(
                Unscheduled(
                    load_id=ld.id,
                    reason_code=sol.left_out[k],
                    reason=why.text,
                    reason_detail=why.detail,
                    reason_params=why.params,
                )
            )
            continue
        where = (inst.hubs[c.hub].id, inst.zones[c.zone].id, inst.docks[sol.dock[k]].id)
        assignments.append(
            assignment(ld.id, where, inst.moment(sol.start[k]), ld.p, c.disinfection)
        )
    assignments.sort(key=lambda a: (a.start, a.hub_id, a.dock_id))
    objective = float(sol.objective)
    gap = None
    if bound is not None:
        bound = min(float(bound), objective)
        gap = (objective - bound) / max(1.0, abs(objective))
    schedule = Schedule(
        scenario=inst.scenario.name,
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        solve_seconds=round(seconds, 3),
        assignments=assignments,
        unscheduled=unscheduled,
    )
    kpis = plan_kpis(inst.scenario, schedule)
    if extra_kpis:
        kpis.update(extra_kpis)
    return schedule.model_copy(update={"kpis": kpis})

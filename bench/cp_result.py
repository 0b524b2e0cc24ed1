"""What the CP-SAT baselines share: the time to their first solution and their result as a
schedule."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from hub_scheduler.domain import Assignment, PlanStatus, Scenario, Schedule, Unscheduled


class FirstSolution(cp_model.CpSolverSolutionCallback):
    """Records the seconds from its creation to the first solution CP-SAT reports."""

    def __init__(self) -> None:
        super().__init__()
        self.first: float | None = None
        self.started = time.perf_counter()

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.started


def cp_schedule(
    s: Scenario,
    status: int,
    value: float,
    bound: float,
    elapsed: float,
    assignments: list[Assignment],
    unscheduled: list[Unscheduled],
    kpis: dict,
) -> Schedule:
    """A CP-SAT result (OPTIMAL or FEASIBLE) as a schedule, its gap against its own bound."""
    return Schedule(
        scenario=s.name,
        status=PlanStatus.OPTIMAL if status == cp_model.OPTIMAL else PlanStatus.FEASIBLE,
        objective=value,
        bound=bound,
        gap=(value - bound) / max(1.0, abs(value)),
        solve_seconds=elapsed,
        assignments=assignments,
        unscheduled=unscheduled,
        kpis=kpis,
    )

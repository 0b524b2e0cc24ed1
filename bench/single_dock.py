"""Baselines on a single dock (the OR-Library instances): the textbook 1||sum wT CP-SAT model
and earliest-due-date dispatch."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from bench.cp_result import FirstSolution, cp_schedule
from hub_scheduler.domain import PlanStatus, Scenario, Schedule
from hub_scheduler.facts import assignment, disinfection_minutes, slot_minutes
from hub_scheduler.verify.plan import plannable
from hub_scheduler.weights import load_weight


def plain_single_machine(
    scenario: Scenario,
    time_limit_s: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    hint: Schedule | None = None,
) -> Schedule:
    """The textbook 1||sum wT model on a one-dock scenario: an interval per load, one no-overlap."""
    built = time.perf_counter()
    s = scenario
    hub, zone = s.hubs[0], s.hubs[0].zones[0]
    where = (hub.id, zone.id, zone.docks[0].id)
    horizon = s.horizon.minutes
    enterprises = {e.id: e for e in s.enterprises}
    model = cp_model.CpModel()
    starts, intervals, costs = {}, [], []
    for load in s.loads:
        p = load.handling_minutes + disinfection_minutes(load, zone, hub)
        start = model.new_int_var(max(0, s.minutes(load.release)), horizon - p, f"start[{load.id}]")
        intervals.append(model.new_fixed_size_interval_var(start, p, f"job[{load.id}]"))
        tardiness = model.new_int_var(0, horizon, f"tardiness[{load.id}]")
        model.add_max_equality(tardiness, [0, start + load.handling_minutes - s.minutes(load.due)])
        costs.append(load_weight(load, enterprises.get(load.enterprise_id)) * tardiness)
        starts[load.id] = start
    model.add_no_overlap(intervals)
    total = sum(costs)
    model.minimize(total)
    if hint is not None:
        for a in hint.assignments:
            model.add_hint(starts[a.load_id], s.minutes(a.start))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s - (time.perf_counter() - built))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    callback = FirstSolution()
    status = solver.solve(model, callback)
    elapsed = time.perf_counter() - built
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Schedule(scenario=s.name, status=PlanStatus.UNKNOWN, solve_seconds=elapsed)
    assignments = []
    for load in s.loads:
        begin = s.moment(solver.value(starts[load.id]))
        d = disinfection_minutes(load, zone, hub)
        assignments.append(assignment(load.id, where, begin, load.handling_minutes, d))
    value, bound = solver.value(total), solver.best_objective_bound
    return cp_schedule(
        s, status, value, bound, elapsed, assignments, [], {"first_feasible_s": callback.first}
    )


def edd(scenario: Scenario) -> Schedule:
    """Earliest due date first, back to back on the single dock (OR-Library instances)."""
    started = time.perf_counter()
    s = scenario
    hub = s.hubs[0]
    zone = hub.zones[0]
    where = (hub.id, zone.id, zone.docks[0].id)
    slot = slot_minutes(hub, s)
    enterprises = {e.id: e for e in s.enterprises}
    order = sorted(
        (ld for ld in s.loads if plannable(ld)),
        key=lambda ld: (ld.due, -load_weight(ld, enterprises.get(ld.enterprise_id)), ld.id),
    )
    t = 0
    assignments = []
    for load in order:
        start = max(t, s.minutes(load.release))
        start = -(-start // slot) * slot
        d = disinfection_minutes(load, zone, hub)
        assignments.append(assignment(load.id, where, s.moment(start), load.handling_minutes, d))
        t = start + load.handling_minutes + d
    return Schedule(
        scenario=s.name,
        status=PlanStatus.FEASIBLE,
        solve_seconds=time.perf_counter() - started,
        assignments=assignments,
    )

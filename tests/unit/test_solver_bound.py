"""The CP-SAT model behind `bound`: one function per rule, hard rules first, and a relaxation: every
plan the decoder makes is feasible in it and costs it no more than the rules say."""

from __future__ import annotations

import pytest
from builders import make_hub, make_load, make_scenario, make_zone, position
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from test_solver_properties import small_days

from hub_scheduler.rules import HARD_IDS, SOFT_IDS
from hub_scheduler.solver.construct import construct
from hub_scheduler.solver.cpsat_model import RULES, add_hint, build_model
from hub_scheduler.solver.planner import _prepare


def test_every_rule_of_the_model_is_named_by_its_id_and_hard_rules_come_first():
    ids = [rule.__doc__.split()[0] for rule in RULES]
    assert all(i[0] in "HS" and i[1:].isdigit() for i in ids)
    hard = [i for i in ids if i.startswith("H")]
    assert ids[: len(hard)] == hard
    assert set(HARD_IDS) <= set(hard) and set(SOFT_IDS) <= set(ids)


def model_cost_of(scenario):
    """The decoded plan's cost in the model (hint fixed) and its true cost."""
    dec = _prepare(scenario)
    sol = construct(dec, lambda: 1e9)
    m = build_model(dec)
    add_hint(m, dec, sol)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    status = solver.solve(m.cp)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE), (
        "a real plan must be feasible in the relaxation"
    )
    return solver.objective_value / m.scale + m.constant, sol.objective


def test_a_busy_day_with_relays_pins_crews_and_blocks_is_feasible_in_the_model_at_no_greater_cost():
    hub = make_hub(
        zones=[
            make_zone("Z1", docks=("D1", "D2"), crews=1),
            make_zone("Z2", "cold", docks=("C1",)),
        ],
        opening_hours=[("06:00", "22:00")],
        disinfection_minutes=15,
        max_trucks_on_site=2,
        blocked=[
            {"start": 600, "end": 660, "dock_id": "D1"},
            {"start": 900, "end": 960, "zone_id": "Z2"},
        ],
    )
    loads = [
        make_load(
            f"L{i}", release=360 + 20 * i, due=420 + 20 * i, handling=45, priority_weight=1 + i % 4
        )
        for i in range(10)
    ]
    loads += [
        make_load("C1", temperature="cold", release=400, due=450),
        make_load("P", pinned=position("H1", "D2", 720), due=700),
        make_load("PREV", previous=position("H1", "D1", 800), due=900),
    ]
    scenario = make_scenario(
        hubs=[hub],
        loads=loads,
        transfers=[("L0", "L1", 15)],
        objective={"waiting": 0.5, "stability": 30},
    )
    model_cost, true_cost = model_cost_of(scenario)
    assert model_cost <= true_cost + 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_days())
def test_every_decoded_plan_of_a_random_day_costs_the_model_no_more_than_the_rules(scenario):
    dec = _prepare(scenario)
    if not dec.free and not dec.pinned:
        return
    model_cost, true_cost = model_cost_of(scenario)
    assert model_cost <= true_cost + 1e-6


def test_the_model_uses_one_interval_per_load_and_zone_not_per_dock():
    hub = make_hub(zones=[make_zone(docks=[f"D{i}" for i in range(8)])])
    scenario = make_scenario(hubs=[hub], loads=[make_load(f"L{i}") for i in range(5)])
    m = build_model(_prepare(scenario))
    assert len(m.use) == 5
    assert sum(len(ivs) for ivs in m.dock_intervals.values()) == 5


@pytest.mark.parametrize("scale_weights", [{"waiting": 0.25}, {}])
def test_bound_never_exceeds_the_objective(scale_weights):
    from hub_scheduler.solver import solve

    loads = [
        make_load(f"L{i}", release=0, due=30 * i, handling=40, priority_weight=i + 1)
        for i in range(6)
    ]
    schedule = solve(
        make_scenario(loads=loads, objective=scale_weights), time_limit_s=1.5, workers=2, seed=0
    )
    assert schedule.bound is not None and schedule.bound <= schedule.objective + 1e-6


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_days())
def test_a_cpsat_solution_turned_into_a_plan_keeps_every_rule(scenario):
    from hub_scheduler.domain import PlanStatus
    from hub_scheduler.solver.cpsat_plan import solution_from_cpsat
    from hub_scheduler.solver.result import to_schedule
    from hub_scheduler.verify import verify

    dec = _prepare(scenario)
    m = build_model(dec)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 2
    solver.parameters.num_workers = 1
    if solver.solve(m.cp) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return
    chosen = {
        k: (z, solver.value(m.start[k]))
        for (k, z), lit in m.use.items()
        if solver.boolean_value(lit)
    }
    plan = solution_from_cpsat(dec, chosen)
    schedule = to_schedule(dec, plan, status=PlanStatus.FEASIBLE, bound=None, seconds=0.0)
    report = verify(scenario, schedule)
    assert report.violations == []
    assert report.objective == pytest.approx(plan.objective)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_days(), st.randoms(use_true_random=False))
def test_even_a_nonsense_cpsat_solution_turns_into_a_plan_that_keeps_every_rule(scenario, rnd):
    from hub_scheduler.domain import PlanStatus
    from hub_scheduler.solver.cpsat_plan import solution_from_cpsat
    from hub_scheduler.solver.result import to_schedule
    from hub_scheduler.verify import verify

    dec = _prepare(scenario)
    chosen = {
        k: (rnd.choice(dec.inst.loads[k].cands).zone, rnd.randrange(0, 2000))
        for k in dec.free
        if rnd.random() < 0.8
    }
    plan = solution_from_cpsat(dec, chosen)
    schedule = to_schedule(dec, plan, status=PlanStatus.FEASIBLE, bound=None, seconds=0.0)
    report = verify(scenario, schedule)
    assert report.violations == []
    assert report.objective == pytest.approx(plan.objective)

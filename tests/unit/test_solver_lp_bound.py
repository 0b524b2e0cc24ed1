"""The time-indexed LP behind `bound` (issue 15): every plan is an integer point of it at no
greater cost, its Lagrangian value is a bound for any multipliers, and on small days it never
exceeds the brute-force optimum."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from builders import make_hub, make_load, make_scenario, make_zone, one_machine_optimum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_solver_properties import (
    one_dock_days,
    one_dock_scenario,
    small_days,
)

from hub_scheduler.solver import solve
from hub_scheduler.solver.construct import construct, priority_orders
from hub_scheduler.solver.lp_bound import LpBound, build_relaxation, lagrangian, solve_relaxation
from hub_scheduler.solver.planner import _prepare


def plan_as_lp_point(rel, dec, sol):
    """The decoded plan as a 0/1 vector over the LP's options (one per load), or an assertion."""
    x = np.zeros(len(rel.cost))
    for pos, k in enumerate(rel.keys):
        mine = np.flatnonzero(rel.owner == pos)
        c = sol.cand[k]
        if c is None:
            pick = [j for j in mine if rel.zone[j] < 0]
        else:
            pick = [j for j in mine if rel.zone[j] == c.zone and rel.start[j] == sol.start[k]]
        assert len(pick) == 1, f"load {dec.inst.loads[k].id}: its place is no option of the LP"
        x[pick[0]] = 1.0
    return x


def assert_plan_is_feasible_in_the_lp_at_no_greater_cost(scenario):
    dec = _prepare(scenario)
    rel = build_relaxation(dec)
    assert rel is not None
    for order in itertools.islice(priority_orders(dec), 3):
        sol = dec.decode(order)
        x = plan_as_lp_point(rel, dec, sol)
        load = np.bincount(rel.rows, weights=rel.coefs * x[rel.cols], minlength=len(rel.cap))
        assert np.all(load <= rel.cap + 1e-9), "a real plan breaks an 'at most' row of the LP"
        assert rel.fixed + float(rel.cost @ x) <= sol.objective + 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_days())
def test_every_decoded_plan_of_a_random_day_is_a_point_of_the_lp_at_no_greater_cost(scenario):
    assert_plan_is_feasible_in_the_lp_at_no_greater_cost(scenario)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_days(), st.integers(0, 2**31 - 1))
def test_the_lagrangian_value_is_below_every_plan_for_any_multipliers(scenario, seed):
    dec = _prepare(scenario)
    rel = build_relaxation(dec)
    assert rel is not None
    best = construct(dec, lambda: 1e9)
    rng = np.random.default_rng(seed)
    for scale in (0.0, 1.0, 100.0, 1e5):
        mu = rng.random(len(rel.cap)) * scale
        assert lagrangian(rel, mu) <= best.objective + 1e-6
    value, lp_value = solve_relaxation(rel, 10)
    assert lp_value is not None and value == pytest.approx(lp_value, rel=1e-6, abs=1e-3)
    assert value <= best.objective + 1e-6


@settings(max_examples=25, deadline=None)
@given(one_dock_days())
@example(([(0, 5, 108, 1), (0, 29, 0, 1), (0, 33, 0, 1), (110, 5, 0, 3)], 1, 7))
def test_the_lp_bound_never_exceeds_the_brute_force_optimum_on_one_dock(day):
    jobs, slot, disinfection = day
    scenario = one_dock_scenario(day)
    lp = LpBound(_prepare(scenario))
    assert lp.run(10) is not None
    assert lp.bound <= one_machine_optimum(jobs, slot, disinfection) + 1e-6


def test_a_full_dock_proves_the_loads_it_cannot_take():
    # One dock, four hours, eight one-hour loads: at most four fit, so four are left out (S1).
    hub = make_hub(zones=[make_zone(docks=("D1",))], disinfection_minutes=0)
    loads = [make_load(f"L{i}", release=0, due=60, handling=60) for i in range(8)]
    scenario = make_scenario(hubs=[hub], loads=loads, horizon_minutes=240, slot_minutes=15)
    dec = _prepare(scenario)
    u = dec.unplaced_cost(dec.inst.loads[0])
    lp = LpBound(dec)
    lp.run(10)
    assert lp.bound is not None and lp.bound >= 4 * u - 1e-3
    schedule = solve(scenario, time_limit_s=3, workers=2, seed=0)
    assert schedule.kpis["bound_lp"]["status"] == "optimal"
    assert schedule.bound >= 4 * u - 1e-3
    assert schedule.bound <= schedule.objective + 1e-6


def test_too_large_a_day_is_left_to_the_other_bounds(monkeypatch):
    from hub_scheduler.solver import lp_bound

    monkeypatch.setattr(lp_bound, "MAX_OPTIONS", 10)
    loads = [make_load(f"L{i}", release=0, due=30 * i, handling=40) for i in range(6)]
    dec = _prepare(make_scenario(loads=loads))
    assert build_relaxation(dec) is None
    lp = LpBound(dec)
    assert lp.run(5) is None and lp.status == "too large"

"""Plans from the solver and from first-come-first-served pass the independent verifier."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.day_shape import Size
from bench.generate import generate
from hub_scheduler import solver
from hub_scheduler.verify import verify

SMALL = Size(loads=60, hubs=2, radius_km=20.0)


def test_a_solved_county_day_passes_the_verifier():
    scenario = generate("county", seed=1)
    plan = solver.solve(scenario, time_limit_s=2, workers=1, seed=0)
    report = verify(scenario, plan)
    assert report.ok, [v.text for v in report.violations[:10]]
    assert plan.assignments


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_small_generated_days_solve_to_verified_plans(seed):
    scenario = generate(SMALL, seed=seed)
    plan = solver.solve(scenario, time_limit_s=1, workers=1, seed=seed)
    report = verify(scenario, plan)
    assert report.ok, [v.text for v in report.violations[:10]]


def test_first_come_first_served_gives_a_verified_plan_that_the_solver_does_not_lose_to():
    scenario = generate("county", seed=2)
    greedy = verify(scenario, solver.fcfs(scenario))
    assert greedy.ok, [v.text for v in greedy.violations[:10]]
    solved = verify(scenario, solver.solve(scenario, time_limit_s=2, workers=1, seed=0))
    assert solved.objective <= greedy.objective + 1e-6


@settings(max_examples=8, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    loads=st.integers(10, 60),
    hubs=st.integers(1, 3),
    waiting=st.sampled_from([0.0, 0.1]),
)
def test_any_small_generated_day_solves_to_a_plan_that_passes_the_verifier(
    seed, loads, hubs, waiting
):
    scenario = generate(Size(loads=loads, hubs=hubs, radius_km=15.0), seed=seed)
    scenario.settings.objective.waiting = waiting
    plan = solver.solve(scenario, time_limit_s=0.5, workers=1, seed=seed)
    report = verify(scenario, plan)
    assert report.ok, [v.text for v in report.violations[:10]]

"""The plain CP-SAT baseline of the benchmark gives verified plans with an honest objective."""

from __future__ import annotations

from bench.baselines import plain_cp_sat
from bench.day_shape import Size
from bench.generate import generate
from hub_scheduler.verify import verify


def test_the_plain_cp_sat_baseline_gives_a_verified_plan_of_a_small_day():
    scenario = generate(Size(loads=40, hubs=2, radius_km=20.0), seed=4)
    plan = plain_cp_sat(
        scenario, time_limit_s=5, workers=1
    )  # wall-clock: slack for a loaded machine
    report = verify(scenario, plan)
    assert report.ok, [v.text for v in report.violations[:10]]
    assert plan.assignments
    assert plan.bound is None or plan.bound <= report.objective + 1e-6

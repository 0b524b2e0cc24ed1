"""The objective's default weights are the documented ones (docs/rules.md, README), in effect."""

from __future__ import annotations

from hub_scheduler.domain import ObjectiveWeights
from hub_scheduler.solver import solve
from hub_scheduler.verify import verify
from tests.unit.builders import assign, make_load, make_scenario, make_schedule, position


def test_default_weights_are_the_documented_ones():
    weights = ObjectiveWeights()
    assert (weights.waiting, weights.stability, weights.travel) == (0.0, 300.0, 0.0)
    assert weights.unscheduled_penalty is None  # automatic: 10 x horizon minutes


def test_by_default_a_load_left_out_costs_ten_horizons_of_its_weight():
    scenario = make_scenario(loads=[make_load("L1")])  # medical, tier 1: weight 15
    report = verify(scenario, make_schedule(scenario, unscheduled=["L1"]))
    assert report.terms["S1"] == 10 * 1440 * 15


def test_by_default_a_moved_load_costs_the_stability_weight():
    scenario = make_scenario(loads=[make_load("L1", previous=position("H1", "D1", 60))])
    report = verify(scenario, make_schedule(scenario, [assign(scenario, "L1", 15)]))
    assert report.terms["S4"] == 300


def test_by_default_a_re_plan_keeps_a_place_rather_than_save_a_few_late_minutes():
    # At its previous start 60 the load ends 15 minutes late (15 x weight 15 = 225 < 300).
    late_but_known = make_load("L1", release=0, due=75, previous=position("H1", "D1", 60))
    kept = solve(make_scenario(loads=[late_but_known]), time_limit_s=1, workers=1)
    assert kept.assignments[0].start == position("H1", "D1", 60).start
    cheap_moves = make_scenario(loads=[late_but_known], objective={"stability": 30})
    moved = solve(cheap_moves, time_limit_s=1, workers=1)
    assert moved.assignments[0].start < position("H1", "D1", 60).start

"""The objective terms S1-S5, each in a pair: the plan follows the term where it matters, and the
reported objective counts it exactly as docs/rules.md defines it."""

from __future__ import annotations

import pytest
from builders import make_hub, make_load, make_scenario, position

from hub_scheduler.domain import Location
from hub_scheduler.solver import solve
from hub_scheduler.verify import verify


def plan(scenario):
    schedule = solve(scenario, time_limit_s=1.0, workers=1, seed=0)
    report = verify(scenario, schedule)
    assert report.violations == [] and schedule.objective == pytest.approx(report.objective)
    return schedule, report.terms


@pytest.mark.rule("S1", "holds")
def test_s1_every_load_that_fits_is_placed():
    loads = [make_load(f"L{i}", handling=300, due=0, priority_weight=1) for i in range(4)]
    schedule, terms = plan(make_scenario(loads=loads))
    assert len(schedule.assignments) == 4 and terms["S1"] == 0


@pytest.mark.rule("S1", "broken")
def test_s1_the_lighter_load_is_the_one_left_out_and_costs_its_penalty():
    loads = [
        make_load("HEAVY", handling=600, priority_weight=5),
        make_load("LIGHT", handling=600, priority_weight=2),
    ]
    schedule, terms = plan(make_scenario(loads=loads, horizon_minutes=900))
    assert [u.load_id for u in schedule.unscheduled] == ["LIGHT"]
    assert terms["S1"] == 10 * 900 * 2  # the automatic penalty is 10 x the horizon minutes, times w


@pytest.mark.rule("S2", "broken")
def test_s2_the_heavier_load_goes_first_when_both_cannot_be_on_time():
    loads = [
        make_load("LIGHT", handling=60, due=60, priority_weight=1),
        make_load("HEAVY", handling=60, due=60, priority_weight=4),
    ]
    schedule, terms = plan(make_scenario(loads=loads))
    a = {x.load_id: x for x in schedule.assignments}
    assert a["HEAVY"].start < a["LIGHT"].start and terms["S2"] == 60


@pytest.mark.rule("S2", "holds")
def test_s2_an_on_time_day_costs_nothing():
    loads = [make_load(f"L{i}", release=60 * i, due=60 * i + 45) for i in range(5)]
    schedule, terms = plan(make_scenario(loads=loads))
    assert terms["S2"] == 0 and schedule.objective == 0


@pytest.mark.rule("S3", "broken")
def test_s3_waiting_is_charged_per_minute_and_weight():
    loads = [
        make_load("A", release=0, due=1000, priority_weight=2),
        make_load("B", release=0, due=1000, priority_weight=1),
    ]
    schedule, terms = plan(make_scenario(loads=loads, objective={"waiting": 0.5}))
    a = {x.load_id: x for x in schedule.assignments}
    assert a["A"].start < a["B"].start  # the heavier waits less
    assert terms["S3"] == pytest.approx(0.5 * 1 * 30)


@pytest.mark.rule("S3", "holds")
def test_s3_without_a_waiting_weight_waiting_is_free():
    loads = [make_load("A", release=0, due=1000), make_load("B", release=0, due=1000)]
    _, terms = plan(make_scenario(loads=loads))
    assert terms["S3"] == 0


@pytest.mark.rule("S4", "holds")
def test_s4_a_load_that_keeps_its_previous_place_costs_nothing():
    _, terms = plan(
        make_scenario(loads=[make_load("L", previous=position("H1", "D1", 30), due=200)])
    )
    assert terms["S4"] == 0


@pytest.mark.rule("S4", "broken")
def test_s4_a_load_that_must_move_costs_the_stability_weight():
    hub = make_hub(blocked=[{"start": 0, "end": 120, "dock_id": "D1"}])
    _, terms = plan(
        make_scenario(
            hubs=[hub],
            loads=[make_load("L", previous=position("H1", "D1", 30), due=400)],
            objective={"stability": 40},
        )
    )
    assert terms["S4"] == 40


def travel_day(gamma):
    near = make_hub("NEAR", location=Location(lat=25.9, lon=115.6))
    far = make_hub("FAR", location=Location(lat=26.9, lon=116.6))
    load = make_load("L", origin=Location(lat=25.91, lon=115.61), due=500)
    return make_scenario(hubs=[far, near], loads=[load], objective={"travel": gamma})


@pytest.mark.rule("S5", "broken")
def test_s5_with_a_travel_weight_the_load_goes_to_the_nearer_hub():
    schedule, terms = plan(travel_day(1.0))
    assert schedule.assignments[0].hub_id == "NEAR" and 0 < terms["S5"] < 5


@pytest.mark.rule("S5", "holds")
def test_s5_without_a_travel_weight_distance_costs_nothing():
    _, terms = plan(travel_day(0.0))
    assert terms["S5"] == 0

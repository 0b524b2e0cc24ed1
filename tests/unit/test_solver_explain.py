"""Explanations and KPIs: why a load is left out, who held a late load's dock, the plan's key
figures,
and re-planning against `previous` positions with the stability weight."""

from __future__ import annotations

import pytest
from builders import at, make_hub, make_load, make_scenario, make_zone, position

from hub_scheduler.domain import ReasonCode
from hub_scheduler.solver import solve
from hub_scheduler.verify import verify


def plan(scenario, **kwargs):
    schedule = solve(
        scenario, time_limit_s=kwargs.pop("time_limit_s", 1.0), workers=1, seed=0, **kwargs
    )
    assert verify(scenario, schedule).violations == []
    return schedule


def reasons(schedule):
    return {u.load_id: u for u in schedule.unscheduled}


def test_a_load_squeezed_out_names_the_heavier_loads_holding_the_docks():
    loads = [
        make_load("HEAVY", handling=60, deadline=60, due=60, priority_weight=9),
        make_load("LIGHT", handling=60, deadline=60, due=60, priority_weight=2),
    ]
    u = reasons(plan(make_scenario(loads=loads)))["LIGHT"]
    assert u.reason_code is ReasonCode.CAPACITY
    assert "HEAVY" in u.reason and "fits on an empty hub H1" in u.reason


def test_a_load_no_opening_period_can_hold_is_closed_with_a_sentence():
    hub = make_hub(opening_hours=[("09:00", "10:00")])
    u = reasons(plan(make_scenario(hubs=[hub], loads=[make_load("LONG", handling=75)])))["LONG"]
    assert u.reason_code is ReasonCode.CLOSED and "opening period" in u.reason


def test_a_cold_load_with_no_cold_zone_anywhere_says_so():
    u = reasons(plan(make_scenario(loads=[make_load("C", temperature="cold")])))["C"]
    assert u.reason_code is ReasonCode.NO_ZONE_FOR_TEMPERATURE and "cold" in u.reason


def test_an_outbound_whose_inbound_is_out_names_the_inbound():
    loads = [make_load("IN", handling=60, deadline=30), make_load("OUT")]
    u = reasons(plan(make_scenario(loads=loads, transfers=[("IN", "OUT", 0)])))["OUT"]
    assert u.reason_code is ReasonCode.INBOUND_NOT_PLACED and "IN" in u.reason


def test_a_late_load_lists_the_operations_that_held_its_dock_before_it():
    loads = [
        make_load("FIRST", handling=60, due=60, priority_weight=9),
        make_load("SECOND", handling=60, due=60, priority_weight=1),
    ]
    schedule = plan(make_scenario(loads=loads))
    late = {x["load_id"]: x for x in schedule.kpis["late_loads"]}
    assert late["SECOND"]["dock_held_before_by"] == ["FIRST"]
    assert late["SECOND"]["minutes_late"] == 60


def test_kpis_count_placed_and_unscheduled_loads_and_their_weight():
    loads = [
        make_load("A", priority_weight=3, due=30),
        make_load("B", priority_weight=2, due=200),
        make_load("C", temperature="cold", priority_weight=4),
    ]
    k = plan(make_scenario(loads=loads)).kpis
    assert (k["placed"], k["unscheduled"], k["placed_weight"], k["unscheduled_weight"]) == (
        2,
        1,
        5,
        4,
    )
    assert k["on_time_rate"] == 1.0
    assert k["mean_wait_minutes"] == pytest.approx(15.0) and k["max_wait_minutes"] == 30
    assert k["utilisation_per_dock"]["H1/D1"] == pytest.approx(60 / 1440, abs=1e-4)
    assert k["utilisation_per_zone"]["H1/Z1"] == pytest.approx(60 / 1440, abs=1e-4)


def test_replanning_keeps_a_load_at_its_previous_place_when_it_costs_nothing_more():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"))])
    load = make_load("L", previous=position("H1", "D2", 60), due=120)
    schedule = plan(make_scenario(hubs=[hub], loads=[load]))
    a = schedule.assignments[0]
    assert (a.dock_id, a.start) == ("D2", at(60))
    assert schedule.kpis["moves_against_previous"] == 0 and schedule.objective == 0


def test_a_moved_load_costs_the_stability_weight_and_is_counted():
    hub = make_hub(blocked=[{"start": 0, "end": 90, "dock_id": "D1"}])
    load = make_load("L", previous=position("H1", "D1", 60), due=300)
    schedule = plan(make_scenario(hubs=[hub], loads=[load], objective={"stability": 30}))
    assert schedule.kpis["moves_against_previous"] == 1
    assert schedule.objective == pytest.approx(30)


def test_stability_weight_keeps_a_load_in_place_against_a_small_gain_elsewhere():
    load = make_load("L", previous=position("H1", "D1", 60), due=70, priority_weight=1)
    kept = plan(make_scenario(loads=[load], objective={"stability": 30})).assignments[0]
    assert kept.start == at(60)  # 20 minutes late (cost 20) beats moving (cost 30)
    moved = plan(make_scenario(loads=[load], objective={"stability": 5})).assignments[0]
    assert moved.start == at(0)


def test_an_ineligible_inbound_keeps_its_own_reason_while_its_outbound_waits_for_it():
    from builders import make_enterprise

    loads = [
        make_load("IN", enterprise_id="E2", due=0),
        make_load("OUT", due=0),
        make_load("X", due=0),
        make_load("Y", due=0),
    ]
    scenario = make_scenario(
        loads=loads,
        transfers=[("IN", "OUT", 0)],
        enterprises=[make_enterprise("E1"), make_enterprise("E2", whitelisted=False)],
    )
    out = reasons(plan(scenario, time_limit_s=1.5))
    assert out["IN"].reason_code is ReasonCode.NOT_WHITELISTED
    assert out["OUT"].reason_code is ReasonCode.INBOUND_NOT_PLACED

"""The verifier, H6 and later (crews, relays, site capacity, slot grid, pins and freeze, entry
checks; a new rule goes here): each rule passes on a valid tiny schedule and is flagged by id on
a corrupted one."""

from __future__ import annotations

from datetime import date

import pytest
from builders import (
    assign,
    at,
    make_enterprise,
    make_hub,
    make_load,
    make_scenario,
    make_schedule,
    make_zone,
    position,
)
from verify_samples import broken, two_dock_day, valid_plan

from hub_scheduler.domain import LoadStatus, Screening
from hub_scheduler.verify import verify

# --- H6 ----------------------------------------------------------------------------------------


def crew_day(crews):
    hub = make_hub(
        zones=[make_zone("Z1", docks=("D1", "D2", "D3"), crews=crews)], disinfection_minutes=30
    )
    loads = [make_load(i, due=300) for i in ("A", "B", "C")]
    return make_scenario(hubs=[hub], loads=loads)


def one_per_dock(s, a: float, b: float, c: float):
    """A, B and C of `crew_day` on docks D1, D2 and D3, starting at minutes a, b and c."""
    return make_schedule(
        s,
        [
            assign(s, "A", a, dock_id="D1"),
            assign(s, "B", b, dock_id="D2"),
            assign(s, "C", c, dock_id="D3"),
        ],
    )


@pytest.mark.rule("H6", "broken")
def test_two_crews_handle_two_trucks_at_once_but_not_three():
    s = crew_day(2)
    ok = one_per_dock(s, 0, 0, 30)  # C starts as A and B end
    assert verify(s, ok).ok
    bad = one_per_dock(s, 0, 0, 15)
    report = verify(s, bad)
    assert report.rules_broken() == {"H6"}
    assert "A, B, C" in report.violations[0].text


def test_disinfection_does_not_occupy_a_crew():
    s = crew_day(1)
    plan = one_per_dock(s, 0, 30, 60)
    assert verify(s, plan).ok


# --- H7 ----------------------------------------------------------------------------------------


def relay_day(gap=10):
    hub = make_hub(
        zones=[make_zone("Z1", docks=("D1", "D2")), make_zone("Z3", docks=("D4",))],
        disinfection_minutes=15,
    )
    loads = [make_load("IN", due=300), make_load("OUT", due=300)]
    return make_scenario(
        hubs=[hub, make_hub("H2")], loads=loads, transfers=[("IN", "OUT", gap)], slot_minutes=5
    )


def test_an_outbound_after_inbound_end_disinfection_and_gap_passes():
    s = relay_day()
    assert verify(s, make_schedule(s, [assign(s, "IN", 0), assign(s, "OUT", 55, dock_id="D2")])).ok


@pytest.mark.rule("H7", "broken")
def test_an_outbound_before_the_gap_has_passed_is_h7():
    s = relay_day()
    assert broken(
        s, make_schedule(s, [assign(s, "IN", 0), assign(s, "OUT", 50, dock_id="D2")])
    ) == {"H7"}


def test_an_outbound_without_its_inbound_is_h7_but_both_left_out_is_fine():
    s = relay_day()
    assert broken(s, make_schedule(s, [assign(s, "OUT", 60)], unscheduled=["IN"])) == {"H7"}
    assert verify(s, make_schedule(s, unscheduled=["IN", "OUT"])).ok
    assert verify(s, make_schedule(s, [assign(s, "IN", 0)], unscheduled=["OUT"])).ok


def test_an_outbound_in_another_zone_or_hub_is_h7():
    s = relay_day()
    other_zone = make_schedule(
        s, [assign(s, "IN", 0), assign(s, "OUT", 60, zone_id="Z3", dock_id="D4")]
    )
    assert broken(s, other_zone) == {"H7"}
    other_hub = make_schedule(s, [assign(s, "IN", 0), assign(s, "OUT", 60, hub_id="H2")])
    assert broken(s, other_hub) == {"H7"}


# --- H8 ----------------------------------------------------------------------------------------


@pytest.mark.rule("H8", "broken")
def test_site_capacity_counts_operations_across_zones():
    hub = make_hub(
        zones=[make_zone("Z1", docks=("D1",)), make_zone("Z2", "cold", docks=("D2",))],
        max_trucks_on_site=1,
    )
    s = make_scenario(hubs=[hub], loads=[make_load("A"), make_load("C", temperature="cold")])
    apart = make_schedule(s, [assign(s, "A", 0), assign(s, "C", 30, zone_id="Z2", dock_id="D2")])
    assert verify(s, apart).ok
    together = make_schedule(s, [assign(s, "A", 0), assign(s, "C", 15, zone_id="Z2", dock_id="D2")])
    assert broken(s, together) == {"H8"}


# --- H9 ----------------------------------------------------------------------------------------


@pytest.mark.rule("H9", "broken")
def test_a_start_off_the_slot_grid_is_h9():
    s = two_dock_day(slot_minutes=15)
    plan = valid_plan(s)
    plan.assignments[2] = assign(s, "L3", 70, dock_id="D1")
    assert broken(s, plan) == {"H9"}


def test_the_hub_slot_overrides_the_settings_slot():
    s = two_dock_day(slot_minutes=15)
    s.hubs[0].slot_minutes = 10
    plan = valid_plan(s)
    plan.assignments[2] = assign(s, "L3", 70, dock_id="D1")
    assert verify(s, plan).ok
    plan.assignments[2] = assign(s, "L3", 75, dock_id="D1")
    assert broken(s, plan) == {"H9"}


def test_the_grid_counts_from_the_horizon_start_not_the_hour():
    s = two_dock_day(slot_minutes=15)
    s.horizon.start = at(-5)
    assert broken(s, valid_plan(s)) == {"H9"}


# --- H10 ---------------------------------------------------------------------------------------


@pytest.mark.rule("H10", "broken")
def test_a_pinned_load_at_its_pin_passes_and_moved_is_h10():
    s = two_dock_day()
    s.loads[2].pinned = position("H1", "D1", 60)
    assert verify(s, valid_plan(s)).ok
    s.loads[2].pinned = position("H1", "D2", 60)
    assert broken(s, valid_plan(s)) == {"H10"}
    s.loads[2].pinned = position("H1", "D1", 75)
    assert broken(s, valid_plan(s)) == {"H10"}


def test_a_pinned_load_may_be_left_out():
    s = two_dock_day()
    s.loads[2].pinned = position("H1", "D1", 60)
    plan = valid_plan(s)
    plan.assignments.pop(2)
    plan.unscheduled = make_schedule(s, unscheduled=["L3"]).unscheduled
    assert verify(s, plan).ok


def test_a_load_inside_the_freeze_window_keeps_its_previous_place():
    # now = 0: the plan places nothing before it (H4); the window reaches 80.
    s = two_dock_day(now=at(0), freeze_minutes=80, objective={"stability": 0})
    s.loads[2].previous = position("H1", "D2", 75)  # starts before now + 80: frozen
    assert broken(s, valid_plan(s)) == {"H10"}
    s.loads[2].previous = position("H1", "D2", 90)  # not frozen: may move
    assert verify(s, valid_plan(s)).ok


def test_a_checked_in_load_keeps_its_previous_place():
    s = two_dock_day(objective={"stability": 0})
    s.loads[2].previous = position("H1", "D2", 75)
    assert verify(s, valid_plan(s)).ok
    s.loads[2].status = LoadStatus.CHECKED_IN
    assert broken(s, valid_plan(s)) == {"H10"}


# --- H11 ---------------------------------------------------------------------------------------


@pytest.mark.rule("H11", "broken")
def test_a_load_of_an_enterprise_off_the_white_list_is_h11():
    s = two_dock_day()
    s.enterprises = [make_enterprise("E1", whitelisted=False)]
    assert broken(s, valid_plan(s)) == {"H11"}


def test_white_list_validity_dates_are_inclusive():
    s = two_dock_day()
    s.enterprises = [
        make_enterprise("E1", valid_from=date(2026, 11, 27), valid_until=date(2026, 11, 27))
    ]
    assert verify(s, valid_plan(s)).ok
    s.enterprises = [make_enterprise("E1", valid_until=date(2026, 11, 26))]
    assert broken(s, valid_plan(s)) == {"H11"}


def test_failed_screening_is_h11_when_required_or_declared():
    s = two_dock_day(screening={"required": True})
    s.loads[0].has_pass = True
    s.loads[1].has_pass = True
    s.loads[3].has_pass = True
    s.loads[2].screening = Screening(
        test_type="pcr",
        test_result="negative",
        test_time=at(0),
        health_code="green",
        body_temperature_c=36.5,
    )
    assert verify(s, valid_plan(s)).ok
    s.loads[2].screening.body_temperature_c = 38.2
    report = verify(s, valid_plan(s))
    assert report.rules_broken() == {"H11"} and "FEVER" in report.violations[0].text
    # Not required, but the driver declared a fever: still out.
    s.settings.screening.required = False
    assert broken(s, valid_plan(s)) == {"H11"}


def test_a_hub_outside_allowed_hubs_is_h11():
    s = two_dock_day()
    s.loads[0].allowed_hubs = ["H1"]
    assert verify(s, valid_plan(s)).ok
    s.loads[0].allowed_hubs = ["H2"]
    assert broken(s, valid_plan(s)) == {"H11"}

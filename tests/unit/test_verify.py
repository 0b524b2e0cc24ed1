"""The verifier: each rule passes on a valid tiny schedule and is flagged by id on a corrupted
one. Here the structure, H1-H5 (zone, hub, dock, time window, opening hours) and the objective;
H6 and later in test_verify_h6_and_later.py."""

from __future__ import annotations

from datetime import timedelta

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

from hub_scheduler.domain import HubStatus, LoadStatus, Location
from hub_scheduler.rules import HARD_IDS
from hub_scheduler.verify import CHECKS, verify
from hub_scheduler.verify.checks import barred_everywhere

# --- the whole list ----------------------------------------------------------------------------


def test_every_check_is_named_after_its_rule_with_the_id_first_in_its_docstring():
    ids = [check.__doc__.split()[0] for check in CHECKS]
    assert ids[:3] == ["STRUCTURE"] * 3
    assert set(HARD_IDS) <= set(ids)
    assert ids[-1] == "OBJECTIVE"


def test_a_valid_plan_passes_with_no_violation():
    s = two_dock_day()
    report = verify(s, valid_plan(s))
    assert report.ok, report.violations
    assert report.objective == 0


# --- structure ---------------------------------------------------------------------------------


def test_a_load_missing_from_the_schedule_is_a_structure_error():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.assignments.pop()
    assert broken(s, plan) == {"STRUCTURE"}


def test_a_load_both_assigned_and_unscheduled_is_a_structure_error():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.unscheduled = make_schedule(s, unscheduled=["L3"]).unscheduled
    assert broken(s, plan) == {"STRUCTURE"}


def test_a_load_assigned_twice_is_a_structure_error():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.assignments.append(assign(s, "L3", 120, dock_id="D2"))
    assert "STRUCTURE" in broken(s, plan)


def test_unknown_load_hub_zone_or_dock_is_a_structure_error():
    s = two_dock_day()
    for change in ({"load_id": "NOPE"}, {"hub_id": "H9"}, {"zone_id": "Z9"}, {"dock_id": "D9"}):
        plan = valid_plan(s)
        plan.assignments[2] = plan.assignments[2].model_copy(update=change)
        assert "STRUCTURE" in broken(s, plan), change


def test_a_dock_of_another_zone_is_a_structure_error():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.assignments[2] = plan.assignments[2].model_copy(update={"dock_id": "D3"})
    report = verify(s, plan)
    assert report.rules_broken() == {"STRUCTURE"}
    assert "is in zone Z2" in report.violations[0].text


def test_an_end_that_ignores_the_handling_time_is_a_structure_error():
    s = two_dock_day()
    plan = valid_plan(s)
    a = plan.assignments[0]
    plan.assignments[0] = a.model_copy(update={"end": a.end - timedelta(minutes=10)})
    assert broken(s, plan) == {"STRUCTURE"}


def test_a_disinfection_time_that_ignores_the_hub_setting_is_a_structure_error():
    s = two_dock_day()
    plan = valid_plan(s)
    a = plan.assignments[0]
    plan.assignments[0] = a.model_copy(update={"disinfected_at": a.end})
    assert broken(s, plan) == {"STRUCTURE"}


@pytest.mark.parametrize("status", ["cancelled", "rejected", "completed", "no_show"])
def test_a_closed_load_may_be_absent_but_never_assigned(status):
    s = two_dock_day()
    s.loads[2].status = LoadStatus(status)
    plan = valid_plan(s)
    absent = make_schedule(s, plan.assignments[:2] + plan.assignments[3:])
    assert verify(s, absent).ok
    assert broken(s, plan) == {"STRUCTURE"}


# --- H1 ----------------------------------------------------------------------------------------


@pytest.mark.rule("H1", "broken")
def test_cold_load_in_cold_zone_passes_and_in_ambient_zone_is_h1():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.assignments[3] = assign(s, "C1", 0, zone_id="Z1", dock_id="D2")
    plan.assignments[1] = assign(s, "L2", 60, dock_id="D2")
    assert broken(s, plan) == {"H1"}


def test_ambient_load_in_cold_zone_is_h1():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.assignments[2] = assign(s, "L3", 60, zone_id="Z2", dock_id="D3")
    assert broken(s, plan) == {"H1"}


# --- H2 ----------------------------------------------------------------------------------------


@pytest.mark.rule("H2", "broken")
@pytest.mark.parametrize("status", [HubStatus.STANDBY, HubStatus.SUSPENDED])
def test_a_load_at_a_hub_that_is_not_active_is_h2(status):
    s = two_dock_day()
    s.hubs[0].status = status
    assert broken(s, valid_plan(s)) == {"H2"}


# --- H3 ----------------------------------------------------------------------------------------


def test_back_to_back_loads_with_disinfection_between_pass():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.assignments[2] = assign(s, "L3", 60, dock_id="D1")  # L1 ends 30, disinfected at 45
    assert verify(s, plan).ok


@pytest.mark.rule("H3", "broken")
def test_a_load_starting_inside_the_previous_disinfection_is_h3():
    s = two_dock_day(slot_minutes=5)
    s.loads[2].release = at(0)
    plan = valid_plan(s)
    plan.assignments[2] = assign(s, "L3", 40, dock_id="D1")  # D1 busy until 45
    report = verify(s, plan)
    assert report.rules_broken() == {"H3"}
    assert report.violations[0].text.startswith("H3 dock D1 at hub H1: L1 and L3 overlap")


def test_an_overlap_hidden_behind_a_short_operation_is_still_h3():
    s = make_scenario(
        loads=[
            make_load("A", handling=120),
            make_load("B", handling=15),
            make_load("C", handling=15),
        ],
        slot_minutes=15,
    )
    plan = make_schedule(s, [assign(s, "A", 0), assign(s, "B", 150), assign(s, "C", 90)])
    assert broken(s, plan) == {"H3"}


def test_the_same_dock_id_at_two_hubs_is_two_docks():
    hubs = [make_hub("H1"), make_hub("H2")]
    s = make_scenario(hubs=hubs, loads=[make_load("A"), make_load("B")])
    plan = make_schedule(s, [assign(s, "A", 0), assign(s, "B", 0, hub_id="H2")])
    assert verify(s, plan).ok


# --- H4 ----------------------------------------------------------------------------------------


@pytest.mark.rule("H4", "broken")
def test_a_start_before_release_is_h4():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.assignments[2] = assign(s, "L3", 45, dock_id="D1")
    assert broken(s, plan) == {"H4"}


def test_an_end_after_the_deadline_is_h4_and_exactly_at_it_passes():
    s = two_dock_day()
    s.loads[2].deadline = at(90)
    assert verify(s, valid_plan(s)).ok  # L3 ends at 90
    s.loads[2].deadline = at(89)
    assert broken(s, valid_plan(s)) == {"H4"}


def test_a_span_reaching_past_the_horizon_end_is_h4_and_ending_on_it_passes():
    s = two_dock_day()
    s.horizon.end = at(105)  # L3: 60 + 30 handling + 15 disinfection
    assert verify(s, valid_plan(s)).ok
    s.horizon.end = at(104)
    assert "H4" in broken(s, valid_plan(s))


def test_a_truck_the_gate_started_is_not_judged_by_its_own_end_but_by_its_start():
    """Reality wins (docs/rules.md): an in-operation load's row is its real run; its deadline
    and the horizon's end cannot be held by any plan, so they are not judged; its start is."""
    s = two_dock_day()
    s.loads[2].deadline = at(89)
    s.horizon.end = at(104)
    s.loads[2].status = LoadStatus.IN_OPERATION
    assert broken(s, valid_plan(s)) == {"H4"}, "no gate time: judged as planned"
    s.loads[2].started_at = at(62)
    assert verify(s, valid_plan(s)).ok
    s.loads[2].release = at(75)
    assert broken(s, valid_plan(s)) == {"H4"}, "a start before the release still is H4"


# --- H5 ----------------------------------------------------------------------------------------


def opening_day(opening_hours, horizon_minutes=2880):
    hub = make_hub(opening_hours=opening_hours, disinfection_minutes=15)
    loads = [make_load("A", release=0, due=3000), make_load("B", release=0, due=3000)]
    return make_scenario(hubs=[hub], loads=loads, horizon_minutes=horizon_minutes)


@pytest.mark.rule("H5", "broken")
def test_a_span_inside_an_opening_period_passes_and_reaching_past_its_end_is_h5():
    s = opening_day([("08:00", "12:00")])
    assert verify(s, make_schedule(s, [assign(s, "A", 480), assign(s, "B", 675)])).ok  # ends 12:00
    assert broken(s, make_schedule(s, [assign(s, "A", 480), assign(s, "B", 690)])) == {"H5"}


def test_a_truck_the_gate_started_past_the_closing_is_where_it_is():
    s = opening_day([("08:00", "12:00")])
    plan = make_schedule(s, [assign(s, "A", 480), assign(s, "B", 690)])  # B to 12:35
    s.loads[1].status, s.loads[1].started_at = LoadStatus.IN_OPERATION, at(690)
    assert verify(s, plan).ok


def test_a_start_before_the_opening_is_h5():
    s = opening_day([("08:00", "12:00")])
    assert broken(s, make_schedule(s, [assign(s, "A", 465), assign(s, "B", 600)])) == {"H5"}


def test_a_night_period_crossing_midnight_holds_spans_on_both_sides_of_it():
    s = opening_day([("22:00", "06:00")])
    # 23:30-00:15 (span to 00:15 next day), and 05:00-05:45 on day two (period from day one).
    plan = make_schedule(s, [assign(s, "A", 1410), assign(s, "B", 1440 + 300)])
    assert verify(s, plan).ok
    # 05:30-06:15 leaves the period.
    assert broken(s, make_schedule(s, [assign(s, "A", 1410), assign(s, "B", 1440 + 330)])) == {"H5"}
    # The morning of the horizon's first day belongs to the night before: open at 01:00.
    assert verify(s, make_schedule(s, [assign(s, "A", 60), assign(s, "B", 1410)])).ok


def test_a_span_over_the_seam_of_two_touching_periods_passes_but_over_a_gap_is_h5():
    # Touching periods are one continuous period (DESIGN.md H5, issue 9).
    s = opening_day([("08:00", "12:00"), ("12:00", "24:00")])
    assert verify(s, make_schedule(s, [assign(s, "A", 705), assign(s, "B", 1395)])).ok  # to 24:00
    s = opening_day([("08:00", "12:00"), ("12:01", "24:00")])
    assert broken(s, make_schedule(s, [assign(s, "A", 705), assign(s, "B", 900)])) == {"H5"}


@pytest.mark.parametrize(
    "opening_hours", [[("00:00", "24:00")], [("00:00", "00:00")], [("12:00", "12:00")]]
)
def test_a_hub_open_all_day_every_day_holds_a_span_across_midnight(opening_hours):
    s = opening_day(opening_hours)
    # Spans 23:30-00:15 (over midnight) and 11:30-12:15 the next day (over noon).
    assert verify(s, make_schedule(s, [assign(s, "A", 1410), assign(s, "B", 2130)])).ok


def test_opening_hours_are_read_in_the_scenario_time_zone():
    s = opening_day([("08:00", "12:00")])
    s.timezone = "Europe/London"  # 08:00 London = 16:00 in the builders' +08:00 clock
    assert verify(s, make_schedule(s, [assign(s, "A", 960), assign(s, "B", 1020)])).ok
    assert broken(s, make_schedule(s, [assign(s, "A", 480), assign(s, "B", 1020)])) == {"H5"}


@pytest.mark.parametrize(
    "window",
    [
        {"start": 100, "end": 130},
        {"start": 100, "end": 130, "zone_id": "Z1"},
        {"start": 100, "end": 130, "dock_id": "D1"},
        {"start": 130, "end": 140, "dock_id": "D1"},  # only the disinfection meets it
    ],
)
def test_a_span_meeting_a_blocked_window_of_its_hub_zone_or_dock_is_h5(window):
    hub = make_hub(blocked=[window], disinfection_minutes=15)
    s = make_scenario(hubs=[hub], loads=[make_load("A", due=300)])
    assert broken(s, make_schedule(s, [assign(s, "A", 90)])) == {"H5"}


def test_windows_of_other_docks_and_touching_windows_do_not_count():
    hub = make_hub(
        zones=[make_zone("Z1", docks=("D1", "D2")), make_zone("Z2", docks=("D3",))],
        blocked=[
            {"start": 0, "end": 300, "dock_id": "D2"},
            {"start": 0, "end": 300, "zone_id": "Z2"},
            {"start": 0, "end": 90},  # ends when A starts: half-open
            {"start": 135, "end": 200},  # starts when A's disinfection ends
        ],
        disinfection_minutes=15,
    )
    s = make_scenario(hubs=[hub], loads=[make_load("A", due=300)])
    assert verify(s, make_schedule(s, [assign(s, "A", 90)])).ok


# --- the objective -----------------------------------------------------------------------------


def test_the_objective_is_recomputed_term_by_term():
    hub = make_hub(location=Location(lat=25.0, lon=115.0), disinfection_minutes=0)
    loads = [
        make_load(
            "A",
            release=0,
            due=20,
            handling=30,
            priority_weight=3,
            origin=Location(lat=25.0, lon=115.5),
            previous=position("H1", "D1", 0),
        ),  # stays: no S4
        make_load(
            "B",
            release=10,
            due=100,
            handling=30,
            priority_weight=2,
            previous=position("H1", "D1", 60),
        ),  # moves: S4
        make_load("C", priority_weight=5),  # left out: S1
    ]
    s = make_scenario(
        hubs=[hub],
        loads=loads,
        horizon_minutes=600,
        slot_minutes=15,
        objective={"waiting": 0.5, "stability": 7, "travel": 2},
    )
    plan = make_schedule(s, [assign(s, "A", 0), assign(s, "B", 90)], unscheduled=["C"])
    report = verify(s, plan)
    from hub_scheduler.travel import travel_minutes

    minutes = travel_minutes(loads[0].origin, hub.location)
    assert minutes > 0
    assert report.terms == {
        "S1": 10 * 600 * 5,
        "S2": 3 * 10 + 2 * 20,
        "S3": 0.5 * 2 * 80,
        "S4": 7,
        "S5": 2 * minutes,
    }
    assert report.objective == pytest.approx(sum(report.terms.values()))


def test_closed_loads_cost_nothing_and_the_penalty_setting_is_used():
    s = make_scenario(
        loads=[make_load("A", priority_weight=2), make_load("X", status="cancelled")],
        objective={"unscheduled_penalty": 1000},
    )
    report = verify(s, make_schedule(s, unscheduled=["A", "X"]))
    assert report.terms["S1"] == 2000


def test_a_reported_objective_that_is_not_the_plans_cost_is_flagged():
    s = two_dock_day()
    plan = valid_plan(s)
    plan.objective = 0.0
    assert verify(s, plan).ok
    plan.objective = 12.0
    assert broken(s, plan) == {"OBJECTIVE"}
    plan.objective, plan.bound = 0.0, 5.0
    assert broken(s, plan) == {"OBJECTIVE"}


def test_barred_everywhere_names_every_reason_a_load_may_enter_no_hub():
    s = two_dock_day(screening={"required": True})
    s.enterprises = [make_enterprise("E1", whitelisted=False)]
    why = barred_everywhere(s, s.loads[0])
    assert [v.code for v in why] == ["not_whitelisted", "fails_screening"]
    assert "white-listed" in why[0].text and why[1].params["checks"] == ["NO_SCREENING"]
    s.enterprises = [make_enterprise("E1")]
    s.loads[0].has_pass = True
    assert barred_everywhere(s, s.loads[0]) == []

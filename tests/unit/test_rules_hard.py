"""Each hard rule, in pairs on tiny hand-built days: the plan keeps it where it is easy, and still
keeps it
where the naive plan would break it. Every plan also passes the independent verifier."""

from __future__ import annotations

from datetime import date

import pytest
from builders import at, make_enterprise, make_hub, make_load, make_scenario, make_zone, position

from hub_scheduler.domain import HubStatus, LoadStatus, ReasonCode, Screening, Settings
from hub_scheduler.solver import fcfs, solve
from hub_scheduler.verify import verify


def plan(scenario, **kwargs):
    """Solve with a small time limit; assert the verifier finds nothing and the objective agrees."""
    schedule = solve(
        scenario, time_limit_s=kwargs.pop("time_limit_s", 1.0), workers=1, seed=0, **kwargs
    )
    report = verify(scenario, schedule)
    assert report.violations == []
    assert abs(report.objective - schedule.objective) < 1e-6
    return schedule


def placed(schedule):
    return {a.load_id: a for a in schedule.assignments}


def left_out(schedule):
    return {u.load_id: u for u in schedule.unscheduled}


def minutes(moment):
    return (moment - at(0)).total_seconds() / 60


# --- H1 zone match --------------------------------------------------------------------------------


def mixed_hub():
    return make_hub(
        zones=[make_zone("ZA", "ambient", docks=("A1",)), make_zone("ZC", "cold", docks=("C1",))]
    )


def test_cold_load_lands_in_the_cold_zone():
    s = plan(make_scenario(hubs=[mixed_hub()], loads=[make_load("L1", temperature="cold")]))
    assert placed(s)["L1"].zone_id == "ZC"


@pytest.mark.rule("H1", "holds")
def test_cold_load_never_lands_in_ambient_zone_even_when_the_cold_dock_is_busy():
    loads = [
        make_load("C1", temperature="cold", handling=120, due=120),
        make_load("C2", temperature="cold", handling=60, due=60),
    ]
    s = plan(make_scenario(hubs=[mixed_hub()], loads=loads))
    assert {a.zone_id for a in s.assignments} == {"ZC"}
    assert len(s.assignments) == 2


# --- H2 active hubs only ------------------------------------------------------------------------


def test_load_goes_to_the_active_hub():
    hubs = [make_hub("H1"), make_hub("H2", status=HubStatus.STANDBY)]
    s = plan(make_scenario(hubs=hubs, loads=[make_load("L1")]))
    assert placed(s)["L1"].hub_id == "H1"


@pytest.mark.rule("H2", "holds")
def test_load_never_goes_to_a_standby_hub_even_when_the_active_one_is_full():
    hubs = [make_hub("H1"), make_hub("H2", status=HubStatus.STANDBY)]
    loads = [make_load(f"L{i}", handling=60, due=60) for i in range(4)]
    s = plan(make_scenario(hubs=hubs, loads=loads, horizon_minutes=180))
    assert {a.hub_id for a in s.assignments} == {"H1"}
    assert len(s.assignments) == 3 and len(s.unscheduled) == 1


def test_with_only_standby_hubs_nothing_is_placed_and_the_reason_says_no_zone():
    hubs = [make_hub("H2", status=HubStatus.STANDBY)]
    s = plan(make_scenario(hubs=hubs, loads=[make_load("L1")]))
    assert left_out(s)["L1"].reason_code is ReasonCode.NO_ZONE_FOR_TEMPERATURE


# --- H3 one truck per dock, disinfected between trucks -------------------------------------------


def test_trucks_on_one_dock_follow_each_other_with_disinfection_between():
    hub = make_hub(disinfection_minutes=15)
    loads = [make_load("L1", handling=30, due=30), make_load("L2", handling=30, due=200)]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    a = placed(s)
    assert minutes(a["L2"].start) >= minutes(a["L1"].end) + 15


@pytest.mark.rule("H3", "holds")
def test_two_trucks_due_at_once_never_share_the_dock_or_skip_disinfection():
    hub = make_hub(disinfection_minutes=20, zones=[make_zone(docks=("D1",))])
    loads = [make_load(f"L{i}", handling=30, due=30) for i in range(3)]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    spans = sorted((minutes(a.start), minutes(a.disinfected_at)) for a in s.assignments)
    assert all(b[0] >= a[1] for a, b in zip(spans, spans[1:], strict=False))
    assert len(spans) == 3


def test_a_load_disinfection_overrides_zone_and_hub():
    hub = make_hub(disinfection_minutes=5, zones=[make_zone(disinfection_minutes=10)])
    loads = [make_load("L1", disinfection_minutes=40, due=30), make_load("L2", due=60)]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    a = placed(s)
    assert minutes(a["L1"].disinfected_at) - minutes(a["L1"].end) == 40
    assert minutes(a["L2"].disinfected_at) - minutes(a["L2"].end) == 10


# --- H4 time windows ------------------------------------------------------------------------------


def test_load_starts_at_its_release():
    s = plan(make_scenario(loads=[make_load("L1", release=100, due=200)]))
    assert minutes(placed(s)["L1"].start) == 105  # the next 15-minute slot


@pytest.mark.rule("H4", "holds")
def test_load_never_starts_before_its_release_even_when_it_is_already_late():
    s = plan(make_scenario(loads=[make_load("L1", release=300, due=10)]))
    assert minutes(placed(s)["L1"].start) >= 300


def test_deadline_is_kept_or_the_load_is_left_out():
    loads = [
        make_load("A", handling=60, due=60, deadline=60, priority_weight=5),
        make_load("B", handling=60, due=60, deadline=60, priority_weight=1),
    ]
    s = plan(make_scenario(loads=loads))
    assert set(placed(s)) == {"A"} and left_out(s)["B"].reason_code is ReasonCode.CAPACITY
    assert minutes(placed(s)["A"].end) <= 60


def test_a_window_shorter_than_the_handling_is_reported_as_too_short():
    s = plan(make_scenario(loads=[make_load("L1", release=0, handling=60, deadline=30)]))
    assert left_out(s)["L1"].reason_code is ReasonCode.WINDOW_TOO_SHORT


def test_span_never_leaves_the_horizon():
    hub = make_hub(disinfection_minutes=30)
    s = plan(
        make_scenario(
            hubs=[hub], loads=[make_load("L1", release=1380, handling=45)], horizon_minutes=1440
        )
    )
    assert left_out(s)["L1"].reason_code is ReasonCode.WINDOW_TOO_SHORT


# --- H5 opening hours and blocked windows ---------------------------------------------------------


def test_load_waits_for_the_hub_to_open():
    hub = make_hub(opening_hours=[("08:00", "18:00")])
    s = plan(make_scenario(hubs=[hub], loads=[make_load("L1", release=0, due=60)]))
    assert minutes(placed(s)["L1"].start) == 480


def test_span_with_disinfection_never_runs_past_closing():
    hub = make_hub(opening_hours=[("08:00", "09:00")], disinfection_minutes=20)
    loads = [
        make_load("L1", release=480, handling=30, due=510),
        make_load("L2", release=480, handling=30, due=510),
    ]
    s = plan(make_scenario(hubs=[hub], loads=loads, horizon_minutes=2880))
    for a in s.assignments:
        local = a.start.astimezone(at(0).tzinfo)
        assert local.hour == 8 and minutes(a.disinfected_at) % 1440 <= 540
    assert len(s.assignments) == 2  # one today, one at 08:00 tomorrow


@pytest.mark.rule("H5", "holds")
def test_night_period_crossing_midnight_holds_a_span_across_midnight():
    hub = make_hub(opening_hours=[("22:00", "06:00")])
    s = plan(
        make_scenario(
            hubs=[hub],
            loads=[make_load("L1", release=1410, handling=60, due=1500)],
            horizon_minutes=2880,
        )
    )
    assert minutes(placed(s)["L1"].start) == 1410  # 23:30 to 00:30, inside one period


def test_load_that_fits_no_opening_period_is_closed():
    hub = make_hub(opening_hours=[("08:00", "09:00")])
    s = plan(make_scenario(hubs=[hub], loads=[make_load("L1", handling=90)]))
    assert left_out(s)["L1"].reason_code is ReasonCode.CLOSED


def test_load_avoids_a_blocked_dock():
    hub = make_hub(
        zones=[make_zone(docks=("D1", "D2"))], blocked=[{"start": 0, "end": 120, "dock_id": "D1"}]
    )
    s = plan(make_scenario(hubs=[hub], loads=[make_load("L1", due=30)]))
    assert placed(s)["L1"].dock_id == "D2" and minutes(placed(s)["L1"].start) == 0


def test_load_never_meets_a_blocked_zone_window_even_when_late():
    hub = make_hub(blocked=[{"start": 0, "end": 120, "zone_id": "Z1", "reason": "deep clean"}])
    s = plan(make_scenario(hubs=[hub], loads=[make_load("L1", due=30)]))
    assert minutes(placed(s)["L1"].start) >= 120


def test_a_whole_hub_block_keeps_every_dock_free():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"))], blocked=[{"start": 30, "end": 90}])
    loads = [
        make_load("L1", release=0, handling=45, due=45),
        make_load("L2", release=0, handling=30, due=30),
    ]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    for a in s.assignments:
        assert minutes(a.disinfected_at) <= 30 or minutes(a.start) >= 90


# --- H6 crews -------------------------------------------------------------------------------------


def test_two_crews_work_two_docks_at_once():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2", "D3"), crews=2)])
    loads = [make_load(f"L{i}", handling=60, due=60) for i in range(2)]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    assert {minutes(a.start) for a in s.assignments} == {0}


@pytest.mark.rule("H6", "holds")
def test_never_more_operations_than_crews_even_with_free_docks():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2", "D3"), crews=2)])
    loads = [make_load(f"L{i}", handling=60, due=60) for i in range(3)]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    starts = sorted(minutes(a.start) for a in s.assignments)
    assert starts == [0, 0, 60]


def test_disinfection_does_not_hold_a_crew():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2"), crews=1)], disinfection_minutes=30)
    loads = [make_load("L1", handling=30, due=30), make_load("L2", handling=30, due=60)]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    assert sorted(minutes(a.start) for a in s.assignments) == [0, 30]


# --- H7 contactless relay -------------------------------------------------------------------------


def relay_day(gap=30):
    hub_a = make_hub("HA", zones=[make_zone("Z1", docks=("D1", "D2"))], disinfection_minutes=15)
    hub_b = make_hub("HB", zones=[make_zone("Z9", docks=("D9",))])
    loads = [make_load("IN", handling=30, due=30), make_load("OUT", handling=30, due=30)]
    return make_scenario(hubs=[hub_a, hub_b], loads=loads, transfers=[("IN", "OUT", gap)])


def test_outbound_follows_inbound_at_the_same_hub_and_zone():
    a = placed(plan(relay_day()))
    assert (a["OUT"].hub_id, a["OUT"].zone_id) == (a["IN"].hub_id, a["IN"].zone_id)


@pytest.mark.rule("H7", "holds")
def test_outbound_never_starts_before_inbound_is_gone_disinfected_and_the_gap_passed():
    a = placed(plan(relay_day(gap=30)))
    assert minutes(a["OUT"].start) >= minutes(a["IN"].disinfected_at) + 30


def test_outbound_whose_inbound_cannot_be_placed_is_left_out():
    s = relay_day()
    s.loads[0].deadline = at(10)
    out = left_out(plan(s))
    assert out["IN"].reason_code is ReasonCode.WINDOW_TOO_SHORT
    assert out["OUT"].reason_code is ReasonCode.INBOUND_NOT_PLACED


# --- H8 site capacity -----------------------------------------------------------------------------


def test_site_capacity_lets_as_many_trucks_as_it_allows():
    hub = make_hub(zones=[make_zone(docks=("D1", "D2", "D3"))], max_trucks_on_site=2)
    s = plan(
        make_scenario(hubs=[hub], loads=[make_load(f"L{i}", handling=60, due=60) for i in range(2)])
    )
    assert {minutes(a.start) for a in s.assignments} == {0}


@pytest.mark.rule("H8", "holds")
def test_site_capacity_counts_trucks_across_zones():
    hub = make_hub(
        zones=[make_zone("ZA", docks=("A1", "A2")), make_zone("ZC", "cold", docks=("C1",))],
        max_trucks_on_site=2,
    )
    loads = [
        make_load("A", handling=60, due=60),
        make_load("B", handling=60, due=60),
        make_load("C", handling=60, due=60, temperature="cold"),
    ]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    assert sorted(minutes(a.start) for a in s.assignments) == [0, 0, 60]


# --- H9 slot grid ---------------------------------------------------------------------------------


def test_starts_fall_on_the_hub_grid():
    hub = make_hub(slot_minutes=20)
    s = plan(
        make_scenario(
            hubs=[hub], loads=[make_load("L1", release=1), make_load("L2", release=1, handling=7)]
        )
    )
    assert all(minutes(a.start) % 20 == 0 for a in s.assignments)


@pytest.mark.rule("H9", "holds")
def test_an_odd_handling_time_never_pushes_the_next_start_off_the_grid():
    hub = make_hub(disinfection_minutes=4)
    loads = [make_load("L1", handling=7, due=7), make_load("L2", handling=7, due=7)]
    s = plan(make_scenario(hubs=[hub], loads=loads))
    assert sorted(minutes(a.start) for a in s.assignments) == [0, 15]


# --- H10 pinned -----------------------------------------------------------------------------------


def two_docks():
    return make_hub(zones=[make_zone(docks=("D1", "D2"))])


def test_pinned_load_keeps_its_hub_dock_and_start():
    load = make_load("P", pinned=position("H1", "D2", 120))
    a = placed(plan(make_scenario(hubs=[two_docks()], loads=[load])))["P"]
    assert (a.hub_id, a.dock_id, minutes(a.start)) == ("H1", "D2", 120)


@pytest.mark.rule("H10", "holds")
def test_a_pinned_load_is_not_moved_even_to_make_room_for_a_heavier_one():
    loads = [
        make_load("P", pinned=position("H1", "D1", 0), handling=60, due=600, priority_weight=1),
        make_load("X", handling=60, due=60, priority_weight=10),
    ]
    a = placed(plan(make_scenario(loads=loads)))
    assert minutes(a["P"].start) == 0 and minutes(a["X"].start) >= 60


def test_a_load_inside_the_freeze_window_stays_where_it_was():
    load = make_load("F", previous=position("H1", "D2", 60), due=30)
    s = make_scenario(hubs=[two_docks()], loads=[load], now=at(0), freeze_minutes=120)
    a = placed(plan(s))["F"]
    assert (a.dock_id, minutes(a.start)) == ("D2", 60)


def test_a_checked_in_truck_keeps_its_place():
    load = make_load("T", previous=position("H1", "D2", 45), status=LoadStatus.CHECKED_IN, due=0)
    a = placed(plan(make_scenario(hubs=[two_docks()], loads=[load])))["T"]
    assert (a.dock_id, minutes(a.start)) == ("D2", 45)


def test_a_load_pinned_to_a_suspended_hub_is_left_out_not_moved():
    hubs = [make_hub("H1", status=HubStatus.SUSPENDED), make_hub("H2")]
    s = plan(make_scenario(hubs=hubs, loads=[make_load("P", pinned=position("H1", "D1", 0))]))
    assert left_out(s)["P"].reason_code is ReasonCode.HUB_NOT_ALLOWED


# --- H11 eligibility ------------------------------------------------------------------------------


def test_a_whitelisted_enterprise_gets_its_load_placed():
    s = plan(make_scenario(loads=[make_load("L1")]))
    assert "L1" in placed(s)


@pytest.mark.rule("H11", "holds")
def test_a_load_of_an_enterprise_off_the_whitelist_is_never_placed():
    s = make_scenario(
        loads=[make_load("L1", enterprise_id="E2")],
        enterprises=[make_enterprise("E1"), make_enterprise("E2", whitelisted=False)],
    )
    assert left_out(plan(s))["L1"].reason_code is ReasonCode.NOT_WHITELISTED


def test_a_whitelisting_that_expired_before_the_release_keeps_the_load_out():
    s = make_scenario(
        loads=[make_load("L1")], enterprises=[make_enterprise("E1", valid_until=date(2026, 11, 26))]
    )
    assert left_out(plan(s))["L1"].reason_code is ReasonCode.NOT_WHITELISTED


def test_a_driver_who_fails_screening_is_kept_out_with_the_failed_check_named():
    load = make_load("L1", screening=Screening(health_code="yellow", body_temperature_c=36.5))
    u = left_out(plan(make_scenario(loads=[load])))["L1"]
    assert u.reason_code is ReasonCode.SCREENING_FAILED and "HEALTH_CODE" in u.reason


def test_a_driver_with_a_valid_pass_passes_required_screening():
    s = make_scenario(loads=[make_load("L1", has_pass=True)])
    s.settings = Settings(screening={"required": True})
    assert "L1" in placed(plan(s))


def test_load_goes_only_to_its_allowed_hubs():
    hubs = [make_hub("H1"), make_hub("H2")]
    loads = [make_load("A", allowed_hubs=["H2"]), make_load("B", allowed_hubs=["H2"])]
    s = plan(make_scenario(hubs=hubs, loads=loads))
    assert {a.hub_id for a in s.assignments} == {"H2"}


def test_load_whose_allowed_hubs_are_all_closed_says_so():
    hubs = [make_hub("H1"), make_hub("H2", status=HubStatus.SUSPENDED)]
    u = left_out(plan(make_scenario(hubs=hubs, loads=[make_load("A", allowed_hubs=["H2"])])))["A"]
    assert u.reason_code is ReasonCode.HUB_NOT_ALLOWED


# --- loads outside the plan and FCFS --------------------------------------------------------------


def test_cancelled_rejected_completed_and_no_show_loads_are_not_part_of_the_plan():
    statuses = [LoadStatus.CANCELLED, LoadStatus.REJECTED, LoadStatus.COMPLETED, LoadStatus.NO_SHOW]
    loads = [make_load(f"L{i}", status=st) for i, st in enumerate(statuses)] + [make_load("OK")]
    s = plan(make_scenario(loads=loads))
    assert set(placed(s)) == {"OK"} and s.unscheduled == []


def test_fcfs_serves_loads_in_release_order_and_keeps_every_rule():
    loads = [
        make_load("LATE", release=10, due=40, priority_weight=10),
        make_load("EARLY", release=0, due=500),
    ]
    s = make_scenario(loads=loads)
    baseline = fcfs(s)
    assert verify(s, baseline).violations == []
    a = placed(baseline)
    assert a["EARLY"].start < a["LATE"].start
    better = placed(plan(s))
    assert better["LATE"].start < better["EARLY"].start

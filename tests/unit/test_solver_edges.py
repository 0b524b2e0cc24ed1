"""Edge cases: empty days, nothing eligible, odd times and references; the plan is always well
formed."""

from __future__ import annotations

from datetime import timedelta

from builders import at, make_hub, make_load, make_scenario, make_zone, position

from hub_scheduler.domain import HubStatus, PlanStatus, ReasonCode, Transfer
from hub_scheduler.solver import fcfs, solve
from hub_scheduler.verify import verify


def plan(scenario):
    schedule = solve(scenario, time_limit_s=0.5, workers=1, seed=0)
    assert verify(scenario, schedule).violations == []
    return schedule


def test_a_day_without_loads_is_an_empty_optimal_plan():
    s = plan(make_scenario(loads=[]))
    assert (
        s.assignments == []
        and s.unscheduled == []
        and s.objective == 0
        and s.status is PlanStatus.OPTIMAL
    )
    assert fcfs(make_scenario(loads=[])).objective == 0


def test_a_day_without_hubs_leaves_every_load_out_with_a_reason():
    s = plan(make_scenario(hubs=[], loads=[make_load("L1"), make_load("L2", temperature="cold")]))
    assert {u.reason_code for u in s.unscheduled} == {ReasonCode.NO_ZONE_FOR_TEMPERATURE}


def test_a_zone_without_docks_takes_nothing():
    hub = make_hub(zones=[make_zone(docks=())])
    s = plan(make_scenario(hubs=[hub], loads=[make_load("L1")]))
    assert s.unscheduled[0].reason_code is ReasonCode.NO_ZONE_FOR_TEMPERATURE


def test_a_load_released_after_the_horizon_is_too_late_for_it():
    s = plan(make_scenario(loads=[make_load("L1", release=2000, due=2100)], horizon_minutes=1440))
    assert s.unscheduled[0].reason_code is ReasonCode.WINDOW_TOO_SHORT


def test_a_load_released_before_the_horizon_starts_at_its_beginning():
    s = plan(make_scenario(loads=[make_load("L1", release=-90, due=-30, priority_weight=1)]))
    a = s.assignments[0]
    assert a.start == at(0)
    assert s.objective == 60  # 30 minutes of handling ending 60 minutes after the due time


def test_times_with_seconds_round_to_safe_minutes():
    load = make_load("L1", due=45)
    load.release = at(0) + timedelta(seconds=20)
    load.due = at(45) + timedelta(seconds=30)
    s = plan(make_scenario(loads=[load], slot_minutes=1))
    assert s.assignments[0].start == at(1)


def test_a_transfer_naming_an_unknown_inbound_keeps_the_outbound_out():
    scenario = make_scenario(loads=[make_load("OUT")])
    scenario.transfers = [Transfer(inbound="GHOST", outbound="OUT")]
    s = plan(scenario)
    assert s.unscheduled[0].reason_code is ReasonCode.INBOUND_NOT_PLACED


def test_a_cycle_of_relays_leaves_both_out():
    scenario = make_scenario(
        loads=[make_load("A"), make_load("B")], transfers=[("A", "B", 0), ("B", "A", 0)]
    )
    s = plan(scenario)
    assert {u.reason_code for u in s.unscheduled} == {ReasonCode.INBOUND_NOT_PLACED}


def test_two_loads_pinned_to_the_same_slot_keep_one_and_explain_the_other():
    loads = [
        make_load("P1", pinned=position("H1", "D1", 60)),
        make_load("P2", pinned=position("H1", "D1", 60)),
    ]
    s = plan(make_scenario(loads=loads))
    assert [a.load_id for a in s.assignments] == ["P1"]
    assert (
        s.unscheduled[0].reason_code is ReasonCode.CAPACITY and "pinned" in s.unscheduled[0].reason
    )


def test_a_pinned_outbound_makes_its_inbound_finish_in_time_in_its_zone():
    hub = make_hub(zones=[make_zone("Z1", docks=("D1", "D2")), make_zone("Z2", docks=("D3",))])
    loads = [
        make_load("IN", release=0, due=500, handling=30),
        make_load("OUT", pinned=position("H1", "D2", 120)),
    ]
    s = plan(make_scenario(hubs=[hub], loads=loads, transfers=[("IN", "OUT", 30)]))
    a = {x.load_id: x for x in s.assignments}
    assert (
        a["IN"].zone_id == "Z1" and a["IN"].disinfected_at + timedelta(minutes=30) <= a["OUT"].start
    )


def test_a_standby_hub_switched_on_takes_loads_the_full_hub_could_not():
    busy = [make_load(f"L{i}", handling=120, due=120, deadline=240) for i in range(3)]
    hubs = [make_hub("H1"), make_hub("H2", status=HubStatus.STANDBY)]
    before = plan(make_scenario(hubs=hubs, loads=busy, horizon_minutes=300))
    assert len(before.unscheduled) == 1
    hubs[1].status = HubStatus.ACTIVE
    after = plan(make_scenario(hubs=hubs, loads=busy, horizon_minutes=300))
    assert after.unscheduled == [] and {a.hub_id for a in after.assignments} == {"H1", "H2"}

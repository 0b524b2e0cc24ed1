"""Seeding a scenario into the database and assembling the planning input back out of it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from samples import DAY, at, enterprise, hub, plain_load, solved_plan

from hub_scheduler.domain import Horizon, Position, Scenario, Settings, Transfer
from hub_scheduler.errors import Conflict
from hub_scheduler.scenario_file import read_scenario, reference_errors
from models.scenario_store import keyed, load_scenario, store_scenario

XUNWU = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"


@pytest.fixture(scope="module")
def xunwu() -> Scenario:
    return read_scenario(XUNWU)


def by_id(items):
    return {item.id: item for item in items}


def key(load_id: str, enterprise_id: str = "E1") -> str:
    """A load's key in the store and in a planning input (hub_scheduler/load_keys.py)."""
    return f"{enterprise_id}/{load_id}"


def small_scenario(**changes) -> Scenario:
    fields = dict(
        name="small",
        timezone="Asia/Shanghai",
        horizon=Horizon(start=DAY, end=DAY + timedelta(days=1)),
        settings=Settings(slot_minutes=10, seed=3),
        hubs=[hub("H1"), hub("H2", status="standby")],
        enterprises=[enterprise("E1")],
        loads=[plain_load("L1", 8), plain_load("L2", 9), plain_load("L3", 30)],
        transfers=[Transfer(inbound="L1", outbound="L2", min_gap_minutes=10)],
    )
    fields.update(changes)
    return Scenario(**fields)


def test_the_xunwu_day_goes_in_and_comes_back_as_the_same_scenario(uow, xunwu):
    report = store_scenario(uow, xunwu)
    assert report.added == {
        "hubs": 4,
        "enterprises": len(xunwu.enterprises),
        "loads": len(xunwu.loads),
        "transfers": len(xunwu.transfers),
    }
    back = load_scenario(uow, xunwu.horizon.start, xunwu.horizon.end)
    xunwu = keyed(xunwu)  # the store names loads by key: enterprise_id/id
    assert (back.name, back.timezone, back.settings, back.horizon) == (
        xunwu.name,
        xunwu.timezone,
        xunwu.settings,
        xunwu.horizon,
    )
    assert by_id(back.hubs) == by_id(xunwu.hubs)
    assert by_id(back.enterprises) == by_id(xunwu.enterprises)
    assert by_id(back.loads) == by_id(xunwu.loads)
    assert sorted(back.transfers, key=str) == sorted(xunwu.transfers, key=str)


def test_seeding_the_same_scenario_twice_is_a_no_op(uow):
    store_scenario(uow, small_scenario())
    with uow:
        uow.loads.set_status(key("L1"), "scheduled")  # operational changes are not differences
        uow.hubs.set_status("H2", "active")
        uow.commit()
    again = store_scenario(uow, small_scenario())
    assert again.nothing_new
    assert again.unchanged == {"hubs": 2, "enterprises": 1, "loads": 3, "transfers": 1}


def test_seeding_adds_what_is_new_and_keeps_what_is_stored(uow):
    store_scenario(uow, small_scenario())
    bigger = small_scenario(
        loads=[plain_load("L1", 8), plain_load("L2", 9), plain_load("L3", 30), plain_load("L4", 10)]
    )
    assert store_scenario(uow, bigger).added["loads"] == 1
    with uow:
        assert uow.loads.count() == 4


def test_seeding_different_content_under_stored_ids_is_a_conflict_that_writes_nothing(uow):
    store_scenario(uow, small_scenario())
    clashing = small_scenario(
        hubs=[hub("H1", name="renamed"), hub("H2", status="standby"), hub("H9")],
        loads=[plain_load("L1", 8, handling_minutes=99), plain_load("L2", 9), plain_load("L3", 30)],
    )
    with pytest.raises(Conflict) as caught:
        store_scenario(uow, clashing)
    assert [e.field for e in caught.value.errors] == ["hubs[0]", "loads[0]"]
    assert '"H1" is already stored' in caught.value.errors[0].message
    with uow:
        assert uow.hubs.get("H9") is None  # nothing of the clashing scenario was written


def test_the_planning_input_holds_plannable_loads_released_in_the_horizon_or_waiting(uow):
    store_scenario(
        uow,
        small_scenario(
            loads=[
                plain_load("L1", 8),
                plain_load("L2", 9),
                plain_load("L3", 30),
                plain_load("L4", 10, status="cancelled"),
                plain_load("L5", 11, status="checked_in"),
                plain_load("L6", -1),  # released before, waiting for a slot: carried
                plain_load("L7", -2, status="cancelled"),
                plain_load("L8", -73),  # before the 3-day look-back
            ]
        ),
    )
    # Planned once the day has begun: no earlier day can still place L6 (day_horizon.carried).
    planning = load_scenario(uow, DAY, DAY + timedelta(days=1), now=at(0.5))
    assert [ld.id for ld in planning.loads] == [key("L6"), key("L1"), key("L2"), key("L5")]
    # Planned the evening before: L6's own day still runs, its plan places it, not this one.
    ahead = load_scenario(uow, DAY, DAY + timedelta(days=1), now=at(-0.5))
    assert [ld.id for ld in ahead.loads] == [key("L1"), key("L2"), key("L5")]
    assert planning.transfers == [
        Transfer(inbound=key("L1"), outbound=key("L2"), min_gap_minutes=10)
    ]
    assert {h.id: h.status.value for h in planning.hubs} == {"H1": "active", "H2": "standby"}
    assert planning.settings.slot_minutes == 10  # the seeded settings
    given = Settings(slot_minutes=5)
    assert load_scenario(uow, DAY, DAY + timedelta(days=1), settings=given).settings == given


def test_a_transfer_whose_inbound_is_outside_the_horizon_is_left_out(uow):
    store_scenario(uow, small_scenario())
    with uow:  # the inbound (released 08:00) is placed before the horizon: not carried into it
        plan = uow.plans.add(solved_plan(at(8.5), [(key("L1"), "A1", 7)]))
        uow.plans.publish(plan.id)
        uow.commit()
    planning = load_scenario(uow, at(8.5), at(24))
    assert [ld.id for ld in planning.loads] == [key("L2")]
    assert planning.transfers == []


def test_previous_positions_come_from_the_published_plan_and_trucks_on_site_are_pinned(uow):
    store_scenario(uow, small_scenario())
    with uow:
        placed = [(key("L1"), "A1", 8), (key("L2"), "A2", 9.5)]
        plan = uow.plans.add(solved_plan(DAY + timedelta(days=1), placed))
        uow.plans.publish(plan.id)
        uow.loads.set_status(key("L1"), "checked_in")
        uow.commit()
    planning = by_id(load_scenario(uow, DAY, DAY + timedelta(days=1)).loads)
    assert planning[key("L1")].previous == Position(hub_id="H1", dock_id="A1", start=at(8))
    assert planning[key("L1")].pinned == planning[key("L1")].previous
    assert planning[key("L2")].previous == Position(hub_id="H1", dock_id="A2", start=at(9.5))
    assert planning[key("L2")].pinned is None


def test_a_hub_subset_keeps_loads_placed_elsewhere_where_they_are(uow):
    store_scenario(
        uow,
        small_scenario(
            loads=[
                plain_load("L1", 8),
                plain_load("L2", 9, allowed_hubs=["H1"]),
                plain_load("L3", 10, allowed_hubs=["H1", "H2"]),
                plain_load("L4", 11, pinned={"hub_id": "H1", "dock_id": "A1", "start": at(11)}),
            ],
            transfers=[],
        ),
    )
    planning = load_scenario(uow, DAY, DAY + timedelta(days=1), hub_ids=["H2"])
    assert [h.id for h in planning.hubs] == ["H2"]
    assert {ld.id: ld.allowed_hubs for ld in planning.loads} == {key("L1"): None, key("L3"): ["H2"]}
    assert reference_errors(planning) == []  # the solver gets a consistent scenario


def test_blocked_windows_outside_the_horizon_are_left_out(uow):
    store_scenario(uow, small_scenario())
    planning = load_scenario(uow, at(0), at(13))
    assert [b.id for b in planning.hubs[0].blocked] == ["B1"]  # 12-14 touches; 20-21 does not


def test_positions_at_docks_that_no_longer_exist_are_dropped(uow):
    gone = {"hub_id": "H1", "dock_id": "A3", "start": at(8)}
    store_scenario(
        uow, small_scenario(loads=[plain_load("L1", 8, previous=gone, pinned=gone)], transfers=[])
    )
    with uow:
        hub_without_a3 = uow.hubs.get("H1")
        hub_without_a3.zones[1].docks.pop()  # A3 is torn down
        uow.hubs.update(hub_without_a3)
        uow.commit()
    planning = load_scenario(uow, DAY, DAY + timedelta(days=1))
    assert (planning.loads[0].previous, planning.loads[0].pinned) == (None, None)
    assert reference_errors(planning) == []

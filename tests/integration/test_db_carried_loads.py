"""A load released before a day and still waiting for a slot is carried into that day's plan and
onto that day's gate list (hub_scheduler/day_horizon.py). Before: a load entered with a release
two days ago (201, warning `release_past`) was in no plan (only loads released inside the horizon
were read), neither placed nor named unscheduled, and a truck checked in without a slot stayed on
site invisible: off today's gate list and never placed. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from midnight_case import day_plan, midnight_case

from hub_scheduler.domain import Horizon, Load, LoadStatus
from hub_scheduler.services.arrivals import arrivals
from hub_scheduler.verify import verify
from models.scenario_store import load_scenario, store_scenario

DAY = datetime.fromisoformat("2026-12-01T00:00:00+08:00")
NEXT = DAY + timedelta(days=1)
YESTERDAY = DAY - timedelta(days=1)
NOW = DAY + timedelta(hours=1, minutes=30)
H = timedelta(hours=1)


def _load(base: Load, load_id: str, release: datetime, due: datetime, **more) -> Load:
    data = {**base.model_dump(), "id": load_id, "release": release, "due": due, "deadline": None}
    return Load.model_validate({**data, **more})


def _store(uow, loads: list[Load]) -> None:
    scenario = midnight_case()
    store_scenario(
        uow,
        scenario.model_copy(update={"horizon": Horizon(start=YESTERDAY, end=NEXT), "loads": loads}),
    )


def _seed(uow) -> None:
    base = midnight_case().loads[0]
    # Yesterday's plan places L3 (released yesterday) and is published before the others exist.
    _store(uow, [_load(base, "L3", YESTERDAY + 8 * H, YESTERDAY + 10 * H)])
    day_plan(uow, YESTERDAY, YESTERDAY)
    _store(
        uow,
        [
            # entered today, released two days ago, due today: the user's load
            _load(base, "L1", DAY - 38 * H, DAY + 14 * H),
            # released before the look-back: not carried
            _load(base, "L2", DAY - 6 * 24 * H, DAY - 6 * 24 * H + 2 * H),
            # checked in at 01:30 today without a slot
            _load(
                base,
                "L4",
                DAY - 37 * H,
                DAY + 12 * H,
                status=LoadStatus.CHECKED_IN,
                arrived_at=NOW,
            ),
            # its deadline passed yesterday: carried, and named unscheduled
            _load(
                base,
                "L5",
                DAY - 30 * H,
                DAY - 28 * H,
                deadline=DAY - 12 * H,
                allowed_hubs=["H1"],
            ),
        ],
    )


def test_a_load_released_before_the_day_and_waiting_is_placed_or_named_by_the_days_plan(uow):
    _seed(uow)
    day = day_plan(uow, DAY, NOW)
    placed = {a.load_id: a for a in day.schedule.assignments}
    unscheduled = {u.load_id: u for u in day.schedule.unscheduled}
    assert {"E01/L1", "E01/L4"} <= set(placed), day.schedule.unscheduled
    assert placed["E01/L1"].start >= NOW  # from now, not from its release two days ago
    assert placed["E01/L4"].start >= NOW  # on site: from its arrival
    assert "E01/L5" in unscheduled and unscheduled["E01/L5"].reason_code
    assert "E01/L2" not in placed and "E01/L2" not in unscheduled  # before the look-back
    assert "E01/L3" not in placed and "E01/L3" not in unscheduled  # yesterday's plan holds it
    # Every load the day's input carries is placed or named, and the verifier accepts the plan.
    scenario = load_scenario(uow, DAY, NEXT)
    assert {ld.id for ld in scenario.loads} == {"E01/L1", "E01/L4", "E01/L5"}
    assert verify(scenario, day.schedule).violations == []
    # The published plan holds them: the next day's plan does not carry them again.
    assert {ld.id for ld in load_scenario(uow, NEXT, NEXT + timedelta(days=1)).loads} == {"E01/L5"}


def test_a_split_day_part_reads_the_carried_loads_it_may_serve(uow):
    _seed(uow)
    part = load_scenario(uow, DAY, NEXT, None, ["H1"], anywhere=False)
    assert {ld.id for ld in part.loads} == {"E01/L5"}  # allowed at H1; L1 and L4 go anywhere
    whole = load_scenario(uow, DAY, NEXT, None, ["H1"])
    assert {ld.id for ld in whole.loads} == {"E01/L1", "E01/L4", "E01/L5"}


def test_the_gate_lists_a_carried_load_without_a_slot_today_and_with_its_slot_once_planned(uow):
    _seed(uow)
    before = {row.load.id: row.slot for row in arrivals(uow, DAY.date())}
    assert set(before) == {"E01/L1", "E01/L4", "E01/L5"}
    assert all(slot is None for slot in before.values())
    day_plan(uow, DAY, NOW)
    after = {row.load.id: row.slot for row in arrivals(uow, DAY.date())}
    assert after["E01/L4"] is not None and after["E01/L1"] is not None
    assert after["E01/L5"] is None  # still waiting, still listed
    assert "E01/L3" not in after  # its slot was yesterday

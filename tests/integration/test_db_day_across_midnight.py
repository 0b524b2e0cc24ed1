"""A truck arriving at 23:30 at a hub open across midnight is placed by that day's plan (the
plan reaches past midnight as far as its deadline allows), the verifier accepts the plan, and the
next day's plan leaves its dock to it until it is done and disinfected. (Before: left out of the
day's plan with WINDOW_TOO_SHORT, "do not fit between its release and its horizon end": the day
plan's horizon ended at midnight and a span had to end inside it.) On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from midnight_case import day_plan, midnight_case

from hub_scheduler.domain import Horizon, Load
from hub_scheduler.verify import verify
from models.scenario_store import load_scenario, store_scenario

DAY = datetime.fromisoformat("2026-11-28T00:00:00+08:00")
NEXT = DAY + timedelta(days=1)


def _seed(uow) -> None:
    scenario = midnight_case()
    late = scenario.loads[0]  # L1: release 23:30, 60 min, due 00:30, deadline 00:50
    early = Load.model_validate(
        {
            **late.model_dump(),
            "id": "L2",
            "release": NEXT,
            "due": NEXT + timedelta(hours=1),
            "deadline": None,
        }
    )
    store_scenario(
        uow,
        scenario.model_copy(
            update={"horizon": Horizon(start=DAY, end=NEXT), "loads": [late, early]}
        ),
    )


def test_a_truck_at_23_30_is_placed_by_that_days_plan_and_the_next_day_waits_for_it(uow):
    _seed(uow)
    day = day_plan(uow, DAY)
    placed = {a.load_id: a for a in day.schedule.assignments}
    assert "E01/L1" in placed, day.schedule.unscheduled
    late = placed["E01/L1"]
    assert late.start == DAY + timedelta(hours=23, minutes=30)
    assert late.end <= datetime.fromisoformat("2026-11-29T00:50:00+08:00")  # its deadline
    assert "E01/L2" not in placed  # the next day's truck is the next day's plan's
    # The verifier accepts the day's plan against what the database holds now.
    assert verify(load_scenario(uow, DAY, NEXT), day.schedule).violations == []

    following = day_plan(uow, NEXT)
    second = {a.load_id: a for a in following.schedule.assignments}["E01/L2"]
    assert second.start >= late.disinfected_at  # one truck per dock, disinfected between
    assert (
        verify(load_scenario(uow, NEXT, NEXT + timedelta(days=1)), following.schedule).violations
        == []
    )

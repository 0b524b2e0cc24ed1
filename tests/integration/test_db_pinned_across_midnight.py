"""A truck on site pinned near midnight keeps its pin in the day's re-plan, its due long past (the
new-user trial of 2026-12-03: a re-plan left such a checked-in truck out, `pinned_slot`, and the
publish took its dock away). The day's planning horizon reaches as far as a truck on site is
pinned (`day_horizon.reach_on_site`): before, it reached only as far as the loads' dues, so the
pinned span crossed its end. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from midnight_case import day_plan, midnight_case

from hub_scheduler.domain import Horizon, Load, LoadStatus, Position
from models.scenario_store import load_scenario, store_scenario

DAY = datetime.fromisoformat("2026-12-01T00:00:00+08:00")
NEXT = DAY + timedelta(days=1)
PIN = DAY + timedelta(hours=23, minutes=45)  # 60 min of handling and 10 of disinfection: 00:55


def test_a_truck_checked_in_and_pinned_across_midnight_keeps_its_pin_in_the_days_plan(uow):
    base = midnight_case()
    late = Load.model_validate(
        {
            **base.loads[0].model_dump(),
            "id": "L7",
            "release": DAY + timedelta(hours=8),
            "due": DAY + timedelta(hours=9),
            "deadline": None,
            "status": LoadStatus.CHECKED_IN,
            "arrived_at": DAY + timedelta(hours=23, minutes=30),
            "pinned": Position(hub_id="H1", dock_id="D1", start=PIN),
        }
    )
    store_scenario(
        uow, base.model_copy(update={"horizon": Horizon(start=DAY, end=NEXT), "loads": [late]})
    )
    now = DAY + timedelta(hours=23, minutes=45)
    scenario = load_scenario(uow, DAY, NEXT, now=now)
    assert scenario.horizon.end >= PIN + timedelta(minutes=70)
    plan = day_plan(uow, DAY, now)
    assert plan.schedule is not None
    placed = {a.load_id: a for a in plan.schedule.assignments}
    assert "E01/L7" in placed, plan.schedule.unscheduled
    assert (placed["E01/L7"].dock_id, placed["E01/L7"].start) == ("D1", PIN)

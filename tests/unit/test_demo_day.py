"""The demo day moved to today keeps its shape: same loads, same local times, same durations."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hub_scheduler.demo_day import plan_from, shift_to_day
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.solver import solve
from hub_scheduler.verify import verify

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "xunwu.json"


def _xunwu():
    return parse_scenario(json.loads(FIXTURE.read_text(encoding="utf-8")))


def test_the_demo_day_moves_to_another_day_with_its_local_times_unchanged():
    base = _xunwu()
    moved = shift_to_day(base, date(2027, 3, 1))
    tz = ZoneInfo(base.timezone)
    assert moved.horizon.start.astimezone(tz).isoformat() == "2027-03-01T00:00:00+08:00"
    assert moved.name == "xunwu-2027-03-01"
    for old, new in zip(base.loads, moved.loads, strict=True):
        assert new.release.astimezone(tz).time() == old.release.astimezone(tz).time()
        assert new.due - new.release == old.due - old.release
        assert new.release.astimezone(tz).date() == date(2027, 3, 1)
    whitelisted = [e for e in moved.enterprises if e.valid_from is not None]
    assert whitelisted and all(e.valid_from.year == 2027 for e in whitelisted)
    blocked = [b for h in moved.hubs for b in h.blocked]
    assert all(b.start.astimezone(tz).date() >= date(2027, 3, 1) for b in blocked)


def test_the_moved_day_plans_as_well_as_the_original():
    base, moved = _xunwu(), shift_to_day(_xunwu(), date(2027, 3, 1))
    # Bounded by work, not by the clock: the same search on both days, whatever the machine's load
    # (a 0.5 s clock limit placed fewer loads on one of them under load).
    a = solve(base, time_limit_s=60, workers=1, seed=0, work_budget=8000)
    b = solve(moved, time_limit_s=60, workers=1, seed=0, work_budget=8000)
    assert not a.kpis.get("search_cut_by_clock") and not b.kpis.get("search_cut_by_clock")
    assert verify(moved, b).violations == []
    assert len(b.assignments) == len(a.assignments)


def test_moving_to_the_same_day_changes_nothing():
    base = _xunwu()
    assert shift_to_day(base, date(2026, 11, 28)) == base


def test_the_demo_day_moved_into_the_sites_zone_keeps_its_wall_clock_times_there():
    """HUB_SCHEDULER_TIMEZONE=Pacific/Pago_Pago (-11:00): the horizon is midnight to midnight
    there, every load at its Xunwu wall-clock time, and a verified plan places loads."""
    base, shanghai, pago = _xunwu(), ZoneInfo("Asia/Shanghai"), ZoneInfo("Pacific/Pago_Pago")
    moved = shift_to_day(base, date(2026, 11, 30), zone="Pacific/Pago_Pago")
    assert moved.timezone == "Pacific/Pago_Pago"
    assert moved.horizon.start.isoformat() == "2026-11-30T00:00:00-11:00"
    assert moved.horizon.end.isoformat() == "2026-12-01T00:00:00-11:00"
    for old, new in zip(base.loads, moved.loads, strict=True):
        assert new.release.astimezone(pago).time() == old.release.astimezone(shanghai).time()
        assert new.release.astimezone(pago).date() == date(2026, 11, 30)
        assert new.due - new.release == old.due - old.release
    b = solve(moved, time_limit_s=0.5, workers=1, seed=0)
    assert verify(moved, b).violations == [] and b.assignments


def test_the_demo_plans_from_now_rounded_up_to_the_slot_grid_within_its_day():
    """15:07 plans from 15:15 (the 15-minute grid from midnight); a grid minute stays as it is;
    never before the day's start nor after its end."""
    day = shift_to_day(_xunwu(), date(2027, 3, 1))
    tz = ZoneInfo(day.timezone)

    def at(hour: int, minute: int, second: int = 0) -> datetime:
        return datetime(2027, 3, 1, hour, minute, second, tzinfo=tz)

    assert plan_from(day, at(15, 7)) == at(15, 15)
    assert plan_from(day, at(15, 15)) == at(15, 15)
    assert plan_from(day, at(15, 15, 1)) == at(15, 30)
    assert plan_from(day, at(0, 0)) == day.horizon.start
    assert plan_from(day, at(23, 50)) == day.horizon.end
    assert plan_from(day, day.horizon.start - timedelta(hours=2)) == day.horizon.start
    # The same moment written in UTC is rounded the same.
    assert plan_from(day, at(15, 7).astimezone(ZoneInfo("UTC"))) == at(15, 15)

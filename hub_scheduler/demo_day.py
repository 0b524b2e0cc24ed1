"""The demo day moved to another date: `serve --demo` shows a live day (today in the site's zone)
rather than 2026-11-28, whose every slot would already be in the past."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hub_scheduler.dock_turns import on_grid
from hub_scheduler.domain import Scenario


def shift_to_day(scenario: Scenario, day: date, zone: str | None = None) -> Scenario:
    """The scenario with every moment moved by whole days so that its horizon starts on `day`
    (local midnight of the scenario's zone, the wall-clock times unchanged), every plain date
    (white-list validity) moved alike, and its name's date, if any, replaced. With another
    `zone` (the site's), the wall-clock times are kept in that zone instead: the horizon runs from
    midnight to midnight there and the scenario's zone becomes `zone`."""
    source = ZoneInfo(scenario.timezone)
    target = ZoneInfo(zone) if zone else source
    first = scenario.horizon.start.astimezone(source).date()
    days = (day - first).days
    if days == 0 and target.key == source.key:
        return scenario
    zones = None if target.key == source.key else (source, target)
    data = _moved(scenario.model_dump(mode="python"), timedelta(days=days), zones)
    data["name"] = scenario.name.replace(first.isoformat(), day.isoformat())
    data["timezone"] = target.key
    return Scenario.model_validate(data)


def plan_from(scenario: Scenario, now: datetime) -> datetime:
    """The moment the demo day is planned from: `now` rounded up to the slot grid (H9: multiples
    of the scenario's `slot_minutes` from the horizon start), within the horizon. A demo started
    at 15:07 plans from 15:15, so its published plan never shows a slot already past as one to
    come (before, it planned from the day's first minute, whatever the hour). Rounded up, never
    down: a start at 15:00 would be 7 minutes in the past. A hub with a grid of its own rounds
    its first start up itself (nothing starts before the plan's now)."""
    start, end = scenario.horizon.start, scenario.horizon.end
    step = timedelta(minutes=scenario.settings.slot_minutes)
    return min(max(on_grid(now, start, step), start), end)


def _moved(value: Any, delta: timedelta, zones: tuple[ZoneInfo, ZoneInfo] | None) -> Any:
    # datetime is a date: test it first. In the same zone offsets stay as they are (fixed, +08:00
    # for Xunwu); into another zone the wall-clock time in the source zone is kept in the target.
    if isinstance(value, datetime):
        if zones is None:
            return value + delta
        source, target = zones
        local = value.astimezone(source).replace(tzinfo=None) + delta
        return local.replace(tzinfo=target)
    if isinstance(value, date):
        return value + delta
    if isinstance(value, dict):
        return {k: _moved(v, delta, zones) for k, v in value.items()}
    if isinstance(value, list):
        return [_moved(v, delta, zones) for v in value]
    return value

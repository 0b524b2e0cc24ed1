"""The demo day moved to another date: `serve --demo` shows a live day (today in the site's zone)
rather than 2026-11-28, whose every slot would already be in the past."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hub_scheduler.domain import Scenario


def shift_to_day(scenario: Scenario, day: date) -> Scenario:
    """The scenario with every moment moved by whole days so that its horizon starts on `day`
    (local midnight of the scenario's zone, the wall-clock times unchanged), every plain date
    (white-list validity) moved alike, and its name's date, if any, replaced."""
    tz = ZoneInfo(scenario.timezone)
    first = scenario.horizon.start.astimezone(tz).date()
    days = (day - first).days
    if days == 0:
        return scenario
    data = _moved(scenario.model_dump(mode="python"), timedelta(days=days))
    data["name"] = scenario.name.replace(first.isoformat(), day.isoformat())
    return Scenario.model_validate(data)


def _moved(value: Any, delta: timedelta) -> Any:
    # datetime is a date: test it first. Offsets stay as they are (fixed, +08:00 for Xunwu).
    if isinstance(value, datetime):
        return value + delta
    if isinstance(value, date):
        return value + delta
    if isinstance(value, dict):
        return {k: _moved(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [_moved(v, delta) for v in value]
    return value

"""Per-load and per-hub facts the rules are stated in (docs/rules.md "Per-load facts"), once.

The solver (`solver/instance.py`), the independent verifier (`verify/`) and the benchmark
baselines all read these definitions; they share no other code. Each function is plain
arithmetic on the domain objects: minutes are integers, instants are aware datetimes.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hub_scheduler.domain import (
    Assignment,
    Hub,
    Load,
    LoadStatus,
    Position,
    Scenario,
    Zone,
    hhmm_minutes,
)
from hub_scheduler.transitions import ON_SITE

DAY_MINUTES = 1440


def disinfection_minutes(load: Load, zone: Zone, hub: Hub) -> int:
    """H3 `d`: the load's own disinfection minutes, else the zone's, else the hub's."""
    if load.disinfection_minutes is not None:
        return load.disinfection_minutes
    if zone.disinfection_minutes is not None:
        return zone.disinfection_minutes
    return hub.disinfection_minutes


def slot_minutes(hub: Hub, scenario: Scenario) -> int:
    """H9 grid step in minutes: the hub's slot, else the scenario's (from the horizon start)."""
    return hub.slot_minutes if hub.slot_minutes is not None else scenario.settings.slot_minutes


def assignment(
    load_id: str,
    where: tuple[str, str, str],
    start: datetime,
    handling: int,
    disinfection: int,
) -> Assignment:
    """A schedule@1 assignment at (hub id, zone id, dock id) from `start`: end = start + handling,
    disinfected_at = end + disinfection (minutes)."""
    end = start + timedelta(minutes=handling)
    hub_id, zone_id, dock_id = where
    return Assignment(
        load_id=load_id,
        hub_id=hub_id,
        zone_id=zone_id,
        dock_id=dock_id,
        start=start,
        end=end,
        disinfected_at=end + timedelta(minutes=disinfection),
    )


def merged(intervals):
    """Half-open intervals (numbers or instants) sorted, empty ones dropped, and those that touch
    or overlap joined into one: [(0, 5), (5, 9), (12, 12)] -> [(0, 9)]."""
    out: list[tuple[Any, Any]] = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def relay_offset(inbound_handling: int, inbound_disinfection: int, min_gap: int) -> int:
    """H7 minutes from the inbound's start to the outbound's earliest start: the inbound's handling,
    its disinfection and the transfer's `min_gap_minutes`."""
    return inbound_handling + inbound_disinfection + min_gap


def opening_periods(
    hub: Hub, tz: ZoneInfo, first_day: date, last_day: date
) -> list[tuple[datetime, datetime]] | None:
    """H5 the hub's opening periods that begin on local days `first_day`..`last_day`, as UTC
    intervals [start, end), sorted, with periods that touch or overlap merged into one (so
    `00:00-24:00` every day is one period, and `08:00-12:00` + `12:00-18:00` is `08:00-18:00`).
    None when the hub is always open (`opening_hours` null).

    A period whose end <= start crosses midnight (`22:00-06:00`; `00:00-00:00` is a whole day);
    `24:00` as an end is midnight. Local midnight + minutes, then to an instant (the rule text's
    arithmetic, in the scenario's time zone)."""
    if hub.opening_hours is None:
        return None
    occurrences = []
    day = first_day
    while day <= last_day:
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
        for period in hub.opening_hours:
            a, b = hhmm_minutes(period.start), hhmm_minutes(period.end)
            if b <= a:
                b += DAY_MINUTES
            occurrences.append(
                (
                    (midnight + timedelta(minutes=a)).astimezone(UTC),
                    (midnight + timedelta(minutes=b)).astimezone(UTC),
                )
            )
        day += timedelta(days=1)
    return merged(occurrences)


def opening_minutes(hub: Hub, scenario: Scenario) -> list[tuple[int, int]] | None:
    """H5 `opening_periods` over the horizon, in whole minutes from the horizon start, clipped to
    `[0, horizon minutes]` (an open minute must be open throughout); None = always open."""
    tz = ZoneInfo(scenario.timezone)
    h0 = scenario.horizon.start
    horizon = math.floor((scenario.horizon.end - h0).total_seconds() / 60)
    periods = opening_periods(
        hub,
        tz,
        h0.astimezone(tz).date() - timedelta(days=1),
        scenario.horizon.end.astimezone(tz).date(),
    )
    if periods is None:
        return None
    out = []
    for sa, sb in periods:
        a = max(0, math.ceil((sa - h0).total_seconds() / 60))
        b = min(horizon, math.floor((sb - h0).total_seconds() / 60))
        if b > a:
            out.append((a, b))
    return out


def unscheduled_penalty(scenario: Scenario) -> float:
    """S1's U: the setting, or 10 x the horizon in minutes."""
    explicit = scenario.settings.objective.unscheduled_penalty
    return explicit if explicit is not None else 10.0 * scenario.horizon.minutes


def pinned_position(load: Load, scenario: Scenario) -> Position | None:
    """H10 where the load must stay: its pin, else its previous place when frozen or on site."""
    if load.pinned is not None:
        return load.pinned
    if load.previous is None:
        return None
    if load.status in ON_SITE:
        return load.previous
    now = scenario.settings.now
    if now is not None and load.previous.start < now + timedelta(
        minutes=scenario.settings.freeze_minutes
    ):
        return load.previous
    return None


def started_at_gate(load: Load) -> bool:
    """Whether the gate started the load (in operation, `started_at` recorded): its row is its
    real run, which no plan can change (H10 wins over the rules of its own times: docs/rules.md
    "Reality wins")."""
    return load.status is LoadStatus.IN_OPERATION and load.started_at is not None

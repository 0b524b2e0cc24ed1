"""What the repair (`solver/repair.py`) checks before it asks the verifier: cheap tests that a
candidate slot surely breaks a hard rule (H2, H3, H5, H7), so that the verifier, which stays the
judge of every candidate it is asked about, is asked about fewer. Each mirrors its rule's one
definition (`facts.py`, `domain.py`) and may only ever be looser than the verifier, never
stricter: tests/unit/test_repair_prefilters.py compares the repair with brute force on the whole
plan and puts every prefilter at its edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub_scheduler.domain import Assignment, BlockedWindow, Hub, Load, Scenario
from hub_scheduler.facts import disinfection_minutes, opening_periods, relay_offset


@dataclass(frozen=True)
class RelayLimits:
    """What the load's placed relay partners (H7) leave it, read from `others`: the one (hub,
    zone) it may use (None: any; `nowhere`: partners in two places), the earliest start an
    inbound partner allows, and the latest start an outbound partner allows (from the zone's
    disinfection, so per zone). Candidates outside these fail H7 for sure and are skipped
    before the verifier is asked; the verifier stays the judge of every candidate it sees."""

    place: tuple[str, str] | None = None
    nowhere: bool = False
    not_before: datetime | None = None
    not_after: datetime | None = None


def relay_limits(scenario: Scenario, load: Load, others: list[Assignment]) -> RelayLimits:
    """H7 limits of `load` from its partners placed in `others` (see `RelayLimits`)."""
    placed = {a.load_id: a for a in others}
    loads = {ld.id: ld for ld in scenario.loads}
    places: set[tuple[str, str]] = set()
    not_before: datetime | None = None
    not_after: datetime | None = None
    for t in scenario.transfers:
        if t.outbound == load.id and t.inbound in placed and t.inbound in loads:
            inbound = placed[t.inbound]
            places.add((inbound.hub_id, inbound.zone_id))
            in_hub = scenario.hub(inbound.hub_id)
            in_zone = in_hub.zone(inbound.zone_id) if in_hub else None
            if in_hub is None or in_zone is None:
                continue
            minutes = relay_offset(
                loads[t.inbound].handling_minutes,
                disinfection_minutes(loads[t.inbound], in_zone, in_hub),
                t.min_gap_minutes,
            )
            earliest = inbound.start + timedelta(minutes=minutes)
            not_before = earliest if not_before is None else max(not_before, earliest)
        if t.inbound == load.id and t.outbound in placed:
            out = placed[t.outbound]
            places.add((out.hub_id, out.zone_id))
            hub = scenario.hub(out.hub_id)
            zone = hub.zone(out.zone_id) if hub else None
            if hub is None or zone is None:
                continue
            minutes = relay_offset(
                load.handling_minutes, disinfection_minutes(load, zone, hub), t.min_gap_minutes
            )
            latest = out.start - timedelta(minutes=minutes)
            not_after = latest if not_after is None else min(not_after, latest)
    if len(places) > 1:
        return RelayLimits(nowhere=True)
    return RelayLimits(next(iter(places), None), False, not_before, not_after)


def blocks(window: BlockedWindow, zone_id: str, dock_id: str) -> bool:
    """H5 the blocked window applies to the dock (a hub-wide, its zone's or its own window)."""
    if window.dock_id is not None:
        return window.dock_id == dock_id
    return window.zone_id is None or window.zone_id == zone_id


def inside_opening(periods: list[tuple[datetime, datetime]] | None, a: Assignment) -> bool:
    """H5 the candidate's span (start to disinfected) lies inside one opening period (None:
    always open); the verifier's own check (`spans_inside_one_opening_period`) reads the same
    `facts.opening_periods`."""
    return periods is None or any(o <= a.start and a.disinfected_at <= c for o, c in periods)


def opening_spans(scenario: Scenario, hub: Hub) -> list[tuple[datetime, datetime]] | None:
    """H5 the hub's opening periods from the day before the horizon to the day after it."""
    tz = ZoneInfo(scenario.timezone)
    return opening_periods(
        hub,
        tz,
        scenario.horizon.start.astimezone(tz).date() - timedelta(days=1),
        scenario.horizon.end.astimezone(tz).date() + timedelta(days=1),
    )

"""A generated day's hubs: parks and service areas, zones sized to their share of the loads,
opening hours, blocked windows, standby hubs; in a province, grouped by county."""

from __future__ import annotations

import math
import random

from bench.day_shape import COLD_SHARE, Size, moment
from hub_scheduler.domain import (
    BlockedWindow,
    Dock,
    Hub,
    HubKind,
    HubStatus,
    Location,
    OpeningPeriod,
    Temperature,
    Zone,
    hhmm_minutes,
)

# Opening hours: always open, a day shift, or a day shift and a night shift crossing midnight.
OPENING_PATTERNS: list[list[tuple[str, str]] | None] = [
    None,
    [("06:00", "22:00")],
    [("07:00", "19:00"), ("20:00", "04:00")],
]
CENTRE = Location(lat=25.85, lon=114.93)  # Ganzhou, Jiangxi


def _offset(lat_km: float, lon_km: float) -> Location:
    lat = CENTRE.lat + lat_km / 111.0
    lon = CENTRE.lon + lon_km / (111.0 * math.cos(math.radians(CENTRE.lat)))
    return Location(lat=round(lat, 5), lon=round(lon, 5))


def _open_minutes(pattern: list[tuple[str, str]] | None) -> int:
    if pattern is None:
        return 1440
    return sum((hhmm_minutes(e) - hhmm_minutes(s)) % 1440 or 1440 for s, e in pattern)


def build_hubs(rng: random.Random, size: Size, n_loads: int) -> list[Hub]:
    n = size.hubs
    standby = min(max(1, round(n * 0.15)), n - 1)  # hub 1 is always active
    # Hub 1 is always active, always open and has a cold zone, so every load has somewhere to go.
    statuses = [HubStatus.STANDBY] * standby + [HubStatus.ACTIVE] * (n - standby - 1)
    rng.shuffle(statuses)
    statuses.insert(0, HubStatus.ACTIVE)
    per_county = max(1, n // size.counties) if size.counties else 0
    county_centres: list[tuple[float, float]] = []
    if size.counties:
        # the first hub of each county is active (the county's main park, always open, cold)
        for c in range(size.counties):
            statuses[c * per_county] = HubStatus.ACTIVE
        county_centres = [
            (rng.uniform(-1, 1) * size.radius_km, rng.uniform(-1, 1) * size.radius_km)
            for _ in range(size.counties)
        ]
    shares = [rng.uniform(0.6, 1.4) for _ in range(n)]
    active_share = sum(s for s, st in zip(shares, statuses, strict=True) if st is HubStatus.ACTIVE)
    hubs = []
    for i in range(n):
        hub_id = f"H{i + 1:02d}"
        kind = HubKind.SERVICE_AREA if i % 3 == 2 else HubKind.LOGISTICS_PARK
        main = i == 0 or (per_county and i % per_county == 0)
        pattern = OPENING_PATTERNS[0] if main else rng.choice(OPENING_PATTERNS)
        loads_here = n_loads * shares[i] / active_share
        # A load holds a dock ~45 min handling + ~20 min disinfection; aim at ~80% of the busy day.
        busy_minutes = min(_open_minutes(pattern), 17 * 60)
        docks_needed = loads_here * 68 / (0.8 * busy_minutes)
        cold_docks = (
            max(1, round(docks_needed * COLD_SHARE)) if (main or rng.random() < 0.75) else 0
        )
        ambient_docks = max(2, round(docks_needed * (1 - COLD_SHARE)) + (0 if cold_docks else 1))
        zones = [
            Zone(
                id=f"{hub_id}-A",
                temperature=Temperature.AMBIENT,
                crews=max(1, ambient_docks - rng.choice((0, 1, 1, 2)))
                if rng.random() < 0.8
                else None,
                docks=[Dock(id=f"{hub_id}-A{k + 1:02d}") for k in range(ambient_docks)],
            )
        ]
        if cold_docks:
            zones.insert(
                0,
                Zone(
                    id=f"{hub_id}-C",
                    temperature=Temperature.COLD,
                    crews=max(1, cold_docks - rng.choice((0, 0, 1))),
                    disinfection_minutes=30,
                    docks=[Dock(id=f"{hub_id}-C{k + 1:02d}") for k in range(cold_docks)],
                ),
            )
        all_docks = cold_docks + ambient_docks
        hub = Hub(
            id=hub_id,
            name=f"{'Service area' if kind is HubKind.SERVICE_AREA else 'Logistics park'} {i + 1}",
            kind=kind,
            status=statuses[i],
            location=_hub_location(rng, size, county_centres, i // per_county if per_county else 0),
            opening_hours=None
            if pattern is None
            else [OpeningPeriod(start=s, end=e) for s, e in pattern],
            disinfection_minutes=rng.choice((10, 15, 15, 20)),
            max_trucks_on_site=max(2, round(all_docks * 0.8)) if rng.random() < 0.5 else None,
            slot_minutes=10 if rng.random() < 0.1 else None,
            zones=zones,
        )
        hub.blocked = _blocked_windows(rng, hub)
        hubs.append(hub)
    return hubs


def _hub_location(
    rng: random.Random, size: Size, centres: list[tuple[float, float]], county: int
) -> Location:
    """Anywhere in the region; in a province of counties, near the county's centre."""
    if not centres:
        return _offset(rng.uniform(-1, 1) * size.radius_km, rng.uniform(-1, 1) * size.radius_km)
    lat_km, lon_km = centres[min(county, len(centres) - 1)]
    r = size.county_radius_km
    return _offset(lat_km + rng.uniform(-1, 1) * r, lon_km + rng.uniform(-1, 1) * r)


def _blocked_windows(rng: random.Random, hub: Hub) -> list[BlockedWindow]:
    """A dock repair or two, sometimes a zone deep-clean, rarely a whole-hub stop."""
    windows = []
    docks = [(z.id, d.id) for z in hub.zones for d in z.docks]
    for k in range(rng.choice((0, 1, 1, 2))):
        zone_id, dock_id = rng.choice(docks)
        start = rng.randrange(6 * 60, 20 * 60, 30)
        windows.append(
            BlockedWindow(
                id=f"{hub.id}-B{k + 1}",
                start=moment(start),
                end=moment(start + rng.choice((60, 120, 180))),
                zone_id=zone_id,
                dock_id=dock_id,
                reason="dock repair",
            )
        )
    if rng.random() < 0.3:
        zone = rng.choice(hub.zones)
        start = rng.randrange(10 * 60, 16 * 60, 30)
        windows.append(
            BlockedWindow(
                id=f"{hub.id}-Z",
                start=moment(start),
                end=moment(start + 60),
                zone_id=zone.id,
                reason="deep disinfection of the zone",
            )
        )
    if rng.random() < 0.1:
        start = rng.choice((12 * 60, 18 * 60))
        windows.append(
            BlockedWindow(
                id=f"{hub.id}-S",
                start=moment(start),
                end=moment(start + 30),
                reason="shift change",
            )
        )
    return windows

"""S5 travel: road minutes from a load's origin to a hub, estimated from great-circle distance."""

from __future__ import annotations

import math

from hub_scheduler.domain import Location

ROAD_FACTOR = 1.3  # roads are longer than the great circle in hilly Gannan
SPEED_KMH = 60.0


def distance_km(a: Location, b: Location) -> float:
    """Haversine distance on a 6371 km sphere."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def travel_minutes(origin: Location | None, hub_location: Location | None) -> int:
    """Whole road minutes from origin to hub; 0 when either place is unknown."""
    if origin is None or hub_location is None:
        return 0
    return round(distance_km(origin, hub_location) * ROAD_FACTOR / SPEED_KMH * 60)

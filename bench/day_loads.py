"""A generated day's enterprises and loads: arrival peaks, the cargo mix, screening, deadlines and
the hubs a truck may use."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bench.day_shape import CATEGORY_MIX, DAY, Size, county_of, moment
from hub_scheduler.domain import (
    CargoCategory,
    Enterprise,
    HealthCode,
    Hub,
    HubStatus,
    Load,
    LoadStatus,
    Location,
    Screening,
    Temperature,
    TestResult,
    TestType,
)


def make_enterprises(rng: random.Random, n: int) -> list[Enterprise]:
    out = []
    for i in range(n):
        e = Enterprise(
            id=f"E{i + 1:04d}",
            name=f"Enterprise {i + 1}",
            tier=rng.choices((1, 2, 3), (2, 3, 5))[0],
        )
        roll = rng.random()
        if roll < 0.02:
            e.whitelisted = False
        elif roll < 0.04:
            e.valid_until = DAY - timedelta(days=rng.randint(1, 5))  # white-list entry expired
        out.append(e)
    return out


def arrival(rng: random.Random) -> float:
    """Minutes after local midnight: morning and afternoon peaks, a day flow and a night flow."""
    roll = rng.random()
    if roll < 0.35:
        t = rng.gauss(8.5 * 60, 60)
    elif roll < 0.65:
        t = rng.gauss(14.5 * 60, 75)
    elif roll < 0.9:
        t = rng.uniform(5 * 60, 22 * 60)
    else:
        t = rng.uniform(22 * 60, 27 * 60)
    return min(max(t, 30), 27 * 60)


def _screening(rng: random.Random, release: datetime) -> tuple[bool, Screening | None]:
    """A pass (60%), else a test, health code and temperature; about 3% fail a check."""
    if rng.random() < 0.6:
        return True, None
    roll = rng.random()
    age_h = rng.uniform(2, 40)
    screening = Screening(
        test_type=TestType.PCR,
        test_result=TestResult.NEGATIVE,
        test_time=release - timedelta(hours=age_h),
        health_code=HealthCode.GREEN,
        body_temperature_c=round(rng.uniform(36.0, 37.1), 1),
    )
    if roll < 0.02:
        screening.test_time = release - timedelta(hours=rng.uniform(50, 80))  # test too old
    elif roll < 0.035:
        screening.health_code = HealthCode.YELLOW
    elif roll < 0.045:
        screening.body_temperature_c = round(rng.uniform(37.5, 38.6), 1)
    return False, screening


def pick_category(rng: random.Random) -> tuple[CargoCategory, Temperature]:
    category, _, cold = rng.choices(CATEGORY_MIX, [m[1] for m in CATEGORY_MIX])[0]
    return category, Temperature.COLD if rng.random() < cold else Temperature.AMBIENT


def _nearest(hubs: list[Hub], where: Location, k: int) -> list[str]:
    def dist(h: Hub) -> float:
        return (h.location.lat - where.lat) ** 2 + (h.location.lon - where.lon) ** 2

    return [h.id for h in sorted(hubs, key=dist)[:k]]


def _has_zone(hub: Hub, temperature: Temperature) -> bool:
    return any(z.temperature is temperature for z in hub.zones)


def make_load(
    rng: random.Random,
    load_id: str,
    enterprise: Enterprise,
    hubs: list[Hub],
    size: Size,
    release_min: float,
    category: CargoCategory,
    temperature: Temperature,
) -> Load:
    """A load whose origin is near an active hub; it may go to the hubs nearest its origin."""
    active = [h for h in hubs if h.status is HubStatus.ACTIVE]
    handling = rng.choice((20, 25, 30, 30, 40, 45, 45, 60, 60, 75, 90))
    if category is CargoCategory.RAW_MATERIALS:
        handling = rng.choice((45, 60, 75, 90))
    release = moment(release_min)
    slack = (
        rng.choice((30, 45, 60, 90, 120, 180, 240))
        if temperature is Temperature.AMBIENT
        else rng.choice((30, 45, 60, 90, 120))
    )
    home = rng.choice(active)
    origin = Location(
        lat=round(home.location.lat + rng.uniform(-0.15, 0.15), 5),
        lon=round(home.location.lon + rng.uniform(-0.15, 0.15), 5),
    )
    has_pass, screening = _screening(rng, release)
    load = Load(
        id=load_id,
        enterprise_id=enterprise.id,
        category=category,
        temperature=temperature,
        handling_minutes=handling,
        release=release,
        due=release + timedelta(minutes=handling + slack),
        origin=origin,
        has_pass=has_pass,
        screening=screening,
        vehicle_plate=f"赣B{rng.randrange(10000, 99999)}",
    )
    roll = rng.random()
    if roll < 0.15:  # a hard deadline a few hours on
        load.deadline = load.due + timedelta(minutes=rng.choice((60, 120, 240, 360)))
    elif roll < 0.16:  # a deadline nobody can meet: WINDOW_TOO_SHORT
        load.deadline = release + timedelta(minutes=handling // 2)
    # Trucks go to the few hubs nearest their origin (standby ones included, for an activation);
    # in a county most may go anywhere.
    if size.counties:
        # a county's trucks go to its own hubs (2 nearest of its 3 with the zone): no load, and
        # so no relay, crosses a county line (the county's main hub always has a cold zone)
        county = county_of(size, home.id)
        candidates = [
            h for h in hubs if county_of(size, h.id) == county and _has_zone(h, temperature)
        ]
        load.allowed_hubs = sorted(_nearest(candidates, origin, 2))
    elif size.hubs > 4 or rng.random() < 0.3:
        candidates = [h for h in hubs if _has_zone(h, temperature)]
        load.allowed_hubs = sorted(_nearest(candidates, origin, 2 if size.hubs <= 4 else 4))
    if rng.random() < 0.01:
        load.status = LoadStatus.CANCELLED
    return load

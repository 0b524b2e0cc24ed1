"""A seeded generator of realistic hub days for the benchmarks (not the Xunwu fixture).

    python -m bench.generate county --seed 1 --out /tmp/county.json

A day has arrival peaks in the morning and afternoon and a thin night flow; hubs are logistics parks
and service areas with cold and ambient zones, crews, disinfection, opening hours (some with a night
period crossing midnight), blocked windows and a site capacity; a few hubs are on standby. Loads
come from white-listed enterprises (a few are not, or fail screening), some are relay pairs, a few
are pinned or already checked in, some have hard deadlines. Docks are sized so that most loads fit.
"""

from __future__ import annotations

import argparse
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from hub_scheduler.domain import (
    BlockedWindow,
    CargoCategory,
    Dock,
    Enterprise,
    HealthCode,
    Horizon,
    Hub,
    HubKind,
    HubStatus,
    Load,
    LoadStatus,
    Location,
    OpeningPeriod,
    Position,
    Scenario,
    Schedule,
    Screening,
    ScreeningPolicy,
    Settings,
    Temperature,
    TestResult,
    TestType,
    Transfer,
    Zone,
    hhmm_minutes,
)
from hub_scheduler.facts import disinfection_minutes, opening_minutes
from hub_scheduler.scenario_file import write_scenario

CST = timezone(timedelta(hours=8))  # Asia/Shanghai has no DST: a fixed offset is exact
DAY = date(2026, 12, 1)
DAY_START = datetime(DAY.year, DAY.month, DAY.day, tzinfo=CST)
HORIZON_MINUTES = 36 * 60  # the day and the following night and morning, for the late ones
SLOT = 15


@dataclass(frozen=True)
class Size:
    loads: int
    hubs: int
    radius_km: float  # how far the hubs are spread
    # A province is counties, each running its own hubs: a county's loads (and relays) use only
    # that county's hubs, so the day falls into independent parts (docs/queue.md "Scale-out").
    counties: int = 0
    county_radius_km: float = 20.0
    seed_name: str | None = None  # the random stream's name (default: the size's name)


SIZES: dict[str, Size] = {
    "county": Size(300, 4, 30.0),
    "city": Size(3_000, 20, 80.0),
    # 20 counties x 3 hubs; ~500 loads a county.
    "province": Size(10_000, 60, 250.0, counties=20),
    # The province day before counties (loads to the 4 nearest hubs across county lines: one
    # part); the day docs/solver.md and the README's solver figures were measured on.
    "province-mesh": Size(10_000, 60, 250.0, seed_name="province"),
}


def county_of(size: Size, hub_id: str) -> int:
    """The county (0-based) of a generated hub `Hnn` in a province of counties (0 otherwise)."""
    if not size.counties:
        return 0
    return (int(hub_id[1:]) - 1) // max(1, size.hubs // size.counties)


# Cargo mix of a county in an emergency, and which share of each travels cold.
CATEGORY_MIX: list[tuple[CargoCategory, float, float]] = [
    (CargoCategory.MEDICAL_SUPPLIES, 0.08, 0.4),
    (CargoCategory.DAILY_NECESSITIES, 0.30, 0.3),
    (CargoCategory.GOVERNMENT_RESERVE, 0.05, 0.2),
    (CargoCategory.POSTAL_EXPRESS, 0.14, 0.0),
    (CargoCategory.AGRICULTURAL, 0.20, 0.35),
    (CargoCategory.ENERGY, 0.06, 0.0),
    (CargoCategory.RAW_MATERIALS, 0.10, 0.0),
    (CargoCategory.OTHER, 0.07, 0.1),
]
COLD_SHARE = sum(share * cold for _, share, cold in CATEGORY_MIX)

# Opening hours: always open, a day shift, or a day shift and a night shift crossing midnight.
OPENING_PATTERNS: list[list[tuple[str, str]] | None] = [
    None,
    [("06:00", "22:00")],
    [("07:00", "19:00"), ("20:00", "04:00")],
]
CENTRE = Location(lat=25.85, lon=114.93)  # Ganzhou, Jiangxi


def _moment(minutes: float) -> datetime:
    return DAY_START + timedelta(minutes=round(minutes))


def _offset(lat_km: float, lon_km: float) -> Location:
    lat = CENTRE.lat + lat_km / 111.0
    lon = CENTRE.lon + lon_km / (111.0 * math.cos(math.radians(CENTRE.lat)))
    return Location(lat=round(lat, 5), lon=round(lon, 5))


def _open_minutes(pattern: list[tuple[str, str]] | None) -> int:
    if pattern is None:
        return 1440
    return sum((hhmm_minutes(e) - hhmm_minutes(s)) % 1440 or 1440 for s, e in pattern)


def _build_hubs(rng: random.Random, size: Size, n_loads: int) -> list[Hub]:
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
                start=_moment(start),
                end=_moment(start + rng.choice((60, 120, 180))),
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
                start=_moment(start),
                end=_moment(start + 60),
                zone_id=zone.id,
                reason="deep disinfection of the zone",
            )
        )
    if rng.random() < 0.1:
        start = rng.choice((12 * 60, 18 * 60))
        windows.append(
            BlockedWindow(
                id=f"{hub.id}-S",
                start=_moment(start),
                end=_moment(start + 30),
                reason="shift change",
            )
        )
    return windows


def _enterprises(rng: random.Random, n: int) -> list[Enterprise]:
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


def _arrival(rng: random.Random) -> float:
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


def _pick_category(rng: random.Random) -> tuple[CargoCategory, Temperature]:
    category, _, cold = rng.choices(CATEGORY_MIX, [m[1] for m in CATEGORY_MIX])[0]
    return category, Temperature.COLD if rng.random() < cold else Temperature.AMBIENT


def _nearest(hubs: list[Hub], where: Location, k: int) -> list[str]:
    def dist(h: Hub) -> float:
        return (h.location.lat - where.lat) ** 2 + (h.location.lon - where.lon) ** 2

    return [h.id for h in sorted(hubs, key=dist)[:k]]


def _has_zone(hub: Hub, temperature: Temperature) -> bool:
    return any(z.temperature is temperature for z in hub.zones)


def _make_load(
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
    release = _moment(release_min)
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


class _PinBook:
    """Keeps generated pins mutually consistent: dock spans, crews and site capacity."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self.ops: dict[str, list[tuple[int, int, str]]] = {}

    def try_pin(self, rng: random.Random, load: Load, hub: Hub) -> Position | None:
        zone = next((z for z in hub.zones if z.temperature is load.temperature), None)
        if zone is None:
            return None
        slot = hub.slot_minutes or SLOT
        release = self.scenario.minutes(load.release)
        first = -(-release // slot) * slot
        d = disinfection_minutes(load, zone, hub)
        occurrences = opening_minutes(hub, self.scenario)
        if occurrences is None:  # always open
            occurrences = [(0, HORIZON_MINUTES)]
        for start in range(first, first + 6 * slot, slot):
            end, span_end = start + load.handling_minutes, start + load.handling_minutes + d
            if load.deadline is not None and end > self.scenario.minutes(load.deadline):
                return None
            if span_end > HORIZON_MINUTES or not any(
                a <= start and span_end <= b for a, b in occurrences
            ):
                continue
            for dock in rng.sample(zone.docks, len(zone.docks)):
                if self._fits(hub, zone, dock.id, start, end, span_end):
                    self.spans.setdefault((hub.id, dock.id), []).append((start, span_end))
                    self.ops.setdefault(hub.id, []).append((start, end, zone.id))
                    return Position(hub_id=hub.id, dock_id=dock.id, start=_moment(start))
        return None

    def _fits(
        self, hub: Hub, zone: Zone, dock_id: str, start: int, end: int, span_end: int
    ) -> bool:
        for w in hub.blocked:
            applies = (
                w.dock_id == dock_id if w.dock_id else (w.zone_id == zone.id if w.zone_id else True)
            )
            if (
                applies
                and start < self.scenario.minutes(w.end)
                and self.scenario.minutes(w.start) < span_end
            ):
                return False
        if any(start < b and a < span_end for a, b in self.spans.get((hub.id, dock_id), [])):
            return False
        at_hub = [(a, b, z) for a, b, z in self.ops.get(hub.id, []) if start < b and a < end]
        # Conservative: count every pinned op overlapping the window as simultaneous.
        if zone.crews is not None and sum(z == zone.id for *_, z in at_hub) + 1 > zone.crews:
            return False
        return hub.max_trucks_on_site is None or len(at_hub) + 1 <= hub.max_trucks_on_site


def generate(size: str | Size = "county", seed: int = 0) -> Scenario:
    """One generated hub day, the same for the same size and seed."""
    spec = SIZES[size] if isinstance(size, str) else size
    name = size if isinstance(size, str) else f"{spec.loads}-loads"
    rng = random.Random(f"hub-day/{spec.seed_name or name}/{seed}")
    hubs = _build_hubs(rng, spec, spec.loads)
    enterprises = _enterprises(rng, max(10, spec.loads // 12))
    scenario = Scenario(
        name=f"generated {name} day (seed {seed})",
        timezone="Asia/Shanghai",
        horizon=Horizon(start=DAY_START, end=_moment(HORIZON_MINUTES)),
        settings=Settings(
            slot_minutes=SLOT,
            time_limit_s=10,
            seed=seed,
            workers=2,
            screening=ScreeningPolicy(required=True),
        ),
        hubs=hubs,
        enterprises=enterprises,
    )
    active = [h for h in hubs if h.status is HubStatus.ACTIVE]
    n_pairs = round(spec.loads * 0.04)  # 8% of loads are in a relay pair
    loads: list[Load] = []
    transfers: list[Transfer] = []
    n = 0

    def next_id() -> str:
        nonlocal n
        n += 1
        return f"L{n:05d}"

    while len(loads) < spec.loads:
        category, temperature = _pick_category(rng)
        release = _arrival(rng)
        load = _make_load(
            rng, next_id(), rng.choice(enterprises), hubs, spec, release, category, temperature
        )
        loads.append(load)
        if len(transfers) < n_pairs and len(loads) < spec.loads and rng.random() < 0.2:
            # The relay: a local truck collects the goods an hour or three later, same hub and zone.
            out = _make_load(
                rng,
                next_id(),
                rng.choice(enterprises),
                hubs,
                spec,
                release + rng.choice((60, 90, 120, 180)),
                category,
                temperature,
            )
            out.allowed_hubs = load.allowed_hubs
            out.deadline = None
            out.status = LoadStatus.SUBMITTED
            loads.append(out)
            transfers.append(
                Transfer(inbound=load.id, outbound=out.id, min_gap_minutes=rng.choice((0, 15, 30)))
            )
    scenario.loads = loads
    scenario.transfers = transfers
    _pin_some(rng, scenario, active)
    return scenario


def _pin_some(rng: random.Random, scenario: Scenario, active: list[Hub]) -> None:
    """About 2% pinned by a manager and the first trucks of the day already checked in."""
    in_relay = {x for t in scenario.transfers for x in (t.inbound, t.outbound)}
    book = _PinBook(scenario)
    hubs = {h.id: h for h in active}
    trusted = {e.id for e in scenario.enterprises if e.whitelisted and e.valid_until is None}
    for load in scenario.loads:
        if (
            load.id in in_relay
            or load.status is not LoadStatus.SUBMITTED
            or load.deadline is not None
            or not load.has_pass
            or load.enterprise_id not in trusted
        ):
            continue
        early = scenario.minutes(load.release) < 7 * 60
        if rng.random() >= (0.2 if early else 0.015):
            continue
        choices = [hubs[h] for h in (load.allowed_hubs or hubs) if h in hubs]
        if not choices:
            continue
        pin = book.try_pin(rng, load, rng.choice(choices))
        if pin is None:
            continue
        if early:
            load.status = LoadStatus.CHECKED_IN
            load.previous = pin
        else:
            load.pinned = pin


def with_previous(scenario: Scenario, schedule: Schedule) -> Scenario:
    """A copy of the scenario whose loads remember where `schedule` put them (for re-planning)."""
    out = scenario.model_copy(deep=True)
    placed = {a.load_id: a for a in schedule.assignments}
    for load in out.loads:
        a = placed.get(load.id)
        load.previous = (
            None if a is None else Position(hub_id=a.hub_id, dock_id=a.dock_id, start=a.start)
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write_scenario(generate(args.size, args.seed), args.out)


if __name__ == "__main__":
    main()

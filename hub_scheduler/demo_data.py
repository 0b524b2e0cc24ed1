"""The Xunwu demo day: a seeded generator for one day of freight through Xunwu county's transfer
hubs.

Xunwu (寻乌县, Ganzhou, Jiangxi) sits where Jiangxi meets Guangdong and Fujian; navel oranges are in
harvest in late November. Every enterprise, plate and hub name here is invented; no real person is
named. The committed `fixtures/xunwu.json` is this module's output for the default seed:

    python -m hub_scheduler.demo_data --out fixtures/xunwu.json
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel

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
    Location,
    ObjectiveWeights,
    OpeningPeriod,
    Scenario,
    Screening,
    ScreeningPolicy,
    Settings,
    Temperature,
    TestResult,
    TestType,
    Transfer,
    Zone,
)

DEFAULT_SEED = 7
CST = timezone(
    timedelta(hours=8)
)  # Asia/Shanghai has had no DST since 1991: a fixed offset is exact
DAY = date(2026, 11, 28)
DAY_START = datetime(DAY.year, DAY.month, DAY.day, tzinfo=CST)

COLD, AMBIENT = Temperature.COLD, Temperature.AMBIENT
C = CargoCategory


def _hubs() -> list[Hub]:
    """Two active hubs carry the day; two standby service areas are ready for an emergency
    switch."""

    def zone(zid: str, temp: Temperature, docks: int, crews: int, disinfection: int | None = None):
        return Zone(
            id=zid,
            temperature=temp,
            crews=crews,
            disinfection_minutes=disinfection,
            docks=[Dock(id=f"{zid}{i}") for i in range(1, docks + 1)],
        )

    return [
        Hub(
            id="XW-LP",
            name="寻乌县物流园区 (county logistics park)",
            kind=HubKind.LOGISTICS_PARK,
            status=HubStatus.ACTIVE,
            location=Location(lat=24.9632, lon=115.6521),
            opening_hours=None,
            disinfection_minutes=20,
            max_trucks_on_site=12,
            blocked=[
                BlockedWindow(
                    id="B1",
                    start=DAY_START + timedelta(hours=12),
                    end=DAY_START + timedelta(hours=14),
                    zone_id="LP-AMB",
                    dock_id="LP-AMB6",
                    reason="roller door repair",
                ),
            ],
            zones=[zone("LP-COLD", COLD, 4, 3, 30), zone("LP-AMB", AMBIENT, 8, 6)],
        ),
        Hub(
            id="XW-SA-N",
            name="寻乌北高速服务区接驳点 (expressway service area, north)",
            kind=HubKind.SERVICE_AREA,
            status=HubStatus.STANDBY,
            location=Location(lat=25.0583, lon=115.6012),
            opening_hours=[OpeningPeriod(start="06:00", end="22:00")],
            disinfection_minutes=15,
            max_trucks_on_site=6,
            zones=[zone("SAN-COLD", COLD, 2, 1, 30), zone("SAN-AMB", AMBIENT, 3, 2)],
        ),
        Hub(
            id="XW-SA-S",
            name="寻乌南高速服务区接驳点 (expressway service area, south)",
            kind=HubKind.SERVICE_AREA,
            status=HubStatus.STANDBY,
            location=Location(lat=24.8512, lon=115.7034),
            opening_hours=[
                OpeningPeriod(start="06:00", end="12:00"),
                OpeningPeriod(start="13:00", end="21:00"),
            ],
            disinfection_minutes=25,
            max_trucks_on_site=None,
            zones=[zone("SAS-AMB", AMBIENT, 4, 2)],
        ),
        Hub(
            id="XW-TS",
            name="澄江镇物资中转站 (town transfer station)",
            kind=HubKind.LOGISTICS_PARK,
            status=HubStatus.ACTIVE,
            location=Location(lat=24.7968, lon=115.7121),
            # the night period crosses midnight: long-distance trucks arrive before dawn
            opening_hours=[
                OpeningPeriod(start="06:00", end="13:00"),
                OpeningPeriod(start="14:00", end="21:00"),
                OpeningPeriod(start="22:00", end="04:00"),
            ],
            disinfection_minutes=15,
            max_trucks_on_site=4,
            blocked=[
                BlockedWindow(
                    id="B2",
                    start=DAY_START + timedelta(hours=10),
                    end=DAY_START + timedelta(hours=11),
                    zone_id="TS-COLD",
                    reason="cold room deep clean",
                ),
            ],
            zones=[zone("TS-COLD", COLD, 1, 1, 30), zone("TS-AMB", AMBIENT, 3, 3)],
        ),
    ]


@dataclass(frozen=True)
class Shipper:
    """How one invented enterprise ships: what, how cold, how many trucks, how long each takes."""

    enterprise: Enterprise
    category: CargoCategory
    cold_share: float
    trucks: int
    handling: tuple[int, int]
    origins: tuple[str, ...]
    plate_prefix: str = "赣B"
    allowed_hubs: tuple[str, ...] | None = None
    other_category: CargoCategory | None = None  # a second line of business, a third of its trucks


def _ent(
    eid: str, name: str, tier: int, whitelisted: bool = True, valid_until: date | None = None
) -> Enterprise:
    return Enterprise(
        id=eid,
        name=name,
        whitelisted=whitelisted,
        tier=tier,
        valid_from=date(2026, 11, 1) if whitelisted else None,
        valid_until=valid_until,
    )


# Where trucks come from: county towns and the neighbouring cities across the provincial borders.
ORIGINS: dict[str, Location] = {
    "ganzhou": Location(lat=25.8310, lon=114.9350),
    "meizhou": Location(lat=24.2880, lon=116.1220),
    "heyuan": Location(lat=23.7430, lon=114.7000),
    "longnan": Location(lat=24.9110, lon=114.7900),
    "anyuan": Location(lat=25.1360, lon=115.3930),
    "huichang": Location(lat=25.6000, lon=115.7860),
    "pingyuan": Location(lat=24.5670, lon=115.8910),
    "wuping": Location(lat=25.0950, lon=116.1000),
    "xunwu": Location(lat=24.9550, lon=115.6460),
    "jitan": Location(lat=25.1300, lon=115.5700),
    "chengjiang": Location(lat=24.8030, lon=115.7050),
    "nanqiao": Location(lat=24.8700, lon=115.5900),
}

SHIPPERS: tuple[Shipper, ...] = (
    Shipper(
        _ent("E01", "橙乡脐橙专业合作社 (navel-orange cooperative)", 2),
        C.AGRICULTURAL,
        0.0,
        28,
        (30, 60),
        ("xunwu", "jitan", "nanqiao"),
    ),
    Shipper(
        _ent("E02", "澄江果农脐橙合作社 (navel-orange cooperative)", 3),
        C.AGRICULTURAL,
        0.0,
        14,
        (30, 60),
        ("chengjiang", "nanqiao"),
    ),
    Shipper(
        _ent("E03", "吉潭山地脐橙合作社 (navel-orange cooperative)", 3),
        C.AGRICULTURAL,
        0.0,
        10,
        (30, 50),
        ("jitan",),
    ),
    Shipper(
        _ent("E04", "赣康医药配送有限公司 (pharmaceutical distributor)", 1),
        C.MEDICAL_SUPPLIES,
        0.6,
        16,
        (20, 40),
        ("ganzhou", "meizhou"),
    ),
    Shipper(
        _ent("E05", "惠邻连锁超市 (supermarket chain)", 1),
        C.DAILY_NECESSITIES,
        0.35,
        22,
        (30, 60),
        ("ganzhou", "meizhou", "heyuan"),
        other_category=C.OTHER,
    ),
    Shipper(
        _ent("E06", "寻乌县邮政分公司 (postal service)", 1),
        C.POSTAL_EXPRESS,
        0.0,
        16,
        (20, 40),
        ("ganzhou", "meizhou"),
    ),
    Shipper(
        _ent("E07", "寻乌稀土新材料厂 (rare-earth materials plant)", 3),
        C.RAW_MATERIALS,
        0.0,
        8,
        (45, 75),
        ("longnan", "anyuan"),
        allowed_hubs=("XW-LP", "XW-SA-N"),
    ),  # heavy trucks: only hubs with a weighbridge
    Shipper(
        _ent("E08", "恒通燃料配送公司 (fuel distributor)", 2),
        C.ENERGY,
        0.0,
        8,
        (30, 45),
        ("heyuan", "ganzhou"),
        plate_prefix="粤P",
        allowed_hubs=("XW-LP", "XW-SA-S"),
    ),  # dangerous goods routes
    Shipper(
        _ent("E09", "寻乌县粮食储备库 (grain reserve depot)", 1),
        C.GOVERNMENT_RESERVE,
        0.0,
        10,
        (45, 90),
        ("ganzhou", "huichang"),
    ),
    Shipper(
        _ent("E10", "客都冷链食品配送 (frozen-food distributor)", 2),
        C.DAILY_NECESSITIES,
        1.0,
        12,
        (30, 50),
        ("meizhou", "pingyuan"),
        plate_prefix="粤M",
    ),
    Shipper(
        _ent("E11", "顺驰快运 (parcel express)", 2),
        C.POSTAL_EXPRESS,
        0.0,
        10,
        (20, 40),
        ("meizhou", "wuping"),
        plate_prefix="粤M",
    ),
    Shipper(
        _ent("E12", "县应急物资储备站 (emergency supplies station)", 1),
        C.GOVERNMENT_RESERVE,
        0.0,
        6,
        (30, 60),
        ("ganzhou",),
        other_category=C.MEDICAL_SUPPLIES,
    ),
    Shipper(
        _ent("E13", "南桥建材商行 (building materials trader)", 3),
        C.OTHER,
        0.0,
        8,
        (20, 60),
        ("nanqiao", "anyuan"),
    ),
    Shipper(
        _ent(
            "E14",
            "客家农副产品贸易行 (farm produce trader, not white-listed)",
            3,
            whitelisted=False,
        ),
        C.AGRICULTURAL,
        0.0,
        6,
        (30, 45),
        ("pingyuan", "meizhou"),
        plate_prefix="粤M",
    ),
    Shipper(
        _ent(
            "E15",
            "鑫源杂货批发部 (grocery wholesaler, white-listing expired)",
            3,
            valid_until=date(2026, 11, 20),
        ),
        C.DAILY_NECESSITIES,
        0.0,
        6,
        (20, 40),
        ("wuping",),
        plate_prefix="闽F",
    ),
)

# (shipper, trucks in relay pairs, min gap) - inbound long-distance truck, outbound local truck
RELAYS: tuple[tuple[str, int, int], ...] = (
    ("E04", 3, 15),
    ("E05", 3, 0),
    ("E06", 2, 0),
    ("E10", 2, 15),
)

PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on Chinese plates


class _DayBuilder:
    """Draws the day's trucks from one random stream, in a fixed order, so a seed fixes the day."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.loads: list[Load] = []
        self.transfers: list[Transfer] = []
        self.plates: set[str] = set()

    def arrival_minute(self) -> int:
        """Morning and afternoon peaks over a thin all-day background, 02:00 to 21:00."""
        r = self.rng.random()
        if r < 0.42:
            minute = self.rng.gauss(8.5 * 60, 70)
        elif r < 0.80:
            minute = self.rng.gauss(15 * 60, 80)
        else:
            minute = self.rng.uniform(2 * 60, 21 * 60)
        return int(min(max(minute, 2 * 60), 21 * 60)) // 5 * 5

    def plate(self, prefix: str) -> str:
        while True:
            tail = "".join(self.rng.choice(PLATE_CHARS if i else "0123456789") for i in range(5))
            plate = f"{prefix}·{tail[::-1]}"
            if plate not in self.plates:
                self.plates.add(plate)
                return plate

    def screening(self, release: datetime) -> Screening:
        """A driver who passes: a negative PCR test 4 to 40 h before arrival, green code, no
        fever."""
        return Screening(
            test_type=TestType.PCR,
            test_result=TestResult.NEGATIVE,
            test_time=release - timedelta(minutes=self.rng.randint(4 * 60, 40 * 60) // 5 * 5),
            health_code=HealthCode.GREEN,
            body_temperature_c=round(self.rng.uniform(36.0, 37.0), 1),
        )

    def load(
        self,
        shipper: Shipper,
        release_minute: int,
        temperature: Temperature,
        category: CargoCategory,
        origin: str,
        plate_prefix: str,
    ) -> Load:
        lo, hi = shipper.handling
        handling = self.rng.randint(lo // 5, hi // 5) * 5
        release = DAY_START + timedelta(minutes=release_minute)
        slack = self.rng.choice((60, 90, 120, 150, 180, 240))
        if category is C.MEDICAL_SUPPLIES or temperature is COLD:
            slack = min(slack, 120)  # medicine and the cold chain cannot wait long
        due_minute = min(release_minute + handling + slack, 23 * 60)
        deadline = None
        if self.rng.random() < 0.15:
            deadline = DAY_START + timedelta(
                minutes=min(due_minute + self.rng.choice((60, 120)), 23 * 60)
            )
        return Load(
            id=f"L{len(self.loads) + 1:03d}",
            enterprise_id=shipper.enterprise.id,
            category=category,
            temperature=temperature,
            handling_minutes=handling,
            release=release,
            due=DAY_START + timedelta(minutes=due_minute),
            deadline=deadline,
            allowed_hubs=list(shipper.allowed_hubs) if shipper.allowed_hubs else None,
            origin=ORIGINS[origin],
            vehicle_plate=self.plate(plate_prefix),
            screening=self.screening(release),
        )

    def add_trucks(self, shipper: Shipper) -> None:
        for i in range(shipper.trucks):
            temperature = COLD if self.rng.random() < shipper.cold_share else AMBIENT
            category = shipper.category
            if shipper.other_category is not None and i % 3 == 2:
                category = shipper.other_category
            origin = self.rng.choice(shipper.origins)
            self.loads.append(
                self.load(
                    shipper,
                    self.arrival_minute(),
                    temperature,
                    category,
                    origin,
                    shipper.plate_prefix,
                )
            )

    def add_relay(self, shipper: Shipper, min_gap: int) -> None:
        """An inbound truck from outside the county, then a local truck that takes its goods on."""
        temperature = COLD if shipper.cold_share >= 0.5 else AMBIENT
        inbound_at = self.rng.randint(5 * 12, 15 * 12) * 5
        far = [o for o in shipper.origins if o not in ("xunwu", "jitan", "chengjiang", "nanqiao")]
        inbound = self.load(
            shipper,
            inbound_at,
            temperature,
            shipper.category,
            self.rng.choice(far or list(shipper.origins)),
            shipper.plate_prefix,
        )
        # the inbound truck is wanted an hour after arrival; the local truck comes after that
        inbound.due = inbound.release + timedelta(minutes=inbound.handling_minutes + 60)
        inbound.deadline = None
        self.loads.append(inbound)
        outbound_at = inbound_at + inbound.handling_minutes + 60 + self.rng.choice((30, 60, 90))
        outbound = self.load(shipper, outbound_at, temperature, shipper.category, "xunwu", "赣B")
        outbound.deadline = None
        self.loads.append(outbound)
        self.transfers.append(
            Transfer(inbound=inbound.id, outbound=outbound.id, min_gap_minutes=min_gap)
        )

    def vary(self) -> None:
        """Passes, failed screenings, urgent weights and longer disinfection on a few loads."""
        candidates = [
            ld
            for ld in self.loads
            if ld.id
            not in {t.outbound for t in self.transfers} | {t.inbound for t in self.transfers}
        ]
        picks = self.rng.sample(candidates, 16)
        for ld in picks[:6]:  # unified pass holders: no test needed while the pass is valid
            ld.has_pass = True
            ld.screening = (
                None
                if ld is picks[0]
                else Screening(
                    pass_valid_until=DAY_START + timedelta(days=7),
                    health_code=HealthCode.GREEN,
                    body_temperature_c=36.5,
                )
            )
        old, yellow, fever = picks[6].screening, picks[7].screening, picks[8].screening
        antigen = picks[9].screening
        # every generated load carries a screening; only picks[0] (a pass holder) lost it above
        assert old and yellow and fever and antigen
        old.test_time = picks[6].release - timedelta(hours=60)
        yellow.health_code = HealthCode.YELLOW
        fever.body_temperature_c = 38.2
        # an antigen test: refused under today's policy (allow_antigen is false)
        antigen.test_type = TestType.ANTIGEN
        for ld in picks[10:13]:
            ld.priority_weight = 20
        for ld in picks[13:16]:
            ld.disinfection_minutes = 40


def build_scenario(seed: int = DEFAULT_SEED) -> Scenario:
    """The Xunwu demo day for `seed`: 4 hubs, 15 enterprises, 200 loads, 10 relay pairs."""
    day = _DayBuilder(seed)
    by_id = {s.enterprise.id: s for s in SHIPPERS}
    for shipper in SHIPPERS:
        day.add_trucks(shipper)
    for eid, pairs, gap in RELAYS:
        for _ in range(pairs):
            day.add_relay(by_id[eid], gap)
    day.vary()
    return Scenario(
        name="xunwu-2026-11-28",
        timezone="Asia/Shanghai",
        horizon=Horizon(start=DAY_START, end=DAY_START + timedelta(days=1)),
        settings=Settings(
            slot_minutes=15,
            time_limit_s=10,
            seed=7,
            objective=ObjectiveWeights(),
            screening=ScreeningPolicy(required=True, max_test_age_hours=48, allow_antigen=False),
        ),
        hubs=_hubs(),
        enterprises=[s.enterprise for s in SHIPPERS],
        loads=day.loads,
        transfers=day.transfers,
    )


def stable_json(model: BaseModel) -> dict[str, Any]:
    """The committed form of a scenario: fields equal to their defaults are left out, so adding a
    defaulted field to a model leaves `fixtures/xunwu.json` as it was; the `format` marker stays."""
    has_marker = "format" in type(model).model_fields
    marker = model.model_dump(mode="json", include={"format"}) if has_marker else {}
    return {**marker, **model.model_dump(mode="json", exclude_defaults=True)}


def write_fixture(scenario: Scenario, path: str | Path) -> None:
    text = json.dumps(stable_json(scenario), ensure_ascii=False, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Write the demo scenario: `python -m hub_scheduler.demo_data --out fixtures/xunwu.json`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the scenario@1 JSON")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    scenario = build_scenario(args.seed)
    write_fixture(scenario, args.out)
    print(f"{args.out}: {len(scenario.loads)} loads, {len(scenario.transfers)} transfers")


if __name__ == "__main__":
    main()

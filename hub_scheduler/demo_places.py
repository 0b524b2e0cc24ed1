"""The Xunwu demo day's places and shippers: its hubs, enterprises, origins and relay pairs.

Invented data (no real enterprise or person is named); `hub_scheduler.demo_data` draws the day's
trucks from these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from hub_scheduler.domain import (
    BlockedWindow,
    CargoCategory,
    Dock,
    Enterprise,
    Hub,
    HubKind,
    HubStatus,
    Location,
    OpeningPeriod,
    Temperature,
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


def demo_hubs() -> list[Hub]:
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
            name="寻乌县物流园区",
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
                    reason="卷帘门维修",
                ),
            ],
            zones=[zone("LP-COLD", COLD, 4, 3, 30), zone("LP-AMB", AMBIENT, 8, 6)],
        ),
        Hub(
            id="XW-SA-N",
            name="寻乌北高速服务区接驳点",
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
            name="寻乌南高速服务区接驳点",
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
            name="澄江镇物资中转站",
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
                    reason="冷库深度清洁",
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


def enterprise(
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
        enterprise("E01", "橙乡脐橙专业合作社", 2),
        C.AGRICULTURAL,
        0.0,
        28,
        (30, 60),
        ("xunwu", "jitan", "nanqiao"),
    ),
    Shipper(
        enterprise("E02", "澄江果农脐橙合作社", 3),
        C.AGRICULTURAL,
        0.0,
        14,
        (30, 60),
        ("chengjiang", "nanqiao"),
    ),
    Shipper(
        enterprise("E03", "吉潭山地脐橙合作社", 3),
        C.AGRICULTURAL,
        0.0,
        10,
        (30, 50),
        ("jitan",),
    ),
    Shipper(
        enterprise("E04", "赣康医药配送有限公司", 1),
        C.MEDICAL_SUPPLIES,
        0.6,
        16,
        (20, 40),
        ("ganzhou", "meizhou"),
    ),
    Shipper(
        enterprise("E05", "惠邻连锁超市", 1),
        C.DAILY_NECESSITIES,
        0.35,
        22,
        (30, 60),
        ("ganzhou", "meizhou", "heyuan"),
        other_category=C.OTHER,
    ),
    Shipper(
        enterprise("E06", "寻乌县邮政分公司", 1),
        C.POSTAL_EXPRESS,
        0.0,
        16,
        (20, 40),
        ("ganzhou", "meizhou"),
    ),
    Shipper(
        enterprise("E07", "寻乌稀土新材料厂", 3),
        C.RAW_MATERIALS,
        0.0,
        8,
        (45, 75),
        ("longnan", "anyuan"),
        allowed_hubs=("XW-LP", "XW-SA-N"),
    ),  # heavy trucks: only hubs with a weighbridge
    Shipper(
        enterprise("E08", "恒通燃料配送公司", 2),
        C.ENERGY,
        0.0,
        8,
        (30, 45),
        ("heyuan", "ganzhou"),
        plate_prefix="粤P",
        allowed_hubs=("XW-LP", "XW-SA-S"),
    ),  # dangerous goods routes
    Shipper(
        enterprise("E09", "寻乌县粮食储备库", 1),
        C.GOVERNMENT_RESERVE,
        0.0,
        10,
        (45, 90),
        ("ganzhou", "huichang"),
    ),
    Shipper(
        enterprise("E10", "客都冷链食品配送", 2),
        C.DAILY_NECESSITIES,
        1.0,
        12,
        (30, 50),
        ("meizhou", "pingyuan"),
        plate_prefix="粤M",
    ),
    Shipper(
        enterprise("E11", "顺驰快运", 2),
        C.POSTAL_EXPRESS,
        0.0,
        10,
        (20, 40),
        ("meizhou", "wuping"),
        plate_prefix="粤M",
    ),
    Shipper(
        enterprise("E12", "县应急物资储备站", 1),
        C.GOVERNMENT_RESERVE,
        0.0,
        6,
        (30, 60),
        ("ganzhou",),
        other_category=C.MEDICAL_SUPPLIES,
    ),
    Shipper(
        enterprise("E13", "南桥建材商行", 3),
        C.OTHER,
        0.0,
        8,
        (20, 60),
        ("nanqiao", "anyuan"),
    ),
    Shipper(
        enterprise(
            "E14",
            "客家农副产品贸易行",  # a farm produce trader, not white-listed
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
        enterprise(
            "E15",
            "鑫源杂货批发部",  # a grocery wholesaler, white-listing expired
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

"""The generated days' clock, sizes and cargo mix (bench/generate.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from hub_scheduler.domain import CargoCategory

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


def moment(minutes: float) -> datetime:
    """The generated day's moment `minutes` after its local midnight (to the minute)."""
    return DAY_START + timedelta(minutes=round(minutes))

"""Sample domain objects for the database tests: optional fields filled, aware times in +08:00."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hub_scheduler.domain import (
    Assignment,
    BlockedWindow,
    Dock,
    Enterprise,
    Hub,
    Load,
    Location,
    OpeningPeriod,
    PlanStatus,
    Position,
    ReasonCode,
    Schedule,
    Screening,
    Transfer,
    Unscheduled,
    Zone,
)
from hub_scheduler.records import JobStatus, Plan

CST = timezone(timedelta(hours=8))
DAY = datetime(2026, 11, 28, 0, 0, tzinfo=CST)


def at(hours: float) -> datetime:
    """`hours` after local midnight of the sample day."""
    return DAY + timedelta(hours=hours)


def hub(id: str = "H1", **changes) -> Hub:
    """A hub with a cold and an ambient zone, opening hours and two blocked windows."""
    fields = dict(
        id=id,
        name=f"{id} 物流园",
        kind="logistics_park",
        status="active",
        location=Location(lat=24.96, lon=115.65),
        opening_hours=[
            OpeningPeriod(start="06:00", end="12:00"),
            OpeningPeriod(start="13:00", end="23:00"),
        ],
        disinfection_minutes=20,
        max_trucks_on_site=6,
        slot_minutes=15,
        blocked=[
            BlockedWindow(
                id="B1",
                start=at(12),
                end=at(14),
                zone_id="AMB",
                dock_id="A2",
                reason="roller door repair",
            ),
            BlockedWindow(id=None, start=at(20), end=at(21), reason="whole site drill"),
        ],
        zones=[
            Zone(
                id="COLD",
                temperature="cold",
                crews=2,
                disinfection_minutes=30,
                docks=[Dock(id="C1"), Dock(id="C2")],
            ),
            Zone(
                id="AMB",
                temperature="ambient",
                crews=None,
                docks=[Dock(id="A1"), Dock(id="A2"), Dock(id="A3")],
            ),
        ],
    )
    fields.update(changes)
    return Hub(**fields)


def enterprise(id: str = "E1", **changes) -> Enterprise:
    fields = dict(
        id=id,
        name=f"{id} 脐橙合作社",
        whitelisted=True,
        tier=2,
        valid_from=DAY.date(),
        valid_until=(DAY + timedelta(days=30)).date(),
    )
    fields.update(changes)
    return Enterprise(**fields)


def load(id: str = "L1", release: float = 8, enterprise_id: str = "E1", **changes) -> Load:
    """A load with screening, pinned and previous positions, released `release` hours in."""
    full = dict(
        category="medical_supplies",
        temperature="cold",
        handling_minutes=45,
        due=at(release + 3),
        deadline=at(release + 6),
        priority_weight=5,
        allowed_hubs=["H1"],
        origin=Location(lat=25.1, lon=115.4),
        has_pass=True,
        disinfection_minutes=25,
        pinned=Position(hub_id="H1", dock_id="C1", start=at(release + 0.5)),
        previous=Position(hub_id="H1", dock_id="C2", start=at(release + 1)),
        vehicle_plate="赣B·12345",
        screening=Screening(
            test_type="pcr",
            test_result="negative",
            test_time=at(-20),
            health_code="green",
            body_temperature_c=36.4,
            pass_valid_until=at(48),
        ),
        screening_failures=[],  # screened, nothing failed
        needs_new_slot="hub H2 closed (test): the slot was withdrawn",
        slot_changed={"code": "SHIFTED_FOR_REPAIR", "params": {"for_load": "L2", "dock": "D1"}},
        driver_phone="13800000000",
        arrived_at=at(release + 0.4),
        arrival_slot_start=at(release + 0.25),
        started_at=at(release + 0.5),
        completed_at=at(release + 1.25),
        hold={"code": "RELAY_OF_POSITIVE", "params": {"incident": "1"}},
        status="submitted",
    )
    return plain_load(id, release, enterprise_id, **{**full, **changes})


def plain_load(id: str, release: float, enterprise_id: str = "E1", **changes) -> Load:
    """A load with only the required fields."""
    required = dict(
        category="agricultural", temperature="ambient", handling_minutes=30, due=at(release + 2)
    )
    return Load(id=id, enterprise_id=enterprise_id, release=at(release), **{**required, **changes})


def transfer(inbound: str = "L1", outbound: str = "L2") -> Transfer:
    return Transfer(inbound=inbound, outbound=outbound, min_gap_minutes=15)


def schedule(placed: list[tuple[str, str, float]], left_out: list[str] = ()) -> Schedule:
    """A schedule placing (load_id, dock_id, start hour) at hub H1, zone AMB; some left out."""
    return Schedule(
        scenario="sample",
        status=PlanStatus.FEASIBLE,
        objective=123.5,
        bound=100.0,
        gap=0.19,
        solve_seconds=1.25,
        assignments=[
            Assignment(
                load_id=lid,
                hub_id="H1",
                zone_id="AMB",
                dock_id=dock,
                start=at(h),
                end=at(h + 0.5),
                disinfected_at=at(h + 0.75),
            )
            for lid, dock, h in placed
        ],
        unscheduled=[
            Unscheduled(
                load_id=lid,
                reason_code=ReasonCode.CAPACITY,
                reason="no dock free before the deadline",
            )
            for lid in left_out
        ],
        kpis={"placed": len(placed), "tardiness_minutes": 12, "per_hub": {"H1": len(placed)}},
    )


def solved_plan(
    end: datetime, placed: list[tuple[str, str, float]], requested_hour: float = 6
) -> Plan:
    """A succeeded plan from DAY to `end`, asked for at `requested_hour`, whose schedule places
    `placed` (as in `schedule`)."""
    return Plan(
        horizon_start=DAY,
        horizon_end=end,
        requested_at=at(requested_hour),
        status=JobStatus.SUCCEEDED,
        schedule=schedule(placed),
    )


def plan(start: datetime = DAY, end: datetime | None = None, **changes) -> Plan:
    fields = dict(
        horizon_start=start,
        horizon_end=end or start + timedelta(days=1),
        hub_ids=["H1"],
        status=JobStatus.QUEUED,
        params={"time_limit_s": 5, "workers": 2, "seed": 7},
        requested_by="manager (token 1)",
        requested_at=at(6),
    )
    fields.update(changes)
    return Plan(**fields)


def stored(uow, add):
    """Run `add(uow)` in one unit of work and commit it."""
    with uow:
        result = add(uow)
        uow.commit()
    return result


def stored_one_load(uow) -> None:
    """Store enterprise E1 and its plain load L1 (released 08:00) and commit."""
    with uow:
        uow.enterprises.add(enterprise())
        uow.loads.add(plain_load("L1", 8))
        uow.commit()

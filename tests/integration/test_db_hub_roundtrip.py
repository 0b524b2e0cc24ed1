"""Property: any valid hub, stored or replaced by an update, comes back equal (both databases)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
)

T0 = datetime(2026, 11, 28, tzinfo=timezone(timedelta(hours=8)))
hhmm = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30]))
small_ids = st.sampled_from(["A", "B", "C", "D", "E", "F", "冷库1", "x" * 80])


@st.composite
def hubs(draw, hub_id: str) -> Hub:
    """A hub whose zone and dock ids are unique within it; windows name its zones and docks."""
    zone_ids = draw(st.lists(small_ids, unique=True, max_size=3))
    dock_ids = draw(st.lists(small_ids.map(lambda s: "D-" + s), unique=True, max_size=6))
    zones = []
    for i, zone_id in enumerate(zone_ids):
        mine = dock_ids[i :: len(zone_ids)] if zone_ids else []
        zones.append(
            Zone(
                id=zone_id,
                temperature=draw(st.sampled_from(Temperature)),
                crews=draw(st.none() | st.integers(1, 9)),
                disinfection_minutes=draw(st.none() | st.integers(0, 90)),
                docks=[Dock(id=d) for d in mine],
            )
        )
    docked = [(z.id, d.id) for z in zones for d in z.docks]
    window_ids = draw(
        st.lists(st.none() | small_ids, max_size=4).filter(
            lambda ids: len([i for i in ids if i]) == len({i for i in ids if i})
        )
    )
    blocked = []
    for window_id in window_ids:
        start = T0 + timedelta(minutes=draw(st.integers(0, 2000)))
        zone_dock = draw(st.none() | st.sampled_from(docked)) if docked else None
        blocked.append(
            BlockedWindow(
                id=window_id,
                start=start,
                end=start + timedelta(minutes=draw(st.integers(1, 600))),
                zone_id=zone_dock[0] if zone_dock else None,
                dock_id=zone_dock[1] if zone_dock else None,
                reason=draw(st.text(max_size=20).filter(lambda s: "\x00" not in s)),
            )
        )
    return Hub(
        id=hub_id,
        name=draw(st.text(max_size=30).filter(lambda s: "\x00" not in s)),
        kind=draw(st.sampled_from(HubKind)),
        status=draw(st.sampled_from(HubStatus)),
        location=draw(
            st.none() | st.builds(Location, lat=st.floats(-90, 90), lon=st.floats(-180, 180))
        ),
        opening_hours=draw(
            st.none() | st.lists(st.builds(OpeningPeriod, start=hhmm, end=hhmm), max_size=3)
        ),
        disinfection_minutes=draw(st.integers(0, 120)),
        max_trucks_on_site=draw(st.none() | st.integers(1, 50)),
        slot_minutes=draw(st.none() | st.sampled_from([5, 10, 15, 30])),
        blocked=blocked,
        zones=zones,
    )


@st.composite
def hub_and_its_update(draw) -> tuple[Hub, Hub]:
    hub_id = f"H-{uuid.uuid4().hex[:8]}"
    return draw(hubs(hub_id)), draw(hubs(hub_id))


# One database per test function; each example uses a fresh hub id, so examples never meet.
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pair=hub_and_its_update())
def test_any_hub_and_any_update_of_it_come_back_equal(uow, pair):
    before, after = pair
    with uow:
        assert uow.hubs.add(before) == before
        uow.commit()
    with uow:
        assert uow.hubs.get(before.id) == before
        uow.hubs.update(after)  # zones, docks and windows may move, vanish or reappear
        uow.commit()
    with uow:
        assert uow.hubs.get(after.id) == after

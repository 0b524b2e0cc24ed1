"""Property: any valid load, stored and read back, is equal to itself (on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import enterprise

from hub_scheduler import domain
from hub_scheduler.domain import (
    CargoCategory,
    HealthCode,
    Load,
    LoadStatus,
    Location,
    Position,
    Screening,
    Temperature,
)

offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31)),
    offsets,
)
text = st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s)  # PostgreSQL has no NUL
maybe = st.one_of  # readability: maybe(st.none(), x)
positions = st.builds(Position, hub_id=text, dock_id=text, start=moments)
screenings = st.builds(
    Screening,
    test_type=maybe(st.none(), st.sampled_from(domain.TestType)),
    test_result=maybe(st.none(), st.sampled_from(domain.TestResult)),
    test_time=maybe(st.none(), moments),
    health_code=maybe(st.none(), st.sampled_from(HealthCode)),
    body_temperature_c=maybe(st.none(), st.floats(min_value=30, max_value=45)),
    pass_valid_until=maybe(st.none(), moments),
)


@st.composite
def loads(draw) -> Load:
    release = draw(moments)
    return Load(
        id=str(uuid.uuid4()),
        enterprise_id="E1",
        category=draw(st.sampled_from(CargoCategory)),
        temperature=draw(st.sampled_from(Temperature)),
        handling_minutes=draw(st.integers(min_value=1, max_value=10_000)),
        release=release,
        due=release + draw(st.timedeltas(timedelta(0), timedelta(days=3))),
        deadline=draw(maybe(st.none(), moments)),
        priority_weight=draw(maybe(st.none(), st.integers(min_value=1, max_value=10**6))),
        allowed_hubs=draw(maybe(st.none(), st.lists(text, max_size=4))),
        origin=draw(
            maybe(
                st.none(),
                st.builds(
                    Location,
                    lat=st.floats(min_value=-90, max_value=90),
                    lon=st.floats(min_value=-180, max_value=180),
                ),
            )
        ),
        has_pass=draw(st.booleans()),
        disinfection_minutes=draw(maybe(st.none(), st.integers(min_value=0, max_value=600))),
        pinned=draw(maybe(st.none(), positions)),
        previous=draw(maybe(st.none(), positions)),
        vehicle_plate=draw(maybe(st.none(), text)),
        screening=draw(maybe(st.none(), screenings)),
        status=draw(st.sampled_from(LoadStatus)),
    )


# One database per test function; each example uses a fresh load id, so examples never meet.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(original=loads())
def test_any_load_comes_back_equal_from_the_database(uow, original):
    with uow:
        if uow.enterprises.get("E1") is None:
            uow.enterprises.add(enterprise("E1"))
        uow.loads.add(original)
        uow.commit()
    with uow:
        assert uow.loads.get(original.id) == original

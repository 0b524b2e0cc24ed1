"""`hub-scheduler db upgrade` on a live database of the previous release (revision 0001, with rows)
keeps every row, whatever the newest revision is.

The rows are written with plain SQL against the tables as 0001 made them (a released migration never
changes), and read back through today's repositories after the upgrade to head.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData

from models.db import make_engine, make_session_factory
from models.migrate import current, head, upgrade
from models.uow import SqlUnitOfWork

PREVIOUS_RELEASE = "0001"
T0 = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


def _at(engine, hours: int) -> datetime:
    """A time as 0001's columns take it: naive UTC on SQLite, aware on PostgreSQL."""
    value = _at_utc(hours)
    return value.replace(tzinfo=None) if engine.dialect.name == "sqlite" else value


def _rows_of_release_0001(engine) -> dict[str, list[dict]]:
    stamp = {"created_at": _at(engine, 0), "updated_at": _at(engine, 0)}
    return {
        "enterprises": [
            {
                "id": "E1",
                "name": "赣南脐橙合作社",
                "whitelisted": True,
                "tier": 1,
                "extra": {},
                **stamp,
            },
        ],
        "hubs": [
            {
                "id": "H1",
                "name": "寻乌物流园",
                "kind": "logistics_park",
                "status": "standby",
                "lat": 24.96,
                "lon": 115.65,
                "always_open": True,
                "disinfection_minutes": 20,
                "max_trucks_on_site": 4,
                "slot_minutes": 15,
                "extra": {},
                **stamp,
            },
        ],
        "loads": [
            {
                "id": f"L{n}",
                "enterprise_id": "E1",
                "category": "agricultural",
                "temperature": "ambient",
                "handling_minutes": 30 + n,
                "release": _at(engine, 8 + n),
                "due": _at(engine, 12 + n),
                "has_pass": n % 2 == 0,
                "status": "submitted",
                "extra": {},
                "idempotency_key": f"key-{n}",
                **stamp,
            }
            for n in range(1, 4)
        ],
    }


@pytest.mark.db
def test_upgrading_a_previous_release_database_with_rows_keeps_every_row(database_url):
    upgrade(database_url, PREVIOUS_RELEASE)
    assert current(database_url) == PREVIOUS_RELEASE
    engine = make_engine(database_url)
    try:
        tables = MetaData()
        with engine.begin() as connection:
            tables.reflect(connection)
            for name, rows in _rows_of_release_0001(engine).items():
                connection.execute(tables.tables[name].insert(), rows)
    finally:
        engine.dispose()

    upgrade(database_url)  # what `hub-scheduler db upgrade` runs

    assert current(database_url) == head()
    engine = make_engine(database_url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            hub = uow.hubs.get("H1")
            enterprise = uow.enterprises.get("E1")
            loads = uow.loads.get_many(["E1/L1", "E1/L2", "E1/L3"])  # keyed by 0008
    finally:
        engine.dispose()
    assert (hub.name, hub.status.value, hub.disinfection_minutes) == ("寻乌物流园", "standby", 20)
    assert enterprise.name == "赣南脐橙合作社" and enterprise.whitelisted
    assert [(ld.id, ld.handling_minutes, ld.release) for ld in loads] == [
        (f"E1/L{n}", 30 + n, _at_utc(8 + n)) for n in range(1, 4)
    ]


def _at_utc(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)

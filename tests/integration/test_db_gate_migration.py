"""Migration 0003 on a database with loads already in it (SQLite and PostgreSQL): every stored
plate gets its lookup key, a phone kept with a row's extras moves into its column, and the gate
times start empty; it downgrades cleanly."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from models.db import make_engine, make_session_factory
from models.migrate import downgrade, upgrade
from models.uow import SqlUnitOfWork


def _insert_old_load(url: str) -> None:
    engine = make_engine(url)
    moment = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO enterprises (id, name, whitelisted, tier, extra, created_at,"
                    " updated_at) VALUES ('E01', 'e', true, 1, '{}', :m, :m)"
                ),
                {"m": moment},
            )
            connection.execute(
                text(
                    "INSERT INTO loads (id, enterprise_id, category, temperature,"
                    " handling_minutes, release, due, has_pass, vehicle_plate, status, extra,"
                    " created_at, updated_at) VALUES ('L1', 'E01', 'other', 'ambient', 30, :m, :m,"
                    " false, '赣B·12345', 'submitted', :extra, :m, :m)"
                ),
                {"m": moment, "extra": '{"driver_phone": "13800138000", "note": "x"}'},
            )
    finally:
        engine.dispose()


def test_the_gate_migration_keys_old_plates_and_moves_phones_out_of_the_extras(database_url):
    upgrade(database_url, "0002")
    _insert_old_load(database_url)

    upgrade(database_url)

    engine = make_engine(database_url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow:
            load = uow.loads.get("E01/L1")  # keyed per enterprise since 0008
            assert load.driver_phone == "13800138000"
            assert load.model_extra == {"note": "x"}
            assert load.arrived_at is None and load.completed_at is None
            assert [ld.id for ld in uow.loads.list(vehicle_plate="赣b12345")] == ["E01/L1"]
    finally:
        engine.dispose()
    downgrade(database_url, "0002")
    upgrade(database_url)

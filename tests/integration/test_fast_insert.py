"""models/fast_insert.py: on SQLite a row goes in on the driver's cursor, and it is the row
SQLAlchemy's own INSERT stores (same bind processors: time stamps, JSON, booleans), in the
session's transaction; a clash is SQLAlchemy's IntegrityError, so a repository still answers a
Conflict. On PostgreSQL the same calls go through SQLAlchemy. Both databases."""

from __future__ import annotations

from typing import Any, cast

import pytest
from samples import enterprise, plain_load
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError

from hub_scheduler.domain import Location, Screening
from hub_scheduler.errors import Conflict
from hub_scheduler.records import AuditEntry
from models import convert
from models.fast_insert import FastInsert
from models.repositories.base import now
from models.tables import AuditRow, LoadRow

LOADS = cast(Table, LoadRow.__table__)
AUDIT = cast(Table, AuditRow.__table__)


def _values(load_id: str) -> dict[str, Any]:
    load = plain_load(
        load_id,
        release=8,
        allowed_hubs=["H1", "H2"],
        origin=Location(lat=25.1, lon=115.6),
        vehicle_plate="赣B·T52D8",
        screening=Screening(health_code="green"),
        has_pass=True,
    )
    moment = now()
    return {
        **convert.load_row_values(load),
        "created_at": moment,
        "updated_at": moment,
        "idempotency_key": f"key-{load_id}",
        "created_by": "tester",
    }


@pytest.fixture
def uow(sql_uow):
    with sql_uow:
        sql_uow.enterprises.add(enterprise("E1"))
        sql_uow.commit()
    return sql_uow


def test_the_row_is_the_one_sqlalchemy_stores(uow):
    fast = FastInsert(insert(LOADS))
    with uow:
        connection = uow.session.connection()
        fast_values, plain_values = _values("FAST"), _values("PLAIN")
        plain_values.update(
            created_at=fast_values["created_at"], updated_at=fast_values["updated_at"]
        )
        plain_values["idempotency_key"] = fast_values["idempotency_key"] + "-plain"
        fast.execute(connection, fast_values)
        connection.execute(insert(LOADS), plain_values)
        uow.commit()
    # The driver's cursor was used on SQLite (a compiled plan), SQLAlchemy elsewhere.
    planned = [plan for plan in fast._compiled.values() if plan is not None]
    assert bool(planned) == (uow.session_factory.kw["bind"].dialect.name == "sqlite")
    with uow:
        rows = {
            r["id"]: dict(r) for r in uow.session.connection().execute(select(LOADS)).mappings()
        }
        stored = uow.loads.get("FAST")
    fast_row, plain_row = rows["FAST"], rows["PLAIN"]
    for row in (fast_row, plain_row):
        row.pop("id")
        row.pop("idempotency_key")
    assert fast_row == plain_row
    assert stored is not None and stored.allowed_hubs == ["H1", "H2"]
    assert stored.screening is not None and stored.screening.health_code == "green"


def test_returning_and_the_same_transaction(uow):
    fast = FastInsert(insert(AUDIT).returning(AUDIT.c.id))
    entry = AuditEntry(at=now(), actor="tester", action="load.create", target_type="load",
                       target_id="X", details={"n": 1})  # fmt: skip
    with uow:
        connection = uow.session.connection()
        (first,) = fast.execute(connection, convert.audit_row_values(entry))
        (second,) = fast.execute(connection, convert.audit_row_values(entry))
        assert second == first + 1
        uow.rollback()  # on the session's transaction: rolled back with it
    with uow:
        assert uow.audit.list() == []


def test_a_clash_is_sqlalchemys_integrity_error_and_a_conflict(uow):
    fast = FastInsert(insert(LOADS))
    with uow:
        connection = uow.session.connection()
        fast.execute(connection, _values("TWICE"))
        with pytest.raises(IntegrityError):
            fast.execute(connection, _values("TWICE"))
        uow.rollback()
    with uow:
        uow.loads.add(plain_load("ONCE", release=8))
        uow.commit()
    with uow, pytest.raises(Conflict):
        uow.loads.add(plain_load("ONCE", release=9))

"""Migration 0013 on SQLite and PostgreSQL: a truck already at the gate gets the slot it came for
as its `arrival_slot_start` (a late one: the missed slot its check-in's repair recorded; a walk-in:
none; any other: the slot it is pinned to), a truck not come gets none, plans get an empty
`figure_basis`; it downgrades cleanly."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import inspect, text

from models.db import make_engine, make_session_factory
from models.migrate import downgrade, upgrade
from models.uow import SqlUnitOfWork

MOMENT = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
PINNED = datetime(2026, 11, 28, 0, 40, tzinfo=UTC)  # where each truck is pinned now
ARRIVED = datetime(2026, 11, 28, 0, 20, tzinfo=UTC)
LATE = {"code": "LATE_ARRIVAL", "params": {"planned_start": "2026-11-28T08:00:00+08:00"}}
WALK_IN = {"code": "WALK_IN", "params": {"planned_start": None}}
# a late truck with no slot left: the code is the outcome, the cause says what set it off
NO_SLOT = {
    "code": "NO_SLOT_LEFT",
    "params": {"cause": "LATE_ARRIVAL", "planned_start": "2026-11-28T08:05:00+08:00"},
}


def _insert(url: str, load_id: str, arrived: datetime | None, changed: dict | None) -> None:
    engine = make_engine(url)
    extra = {"slot_changed": changed} if changed else {}
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO loads (id, enterprise_id, category, temperature,"
                    " handling_minutes, release, due, has_pass, status, extra, arrived_at,"
                    " pinned_hub_id, pinned_dock_id, pinned_start, created_at, updated_at)"
                    " VALUES (:id, 'E01', 'other', 'ambient', 30, :m, :m, true, :status,"
                    " :extra, :arrived, 'H1', 'D1', :pinned, :m, :m)"
                ),
                {
                    "id": load_id,
                    "m": MOMENT,
                    "status": "checked_in" if arrived else "scheduled",
                    "extra": json.dumps(extra),
                    "arrived": arrived,
                    "pinned": PINNED,
                },
            )
    finally:
        engine.dispose()


def test_trucks_at_the_gate_get_the_slot_they_came_for(database_url):
    upgrade(database_url, "0012")
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO enterprises (id, name, whitelisted, tier, extra, created_at,"
                    " updated_at) VALUES ('E01', 'e', true, 1, '{}', :m, :m)"
                ),
                {"m": MOMENT},
            )
    finally:
        engine.dispose()
    _insert(database_url, "E01/late", ARRIVED, LATE)
    _insert(database_url, "E01/walk", ARRIVED, WALK_IN)
    _insert(database_url, "E01/none_left", ARRIVED, NO_SLOT)
    _insert(database_url, "E01/on_time", ARRIVED, None)
    _insert(database_url, "E01/not_come", None, None)

    upgrade(database_url)

    engine = make_engine(database_url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow:
            slots = {ld.id: ld.arrival_slot_start for ld in uow.loads.list()}
        assert {"figure_basis"} <= {c["name"] for c in inspect(engine).get_columns("plans")}
    finally:
        engine.dispose()
    assert slots == {
        "E01/late": datetime(2026, 11, 28, 0, 0, tzinfo=UTC),
        "E01/walk": None,
        "E01/none_left": datetime(2026, 11, 28, 0, 5, tzinfo=UTC),
        "E01/on_time": PINNED,
        "E01/not_come": None,
    }
    downgrade(database_url, "0012")
    upgrade(database_url)

"""Migration 0010 on a database with loads in it (SQLite and PostgreSQL): every load is keyed
`enterprise_id/id` and every reference follows (relays, relay proposals, plan rows, incidents,
JSON ids, the Idempotency-Key records); another enterprise can then hold the same id; it
downgrades cleanly."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import text

from models.db import make_engine, make_session_factory
from models.migrate import downgrade, upgrade
from models.uow import SqlUnitOfWork

_M = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def _run(url: str, *statements: tuple[str, dict]) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for sql, params in statements:
                connection.execute(text(sql), {"m": _M, **params})
    finally:
        engine.dispose()


def _rows(url: str, sql: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql))]
    finally:
        engine.dispose()


_ENTERPRISE = (
    "INSERT INTO enterprises (id, name, whitelisted, tier, extra, created_at, updated_at)"
    " VALUES (:id, 'e', true, 1, '{}', :m, :m)"
)
_LOAD = (
    "INSERT INTO loads (id, enterprise_id, category, temperature, handling_minutes, release, due,"
    " has_pass, status, extra, created_at, updated_at) VALUES (:id, :e, 'other', 'ambient', 30,"
    " :m, :m, false, 'submitted', '{}', :m, :m)"
)


def _old_data(url: str) -> None:
    extra = {"late": [{"load_id": "L2", "dock_held_before_by": ["L1"]}], "note": "L1"}
    progress = {"publish": {"dropped": ["L2"], "retired": [3]}}
    _run(
        url,
        (_ENTERPRISE, {"id": "E01"}),
        (_ENTERPRISE, {"id": "E02"}),
        (_LOAD, {"id": "L1", "e": "E01"}),
        (_LOAD, {"id": "L2", "e": "E01"}),
        (_LOAD, {"id": "X9", "e": "E02"}),
        ("INSERT INTO transfers (inbound, outbound, min_gap_minutes, extra)"
         " VALUES ('L1', 'L2', 0, '{}')", {}),
        ("INSERT INTO plans (id, horizon_start, horizon_end, status, params, progress,"
         " requested_by, requested_at, published, attempts, extra, schedule_extra)"
         " VALUES (7, :m, :m, 'succeeded', '{}', :p, 'a', :m, false, 0, '{}', :x)",
         {"x": json.dumps(extra), "p": json.dumps(progress)}),
        ("INSERT INTO plan_assignments (plan_id, position, load_id, hub_id, zone_id, dock_id,"
         " start, \"end\", disinfected_at) VALUES (7, 0, 'L1', 'H', 'Z', 'D', :m, :m, :m)", {}),
        ("INSERT INTO plan_unscheduled (plan_id, position, load_id, reason_code, reason)"
         " VALUES (7, 0, 'X9', 'NO_SLOT', 'r')", {}),
        ("INSERT INTO incidents (load_id, reported_at, actor, note, blocked_window_ids,"
         " cancelled_load_ids, contacts) VALUES ('L1', :m, 'a', '', '[]', :c, :t)",
         {"c": json.dumps(["L2", "X9"]),
          "t": json.dumps([{"load_id": "X9", "source_load_id": "L1", "hub_id": "L1"}])}),
        # E01 proposes its L1 -> E02's X9 (exists) and E02 proposes ZZ (nobody's) -> E01's L2.
        ("INSERT INTO transfer_proposals (id, inbound, outbound, min_gap_minutes,"
         " proposer_enterprise_id, partner_enterprise_id, partner_load, status, proposed_by,"
         " proposed_at) VALUES (1, 'L1', 'X9', 0, 'E01', 'E02', 'outbound', 'pending', 'a', :m),"
         " (2, 'ZZ', 'L2', 0, 'E02', 'E01', 'outbound', 'pending', 'a', :m)", {}),
        ("INSERT INTO site_config (key, value) VALUES ('load-submit:E01:k1', :v)",
         {"v": json.dumps({"sha256": "s", "load_ids": ["L1"]})}),
    )  # fmt: skip


def test_the_load_key_migration_keys_every_load_and_every_reference(database_url):
    # From 0011, the head before it: on SQLite 0011 itself empties plan_assignments (see report).
    upgrade(database_url, "0011")
    _old_data(database_url)

    upgrade(database_url)

    assert sorted(_rows(database_url, "SELECT id FROM loads")) == [
        ("E01/L1",),
        ("E01/L2",),
        ("E02/X9",),
    ]
    assert _rows(database_url, "SELECT inbound, outbound FROM transfers") == [("E01/L1", "E01/L2")]
    assert _rows(database_url, "SELECT load_id FROM plan_assignments") == [("E01/L1",)]
    assert _rows(database_url, "SELECT load_id FROM plan_unscheduled") == [("E02/X9",)]
    proposals = "SELECT inbound, outbound FROM transfer_proposals ORDER BY id"
    assert _rows(database_url, proposals) == [("E01/L1", "E02/X9"), ("E02/ZZ", "E01/L2")]
    engine = make_engine(database_url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow:
            assert uow.loads.get("E01/L1").enterprise_id == "E01"
            assert uow.config.get("load-submit:E01:k1")["load_ids"] == ["E01/L1"]
            (incident,) = uow.incidents.list()
            assert incident.load_id == "E01/L1"
            assert incident.cancelled_load_ids == ["E01/L2", "E02/X9"]
            contact = incident.contacts[0]
            assert (contact["load_id"], contact["source_load_id"]) == ("E02/X9", "E01/L1")
            assert contact["hub_id"] == "L1"  # not a load id: left alone
        # The same id for another enterprise is a load of its own now.
        _run(database_url, (_LOAD, {"id": "E02/L1", "e": "E02"}))
    finally:
        engine.dispose()
    ((extra, progress),) = _rows(database_url, "SELECT schedule_extra, progress FROM plans")
    extra = json.loads(extra) if isinstance(extra, str) else extra  # SQLite: text
    progress = json.loads(progress) if isinstance(progress, str) else progress
    assert progress == {"publish": {"dropped": ["E01/L2"], "retired": [3]}}
    assert extra == {
        "late": [{"load_id": "E01/L2", "dock_held_before_by": ["E01/L1"]}],
        "note": "L1",
    }

    _run(database_url, ("DELETE FROM loads WHERE id = 'E02/L1'", {}))
    downgrade(database_url, "0011")
    assert _rows(database_url, proposals) == [("L1", "X9"), ("ZZ", "L2")]
    assert sorted(_rows(database_url, "SELECT id FROM loads")) == [("L1",), ("L2",), ("X9",)]
    assert _rows(database_url, "SELECT inbound, outbound FROM transfers") == [("L1", "L2")]
    upgrade(database_url)
    assert _rows(database_url, "SELECT load_id FROM plan_assignments") == [("E01/L1",)]

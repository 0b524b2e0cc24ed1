"""Migration 0011 (a plan's `parent_id`) on a database with a stored plan (SQLite and PostgreSQL):
the plan's assignments and unscheduled loads survive the upgrade and the downgrade.

On SQLite, Alembic's batch mode copies `plans` and drops the old table; with foreign keys on, that
drop deleted every `ON DELETE CASCADE` child row (`models.migrate` now migrates with them off).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from models.db import make_engine
from models.migrate import downgrade, upgrade

MOMENT = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def _counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return tuple(  # type: ignore[return-value]
                connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("plans", "plan_assignments", "plan_unscheduled")
            )
    finally:
        engine.dispose()


def _insert_plan(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            plan_id = connection.execute(
                text(
                    "INSERT INTO plans (horizon_start, horizon_end, status, params, progress,"
                    " requested_by, requested_at, published, attempts, extra)"
                    " VALUES (:m, :m, 'succeeded', '{}', '{}', 'test', :m, true, 0, '{}')"
                    " RETURNING id"
                ),
                {"m": MOMENT},
            ).scalar_one()
            connection.execute(
                text(
                    "INSERT INTO plan_assignments (plan_id, position, load_id, hub_id, zone_id,"
                    ' dock_id, start, "end", disinfected_at)'
                    " VALUES (:p, 0, 'L1', 'H1', 'Z1', 'D1', :m, :m, :m)"
                ),
                {"p": plan_id, "m": MOMENT},
            )
            connection.execute(
                text(
                    "INSERT INTO plan_unscheduled (plan_id, position, load_id, reason_code, reason)"
                    " VALUES (:p, 0, 'L2', 'CLOSED', 'closed')"
                ),
                {"p": plan_id},
            )
    finally:
        engine.dispose()


def test_a_stored_plan_keeps_its_rows_through_the_plan_parts_migration(database_url):
    upgrade(database_url, "0009")
    _insert_plan(database_url)
    assert _counts(database_url) == (1, 1, 1)

    upgrade(database_url, "0011")
    assert _counts(database_url) == (1, 1, 1)

    downgrade(database_url, "0009")
    assert _counts(database_url) == (1, 1, 1)
    upgrade(database_url)
    assert _counts(database_url) == (1, 1, 1)

"""Migration 0012 (a failed plan's `error_code` and `error_params`) on SQLite and PostgreSQL: a
job failed before it keeps its English `error` and gets no code (the pages show its text as
before); a code and its JSON params are stored and read back; the downgrade drops both columns
and keeps every `error`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from hub_scheduler.records import JobStatus
from models.db import make_engine, make_session_factory
from models.migrate import downgrade, upgrade
from models.uow import SqlUnitOfWork

MOMENT = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
OLD = "the job's worker stopped without finishing (stale heartbeat)"


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns("plans")}
    finally:
        engine.dispose()


def _insert_failed_plan(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            return connection.execute(
                text(
                    "INSERT INTO plans (horizon_start, horizon_end, status, params, progress,"
                    " requested_by, requested_at, published, attempts, extra, error)"
                    " VALUES (:m, :m, 'failed', '{}', '{}', 'test', :m, false, 1, '{}', :e)"
                    " RETURNING id"
                ),
                {"m": MOMENT, "e": OLD},
            ).scalar_one()
    finally:
        engine.dispose()


def test_old_failures_keep_their_error_and_new_ones_store_a_code(database_url):
    upgrade(database_url, "0010")
    assert {"error_code", "error_params"}.isdisjoint(_columns(database_url))
    old_id = _insert_failed_plan(database_url)

    upgrade(database_url, "0012")
    assert {"error_code", "error_params"} <= _columns(database_url)
    new_id = _insert_failed_plan(database_url)
    upgrade(database_url)  # the repository reads today's columns (0014 added plans' versions)
    engine = make_engine(database_url)
    try:
        uow = SqlUnitOfWork(make_session_factory(engine))
        with uow:
            old = uow.plans.get(old_id)
            assert old is not None
            assert (old.error, old.error_code, old.error_params) == (OLD, None, None)
            params = {"time_limit_s": 1.0, "grace_s": 120.0, "silent_s": 121.0}
            uow.plans.set_status(
                new_id, JobStatus.FAILED, error=OLD, error_code="job_stale", error_params=params
            )
            uow.commit()
        with uow:
            new = uow.plans.get(new_id)
            assert new is not None and (new.error_code, new.error_params) == ("job_stale", params)
    finally:
        engine.dispose()

    downgrade(database_url, "0010")
    assert {"error_code", "error_params"}.isdisjoint(_columns(database_url))
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT error FROM plans ORDER BY id")).scalars().all()
        assert kept == [OLD, OLD]
    finally:
        engine.dispose()
    upgrade(database_url)
    assert {"error_code", "error_params"} <= _columns(database_url)

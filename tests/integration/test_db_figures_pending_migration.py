"""Migration 0014 (`plans.rows_version`, `plans.figures_version`) on SQLite and PostgreSQL: a plan
stored before it had its figures counted in its edits' own transactions, so it reads as caught up
(both 0, not pending); an edit after it marks the figures pending; the downgrade drops both
columns and keeps the plan."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from hub_scheduler.ports.plans import FigureVersions
from models.db import make_engine, make_session_factory
from models.migrate import downgrade, upgrade
from models.uow import SqlUnitOfWork

MOMENT = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
COLUMNS = {"rows_version", "figures_version"}


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns("plans")}
    finally:
        engine.dispose()


def _insert_plan(url: str) -> int:
    """A published plan with a schedule header (no rows), as 0013 stored it."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            return connection.execute(
                text(
                    "INSERT INTO plans (horizon_start, horizon_end, status, params, progress,"
                    " requested_by, requested_at, published, attempts, extra, schedule_status,"
                    " schedule_scenario, objective, kpis)"
                    " VALUES (:m, :m, 'succeeded', '{}', '{}', 'test', :m, true, 1, '{}',"
                    " 'feasible', 'xunwu', 12.5, '{\"late_count\": 0}')"
                    " RETURNING id"
                ),
                {"m": MOMENT},
            ).scalar_one()
    finally:
        engine.dispose()


def test_plans_stored_before_read_as_caught_up_and_an_edit_marks_them(database_url):
    upgrade(database_url, "0013")
    assert COLUMNS.isdisjoint(_columns(database_url))
    plan_id = _insert_plan(database_url)

    upgrade(database_url)
    assert COLUMNS <= _columns(database_url)
    engine = make_engine(database_url)
    held: list[int] = []
    try:
        uow = SqlUnitOfWork(make_session_factory(engine), on_stale_figures=held.extend)
        with uow:
            plan = uow.plans.get(plan_id)
            assert plan is not None and plan.figures_pending is False
            assert uow.plans.figure_versions(plan_id) == FigureVersions(0, 0)
            assert uow.plans.with_figures_pending() == []
            assert uow.plans.drop_assignment(plan_id, "E01/none") is False
            uow.commit()
        assert held == [plan_id]
        with uow:
            plan = uow.plans.get(plan_id)
            assert plan is not None and plan.figures_pending is True
            assert uow.plans.with_figures_pending() == [plan_id]
    finally:
        engine.dispose()

    downgrade(database_url, "0013")
    assert COLUMNS.isdisjoint(_columns(database_url))
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT objective FROM plans")).scalars().all()
        assert kept == [12.5]
    finally:
        engine.dispose()
    upgrade(database_url)

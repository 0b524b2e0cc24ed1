"""The recount of a plan's figures in the background (SQLite and PostgreSQL, the in-process
runner: `auto` without Redis, a bare gunicorn): two late check-ins on one dock race in real
threads, each request answers without counting, the process's recount thread counts after their
commits (api/figures.py), and once it has settled the stored figures are those a recount from
scratch gives, and no view says `figures_pending`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.database import db
from api.figures import recounter
from hub_scheduler.services.plan_figures import follow_rows
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.live_plan import SLOT, T, check_in, cold_load, cold_plan, plan_views, publish
from tests.threads import all_at_once


@pytest.fixture
def app_settings():
    return {"HUB_SCHEDULER_JOB_RUNNER": "thread"}


def _figures(app, plan_id: int, *, from_scratch: bool) -> tuple:
    """The plan's objective and KPIs as stored, or as its rows give them counted anew (and not
    kept)."""
    uow = db.uow(app)
    with uow:
        if from_scratch:
            follow_rows(uow, [plan_id])
        plan = uow.plans.get(plan_id, with_rows=False)
        uow.rollback()
    assert plan is not None and plan.schedule is not None
    return plan.schedule.objective, plan.schedule.bound, plan.schedule.kpis


def test_two_late_check_ins_racing_end_with_the_figures_of_the_rows(
    app, client, tokens, uow, seeded, xunwu
):
    later = SLOT + timedelta(minutes=75)  # B1 holds the dock until 08:35; a 15-minute grid
    first = cold_load(xunwu, "B1")
    second = cold_load(
        xunwu,
        "B2",
        release=later,
        due=later + timedelta(minutes=45),
        deadline=T("2026-11-28T12:00:00+08:00"),
    )
    plan_id = cold_plan(
        uow, xunwu, [(first, SLOT), (second, later)], [cold_load(xunwu, "X1")], add_loads=True
    )
    published = publish(client, tokens, plan_id)
    assert published["kpis"]["late_count"] == 0

    answers = all_at_once(
        [
            lambda: check_in(app.test_client(), tokens, "B1", "2026-11-28T07:50:00+08:00"),
            lambda: check_in(app.test_client(), tokens, "B2", "2026-11-28T09:05:00+08:00"),
        ]
    )

    # Whichever comes first: B2 is repaired after the morning's blocked window; B1 gets 08:00
    # when B2 went first, else no slot (B2 still held 08:45 and B1 is due out by 10:00).
    assert answers[0]["reason"]["code"] in {"LATE_ARRIVAL", "NO_SLOT_LEFT"}
    assert answers[1]["reason"]["code"] == "LATE_ARRIVAL"
    thread = recounter(app)
    assert thread is not None and thread.settle(30)
    stored = _figures(app, plan_id, from_scratch=False)
    assert stored == _figures(app, plan_id, from_scratch=True)
    assert stored[2]["late_count"] >= 1
    for view in plan_views(client, tokens, plan_id):
        assert view["figures_pending"] is False
        assert view["objective"] == stored[0]

"""The recount of a plan's figures is off the gate's request (SQLite and PostgreSQL, the database
queue, `hub-scheduler serve`'s profile): with the job not run yet, a late check-in still answers,
and every plan view says `figures_pending` with the figures from before it (the pages say
正在重新统计); the worker's recount thread (api/worker.py) then counts them, and the views show
the late truck and stop saying so."""

from __future__ import annotations

import pytest

from api.figures import Recounter
from tests.api.both_databases import api_database_url  # noqa: F401  (SQLite and PostgreSQL)
from tests.api.live_plan import SLOT, check_in, cold_load, cold_plan, plan_views, publish
from tests.api.web_pages import ZH, signed_in


@pytest.fixture
def app_settings():
    # The database queue: the edit's commit sends nothing; a worker process counts.
    return {"HUB_SCHEDULER_JOB_RUNNER": "database"}


def test_with_the_recount_not_run_the_check_in_answers_and_the_plan_says_figures_pending(
    app, client, tokens, uow, seeded, xunwu
):
    booked, other = cold_load(xunwu, "B1"), cold_load(xunwu, "X1")
    plan_id = cold_plan(uow, xunwu, [(booked, SLOT)], [other], add_loads=True)
    published = publish(client, tokens, plan_id)  # a publish counts in its own transaction
    assert published["figures_pending"] is False and published["kpis"]["late_count"] == 0

    body = check_in(client, tokens, "B1", "2026-11-28T07:50:00+08:00")

    assert body["reason"]["code"] == "LATE_ARRIVAL"
    for view in plan_views(client, tokens, plan_id):
        assert view["figures_pending"] is True
        assert view["kpis"]["late_count"] == 0  # the figures from before the check-in
        assert view["objective"] == published["objective"]
    mine = client.get("/api/v1/plans/published?date=2026-11-28", headers=tokens["enterprise"]).json
    assert mine["plan"]["figures_pending"] is True
    page = signed_in(app, tokens, "admin").get(f"/plans/{plan_id}", headers=ZH)
    assert 'id="figures-pending"' in page.get_data(as_text=True)
    assert "正在重新统计" in page.get_data(as_text=True)
    listed = signed_in(app, tokens, "admin").get("/plans", headers={"Accept-Language": "en"})
    assert "Recounting the figures" in listed.get_data(as_text=True)

    # The worker's round: the pending plans it finds in the database.
    assert Recounter(app, sweep_s=0).run_once() == 1

    for view in plan_views(client, tokens, plan_id):
        assert view["figures_pending"] is False
        assert view["kpis"]["late_count"] == 1
        assert view["objective"] > published["objective"]
    page = signed_in(app, tokens, "admin").get(f"/plans/{plan_id}", headers=ZH)
    assert "正在重新统计" not in page.get_data(as_text=True)
    assert Recounter(app, sweep_s=0).run_once() == 0  # nothing left pending

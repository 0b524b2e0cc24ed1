"""A plan's figures counted again by a real `hub-scheduler worker` after a row edit
(api/figures.py), both profiles, both databases: the web app's edit commits and answers with the
figures pending; the database worker's recount thread finds the stale mark, an RQ worker runs the
job the commit enqueued; either way the stored figures become those of the rows, no longer
pending."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from api import create_app
from api.database import db
from api.web.i18n import translator
from hub_scheduler.services.plan_figures import follow_rows
from hub_scheduler.services.plans import ensure_published_plan
from models.scenario_store import load_scenario
from tests.queue.conftest import REDIS

pytestmark = [pytest.mark.db, pytest.mark.e2e, pytest.mark.slow]


def _figures(uow, plan_id: int, *, from_scratch: bool = False) -> tuple:
    with uow:
        if from_scratch:
            follow_rows(uow, [plan_id])
        plan = uow.plans.get(plan_id, with_rows=False)
        uow.rollback()
    return plan.schedule.objective, plan.schedule.kpis, plan.figures_pending


def _published(queue_db) -> int:
    """The Xunwu day planned (2 s) and published as of its first minute: trucks with slots."""
    h = queue_db.scenario.horizon
    plan = ensure_published_plan(
        queue_db.uow(),
        h.start,
        h.end,
        actor="test",
        load_scenario=load_scenario,
        english=translator("en"),
        time_limit_s=2,
        now=h.start,
    )
    return plan.stored_id


def _move_later(uow, plan_id: int) -> None:
    """A repair's edit: the plan's first row two hours later, under the publishing lock."""
    with uow:
        uow.plans.lock_publishing()
        row = uow.plans.get(plan_id).schedule.assignments[0]
        later = timedelta(hours=2)
        uow.plans.move_assignment(
            plan_id,
            row.model_copy(
                update={
                    "start": row.start + later,
                    "end": row.end + later,
                    "disinfected_at": row.disinfected_at + later,
                }
            ),
        )
        uow.commit()


@pytest.mark.parametrize("profile", ["database", "rq"])
def test_a_worker_counts_the_figures_of_an_edited_plan(queue_db, workers, queue_name, profile):
    plan_id = _published(queue_db)
    settings = {"DATABASE_URL": queue_db.url, "HUB_SCHEDULER_JOB_RUNNER": profile}
    if profile == "rq":
        settings |= {"REDIS_URL": REDIS, "HUB_SCHEDULER_QUEUE": queue_name}
    app = create_app(settings)
    try:
        _move_later(db.uow(app), plan_id)  # the web process: its commit queues the recount
        assert _figures(queue_db.uow(), plan_id)[2] is True  # no worker yet: pending

        workers.start(redis_queue=queue_name if profile == "rq" else None)
        deadline = time.monotonic() + 60
        while _figures(queue_db.uow(), plan_id)[2] and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        db.dispose(app)
    objective, kpis, pending = _figures(queue_db.uow(), plan_id)
    assert pending is False, workers.log(0)
    assert (objective, kpis, False) == _figures(queue_db.uow(), plan_id, from_scratch=True)

"""A plan request over a day of independent parts: part jobs on the queue, one merge, verified.

The day is the Xunwu fixture with its loads limited to two groups of hubs (two counties side by
side): two parts. Real worker processes (RQ on a private Redis queue, or the database-claimed
worker), both databases; the in-process runner solves the parts one after another.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from api.jobs import DatabaseRunner, RQRunner
from bench.generate import two_regions
from hub_scheduler.records import JobStatus
from hub_scheduler.scenario_file import parse_scenario
from hub_scheduler.services import job_run
from hub_scheduler.services import jobs as job_service
from hub_scheduler.solver.partition import independent_parts, split
from hub_scheduler.verify import verify
from models.db import make_engine, make_session_factory
from models.scenario_store import load_scenario, store_scenario
from tests.queue.conftest import XUNWU, QueueDb

pytestmark = [pytest.mark.db]


class TwoCountiesDb(QueueDb):
    """The Xunwu day as two counties: the database holds the two-region loads."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.factory = make_session_factory(self.engine)
        self.scenario = two_regions(parse_scenario(json.loads(XUNWU.read_text("utf-8"))), 2)
        assert len(independent_parts(self.scenario)) == 2
        store_scenario(self.uow(), self.scenario)

    def parts(self, plan_id: int):
        with self.uow() as uow:
            return sorted(uow.plans.list(parts_of=plan_id, limit=None), key=lambda p: p.id)

    def wait_parts(self, plan_id: int, count: int, *statuses: JobStatus, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            parts = self.parts(plan_id)
            if len(parts) == count and all(p.status in statuses for p in parts):
                return parts
            time.sleep(0.1)
        raise AssertionError(
            f"parts of {plan_id}: {[(p.id, p.status) for p in self.parts(plan_id)]}"
        )


@pytest.fixture
def counties_db(migrated_database_url) -> TwoCountiesDb:
    db = TwoCountiesDb(migrated_database_url)
    yield db
    db.engine.dispose()


def assert_merged_plan_is_whole_and_verified(db: TwoCountiesDb, plan_id: int) -> None:
    parent = db.plan(plan_id)
    assert parent.status is JobStatus.SUCCEEDED, parent.error
    parts = db.parts(plan_id)
    assert len(parts) == 2 and all(p.status is JobStatus.SUCCEEDED for p in parts)
    assert sorted(h for p in parts for h in p.hub_ids) == sorted(h.id for h in db.scenario.hubs)
    with db.uow() as uow:
        merged = uow.plans.get(plan_id).schedule
    h = db.scenario.horizon
    whole = job_run.with_now(load_scenario(db.uow(), h.start, h.end), h.start)
    report = verify(whole, merged)
    assert report.ok, [v.text for v in report.violations][:5]
    # every load of every part is scheduled or left out with its reason, exactly once
    ids = [a.load_id for a in merged.assignments] + [u.load_id for u in merged.unscheduled]
    assert sorted(ids) == sorted(ld.id for ld in whole.loads)
    assert all(u.reason for u in merged.unscheduled)
    assert merged.objective == pytest.approx(sum(p.schedule.objective for p in parts))
    assert parent.progress["phase"] == "done" and parent.progress["merge_s"] >= 0


@pytest.mark.e2e
def test_a_split_request_on_two_rq_workers_merges_into_one_verified_plan(
    counties_db, workers, queue_name
):
    procs = [workers.start(queue_name), workers.start(queue_name)]
    plan_id = counties_db.request(RQRunner(workers.redis, queue_name), time_limit_s=1)
    counties_db.wait(plan_id, JobStatus.SUCCEEDED, JobStatus.FAILED, timeout=90)
    assert_merged_plan_is_whole_and_verified(counties_db, plan_id)
    ran = {counties_db.claim_info(p.id)[0] for p in counties_db.parts(plan_id)}
    assert all(name and name.split(":")[1] in {str(p.pid) for p in procs} for name in ran)


@pytest.mark.e2e
@pytest.mark.slow
def test_a_part_whose_worker_is_killed_is_retried_and_the_plan_still_merges(counties_db, workers):
    first = workers.start()  # the database-claimed worker: it claims the job, then both parts
    plan_id = counties_db.request(DatabaseRunner(), time_limit_s=4)
    # Killed as soon as a part is running (loading or solving): a small part may prove its
    # optimum in well under a second, so waiting for a given phase could miss it on a busy box.
    deadline = time.monotonic() + 60
    running = None
    while running is None:
        assert time.monotonic() < deadline, counties_db.parts(plan_id)
        running = next(
            (p for p in counties_db.parts(plan_id) if p.status is JobStatus.RUNNING), None
        )
        time.sleep(0.02)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    workers.start()  # the other worker finds the part silent, hands it back once, solves it
    counties_db.wait(plan_id, JobStatus.SUCCEEDED, JobStatus.FAILED, timeout=120)
    assert_merged_plan_is_whole_and_verified(counties_db, plan_id)
    assert counties_db.claim_info(running.id)[1] == 2, "the killed part ran a second time"


@pytest.mark.e2e
def test_cancelling_the_split_job_cancels_its_parts(counties_db, workers, queue_name):
    workers.start(queue_name)
    workers.start(queue_name)
    plan_id = counties_db.request(RQRunner(workers.redis, queue_name), time_limit_s=60)
    # A small part may prove its optimum and succeed early (CP-SAT stops when it has proved it);
    # the cancel must still reach every part that has not ended.
    ended = (JobStatus.RUNNING, JobStatus.SUCCEEDED)
    parts = counties_db.wait_parts(plan_id, 2, *ended)
    assert any(p.status is JobStatus.RUNNING for p in parts), parts
    job_service.cancel_plan(counties_db.uow(), plan_id, actor="test")
    parts = counties_db.wait_parts(plan_id, 2, JobStatus.CANCELLED, JobStatus.SUCCEEDED, timeout=5)
    assert any(p.status is JobStatus.CANCELLED for p in parts)
    assert all(p.finished_at is not None for p in parts)
    # both workers stop solving within a couple of seconds: no part claims a worker any more
    time.sleep(3)
    assert counties_db.plan(plan_id).status is JobStatus.CANCELLED
    assert all(
        counties_db.plan(p.id).status in (JobStatus.CANCELLED, JobStatus.SUCCEEDED) for p in parts
    )


def test_split_false_or_the_in_process_runner_keeps_one_job(counties_db):
    runner = job_run.run_inline(counties_db.uow, load_scenario)
    job = counties_db.day_job(time_limit_s=1, workers=1)
    plan = job_service.request_plan(counties_db.uow(), runner, **job)
    assert counties_db.plan(plan.id).status is JobStatus.SUCCEEDED
    assert counties_db.parts(plan.id) == []


def test_split_true_in_process_solves_the_parts_in_turn_and_get_shows_them(counties_db):
    from api import create_app
    from api.database import db

    app = create_app(
        {"DATABASE_URL": counties_db.url, "HUB_SCHEDULER_JOB_RUNNER": "inline", "TESTING": True}
    )
    try:
        auth = counties_db.admin_auth()
        h = counties_db.scenario.horizon
        body = {
            "horizon": {"start": h.start.isoformat(), "end": h.end.isoformat()},
            "time_limit_s": 1,
            "workers": 1,
            "now": h.start.isoformat(),
            "split": True,
        }
        client = app.test_client()
        asked = client.post("/api/v1/plans", json=body, headers=auth)
        assert asked.status_code == 202, asked.json
        got = client.get(asked.headers["Location"], headers=auth).json
        assert got["status"] == "succeeded", got["error"]
        assert len(got["parts"]) == 2
        assert {p["status"] for p in got["parts"]} == {"succeeded"}
        assert all(p["seconds"] is not None and p["seconds"] >= 0 for p in got["parts"])
        assert got["objective"] == pytest.approx(sum(p["objective"] for p in got["parts"]))
        part = client.get(f"/api/v1/plans/{got['parts'][0]['id']}", headers=auth).json
        assert part["parent_id"] == got["id"] and part["parts"] == []
        assert_merged_plan_is_whole_and_verified(counties_db, got["id"])
    finally:
        db.dispose(app)


def test_a_part_reads_only_its_own_loads_and_equals_the_in_memory_split(counties_db, monkeypatch):
    """A part job's loader (`anywhere=False`) asks the database for the loads that may go to its
    hubs only, and builds exactly the part `partition.split` cuts from the whole day (with the
    positions of a published plan in both)."""
    from models.repositories.loads import SqlLoadRepository

    db = counties_db
    h = db.scenario.horizon
    from api.web.i18n import translator
    from hub_scheduler.services.plans import ensure_published_plan

    # `previous` from the plan in force, in the whole day and in each part
    ensure_published_plan(
        db.uow(),
        h.start,
        h.end,
        actor="t",
        load_scenario=load_scenario,
        english=translator("en"),
        time_limit_s=1,
        now=h.start,
    )
    whole = load_scenario(db.uow(), h.start, h.end)
    assert any(ld.previous is not None for ld in whole.loads)
    parts = independent_parts(whole)
    pieces = split(whole, parts)
    assert len(pieces) == 2 and all(piece.loads for piece in pieces)

    fetched: list[int] = []
    listed = SqlLoadRepository.list

    def counting(self, **kwargs):
        found = listed(self, **kwargs)
        fetched.append(len(found))
        return found

    monkeypatch.setattr(SqlLoadRepository, "list", counting)
    for hubs, piece in zip(parts, pieces, strict=True):
        fetched.clear()
        part = load_scenario(db.uow(), h.start, h.end, None, hubs, anywhere=False)
        assert part.model_copy(update={"name": piece.name}) == piece
        # the database returned the part's loads, not the day's
        assert fetched == [len(piece.loads)] and len(piece.loads) < len(whole.loads)
    monkeypatch.undo()

    # A load that may go anywhere, submitted after the split, belongs to no part (the split gives
    # it to none), but a plain hub subset still plans it.
    free = whole.loads[0].model_copy(
        update={"id": "FREE-1", "allowed_hubs": None, "pinned": None, "previous": None}
    )
    with db.uow() as uow:
        uow.loads.add(free)
        uow.commit()
    for hubs in parts:
        part = load_scenario(db.uow(), h.start, h.end, None, hubs, anywhere=False)
        assert "FREE-1" not in {ld.id for ld in part.loads}
        assert "FREE-1" in {
            ld.id for ld in load_scenario(db.uow(), h.start, h.end, None, hubs).loads
        }


@pytest.mark.parametrize("beat_s", [0.2, 30.0], ids=["beating", "silent"])
def test_a_merge_longer_than_the_stale_limit_beats_and_is_not_run_again(counties_db, beat_s):
    """The merge beats while it works (phase `merging`): a sweep with a 1.5 s stale limit running
    beside a 4 s merge leaves it alone. Without beats (a beat every 30 s) the same sweep takes
    the merge for a dead worker and hands the job back, which is what the beats prevent."""
    from hub_scheduler.services import job_parts

    db = counties_db
    stale_s = 1.5
    with db.uow() as uow:
        plan = job_service.queue_plan(uow, **db.day_job(time_limit_s=1, workers=1))
        uow.commit()
    plan_id = plan.stored_id
    asked: list[list[int]] = []
    job_run.run_plan(
        db.uow,
        plan_id,
        load_scenario=load_scenario,
        submit_parts=lambda parent, ids: asked.append(ids),
        split_default=True,
    )
    assert len(asked) == 1 and len(asked[0]) == 2
    for part_id in asked[0]:
        assert job_run.run_plan(db.uow, part_id, load_scenario=load_scenario).status is (
            JobStatus.SUCCEEDED
        )

    verified: list[float] = []

    def slow_verify(scenario, schedule):
        verified.append(time.monotonic())
        time.sleep(4.0)
        return verify(scenario, schedule)

    handed_back: list[int] = []
    seen: list[tuple[str | None, str | None]] = []
    done = threading.Event()

    def sweep():  # another worker's dead-worker sweep, every 0.1 s
        while not done.wait(0.1):
            requeued, _ = job_service.recover_silent_jobs(db.uow(), stale_s=stale_s)
            handed_back.extend(requeued)
            progress = db.plan(plan_id).progress
            seen.append((progress.get("phase"), progress.get("heartbeat")))

    sweeper = threading.Thread(target=sweep, daemon=True)
    sweeper.start()
    try:
        merged = job_parts.merge_parts(
            db.uow,
            plan_id,
            load_scenario=load_scenario,
            worker_id="merger:1",
            verify=slow_verify,
            beat_s=beat_s,
        )
    finally:
        done.set()
        sweeper.join(10)
    assert len(verified) == 1
    assert merged is not None
    if beat_s < stale_s:
        assert handed_back == [], "the sweep took a beating merge for a dead worker"
        assert merged.status is JobStatus.SUCCEEDED, merged.error
        assert_merged_plan_is_whole_and_verified(db, plan_id)
        merging = [beat for phase, beat in seen if phase == "merging"]
        assert len(merging) > 10 and len(set(merging)) >= 10, seen  # ~20 beats in 4 s
        assert db.claim_info(plan_id)[0] == "merger:1"
    else:
        assert handed_back == [plan_id]
        assert db.plan(plan_id).status is JobStatus.QUEUED

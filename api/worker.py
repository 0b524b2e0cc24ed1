"""The plan worker: claims a job, keeps it alive, runs the solver, honours cancel and shutdown.

One code path, two ways to learn of work (docs/queue.md):
- `poll_forever`: no Redis. The worker claims `queued` jobs straight from the database (the one
  `hub-scheduler serve` starts beside gunicorn, or any `hub-scheduler worker` without REDIS_URL).
- `run_rq_worker`: REDIS_URL set. An RQ `SimpleWorker` takes `rq_plan_job(plan_id)` from the
  queue and calls the same `JobWorker.run_job`.

Either way the database is the truth: a claim is one conditional UPDATE (`claim_job`), a thread
beats every `beat_s` seconds and sees a cancel; a job whose worker stops beating for `stale_s`
seconds is handed back once, then failed (`recover_silent_jobs`, run by every worker). SIGTERM
stops the solve at once and hands the job back to the queue (never left `running`).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable

from flask import Flask

from api.database import db
from hub_scheduler.records import JobStatus
from hub_scheduler.services import job_parts, job_run
from hub_scheduler.services import jobs as job_service
from models.scenario_store import load_scenario

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobWorker:
    """Runs plan jobs in this process. `resubmit(plan_id)` puts a handed-back job on the queue
    again (nothing to do when the queue is the database itself)."""

    def __init__(
        self,
        app: Flask,
        *,
        beat_s: float = 1.0,
        stale_s: float = 20.0,
        resubmit: Callable[[int], None] | None = None,
        submit_parts: Callable[[int, list[int]], None] | None = None,
        name: str | None = None,
    ):
        self.app = app
        self.name = name or worker_name()
        self.beat_s = beat_s
        self.stale_s = stale_s
        self.resubmit = resubmit or (lambda plan_id: None)
        # where the parts of a split job go (nothing to send when the database is the queue)
        self.submit_parts = submit_parts or (lambda parent_id, part_ids: None)
        self.shutdown = threading.Event()
        self.last_recovery = 0.0

    def uow(self):
        return db.uow(self.app)

    def run_job(self, plan_id: int | None = None) -> int | None:
        """Claim and run this job (or the oldest queued one); the id run, None when none."""
        plan = job_service.claim_job(self.uow(), plan_id, self.name)
        if plan is None or plan.id is None:
            return None
        job_id: int = plan.id  # the closure below sees this narrowed value
        cancelled = threading.Event()
        finished = threading.Event()

        def beat() -> None:
            while not finished.wait(self.beat_s):
                try:
                    status = job_service.beat_job(self.uow(), job_id, self.name)
                except Exception:  # a lost beat is retried; the stale limit is generous
                    log.warning("heartbeat of plan %s failed", job_id, exc_info=True)
                    continue
                if status is not JobStatus.RUNNING:
                    cancelled.set()  # cancelled (or failed as stale): stop solving now
                    return

        beater = threading.Thread(target=beat, name=f"beat-{plan.id}", daemon=True)
        beater.start()
        try:
            job_run.run_plan(
                self.uow,
                plan.id,
                load_scenario=load_scenario,
                claimed_by=self.name,
                should_stop=lambda: cancelled.is_set() or self.shutdown.is_set(),
                submit_parts=self.submit_parts,
                split_default=True,
            )
        except Exception:  # run_plan records crashes itself; this is the last line of defence
            log.exception("plan job %s crashed outside the solver", plan.id)
        finally:
            finished.set()
            beater.join(self.beat_s + 1)
        if self.shutdown.is_set() and job_service.hand_back(self.uow(), plan.id, self.name):
            log.warning("worker %s stopping: plan %s handed back to the queue", self.name, plan.id)
            self.resubmit(plan.id)
        elif plan.parent_id is not None:
            self.merge(plan.parent_id)  # the last part to end merges them
        return plan.id

    def merge(self, parent_id: int) -> int | None:
        """Merge a split job if all its parts ended (else nothing); the id merged, or None."""
        try:
            done = job_parts.merge_parts(
                self.uow,
                parent_id,
                load_scenario=load_scenario,
                worker_id=self.name,
                beat_s=self.beat_s,
            )
        except Exception:
            log.warning("could not merge the parts of plan %s", parent_id, exc_info=True)
            return None
        return None if done is None else parent_id

    def recover(self, every_s: float | None = None) -> None:
        """Hand back (and re-submit) or fail the jobs of dead workers; at most every `every_s`."""
        now = time.monotonic()
        if every_s is not None and now - self.last_recovery < every_s:
            return
        self.last_recovery = now
        try:
            requeued, failed = job_service.recover_silent_jobs(self.uow(), stale_s=self.stale_s)
        except Exception:
            log.warning("could not check for silent jobs", exc_info=True)
            return
        for plan_id in requeued:
            log.warning("plan %s: its worker went silent; handed back once", plan_id)
            self.resubmit(plan_id)
        if failed:
            log.warning("plans failed after their worker went silent twice: %s", failed)
        try:
            merged = job_parts.merge_due(self.uow, load_scenario=load_scenario, worker_id=self.name)
        except Exception:
            log.warning("could not merge split plans", exc_info=True)
            return
        if merged:
            log.info("merged the parts of plans %s", merged)

    def send_due_webhooks(self) -> None:
        """Retries of webhook deliveries that came due (api/notify.py); never stops the loop."""
        from api.notify import deliver_due

        try:
            deliver_due(self.app)
        except Exception:
            log.warning("could not send due webhook deliveries", exc_info=True)

    def start_figures(self, sweep_s: float) -> None:
        """A thread counting again the figures of the plans whose rows were edited since
        (api/figures.py): the database queue's only recounts (`sweep_s` short), on RQ a net for
        the jobs Redis lost."""
        from api.figures import Recounter

        Recounter(self.app, sweep_s=sweep_s).start()

    def install_signals(self) -> None:
        """SIGTERM/SIGINT: stop the running solve, hand its job back, leave the loop."""

        def stop(signum, frame) -> None:
            self.shutdown.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def poll_forever(self, poll_s: float = 0.5) -> None:
        """The database-queue loop: claim the oldest queued job, run it, repeat until SIGTERM."""
        from api.figures import WORKER_SWEEP_S

        self.install_signals()
        self.start_figures(WORKER_SWEEP_S)
        log.info("worker %s polling the database for plan jobs", self.name)
        while not self.shutdown.is_set():
            self.recover(every_s=max(1.0, self.stale_s / 4))
            self.send_due_webhooks()
            if self.run_job(None) is None:
                self.shutdown.wait(poll_s)


# --- the RQ profile -----------------------------------------------------------------------------

_current: JobWorker | None = None


def current_app_for_jobs() -> Flask:
    """This worker process's app (built from the environment in a plain `rq worker`)."""
    global _current
    if _current is None:
        from api import create_app

        _current = JobWorker(create_app())
    return _current.app


def rq_plan_job(plan_id: int) -> int | None:
    """The function RQ runs: the job's work goes through this process's `JobWorker`."""
    global _current
    if _current is None:  # a plain `rq worker` process: build the app from the environment
        from api import create_app

        _current = JobWorker(create_app())
    return _current.run_job(plan_id)


def rq_merge_job(parent_id: int) -> int | None:
    """The function RQ runs after a split job's parts (`RQRunner.submit_parts`)."""
    global _current
    if _current is None:
        from api import create_app

        _current = JobWorker(create_app())
    return _current.merge(parent_id)


def run_rq_worker(app: Flask, redis_url: str, queue_name: str, *, stale_s: float) -> None:
    """Work the RQ queue until SIGTERM; a sweeper thread recovers silent jobs and re-enqueues
    jobs left `queued` in the database (Redis was down, or a web process died before enqueuing)."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    from api.jobs import RQRunner

    global _current
    connection = Redis.from_url(redis_url)
    runner = RQRunner(redis_url, queue_name, connection=connection)
    worker = JobWorker(
        app, stale_s=stale_s, resubmit=runner.submit, submit_parts=runner.submit_parts
    )
    _current = worker

    class PlanWorker(SimpleWorker):
        def request_stop(self, signum, frame):  # warm shutdown: also stop the running solve
            worker.shutdown.set()
            super().request_stop(signum, frame)

    def sweep() -> None:
        while not worker.shutdown.wait(1.0):
            worker.send_due_webhooks()
            worker.recover(every_s=max(1.0, stale_s / 4))
            try:
                waiting = runner.waiting_plan_ids()
                for plan_id in job_service.queued_since(worker.uow(), max(5.0, stale_s)):
                    if plan_id not in waiting:
                        runner.submit(plan_id)  # a duplicate is harmless: the claim is atomic
            except Exception:
                log.warning("could not re-enqueue queued jobs (Redis down?)", exc_info=True)

    threading.Thread(target=sweep, name="job-sweeper", daemon=True).start()
    from api.figures import SWEEP_S

    worker.start_figures(SWEEP_S)
    worker.recover()
    PlanWorker([Queue(queue_name, connection=connection)], connection=connection).work(
        with_scheduler=False
    )
    worker.shutdown.set()

"""The job runner: planning jobs in an in-process thread pool, their state in the database.

`jobs.runner()` gives the app's JobRunner (`submit(plan_id)`); a later queue-backed runner only
has to offer the same method. The pool is made on the first submit, never at import time.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app

from api.database import db
from api.settings import settings
from hub_scheduler.services import jobs as job_service
from models.scenario_store import load_scenario

EXTENSION = "hub_scheduler_jobs"
log = logging.getLogger(__name__)


def _run_observed(app: Flask, plan_id: int):
    """Run the job with a log line at start and finish and its metrics (api/ops.py)."""
    from api.ops import run_plan_job

    return run_plan_job(
        plan_id,
        lambda: job_service.run_plan(lambda: db.uow(app), plan_id, load_scenario=load_scenario),
    )


class ThreadPoolRunner:
    """Runs each job in a worker thread with its own unit of work; a crash marks the job failed."""

    def __init__(self, app: Flask, workers: int, grace_s: float):
        self.app = app
        self.workers = max(1, workers)
        self.grace_s = grace_s
        self.pool: ThreadPoolExecutor | None = None
        self.lock = threading.Lock()
        self.reaped = False

    def reap_once(self) -> None:
        """Fail the jobs a dead process left `running` (once per process, on its first request)."""
        if self.reaped:
            return
        self.reaped = True
        try:
            failed = job_service.fail_stale_jobs(db.uow(self.app), grace_s=self.grace_s)
            if failed:
                log.warning("marked stale plan jobs as failed: %s", failed)
        except Exception:  # an unmigrated database must not break the request that got here first
            self.reaped = False
            log.warning("could not check for stale jobs (database not ready?)")

    def _ensure_pool(self) -> ThreadPoolExecutor:
        self.reap_once()
        with self.lock:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="plan-job")
            return self.pool

    def submit(self, plan_id: int) -> None:
        self._ensure_pool().submit(self._run, plan_id)

    def _run(self, plan_id: int) -> None:
        try:
            _run_observed(self.app, plan_id)
        except Exception:  # run_plan records crashes itself; this is the last line of defence
            log.exception("plan job %s crashed outside the solver", plan_id)

    def shutdown(self, wait: bool = True) -> None:
        with self.lock:
            if self.pool is not None:
                self.pool.shutdown(wait=wait, cancel_futures=not wait)
                self.pool = None


class InlineRunner:
    """Runs the job in the caller's thread: for tests and one-shot commands."""

    def __init__(self, app: Flask):
        self.app = app

    def submit(self, plan_id: int) -> None:
        _run_observed(self.app, plan_id)


class Jobs:
    def __init__(self, app: Flask | None = None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        config = settings(app)
        if config.HUB_SCHEDULER_JOB_RUNNER == "inline":
            runner: InlineRunner | ThreadPoolRunner = InlineRunner(app)
        else:  # "thread"; the settings allow nothing else
            runner = ThreadPoolRunner(
                app, config.HUB_SCHEDULER_JOB_WORKERS, config.HUB_SCHEDULER_JOB_GRACE_S
            )
        app.extensions[EXTENSION] = runner
        if isinstance(runner, ThreadPoolRunner):
            app.before_request(runner.reap_once)

    def runner(self, app: Flask | None = None):
        return (app or current_app).extensions[EXTENSION]


jobs = Jobs()

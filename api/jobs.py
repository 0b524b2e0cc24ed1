"""Job runners: how a web process hands a queued plan to a worker. State lives in the database.

`jobs.runner()` gives the app's JobRunner (`submit(plan_id)`), chosen by HUB_SCHEDULER_JOB_RUNNER:
- `rq` (what `auto` picks when REDIS_URL is set): the plan id goes on an RQ queue in Redis;
  `hub-scheduler worker` processes run it (api/worker.py). Web processes never solve.
- `database`: nothing to send; a worker process (`hub-scheduler serve` starts one) claims
  `queued` jobs from the database.
- `thread` (what `auto` picks without REDIS_URL, for a bare `gunicorn 'api:create_app()'`): an
  in-process pool, as before the queue; `inline`: in the request (tests, one-shot commands).
`enqueue(func, *args)` runs any other background work (e.g. webhook deliveries) in both profiles.
See docs/queue.md.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from api.database import db
from api.settings import settings
from hub_scheduler.services import job_parts, job_run
from hub_scheduler.services import jobs as job_service
from models.scenario_store import load_scenario

EXTENSION = "hub_scheduler_jobs"
log = logging.getLogger(__name__)


def _run_observed(app: Flask, plan_id: int):
    """Run the job with a log line at start and finish and its metrics (api/ops.py). A request
    that asks for `split: true` is split here too, its parts solved one after another."""
    from api.ops import run_plan_job

    return run_plan_job(
        plan_id,
        lambda: job_run.run_plan(
            lambda: db.uow(app),
            plan_id,
            load_scenario=load_scenario,
            submit_parts=lambda parent_id, part_ids: run_parts_here(app, parent_id, part_ids),
        ),
    )


def run_parts_here(app: Flask, parent_id: int, part_ids: list[int]) -> None:
    """The in-process profile's parts: solved one after another in this thread, then merged."""
    for part_id in part_ids:
        _run_observed(app, part_id)
    job_parts.merge_parts(
        lambda: db.uow(app),
        parent_id,
        load_scenario=load_scenario,
        worker_id=f"{socket.gethostname()}:{os.getpid()}",
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

    def submit_parts(self, parent_id: int, part_ids: list[int]) -> None:
        self._ensure_pool().submit(run_parts_here, self.app, parent_id, part_ids)

    def check(self) -> None:
        return None

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

    def check(self) -> None:
        return None

    def submit(self, plan_id: int) -> None:
        _run_observed(self.app, plan_id)

    def submit_parts(self, parent_id: int, part_ids: list[int]) -> None:
        run_parts_here(self.app, parent_id, part_ids)


class DatabaseRunner:
    """The job stays `queued` in the database; a worker process claims it (api/worker.py)."""

    def submit(self, plan_id: int) -> None:
        return None

    def submit_parts(self, parent_id: int, part_ids: list[int]) -> None:
        """Nothing to send: workers claim the queued parts; the worker that ends the last part
        (or any worker's sweep) merges them."""
        return None

    def check(self) -> None:
        return None


RETRY_AFTER_S = 10


class RQRunner:
    """Puts `api.worker.rq_plan_job(plan_id)` on an RQ queue; RQ job ids are `plan-<id>-<n>`."""

    def __init__(self, redis_url: str, queue_name: str, connection: Any = None, job_timeout=3600):
        from redis import Redis
        from rq import Queue

        self.connection = connection or Redis.from_url(
            redis_url, socket_connect_timeout=1, socket_timeout=2
        )
        self.queue = Queue(queue_name, connection=self.connection)
        self.job_timeout = job_timeout

    def check(self) -> None:
        """Raise a 503 (Retry-After) when Redis does not answer: the job could not be queued."""
        from redis.exceptions import RedisError

        try:
            self.connection.ping()
        except RedisError as exc:
            raise ServiceUnavailable(
                "the job queue (Redis) does not answer; try again shortly",
                retry_after=RETRY_AFTER_S,
            ) from exc

    def _enqueue(self, function: str, kind: str, plan_id: int, **options: Any) -> Any:
        """One RQ job running `function(plan_id)`, with the job id `<kind>-<plan id>-<n>` that
        `waiting_plan_ids` reads back."""
        return self.queue.enqueue(
            function,
            plan_id,
            job_id=f"{kind}-{plan_id}-{uuid.uuid4().hex[:8]}",
            job_timeout=self.job_timeout,
            result_ttl=600,
            failure_ttl=86400,
            **options,
        )

    def submit(self, plan_id: int) -> None:
        """Enqueue; if Redis fails now, the job stays `queued` in the database and a worker's
        sweeper enqueues it when Redis is back (so a re-plan inside an activation never fails)."""
        from redis.exceptions import RedisError

        try:
            self._enqueue("api.worker.rq_plan_job", "plan", plan_id)
        except RedisError:
            log.warning("could not enqueue plan %s; a worker will pick it up later", plan_id)

    def submit_parts(self, parent_id: int, part_ids: list[int]) -> None:
        """Each part on the queue, then `api.worker.rq_merge_job(parent_id)` depending on them
        all (RQ runs it once they all ended, failed ones too). A part that was re-queued after
        its worker died ends later than its first RQ job: the merge job then finds it still
        open and leaves the merge to the worker that ends it (or any worker's sweep)."""
        from redis.exceptions import RedisError
        from rq.job import Dependency

        try:
            parts = [
                self._enqueue("api.worker.rq_plan_job", "plan", part_id) for part_id in part_ids
            ]
            self._enqueue(
                "api.worker.rq_merge_job",
                "merge",
                parent_id,
                depends_on=Dependency(jobs=parts, allow_failure=True) if parts else None,
            )
        except RedisError:
            log.warning("could not enqueue the parts of plan %s; the sweepers will", parent_id)

    def waiting_plan_ids(self) -> set[int]:
        ids = set()
        for job_id in self.queue.get_job_ids():
            parts = job_id.split("-")
            if len(parts) == 3 and parts[0] == "plan" and parts[1].isdigit():
                ids.add(int(parts[1]))
        return ids


def redis_url(app: Flask) -> str | None:
    """REDIS_URL from the app's config, else the environment (as the throttle reads it)."""
    return app.config.get("REDIS_URL") or os.environ.get("REDIS_URL") or None


def enqueue(func: Callable[..., Any], *args: Any, app: Flask | None = None, **kwargs: Any) -> None:
    """Run `func(*args, **kwargs)` in the background, in either profile: on the RQ queue when
    REDIS_URL is set (`func` must be importable by the workers, a module-level function), else
    in a daemon thread of this process (not durable: a restart loses it)."""
    proxy: Any = current_app  # a werkzeug LocalProxy, typed by Flask as the app itself
    app = app or proxy._get_current_object()
    url = redis_url(app)
    if url:
        from redis import Redis
        from rq import Queue

        name = settings(app).HUB_SCHEDULER_QUEUE
        Queue(name, connection=Redis.from_url(url)).enqueue(func, *args, **kwargs)
        return
    threading.Thread(target=func, args=args, kwargs=kwargs, daemon=True).start()


class Jobs:
    def __init__(self, app: Flask | None = None):
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        config = settings(app)
        kind = config.HUB_SCHEDULER_JOB_RUNNER
        url = redis_url(app)
        if kind == "auto":
            kind = "rq" if url else "thread"
        runner: Any
        if kind == "inline":
            runner = InlineRunner(app)
        elif kind == "database":
            runner = DatabaseRunner()
        elif kind == "rq":
            if not url:
                raise ValueError("HUB_SCHEDULER_JOB_RUNNER=rq needs REDIS_URL")
            runner = RQRunner(url, config.HUB_SCHEDULER_QUEUE)
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

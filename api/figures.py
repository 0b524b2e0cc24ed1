"""Counting a plan's figures again after its rows were edited, off the request that edited them
(`services/plan_figures.recount`; on a city day it costs most of a second, which a late check-in
used to wait for). The edit marks the figures stale in its own transaction; plan views say
`figures_pending` until the recount has stored them.

Where the recount runs follows the plan jobs' runner (HUB_SCHEDULER_JOB_RUNNER, docs/queue.md):
- `inline` (tests, one-shot commands): in the request, right after its commit (the unit of work
  does it itself: this module adds nothing), so the figures are right when the request answers;
- `thread` (`auto` without REDIS_URL: a bare gunicorn): one recount thread per process, woken by
  the commit, has a child process count (api/figures_process.py: in a thread of the web process
  the count would share the interpreter lock with its requests). The plans edited while it
  counts are counted once more after it, so a burst of edits to one plan costs one or two
  recounts, not one per edit;
- `database` (`hub-scheduler serve`): nothing in the web process: the mark in the database is
  the queue, and the worker process's recount thread polls it (api/worker.py), so web processes
  spend no CPU on it, as they never solve;
- `rq` (REDIS_URL): `rq_recount_figures(plan_ids)` on the queue, as webhook deliveries go
  (`api.jobs.enqueue`); a job that finds the figures counted already costs one read. Redis down:
  this process counts them in its thread.

Every recount thread also looks for plans left pending (a process that stopped between an edit
and its recount) when it starts and every `sweep_s` seconds.

A web process's thread also waits out a burst of edits: it counts once no edit came for
`QUIET_S`, at most `MAX_DELAY_S` after the first one waiting, so a burst of check-ins costs one
recount after it, and the machine's cores go to the burst's requests first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from flask import Flask

from api.database import db
from api.figures_process import ChildRecount, can_run_apart
from api.settings import settings
from hub_scheduler.services.plan_figures import recount

EXTENSION = "hub_scheduler_figures"
KICK = "hub_scheduler_figures_kick"
log = logging.getLogger(__name__)
SWEEP_S = 60.0  # a web process's thread looks for plans left pending this often
WORKER_SWEEP_S = 1.0  # the database queue's worker polls the pending plans this often
SETTLE_S = 5.0  # the longest `settle` waits by default
QUIET_S = 0.5  # a web process's thread counts once no edit came for this long...
MAX_DELAY_S = 5.0  # ...or this long after the first edit waiting, whichever comes first


class Recounter:
    """One recount thread per process: `kick(plan_ids)` after a commit, or (`start`) polling the
    pending plans every `sweep_s` seconds; kicked plans are counted once no kick came for
    `quiet_s`, at most `max_delay_s` after the first (module docstring)."""

    def __init__(
        self,
        app: Flask,
        sweep_s: float = SWEEP_S,
        quiet_s: float = 0.0,
        max_delay_s: float = MAX_DELAY_S,
        count: Callable[[int], bool] | None = None,
    ):
        self.app = app
        # How one plan is counted: in this thread by default (a worker process), else in a
        # child process (`figures_process.ChildRecount`, a web process).
        self.count = count or (lambda plan_id: recount(lambda: db.uow(app), plan_id))
        self.sweep_s = sweep_s
        self.quiet_s = quiet_s
        self.max_delay_s = max_delay_s
        self.kicked_at = self.first_kick_at = 0.0
        self.waiting: set[int] = set()
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.idle = threading.Event()  # set when a round found nothing more to count
        self.idle.set()
        self.thread: threading.Thread | None = None
        self.swept_at: float | None = None

    def kick(self, plan_ids: Iterable[int]) -> None:
        """These plans' rows were just edited (committed): count them again soon."""
        with self.lock:
            self.kicked_at = time.monotonic()
            if not self.waiting:
                self.first_kick_at = self.kicked_at
            self.waiting.update(plan_ids)
            self.idle.clear()
        self.start()
        self.wake.set()

    def start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._loop, name="plan-figures", daemon=True)
                self.thread.start()

    def settle(self, timeout_s: float = SETTLE_S) -> bool:
        """Wait (at most `timeout_s`) until the plans kicked so far are counted; whether so."""
        return self.idle.wait(timeout_s)

    def _take(self) -> list[int]:
        """The plans to count this round (kicked, and the pending ones when a sweep is due)."""
        with self.lock:
            taken = set(self.waiting)
            self.waiting.clear()
        now = time.monotonic()
        if self.swept_at is None or now - self.swept_at >= self.sweep_s:
            self.swept_at = now
            try:
                uow = db.uow(self.app)
                with uow:
                    taken.update(uow.plans.with_figures_pending())
            except Exception:  # the database is away: the next sweep looks again
                log.warning("could not look for plans with figures pending", exc_info=True)
        return sorted(taken)

    def run_once(self) -> int:
        """Count the plans due now; how many had figures stored."""
        stored = 0
        for plan_id in self._take():
            try:
                stored += self.count(plan_id)
            except Exception:  # left pending: the next sweep counts it again
                log.warning("could not count the figures of plan %s", plan_id, exc_info=True)
        return stored

    def _wait_for_quiet(self) -> None:
        """Until no kick came for `quiet_s`, at most `max_delay_s` after the first waiting one."""
        while True:
            with self.lock:
                if not self.waiting:
                    return
                due = min(self.kicked_at + self.quiet_s, self.first_kick_at + self.max_delay_s)
            left = due - time.monotonic()
            if left <= 0:
                return
            time.sleep(left)

    def _loop(self) -> None:
        while True:
            self.wake.clear()
            self._wait_for_quiet()
            self.run_once()
            with self.lock:
                if not self.waiting:
                    self.idle.set()
            if self.waiting:
                continue
            wait = self.sweep_s - (time.monotonic() - (self.swept_at or 0.0))
            self.wake.wait(max(0.0, wait))


def recounter(app: Flask) -> Recounter | None:
    """The process's recount thread (`thread` and `rq` runners); None when the request counts
    (`inline`) or the worker does (`database`)."""
    return app.extensions.get(EXTENSION)


def on_stale_figures(app: Flask) -> Callable[[list[int]], None] | None:
    """What a unit of work calls after a commit that edited plans' rows (`db.uow`); None: count
    them right there (`inline`)."""
    return app.extensions.get(KICK)


def rq_recount_figures(plan_ids: list[int]) -> None:
    """The function RQ runs (a `hub-scheduler worker` process builds its app once)."""
    from api import worker

    app = worker.current_app_for_jobs()
    for plan_id in plan_ids:
        recount(lambda: db.uow(app), plan_id)


def _queue_on_rq(app: Flask, thread: Recounter) -> Callable[[list[int]], None]:
    def kick(plan_ids: list[int]) -> None:
        from api.jobs import enqueue

        try:
            enqueue(rq_recount_figures, list(plan_ids), app=app)
        except Exception:  # Redis down: this process counts them itself
            log.warning("could not enqueue a plan's figures; counting here", exc_info=True)
            thread.kick(plan_ids)

    return kick


def _nothing_to_send(plan_ids: list[int]) -> None:
    """The database queue: the edit's commit wrote the mark the worker polls."""


def init_app(app: Flask) -> None:
    """Choose where recounts run by the app's runner (module docstring)."""
    from api.jobs import redis_url

    kind = settings(app).HUB_SCHEDULER_JOB_RUNNER
    if kind == "auto":
        kind = "rq" if redis_url(app) else "thread"
    if kind == "inline":
        return
    if kind == "database":
        app.extensions[KICK] = _nothing_to_send
        return
    url = app.config["DATABASE_URL"]
    apart = ChildRecount(url, settings(app).HUB_SCHEDULER_TIMEZONE) if can_run_apart(url) else None
    thread = Recounter(app, quiet_s=QUIET_S, count=apart)
    app.extensions[EXTENSION] = thread
    app.extensions[KICK] = _queue_on_rq(app, thread) if kind == "rq" else thread.kick

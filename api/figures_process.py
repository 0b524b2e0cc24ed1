"""A child process that counts plans' figures for a web process that has no worker beside it (the
`thread` runner: a bare gunicorn without Redis; api/figures.py).

Counting a city day's figures is half a second of Python (reading and validating 3,000 loads). In
a thread of the web process it shares the interpreter lock with the requests: a late check-in
running beside it waited for the lock at every database round trip and took two to five times as
long (bench/README.md). In its own process it runs on another core and the web process only waits
on a pipe. The child is started (spawned: a clean interpreter, no copy of the parent's threads or
connections) on the first recount and kept; it makes its own engine from the database URL.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from hub_scheduler.services.plan_figures import recount
from models.db import make_engine, make_session_factory, normalize_url
from models.uow import SqlUnitOfWork

_child: dict = {}  # in the child: its session factory and the site zone override


def _start_child(url: str, zone: str | None) -> None:
    _child["factory"] = make_session_factory(make_engine(url))
    _child["zone"] = zone


def _recount_in_child(plan_id: int) -> bool:
    factory, zone = _child["factory"], _child["zone"]
    return recount(lambda: SqlUnitOfWork(factory, zone=zone), plan_id)


def can_run_apart(url: str) -> bool:
    """Whether another process can open the database (not an in-memory SQLite one)."""
    parsed = normalize_url(url)
    return parsed.get_backend_name() != "sqlite" or parsed.database not in (None, "", ":memory:")


class ChildRecount:
    """`recount(plan_id)` in the child process, the caller waiting for its answer."""

    def __init__(self, url: str, zone: str | None):
        self.url = url
        self.zone = zone
        self.lock = threading.Lock()
        self.pool: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        with self.lock:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_child,
                    initargs=(self.url, self.zone),
                )
            return self.pool

    def __call__(self, plan_id: int) -> bool:
        try:
            return self._pool().submit(_recount_in_child, plan_id).result()
        except BrokenProcessPool:
            # The child died (killed, out of memory): the next recount starts another; this
            # plan stays pending until then (or the next sweep).
            self.close(wait=False)
            raise

    def close(self, wait: bool = True) -> None:
        with self.lock:
            pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

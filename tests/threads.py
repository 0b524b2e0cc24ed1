"""Run calls in real threads at the same moment (race tests on SQLite and PostgreSQL).

`from threads import all_at_once` in tests (tests/ is on the path through tests/conftest.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def all_at_once(calls: Sequence[Callable[[], T]], barrier_timeout_s: float = 60) -> list[T]:
    """Each call in its own thread, all released by one barrier so they really overlap; their
    results in the order of `calls`. The first exception a call raised is raised here, after
    every thread has finished (BrokenBarrierError when a thread never reached the barrier)."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait(timeout=barrier_timeout_s)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))

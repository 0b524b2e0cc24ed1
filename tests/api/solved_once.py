"""The test processes' memory of plans already solved: the in-process plan jobs of the API tests
solve each scenario once per process.

Most API tests start from the same published Xunwu day, and its 1 s solve was most of 515 test
set-ups, about a third of the suite's time. The search is bounded by work and seeded, so solving
the same scenario again with the same limit, workers and seed finds the same plan (only the clock
cutting it short on a loaded machine could differ, and the remembered plan is then the steadier
fixture). So `hub_scheduler.solver.solve` answers a scenario it has seen, with the same
arguments, by a copy of that schedule; the job still verifies and stores it. A solve that can be
stopped (`should_stop`, a cancel) or bounded by its own `work_budget` always searches; so does
every solve in tests/unit (the solver's own tests), in the servers and queue workers the e2e and
queue tests start, and any scenario that differs in anything (a pin, a status, a `previous`).
HUB_TEST_SOLVE_EVERY_TIME=1 switches it off (every solve searches, as before).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hub_scheduler import solver
from hub_scheduler.domain import Schedule

_SOLVED: dict[tuple, Schedule] = {}
_LOCK = threading.Lock()
counts = {"hits": 0, "solves": 0}


def _remembering(real: Callable[..., Schedule]) -> Callable[..., Schedule]:
    def solve(scenario, *, time_limit_s=None, workers=None, seed=None, **rest: Any) -> Schedule:
        if rest.get("should_stop") is not None or rest.get("work_budget") is not None:
            return real(scenario, time_limit_s=time_limit_s, workers=workers, seed=seed, **rest)
        key = (scenario.model_dump_json(), time_limit_s, workers, seed)
        with _LOCK:
            known = _SOLVED.get(key)
        if known is None:
            counts["solves"] += 1
            known = real(scenario, time_limit_s=time_limit_s, workers=workers, seed=seed, **rest)
            with _LOCK:
                _SOLVED[key] = known
        else:
            counts["hits"] += 1
        return known.model_copy(deep=True)

    return solve


@contextmanager
def solved_once() -> Iterator[None]:
    """Within it, `hub_scheduler.solver.solve` (what services/job_run.py calls) remembers."""
    real = solver.solve
    if os.environ.get("HUB_TEST_SOLVE_EVERY_TIME") != "1":
        solver.solve = _remembering(real)
    try:
        yield
    finally:
        solver.solve = real

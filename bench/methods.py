"""The planning methods a benchmark runs, by name: `(scenario, limit_s, workers, seed) -> plan`."""

from __future__ import annotations

from collections.abc import Callable

from bench.baselines import plain_cp_sat
from bench.single_dock import edd
from hub_scheduler.domain import Scenario, Schedule

Method = Callable[[Scenario, float, int, int], Schedule]

# The plain model stops being worth building past this many optional intervals ("where it fits").
PLAIN_MAX_INTERVALS = 120_000


def ours(scenario: Scenario, time_limit_s: float, workers: int, seed: int) -> Schedule:
    from hub_scheduler.solver import solve

    return solve(scenario, time_limit_s=time_limit_s, workers=workers, seed=seed)


def fcfs(scenario: Scenario, time_limit_s: float, workers: int, seed: int) -> Schedule:
    from hub_scheduler.solver import fcfs as first_come_first_served

    return first_come_first_served(scenario)


def plain(scenario: Scenario, time_limit_s: float, workers: int, seed: int) -> Schedule:
    return plain_cp_sat(scenario, time_limit_s, workers, seed, max_intervals=PLAIN_MAX_INTERVALS)


def plain_hinted_fcfs(scenario: Scenario, time_limit_s: float, workers: int, seed: int) -> Schedule:
    """The plain model hinted with first-come-first-served (DESIGN.md's 'hinted' variant)."""
    hint = fcfs(scenario, time_limit_s, workers, seed)
    return plain_cp_sat(
        scenario, time_limit_s, workers, seed, hint=hint, max_intervals=PLAIN_MAX_INTERVALS
    )


def plain_hinted_edd(scenario: Scenario, time_limit_s: float, workers: int, seed: int) -> Schedule:
    return plain_cp_sat(
        scenario, time_limit_s, workers, seed, hint=edd(scenario), max_intervals=PLAIN_MAX_INTERVALS
    )


def earliest_due_date(scenario: Scenario, time_limit_s: float, workers: int, seed: int) -> Schedule:
    return edd(scenario)


METHODS: dict[str, Method] = {
    "ours": ours,
    "fcfs": fcfs,
    "plain": plain,
    "plain+fcfs-hint": plain_hinted_fcfs,
    "plain+edd-hint": plain_hinted_edd,
    "edd": earliest_due_date,
}

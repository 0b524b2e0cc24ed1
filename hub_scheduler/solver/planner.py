"""The planner: compile, pre-check, construct, improve, bound, read out.

The time limit is a hard ceiling: every phase checks a shared deadline, and the best plan found so
far is returned when it passes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from hub_scheduler.domain import PlanStatus, Scenario, Schedule
from hub_scheduler.solver.bound import BoundRunner, trivial_bound
from hub_scheduler.solver.construct import construct, first_come_first_served, priority_orders
from hub_scheduler.solver.cpsat_plan import solution_from_cpsat
from hub_scheduler.solver.decode import Decoder, Solution
from hub_scheduler.solver.eligibility import filter_candidates
from hub_scheduler.solver.improve import improve
from hub_scheduler.solver.in_force import settle_in_force
from hub_scheduler.solver.instance import compile_instance
from hub_scheduler.solver.lp_bound import LpBound
from hub_scheduler.solver.result import to_schedule

Progress = Callable[[dict[str, Any]], None]

# Reading the plan out and checking it with the verifier, per load (measured about 0.1 ms; kept
# above).
READOUT_S_PER_LOAD = 0.0002
# With several workers, the first round (CP-SAT hinted with the first plan) ends at this share.
PARALLEL_FIRST_ROUND = 0.5
# With one worker, the share of the time the search may use before the bound model runs.
SEARCH_SHARE_ALONE = 0.7
# With a work budget, the bound model's own deterministic limit (CP-SAT's unit, about seconds).
BOUND_DETERMINISTIC_S = 0.5
# The time-indexed LP bound's share of the time left when it starts (beside the search with
# several workers; after it, before CP-SAT's bound, with one).
LP_SHARE_PARALLEL = 0.9
LP_SHARE_ALONE = 0.75
# Less time than this left, and the LP is not started (it would not finish).
LP_MIN_S = 2.0


class Clock:
    """Wall time since the solve began, against its limit. `should_stop` (a cancel or a worker's
    shutdown) ends the time at once: every phase and search loop already asks `left()`/`out()`,
    so a stop reaches all of them between two moves."""

    def __init__(
        self,
        limit_s: float,
        t0: float | None = None,
        should_stop: Callable[[], bool] | None = None,
    ):
        self.t0 = time.monotonic() if t0 is None else t0
        self.limit = limit_s
        self.should_stop = should_stop

    def stopped(self) -> bool:
        return self.should_stop is not None and bool(self.should_stop())

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def left(self) -> float:
        return 0.0 if self.stopped() else self.limit - self.elapsed()

    def out(self) -> bool:
        return self.left() <= 0

    def share(self, fraction: float) -> Clock:
        """A clock for a phase that may use `fraction` of the time left."""
        return Clock(
            self.elapsed() + fraction * max(0.0, self.left()),
            t0=self.t0,
            should_stop=self.should_stop,
        )


class Reporter:
    """Calls `progress` with each better objective; never lets a failing callback stop the solve."""

    def __init__(self, progress: Progress | None, clock: Clock):
        self.progress = progress
        self.clock = clock
        self.best: float | None = None
        self.first_feasible_s: float | None = None

    def __call__(self, phase: str, objective: float) -> None:
        if self.first_feasible_s is None:
            self.first_feasible_s = self.clock.elapsed()
        if self.best is not None and objective >= self.best:
            return
        self.best = objective
        if self.progress is None:
            return
        try:
            self.progress(
                {
                    "phase": phase,
                    "objective": float(objective),
                    "elapsed_s": round(self.clock.elapsed(), 3),
                }
            )
        except Exception:  # noqa: BLE001 - a progress hook must never break the plan
            pass


def _prepare(scenario: Scenario) -> Decoder:
    inst = compile_instance(scenario)
    reasons = filter_candidates(inst)
    return Decoder(inst, reasons)


def solve(
    scenario: Scenario,
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    work_budget: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Schedule:
    """Plan the scenario within `time_limit_s` (default: its settings) and return the schedule.

    With one worker the search is bounded by work, not by the clock: `work_budget` moves
    (earliest-fit queries, or move evaluations on a plain single dock; default: what
    `SEARCH_SHARE_ALONE` of the time limit buys on a nominal machine), so a seed gives the same
    plan on a loaded machine as on an idle one. The clock stays a safety net: the KPI
    `search_cut_by_clock` is true when it, not the budget, ended the search (the plan may then
    differ from run to run).

    `should_stop()` (e.g. `threading.Event().is_set`) true ends the search early: the best plan
    found so far comes back, verified, within about a second (CP-SAT is stopped by a watcher)."""
    settings = scenario.settings
    limit = float(time_limit_s if time_limit_s is not None else settings.time_limit_s)
    workers = int(workers if workers is not None else settings.workers)
    seed = int(seed if seed is not None else settings.seed)
    # Reading the plan out (explanations, KPIs) takes time too: keep a margin for it.
    readout = 0.05 + READOUT_S_PER_LOAD * len(scenario.loads)
    clock = Clock(
        max(0.05, min(limit * 0.95, limit - readout - min(0.5, 0.05 * limit))),
        should_stop=should_stop,
    )
    report = Reporter(progress, clock)

    dec = _prepare(scenario)
    best: Solution = construct(dec, clock.left, report)
    lower = trivial_bound(dec)
    stats: dict[str, Any] = {}
    open_gap = best.objective > lower + 1e-9
    # With several workers the bound runs beside the search (CP-SAT releases the GIL); with one, the
    # search runs first on a deterministic budget and the bound gets the rest of the time.
    parallel = workers > 1
    runners: list[BoundRunner] = []
    lp = LpBound(dec)

    def current_lower() -> float:
        found = [r.bound for r in runners if r.bound is not None] if parallel else []
        if parallel and lp.bound is not None:
            found.append(lp.bound)
        return max([lower, *found])

    if open_gap and clock.left() >= LP_MIN_S:
        # The time-indexed LP (GLOP, outside the GIL) beside the search from the start, with any
        # number of workers: it never changes the plan, and after the search (where it ran with
        # one worker before) a loaded machine left it too little wall time to finish.
        lp.start(clock.left() * LP_SHARE_PARALLEL)
    # A re-plan first searches from the plan in force with a heavier stability weight (in_force.py).
    left = 1.0
    if open_gap:
        best, left = settle_in_force(
            dec,
            best,
            clock=clock,
            parallel=parallel,
            seed=seed,
            workers=workers,
            report=report,
            stats=stats,
            search_s=clock.limit * SEARCH_SHARE_ALONE,
            work_budget=work_budget,
        )

    if open_gap and parallel:
        # Two rounds: CP-SAT hinted with the first plan beside the first half of the search, then
        # CP-SAT hinted with the best plan so far beside the second half; its plans are used too.
        for share, runner_share in ((PARALLEL_FIRST_ROUND, 0.95), (1.0, 0.9)):
            if clock.out() or best.objective <= current_lower() + 1e-9:
                break
            round_clock = clock if share >= 1.0 else clock.share(share)
            if share < 1.0 and lp.running():
                # The LP takes the first round's CP-SAT thread: with both beside the search on
                # a loaded machine neither finished (the bound stayed CP-SAT's first, weaker one).
                best = improve(
                    dec,
                    best,
                    clock=round_clock,
                    seed=seed,
                    workers=workers,
                    report=report,
                    lower=current_lower,
                    stats=stats,
                )
                continue
            runner = BoundRunner(
                dec,
                best,
                workers=max(1, workers - 1),
                seed=seed,
                clock=round_clock,
                share=runner_share,
            )
            runners.append(runner)
            runner.start()
            best = improve(
                dec,
                best,
                clock=round_clock,
                seed=seed,
                workers=workers,
                report=report,
                lower=current_lower,
                stats=stats,
            )
            runner.finish(round_clock)
            best = _better_of(dec, best, runner, report, stats)
    elif open_gap:
        # One worker: the work budget ends the search (the clock is only the safety net), then the
        # bound gets the rest of the time; its plan is not used, so the plan stays reproducible.
        best = improve(
            dec,
            best,
            clock=clock,
            seed=seed,
            workers=workers,
            report=report,
            lower=lambda: lower,
            stats=stats,
            deterministic_s=clock.limit * SEARCH_SHARE_ALONE * left,
            work_budget=None if work_budget is None else int(work_budget * left),
        )
        # Left at its budget the search hands over with time to spare; out of time, the clock
        # cut it short.
        stats["search_cut_by_clock"] = clock.out() or bool(stats.get("lns_cut_by_clock"))
        if best.objective > lower + 1e-9:
            # The LP bound first (it proves more on real days), CP-SAT's with the time left.
            lp.finish(clock.left() * LP_SHARE_ALONE)
            if lp.bound is not None:
                lower = max(lower, lp.bound)
        if best.objective > lower + 1e-9 and clock.left() > 0.3:
            runner = BoundRunner(
                dec,
                best,
                workers=1,
                seed=seed,
                clock=clock,
                share=1.0,
                deterministic_s=None if work_budget is None else BOUND_DETERMINISTIC_S,
            )
            runners.append(runner)
            runner.run_here()
    for runner in runners:
        runner.finish(clock)
    lp.finish(clock.left())
    lower = (
        current_lower()
        if parallel
        else max([lower, *[r.bound for r in runners if r.bound is not None]])
    )
    if runners:
        stats["bound_model"] = [
            {"status": r.status, "value": r.value, "bound": r.bound} for r in runners
        ]
    if lp.status is not None:
        stats["bound_lp"] = {
            "status": lp.status,
            "bound": lp.bound,
            "seconds": round(lp.seconds, 2),
        }
    status = PlanStatus.OPTIMAL if best.objective <= lower + 1e-6 else PlanStatus.FEASIBLE
    extra = {
        "first_feasible_s": report.first_feasible_s,
        "earliest_fit_queries": dec.placements,
        **stats,
    }
    schedule = to_schedule(
        dec, best, status=status, bound=lower, seconds=clock.elapsed(), extra_kpis=extra
    )
    return _checked(scenario, schedule, lower, clock, extra)


def _better_of(
    dec: Decoder, best: Solution, runner: BoundRunner, report: Reporter, stats: dict
) -> Solution:
    """The CP-SAT plan when it converts to a real plan that costs less than the search's."""
    if runner.chosen is None or runner.value is None or runner.value >= best.objective - 1e-9:
        return best
    plan = solution_from_cpsat(dec, runner.chosen)
    if plan.objective < best.objective - 1e-9:
        stats["cpsat_plans_used"] = stats.get("cpsat_plans_used", 0) + 1
        report("cpsat", plan.objective)
        return plan
    return best


def _checked(
    scenario: Scenario, schedule: Schedule, lower: float, clock: Clock, extra: dict
) -> Schedule:
    """Never trust the search: a plan the verifier rejects is replaced by a fresh first-order
    decode."""
    from hub_scheduler.verify import verify

    broken = [v.text for v in verify(scenario, schedule).violations]
    if not broken:
        return schedule
    dec = _prepare(scenario)
    fallback = dec.decode(next(priority_orders(dec)))
    extra = {**extra, "fallback": "the improved plan failed the verifier: " + "; ".join(broken[:3])}
    status = PlanStatus.OPTIMAL if fallback.objective <= lower + 1e-6 else PlanStatus.FEASIBLE
    return to_schedule(
        dec, fallback, status=status, bound=lower, seconds=clock.elapsed(), extra_kpis=extra
    )


def fcfs(scenario: Scenario) -> Schedule:
    """First come, first served: each eligible load in release order takes the earliest feasible
    slot."""
    t0 = time.monotonic()
    dec = _prepare(scenario)
    sol = first_come_first_served(dec)
    lower = trivial_bound(dec)
    status = PlanStatus.OPTIMAL if sol.objective <= lower + 1e-6 else PlanStatus.FEASIBLE
    return to_schedule(dec, sol, status=status, bound=lower, seconds=time.monotonic() - t0)

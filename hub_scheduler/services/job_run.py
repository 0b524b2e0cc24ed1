"""Running one plan job: load its day, solve, verify, store, with progress and heartbeats.

`run_plan` is what a worker (`api/worker.py`, `api/jobs.py`'s in-process runners) calls for a
claimed job; `run_inline` is the runner that calls it in this process (the CLI, tests, the quick
start without a worker). Queueing, coalescing, listing and cancelling jobs: `services.jobs`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from hub_scheduler.domain import Scenario, Schedule
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services.job_failures import job_crashed, plan_not_verified
from hub_scheduler.services.jobs import JobRunner, fail_job, get_job, succeed_job, utc_now
from hub_scheduler.services.left_out_reasons import as_people_read_them

log = logging.getLogger(__name__)

_PROGRESS_EVERY_S = 0.5


class _Progress:
    """The solver's progress callback: best objective so far and a heartbeat, written at most twice
    a second, each time in its own short transaction."""

    def __init__(self, uow_factory: Callable[[], Any], plan_id: int):
        self.uow_factory = uow_factory
        self.plan_id = plan_id
        self.last = 0.0

    def __call__(self, update: dict[str, Any]) -> None:
        """`update` is the solver's `{"phase", "objective", "elapsed_s"}`."""
        info = {k: v for k, v in update.items() if isinstance(v, int | float | str)}
        if "objective" in info:
            info["best_objective"] = info.pop("objective")
        self.beat(info)

    def beat(self, info: dict[str, Any], force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < _PROGRESS_EVERY_S:
            return
        self.last = now
        try:
            uow = self.uow_factory()
            with uow:
                plan = uow.plans.get(self.plan_id, with_rows=False)
                if plan is None or plan.status is not JobStatus.RUNNING:
                    return
                progress = {**plan.progress, **info, "heartbeat": utc_now().isoformat()}
                uow.plans.set_progress(self.plan_id, progress)
                uow.commit()
        except Exception:  # progress is a nicety: never let it break the solve
            log.warning("could not record progress of plan %s", self.plan_id, exc_info=True)


def planning_now(params: dict[str, Any]) -> datetime:
    """The moment a job plans from: the one its request fixed, else the clock now."""
    fixed = params.get("now")
    return datetime.fromisoformat(fixed) if isinstance(fixed, str) else utc_now()


def with_now(scenario: Scenario, now: datetime) -> Scenario:
    """The scenario planned from `now`: nothing new starts earlier, and the freeze window
    (`settings.freeze_minutes`) pins what the plan in force starts before now + freeze (H10)."""
    settings = scenario.settings.model_copy(update={"now": now})
    return scenario.model_copy(update={"settings": settings})


def with_params(scenario: Scenario, params: dict[str, Any]) -> Scenario:
    """The scenario as the job asked for it: planned from its moment (`with_now`) and with its
    own stability weight when it asked for one (`queue_plan`'s `stability`)."""
    scenario = with_now(scenario, planning_now(params))
    weight = params.get("stability")
    if not isinstance(weight, int | float):
        return scenario
    objective = scenario.settings.objective.model_copy(update={"stability": float(weight)})
    settings = scenario.settings.model_copy(update={"objective": objective})
    return scenario.model_copy(update={"settings": settings})


def run_plan(
    uow_factory: Callable[[], Any],
    plan_id: int,
    *,
    load_scenario: Callable[..., Scenario],
    solve: Callable[..., Schedule] | None = None,
    verify: Callable[[Scenario, Schedule], Any] | None = None,
    claimed_by: str | None = None,
    should_stop: Callable[[], bool] | None = None,
    submit_parts: Callable[[int, list[int]], None] | None = None,
    split_default: bool = False,
) -> Plan:
    """Run one queued plan: load the scenario, solve, verify, store succeeded or failed.

    Split: with `submit_parts(plan_id, part_ids)` given, a plan job (not itself a part) whose
    day has several independent parts (`solver/partition.py`) and whose request did not say
    `split: false` (no `split` in the request: `split_default`) becomes part jobs instead: one
    queued child job per part (`parent_id`), handed to `submit_parts`; the job stays `running`,
    held by no worker, with progress phase `parts`, until `merge_parts` joins them.

    `load_scenario(uow, horizon_start, horizon_end, settings, hub_ids)` reads the database.
    `claimed_by`: the worker that already claimed the job (`claim_job`); without it the job is
    claimed here. `should_stop()` ends the solve early: a job cancelled meanwhile keeps its best
    plan so far (status `cancelled`); a job still `running` is the worker's to hand back.
    """
    if solve is None:
        from hub_scheduler.solver import solve as default_solve

        solve = default_solve
    if verify is None:
        from hub_scheduler.verify import verify as default_verify

        verify = default_verify

    uow = uow_factory()
    with uow:
        plan = get_job(uow, plan_id)
        if claimed_by is None:
            if plan.status is not JobStatus.QUEUED:
                return plan  # cancelled before it started, or picked up twice
            uow.plans.set_status(plan_id, JobStatus.RUNNING, started_at=utc_now())
        elif plan.status is not JobStatus.RUNNING:
            return plan
        uow.plans.set_progress(plan_id, {"phase": "loading", "heartbeat": utc_now().isoformat()})
        uow.commit()
    try:
        with uow:
            # The loader gives `previous` from the published plan and pins trucks on site (H10).
            # A part of a split job reads only its own loads (no load that may go anywhere: the
            # split gave it to no part).
            part: dict[str, Any] = {"anywhere": False} if plan.parent_id is not None else {}
            # The job's moment decides which earlier loads are carried (day_horizon.carried).
            part["now"] = planning_now(plan.params)
            scenario = load_scenario(
                uow, plan.horizon_start, plan.horizon_end, None, plan.hub_ids, **part
            )
        params = plan.params
        scenario = with_params(scenario, params)
        if (
            submit_parts is not None
            and plan.parent_id is None
            and params.get("split", split_default) is not False
        ):
            from hub_scheduler.services.job_parts import split_job

            part_ids = split_job(uow_factory, plan, scenario, claimed_by)
            if part_ids is not None:
                submit_parts(plan_id, part_ids)
                with uow:
                    return get_job(uow, plan_id, with_rows=False)
        progress = _Progress(uow_factory, plan_id)
        progress.beat(
            {
                "phase": "solving",
                "loads": len(scenario.loads),
                "now": scenario.settings.now.isoformat(),  # type: ignore[union-attr]
            },
            force=True,
        )
        # only a solve that can stop early is asked to (test fakes need not take the keyword)
        stop: dict[str, Any] = {"should_stop": should_stop} if should_stop is not None else {}
        schedule = solve(
            scenario,
            time_limit_s=params.get("time_limit_s"),
            workers=params.get("workers"),
            seed=params.get("seed"),
            progress=progress,
            **stop,
        )
        schedule = as_people_read_them(scenario, schedule)  # a deadline gone, local starts
        report = verify(scenario, schedule)
        violations = list(getattr(report, "violations", []))
        ok = bool(getattr(report, "ok", not violations))
    except Exception as exc:
        log.exception("plan %s crashed", plan_id)
        with uow:
            if get_job(uow, plan_id).status is JobStatus.RUNNING:
                fail_job(uow, plan, job_crashed(exc))
                uow.commit()
            return get_job(uow, plan_id)

    with uow:
        plan = get_job(uow, plan_id, with_rows=False)
        if plan.status is JobStatus.CANCELLED and ok and should_stop is not None:
            # Stopped by the cancel: keep the best plan found so far, verified, as cancelled.
            uow.plans.set_result(plan_id, schedule, status=JobStatus.CANCELLED)
            uow.plans.set_progress(
                plan_id,
                {**plan.progress, "phase": "cancelled", "best_objective": schedule.objective},
            )
            uow.commit()
            return get_job(uow, plan_id)
        if plan.status is not JobStatus.RUNNING:
            return plan  # cancelled (or failed as stale) while solving: keep that verdict
        if should_stop is not None and should_stop():
            return plan  # stopped for a shutdown: the worker hands it back
        if not ok:
            fail_job(uow, plan, plan_not_verified(violations))
        else:
            succeed_job(uow, plan_id, schedule)
            uow.plans.set_progress(
                plan_id, {**plan.progress, "phase": "done", "best_objective": schedule.objective}
            )
        uow.commit()
        return get_job(uow, plan_id)


def run_inline(uow_factory: Callable[[], Any], load_scenario: Callable[..., Scenario]) -> JobRunner:
    """A runner that runs the job at once in the caller (the CLI, tests)."""

    class Inline:
        def submit(self, plan_id: int) -> None:
            run_plan(uow_factory, plan_id, load_scenario=load_scenario)

    return Inline()

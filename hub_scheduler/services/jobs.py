"""Plan jobs: queue, run (load, solve, verify, store), cancel, and fail the ones a dead worker left.

A JobRunner (`submit(plan_id)`) calls `run_plan` in a worker with a fresh unit of work. Everything
about a job lives in the database, so any process can answer for it. What a job needs from the
service's settings travels as a `JobConfig` (the domain never reads the environment).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from hub_scheduler.domain import Scenario, Schedule
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services.audit import record

log = logging.getLogger(__name__)

_PROGRESS_EVERY_S = 0.5
STALE_ERROR = "the job's worker stopped without finishing (stale heartbeat)"


@dataclass(frozen=True)
class JobConfig:
    """`time_limit_s`: the solver limit of a job that asks for none (seconds); `grace_s`: how long
    past its limit a silent running job is taken for dead (seconds); `now`: the moment every job
    plans from when set (else the clock when the job runs)."""

    time_limit_s: float = 10.0
    grace_s: float = 120.0
    now: datetime | None = None  # a fixed clock (tests, training days); None: the real clock


class JobRunner(Protocol):
    """Runs a queued plan somewhere (a thread pool, later a real queue)."""

    def submit(self, plan_id: int) -> None: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def get_job(uow: UnitOfWork, plan_id: int, with_rows: bool = True) -> Plan:
    """The plan inside an open unit of work; NotFound when there is none."""
    plan = uow.plans.get(plan_id, with_rows=with_rows)
    if plan is None:
        raise NotFound(f"no plan {plan_id}")
    return plan


def queue_plan(
    uow: UnitOfWork,
    *,
    horizon_start: datetime,
    horizon_end: datetime,
    hub_ids: list[str] | None = None,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    now: datetime | None = None,
    actor: str,
    reason: str = "",
    config: JobConfig,
) -> Plan:
    """Add a queued plan inside the open unit of work (the caller commits, then submits it);
    a job that asks for no time limit gets `config.time_limit_s`. `now` (a what-if) or
    `config.now` fixes the moment the job plans from; else it is the clock when the job runs."""
    errors: list[FieldError] = []
    if horizon_end <= horizon_start:
        errors.append(FieldError(field="horizon.end", message="must be after horizon.start"))
    known = {h.id for h in uow.hubs.list()}
    for i, hub_id in enumerate(hub_ids or []):
        if hub_id not in known:
            errors.append(FieldError(field=f"hub_ids[{i}]", message=f'unknown hub "{hub_id}"'))
    if errors:
        raise ValidationFailed("the plan request is not valid", errors)
    params: dict[str, Any] = {"time_limit_s": time_limit_s or config.time_limit_s}
    if workers is not None:
        params["workers"] = workers
    if seed is not None:
        params["seed"] = seed
    if reason:
        params["reason"] = reason
    fixed_now = now or config.now
    if fixed_now is not None:
        params["now"] = fixed_now.isoformat()
    plan = uow.plans.add(
        Plan(
            horizon_start=horizon_start,
            horizon_end=horizon_end,
            hub_ids=hub_ids,
            params=params,
            requested_by=actor,
            requested_at=utc_now(),
        )
    )
    record(
        uow,
        actor,
        "plan.request",
        "plan",
        str(plan.id),
        {
            "horizon_start": horizon_start.isoformat(),
            "horizon_end": horizon_end.isoformat(),
            **params,
        },
    )
    return plan


def request_plan(uow: UnitOfWork, runner: JobRunner, **kwargs: Any) -> Plan:
    """Create a queued plan for the horizon and hand it to the runner (see `queue_plan`)."""
    with uow:
        plan = queue_plan(uow, **kwargs)
        uow.commit()
    runner.submit(plan.id)
    return plan


def is_stale(plan: Plan, grace_s: float, now: datetime) -> bool:
    """A running job whose heartbeat (or start) is older than its time limit plus a grace period."""
    if plan.status is not JobStatus.RUNNING:
        return False
    beat = plan.progress.get("heartbeat")
    last = datetime.fromisoformat(beat) if isinstance(beat, str) else plan.started_at
    if last is None:
        return False
    limit = float(plan.params.get("time_limit_s") or 0)
    return (now - last).total_seconds() > limit + grace_s


def fail_job(uow: UnitOfWork, plan: Plan, error: str) -> None:
    uow.plans.set_status(plan.id, JobStatus.FAILED, finished_at=utc_now(), error=error)
    record(uow, "system", "plan.fail", "plan", str(plan.id), {"error": error[:2000]})


def fail_stale_jobs(uow: UnitOfWork, *, grace_s: float) -> list[int]:
    """Mark jobs left `running` by a dead process as failed; returns their ids."""
    now = utc_now()
    with uow:
        stale = [
            p
            for p in uow.plans.list(status=JobStatus.RUNNING, limit=None)
            if is_stale(p, grace_s, now)
        ]
        for plan in stale:
            fail_job(uow, plan, STALE_ERROR)
        uow.commit()
    return [p.id for p in stale if p.id is not None]


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


def run_plan(
    uow_factory: Callable[[], Any],
    plan_id: int,
    *,
    load_scenario: Callable[..., Scenario],
    solve: Callable[..., Schedule] | None = None,
    verify: Callable[[Scenario, Schedule], Any] | None = None,
) -> Plan:
    """Run one queued plan: load the scenario, solve, verify, store succeeded or failed.

    `load_scenario(uow, horizon_start, horizon_end, settings, hub_ids)` reads the database.
    """
    if solve is None:
        from hub_scheduler.solver import solve
    if verify is None:
        from hub_scheduler.verify import verify

    uow = uow_factory()
    with uow:
        plan = get_job(uow, plan_id)
        if plan.status is not JobStatus.QUEUED:
            return plan  # cancelled before it started, or picked up twice
        uow.plans.set_status(plan_id, JobStatus.RUNNING, started_at=utc_now())
        uow.plans.set_progress(plan_id, {"phase": "loading", "heartbeat": utc_now().isoformat()})
        uow.commit()
    try:
        with uow:
            # The loader gives `previous` from the published plan and pins trucks on site (H10).
            scenario = load_scenario(uow, plan.horizon_start, plan.horizon_end, None, plan.hub_ids)
        params = plan.params
        scenario = with_now(scenario, planning_now(params))
        progress = _Progress(uow_factory, plan_id)
        progress.beat(
            {
                "phase": "solving",
                "loads": len(scenario.loads),
                "now": scenario.settings.now.isoformat(),  # type: ignore[union-attr]
            },
            force=True,
        )
        schedule = solve(
            scenario,
            time_limit_s=params.get("time_limit_s"),
            workers=params.get("workers"),
            seed=params.get("seed"),
            progress=progress,
        )
        report = verify(scenario, schedule)
        violations = [getattr(v, "message", str(v)) for v in getattr(report, "violations", [])]
        ok = bool(getattr(report, "ok", not violations))
    except Exception as exc:
        log.exception("plan %s crashed", plan_id)
        with uow:
            if get_job(uow, plan_id).status is JobStatus.RUNNING:
                fail_job(uow, plan, f"the job crashed: {type(exc).__name__}: {exc}")
                uow.commit()
            return get_job(uow, plan_id)

    with uow:
        plan = get_job(uow, plan_id, with_rows=False)
        if plan.status is not JobStatus.RUNNING:
            return plan  # cancelled (or failed as stale) while solving: keep that verdict
        if not ok:
            fail_job(uow, plan, "the plan failed verification: " + "; ".join(violations[:10]))
        else:
            uow.plans.set_result(
                plan_id, schedule, status=JobStatus.SUCCEEDED, finished_at=utc_now()
            )
            uow.plans.set_progress(
                plan_id, {**plan.progress, "phase": "done", "best_objective": schedule.objective}
            )
            record(
                uow,
                "system",
                "plan.succeed",
                "plan",
                str(plan_id),
                {
                    "objective": schedule.objective,
                    "placed": len(schedule.assignments),
                    "unscheduled": len(schedule.unscheduled),
                },
            )
        uow.commit()
        return get_job(uow, plan_id)


def cancel_plan(uow: UnitOfWork, plan_id: int, *, actor: str) -> Plan:
    with uow:
        plan = get_job(uow, plan_id, with_rows=False)
        if plan.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            raise Conflict(
                f"plan {plan_id} is {plan.status.value}; "
                "only a queued or running plan can be cancelled"
            )
        uow.plans.set_status(plan_id, JobStatus.CANCELLED, finished_at=utc_now())
        record(uow, actor, "plan.cancel", "plan", str(plan_id))
        uow.commit()
        return get_job(uow, plan_id)


def run_inline(uow_factory: Callable[[], Any], load_scenario: Callable[..., Scenario]) -> JobRunner:
    """A runner that runs the job at once in the caller (the CLI, tests)."""

    class Inline:
        def submit(self, plan_id: int) -> None:
            run_plan(uow_factory, plan_id, load_scenario=load_scenario)

    return Inline()

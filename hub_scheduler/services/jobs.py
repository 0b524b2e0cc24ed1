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
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from hub_scheduler.domain import Scenario, Schedule
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services.audit import record

log = logging.getLogger(__name__)

_PROGRESS_EVERY_S = 0.5
STALE_ERROR = "the job's worker stopped without finishing (stale heartbeat)"
# A job whose worker died is handed back this many times less one, then failed (DESIGN: one retry).
MAX_ATTEMPTS = 2
# The progress phase of a split job while its parts run (`split_job`, `merge_parts`).
SPLIT_PHASE = "parts"
# The largest stability weight a job may ask for (objective points per moved load).
STABILITY_MAX = 1_000_000.0


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
    split: bool | None = None,
    stability: float | None = None,
    actor: str,
    reason: str = "",
    config: JobConfig,
) -> Plan:
    """Add a queued plan inside the open unit of work (the caller commits, then submits it);
    a job that asks for no time limit gets `config.time_limit_s`. `now` (a what-if) or
    `config.now` fixes the moment the job plans from; else it is the clock when the job runs.
    `stability` (>= 0, objective points per load moved from its slot in force) replaces the
    site's `settings.objective.stability` for this job: high moves as few trucks as it can, 0
    looks only at lateness and waiting; None keeps the site's weight."""
    errors: list[FieldError] = []
    if horizon_end <= horizon_start:
        errors.append(FieldError(field="horizon.end", message="must be after horizon.start"))
    known = {h.id for h in uow.hubs.list()}
    for i, hub_id in enumerate(hub_ids or []):
        if hub_id not in known:
            errors.append(FieldError(field=f"hub_ids[{i}]", message=f'unknown hub "{hub_id}"'))
    if stability is not None and not 0 <= stability <= STABILITY_MAX:
        errors.append(
            FieldError(field="stability_weight", message=f"must be between 0 and {STABILITY_MAX:g}")
        )
    if errors:
        raise ValidationFailed("the plan request is not valid", errors)
    params: dict[str, Any] = {"time_limit_s": time_limit_s or config.time_limit_s}
    if stability is not None:
        params["stability"] = float(stability)
    if workers is not None:
        params["workers"] = workers
    if seed is not None:
        params["seed"] = seed
    if split is not None:
        params["split"] = split
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
    return request_plan_once(uow, runner, coalesce=False, **kwargs)[0]


def same_job(
    uow: UnitOfWork,
    horizon_start: datetime,
    horizon_end: datetime,
    hub_ids: list[str] | None,
    stability: float | None = None,
) -> Plan | None:
    """A queued or running plan for the same horizon, hub set (None: every hub) and stability
    weight (None: the site's), if any."""
    wanted = None if hub_ids is None else sorted(set(hub_ids))
    weight = None if stability is None else float(stability)
    for status in (JobStatus.RUNNING, JobStatus.QUEUED):
        for plan in uow.plans.list(
            horizon_start=horizon_start, horizon_end=horizon_end, status=status, limit=None
        ):
            if plan.parent_id is None and (
                (None if plan.hub_ids is None else sorted(set(plan.hub_ids))) == wanted
                and plan.params.get("stability") == weight
            ):
                return plan
    return None


def request_plan_once(
    uow: UnitOfWork, runner: JobRunner, *, coalesce: bool = True, **kwargs: Any
) -> tuple[Plan, bool]:
    """Like `request_plan`, but a request for a horizon and hub set already queued or running
    gets that job instead of a second solve; returns (plan, whether it is the existing one)."""
    with uow:
        if coalesce:
            existing = same_job(
                uow,
                kwargs["horizon_start"],
                kwargs["horizon_end"],
                kwargs.get("hub_ids"),
                kwargs.get("stability"),
            )
            if existing is not None:
                return existing, True
        plan = queue_plan(uow, **kwargs)
        uow.commit()
    runner.submit(plan.stored_id)
    return plan, False


def is_stale(plan: Plan, grace_s: float, now: datetime) -> bool:
    """A running job whose heartbeat (or start) is older than its time limit plus a grace period."""
    if plan.status is not JobStatus.RUNNING or plan.progress.get("phase") == SPLIT_PHASE:
        return False  # a split job waiting for its parts: the parts are checked, not it
    beat = plan.progress.get("heartbeat")
    last = datetime.fromisoformat(beat) if isinstance(beat, str) else plan.started_at
    if last is None:
        return False
    limit = float(plan.params.get("time_limit_s") or 0)
    return (now - last).total_seconds() > limit + grace_s


def fail_job(uow: UnitOfWork, plan: Plan, error: str) -> None:
    uow.plans.set_status(plan.stored_id, JobStatus.FAILED, finished_at=utc_now(), error=error)
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


def recover_silent_jobs(
    uow: UnitOfWork, *, stale_s: float, max_attempts: int = MAX_ATTEMPTS
) -> tuple[list[int], list[int]]:
    """Running jobs whose worker sent no heartbeat for `stale_s` seconds: handed back to
    `queued` when they had fewer than `max_attempts` claims, else failed with the reason.
    Returns (handed back ids, failed ids); the caller re-submits the handed back ones."""
    requeued: list[int] = []
    failed: list[int] = []
    with uow:
        before = utc_now() - timedelta(seconds=stale_s)
        for plan_id, attempts, worker in uow.plans.silent_since(before):
            if attempts >= max_attempts:
                error = (
                    f"the job's worker ({worker}) stopped answering (no heartbeat for "
                    f"{stale_s:g} s) on attempt {attempts} of {max_attempts}; not retried again"
                )
                plan = get_job(uow, plan_id, with_rows=False)
                fail_job(uow, plan, error)
                failed.append(plan_id)
            elif uow.plans.hand_back(plan_id, worker):
                record(uow, "system", "plan.requeue", "plan", str(plan_id), {"worker": worker})
                requeued.append(plan_id)
        uow.commit()
    return requeued, failed


def claim_job(uow: UnitOfWork, plan_id: int | None, worker_id: str) -> Plan | None:
    """Claim this queued job (or the oldest queued one) for `worker_id`; None if taken."""
    with uow:
        plan = uow.plans.claim(plan_id, worker_id, utc_now())
        uow.commit()
    return plan


def beat_job(uow: UnitOfWork, plan_id: int, worker_id: str) -> JobStatus | None:
    """The worker's heartbeat for its running job; returns the job's status (a cancel shows)."""
    with uow:
        status = uow.plans.beat(plan_id, worker_id, utc_now())
        uow.commit()
    return None if status is None else JobStatus(status)


def queued_since(uow: UnitOfWork, seconds: float) -> list[int]:
    """Jobs still `queued` that were asked for more than `seconds` ago (a lost submission)."""
    cutoff = utc_now() - timedelta(seconds=seconds)
    with uow:
        plans = uow.plans.list(status=JobStatus.QUEUED, limit=None)
    return sorted(p.id for p in plans if p.id is not None and p.requested_at < cutoff)


def hand_back(uow: UnitOfWork, plan_id: int, worker_id: str) -> bool:
    """A stopping worker gives its running job back to the queue (not counted as an attempt)."""
    with uow:
        attempts = uow.plans.attempts(plan_id)
        done = uow.plans.hand_back(plan_id, worker_id)
        if done:
            # The claim counted an attempt; a graceful hand-back is not the worker's fault.
            uow.plans.set_attempts(plan_id, max(0, attempts - 1))
            record(uow, "system", "plan.hand_back", "plan", str(plan_id), {"worker": worker_id})
        uow.commit()
    return done


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
            scenario = load_scenario(uow, plan.horizon_start, plan.horizon_end, None, plan.hub_ids)
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


def list_jobs(
    uow: UnitOfWork,
    *,
    status: JobStatus | None = None,
    day: date | None = None,
    limit: int = 50,
    offset: int = 0,
    top_level: bool = False,
) -> tuple[list[Plan], int]:
    """Plan jobs without their rows, newest first, and how many match: `status`, and `day` (the
    calendar day a horizon starts on, in the site's zone); `top_level`: no part jobs of a split
    job. Filtered here, not in SQL: a site keeps hundreds of plans, not millions."""
    from hub_scheduler.services.site import site_timezone

    with uow:
        plans = uow.plans.list(status=status, top_level=top_level or None, limit=None)
    if day is not None:
        zone = site_timezone(uow)
        plans = [p for p in plans if p.horizon_start.astimezone(zone).date() == day]
    return plans[offset : offset + limit], len(plans)


def cancel_plan(uow: UnitOfWork, plan_id: int, *, actor: str) -> Plan:
    with uow:
        plan = get_job(uow, plan_id, with_rows=False)
        if plan.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            raise Conflict(
                f"plan {plan_id} is {plan.status.value}; "
                "only a queued or running plan can be cancelled"
            )
        uow.plans.set_status(plan_id, JobStatus.CANCELLED, finished_at=utc_now())
        parts = [
            p.stored_id
            for p in uow.plans.list(parts_of=plan_id, limit=None)
            if p.status in (JobStatus.QUEUED, JobStatus.RUNNING)
        ]
        for part_id in parts:  # their workers see it at their next heartbeat and stop
            uow.plans.set_status(part_id, JobStatus.CANCELLED, finished_at=utc_now())
        record(uow, actor, "plan.cancel", "plan", str(plan_id), {"parts": parts} if parts else None)
        uow.commit()
        return get_job(uow, plan_id)


def run_inline(uow_factory: Callable[[], Any], load_scenario: Callable[..., Scenario]) -> JobRunner:
    """A runner that runs the job at once in the caller (the CLI, tests)."""

    class Inline:
        def submit(self, plan_id: int) -> None:
            run_plan(uow_factory, plan_id, load_scenario=load_scenario)

    return Inline()

"""Plan jobs: queue, coalesce, list, cancel, and fail the ones a dead worker left.

A JobRunner (`submit(plan_id)`) calls `job_run.run_plan` in a worker with a fresh unit of work.
Everything about a job lives in the database, so any process can answer for it. What a job needs
from the service's settings travels as a `JobConfig` (the domain never reads the environment).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from hub_scheduler.domain import Schedule
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services.audit import record
from hub_scheduler.services.job_failures import JobFailure, job_stale, job_worker_lost

log = logging.getLogger(__name__)

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


def pending_job(
    uow: UnitOfWork, day_start: datetime, day_end: datetime, *, grace_s: float
) -> Plan | None:
    """A plan job (not a part of a split one) whose horizon touches the day [day_start, day_end)
    and that is not in force yet, newest first: one queued or running (a running one whose runner
    died, `is_stale` past `grace_s` seconds, does not count), else one succeeded and not published
    (it waits for a manager's review). None: no such job (failed and cancelled ones are over)."""
    with uow:
        touching = [
            p
            for p in uow.plans.list(top_level=True, limit=None)
            if p.horizon_start < day_end and p.horizon_end > day_start and not p.published
        ]
    now = utc_now()
    for wanted in ((JobStatus.QUEUED, JobStatus.RUNNING), (JobStatus.SUCCEEDED,)):
        for plan in touching:
            if plan.status in wanted and not is_stale(plan, grace_s, now):
                return plan
    return None


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


def succeed_job(uow: UnitOfWork, plan_id: int, schedule: Schedule, **details: Any) -> None:
    """Store the verified `schedule` as the job's result; audit `plan.succeed` with `details`."""
    uow.plans.set_result(plan_id, schedule, status=JobStatus.SUCCEEDED, finished_at=utc_now())
    summary = {
        "objective": schedule.objective,
        "placed": len(schedule.assignments),
        "unscheduled": len(schedule.unscheduled),
    }
    record(uow, "system", "plan.succeed", "plan", str(plan_id), summary | details)


def fail_job(uow: UnitOfWork, plan: Plan, failure: JobFailure) -> None:
    """Store the job as failed with `failure`'s code and params (said at the edge) and its
    English text (`error`, for the log and older clients); audit `plan.fail` with all three."""
    uow.plans.set_status(
        plan.stored_id,
        JobStatus.FAILED,
        finished_at=utc_now(),
        error=failure.text,
        error_code=failure.code,
        error_params=failure.params,
    )
    details = {"error": failure.text[:2000], "code": failure.code, "params": failure.params}
    record(uow, "system", "plan.fail", "plan", str(plan.id), details)


def stale_failure(plan: Plan, grace_s: float) -> JobFailure:
    """The failure of a job `is_stale` found dead (its limit and `grace_s`, seconds)."""
    return job_stale(float(plan.params.get("time_limit_s") or 0), grace_s)


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
            fail_job(uow, plan, stale_failure(plan, grace_s))
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
                plan = get_job(uow, plan_id, with_rows=False)
                fail_job(uow, plan, job_worker_lost(worker, stale_s, attempts, max_attempts))
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


class Heartbeat:
    """Keeps a claimed job alive while a long step runs in the calling thread (the merge of a
    split job, `job_parts.merge_parts`).

    A daemon thread beats every `every_s` seconds: the worker's heartbeat (`beat_job`: the
    `plans.heartbeat_at` that the dead-worker sweep `recover_silent_jobs` reads, as the
    `JobWorker`'s beat thread does for a solve) and, in the same transaction, the progress
    heartbeat (`progress["heartbeat"]`, ISO time, what `run_plan`'s progress callback writes and
    `is_stale` reads) with the fields of `progress` (e.g. `{"phase": "merging"}`). It stops when
    the job is no longer `running` (cancelled, or handed back) and sets `stopped`. A failed beat
    is logged and retried at the next one. Use as a context manager: the thread ends on exit."""

    def __init__(
        self,
        uow_factory: Callable[[], Any],
        plan_id: int,
        worker_id: str,
        *,
        every_s: float = 1.0,
        progress: dict[str, Any] | None = None,
    ):
        self.uow_factory = uow_factory
        self.plan_id = plan_id
        self.worker_id = worker_id
        self.every_s = every_s
        self.progress = dict(progress or {})
        self.beats = 0
        self.stopped = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"beat-{plan_id}", daemon=True)

    def beat(self) -> JobStatus | None:
        """One beat now; the job's status (None: no such job)."""
        uow = self.uow_factory()
        with uow:
            at = utc_now()
            status = uow.plans.beat(self.plan_id, self.worker_id, at)
            if status == JobStatus.RUNNING.value:
                plan = get_job(uow, self.plan_id, with_rows=False)
                uow.plans.set_progress(
                    self.plan_id, {**plan.progress, **self.progress, "heartbeat": at.isoformat()}
                )
            uow.commit()
        self.beats += 1
        return None if status is None else JobStatus(status)

    def _run(self) -> None:
        while not self._done.wait(self.every_s):
            try:
                status = self.beat()
            except Exception:  # a lost beat is retried; the stale limit is several beats long
                log.warning("heartbeat of plan %s failed", self.plan_id, exc_info=True)
                continue
            if status is not JobStatus.RUNNING:
                self.stopped.set()
                return

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(self.every_s + 5)


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

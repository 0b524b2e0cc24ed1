"""Plans as jobs: request (queued), run (load, solve, verify, store), publish, cancel, read, export.

Running a plan is done by a JobRunner (`submit(plan_id)`), which calls `run_plan` in a worker with
a fresh unit of work. Everything about a job lives in the database, so any process can answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from hub_scheduler.domain import (
    LoadStatus,
    Scenario,
    Schedule,
)
from hub_scheduler.errors import Conflict, FieldError, NotFound, ValidationFailed
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services.audit import record

log = logging.getLogger(__name__)

_PROGRESS_EVERY_S = 0.5


class JobRunner(Protocol):
    """Runs a queued plan somewhere (a thread pool, later a real queue)."""

    def submit(self, plan_id: int) -> None: ...


def _now() -> datetime:
    return datetime.now(UTC)


def _get(uow, plan_id: int, with_rows: bool = True) -> Plan:
    plan = uow.plans.get(plan_id, with_rows=with_rows)
    if plan is None:
        raise NotFound(f"no plan {plan_id}")
    return plan


# --- request and read -----------------------------------------------------------------------------


def queue_plan(
    uow,
    *,
    horizon_start: datetime,
    horizon_end: datetime,
    hub_ids: list[str] | None = None,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    actor: str,
    reason: str = "",
    default_time_limit_s: float = 10.0,
) -> Plan:
    """Add a queued plan inside the open unit of work (the caller commits, then submits it)."""
    errors: list[FieldError] = []
    if horizon_end <= horizon_start:
        errors.append(FieldError(field="horizon.end", message="must be after horizon.start"))
    known = {h.id for h in uow.hubs.list()}
    for i, hub_id in enumerate(hub_ids or []):
        if hub_id not in known:
            errors.append(FieldError(field=f"hub_ids[{i}]", message=f'unknown hub "{hub_id}"'))
    if errors:
        raise ValidationFailed("the plan request is not valid", errors)
    params: dict[str, Any] = {"time_limit_s": time_limit_s or default_time_limit_s}
    if workers is not None:
        params["workers"] = workers
    if seed is not None:
        params["seed"] = seed
    if reason:
        params["reason"] = reason
    plan = uow.plans.add(
        Plan(
            horizon_start=horizon_start,
            horizon_end=horizon_end,
            hub_ids=hub_ids,
            params=params,
            requested_by=actor,
            requested_at=_now(),
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


def request_plan(uow, runner: JobRunner, **kwargs: Any) -> Plan:
    """Create a queued plan for the horizon and hand it to the runner (see `queue_plan`)."""
    with uow:
        plan = queue_plan(uow, **kwargs)
        uow.commit()
    runner.submit(plan.id)
    return plan


def replan_horizon(
    uow, horizon_start: datetime | None, horizon_end: datetime | None
) -> tuple[datetime, datetime]:
    """The horizon asked for, else the newest published one (inside an open unit of work)."""
    if horizon_start is not None and horizon_end is not None:
        return horizon_start, horizon_end
    published = uow.plans.list(published=True, limit=None)
    if not published:
        raise ValidationFailed(
            "no plan is published, so the re-plan needs a horizon",
            [FieldError(field="horizon", message="is required when no plan is published")],
        )
    newest = max(published, key=lambda p: p.published_at or p.requested_at)
    return newest.horizon_start, newest.horizon_end


def request_replan(
    uow,
    runner: JobRunner,
    *,
    horizon_start: datetime | None,
    horizon_end: datetime | None,
    time_limit_s: float | None,
    actor: str,
    reason: str,
    default_time_limit_s: float = 10.0,
) -> Plan:
    """A re-plan of the given horizon, or of the newest published one; it keeps trucks at the dock
    pinned and starts from the published positions (stability)."""
    with uow:
        start, end = replan_horizon(uow, horizon_start, horizon_end)
        plan = queue_plan(
            uow,
            horizon_start=start,
            horizon_end=end,
            time_limit_s=time_limit_s,
            actor=actor,
            reason=reason,
            default_time_limit_s=default_time_limit_s,
        )
        uow.commit()
    runner.submit(plan.id)
    return plan


def get_plan(uow, plan_id: int, *, grace_s: float | None = None) -> Plan:
    """A plan; when `grace_s` is given, a job whose runner died is marked failed on the way."""
    with uow:
        plan = _get(uow, plan_id)
        if grace_s is not None and _is_stale(plan, grace_s, _now()):
            _fail(uow, plan, "the job's worker stopped without finishing (stale heartbeat)")
            uow.commit()
            plan = _get(uow, plan_id)
        return plan


def published_plan(uow, day: date) -> Plan:
    """The plan in force on `day` (its horizon touches that day, in the horizon's own offset)."""
    with uow:
        candidates = []
        for plan in uow.plans.list(published=True, limit=None):
            day_start = datetime.combine(day, datetime.min.time(), plan.horizon_start.tzinfo)
            if plan.horizon_start < day_start + timedelta(days=1) and plan.horizon_end > day_start:
                candidates.append(plan)
        if not candidates:
            raise NotFound(f"no plan is published for {day.isoformat()}")
        newest = max(candidates, key=lambda p: p.published_at or p.requested_at)
        return _get(uow, newest.id)


# --- running --------------------------------------------------------------------------------------


def _is_stale(plan: Plan, grace_s: float, now: datetime) -> bool:
    """A running job whose heartbeat (or start) is older than its time limit plus a grace period."""
    if plan.status is not JobStatus.RUNNING:
        return False
    beat = plan.progress.get("heartbeat")
    last = datetime.fromisoformat(beat) if isinstance(beat, str) else plan.started_at
    if last is None:
        return False
    limit = float(plan.params.get("time_limit_s") or 0)
    return (now - last).total_seconds() > limit + grace_s


def _fail(uow, plan: Plan, error: str) -> None:
    uow.plans.set_status(plan.id, JobStatus.FAILED, finished_at=_now(), error=error)
    record(uow, "system", "plan.fail", "plan", str(plan.id), {"error": error[:2000]})


def fail_stale_jobs(uow, *, grace_s: float) -> list[int]:
    """Mark jobs left `running` by a dead process as failed; returns their ids."""
    now = _now()
    with uow:
        stale = [
            p
            for p in uow.plans.list(status=JobStatus.RUNNING, limit=None)
            if _is_stale(p, grace_s, now)
        ]
        for plan in stale:
            _fail(uow, plan, "the job's worker stopped without finishing (stale heartbeat)")
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
                progress = {**plan.progress, **info, "heartbeat": _now().isoformat()}
                uow.plans.set_progress(self.plan_id, progress)
                uow.commit()
        except Exception:  # progress is a nicety: never let it break the solve
            log.warning("could not record progress of plan %s", self.plan_id, exc_info=True)


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
        plan = _get(uow, plan_id)
        if plan.status is not JobStatus.QUEUED:
            return plan  # cancelled before it started, or picked up twice
        uow.plans.set_status(plan_id, JobStatus.RUNNING, started_at=_now())
        uow.plans.set_progress(plan_id, {"phase": "loading", "heartbeat": _now().isoformat()})
        uow.commit()
    try:
        with uow:
            # The loader gives `previous` from the published plan and pins trucks on site (H10).
            scenario = load_scenario(uow, plan.horizon_start, plan.horizon_end, None, plan.hub_ids)
        progress = _Progress(uow_factory, plan_id)
        progress.beat({"phase": "solving", "loads": len(scenario.loads)}, force=True)
        params = plan.params
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
            if _get(uow, plan_id).status is JobStatus.RUNNING:
                _fail(uow, plan, f"the job crashed: {type(exc).__name__}: {exc}")
                uow.commit()
            return _get(uow, plan_id)

    with uow:
        plan = _get(uow, plan_id, with_rows=False)
        if plan.status is not JobStatus.RUNNING:
            return plan  # cancelled (or failed as stale) while solving: keep that verdict
        if not ok:
            _fail(uow, plan, "the plan failed verification: " + "; ".join(violations[:10]))
        else:
            uow.plans.set_result(plan_id, schedule, status=JobStatus.SUCCEEDED, finished_at=_now())
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
        return _get(uow, plan_id)


# --- publish, cancel ------------------------------------------------------------------------------


def publish_plan(uow, plan_id: int, *, actor: str) -> Plan:
    """Make this plan the one in force for its horizon, in one transaction; older ones are kept."""
    with uow:
        plan = _get(uow, plan_id)
        if plan.status is not JobStatus.SUCCEEDED or plan.schedule is None:
            raise Conflict(
                f"plan {plan_id} is {plan.status.value}; only a succeeded plan can be published"
            )
        before = uow.plans.published_for(plan.horizon_start, plan.horizon_end)
        plan = uow.plans.publish(plan_id, actor=actor, at=_now())
        _mark_scheduled(
            uow, plan.schedule, before.schedule if before and before.id != plan_id else None
        )
        record(
            uow,
            actor,
            "plan.publish",
            "plan",
            str(plan_id),
            {"replaced": before.id if before and before.id != plan_id else None},
        )
        uow.commit()
    return plan


def _mark_scheduled(uow, schedule: Schedule, replaced: Schedule | None) -> None:
    """Loads with a slot in the published plan are `scheduled`; those that lost theirs go back."""
    placed = {a.load_id for a in schedule.assignments}
    before = {a.load_id for a in replaced.assignments} if replaced else set()
    for load in uow.loads.get_many(placed | before):
        if load.id in placed and load.status is LoadStatus.SUBMITTED:
            uow.loads.set_status(load.id, LoadStatus.SCHEDULED)
        elif load.id not in placed and load.status is LoadStatus.SCHEDULED:
            uow.loads.set_status(load.id, LoadStatus.SUBMITTED)


def cancel_plan(uow, plan_id: int, *, actor: str) -> Plan:
    with uow:
        plan = _get(uow, plan_id, with_rows=False)
        if plan.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            raise Conflict(
                f"plan {plan_id} is {plan.status.value}; "
                "only a queued or running plan can be cancelled"
            )
        uow.plans.set_status(plan_id, JobStatus.CANCELLED, finished_at=_now())
        record(uow, actor, "plan.cancel", "plan", str(plan_id))
        uow.commit()
        return _get(uow, plan_id)


def run_inline(uow_factory: Callable[[], Any], load_scenario: Callable[..., Scenario]) -> JobRunner:
    """A runner that runs the job at once in the caller (the CLI, tests)."""

    class Inline:
        def submit(self, plan_id: int) -> None:
            run_plan(uow_factory, plan_id, load_scenario=load_scenario)

    return Inline()


def ensure_published_plan(
    uow,
    horizon_start: datetime,
    horizon_end: datetime,
    *,
    actor: str,
    load_scenario: Callable[..., Scenario],
    time_limit_s: float | None = None,
) -> Plan:
    """The published plan of exactly this horizon, made inline and published if there is none."""
    with uow:
        current = uow.plans.published_for(horizon_start, horizon_end)
    if current is not None:
        return current
    plan = request_plan(
        uow,
        run_inline(lambda: uow, load_scenario),
        horizon_start=horizon_start,
        horizon_end=horizon_end,
        time_limit_s=time_limit_s,
        actor=actor,
    )
    plan = get_plan(uow, plan.id)
    if plan.status is not JobStatus.SUCCEEDED:
        raise Conflict(f"the plan could not be made: {plan.error}")
    return publish_plan(uow, plan.id, actor=actor)


# --- what a plan shows to whom --------------------------------------------------------------------


def visible_parts(uow, plan: Plan, principal) -> tuple[list, list]:
    """The plan's assignments and unscheduled loads; an enterprise sees only its own loads."""
    schedule = plan.schedule
    if schedule is None:
        return [], []
    assignments, unscheduled = list(schedule.assignments), list(schedule.unscheduled)
    if principal.is_enterprise:
        ids = {a.load_id for a in assignments} | {u.load_id for u in unscheduled}
        with uow:
            own = {
                ld.id
                for ld in uow.loads.get_many(ids)
                if ld.enterprise_id == principal.enterprise_id
            }
        assignments = [a for a in assignments if a.load_id in own]
        unscheduled = [u for u in unscheduled if u.load_id in own]
    return assignments, unscheduled


def export_plan(
    uow,
    plan_id: int,
    fmt: str,
    *,
    load_scenario: Callable[..., Scenario],
    write_timetable: Callable[..., bytes] | None = None,
) -> bytes:
    """The per-hub, per-dock timetable of a succeeded plan as CSV or XLSX bytes."""
    if write_timetable is None:
        from hub_scheduler.sheets import write_timetable
    with uow:
        plan = _get(uow, plan_id)
        if plan.schedule is None:
            raise Conflict(f"plan {plan_id} is {plan.status.value}; it has no timetable yet")
        scenario = load_scenario(uow, plan.horizon_start, plan.horizon_end, None, plan.hub_ids)
    return write_timetable(plan.schedule, scenario, fmt)

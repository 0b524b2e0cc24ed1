"""Re-plan the published horizon: the one way a status change, an activation, an incident or a
page asks for a new plan after the day changed under the plan in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub_scheduler.errors import FieldError, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.services.jobs import JobConfig, JobRunner, queue_plan


@dataclass(frozen=True)
class ReplanRequest:
    """Which horizon to re-plan (both None: the newest published one), the solver's limit in
    seconds (None: `JobConfig.time_limit_s`) and the stability weight (objective points per load
    moved from its slot in force; None: the site's, see `jobs.queue_plan`)."""

    horizon_start: datetime | None = None
    horizon_end: datetime | None = None
    time_limit_s: float | None = None
    stability: float | None = None


PUBLISHED_HORIZON = ReplanRequest()  # the newest published horizon, the configured time limit


def replan_horizon(
    uow: UnitOfWork, horizon_start: datetime | None, horizon_end: datetime | None
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


def queue_replan(
    uow: UnitOfWork, config: JobConfig, request: ReplanRequest, *, actor: str, reason: str
) -> Plan:
    """Queue a re-plan inside the open unit of work, in the same transaction as the change that
    caused it (the caller commits, then submits). It keeps trucks at the dock pinned and starts
    from the published positions (stability)."""
    start, end = replan_horizon(uow, request.horizon_start, request.horizon_end)
    return queue_plan(
        uow,
        horizon_start=start,
        horizon_end=end,
        time_limit_s=request.time_limit_s,
        stability=request.stability,
        actor=actor,
        reason=reason,
        config=config,
    )


def request_replan(
    uow: UnitOfWork,
    runner: JobRunner,
    config: JobConfig,
    request: ReplanRequest,
    *,
    actor: str,
    reason: str,
) -> Plan:
    """A re-plan of the requested horizon, or of the newest published one, queued and submitted."""
    with uow:
        plan = queue_replan(uow, config, request, actor=actor, reason=reason)
        uow.commit()
    runner.submit(plan.stored_id)
    return plan

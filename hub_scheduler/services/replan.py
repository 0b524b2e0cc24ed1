"""Re-plan the published horizon: the one way a status change, an activation, an incident or a
page asks for a new plan after the day changed under the plan in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub_scheduler.errors import FieldError, ValidationFailed
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.records import Plan
from hub_scheduler.services.jobs import JobConfig, JobRunner, queue_plan, utc_now


@dataclass(frozen=True)
class ReplanRequest:
    """Which horizon to re-plan (both None: the published one in force now, `replan_horizon`),
    the solver's limit in seconds (None: `JobConfig.time_limit_s`) and the stability weight
    (objective points per load moved from its slot in force; None: the site's, see
    `jobs.queue_plan`)."""

    horizon_start: datetime | None = None
    horizon_end: datetime | None = None
    time_limit_s: float | None = None
    stability: float | None = None


PUBLISHED_HORIZON = ReplanRequest()  # the published horizon in force now, the configured limit


def replan_horizon(
    uow: UnitOfWork,
    horizon_start: datetime | None,
    horizon_end: datetime | None,
    now: datetime | None = None,
) -> tuple[datetime, datetime]:
    """The horizon asked for; else the published plan's in force at `now` (None: the clock), the
    one whose horizon holds `now` (today, in the site's zone, for a day plan); else the first
    published one after `now`; else the newest published one. A plan published for tomorrow
    never takes today's place. Inside an open unit of work; ValidationFailed (field `horizon`)
    when no plan is published."""
    if horizon_start is not None and horizon_end is not None:
        return horizon_start, horizon_end
    published = uow.plans.list(published=True, limit=None)
    if not published:
        raise ValidationFailed(
            "no plan is published, so the re-plan needs a horizon",
            [FieldError(field="horizon", message="is required when no plan is published")],
        )
    now = now or utc_now()
    holding = [p for p in published if p.horizon_start <= now < p.horizon_end]
    ahead = [p for p in published if p.horizon_start > now]
    if holding:
        chosen = min(holding, key=lambda p: p.horizon_end - p.horizon_start)
    elif ahead:
        chosen = min(ahead, key=lambda p: p.horizon_start)
    else:
        chosen = max(published, key=lambda p: p.published_at or p.requested_at)
    return chosen.horizon_start, chosen.horizon_end


def later_published(uow: UnitOfWork, after: datetime) -> list[tuple[datetime, datetime]]:
    """The horizons of the published plans starting at or after `after` (tomorrow's, when
    `after` is today's end), earliest first."""
    plans = uow.plans.list(published=True, limit=None)
    return sorted({(p.horizon_start, p.horizon_end) for p in plans if p.horizon_start >= after})


def queue_replan(
    uow: UnitOfWork,
    config: JobConfig,
    request: ReplanRequest,
    *,
    actor: str,
    reason: str,
    now: datetime | None = None,
) -> Plan:
    """Queue a re-plan inside the open unit of work, in the same transaction as the change that
    caused it (the caller commits, then submits). It keeps trucks at the dock pinned and starts
    from the published positions (stability). Without a horizon it re-plans the plan in force
    at `now` (None: `config.now`, else the clock; see `replan_horizon`)."""
    start, end = replan_horizon(uow, request.horizon_start, request.horizon_end, now or config.now)
    return _queue(uow, config, request, (start, end), actor=actor, reason=reason)


def _queue(
    uow: UnitOfWork,
    config: JobConfig,
    request: ReplanRequest,
    horizon: tuple[datetime, datetime],
    *,
    actor: str,
    reason: str,
) -> Plan:
    """One re-plan of `horizon` with the request's limit and stability weight, queued."""
    return queue_plan(
        uow,
        horizon_start=horizon[0],
        horizon_end=horizon[1],
        time_limit_s=request.time_limit_s,
        stability=request.stability,
        actor=actor,
        reason=reason,
        config=config,
    )


def queue_later_days(
    uow: UnitOfWork,
    config: JobConfig,
    request: ReplanRequest,
    primary: Plan,
    touched: list[tuple[datetime, datetime]],
    *,
    actor: str,
    reason: str,
) -> list[Plan]:
    """Beside `primary` (the re-plan of the day in force), a re-plan of each published horizon
    in `touched` that starts at or after `primary`'s end (tomorrow's plan, when the change
    reaches into it), with the same limits; queued in the caller's transaction, to be submitted
    after its commit like `primary`. Only when the request named no horizon."""
    if request.horizon_start is not None:
        return []
    later = set(later_published(uow, primary.horizon_end))
    return [
        _queue(uow, config, request, horizon, actor=actor, reason=reason)
        for horizon in sorted(set(touched) & later)
    ]


def request_replan(
    uow: UnitOfWork,
    runner: JobRunner,
    config: JobConfig,
    request: ReplanRequest,
    *,
    actor: str,
    reason: str,
) -> Plan:
    """A re-plan of the requested horizon, or of the one in force now, queued and submitted."""
    with uow:
        plan = queue_replan(uow, config, request, actor=actor, reason=reason)
        uow.commit()
    runner.submit(plan.stored_id)
    return plan

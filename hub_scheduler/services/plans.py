"""Plans once made: read, the one in force on a day, what a plan shows to whom, export.

Queuing, running and cancelling plan jobs is in `services/jobs.py`; publishing (checked against
the gate) in `services/publishing.py`; re-planning the published horizon in `services/replan.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from hub_scheduler.domain import Assignment, Scenario, Unscheduled
from hub_scheduler.errors import Conflict, FieldError, NotFound
from hub_scheduler.ports import UnitOfWork
from hub_scheduler.reason_words import Translate
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services.job_run import planning_now, run_inline
from hub_scheduler.services.jobs import (
    JobConfig,
    fail_job,
    get_job,
    is_stale,
    request_plan,
    stale_failure,
    utc_now,
)
from hub_scheduler.services.plan_view import held_by_own
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.publishing import publish_plan
from hub_scheduler.services.site import site_timezone

# --- request and read -----------------------------------------------------------------------------


def get_plan(uow: UnitOfWork, plan_id: int, *, grace_s: float | None = None) -> Plan:
    """A plan; when `grace_s` is given, a job whose runner died is marked failed on the way."""
    with uow:
        plan = get_job(uow, plan_id)
        if grace_s is not None and is_stale(plan, grace_s, utc_now()):
            fail_job(uow, plan, stale_failure(plan, grace_s))
            uow.commit()
            plan = get_job(uow, plan_id)
        return plan


def published_plan(uow: UnitOfWork, day: date, *, zone: str | None = None) -> Plan:
    """The plan in force on `day` (a day in the site's zone, or `zone`): the newest published
    plan whose horizon touches that day, showing every slot in force that day and every load left
    out, whichever published plan holds each (a plan of another horizon may hold some)."""
    with uow:
        day_start = datetime.combine(day, datetime.min.time(), site_timezone(uow, zone=zone))
        candidates = []
        for plan in uow.plans.list(published=True, limit=None):
            if plan.horizon_start < day_start + timedelta(days=1) and plan.horizon_end > day_start:
                candidates.append((plan, day_start))
        if not candidates:
            raise NotFound(f"no plan is published for {day.isoformat()}")
        held = uow.plans.in_force()
        assignments: list[Assignment] = []
        unscheduled: list[Unscheduled] = []
        for candidate, day_start in candidates:
            schedule = get_job(uow, candidate.stored_id).schedule
            if schedule is None:
                continue
            day_end = day_start + timedelta(days=1)
            assignments += [
                a
                for a in schedule.assignments
                if held[a.load_id].plan_id == candidate.id
                and a.start < day_end
                and a.disinfected_at > day_start
            ]
            unscheduled += [
                u for u in schedule.unscheduled if held[u.load_id].plan_id == candidate.id
            ]
        newest = max((c for c, _ in candidates), key=lambda p: p.published_at or p.requested_at)
        plan = get_job(uow, newest.stored_id)
        assert plan.schedule is not None  # only succeeded plans are published
        assignments.sort(key=lambda a: (a.start, a.hub_id, a.dock_id, a.load_id))
        shown = plan.schedule.model_copy(
            update={"assignments": assignments, "unscheduled": unscheduled}
        )
        return plan.model_copy(update={"schedule": shown})


# --- publish (services/publishing.py) -------------------------------------------------------------


def ensure_published_plan(
    uow: UnitOfWork,
    horizon_start: datetime,
    horizon_end: datetime,
    *,
    actor: str,
    load_scenario: Callable[..., Scenario],
    english: Translate,
    time_limit_s: float | None = None,
    now: datetime | None = None,
) -> Plan:
    """The published plan of exactly this horizon, made inline (as of `now`, default the clock)
    and published as of the same moment if there is none (`english`: as `publish_plan`'s)."""
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
        now=now,
        actor=actor,
        config=JobConfig(),
    )
    plan = get_plan(uow, plan.stored_id)
    if plan.status is not JobStatus.SUCCEEDED:
        raise plan_failed(plan)
    return publish_plan(
        uow,
        plan.stored_id,
        actor=actor,
        load_scenario=load_scenario,
        english=english,
        published_at=now,
    )


def plan_failed(plan: Plan) -> Conflict:
    """The Conflict of a plan job that ended without a plan: detail `plan {id} could not be
    made`, and one error, code `plan_failed`, whose params say why as the job stored it:
    `plan` (id), `status` (failed, cancelled), `error_code` and `error_params` (its failure,
    `services/job_failures.py`; None for a cancelled job); its English message is the job's
    `error` (the edge says the failure by its code)."""
    why = FieldError(
        message=plan.error or f"the plan job ended {plan.status.value}",
        code="plan_failed",
        params={
            "plan": plan.id,
            "status": plan.status.value,
            "error_code": plan.error_code,
            "error_params": plan.error_params,
        },
    )
    return Conflict(f"plan {plan.id} could not be made", [why])


# --- what a plan shows to whom --------------------------------------------------------------------


def visible_parts(
    uow: UnitOfWork, plan: Plan, principal: Principal, *, english: Translate
) -> tuple[list, list]:
    """The plan's assignments and unscheduled loads; an enterprise sees only its own loads, their
    reasons cut to its own (`plan_view.held_by_own`, the English said by `english`, the English
    catalogue's translate)."""
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
        mine = principal.enterprise_id or ""
        unscheduled = [held_by_own(u, mine, english) for u in unscheduled if u.load_id in own]
    return assignments, unscheduled


def export_plan(
    uow: UnitOfWork,
    plan_id: int,
    fmt: str,
    *,
    load_scenario: Callable[..., Scenario],
    write_timetable: Callable[..., bytes] | None = None,
    translate: Callable[..., str] | None = None,
) -> bytes:
    """The per-hub, per-dock timetable of a succeeded plan as CSV or XLSX bytes.

    CSV (and XLSX without `translate`) is the machine-readable table: ISO 8601 times with their
    offset, codes. XLSX with `translate` ((message id, **params) -> text, the reader's language)
    is the workbook people read: a sheet per hub with dock blocks, local date-time cells and the
    sheet of unscheduled loads with their reasons (`sheets/timetable_xlsx.py`).
    Raises NotFound for no such plan, Conflict while it has no schedule yet."""
    if write_timetable is None:
        from hub_scheduler.sheets import write_timetable as default_writer

        write_timetable = default_writer
    plan, scenario = plan_with_scenario(uow, plan_id, load_scenario=load_scenario)
    assert plan.schedule is not None  # plan_with_scenario raised Conflict otherwise
    if fmt == "xlsx" and translate is not None:
        from hub_scheduler.sheets.timetable_xlsx import timetable_xlsx

        return timetable_xlsx(plan.schedule, scenario, translate, plan_id=plan.id)
    return write_timetable(plan.schedule, scenario, fmt)


def plan_with_scenario(
    uow: UnitOfWork, plan_id: int, *, load_scenario: Callable[..., Scenario]
) -> tuple[Plan, Scenario]:
    """A plan that has a schedule and the scenario of its horizon and hubs (timetables need both).

    Raises NotFound for no such plan, Conflict while it has no schedule yet."""
    with uow:
        plan = get_job(uow, plan_id)
        if plan.schedule is None:
            raise Conflict(f"plan {plan_id} is {plan.status.value}; it has no timetable yet")
        now = planning_now(plan.params)
        scenario = load_scenario(
            uow, plan.horizon_start, plan.horizon_end, None, plan.hub_ids, now=now
        )
    return plan, scenario

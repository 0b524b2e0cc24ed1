"""Plans as jobs: request (202 + Location), status, progress, results, publish, cancel, export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response, url_for

from api.auth import ADMIN, ALL_ROLES, STAFF, current_principal
from api.clock import service_now
from api.database import db
from api.job_words import error_words
from api.jobs import jobs
from api.openapi import operation
from api.respond import respond, respond_items, respond_page
from api.schemas.body import PageQuery
from api.schemas.plans import (
    ExportQuery,
    PlanIn,
    PlanOut,
    PlanPage,
    PlanQuery,
    PublishedOut,
    PublishedQuery,
    UnscheduledOut,
)
from api.settings import job_config
from api.web.audit_words import said_reason
from api.web.i18n import negotiated_language, translator
from api.web.lookups import hub_names
from hub_scheduler.domain import Assignment, Unscheduled
from hub_scheduler.reason_words import reason_words
from hub_scheduler.records import Plan
from hub_scheduler.services import job_parts
from hub_scheduler.services import jobs as job_service
from hub_scheduler.services import plans as service
from hub_scheduler.services.gate_figures import with_gate_figures
from hub_scheduler.services.plan_view import own_figures
from hub_scheduler.services.replan import ReplanRequest
from hub_scheduler.services.site import site_timezone
from models.scenario_store import load_scenario

bp = Blueprint("plans", __name__, url_prefix="/api/v1/plans")

_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def replan_request(horizon: Any, time_limit_s: float | None) -> ReplanRequest:
    """A re-plan request from a body's optional `horizon` and `time_limit_s`."""
    if horizon is None:
        return ReplanRequest(time_limit_s=time_limit_s)
    return ReplanRequest(horizon.start, horizon.end, time_limit_s)


def unscheduled_out(items: list[Unscheduled]) -> list[UnscheduledOut]:
    """Each unscheduled load with `message`, its reason in the request's language."""
    if not items:
        return []
    translate, names = translator(negotiated_language()), hub_names()
    return [
        UnscheduledOut(**u.model_dump(), message=reason_words(u, translate, names)) for u in items
    ]


# The times a job's params and progress keep as ISO text (UTC as the worker wrote them): read
# back as times, so the response shows them in the site's zone like every other time.
_MOMENT_KEYS = frozenset({"heartbeat", "now"})


def _with_moments(values: dict[str, Any]) -> dict[str, Any]:
    shown = dict(values)
    for key in _MOMENT_KEYS & shown.keys():
        if isinstance(shown[key], str):
            try:
                moment = datetime.fromisoformat(shown[key])
            except ValueError:
                continue
            if moment.tzinfo is not None:
                shown[key] = moment
    return shown


def _with_message(part: dict[str, Any], translate: Any) -> dict[str, Any]:
    """A part summary with `error_message`, its failure in the request's language."""
    said = error_words(
        part.get("error"), part.get("error_code"), part.get("error_params"), translate
    )
    return {**part, "error_message": said}


def _reason_said(reason: Any) -> str | None:
    """A job's `params.reason` in the request's language (the audit page's words for it)."""
    if not isinstance(reason, str) or not reason:
        return None
    return said_reason(reason) or reason


def plan_out(plan: Plan, parts: list[dict[str, Any]] | None = None) -> PlanOut:
    """The job view of a plan: status, progress and the schedule's figures, not its rows; a
    split job's `parts` when given (`job_parts.part_summaries`). A failed job's reason is its
    English `error`, its `error_code` and `error_params`, and `error_message`, said in the
    request's language (`api.job_words`)."""
    s = plan.schedule
    translate = translator(negotiated_language())
    return PlanOut(
        parent_id=plan.parent_id,
        parts=[_with_message(p, translate) for p in parts or []],
        id=plan.id,
        status=plan.status,
        horizon={"start": plan.horizon_start, "end": plan.horizon_end},
        hub_ids=plan.hub_ids,
        params=_with_moments(plan.params),
        progress=_with_moments(plan.progress),
        requested_by=plan.requested_by,
        requested_at=plan.requested_at,
        started_at=plan.started_at,
        finished_at=plan.finished_at,
        published=plan.published,
        published_at=plan.published_at,
        error=plan.error,
        error_code=plan.error_code,
        error_params=plan.error_params,
        error_message=error_words(plan.error, plan.error_code, plan.error_params, translate),
        reason_message=_reason_said(plan.params.get("reason")),
        solver_status=s.status.value if s else None,
        objective=s.objective if s else None,
        bound=s.bound if s else None,
        gap=s.gap if s else None,
        kpis=s.kpis if s else {},
        figures_pending=plan.figures_pending,
        placed=len(s.assignments) if s else None,
        unscheduled=len(s.unscheduled) if s else None,
    )


def seen_by_enterprise(job: PlanOut, figures: dict[str, Any]) -> PlanOut:
    """The job view an enterprise may read: who asked for the plan (`requested_by`), the command
    centre's settings and words (`params`: its `reason`, stability, `now`...), the job's progress
    and error are the staff's, not about the enterprise's loads, so they are cut. The plan's
    figures are its own loads' (`figures`, `services.plan_view.own_figures`): the whole plan's KPIs,
    counts and objective would tell it how many trucks and how much lateness the other
    enterprises have."""
    return job.model_copy(
        update={
            "requested_by": None,
            "params": {},
            "progress": {},
            "error": None,
            "error_code": None,
            "error_params": None,
            "error_message": None,
            "reason_message": None,
            "objective": None,
            "bound": None,
            "gap": None,
            "kpis": figures,
            "placed": figures["placed"],
            "unscheduled": figures["unscheduled"],
        }
    )


@bp.post("")
@operation(
    "Ask for a plan: 202 Accepted with the job's Location",
    roles=ADMIN,
    body=PlanIn,
    response=PlanOut,
    status=202,
)
def request_plan(body: PlanIn):
    runner = jobs.runner()
    runner.check()  # 503 with Retry-After when the queue (Redis) is down: nothing is written
    plan, _ = job_service.request_plan_once(
        db.uow(),
        runner,
        coalesce=body.coalesce,
        horizon_start=body.horizon.start,
        horizon_end=body.horizon.end,
        hub_ids=body.hub_ids,
        time_limit_s=body.time_limit_s,
        workers=body.workers,
        seed=body.seed,
        now=body.now,
        split=body.split,
        stability=body.stability_weight,
        actor=current_principal().actor,
        config=job_config(),
    )
    if plan.id is None:  # a stored plan has its id
        raise RuntimeError("request_plan_once returned a plan without an id")
    plan = service.get_plan(db.uow(), plan.id)
    return respond(plan_out(plan), 202, {"Location": url_for("plans.get_plan", plan_id=plan.id)})


@bp.get("")
@operation(
    "Plan jobs, newest first, by status and horizon day, paged",
    roles=STAFF,
    query=PlanQuery,
    response=PlanPage,
)
def list_plans(query: PlanQuery):
    plans, total = job_service.list_jobs(
        db.uow(), status=query.status, day=query.horizon, limit=query.limit, offset=query.offset
    )
    return respond_items([plan_out(p) for p in plans], total, query)


@bp.get("/published")
@operation(
    "The plan in force on a day (enterprise: own loads only)",
    roles=ALL_ROLES,
    query=PublishedQuery,
    response=PublishedOut,
    errors=(404,),
)
def published(query: PublishedQuery):
    # No date: today in the site's zone, as the gate and the board count it.
    day = query.date or service_now().astimezone(site_timezone(db.uow())).date()
    plan = service.published_plan(db.uow(), day)
    principal = current_principal()
    assignments, unscheduled = service.visible_parts(
        db.uow(), plan, principal, english=translator("en")
    )
    if principal.is_enterprise:
        job = seen_by_enterprise(
            plan_out(plan), own_figures(db.uow(), plan, assignments, unscheduled)
        )
    else:
        job = plan_out(with_gate_figures(db.uow(), plan))  # the gate's figures counted now
    return respond(
        {
            "plan": job,
            "assignments": assignments,
            "unscheduled": unscheduled_out(unscheduled),
        }
    )


@bp.get("/<int:plan_id>")
@operation(
    "A plan job: status, progress (best objective so far), objective, bound, gap, KPIs",
    roles=STAFF,
    response=PlanOut,
    errors=(404,),
)
def get_plan(plan_id: int):
    plan = service.get_plan(db.uow(), plan_id, grace_s=job_config().grace_s)
    plan = with_gate_figures(db.uow(), plan)  # the gate's figures counted now, not at solve time
    return respond(plan_out(plan, job_parts.part_summaries(db.uow(), plan_id)))


@bp.get("/<int:plan_id>/assignments")
@operation(
    "The plan's slots (enterprise: own loads only)",
    roles=ALL_ROLES,
    response=list[Assignment],
    query=PageQuery,
    errors=(404,),
)
def assignments(plan_id: int, query: PageQuery):
    placed, _ = _visible_parts(plan_id)
    return respond_page(placed, query)


@bp.get("/<int:plan_id>/unscheduled")
@operation(
    "Loads the plan left out, with reasons (enterprise: own loads only)",
    roles=ALL_ROLES,
    response=list[UnscheduledOut],
    query=PageQuery,
    errors=(404,),
)
def unscheduled(plan_id: int, query: PageQuery):
    _, left_out = _visible_parts(plan_id)
    return respond_page(unscheduled_out(left_out), query)


def _visible_parts(plan_id: int) -> tuple[list[Assignment], list[Unscheduled]]:
    """Plan `plan_id`'s slots and left-out loads as the caller may see them (an enterprise: its
    own loads); 404 when there is no such plan."""
    plan = service.get_plan(db.uow(), plan_id)
    return service.visible_parts(db.uow(), plan, current_principal(), english=translator("en"))


@bp.post("/<int:plan_id>/publish")
@operation(
    "Publish, checked against the gate: the plan holds its loads in force (a re-plan of some hubs "
    "replaces only theirs); cancelled loads drop out, checked-in trucks keep their slots; 409 "
    "lists what still conflicts",
    roles=ADMIN,
    response=PlanOut,
    errors=(404, 409),
)
def publish(plan_id: int):
    plan = service.publish_plan(
        db.uow(),
        plan_id,
        actor=current_principal().actor,
        load_scenario=load_scenario,
        english=translator("en"),
        published_at=service_now(),  # which new slots are already over (`slot.expired`)
    )
    return respond(plan_out(plan))


@bp.post("/<int:plan_id>/cancel")
@operation("Cancel a queued or running plan job", roles=ADMIN, response=PlanOut, errors=(404, 409))
def cancel(plan_id: int):
    return respond(
        plan_out(job_service.cancel_plan(db.uow(), plan_id, actor=current_principal().actor))
    )


@bp.get("/<int:plan_id>/export")
@operation(
    "The per-hub, per-dock timetable for the gate: CSV with ISO times and codes for tools, or an "
    "XLSX workbook in Chinese (`lang=en`: English) with local date-time cells, a sheet per hub "
    "with dock blocks and a sheet 未排入 of the loads left out with their reasons",
    roles=STAFF,
    query=ExportQuery,
    errors=(404, 409),
    response={"type": "string", "format": "binary"},
    response_media="text/csv",
)
def export(plan_id: int, query: ExportQuery):
    data = service.export_plan(
        db.uow(),
        plan_id,
        query.format,
        load_scenario=load_scenario,
        translate=translator(query.lang),
    )
    return Response(
        data,
        mimetype=_MEDIA[query.format].split(";")[0],
        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.{query.format}"'},
        content_type=_MEDIA[query.format],
    )

"""The plan timeline pages: the published plan, one plan, its progress, re-plan, publish, export."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Response, flash, jsonify, redirect, render_template, request, url_for

from api.database import db
from api.jobs import jobs
from api.settings import job_config
from api.web.base import page_blueprint
from api.web.gantt import build_timeline
from api.web.i18n import current_language, translate, translator
from api.web.lookups import enterprises_by_id, loads_by_id, plan_in_force
from api.web.messages import PHASES
from api.web.signin import page_for
from api.web.zone import local_zone
from hub_scheduler.domain import CargoCategory
from hub_scheduler.errors import NotFound, ValidationFailed
from hub_scheduler.records import JobStatus, Plan, Role
from hub_scheduler.services import hubs as hub_service
from hub_scheduler.services import job_parts
from hub_scheduler.services import jobs as job_service
from hub_scheduler.services import plans as plan_service
from hub_scheduler.services import replan as replan_service
from hub_scheduler.services.block_reasons import hub_for
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.replan import ReplanRequest
from hub_scheduler.sheets import format_named
from models.scenario_store import load_scenario

bp = page_blueprint("web_timeline", __name__)
STAFF = (Role.ADMIN, Role.OPERATOR)
_RUNNING = (JobStatus.QUEUED, JobStatus.RUNNING)
EXPORT_FORMATS = ("csv", "xlsx")  # the timetables the page links to (JSON is the API's)


JOBS_PAGE_SIZE = 25


@bp.get("/plans")
@page_for(*STAFF)
def plan_jobs(principal: Principal):
    """The plan jobs, newest first (parts shown under their split job): status, day, hubs,
    asked at, seconds, objective, parts; filters `status` and `horizon` (a day), `page`."""
    problems = []
    args = request.args
    status = None
    if args.get("status"):
        try:
            status = JobStatus(args["status"])
        except ValueError:
            problems.append(translate("Status: one of the listed states"))
    day = None
    if args.get("horizon"):
        try:
            day = date.fromisoformat(args["horizon"])
        except ValueError:
            problems.append(translate("Day: a date such as 2026-12-01"))
    try:
        page = int(args.get("page") or 1)
    except ValueError:
        page = 0
    if not 1 <= page <= 10_000:
        problems.append(translate("Page: a whole number from 1"))
        page = 1
    rows: list[tuple[Plan, list[dict]]] = []
    total = 0
    if not problems:
        found, total = job_service.list_jobs(
            db.uow(),
            status=status,
            day=day,
            limit=JOBS_PAGE_SIZE,
            offset=(page - 1) * JOBS_PAGE_SIZE,
            top_level=True,
        )
        rows = [(p, job_parts.part_summaries(db.uow(), p.stored_id)) for p in found]
    form = {"status": args.get("status", ""), "horizon": args.get("horizon", "")}
    html = render_template(
        "plan_jobs.html",
        rows=rows,
        form=form,
        statuses=[s.value for s in JobStatus],
        query={k: v for k, v in form.items() if v},
        page=page,
        more=page * JOBS_PAGE_SIZE < total,
        total=total,
        first=(page - 1) * JOBS_PAGE_SIZE + 1,
        problems=problems,
        seconds=_job_seconds,
    )
    return html, 422 if problems else 200


def _job_seconds(plan: Plan) -> float | None:
    """Wall seconds from start to finish (None while it runs or never started)."""
    if plan.started_at is None or plan.finished_at is None:
        return None
    return (plan.finished_at - plan.started_at).total_seconds()


@bp.get("/plans/published")
@page_for(*STAFF)
def published_plan(principal: Principal):
    day = None
    if request.args.get("date"):
        try:
            day = date.fromisoformat(request.args["date"])
        except ValueError:
            day = None
    return _render(principal, plan_in_force(day))


@bp.get("/plans/<int:plan_id>")
@page_for(*STAFF)
def plan(principal: Principal, plan_id: int):
    shown = plan_service.get_plan(db.uow(), plan_id, grace_s=job_config().grace_s)
    return _render(principal, shown)


def _render(principal: Principal, plan: Plan | None):
    schedule = plan.schedule if plan else None
    timeline = None
    if plan is not None and schedule is not None:
        assignments, unscheduled = plan_service.visible_parts(db.uow(), plan, principal)
        timeline = build_timeline(
            horizon_start=plan.horizon_start,
            horizon_end=plan.horizon_end,
            hubs=[hub_for(principal, h) for h in hub_service.list_hubs(db.uow())],
            assignments=assignments,
            unscheduled=unscheduled,
            loads=loads_by_id(principal),
            enterprises=enterprises_by_id(),
            translate=translate,
            zone=local_zone(),
            kpis=schedule.kpis,
        )
    running = plan is not None and plan.status in _RUNNING
    return render_template(
        "timeline.html",
        plan=plan,
        schedule=schedule,
        timeline=timeline,
        running=running,
        parts=job_parts.part_summaries(db.uow(), plan.stored_id) if plan else [],
        late_count=sum(1 for b in timeline.bars if b.late_minutes) if timeline else 0,
        categories=[c.value for c in CargoCategory],
        progress_percent=_percent(plan) if running else None,
        progress_text=_progress_text(plan) if running else "",
    )


def _percent(plan: Plan) -> int | None:
    """How much of the job's time limit has gone by (the solver always stops at its limit)."""
    limit = float(plan.params.get("time_limit_s") or 0)
    if plan.status is JobStatus.QUEUED or not plan.started_at or limit <= 0:
        return None
    elapsed = plan.progress.get("elapsed_s")
    if not isinstance(elapsed, int | float):
        elapsed = (datetime.now(UTC) - plan.started_at).total_seconds()
    return max(1, min(99, int(100 * elapsed / limit)))


def _progress_text(plan: Plan) -> str:
    text = translate("job_" + plan.status.value)
    phase = plan.progress.get("phase")
    if isinstance(phase, str) and plan.status is JobStatus.RUNNING:
        key = "phase_" + phase
        text += " · " + (translate(key) if key in PHASES else phase)
    best = plan.progress.get("best_objective")
    if isinstance(best, int | float):
        text += " · " + translate("best objective so far: {value}", value=f"{float(best):,.0f}")
    return text


@bp.get("/plans/<int:plan_id>/progress")
@page_for(*STAFF)
def plan_progress(principal: Principal, plan_id: int):
    """For the page's script: the job's status while it runs (JSON, same session as the page)."""
    plan = plan_service.get_plan(db.uow(), plan_id, grace_s=job_config().grace_s)
    running = plan.status in _RUNNING
    return jsonify(
        status=plan.status.value,
        done=not running,
        percent=_percent(plan) if running else 100,
        text=_progress_text(plan),
        url=url_for("web_timeline.plan", plan_id=plan.id),
    )


@bp.post("/plans/new")
@page_for(Role.ADMIN)
def new_plan(principal: Principal):
    """A re-plan of the horizon of the plan on screen, or of the newest published one."""
    horizon_start = horizon_end = None
    if request.form.get("from_plan", "").isdigit():
        shown = plan_service.get_plan(db.uow(), int(request.form["from_plan"]))
        horizon_start, horizon_end = shown.horizon_start, shown.horizon_end
    try:
        plan = replan_service.request_replan(
            db.uow(),
            jobs.runner(),
            job_config(),
            ReplanRequest(horizon_start, horizon_end),
            actor=principal.actor,
            reason="asked for on the timeline page",
        )
    except ValidationFailed as exc:
        flash(translate("No plan could be asked for: {detail}", detail=exc.detail), "error")
        return redirect(url_for("web_timeline.published_plan"), code=303)
    return redirect(url_for("web_timeline.plan", plan_id=plan.id), code=303)


@bp.post("/plans/<int:plan_id>/publish")
@page_for(Role.ADMIN)
def publish_plan(principal: Principal, plan_id: int):
    plan_service.publish_plan(db.uow(), plan_id, actor=principal.actor, load_scenario=load_scenario)
    flash(translate("Plan {id} is published.", id=plan_id), "ok")
    return redirect(url_for("web_timeline.plan", plan_id=plan_id), code=303)


@bp.get("/plans/<int:plan_id>/export.<fmt>")
@page_for(*STAFF)
def export_plan(principal: Principal, plan_id: int, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise NotFound(f"no export as {fmt}")
    data = plan_service.export_plan(
        db.uow(),
        plan_id,
        fmt,
        load_scenario=load_scenario,
        translate=translator(current_language()),
    )
    return Response(
        data,
        mimetype=format_named(fmt).media_types[0],  # text/* gets "; charset=utf-8" added
        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}.{fmt}"'},
    )

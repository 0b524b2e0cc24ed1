"""The plan timeline pages: the published plan, one plan, its progress, re-plan, publish, export."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import Response, flash, jsonify, redirect, render_template, request, url_for

from api.clock import service_now
from api.database import db
from api.jobs import jobs
from api.settings import job_config
from api.web.base import error_page, page_blueprint
from api.web.gantt import PlanParts, build_timeline
from api.web.i18n import current_language, query_field, translate, translator
from api.web.lookups import enterprises_by_id, loads_by_id, plan_in_force, today
from api.web.messages import PHASES
from api.web.signin import STAFF, page_for
from api.web.timeline_view import ALL_HUBS, ZOOMS, TimelineQuery, parse_query
from api.web.timeline_view import apply as apply_view
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
_RUNNING = (JobStatus.QUEUED, JobStatus.RUNNING)
EXPORT_FORMATS = ("csv", "xlsx")  # the timetables the page links to (JSON is the API's)
# The stability weights of the new-plan form's choices (objective points per moved truck): None is
# the site's settings.objective.stability; "both" asks for two plans to compare before publishing.
MOVE_LITTLE = 20_000.0  # "move as little as possible": a move costs more than most lateness
LEAST_LATE = 0.0  # "least lateness": moves cost nothing
CHOICES: dict[str, tuple[float | None, ...]] = {
    "site": (None,),
    "stable": (MOVE_LITTLE,),
    "punctual": (LEAST_LATE,),
    "both": (MOVE_LITTLE, LEAST_LATE),
}


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
    """The plan in force on `?date=` (site-local YYYY-MM-DD; default today in the site's zone,
    whatever day was published last), cut to the view the query string asks for (see
    `timeline_view.TimelineQuery`)."""
    try:
        query = parse_query(request.args, "date")
    except ValidationFailed as exc:
        return _refused(exc)
    shown_day = query.day or today()
    plan = plan_in_force(shown_day)
    return _render(principal, plan, query, shown_day=shown_day, published_page=True)


@bp.get("/plans/<int:plan_id>")
@page_for(*STAFF)
def plan(principal: Principal, plan_id: int):
    """One plan (a draft or a published one); a plan of several days shows `?day=` (its first
    by default), with the same filters as the published page."""
    shown = plan_service.get_plan(db.uow(), plan_id, grace_s=job_config().grace_s)
    try:
        query = parse_query(request.args, "day")
    except ValidationFailed as exc:
        return _refused(exc)
    return _render(principal, shown, query, shown_day=None, published_page=False)


def _refused(exc: ValidationFailed):
    """A bad query value as a 422 page in the page's language, naming the field."""
    problems = [
        translate("view_err_" + e.code, field=query_field(e.field or "")) if e.code else e.message
        for e in exc.errors
    ]
    return error_page(422, translate("The page cannot show this"), " ".join(problems))


def _render(
    principal: Principal,
    plan: Plan | None,
    query: TimelineQuery,
    *,
    shown_day: date | None,
    published_page: bool,
):
    schedule = plan.schedule if plan else None
    timeline = view = None
    if plan is not None and schedule is not None:
        assignments, unscheduled = plan_service.visible_parts(
            db.uow(), plan, principal, english=translator("en")
        )
        loads = loads_by_id(principal)
        enterprises = enterprises_by_id()
        try:
            view = apply_view(
                query,
                PlanParts(
                    plan.horizon_start,
                    plan.horizon_end,
                    [hub_for(principal, h) for h in hub_service.list_hubs(db.uow())],
                    assignments,
                    unscheduled,
                    loads,
                ),
                enterprise_names={e.id: e.name or e.id for e in enterprises.values()},
                zone=local_zone(),
                pick_day=not published_page,
            )
        except ValidationFailed as exc:
            return _refused(exc)
        timeline = build_timeline(
            view.parts,
            enterprises=enterprises,
            translate=translate,
            zone=local_zone(),
            kpis=schedule.kpis,
            window=view.window,
        )
        query = view.query
    running = plan is not None and plan.status in _RUNNING
    return render_template(
        "timeline.html",
        plan=plan,
        schedule=schedule,
        timeline=timeline,
        view=view,
        query=query,
        zooms=ZOOMS,
        all_hubs=ALL_HUBS,
        published_page=published_page,
        shown_day=shown_day,
        day_before=shown_day - timedelta(days=1) if shown_day else None,
        day_after=shown_day + timedelta(days=1) if shown_day else None,
        tomorrow=today() + timedelta(days=1),
        running=running,
        parts=job_parts.part_summaries(db.uow(), plan.stored_id) if plan else [],
        late_count=sum(1 for b in timeline.bars if b.late_minutes) if timeline else 0,
        plan_late_count=len((schedule.kpis or {}).get("late_loads") or [])
        if schedule is not None
        else 0,
        categories=[c.value for c in CargoCategory],
        progress_percent=_percent(plan) if running and plan else None,
        progress_text=_progress_text(plan) if running and plan else "",
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


def day_horizon(day: date) -> tuple[datetime, datetime]:
    """The site-local day as a horizon [00:00, next 00:00), aware."""
    start = datetime.combine(day, time(), local_zone())
    return start, datetime.combine(day + timedelta(days=1), time(), local_zone())


@bp.post("/plans/new")
@page_for(Role.ADMIN)
def new_plan(principal: Principal):
    """A plan of `day` (site-local YYYY-MM-DD, the form offers tomorrow), else a re-plan of the
    horizon of the plan on screen (`from_plan`), else of the newest published one. `choice`:
    `site` (the site's stability weight, one job) or `both` (two jobs, "move as little as
    possible" and "least lateness", shown side by side on the compare page)."""
    horizon_start = horizon_end = None
    if request.form.get("day"):
        try:
            day = date.fromisoformat(request.form["day"])
        except ValueError:
            flash(translate("view_err_bad_date", field=query_field("day")), "error")
            return redirect(url_for("web_timeline.published_plan"), code=303)
        horizon_start, horizon_end = day_horizon(day)
    elif request.form.get("from_plan", "").isdigit():
        shown = plan_service.get_plan(db.uow(), int(request.form["from_plan"]))
        horizon_start, horizon_end = shown.horizon_start, shown.horizon_end
    choice = request.form.get("choice", "site")
    weights = CHOICES.get(choice)
    if weights is None:
        flash(translate("view_err_bad_choice", field=query_field("choice")), "error")
        return redirect(url_for("web_timeline.published_plan"), code=303)
    made = []
    try:
        for weight in weights:
            made.append(
                replan_service.request_replan(
                    db.uow(),
                    jobs.runner(),
                    job_config(),
                    ReplanRequest(horizon_start, horizon_end, stability=weight),
                    actor=principal.actor,
                    reason="asked for on the timeline page",
                )
            )
    except ValidationFailed as exc:
        flash(translate("No plan could be asked for: {detail}", detail=exc.detail), "error")
        return redirect(url_for("web_timeline.published_plan"), code=303)
    if len(made) == 2:
        return redirect(url_for("web_changes.compare", a=made[0].id, b=made[1].id), code=303)
    return redirect(url_for("web_timeline.plan", plan_id=made[0].id), code=303)


@bp.post("/plans/<int:plan_id>/publish")
@page_for(Role.ADMIN)
def publish_plan(principal: Principal, plan_id: int):
    plan_service.publish_plan(
        db.uow(),
        plan_id,
        actor=principal.actor,
        load_scenario=load_scenario,
        english=translator("en"),
        published_at=service_now(),  # which new slots are already over (`slot.expired`)
    )
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

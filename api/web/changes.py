"""After a re-plan: what moved and why (one plan against the plan in force), and two plans side by
side (the new-plan form's "move as little as possible" and "least lateness") before publishing."""

from __future__ import annotations

from flask import render_template, request

from api.database import db
from api.settings import job_config
from api.web.base import error_page, page_blueprint
from api.web.i18n import query_field, translate
from api.web.lookups import enterprises_by_id, loads_by_id
from api.web.signin import STAFF, page_for
from hub_scheduler.records import JobStatus, Plan
from hub_scheduler.services import plans as plan_service
from hub_scheduler.services.plan_changes import MoveReason, PlanChanges, plan_changes
from hub_scheduler.services.principal import Principal

bp = page_blueprint("web_changes", __name__)
MOVES_SHOWN = 500  # rows of the moves table; a city re-plan rarely moves more, the rest counted
SIDE_SHOWN = 100  # rows per plan of the side-by-side lists
_RUNNING = (JobStatus.QUEUED, JobStatus.RUNNING)


def _changes(plan: Plan) -> PlanChanges | None:
    if plan.schedule is None or plan.published:
        return None
    return plan_changes(db.uow(), plan)


def _weight_label(plan: Plan) -> str:
    weight = plan.params.get("stability")
    if weight is None:
        return translate("The site's stability weight")
    if float(weight) == 0:
        return translate("Least lateness")
    return translate("Move as little as possible")


@bp.get("/plans/<int:plan_id>/changes")
@page_for(*STAFF)
def changes(principal: Principal, plan_id: int):
    """What moved and why: per load its slot in force, its slot in this plan and the reason code
    (`plan_changes.MoveReason`), times in the site's zone. A published plan is in force itself:
    the page says so instead (compare before publishing)."""
    plan = plan_service.get_plan(db.uow(), plan_id, grace_s=job_config().grace_s)
    found = _changes(plan)
    enterprises = enterprises_by_id()
    loads = loads_by_id(principal)
    return render_template(
        "changes.html",
        plan=plan,
        changes=found,
        moves=found.moves[:MOVES_SHOWN] if found else [],
        loads=loads,
        enterprises=enterprises,
        weight_label=_weight_label(plan),
        running=plan.status in _RUNNING,
        reasons=[r.value for r in MoveReason],
    )


def _plan_id(name: str) -> int | None:
    text = request.args.get(name, "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


@bp.get("/plans/compare")
@page_for(*STAFF)
def compare(principal: Principal):
    """Two plans of the same horizon side by side (`?a=` and `?b=`, plan ids): late trucks, moved
    trucks, left-out loads, minutes late, each against the plan in force, with a publish button
    for the admin. A bad or missing id: 422 naming it; an unknown one: 404."""
    ids = {name: _plan_id(name) for name in ("a", "b")}
    missing = [name for name, value in ids.items() if value is None]
    if missing:
        return error_page(
            422,
            translate("The page cannot show this"),
            " ".join(translate("view_err_bad_plan", field=query_field(name)) for name in missing),
        )
    plans = [
        plan_service.get_plan(db.uow(), plan_id, grace_s=job_config().grace_s)
        for plan_id in ids.values()
        if plan_id is not None
    ]
    sides = [
        {
            "plan": plan,
            "changes": _changes(plan),
            "label": _weight_label(plan),
            "running": plan.status in _RUNNING,
        }
        for plan in plans
    ]
    return render_template(
        "compare.html",
        sides=sides,
        running=any(side["running"] for side in sides),
        shown=SIDE_SHOWN,
        loads=loads_by_id(principal),
        enterprises=enterprises_by_id(),
    )

"""The hub board: each hub's status, zones, docks, crews and utilisation; activate and suspend."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for

from api.database import db
from api.jobs import jobs
from api.notify import settle
from api.settings import job_config
from api.web.base import error_page, page_blueprint
from api.web.gantt import utilisation, utilisation_from_kpis
from api.web.i18n import query_field, translate
from api.web.inbox import latest as latest_events
from api.web.lookups import plan_in_force, today
from api.web.replan_offer import board_banners
from api.web.signin import STAFF, page_for
from api.web.timeline_view import parse_day
from api.web.zone import local_zone
from hub_scheduler.domain import Hub, HubStatus
from hub_scheduler.errors import NotFound, ValidationFailed
from hub_scheduler.records import Role
from hub_scheduler.services import activations as activation_service
from hub_scheduler.services import hubs as hub_service
from hub_scheduler.services.principal import Principal
from hub_scheduler.services.replan import PUBLISHED_HORIZON

bp = page_blueprint("web_board", __name__)
HISTORY_ROWS = 50  # the board shows the newest switches only
# The one move each status offers on the board: standby hubs are activated, active ones suspended.
_ACTIONS = {
    HubStatus.STANDBY: "activate",
    HubStatus.ACTIVE: "suspend",
    HubStatus.SUSPENDED: "activate",
}


@bp.get("/board")
@page_for(*STAFF)
def board(principal: Principal):
    """Each hub on `?date=` (site-local YYYY-MM-DD; default today in the site's zone, whatever
    day was published last): the trucks and utilisation of the plan in force that day."""
    text = request.args.get("date")
    try:
        shown_day = parse_day(text, "date") if text else today()
    except ValidationFailed as exc:
        said = " ".join(
            translate("view_err_" + e.code, field=query_field(e.field or ""))
            if e.code
            else e.message
            for e in exc.errors
        )
        return error_page(422, translate("The page cannot show this"), said)
    hubs = hub_service.list_hubs(db.uow())
    plan = plan_in_force(shown_day)
    assignments = plan.schedule.assignments if plan and plan.schedule else []
    cards = []
    for hub in hubs:
        placed = [a for a in assignments if a.hub_id == hub.id]
        share = None
        if plan is not None and plan.schedule is not None:
            share = utilisation_from_kpis(hub, plan.schedule.kpis)
            if share is None:  # a plan made before the solver reported it
                share = utilisation(hub, placed, plan.horizon_start, plan.horizon_end, local_zone())
        cards.append(
            {
                "hub": hub,
                "action": _ACTIONS[hub.status],
                "placed": len(placed),
                "docks": sum(len(z.docks) for z in hub.zones),
                "crews": sum(z.crews or 0 for z in hub.zones),
                "utilisation": share,
            }
        )
    totals = {
        "active": sum(1 for h in hubs if h.status is HubStatus.ACTIVE),
        "standby": sum(1 for h in hubs if h.status is HubStatus.STANDBY),
        "suspended": sum(1 for h in hubs if h.status is HubStatus.SUSPENDED),
        "placed": len(assignments),
        "unscheduled": len(plan.schedule.unscheduled) if plan and plan.schedule else 0,
    }
    news = latest_events(principal) if principal.role is Role.ADMIN else []
    return render_template(
        "board.html",
        cards=cards,
        plan=plan,
        shown_day=shown_day,
        day_before=shown_day - timedelta(days=1),
        day_after=shown_day + timedelta(days=1),
        totals=totals,
        history=_activation_history(),
        news=news,
        replan_banners=board_banners(shown_day),
    )


def _activation_history() -> list:
    return activation_service.list_activations(db.uow(), limit=HISTORY_ROWS)


def _hub(hub_id: str) -> Hub:
    return hub_service.get_hub(db.uow(), hub_id)


@bp.route("/board/hubs/<hub_id>/<action>", methods=["GET", "POST"])
@page_for(Role.ADMIN)
def hub_action(principal: Principal, hub_id: str, action: str):
    """GET: the confirmation page (when the dialog cannot open); POST: do it, with the reason."""
    if action not in ("activate", "suspend"):
        raise NotFound(f"no action {action}")
    hub = _hub(hub_id)
    if request.method == "GET":
        return render_template("confirm_hub.html", hub=hub, action=action, reason="", error=None)
    reason = request.form.get("reason", "").strip()
    if not reason:
        error = translate("Please give a reason.")
        return render_template(
            "confirm_hub.html", hub=hub, action=action, reason=reason, error=error
        )
    if action == "activate":
        plan = _activate(hub, reason, principal)
    else:
        plan = _suspend(hub, reason, principal)
    flash(
        translate(
            "{hub}: {what}. A new plan is being made.",
            hub=hub.name or hub.id,
            what=translate("activated" if action == "activate" else "suspended"),
        ),
        "ok",
    )
    return redirect(url_for("web_timeline.plan", plan_id=plan.id), code=303)


def _activate(hub: Hub, reason: str, principal: Principal):
    """Emergency activation of a standby hub; reopening a suspended hub is a status change."""
    if hub.status is not HubStatus.STANDBY:
        return _switch(hub, HubStatus.ACTIVE, reason, principal)
    _, plan = activation_service.activate_hubs(
        db.uow(),
        jobs.runner(),
        job_config(),
        hub_ids=[hub.id],
        reason=reason,
        actor=principal.actor,
    )
    return plan


def _suspend(hub: Hub, reason: str, principal: Principal):
    return _switch(hub, HubStatus.SUSPENDED, reason, principal)


def _switch(hub: Hub, status: HubStatus, reason: str, principal: Principal):
    """The status change and its re-plan in one transaction, as POST /hubs/<id>/status does; the
    service refuses a change HUB_TRANSITIONS forbid (409)."""
    _, plan = hub_service.set_status_and_replan(
        db.uow(),
        jobs.runner(),
        job_config(),
        hub.id,
        status,
        PUBLISHED_HORIZON,
        reason=reason,
        actor=principal.actor,
        told=settle,
    )
    return plan

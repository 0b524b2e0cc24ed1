"""Hubs with zones, docks, opening hours and disinfection (the scenario@1 hub shape).

Blocked windows are shown as each role may see them: the case data behind a disinfection block
only to the command centre (services/block_reasons.py).
"""

from __future__ import annotations

from flask import Blueprint, url_for

from api.auth import ADMIN, ALL_ROLES, current_principal
from api.database import db
from api.jobs import jobs
from api.notify import settle
from api.openapi import operation
from api.plans import plan_out, replan_request
from api.respond import respond, respond_page
from api.schemas.body import PageQuery
from api.schemas.hubs import BlockedWindowIn, HubPatch, HubStatusIn, HubStatusOut
from api.settings import job_config
from api.web.i18n import negotiated_language, translator
from api.web.messages import ZH
from hub_scheduler.domain import BlockedWindow, Hub, HubStatus
from hub_scheduler.services import hubs as service
from hub_scheduler.services.block_reasons import hub_for
from hub_scheduler.services.principal import Principal

bp = Blueprint("hubs", __name__, url_prefix="/api/v1/hubs")


def shown(principal: Principal, hub: Hub) -> Hub:
    """`hub` as `principal` may see it (services/block_reasons.hub_for), each coded blocked
    window's `reason` said in Chinese when the request is (`block_<code>`: "消杀封闭", not the
    stored "closed for disinfection"); its code and params are the same in both languages, a
    typed reason is shown as typed."""
    hub = hub_for(principal, hub)
    if negotiated_language() != "zh-CN" or not any(w.reason_code for w in hub.blocked):
        return hub
    translate = translator("zh-CN")
    said = [
        w.model_copy(update={"reason": translate(f"block_{w.reason_code}")})
        if w.reason_code and f"block_{w.reason_code}" in ZH
        else w
        for w in hub.blocked
    ]
    return hub.model_copy(update={"blocked": said})


@bp.get("")
@operation("List hubs", roles=ALL_ROLES, response=list[Hub], query=PageQuery)
def list_hubs(query: PageQuery):
    principal = current_principal()
    return respond_page([shown(principal, h) for h in service.list_hubs(db.uow())], query)


@bp.post("")
@operation("Create a hub", roles=ADMIN, body=Hub, response=Hub, status=201, errors=(409,))
def create_hub(body: Hub):
    hub = service.create_hub(db.uow(), body, actor=current_principal().actor)
    return respond(hub, 201, {"Location": url_for("hubs.get_hub", hub_id=hub.id)})


@bp.get("/<hub_id>")
@operation("One hub", roles=ALL_ROLES, response=Hub, errors=(404,))
def get_hub(hub_id: str):
    return respond(shown(current_principal(), service.get_hub(db.uow(), hub_id)))


@bp.patch("/<hub_id>")
@operation(
    "Change a hub's name, kind, zones, docks, hours or disinfection",
    roles=ADMIN,
    body=HubPatch,
    response=Hub,
    errors=(404,),
)
def patch_hub(hub_id: str, body: HubPatch):
    changes = body.model_dump(exclude_unset=True)
    principal = current_principal()
    return respond(
        shown(principal, service.update_hub(db.uow(), hub_id, changes, actor=principal.actor))
    )


@bp.post("/<hub_id>/blocked-windows")
@operation(
    "Block a dock, a zone or the hub for a period",
    roles=("admin", "operator"),
    body=BlockedWindowIn,
    response=BlockedWindow,
    status=201,
    errors=(404,),
)
def add_blocked_window(hub_id: str, body: BlockedWindowIn):
    window = service.add_blocked_window(
        db.uow(), hub_id, BlockedWindow(**body.model_dump()), actor=current_principal().actor
    )
    return respond(window, 201)


@bp.delete("/<hub_id>/blocked-windows/<window_id>")
@operation("Lift a blocked window", roles=("admin", "operator"), status=204, errors=(404,))
def delete_blocked_window(hub_id: str, window_id: str):
    service.remove_blocked_window(db.uow(), hub_id, window_id, actor=current_principal().actor)
    return "", 204


@bp.post("/<hub_id>/status")
@operation(
    "Switch a hub to active, standby or suspended, with a reason; optionally re-plan",
    roles=ADMIN,
    body=HubStatusIn,
    response=HubStatusOut,
    errors=(404, 409, 422),
)
def set_status(hub_id: str, body: HubStatusIn):
    principal = current_principal()
    actor = principal.actor
    if body.replan is None and body.status is not HubStatus.SUSPENDED:
        hub = service.set_status(
            db.uow(), hub_id, body.status, reason=body.reason, actor=actor, told=settle
        )
        return respond({"hub": shown(principal, hub), "plan": None})
    # A suspension withdraws the hub's slots and re-plans their horizon even when not asked to.
    hub, plan = service.set_status_and_replan(
        db.uow(),
        jobs.runner(),
        job_config(),
        hub_id,
        body.status,
        replan_request(body.replan.horizon, body.replan.time_limit_s) if body.replan else None,
        reason=body.reason,
        actor=actor,
        told=settle,  # the switch's events go out before the slots are withdrawn
    )
    said = plan_out(plan) if plan is not None else None
    return respond({"hub": shown(principal, hub), "plan": said})

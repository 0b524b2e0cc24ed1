"""Emergency activations of standby hubs, and their history."""

from __future__ import annotations

from flask import Blueprint, url_for

from api.auth import current_principal
from api.database import db
from api.jobs import jobs
from api.openapi import operation
from api.plans import plan_out, replan_request
from api.respond import respond, respond_page
from api.schemas.body import PageQuery
from api.schemas.emergencies import ActivationIn, ActivationOut
from api.settings import job_config
from hub_scheduler.records import Activation
from hub_scheduler.services import activations as service

bp = Blueprint("activations", __name__, url_prefix="/api/v1/activations")


@bp.post("")
@operation(
    "Activate standby hubs and re-plan with minimal change: 202 with the plan job",
    roles=("admin",),
    body=ActivationIn,
    response=ActivationOut,
    status=202,
    errors=(409, 422),
)
def activate(body: ActivationIn):
    activation, plan = service.activate_hubs(
        db.uow(),
        jobs.runner(),
        job_config(),
        hub_ids=body.hub_ids,
        reason=body.reason,
        actor=current_principal().actor,
        replan=replan_request(body.horizon, body.time_limit_s),
    )
    return respond(
        {"activation": activation, "plan": plan_out(plan)},
        202,
        {"Location": url_for("plans.get_plan", plan_id=plan.id)},
    )


@bp.get("")
@operation(
    "The history of activations", roles=("admin",), response=list[Activation], query=PageQuery
)
def history(query: PageQuery):
    return respond_page(service.list_activations(db.uow()), query)

"""The site's stored data that is not a hub: the entry-screening policy the gate, the load checks
and the planner read (services/site.py)."""

from __future__ import annotations

from flask import Blueprint

from api.auth import ADMIN, current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas.site import ScreeningPolicyPatch
from hub_scheduler.domain import ScreeningPolicy
from hub_scheduler.services import site as service

bp = Blueprint("site", __name__, url_prefix="/api/v1/site")


@bp.get("/screening")
@operation(
    "The entry-screening policy: test age (h), antigen fallback, temperature limit (°C)",
    roles=("admin", "operator"),
    response=ScreeningPolicy,
)
def get_screening():
    return respond(service.screening_policy(db.uow()))


@bp.patch("/screening")
@operation(
    "Change the entry-screening policy (audited as site.screening)",
    roles=ADMIN,
    body=ScreeningPolicyPatch,
    response=ScreeningPolicy,
    errors=(422,),
)
def patch_screening(body: ScreeningPolicyPatch):
    changes = body.model_dump(exclude_unset=True)
    return respond(
        service.update_screening_policy(db.uow(), changes, actor=current_principal().actor)
    )

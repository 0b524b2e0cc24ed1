"""Enterprises on (or off) the white-list."""

from __future__ import annotations

from flask import Blueprint, url_for

from api.auth import ADMIN, current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond, respond_page
from api.schemas.body import PageQuery
from api.schemas.enterprises import EnterprisePatch
from hub_scheduler.domain import Enterprise
from hub_scheduler.services import enterprises as service

bp = Blueprint("enterprises", __name__, url_prefix="/api/v1/enterprises")


@bp.get("")
@operation("List enterprises", roles=ADMIN, response=list[Enterprise], query=PageQuery)
def list_enterprises(query: PageQuery):
    return respond_page(service.list_enterprises(db.uow()), query)


@bp.post("")
@operation(
    "Add an enterprise",
    roles=ADMIN,
    body=Enterprise,
    response=Enterprise,
    status=201,
    errors=(409,),
)
def create_enterprise(body: Enterprise):
    enterprise = service.create_enterprise(db.uow(), body, actor=current_principal().actor)
    return respond(
        enterprise,
        201,
        {"Location": url_for("enterprises.get_enterprise", enterprise_id=enterprise.id)},
    )


@bp.get("/<enterprise_id>")
@operation("One enterprise", roles=ADMIN, response=Enterprise, errors=(404,))
def get_enterprise(enterprise_id: str):
    return respond(service.get_enterprise(db.uow(), enterprise_id))


@bp.patch("/<enterprise_id>")
@operation(
    "Change the white-list flag, tier or validity dates",
    roles=ADMIN,
    body=EnterprisePatch,
    response=Enterprise,
    errors=(404,),
)
def patch_enterprise(enterprise_id: str, body: EnterprisePatch):
    changes = body.model_dump(exclude_unset=True)
    return respond(
        service.update_enterprise(db.uow(), enterprise_id, changes, actor=current_principal().actor)
    )

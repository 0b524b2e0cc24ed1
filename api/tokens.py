"""API tokens: issued by an admin for a role (and an enterprise), shown once, stored hashed."""

from __future__ import annotations

from flask import Blueprint

from api.auth import current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas import TokenIn, TokenOut
from hub_scheduler.services.tokens import issue_token

bp = Blueprint("tokens", __name__, url_prefix="/api/v1/tokens")


@bp.post("")
@operation(
    "Issue a token (shown once)",
    roles=("admin",),
    body=TokenIn,
    response=TokenOut,
    status=201,
    errors=(404,),
)
def create_token(body: TokenIn):
    token = issue_token(
        db.uow(),
        role=body.role.value,
        enterprise_id=body.enterprise_id,
        label=body.label,
        actor=current_principal().actor,
    )
    return respond(
        TokenOut(token=token, role=body.role, enterprise_id=body.enterprise_id, label=body.label),
        201,
        {"Cache-Control": "no-store"},
    )

"""API tokens: issued by an admin for a role (and an enterprise), shown once, stored hashed;
listed without their secret, revoked, and given an expiry."""

from __future__ import annotations

from flask import Blueprint

from api.auth import current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas.tokens import TokenIn, TokenInfo, TokenOut
from hub_scheduler.records import ApiToken
from hub_scheduler.services import tokens as service

bp = Blueprint("tokens", __name__, url_prefix="/api/v1/tokens")
NO_STORE = {"Cache-Control": "no-store"}


def token_info(token: ApiToken) -> TokenInfo:
    """What a listing shows of a token: the fields TokenInfo declares (never the secret, nor its
    hash) and its state."""
    shown = {name: getattr(token, name) for name in TokenInfo.model_fields if name != "state"}
    return TokenInfo(**shown, state=service.token_state(token))


@bp.post("")
@operation(
    "Issue a token (shown once), optionally with an expiry",
    roles=("admin",),
    body=TokenIn,
    response=TokenOut,
    status=201,
    errors=(404,),
)
def create_token(body: TokenIn):
    expires_at = service.expiry(body.expires_at, body.expires_in_days)
    token, stored = service.issue(
        db.uow(),
        role=body.role.value,
        enterprise_id=body.enterprise_id,
        label=body.label,
        expires_at=expires_at,
        actor=current_principal().actor,
    )
    out = TokenOut(
        id=stored.id,
        token=token,
        role=body.role,
        enterprise_id=body.enterprise_id,
        label=body.label,
        expires_at=stored.expires_at,
    )
    return respond(out, 201, NO_STORE)


@bp.get("")
@operation("Every token, without its secret", roles=("admin",), response=list[TokenInfo])
def list_tokens():
    return respond([token_info(t) for t in service.list_tokens(db.uow())], 200, NO_STORE)


@bp.delete("/<int:token_id>")
@operation(
    "Revoke a token: it gets 401 from the next request on",
    roles=("admin",),
    response=TokenInfo,
    errors=(404,),
)
def revoke_token(token_id: int):
    revoked = service.revoke_token(db.uow(), token_id, actor=current_principal().actor)
    return respond(token_info(revoked), 200, NO_STORE)

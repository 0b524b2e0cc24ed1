"""The inbox: the caller's events (an enterprise its own, an admin the command centre's, an
operator the hubs'), the unread count, and marking them read."""

from __future__ import annotations

from flask import Blueprint

from api.auth import ALL_ROLES, current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas.notifications import InboxOut, InboxQuery, InboxReadIn, InboxReadOut
from hub_scheduler.services import events as service

bp = Blueprint("inbox", __name__, url_prefix="/api/v1/inbox")


@bp.get("")
@operation(
    "The caller's events, newest first, with the unread count",
    roles=ALL_ROLES,
    query=InboxQuery,
    response=InboxOut,
    errors=(422,),
)
def index(query: InboxQuery):
    events, total, unread = service.inbox(
        db.uow(),
        current_principal(),
        hub_id=query.hub_id,
        unread=query.unread,
        limit=query.limit,
        offset=query.offset,
    )
    return respond({"events": events, "total": total, "unread": unread})


@bp.post("/read")
@operation(
    "Mark the caller's events read (these ids, or all)",
    roles=ALL_ROLES,
    body=InboxReadIn,
    response=InboxReadOut,
    errors=(404, 422),
    body_optional=True,
)
def read(body: InboxReadIn):
    principal = current_principal()
    marked = service.mark_read(db.uow(), principal, body.ids, hub_id=body.hub_id)
    _, _, unread = service.inbox(db.uow(), principal, hub_id=body.hub_id, limit=1)
    return respond({"marked": marked, "unread": unread})

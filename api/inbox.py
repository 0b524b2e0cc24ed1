"""The inbox: the caller's events (an enterprise its own, an admin the command centre's, an
operator the hubs'), the unread count, and marking them read."""

from __future__ import annotations

from flask import Blueprint

from api.auth import ALL_ROLES, current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas.notifications import InboxOut, InboxQuery, InboxReadIn, InboxReadOut
from api.web.i18n import negotiated_language, translator
from api.web.lookups import hub_names
from hub_scheduler.domain import ReasonCode, Unscheduled
from hub_scheduler.reason_words import Translate, reason_words
from hub_scheduler.records import Event
from hub_scheduler.services import events as service

_CODES = {code.value for code in ReasonCode}

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
    said = said_reasons(events, translator(negotiated_language()), hub_names())
    return respond({"events": said, "total": total, "unread": unread})


def said_reasons(events: list[Event], translate: Translate, names: dict[str, str]) -> list[Event]:
    """`events` with each slot reason that carries a plan's `detail` and `params` (a slot withdrawn
    at a publish: services/publishing.py) given its `message` in `translate`'s language, hubs by
    name and times in the site's zone (`reason_words`), as the plan's unscheduled list says it;
    the stored English sentence stays where no words are found."""
    out = []
    for event in events:
        reason = event.data.get("reason")
        if isinstance(reason, dict) and reason.get("detail") and reason.get("code") in _CODES:
            left_out = Unscheduled(
                load_id=str(event.data.get("load_id") or "-"),
                reason_code=ReasonCode(reason["code"]),
                reason=str(reason.get("message") or ""),
                reason_detail=str(reason["detail"]),
                reason_params=dict(reason.get("params") or {}),
            )
            words = reason_words(left_out, translate, names)
            if words:
                data = {**event.data, "reason": {**reason, "message": words}}
                event = event.model_copy(update={"data": data})
        out.append(event)
    return out


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

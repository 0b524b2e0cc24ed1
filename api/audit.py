"""The append-only audit log: who changed what, when."""

from __future__ import annotations

from flask import Blueprint

from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas import AuditPage, AuditQuery
from hub_scheduler.services.audit import list_entries

bp = Blueprint("audit", __name__, url_prefix="/api/v1/audit")


@bp.get("")
@operation("The audit log, newest first", roles=("admin",), query=AuditQuery, response=AuditPage)
def list_audit(query: AuditQuery):
    filters = query.model_dump(exclude_none=True, exclude={"limit", "offset"})
    items = list_entries(db.uow(), limit=query.limit, offset=query.offset, **filters)
    return respond({"items": items, "limit": query.limit, "offset": query.offset})

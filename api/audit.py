"""The append-only audit log: who changed what, when."""

from __future__ import annotations

from flask import Blueprint

from api.auth import current_principal
from api.database import db
from api.openapi import operation
from api.respond import respond
from api.schemas.audit import AuditPage, AuditQuery
from hub_scheduler.services.audit import list_entries
from hub_scheduler.services.load_lookup import resolve_keys

bp = Blueprint("audit", __name__, url_prefix="/api/v1/audit")


@bp.get("")
@operation("The audit log, newest first", roles=("admin",), query=AuditQuery, response=AuditPage)
def list_audit(query: AuditQuery):
    filters = query.model_dump(exclude_none=True, exclude={"limit", "offset"})
    if query.target_id is not None and query.target_type in (None, "load"):
        # A load's entries name it by key (enterprise_id/id): an id one enterprise holds finds
        # them; an id several hold is a 409 naming them, as for the load itself.
        [filters["target_id"]] = resolve_keys(db.uow(), [query.target_id], current_principal())
    items = list_entries(db.uow(), limit=query.limit, offset=query.offset, **filters)
    return respond({"items": items, "limit": query.limit, "offset": query.offset})

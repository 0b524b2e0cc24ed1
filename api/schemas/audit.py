"""The audit log: filters and a page of entries."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.body import Body
from hub_scheduler import limits
from hub_scheduler.records import AuditEntry
from hub_scheduler.values import Name


class AuditQuery(Body):
    action: Name | None = None
    target_type: Name | None = None
    target_id: Name | None = Field(
        default=None,
        description="a load by its id (409 when several enterprises hold it) or its key "
        "`enterprise_id/id`, as its entries name it (ids are per enterprise)",
    )
    limit: int = Field(default=100, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class AuditPage(BaseModel):
    items: list[AuditEntry]
    limit: int
    offset: int

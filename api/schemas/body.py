"""The base of our own request bodies, and the pieces many bodies share (a horizon, paging)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hub_scheduler import limits
from hub_scheduler.values import Moment


class Body(BaseModel):
    """A request body of our own: unknown fields are an error, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class Horizon(Body):
    start: Moment
    end: Moment


class PageQuery(Body):
    """Paging for the lists that answer a plain JSON array; the total is in `X-Total-Count`."""

    limit: int = Field(default=limits.PAGE_LIMIT_MAX, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)

"""Enterprises on the white-list: the fields a PATCH changes."""

from __future__ import annotations

from pydantic import Field

from api.schemas.body import Body
from hub_scheduler.values import Day, Name


class EnterprisePatch(Body):
    name: Name | None = None
    whitelisted: bool | None = None
    tier: int | None = Field(default=None, ge=1, le=3)
    valid_from: Day | None = None
    valid_until: Day | None = None

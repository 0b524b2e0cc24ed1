"""API tokens: create one, list them (never a secret)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.schemas.body import Body
from hub_scheduler.records import Role
from hub_scheduler.values import Id, Moment, Name


class TokenIn(Body):
    role: Role
    enterprise_id: Id | None = None
    label: Name = ""
    expires_at: Moment | None = Field(
        default=None, description="When the token stops working (with an offset); none: never"
    )
    expires_in_days: int | None = Field(
        default=None, ge=1, le=3650, description="Or a lifetime in days, 1 to 3650 (not both)"
    )


class TokenInfo(BaseModel):
    """A token as listed: never its secret, nor its hash."""

    id: int
    role: Role
    enterprise_id: str | None = None
    label: str = ""
    created_at: dt.datetime
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    state: str = Field(description='"active", "expired" or "revoked"')


class TokenOut(BaseModel):
    id: int | None = None
    token: str = Field(description="The bearer token, shown only this once")
    role: Role
    enterprise_id: str | None = None
    label: str = ""
    expires_at: dt.datetime | None = None

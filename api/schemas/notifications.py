"""Webhook subscriptions and the in-app inbox of events."""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from api.schemas.body import Body
from hub_scheduler import limits
from hub_scheduler.values import Id


class WebhookIn(Body):
    url: str = Field(
        min_length=1,
        max_length=2000,
        description="http(s):// receiver (a public address), or mailto: for e-mail",
    )
    events: list[str] = Field(
        min_length=1,
        max_length=20,
        description="event types (`slot.confirmed`, ...) or `*` for every type",
    )
    secret: str | None = Field(
        default=None,
        max_length=200,
        description="whsec_ + base64 of 24-64 bytes; left out: one is made and shown once",
    )
    hub_id: Id | None = Field(default=None, description="admin only: a hub's events")
    enterprise_id: Id | None = Field(
        default=None,
        description="admin only: an enterprise's events (an enterprise token: its own)",
    )


class WebhookOut(BaseModel):
    """A subscription; `secret` only in the answer that created it."""

    id: int
    owner_kind: str
    owner_id: str | None
    url: str
    events: list[str]
    enabled: bool
    failures: int
    disabled_reason: str | None
    created_at: AwareDatetime
    secret: str | None = None
    deliveries: list[dict[str, Any]] | None = None


class InboxQuery(Body):
    unread: bool | None = None
    hub_id: Id | None = Field(default=None, description="admin and operator: one hub's events")
    limit: int = Field(default=50, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class InboxOut(BaseModel):
    events: list[dict[str, Any]]
    total: int
    unread: int


class InboxReadIn(Body):
    ids: list[str] | None = Field(
        default=None, max_length=1000, description="event ids; left out: every unread event"
    )
    hub_id: Id | None = None


class InboxReadOut(BaseModel):
    marked: int
    unread: int

"""Public information: the hubs, their hours and whether they are open now."""

from __future__ import annotations

from pydantic import BaseModel

from hub_scheduler.domain import HubStatus


class PublicZoneOut(BaseModel):
    id: str
    temperature: str
    docks: int


class PublicHubOut(BaseModel):
    id: str
    name: str
    kind: str
    status: HubStatus
    open_now: bool
    always_open: bool
    hours_today: list[dict[str, str]] | None
    zones: list[PublicZoneOut]
    cold_zones: int
    ambient_zones: int
    status_changed_at: str | None


class PublicHubsOut(BaseModel):
    at: str
    timezone: str
    hubs: list[PublicHubOut]

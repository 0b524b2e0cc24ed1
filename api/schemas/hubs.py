"""Hubs: the fields a PATCH changes, blocked windows, status changes with their re-plan."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.body import Body, Horizon
from api.schemas.plans import PlanOut
from hub_scheduler.domain import (
    Hub,
    HubKind,
    HubStatus,
    Location,
    OpeningPeriod,
    Zone,
)
from hub_scheduler.values import (
    Id,
    Minutes,
    Moment,
    Name,
    PosInt,
    Text,
)


class HubPatch(Body):
    """The hub fields a PATCH may change; status and blocked windows have their own endpoints."""

    name: Name | None = None
    kind: HubKind | None = None
    location: Location | None = None
    opening_hours: list[OpeningPeriod] | None = None
    disinfection_minutes: Minutes | None = None
    max_trucks_on_site: PosInt | None = None
    slot_minutes: PosInt | None = None
    zones: list[Zone] | None = None


class BlockedWindowIn(Body):
    start: Moment
    end: Moment
    zone_id: Id | None = None
    dock_id: Id | None = None
    reason: Text = Field(min_length=1)


class ReplanIn(Body):
    """Which horizon to re-plan; without one, the horizon of the newest published plan."""

    horizon: Horizon | None = None
    time_limit_s: float | None = Field(default=None, gt=0, le=600)


class HubStatusIn(Body):
    status: HubStatus
    reason: Text = Field(min_length=1)
    replan: ReplanIn | None = None


class HubStatusOut(BaseModel):
    hub: Hub
    plan: PlanOut | None = None

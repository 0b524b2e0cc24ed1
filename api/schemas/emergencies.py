"""The command centre's emergencies: activations of standby hubs, positive-case incidents."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.body import Body, Horizon
from api.schemas.plans import PlanOut
from hub_scheduler import limits
from hub_scheduler.records import Activation, Incident
from hub_scheduler.values import Id, Moment, Plate, PosInt, Text


class ActivationIn(Body):
    hub_ids: list[Id] = Field(min_length=1, max_length=limits.LIST_MAX_ITEMS)
    reason: Text = Field(min_length=1)
    horizon: Horizon | None = None
    time_limit_s: float | None = Field(default=None, gt=0, le=600)


class ActivationOut(BaseModel):
    activation: Activation
    plan: PlanOut


class IncidentIn(Body):
    vehicle_plate: Plate | None = None
    load_id: Id | None = None
    enterprise_id: Id | None = Field(
        default=None,
        description="the load's enterprise, needed with `load_id` when several enterprises hold "
        "the id (409 otherwise)",
    )
    at: Moment | None = Field(
        default=None,
        description="when the positive result was reported; default: the service's clock "
        "(HUB_SCHEDULER_PLAN_NOW when set, else now); a later time is refused (422, "
        "code time_in_future)",
    )
    note: Text = ""
    disinfection_minutes: PosInt = Field(
        default=120, le=24 * 60, description="deep disinfection blocking each dock the truck used"
    )
    contact_window_minutes: PosInt = Field(
        default=240,
        le=7 * 24 * 60,
        description="how long after the truck a later truck on its dock counts",
    )
    horizon: Horizon | None = None
    time_limit_s: float | None = Field(default=None, gt=0, le=600)


class IncidentOut(BaseModel):
    incident: Incident
    plan: PlanOut | None

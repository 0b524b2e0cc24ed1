"""The domain: hubs, zones, docks, enterprises, loads, transfers, scenarios and schedules.

These classes are the scenario@1 / schedule@1 shapes of DESIGN.md, field for field, so a file, an
API body and the solver's input are one thing. They are plain pydantic models: no Flask, no ORM.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from hub_scheduler import limits, load_keys
from hub_scheduler.screening_checks import ScreeningFailure
from hub_scheduler.values import (
    Day,
    Id,
    LoadKey,
    Minutes,
    Moment,
    Name,
    Phone,
    Plate,
    PosInt,
    PosMinutes,
    Text,
)

SCENARIO_FORMAT: Final = "hub-scheduler/scenario@1"
SCHEDULE_FORMAT: Final = "hub-scheduler/schedule@1"
# The site's time zone when a scenario names none (the seed document's county); spelled only here.
DEFAULT_TIMEZONE = "Asia/Shanghai"

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


class HubKind(StrEnum):
    LOGISTICS_PARK = "logistics_park"
    SERVICE_AREA = "service_area"


class HubStatus(StrEnum):
    ACTIVE = "active"
    STANDBY = "standby"
    SUSPENDED = "suspended"


class Temperature(StrEnum):
    COLD = "cold"
    AMBIENT = "ambient"


class CargoCategory(StrEnum):
    """Seed priority order: the first is served first."""

    MEDICAL_SUPPLIES = "medical_supplies"
    DAILY_NECESSITIES = "daily_necessities"
    GOVERNMENT_RESERVE = "government_reserve"
    POSTAL_EXPRESS = "postal_express"
    AGRICULTURAL = "agricultural"
    ENERGY = "energy"
    RAW_MATERIALS = "raw_materials"
    OTHER = "other"


class LoadStatus(StrEnum):
    SUBMITTED = "submitted"
    SCHEDULED = "scheduled"
    CHECKED_IN = "checked_in"
    IN_OPERATION = "in_operation"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    NO_SHOW = "no_show"


class HealthCode(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class TestType(StrEnum):
    PCR = "pcr"
    ANTIGEN = "antigen"


class TestResult(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"


class PlanStatus(StrEnum):
    """The solver's verdict on a schedule (schedule@1 `status`)."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class ReasonCode(StrEnum):
    NOT_WHITELISTED = "NOT_WHITELISTED"
    SCREENING_FAILED = "SCREENING_FAILED"
    HUB_NOT_ALLOWED = "HUB_NOT_ALLOWED"
    NO_ZONE_FOR_TEMPERATURE = "NO_ZONE_FOR_TEMPERATURE"
    WINDOW_TOO_SHORT = "WINDOW_TOO_SHORT"
    CLOSED = "CLOSED"
    INBOUND_NOT_PLACED = "INBOUND_NOT_PLACED"
    CAPACITY = "CAPACITY"
    CANCELLED = "CANCELLED"
    # A repair of the plan in force found no slot left (services/repair.py), or none by the deadline
    NO_SLOT_LEFT = "NO_SLOT_LEFT"
    DEADLINE_PASSED = "DEADLINE_PASSED"


def parse_hhmm(text: str) -> time | None:
    """'HH:MM' to a time; '24:00' is the end of the day and gives None."""
    if text == "24:00":
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def hhmm_minutes(text: str) -> int:
    """'HH:MM' to minutes after midnight ('24:00' is 1440)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class Model(BaseModel):
    """Base for every domain shape: unknown fields are kept (formats may grow), ints stay ints."""

    model_config = ConfigDict(extra="allow", use_enum_values=False, validate_assignment=False)


class Location(Model):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class OpeningPeriod(Model):
    """A daily opening period in the scenario's zone; `end <= start` means it crosses midnight."""

    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError('must be a time of day "HH:MM"')
        return value


class BlockedWindow(Model):
    """A period when a dock, a zone or a whole hub takes no truck (H5)."""

    id: Id | None = None
    start: Moment
    end: Moment
    zone_id: Id | None = None
    dock_id: Id | None = None
    reason: Text = ""
    # A coded reason (e.g. DEEP_DISINFECTION) is translated at the edge; its params may hold case
    # data that only the command centre sees (services/block_reasons.py).
    reason_code: str | None = None
    reason_params: dict[str, str] = Field(default_factory=dict)


class Dock(Model):
    id: Id


class Zone(Model):
    id: Id
    temperature: Temperature
    crews: PosInt | None = None
    disinfection_minutes: Minutes | None = None
    docks: list[Dock] = Field(default_factory=list)


class Hub(Model):
    id: Id
    name: Name = ""
    kind: HubKind = HubKind.LOGISTICS_PARK
    status: HubStatus = HubStatus.ACTIVE
    location: Location | None = None
    opening_hours: list[OpeningPeriod] | None = None
    disinfection_minutes: Minutes = 0
    max_trucks_on_site: PosInt | None = None
    slot_minutes: PosInt | None = None
    blocked: list[BlockedWindow] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)

    def zone(self, zone_id: str) -> Zone | None:
        return next((z for z in self.zones if z.id == zone_id), None)

    def dock_zone(self, dock_id: str) -> Zone | None:
        """The zone that holds `dock_id` at this hub, or None."""
        return next((z for z in self.zones for d in z.docks if d.id == dock_id), None)


class Enterprise(Model):
    id: Id
    name: Name = ""
    whitelisted: bool = True
    tier: int = Field(default=1, ge=1, le=3)
    valid_from: Day | None = None
    valid_until: Day | None = None

    def whitelisted_on(self, day: date) -> bool:
        """On the white-list and inside its validity dates on `day`."""
        if not self.whitelisted:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


class Position(Model):
    """Where a load is (pinned) or was (previous): hub, dock and start."""

    hub_id: Id
    dock_id: Id
    start: Moment


class Screening(Model):
    """The driver's entry-screening data, as declared on submission or read at the gate."""

    test_type: TestType | None = None
    test_result: TestResult | None = None
    test_time: Moment | None = None
    health_code: HealthCode | None = None
    body_temperature_c: float | None = Field(default=None, ge=30, le=45)
    pass_valid_until: Moment | None = None


class Load(Model):
    id: LoadKey  # `enterprise_id/id` once stored (load_keys); the enterprise part is its own
    enterprise_id: Id
    category: CargoCategory
    temperature: Temperature
    handling_minutes: PosMinutes
    release: Moment
    due: Moment
    deadline: Moment | None = None
    priority_weight: PosInt | None = None
    allowed_hubs: list[Id] | None = Field(default=None, max_length=limits.LIST_MAX_ITEMS)
    origin: Location | None = None
    has_pass: bool = False
    disinfection_minutes: Minutes | None = None
    pinned: Position | None = None
    previous: Position | None = None
    vehicle_plate: Plate | None = None
    screening: Screening | None = None
    status: LoadStatus = LoadStatus.SUBMITTED
    # An output (scenario@1 may carry it): the entry checks the driver fails at arrival, each a
    # code and params (`screening_checks`; an older "CODE: message" string reads as one); None
    # until screened. Left out of written files while None.
    screening_failures: list[ScreeningFailure] | None = Field(
        default=None, exclude_if=lambda v: v is None
    )
    # The driver's phone, for the gate and for tracing (submitted, optional): a mobile's 11
    # digits or a landline "0797-2881234" (`values.phone_number`); shown to staff and the owner
    # only.
    driver_phone: Phone | None = Field(default=None, exclude_if=lambda v: v is None)
    # Outputs: what the gate saw (check-in, start of handling, end of handling); None until
    # then. KPIs and contact tracing use them before the planned times (DESIGN "Gate times").
    arrived_at: AwareDatetime | None = Field(default=None, exclude_if=lambda v: v is None)
    started_at: AwareDatetime | None = Field(default=None, exclude_if=lambda v: v is None)
    completed_at: AwareDatetime | None = Field(default=None, exclude_if=lambda v: v is None)
    # An output: the slot's start in force at check-in (None: a walk-in had none); on time at the
    # gate counts from it (gate_kpis): no later repair or publish changes it.
    arrival_slot_start: AwareDatetime | None = Field(default=None, exclude_if=lambda v: v is None)
    # An output: held for inspection, {"code", "params"} (the relay partner of a positive truck).
    hold: dict[str, Any] | None = Field(default=None, exclude_if=lambda v: v is None)
    # An output: why the load lost its slot (its hub closed) until a plan in force gives it a new
    # one; None otherwise, and then left out of written files.
    needs_new_slot: str | None = Field(default=None, exclude_if=lambda v: v is None)
    # An output: why a repair changed the load's slot in force, {"code", "params"} (its own late
    # arrival or ETA change, or SHIFTED_FOR_REPAIR: pushed later to make room for another load;
    # DOCK_STILL_IN_USE: a published re-plan moved its start to when its dock is free;
    # LATE_START: it started after its slot, the slot follows its real run;
    # DOCK_TAKEN_BY_LATE_START: moved for a truck that started late on its dock;
    # RUN_OVERLAPS_SLOT / DOCK_TAKEN_BY_RUN: the same for a start within the skew whose real run
    # meets another slot; MOVED_FOR_STARTED_RUN: a started truck's run takes its crew, place on
    # site or relay time: services/start_rules.py),
    # until a newly published plan gives it a slot; None otherwise.
    slot_changed: dict[str, Any] | None = Field(default=None, exclude_if=lambda v: v is None)

    @model_validator(mode="after")
    def _own_key(self) -> Load:
        owner = load_keys.enterprise_of(self.id)
        if owner is not None and owner != self.enterprise_id:
            raise ValueError("a load key starts with its own enterprise id")
        return self


class Transfer(Model):
    """A relay: the outbound truck takes the inbound truck's goods, never meeting it (H7)."""

    inbound: LoadKey
    outbound: LoadKey
    min_gap_minutes: Minutes = 0


class ObjectiveWeights(Model):
    """S1-S5 weights. `unscheduled_penalty` None: automatic (see objective.unscheduled_penalty)."""

    unscheduled_penalty: float | None = Field(default=None, gt=0)
    waiting: float = Field(default=0.0, ge=0)
    stability: float = Field(default=300.0, ge=0)
    travel: float = Field(default=0.0, ge=0)


class ScreeningPolicy(Model):
    """Entry screening as data: what a driver must show (DESIGN.md 'Entry screening')."""

    required: bool = False
    max_test_age_hours: int = Field(default=48, gt=0, le=720, description="hours")
    allow_antigen: bool = False
    max_body_temperature_c: float = Field(default=37.3, ge=35.0, le=42.0, description="°C")


class Settings(Model):
    slot_minutes: PosInt = 15
    time_limit_s: float = Field(default=10.0, gt=0)
    seed: int = Field(default=0, ge=0, le=limits.INT_MAX)
    workers: PosInt = 2
    freeze_minutes: Minutes = 0
    now: Moment | None = None
    objective: ObjectiveWeights = Field(default_factory=ObjectiveWeights)
    screening: ScreeningPolicy = Field(default_factory=ScreeningPolicy)


class Horizon(Model):
    start: Moment
    end: Moment

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class Scenario(Model):
    format: Literal["hub-scheduler/scenario@1"] = SCENARIO_FORMAT
    name: str = "scenario"
    timezone: str = DEFAULT_TIMEZONE
    horizon: Horizon
    settings: Settings = Field(default_factory=Settings)
    hubs: list[Hub] = Field(default_factory=list)
    enterprises: list[Enterprise] = Field(default_factory=list)
    loads: list[Load] = Field(default_factory=list)
    transfers: list[Transfer] = Field(default_factory=list)

    def hub(self, hub_id: str) -> Hub | None:
        return next((h for h in self.hubs if h.id == hub_id), None)

    def minutes(self, moment: datetime) -> int:
        """Integer minutes from the horizon start (the solver's clock)."""
        return int((moment - self.horizon.start).total_seconds() // 60)

    def moment(self, minutes: int) -> datetime:
        """The inverse of `minutes`, in the horizon start's offset."""
        return self.horizon.start + timedelta(minutes=minutes)


class Assignment(Model):
    load_id: str
    hub_id: str
    zone_id: str
    dock_id: str
    start: AwareDatetime
    end: AwareDatetime
    disinfected_at: AwareDatetime


REASON_DETAILS = frozenset(
    {
        "enterprise_unknown",  # enterprise
        "enterprise_not_listed",  # enterprise (name or id), day (YYYY-MM-DD)
        "screening_failed",  # checks: [{code, params}] (screening.FailedCheck codes)
        "no_zone",  # temperature
        "hubs_not_allowed",  # hubs: [hub id], temperature
        "window_deadline",  # minutes (handling)
        "window_horizon",  # minutes (handling)
        "closed",
        "pinned_hub_unknown",  # hub
        "pinned_hub_status",  # hub, status (a HubStatus value)
        "pinned_dock",  # hub, dock
        "pinned_slot",  # hub, dock, start (as capacity_taken's)
        "inbound_not_placed",  # loads: [load id], missing (inbounds not in the plan)
        "capacity_no_slot",
        "capacity_taken",  # hub, zone, start (ISO, the site's zone; older plans "MM-DD HH:MM")
        "capacity_held",  # hub, zone, start, loads: [load id] (first 8), more
        "hub_closed",  # hub, note (the typed reason, may be "")
        "no_slot_left",  # a repair's params (services/repair.py): cause, earliest, tried...
        "deadline_passed",  # the same, with deadline_field ("deadline" or "due"), deadline
        # A plan made after its deadline could still be met (services/left_out_reasons.py)
        "deadline_before_plan",  # deadline, now (ISO, the site's zone), minutes (handling)
        # Why a repaired slot is not earlier (solver/why_not_earlier.py; times ISO, site's zone)
        "other_temperature",  # H1 hub, zone, temperature (the load's), zone_temperature
        "deadline_reached",  # H4 deadline
        "horizon_reached",  # H4 end (of the planned period)
        "outside_hours",  # H5 hub, from, until
        "blocked_hub",  # H5 hub, from, until
        "blocked_zone",  # H5 hub, zone, from, until
        "blocked_dock",  # H5 hub, dock, from, until
        "relay_place",  # H7 hub, zone (the inbound's)
        "relay_wait",  # H7 until
        "relay_before",  # H7 start (of the outbound that collects the load's goods)
        "dock_busy",  # H3 hub, zone, dock, start, end, until (disinfected)
        "crews_full",  # H6 hub, zone, crews, from, until
        "site_full",  # H8 hub, trucks, from, until
    }
)
"""The detail codes of an unscheduled load's reason, and of the limits that keep a repaired
slot from being earlier; the comment names each one's params."""


class Unscheduled(Model):
    """A load a plan left out: `reason_code` (why, coarse), `reason` (an English sentence), and
    `reason_detail` (one of `REASON_DETAILS`, "" for plans made before it) with `reason_params`
    (JSON values) from which the pages and the API write the sentence in the reader's language."""

    load_id: str
    reason_code: ReasonCode
    reason: str
    reason_detail: str = ""
    reason_params: dict[str, Any] = Field(default_factory=dict)


class Schedule(Model):
    format: Literal["hub-scheduler/schedule@1"] = SCHEDULE_FORMAT
    scenario: str
    status: PlanStatus
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float = 0.0
    assignments: list[Assignment] = Field(default_factory=list)
    unscheduled: list[Unscheduled] = Field(default_factory=list)
    kpis: dict[str, Any] = Field(default_factory=dict)

"""Request and response bodies. Where the API speaks a scenario@1 shape (a hub, an enterprise, a
load, an assignment) it reuses the domain model; the rest are small models defined here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hub_scheduler import limits
from hub_scheduler.domain import (
    Assignment,
    BlockedWindow,
    CargoCategory,
    Day,
    Enterprise,
    Hub,
    HubKind,
    HubStatus,
    Id,
    Load,
    LoadStatus,
    Location,
    Minutes,
    Moment,
    Name,
    OpeningPeriod,
    Phone,
    Plate,
    PosInt,
    PosMinutes,
    Screening,
    Temperature,
    Text,
    Unscheduled,
    Zone,
)
from hub_scheduler.records import (
    Activation,
    AuditEntry,
    Incident,
    JobStatus,
    ProposalStatus,
    ReportKind,
    ReportStatus,
    Role,
)


class Body(BaseModel):
    """A request body of our own: unknown fields are an error, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


# --- tokens ---------------------------------------------------------------------------------------


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


# --- hubs and enterprises -------------------------------------------------------------------------


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


class Horizon(Body):
    start: Moment
    end: Moment


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


class ScreeningPolicyPatch(Body):
    """A change to the site's entry-screening policy; fields left out keep their value."""

    required: bool | None = Field(
        default=None, description="every driver must show screening data (else only when given)"
    )
    max_test_age_hours: int | None = Field(
        default=None, gt=0, le=720, description="hours a negative test stays valid at arrival"
    )
    allow_antigen: bool | None = Field(
        default=None, description="an antigen test may stand in for the PCR test"
    )
    max_body_temperature_c: float | None = Field(
        default=None, ge=35, le=42, description="°C; a driver above it is turned away"
    )


class EnterprisePatch(Body):
    name: Name | None = None
    whitelisted: bool | None = None
    tier: int | None = Field(default=None, ge=1, le=3)
    valid_from: Day | None = None
    valid_until: Day | None = None


# --- loads ----------------------------------------------------------------------------------------


class LoadIn(Body):
    """One truck visit as an enterprise submits it; `id` is generated when absent."""

    id: Id | None = None
    enterprise_id: Id | None = Field(
        default=None, description="Required for admin tokens; an enterprise token's own by default"
    )
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
    vehicle_plate: Plate | None = None
    driver_phone: Phone | None = Field(
        default=None,
        description="the driver's mobile (11 digits) or landline with area code; stored as "
        "13800138000 / 0797-2881234; shown to the gate, the command centre and the owner only",
    )
    screening: Screening | None = None
    # A relay (H7) declared with the load; checked by services/transfers.py like POST /transfers.
    transfer_to: Id | None = Field(
        default=None, description="the outbound load that takes this load's goods (a relay)"
    )
    transfer_from: Id | None = Field(
        default=None, description="the inbound load whose goods this load takes (a relay)"
    )
    transfer_min_gap_minutes: Minutes | None = Field(
        default=None, description="extra minutes between the two trucks of the relay (H7)"
    )
    transfer_enterprise_id: Id | None = Field(
        default=None,
        description="the enterprise of the relay partner (`transfer_to` / `transfer_from`); "
        "default: this load's. Admins only may name another (ids are unique per enterprise); an "
        "enterprise token may name only itself",
    )


class LoadOut(Load):
    """A load as the API shows it: the scenario@1 load and the entry checks its driver fails."""

    screening_failures: list[str] = Field(
        default_factory=list, description="failed entry checks; such a load is kept out of plans"
    )
    needs_new_slot: str | None = Field(
        default=None,
        description="why the load lost its slot (its hub closed), until a plan in force gives it "
        "a new one",
    )
    slot_changed: dict[str, Any] | None = Field(
        default=None,
        description="why a repair changed the slot in force: {code: LATE_ARRIVAL | ETA_CHANGED | "
        "DOCK_BLOCKED | NO_SLOT_LEFT | SHIFTED_FOR_REPAIR, params} (times in the site's zone), "
        "until a newly published plan gives the load its slot",
    )

    transfer_to: Id | None = Field(default=None, description="the relay's outbound load id")
    transfer_from: Id | None = Field(default=None, description="the relay's inbound load id")


class TransferIn(Body):
    """A relay between two loads of one enterprise: the outbound truck takes the inbound's goods."""

    inbound: Id
    outbound: Id
    min_gap_minutes: Minutes = 0
    enterprise_id: Id | None = Field(
        default=None,
        description="the enterprise of both loads (admins, when several enterprises hold an "
        "id); an enterprise token may name only itself",
    )
    inbound_enterprise_id: Id | None = Field(
        default=None,
        description="the enterprise of the inbound load (admins: needed when several "
        "enterprises hold its id, else a 422 naming this field); an enterprise token may name "
        "only itself",
    )
    outbound_enterprise_id: Id | None = Field(
        default=None,
        description="the enterprise of the outbound load, as `inbound_enterprise_id`; an admin "
        "joining two enterprises' loads names each",
    )


class TransferOut(BaseModel):
    """A relay by its loads' ids (unique per enterprise): `enterprise_id` is the inbound load's
    enterprise; `outbound_enterprise_id` is there only when the outbound load is another
    enterprise's (a confirmed proposal, or an admin's relay across enterprises)."""

    inbound: str
    outbound: str
    enterprise_id: str | None = None
    outbound_enterprise_id: str | None = None
    min_gap_minutes: int


class TransferProposalIn(Body):
    """A relay between the caller's load and a load of another enterprise, named by both ids."""

    inbound: Id
    outbound: Id
    min_gap_minutes: Minutes = 0
    partner_enterprise_id: Id = Field(
        description="the enterprise of the other load, which must confirm the relay"
    )


class ProposalQuery(Body):
    status: ProposalStatus | None = Field(default=None, description="e.g. `pending`")
    limit: int = Field(default=limits.PAGE_LIMIT_MAX, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class TransferProposalOut(BaseModel):
    """A relay proposal as one side sees it: load ids and enterprise ids, nothing about the
    other side's truck (no plate, phone or goods)."""

    id: int
    inbound: str
    outbound: str
    min_gap_minutes: int
    status: ProposalStatus
    your_side: str | None = Field(
        description="`proposer` or `partner` for an enterprise token; null for an admin"
    )
    proposer_enterprise_id: str
    partner_enterprise_id: str
    proposed_at: AwareDatetime
    decided_at: AwareDatetime | None = None


class LoadPatch(Body):
    category: CargoCategory | None = None
    temperature: Temperature | None = None
    handling_minutes: PosMinutes | None = None
    release: Moment | None = None
    due: Moment | None = None
    deadline: Moment | None = None
    priority_weight: PosInt | None = None
    allowed_hubs: list[Id] | None = Field(default=None, max_length=limits.LIST_MAX_ITEMS)
    origin: Location | None = None
    has_pass: bool | None = None
    disinfection_minutes: Minutes | None = None
    vehicle_plate: Plate | None = None
    driver_phone: Phone | None = None
    screening: Screening | None = None


class PageQuery(Body):
    """Paging for the lists that answer a plain JSON array; the total is in `X-Total-Count`."""

    limit: int = Field(default=limits.PAGE_LIMIT_MAX, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class LoadQuery(Body):
    status: LoadStatus | None = None
    hub_id: Id | None = Field(
        default=None, description="loads the published plan places at this hub, or pinned there"
    )
    enterprise_id: Id | None = None
    vehicle_plate: Plate | None = Field(
        default=None,
        description="the truck's plate, however written (赣B·12345 = 赣B12345 = 赣b12345)",
    )
    date: Day | None = Field(
        default=None, description="loads released on this day (the site's time zone)"
    )
    limit: int = Field(default=100, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class LoadPage(BaseModel):
    items: list[LoadOut]
    total: int
    limit: int
    offset: int


class ImportQuery(Body):
    dry_run: bool = False


class LoadRef(Body):
    """Which enterprise's load a path's id names: ids are unique per enterprise only."""

    enterprise_id: Id | None = Field(
        default=None,
        description="admins and operators: the load's enterprise, needed when several "
        "enterprises hold the id (409 otherwise); an enterprise token names its own loads",
    )


class SheetProblem(BaseModel):
    """One sheet cell the import ignored or refused: where it is and why, as a code."""

    message: str
    row: int | None = None
    column: str | None = None
    cell: str | None = Field(default=None, description='the cell as a spreadsheet names it, "C5"')
    code: str | None = None
    params: dict[str, Any] | None = None


class ImportResult(BaseModel):
    dry_run: bool
    count: int
    load_ids: list[str]
    generated_ids: dict[str, str] = Field(
        default_factory=dict, description="sheet row -> the id the server made for a row without"
    )
    warnings: list[SheetProblem] = Field(
        default_factory=list, description="ignored unknown columns (at most 200 listed)"
    )
    unknown_columns: int = Field(default=0, description="how many columns were ignored in all")
    replayed: bool = Field(
        default=False, description="true when this answers a retry with the same Idempotency-Key"
    )
    screening_failures: dict[str, list[str]] = Field(
        default_factory=dict, description="load id -> failed entry checks (such loads are kept)"
    )


class CheckInIn(Body):
    """The gate's reading of the driver; without `screening` the submitted data is re-checked."""

    at: Moment | None = None
    screening: Screening | None = None
    has_pass: bool | None = None


class EventIn(Body):
    at: Moment | None = None


# --- plans ----------------------------------------------------------------------------------------


class PlanIn(Body):
    horizon: Horizon
    time_limit_s: float | None = Field(default=None, gt=0, le=600)
    hub_ids: list[str] | None = Field(default=None, min_length=1)
    workers: int | None = Field(default=None, ge=1, le=16)
    seed: int | None = None
    now: AwareDatetime | None = Field(
        default=None,
        description="plan as of this moment (a what-if, a test); default: the clock when the job "
        "runs",
    )
    stability_weight: float | None = Field(
        default=None,
        ge=0,
        le=1_000_000,
        description="objective points per load moved from its slot in force (high: move as few "
        "trucks as possible; 0: least lateness); default: the site's settings.objective.stability",
    )
    # True: a horizon and hub set already queued or running answers with that job (no 2nd solve).
    coalesce: bool = True
    split: bool | None = Field(
        default=None,
        description="solve a day's independent parts (hubs sharing no load or relay) as parallel "
        "part jobs on the queue and merge them; default: yes when a queue worker runs the job "
        "(Redis or the database worker), no in the in-process runner",
    )


class PlanPartOut(BaseModel):
    """One part job of a split plan job: its id, status, hubs, solve seconds, objective."""

    id: int
    status: JobStatus
    hub_ids: list[str]
    seconds: float | None = None
    objective: float | None = None
    error: str | None = None


class PlanOut(BaseModel):
    id: int
    status: JobStatus
    horizon: Horizon
    hub_ids: list[str] | None
    params: dict[str, Any]
    progress: dict[str, Any]
    requested_by: str
    requested_at: AwareDatetime
    started_at: AwareDatetime | None
    finished_at: AwareDatetime | None
    published: bool
    published_at: AwareDatetime | None
    error: str | None
    solver_status: str | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    kpis: dict[str, Any] = Field(default_factory=dict)
    placed: int | None = None
    unscheduled: int | None = None
    parent_id: int | None = None
    parts: list[PlanPartOut] = Field(
        default_factory=list, description="a split job's part jobs (only on GET /plans/{id})"
    )


class PlanQuery(Body):
    status: JobStatus | None = None
    horizon: dt.date | None = Field(
        default=None, description="plans whose horizon starts on this day (site time zone)"
    )
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class PlanPage(BaseModel):
    items: list[PlanOut]
    total: int
    limit: int
    offset: int


class PublishedQuery(Body):
    date: Day


class UnscheduledOut(Unscheduled):
    """An unscheduled load as the API gives it: the stored reason (code, English `reason`,
    `reason_detail` and `reason_params`) and `message`, the detail written in the language of
    the request's Accept-Language (zh-CN by default, English), hubs by name; "" where the plan
    kept no detail."""

    message: str = ""


class PublishedOut(BaseModel):
    plan: PlanOut
    assignments: list[Assignment]
    unscheduled: list[UnscheduledOut]


class ExportQuery(Body):
    format: str = Field(default="csv", pattern="^(csv|xlsx)$")
    # the XLSX workbook's language (the CSV is machine-readable, the same in both)
    lang: str = Field(default="zh-CN", pattern="^(zh-CN|en)$")


# --- activations, incidents, audit ----------------------------------------------------------------


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
    at: Moment = Field(description="when the positive result was reported")
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


__all__ = [
    "Assignment",
    "BlockedWindow",
    "Enterprise",
    "Hub",
    "Load",
    "Unscheduled",
]
HubStatusOut.model_rebuild()


class CheckInOut(BaseModel):
    load: LoadOut
    passed: bool
    failed_checks: list[str] = Field(default_factory=list, description="why the driver was refused")
    slot: Assignment | None = Field(
        default=None, description="the slot in force now (a late truck's repaired one); null: none"
    )
    wait_minutes: float | None = Field(
        default=None, description="minutes until the slot starts (an early truck waits)"
    )
    reason: dict[str, Any] | None = Field(
        default=None,
        description="why the slot changed: {code: LATE_ARRIVAL | NO_SLOT_LEFT, params: "
        "{planned_start, earliest, new_start, new_dock, tried, moved}} (moved: the loads pushed "
        "later to make room, each marked SHIFTED_FOR_REPAIR)",
    )


# --- webhooks and the inbox (issue 13) --------------------------------------------------------


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


# --- public information and problem reports (issue 13) ---------------------------------------


class ContactIn(Body):
    """A public reporter's contact: a name and a phone number or an e-mail address."""

    name: str = Field(default="", max_length=100)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=200)


class ReportIn(Body):
    kind: ReportKind = Field(
        description="refused_at_checkpoint, no_slot, wrong_slot, hub_closed or other"
    )
    text: str = Field(min_length=1, max_length=2000, description="what happened")
    load_id: Id | None = Field(default=None, description="an enterprise: one of its own loads")
    hub_id: Id | None = Field(default=None, description="the hub it concerns")
    contact: ContactIn | None = Field(
        default=None, description="required without sign-in: name, and phone or email"
    )


class ReportOut(BaseModel):
    """A report; `token` (a public reporter's lookup token) only in the answer that created it;
    `contact` only for the command centre."""

    id: int
    number: str
    kind: ReportKind
    text: str
    status: ReportStatus
    enterprise_id: str | None
    load_id: str | None
    hub_id: str | None
    created_at: AwareDatetime
    answer: str | None
    answered_at: AwareDatetime | None
    closed_at: AwareDatetime | None
    contact: dict[str, str | None] | None = None
    token: str | None = None
    lookup: str | None = None


class ReportsQuery(Body):
    status: ReportStatus | None = None
    kind: ReportKind | None = None
    limit: int = Field(default=50, ge=1, le=limits.PAGE_LIMIT_MAX)
    offset: int = Field(default=0, ge=0, le=limits.OFFSET_MAX)


class ReportsOut(BaseModel):
    reports: list[ReportOut]
    total: int


class ReportAnswerIn(Body):
    answer: str = Field(min_length=1, max_length=2000)


class PublicReportQuery(Body):
    token: str = Field(min_length=1, max_length=100, description="the lookup token shown once")


class PublicReportOut(BaseModel):
    """What a public reporter reads back: no contact details, no internal ids."""

    number: str
    kind: ReportKind
    status: ReportStatus
    created_at: AwareDatetime
    answer: str | None
    answered_at: AwareDatetime | None
    closed_at: AwareDatetime | None


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

"""Loads: submit, show, change, list, and the sheet import's answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.schemas.body import Body
from hub_scheduler import limits
from hub_scheduler.domain import (
    CargoCategory,
    Load,
    LoadStatus,
    Location,
    Screening,
    Temperature,
)
from hub_scheduler.values import (
    Day,
    Id,
    Minutes,
    Moment,
    Phone,
    Plate,
    PosInt,
    PosMinutes,
)


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

    # The document's shape: each check as `CODE: English words` (ScreeningFailure's dump; the
    # load itself keeps code and params, hub_scheduler/screening_checks.py).
    screening_failures: list[str] = Field(  # type: ignore[assignment]
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
        "DOCK_BLOCKED | WALK_IN | NO_SLOT_LEFT | DEADLINE_PASSED | SHIFTED_FOR_REPAIR | "
        "DOCK_STILL_IN_USE | LATE_START | DOCK_TAKEN_BY_LATE_START | RUN_OVERLAPS_SLOT | "
        "DOCK_TAKEN_BY_RUN | MOVED_FOR_STARTED_RUN, params, reasons} "
        "(WALK_IN: a truck with no slot got one at the gate, "
        "planned_start null; DOCK_STILL_IN_USE: a published re-plan moved a checked-in truck's "
        "start on its dock to when the truck before it, running late at the gate, frees the dock, "
        "params planned_start, new_start, dock, shift_minutes; LATE_START: the truck started "
        "after its slot, its slot moved to its real start on the grid, params the same and "
        "started_at; DOCK_TAKEN_BY_LATE_START: a truck that started late holds its dock, so its "
        "slot moved (a truck on site: later on its dock, params the same and for_load; else a "
        "repair's params and for_load); RUN_OVERLAPS_SLOT / DOCK_TAKEN_BY_RUN: the same for a "
        "start within the skew (or early) whose real run meets another truck's slot on its dock; "
        "MOVED_FOR_STARTED_RUN: a started truck's real run takes a crew, a place on site or the "
        "relay time its slot needed, a repair's params with rule and for_load) "
        "(times in the site's zone; reasons, after a late arrival or an ETA change: why no "
        "earlier slot was possible, [{code, rule, params, message}] as the check-in's), "
        "until a newly published plan gives the load its slot",
    )

    transfer_to: Id | None = Field(default=None, description="the relay's outbound load id")
    transfer_from: Id | None = Field(default=None, description="the relay's inbound load id")


class SubmissionWarning(BaseModel):
    field: str = Field(description="the field warned about, e.g. release")
    code: str = Field(description="release_past: the arrival is already past at submission")
    params: dict[str, Any] = Field(description="release_past: {release} in the site's zone")
    message: str = Field(description="the warning in English (a page says it by its code)")


class LoadCreated(LoadOut):
    """A submitted load as the API answers it: stored, with what it is warned about."""

    warnings: list[SubmissionWarning] = Field(
        default_factory=list,
        description="what the submission is told but not refused for (the load is stored): "
        "release_past when its arrival is already past (the load form warns alike)",
    )


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


class TemplateQuery(Body):
    # the template's language: headers, drop-downs, the example and the notes
    lang: str = Field(default="zh-CN", pattern="^(zh-CN|en)$")


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

"""Explicit conversion between table rows and the domain objects, both ways.

`*_from_row` builds a fresh domain object (never a live ORM object); `fill_*_row` copies a domain
object onto a row. Fields the formats may grow (pydantic extras) travel in each row's
`extra` column.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy import Row

from hub_scheduler.domain import (
    Assignment,
    BlockedWindow,
    CargoCategory,
    Dock,
    Enterprise,
    Hub,
    HubKind,
    HubStatus,
    Load,
    LoadStatus,
    Location,
    OpeningPeriod,
    PlanStatus,
    Position,
    ReasonCode,
    Schedule,
    Temperature,
    Transfer,
    Unscheduled,
    Zone,
    plate_key,
)
from hub_scheduler.limits import STORED
from hub_scheduler.records import (
    Activation,
    ApiToken,
    AuditEntry,
    Incident,
    JobStatus,
    Plan,
    ProposalStatus,
    Role,
    TransferProposal,
    WebUser,
)
from models.tables import (
    ActivationRow,
    ApiTokenRow,
    AuditRow,
    BlockedWindowRow,
    DockRow,
    EnterpriseRow,
    HubRow,
    IncidentRow,
    LoadRow,
    OpeningHoursRow,
    PlanAssignmentRow,
    PlanRow,
    PlanUnscheduledRow,
    TransferProposalRow,
    TransferRow,
    UserRow,
    ZoneRow,
)


def extra_of(model: BaseModel) -> dict[str, Any]:
    """The fields a domain object carries beyond its declared ones, JSON-ready."""
    return to_jsonable_python(model.model_extra or {})


def _enum(value: Any) -> str:
    return getattr(value, "value", value)


# --- hubs -----------------------------------------------------------------------------------------


def fill_hub_row(row: HubRow, hub: Hub) -> HubRow:
    """Copy `hub` with its zones, docks, opening hours and blocked windows onto `row`.

    Child collections are appended to; a caller updating a hub clears them (and flushes) first.
    """
    row.id = hub.id
    row.name = hub.name
    row.kind = _enum(hub.kind)
    row.status = _enum(hub.status)
    row.lat = hub.location.lat if hub.location else None
    row.lon = hub.location.lon if hub.location else None
    row.always_open = hub.opening_hours is None
    row.disinfection_minutes = hub.disinfection_minutes
    row.max_trucks_on_site = hub.max_trucks_on_site
    row.slot_minutes = hub.slot_minutes
    row.extra = extra_of(hub)
    for position, zone in enumerate(hub.zones):
        zone_row = ZoneRow(
            id=zone.id,
            position=position,
            temperature=_enum(zone.temperature),
            crews=zone.crews,
            disinfection_minutes=zone.disinfection_minutes,
            extra=extra_of(zone),
        )
        zone_row.docks = [
            DockRow(hub_id=hub.id, id=dock.id, position=i, extra=extra_of(dock))
            for i, dock in enumerate(zone.docks)
        ]
        row.zones.append(zone_row)
    for position, period in enumerate(hub.opening_hours or []):
        row.opening_hours.append(
            OpeningHoursRow(position=position, start=period.start, end=period.end)
        )
    for window in hub.blocked:
        row.blocked.append(blocked_window_row(window))
    return row


def blocked_window_row(window: BlockedWindow) -> BlockedWindowRow:
    return BlockedWindowRow(
        window_id=window.id,
        start=window.start,
        end=window.end,
        zone_id=window.zone_id,
        dock_id=window.dock_id,
        reason=window.reason,
        extra={**extra_of(window), **_reason_code_of(window)},
    )


def _reason_code_of(window: BlockedWindow) -> dict[str, Any]:
    # The code and its params ride in the JSON `extra` column: no schema change for them.
    if window.reason_code is None and not window.reason_params:
        return {}
    return {"reason_code": window.reason_code, "reason_params": dict(window.reason_params)}


def blocked_window_from_row(row: BlockedWindowRow) -> BlockedWindow:
    return BlockedWindow(
        id=row.window_id,
        start=row.start,
        end=row.end,
        zone_id=row.zone_id,
        dock_id=row.dock_id,
        reason=row.reason,
        **(row.extra or {}),
    )


def hub_from_row(row: HubRow) -> Hub:
    location = (
        Location(lat=row.lat, lon=row.lon) if row.lat is not None and row.lon is not None else None
    )
    opening = (
        None
        if row.always_open
        else [OpeningPeriod(start=p.start, end=p.end) for p in row.opening_hours]
    )
    return Hub(
        id=row.id,
        name=row.name,
        kind=HubKind(row.kind),
        status=HubStatus(row.status),
        location=location,
        opening_hours=opening,
        disinfection_minutes=row.disinfection_minutes,
        max_trucks_on_site=row.max_trucks_on_site,
        slot_minutes=row.slot_minutes,
        blocked=[blocked_window_from_row(b) for b in row.blocked],
        zones=[
            Zone(
                id=z.id,
                temperature=Temperature(z.temperature),
                crews=z.crews,
                disinfection_minutes=z.disinfection_minutes,
                docks=[Dock(id=d.id, **(d.extra or {})) for d in z.docks],
                **(z.extra or {}),
            )
            for z in row.zones
        ],
        **(row.extra or {}),
    )


# --- enterprises ----------------------------------------------------------------------------------


def fill_enterprise_row(row: EnterpriseRow, enterprise: Enterprise) -> EnterpriseRow:
    row.id = enterprise.id
    row.name = enterprise.name
    row.whitelisted = enterprise.whitelisted
    row.tier = enterprise.tier
    row.valid_from = enterprise.valid_from
    row.valid_until = enterprise.valid_until
    row.extra = extra_of(enterprise)
    return row


def enterprise_from_row(row: EnterpriseRow | Row[Any]) -> Enterprise:
    return Enterprise(
        id=row.id,
        name=row.name,
        whitelisted=row.whitelisted,
        tier=row.tier,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        **(row.extra or {}),
    )


# --- loads and transfers --------------------------------------------------------------------------


_LOAD_FIELDS_IN_EXTRA = {"screening_failures", "hold", "needs_new_slot", "slot_changed"}


def load_row_values(load: Load) -> dict[str, Any]:
    """A load as `loads` column values (all but the bookkeeping ones: key, creator, times)."""
    pinned_hub, pinned_dock, pinned_start = _position_columns(load.pinned)
    previous_hub, previous_dock, previous_start = _position_columns(load.previous)
    return {
        "id": load.id,
        "enterprise_id": load.enterprise_id,
        "category": _enum(load.category),
        "temperature": _enum(load.temperature),
        "handling_minutes": load.handling_minutes,
        "release": load.release,
        "due": load.due,
        "deadline": load.deadline,
        "priority_weight": load.priority_weight,
        "allowed_hubs": list(load.allowed_hubs) if load.allowed_hubs is not None else None,
        "origin_lat": load.origin.lat if load.origin else None,
        "origin_lon": load.origin.lon if load.origin else None,
        "has_pass": load.has_pass,
        "disinfection_minutes": load.disinfection_minutes,
        "pinned_hub_id": pinned_hub,
        "pinned_dock_id": pinned_dock,
        "pinned_start": pinned_start,
        "previous_hub_id": previous_hub,
        "previous_dock_id": previous_dock,
        "previous_start": previous_start,
        "vehicle_plate": load.vehicle_plate,
        "vehicle_plate_key": plate_key(load.vehicle_plate) if load.vehicle_plate else None,
        "driver_phone": load.driver_phone,
        "arrived_at": load.arrived_at,
        "started_at": load.started_at,
        "completed_at": load.completed_at,
        "screening": load.screening.model_dump(mode="json") if load.screening else None,
        "status": _enum(load.status),
        # Declared fields with no column of their own travel with the extras.
        "extra": extra_of(load) | load.model_dump(include=_LOAD_FIELDS_IN_EXTRA, exclude_none=True),
    }


def fill_load_row(row: LoadRow, load: Load) -> LoadRow:
    for column, value in load_row_values(load).items():
        setattr(row, column, value)
    return row


def _position_columns(position: Position | None) -> tuple[Any, Any, Any]:
    if position is None:
        return None, None, None
    return position.hub_id, position.dock_id, position.start


def _position(hub_id: str | None, dock_id: str | None, start: Any) -> Position | None:
    if hub_id is None or dock_id is None or start is None:
        return None
    return Position(hub_id=hub_id, dock_id=dock_id, start=start)


def load_from_row(row: LoadRow) -> Load:
    """The stored load; the time window of new input is not applied (a stored row always reads)."""
    origin = (
        {"lat": row.origin_lat, "lon": row.origin_lon}
        if row.origin_lat is not None and row.origin_lon is not None
        else None
    )

    def position(hub_id: str | None, dock_id: str | None, start: Any) -> dict | None:
        if hub_id is None or dock_id is None or start is None:
            return None
        return {"hub_id": hub_id, "dock_id": dock_id, "start": start}

    return Load.model_validate(
        {
            **(row.extra or {}),
            "id": row.id,
            "enterprise_id": row.enterprise_id,
            "category": CargoCategory(row.category),
            "temperature": Temperature(row.temperature),
            "handling_minutes": row.handling_minutes,
            "release": row.release,
            "due": row.due,
            "deadline": row.deadline,
            "priority_weight": row.priority_weight,
            "allowed_hubs": list(row.allowed_hubs) if row.allowed_hubs is not None else None,
            "origin": origin,
            "has_pass": row.has_pass,
            "disinfection_minutes": row.disinfection_minutes,
            "pinned": position(row.pinned_hub_id, row.pinned_dock_id, row.pinned_start),
            "previous": position(row.previous_hub_id, row.previous_dock_id, row.previous_start),
            "vehicle_plate": row.vehicle_plate,
            "screening": row.screening,
            "status": LoadStatus(row.status),
            "arrived_at": row.arrived_at,
            "started_at": row.started_at,
            "completed_at": row.completed_at,
            # A phone kept with the extras before it had a column still reads.
            "driver_phone": row.driver_phone
            if row.driver_phone is not None
            else (row.extra or {}).get("driver_phone"),
        },
        context={STORED: True},
    )


def fill_transfer_row(row: TransferRow, transfer: Transfer) -> TransferRow:
    row.inbound = transfer.inbound
    row.outbound = transfer.outbound
    row.min_gap_minutes = transfer.min_gap_minutes
    row.extra = extra_of(transfer)
    return row


def transfer_from_row(row: TransferRow) -> Transfer:
    return Transfer(
        inbound=row.inbound,
        outbound=row.outbound,
        min_gap_minutes=row.min_gap_minutes,
        **(row.extra or {}),
    )


def fill_proposal_row(row: TransferProposalRow, proposal: TransferProposal) -> TransferProposalRow:
    for name in (
        "inbound",
        "outbound",
        "min_gap_minutes",
        "proposer_enterprise_id",
        "partner_enterprise_id",
        "partner_load",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    ):
        setattr(row, name, getattr(proposal, name))
    row.status = proposal.status.value
    return row


def proposal_from_row(row: TransferProposalRow) -> TransferProposal:
    return TransferProposal(
        id=row.id,
        inbound=row.inbound,
        outbound=row.outbound,
        min_gap_minutes=row.min_gap_minutes,
        proposer_enterprise_id=row.proposer_enterprise_id,
        partner_enterprise_id=row.partner_enterprise_id,
        partner_load=row.partner_load,
        status=ProposalStatus(row.status),
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


# --- tokens ---------------------------------------------------------------------------------------


def token_row(token: ApiToken) -> ApiTokenRow:
    return ApiTokenRow(
        token_hash=token.token_hash,
        role=_enum(token.role),
        enterprise_id=token.enterprise_id,
        label=token.label,
        created_at=token.created_at,
        revoked_at=token.revoked_at,
        expires_at=token.expires_at,
        session_version=token.session_version,
    )


def token_from_row(row: ApiTokenRow | Row[Any]) -> ApiToken:
    """From an ORM row or a plain result row of the token table's columns."""
    return ApiToken(
        id=row.id,
        token_hash=row.token_hash,
        role=Role(row.role),
        enterprise_id=row.enterprise_id,
        label=row.label,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        expires_at=row.expires_at,
        session_version=row.session_version or 0,
    )


# --- users ----------------------------------------------------------------------------------------


def user_row(user: WebUser, row: UserRow | None = None) -> UserRow:
    """A new row for `user`, or `row` overwritten with it (the id stays the row's)."""
    row = row if row is not None else UserRow()
    row.name = user.name
    row.password_hash = user.password_hash
    row.role = _enum(user.role)
    row.enterprise_id = user.enterprise_id
    row.disabled = user.disabled
    row.created_at = user.created_at
    row.updated_at = user.updated_at
    row.session_version = user.session_version
    return row


def user_from_row(row: UserRow) -> WebUser:
    return WebUser(
        id=row.id,
        name=row.name,
        password_hash=row.password_hash,
        role=Role(row.role),
        enterprise_id=row.enterprise_id,
        disabled=bool(row.disabled),
        created_at=row.created_at,
        updated_at=row.updated_at,
        session_version=row.session_version or 0,
    )


# --- plans ----------------------------------------------------------------------------------------

_SCHEDULE_HEADER = {
    "format",
    "scenario",
    "status",
    "objective",
    "bound",
    "gap",
    "solve_seconds",
    "assignments",
    "unscheduled",
    "kpis",
    "unscheduled_details",
}
# The unscheduled loads' reason_detail and reason_params ride in the plan row's schedule_extra
# JSON (load id -> [detail, params]): one JSON value per plan instead of a column per row, and no
# table change for data only the pages and the API read back with the whole schedule.
_DETAILS = "unscheduled_details"


def fill_plan_row(row: PlanRow, plan: Plan) -> PlanRow:
    """Copy the job fields and the schedule's header; the schedule's rows go via `schedule_rows`."""
    row.horizon_start = plan.horizon_start
    row.horizon_end = plan.horizon_end
    row.hub_ids = list(plan.hub_ids) if plan.hub_ids is not None else None
    row.status = _enum(plan.status)
    row.params = to_jsonable_python(plan.params)
    row.progress = to_jsonable_python(plan.progress)
    row.requested_by = plan.requested_by
    row.requested_at = plan.requested_at
    row.started_at = plan.started_at
    row.finished_at = plan.finished_at
    row.published = plan.published
    row.published_at = plan.published_at
    row.published_by = plan.published_by
    row.error = plan.error
    row.parent_id = plan.parent_id
    row.extra = extra_of(plan)
    fill_schedule_header(row, plan.schedule)
    return row


def fill_schedule_header(row: PlanRow, schedule: Schedule | None) -> None:
    if schedule is None:
        row.schedule_status = row.schedule_scenario = None
        row.objective = row.bound = row.gap = row.solve_seconds = None
        row.kpis = row.schedule_extra = None
        return
    row.schedule_status = _enum(schedule.status)
    row.schedule_scenario = schedule.scenario
    row.objective = schedule.objective
    row.bound = schedule.bound
    row.gap = schedule.gap
    row.solve_seconds = schedule.solve_seconds
    row.kpis = to_jsonable_python(schedule.kpis)
    details = {
        u.load_id: [u.reason_detail, to_jsonable_python(u.reason_params)]
        for u in schedule.unscheduled
        if u.reason_detail or u.reason_params
    }
    row.schedule_extra = extra_of(schedule) | ({_DETAILS: details} if details else {})


def schedule_rows(schedule: Schedule) -> tuple[list[PlanAssignmentRow], list[PlanUnscheduledRow]]:
    """One row per assignment and one per unscheduled load, in the schedule's order."""
    assignments = [
        PlanAssignmentRow(
            position=i,
            load_id=a.load_id,
            hub_id=a.hub_id,
            zone_id=a.zone_id,
            dock_id=a.dock_id,
            start=a.start,
            end=a.end,
            disinfected_at=a.disinfected_at,
        )
        for i, a in enumerate(schedule.assignments)
    ]
    unscheduled = [
        PlanUnscheduledRow(
            position=i, load_id=u.load_id, reason_code=_enum(u.reason_code), reason=u.reason
        )
        for i, u in enumerate(schedule.unscheduled)
    ]
    return assignments, unscheduled


def assignment_from_row(row: PlanAssignmentRow) -> Assignment:
    return Assignment(
        load_id=row.load_id,
        hub_id=row.hub_id,
        zone_id=row.zone_id,
        dock_id=row.dock_id,
        start=row.start,
        end=row.end,
        disinfected_at=row.disinfected_at,
    )


def unscheduled_from_row(
    row: PlanUnscheduledRow, details: dict[str, Any] | None = None
) -> Unscheduled:
    """The unscheduled load; `details` (the plan's load id -> [detail, params]) adds its
    reason_detail and reason_params where the plan stored them."""
    detail, params = (details or {}).get(row.load_id) or ("", {})
    return Unscheduled(
        load_id=row.load_id,
        reason_code=ReasonCode(row.reason_code),
        reason=row.reason,
        reason_detail=detail,
        reason_params=dict(params),
    )


def schedule_from_row(row: PlanRow, with_rows: bool = True) -> Schedule | None:
    if row.schedule_status is None:
        return None
    return Schedule(
        scenario=row.schedule_scenario or "",
        status=PlanStatus(row.schedule_status),
        objective=row.objective,
        bound=row.bound,
        gap=row.gap,
        solve_seconds=row.solve_seconds or 0.0,
        assignments=[assignment_from_row(a) for a in row.assignments] if with_rows else [],
        unscheduled=[
            unscheduled_from_row(u, (row.schedule_extra or {}).get(_DETAILS))
            for u in row.unscheduled
        ]
        if with_rows
        else [],
        kpis=dict(row.kpis or {}),
        **{k: v for k, v in (row.schedule_extra or {}).items() if k not in _SCHEDULE_HEADER},
    )


def plan_from_row(row: PlanRow, with_rows: bool = True) -> Plan:
    """The plan; `with_rows=False` leaves the schedule's assignment lists empty (for listings)."""
    return Plan(
        id=row.id,
        horizon_start=row.horizon_start,
        horizon_end=row.horizon_end,
        hub_ids=list(row.hub_ids) if row.hub_ids is not None else None,
        status=JobStatus(row.status),
        params=dict(row.params or {}),
        progress=dict(row.progress or {}),
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        published=row.published,
        published_at=row.published_at,
        published_by=row.published_by,
        error=row.error,
        parent_id=row.parent_id,
        schedule=schedule_from_row(row, with_rows),
        **(row.extra or {}),
    )


# --- activations, incidents, audit ----------------------------------------------------------------


def fill_activation_row(row: ActivationRow, activation: Activation) -> ActivationRow:
    row.hub_ids = list(activation.hub_ids)
    row.status = activation.status
    row.reason = activation.reason
    row.actor = activation.actor
    row.at = activation.at
    row.plan_id = activation.plan_id
    return row


def activation_from_row(row: ActivationRow) -> Activation:
    return Activation(
        id=row.id,
        hub_ids=list(row.hub_ids),
        status=row.status,
        reason=row.reason,
        actor=row.actor,
        at=row.at,
        plan_id=row.plan_id,
    )


def fill_incident_row(row: IncidentRow, incident: Incident) -> IncidentRow:
    row.vehicle_plate = incident.vehicle_plate
    row.load_id = incident.load_id
    row.reported_at = incident.reported_at
    row.actor = incident.actor
    row.note = incident.note
    row.blocked_window_ids = list(incident.blocked_window_ids)
    row.cancelled_load_ids = list(incident.cancelled_load_ids)
    row.contacts = to_jsonable_python(incident.contacts)
    row.plan_id = incident.plan_id
    return row


def incident_from_row(row: IncidentRow) -> Incident:
    return Incident(
        id=row.id,
        vehicle_plate=row.vehicle_plate,
        load_id=row.load_id,
        reported_at=row.reported_at,
        actor=row.actor,
        note=row.note,
        blocked_window_ids=list(row.blocked_window_ids or []),
        cancelled_load_ids=list(row.cancelled_load_ids or []),
        contacts=list(row.contacts or []),
        plan_id=row.plan_id,
    )


def audit_row_values(entry: AuditEntry) -> dict[str, Any]:
    """The audit table's column values for `entry` (no id: the database gives it)."""
    return {
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": to_jsonable_python(entry.details),
    }


def audit_row(entry: AuditEntry) -> AuditRow:
    return AuditRow(**audit_row_values(entry))


def audit_from_row(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        details=dict(row.details or {}),
    )

"""A positive driver or vehicle: block the docks it used for deep disinfection, cancel its pending
loads, trace the contact operations, and re-plan around all of it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from hub_scheduler.domain import Assignment, BlockedWindow, LoadStatus
from hub_scheduler.errors import FieldError, ValidationFailed
from hub_scheduler.records import Incident, Plan
from hub_scheduler.services.audit import record
from hub_scheduler.services.plans import JobRunner, queue_plan, replan_horizon

_PENDING = {LoadStatus.SUBMITTED, LoadStatus.SCHEDULED}


def _published_assignments(uow) -> list[Assignment]:
    out: list[Assignment] = []
    for plan in uow.plans.list():
        if plan.published and plan.schedule is not None:
            out.extend(plan.schedule.assignments)
    return out


def contacts_of(used: list[Assignment], others: list[Assignment], window: timedelta,
                plates: dict[str, str | None], owners: dict[str, str]) -> list[dict[str, Any]]:
    """Operations that shared a dock after the truck (within `window` of its disinfection) or its
    zone at the same time."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    mine = {a.load_id for a in used}
    for u in used:
        for o in others:
            if o.load_id in mine or o.hub_id != u.hub_id:
                continue
            kind = None
            if o.dock_id == u.dock_id and u.end <= o.start < u.disinfected_at + window:
                kind = "same_dock_after"
            elif o.zone_id == u.zone_id and o.start < u.end and u.start < o.end:
                kind = "same_zone_same_time"
            if kind and (o.load_id, kind) not in found:
                found[(o.load_id, kind)] = {
                    "kind": kind, "load_id": o.load_id, "enterprise_id": owners.get(o.load_id),
                    "vehicle_plate": plates.get(o.load_id), "hub_id": o.hub_id,
                    "zone_id": o.zone_id, "dock_id": o.dock_id, "start": o.start.isoformat(),
                    "end": o.end.isoformat(), "source_load_id": u.load_id,
                }
    return sorted(found.values(), key=lambda c: (c["start"], c["load_id"]))


def report_incident(
    uow, runner: JobRunner, *, actor: str, at: datetime, vehicle_plate: str | None = None,
    load_id: str | None = None, note: str = "", disinfection_minutes: int = 120,
    contact_window_minutes: int = 240, horizon_start: datetime | None = None,
    horizon_end: datetime | None = None, time_limit_s: float | None = None,
    default_time_limit_s: float = 10.0,
) -> tuple[Incident, Plan | None]:
    """Record the incident and everything it causes in one transaction, then start the re-plan."""
    if (vehicle_plate is None) == (load_id is None):
        raise ValidationFailed("name the truck by vehicle_plate or by load_id, not both",
                               [FieldError(field="vehicle_plate", message="give exactly one of vehicle_plate and load_id")])
    with uow:
        loads = uow.loads.list()
        if load_id is not None:
            truck = [ld for ld in loads if ld.id == load_id]
            if not truck:
                raise ValidationFailed("unknown load", [FieldError(field="load_id", message=f'unknown load "{load_id}"')])
        else:
            wanted = vehicle_plate.strip().upper()
            truck = [ld for ld in loads if (ld.vehicle_plate or "").strip().upper() == wanted]
            if not truck:
                raise ValidationFailed("no load has this vehicle", [FieldError(field="vehicle_plate", message=f'no load with plate "{vehicle_plate}"')])
        truck_ids = {ld.id for ld in truck}
        published = _published_assignments(uow)
        used = [a for a in published if a.load_id in truck_ids and a.start <= at]

        window_ids: list[str] = []
        until = at + timedelta(minutes=disinfection_minutes)
        for hub_id, dock_id in sorted({(a.hub_id, a.dock_id) for a in used}):
            window = BlockedWindow(
                id=f"B-{uuid.uuid4().hex[:10]}", start=at, end=until, dock_id=dock_id,
                reason=f"deep disinfection after a positive case ({vehicle_plate or load_id})",
            )
            uow.hubs.add_blocked_window(hub_id, window)
            window_ids.append(window.id)
            record(uow, actor, "hub.block", "hub", hub_id,
                   {"window_id": window.id, "dock_id": dock_id, "start": at.isoformat(),
                    "end": until.isoformat(), "reason": window.reason})

        cancelled = []
        for load in truck:
            if load.status in _PENDING:
                uow.loads.update(load.model_copy(update={"status": LoadStatus.CANCELLED, "pinned": None}))
                record(uow, actor, "load.cancel", "load", load.id,
                       {"from": load.status.value, "to": "cancelled", "reason": "positive case"})
                cancelled.append(load.id)

        contacts = contacts_of(
            used, published, timedelta(minutes=contact_window_minutes),
            {ld.id: ld.vehicle_plate for ld in loads}, {ld.id: ld.enterprise_id for ld in loads},
        )
        plan = None
        try:
            start, end = replan_horizon(uow, horizon_start, horizon_end)
        except ValidationFailed:
            start = end = None  # nothing published and no horizon given: nothing to repair
        if start is not None:
            plan = queue_plan(uow, horizon_start=start, horizon_end=end, time_limit_s=time_limit_s,
                              actor=actor, reason=f"incident: {vehicle_plate or load_id}",
                              default_time_limit_s=default_time_limit_s)
        incident = uow.incidents.add(
            Incident(vehicle_plate=vehicle_plate, load_id=load_id, reported_at=at, actor=actor,
                     note=note, blocked_window_ids=window_ids, cancelled_load_ids=cancelled,
                     contacts=contacts, plan_id=plan.id if plan else None)
        )
        record(uow, actor, "incident.create", "incident", str(incident.id),
               {"vehicle_plate": vehicle_plate, "load_id": load_id, "blocked": window_ids,
                "cancelled": cancelled, "contacts": len(contacts),
                "plan_id": plan.id if plan else None})
        uow.commit()
    if plan is not None:
        runner.submit(plan.id)
    return incident, plan


def list_incidents(uow) -> list[Incident]:
    with uow:
        return uow.incidents.list()


